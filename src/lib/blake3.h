/*
 * blake3.h: a portable BLAKE3 hash (plain hash, keyed hash and key
 * derivation modes, with extendable output), written from the BLAKE3
 * specification.
 *
 * Basic usage
 * -----------
 *
 * For a single buffer, blake3_hash() gives the 32-byte default output:
 *
 *	uint8_t digest[BLAKE3_OUT_LEN];
 *
 *	blake3_hash(buf, len, digest);
 *
 * For input that arrives in pieces, or for the keyed and key-derivation
 * modes, or for outputs of other lengths, use an incremental hasher:
 *
 *	struct blake3_hasher h;
 *	uint8_t out[64];
 *
 *	blake3_init(&h);
 *	blake3_update(&h, part1, len1);
 *	blake3_update(&h, part2, len2);
 *	blake3_finalize(&h, out, sizeof(out));
 *
 * The result does not depend on how the input is split between calls
 * to blake3_update().  The hasher holds no heap memory and no other
 * resources: there is nothing to release, and a hasher may be copied
 * with memcpy() or plain assignment to fork the computation (e.g. to
 * hash a common prefix once).  It is about 1.8 KiB in size, mostly the
 * chaining-value stack, so think twice before putting many of them on
 * a small stack.
 *
 * None of these functions fail, and none of them are thread-safe with
 * respect to the same hasher; different hashers are independent.
 *
 * Output
 * ------
 *
 * BLAKE3 is an extendable-output function: blake3_finalize() can
 * produce any number of bytes, and a shorter output is a prefix of a
 * longer one.  BLAKE3_OUT_LEN (32) bytes is the default length and the
 * one to use unless there is a reason not to.  blake3_finalize_seek()
 * produces the output stream starting from an arbitrary byte offset.
 */
#ifndef CAPSULE_LIB_BLAKE3_H
#define CAPSULE_LIB_BLAKE3_H

#include <stddef.h>
#include <stdint.h>

/* Length in bytes of the key taken by blake3_init_keyed(). */
#define BLAKE3_KEY_LEN 32

/* Default output length in bytes (that of blake3_hash()). */
#define BLAKE3_OUT_LEN 32

/* Size of a compression block and of a chunk (a leaf of the tree). */
#define BLAKE3_BLOCK_LEN 64
#define BLAKE3_CHUNK_LEN 1024

/*
 * Maximum number of chaining values waiting to be merged: an input of
 * fewer than 2^64 bytes has fewer than 2^54 chunks, hence at most 54
 * complete subtrees pending at any time.
 */
#define BLAKE3_MAX_DEPTH 54

/*
 * The state of an incremental hash.  All fields are private to
 * blake3.c; they are described here only to make the size and the
 * copy semantics plain.
 *
 *   key:          the key words: the IV (hash mode), the user key
 *                 (keyed mode) or the key derived from the context
 *                 string (derive-key mode).
 *   cv:           the chaining value of the chunk being hashed, i.e.
 *                 the state after the blocks of it compressed so far.
 *   chunk_counter: index of the chunk being hashed (0 for the first
 *                 1024 bytes of input, 1 for the next 1024, ...).
 *   buf:          input bytes of the current chunk not yet compressed
 *                 (at most one block); the last block of the input is
 *                 always kept here, because it is compressed with
 *                 different flags once the input is known to end.
 *   buf_len:      number of valid bytes in buf (0 to 64).
 *   blocks_compressed: blocks of the current chunk already folded
 *                 into cv (0 to 15).
 *   flags:        the mode flags ORed into every compression.
 *   stack_len:    number of entries in use in stack.
 *   stack:        chaining values of complete subtrees to the left of
 *                 the current chunk, waiting for their right sibling;
 *                 stack[stack_len - 1] is the most recent (smallest).
 */
struct blake3_hasher {
	uint32_t key[8];
	uint32_t cv[8];
	uint64_t chunk_counter;
	uint8_t buf[BLAKE3_BLOCK_LEN];
	uint8_t buf_len;
	uint8_t blocks_compressed;
	uint8_t flags;
	uint8_t stack_len;
	uint32_t stack[BLAKE3_MAX_DEPTH][8];
};

/*
 * Start a hash in the plain (unkeyed) mode.  blake3_init() followed by
 * blake3_update() and blake3_finalize() with 32 bytes of output gives
 * the same result as blake3_hash().
 */
void blake3_init(struct blake3_hasher *h);

/*
 * Start a hash in the keyed mode (a MAC or PRF): the output depends on
 * the BLAKE3_KEY_LEN bytes of key, which should be uniformly random
 * (use blake3_init_derive_key() to make such a key from other key
 * material).  The key is copied; the caller's buffer may be reused.
 */
void blake3_init_keyed(struct blake3_hasher *h,
		       const uint8_t key[BLAKE3_KEY_LEN]);

/*
 * Start a hash in the key derivation mode: the input given to
 * blake3_update() is the key material and the output is the derived
 * key.  The context is a NUL-terminated string (the NUL is not part of
 * it) that should be hardcoded, globally unique and application
 * specific, e.g. "capsule 2024-05-01 trace record ids".  It is hashed
 * right away and need not outlive the call.
 */
void blake3_init_derive_key(struct blake3_hasher *h, const char *context);

/*
 * Add len bytes at data to the input.  data may be NULL when len is 0.
 * Any total input length below 2^64 bytes is accepted.
 */
void blake3_update(struct blake3_hasher *h, const void *data, size_t len);

/*
 * Write the first out_len bytes of output for the input given so far
 * to out.  The hasher is not modified: finalizing again gives the same
 * bytes, and more input may still be added afterwards (giving the hash
 * of the longer input).  out_len may be 0 and has no upper limit; use
 * BLAKE3_OUT_LEN unless you need something else.
 */
void blake3_finalize(const struct blake3_hasher *h, uint8_t *out,
		     size_t out_len);

/*
 * Like blake3_finalize(), but write out_len bytes of the output stream
 * starting at byte offset seek, i.e. bytes seek to seek + out_len - 1
 * of an (arbitrarily long) output of blake3_finalize().
 */
void blake3_finalize_seek(const struct blake3_hasher *h, uint64_t seek,
			  uint8_t *out, size_t out_len);

/*
 * One-shot plain hash of len bytes at data, written to out (32 bytes).
 * data may be NULL when len is 0.
 */
void blake3_hash(const void *data, size_t len, uint8_t out[BLAKE3_OUT_LEN]);

/*
 * The compression function implementations.  The fastest one the CPU
 * runs is chosen before main(); they all give the same bytes.  Tests
 * and benchmarks may force one with blake3_set_impl(), before any
 * hashing starts (the choice is process-wide and not thread-safe):
 * AUTO picks the best; a request the CPU cannot run (or that this
 * architecture lacks) gives the best it can.  Returns the one in use.
 */
enum blake3_impl {
	BLAKE3_IMPL_AUTO = 0,
	BLAKE3_IMPL_PORTABLE,	/* plain C, any CPU */
	BLAKE3_IMPL_SSE2,	/* x86_64 baseline */
	BLAKE3_IMPL_SSE41,	/* x86_64 with SSSE3 and SSE4.1 */
	BLAKE3_IMPL_AVX512,	/* x86_64 with AVX-512F and VL (128-bit ops) */
};

enum blake3_impl blake3_set_impl(enum blake3_impl want);
enum blake3_impl blake3_get_impl(void);
/* "portable", "sse2", "sse4.1", "avx512" (and "auto"). */
const char *blake3_impl_name(enum blake3_impl impl);

#endif
