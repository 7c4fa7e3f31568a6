/*
 * test_enrich.c: the enricher's pure parts: lexical paths, the resource
 * class table, descriptor tables (sharing, close_range, exec), /proc
 * parsers on fixture text, and enrich_call()/enrich_process() on
 * synthetic events.
 */
#include "enrich/enrich.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "decode/blob.h"
#include "decode/syscalls.h"
#include "enrich/classes.h"
#include "enrich/fdtab.h"
#include "enrich/path.h"
#include "enrich/procfs.h"
#include "unit.h"

static const char *resolve(const char *base, const char *path)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	path_resolve(&b, base, path, strlen(path));
	return b.s;
}

TEST(path_normalization)
{
	CHECK_EQ_STR(resolve("/home/u", "a.txt"), "/home/u/a.txt");
	CHECK_EQ_STR(resolve("/home/u", "./a/../b//c/."), "/home/u/b/c");
	CHECK_EQ_STR(resolve("/home/u", "../../../etc/passwd"), "/etc/passwd");
	CHECK_EQ_STR(resolve("/home/u", "/etc/../etc/./shadow"), "/etc/shadow");
	CHECK_EQ_STR(resolve("/", ".."), "/");
	CHECK_EQ_STR(resolve("/a/b", ""), "/a/b");
	CHECK_EQ_STR(resolve(NULL, "x/y"), "/x/y");
	CHECK_EQ_STR(resolve("/a//b/", "c/"), "/a/b/c");
	CHECK_EQ_STR(resolve("/a", "..."), "/a/...");
}

static const char *cls(const char *path)
{
	return class_name(class_of_path(path));
}

TEST(class_table)
{
	CHECK_EQ_STR(cls("/root/.ssh/id_rsa"), "credentials");
	CHECK_EQ_STR(cls("/home/u/.ssh/id_ed25519.pub"), "credentials");
	CHECK_EQ_STR(cls("/home/u/.ssh/authorized_keys"), "persistence");
	CHECK_EQ_STR(cls("/etc/shadow"), "credentials");
	CHECK_EQ_STR(cls("/home/u/.aws/credentials"), "credentials");
	CHECK_EQ_STR(cls("/home/u/.kube/config"), "credentials");
	CHECK_EQ_STR(cls("/home/u/.docker/config.json"), "credentials");
	CHECK_EQ_STR(cls("/srv/app/.env"), "credentials");
	CHECK_EQ_STR(cls("/home/u/.gnupg/private-keys-v1.d/x.key"),
		     "credentials");
	CHECK_EQ_STR(cls("/etc/passwd"), "system_config");
	CHECK_EQ_STR(cls("/etc/crontab"), "persistence");
	CHECK_EQ_STR(cls("/etc/cron.d/job"), "persistence");
	CHECK_EQ_STR(cls("/etc/systemd/system/x.service"), "persistence");
	CHECK_EQ_STR(cls("/home/u/.bashrc"), "persistence");
	CHECK_EQ_STR(cls("/etc/ld.so.preload"), "persistence");
	CHECK_EQ_STR(cls("/usr/bin/ls"), "executable");
	CHECK_EQ_STR(cls("/opt/x/libfoo.so.1"), "executable");
	CHECK_EQ_STR(cls("/tmp/x"), "temporary");
	CHECK_EQ_STR(cls("/dev/shm/x"), "temporary");
	CHECK_EQ_STR(cls("/dev/null"), "device");
	CHECK_EQ_STR(cls("/dev/mem"), "kernel_sensitive");
	CHECK_EQ_STR(cls("/proc/1/mem"), "kernel_sensitive");
	CHECK_EQ_STR(cls("/proc/sys/kernel/core_pattern"), "kernel_sensitive");
	CHECK_EQ_STR(cls("/sys/fs/cgroup/x/release_agent"), "kernel_sensitive");
	CHECK_EQ_STR(cls("/proc/self/status"), "procfs");
	CHECK_EQ_STR(cls("/sys/class/net"), "sysfs");
	CHECK_EQ_STR(cls("/run/docker.sock"), "runtime_socket");
	CHECK_EQ_STR(cls("/var/run/docker.sock"), "runtime_socket");
	CHECK_EQ_STR(cls("/home/u/notes.txt"), "file");
	CHECK(class_name(RC_NONE) == NULL);
}

/*
 * class_of_path() skips fnmatch() for most rules (equal, prefix, suffix,
 * contains) and looks for "/." literals only where "/." occurs: it must
 * agree with plain fnmatch() over every rule, on paths built from the
 * rules' own pieces and on random ones.
 */
TEST(class_shortcuts_agree_with_fnmatch)
{
	static const char *const dirs[] = {
		"",	     "/etc",	 "/home/u",	   "/usr/lib",
		"/proc/1",   "/tmp",	 "/run/user/1000", "/.ssh",
		"/.config",  "/.aws",	 "/.mozilla/firefox/p", "/sys/fs/cgroup",
		"/var/run",  "/dev",	 "/.config/google-chrome/Default",
		"/lib",	     "/x.so.1",	 "/.env.d",	   "/etc/ssh",
	};
	static const char *const names[] = {
		"",		 "/id_rsa",	   "/x.pem",	    "/config",
		"/credentials", "/docker.sock",  "/mem",	    "/release_agent",
		"/.bashrc",	 "/Cookies",	   "/Login Data",   ".so",
		"/authorized_keys2", "/ssh_host_rsa_key", "/shadow-", "/.env",
		"/.env.local",	 "/a.so.6",	   "/podman/podman.sock", "/.",
	};
	static const char alphabet[] = "/./.aceinorsty_-";
	char path[512];
	uint32_t x = 12345;
	size_t i, j, k, n, len;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		for (j = 0; j < sizeof(dirs) / sizeof(dirs[0]); j++)
			for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
				snprintf(path, sizeof(path), "%s%s%s", dirs[i],
					 dirs[j], names[k]);
				if (class_of_path(path) !=
				    class_of_path_fnmatch(path))
					CHECK_EQ_STR(path, "(agrees)");
			}
	for (n = 0; n < 20000; n++) {
		len = 1 + n % 40;
		for (i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			path[i] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		path[len] = '\0';
		if (class_of_path(path) != class_of_path_fnmatch(path))
			CHECK_EQ_STR(path, "(agrees)");
	}
	/* more "/." than class_of_path() notes one by one */
	path[0] = '\0';
	for (i = 0; i < 20; i++)
		strcat(path, "/.d");
	strcat(path, "/.ssh/id_rsa");
	CHECK_EQ_INT(class_of_path(path), RC_CREDENTIALS);
	CHECK_EQ_INT(class_of_path_fnmatch(path), RC_CREDENTIALS);
}

TEST(class_of_addresses)
{
	static const unsigned char lo[4] = { 127, 0, 0, 1 },
				   priv[4] = { 192, 168, 1, 2 },
				   pub[4] = { 8, 8, 8, 8 }, any[4] = { 0 },
				   cgnat[4] = { 100, 64, 0, 1 },
				   lo6[16] = { [15] = 1 },
				   ula[16] = { 0xfd, 1 },
				   mapped[16] = { [10] = 0xff, [11] = 0xff,
						  [12] = 10, [15] = 1 },
				   pub6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	CHECK_EQ_INT(class_of_ip(lo, 4), RC_NET_LOOPBACK);
	CHECK_EQ_INT(class_of_ip(priv, 4), RC_NET_PRIVATE);
	CHECK_EQ_INT(class_of_ip(cgnat, 4), RC_NET_PRIVATE);
	CHECK_EQ_INT(class_of_ip(pub, 4), RC_NET_PUBLIC);
	CHECK_EQ_INT(class_of_ip(any, 4), RC_NET_ANY);
	CHECK_EQ_INT(class_of_ip(lo6, 16), RC_NET_LOOPBACK);
	CHECK_EQ_INT(class_of_ip(ula, 16), RC_NET_PRIVATE);
	CHECK_EQ_INT(class_of_ip(mapped, 16), RC_NET_PRIVATE);
	CHECK_EQ_INT(class_of_ip(pub6, 16), RC_NET_PUBLIC);
}

static void put_file(struct fdtab *t, int fd, const char *path, bool cloexec)
{
	struct fd_ent *e = fdtab_set(t, fd, FT_FILE, cloexec);

	if (e != NULL)
		e->path = strdup(path);
}

static const char *path_of(struct fdtab *t, int fd)
{
	struct fd_ent *e = fdtab_get(t, fd);

	return e != NULL ? e->path : NULL;
}

TEST(fdtab_dup_close_and_growth)
{
	struct fdtab *t = fdtab_new();

	put_file(t, 3, "/a", false);
	CHECK_EQ_STR(path_of(t, 3), "/a");
	CHECK_EQ_INT(fdtab_dup(t, 3, 1000, true), 0);
	CHECK_EQ_STR(path_of(t, 1000), "/a");
	CHECK(fdtab_get(t, 1000)->cloexec);
	CHECK(!fdtab_get(t, 3)->cloexec);
	CHECK_EQ_INT(fdtab_dup(t, 4, 5, false), -EBADF);
	CHECK(fdtab_set(t, FDTAB_MAX_FD, FT_FILE, false) == NULL);
	CHECK(fdtab_set(t, -1, FT_FILE, false) == NULL);
	fdtab_close(t, 3);
	CHECK(fdtab_get(t, 3) == NULL);
	CHECK_EQ_STR(path_of(t, 1000), "/a");
	fdtab_close(t, 99999); /* out of range: nothing */
	fdtab_unref(t);
}

TEST(fdtab_clone_files_shares_fork_copies)
{
	struct fdtab *parent = fdtab_new(), *shared, *forked;

	put_file(parent, 3, "/a", false);
	shared = fdtab_ref(parent);	/* CLONE_FILES */
	forked = fdtab_copy(parent);	/* fork */
	CHECK_EQ_INT(parent->refs, 2);
	CHECK_EQ_INT(forked->refs, 1);
	put_file(shared, 4, "/b", false);
	fdtab_close(shared, 3);
	CHECK_EQ_STR(path_of(parent, 4), "/b");
	CHECK(fdtab_get(parent, 3) == NULL);
	CHECK_EQ_STR(path_of(forked, 3), "/a");
	CHECK(fdtab_get(forked, 4) == NULL);
	/* exec unshares: the other sharer keeps its view */
	fdtab_unshare(&shared);
	CHECK(shared != parent);
	CHECK_EQ_INT(parent->refs, 1);
	put_file(shared, 5, "/c", false);
	CHECK(fdtab_get(parent, 5) == NULL);
	fdtab_unshare(&forked); /* not shared: the same table */
	CHECK_EQ_INT(forked->refs, 1);
	fdtab_unref(parent);
	fdtab_unref(shared);
	fdtab_unref(forked);
}

TEST(fdtab_close_range_and_exec)
{
	struct fdtab *t = fdtab_new();
	int fd;

	for (fd = 0; fd < 10; fd++)
		put_file(t, fd, "/f", fd % 2 == 1);
	fdtab_close_range(t, 8, ~0u, false);
	CHECK(fdtab_get(t, 8) == NULL && fdtab_get(t, 9) == NULL);
	CHECK(fdtab_get(t, 7) != NULL);
	fdtab_close_range(t, 4, 4, true); /* CLOSE_RANGE_CLOEXEC */
	CHECK(fdtab_get(t, 4) != NULL && fdtab_get(t, 4)->cloexec);
	fdtab_exec(t);
	for (fd = 0; fd < 8; fd++)
		CHECK((fdtab_get(t, fd) != NULL) ==
		      (fd % 2 == 0 && fd != 4));
	fdtab_unref(t);
}

TEST(fdtab_memory_follows_open_fds_not_their_numbers)
{
	/* dup2(0, FDTAB_MAX_FD - 1) then fork: the tracee picks the number */
	struct fdtab *t = fdtab_new(), *c;

	put_file(t, 0, "/dev/null", false);
	CHECK_EQ_INT(fdtab_dup(t, 0, FDTAB_MAX_FD - 1, false), 0);
	CHECK_EQ_STR(path_of(t, FDTAB_MAX_FD - 1), "/dev/null");
	CHECK(fdtab_mem(t) < 64 * 1024);
	c = fdtab_copy(t);
	CHECK(fdtab_mem(c) < 64 * 1024);
	CHECK_EQ_STR(path_of(c, FDTAB_MAX_FD - 1), "/dev/null");
	CHECK(fdtab_get(c, FDTAB_MAX_FD - 2) == NULL);
	fdtab_close_range(c, 3, ~0u, false);
	CHECK(fdtab_get(c, FDTAB_MAX_FD - 1) == NULL);
	CHECK_EQ_STR(path_of(c, 0), "/dev/null");
	CHECK_EQ_STR(path_of(t, FDTAB_MAX_FD - 1), "/dev/null");
	fdtab_exec(t);
	CHECK_EQ_STR(path_of(t, FDTAB_MAX_FD - 1), "/dev/null");
	fdtab_unref(c);
	fdtab_unref(t);
}

static const char status_fixture[] =
	"Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\n"
	"Ngid:\t0\nPid:\t42\nPPid:\t7\nTracerPid:\t0\n"
	"Uid:\t1000\t0\t1001\t1002\nGid:\t100\t101\t102\t103\n"
	"FDSize:\t64\nGroups:\t4 24 27 \nNStgid:\t42\n"
	"CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
	"CapEff:\t0000000000200000\nCapBnd:\t000001ffffffffff\n"
	"CapAmb:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n"
	"Seccomp_filters:\t1\n";

TEST(status_parsing)
{
	struct proc_snap s;
	struct buf g = BUF_INIT;
	uint32_t groups[3];

	memset(&s, 0, sizeof(s));
	CHECK_EQ_INT(proc_parse_status(status_fixture, &s, &g), 0);
	CHECK_EQ_INT(s.ppid, 7);
	CHECK_EQ_INT(s.uid[0], 1000);
	CHECK_EQ_INT(s.uid[1], 0);
	CHECK_EQ_INT(s.uid[2], 1001);
	CHECK_EQ_INT(s.uid[3], 1002);
	CHECK_EQ_INT(s.gid[0], 100);
	CHECK_EQ_INT(s.gid[3], 103);
	CHECK_EQ_INT(g.len, sizeof(groups));
	memcpy(groups, g.s, sizeof(groups));
	CHECK_EQ_INT(groups[0], 4);
	CHECK_EQ_INT(groups[2], 27);
	CHECK(s.cap_eff == (1ull << 21));
	CHECK(s.cap_bnd == 0x1ffffffffffull);
	CHECK_EQ_INT(s.no_new_privs, 1);
	CHECK_EQ_INT(s.seccomp, 2);
	buf_release(&g);
	memset(&s, 0, sizeof(s));
	CHECK_EQ_INT(proc_parse_status("Name:\tx\n", &s, &g), -EINVAL);
	buf_release(&g);
}

static const char tcp_fixture[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
	"retrnsmt   uid  timeout inode\n"
	"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 "
	"00000000     0        0 111 1 0000000000000000 100 0 0 10 0\n"
	"   1: 0100007F:C35A 0100007F:1F90 01 00000000:00000000 00:00000000 "
	"00000000     0        0 222 1 0000000000000000 20 4 30 10 -1\n";

static const char tcp6_fixture[] =
	"  sl  local_address                         remote_address        "
	"                st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	"timeout inode\n"
	"   0: 00000000000000000000000001000000:0016 "
	"00000000000000000000000000000000:0000 0A 00000000:00000000 "
	"00:00000000 00000000     0        0 333 1 0000000000000000 100 0 0 "
	"10 0\n";

static const char unix_fixture[] =
	"Num       RefCount Protocol Flags    Type St Inode Path\n"
	"0000000000000000: 00000002 00000000 00010000 0001 01 444 "
	"/run/docker.sock\n"
	"0000000000000000: 00000002 00000000 00010000 0001 01 555 @abstract\n"
	"0000000000000000: 00000003 00000000 00000000 0001 03 666\n";

TEST(proc_net_parsing)
{
	struct net_ent e;

	CHECK_EQ_INT(proc_net_find_inet(tcp_fixture, false, 111, &e), 1);
	CHECK_EQ_STR(e.local, "127.0.0.1:8080");
	CHECK_EQ_STR(e.remote, "");
	CHECK_EQ_INT(proc_net_find_inet(tcp_fixture, false, 222, &e), 1);
	CHECK_EQ_STR(e.local, "127.0.0.1:50010");
	CHECK_EQ_STR(e.remote, "127.0.0.1:8080");
	CHECK_EQ_INT(proc_net_find_inet(tcp_fixture, false, 999, &e), 0);
	CHECK_EQ_INT(proc_net_find_inet(tcp6_fixture, true, 333, &e), 1);
	CHECK_EQ_STR(e.local, "[::1]:22");
	CHECK_EQ_STR(e.remote, "");
	CHECK_EQ_INT(proc_net_find_unix(unix_fixture, 444, &e), 1);
	CHECK_EQ_STR(e.local, "/run/docker.sock");
	CHECK_EQ_INT(proc_net_find_unix(unix_fixture, 555, &e), 1);
	CHECK_EQ_STR(e.local, "@abstract");
	CHECK_EQ_INT(proc_net_find_unix(unix_fixture, 666, &e), 1);
	CHECK_EQ_STR(e.local, "");
	CHECK_EQ_INT(proc_net_find_unix(unix_fixture, 1, &e), 0);
}

TEST(snapshot_of_self_round_trips)
{
	struct buf b = BUF_INIT;
	struct proc_snap s;

	CHECK_EQ_INT(proc_snapshot(getpid(),
				   SNAP_STATUS | SNAP_IDENT | SNAP_NS |
					   SNAP_START | SNAP_FDS,
				   false, &b),
		     0);
	CHECK_EQ_INT(proc_snap_view(b.s, b.len, &s), 0);
	CHECK((s.have & (SNAP_STATUS | SNAP_IDENT | SNAP_NS | SNAP_START)) ==
	      (SNAP_STATUS | SNAP_IDENT | SNAP_NS | SNAP_START));
	CHECK_EQ_INT(s.uid[0], getuid());
	CHECK_EQ_INT(s.ppid, getppid());
	CHECK(strstr(snap_str(b.s, s.exe), "test_enrich") != NULL);
	CHECK(s.ns[NS_MNT] != 0);
	CHECK(s.fds.len > 0);
	CHECK_EQ_INT(proc_snap_view(b.s, 10, &s), -EINVAL);
	buf_release(&b);
	CHECK_EQ_INT(proc_snapshot(-5, SNAP_STATUS, false, &b), -ENOENT);
	buf_release(&b);
}

/* ---- enrich_call / enrich_process on synthetic events ---- */

static struct call_event call(pid_t pid, int nr, uint64_t a0, uint64_t a1,
			      uint64_t a2, int64_t ret)
{
	struct call_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_SYSCALL;
	ev.abi = ABI_X86_64;
	ev.pid = ev.tid = pid;
	ev.nr = nr;
	ev.args[0] = a0;
	ev.args[1] = a1;
	ev.args[2] = a2;
	ev.ret = ret;
	ev.is_error = ret < 0;
	return ev;
}

static const char *enrich_line(struct enrich *en, struct call_event ev)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	enrich_call(en, &ev, &b);
	return b.s;
}

/* A process record for a new task; returns the record text. */
static const char *new_task(struct enrich *en, pid_t pid, pid_t creator,
			    int64_t flags)
{
	static struct buf b = BUF_INIT;
	struct call_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_PROCESS;
	ev.nr = PEV_NEW;
	ev.pid = ev.tid = pid;
	ev.args[0] = (uint64_t)creator;
	ev.args[1] = (uint64_t)flags;
	buf_reset(&b);
	CHECK_EQ_INT(enrich_process(en, &ev, 7, &b), 1);
	return b.s;
}

/* The fds member for descriptor argument `fd` after a read(fd). */
static const char *read_fd(struct enrich *en, pid_t pid, int fd)
{
	return enrich_line(en, call(pid, __NR_read, (uint64_t)fd, 0, 1, 1));
}

TEST(enrich_fd_tables_follow_clone_files_and_exec)
{
	struct enrich en;
	struct enrich_probe pr;
	const char *s;

	syscalls_init();
	enrich_init(&en, &pr);
	/* a descriptor never seen is "unknown" */
	s = read_fd(&en, 10, 0);
	CHECK(strstr(s, "\"fds\":{\"fd\":{\"type\":\"unknown\"}}") != NULL);
	/* an anonymous fd (no memory arguments): eventfd2 -> 3 */
	(void)enrich_line(&en, call(10, __NR_eventfd2, 0, 0, 0, 3));
	(void)enrich_line(&en, call(10, __NR_eventfd2, 0, O_CLOEXEC, 0, 4));
	s = read_fd(&en, 10, 3);
	CHECK(strstr(s, "{\"type\":\"anon\",\"name\":\"[eventfd]\","
			"\"class\":\"anon\"}") != NULL);
	CHECK(strstr(s, "\"class\":\"anon\"") != NULL);
	/* CLONE_FILES child: its dup2 and close act on the parent's table */
	s = new_task(&en, 11, 10, CLONE_FILES | SIGCHLD);
	CHECK(strstr(s, "\"event\":\"new\"") != NULL);
	CHECK(strstr(s, "\"creator\":10") != NULL);
	CHECK(strstr(s, "\"clone_flags\":\"CLONE_FILES|SIGCHLD\"") != NULL);
	(void)enrich_line(&en, call(11, __NR_dup2, 3, 9, 0, 9));
	(void)enrich_line(&en, call(11, __NR_close, 3, 0, 0, 0));
	CHECK(strstr(read_fd(&en, 10, 9), "[eventfd]") != NULL);
	CHECK(strstr(read_fd(&en, 10, 3), "\"unknown\"") != NULL);
	/* a forked child copies: its close leaves the parent's fd */
	(void)new_task(&en, 12, 10, SIGCHLD);
	(void)enrich_line(&en, call(12, __NR_close, 9, 0, 0, 0));
	CHECK(strstr(read_fd(&en, 12, 9), "\"unknown\"") != NULL);
	CHECK(strstr(read_fd(&en, 10, 9), "[eventfd]") != NULL);
	/* exec in the CLONE_FILES child: private table, cloexec fd 4 gone */
	(void)enrich_line(&en, call(11, __NR_execve, 0, 0, 0, 0));
	CHECK(strstr(read_fd(&en, 11, 4), "\"unknown\"") != NULL);
	CHECK(strstr(read_fd(&en, 11, 9), "[eventfd]") != NULL);
	CHECK(strstr(read_fd(&en, 10, 4), "[eventfd]") != NULL);
	(void)enrich_line(&en, call(11, __NR_close, 9, 0, 0, 0));
	CHECK(strstr(read_fd(&en, 10, 9), "[eventfd]") != NULL);
	/* close_range with CLOSE_RANGE_CLOEXEC, then exec */
	(void)enrich_line(&en, call(10, __NR_close_range, 9, 9,
				    CLOSE_RANGE_CLOEXEC, 0));
	CHECK(strstr(read_fd(&en, 10, 9), "[eventfd]") != NULL);
	(void)enrich_line(&en, call(10, __NR_execve, 0, 0, 0, 0));
	CHECK(strstr(read_fd(&en, 10, 9), "\"unknown\"") != NULL);
	/* a failed close (EBADF) changes nothing; fcntl F_DUPFD names ret */
	(void)enrich_line(&en, call(12, __NR_eventfd2, 0, 0, 0, 5));
	s = enrich_line(&en, call(12, __NR_fcntl, 5, F_DUPFD, 30, 31));
	CHECK(strstr(s, "\"ret\":{\"type\":\"anon\"") != NULL);
	CHECK(strstr(s, "\"arg\"") == NULL);
	/* a child that ran before its creator's fork event was seen: what
	 * it made meanwhile is kept beside what it inherits */
	(void)enrich_line(&en, call(13, __NR_eventfd2, 0, 0, 0, 40));
	(void)new_task(&en, 13, 12, SIGCHLD);
	CHECK(strstr(read_fd(&en, 13, 40), "[eventfd]") != NULL);
	CHECK(strstr(read_fd(&en, 13, 5), "[eventfd]") != NULL);
	CHECK(strstr(read_fd(&en, 12, 40), "\"unknown\"") != NULL);
	enrich_release(&en);
}

/* Appends a BR_BYTES record (blob.h) for argument `arg` to ev's blob. */
static void add_bytes(struct call_event *ev, int arg, const char *s)
{
	struct blob_rec h = { .arg = (uint8_t)arg, .type = BR_BYTES,
			      .len = (uint32_t)strlen(s) };
	char *b = realloc(ev->blob, ev->blob_len + sizeof(h) + h.len);

	if (b == NULL)
		abort();
	memcpy(b + ev->blob_len, &h, sizeof(h));
	memcpy(b + ev->blob_len + sizeof(h), s, h.len);
	ev->blob = b;
	ev->blob_len += (uint32_t)(sizeof(h) + h.len);
}

static const char *enrich_blob(struct enrich *en, struct call_event ev)
{
	const char *s = enrich_line(en, ev);

	call_event_release(&ev);
	return s;
}

TEST(enrich_paths_against_cwd_and_dirfd)
{
	struct enrich en;
	struct enrich_probe pr;
	struct call_event ev;
	const char *s;

	enrich_init(&en, &pr);
	/* chdir("/home/u/../u/./src") */
	ev = call(30, __NR_chdir, 0, 0, 0, 0);
	add_bytes(&ev, 0, "/home/u/../u/./src");
	s = enrich_blob(&en, ev);
	CHECK(strstr(s, "\"paths\":{\"path\":{\"abs\":\"/home/u/src\","
			"\"class\":\"file\"}}") != NULL);
	/* open("../.ssh/id_rsa", O_RDONLY|O_CLOEXEC) = 3, against the cwd */
	ev = call(30, __NR_open, 0, O_RDONLY | O_CLOEXEC, 0, 3);
	add_bytes(&ev, 0, "../.ssh/id_rsa");
	s = enrich_blob(&en, ev);
	CHECK(strstr(s, "\"abs\":\"/home/u/.ssh/id_rsa\",\"class\":"
			"\"credentials\"") != NULL);
	CHECK(strstr(s, "\"ret\":{\"type\":\"file\",\"path\":"
			"\"/home/u/.ssh/id_rsa\"") != NULL);
	CHECK(strstr(s, ",\"class\":\"credentials\"") != NULL);
	/* a directory fd, then openat(4, "x/../cfg") and fchdir(4) */
	ev = call(30, __NR_openat, (uint64_t)AT_FDCWD, 0, O_DIRECTORY, 4);
	add_bytes(&ev, 1, "/etc");
	(void)enrich_blob(&en, ev);
	ev = call(30, __NR_openat, 4, 0, O_RDONLY, 5);
	add_bytes(&ev, 1, "x/../cron.d/job");
	s = enrich_blob(&en, ev);
	CHECK(strstr(s, "\"dirfd\":{\"type\":\"file\",\"path\":"
			"\"/etc\",\"class\":\"system_config\"}") != NULL);
	CHECK(strstr(s, "\"abs\":\"/etc/cron.d/job\",\"class\":"
			"\"persistence\"") != NULL);
	/* an unknown dirfd: the path is not resolved */
	ev = call(30, __NR_openat, 77, 0, O_RDONLY, 6);
	add_bytes(&ev, 1, "rel");
	s = enrich_blob(&en, ev);
	CHECK(strstr(s, "\"paths\"") == NULL);
	/* symlink's target is link contents, linkpath is a path */
	ev = call(30, __NR_symlink, 0, 0, 0, 0);
	add_bytes(&ev, 0, "../../x");
	add_bytes(&ev, 1, "ln");
	s = enrich_blob(&en, ev);
	CHECK(strstr(s, "\"target\"") == NULL);
	CHECK(strstr(s, "\"linkpath\":{\"abs\":\"/home/u/src/ln\"") !=
	      NULL);
	ev = call(30, __NR_fchdir, 4, 0, 0, 0);
	(void)enrich_blob(&en, ev);
	ev = call(30, __NR_stat, 0, 0, 0, 0);
	add_bytes(&ev, 0, "passwd");
	s = enrich_blob(&en, ev);
	CHECK(strstr(s, "\"abs\":\"/etc/passwd\"") != NULL);
	/* exec closes the O_CLOEXEC descriptor 3, keeps 4 */
	(void)enrich_line(&en, call(30, __NR_execve, 0, 0, 0, 0));
	CHECK(strstr(read_fd(&en, 30, 3), "\"unknown\"") != NULL);
	CHECK(strstr(read_fd(&en, 30, 4), "\"/etc\"") != NULL);
	enrich_release(&en);
}

TEST(enrich_exit_records)
{
	struct enrich en;
	struct enrich_probe pr;
	struct buf b = BUF_INIT;
	struct call_event ev;

	enrich_init(&en, &pr);
	(void)new_task(&en, 20, 1, SIGCHLD);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_PROCESS;
	ev.nr = PEV_EXIT;
	ev.pid = ev.tid = 20;
	ev.ret = SIGKILL; /* wait status of a SIGKILL death */
	CHECK_EQ_INT(enrich_process(&en, &ev, 9, &b), 1);
	CHECK(strstr(b.s, "\"event\":\"exit\"") != NULL);
	CHECK(strstr(b.s, "\"exit\":{\"signal\":\"SIGKILL\","
			  "\"core_dumped\":false}") != NULL);
	buf_reset(&b);
	ev.ret = 3 << 8;
	ev.pid = ev.tid = 21;
	CHECK_EQ_INT(enrich_process(&en, &ev, 10, &b), 1);
	CHECK(strstr(b.s, "\"exit\":{\"code\":3}") != NULL);
	buf_release(&b);
	enrich_release(&en);
}

UNIT_MAIN(UNIT_T(path_normalization), UNIT_T(class_table),
	  UNIT_T(class_shortcuts_agree_with_fnmatch),
	  UNIT_T(class_of_addresses), UNIT_T(fdtab_dup_close_and_growth),
	  UNIT_T(fdtab_clone_files_shares_fork_copies),
	  UNIT_T(fdtab_close_range_and_exec),
	  UNIT_T(fdtab_memory_follows_open_fds_not_their_numbers),
	  UNIT_T(status_parsing),
	  UNIT_T(proc_net_parsing), UNIT_T(snapshot_of_self_round_trips),
	  UNIT_T(enrich_fd_tables_follow_clone_files_and_exec),
	  UNIT_T(enrich_paths_against_cwd_and_dirfd),
	  UNIT_T(enrich_exit_records))
