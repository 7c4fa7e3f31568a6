/*
 * test_tail.c: unit tests for `capsule tail`'s pure parts: the terminal
 * rendering of records (src/tail/pretty.c) and the record filters
 * (src/tail/filter.c), on fixed lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tail/filter.h"
#include "tail/pretty.h"
#include "unit.h"

static const struct pretty_opts plain = { .color = false, .verbose = false };

/* The rendering of `line` without colour ("" when hidden). */
static char *render(const struct pretty_opts *o, const char *line)
{
	struct buf out = BUF_INIT;

	(void)pretty_line(o, line, strlen(line), &out);
	return buf_detach(&out, NULL);
}

#define CHECK_RENDER(o, line, expect)                                        \
	do {                                                                 \
		char *got_ = render(o, line);                                \
		CHECK_EQ_STR(got_, expect);                                  \
		free(got_);                                                  \
	} while (0)

static const char openat_line[] =
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":12,\"prev\":"
	"\"00\",\"ts\":\"2026-11-28T12:00:00.123456789Z\",\"pid\":1234,"
	"\"tid\":1234,\"abi\":\"x86_64\",\"syscall\":\"openat\",\"nr\":257,"
	"\"args\":{\"dirfd\":\"AT_FDCWD\",\"pathname\":\"/etc/passwd\","
	"\"flags\":\"O_RDONLY|O_CLOEXEC\",\"mode\":0},\"raw\":[18446744073709551516,"
	"94338573832192,524288,0,0,0],\"ret\":3,\"dur_ns\":15230,"
	"\"hash\":\"ff\"}";

TEST(test_syscall_like_strace)
{
	/* a raw register beyond int64 does not make the line malformed */
	CHECK_RENDER(&plain, openat_line,
		     "12:00:00.123456 1234 openat(AT_FDCWD, \"/etc/passwd\", "
		     "O_RDONLY|O_CLOEXEC, 0) = 3 <0.000015>\n");
}

TEST(test_syscall_failed_unfinished_thread)
{
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"ts\":\"2026-11-28T12:00:01.000001000Z\","
		     "\"pid\":7,\"tid\":8,\"abi\":\"x86_64\",\"syscall\":\"access\","
		     "\"nr\":21,\"args\":{\"pathname\":\"README\",\"mode\":\"R_OK\"},"
		     "\"ret\":-1,\"errno\":\"ENOENT\",\"errno_nr\":2,\"dur_ns\":1000}",
		     "12:00:01.000001 7/8 access(\"README\", R_OK) = -1 ENOENT "
		     "(No such file or directory) <0.000001>\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"ts\":\"2026-11-28T12:00:02.000000000Z\","
		     "\"pid\":7,\"tid\":7,\"abi\":\"x86_64\",\"syscall\":\"exit_group\","
		     "\"nr\":231,\"args\":{\"status\":0},\"unfinished\":true,"
		     "\"unfinished_why\":\"exited\"}",
		     "12:00:02.000000 7 exit_group(0) = ? <unfinished: exited>\n");
}

TEST(test_syscall_values)
{
	/* argv quoted, a cut list, a cut string, a bad pointer, a struct,
	 * mmap's result in hex, another ABI */
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"ts\":\"2026-11-28T12:00:00.000000000Z\","
		     "\"pid\":1,\"tid\":1,\"abi\":\"x86_64\",\"syscall\":\"execve\","
		     "\"nr\":59,\"args\":{\"pathname\":{\"str\":\"/bin/l\","
		     "\"truncated\":true},\"argv\":{\"list\":[\"ls\",\"-l\"],"
		     "\"truncated\":true},\"envp\":{\"addr\":\"0x10\","
		     "\"error\":\"EFAULT\"}},\"ret\":0,\"dur_ns\":5}",
		     "12:00:00.000000 1 execve(\"/bin/l\"..., [\"ls\", \"-l\", ...], "
		     "0x10) = 0 <0.000000>\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"pid\":1,\"abi\":\"x86_64\","
		     "\"syscall\":\"connect\",\"nr\":42,\"args\":{\"sockfd\":3,"
		     "\"addr\":{\"family\":\"AF_INET\",\"addr\":\"127.0.0.1\","
		     "\"port\":80},\"addrlen\":16},\"ret\":0}",
		     "- 1 connect(3, {family=AF_INET, addr=\"127.0.0.1\", "
		     "port=80}, 16) = 0\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"pid\":1,\"abi\":\"x86_64\","
		     "\"syscall\":\"mmap\",\"nr\":9,\"args\":{\"addr\":null},"
		     "\"ret\":139637976727552}",
		     "- 1 mmap(NULL) = 0x7f0000000000\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"pid\":1,\"abi\":\"i386\","
		     "\"syscall\":\"getpid\",\"nr\":20,\"args\":{},\"ret\":1}",
		     "- 1 [i386] getpid() = 1\n");
	/* no table row: symbolic strings bare, others quoted */
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"pid\":1,\"syscall\":\"made_up\","
		     "\"args\":{\"a\":\"FOO_BAR|0x10\",\"b\":\"hello world\"},"
		     "\"ret\":0}",
		     "- 1 made_up(FOO_BAR|0x10, \"hello world\") = 0\n");
}

TEST(test_hostile_bytes_escaped)
{
	/* ESC, a C1 CSI, a quote and a newline from the tracee */
	CHECK_RENDER(&plain,
		     "{\"type\":\"syscall\",\"pid\":1,\"abi\":\"x86_64\","
		     "\"syscall\":\"openat\",\"nr\":257,\"args\":{\"dirfd\":3,"
		     "\"pathname\":\"a\\u001b[31m\\u009b\\\"\\n\",\"flags\":"
		     "\"O_RDONLY\",\"mode\":0},\"ret\":4}",
		     "- 1 openat(3, \"a\\x1b[31m\\xc2\\x9b\\\"\\n\", O_RDONLY, 0) = "
		     "4\n");
	CHECK_RENDER(&plain, "not json \x1b[2J",
		     "[malformed] not json \\x1b[2J\n");
	CHECK_RENDER(&plain, "[1,2]", "[malformed] [1,2]\n");
}

TEST(test_genesis_seal_alert_unknown)
{
	struct pretty_opts verbose = { .verbose = true };
	static const char seal[] =
		"{\"type\":\"seal\",\"stream\":\"seal\",\"seq\":3,\"final\":false,"
		"\"reason\":\"time\",\"ts\":\"2026-11-28T12:00:05.000000000Z\"}";

	CHECK_RENDER(&plain,
		     "{\"type\":\"genesis\",\"run_id\":\"abcd\",\"host\":\"vm\","
		     "\"ts\":\"2026-11-28T12:00:00.000000000Z\",\"uid\":0,"
		     "\"argv\":[\"sh\",\"-c\",\"echo hi\"]}",
		     "=== run abcd started 2026-11-28T12:00:00.000000000Z on vm "
		     "uid 0: sh -c \"echo hi\"\n");
	CHECK_RENDER(&plain, seal, "");
	CHECK_RENDER(&verbose, seal,
		     "12:00:05.000000 --- seal 3 (time)\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"seal\",\"seq\":0,\"final\":true,\"reason\":"
		     "\"final\",\"ts\":\"2026-11-28T12:00:06.000000000Z\","
		     "\"exit\":{\"code\":137,\"signal\":9}}",
		     "12:00:06.000000 --- seal 0 (final): end of run, exit 137, "
		     "killed by signal 9\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"alert\",\"ts\":\"2026-11-28T12:00:07.000000000Z\","
		     "\"pid\":9,\"rule\":\"credential-access\",\"severity\":\"high\","
		     "\"summary\":\"read /etc/shadow\",\"evidence\":[[\"syscalls\",4]]}",
		     "12:00:07.000000 9 ALERT HIGH credential-access: read "
		     "/etc/shadow\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"action\",\"stream\":\"actions\",\"seq\":0,"
		     "\"ts\":\"2026-11-28T12:00:08.000000000Z\",\"pid\":9,"
		     "\"action\":\"file.read\",\"path\":\"/etc/hosts\",\"bytes\":42,"
		     "\"note\":\"a b\",\"hash\":\"00\"}",
		     "12:00:08.000000 9 action action=file.read path=/etc/hosts "
		     "bytes=42 note=\"a b\"\n");
}

TEST(test_action_summary_line)
{
	struct pretty_opts verbose = { .verbose = true };
	char *got;
	static const char spawn[] =
		"{\"type\":\"action\",\"stream\":\"actions\",\"seq\":3,"
		"\"ts\":\"2026-11-28T12:00:09.000000000Z\",\"pid\":10,"
		"\"action\":\"process.spawn\",\"resource\":\"/bin/ls\","
		"\"argv\":[\"ls\",\"-l a\"],\"calls\":1,\"end\":\"instant\"}";

	CHECK_RENDER(&plain,
		     "{\"type\":\"action\",\"ts\":\"2026-11-28T12:00:08.0000"
		     "00000Z\",\"pid\":9,\"action\":\"file.read\",\"resource\":"
		     "\"/etc/hosts\",\"class\":\"system_config\",\"calls\":5,"
		     "\"errors\":1,\"bytes_in\":2400,\"bytes_out\":0,"
		     "\"end\":\"close\"}",
		     "12:00:08.000000 9 file.read /etc/hosts [system_config] 5 "
		     "calls, 1 failed, 2400 B in (close)\n");
	CHECK_RENDER(&plain,
		     "{\"type\":\"action\",\"ts\":\"2026-11-28T12:00:08.0000"
		     "00000Z\",\"pid\":9,\"action\":\"file.rename\",\"resource\":"
		     "\"/a\",\"resource2\":\"/b\",\"calls\":1}",
		     "12:00:08.000000 9 file.rename /a -> /b 1 call\n");
	CHECK_RENDER(&plain, spawn,
		     "12:00:09.000000 10 process.spawn /bin/ls: ls \"-l a\" 1 call "
		     "(instant)\n");
	/* -v shows every member */
	got = render(&verbose, spawn);
	CHECK(strstr(got, "seq=3") != NULL);
	free(got);
}

TEST(test_colour)
{
	struct pretty_opts c = { .color = true };
	char *s = render(&c,
			 "{\"type\":\"syscall\",\"pid\":1,\"syscall\":\"close\","
			 "\"abi\":\"x86_64\",\"nr\":3,\"args\":{\"fd\":9},"
			 "\"ret\":-1,\"errno\":\"EBADF\",\"errno_nr\":9}");

	CHECK(strstr(s, "\033[31m-1 EBADF") != NULL);
	CHECK(strstr(s, "\033[1mclose\033[0m(9)") != NULL);
	free(s);
	s = render(&c, "{\"type\":\"alert\",\"severity\":\"critical\","
		       "\"rule\":\"r\"}");
	CHECK(strstr(s, "\033[1;97;41mALERT CRITICAL r") != NULL);
	free(s);
	s = render(&plain, "{\"type\":\"alert\",\"severity\":\"critical\"}");
	CHECK(strchr(s, '\033') == NULL);
	free(s);
}

static bool passes(const struct tail_filter *f, const char *line)
{
	json_t *rec = pretty_parse(line, strlen(line));
	bool r = tail_filter_match(f, rec);

	json_decref(rec);
	return r;
}

static const char genesis_line[] = "{\"type\":\"genesis\",\"run_id\":\"a\"}";
static const char alert_med[] =
	"{\"type\":\"alert\",\"pid\":9,\"severity\":\"medium\",\"class\":"
	"\"credentials\"}";
static const char alert_crit[] =
	"{\"type\":\"alert\",\"pid\":10,\"severity\":\"critical\"}";
static const char seal_line[] = "{\"type\":\"seal\",\"seq\":0}";

TEST(test_filter_empty_passes_all)
{
	struct tail_filter f = TAIL_FILTER_INIT;

	CHECK(!tail_filter_active(&f));
	CHECK(passes(&f, openat_line));
	CHECK(passes(&f, seal_line));
	CHECK(passes(&f, "garbage"));
	tail_filter_release(&f);
}

TEST(test_filter_type_pid_syscall)
{
	struct tail_filter f = TAIL_FILTER_INIT;

	CHECK_EQ_INT(tail_filter_add_types(&f, "syscall,alert"), 0);
	CHECK(tail_filter_active(&f));
	CHECK(passes(&f, openat_line));
	CHECK(passes(&f, alert_med));
	CHECK(!passes(&f, seal_line));
	CHECK(!passes(&f, genesis_line)); /* --type hides run headers */
	CHECK(!passes(&f, "garbage"));
	tail_filter_release(&f);

	CHECK_EQ_INT(tail_filter_add_pids(&f, "1234"), 0);
	CHECK_EQ_INT(tail_filter_add_pids(&f, "9,11"), 0);
	CHECK_EQ_INT(f.npids, 3);
	CHECK(passes(&f, openat_line)); /* pid parsed as a real: still 1234 */
	CHECK(passes(&f, alert_med));
	CHECK(!passes(&f, alert_crit));
	CHECK(!passes(&f, seal_line));
	CHECK(passes(&f, genesis_line)); /* only --type hides it */
	tail_filter_release(&f);

	CHECK_EQ_INT(tail_filter_add_syscalls(&f, "close,openat"), 0);
	CHECK(passes(&f, openat_line));
	CHECK(!passes(&f, alert_med));
	tail_filter_release(&f);
}

TEST(test_filter_class_severity)
{
	struct tail_filter f = TAIL_FILTER_INIT;

	CHECK_EQ_INT(tail_filter_add_classes(&f, "credentials"), 0);
	CHECK(passes(&f, alert_med));
	CHECK(!passes(&f, alert_crit));
	CHECK(!passes(&f, openat_line));
	CHECK(passes(&f, "{\"type\":\"action\",\"class\":[\"net\","
			 "\"credentials\"]}"));
	tail_filter_release(&f);

	CHECK_EQ_INT(tail_filter_set_severity(&f, "high"), 0);
	CHECK(!passes(&f, alert_med));
	CHECK(passes(&f, alert_crit));
	CHECK(!passes(&f, openat_line));
	CHECK(!passes(&f, "{\"type\":\"alert\",\"severity\":\"bogus\"}"));
	CHECK_EQ_INT(tail_filter_set_severity(&f, "medium"), 0);
	CHECK(passes(&f, alert_med));
	tail_filter_release(&f);
}

TEST(test_filter_bad_values)
{
	struct tail_filter f = TAIL_FILTER_INIT;

	CHECK_EQ_INT(tail_filter_add_pids(&f, "12x"), -EINVAL);
	CHECK_EQ_INT(tail_filter_add_pids(&f, "0"), -EINVAL);
	CHECK_EQ_INT(tail_filter_add_pids(&f, "1,"), -EINVAL);
	CHECK_EQ_INT(tail_filter_add_pids(&f, "-5"), -EINVAL);
	CHECK_EQ_INT(tail_filter_add_types(&f, ""), -EINVAL);
	CHECK_EQ_INT(tail_filter_add_types(&f, "a,,b"), -EINVAL);
	CHECK_EQ_INT(tail_filter_add_types(&f, "Syscall"), -EINVAL);
	CHECK_EQ_INT(tail_filter_set_severity(&f, "urgent"), -EINVAL);
	CHECK_EQ_INT(tail_severity("critical"), SEV_CRITICAL);
	tail_filter_release(&f);
	tail_filter_release(NULL);
}

UNIT_MAIN(UNIT_T(test_syscall_like_strace), UNIT_T(test_action_summary_line),
	  UNIT_T(test_syscall_failed_unfinished_thread),
	  UNIT_T(test_syscall_values), UNIT_T(test_hostile_bytes_escaped),
	  UNIT_T(test_genesis_seal_alert_unknown), UNIT_T(test_colour),
	  UNIT_T(test_filter_empty_passes_all),
	  UNIT_T(test_filter_type_pid_syscall),
	  UNIT_T(test_filter_class_severity), UNIT_T(test_filter_bad_values))
