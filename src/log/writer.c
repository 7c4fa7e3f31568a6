/*
 * writer.c: safe log-file opening and buffered whole-line writes.
 */
#include "log/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int log_stream_open(struct log_stream *s, const char *path,
		    const char **ret_why)
{
	struct stat st;
	int fd, err;

	memset(s, 0, sizeof(*s));
	buf_init(&s->pending);
	s->fd = -1;
	*ret_why = NULL;
	if (strcmp(path, "-") == 0) {
		s->fd = STDOUT_FILENO;
		s->is_stdout = true;
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
				O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		  0600);
	if (fd < 0) {
		err = errno;
		if (err == ELOOP)
			*ret_why = "is a symbolic link";
		return -err;
	}
	if (fstat(fd, &st) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		*ret_why = "is not a regular file";
		close(fd);
		return -EINVAL;
	}
	if (st.st_uid != geteuid()) {
		*ret_why = "is owned by another user";
		close(fd);
		return -EPERM;
	}
	if (st.st_nlink > 1) {
		*ret_why = "has other hard links";
		close(fd);
		return -EPERM;
	}
	if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	if (ftruncate(fd, 0) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	/* O_NONBLOCK only guarded the open against a planted FIFO */
	(void)fcntl(fd, F_SETFL, O_APPEND);
	s->fd = fd;
	return 0;
}

void log_stream_add(struct log_stream *s, const char *line, size_t len)
{
	buf_add(&s->pending, line, len);
	if (s->pending.len >= LOG_FLUSH_BYTES)
		(void)log_stream_flush(s);
}

static size_t count_lines(const char *p, size_t len)
{
	size_t n = 0;
	const char *end = p + len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

int log_stream_flush(struct log_stream *s)
{
	size_t off = 0, lines = count_lines(s->pending.s, s->pending.len);
	ssize_t n;

	if (s->pending.len == 0)
		return 0;
	if (s->error) {
		s->lines_lost += lines;
		buf_reset(&s->pending);
		return -s->error;
	}
	while (off < s->pending.len) {
		n = write(s->fd, s->pending.s + off, s->pending.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			s->error = errno;
			/* whole lines already out count as written */
			s->lines_written += count_lines(s->pending.s, off);
			s->lines_lost += lines - count_lines(s->pending.s, off);
			buf_reset(&s->pending);
			return -s->error;
		}
		off += (size_t)n;
	}
	s->lines_written += lines;
	buf_reset(&s->pending);
	return 0;
}

int log_stream_sync(struct log_stream *s)
{
	int r = log_stream_flush(s);

	if (r < 0)
		return r;
	if (!s->is_stdout && fdatasync(s->fd) < 0)
		return -errno;
	return 0;
}

int log_stream_close(struct log_stream *s)
{
	int r = log_stream_flush(s);

	if (s->fd >= 0 && !s->is_stdout && close(s->fd) < 0 && r == 0)
		r = -errno;
	s->fd = -1;
	buf_release(&s->pending);
	if (r == 0 && s->error)
		r = -s->error;
	return r;
}
