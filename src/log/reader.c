/*
 * reader.c: line-at-a-time log reading with a bound on line length.
 * Reads blocks of LOG_READER_BLOCK bytes and cuts them at '\n'.
 * The follower (tail -F) keeps one reader on whatever file is at its path.
 */
#include "log/reader.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A reader without a file.  Returns 0 or -ENOMEM. */
static int reader_init(struct log_reader *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->line);
	r->fd = -1;
	r->block = malloc(LOG_READER_BLOCK);
	return r->block == NULL ? -ENOMEM : 0;
}

int log_reader_open(struct log_reader *r, const char *path)
{
	if (reader_init(r) < 0)
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
	if (r->head != NULL && r->nread < LOG_FOLLOW_HEAD) {
		size_t keep = LOG_FOLLOW_HEAD - (size_t)r->nread;

		buf_add(r->head, r->block, (size_t)n < keep ? (size_t)n : keep);
	}
	r->nread += (uint64_t)n;
	r->pos = 0;
	r->end = (size_t)n;
	return n;
}

int log_reader_next(struct log_reader *r)
{
	bool any = r->partial;
	const char *nl;
	size_t take;
	ssize_t n;

	if (!r->partial) {
		buf_reset(&r->line);
		r->skipping = false;
	}
	r->partial = false;
	for (;;) {
		if (r->pos == r->end) {
			n = refill(r);
			if (n < 0) {
				r->partial = any;
				return (int)n;
			}
			if (n == 0)
				break;
		}
		any = true;
		nl = memchr(r->block + r->pos, '\n', r->end - r->pos);
		take = nl ? (size_t)(nl - (r->block + r->pos))
			  : r->end - r->pos;
		if (!r->skipping && r->line.len + take > LOG_READER_MAX_LINE) {
			r->too_long++;
			buf_reset(&r->line);
			r->skipping = true;
		}
		if (!r->skipping)
			buf_add(&r->line, r->block + r->pos, take);
		r->pos += take;
		if (nl == NULL)
			continue;
		r->pos++; /* the '\n' */
		r->lineno++;
		if (!r->skipping)
			return 1;
		/* the over-long line ends here: go on with the next */
		r->skipping = false;
		any = false;
	}
	if (r->follow) {
		/* wait for the rest of an unfinished line */
		r->partial = any;
		return 0;
	}
	if (!any || r->skipping)
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

/* Follow mode ------------------------------------------------------------ */

#define DIR_EVENTS                                                           \
	(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_MODIFY |   \
	 IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)
#define FILE_EVENTS                                                          \
	(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF |           \
	 IN_MOVE_SELF)

/* Forgets the open file's contents: the next line comes from offset 0. */
static void restart(struct log_follow *f)
{
	f->r.pos = f->r.end = 0;
	f->r.nread = 0;
	f->r.lineno = 0;
	f->r.partial = false;
	f->r.skipping = false;
	buf_reset(&f->r.line);
	buf_reset(&f->head);
}

static void close_file(struct log_follow *f)
{
	if (f->r.fd >= 0)
		close(f->r.fd);
	f->r.fd = -1;
	if (f->ifd >= 0 && f->wd_file >= 0)
		(void)inotify_rm_watch(f->ifd, f->wd_file);
	f->wd_file = -1;
	restart(f);
}

/* (Re)adds the directory watch; harmless when it is already there. */
static void watch_dir(struct log_follow *f)
{
	char *dir;
	size_t len = (size_t)(f->base - f->path);

	if (f->ifd < 0 || f->wd_dir >= 0)
		return;
	if (len == 0) {
		f->wd_dir = inotify_add_watch(f->ifd, ".", DIR_EVENTS);
		return;
	}
	dir = strndup(f->path, len > 1 ? len - 1 : len); /* "/" stays */
	if (dir == NULL)
		return;
	f->wd_dir = inotify_add_watch(f->ifd, dir, DIR_EVENTS);
	free(dir);
}

/* Opens the path.  Returns 0 or -errno; the old file must be closed. */
static int open_file(struct log_follow *f)
{
	struct stat st;
	int fd;

	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	f->r.fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	restart(f);
	if (f->ifd >= 0)
		f->wd_file = inotify_add_watch(f->ifd, f->path, FILE_EVENTS);
	f->err = 0;
	return 0;
}

int log_follow_open(struct log_follow *f, const char *path, bool watch)
{
	const char *slash;
	int r;

	memset(f, 0, sizeof(*f));
	f->ifd = f->wd_dir = f->wd_file = -1;
	buf_init(&f->head);
	r = reader_init(&f->r);
	f->r.follow = true;
	f->r.head = &f->head;
	f->path = strdup(path);
	if (r < 0 || f->path == NULL)
		return -ENOMEM;
	slash = strrchr(f->path, '/');
	f->base = slash ? slash + 1 : f->path;
	if (watch) {
		f->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		watch_dir(f);
	}
	r = open_file(f);
	if (r < 0)
		f->err = -r;
	return r;
}

/* Does the file still start with the bytes read from its start? */
static bool same_head(struct log_follow *f)
{
	char tmp[LOG_FOLLOW_HEAD];
	ssize_t n;

	if (f->head.len == 0)
		return true;
	n = pread(f->r.fd, tmp, f->head.len, 0);
	return n == (ssize_t)f->head.len &&
	       memcmp(tmp, f->head.s, f->head.len) == 0;
}

/*
 * Has the open file shrunk, or been rewritten in place?  Then reading
 * starts over from its beginning: LOG_FOLLOW_TRUNCATED, else IDLE.
 */
static int check_file(struct log_follow *f)
{
	struct stat st;

	if (fstat(f->r.fd, &st) == 0 && (uint64_t)st.st_size >= f->r.nread &&
	    same_head(f))
		return LOG_FOLLOW_IDLE;
	restart(f);
	if (lseek(f->r.fd, 0, SEEK_SET) < 0)
		return -errno;
	return LOG_FOLLOW_TRUNCATED;
}

/*
 * At the end of what could be read: has the path changed under us?
 * Returns an event, or LOG_FOLLOW_IDLE.
 */
static int check_path(struct log_follow *f)
{
	struct stat st;
	int r;

	if (f->r.fd < 0) {
		watch_dir(f);
		r = open_file(f);
		if (r == 0)
			return LOG_FOLLOW_CREATED;
		if (r == -ENOENT || r == -ENOTDIR) {
			f->err = 0;
			return LOG_FOLLOW_IDLE;
		}
		if (-r == f->err)
			return LOG_FOLLOW_IDLE;
		f->err = -r;
		return LOG_FOLLOW_INACCESSIBLE;
	}
	if (stat(f->path, &st) < 0) {
		/* everything the old file held has been read: let it go */
		close_file(f);
		f->err = 0;
		return LOG_FOLLOW_REMOVED;
	}
	if (st.st_dev != f->dev || st.st_ino != f->ino) {
		close_file(f);
		r = open_file(f);
		if (r == 0)
			return LOG_FOLLOW_REPLACED;
		f->err = -r;
		return r == -ENOENT ? LOG_FOLLOW_REMOVED
				    : LOG_FOLLOW_INACCESSIBLE;
	}
	return check_file(f);
}

int log_follow_next(struct log_follow *f)
{
	int r;

	/*
	 * After a pause, look at the open file before reading on: one
	 * truncated and written again past our offset would otherwise hand
	 * out the middle of its new contents.  (A file replaced at the path
	 * is read to its end first, below.)
	 */
	if (f->stale) {
		f->stale = false;
		if (f->r.fd >= 0 && (r = check_file(f)) != LOG_FOLLOW_IDLE)
			return r;
	}
	if (f->r.fd >= 0) {
		r = log_reader_next(&f->r);
		if (r != 0)
			return r;
	}
	r = check_path(f);
	if (r == LOG_FOLLOW_IDLE)
		f->stale = true;
	return r;
}

/* Reads the queued inotify events: does one concern our file? */
static bool drain_events(struct log_follow *f)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	bool ours = false;
	ssize_t n;
	char *p;

	while ((n = read(f->ifd, ev, sizeof(ev))) > 0) {
		for (p = ev; p < ev + n; p += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)p;
			if (e->mask & IN_Q_OVERFLOW) {
				ours = true;
			} else if (e->wd == f->wd_file) {
				ours = true;
			} else if (e->wd == f->wd_dir) {
				if (e->mask & (IN_IGNORED | IN_DELETE_SELF |
					       IN_MOVE_SELF)) {
					if (e->mask & IN_IGNORED)
						f->wd_dir = -1;
					ours = true;
				} else if (e->len > 0 &&
					   strcmp(e->name, f->base) == 0) {
					ours = true;
				}
			}
			if (e->wd == f->wd_file && (e->mask & IN_IGNORED))
				f->wd_file = -1;
		}
	}
	return ours;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int log_follow_wait(struct log_follow *f, const sigset_t *sigmask)
{
	struct pollfd pfd = { .fd = f->ifd, .events = POLLIN };
	bool watching = f->ifd >= 0 && f->wd_dir >= 0;
	long long end = now_ms() +
			(watching ? LOG_FOLLOW_RECHECK_MS : LOG_FOLLOW_POLL_MS);
	long long left;
	struct timespec ts;
	int n;

	for (;;) {
		left = end - now_ms();
		if (left <= 0)
			return 0; /* time to re-check anyway */
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000L;
		n = ppoll(&pfd, f->ifd >= 0 ? 1 : 0, &ts, sigmask);
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (drain_events(f))
			return 0;
		/* events about other files of the directory: wait on */
	}
}

void log_follow_close(struct log_follow *f)
{
	if (f->r.fd >= 0)
		close(f->r.fd);
	f->r.fd = -1;
	log_reader_close(&f->r);
	if (f->ifd >= 0)
		close(f->ifd);
	f->ifd = -1;
	buf_release(&f->head);
	free(f->path);
	f->path = NULL;
}
