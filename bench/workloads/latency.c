/*
 * latency.c: the probe of bench/run.py's record-latency measurement.
 *
 *   latency N [SLEEP_MS]     N times: getppid(), then sleep SLEEP_MS
 *                            (default 200)
 *   latency loop N           N getppid() calls back to back (a
 *                            syscall-per-stop probe for profiling)
 *
 * getppid is the marker: nothing else in a traced `sh` tree calls it often.
 * Right after each getppid returns, CLOCK_REALTIME is read; at the end one
 * line per call, "i sec.nsec", goes to stdout, so no other syscall sits
 * between the marker and the sleep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec *after, nap;
	long i, n, ms = 200;

	if (argc >= 3 && strcmp(argv[1], "loop") == 0) {
		n = atol(argv[2]);
		for (i = 0; i < n; i++)
			(void)syscall(SYS_getppid);
		return 0;
	}
	if (argc < 2) {
		fputs("usage: latency N [SLEEP_MS] | latency loop N\n", stderr);
		return 2;
	}
	n = atol(argv[1]);
	if (argc >= 3)
		ms = atol(argv[2]);
	if (n <= 0)
		return 0;
	after = calloc((size_t)n, sizeof(*after));
	if (after == NULL)
		return 1;
	nap.tv_sec = ms / 1000;
	nap.tv_nsec = (ms % 1000) * 1000000L;
	for (i = 0; i < n; i++) {
		(void)syscall(SYS_getppid);
		clock_gettime(CLOCK_REALTIME, &after[i]);
		nanosleep(&nap, NULL);
	}
	for (i = 0; i < n; i++)
		printf("%ld %lld.%09ld\n", i, (long long)after[i].tv_sec,
		       after[i].tv_nsec);
	free(after);
	return 0;
}
