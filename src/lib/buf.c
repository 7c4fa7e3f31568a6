/*
 * buf.c: the growable, always NUL-terminated byte buffer (see buf.h).
 */
#include "lib/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char buf_empty[1];

void buf_init(struct buf *b)
{
	b->s = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	if (b->cap)
		free(b->s);
	buf_init(b);
}

char *buf_detach(struct buf *b, size_t *ret_len)
{
	char *s;

	if (!b->cap)
		buf_grow(b, 0);
	s = b->s;
	if (ret_len)
		*ret_len = b->len;
	buf_init(b);
	return s;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *s;

	if (extra > (size_t)-1 / 2 - b->len) {
		fputs("capsule: buffer size overflow\n", stderr);
		abort();
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	s = realloc(b->cap ? b->s : NULL, cap);
	if (s == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	if (!b->cap)
		s[0] = '\0';
	b->s = s;
	b->cap = cap;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* "00" "01" ... "99": two digits per division. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

/* Writes v < 10^8 backwards ending at *end; returns where it starts. */
static char *u32_digits(char *end, uint32_t v)
{
	while (v >= 100) {
		uint32_t d = v % 100 * 2;

		v /= 100;
		*--end = digit_pairs[d + 1];
		*--end = digit_pairs[d];
	}
	if (v >= 10) {
		*--end = digit_pairs[v * 2 + 1];
		*--end = digit_pairs[v * 2];
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

/*
 * Writes exactly eight digits of v < 10^8 backwards ending at end: two
 * halves of four, then two pairs each, so that the divisions do not wait
 * for one another.
 */
static void u32_digits8(char *end, uint32_t v)
{
	uint32_t hi = v / 10000, lo = v % 10000;

	memcpy(end - 2, digit_pairs + lo % 100 * 2, 2);
	memcpy(end - 4, digit_pairs + lo / 100 * 2, 2);
	memcpy(end - 6, digit_pairs + hi % 100 * 2, 2);
	memcpy(end - 8, digit_pairs + hi / 100 * 2, 2);
}

/* Decimal digits of v >= 1. */
static size_t ndigits(unsigned long long v)
{
	static const unsigned long long pow10[20] = {
		1ull,
		10ull,
		100ull,
		1000ull,
		10000ull,
		100000ull,
		1000000ull,
		10000000ull,
		100000000ull,
		1000000000ull,
		10000000000ull,
		100000000000ull,
		1000000000000ull,
		10000000000000ull,
		100000000000000ull,
		1000000000000000ull,
		10000000000000000ull,
		100000000000000000ull,
		1000000000000000000ull,
		10000000000000000000ull,
	};
	/* bits * log10(2) is log10(v) or one less: one compare decides */
	size_t t = (size_t)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + (v >= pow10[t]);
}

/* Straight into the buffer: the length is known before the digits. */
void buf_add_u64(struct buf *b, unsigned long long v)
{
	size_t n;
	char *end;

	if (v < 10) {
		buf_addch(b, (char)('0' + v));
		return;
	}
	n = ndigits(v);
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	end = b->s + b->len + n;
	*end = '\0';
	/* eight digits at a time in 32-bit arithmetic */
	while (v >= 100000000) {
		u32_digits8(end, (uint32_t)(v % 100000000));
		v /= 100000000;
		end -= 8;
	}
	(void)u32_digits(end, (uint32_t)v);
	b->len += n;
}

void buf_add_i64(struct buf *b, long long v)
{
	if (v < 0) {
		buf_addch(b, '-');
		buf_add_u64(b, 0ULL - (unsigned long long)v);
	} else {
		buf_add_u64(b, (unsigned long long)v);
	}
}

void buf_add_digits8(struct buf *b, uint32_t v)
{
	if (b->cap - b->len <= 8)
		buf_grow(b, 8);
	u32_digits8(b->s + b->len + 8, v);
	b->len += 8;
	b->s[b->len] = '\0';
}

void buf_add_ip4(struct buf *b, const unsigned char *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			buf_addch(b, '.');
		buf_add_u64(b, a[i]);
	}
}
