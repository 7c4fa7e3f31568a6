/*
 * test_reader.c: unit tests for src/log/reader.c: lines cut at '\n'
 * across block boundaries, an over-long line skipped and counted (and
 * memory kept bounded), a last line without '\n', empty files; follow
 * mode (tail -F): a partial last line waits for its end, and a file
 * created late, truncated, rewritten in place, replaced or removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log/reader.h"
#include "unit.h"

static char path[] = "/tmp/capsule-test-reader-XXXXXX";

static void write_file(const char *data, size_t len)
{
	int fd;

	memcpy(path + sizeof(path) - 7, "XXXXXX", 6);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

TEST(test_lines_and_torn_last_line)
{
	static const char data[] = "first\n\n{\"type\":\"syscall\"}\nlast";
	struct log_reader r;

	write_file(data, sizeof(data) - 1);
	CHECK_EQ_INT(log_reader_open(&r, path), 0);
	CHECK_EQ_INT(log_reader_next(&r), 1);
	CHECK_EQ_STR(r.line.s, "first");
	CHECK_EQ_INT(log_reader_next(&r), 1);
	CHECK_EQ_STR(r.line.s, "");
	CHECK_EQ_INT(log_reader_next(&r), 1);
	CHECK_EQ_STR(r.line.s, "{\"type\":\"syscall\"}");
	CHECK_EQ_INT(log_reader_next(&r), 1);
	CHECK_EQ_STR(r.line.s, "last");
	CHECK_EQ_INT(r.lineno, 4);
	CHECK_EQ_INT(log_reader_next(&r), 0);
	CHECK_EQ_INT(log_reader_next(&r), 0);
	log_reader_close(&r);
	unlink(path);
}

TEST(test_long_lines)
{
	size_t big = LOG_READER_MAX_LINE + 10, fits = 3 * LOG_READER_BLOCK;
	size_t len = 2 + big + 1 + fits + 1 + 2 + big, at = 0;
	char *data = malloc(len);
	struct log_reader r;

	memcpy(data, "a\n", 2), at = 2;
	memset(data + at, 'x', big), at += big;
	data[at++] = '\n';
	/* longer than a block, shorter than the limit: kept whole */
	memset(data + at, 'y', fits), at += fits;
	data[at++] = '\n';
	memcpy(data + at, "b\n", 2), at += 2;
	/* the file ends inside an over-long line */
	memset(data + at, 'z', big), at += big;
	CHECK_EQ_INT(at, len);
	write_file(data, len);
	free(data);

	CHECK_EQ_INT(log_reader_open(&r, path), 0);
	CHECK_EQ_INT(log_reader_next(&r), 1);
	CHECK_EQ_STR(r.line.s, "a");
	CHECK_EQ_INT(log_reader_next(&r), 1);
	CHECK_EQ_INT(r.line.len, fits);
	CHECK(r.line.s[0] == 'y' && r.line.s[fits - 1] == 'y');
	CHECK_EQ_INT(log_reader_next(&r), 1);
	CHECK_EQ_STR(r.line.s, "b");
	CHECK_EQ_INT(r.lineno, 4);
	CHECK_EQ_INT(log_reader_next(&r), 0);
	CHECK_EQ_INT(r.too_long, 2);
	/* never held more than the limit plus one block */
	CHECK(r.line.cap <= LOG_READER_MAX_LINE + LOG_READER_BLOCK + 1);
	log_reader_close(&r);
	unlink(path);
}

TEST(test_empty_and_missing)
{
	struct log_reader r;

	write_file("", 0);
	CHECK_EQ_INT(log_reader_open(&r, path), 0);
	CHECK_EQ_INT(log_reader_next(&r), 0);
	log_reader_close(&r);
	unlink(path);
	CHECK(log_reader_open(&r, "/nonexistent/capsule.log") < 0);
	log_reader_close(&r);
}

/* Appends (or with trunc, rewrites) the file at p. */
static void put(const char *p, const char *data, bool trunc)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC |
				 (trunc ? O_TRUNC : O_APPEND),
		      0600);

	CHECK(fd >= 0);
	CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data));
	close(fd);
}

/* The next follower result; with a line, it must equal `want`. */
#define CHECK_NEXT(f, ev, want)                                              	do {                                                                 		int ev_ = log_follow_next(f);                                		CHECK_EQ_INT(ev_, ev);                                       		if (ev_ == LOG_FOLLOW_LINE)                                  			CHECK_EQ_STR((f)->r.line.s, want);                   	} while (0)

TEST(test_follow_partial_and_created)
{
	char dir[] = "/tmp/capsule-test-follow-XXXXXX", p[64];
	struct log_follow f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p, sizeof(p), "%s/log", dir);
	CHECK_EQ_INT(log_follow_open(&f, p, true), -ENOENT);
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	put(p, "one\ntw", false);
	CHECK_NEXT(&f, LOG_FOLLOW_CREATED, NULL);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "one");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL); /* "tw" waits for its end */
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	put(p, "o\nthree\n", false);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "two");
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "three");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	CHECK_EQ_INT(f.r.lineno, 3);
	log_follow_close(&f);
	unlink(p);
	rmdir(dir);
}

TEST(test_follow_truncated_rewritten_replaced_removed)
{
	char dir[] = "/tmp/capsule-test-follow-XXXXXX", p[64], q[64];
	struct log_follow f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p, sizeof(p), "%s/log", dir);
	snprintf(q, sizeof(q), "%s/new", dir);
	put(p, "run 1 line 1\nrun 1 line 2\n", true);
	CHECK_EQ_INT(log_follow_open(&f, p, true), 0);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "run 1 line 1");
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "run 1 line 2");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	/* shorter: truncated */
	put(p, "x\n", true);
	CHECK_NEXT(&f, LOG_FOLLOW_TRUNCATED, NULL);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "x");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	/* rewritten in place, and already longer than what was read */
	put(p, "run 2 line 1\nrun 2 line 2\n", true);
	CHECK_NEXT(&f, LOG_FOLLOW_TRUNCATED, NULL);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "run 2 line 1");
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "run 2 line 2");
	/* another file renamed over it; an unfinished line is dropped */
	put(p, "torn", false);
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	put(q, "run 3\n", true);
	CHECK_EQ_INT(rename(q, p), 0);
	CHECK_NEXT(&f, LOG_FOLLOW_REPLACED, NULL);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "run 3");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	/* removed, then created again */
	CHECK_EQ_INT(unlink(p), 0);
	CHECK_NEXT(&f, LOG_FOLLOW_REMOVED, NULL);
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	put(p, "run 4\n", true);
	CHECK_NEXT(&f, LOG_FOLLOW_CREATED, NULL);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "run 4");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	log_follow_close(&f);
	unlink(p);
	rmdir(dir);
}

TEST(test_follow_drains_a_replaced_file)
{
	char dir[] = "/tmp/capsule-test-follow-XXXXXX", p[64], q[64];
	struct log_follow f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p, sizeof(p), "%s/log", dir);
	snprintf(q, sizeof(q), "%s/new", dir);
	put(p, "old 1\n", true);
	CHECK_EQ_INT(log_follow_open(&f, p, true), 0);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "old 1");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	/* while tail waits: the old file's last lines, then a new file */
	put(p, "old 2\n", false);
	put(q, "new 1\n", true);
	CHECK_EQ_INT(rename(q, p), 0);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "old 2");
	CHECK_NEXT(&f, LOG_FOLLOW_REPLACED, NULL);
	CHECK_NEXT(&f, LOG_FOLLOW_LINE, "new 1");
	CHECK_NEXT(&f, LOG_FOLLOW_IDLE, NULL);
	log_follow_close(&f);
	unlink(p);
	rmdir(dir);
}

TEST(test_follow_not_a_file)
{
	struct log_follow f;

	CHECK_EQ_INT(log_follow_open(&f, "/tmp", false), -EISDIR);
	log_follow_close(&f);
	CHECK_EQ_INT(log_follow_open(&f, "/dev/null", false), -EINVAL);
	log_follow_close(&f);
}

UNIT_MAIN(UNIT_T(test_lines_and_torn_last_line), UNIT_T(test_long_lines),
	  UNIT_T(test_empty_and_missing),
	  UNIT_T(test_follow_partial_and_created),
	  UNIT_T(test_follow_truncated_rewritten_replaced_removed),
	  UNIT_T(test_follow_drains_a_replaced_file),
	  UNIT_T(test_follow_not_a_file))
