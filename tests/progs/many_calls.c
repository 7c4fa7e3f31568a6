/*
 * many_calls: volume without loss.
 *
 * Usage: many_calls THREADS CALLS CHILDREN.  THREADS threads (besides
 * main) each call getppid() CALLS times; then CHILDREN processes are
 * forked one after the other, each calls getpgrp() once and _exit(0)s,
 * all of them alive at once (they wait on a pipe) before being reaped.
 * While the threads run, the main thread is in pthread_join.  Exits 0 if
 * everything worked.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long calls;

static void *worker(void *arg)
{
	long i;

	(void)arg;
	for (i = 0; i < calls; i++)
		(void)syscall(SYS_getppid);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[64];
	int nthreads, nchildren, i, p[2], status, ok = 1;
	char c;
	pid_t pid;

	if (argc != 4)
		return 2;
	nthreads = atoi(argv[1]);
	calls = atol(argv[2]);
	nchildren = atoi(argv[3]);
	if (nthreads > 64 || pipe(p) != 0)
		return 2;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 2;
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < nchildren; i++) {
		pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			close(p[1]);
			(void)syscall(SYS_getpgrp);
			(void)!read(p[0], &c, 1); /* until the parent closes */
			_exit(0);
		}
	}
	close(p[1]);
	for (i = 0; i < nchildren; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			ok = 0;
	return ok ? 0 : 1;
}
