/*
 * reader.h: reading a log back, one line at a time, in bounded memory.
 *
 * The reader sees only bytes, like the writer: it hands out complete lines
 * (without their '\n') and leaves parsing to its caller.  A line longer
 * than LOG_READER_MAX_LINE is skipped whole and counted, so a corrupt or
 * hostile file cannot make the reader hold more than that.  A last line
 * without '\n' (a torn write) is still handed out, except in follow mode.
 *
 * Follow mode (`capsule tail`): struct log_follow below follows a path the
 * way `tail -F` does.  It hands out only complete lines (a last line
 * without '\n' waits for the rest), notices the file being created,
 * truncated, rewritten in place or replaced by another file, and waits for
 * changes with inotify (the file and its directory), or by polling where
 * inotify is not available.  It never prints: it returns events.
 */
#ifndef CAPSULE_LOG_READER_H
#define CAPSULE_LOG_READER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/buf.h"

#define LOG_READER_MAX_LINE (1024 * 1024)

#define LOG_READER_BLOCK (64 * 1024)

/* Bytes at the start of a followed file compared to notice a rewrite. */
#define LOG_FOLLOW_HEAD 4096

struct log_reader {
	int fd;			/* owned, unless it is stdin (0); -1 if none */
	char *block;		/* owned: LOG_READER_BLOCK bytes read ahead */
	size_t pos, end;	/* unread bytes are block[pos..end) */
	struct buf line;	/* owned: the current line, NUL-terminated */
	uint64_t lineno;	/* 1-based number of the current line */
	uint64_t too_long;	/* lines skipped for exceeding the limit */
	/* follow mode only (set by log_follow) */
	bool follow;		/* keep a last line without '\n' for later */
	bool partial;		/* line holds the start of an unfinished line */
	bool skipping;		/* inside an over-long line */
	uint64_t nread;		/* bytes read from fd so far */
	struct buf *head;	/* borrowed, or NULL: gets a copy of the
				 * first LOG_FOLLOW_HEAD bytes read */
};

/* Opens `path` ("-" is standard input).  Returns 0 or -errno. */
int log_reader_open(struct log_reader *r, const char *path);

/*
 * Reads the next line into r->line.  Returns 1, 0 at the end of the file,
 * or -errno on a read error.
 */
int log_reader_next(struct log_reader *r);

/* Closes the file and frees the line; accepts a reader never opened. */
void log_reader_close(struct log_reader *r);

/* Follow mode ------------------------------------------------------------ */

/* Poll period when inotify cannot watch the file's directory (ms). */
#define LOG_FOLLOW_POLL_MS 25
/* Safety re-check period even when inotify watches (ms). */
#define LOG_FOLLOW_RECHECK_MS 1000

/* What log_follow_next() returns besides a line or -errno. */
enum log_follow_event {
	LOG_FOLLOW_IDLE = 0,	/* no complete line now: call log_follow_wait */
	LOG_FOLLOW_LINE = 1,	/* a complete line is in f->r.line */
	LOG_FOLLOW_CREATED,	/* the file appeared; reading from its start */
	LOG_FOLLOW_TRUNCATED,	/* shrunk or rewritten in place: from start */
	LOG_FOLLOW_REPLACED,	/* another file at the path: from its start */
	LOG_FOLLOW_REMOVED,	/* the path vanished: waiting for it */
	LOG_FOLLOW_INACCESSIBLE, /* the path cannot be opened: f->err says
				  * why; reported once per change of error */
};

struct log_follow {
	char *path;		/* owned copy */
	struct log_reader r;	/* owned; r.fd is -1 while there is no file */
	dev_t dev;		/* identity of the open file */
	ino_t ino;
	struct buf head;	/* owned: the file's first bytes, as read */
	int err;		/* last open error reported (0: none) */
	int ifd;		/* inotify fd, -1: polling */
	int wd_dir, wd_file;	/* watches, -1 if none */
	const char *base;	/* borrowed from path: the name in its dir */
	bool stale;		/* IDLE was returned: check the path first */
};

/*
 * Starts following `path` (not "-").  Returns 0 when the file is open,
 * -ENOENT when it does not exist yet (f is still usable: it waits for
 * it), another -errno when it cannot be read (EISDIR, or EINVAL for a
 * file that is not a regular file; f is usable too, it retries), -ENOMEM.
 * With `watch` false, no inotify (for a caller that reads once).
 */
int log_follow_open(struct log_follow *f, const char *path, bool watch);

/*
 * The next complete line (LOG_FOLLOW_LINE, in f->r.line), an event
 * (enum log_follow_event), LOG_FOLLOW_IDLE when there is nothing more for
 * now, or -errno on a read error.
 */
int log_follow_next(struct log_follow *f);

/*
 * Waits until the file may have changed: an inotify event about it, or a
 * timeout (LOG_FOLLOW_POLL_MS polling, LOG_FOLLOW_RECHECK_MS watching).
 * `sigmask` is installed while waiting (ppoll), so a caller that blocks
 * its signals elsewhere sees them here: -EINTR.  Returns 0 or -errno.
 */
int log_follow_wait(struct log_follow *f, const sigset_t *sigmask);

/* Frees everything; accepts a follower never opened. */
void log_follow_close(struct log_follow *f);

#endif
