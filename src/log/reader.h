/*
 * reader.h: reading a log back, one line at a time, in bounded memory.
 *
 * The reader sees only bytes, like the writer: it hands out complete lines
 * (without their '\n') and leaves parsing to its caller.  A line longer
 * than LOG_READER_MAX_LINE is skipped whole and counted, so a corrupt or
 * hostile file cannot make the reader hold more than that.  A last line
 * without '\n' (a torn write) is still handed out.
 */
#ifndef CAPSULE_LOG_READER_H
#define CAPSULE_LOG_READER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define LOG_READER_MAX_LINE (1024 * 1024)

#define LOG_READER_BLOCK (64 * 1024)

struct log_reader {
	int fd;			/* owned, unless it is stdin (0); -1 if none */
	char *block;		/* owned: LOG_READER_BLOCK bytes read ahead */
	size_t pos, end;	/* unread bytes are block[pos..end) */
	struct buf line;	/* owned: the current line, NUL-terminated */
	uint64_t lineno;	/* 1-based number of the current line */
	uint64_t too_long;	/* lines skipped for exceeding the limit */
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

#endif
