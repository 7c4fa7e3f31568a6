/*
 * killed: SIGKILL in the middle of a system call.
 *
 * The child blocks in read() on a pipe nobody writes; once the parent sees
 * (in /proc/<child>/syscall) that it sits in read, it kills it with
 * SIGKILL and checks the status.  Then, with the argument "self", the
 * program kills itself with SIGKILL (the shell status would be 137);
 * without it, it exits 0.  Prints "child <pid>".
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Waits until process `pid` blocks in syscall `nr`. */
static void wait_in_syscall(pid_t pid, long nr)
{
	char path[64], data[64];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	for (i = 0; i < 20000; i++) {
		f = fopen(path, "r");
		if (f != NULL) {
			if (fgets(data, sizeof(data), f) != NULL &&
			    data[0] != 'r' && strtol(data, NULL, 10) == nr) {
				fclose(f);
				return;
			}
			fclose(f);
		}
		usleep(1000);
	}
}

int main(int argc, char **argv)
{
	int p[2], status;
	char c;
	pid_t pid;

	if (pipe(p) != 0)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(p[1]);
		(void)read(p[0], &c, 1);
		_exit(0);
	}
	printf("child %d\n", (int)pid);
	fflush(stdout);
	wait_in_syscall(pid, SYS_read);
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGKILL)
		return 3;
	if (argc > 1 && strcmp(argv[1], "self") == 0)
		kill(getpid(), SIGKILL);
	return 0;
}
