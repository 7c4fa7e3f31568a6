/*
 * orphan: a child that outlives its parent.
 *
 * The parent forks, prints "child <pid>" and exits 0 at once; the child
 * sleeps 200 ms (to be sure the parent is gone), calls getppid() (the
 * marker: its parent is no longer the original one) and umask(0) and
 * exits 0.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		nanosleep(&ts, NULL);
		(void)syscall(SYS_getppid);
		(void)umask(0);
		_exit(0);
	}
	printf("child %d\n", (int)pid);
	fflush(stdout);
	return 0;
}
