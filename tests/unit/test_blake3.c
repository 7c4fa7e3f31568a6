/*
 * test_blake3.c: unit tests for src/lib/blake3.c against the official
 * BLAKE3 test vectors (tests/data/blake3_test_vectors.json, or the
 * directory named by $CAPSULE_TESTDATA), in the hash, keyed_hash and
 * derive_key modes, plus incremental updates split at awkward places,
 * repeated finalization and seeking in the extended output.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/blake3.h"
#include "unit.h"

/* Every extended output in the vector file has this many bytes. */
#define XOF_LEN 131
#define MAX_CASES 64
#define MAX_INPUT (128 * 1024)

enum mode { MODE_HASH, MODE_KEYED, MODE_DERIVE, NR_MODES };

static const char *const mode_field[NR_MODES] = {
	"hash", "keyed_hash", "derive_key",
};

struct vector {
	size_t input_len;
	uint8_t out[NR_MODES][XOF_LEN];
};

static struct {
	int loaded;		/* 1 if parsed, -1 if it failed */
	uint8_t key[BLAKE3_KEY_LEN];
	char context[256];
	size_t nr_cases;
	struct vector cases[MAX_CASES];
} vec;

static uint8_t input[MAX_INPUT];

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode exactly len bytes of hex from s; 0 on success. */
static int unhex(const char *s, uint8_t *out, size_t len)
{
	if (strlen(s) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void print_hex(const char *label, const uint8_t *p, size_t len)
{
	fprintf(stderr, "  %s ", label);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%02x", p[i]);
	fputc('\n', stderr);
}

static int parse_vectors(const char *path)
{
	json_error_t err;
	json_t *root, *cases, *c;
	const char *key, *ctx;
	size_t i;
	int ret = -1;

	root = json_load_file(path, 0, &err);
	if (!root) {
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
		return -1;
	}
	key = json_string_value(json_object_get(root, "key"));
	ctx = json_string_value(json_object_get(root, "context_string"));
	cases = json_object_get(root, "cases");
	if (!key || strlen(key) != BLAKE3_KEY_LEN || !ctx ||
	    strlen(ctx) >= sizeof(vec.context) || !json_is_array(cases) ||
	    json_array_size(cases) > MAX_CASES) {
		fprintf(stderr, "%s: unexpected layout\n", path);
		goto out;
	}
	memcpy(vec.key, key, BLAKE3_KEY_LEN);
	strcpy(vec.context, ctx);
	json_array_foreach(cases, i, c) {
		struct vector *v = &vec.cases[i];
		json_t *len = json_object_get(c, "input_len");
		json_int_t n = json_is_integer(len) ?
			       json_integer_value(len) : -1;

		if (n < 0 || n > MAX_INPUT) {
			fprintf(stderr, "%s: case %zu: bad input_len\n", path,
				i);
			goto out;
		}
		v->input_len = (size_t)n;
		for (int m = 0; m < NR_MODES; m++) {
			const char *hex = json_string_value(
				json_object_get(c, mode_field[m]));

			if (!hex || unhex(hex, v->out[m], XOF_LEN)) {
				fprintf(stderr, "%s: case %zu: bad %s\n", path,
					i, mode_field[m]);
				goto out;
			}
		}
	}
	vec.nr_cases = json_array_size(cases);
	ret = 0;
out:
	json_decref(root);
	return ret;
}

/* Load the vectors once; returns 0 if they are usable. */
static int load_vectors(void)
{
	const char *dir = getenv("CAPSULE_TESTDATA");
	char path[4096];

	if (vec.loaded)
		return vec.loaded > 0 ? 0 : -1;
	if (!dir || !*dir)
		dir = "tests/data";
	snprintf(path, sizeof(path), "%s/blake3_test_vectors.json", dir);
	vec.loaded = parse_vectors(path) ? -1 : 1;
	for (size_t i = 0; i < sizeof(input); i++)
		input[i] = (uint8_t)(i % 251);
	return vec.loaded > 0 ? 0 : -1;
}

static void init_mode(struct blake3_hasher *h, enum mode m)
{
	switch (m) {
	case MODE_HASH:
		blake3_init(h);
		break;
	case MODE_KEYED:
		blake3_init_keyed(h, vec.key);
		break;
	default:
		blake3_init_derive_key(h, vec.context);
		break;
	}
}

/* Compare got with want; on mismatch, say which case and show both. */
static int same_bytes(const char *what, const struct vector *v, enum mode m,
		      const uint8_t *got, const uint8_t *want, size_t len)
{
	if (!memcmp(got, want, len))
		return 1;
	fprintf(stderr, "%s: input_len %zu, mode %s: mismatch\n", what,
		v->input_len, mode_field[m]);
	print_hex("got:   ", got, len);
	print_hex("wanted:", want, len);
	return 0;
}

/* All cases in one mode, input given in one update. */
static void check_mode_impl(enum mode m, enum blake3_impl impl)
{
	CHECK(load_vectors() == 0);
	if (vec.loaded < 0)
		return;
	CHECK_EQ_INT(vec.nr_cases, 35);
	for (size_t i = 0; i < vec.nr_cases; i++) {
		const struct vector *v = &vec.cases[i];
		struct blake3_hasher h;
		uint8_t out[XOF_LEN], out32[BLAKE3_OUT_LEN];

		init_mode(&h, m);
		blake3_update(&h, input, v->input_len);
		blake3_finalize(&h, out, XOF_LEN);
		CHECK(same_bytes("xof", v, m, out, v->out[m], XOF_LEN));
		blake3_finalize(&h, out32, BLAKE3_OUT_LEN);
		CHECK(same_bytes("default", v, m, out32, v->out[m],
				 BLAKE3_OUT_LEN));
		if (m == MODE_HASH) {
			blake3_hash(input, v->input_len, out32);
			CHECK(same_bytes("blake3_hash", v, m, out32, v->out[m],
					 BLAKE3_OUT_LEN));
		}
	}
	printf("test_blake3: %s, %s: %zu cases checked (131-byte and "
	       "32-byte outputs)\n", mode_field[m], blake3_impl_name(impl),
	       vec.nr_cases);
}

/* ... with every compression implementation this CPU runs. */
static void check_mode(enum mode m)
{
	static const enum blake3_impl impls[] = {
		BLAKE3_IMPL_PORTABLE, BLAKE3_IMPL_SSE2, BLAKE3_IMPL_SSE41,
		BLAKE3_IMPL_AVX512,
	};

	for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
		if (blake3_set_impl(impls[i]) == impls[i])
			check_mode_impl(m, impls[i]);
	(void)blake3_set_impl(BLAKE3_IMPL_AUTO);
}

TEST(test_vectors_hash)
{
	check_mode(MODE_HASH);
}

TEST(test_vectors_keyed_hash)
{
	check_mode(MODE_KEYED);
}

TEST(test_vectors_derive_key)
{
	check_mode(MODE_DERIVE);
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64*: deterministic, good enough for split points. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

/*
 * Split patterns: a positive value is a fixed piece size; RANDOM_SMALL
 * and RANDOM_LARGE draw each piece size at random (zero included).
 */
#define RANDOM_SMALL 0
#define RANDOM_LARGE (-1)

static const long split_sizes[] = {
	1, 2, 3, 63, 64, 65, 127, 1023, 1024, 1025, 2047, 4097,
	RANDOM_SMALL, RANDOM_LARGE,
};

static void hash_split(struct blake3_hasher *h, const uint8_t *p, size_t len,
		       long split)
{
	while (len) {
		size_t n;

		if (split == RANDOM_SMALL)
			n = (size_t)(rng_next() % 80);
		else if (split == RANDOM_LARGE)
			n = (size_t)(rng_next() % 3000);
		else
			n = (size_t)split;
		if (n > len)
			n = len;
		blake3_update(h, p, n);
		p += n;
		len -= n;
	}
}

TEST(test_incremental_splits)
{
	CHECK(load_vectors() == 0);
	if (vec.loaded < 0)
		return;
	rng_state = UINT64_C(0x9e3779b97f4a7c15);
	for (size_t i = 0; i < vec.nr_cases; i++) {
		const struct vector *v = &vec.cases[i];

		for (int m = 0; m < NR_MODES; m++) {
			for (size_t s = 0; s < sizeof(split_sizes) /
					       sizeof(split_sizes[0]); s++) {
				struct blake3_hasher h;
				uint8_t out[XOF_LEN];
				char what[64];

				snprintf(what, sizeof(what), "split %ld",
					 split_sizes[s]);
				init_mode(&h, (enum mode)m);
				blake3_update(&h, NULL, 0);
				hash_split(&h, input, v->input_len,
					   split_sizes[s]);
				blake3_update(&h, input, 0);
				blake3_finalize(&h, out, XOF_LEN);
				CHECK(same_bytes(what, v, (enum mode)m, out,
						 v->out[m], XOF_LEN));
			}
		}
	}
}

/*
 * Finalize must leave the hasher alone: a second finalize gives the
 * same bytes, and input added afterwards continues the same stream;
 * a copied hasher continues independently.
 */
TEST(test_finalize_is_pure)
{
	CHECK(load_vectors() == 0);
	if (vec.loaded < 0)
		return;
	for (size_t i = 0; i + 1 < vec.nr_cases; i++) {
		const struct vector *v = &vec.cases[i];
		const struct vector *w = &vec.cases[i + 1];

		for (int m = 0; m < NR_MODES; m++) {
			struct blake3_hasher h, copy;
			uint8_t a[XOF_LEN], b[XOF_LEN];

			init_mode(&h, (enum mode)m);
			blake3_update(&h, input, v->input_len);
			blake3_finalize(&h, a, XOF_LEN);
			blake3_finalize(&h, b, XOF_LEN);
			CHECK(same_bytes("finalize twice", v, (enum mode)m, b,
					 a, XOF_LEN));
			CHECK(same_bytes("first finalize", v, (enum mode)m, a,
					 v->out[m], XOF_LEN));

			copy = h;
			/* Carry on to the next case's length. */
			blake3_update(&h, input + v->input_len,
				      w->input_len - v->input_len);
			blake3_finalize(&h, a, XOF_LEN);
			CHECK(same_bytes("update after finalize", w,
					 (enum mode)m, a, w->out[m], XOF_LEN));
			blake3_finalize(&copy, b, XOF_LEN);
			CHECK(same_bytes("copied hasher", v, (enum mode)m, b,
					 v->out[m], XOF_LEN));
		}
	}
}

TEST(test_finalize_seek)
{
	static const size_t lens[] = { 0, 1, 64, 1025, 8193, 102400 };
	static const size_t seeks[] = {
		0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 500, 1000, 1983,
	};
	static const size_t out_lens[] = { 0, 1, 7, 32, 63, 64, 65, 129, 500 };
	enum { LONG = 2500 };
	uint8_t full[LONG], part[LONG];

	CHECK(load_vectors() == 0);
	if (vec.loaded < 0)
		return;
	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		for (int m = 0; m < NR_MODES; m++) {
			struct blake3_hasher h;
			struct vector v = { .input_len = lens[l] };

			init_mode(&h, (enum mode)m);
			blake3_update(&h, input, lens[l]);
			blake3_finalize(&h, full, LONG);
			for (size_t s = 0; s < sizeof(seeks) / sizeof(seeks[0]);
			     s++) {
				for (size_t o = 0; o < sizeof(out_lens) /
						       sizeof(out_lens[0]);
				     o++) {
					size_t off = seeks[s], n = out_lens[o];

					memset(part, 0xaa, sizeof(part));
					blake3_finalize_seek(&h, off, part, n);
					CHECK(same_bytes("seek", &v,
							 (enum mode)m, part,
							 full + off, n));
					CHECK(part[n] == 0xaa);
				}
			}
			/* Far into the stream, across a 2^32 block counter. */
			blake3_finalize_seek(&h, (UINT64_C(1) << 38) - 37,
					     full, 200);
			blake3_finalize_seek(&h, UINT64_C(1) << 38, part, 163);
			CHECK(same_bytes("far seek", &v, (enum mode)m, part,
					 full + 37, 163));
		}
	}
}

/* A zero-length output writes nothing, even through a NULL pointer. */
TEST(test_zero_length_output)
{
	struct blake3_hasher h;
	uint8_t a[BLAKE3_OUT_LEN], b[BLAKE3_OUT_LEN];

	blake3_init(&h);
	blake3_finalize(&h, NULL, 0);
	blake3_finalize_seek(&h, 12345, NULL, 0);
	blake3_finalize(&h, a, sizeof(a));
	blake3_hash(NULL, 0, b);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
}

UNIT_MAIN(UNIT_T(test_vectors_hash), UNIT_T(test_vectors_keyed_hash),
	  UNIT_T(test_vectors_derive_key), UNIT_T(test_incremental_splits),
	  UNIT_T(test_finalize_is_pure), UNIT_T(test_finalize_seek),
	  UNIT_T(test_zero_length_output))
