/*
 * blake3_lanes.h: the first blocks of many short BLAKE3 inputs at once,
 * one input per SIMD lane (written from the BLAKE3 specification).
 *
 * The hash chain of the logs (log/chain.h) hashes lines of a few hundred
 * bytes, each a single 1024-byte chunk, whose last bytes (the previous
 * line's hash) are known only once the previous line is hashed.  The
 * blocks before those bytes do not depend on anything else, so the
 * chaining values of several lines' leading blocks are computed side by
 * side, one line per lane (16 with AVX-512, 8 with AVX2, one after the
 * other otherwise), and each line is then finished on its own with
 * blake3_chunk_finish().  The result is exactly blake3_hash()'s:
 *
 *	uint32_t cv[BLAKE3_LANES_MAX][8];
 *
 *	k[i] = blake3_lanes_free_blocks(len[i], tail);
 *	blake3_lanes_start(base, off, k, n, cv);
 *	... the last `tail` bytes of each input become known ...
 *	blake3_chunk_finish(cv[i], k[i], base + off[i], len[i], out);
 *
 * Only the plain (unkeyed) mode, inputs of at most one chunk.  No state,
 * no allocation; the implementation is chosen before main(), like
 * blake3.h's compression (and independently of it).
 */
#ifndef CAPSULE_LIB_BLAKE3_LANES_H
#define CAPSULE_LIB_BLAKE3_LANES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/blake3.h"

/* Inputs per call of blake3_lanes_start() at most. */
#define BLAKE3_LANES_MAX 16

/*
 * How many leading blocks of a one-chunk input of `len` bytes can be
 * compressed before its last `tail` bytes are known: full blocks that
 * end before them, never the input's last block (it carries CHUNK_END
 * and ROOT).  0 for inputs longer than a chunk (hash those with
 * blake3_hash()).
 */
size_t blake3_lanes_free_blocks(size_t len, size_t tail);

/*
 * For each i < n (n <= BLAKE3_LANES_MAX): cv[i] = the chaining value
 * after the first nblocks[i] (at most 15) 64-byte blocks at
 * base + off[i], hashed as the start of a first chunk (CHUNK_START on
 * block 0, counter 0).  nblocks[i] may be 0 (cv[i] is then the IV).
 * Offsets must be below 2^31 and every block read must be in bounds.
 */
void blake3_lanes_start(const uint8_t *base, const uint32_t *off,
			const uint8_t *nblocks, size_t n, uint32_t cv[][8]);

/*
 * Implemented in blake3.c, with its current compression:
 * blake3_chunk_start() is blake3_lanes_start() for one input;
 * blake3_chunk_finish() ends the plain hash of the len-byte input at
 * data (len <= BLAKE3_CHUNK_LEN) whose first `done` blocks are in cv
 * (done at most blake3_lanes_free_blocks(len, 0)), giving exactly
 * blake3_hash(data, len, out).
 */
void blake3_chunk_start(const void *data, size_t nblocks, uint32_t cv[8]);
void blake3_chunk_finish(const uint32_t cv[8], size_t done, const void *data,
			 size_t len, uint8_t out[BLAKE3_OUT_LEN]);

/*
 * The lane implementations; as blake3_set_impl(): AUTO picks the best
 * the CPU runs, a request it cannot run gives the best it can, the
 * choice is process-wide (tests and benchmarks only) and the one in use
 * is returned.
 */
enum blake3_lanes_impl {
	BLAKE3_LANES_AUTO = 0,
	BLAKE3_LANES_PORTABLE,	/* one input after the other */
	BLAKE3_LANES_AVX2,	/* 8 lanes */
	BLAKE3_LANES_AVX512,	/* 16 lanes, AVX-512F */
};

enum blake3_lanes_impl blake3_lanes_set_impl(enum blake3_lanes_impl want);
enum blake3_lanes_impl blake3_lanes_get_impl(void);
/* "portable", "avx2", "avx512" (and "auto"). */
const char *blake3_lanes_impl_name(enum blake3_lanes_impl impl);

#endif
