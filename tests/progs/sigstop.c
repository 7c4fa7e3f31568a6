/*
 * sigstop: group-stop under tracing.
 *
 * The child stops itself with raise(SIGSTOP); the parent sees the stop
 * with waitpid(WUNTRACED), sends SIGCONT, sees WIFCONTINUED with
 * waitpid(WCONTINUED), and then the child's exit status 5 (the child calls
 * getppid() after it is continued).  Exits 0 if all of that happened in
 * order; a distinct code names the first step that went wrong.  An alarm
 * turns a hang into death by SIGALRM.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;
	pid_t pid;

	alarm(30);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		raise(SIGSTOP);
		(void)syscall(SYS_getppid);
		_exit(5);
	}
	printf("child %d\n", (int)pid);
	fflush(stdout);
	if (waitpid(pid, &status, WUNTRACED) != pid)
		return 3;
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		fprintf(stderr, "sigstop: expected a stop, status %#x\n", status);
		return 4;
	}
	if (kill(pid, SIGCONT) != 0)
		return 5;
	if (waitpid(pid, &status, WCONTINUED) != pid)
		return 6;
	if (!WIFCONTINUED(status)) {
		fprintf(stderr, "sigstop: expected continued, status %#x\n",
			status);
		return 7;
	}
	if (waitpid(pid, &status, 0) != pid)
		return 8;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 5) {
		fprintf(stderr, "sigstop: expected exit 5, status %#x\n", status);
		return 9;
	}
	return 0;
}
