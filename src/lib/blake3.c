/*
 * blake3.c: portable implementation of the BLAKE3 hash function (see
 * blake3.h for the API), written from the BLAKE3 specification.
 *
 * The input is split into 1024-byte chunks, each hashed as a chain of
 * 64-byte blocks; the chunk chaining values are then merged pairwise
 * into a binary tree whose root compression, with the ROOT flag,
 * yields the output stream.  The tree is built incrementally: a stack
 * holds the chaining values of the complete subtrees seen so far, and
 * the number of chunks hashed tells how many of them a new chunk
 * completes (one merge per trailing zero bit of the count).
 *
 * There is no SIMD and no multithreading here, which keeps it simple
 * and portable; the compression function is fully unrolled with a
 * precomputed message schedule so that the small inputs this project
 * hashes (a few hundred bytes) are cheap.
 */
#include "blake3.h"

#include <string.h>

/* Domain separation flags, ORed into word 15 of the state. */
enum {
	CHUNK_START = 1 << 0,
	CHUNK_END = 1 << 1,
	PARENT = 1 << 2,
	ROOT = 1 << 3,
	KEYED_HASH = 1 << 4,
	DERIVE_KEY_CONTEXT = 1 << 5,
	DERIVE_KEY_MATERIAL = 1 << 6,
};

/* The initialisation vector (the same as SHA-256's). */
static const uint32_t blake3_iv[8] = {
	0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
	0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
};

/*
 * What is needed to produce a node's chaining value or, for the root,
 * its output stream: the input chaining value, the message block (as
 * words), and the last three state words.  Keeping this apart lets the
 * root be compressed repeatedly with increasing counters for XOF.
 */
struct blake3_output {
	uint32_t cv[8];
	uint32_t block[16];
	uint64_t counter;
	uint32_t block_len;
	uint32_t flags;
};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BLAKE3_LITTLE_ENDIAN 1
#else
#define BLAKE3_LITTLE_ENDIAN 0
#endif

/* Read n little-endian 32-bit words from p. */
static inline void load_words(uint32_t *w, const uint8_t *p, size_t n)
{
	if (BLAKE3_LITTLE_ENDIAN) {
		memcpy(w, p, n * 4);
		return;
	}
	for (size_t i = 0; i < n; i++, p += 4)
		w[i] = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Write n 32-bit words to p, little-endian. */
static inline void store_words(uint8_t *p, const uint32_t *w, size_t n)
{
	if (BLAKE3_LITTLE_ENDIAN) {
		memcpy(p, w, n * 4);
		return;
	}
	for (size_t i = 0; i < n; i++, p += 4) {
		p[0] = (uint8_t)w[i];
		p[1] = (uint8_t)(w[i] >> 8);
		p[2] = (uint8_t)(w[i] >> 16);
		p[3] = (uint8_t)(w[i] >> 24);
	}
}

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

/* The quarter-round G on state words a, b, c, d with message words x, y. */
#define G(a, b, c, d, x, y)                                                  \
	do {                                                                 \
		a += b + (x);                                                \
		d = ror32(d ^ a, 16);                                        \
		c += d;                                                      \
		b = ror32(b ^ c, 12);                                        \
		a += b + (y);                                                \
		d = ror32(d ^ a, 8);                                         \
		c += d;                                                      \
		b = ror32(b ^ c, 7);                                         \
	} while (0)

/*
 * One round: G on the four columns, then on the four diagonals.  The
 * sixteen arguments are the message word indices for this round, i.e.
 * the message permutation (2 6 3 10 7 0 4 13 1 11 12 5 9 14 15 8)
 * applied round-1 times, so the words never need to be moved.
 */
#define ROUND(i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13,     \
	      i14, i15)                                                      \
	do {                                                                 \
		G(s0, s4, s8, s12, m[i0], m[i1]);                            \
		G(s1, s5, s9, s13, m[i2], m[i3]);                            \
		G(s2, s6, s10, s14, m[i4], m[i5]);                           \
		G(s3, s7, s11, s15, m[i6], m[i7]);                           \
		G(s0, s5, s10, s15, m[i8], m[i9]);                           \
		G(s1, s6, s11, s12, m[i10], m[i11]);                         \
		G(s2, s7, s8, s13, m[i12], m[i13]);                          \
		G(s3, s4, s9, s14, m[i14], m[i15]);                          \
	} while (0)

/*
 * The compression function, without its final feed-forward: leaves in
 * out[] the 16 state words after the seven rounds.
 */
static void compress_rounds(const uint32_t cv[8], const uint32_t m[16],
			    uint32_t block_len, uint64_t counter,
			    uint32_t flags, uint32_t out[16])
{
	uint32_t s0 = cv[0], s1 = cv[1], s2 = cv[2], s3 = cv[3];
	uint32_t s4 = cv[4], s5 = cv[5], s6 = cv[6], s7 = cv[7];
	uint32_t s8 = blake3_iv[0], s9 = blake3_iv[1];
	uint32_t s10 = blake3_iv[2], s11 = blake3_iv[3];
	uint32_t s12 = (uint32_t)counter, s13 = (uint32_t)(counter >> 32);
	uint32_t s14 = block_len, s15 = flags;

	ROUND(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	ROUND(2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8);
	ROUND(3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1);
	ROUND(10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6);
	ROUND(12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4);
	ROUND(9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7);
	ROUND(11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13);

	out[0] = s0;
	out[1] = s1;
	out[2] = s2;
	out[3] = s3;
	out[4] = s4;
	out[5] = s5;
	out[6] = s6;
	out[7] = s7;
	out[8] = s8;
	out[9] = s9;
	out[10] = s10;
	out[11] = s11;
	out[12] = s12;
	out[13] = s13;
	out[14] = s14;
	out[15] = s15;
}

#undef ROUND
#undef G

/* Compress and keep the 8-word chaining value: cv is updated in place. */
static void compress_cv(uint32_t cv[8], const uint32_t m[16],
			uint32_t block_len, uint64_t counter, uint32_t flags)
{
	uint32_t s[16];

	compress_rounds(cv, m, block_len, counter, flags, s);
	for (int i = 0; i < 8; i++)
		cv[i] = s[i] ^ s[i + 8];
}

/* Compress a 64-byte block of input into cv. */
static void compress_block(uint32_t cv[8], const uint8_t block[64],
			   uint64_t counter, uint32_t flags)
{
	uint32_t m[16];

	load_words(m, block, 16);
	compress_cv(cv, m, BLAKE3_BLOCK_LEN, counter, flags);
}

static void output_cv(const struct blake3_output *o, uint32_t cv[8])
{
	memcpy(cv, o->cv, sizeof(o->cv));
	compress_cv(cv, o->block, o->block_len, o->counter, o->flags);
}

/* The output of the parent node whose children have chaining values l, r. */
static void parent_output(struct blake3_output *o, const uint32_t l[8],
			  const uint32_t r[8], const uint32_t key[8],
			  uint32_t flags)
{
	memcpy(o->cv, key, sizeof(o->cv));
	memcpy(o->block, l, 8 * sizeof(uint32_t));
	memcpy(o->block + 8, r, 8 * sizeof(uint32_t));
	o->counter = 0;
	o->block_len = BLAKE3_BLOCK_LEN;
	o->flags = flags | PARENT;
}

/* The output of the current chunk, whose last block is in h->buf. */
static void chunk_output(const struct blake3_hasher *h,
			 struct blake3_output *o)
{
	uint8_t block[BLAKE3_BLOCK_LEN];

	memcpy(block, h->buf, h->buf_len);
	memset(block + h->buf_len, 0, sizeof(block) - h->buf_len);
	memcpy(o->cv, h->cv, sizeof(o->cv));
	load_words(o->block, block, 16);
	o->counter = h->chunk_counter;
	o->block_len = h->buf_len;
	o->flags = h->flags | CHUNK_END;
	if (h->blocks_compressed == 0)
		o->flags |= CHUNK_START;
}

static size_t chunk_len(const struct blake3_hasher *h)
{
	return (size_t)h->blocks_compressed * BLAKE3_BLOCK_LEN + h->buf_len;
}

static void chunk_compress(struct blake3_hasher *h, const uint8_t *block)
{
	uint32_t flags = h->flags;

	if (h->blocks_compressed == 0)
		flags |= CHUNK_START;
	compress_block(h->cv, block, h->chunk_counter, flags);
	h->blocks_compressed++;
}

/*
 * Add len > 0 bytes to the current chunk; the caller makes sure they
 * fit.  A block is compressed only once some input follows it, so the
 * last block seen always stays in h->buf.
 */
static void chunk_update(struct blake3_hasher *h, const uint8_t *in,
			 size_t len)
{
	if (h->buf_len) {
		size_t take = BLAKE3_BLOCK_LEN - h->buf_len;

		if (take > len)
			take = len;
		memcpy(h->buf + h->buf_len, in, take);
		h->buf_len += (uint8_t)take;
		in += take;
		len -= take;
		if (!len)
			return;
		chunk_compress(h, h->buf);
		h->buf_len = 0;
	}
	while (len > BLAKE3_BLOCK_LEN) {
		chunk_compress(h, in);
		in += BLAKE3_BLOCK_LEN;
		len -= BLAKE3_BLOCK_LEN;
	}
	memcpy(h->buf, in, len);
	h->buf_len = (uint8_t)len;
}

static void chunk_reset(struct blake3_hasher *h, uint64_t counter)
{
	memcpy(h->cv, h->key, sizeof(h->cv));
	h->chunk_counter = counter;
	h->buf_len = 0;
	h->blocks_compressed = 0;
}

/*
 * Push the chaining value of a finished chunk, total_chunks being the
 * number of chunks finished so far including this one.  Every trailing
 * zero bit of total_chunks means a subtree is now complete and merges
 * with its left sibling on top of the stack.
 */
static void push_chunk_cv(struct blake3_hasher *h, uint32_t cv[8],
			  uint64_t total_chunks)
{
	struct blake3_output o;

	while (!(total_chunks & 1)) {
		h->stack_len--;
		parent_output(&o, h->stack[h->stack_len], cv, h->key,
			      h->flags);
		output_cv(&o, cv);
		total_chunks >>= 1;
	}
	memcpy(h->stack[h->stack_len], cv, sizeof(h->stack[0]));
	h->stack_len++;
}

static void hasher_init(struct blake3_hasher *h, const uint32_t key[8],
			uint8_t flags)
{
	memcpy(h->key, key, sizeof(h->key));
	h->flags = flags;
	h->stack_len = 0;
	chunk_reset(h, 0);
}

void blake3_init(struct blake3_hasher *h)
{
	hasher_init(h, blake3_iv, 0);
}

void blake3_init_keyed(struct blake3_hasher *h,
		       const uint8_t key[BLAKE3_KEY_LEN])
{
	uint32_t k[8];

	load_words(k, key, 8);
	hasher_init(h, k, KEYED_HASH);
}

void blake3_init_derive_key(struct blake3_hasher *h, const char *context)
{
	uint8_t context_key[BLAKE3_KEY_LEN];
	uint32_t k[8];

	/* The context string is hashed in its own mode into the key. */
	hasher_init(h, blake3_iv, DERIVE_KEY_CONTEXT);
	blake3_update(h, context, strlen(context));
	blake3_finalize(h, context_key, sizeof(context_key));
	load_words(k, context_key, 8);
	hasher_init(h, k, DERIVE_KEY_MATERIAL);
}

void blake3_update(struct blake3_hasher *h, const void *data, size_t len)
{
	const uint8_t *in = data;

	while (len) {
		size_t take;

		if (chunk_len(h) == BLAKE3_CHUNK_LEN) {
			/* More input follows: the chunk is not the root. */
			struct blake3_output o;
			uint32_t cv[8];

			chunk_output(h, &o);
			output_cv(&o, cv);
			push_chunk_cv(h, cv, h->chunk_counter + 1);
			chunk_reset(h, h->chunk_counter + 1);
		}
		take = BLAKE3_CHUNK_LEN - chunk_len(h);
		if (take > len)
			take = len;
		chunk_update(h, in, take);
		in += take;
		len -= take;
	}
}

void blake3_finalize_seek(const struct blake3_hasher *h, uint64_t seek,
			  uint8_t *out, size_t out_len)
{
	struct blake3_output o;
	uint64_t counter = seek / BLAKE3_BLOCK_LEN;
	size_t skip = (size_t)(seek % BLAKE3_BLOCK_LEN);

	if (!out_len)
		return;

	/*
	 * The current chunk is the rightmost leaf; fold it into each
	 * pending subtree from the smallest (top of the stack) up to the
	 * root.  With an empty stack the chunk itself is the root.
	 */
	chunk_output(h, &o);
	for (size_t i = h->stack_len; i-- > 0;) {
		uint32_t cv[8];

		output_cv(&o, cv);
		parent_output(&o, h->stack[i], cv, h->key, h->flags);
	}

	/* Root output block n is the root compressed with counter n. */
	while (out_len) {
		uint32_t s[16];
		uint8_t block[BLAKE3_BLOCK_LEN];
		size_t n = BLAKE3_BLOCK_LEN - skip;

		compress_rounds(o.cv, o.block, o.block_len, counter,
				o.flags | ROOT, s);
		for (int i = 0; i < 8; i++) {
			s[i] ^= s[i + 8];
			s[i + 8] ^= o.cv[i];
		}
		if (n > out_len)
			n = out_len;
		if (!skip && n == BLAKE3_BLOCK_LEN) {
			store_words(out, s, 16);
		} else {
			store_words(block, s, 16);
			memcpy(out, block + skip, n);
		}
		out += n;
		out_len -= n;
		skip = 0;
		counter++;
	}
}

void blake3_finalize(const struct blake3_hasher *h, uint8_t *out,
		     size_t out_len)
{
	blake3_finalize_seek(h, 0, out, out_len);
}

void blake3_hash(const void *data, size_t len, uint8_t out[BLAKE3_OUT_LEN])
{
	struct blake3_hasher h;

	blake3_init(&h);
	blake3_update(&h, data, len);
	blake3_finalize(&h, out, BLAKE3_OUT_LEN);
}
