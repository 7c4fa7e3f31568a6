/*
 * test_lib.c: unit tests of src/lib: buf, the JSON writer, the SPSC queue.
 */
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/queue.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void check_buf(const struct buf *b)
{
	CHECK(b->s != NULL);
	CHECK(b->s[b->len] == '\0');
	CHECK(b->cap == 0 || b->len < b->cap);
}

TEST(buf_grows_and_stays_terminated)
{
	struct buf b = BUF_INIT;
	int i;

	check_buf(&b);
	CHECK_EQ_STR(b.s, "");
	for (i = 0; i < 1000; i++) {
		buf_addf(&b, "%d,", i);
		check_buf(&b);
	}
	CHECK(b.len > 2000);
	CHECK(strncmp(b.s, "0,1,2,", 6) == 0);
	buf_truncate(&b, 2);
	check_buf(&b);
	CHECK_EQ_STR(b.s, "0,");
	buf_reset(&b);
	check_buf(&b);
	CHECK_EQ_INT(b.len, 0);
	buf_release(&b);
	check_buf(&b);
	buf_release(NULL);
}

TEST(buf_numbers)
{
	struct buf b = BUF_INIT;

	buf_add_u64(&b, 0);
	buf_addch(&b, ' ');
	buf_add_u64(&b, UINT64_MAX);
	buf_addch(&b, ' ');
	buf_add_i64(&b, INT64_MIN);
	buf_addch(&b, ' ');
	buf_add_i64(&b, -1);
	CHECK_EQ_STR(b.s, "0 18446744073709551615 -9223372036854775808 -1");
	/* every length, and the numbers on either side of each power of ten,
	 * against printf */
	for (unsigned long long p = 1, i = 0; i < 20; i++, p *= 10)
		for (int d = -1; d <= 1; d++) {
			unsigned long long v = p + (unsigned long long)d;
			char want[32];

			buf_reset(&b);
			buf_add_u64(&b, v);
			snprintf(want, sizeof(want), "%llu", v);
			CHECK_EQ_STR(b.s, want);
			check_buf(&b);
			buf_reset(&b);
			buf_add_i64(&b, -(long long)(v >> 1));
			snprintf(want, sizeof(want), "%lld", -(long long)(v >> 1));
			CHECK_EQ_STR(b.s, want);
		}
	/* random values of every magnitude */
	for (uint64_t x = 88172645463325252ull, i = 0; i < 20000; i++) {
		char want[32];
		uint64_t v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = x >> (i % 64);
		buf_reset(&b);
		buf_add_u64(&b, v);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		CHECK_EQ_STR(b.s, want);
	}
	/* dotted quads as inet_ntop() writes them */
	for (uint32_t x = 1, i = 0; i < 2000; i++, x = x * 1103515245u + 12345u) {
		unsigned char a[4];
		char want[INET_ADDRSTRLEN];

		memcpy(a, &x, 4);
		if (i < 3)
			memset(a, i == 0 ? 0 : i == 1 ? 255 : 100, 4);
		buf_reset(&b);
		buf_add_ip4(&b, a);
		CHECK_EQ_STR(b.s, inet_ntop(AF_INET, a, want, sizeof(want)));
	}
	buf_release(&b);
}

TEST(buf_detach_hands_over)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *s;

	s = buf_detach(&b, &len);
	CHECK_EQ_STR(s, "");
	CHECK_EQ_INT(len, 0);
	free(s);
	buf_adds(&b, "abc");
	s = buf_detach(&b, &len);
	CHECK_EQ_STR(s, "abc");
	CHECK_EQ_INT(len, 3);
	check_buf(&b);
	CHECK_EQ_INT(b.len, 0);
	free(s);
}

TEST(json_trusted_strings)
{
	struct buf b = BUF_INIT;

	json_add_str(&b, "a\"b\\c\n\x01");
	CHECK_EQ_STR(b.s, "\"a\\\"b\\\\c\\n\\u0001\"");
	buf_release(&b);
}

TEST(json_hostile_bytes)
{
	struct buf b = BUF_INIT;
	/* valid 2-, 3-, 4-byte UTF-8, then invalid: lone continuation,
	 * overlong, surrogate, truncated sequence; a backslash */
	static const char in[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				 "\x80\xc0\xaf\xed\xa0\x80\\\xe2\x82";

	json_add_bytes(&b, in, sizeof(in) - 1);
	CHECK_EQ_STR(b.s, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
			  "\\\\x80\\\\xc0\\\\xaf\\\\xed\\\\xa0\\\\x80"
			  "\\\\\\\\\\\\xe2\\\\x82\"");
	buf_reset(&b);
	json_add_bytes(&b, "a\0b", 3);
	CHECK_EQ_STR(b.s, "\"a\\u0000b\"");
	buf_release(&b);
}

/* The escaper byte by byte, as json.c had it before it scanned eight
 * bytes at a time: the output must not change. */
static void ref_escaped(struct buf *b, const unsigned char *s, size_t len,
			int hostile)
{
	static const char hexdig[] = "0123456789abcdef";
	size_t i, n;
	char x[8];

	buf_addch(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			buf_addch(b, (char)c);
		} else if (c == '"') {
			buf_adds(b, "\\\"");
		} else if (c == '\\') {
			buf_adds(b, hostile ? "\\\\\\\\" : "\\\\");
		} else if (c == '\n') {
			buf_adds(b, "\\n");
		} else if (c == '\t') {
			buf_adds(b, "\\t");
		} else if (c == '\r') {
			buf_adds(b, "\\r");
		} else if (c < 0x20) {
			snprintf(x, sizeof(x), "\\u00%c%c", hexdig[c >> 4],
				 hexdig[c & 15]);
			buf_adds(b, x);
		} else if ((n = json_utf8_len(s + i, len - i)) != 0) {
			buf_add(b, s + i, n);
			i += n - 1;
		} else {
			snprintf(x, sizeof(x), "\\\\x%c%c", hexdig[c >> 4],
				 hexdig[c & 15]);
			buf_adds(b, x);
		}
	}
	buf_addch(b, '"');
}

TEST(json_escaping_matches_bytewise_reference)
{
	/* plain runs of every length around 8 and 16, broken by each kind
	 * of byte at every position */
	static const unsigned char specials[] = { '"', '\\', '\n', 0,    0x1f,
						  0x7f, 0x80, 0xc3, 0xe2, 0xff,
						  ' ',	'~' };
	unsigned char in[64];
	struct buf got = BUF_INIT, want = BUF_INIT;
	uint32_t x = 7;
	size_t len, pos, k, n;

	for (len = 0; len <= 40; len++)
		for (pos = 0; pos <= len; pos++)
			for (k = 0; k < sizeof(specials); k++) {
				memset(in, 'a', sizeof(in));
				if (pos < len)
					in[pos] = specials[k];
				if (pos + 1 < len && specials[k] == 0xc3)
					in[pos + 1] = 0xa9; /* é */
				for (int hostile = 0; hostile < 2; hostile++) {
					buf_reset(&got);
					buf_reset(&want);
					if (hostile)
						json_add_bytes(&got, in, len);
					else if (memchr(in, 0, len) == NULL) {
						in[len] = '\0';
						json_add_str(&got, (char *)in);
					} else
						continue;
					ref_escaped(&want, in, len, hostile);
					CHECK_EQ_STR(got.s, want.s);
				}
			}
	for (n = 0; n < 20000; n++) {
		len = n % 60;
		for (pos = 0; pos < len; pos++) {
			x = x * 1103515245u + 12345u;
			/* mostly ASCII, sometimes anything */
			in[pos] = (x >> 24) < 200 ? (unsigned char)(0x20 + (x >> 16) % 95)
						  : (unsigned char)(x >> 16);
		}
		buf_reset(&got);
		buf_reset(&want);
		json_add_bytes(&got, in, len);
		ref_escaped(&want, in, len, 1);
		CHECK_EQ_STR(got.s, want.s);
		check_buf(&got);
	}
	buf_release(&got);
	buf_release(&want);
}

TEST(json_time_and_hex)
{
	struct buf b = BUF_INIT;

	json_add_time(&b, 0, 5);
	CHECK_EQ_STR(b.s, "\"1970-01-01T00:00:00.000000005Z\"");
	buf_reset(&b);
	json_add_time(&b, 1795867200, 999999999);
	CHECK_EQ_STR(b.s, "\"2026-11-28T12:00:00.999999999Z\"");
	/* the nanoseconds as "%09ld" writes them, digit by digit */
	for (long ns = 0, i = 0; i < 3000; i++, ns = (ns * 7919 + 104729) % 1000000000) {
		char want[64];

		buf_reset(&b);
		json_add_time(&b, 1795867200, ns);
		snprintf(want, sizeof(want), "\"2026-11-28T12:00:00.%09ldZ\"", ns);
		CHECK_EQ_STR(b.s, want);
	}
	buf_reset(&b);
	json_add_hex(&b, 0);
	buf_addch(&b, ' ');
	json_add_hex(&b, UINT64_MAX);
	CHECK_EQ_STR(b.s, "\"0x0\" \"0xffffffffffffffff\"");
	buf_release(&b);
}

#define QN 200000

static void *producer(void *arg)
{
	struct queue *q = arg;
	uint64_t i;

	for (i = 0; i < QN; i++)
		queue_push(q, &i);
	queue_close(q);
	return NULL;
}

TEST(queue_delivers_everything_in_order)
{
	struct queue q;
	pthread_t th;
	uint64_t v, expect = 0;
	int bad = 0;

	CHECK_EQ_INT(queue_init(&q, sizeof(uint64_t), 64), 0);
	CHECK_EQ_INT(q.cap, 64);
	CHECK_EQ_INT(pthread_create(&th, NULL, producer, &q), 0);
	while (queue_wait(&q)) {
		while (queue_try_pop(&q, &v)) {
			if (v != expect)
				bad++;
			expect++;
		}
	}
	pthread_join(th, NULL);
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(expect, QN);
	CHECK(!queue_try_pop(&q, &v));
	queue_release(&q);
}

TEST(queue_full_without_consumer_is_bounded)
{
	struct queue q;
	uint64_t i, v;

	CHECK_EQ_INT(queue_init(&q, sizeof(uint64_t), 16), 0);
	for (i = 0; i < 16; i++)
		queue_push(&q, &i);
	CHECK_EQ_INT(q.nr_full_waits, 0);
	for (i = 0; i < 16; i++) {
		CHECK(queue_try_pop(&q, &v));
		CHECK_EQ_INT(v, i);
	}
	CHECK(!queue_try_pop(&q, &v));
	queue_release(&q);
}

struct wq {
	struct queue q;
	uint64_t max_weight;
};

static void *weighted_producer(void *arg)
{
	struct wq *w = arg;
	uint64_t i;

	for (i = 0; i < 5000; i++) {
		queue_push_weighted(&w->q, &i, 1000);
		if (atomic_load(&w->q.weight) > w->max_weight)
			w->max_weight = atomic_load(&w->q.weight);
	}
	queue_close(&w->q);
	return NULL;
}

TEST(queue_weight_budget_bounds_bytes)
{
	static struct wq w;
	pthread_t th;
	uint64_t v, n = 0;

	CHECK_EQ_INT(queue_init(&w.q, sizeof(uint64_t), 4096), 0);
	queue_set_budget(&w.q, 10000);
	CHECK_EQ_INT(pthread_create(&th, NULL, weighted_producer, &w), 0);
	while (queue_wait(&w.q)) {
		while (queue_try_pop(&w.q, &v)) {
			CHECK_EQ_INT(v, n);
			n++;
			queue_unweigh(&w.q, 1000);
		}
	}
	pthread_join(th, NULL);
	CHECK_EQ_INT(n, 5000);
	/* never more than the budget in flight, though 4096 slots exist */
	CHECK(w.max_weight <= 10000);
	CHECK_EQ_INT(atomic_load(&w.q.weight), 0);
	queue_release(&w.q);
}

UNIT_MAIN(UNIT_T(queue_weight_budget_bounds_bytes),
	  UNIT_T(json_escaping_matches_bytewise_reference), UNIT_T(buf_grows_and_stays_terminated), UNIT_T(buf_numbers),
	  UNIT_T(buf_detach_hands_over), UNIT_T(json_trusted_strings),
	  UNIT_T(json_hostile_bytes), UNIT_T(json_time_and_hex),
	  UNIT_T(queue_delivers_everything_in_order),
	  UNIT_T(queue_full_without_consumer_is_bounded))
