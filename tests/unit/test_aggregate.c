/*
 * test_aggregate.c: unit tests of src/aggregate: actions from synthetic
 * call sequences (windows, the cap, dup then close), rules on synthetic
 * events (exfiltration window, once per process, compat ABI), the
 * --allow-net parser and matcher, the rules file.
 */
#include "aggregate/aggregate.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "aggregate/rules.h"
#include "decode/syscalls.h"
#include "enrich/classes.h"
#include "enrich/fdtab.h"

#include "unit.h"

#define MAX_SEEN 8200

/* What the callbacks saw. */
struct seen {
	int nact, nalert;
	char kind[MAX_SEEN][24];
	char end[MAX_SEEN][12];
	char res[MAX_SEEN][64];
	uint64_t first[MAX_SEEN], last[MAX_SEEN], bytes_in[MAX_SEEN],
		bytes_out[MAX_SEEN];
	char rule[16][32];
	int sev[16];
	int nev[16];
	uint64_t ev_seq[16][ALERT_MAX_EVIDENCE];
};

static void on_action(void *ctx, const struct action *a)
{
	struct seen *s = ctx;
	int i = s->nact++;

	if (i >= MAX_SEEN)
		return;
	snprintf(s->kind[i], sizeof(s->kind[i]), "%s", a->kind);
	snprintf(s->end[i], sizeof(s->end[i]), "%s", a->end);
	snprintf(s->res[i], sizeof(s->res[i]), "%s",
		 a->resource ? a->resource : "");
	s->first[i] = a->first.seq;
	s->last[i] = a->last.seq;
	s->bytes_in[i] = a->bytes_in;
	s->bytes_out[i] = a->bytes_out;
}

static void on_alert(void *ctx, const struct alert *al)
{
	struct seen *s = ctx;
	int i = s->nalert++, k;

	if (i >= 16)
		return;
	snprintf(s->rule[i], sizeof(s->rule[i]), "%s", al->rule);
	s->sev[i] = al->severity;
	s->nev[i] = al->nevidence;
	for (k = 0; k < al->nevidence; k++)
		s->ev_seq[i][k] = al->evidence[k].seq;
}

/* A test's world: rules, aggregator, the seq counter. */
struct world {
	struct rules rs;
	struct aggregate ag;
	struct seen *s;
	uint64_t seq;
	uint64_t now;		/* CLOCK_MONOTONIC of the next call */
};

static void world_init(struct world *w)
{
	static int names_loaded;

	if (!names_loaded++)
		syscalls_init(); /* once: the tables live until exit */
	rules_init(&w->rs);
	w->s = calloc(1, sizeof(*w->s));
	aggregate_init(&w->ag, &w->rs, 1000000000ull, on_action, on_alert,
		       w->s);
	w->seq = 0;
	w->now = 5000000000ull;
}

static void world_release(struct world *w)
{
	aggregate_release(&w->ag);
	rules_release(&w->rs);
	free(w->s);
}

static struct call_view view(void)
{
	struct call_view v;

	memset(&v, 0, sizeof(v));
	v.exe = "/usr/bin/test";
	v.uid = v.euid = 1000;
	v.fd = -1;
	v.fd_family = v.fd_sotype = -1;
	return v;
}

/* One call of pid 100: nr, args, ret, its view; returns its seq. */
static uint64_t call(struct world *w, int nr, uint64_t a0, uint64_t a1,
		     uint64_t a2, int64_t ret, const struct call_view *v)
{
	struct call_event ev;
	struct rec_ref ref;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_SYSCALL;
	ev.abi = ABI_X86_64;
	ev.pid = ev.tid = 100;
	ev.nr = nr;
	ev.args[0] = a0;
	ev.args[1] = a1;
	ev.args[2] = a2;
	ev.ret = ret;
	ev.is_error = ret < 0 && ret > -4096;
	ev.ts_sec = 1700000000;
	ev.mono_entry = w->now;
	w->now += 1000;
	memset(&ref, 0, sizeof(ref));
	ref.seq = w->seq++;
	ref.hash[0] = (uint8_t)ref.seq;
	aggregate_call(&w->ag, &ev, v, &ref);
	return ref.seq;
}

static uint64_t open_file(struct world *w, const char *path, int cls,
			  int fd, int flags)
{
	struct call_view v = view();

	v.path = v.fd_path = path;
	v.path_cls = v.fd_cls = v.cls = cls;
	v.fd = fd;
	v.fd_type = FT_FILE;
	return call(w, __NR_openat, (uint64_t)AT_FDCWD, 0, (uint64_t)flags,
		    fd, &v);
}

static uint64_t io(struct world *w, int nr, int fd, int64_t ret)
{
	struct call_view v = view();

	v.fd = fd;
	return call(w, nr, (uint64_t)fd, 0, 0, ret, &v);
}

TEST(open_read_close_is_one_file_read)
{
	struct world w;
	uint64_t first, last;

	world_init(&w);
	first = open_file(&w, "/etc/hosts", RC_SYSTEM_CONFIG, 3, O_RDONLY);
	io(&w, __NR_read, 3, 100);
	io(&w, __NR_read, 3, 0);
	last = io(&w, __NR_close, 3, 0);
	CHECK_EQ_INT(w.s->nact, 1);
	CHECK_EQ_STR(w.s->kind[0], "file.read");
	CHECK_EQ_STR(w.s->end[0], "close");
	CHECK_EQ_STR(w.s->res[0], "/etc/hosts");
	CHECK(w.s->first[0] == first && w.s->last[0] == last);
	CHECK(w.s->bytes_in[0] == 100 && w.s->bytes_out[0] == 0);
	CHECK_EQ_INT(w.s->nalert, 0);
	CHECK(aggregate_deadline(&w.ag) == 0);
	world_release(&w);
}

TEST(write_makes_file_write_and_create)
{
	struct world w;

	world_init(&w);
	open_file(&w, "/tmp/x", RC_TEMPORARY, 4, O_WRONLY | O_CREAT);
	io(&w, __NR_write, 4, 7);
	io(&w, __NR_close, 4, 0);
	CHECK_EQ_INT(w.s->nact, 2);
	CHECK_EQ_STR(w.s->kind[0], "file.create");
	CHECK_EQ_STR(w.s->kind[1], "file.write");
	CHECK(w.s->bytes_out[1] == 7);
	world_release(&w);
}

TEST(window_expires_open_actions)
{
	struct world w;
	uint64_t start;

	world_init(&w);
	start = w.now;
	open_file(&w, "/var/log/big", RC_FILE, 5, O_RDONLY);
	io(&w, __NR_read, 5, 10);
	CHECK(aggregate_deadline(&w.ag) == start + 1000000000ull);
	aggregate_tick(&w.ag, start + 999999999ull);
	CHECK_EQ_INT(w.s->nact, 0);
	aggregate_tick(&w.ag, start + 1000000000ull);
	CHECK_EQ_INT(w.s->nact, 1);
	CHECK_EQ_STR(w.s->end[0], "window");
	CHECK(aggregate_deadline(&w.ag) == 0);
	/* a later read on the still-open descriptor starts a new action */
	{
		struct call_view v = view();

		v.fd = 5;
		v.fd_type = FT_FILE;
		v.fd_path = "/var/log/big";
		call(&w, __NR_read, 5, 0, 0, 20, &v);
	}
	aggregate_flush(&w.ag);
	CHECK_EQ_INT(w.s->nact, 2);
	CHECK_EQ_STR(w.s->end[1], "run_end");
	CHECK(w.s->bytes_in[1] == 20);
	world_release(&w);
}

TEST(cap_ends_the_oldest)
{
	struct world w;
	int i;

	world_init(&w);
	for (i = 0; i < AGG_MAX_OPEN + 1; i++)
		open_file(&w, "/f", RC_FILE, 10 + i, O_RDONLY);
	CHECK_EQ_INT(w.s->nact, 1);
	CHECK_EQ_STR(w.s->end[0], "cap");
	CHECK(w.s->first[0] == 0);
	CHECK(w.ag.nacts == AGG_MAX_OPEN);
	CHECK(w.ag.stats.cap_hits == 1);
	aggregate_flush(&w.ag);
	CHECK(w.ag.nacts == 0);
	CHECK_EQ_INT(w.s->nact, AGG_MAX_OPEN + 1);
	world_release(&w);
}

TEST(dup_then_close_follows_the_copy)
{
	struct world w;

	world_init(&w);
	open_file(&w, "/home/u/.bashrc", RC_PERSISTENCE, 3,
		  O_WRONLY | O_CREAT | O_APPEND);
	io(&w, __NR_dup2, 3, 1);  /* dup2(3, 1) = 1 */
	io(&w, __NR_close, 3, 0);
	io(&w, __NR_write, 1, 5);
	aggregate_flush(&w.ag);
	/* file.create, then one file.write with the bytes */
	CHECK_EQ_INT(w.s->nact, 2);
	CHECK_EQ_STR(w.s->kind[1], "file.write");
	CHECK(w.s->bytes_out[1] == 5);
	CHECK_EQ_INT(w.s->nalert, 1);
	CHECK_EQ_STR(w.s->rule[0], "persistence.write");
	world_release(&w);
}

static uint64_t connect_to(struct world *w, const char *ep, int cls)
{
	struct call_view v = view();

	v.fd = 6;
	v.fd_type = FT_SOCKET;
	v.addr = ep;
	v.addr_cls = cls;
	return call(w, __NR_connect, 6, 0, 16, -101 /* ENETUNREACH */, &v);
}

TEST(secret_then_egress_is_exfiltration)
{
	struct world w;
	uint64_t rd, cn;

	world_init(&w);
	rd = open_file(&w, "/home/u/.ssh/id_rsa", RC_CREDENTIALS, 3,
		       O_RDONLY);
	open_file(&w, "/home/u/.ssh/id_rsa", RC_CREDENTIALS, 4, O_RDONLY);
	cn = connect_to(&w, "192.0.2.1:443", RC_NET_PUBLIC);
	/* cred.access once (same summary twice), egress, exfiltration */
	CHECK_EQ_INT(w.s->nalert, 3);
	CHECK_EQ_STR(w.s->rule[0], "cred.access");
	CHECK(w.s->ev_seq[0][0] == rd);
	CHECK_EQ_STR(w.s->rule[1], "net.egress");
	CHECK_EQ_STR(w.s->rule[2], "exfil.secret-egress");
	CHECK_EQ_INT(w.s->sev[2], SEV_CRITICAL);
	CHECK_EQ_INT(w.s->nev[2], 2);
	CHECK(w.s->ev_seq[2][0] == rd + 1 && w.s->ev_seq[2][1] == cn);
	/* the failed connect is an action of its own */
	CHECK_EQ_STR(w.s->kind[w.s->nact - 1], "net.connect");
	CHECK_EQ_STR(w.s->end[w.s->nact - 1], "failed");
	world_release(&w);
}

TEST(egress_after_the_window_is_not_exfiltration)
{
	struct world w;

	world_init(&w);
	open_file(&w, "/home/u/.aws/credentials", RC_CREDENTIALS, 3,
		  O_RDONLY);
	w.now += 2000000000ull;
	connect_to(&w, "198.51.100.7:80", RC_NET_PUBLIC);
	CHECK_EQ_INT(w.s->nalert, 2);
	CHECK_EQ_STR(w.s->rule[1], "net.egress");
	/* loopback is never egress */
	connect_to(&w, "127.0.0.1:80", RC_NET_LOOPBACK);
	CHECK_EQ_INT(w.s->nalert, 2);
	world_release(&w);
}

TEST(compat_abi_fires_once)
{
	struct world w;
	struct call_view v;
	struct call_event ev;
	struct rec_ref ref;
	int i;

	world_init(&w);
	v = view();
	io(&w, __NR_getpid, -1, 100);
	memset(&ev, 0, sizeof(ev));
	memset(&ref, 0, sizeof(ref));
	ev.kind = EV_SYSCALL;
	ev.abi = ABI_I386;
	ev.pid = ev.tid = 100;
	ev.nr = 20; /* i386 getpid */
	for (i = 0; i < 3; i++) {
		ref.seq = w.seq++;
		aggregate_call(&w.ag, &ev, &v, &ref);
	}
	CHECK_EQ_INT(w.s->nalert, 1);
	CHECK_EQ_STR(w.s->rule[0], "abi.compat");
	CHECK(w.s->ev_seq[0][0] == 1);
	world_release(&w);
}

TEST(allow_net_parses_and_matches)
{
	struct rules rs;

	rules_init(&rs);
	CHECK_EQ_INT(rules_allow_net(&rs, "10.0.0.0/8"), 0);
	CHECK_EQ_INT(rules_allow_net(&rs, "192.0.2.1:443"), 0);
	CHECK_EQ_INT(rules_allow_net(&rs, "[2001:db8::/32]:53"), 0);
	CHECK_EQ_INT(rules_allow_net(&rs, "fd00::1"), 0);
	CHECK(rules_allow_net(&rs, "10.0.0.0/33") < 0);
	CHECK(rules_allow_net(&rs, "example.com") < 0);
	CHECK(rules_allow_net(&rs, "1.2.3.4:99999") < 0);
	CHECK(rules_allow_net(&rs, "[::1") < 0);
	CHECK(rules_net_allowed(&rs, "10.200.1.1:22"));
	CHECK(!rules_net_allowed(&rs, "11.0.0.1:22"));
	CHECK(rules_net_allowed(&rs, "192.0.2.1:443"));
	CHECK(!rules_net_allowed(&rs, "192.0.2.1:80"));
	CHECK(rules_net_allowed(&rs, "[2001:db8:1::5]:53"));
	CHECK(!rules_net_allowed(&rs, "[2001:db8:1::5]:443"));
	CHECK(rules_net_allowed(&rs, "[fd00::1]:1"));
	rules_release(&rs);
}

TEST(rules_file_is_checked)
{
	char path[] = "/tmp/capsule-unit-rules-XXXXXX";
	struct buf why = BUF_INIT;
	struct rules rs;
	int fd = mkstemp(path);
	static const char good[] =
		"{\"disable\":[\"net.listen-local\"],"
		"\"severity\":{\"net.egress\":\"high\"},"
		"\"allow_net\":[\"10.0.0.0/8\"],\"allow_paths\":[\"/x/*\"]}";
	static const char bad[] = "{\"disable\":[\"nope\"]}";

	CHECK(fd >= 0);
	CHECK(write(fd, good, sizeof(good) - 1) == (ssize_t)sizeof(good) - 1);
	close(fd);
	rules_init(&rs);
	CHECK_EQ_INT(rules_load(&rs, path, &why), 0);
	CHECK_EQ_INT(rules_severity(&rs, (size_t)rule_find("net.listen-local")),
		     SEV_NONE);
	CHECK_EQ_INT(rules_severity(&rs, (size_t)rule_find("net.egress")),
		     SEV_HIGH);
	CHECK(rs.nnets == 1 && rs.npaths == 1);
	rules_release(&rs);
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(write(fd, bad, sizeof(bad) - 1) == (ssize_t)sizeof(bad) - 1);
	close(fd);
	rules_init(&rs);
	CHECK(rules_load(&rs, path, &why) < 0);
	CHECK(strstr(why.s, "nope") != NULL);
	rules_release(&rs);
	buf_release(&why);
	unlink(path);
}

TEST(rule_table_is_well_formed)
{
	size_t i, j;

	CHECK(rules_count() > 20);
	for (i = 0; i < rules_count(); i++) {
		CHECK(rule_id(i) != NULL && rule_description(i) != NULL);
		CHECK_EQ_INT(rule_find(rule_id(i)), (int)i);
		for (j = 0; j < i; j++)
			CHECK(strcmp(rule_id(i), rule_id(j)) != 0);
	}
	CHECK_EQ_INT(severity_from_name("critical"), SEV_CRITICAL);
	CHECK_EQ_INT(severity_from_name("none"), -1);
}

UNIT_MAIN(UNIT_T(open_read_close_is_one_file_read),
	  UNIT_T(write_makes_file_write_and_create),
	  UNIT_T(window_expires_open_actions), UNIT_T(cap_ends_the_oldest),
	  UNIT_T(dup_then_close_follows_the_copy),
	  UNIT_T(secret_then_egress_is_exfiltration),
	  UNIT_T(egress_after_the_window_is_not_exfiltration),
	  UNIT_T(compat_abi_fires_once), UNIT_T(allow_net_parses_and_matches),
	  UNIT_T(rules_file_is_checked), UNIT_T(rule_table_is_well_formed))
