/*
 * sigstop: group-stop under tracing.
 *
 * The child stops itself with raise(SIGSTOP); the parent sees the stop
 * with waitpid(WUNTRACED), sends SIGCONT, sees WIFCONTINUED with
 * waitpid(WCONTINUED), and then the child's exit status 5 (the child calls
 * getppid() after it is continued, then waits on a pipe for the parent to
 * have seen WIFCONTINUED: an exit would otherwise supersede it).  Exits 0 if all of that happened in
 * order; a distinct code names the first step that went wrong.  An alarm
 * turns a hang into death by SIGALRM.  With the argument "threaded", the
 * child first starts a thread that blocks in pause(): the group-stop must
 * then stop both threads before the parent is told.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *pauser(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;
	pthread_t t;
	int go[2];
	char c;

	alarm(30);
	if (pipe(go) != 0)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		if (argc > 1 && strcmp(argv[1], "threaded") == 0 &&
		    pthread_create(&t, NULL, pauser, NULL) != 0)
			_exit(2);
		close(go[1]);
		raise(SIGSTOP);
		(void)syscall(SYS_getppid);
		if (read(go[0], &c, 1) != 1)
			_exit(6);
		_exit(5);
	}
	close(go[0]);
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
	if (write(go[1], "g", 1) != 1)
		return 10;
	if (waitpid(pid, &status, 0) != pid)
		return 8;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 5) {
		fprintf(stderr, "sigstop: expected exit 5, status %#x\n", status);
		return 9;
	}
	return 0;
}
