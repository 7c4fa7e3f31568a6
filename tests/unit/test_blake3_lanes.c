/*
 * test_blake3_lanes.c: blake3_lanes_start() + blake3_chunk_finish() give
 * exactly blake3_hash(), for every lane implementation the CPU runs and
 * every single-block compression (the finish uses it), over random
 * lengths 0 to 1024 and contents, inputs at odd offsets, batches of 1 to
 * 40 (more than one call's lanes) with mixed block counts.
 */
#include "lib/blake3_lanes.h"

#include <stdlib.h>
#include <string.h>

#include "lib/blake3.h"
#include "unit.h"

#define NIN 40

/* xorshift64*: reproducible contents without libc's rand() state */
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

/*
 * One batch of n inputs of random lengths (some forced to the edges:
 * 0, 1, 63, 64, 65, 1023, 1024) laid out in one buffer at odd
 * offsets; each hashed through the lanes with `tail` bytes held back
 * and compared with blake3_hash().
 */
static void check_batch(size_t n, size_t tail)
{
	static const size_t edges[] = { 0, 1, 63, 64, 65, 128, 129, 1023,
					1024 };
	uint8_t *buf = malloc(NIN * (BLAKE3_CHUNK_LEN + 8));
	uint32_t off[NIN], cv[NIN][8];
	uint8_t nb[NIN];
	size_t len[NIN], pos = 0;
	uint8_t a[BLAKE3_OUT_LEN], b[BLAKE3_OUT_LEN];

	CHECK(buf != NULL);
	if (buf == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		uint64_t r = next();

		len[i] = r % 5 == 0 ? edges[(r >> 8) % 9]
				    : (size_t)((r >> 16) % 1025);
		pos += (r >> 40) % 8; /* unaligned starts */
		off[i] = (uint32_t)pos;
		for (size_t j = 0; j < len[i]; j++)
			buf[pos + j] = (uint8_t)next();
		pos += len[i];
		nb[i] = (uint8_t)blake3_lanes_free_blocks(len[i], tail);
		CHECK(nb[i] * BLAKE3_BLOCK_LEN + tail <= len[i] || nb[i] == 0);
	}
	blake3_lanes_start(buf, off, nb, n, cv);
	for (size_t i = 0; i < n; i++) {
		blake3_chunk_finish(cv[i], nb[i], buf + off[i], len[i], a);
		blake3_hash(buf + off[i], len[i], b);
		CHECK(memcmp(a, b, sizeof(a)) == 0);
	}
	free(buf);
}

static void each_impl(void (*fn)(void))
{
	static const enum blake3_lanes_impl lanes[] = {
		BLAKE3_LANES_PORTABLE, BLAKE3_LANES_AVX2, BLAKE3_LANES_AVX512
	};
	static const enum blake3_impl single[] = {
		BLAKE3_IMPL_PORTABLE, BLAKE3_IMPL_SSE2, BLAKE3_IMPL_SSE41,
		BLAKE3_IMPL_AVX512
	};

	for (size_t i = 0; i < sizeof(lanes) / sizeof(lanes[0]); i++) {
		if (blake3_lanes_set_impl(lanes[i]) != lanes[i])
			continue; /* not on this CPU */
		for (size_t j = 0; j < sizeof(single) / sizeof(single[0]);
		     j++)
			if (blake3_set_impl(single[j]) == single[j])
				fn();
	}
	(void)blake3_lanes_set_impl(BLAKE3_LANES_AUTO);
	(void)blake3_set_impl(BLAKE3_IMPL_AUTO);
}

static void random_batches(void)
{
	for (int k = 0; k < 60; k++)
		check_batch(1 + next() % NIN, 74);
}

static void no_tail(void)
{
	for (int k = 0; k < 20; k++)
		check_batch(1 + next() % NIN, 0);
}

static void full_batches(void)
{
	for (size_t n = 1; n <= 17; n++)
		check_batch(n, 74);
}

TEST(test_lanes_match_blake3_hash)
{
	each_impl(random_batches);
}

TEST(test_lanes_no_held_back_bytes)
{
	each_impl(no_tail);
}

TEST(test_lanes_every_batch_size)
{
	each_impl(full_batches);
}

/* Free blocks never include the last block nor the held-back bytes. */
TEST(test_free_blocks)
{
	CHECK_EQ_INT(blake3_lanes_free_blocks(0, 74), 0);
	CHECK_EQ_INT(blake3_lanes_free_blocks(64, 0), 0);
	CHECK_EQ_INT(blake3_lanes_free_blocks(65, 0), 1);
	CHECK_EQ_INT(blake3_lanes_free_blocks(128 + 74, 74), 2);
	CHECK_EQ_INT(blake3_lanes_free_blocks(128 + 73, 74), 1);
	CHECK_EQ_INT(blake3_lanes_free_blocks(1024, 0), 15);
	CHECK_EQ_INT(blake3_lanes_free_blocks(1024, 74), 14);
	CHECK_EQ_INT(blake3_lanes_free_blocks(1025, 0), 0);
	CHECK_EQ_INT(blake3_lanes_free_blocks(70, 74), 0);
}

/* Implementations the CPU lacks fall back to one it has. */
TEST(test_impl_names)
{
	enum blake3_lanes_impl got = blake3_lanes_set_impl(BLAKE3_LANES_AUTO);

	CHECK(got != BLAKE3_LANES_AUTO);
	CHECK(strcmp(blake3_lanes_impl_name(got), "?") != 0);
	CHECK_EQ_INT(blake3_lanes_get_impl(), got);
}

UNIT_MAIN(UNIT_T(test_lanes_match_blake3_hash),
	  UNIT_T(test_lanes_no_held_back_bytes),
	  UNIT_T(test_lanes_every_batch_size), UNIT_T(test_free_blocks),
	  UNIT_T(test_impl_names))
