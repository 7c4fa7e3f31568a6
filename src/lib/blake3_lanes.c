/*
 * blake3_lanes.c: leading blocks of up to 16 one-chunk inputs side by
 * side (see blake3_lanes.h), written from the BLAKE3 specification.
 *
 * Word-sliced: vector v[j] holds state word j of every lane, so one
 * vector G is the same G of all lanes and the rounds are the spec's
 * column and diagonal G's on whole vectors.  Message word w of every
 * lane is gathered from base + off[lane] + 64 * block + 4 * w.  Lanes
 * with fewer blocks are masked: not read and their chaining value kept.
 * At block b every lane compresses its own block b, so counter (0),
 * block length (64) and flags (CHUNK_START when b is 0) are the same in
 * every lane.
 */
#include "lib/blake3_lanes.h"

#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#define LANES_X86 1
#include <immintrin.h>
#else
#define LANES_X86 0
#endif

#define CHUNK_START 1u

static const uint32_t lanes_iv[8] = {
	0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
	0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
};

/* The message words each round takes, in G order (the permutation
 * 2 6 3 10 7 0 4 13 1 11 12 5 9 14 15 8 applied round times). */
static const uint8_t schedule[7][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8 },
	{ 3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1 },
	{ 10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6 },
	{ 12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4 },
	{ 9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7 },
	{ 11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13 },
};

size_t blake3_lanes_free_blocks(size_t len, size_t tail)
{
	size_t last, free;

	if (len > BLAKE3_CHUNK_LEN)
		return 0;
	last = len ? (len - 1) / BLAKE3_BLOCK_LEN : 0; /* index of the last */
	free = len >= tail ? (len - tail) / BLAKE3_BLOCK_LEN : 0;
	return free < last ? free : last;
}

static void lanes_portable(const uint8_t *base, const uint32_t *off,
			   const uint8_t *nblocks, size_t n, uint32_t cv[][8])
{
	for (size_t i = 0; i < n; i++)
		blake3_chunk_start(base + off[i], nblocks[i], cv[i]);
}

#if LANES_X86
/*
 * The body shared by the AVX2 and AVX-512 variants, over the macros
 * T (vector type), W (lanes), ADD, XOR, SET1, ROR16/12/8/7 and
 * ACTIVE/GATHER/KEEP (masking), defined before each use.
 */
#define LANES_G(a, b, c, d, x, y)                                            \
	do {                                                                 \
		a = ADD(ADD(a, b), x);                                       \
		d = ROR16(XOR(d, a));                                        \
		c = ADD(c, d);                                               \
		b = ROR12(XOR(b, c));                                        \
		a = ADD(ADD(a, b), y);                                       \
		d = ROR8(XOR(d, a));                                         \
		c = ADD(c, d);                                               \
		b = ROR7(XOR(b, c));                                         \
	} while (0)

#define LANES_BODY                                                           \
	uint32_t offs[W], cnt[W], out[8][W];                                 \
	T h[8], m[16], v[16], idx, nb;                                       \
	unsigned max = 0;                                                    \
                                                                             \
	memset(offs, 0, sizeof(offs));                                       \
	memset(cnt, 0, sizeof(cnt));                                         \
	for (size_t i = 0; i < n; i++) {                                     \
		offs[i] = off[i];                                            \
		cnt[i] = nblocks[i];                                         \
		if (nblocks[i] > max)                                        \
			max = nblocks[i];                                    \
	}                                                                    \
	idx = LOADU(offs);                                                   \
	nb = LOADU(cnt);                                                     \
	for (int j = 0; j < 8; j++)                                          \
		h[j] = SET1(lanes_iv[j]);                                    \
	for (unsigned b = 0; b < max; b++) {                                 \
		ACTIVE(act, nb, b);                                          \
		T at = ADD(idx, SET1(b * BLAKE3_BLOCK_LEN));                 \
                                                                             \
		for (int w = 0; w < 16; w++)                                 \
			m[w] = GATHER(act, ADD(at, SET1(4 * w)), base);      \
		for (int j = 0; j < 8; j++) {                                \
			v[j] = h[j];                                         \
			v[j + 8] = SET1(lanes_iv[j]);                        \
		}                                                            \
		v[12] = SET1(0);                                             \
		v[13] = SET1(0);                                             \
		v[14] = SET1(BLAKE3_BLOCK_LEN);                              \
		v[15] = SET1(b ? 0 : CHUNK_START);                           \
		for (int r = 0; r < 7; r++) {                                \
			const uint8_t *s = schedule[r];                      \
                                                                             \
			LANES_G(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]]);  \
			LANES_G(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]]);  \
			LANES_G(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]]); \
			LANES_G(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]]); \
			LANES_G(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]]); \
			LANES_G(v[1], v[6], v[11], v[12], m[s[10]],          \
				m[s[11]]);                                   \
			LANES_G(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]]);\
			LANES_G(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]]);\
		}                                                            \
		for (int j = 0; j < 8; j++)                                  \
			h[j] = KEEP(act, h[j], XOR(v[j], v[j + 8]));         \
	}                                                                    \
	for (int j = 0; j < 8; j++)                                          \
		STOREU(out[j], h[j]);                                        \
	for (size_t i = 0; i < n; i++)                                       \
		for (int j = 0; j < 8; j++)                                  \
			cv[i][j] = out[j][i];

/* ---- AVX2: 8 lanes ---- */
#define T __m256i
#define W 8
#define ADD _mm256_add_epi32
#define XOR _mm256_xor_si256
#define SET1(x) _mm256_set1_epi32((int)(x))
#define LOADU(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define STOREU(p, x) _mm256_storeu_si256((__m256i *)(void *)(p), x)
#define ROR_SHIFT(x, k)                                                      \
	_mm256_or_si256(_mm256_srli_epi32(x, k), _mm256_slli_epi32(x, 32 - (k)))
#define ROR16(x) _mm256_shuffle_epi8(x, rot16)
#define ROR12(x) ROR_SHIFT(x, 12)
#define ROR8(x) _mm256_shuffle_epi8(x, rot8)
#define ROR7(x) ROR_SHIFT(x, 7)
/* active lanes: all bits set where block b < the lane's count */
#define ACTIVE(k, nb, b) T k = _mm256_cmpgt_epi32(nb, SET1(b))
#define GATHER(k, at, base)                                                  \
	_mm256_mask_i32gather_epi32(SET1(0), (const int *)(const void *)(base), \
				    at, k, 1)
#define KEEP(k, old, new) _mm256_blendv_epi8(old, new, k)

__attribute__((target("avx2"))) static void
lanes_avx2(const uint8_t *base, const uint32_t *off, const uint8_t *nblocks,
	   size_t n, uint32_t cv[][8])
{
	const __m256i rot16 = _mm256_setr_epi8(
		2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
		2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
	const __m256i rot8 = _mm256_setr_epi8(
		1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12,
		1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
	LANES_BODY
}

#undef T
#undef W
#undef ADD
#undef XOR
#undef SET1
#undef LOADU
#undef STOREU
#undef ROR_SHIFT
#undef ROR16
#undef ROR12
#undef ROR8
#undef ROR7
#undef ACTIVE
#undef GATHER
#undef KEEP

/* ---- AVX-512F: 16 lanes, native rotations and mask registers ---- */
#define T __m512i
#define W 16
#define ADD _mm512_add_epi32
#define XOR _mm512_xor_si512
#define SET1(x) _mm512_set1_epi32((int)(x))
#define LOADU(p) _mm512_loadu_si512((const void *)(p))
#define STOREU(p, x) _mm512_storeu_si512((void *)(p), x)
#define ROR16(x) _mm512_ror_epi32(x, 16)
#define ROR12(x) _mm512_ror_epi32(x, 12)
#define ROR8(x) _mm512_ror_epi32(x, 8)
#define ROR7(x) _mm512_ror_epi32(x, 7)
#define ACTIVE(k, nb, b) __mmask16 k = _mm512_cmpgt_epu32_mask(nb, SET1(b))
#define GATHER(k, at, base)                                                  \
	_mm512_mask_i32gather_epi32(SET1(0), k, at, (const void *)(base), 1)
#define KEEP(k, old, new) _mm512_mask_mov_epi32(old, k, new)

__attribute__((target("avx512f"))) static void
lanes_avx512(const uint8_t *base, const uint32_t *off, const uint8_t *nblocks,
	     size_t n, uint32_t cv[][8])
{
	LANES_BODY
}

#undef T
#undef W
#undef ADD
#undef XOR
#undef SET1
#undef LOADU
#undef STOREU
#undef ROR16
#undef ROR12
#undef ROR8
#undef ROR7
#undef ACTIVE
#undef GATHER
#undef KEEP
#undef LANES_BODY
#undef LANES_G
#endif /* LANES_X86 */

typedef void lanes_fn(const uint8_t *base, const uint32_t *off,
		      const uint8_t *nblocks, size_t n, uint32_t cv[][8]);

/* Set before main() by lanes_pick(), then only by blake3_lanes_set_impl(). */
static lanes_fn *lanes_run = lanes_portable;
static size_t lanes_width = BLAKE3_LANES_MAX;
static enum blake3_lanes_impl lanes_impl = BLAKE3_LANES_PORTABLE;

static enum blake3_lanes_impl lanes_best(void)
{
#if LANES_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return BLAKE3_LANES_AVX512;
	if (__builtin_cpu_supports("avx2"))
		return BLAKE3_LANES_AVX2;
#endif
	return BLAKE3_LANES_PORTABLE;
}

enum blake3_lanes_impl blake3_lanes_set_impl(enum blake3_lanes_impl want)
{
	enum blake3_lanes_impl best = lanes_best();

	if (want == BLAKE3_LANES_AUTO || want > best)
		want = best;
	switch (want) {
#if LANES_X86
	case BLAKE3_LANES_AVX512:
		lanes_run = lanes_avx512;
		lanes_width = 16;
		break;
	case BLAKE3_LANES_AVX2:
		lanes_run = lanes_avx2;
		lanes_width = 8;
		break;
#endif
	default:
		want = BLAKE3_LANES_PORTABLE;
		lanes_run = lanes_portable;
		lanes_width = BLAKE3_LANES_MAX;
		break;
	}
	lanes_impl = want;
	return want;
}

enum blake3_lanes_impl blake3_lanes_get_impl(void)
{
	return lanes_impl;
}

const char *blake3_lanes_impl_name(enum blake3_lanes_impl impl)
{
	switch (impl) {
	case BLAKE3_LANES_AUTO:
		return "auto";
	case BLAKE3_LANES_PORTABLE:
		return "portable";
	case BLAKE3_LANES_AVX2:
		return "avx2";
	case BLAKE3_LANES_AVX512:
		return "avx512";
	}
	return "?";
}

__attribute__((constructor)) static void lanes_pick(void)
{
	(void)blake3_lanes_set_impl(BLAKE3_LANES_AUTO);
}

void blake3_lanes_start(const uint8_t *base, const uint32_t *off,
			const uint8_t *nblocks, size_t n, uint32_t cv[][8])
{
	for (size_t i = 0; i < n; i += lanes_width) {
		size_t k = n - i < lanes_width ? n - i : lanes_width;

		lanes_run(base, off + i, nblocks + i, k, cv + i);
	}
}
