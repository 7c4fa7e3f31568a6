/*
 * test_reader.c: unit tests for src/log/reader.c: lines cut at '\n'
 * across block boundaries, an over-long line skipped and counted (and
 * memory kept bounded), a last line without '\n', empty files.
 */
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

UNIT_MAIN(UNIT_T(test_lines_and_torn_last_line), UNIT_T(test_long_lines),
	  UNIT_T(test_empty_and_missing))
