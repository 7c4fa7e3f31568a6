/*
 * test_chain.c: unit tests for src/log/chain.c, sealkey.c and verify.c:
 * the exact bytes hashed, genesis and seals, key handling, and the
 * verifier's verdict on synthetic one- and two-stream logs (the second
 * stream, "actions", references the first as later issues will), each
 * tampered in one way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/blake3.h"
#include "lib/hex.h"
#include "lib/queue.h"
#include "log/chain.h"
#include "log/sealkey.h"
#include "log/verify.h"
#include "unit.h"

static char dir[] = "/tmp/capsule-test-chain-XXXXXX";
static const uint8_t test_key[BLAKE3_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };

/* A log in memory: up to two files. */
struct mlog {
	struct buf file[2];
	size_t nfiles;
	uint8_t head[BLAKE3_OUT_LEN];
};

static void slurp(const char *path, struct buf *out)
{
	char tmp[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	buf_reset(out);
	if (fd < 0)
		return;
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_add(out, tmp, (size_t)n);
	close(fd);
}

/*
 * make_log() holds its syscall records with chain_log_end_batch(), with
 * payloads of 0 to ~2000 bytes (some longer than a BLAKE3 chunk).
 */
static int make_batched;

/*
 * Writes a run of `n` syscall records (and, with two_files, an action
 * record after every third one, in a second file, referencing it).
 */
static void make_log(struct mlog *m, int keyed, int n, int two_files,
		     uint64_t every)
{
	struct log_stream s[2];
	struct chain_log cl;
	struct seal_key *key = NULL;
	struct genesis_info gi = { 0 };
	char *argv[] = { "prog", "arg", NULL };
	char path[2][128], hex[CHAIN_HEX_LEN + 1];
	const char *why;
	struct chain_exit ex = { 0, 0 };
	int sys, act = -1;

	for (int i = 0; i < 2; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/f%d.log", dir, i);
		buf_init(&m->file[i]);
	}
	CHECK(log_stream_open(&s[0], path[0], &why) == 0);
	if (two_files)
		CHECK(log_stream_open(&s[1], path[1], &why) == 0);
	if (keyed)
		CHECK(seal_key_from_bytes(test_key, &key) == 0);
	chain_log_init(&cl, key, every, 0);
	sys = chain_log_add_stream(&cl, "syscalls", &s[0]);
	if (two_files)
		act = chain_log_add_stream(&cl, "actions", &s[1]);
	gi.argv = argv;
	CHECK(chain_log_genesis(&cl, &gi) == 0);
	for (int i = 0; i < n; i++) {
		struct buf *b = chain_log_begin(&cl, sys, "syscall");

		buf_addf(b, ",\"i\":%d,\"text\":\"payload \\\"%d\\\"\"", i, i);
		if (make_batched) {
			buf_adds(b, ",\"pad\":\"");
			for (int k = 0; k < (i * 397) % 2000; k++)
				buf_addch(b, (char)('a' + k % 26));
			buf_addch(b, '"');
			chain_log_end_batch(&cl, sys);
		} else {
			chain_log_end(&cl, sys);
		}
		if (two_files && i % 3 == 2) {
			const struct chain *c = &cl.streams[sys];

			chain_log_settle(&cl); /* the head is read below */

			b = chain_log_begin(&cl, act, "action");
			hex_encode(c->head, BLAKE3_OUT_LEN, hex);
			buf_addf(b, ",\"refs\":[[\"syscalls\",%llu,\"%s\"]]",
				 (unsigned long long)c->seq - 1, hex);
			buf_adds(b, ",\"what\":\"test\"");
			chain_log_end(&cl, act);
		}
	}
	CHECK(chain_log_final(&cl, &ex) == 0);
	memcpy(m->head, cl.seal.head, sizeof(m->head));
	chain_log_release(&cl);
	seal_key_free(key);
	CHECK(log_stream_close(&s[0]) == 0);
	slurp(path[0], &m->file[0]);
	m->nfiles = 1;
	if (two_files) {
		CHECK(log_stream_close(&s[1]) == 0);
		slurp(path[1], &m->file[1]);
		m->nfiles = 2;
	}
}

static void mlog_release(struct mlog *m)
{
	buf_release(&m->file[0]);
	buf_release(&m->file[1]);
}

/* Verifies m (optionally keyed / with the expected head); returns v. */
static enum verify_status check_log(const struct mlog *m, int with_key,
				    const uint8_t *expect,
				    struct verifier *v)
{
	struct verify_input in[2];
	struct seal_key *key = NULL;
	enum verify_status st;

	verify_init(v);
	for (size_t i = 0; i < m->nfiles; i++)
		in[i] = (struct verify_input){ .name = "mem", .fd = -1,
					       .mem = m->file[i].s,
					       .mem_len = m->file[i].len };
	if (with_key) {
		CHECK(seal_key_from_bytes(test_key, &key) == 0);
		v->key = key;
	}
	if (expect != NULL) {
		memcpy(v->expect, expect, BLAKE3_OUT_LEN);
		v->have_expect = true;
	}
	st = verify_files(v, in, m->nfiles);
	verify_release(v);
	v->key = seal_key_free(key);
	return st;
}

static enum verify_status verdict(const struct mlog *m, int with_key)
{
	struct verifier v;

	return check_log(m, with_key, NULL, &v);
}

/* Offset of the start of line `n` (1-based) of b. */
static size_t line_off(const struct buf *b, int n)
{
	size_t off = 0;

	while (--n > 0) {
		const char *nl = memchr(b->s + off, '\n', b->len - off);

		if (nl == NULL)
			return b->len;
		off = (size_t)(nl - b->s) + 1;
	}
	return off;
}

static size_t line_len(const struct buf *b, int n)
{
	size_t off = line_off(b, n);
	const char *nl = memchr(b->s + off, '\n', b->len - off);

	return nl ? (size_t)(nl - b->s) + 1 - off : b->len - off;
}

/* Removes line n (1-based) of b. */
static void delete_line(struct buf *b, int n)
{
	size_t off = line_off(b, n), len = line_len(b, n);

	memmove(b->s + off, b->s + off + len, b->len - off - len + 1);
	b->len -= len;
}

TEST(test_hash_covers_line_up_to_hash_field)
{
	struct chain c = { .name = "syscalls", .seq = 7 };
	struct buf b = BUF_INIT;
	uint8_t h[BLAKE3_OUT_LEN];
	char hex[CHAIN_HEX_LEN + 1];
	size_t body;

	chain_begin(&c, &b, "syscall");
	CHECK_EQ_STR(b.s, "{\"type\":\"syscall\",\"stream\":\"syscalls\","
			  "\"seq\":7");
	buf_adds(&b, ",\"x\":1");
	body = b.len;
	chain_end(&c, &b, 0);
	/* version 2: prev is the last member the hash covers */
	CHECK(strncmp(b.s + body, ",\"prev\":\"0000000000000000000000000000"
			  "000000000000000000000000000000000000\",\"hash\":",
		      CHAIN_PREV_LEN + 8) == 0);
	blake3_hash(b.s, body + CHAIN_PREV_LEN, h);
	hex_encode(h, sizeof(h), hex);
	CHECK_EQ_INT(b.len, body + CHAIN_PREV_LEN + CHAIN_TAIL_LEN + 1);
	CHECK(strncmp(b.s + body + CHAIN_PREV_LEN, ",\"hash\":\"", 9) == 0);
	CHECK(strncmp(b.s + body + CHAIN_PREV_LEN + 9, hex, CHAIN_HEX_LEN) == 0);
	CHECK_EQ_STR(b.s + b.len - 3, "\"}\n");
	CHECK_EQ_INT(c.seq, 8);
	CHECK(memcmp(c.head, h, sizeof(h)) == 0);
	buf_release(&b);
}

TEST(test_hex_roundtrip_and_strict)
{
	uint8_t in[3] = { 0x00, 0xab, 0xff }, out[3];
	char hex[7];

	hex_encode(in, 3, hex);
	CHECK_EQ_STR(hex, "00abff");
	CHECK(hex_decode(hex, 3, out) == 0);
	CHECK(memcmp(in, out, 3) == 0);
	CHECK(hex_decode("00ABff", 3, out) == -EINVAL);
	CHECK(hex_decode("00a g0", 3, out) == -EINVAL);
}

TEST(test_key_file)
{
	char path[128];
	struct seal_key *k = NULL, *k2 = NULL;
	uint8_t c1[BLAKE3_OUT_LEN], c2[BLAKE3_OUT_LEN];
	struct stat st;

	snprintf(path, sizeof(path), "%s/key", dir);
	CHECK(seal_key_generate(path) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_EQ_INT(st.st_size, 85);
	CHECK(seal_key_generate(path) == -EEXIST);
	CHECK(seal_key_load(path, &k) == 0);
	CHECK(seal_key_load(path, &k2) == 0);
	seal_key_commit(k, c1);
	seal_key_commit(k2, c2);
	CHECK(memcmp(c1, c2, sizeof(c1)) == 0);
	/* the ratchet moves on and never comes back */
	seal_key_ratchet(k2);
	CHECK_EQ_INT(k2->epoch, 1);
	CHECK(memcmp(k->k, k2->k, BLAKE3_KEY_LEN) != 0);
	k = seal_key_free(k);
	k2 = seal_key_free(k2);
	CHECK(k == NULL);
	CHECK(chmod(path, 0640) == 0);
	CHECK(seal_key_load(path, &k) == -EPERM);
	CHECK(seal_key_check_apart(path, "/tmp/elsewhere.log") == -EEXIST);
	unlink(path);
}

TEST(test_queue_wait_until_times_out)
{
	struct queue q;
	int x = 5, y = 0;
	uint64_t t0;

	CHECK(queue_init(&q, sizeof(int), 16) == 0);
	t0 = chain_now_ns();
	CHECK_EQ_INT(queue_wait_until(&q, t0 + 20000000), -ETIMEDOUT);
	CHECK(chain_now_ns() - t0 >= 20000000);
	queue_push(&q, &x);
	CHECK_EQ_INT(queue_wait_until(&q, chain_now_ns() + 1000000), 1);
	CHECK(queue_try_pop(&q, &y) && y == 5);
	queue_close(&q);
	CHECK_EQ_INT(queue_wait_until(&q, chain_now_ns() + 1000000), 0);
	queue_release(&q);
}

TEST(test_intact_logs_verify)
{
	struct mlog m;
	struct verifier v;

	make_log(&m, 0, 50, 0, 1024);
	CHECK_EQ_INT(check_log(&m, 0, NULL, &v), VERIFY_OK);
	CHECK(!v.authenticated);
	CHECK_EQ_INT(v.records, 50);
	CHECK_EQ_INT(check_log(&m, 0, m.head, &v), VERIFY_OK);
	CHECK(v.authenticated);
	/* a key given for an unkeyed log is not silently accepted */
	CHECK_EQ_INT(verdict(&m, 1), VERIFY_TAMPERED);
	mlog_release(&m);

	make_log(&m, 1, 50, 0, 8);
	CHECK_EQ_INT(check_log(&m, 1, NULL, &v), VERIFY_OK);
	CHECK(v.authenticated);
	CHECK_EQ_INT(v.seal.seq, 50 / 8 + 1);
	CHECK_EQ_INT(check_log(&m, 0, NULL, &v), VERIFY_OK);
	CHECK(!v.authenticated);
	mlog_release(&m);
}

TEST(test_wrong_key_is_an_error_not_tampering)
{
	struct mlog m;
	struct verifier v;
	struct verify_input in;
	struct seal_key *other;
	uint8_t k[BLAKE3_KEY_LEN] = { 9 };

	make_log(&m, 1, 20, 0, 8);
	verify_init(&v);
	CHECK(seal_key_from_bytes(k, &other) == 0);
	v.key = other;
	in = (struct verify_input){ "mem", -1, m.file[0].s, m.file[0].len };
	CHECK_EQ_INT(verify_files(&v, &in, 1), VERIFY_ERROR);
	CHECK(strstr(v.why, "wrong key") != NULL);
	verify_release(&v);
	seal_key_free(other);
	mlog_release(&m);
}

TEST(test_tampering_is_found)
{
	struct mlog m;
	struct verifier v;
	char *p;

	/* a flipped payload byte: that very line is named */
	make_log(&m, 0, 30, 0, 1024);
	p = strstr(m.file[0].s, "\"i\":10,");
	p[4] = '9';
	CHECK_EQ_INT(check_log(&m, 0, NULL, &v), VERIFY_TAMPERED);
	CHECK_EQ_INT(v.line, 12);
	CHECK_EQ_STR(v.stream, "syscalls");
	CHECK_EQ_INT(v.seq, 10);
	mlog_release(&m);

	/* a deleted middle record */
	make_log(&m, 0, 30, 0, 1024);
	delete_line(&m.file[0], 5);
	CHECK_EQ_INT(check_log(&m, 0, NULL, &v), VERIFY_TAMPERED);
	CHECK_EQ_INT(v.line, 5);
	mlog_release(&m);

	/* the last record before the final seal */
	make_log(&m, 1, 30, 0, 1024);
	delete_line(&m.file[0], 31);
	CHECK_EQ_INT(verdict(&m, 0), VERIFY_TAMPERED);
	mlog_release(&m);

	/* the genesis */
	make_log(&m, 0, 30, 0, 1024);
	delete_line(&m.file[0], 1);
	CHECK_EQ_INT(verdict(&m, 0), VERIFY_TAMPERED);
	mlog_release(&m);

	/* garbage after the final seal */
	make_log(&m, 0, 3, 0, 1024);
	buf_adds(&m.file[0], "{}\n");
	CHECK_EQ_INT(verdict(&m, 0), VERIFY_TAMPERED);
	mlog_release(&m);
}

TEST(test_truncation_is_incomplete)
{
	struct mlog m;
	struct verifier v;

	make_log(&m, 1, 30, 0, 8);
	/* drop the final seal: the log ends like a crashed run */
	delete_line(&m.file[0], (int)(1 + 30 + 30 / 8 + 1));
	CHECK_EQ_INT(check_log(&m, 1, NULL, &v), VERIFY_INCOMPLETE);
	CHECK_EQ_INT(v.since_seal, 30 - 24);
	/* torn mid-line */
	buf_truncate(&m.file[0], m.file[0].len - 40);
	CHECK_EQ_INT(verdict(&m, 1), VERIFY_INCOMPLETE);
	buf_truncate(&m.file[0], 0);
	CHECK_EQ_INT(verdict(&m, 1), VERIFY_INCOMPLETE);
	mlog_release(&m);
}

TEST(test_stolen_later_key_cannot_reseal_the_past)
{
	struct mlog m;
	struct seal_key *k;
	uint8_t mac[BLAKE3_OUT_LEN];
	char hex[CHAIN_HEX_LEN + 1], *seal, *macp;
	size_t off, body;

	/* re-MAC seal 0 with the key of epoch 1, as an intruder could */
	make_log(&m, 1, 20, 0, 8);
	seal = strstr(m.file[0].s, "{\"type\":\"seal\"");
	off = (size_t)(seal - m.file[0].s);
	body = (size_t)((char *)memchr(seal, '\n', m.file[0].len - off) -
			seal) - CHAIN_TAIL_LEN - CHAIN_MAC_LEN;
	CHECK(seal_key_from_bytes(test_key, &k) == 0);
	seal_key_ratchet(k);
	seal_key_mac(k, seal, body, mac);
	hex_encode(mac, sizeof(mac), hex);
	macp = seal + body + 8;
	memcpy(macp, hex, CHAIN_HEX_LEN);
	seal_key_free(k);
	/* the seal's own hash is now wrong, so fix it up too */
	{
		uint8_t h[BLAKE3_OUT_LEN];

		blake3_hash(seal, body + CHAIN_MAC_LEN, h);
		hex_encode(h, sizeof(h), hex);
		memcpy(seal + body + CHAIN_MAC_LEN + 9, hex, CHAIN_HEX_LEN);
	}
	CHECK_EQ_INT(verdict(&m, 1), VERIFY_TAMPERED);
	mlog_release(&m);
}

TEST(test_two_streams_and_references)
{
	struct mlog m;
	struct verifier v;
	char *p;
	size_t off, len;

	make_log(&m, 1, 30, 1, 8);
	CHECK_EQ_INT(check_log(&m, 1, NULL, &v), VERIFY_OK);
	CHECK_EQ_INT(v.records, 40);
	CHECK_EQ_INT(v.refs_checked, 10);
	CHECK_EQ_INT(check_log(&m, 0, m.head, &v), VERIFY_OK);
	mlog_release(&m);

	/* files in either order */
	make_log(&m, 0, 30, 1, 8);
	{
		struct buf t = m.file[0];

		m.file[0] = m.file[1];
		m.file[1] = t;
	}
	CHECK_EQ_INT(verdict(&m, 0), VERIFY_OK);
	mlog_release(&m);

	/* a record moved from one stream's file to the other's */
	make_log(&m, 0, 30, 1, 8);
	off = line_off(&m.file[0], 3);
	len = line_len(&m.file[0], 3);
	buf_add(&m.file[1], m.file[0].s + off, len);
	delete_line(&m.file[0], 3);
	CHECK_EQ_INT(verdict(&m, 0), VERIFY_TAMPERED);
	mlog_release(&m);

	/* the whole second file missing: the seals see it */
	make_log(&m, 1, 30, 1, 8);
	m.nfiles = 1;
	CHECK_EQ_INT(verdict(&m, 1), VERIFY_TAMPERED);
	m.nfiles = 2;
	mlog_release(&m);

	/* a reference to a record that never existed */
	make_log(&m, 0, 30, 1, 1024);
	p = strstr(m.file[1].s, "[[\"syscalls\",2,");
	p[13] = '7';
	CHECK_EQ_INT(verdict(&m, 0), VERIFY_TAMPERED);
	mlog_release(&m);
}

TEST(test_second_file_from_another_run)
{
	struct mlog a, b;

	make_log(&a, 0, 10, 1, 8);
	make_log(&b, 0, 10, 1, 8);
	buf_release(&a.file[1]);
	a.file[1] = b.file[1];
	buf_init(&b.file[1]);
	CHECK_EQ_INT(verdict(&a, 0), VERIFY_TAMPERED);
	mlog_release(&a);
	mlog_release(&b);
}

static void setup(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

static void teardown(void)
{
	char path[128];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/f%d.log", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

/* Records held and hashed side by side give a log verify accepts. */
TEST(test_batched_logs_verify)
{
	struct verifier v;
	struct mlog m;

	make_batched = 1;
	for (int keyed = 0; keyed < 2; keyed++) {
		for (int two = 0; two < 2; two++) {
			make_log(&m, keyed, 100, two, 7);
			CHECK_EQ_INT(check_log(&m, keyed, m.head, &v),
				     VERIFY_OK);
			CHECK_EQ_INT(v.records, 100 + (two ? 33 : 0));
			/* one byte of a held record's payload */
			m.file[0].s[line_off(&m.file[0], 30) + 60] ^= 1;
			CHECK_EQ_INT(check_log(&m, keyed, NULL, &v),
				     VERIFY_TAMPERED);
			mlog_release(&m);
		}
	}
	make_batched = 0;
}

#define TESTS                                                                \
	UNIT_T(setup), UNIT_T(test_hash_covers_line_up_to_hash_field),       \
		UNIT_T(test_hex_roundtrip_and_strict), UNIT_T(test_key_file),\
		UNIT_T(test_queue_wait_until_times_out),                     \
		UNIT_T(test_intact_logs_verify),                             \
		UNIT_T(test_wrong_key_is_an_error_not_tampering),            \
		UNIT_T(test_tampering_is_found),                             \
		UNIT_T(test_truncation_is_incomplete),                       \
		UNIT_T(test_stolen_later_key_cannot_reseal_the_past),        \
		UNIT_T(test_two_streams_and_references),                     \
		UNIT_T(test_second_file_from_another_run),             \
		UNIT_T(test_batched_logs_verify), UNIT_T(teardown)

UNIT_MAIN(TESTS)
