/*
 * json.c: JSON value writers (see json.h for the two string encodings).
 */
#include "lib/json.h"

#include <string.h>
#include <time.h>

static const char hexdig[] = "0123456789abcdef";

size_t json_utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* A byte that passes through a JSON string as it is. */
static inline int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/*
 * Length of the run of plain bytes at the start of s, eight bytes at a
 * time: in each word, a byte below 0x20, equal to '"' or '\\', or with its
 * high bit set sets the high bit of its byte in `m`.  Borrows can also
 * mark bytes above a marked one, never below, so the lowest mark is the
 * first byte that is not plain.
 */
static size_t plain_run(const unsigned char *s, size_t len)
{
	size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, high = ones << 7;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, q, bs, m;

		memcpy(&w, s + i, 8);
		q = w ^ (ones * '"');
		bs = w ^ (ones * '\\');
		m = ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) |
		    ((bs - ones) & ~bs) | w;
		m &= high;
		if (m != 0)
			return i + (size_t)(__builtin_ctzll(m) >> 3);
	}
#endif
	while (i < len && plain(s[i]))
		i++;
	return i;
}

static void add_escaped(struct buf *b, const unsigned char *s, size_t len,
			int hostile)
{
	size_t i = 0, run;

	buf_grow(b, len + 2);
	buf_addch(b, '"');
	while (i < len) {
		unsigned char c = s[i];

		if (plain(c)) {
			/* copy a run of plain ASCII at once */
			run = plain_run(s + i, len - i);
			buf_add(b, s + i, run);
			i += run;
			continue;
		}
		switch (c) {
		case '"':
			buf_add(b, "\\\"", 2);
			break;
		case '\\':
			if (hostile)
				buf_add(b, "\\\\\\\\", 4);
			else
				buf_add(b, "\\\\", 2);
			break;
		case '\n':
			buf_add(b, "\\n", 2);
			break;
		case '\t':
			buf_add(b, "\\t", 2);
			break;
		case '\r':
			buf_add(b, "\\r", 2);
			break;
		default:
			if (c < 0x20) {
				char u[6] = { '\\', 'u', '0', '0',
					      hexdig[c >> 4], hexdig[c & 15] };
				buf_add(b, u, 6);
			} else {
				size_t n = json_utf8_len(s + i, len - i);

				if (n) {
					buf_add(b, s + i, n);
					i += n;
					continue;
				}
				{
					char x[5] = { '\\', '\\', 'x',
						      hexdig[c >> 4],
						      hexdig[c & 15] };
					buf_add(b, x, 5);
				}
			}
		}
		i++;
	}
	buf_addch(b, '"');
}

void json_add_str(struct buf *b, const char *s)
{
	add_escaped(b, (const unsigned char *)s, strlen(s), 0);
}

void json_add_bytes(struct buf *b, const void *data, size_t len)
{
	add_escaped(b, data, len, 1);
}

void json_add_hex(struct buf *b, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	tmp[--i] = '"';
	do {
		tmp[--i] = hexdig[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	tmp[--i] = '"';
	buf_add(b, tmp + i, sizeof(tmp) - i);
}

/*
 * The "YYYY-MM-DDTHH:MM:SS part changes once a second while records come
 * by the thousand: each thread keeps the last one it formatted (thread-
 * local, no heap).  gmtime_r + strftime make it as before, so a cached
 * second is the same bytes; the nanoseconds are written digit by digit.
 */
void json_add_time(struct buf *b, int64_t sec, long nsec)
{
	static __thread int64_t last_sec;
	static __thread size_t last_len;	/* 0: nothing cached yet */
	static __thread char last[64];
	char frac[2];

	if (last_len == 0 || sec != last_sec) {
		struct tm tm;
		time_t t = (time_t)sec;

		if (gmtime_r(&t, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		last_len = strftime(last, sizeof(last), "\"%Y-%m-%dT%H:%M:%S",
				    &tm);
		last_sec = sec;
		if (last_len == 0) { /* cannot happen: keep nothing */
			buf_addf(b, ".%09ldZ\"", nsec);
			return;
		}
	}
	buf_add(b, last, last_len);
	if (nsec < 0 || nsec >= 1000000000) {
		buf_addf(b, ".%09ldZ\"", nsec); /* as printf writes those */
		return;
	}
	/* nine digits: the first, then eight in pairs */
	frac[0] = '.';
	frac[1] = (char)('0' + nsec / 100000000);
	buf_add(b, frac, 2);
	buf_add_digits8(b, (uint32_t)(nsec % 100000000));
	buf_add(b, "Z\"", 2);
}
