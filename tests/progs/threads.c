/*
 * threads: four pthreads, each calls gettid() and getppid() once.
 *
 * The main thread calls neither.  Each thread prints "thread <tid>" on
 * stdout.  Exits 0 when all threads were joined.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NTHREADS 4

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	long tid = syscall(SYS_gettid);

	(void)arg;
	(void)syscall(SYS_getppid);
	pthread_mutex_lock(&out_lock);
	printf("thread %ld\n", tid);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	int i;

	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 2;
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
