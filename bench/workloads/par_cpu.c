/*
 * par_cpu.c: a compute-bound parallel workload for bench/run.py's placement
 * table: THREADS threads, each ITERS iterations of integer arithmetic with
 * a getppid() every EVERY iterations (0: none), so the tree wants THREADS
 * CPUs and stops rarely.  Deterministic: the same calls every run.
 *
 *   par_cpu THREADS ITERS EVERY
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long iters, every;

static void *work(void *arg)
{
	volatile unsigned long x = 0;
	long i, next = every;

	(void)arg;
	for (i = 0; i < iters; i++) {
		x += (unsigned long)i * (unsigned long)i;
		if (every && i == next) {
			(void)getppid();
			next += every;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[64];
	int n, i;

	if (argc != 4) {
		fprintf(stderr, "usage: par_cpu THREADS ITERS EVERY\n");
		return 2;
	}
	n = atoi(argv[1]);
	iters = atol(argv[2]);
	every = atol(argv[3]);
	if (n < 1 || n > 64 || iters < 0 || every < 0)
		return 2;
	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, work, NULL) != 0)
			return 1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
