/*
 * bench.h: the timing helpers the benchmark programs share.
 */
#ifndef CAPSULE_BENCH_H
#define CAPSULE_BENCH_H

#include <time.h>

/* CLOCK_MONOTONIC now, in ns. */
static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * CPU time of the calling thread, in ns: what a repetition cost this
 * thread, without the time other processes on a shared machine had the
 * CPU (they still disturb caches).  A system call, ~0.3 µs: read it
 * around batches, not single operations.
 */
static inline double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* qsort() comparator for doubles, to take medians. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
