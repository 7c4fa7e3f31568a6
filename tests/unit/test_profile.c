/*
 * test_profile.c: unit tests for src/profile/: profiles generated from
 * synthetic log lines (defaults, architectures, the rules dropped because
 * they equal the default, clone3's ENOSYS, argument filters, lines that
 * must be skipped), --diff on sets, profiles read back, and the
 * --seccomp filter, inspected (its verdicts) and then loaded in a child
 * (the libseccomp way: "sim" then "live").
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode/syscalls.h"
#include "profile/filter.h"
#include "profile/profile.h"
#include "profile/sysset.h"
#include "unit.h"

#define REC(abi, name)                                                       \
	"{\"type\":\"syscall\",\"seq\":0,\"abi\":\"" abi "\",\"syscall\":\"" \
	name "\",\"nr\":0,\"args\":[0,0,0,0,0,0],\"ret\":0}"

static void feed(struct sysset *s, struct profile_stats *st,
		 const char *const *lines)
{
	for (; *lines != NULL; lines++)
		(void)profile_feed_line(s, *lines, strlen(*lines), st);
}

/* Generates with `o` and parses the result back. */
static json_t *generate(const struct sysset *s, const struct profile_opts *o)
{
	char *text = NULL;
	json_t *j;

	CHECK_EQ_INT(profile_generate(s, o, &text), 0);
	if (text == NULL)
		return NULL;
	j = json_loads(text, 0, NULL);
	free(text);
	CHECK(j != NULL);
	return j;
}

/* The rule whose names include `name`, or NULL. */
static const json_t *rule_of(const json_t *p, const char *name)
{
	const json_t *rules = json_object_get(p, "syscalls"), *r, *n;
	size_t i, k;

	json_array_foreach(rules, i, r)
		json_array_foreach(json_object_get(r, "names"), k, n)
			if (strcmp(json_string_value(n), name) == 0)
				return r;
	return NULL;
}

static const char *action_of(const json_t *p, const char *name)
{
	return json_string_value(json_object_get(rule_of(p, name), "action"));
}

/* Every rule's names are sorted and no name is in two rules without
 * arguments: the invariants of a generated profile. */
static void check_invariants(const json_t *p)
{
	const json_t *rules = json_object_get(p, "syscalls"), *r, *n;
	json_t *seen = json_object();
	size_t i, k;

	json_array_foreach(rules, i, r) {
		const char *prev = "";
		const json_t *names = json_object_get(r, "names");

		CHECK(json_array_size(names) > 0);
		CHECK(json_is_string(json_object_get(r, "comment")));
		json_array_foreach(names, k, n) {
			const char *s = json_string_value(n);

			CHECK(strcmp(prev, s) < 0);
			prev = s;
			if (json_object_get(r, "args") == NULL) {
				CHECK(json_object_get(seen, s) == NULL);
				json_object_set_new(seen, s, json_true());
			}
		}
		/* never a rule equal to the default */
		if (!strcmp(json_string_value(json_object_get(r, "action")),
			    "SCMP_ACT_ERRNO"))
			CHECK(json_integer_value(json_object_get(r, "errnoRet")) !=
			      json_integer_value(
				      json_object_get(p, "defaultErrnoRet")));
	}
	json_decref(seen);
}

TEST(test_defaults)
{
	static const char *const lines[] = {
		REC("x86_64", "write"), REC("x86_64", "openat"),
		REC("x86_64", "execve"), REC("x86_64", "write"), NULL,
	};
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct profile_opts o = PROFILE_OPTS_INIT;
	const json_t *arches, *first;
	json_t *p;

	feed(&s, &st, lines);
	CHECK_EQ_INT(st.records, 4);
	p = generate(&s, &o);
	check_invariants(p);
	CHECK_EQ_STR(json_string_value(json_object_get(p, "defaultAction")),
		     "SCMP_ACT_ERRNO");
	CHECK_EQ_INT(json_integer_value(json_object_get(p, "defaultErrnoRet")),
		     EPERM);
	arches = json_object_get(p, "architectures");
	CHECK_EQ_INT(json_array_size(arches), 1);
	CHECK_EQ_STR(json_string_value(json_array_get(arches, 0)),
		     "SCMP_ARCH_X86_64");
	/* observed first, sorted */
	first = json_object_get(json_array_get(json_object_get(p, "syscalls"),
					       0),
				"names");
	CHECK_EQ_INT(json_array_size(first), 3);
	CHECK_EQ_STR(json_string_value(json_array_get(first, 0)), "execve");
	CHECK_EQ_STR(json_string_value(json_array_get(first, 2)), "write");
	/* vDSO and rare paths added, with a comment */
	CHECK_EQ_STR(action_of(p, "clock_gettime"), "SCMP_ACT_ALLOW");
	CHECK_EQ_STR(action_of(p, "rt_sigreturn"), "SCMP_ACT_ALLOW");
	CHECK_EQ_STR(action_of(p, "exit_group"), "SCMP_ACT_ALLOW");
	/* not on x86_64: not named */
	CHECK(rule_of(p, "sigreturn") == NULL);
	CHECK(rule_of(p, "clock_gettime64") == NULL);
	/* abort() still works */
	CHECK_EQ_STR(action_of(p, "tgkill"), "SCMP_ACT_ALLOW");
	/* no clone: no thread contention */
	CHECK(rule_of(p, "futex") == NULL);
	/* not observed, not added */
	CHECK(rule_of(p, "socket") == NULL);
	CHECK(rule_of(p, "capset") == NULL);
	json_decref(p);
	sysset_release(&s);
}

TEST(test_clone3_enosys)
{
	static const char *const without[] = { REC("x86_64", "clone"), NULL };
	static const char *const with[] = { REC("x86_64", "clone3"), NULL };
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct profile_opts o = PROFILE_OPTS_INIT;
	json_t *p;

	feed(&s, &st, without);
	p = generate(&s, &o);
	/* clone seen: the calls contention may add */
	CHECK_EQ_STR(action_of(p, "futex"), "SCMP_ACT_ALLOW");
	CHECK_EQ_STR(action_of(p, "clone3"), "SCMP_ACT_ERRNO");
	CHECK_EQ_INT(json_integer_value(
			     json_object_get(rule_of(p, "clone3"), "errnoRet")),
		     ENOSYS);
	CHECK_EQ_STR(action_of(p, "faccessat2"), "SCMP_ACT_ERRNO");
	check_invariants(p);
	json_decref(p);

	/* observed: allowed, not ENOSYS */
	feed(&s, &st, with);
	p = generate(&s, &o);
	CHECK_EQ_STR(action_of(p, "clone3"), "SCMP_ACT_ALLOW");
	check_invariants(p);
	json_decref(p);
	sysset_release(&s);
}

TEST(test_default_equal_rule_dropped)
{
	static const char *const lines[] = { REC("x86_64", "read"), NULL };
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct profile_opts o = PROFILE_OPTS_INIT;
	json_t *p;

	o.default_errno = ENOSYS;
	feed(&s, &st, lines);
	p = generate(&s, &o);
	CHECK_EQ_INT(json_integer_value(json_object_get(p, "defaultErrnoRet")),
		     ENOSYS);
	/* the ENOSYS rule would equal the default: gone */
	CHECK(rule_of(p, "clone3") == NULL);
	check_invariants(p);
	json_decref(p);
	sysset_release(&s);
}

TEST(test_architectures)
{
	static const char *const lines[] = {
		REC("i386", "sigreturn"), REC("x32", "read"),
		REC("x86_64", "read"), NULL,
	};
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct profile_opts o = PROFILE_OPTS_INIT;
	const json_t *arches;
	json_t *p;

	feed(&s, &st, lines);
	p = generate(&s, &o);
	arches = json_object_get(p, "architectures");
	CHECK_EQ_INT(json_array_size(arches), 3);
	CHECK_EQ_STR(json_string_value(json_array_get(arches, 0)),
		     "SCMP_ARCH_X86_64");
	CHECK_EQ_STR(json_string_value(json_array_get(arches, 1)),
		     "SCMP_ARCH_X86");
	CHECK_EQ_STR(json_string_value(json_array_get(arches, 2)),
		     "SCMP_ARCH_X32");
	/* i386-only calls are named once i386 is in */
	CHECK_EQ_STR(action_of(p, "sigreturn"), "SCMP_ACT_ALLOW");
	CHECK_EQ_STR(action_of(p, "clock_gettime64"), "SCMP_ACT_ALLOW");
	CHECK_EQ_STR(action_of(p, "futex_time64"), "SCMP_ACT_ERRNO");
	check_invariants(p);
	json_decref(p);
	sysset_release(&s);
}

TEST(test_skipped_lines)
{
	static const char *const lines[] = {
		"{\"type\":\"genesis\",\"stream\":\"syscalls\",\"hash\":\"00\"}",
		"not json",
		"{\"type\":\"syscall\",\"abi\":\"x86_64\"}",
		"{\"type\":\"syscall\",\"abi\":\"x86_64\",\"syscall\":\"syscall_"
		"999\",\"nr\":999}",
		"{\"type\":\"syscall\",\"abi\":\"sparc\",\"syscall\":\"read\"}",
		"",
		/* extra fields and a hash chain: still a record */
		"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"prev\":\"ab\","
		"\"hash\":\"cd\",\"abi\":\"x86_64\",\"syscall\":\"read\","
		"\"args\":[18446744073709551516,1,2,3,4,5],\"ret\":0}",
		"{\"type\":\"seal\",\"hash\":\"ef\"}",
		NULL,
	};
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };

	feed(&s, &st, lines);
	CHECK_EQ_INT(st.lines, 8);
	CHECK_EQ_INT(st.records, 1);
	CHECK_EQ_INT(st.bad, 2);
	CHECK_EQ_INT(st.unnamed, 1);
	CHECK_EQ_INT(st.foreign_abi, 1);
	CHECK(sysset_find(&s, ABI_X86_64, "read") != NULL);
	CHECK(sysset_find(&s, ABI_X86_64, "syscall_999") == NULL);
	/* a value beyond 2^53 is not exact: unknown, not a wrong number */
	CHECK(sysset_find(&s, ABI_X86_64, "read")->args[0].unknown);
	CHECK_EQ_INT(sysset_find(&s, ABI_X86_64, "read")->args[1].values[0],
		     1);
	sysset_release(&s);
}

TEST(test_arg_filters)
{
	static const char *const lines[] = {
		"{\"type\":\"syscall\",\"abi\":\"x86_64\",\"syscall\":"
		"\"personality\",\"args\":[4294967295,0,0,0,0,0]}",
		"{\"type\":\"syscall\",\"abi\":\"x86_64\",\"syscall\":"
		"\"personality\",\"args\":{\"persona\":\"PER_LINUX\"},"
		"\"raw\":[0,0,0,0,0,0]}",
		"{\"type\":\"syscall\",\"abi\":\"x86_64\",\"syscall\":"
		"\"socket\",\"args\":[1,524289,0,0,0,0]}",
		/* CLONE_NEWNS seen: clone stays unconditional */
		"{\"type\":\"syscall\",\"abi\":\"x86_64\",\"syscall\":"
		"\"clone\",\"args\":[131089,0,0,0,0,0]}",
		NULL,
	};
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct profile_opts o = PROFILE_OPTS_INIT;
	const json_t *rules, *r, *a;
	int personality = 0, socket_rules = 0;
	size_t i;
	json_t *p;

	o.arg_filters = true;
	feed(&s, &st, lines);
	p = generate(&s, &o);
	check_invariants(p);
	rules = json_object_get(p, "syscalls");
	json_array_foreach(rules, i, r) {
		const char *n = json_string_value(
			json_array_get(json_object_get(r, "names"), 0));

		a = json_array_get(json_object_get(r, "args"), 0);
		if (a == NULL)
			continue;
		CHECK_EQ_STR(json_string_value(json_object_get(a, "op")),
			     "SCMP_CMP_EQ");
		if (!strcmp(n, "personality")) {
			/* sorted: 0 then 0xffffffff */
			CHECK_EQ_INT(json_integer_value(
					     json_object_get(a, "value")),
				     personality ? 4294967295LL : 0);
			personality++;
		} else if (!strcmp(n, "socket")) {
			CHECK_EQ_INT(json_integer_value(
					     json_object_get(a, "value")),
				     AF_UNIX);
			socket_rules++;
		}
	}
	CHECK_EQ_INT(personality, 2);
	CHECK_EQ_INT(socket_rules, 1);
	CHECK(json_object_get(rule_of(p, "clone"), "args") == NULL);
	json_decref(p);

	/* without the flag: no conditions at all */
	o.arg_filters = false;
	p = generate(&s, &o);
	CHECK(json_object_get(rule_of(p, "socket"), "args") == NULL);
	json_decref(p);
	sysset_release(&s);
}

TEST(test_clone_without_new_namespaces)
{
	static const char *const lines[] = {
		"{\"type\":\"syscall\",\"abi\":\"x86_64\",\"syscall\":"
		"\"clone\",\"args\":[18874385,0,0,0,0,0]}",
		NULL,
	};
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct profile_opts o = PROFILE_OPTS_INIT;
	const json_t *a;
	json_t *p;

	o.arg_filters = true;
	feed(&s, &st, lines);
	p = generate(&s, &o);
	a = json_array_get(json_object_get(rule_of(p, "clone"), "args"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(a, "op")),
		     "SCMP_CMP_MASKED_EQ");
	CHECK_EQ_INT(json_integer_value(json_object_get(a, "value")),
		     2114060288); /* Docker's CLONE_NEW* mask */
	CHECK_EQ_INT(json_integer_value(json_object_get(a, "valueTwo")), 0);
	json_decref(p);
	sysset_release(&s);
}

TEST(test_empty_is_an_error)
{
	struct sysset s = SYSSET_INIT;
	struct profile_opts o = PROFILE_OPTS_INIT;
	char *text = NULL;

	CHECK_EQ_INT(profile_generate(&s, &o, &text), -ENODATA);
	CHECK(text == NULL);
}

struct diff_out {
	char lines[16][64];
	int n;
};

static void collect(void *ctx, char sign, enum ev_abi abi, const char *name)
{
	struct diff_out *d = ctx;

	if (d->n < 16)
		snprintf(d->lines[d->n++], sizeof(d->lines[0]), "%c %s %s",
			 sign, abi_name(abi), name);
}

TEST(test_diff)
{
	static const char *const a_lines[] = {
		REC("x86_64", "read"), REC("x86_64", "write"),
		REC("i386", "read"), NULL,
	};
	static const char *const b_lines[] = {
		REC("x86_64", "read"), REC("x86_64", "socket"),
		REC("x86_64", "connect"), NULL,
	};
	struct sysset a = SYSSET_INIT, b = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct diff_out d = { .n = 0 };

	feed(&a, &st, a_lines);
	feed(&b, &st, b_lines);
	CHECK_EQ_INT(sysset_diff(&a, &a, collect, &d), 0);
	CHECK_EQ_INT(sysset_diff(&a, &b, collect, &d), 4);
	CHECK_EQ_STR(d.lines[0], "+ x86_64 connect");
	CHECK_EQ_STR(d.lines[1], "+ x86_64 socket");
	CHECK_EQ_STR(d.lines[2], "- x86_64 write");
	CHECK_EQ_STR(d.lines[3], "- i386 read");
	sysset_release(&a);
	sysset_release(&b);
}

/* Writes `text` to a temporary file; returns its path (static). */
static const char *tmp_file(const char *text)
{
	static char path[] = "/tmp/capsule-test-profile-XXXXXX";
	int fd;

	memcpy(path + sizeof(path) - 7, "XXXXXX", 6);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return path;
}

static char *profile_text(const char *const *lines, int default_errno)
{
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	struct profile_opts o = PROFILE_OPTS_INIT;
	char *text = NULL;

	o.default_errno = default_errno;
	feed(&s, &st, lines);
	CHECK_EQ_INT(profile_generate(&s, &o, &text), 0);
	sysset_release(&s);
	return text;
}

TEST(test_load_profile_back)
{
	static const char *const lines[] = {
		REC("x86_64", "read"), REC("x86_64", "clone"), NULL,
	};
	struct sysset s = SYSSET_INIT;
	struct profile_stats st = { 0 };
	const char *why, *path;
	char *text = profile_text(lines, EPERM);

	path = tmp_file(text);
	CHECK_EQ_INT(profile_load_any(path, &s, &st, &why), 0);
	CHECK(sysset_find(&s, ABI_X86_64, "read") != NULL);
	CHECK(sysset_find(&s, ABI_X86_64, "rt_sigreturn") != NULL);
	/* ENOSYS rules deny: not in the allowed set */
	CHECK(sysset_find(&s, ABI_X86_64, "clone3") == NULL);
	CHECK(!s.abi[ABI_I386].seen);
	unlink(path);
	sysset_release(&s);
	free(text);

	path = tmp_file("[1,2,3]");
	CHECK_EQ_INT(profile_load_any(path, &s, &st, &why), -EINVAL);
	CHECK(why != NULL);
	unlink(path);
	sysset_release(&s);
}

static struct call_event call(int nr, int err)
{
	struct call_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.abi = ABI_X86_64;
	ev.nr = nr;
	ev.is_error = err != 0;
	ev.ret = -err;
	return ev;
}

TEST(test_filter_verdicts)
{
	static const char *const lines[] = {
		REC("x86_64", "read"), REC("x86_64", "write"),
		REC("x86_64", "exit_group"), NULL,
	};
	struct seccomp_filter *f = NULL;
	const char *why, *path;
	char *text = profile_text(lines, EPERM);
	struct call_event ev;

	path = tmp_file(text);
	CHECK_EQ_INT(seccomp_filter_load(path, &f, &why), 0);
	unlink(path);
	free(text);
	if (f == NULL)
		return;
	ev = call(41 /* socket */, EPERM);
	CHECK(seccomp_filter_denied(f, &ev));
	ev = call(41, EACCES); /* not the filter's errno */
	CHECK(!seccomp_filter_denied(f, &ev));
	ev = call(0 /* read */, EPERM); /* allowed: its own failure */
	CHECK(!seccomp_filter_denied(f, &ev));
	ev = call(435 /* clone3 */, ENOSYS);
	CHECK(seccomp_filter_denied(f, &ev));
	ev = call(435, EPERM);
	CHECK(!seccomp_filter_denied(f, &ev));
	ev = call(41, EPERM);
	ev.abi = ABI_I386; /* not in the profile: killed, whatever the record */
	CHECK(seccomp_filter_denied(f, &ev));
	seccomp_filter_free(f);
}

TEST(test_filter_rejects_bad_profiles)
{
	static const char *const bad[] = {
		"{\"defaultAction\":\"SCMP_ACT_NOPE\"}",
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
		"[\"SCMP_ARCH_NOPE\"]}",
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":"
		"[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":"
		"7,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":{}}",
		"{\"defaultAction\": ",
		NULL,
	};
	const char *const *b;

	for (b = bad; *b != NULL; b++) {
		struct seccomp_filter *f = NULL;
		const char *why = NULL, *path = tmp_file(*b);

		CHECK_EQ_INT(seccomp_filter_load(path, &f, &why), -EINVAL);
		CHECK(why != NULL && *why != '\0');
		CHECK(f == NULL);
		unlink(path);
	}
}

/* Loaded in a child: the kernel enforces it. */
TEST(test_filter_live)
{
	static const char *const profile =
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
		"[\"SCMP_ARCH_X86_64\"],\"syscalls\":["
		"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\","
		"\"errnoRet\":13},"
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\","
		"\"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"},"
		"{\"index\":0,\"value\":9,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"no_such_call\"],\"action\":\"SCMP_ACT_ERRNO\"},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\","
		"\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}";
	struct seccomp_filter *f = NULL;
	const char *why, *path = tmp_file(profile);
	int status = -1;
	pid_t pid;

	CHECK_EQ_INT(seccomp_filter_load(path, &f, &why), 0);
	unlink(path);
	if (f == NULL)
		return;
	CHECK_EQ_INT(seccomp_filter_unknown_names(f), 1);
	CHECK_EQ_INT(seccomp_filter_skipped_rules(f), 1);
	pid = fork();
	if (pid == 0) {
		int code = 0;

		if (seccomp_filter_apply(f) < 0)
			_exit(10);
		if (socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EACCES)
			code |= 1;
		/* two conditions on one argument: either matches (OR) */
		if (syscall(SYS_personality, 8UL) != -1 || errno != EPERM)
			code |= 2;
		if (syscall(SYS_personality, 9UL) != -1 || errno != EPERM)
			code |= 4;
		if (syscall(SYS_personality, 0xffffffffUL) == -1)
			code |= 8;
		/* its rule had "includes": left out */
		if (getppid() <= 0)
			code |= 16;
		_exit(code);
	}
	CHECK(pid > 0);
	CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
	seccomp_filter_free(f);
}

UNIT_MAIN(UNIT_T(test_defaults), UNIT_T(test_clone3_enosys),
	  UNIT_T(test_default_equal_rule_dropped), UNIT_T(test_architectures),
	  UNIT_T(test_skipped_lines), UNIT_T(test_arg_filters),
	  UNIT_T(test_clone_without_new_namespaces),
	  UNIT_T(test_empty_is_an_error), UNIT_T(test_diff),
	  UNIT_T(test_load_profile_back), UNIT_T(test_filter_verdicts),
	  UNIT_T(test_filter_rejects_bad_profiles), UNIT_T(test_filter_live))
