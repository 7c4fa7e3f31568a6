/*
 * bench_capture.c: cost of the capture hook per ptrace stop (what the
 * tracer thread adds for decoding), measured against this process's own
 * memory through the real process_vm_readv reader.
 *
 *   build/bench/bench_capture [iterations]
 */
#include <asm/unistd_64.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "decode/capture.h"
#include "decode/syscalls.h"

extern char **environ;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void bench(const char *what, struct capture *c,
		  const struct mem_reader *m, int nr, const uint64_t a[6],
		  int64_t ret, long iters)
{
	struct call_event ev;
	uint64_t t0, t1;
	long i;
	uint32_t blob = 0;

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.nr = nr;
		memcpy(ev.args, a, sizeof(ev.args));
		decode_capture(c, &ev, m, 0);
		ev.ret = ret;
		decode_capture(c, &ev, m, 1);
		blob = ev.blob_len;
		call_event_release(&ev);
	}
	t1 = now_ns();
	printf("%-34s %7.0f ns/stop  (blob %u bytes)\n", what,
	       (double)(t1 - t0) / (double)iters / 2.0, blob);
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	struct capture_opts o = CAPTURE_OPTS_INIT;
	struct capture c;
	struct mem_reader m;
	struct sockaddr_in sa;
	static const char path[] = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	char *args[] = { "/bin/sh", "-c", "echo hello", NULL };
	uint64_t a[6] = { 0 };
	int fds[2] = { 3, 4 };

	syscalls_init();
	mem_reader_init(&m, getpid());
	capture_init(&c, &o);

	a[0] = 3;
	bench("close (no memory argument)", &c, &m, __NR_close, a, 0, iters);
	a[0] = 0;
	a[1] = 0;
	a[2] = 4096;
	bench("read, no --data", &c, &m, __NR_read, a, 100, iters);
	a[0] = (uint64_t)(int64_t)AT_FDCWD;
	a[1] = (uintptr_t)path;
	a[2] = O_RDONLY | O_CLOEXEC;
	bench("openat (35-byte path)", &c, &m, __NR_openat, a, 3, iters);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	a[0] = 3;
	a[1] = (uintptr_t)&sa;
	a[2] = sizeof(sa);
	bench("connect (sockaddr_in)", &c, &m, __NR_connect, a, 0, iters);
	a[0] = (uintptr_t)fds;
	a[1] = O_CLOEXEC;
	bench("pipe2 (fds at exit)", &c, &m, __NR_pipe2, a, 0, iters);
	a[0] = (uintptr_t)args[0];
	a[1] = (uintptr_t)args;
	a[2] = (uintptr_t)environ;
	bench("execve (3 args + environment)", &c, &m, __NR_execve, a, 0,
	      iters / 10);
	capture_release(&c);
	return 0;
}
