/*
 * hex.c: lowercase hexadecimal encoding and strict decoding.
 */
#include "lib/hex.h"

#include <errno.h>

static const char hexdig[] = "0123456789abcdef";

/* A lowercase hex digit's value plus one; 0 for any other byte. */
static const signed char hexval[256] = {
	/* clang-format off */
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	/* clang-format on */
};

void hex_encode(const uint8_t *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdig[in[i] >> 4];
		out[2 * i + 1] = hexdig[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int hex_decode(const char *in, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		/* the table holds value + 1, so 0 means "not a digit" */
		int hi = hexval[(unsigned char)in[2 * i]];
		int lo = hexval[(unsigned char)in[2 * i + 1]];

		if (!hi || !lo)
			return -EINVAL;
		out[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	return 0;
}
