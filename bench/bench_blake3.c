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

static const size_t small_sizes[] = { 64, 200, 400, 512, 700, 1024, 4096 };

/* The implementations compared, each run in turn within a repetition. */
static const enum blake3_impl impls[] = {
	BLAKE3_IMPL_PORTABLE, BLAKE3_IMPL_SSE2, BLAKE3_IMPL_SSE41,
	BLAKE3_IMPL_AVX512,
};
#define NIMPL (sizeof(impls) / sizeof(impls[0]))

static volatile uint8_t sink;

/*
 * Hash buf[0..len) iters times and return the mean ns per hash.  Each
 * digest is fed back into the input so the calls cannot be elided or
 * overlapped.
 */
static double time_hashes(uint8_t *buf, size_t len, unsigned long iters)
{
	uint8_t out[BLAKE3_OUT_LEN];
	double start = cpu_ns();

	for (unsigned long i = 0; i < iters; i++) {
		blake3_hash(buf, len, out);
		buf[0] ^= out[0];
	}
	sink ^= out[1];
	return (cpu_ns() - start) / (double)iters;
}

/*
 * Median ns per hash over REPS repetitions of about TARGET_NS each, for
 * every implementation (ret[i] for impls[i]).  The implementations take
 * turns within each repetition, so that load from other processes falls
 * on all of them alike.
 */
static void median_ns(uint8_t *buf, size_t len, double ret[NIMPL])
{
	double t[NIMPL][REPS], one;
	unsigned long iters;

	/* Warm up and calibrate on the default implementation. */
	blake3_set_impl(BLAKE3_IMPL_AUTO);
	one = time_hashes(buf, len, 1 + 1000000 / (len + 64));
	iters = (unsigned long)(TARGET_NS / NIMPL / (one > 1.0 ? one : 1.0));
	if (iters < 1)
		iters = 1;
	for (int r = 0; r < REPS; r++) {
		for (size_t i = 0; i < NIMPL; i++) {
			blake3_set_impl(impls[i]);
			t[i][r] = time_hashes(buf, len, iters);
		}
	}
	for (size_t i = 0; i < NIMPL; i++) {
		qsort(t[i], REPS, sizeof(t[i][0]), cmp_double);
		ret[i] = t[i][REPS / 2];
	}
	blake3_set_impl(BLAKE3_IMPL_AUTO);
}

int main(void)
{
	const size_t big = 1 << 20;
	uint8_t *buf = malloc(big);
	double ns[NIMPL];

	if (!buf) {
		perror("malloc");
		return 1;
	}
	for (size_t i = 0; i < big; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 24);

	printf("blake3_hash, ns per hash (MB/s), median of %d repetitions; "
	       "default here: %s\n%8s", REPS,
	       blake3_impl_name(blake3_set_impl(BLAKE3_IMPL_AUTO)), "bytes");
	for (size_t i = 0; i < NIMPL; i++)
		printf(" %20s", blake3_impl_name(impls[i]));
	printf("\n");
	for (size_t k = 0; k <= sizeof(small_sizes) / sizeof(small_sizes[0]);
	     k++) {
		size_t len = k < sizeof(small_sizes) / sizeof(small_sizes[0])
				     ? small_sizes[k]
				     : big;

		median_ns(buf, len, ns);
		printf("%8zu", len);
		for (size_t i = 0; i < NIMPL; i++)
			printf(" %10.1f (%7.1f)", ns[i],
			       (double)len * 1e3 / ns[i]);
		printf("\n");
	}
	printf("(1 MB = 10^6 bytes; an implementation the CPU lacks runs "
	       "the best it has)\n");
	free(buf);
	return 0;
}
