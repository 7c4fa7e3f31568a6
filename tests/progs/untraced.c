/*
 * untraced: children created with CLONE_UNTRACED, which keeps a tracer
 * from auto-attaching them.
 *
 * 1. raw clone(CLONE_UNTRACED|SIGCHLD) (fork-like, no new stack): the
 *    child calls getppid() and umask(022) and _exit(9).
 * 2. raw clone3 with CLONE_UNTRACED: the child calls getppid() and
 *    _exit(10).
 * Prints "clone <pid>" and "clone3 <pid>".  Exits 0 if both children
 * exited with their codes.
 */
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static int reap(long pid, int code)
{
	int status;

	return waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == code;
}

int main(void)
{
	struct clone_args ca;
	long pid;
	int ok = 1;

	/* x86_64 clone(flags, stack, parent_tid, child_tid, tls) */
	pid = syscall(SYS_clone, (long)(CLONE_UNTRACED | SIGCHLD), 0L, 0L, 0L,
		      0L);
	if (pid < 0)
		return 2;
	if (pid == 0) {
		(void)syscall(SYS_getppid);
		(void)umask(022);
		_exit(9);
	}
	printf("clone %ld\n", pid);
	fflush(stdout);
	ok &= reap(pid, 9);

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_UNTRACED;
	ca.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0)
		return 3;
	if (pid == 0) {
		(void)syscall(SYS_getppid);
		_exit(10);
	}
	printf("clone3 %ld\n", pid);
	fflush(stdout);
	ok &= reap(pid, 10);
	return ok ? 0 : 1;
}
