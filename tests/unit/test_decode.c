/*
 * test_decode.c: the decoder against a fake tracee: capture (entry and
 * exit) into the blob, then decode_args() to JSON or text, one behaviour
 * per test.  The fake tracee is one readable byte range; everything
 * outside it faults, and a read crossing its end is short, as a read into
 * an unmapped page is.
 */
#include "decode/args.h"
#include "decode/blob.h"
#include "decode/capture.h"
#include "decode/syscalls.h"
#include "log/record.h"

#include <asm/unistd_64.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/sched.h>

#include "unit.h"

#define BASE 0x10000000ULL
#define FAKE_SIZE (8u << 20)

struct fake {
	unsigned char *mem;	/* FAKE_SIZE bytes mapped at BASE */
	size_t size;		/* readable bytes from BASE */
	size_t top;		/* bump allocator */
	unsigned long reads;
};

static struct fake fk;

static ssize_t fake_read(const struct mem_reader *m, uint64_t addr, void *dst,
			 size_t len)
{
	struct fake *f = m->ctx;

	f->reads++;
	if (addr < BASE || addr >= BASE + f->size)
		return -EFAULT;
	if (len > BASE + f->size - addr)
		len = (size_t)(BASE + f->size - addr);
	memcpy(dst, f->mem + (addr - BASE), len);
	return (ssize_t)len;
}

static void fake_reset(void)
{
	if (fk.mem == NULL)
		fk.mem = malloc(FAKE_SIZE);
	memset(fk.mem, 0x5a, 4096);
	fk.size = FAKE_SIZE;
	fk.top = 0;
	fk.reads = 0;
}

/* Copies `len` bytes into the fake tracee; returns their address. */
static uint64_t put(const void *data, size_t len)
{
	uint64_t a = BASE + fk.top;

	memcpy(fk.mem + fk.top, data, len);
	fk.top += (len + 7) & ~(size_t)7;
	return a;
}

static uint64_t put_str(const char *s)
{
	return put(s, strlen(s) + 1);
}

/* A NULL-terminated pointer array of `n` strings, 8-byte pointers. */
static uint64_t put_argv(const char *const *v, size_t n)
{
	uint64_t *p = calloc(n + 1, 8);
	uint64_t a;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = put_str(v[i]);
	a = put(p, (n + 1) * 8);
	free(p);
	return a;
}

static struct capture_opts opts = CAPTURE_OPTS_INIT;

/* Runs capture at entry (and exit when ret is given) and decodes. */
static char *run(struct call_event *ev, int with_exit, int64_t ret, int text)
{
	struct mem_reader m = { fake_read, 0, &fk };
	struct capture c;
	struct buf b = BUF_INIT;

	capture_init(&c, &opts);
	decode_capture(&c, ev, &m, 0);
	if (with_exit) {
		ev->ret = ret;
		ev->is_error = ret < 0 && ret > -4096;
		decode_capture(&c, ev, &m, 1);
	}
	decode_args(&b, ev, text);
	capture_release(&c);
	return buf_detach(&b, NULL);
}

static struct call_event call(int abi, int nr, uint64_t a0, uint64_t a1,
			      uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5)
{
	struct call_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_SYSCALL;
	ev.abi = (uint8_t)abi;
	ev.nr = nr;
	ev.args[0] = a0;
	ev.args[1] = a1;
	ev.args[2] = a2;
	ev.args[3] = a3;
	ev.args[4] = a4;
	ev.args[5] = a5;
	return ev;
}

/* Checks that `s` is valid JSON. */
static int valid_json(const char *s)
{
	json_error_t err;
	json_t *j = json_loads(s, JSON_ALLOW_NUL, &err);

	if (j == NULL) {
		fprintf(stderr, "invalid JSON (%s): %.200s\n", err.text, s);
		return 0;
	}
	json_decref(j);
	return 1;
}

#define EXPECT(ev, exit, ret, want)                                          \
	do {                                                                 \
		char *got_ = run(&(ev), (exit), (ret), 0);                   \
		CHECK_EQ_STR(got_, (want));                                  \
		CHECK(valid_json(got_));                                     \
		free(got_);                                                  \
		call_event_release(&(ev));                                   \
	} while (0)

TEST(openat_path_and_flags)
{
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, __NR_openat, (uint64_t)(int64_t)AT_FDCWD,
		  put_str("/etc/passwd"), O_RDONLY | O_CLOEXEC, 0, 0, 0);
	EXPECT(ev, 1, 3,
	       "{\"dirfd\":\"AT_FDCWD\",\"pathname\":\"/etc/passwd\","
	       "\"flags\":\"O_RDONLY|O_CLOEXEC\",\"mode\":0}");
	ev = call(ABI_X86_64, __NR_openat, 5, put_str("x"),
		  O_WRONLY | O_CREAT | O_TRUNC | 0x40000000, 0644, 0, 0);
	EXPECT(ev, 1, 3,
	       "{\"dirfd\":5,\"pathname\":\"x\",\"flags\":\"O_WRONLY|O_CREAT|"
	       "O_TRUNC|0x40000000\",\"mode\":420}");
}

TEST(bad_pointer_is_fault_object)
{
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, __NR_openat, (uint64_t)(int64_t)AT_FDCWD,
		  0xdead0000, O_RDONLY, 0, 0, 0);
	EXPECT(ev, 1, -EFAULT,
	       "{\"dirfd\":\"AT_FDCWD\",\"pathname\":{\"addr\":\"0xdead0000\","
	       "\"error\":\"EFAULT\"},\"flags\":\"O_RDONLY\",\"mode\":0}");
	ev = call(ABI_X86_64, __NR_chdir, 0, 0, 0, 0, 0, 0);
	EXPECT(ev, 1, -EFAULT, "{\"path\":null}");
}

TEST(path_without_nul_is_truncated_at_path_max)
{
	struct call_event ev;
	char *big = malloc(6000), *want, *got;
	struct buf w = BUF_INIT;

	fake_reset();
	memset(big, 'a', 6000);
	ev = call(ABI_X86_64, __NR_chdir, put(big, 6000), 0, 0, 0, 0, 0);
	buf_adds(&w, "{\"path\":{\"str\":\"");
	memset(big, 'a', 4095);
	buf_add(&w, big, 4095);
	buf_adds(&w, "\",\"truncated\":true}}");
	want = w.s;
	got = run(&ev, 0, 0, 0);
	CHECK_EQ_STR(got, want);
	free(got);
	call_event_release(&ev);
	/* exactly PATH_MAX - 1 bytes and a NUL: complete */
	big[4095] = '\0';
	ev = call(ABI_X86_64, __NR_chdir, put(big, 4096), 0, 0, 0, 0, 0);
	got = run(&ev, 0, 0, 0);
	CHECK(strstr(got, "truncated") == NULL);
	CHECK_EQ_INT(strlen(got), 4095 + strlen("{\"path\":\"\"}"));
	free(got);
	call_event_release(&ev);
	buf_release(&w);
	free(big);
}

TEST(string_running_into_unmapped_page)
{
	struct call_event ev;
	uint64_t a;

	fake_reset();
	/* "abc" as the last bytes of the readable range, no NUL */
	fk.size = 8192;
	a = BASE + 8192 - 3;
	memcpy(fk.mem + 8192 - 3, "abc", 3);
	ev = call(ABI_X86_64, __NR_chdir, a, 0, 0, 0, 0, 0);
	EXPECT(ev, 0, 0, "{\"path\":{\"str\":\"abc\",\"truncated\":true}}");
	/* "ab\0" ending exactly at the boundary: complete */
	memcpy(fk.mem + 8192 - 3, "ab", 3);
	ev = call(ABI_X86_64, __NR_chdir, a, 0, 0, 0, 0, 0);
	EXPECT(ev, 0, 0, "{\"path\":\"ab\"}");
}

TEST(hostile_bytes_are_escaped)
{
	struct call_event ev;
	char *got;

	fake_reset();
	ev = call(ABI_X86_64, __NR_unlink,
		  put_str("a\"b\\c\n\x01\xff\xc3\xa9"), 0, 0, 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"pathname\":\"a\\\"b\\\\\\\\c\\n\\u0001\\\\xff\xc3\xa9\"}");
	ev = call(ABI_X86_64, __NR_unlink, put_str("q\"\n\xff"), 0, 0, 0, 0, 0);
	got = run(&ev, 0, 0, 1);
	CHECK_EQ_STR(got, "\"q\\\"\\n\\xff\"");
	free(got);
	call_event_release(&ev);
}

TEST(data_string_bounded_by_strsize)
{
	struct call_event ev;

	fake_reset();
	opts.strsize = 4;
	ev = call(ABI_X86_64, __NR_memfd_create, put_str("abcd"), 1, 0, 0, 0,
		  0);
	EXPECT(ev, 0, 0, "{\"name\":\"abcd\",\"flags\":\"MFD_CLOEXEC\"}");
	ev = call(ABI_X86_64, __NR_memfd_create, put_str("abcde"), 0, 0, 0, 0,
		  0);
	EXPECT(ev, 0, 0,
	       "{\"name\":{\"str\":\"abcd\",\"truncated\":true},\"flags\":\"0\"}");
	opts.strsize = 32;
}

TEST(execve_argv_and_env_names)
{
	static const char *const argv[] = { "/bin/echo", "hi there", "" };
	static const char *const envp[] = { "PATH=/bin", "SECRET=hunter2",
					    "NOEQUALS" };
	struct call_event ev;
	uint64_t path;

	fake_reset();
	path = put_str("/bin/echo");
	ev = call(ABI_X86_64, __NR_execve, path, put_argv(argv, 3),
		  put_argv(envp, 3), 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"pathname\":\"/bin/echo\",\"argv\":[\"/bin/echo\",\"hi there\","
	       "\"\"],\"envp\":[\"PATH\",\"SECRET\",\"NOEQUALS\"]}");
	opts.env_values = true;
	ev = call(ABI_X86_64, __NR_execve, path, put_argv(argv, 1),
		  put_argv(envp, 2), 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"pathname\":\"/bin/echo\",\"argv\":[\"/bin/echo\"],\"envp\":"
	       "[\"PATH=/bin\",\"SECRET=hunter2\"]}");
	opts.env_values = false;
	/* argv NULL, envp a bad pointer */
	ev = call(ABI_X86_64, __NR_execve, path, 0, 0x1000, 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"pathname\":\"/bin/echo\",\"argv\":null,\"envp\":{\"addr\":"
	       "\"0x1000\",\"error\":\"EFAULT\"}}");
}

TEST(argv_element_bad_pointer)
{
	struct call_event ev;
	uint64_t v[3];

	fake_reset();
	v[0] = put_str("ok");
	v[1] = 0x2000;
	v[2] = 0;
	ev = call(ABI_X86_64, __NR_execve, put_str("/x"), put(v, sizeof(v)), 0,
		  0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"pathname\":\"/x\",\"argv\":[\"ok\",{\"addr\":\"0x2000\","
	       "\"error\":\"EFAULT\"}],\"envp\":null}");
}

TEST(argv_array_running_into_unmapped_page)
{
	struct call_event ev;
	uint64_t s = 0, a;
	char *got;

	fake_reset();
	s = put_str("x");
	/* the array's last readable slot is at the end of the range */
	fk.size = 65536;
	a = BASE + 65536 - 16;
	memcpy(fk.mem + 65536 - 16, &s, 8);
	memcpy(fk.mem + 65536 - 8, &s, 8);
	ev = call(ABI_X86_64, __NR_execve, s, a, 0, 0, 0, 0);
	got = run(&ev, 0, 0, 0);
	CHECK_EQ_STR(got, "{\"pathname\":\"x\",\"argv\":{\"list\":[\"x\",\"x\","
			  "{\"addr\":\"0x10010000\",\"error\":\"EFAULT\"}],"
			  "\"truncated\":true},\"envp\":null}");
	free(got);
	call_event_release(&ev);
}

TEST(huge_argv_is_bounded)
{
	/* 4 MiB of argv: 65536 strings of 63 bytes */
	enum { N = 65536 };
	uint64_t *v = calloc(N + 1, 8), a, s;
	char str[64];
	struct call_event ev;
	struct mem_reader m = { fake_read, 0, &fk };
	struct capture c;
	struct buf b = BUF_INIT;
	size_t i;

	fake_reset();
	memset(str, 'x', 63);
	str[63] = '\0';
	for (i = 0; i < N; i++) {
		str[0] = (char)('a' + i % 26);
		s = put(str, 64);
		v[i] = s;
	}
	a = put(v, (N + 1) * 8);
	ev = call(ABI_X86_64, __NR_execve, put_str("/bin/true"), a, 0, 0, 0, 0);
	capture_init(&c, &opts);
	fk.reads = 0;
	decode_capture(&c, &ev, &m, 0);
	CHECK(ev.blob_len < CAP_LIST_MAX_BYTES + CAP_LIST_MAX_ELEMS * 8 +
				    8192);
	/* a page window serves many strings per read */
	CHECK(fk.reads < 200);
	decode_args(&b, &ev, 0);
	CHECK(b.len < 2 * CAP_LIST_MAX_BYTES);
	CHECK(strstr(b.s, "\"truncated\":true}") != NULL);
	CHECK(valid_json(b.s));
	buf_release(&b);
	capture_release(&c);
	call_event_release(&ev);
	free(v);
}

TEST(sockaddr_inet_inet6_unix_netlink_packet)
{
	struct sockaddr_in in4 = { 0 };
	struct sockaddr_in6 in6 = { 0 };
	struct sockaddr_un un = { 0 };
	unsigned char nl[12] = { AF_NETLINK, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0 };
	unsigned char ll[20] = { AF_PACKET, 0, 0x08, 0x00, 2, 0, 0, 0, 1, 0,
				 0, 6, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	struct call_event ev;

	fake_reset();
	in4.sin_family = AF_INET;
	in4.sin_port = htons(9);
	in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ev = call(ABI_X86_64, __NR_connect, 3, put(&in4, sizeof(in4)),
		  sizeof(in4), 0, 0, 0);
	EXPECT(ev, 1, -ECONNREFUSED,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_INET\",\"addr\":"
	       "\"127.0.0.1\",\"port\":9},\"addrlen\":16}");
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(443);
	in6.sin6_addr = in6addr_loopback;
	ev = call(ABI_X86_64, __NR_connect, 3, put(&in6, sizeof(in6)),
		  sizeof(in6), 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_INET6\",\"addr\":\"::1\","
	       "\"port\":443,\"flowinfo\":0,\"scope_id\":0},\"addrlen\":28}");
	un.sun_family = AF_UNIX;
	memcpy(un.sun_path, "\0cap\0s\"", 7);
	ev = call(ABI_X86_64, __NR_bind, 3, put(&un, sizeof(un)), 2 + 7, 0, 0,
		  0);
	EXPECT(ev, 0, 0,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_UNIX\",\"abstract\":"
	       "\"cap\\u0000s\\\"\"},\"addrlen\":9}");
	strcpy(un.sun_path, "/run/x.sock");
	ev = call(ABI_X86_64, __NR_connect, 3, put(&un, sizeof(un)),
		  sizeof(un), 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_UNIX\",\"path\":"
	       "\"/run/x.sock\"},\"addrlen\":110}");
	ev = call(ABI_X86_64, __NR_bind, 3, put(nl, sizeof(nl)), 12, 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_NETLINK\",\"pid\":7,"
	       "\"groups\":\"0x1\"},\"addrlen\":12}");
	ev = call(ABI_X86_64, __NR_bind, 3, put(ll, sizeof(ll)), 20, 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_PACKET\",\"protocol\":"
	       "\"0x800\",\"ifindex\":2,\"hatype\":1,\"pkttype\":0,\"addr\":"
	       "\"aa:bb:cc:dd:ee:ff\"},\"addrlen\":20}");
	/* a claimed length past sockaddr_storage */
	ev = call(ABI_X86_64, __NR_connect, 3, put(&in4, sizeof(in4)), 100000,
		  0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_INET\",\"addr\":"
	       "\"127.0.0.1\",\"port\":9,\"truncated\":true},\"addrlen\":100000}");
}

TEST(accept_address_read_at_exit)
{
	struct sockaddr_in in4 = { 0 };
	uint32_t len = sizeof(in4);
	struct call_event ev;
	uint64_t a, l;

	fake_reset();
	in4.sin_family = AF_INET;
	in4.sin_port = htons(5555);
	in4.sin_addr.s_addr = htonl(0x0a000001);
	a = put(&in4, sizeof(in4));
	l = put(&len, 4);
	ev = call(ABI_X86_64, __NR_accept4, 3, a, l, SOCK_CLOEXEC, 0, 0);
	EXPECT(ev, 1, 4,
	       "{\"sockfd\":3,\"addr\":{\"family\":\"AF_INET\",\"addr\":"
	       "\"10.0.0.1\",\"port\":5555},\"addrlen\":16,\"flags\":"
	       "\"SOCK_CLOEXEC\"}");
	/* an IPv6 peer into a 16-byte buffer: the kernel wrote 16 bytes
	 * and stored 28; only the 16 are read, marked truncated */
	{
		struct sockaddr_in6 in6 = { 0 };
		uint32_t small = 16;
		struct mem_reader m = { fake_read, 0, &fk };
		struct capture c;
		struct buf b = BUF_INIT;
		uint64_t a6 = put(&in6, sizeof(in6)), l6 = put(&small, 4);

		ev = call(ABI_X86_64, __NR_accept, 3, a6, l6, 0, 0, 0);
		capture_init(&c, &opts);
		decode_capture(&c, &ev, &m, 0);
		in6.sin6_family = AF_INET6;
		in6.sin6_port = htons(1);
		memcpy(fk.mem + (a6 - BASE), &in6, 16);
		small = 28;
		memcpy(fk.mem + (l6 - BASE), &small, 4);
		ev.ret = 4;
		decode_capture(&c, &ev, &m, 1);
		decode_args(&b, &ev, 0);
		CHECK_EQ_STR(b.s, "{\"sockfd\":3,\"addr\":{\"family\":\"AF_INET6\","
				  "\"data\":\"0001000000000000000000000000\","
				  "\"truncated\":true},\"addrlen\":28}");
		buf_release(&b);
		capture_release(&c);
		call_event_release(&ev);
	}
	/* failed: the pointers only */
	ev = call(ABI_X86_64, __NR_accept4, 3, a, l, 0, 0, 0);
	EXPECT(ev, 1, -EAGAIN,
	       "{\"sockfd\":3,\"addr\":\"0x10000000\",\"addrlen\":\"0x10000010\","
	       "\"flags\":\"0\"}");
}

TEST(pipe2_and_socketpair_fds_at_exit)
{
	int32_t fds[2] = { 3, 4 };
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, __NR_pipe2, put(fds, 8), O_CLOEXEC | O_NONBLOCK,
		  0, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"pipefd\":[3,4],\"flags\":\"O_CLOEXEC|O_NONBLOCK\"}");
	ev = call(ABI_X86_64, __NR_socketpair, AF_UNIX,
		  SOCK_STREAM | SOCK_CLOEXEC, 0, put(fds, 8), 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"domain\":\"AF_UNIX\",\"type\":\"SOCK_STREAM|SOCK_CLOEXEC\","
	       "\"protocol\":0,\"sv\":[3,4]}");
	ev = call(ABI_X86_64, __NR_socket, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0,
		  0, 0);
	EXPECT(ev, 1, 3,
	       "{\"domain\":\"AF_INET6\",\"type\":\"SOCK_DGRAM\",\"protocol\":"
	       "\"IPPROTO_UDP\"}");
}

TEST(data_buffers_only_with_data_option)
{
	struct call_event ev;
	uint64_t a;

	fake_reset();
	a = put("hello\n", 6);
	ev = call(ABI_X86_64, __NR_write, 1, a, 6, 0, 0, 0);
	EXPECT(ev, 1, 6, "{\"fd\":1,\"buf\":\"0x10000000\",\"count\":6}");
	opts.data = 4;
	ev = call(ABI_X86_64, __NR_write, 1, a, 6, 0, 0, 0);
	EXPECT(ev, 1, 6,
	       "{\"fd\":1,\"buf\":{\"str\":\"hell\",\"truncated\":true},"
	       "\"count\":6}");
	/* read: the bytes the call returned, read at exit */
	ev = call(ABI_X86_64, __NR_read, 0, a, 100, 0, 0, 0);
	EXPECT(ev, 1, 3, "{\"fd\":0,\"buf\":\"hel\",\"count\":100}");
	opts.data = 0;
}

TEST(clone_clone3_and_flags)
{
	uint64_t ca[11] = { CLONE_VM | CLONE_PIDFD | CLONE_NEWTIME, 0x100, 0,
			    0, SIGCHLD, 0x7000, 8192, 0, 0, 0, 0 };
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, __NR_clone3, put(ca, 88), 88, 0, 0, 0, 0);
	EXPECT(ev, 1, 100,
	       "{\"cl_args\":{\"flags\":\"CLONE_VM|CLONE_PIDFD|CLONE_NEWTIME\","
	       "\"pidfd\":\"0x100\",\"child_tid\":null,\"parent_tid\":null,"
	       "\"exit_signal\":\"SIGCHLD\",\"stack\":\"0x7000\",\"stack_size\":"
	       "8192,\"tls\":null,\"set_tid\":null,\"set_tid_size\":0,"
	       "\"cgroup\":0},\"size\":88}");
	ev = call(ABI_X86_64, __NR_clone,
		  CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0, 0,
		  0x1234, 0, 0);
	EXPECT(ev, 1, 100,
	       "{\"flags\":\"CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD\","
	       "\"stack\":null,\"parent_tid\":null,\"child_tid\":\"0x1234\","
	       "\"tls\":\"0x0\"}");
}

TEST(enums_signals_prctl_ptrace_mount_personality)
{
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, __NR_kill, (uint64_t)-1, SIGKILL, 0, 0, 0, 0);
	EXPECT(ev, 1, 0, "{\"pid\":-1,\"sig\":\"SIGKILL\"}");
	ev = call(ABI_X86_64, __NR_tgkill, 1, 2, 40, 0, 0, 0);
	EXPECT(ev, 1, 0, "{\"tgid\":1,\"tid\":2,\"sig\":\"SIGRT_8\"}");
	ev = call(ABI_X86_64, __NR_prctl, 38, 1, 0, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"option\":\"PR_SET_NO_NEW_PRIVS\",\"arg2\":1,\"arg3\":0,"
	       "\"arg4\":0,\"arg5\":0}");
	ev = call(ABI_X86_64, __NR_ptrace, 0x4206, 77, 0, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"request\":\"PTRACE_SEIZE\",\"pid\":77,\"addr\":null,"
	       "\"data\":null}");
	ev = call(ABI_X86_64, __NR_mount, put_str("none"), put_str("/mnt"),
		  put_str("tmpfs"), 0x1000 | 0x4000 | 2, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"source\":\"none\",\"target\":\"/mnt\",\"filesystemtype\":"
	       "\"tmpfs\",\"mountflags\":\"MS_NOSUID|MS_BIND|MS_REC\","
	       "\"data\":null}");
	ev = call(ABI_X86_64, __NR_personality, 0x0040000, 0, 0, 0, 0, 0);
	EXPECT(ev, 1, 0, "{\"persona\":\"PER_LINUX|ADDR_NO_RANDOMIZE\"}");
	ev = call(ABI_X86_64, __NR_wait4, (uint64_t)-1, 0, 0x40000001, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"pid\":-1,\"wstatus\":null,\"options\":\"WNOHANG|__WALL\","
	       "\"rusage\":null}");
	ev = call(ABI_X86_64, __NR_mprotect, 0x1000, 4096, 0, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"addr\":\"0x1000\",\"len\":4096,\"prot\":\"PROT_NONE\"}");
	ev = call(ABI_X86_64, __NR_setresuid, 0xffffffff, 1000, 0, 0, 0, 0);
	EXPECT(ev, 1, 0, "{\"ruid\":-1,\"euid\":1000,\"suid\":0}");
}

TEST(multiplexed_prctl_and_fcntl_arguments)
{
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, __NR_prctl, 24 /* PR_CAPBSET_DROP */, 21, 0, 0, 0,
		  0);
	EXPECT(ev, 1, 0,
	       "{\"option\":\"PR_CAPBSET_DROP\",\"arg2\":\"CAP_SYS_ADMIN\","
	       "\"arg3\":0,\"arg4\":0,\"arg5\":0}");
	ev = call(ABI_X86_64, __NR_prctl, 15 /* PR_SET_NAME */, put_str("evil\n"),
		  0, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"option\":\"PR_SET_NAME\",\"arg2\":\"evil\\n\",\"arg3\":0,"
	       "\"arg4\":0,\"arg5\":0}");
	ev = call(ABI_X86_64, __NR_fcntl, 3, F_SETFL, O_NONBLOCK | O_APPEND, 0,
		  0, 0);
	EXPECT(ev, 1, 0,
	       "{\"fd\":3,\"cmd\":\"F_SETFL\",\"arg\":\"O_RDONLY|O_APPEND|"
	       "O_NONBLOCK\"}");
	ev = call(ABI_X86_64, __NR_fcntl, 3, F_SETFD, FD_CLOEXEC, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"fd\":3,\"cmd\":\"F_SETFD\",\"arg\":\"FD_CLOEXEC\"}");
	ev = call(ABI_X86_64, __NR_fcntl, 3, F_DUPFD_CLOEXEC, 10, 0, 0, 0);
	EXPECT(ev, 1, 11,
	       "{\"fd\":3,\"cmd\":\"F_DUPFD_CLOEXEC\",\"arg\":10}");
}

TEST(capabilities_and_timespec)
{
	uint32_t hdr[2] = { 0x20080522, 0 };
	uint32_t data[6] = { 1u << 21, 1u << 21 | 1u << 12, 0, 0, 1, 0 };
	int64_t ts[2] = { 1, 500 };
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, __NR_capset, put(hdr, 8), put(data, 24), 0, 0, 0,
		  0);
	EXPECT(ev, 1, 0,
	       "{\"hdrp\":{\"version\":\"0x20080522\",\"pid\":0},\"datap\":"
	       "{\"effective\":\"CAP_SYS_ADMIN\",\"permitted\":\"CAP_NET_ADMIN|"
	       "CAP_SYS_ADMIN|CAP_MAC_OVERRIDE\",\"inheritable\":\"0\"}}");
	ev = call(ABI_X86_64, __NR_nanosleep, put(ts, 16), 0, 0, 0, 0, 0);
	EXPECT(ev, 1, 0,
	       "{\"req\":{\"tv_sec\":1,\"tv_nsec\":500},\"rem\":null}");
}

TEST(i386_uses_32_bit_pointers)
{
	static const char *const argv[] = { "a", "b" };
	uint32_t v[3];
	struct call_event ev;

	fake_reset();
	v[0] = (uint32_t)put_str(argv[0]);
	v[1] = (uint32_t)put_str(argv[1]);
	v[2] = 0;
	/* i386 execve is 11; the upper register half is ignored */
	ev = call(ABI_I386, 11, put_str("/bin/x") | 0xffffffff00000000ULL,
		  put(v, sizeof(v)), 0, 0, 0, 0);
	EXPECT(ev, 0, 0,
	       "{\"pathname\":\"/bin/x\",\"argv\":[\"a\",\"b\"],\"envp\":null}");
	/* i386 openat is 295, AT_FDCWD in 32 bits */
	ev = call(ABI_I386, 295, 0xffffff9c, put_str("/etc"), O_RDONLY, 0, 0,
		  0);
	EXPECT(ev, 0, 0,
	       "{\"dirfd\":\"AT_FDCWD\",\"pathname\":\"/etc\",\"flags\":"
	       "\"O_RDONLY\",\"mode\":0}");
}

TEST(unknown_syscall_has_empty_args)
{
	struct call_event ev;

	fake_reset();
	ev = call(ABI_X86_64, 999, 1, 2, 3, 4, 5, 6);
	EXPECT(ev, 1, -ENOSYS, "{}");
	CHECK(syscall_desc(ABI_X86_64, -1) == NULL);
	CHECK(syscall_desc(ABI_I386, 100000) == NULL);
}

TEST(text_format_line)
{
	struct call_event ev;
	struct buf b = BUF_INIT;
	struct mem_reader m = { fake_read, 0, &fk };
	struct capture c;

	fake_reset();
	ev = call(ABI_X86_64, __NR_openat, (uint64_t)(int64_t)AT_FDCWD,
		  put_str("/etc/passwd"), O_RDONLY, 0, 0, 0);
	ev.tid = 1234;
	capture_init(&c, &opts);
	decode_capture(&c, &ev, &m, 0);
	ev.ret = 3;
	decode_capture(&c, &ev, &m, 1);
	record_syscall_text(&b, &ev);
	CHECK_EQ_STR(b.s, "1234 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY, "
			  "0) = 3\n");
	call_event_release(&ev);
	buf_reset(&b);
	ev = call(ABI_X86_64, __NR_openat, (uint64_t)(int64_t)AT_FDCWD,
		  put_str("/nope"), O_RDONLY, 0, 0, 0);
	ev.tid = 7;
	decode_capture(&c, &ev, &m, 0);
	ev.ret = -ENOENT;
	ev.is_error = 1;
	decode_capture(&c, &ev, &m, 1);
	record_syscall_text(&b, &ev);
	CHECK_EQ_STR(b.s, "7 openat(AT_FDCWD, \"/nope\", O_RDONLY, 0) = -1 "
			  "ENOENT (No such file or directory)\n");
	call_event_release(&ev);
	capture_release(&c);
	buf_release(&b);
}

TEST(record_line_has_object_args_and_raw)
{
	struct call_event ev;
	struct buf b = BUF_INIT;
	json_t *j;

	fake_reset();
	ev = call(ABI_X86_64, __NR_close, 3, 0, 0, 0, 0, 0);
	/* record_syscall() writes the payload; the chain adds the frame */
	buf_adds(&b, "{\"type\":\"syscall\"");
	record_syscall(&b, &ev);
	buf_addch(&b, '}');
	j = json_loads(b.s, 0, NULL);
	CHECK(j != NULL);
	if (j != NULL) {
		CHECK(json_is_object(json_object_get(j, "args")));
		CHECK_EQ_INT(json_integer_value(json_object_get(
				     json_object_get(j, "args"), "fd")),
			     3);
		CHECK_EQ_INT(json_array_size(json_object_get(j, "raw")), 6);
		json_decref(j);
	}
	buf_release(&b);
}

TEST(tables_are_consistent)
{
	int abi, nr, i;

	syscalls_init();
	for (abi = 0; abi < _ABI_MAX; abi++) {
		for (nr = 0; nr < 1024; nr++) {
			const struct syscall_desc *d = syscall_desc(abi, nr);

			if (d == NULL)
				continue;
			CHECK(d->class != 0);
			for (i = 0; i < syscall_nargs(d); i++) {
				CHECK(d->args[i].name != NULL);
				CHECK(d->args[i].kind < _K_MAX);
			}
		}
	}
	CHECK_EQ_STR(syscall_name(ABI_X86_64, __NR_openat), "openat");
	CHECK_EQ_STR(syscall_name(ABI_I386, 11), "execve");
	CHECK_EQ_STR(syscall_name(ABI_X32, 520), "execve");
	CHECK(syscall_desc(ABI_X32, 59) == NULL);
}

UNIT_MAIN(UNIT_T(openat_path_and_flags), UNIT_T(bad_pointer_is_fault_object),
	  UNIT_T(path_without_nul_is_truncated_at_path_max),
	  UNIT_T(string_running_into_unmapped_page),
	  UNIT_T(hostile_bytes_are_escaped),
	  UNIT_T(data_string_bounded_by_strsize),
	  UNIT_T(execve_argv_and_env_names), UNIT_T(argv_element_bad_pointer),
	  UNIT_T(argv_array_running_into_unmapped_page),
	  UNIT_T(huge_argv_is_bounded),
	  UNIT_T(sockaddr_inet_inet6_unix_netlink_packet),
	  UNIT_T(accept_address_read_at_exit),
	  UNIT_T(pipe2_and_socketpair_fds_at_exit),
	  UNIT_T(data_buffers_only_with_data_option),
	  UNIT_T(clone_clone3_and_flags),
	  UNIT_T(enums_signals_prctl_ptrace_mount_personality),
	  UNIT_T(multiplexed_prctl_and_fcntl_arguments),
	  UNIT_T(capabilities_and_timespec), UNIT_T(i386_uses_32_bit_pointers),
	  UNIT_T(unknown_syscall_has_empty_args), UNIT_T(text_format_line),
	  UNIT_T(record_line_has_object_args_and_raw),
	  UNIT_T(tables_are_consistent))
