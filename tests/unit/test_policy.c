/*
 * test_policy.c: policy parsing and matching (policy/policy.h), path
 * normalisation (policy/subject.h), the alert serializer (log/alert.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "decode/syscalls.h"
#include "lib/buf.h"
#include "log/alert.h"
#include "policy/policy.h"
#include "policy/subject.h"
#include "unit.h"

static struct policy *parse(const char *json)
{
	struct policy *p = NULL;
	const char *why;
	int r = policy_parse(json, &p, &why);

	if (r < 0)
		fprintf(stderr, "policy_parse: %s\n", why ? why : "?");
	return p;
}

static int parse_err(const char *json)
{
	struct policy *p = NULL;
	const char *why;
	int r = policy_parse(json, &p, &why);

	policy_free(p);
	return r;
}

static struct policy_subject subj(int nr)
{
	struct policy_subject s;

	memset(&s, 0, sizeof(s));
	s.abi = ABI_X86_64;
	s.nr = nr;
	return s;
}

static struct policy_verdict decide(const struct policy *p,
				    const struct policy_subject *s)
{
	struct policy_verdict v;

	policy_decide(p, s, &v);
	return v;
}

static struct sockaddr_in sin4(const char *a, int port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

static struct sockaddr_in6 sin6(const char *a, int port)
{
	struct sockaddr_in6 s;

	memset(&s, 0, sizeof(s));
	s.sin6_family = AF_INET6;
	s.sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, a, &s.sin6_addr);
	return s;
}

static bool net_match(const char *pat, const struct sockaddr *sa, size_t len)
{
	struct net_pattern np;
	bool m;

	if (net_pattern_parse(pat, &np) < 0)
		return false;
	m = net_pattern_match(&np, sa, len);
	net_pattern_release(&np);
	return m;
}

TEST(rejects_bad_files)
{
	CHECK_EQ_INT(parse_err("[]"), -EINVAL);
	CHECK_EQ_INT(parse_err("{\"rules\":[]}"), -EINVAL); /* no version */
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[],\"x\":1}"), -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[{\"action\":\"nope\"}]}"),
		     -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[{\"action\":\"deny\","
			       "\"syscalls\":[\"frobnicate\"]}]}"),
		     -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[{\"action\":\"deny\","
			       "\"errno\":\"ENOTANERRNO\"}]}"),
		     -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[{\"action\":\"deny\","
			       "\"paths\":[\"tmp/*\"]}]}"),
		     -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[{\"action\":\"deny\","
			       "\"access\":\"write\"}]}"),
		     -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[{\"action\":\"deny\","
			       "\"net\":[\"10.0.0.0/33\"]}]}"),
		     -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"rules\":[{\"action\":\"deny\","
			       "\"typo\":1}]}"),
		     -EINVAL);
	CHECK_EQ_INT(parse_err("{\"version\":1,\"mode\":\"maybe\",\"rules\":[]}"),
		     -EINVAL);
}

TEST(syscall_and_class_rules)
{
	struct policy *p = parse(
		"{\"version\":1,\"rules\":["
		"{\"id\":\"s\",\"action\":\"deny\",\"errno\":\"EACCES\","
		"\"syscalls\":[\"socket\"]},"
		"{\"id\":\"c\",\"action\":\"kill\",\"classes\":[\"system\"]}]}");
	struct policy_subject s;
	struct policy_verdict v;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	s = subj(__NR_socket);
	v = decide(p, &s);
	CHECK_EQ_INT(v.action, PA_DENY);
	CHECK_EQ_INT(v.err, EACCES);
	CHECK_EQ_STR(policy_rule_id(p, v.rule), "s");
	s = subj(__NR_mount);
	CHECK_EQ_INT(decide(p, &s).action, PA_KILL);
	s = subj(__NR_read);
	v = decide(p, &s);
	CHECK_EQ_INT(v.action, PA_ALLOW);
	CHECK_EQ_INT(v.rule, -1);
	/* both are syscall-level: fixed plans, for seccomp */
	CHECK_EQ_INT(policy_plan(p, ABI_X86_64, __NR_socket, &v), PLAN_FIXED);
	CHECK_EQ_INT(v.action, PA_DENY);
	CHECK_EQ_INT(policy_plan(p, ABI_X86_64, __NR_mount, &v), PLAN_FIXED);
	CHECK_EQ_INT(v.action, PA_KILL);
	CHECK(!policy_reads_memory(p, ABI_X86_64, __NR_openat));
	/* the same names apply to the i386 table's own numbers */
	s = subj(359); /* i386 socket */
	s.abi = ABI_I386;
	CHECK_EQ_INT(decide(p, &s).action, PA_DENY);
	policy_free(p);
}

TEST(first_match_wins)
{
	struct policy *p = parse(
		"{\"version\":1,\"default\":\"deny\",\"rules\":["
		"{\"id\":\"etc-ok\",\"action\":\"allow\",\"paths\":[\"/etc/*\"]},"
		"{\"id\":\"no-open\",\"action\":\"deny\","
		"\"syscalls\":[\"openat\"]},"
		"{\"id\":\"read-ok\",\"action\":\"allow\","
		"\"syscalls\":[\"read\",\"openat\"]}]}");
	struct policy_subject s = subj(__NR_openat);
	struct policy_verdict v;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	s.paths[0] = "/etc/passwd";
	s.npaths = 1;
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	s.paths[0] = "/home/u/x";
	v = decide(p, &s);
	CHECK_EQ_INT(v.action, PA_DENY);
	CHECK_EQ_STR(policy_rule_id(p, v.rule), "no-open");
	s = subj(__NR_read);
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	s = subj(__NR_write); /* no rule: the default */
	v = decide(p, &s);
	CHECK_EQ_INT(v.action, PA_DENY);
	CHECK_EQ_INT(v.err, EPERM);
	/* an argument-level rule comes first: openat is decided at entry,
	 * not in seccomp, although a syscall-level rule follows */
	CHECK_EQ_INT(policy_plan(p, ABI_X86_64, __NR_openat, &v), PLAN_ARGS);
	CHECK(policy_reads_memory(p, ABI_X86_64, __NR_openat));
	/* read has no path: the path rule cannot apply, read is fixed */
	CHECK_EQ_INT(policy_plan(p, ABI_X86_64, __NR_read, &v), PLAN_FIXED);
	CHECK_EQ_INT(v.action, PA_ALLOW);
	policy_free(p);
}

TEST(path_globs_and_access)
{
	struct policy *p = parse(
		"{\"version\":1,\"rules\":[{\"action\":\"deny\","
		"\"paths\":[\"/srv/data/*\",\"/etc/shadow\"],"
		"\"access\":\"write\"}]}");
	struct policy_subject s = subj(__NR_openat);

	CHECK(p != NULL);
	if (p == NULL)
		return;
	s.npaths = 1;
	s.paths[0] = "/srv/data/a/b/c"; /* '*' crosses '/' */
	s.writes = true;
	CHECK_EQ_INT(decide(p, &s).action, PA_DENY);
	s.writes = false;
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	s.writes = true;
	s.paths[0] = "/srv/database";
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	s.paths[0] = "/etc/shadow";
	CHECK_EQ_INT(decide(p, &s).action, PA_DENY);
	/* a symlink: the resolved spelling matches too */
	s.paths[0] = "/tmp/link/x";
	s.real[0] = "/srv/data/x";
	CHECK_EQ_INT(decide(p, &s).action, PA_DENY);
	/* rename: either path */
	s.real[0] = NULL;
	s.paths[1] = "/srv/data/new";
	s.npaths = 2;
	CHECK_EQ_INT(decide(p, &s).action, PA_DENY);
	/* unreadable path: a deny rule takes it */
	s.npaths = 0;
	s.path_unknown = true;
	CHECK_EQ_INT(decide(p, &s).action, PA_DENY);
	policy_free(p);
}

TEST(exec_rules)
{
	struct policy *p = parse(
		"{\"version\":1,\"rules\":[{\"action\":\"kill\","
		"\"exec\":[\"/usr/bin/nc*\"],\"severity\":\"critical\"}]}");
	struct policy_subject s = subj(__NR_execve);
	struct policy_verdict v;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	s.exe = "/usr/bin/ncat";
	v = decide(p, &s);
	CHECK_EQ_INT(v.action, PA_KILL);
	CHECK_EQ_INT(v.severity, POL_SEV_CRITICAL);
	s.exe = "/bin/nc";
	s.exe_real = "/usr/bin/nc.openbsd";
	CHECK_EQ_INT(decide(p, &s).action, PA_KILL);
	s.exe = "/usr/bin/ls";
	s.exe_real = NULL;
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	s = subj(__NR_openat); /* not an exec */
	s.exe = "/usr/bin/nc";
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	policy_free(p);
}

TEST(net_v4)
{
	struct sockaddr_in a = sin4("10.1.2.3", 443);

	CHECK(net_match("10.0.0.0/8", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("10.0.0.0/8:443", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("10.0.0.0/8:80", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("10.1.2.3", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("10.1.2.4", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("10.1.2.0/23", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("10.1.4.0/23", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("0.0.0.0/0", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("*:443", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match(":443", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("::/0", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("unix:*", (struct sockaddr *)&a, sizeof(a)));
	/* too short for an AF_INET address: no match */
	CHECK(!net_match("*", (struct sockaddr *)&a, 4));
}

TEST(net_v6)
{
	struct sockaddr_in6 a = sin6("2001:db8::1", 53);
	struct sockaddr_in6 m = sin6("::ffff:10.0.0.1", 22);

	CHECK(net_match("2001:db8::/32", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("[2001:db8::/32]:53", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("[2001:db8::/32]:54", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("[2001:db8::1]:53", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("2001:db9::/32", (struct sockaddr *)&a, sizeof(a)));
	CHECK(!net_match("10.0.0.0/8", (struct sockaddr *)&a, sizeof(a)));
	CHECK(net_match("*:53", (struct sockaddr *)&a, sizeof(a)));
	/* a v4-mapped address reaches the v4 host: v4 patterns apply */
	CHECK(net_match("10.0.0.0/8:22", (struct sockaddr *)&m, sizeof(m)));
	CHECK(net_match("::ffff:0:0/96", (struct sockaddr *)&m, sizeof(m)));
}

TEST(net_unix)
{
	struct sockaddr_un u;
	size_t len;

	memset(&u, 0, sizeof(u));
	u.sun_family = AF_UNIX;
	memcpy(u.sun_path, "/run/docker.sock", sizeof("/run/docker.sock"));
	len = offsetof(struct sockaddr_un, sun_path) + strlen(u.sun_path) + 1;
	CHECK(net_match("unix:/run/docker.sock", (struct sockaddr *)&u, len));
	CHECK(net_match("unix:/run/*.sock", (struct sockaddr *)&u, len));
	CHECK(!net_match("unix:/var/*", (struct sockaddr *)&u, len));
	CHECK(!net_match("0.0.0.0/0", (struct sockaddr *)&u, len));
	/* abstract socket: "@name" */
	memset(u.sun_path, 0, sizeof(u.sun_path));
	memcpy(u.sun_path, "\0dbus-x", 7);
	len = offsetof(struct sockaddr_un, sun_path) + 7;
	CHECK(net_match("unix:@dbus-*", (struct sockaddr *)&u, len));
	CHECK(!net_match("unix:/dbus-*", (struct sockaddr *)&u, len));
}

TEST(net_bad_patterns)
{
	struct net_pattern np;

	CHECK_EQ_INT(net_pattern_parse("10.0.0.0/8:99999", &np), -EINVAL);
	CHECK_EQ_INT(net_pattern_parse("nonsense", &np), -EINVAL);
	CHECK_EQ_INT(net_pattern_parse("[10.0.0.1]:80", &np), -EINVAL);
	CHECK_EQ_INT(net_pattern_parse("2001:db8::/129", &np), -EINVAL);
	CHECK_EQ_INT(net_pattern_parse("unix:", &np), -EINVAL);
	CHECK_EQ_INT(net_pattern_parse("1.2.3.4:-1", &np), -EINVAL);
}

TEST(net_rule_in_policy)
{
	struct policy *p = parse(
		"{\"version\":1,\"rules\":["
		"{\"action\":\"allow\",\"net\":[\"127.0.0.0/8\",\"::1\"]},"
		"{\"action\":\"log\",\"net\":[\"*:53\"]},"
		"{\"action\":\"deny\",\"errno\":\"ECONNREFUSED\","
		"\"net\":[\"0.0.0.0/0\",\"::/0\"]}]}");
	struct policy_subject s = subj(__NR_connect);
	struct sockaddr_in lo = sin4("127.0.0.1", 80), dns = sin4("8.8.8.8", 53),
			   web = sin4("1.1.1.1", 443);
	struct policy_verdict v;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	s.addr = (struct sockaddr *)&lo;
	s.addrlen = sizeof(lo);
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	s.addr = (struct sockaddr *)&dns;
	CHECK_EQ_INT(decide(p, &s).action, PA_LOG);
	s.addr = (struct sockaddr *)&web;
	v = decide(p, &s);
	CHECK_EQ_INT(v.action, PA_DENY);
	CHECK_EQ_INT(v.err, ECONNREFUSED);
	CHECK_EQ_STR(policy_rule_id(p, v.rule), "rule2");
	CHECK_EQ_INT(policy_plan(p, ABI_X86_64, __NR_connect, &v), PLAN_ARGS);
	CHECK_EQ_INT(policy_plan(p, ABI_X86_64, __NR_socket, &v), PLAN_FIXED);
	policy_free(p);
}

TEST(resource_rules_never_match_yet)
{
	struct policy *p = parse(
		"{\"version\":1,\"rules\":[{\"action\":\"deny\","
		"\"resources\":[\"credential\"]}]}");
	struct policy_subject s = subj(__NR_openat);

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_EQ_INT(policy_resource_rules(p), 1);
	CHECK_EQ_INT(decide(p, &s).action, PA_ALLOW);
	s.resource = "credential"; /* once the enricher supplies it */
	CHECK_EQ_INT(decide(p, &s).action, PA_DENY);
	policy_free(p);
}

TEST(audit_mode)
{
	struct policy *p = parse(
		"{\"version\":1,\"mode\":\"audit\",\"rules\":[{\"action\":"
		"\"deny\",\"syscalls\":[\"socket\"]}]}");
	struct policy_subject s = subj(__NR_socket);
	struct policy_verdict v;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK(policy_audit(p));
	v = decide(p, &s);
	CHECK_EQ_INT(v.action, PA_DENY);
	CHECK(v.audit);
	/* audit: nothing for the kernel */
	CHECK_EQ_INT(policy_seccomp_build(p), 0);
	CHECK(!policy_seccomp_covers(p, ABI_X86_64, __NR_socket));
	policy_set_audit(p, false);
	CHECK_EQ_INT(policy_seccomp_build(p), 0);
	CHECK(policy_seccomp_covers(p, ABI_X86_64, __NR_socket));
	CHECK(!policy_seccomp_covers(p, ABI_I386, 359));
	policy_free(p);
}

static const char *join(const char *base, const char *in)
{
	static char out[4096];

	if (policy_path_join(base, in, strlen(in), out, sizeof(out)) < 0)
		return "(error)";
	return out;
}

TEST(path_join)
{
	CHECK_EQ_STR(join("/home/u", "a/b"), "/home/u/a/b");
	CHECK_EQ_STR(join("/home/u", "/etc//passwd/"), "/etc/passwd");
	CHECK_EQ_STR(join("/home/u", "../../../etc/./x"), "/etc/x");
	CHECK_EQ_STR(join("/", "."), "/");
	CHECK_EQ_STR(join("/srv/data", ""), "/srv/data");
	CHECK_EQ_STR(join("/a", "b/../../../c"), "/c");
}

TEST(alert_record)
{
	struct buf b = BUF_INIT;
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.rule = "r1";
	a.severity = SEV_HIGH;
	a.source = "policy";
	a.action = "deny";
	a.audit = true;
	a.summary = "a \"quoted\" summary";
	a.pid = 7;
	a.tid = 8;
	a.uid = -1;
	a.syscall = "openat";
	a.evidence[0].seq = 12;
	memset(a.evidence[0].hash, 0xab, sizeof(a.evidence[0].hash));
	a.nevidence = 1;
	record_alert(&b, &a, "syscalls");
	/* refs first: where the chain format and verify want them */
	CHECK(strncmp(b.s, ",\"refs\":[[\"syscalls\",12,\"abab",
		      strlen(",\"refs\":[[\"syscalls\",12,\"abab")) == 0);
	CHECK(strstr(b.s, ",\"rule\":\"r1\",\"severity\":\"high\",\"source\":"
			  "\"policy\",\"action\":\"deny\",\"audit\":true,") != NULL);
	CHECK(strstr(b.s, "\"summary\":\"a \\\"quoted\\\" summary\"") != NULL);
	CHECK(strstr(b.s, ",\"evidence\":[{\"stream\":\"syscalls\",\"seq\":12,")
	      != NULL);
	buf_release(&b);
}

static void setup(void)
{
	syscalls_init();
}

TEST(init)
{
	setup();
}

UNIT_MAIN(UNIT_T(init), UNIT_T(rejects_bad_files),
	  UNIT_T(syscall_and_class_rules), UNIT_T(first_match_wins),
	  UNIT_T(path_globs_and_access), UNIT_T(exec_rules), UNIT_T(net_v4),
	  UNIT_T(net_v6), UNIT_T(net_unix), UNIT_T(net_bad_patterns),
	  UNIT_T(net_rule_in_policy), UNIT_T(resource_rules_never_match_yet),
	  UNIT_T(audit_mode), UNIT_T(path_join), UNIT_T(alert_record))
