/*
 * untraced_shared: another *process* races capsule for clone3's flags.
 * The struct clone_args lives in a MAP_SHARED page; a forked helper
 * process (not a thread: capsule's freeze of the caller's threads does not
 * hold it) keeps storing CLONE_UNTRACED into it while the main process
 * calls clone3 N times.  Each child looks at TracerPid in
 * /proc/self/status first thing and exits 1 if it runs untraced.
 *
 * When clone3 fails with ENOSYS (capsule's default) the program falls back
 * to clone(CLONE_UNTRACED|SIGCHLD) with the flag in a register, as libc
 * does, so every iteration still makes a child.
 *
 * Prints "clone3=C enosys=E escaped=X of N": C children made by clone3,
 * E clone3 calls that failed with ENOSYS, X children that ran untraced.
 * usage: untraced_shared N
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

struct shared {
	struct clone_args ca;
	volatile int stop;
};

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

/* The helper process: sets the flag again and again until told to stop. */
static void setter(struct shared *sh)
{
	volatile uint64_t *flags = (volatile uint64_t *)&sh->ca.flags;

	while (!sh->stop)
		*flags = CLONE_UNTRACED;
	_exit(0);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, i, status;
	int escaped = 0, by_clone3 = 0, enosys = 0;
	struct shared *sh;
	pid_t helper;
	long pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	memset(sh, 0, sizeof(*sh));
	helper = fork();
	if (helper < 0)
		return 2;
	if (helper == 0)
		setter(sh);
	for (i = 0; i < n; i++) {
		sh->ca.flags = CLONE_UNTRACED;
		sh->ca.exit_signal = SIGCHLD;
		pid = syscall(SYS_clone3, &sh->ca, sizeof(sh->ca));
		if (pid < 0 && errno == ENOSYS) {
			enosys++;
			pid = syscall(SYS_clone, (long)(CLONE_UNTRACED | SIGCHLD),
				      0L, 0L, 0L, 0L);
		} else if (pid > 0) {
			by_clone3++;
		}
		if (pid == 0)
			_exit(traced() ? 0 : 1);
		if (pid < 0)
			return 3;
		if (waitpid((pid_t)pid, &status, 0) == pid &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 1)
			escaped++;
	}
	sh->stop = 1;
	(void)waitpid(helper, &status, 0);
	printf("clone3=%d enosys=%d escaped=%d of %d\n", by_clone3, enosys,
	       escaped, n);
	return 0;
}
