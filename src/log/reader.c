/*
 * reader.c: line-at-a-time log reading with a bound on line length.
 */
#include "log/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

int log_reader_open(struct log_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->line);
	if (strcmp(path, "-") == 0) {
		r->f = stdin;
		return 0;
	}
	r->f = fopen(path, "re");
	if (r->f == NULL)
		return -errno;
	return 0;
}

int log_reader_next(struct log_reader *r)
{
	int c, skipping = 0, any = 0;

	buf_reset(&r->line);
	for (;;) {
		c = getc_unlocked(r->f);
		if (c == EOF) {
			if (ferror(r->f))
				return -EIO;
			if (!any)
				return 0;
			break;
		}
		any = 1;
		if (c == '\n') {
			if (!skipping)
				break;
			/* the over-long line ends here: go on with the next */
			r->lineno++;
			skipping = 0;
			any = 0;
			continue;
		}
		if (skipping)
			continue;
		if (r->line.len >= LOG_READER_MAX_LINE) {
			r->too_long++;
			buf_reset(&r->line);
			skipping = 1;
			continue;
		}
		buf_addch(&r->line, (char)c);
	}
	if (skipping) {
		/* the file ended inside an over-long line */
		r->lineno++;
		return 0;
	}
	r->lineno++;
	return 1;
}

void log_reader_close(struct log_reader *r)
{
	if (r->f != NULL && r->f != stdin)
		fclose(r->f);
	r->f = NULL;
	buf_release(&r->line);
}
