/*
 * decode_kinds.c: a tracee that passes each argument kind the decoder
 * knows, hostile ones included.  `decode_kinds MODE`; the calls each mode
 * makes are what tests/integration/test_decode.py asserts on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* "abc" as the last bytes of a page followed by an unmapped page. */
static int mode_guard(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	munmap(p + pg, (size_t)pg);
	memcpy(p + pg - 3, "abc", 3);
	(void)syscall(SYS_openat, AT_FDCWD, p + pg - 3, O_RDONLY, 0);
	/* and one that ends with its NUL right at the boundary */
	memcpy(p + pg - 4, "/xy", 4);
	(void)syscall(SYS_openat, AT_FDCWD, p + pg - 4, O_RDONLY, 0);
	/* PROT_NONE guard page instead of a hole */
	mprotect(p, (size_t)pg, PROT_READ | PROT_WRITE);
	p = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	mprotect(p + pg, (size_t)pg, PROT_NONE);
	memcpy(p + pg - 2, "zz", 2);
	(void)syscall(SYS_openat, AT_FDCWD, p + pg - 2, O_RDONLY, 0);
	return 0;
}

static int mode_nonul(void)
{
	char *s = malloc(8192);

	if (s == NULL)
		return 1;
	memset(s, 'a', 8192);
	/* the kernel reads until PATH_MAX and fails: ENAMETOOLONG */
	(void)syscall(SYS_openat, AT_FDCWD, s, O_RDONLY, 0);
	free(s);
	return 0;
}

static int mode_badptr(void)
{
	(void)syscall(SYS_openat, AT_FDCWD, (char *)1, O_RDONLY, 0);
	(void)syscall(SYS_execve, "/nonexistent", (char **)8, NULL);
	return 0;
}

static int mode_utf8(void)
{
	(void)syscall(SYS_openat, AT_FDCWD, "/tmp/\xff\xfe\"q\n\x01\\ok\xc3\xa9",
		      O_RDONLY | O_CLOEXEC, 0);
	(void)syscall(SYS_mkdirat, AT_FDCWD, "/proc/capsule-\x7f", 0750);
	return 0;
}

static int mode_bigargv(void)
{
	enum { N = 40000, LEN = 100 };
	struct rlimit rl = { 64 << 20, 64 << 20 };
	char **argv = calloc(N + 2, sizeof(char *));
	char *pool = malloc((size_t)N * LEN);
	char *envp[] = { "SECRET=hunter2", NULL };
	int i;

	if (argv == NULL || pool == NULL)
		return 1;
	/* lift ARG_MAX (a quarter of the stack limit) above 4 MB */
	(void)setrlimit(RLIMIT_STACK, &rl);
	argv[0] = "/bin/true";
	for (i = 0; i < N; i++) {
		char *s = pool + (size_t)i * LEN;

		memset(s, 'a' + i % 26, LEN - 1);
		s[LEN - 1] = '\0';
		argv[i + 1] = s;
	}
	execve("/bin/true", argv, envp);
	perror("execve");
	return 1;
}

static int mode_env(void)
{
	char *argv[] = { "/bin/true", "x", NULL };
	char *envp[] = { "SECRET=hunter2", "PATH=/bin", "EMPTY=", NULL };

	execve("/bin/true", argv, envp);
	return 1;
}

static int mode_unix(void)
{
	struct sockaddr_un a;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	socklen_t len;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, "\0capsule-abstract", 17);
	(void)bind(s, (struct sockaddr *)&a,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 17));
	len = sizeof(a);
	(void)getsockname(s, (struct sockaddr *)&a, &len);
	close(s);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(a.sun_path, "/nonexistent/capsule.sock");
	(void)connect(s, (struct sockaddr *)&a, sizeof(a));
	close(s);
	return 0;
}

/* A TCP port nothing listens on: bound, then closed. */
static int closed_port(int family)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	socklen_t len;
	int s = socket(family, SOCK_STREAM, 0), port;

	if (family == AF_INET) {
		memset(&a4, 0, sizeof(a4));
		a4.sin_family = AF_INET;
		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(a4);
		bind(s, (struct sockaddr *)&a4, len);
		getsockname(s, (struct sockaddr *)&a4, &len);
		port = ntohs(a4.sin_port);
	} else {
		memset(&a6, 0, sizeof(a6));
		a6.sin6_family = AF_INET6;
		a6.sin6_addr = in6addr_loopback;
		len = sizeof(a6);
		bind(s, (struct sockaddr *)&a6, len);
		getsockname(s, (struct sockaddr *)&a6, &len);
		port = ntohs(a6.sin6_port);
	}
	close(s);
	return port;
}

static int mode_inet(void)
{
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	int s, port;

	port = closed_port(AF_INET);
	printf("%d\n", port);
	fflush(stdout);
	s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	memset(&a4, 0, sizeof(a4));
	a4.sin_family = AF_INET;
	a4.sin_port = htons((uint16_t)port);
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)connect(s, (struct sockaddr *)&a4, sizeof(a4));
	close(s);

	port = closed_port(AF_INET6);
	printf("%d\n", port);
	fflush(stdout);
	s = socket(AF_INET6, SOCK_STREAM, 0);
	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_port = htons((uint16_t)port);
	a6.sin6_addr = in6addr_loopback;
	(void)connect(s, (struct sockaddr *)&a6, sizeof(a6));
	close(s);

	/* sendto / recvfrom over UDP on loopback */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&a4, 0, sizeof(a4));
	a4.sin_family = AF_INET;
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	{
		socklen_t len = sizeof(a4);
		char buf[16];

		bind(s, (struct sockaddr *)&a4, len);
		getsockname(s, (struct sockaddr *)&a4, &len);
		(void)sendto(s, "ping", 4, 0, (struct sockaddr *)&a4,
			     sizeof(a4));
		len = sizeof(a4);
		(void)recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&a4,
			       &len);
	}
	close(s);
	return 0;
}

static int mode_pipe(void)
{
	int p[2], sv[2];
	char buf[8];

	if (pipe2(p, O_CLOEXEC) < 0)
		return 1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 1;
	if (write(p[1], "hello, world", 12) != 12)
		return 1;
	if (read(p[0], buf, sizeof(buf)) != sizeof(buf))
		return 1;
	printf("%d %d %d %d\n", p[0], p[1], sv[0], sv[1]);
	return 0;
}

static int mode_clone3(void)
{
	struct clone_args ca;
	long pid;
	int status;

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_CHILD_SETTID;
	ca.exit_signal = SIGCHLD;
	ca.child_tid = (uint64_t)(uintptr_t)&status;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0)
		syscall(SYS_exit, 0);
	if (pid < 0)
		return 1;
	waitpid((pid_t)pid, &status, 0);
	return 0;
}

static int mode_misc(void)
{
	struct timespec ts = { 0, 1000 };

	nanosleep(&ts, NULL);
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	(void)kill(getpid(), 0);
	(void)setresuid((uid_t)-1, (uid_t)-1, (uid_t)-1);
	(void)syscall(SYS_faccessat, AT_FDCWD, "/etc/passwd", R_OK | W_OK);
	(void)syscall(SYS_mprotect, NULL, 0, PROT_READ | PROT_EXEC);
	return 0;
}

/* openat and execve through the i386 ABI (int 0x80), pointers below 4 GB */
static int mode_i386(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	uint32_t *argv32;
	long ret;

	if (p == MAP_FAILED)
		return 1;
	strcpy(p, "/nonexistent-i386");
	strcpy(p + 64, "arg0");
	argv32 = (uint32_t *)(void *)(p + 128);
	argv32[0] = (uint32_t)(uintptr_t)(p + 64);
	argv32[1] = 0;
	/* openat(AT_FDCWD, p, O_RDONLY|O_CLOEXEC, 0): i386 nr 295 */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "0"(295L), "b"((long)AT_FDCWD), "c"(p),
			   "d"((long)(O_RDONLY | O_CLOEXEC)), "S"(0L)
			 : "memory");
	/* execve(p, argv32, NULL): i386 nr 11 */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "0"(11L), "b"(p), "c"(argv32), "d"(0L)
			 : "memory");
	return ret < 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} modes[] = {
		{ "guard", mode_guard },   { "nonul", mode_nonul },
		{ "badptr", mode_badptr }, { "utf8", mode_utf8 },
		{ "bigargv", mode_bigargv }, { "env", mode_env },
		{ "unix", mode_unix },	   { "inet", mode_inet },
		{ "pipe", mode_pipe },	   { "clone3", mode_clone3 },
		{ "misc", mode_misc },	   { "i386", mode_i386 },
	};
	size_t i;

	if (argc != 2)
		return 2;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			return modes[i].fn();
	return 2;
}
