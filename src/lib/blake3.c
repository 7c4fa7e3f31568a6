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
 * There is no multithreading and no SIMD across chunks: capsule hashes
 * records of a few hundred bytes, i.e. one chunk of 4 to 11 blocks,
 * each block depending on the last.  What is vectorized is the single
 * compression (x86_64: SSE2, SSE4.1 or AVX-512VL, the best the CPU has,
 * chosen at start-up; see blake3_set_impl()); the portable compression
 * is fully unrolled with a precomputed message schedule and is used
 * elsewhere.  A single block is bound by the latency of G's chain, so
 * the vector code gains little except where rotations get shorter
 * (AVX-512VL's vprord); docs/performance.md has the numbers.
 */
#include "blake3.h"
#include "blake3_lanes.h"

#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#define BLAKE3_X86_SIMD 1
#include <immintrin.h>
#else
#define BLAKE3_X86_SIMD 0
#endif

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
static void compress_portable(const uint32_t cv[8], const uint32_t m[16],
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

#if BLAKE3_X86_SIMD
/*
 * Row-parallel compression: the 4x4 state is four vectors, one row
 * each (a = s0..s3, b = s4..s7, c = s8..s11, d = s12..s15), so one
 * vector G runs the four column G's at once.  Rotating rows b, c and d
 * left by 1, 2 and 3 lanes lines the diagonals up as columns; the
 * second vector G runs them, and the inverse rotation puts the rows
 * back.  The message words stay in registers, in the order the G lanes
 * take them, and are permuted between rounds (PERMUTE_MSG).
 *
 * Three variants share this body through the ROTR* macros and a target
 * attribute: SSE2 (every x86_64 CPU), rotating by 16 with 16-bit
 * lane shuffles and by 12, 8, 7 with shifts and OR; SSE4.1, which
 * rotates by 16 and 8 with byte shuffles (SSSE3 pshufb); and AVX-512VL,
 * one vprord for every rotation.
 */
#define ROTR_SHIFT(x, n)                                                     \
	_mm_or_si128(_mm_srli_epi32((x), (n)), _mm_slli_epi32((x), 32 - (n)))
/* swap the 16-bit halves of every 32-bit lane */
#define ROTR16_SSE2(x)                                                       \
	_mm_shufflehi_epi16(_mm_shufflelo_epi16((x), 0xb1), 0xb1)

#define VG(a, b, c, d, mx, my, ROTR16, ROTR12, ROTR8, ROTR7)                 \
	do {                                                                 \
		a = _mm_add_epi32(_mm_add_epi32(a, b), mx);                  \
		d = ROTR16(_mm_xor_si128(d, a));                             \
		c = _mm_add_epi32(c, d);                                     \
		b = ROTR12(_mm_xor_si128(b, c));                             \
		a = _mm_add_epi32(_mm_add_epi32(a, b), my);                  \
		d = ROTR8(_mm_xor_si128(d, a));                              \
		c = _mm_add_epi32(c, d);                                     \
		b = ROTR7(_mm_xor_si128(b, c));                              \
	} while (0)

/* shufps on integer vectors: lanes (a[i0], a[i1], b[i2], b[i3]) */
#define SHUF2(a, b, i0, i1, i2, i3)                                          \
	_mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(a),                 \
					_mm_castsi128_ps(b),                 \
					_MM_SHUFFLE(i3, i2, i1, i0)))
/* pshufd: lanes (a[i0], a[i1], a[i2], a[i3]) */
#define SHUF1(a, i0, i1, i2, i3) _mm_shuffle_epi32(a, _MM_SHUFFLE(i3, i2, i1, i0))

/*
 * The message words of a round as the G lanes take them:
 *   x = (m0, m2, m4, m6)  the columns' first words
 *   y = (m1, m3, m5, m7)  the columns' second words
 *   z = (m8, m10, m12, m14), w = (m9, m11, m13, m15)  the diagonals'
 * The next round's words are m'[i] = m[P[i]], P = (2 6 3 10 7 0 4 13
 * 1 11 12 5 9 14 15 8), which in these terms is
 *   x' = (m2, m3, m7, m4)   = (x1, y1, y3, x2)
 *   y' = (m6, m10, m0, m13) = (x3, z1, x0, w2)
 *   z' = (m1, m12, m9, m15) = (y0, z2, w0, w3)
 *   w' = (m11, m5, m14, m8) = (w1, y2, z3, z0)
 * nine shuffles instead of sixteen loads per round.
 */
#define PERMUTE_MSG(x, y, z, w)                                              \
	do {                                                                 \
		__m128i t_x = SHUF2(x, y, 1, 2, 1, 3); /* x1 x2 y1 y3 */     \
		__m128i t_y = SHUF2(SHUF2(x, z, 3, 3, 1, 1),                 \
				    SHUF2(x, w, 0, 0, 2, 2), 0, 2, 0, 2);    \
		__m128i t_z = SHUF2(SHUF2(y, z, 0, 0, 2, 2), w, 0, 2, 0, 3); \
		__m128i t_w = SHUF2(SHUF2(w, y, 1, 1, 2, 2), z, 0, 2, 3, 0); \
                                                                             \
		x = SHUF1(t_x, 0, 2, 3, 1);                                  \
		y = t_y;                                                     \
		z = t_z;                                                     \
		w = t_w;                                                     \
	} while (0)

#define VCOMPRESS_BODY(ROTR16, ROTR12, ROTR8, ROTR7)                         \
	do {                                                                 \
		__m128i a = _mm_loadu_si128((const __m128i *)&cv[0]);         \
		__m128i b = _mm_loadu_si128((const __m128i *)&cv[4]);         \
		__m128i c = _mm_loadu_si128((const __m128i *)&blake3_iv[0]);  \
		__m128i d = _mm_setr_epi32((int)(uint32_t)counter,           \
					   (int)(uint32_t)(counter >> 32),   \
					   (int)block_len, (int)flags);      \
		__m128i m0 = _mm_loadu_si128((const __m128i *)&m[0]);         \
		__m128i m1 = _mm_loadu_si128((const __m128i *)&m[4]);         \
		__m128i m2 = _mm_loadu_si128((const __m128i *)&m[8]);         \
		__m128i m3 = _mm_loadu_si128((const __m128i *)&m[12]);        \
		__m128i x = SHUF2(m0, m1, 0, 2, 0, 2);                       \
		__m128i y = SHUF2(m0, m1, 1, 3, 1, 3);                       \
		__m128i z = SHUF2(m2, m3, 0, 2, 0, 2);                       \
		__m128i w = SHUF2(m2, m3, 1, 3, 1, 3);                       \
                                                                             \
		for (int r = 0; r < 7; r++) {                                \
			if (r > 0)                                           \
				PERMUTE_MSG(x, y, z, w);                     \
			VG(a, b, c, d, x, y, ROTR16, ROTR12, ROTR8, ROTR7);  \
			/* diagonals to columns */                           \
			b = SHUF1(b, 1, 2, 3, 0);                            \
			c = SHUF1(c, 2, 3, 0, 1);                            \
			d = SHUF1(d, 3, 0, 1, 2);                            \
			VG(a, b, c, d, z, w, ROTR16, ROTR12, ROTR8, ROTR7);  \
			/* and back */                                       \
			b = SHUF1(b, 3, 0, 1, 2);                            \
			c = SHUF1(c, 2, 3, 0, 1);                            \
			d = SHUF1(d, 1, 2, 3, 0);                            \
		}                                                            \
		_mm_storeu_si128((__m128i *)&out[0], a);                     \
		_mm_storeu_si128((__m128i *)&out[4], b);                     \
		_mm_storeu_si128((__m128i *)&out[8], c);                     \
		_mm_storeu_si128((__m128i *)&out[12], d);                    \
	} while (0)

static void compress_sse2(const uint32_t cv[8], const uint32_t m[16],
			  uint32_t block_len, uint64_t counter,
			  uint32_t flags, uint32_t out[16])
{
#define ROTR12_SSE2(x) ROTR_SHIFT(x, 12)
#define ROTR8_SSE2(x) ROTR_SHIFT(x, 8)
#define ROTR7_SSE2(x) ROTR_SHIFT(x, 7)
	VCOMPRESS_BODY(ROTR16_SSE2, ROTR12_SSE2, ROTR8_SSE2, ROTR7_SSE2);
#undef ROTR12_SSE2
#undef ROTR8_SSE2
#undef ROTR7_SSE2
}

__attribute__((target("ssse3,sse4.1"))) static void
compress_sse41(const uint32_t cv[8], const uint32_t m[16], uint32_t block_len,
	       uint64_t counter, uint32_t flags, uint32_t out[16])
{
	/* byte i of each lane from byte i + 1 (mod 4): rotate right by 8 */
	const __m128i rot8 = _mm_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11,
					   8, 13, 14, 15, 12);
	/* ... and from byte i + 2: rotate right by 16 */
	const __m128i rot16 = _mm_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11,
					    8, 9, 14, 15, 12, 13);
#define ROTR8_SSSE3(x) _mm_shuffle_epi8((x), rot8)
#define ROTR16_SSSE3(x) _mm_shuffle_epi8((x), rot16)
#define ROTR12_SSSE3(x) ROTR_SHIFT(x, 12)
#define ROTR7_SSSE3(x) ROTR_SHIFT(x, 7)
	VCOMPRESS_BODY(ROTR16_SSSE3, ROTR12_SSSE3, ROTR8_SSSE3, ROTR7_SSSE3);
#undef ROTR8_SSSE3
#undef ROTR16_SSSE3
#undef ROTR12_SSSE3
#undef ROTR7_SSSE3
}

/* AVX-512VL: every rotation is one instruction (vprord), 128-bit wide. */
__attribute__((target("avx512f,avx512vl"))) static void
compress_avx512(const uint32_t cv[8], const uint32_t m[16], uint32_t block_len,
		uint64_t counter, uint32_t flags, uint32_t out[16])
{
#define ROTR16_AVX512(x) _mm_ror_epi32((x), 16)
#define ROTR12_AVX512(x) _mm_ror_epi32((x), 12)
#define ROTR8_AVX512(x) _mm_ror_epi32((x), 8)
#define ROTR7_AVX512(x) _mm_ror_epi32((x), 7)
	VCOMPRESS_BODY(ROTR16_AVX512, ROTR12_AVX512, ROTR8_AVX512,
		       ROTR7_AVX512);
#undef ROTR16_AVX512
#undef ROTR12_AVX512
#undef ROTR8_AVX512
#undef ROTR7_AVX512
}

#undef VCOMPRESS_BODY
#undef PERMUTE_MSG
#undef SHUF1
#undef SHUF2
#undef VG
#undef ROTR16_SSE2
#undef ROTR_SHIFT
#endif /* BLAKE3_X86_SIMD */

typedef void compress_fn(const uint32_t cv[8], const uint32_t m[16],
			 uint32_t block_len, uint64_t counter, uint32_t flags,
			 uint32_t out[16]);

/*
 * The compression in use: set once before main() by blake3_pick(), and
 * afterwards only by blake3_set_impl() (tests, benchmarks).
 */
static compress_fn *compress_rounds = compress_portable;
static enum blake3_impl compress_impl = BLAKE3_IMPL_PORTABLE;

static enum blake3_impl best_impl(void)
{
#if BLAKE3_X86_SIMD
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512vl"))
		return BLAKE3_IMPL_AVX512;
	if (__builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1"))
		return BLAKE3_IMPL_SSE41;
	return BLAKE3_IMPL_SSE2;
#else
	return BLAKE3_IMPL_PORTABLE;
#endif
}

enum blake3_impl blake3_set_impl(enum blake3_impl want)
{
	enum blake3_impl best = best_impl();

	if (want == BLAKE3_IMPL_AUTO || want > best)
		want = best;
	switch (want) {
#if BLAKE3_X86_SIMD
	case BLAKE3_IMPL_AVX512:
		compress_rounds = compress_avx512;
		break;
	case BLAKE3_IMPL_SSE41:
		compress_rounds = compress_sse41;
		break;
	case BLAKE3_IMPL_SSE2:
		compress_rounds = compress_sse2;
		break;
#endif
	default:
		want = BLAKE3_IMPL_PORTABLE;
		compress_rounds = compress_portable;
		break;
	}
	compress_impl = want;
	return want;
}

const char *blake3_impl_name(enum blake3_impl impl)
{
	switch (impl) {
	case BLAKE3_IMPL_AUTO:
		return "auto";
	case BLAKE3_IMPL_PORTABLE:
		return "portable";
	case BLAKE3_IMPL_SSE2:
		return "sse2";
	case BLAKE3_IMPL_SSE41:
		return "sse4.1";
	case BLAKE3_IMPL_AVX512:
		return "avx512";
	}
	return "?";
}

enum blake3_impl blake3_get_impl(void)
{
	return compress_impl;
}

/* Runs before main(), hence before any thread: no race on the pointer. */
__attribute__((constructor)) static void blake3_pick(void)
{
	(void)blake3_set_impl(BLAKE3_IMPL_AUTO);
}

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

/*
 * The plain hash of a single chunk (len <= BLAKE3_CHUNK_LEN), whose
 * first `done` blocks are already compressed into cv (blake3_chunk_start):
 * the rest of the blocks come from the input, the last one (zero-padded,
 * possibly empty) with CHUNK_END and ROOT, and the first 32 output bytes
 * are its chaining value.  The same bytes as the hasher, without its
 * copies.
 */
void blake3_chunk_finish(const uint32_t cv_in[8], size_t done,
			 const void *data, size_t len,
			 uint8_t out[BLAKE3_OUT_LEN])
{
	const uint8_t *in = (const uint8_t *)data + done * BLAKE3_BLOCK_LEN;
	uint32_t cv[8], m[16], s[16];
	uint8_t last[BLAKE3_BLOCK_LEN];
	uint32_t flags = done ? 0 : CHUNK_START;
	size_t rest = len - done * BLAKE3_BLOCK_LEN;

	memcpy(cv, cv_in, sizeof(cv));
	/* every block but the last is full and compressed as it is */
	for (; rest > BLAKE3_BLOCK_LEN; rest -= BLAKE3_BLOCK_LEN) {
		compress_block(cv, in, 0, flags);
		in += BLAKE3_BLOCK_LEN;
		flags = 0;
	}
	memset(last, 0, sizeof(last));
	if (rest)
		memcpy(last, in, rest);
	load_words(m, last, 16);
	compress_rounds(cv, m, (uint32_t)rest, 0, flags | CHUNK_END | ROOT,
			s);
	for (int i = 0; i < 8; i++)
		s[i] ^= s[i + 8];
	store_words(out, s, 8);
}

void blake3_chunk_start(const void *data, size_t nblocks, uint32_t cv[8])
{
	const uint8_t *in = data;

	memcpy(cv, blake3_iv, sizeof(blake3_iv));
	for (size_t i = 0; i < nblocks; i++, in += BLAKE3_BLOCK_LEN)
		compress_block(cv, in, 0, i ? 0 : CHUNK_START);
}

void blake3_hash(const void *data, size_t len, uint8_t out[BLAKE3_OUT_LEN])
{
	struct blake3_hasher h;

	if (len <= BLAKE3_CHUNK_LEN) {
		blake3_chunk_finish(blake3_iv, 0, data, len, out);
		return;
	}

	blake3_init(&h);
	blake3_update(&h, data, len);
	blake3_finalize(&h, out, BLAKE3_OUT_LEN);
}
