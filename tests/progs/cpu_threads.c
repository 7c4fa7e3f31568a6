/*
 * cpu_threads.c: N threads that only compute (no syscalls: the clock is
 * read through the vDSO) for SECONDS, then the main thread prints its
 * CPU mask as the kernel holds it (/proc/self/status Cpus_allowed_list)
 * and as sched_getaffinity() reports it (the count).  Used by
 * test_placement.py: capsule must give a compute-bound tree its CPUs back.
 *
 * usage: cpu_threads N SECONDS
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *spin(void *arg)
{
	volatile unsigned long x = 0;
	double end = now() + seconds;

	(void)arg;
	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i * (unsigned long)i;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[16];
	char line[256];
	cpu_set_t m;
	FILE *f;
	int n, i;

	if (argc != 3)
		return 2;
	n = atoi(argv[1]);
	seconds = atof(argv[2]);
	if (n < 1 || n > 16)
		return 2;
	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, spin, NULL) != 0)
			return 1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	f = fopen("/proc/self/status", "r");
	if (f == NULL)
		return 1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Cpus_allowed_list:", 18) == 0)
			printf("allowed %s", line + 18 + strspn(line + 18, " \t"));
	fclose(f);
	if (sched_getaffinity(0, sizeof(m), &m) != 0)
		return 1;
	printf("count %d\n", CPU_COUNT(&m));
	return 0;
}
