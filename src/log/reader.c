/*
 * reader.c: line-at-a-time log reading with a bound on line length.
 * Reads blocks of LOG_READER_BLOCK bytes and cuts them at '\n'.
 */
#include "log/reader.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int log_reader_open(struct log_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->line);
	r->fd = -1;
	r->block = malloc(LOG_READER_BLOCK);
	if (r->block == NULL)
		return -ENOMEM;
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
		return 0;
	}
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	return 0;
}

/* Refills the block.  Returns the bytes read, 0 at the end, or -errno. */
static ssize_t refill(struct log_reader *r)
{
	ssize_t n;

	do {
		n = read(r->fd, r->block, LOG_READER_BLOCK);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r->pos = 0;
	r->end = (size_t)n;
	return n;
}

int log_reader_next(struct log_reader *r)
{
	bool skipping = false, any = false;
	const char *nl;
	size_t take;
	ssize_t n;

	buf_reset(&r->line);
	for (;;) {
		if (r->pos == r->end) {
			n = refill(r);
			if (n < 0)
				return (int)n;
			if (n == 0)
				break;
		}
		any = true;
		nl = memchr(r->block + r->pos, '\n', r->end - r->pos);
		take = nl ? (size_t)(nl - (r->block + r->pos))
			  : r->end - r->pos;
		if (!skipping && r->line.len + take > LOG_READER_MAX_LINE) {
			r->too_long++;
			buf_reset(&r->line);
			skipping = true;
		}
		if (!skipping)
			buf_add(&r->line, r->block + r->pos, take);
		r->pos += take;
		if (nl == NULL)
			continue;
		r->pos++; /* the '\n' */
		r->lineno++;
		if (!skipping)
			return 1;
		/* the over-long line ends here: go on with the next */
		skipping = false;
		any = false;
	}
	if (!any || skipping)
		return 0; /* end of file (inside an over-long line) */
	r->lineno++;
	return 1; /* a last line without '\n' */
}

void log_reader_close(struct log_reader *r)
{
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	r->fd = -1;
	free(r->block);
	r->block = NULL;
	buf_release(&r->line);
}
