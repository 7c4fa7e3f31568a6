/*
 * untraced_race: a sibling thread races capsule for clone3's flags.
 * Thread B keeps storing CLONE_UNTRACED into the struct clone_args that
 * the main thread passes to clone3 N times, so that capsule's clearing
 * of the flag may be undone before the kernel reads the struct.  Each
 * child looks at TracerPid in /proc/self/status first thing and exits 1
 * if it runs untraced.  Prints "escaped=E of N"; E must be 0 under
 * capsule (tests/integration/test_core.py).
 * usage: untraced_race N
 */
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static struct clone_args ca;
static atomic_int stop;

static void *setter(void *arg)
{
	volatile uint64_t *flags = (volatile uint64_t *)&ca.flags;

	while (!atomic_load_explicit(&stop, memory_order_relaxed))
		*flags = CLONE_UNTRACED;
	return arg;
}

static int traced(void)
{
	char buf[4096], *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return 1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "TracerPid:");
	return p == NULL || atoi(p + 10) != 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, i, escaped = 0, status;
	pthread_t t;
	long pid;

	if (pthread_create(&t, NULL, setter, NULL) != 0)
		return 2;
	for (i = 0; i < n; i++) {
		ca.flags = CLONE_UNTRACED;
		ca.exit_signal = SIGCHLD;
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
		if (pid == 0)
			_exit(traced() ? 0 : 1);
		if (pid > 0 && waitpid((pid_t)pid, &status, 0) == pid &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 1)
			escaped++;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("escaped=%d of %d\n", escaped, n);
	return 0;
}
