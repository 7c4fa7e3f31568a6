/*
 * chain.c: chain prefix and suffix, genesis and seal records (see
 * chain.h; the bytes are specified in docs/log-format.md).
 */
#include "log/chain.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lib/blake3_lanes.h"
#include "lib/hex.h"
#include "lib/json.h"

#define RUN_ID_LEN 16

static void seal(struct chain_log *cl, const char *reason,
		 const struct chain_exit *ex);

uint64_t chain_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Hex of n <= BLAKE3_OUT_LEN bytes, encoded straight into the line. */
static void add_hex(struct buf *b, const uint8_t *bytes, size_t n)
{
	buf_grow(b, 2 * n);
	hex_encode(bytes, n, b->s + b->len); /* NUL-terminates, room kept */
	b->len += 2 * n;
}

void chain_begin(const struct chain *c, struct buf *line, const char *type)
{
	buf_adds(line, "{\"type\":\"");
	buf_adds(line, type);
	buf_adds(line, "\",\"stream\":\"");
	buf_adds(line, c->name);
	buf_adds(line, "\",\"seq\":");
	buf_add_u64(line, c->seq);
}

/* Appends ,"prev":"<hex of the stream's head>" */
static void add_prev(const struct chain *c, struct buf *line)
{
	buf_adds(line, ",\"prev\":\"");
	if (c->hex_ok && memcmp(c->hex_of, c->head, BLAKE3_OUT_LEN) == 0)
		buf_add(line, c->hex, sizeof(c->hex));
	else
		add_hex(line, c->head, BLAKE3_OUT_LEN);
	buf_addch(line, '"');
}

void chain_end(struct chain *c, struct buf *line, size_t start)
{
	add_prev(c, line);
	blake3_hash(line->s + start, line->len - start, c->head);
	buf_adds(line, ",\"hash\":\"");
	add_hex(line, c->head, BLAKE3_OUT_LEN);
	/* the next record's "prev" */
	memcpy(c->hex, line->s + line->len - sizeof(c->hex), sizeof(c->hex));
	memcpy(c->hex_of, c->head, BLAKE3_OUT_LEN);
	c->hex_ok = true;
	buf_adds(line, "\"}\n");
	c->seq++;
}

void chain_log_init(struct chain_log *cl, struct seal_key *key,
		    uint64_t seal_every, uint64_t seal_interval_ns)
{
	memset(cl, 0, sizeof(*cl));
	buf_init(&cl->line);
	cl->key = key;
	cl->seal_every = seal_every ? seal_every : 1;
	cl->seal_interval_ns = seal_interval_ns;
	cl->seal.name = CHAIN_SEAL_STREAM;
}

int chain_log_add_stream(struct chain_log *cl, const char *name,
			 struct log_stream *out)
{
	if (cl->nstreams == CHAIN_MAX_STREAMS)
		return -ENOSPC;
	cl->streams[cl->nstreams].name = name;
	cl->out[cl->nstreams] = out;
	return (int)cl->nstreams++;
}

/* Calls fn on every distinct file of the log, in stream order. */
static int each_file(struct chain_log *cl,
		     int (*fn)(struct log_stream *s, struct chain_log *cl))
{
	int r = 0, e;

	for (size_t i = 0; i < cl->nstreams; i++) {
		size_t j;

		for (j = 0; j < i && cl->out[j] != cl->out[i]; j++)
			;
		if (j < i)
			continue;
		e = fn(cl->out[i], cl);
		if (e < 0 && r == 0)
			r = e;
	}
	return r;
}

static int add_line(struct log_stream *s, struct chain_log *cl)
{
	log_stream_add(s, cl->line.s, cl->line.len);
	return 0;
}

static int flush_file(struct log_stream *s, struct chain_log *cl)
{
	(void)cl;
	return log_stream_flush(s);
}

static int sync_file(struct log_stream *s, struct chain_log *cl)
{
	(void)cl;
	return log_stream_sync(s);
}

/* Reads one short line of a /proc file without its newline. */
static void read_small(const char *path, char *out, size_t size)
{
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, out, size - 1);
		close(fd);
	}
	if (n < 0)
		n = 0;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

int chain_log_genesis(struct chain_log *cl, const struct genesis_info *gi)
{
	struct chain g = { .name = CHAIN_GENESIS_STREAM };
	uint8_t run_id[RUN_ID_LEN], commit[BLAKE3_OUT_LEN];
	char boot_id[64], host[256];
	struct buf *b = &cl->line;
	size_t argv_left = CHAIN_ARGV_MAX;
	bool cut = false;

	if (getrandom(run_id, sizeof(run_id), 0) != (ssize_t)sizeof(run_id))
		return -EIO;
	read_small("/proc/sys/kernel/random/boot_id", boot_id, sizeof(boot_id));
	if (gethostname(host, sizeof(host)) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';

	buf_reset(b);
	chain_begin(&g, b, "genesis");
	/* fixed order up to key_commit: verify reads these by position */
	buf_adds(b, ",\"version\":");
	buf_add_u64(b, CHAIN_FORMAT_VERSION);
	buf_adds(b, ",\"streams\":[");
	for (size_t i = 0; i < cl->nstreams; i++) {
		if (i)
			buf_addch(b, ',');
		json_add_str(b, cl->streams[i].name);
	}
	buf_addch(b, ']');
	if (cl->key != NULL) {
		seal_key_commit(cl->key, commit);
		buf_adds(b, ",\"seal\":\"keyed\",\"key_commit\":\"");
		add_hex(b, commit, sizeof(commit));
		buf_adds(b, "\",\"seal_every\":");
		buf_add_u64(b, cl->seal_every);
		buf_adds(b, ",\"seal_interval_ms\":");
		buf_add_u64(b, cl->seal_interval_ns / 1000000);
	} else {
		buf_adds(b, ",\"seal\":\"none\"");
	}
	buf_adds(b, ",\"run_id\":\"");
	add_hex(b, run_id, sizeof(run_id));
	buf_adds(b, "\",\"boot_id\":");
	json_add_str(b, boot_id);
	buf_adds(b, ",\"host\":");
	json_add_str(b, host);
	buf_adds(b, ",\"ts\":");
	json_add_time(b, gi->start_sec, gi->start_nsec);
	buf_adds(b, ",\"uid\":");
	buf_add_u64(b, getuid());
	buf_adds(b, ",\"argv\":[");
	for (size_t i = 0; gi->argv != NULL && gi->argv[i] != NULL; i++) {
		size_t len = strlen(gi->argv[i]);

		if (i)
			buf_addch(b, ',');
		if (len > argv_left) {
			len = argv_left;
			cut = true;
		}
		json_add_bytes(b, gi->argv[i], len);
		argv_left -= len;
		if (cut)
			break;
	}
	buf_addch(b, ']');
	if (cut)
		buf_adds(b, ",\"argv_truncated\":true");
	chain_end(&g, b, 0);
	memcpy(cl->genesis, g.head, sizeof(cl->genesis));
	memcpy(cl->seal.head, g.head, sizeof(cl->seal.head));
	for (size_t i = 0; i < cl->nstreams; i++)
		memcpy(cl->streams[i].head, g.head, sizeof(g.head));
	(void)each_file(cl, add_line);
	cl->last_seal_ns = chain_now_ns();
	return 0;
}

struct buf *chain_log_begin(struct chain_log *cl, int idx, const char *type)
{
	if (cl->nbatch == 0)
		buf_reset(&cl->line);
	cl->line_start = cl->line.len;
	chain_begin(&cl->streams[idx], &cl->line, type);
	return &cl->line;
}

/* Hex of a hash into a line, without hex_encode()'s NUL. */
static void put_hex(const uint8_t *bytes, size_t n, char *out)
{
	char hex[2 * BLAKE3_OUT_LEN + 1];

	hex_encode(bytes, n, hex);
	memcpy(out, hex, 2 * n);
}

/* The fixed end of a held line: prev and hash filled in by settle. */
static const char held_tail[] =
	",\"prev\":\"................................................"
	"................\",\"hash\":\"......................................"
	"..........................\"}\n";

void chain_log_end_batch(struct chain_log *cl, int idx)
{
	struct buf *b = &cl->line;
	size_t start = cl->line_start;

	cl->batch[cl->nbatch].idx = idx;
	cl->batch[cl->nbatch].start = (uint32_t)start;
	cl->batch[cl->nbatch].len = (uint32_t)(b->len - start + CHAIN_PREV_LEN);
	cl->batch[cl->nbatch].seq = cl->streams[idx].seq;
	cl->nbatch++;
	buf_add(b, held_tail, sizeof(held_tail) - 1);
	cl->line_start = b->len;
	cl->streams[idx].seq++;
	cl->since_seal++;
	if (cl->key != NULL && cl->since_seal >= cl->seal_every)
		seal(cl, "count", NULL); /* settles first */
	else if (cl->nbatch == CHAIN_BATCH_MAX || b->len >= CHAIN_BATCH_BYTES)
		chain_log_settle(cl);
}

/*
 * The held lines: the blocks before each one's prev are compressed side
 * by side, then each is finished in order, since its prev is the hash
 * of the one before in its stream.
 */
static void settle_lines(struct chain_log *cl)
{
	uint32_t off[CHAIN_BATCH_MAX] = { 0 }, cv[CHAIN_BATCH_MAX][8];
	uint8_t nblocks[CHAIN_BATCH_MAX] = { 0 };
	size_t n = cl->nbatch;

	for (size_t i = 0; i < n; i++) {
		off[i] = cl->batch[i].start;
		nblocks[i] = (uint8_t)blake3_lanes_free_blocks(
			cl->batch[i].len, CHAIN_PREV_LEN);
	}
	blake3_lanes_start((const uint8_t *)cl->line.s, off, nblocks, n, cv);
	for (size_t i = 0; i < n; i++) {
		struct chain *c = &cl->streams[cl->batch[i].idx];
		char *l = cl->line.s + cl->batch[i].start;
		size_t len = cl->batch[i].len;
		char *prev = l + len - CHAIN_HEX_LEN - 1;
		char *hash = l + len + 9;

		if (c->hex_ok && memcmp(c->hex_of, c->head, BLAKE3_OUT_LEN) == 0)
			memcpy(prev, c->hex, CHAIN_HEX_LEN);
		else
			put_hex(c->head, BLAKE3_OUT_LEN, prev);
		if (len > BLAKE3_CHUNK_LEN)
			blake3_hash(l, len, c->head);
		else
			blake3_chunk_finish(cv[i], nblocks[i], l, len, c->head);
		put_hex(c->head, BLAKE3_OUT_LEN, hash);
		memcpy(c->hex, hash, CHAIN_HEX_LEN);
		memcpy(c->hex_of, c->head, BLAKE3_OUT_LEN);
		c->hex_ok = true;
		log_stream_add(cl->out[cl->batch[i].idx], l,
			       len + CHAIN_TAIL_LEN + 1);
		if (cl->on_settle != NULL)
			cl->on_settle(cl->on_settle_ctx, cl->batch[i].idx,
				      cl->batch[i].seq, c->head);
	}
	cl->nbatch = 0;
}

/* Writes seal record number cl->seal.seq; `reason` is why it is due. */
static void seal(struct chain_log *cl, const char *reason,
		 const struct chain_exit *ex)
{
	struct buf *b = &cl->line;
	uint8_t mac[BLAKE3_OUT_LEN];
	struct timespec now;

	chain_log_settle(cl);
	buf_reset(b);
	chain_begin(&cl->seal, b, "seal");
	/* fixed order up to "final": verify compares these bytes */
	buf_adds(b, ",\"heads\":{");
	for (size_t i = 0; i < cl->nstreams; i++) {
		if (i)
			buf_addch(b, ',');
		buf_addch(b, '"');
		buf_adds(b, cl->streams[i].name);
		buf_adds(b, "\":[");
		buf_add_u64(b, cl->streams[i].seq);
		buf_adds(b, ",\"");
		add_hex(b, cl->streams[i].head, BLAKE3_OUT_LEN);
		buf_adds(b, "\"]");
	}
	buf_adds(b, ex != NULL ? "},\"final\":true" : "},\"final\":false");
	buf_adds(b, ",\"reason\":\"");
	buf_adds(b, reason);
	buf_adds(b, "\",\"ts\":");
	clock_gettime(CLOCK_REALTIME, &now);
	json_add_time(b, now.tv_sec, now.tv_nsec);
	if (ex != NULL) {
		buf_adds(b, ",\"exit\":{\"code\":");
		buf_add_i64(b, ex->code);
		buf_adds(b, ",\"signal\":");
		buf_add_i64(b, ex->signal);
		buf_addch(b, '}');
	}
	if (cl->key != NULL) {
		seal_key_mac(cl->key, b->s, b->len, mac);
		buf_adds(b, ",\"mac\":\"");
		add_hex(b, mac, sizeof(mac));
		buf_addch(b, '"');
		/* forward security: the key of this epoch is gone */
		seal_key_ratchet(cl->key);
	}
	chain_end(&cl->seal, b, 0);
	(void)each_file(cl, add_line);
	(void)each_file(cl, flush_file);
	cl->since_seal = 0;
	cl->last_seal_ns = chain_now_ns();
}

void chain_log_settle(struct chain_log *cl)
{
	if (cl->nbatch == 0)
		return;
	settle_lines(cl);
	buf_reset(&cl->line);
	cl->line_start = 0;
}

void chain_log_end(struct chain_log *cl, int idx)
{
	size_t start = cl->line_start;

	if (cl->nbatch)
		settle_lines(cl); /* they come first; the line stays after */
	chain_end(&cl->streams[idx], &cl->line, start);
	log_stream_add(cl->out[idx], cl->line.s + start, cl->line.len - start);
	buf_reset(&cl->line);
	cl->line_start = 0;
	cl->since_seal++;
	if (cl->key != NULL && cl->since_seal >= cl->seal_every)
		seal(cl, "count", NULL);
}

uint64_t chain_log_deadline(const struct chain_log *cl)
{
	if (cl->key == NULL || cl->sealed_final || cl->seal_interval_ns == 0)
		return 0;
	return cl->last_seal_ns + cl->seal_interval_ns;
}

void chain_log_tick(struct chain_log *cl, uint64_t now_ns)
{
	uint64_t due = chain_log_deadline(cl);

	if (due != 0 && now_ns >= due)
		seal(cl, "time", NULL);
}

int chain_log_final(struct chain_log *cl, const struct chain_exit *ex)
{
	if (!cl->sealed_final) {
		seal(cl, "final", ex);
		cl->sealed_final = true;
	}
	return each_file(cl, sync_file);
}

void chain_log_release(struct chain_log *cl)
{
	if (cl == NULL)
		return;
	explicit_bzero(cl->line.s, cl->line.len);
	buf_release(&cl->line);
}
