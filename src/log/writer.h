/*
 * writer.h: log streams: safe opening of a log file and buffered writes of
 * whole lines.
 *
 * The writer sees only bytes.  A stream collects complete lines in memory
 * and writes them with write(2) when told to flush or when the buffer
 * passes LOG_FLUSH_BYTES; a line is never split across two flushes, so a
 * crash can only tear the last line.
 */
#ifndef CAPSULE_LOG_WRITER_H
#define CAPSULE_LOG_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/buf.h"

#define LOG_FLUSH_BYTES (64 * 1024)

struct log_stream {
	int fd;			/* owned unless is_stdout */
	bool is_stdout;
	struct buf pending;	/* owned: complete lines not yet written */
	uint64_t seq;		/* sequence number of the next record */
	uint64_t lines_written;	/* lines that reached the file */
	uint64_t lines_lost;	/* lines a failed write lost */
	int error;		/* first write error (positive errno), or 0 */
};

/*
 * Opens `path` for a new log, refusing anything an attacker could have
 * planted: a symlink (O_NOFOLLOW), a non-regular file, a file owned by
 * another user, or a file with other hard links.  The file is created
 * 0600 (an existing one is chmod'ed to 0600 and truncated), opened
 * O_APPEND|O_CLOEXEC.  "-" means standard output.
 * Returns 0, or -errno with *ret_why set to a short explanation.
 */
int log_stream_open(struct log_stream *s, const char *path,
		    const char **ret_why);

/* Appends one complete line (the caller includes the '\n'). */
void log_stream_add(struct log_stream *s, const char *line, size_t len);
/* Writes what is pending.  Returns 0 or -errno (also kept in s->error). */
int log_stream_flush(struct log_stream *s);
/* Flushes to the disk itself (fdatasync).  Returns 0 or -errno. */
int log_stream_sync(struct log_stream *s);
/* Flushes and closes; returns the first error seen (-errno) or 0. */
int log_stream_close(struct log_stream *s);

#endif
