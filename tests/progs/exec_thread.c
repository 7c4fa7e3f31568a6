/*
 * exec_thread: execve from a non-leader thread.
 *
 * Without arguments: prints "leader <pid>", "bystander <tid>" and "execer
 * <tid>", then the execer thread execs this program again with the
 * argument "after" while the leader blocks in pause() and the bystander
 * thread in read() on a pipe nobody writes (the execer waits until both
 * do).  With "after": calls getppid() once (the
 * marker of the new image), prints "after <pid> <tid>" and exits 7.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char self[4096];
static pid_t leader;
static volatile pid_t bystander_tid;
static int pipefd[2];

/* Waits until thread `tid` of this process blocks in syscall `nr`. */
static void wait_in_syscall(pid_t tid, long nr)
{
	char path[64], data[64];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	for (i = 0; i < 20000; i++) {
		f = fopen(path, "r");
		if (f != NULL) {
			if (fgets(data, sizeof(data), f) != NULL &&
			    strtol(data, NULL, 10) == nr && data[0] != 'r') {
				fclose(f);
				return;
			}
			fclose(f);
		}
		usleep(1000);
	}
}

static void *bystander(void *arg)
{
	char c;

	(void)arg;
	bystander_tid = (pid_t)syscall(SYS_gettid);
	(void)syscall(SYS_read, pipefd[0], &c, 1L);
	return NULL;
}

static void *execer(void *arg)
{
	char *argv[] = { self, "after", NULL };

	(void)arg;
	printf("execer %ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	wait_in_syscall(leader, SYS_pause);
	wait_in_syscall(bystander_tid, SYS_read);
	execv(self, argv);
	_exit(98);
}

int main(int argc, char **argv)
{
	pthread_t t;
	ssize_t n;

	if (argc > 1 && strcmp(argv[1], "after") == 0) {
		(void)syscall(SYS_getppid);
		printf("after %d %ld\n", (int)getpid(),
		       (long)syscall(SYS_gettid));
		return 7;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 2;
	self[n] = '\0';
	leader = getpid();
	printf("leader %d\n", (int)leader);
	fflush(stdout);
	if (pipe(pipefd) != 0 ||
	    pthread_create(&t, NULL, bystander, NULL) != 0)
		return 3;
	while (bystander_tid == 0)
		usleep(1000);
	printf("bystander %d\n", (int)bystander_tid);
	fflush(stdout);
	if (pthread_create(&t, NULL, execer, NULL) != 0)
		return 3;
	for (;;)
		pause();
}
