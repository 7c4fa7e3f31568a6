/*
 * bench_blake3.c: micro-benchmark of src/lib/blake3.c.  Prints the
 * time per blake3_hash() call for small inputs (the size of the records
 * capsule hashes) and the throughput on a 1 MiB input.  Each figure is
 * the median of several timed repetitions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "lib/blake3.h"

#define REPS 9
/* Aim for this much time per repetition. */
#define TARGET_NS 20000000.0

static const size_t small_sizes[] = { 64, 200, 512, 1024, 4096 };

static volatile uint8_t sink;

/*
 * Hash buf[0..len) iters times and return the mean ns per hash.  Each
 * digest is fed back into the input so the calls cannot be elided or
 * overlapped.
 */
static double time_hashes(uint8_t *buf, size_t len, unsigned long iters)
{
	uint8_t out[BLAKE3_OUT_LEN];
	double start = now_ns();

	for (unsigned long i = 0; i < iters; i++) {
		blake3_hash(buf, len, out);
		buf[0] ^= out[0];
	}
	sink ^= out[1];
	return (now_ns() - start) / (double)iters;
}

/* Median ns per hash over REPS repetitions of about TARGET_NS each. */
static double median_ns(uint8_t *buf, size_t len)
{
	double t[REPS], one;
	unsigned long iters;

	/* Warm up and calibrate. */
	one = time_hashes(buf, len, 1 + 1000000 / (len + 64));
	iters = (unsigned long)(TARGET_NS / (one > 1.0 ? one : 1.0));
	if (iters < 1)
		iters = 1;
	for (int r = 0; r < REPS; r++)
		t[r] = time_hashes(buf, len, iters);
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	return t[REPS / 2];
}

int main(void)
{
	const size_t big = 1 << 20;
	uint8_t *buf = malloc(big);
	double ns;

	if (!buf) {
		perror("malloc");
		return 1;
	}
	for (size_t i = 0; i < big; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 24);

	printf("blake3_hash, median of %d repetitions\n", REPS);
	for (size_t i = 0; i < sizeof(small_sizes) / sizeof(small_sizes[0]);
	     i++) {
		ns = median_ns(buf, small_sizes[i]);
		printf("%8zu bytes: %10.1f ns/hash %8.1f MB/s\n",
		       small_sizes[i], ns, (double)small_sizes[i] * 1e3 / ns);
	}
	ns = median_ns(buf, big);
	printf("%8zu bytes: %10.1f ns/hash %8.1f MB/s (1 MB = 10^6 bytes)\n",
	       big, ns, (double)big * 1e3 / ns);
	free(buf);
	return 0;
}
