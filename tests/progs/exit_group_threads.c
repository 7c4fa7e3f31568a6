/*
 * exit_group_threads: exit_group while other threads sit inside syscalls.
 *
 * Three threads block (raw syscalls, so the numbers are known): one in
 * nanosleep(100 s), one in pause(), one in read() on a pipe nobody writes.  Once /proc shows all three blocked in
 * their calls, the main thread calls exit_group(3).  Prints "sleeper
 * <tid>", "pauser <tid>", "reader <tid>" first.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int pipefd[2];
static volatile pid_t tids[3];

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
			    data[0] != 'r' && strtol(data, NULL, 10) == nr) {
				fclose(f);
				return;
			}
			fclose(f);
		}
		usleep(1000);
	}
}

static void *sleeper(void *arg)
{
	struct timespec ts = { 100, 0 };

	(void)arg;
	tids[0] = (pid_t)syscall(SYS_gettid);
	(void)syscall(SYS_nanosleep, &ts, NULL);
	return NULL;
}

static void *pauser(void *arg)
{
	(void)arg;
	tids[1] = (pid_t)syscall(SYS_gettid);
	(void)syscall(SYS_pause);
	return NULL;
}

static void *reader(void *arg)
{
	char c;

	(void)arg;
	tids[2] = (pid_t)syscall(SYS_gettid);
	(void)syscall(SYS_read, pipefd[0], &c, 1L);
	return NULL;
}

int main(void)
{
	static const long nrs[3] = { SYS_nanosleep, SYS_pause, SYS_read };
	static void *(*const fns[3])(void *) = { sleeper, pauser, reader };
	static const char *const names[3] = { "sleeper", "pauser", "reader" };
	pthread_t t;
	int i;

	if (pipe(pipefd) != 0)
		return 2;
	for (i = 0; i < 3; i++) {
		if (pthread_create(&t, NULL, fns[i], NULL) != 0)
			return 2;
		while (tids[i] == 0)
			usleep(1000);
		printf("%s %d\n", names[i], (int)tids[i]);
	}
	fflush(stdout);
	for (i = 0; i < 3; i++)
		wait_in_syscall(tids[i], nrs[i]);
	syscall(SYS_exit_group, 3);
	return 99;
}
