/*
 * verify.c: the chained-log verifier (see verify.h; the bytes checked
 * are specified in docs/log-format.md).
 */
#include "log/verify.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/hex.h"

/* What verify_line() found. */
enum line_kind {
	LINE_BAD = -1,	/* v->status is set */
	LINE_RECORD = 0,
	LINE_SEAL = 1,	/* a seal (or a copy of the pending one) */
};

/*
 * The parsed chain fields of a line: type, stream and seq at its head;
 * prev right after seq (format version 1) or as the fixed-length member
 * before the hash (version 2).
 */
struct prefix {
	const char *type, *stream;	/* not NUL-terminated */
	size_t type_len, stream_len;
	uint64_t seq;
	const char *prev;		/* its 64 hex digits, not decoded */
	size_t end;			/* where the payload begins */
	size_t body;			/* where the payload ends */
	unsigned version;		/* the layout found: 1 or 2 */
};

/* Per-file reading state. */
struct vfile {
	const struct verify_input *in;
	char *buf;		/* owned (fd) or borrowed (memory) */
	size_t start, end;	/* unread bytes are buf[start..end) */
	bool eof;
	bool done;
	bool seen_genesis;
	uint64_t lineno;
};

static const char zero_hex[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void __attribute__((format(printf, 4, 5)))
fail(struct verifier *v, enum verify_status st, const struct prefix *p,
     const char *fmt, ...)
{
	va_list ap;

	if (v->status != VERIFY_OK)
		return;
	v->status = st;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	v->stream[0] = '\0';
	v->seq = -1;
	if (p != NULL && p->stream != NULL) {
		size_t n = p->stream_len < sizeof(v->stream) - 1
				   ? p->stream_len
				   : sizeof(v->stream) - 1;

		memcpy(v->stream, p->stream, n);
		v->stream[n] = '\0';
		v->seq = (int64_t)(p->seq & INT64_MAX);
	}
}

void verify_init(struct verifier *v)
{
	memset(v, 0, sizeof(*v));
	v->seq = -1;
}

void verify_release(struct verifier *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < CHAIN_MAX_STREAMS; i++) {
		free(v->streams[i].ring);
		v->streams[i].ring = NULL;
	}
}

/* Matches literal `lit` at l[*pos]; advances *pos. */
static bool lit(const char *l, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (len - *pos < n || memcmp(l + *pos, s, n) != 0)
		return false;
	*pos += n;
	return true;
}

/* A name: 1 to 31 of [a-z0-9_], then a '"'. */
static bool name(const char *l, size_t len, size_t *pos, const char **ret,
		 size_t *ret_len)
{
	size_t i = *pos;

	while (i < len && i - *pos < 32 &&
	       ((l[i] >= 'a' && l[i] <= 'z') || (l[i] >= '0' && l[i] <= '9') ||
		l[i] == '_'))
		i++;
	if (i == *pos || i - *pos > 31 || i >= len || l[i] != '"')
		return false;
	*ret = l + *pos;
	*ret_len = i - *pos;
	*pos = i + 1;
	return true;
}

/* A decimal u64 in canonical form (no sign, no leading zero). */
static bool number(const char *l, size_t len, size_t *pos, uint64_t *ret)
{
	size_t i = *pos;
	uint64_t n = 0;

	if (i >= len || l[i] < '0' || l[i] > '9')
		return false;
	if (l[i] == '0') {
		*ret = 0;
		*pos = i + 1;
		return i + 1 >= len || l[i + 1] < '0' || l[i + 1] > '9';
	}
	while (i < len && l[i] >= '0' && l[i] <= '9') {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(l[i] - '0');
		i++;
	}
	*ret = n;
	*pos = i;
	return true;
}

/* "<64 hex>" including both quotes. */
static bool quoted_hash(const char *l, size_t len, size_t *pos, uint8_t *out)
{
	if (len - *pos < CHAIN_HEX_LEN + 2 || l[*pos] != '"' ||
	    l[*pos + CHAIN_HEX_LEN + 1] != '"' ||
	    hex_decode(l + *pos + 1, BLAKE3_OUT_LEN, out) < 0)
		return false;
	*pos += CHAIN_HEX_LEN + 2;
	return true;
}

/*
 * "<64 chars>" left as text: hashes are compared in hex, which costs
 * less than decoding them (a bad digit cannot match a hash anyway).
 */
static bool quoted_hex(const char *l, size_t len, size_t *pos,
		       const char **ret)
{
	if (len - *pos < CHAIN_HEX_LEN + 2 || l[*pos] != '"' ||
	    l[*pos + CHAIN_HEX_LEN + 1] != '"')
		return false;
	*ret = l + *pos + 1;
	*pos += CHAIN_HEX_LEN + 2;
	return true;
}

/*
 * Parses the chain fields of line l (len >= CHAIN_TAIL_LEN, the hash
 * tail not checked here) in the layout of format `version`, or, when the
 * version is not known yet (0, the first genesis), in the layout the line
 * has: prev right after seq is version 1, anything else version 2.
 */
static bool parse_prefix(const char *l, size_t len, unsigned version,
			 struct prefix *p)
{
	size_t pos = 0, t, hashed = len - CHAIN_TAIL_LEN;

	if (!lit(l, len, &pos, "{\"type\":\"") ||
	    !name(l, len, &pos, &p->type, &p->type_len) ||
	    !lit(l, len, &pos, ",\"stream\":\"") ||
	    !name(l, len, &pos, &p->stream, &p->stream_len) ||
	    !lit(l, len, &pos, ",\"seq\":") || !number(l, len, &pos, &p->seq))
		return false;
	t = pos;
	if (version == 1 ||
	    (version == 0 && lit(l, hashed, &t, ",\"prev\":"))) {
		p->version = 1;
		if (!lit(l, len, &pos, ",\"prev\":") ||
		    !quoted_hex(l, len, &pos, &p->prev))
			return false;
		p->end = pos;
		p->body = hashed;
		return p->end <= p->body;
	}
	p->version = 2;
	p->end = pos;
	if (hashed < pos + CHAIN_PREV_LEN)
		return false;
	p->body = hashed - CHAIN_PREV_LEN;
	t = p->body;
	return lit(l, hashed, &t, ",\"prev\":") &&
	       quoted_hex(l, hashed, &t, &p->prev);
}

static bool is(const char *s, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(s, want, n) == 0;
}

static int find_stream(const struct verifier *v, const char *s, size_t n)
{
	for (size_t i = 0; i < v->nstreams; i++)
		if (is(s, n, v->streams[i].name))
			return (int)i;
	return -1;
}

/* Copies the plain string value after `key` in l, if found, into out. */
static void copy_string_member(const char *l, size_t len, const char *key,
			       char *out, size_t size)
{
	const char *s = memmem(l, len, key, strlen(key));
	size_t i = 0;

	if (s != NULL) {
		s += strlen(key);
		while (i < size - 1 && s + i < l + len && s[i] != '"' &&
		       s[i] != '\\')
			i++;
		memcpy(out, s, i);
	}
	out[i] = '\0';
}

/* Reads the fixed-position fields of the first genesis record. */
static int parse_genesis(struct verifier *v, const char *l, size_t len,
			 const struct prefix *p)
{
	uint8_t commit[BLAKE3_OUT_LEN], mine[BLAKE3_OUT_LEN];
	size_t pos = p->end, n, i;
	uint64_t version;
	const char *s;

	if (!lit(l, len, &pos, ",\"version\":") ||
	    !number(l, len, &pos, &version)) {
		fail(v, VERIFY_TAMPERED, p, "malformed genesis record");
		return -1;
	}
	if (version < 1 || version > CHAIN_FORMAT_VERSION) {
		fail(v, VERIFY_ERROR, p, "unsupported log format version %llu",
		     (unsigned long long)version);
		return -1;
	}
	if (version != p->version) {
		/* a version-2 line claiming version 1, or the reverse */
		fail(v, VERIFY_TAMPERED, p, "genesis of version %llu laid out "
		     "as version %u", (unsigned long long)version, p->version);
		return -1;
	}
	v->version = p->version;
	if (!lit(l, len, &pos, ",\"streams\":["))
		goto bad;
	while (!lit(l, len, &pos, "]")) {
		if (v->nstreams && !lit(l, len, &pos, ","))
			goto bad;
		if (v->nstreams == CHAIN_MAX_STREAMS ||
		    !lit(l, len, &pos, "\"") || !name(l, len, &pos, &s, &n) ||
		    find_stream(v, s, n) >= 0 || is(s, n, CHAIN_SEAL_STREAM) ||
		    is(s, n, CHAIN_GENESIS_STREAM))
			goto bad;
		memcpy(v->streams[v->nstreams].name, s, n);
		v->streams[v->nstreams].name[n] = '\0';
		v->nstreams++;
	}
	if (lit(l, len, &pos, ",\"seal\":\"keyed\",\"key_commit\":")) {
		if (!quoted_hash(l, len, &pos, commit))
			goto bad;
		v->keyed = true;
	} else if (!lit(l, len, &pos, ",\"seal\":\"none\"")) {
		goto bad;
	}
	/*
	 * Run id and start time, for the report only.  Searching is safe:
	 * ,"key":" cannot occur inside a JSON string, whose quotes are
	 * escaped.
	 */
	copy_string_member(l + pos, len - pos, ",\"run_id\":\"", v->run_id,
			   sizeof(v->run_id));
	copy_string_member(l + pos, len - pos, ",\"ts\":\"", v->started,
			   sizeof(v->started));
	for (i = 0; i < v->nstreams; i++) {
		v->streams[i].ring = calloc(VERIFY_RING, BLAKE3_OUT_LEN);
		if (v->streams[i].ring == NULL) {
			fail(v, VERIFY_ERROR, p, "out of memory");
			return -1;
		}
	}
	if (v->key != NULL) {
		if (!v->keyed) {
			fail(v, VERIFY_TAMPERED, p,
			     "a key was given but the log says it is not "
			     "sealed with a key");
			return -1;
		}
		seal_key_commit(v->key, mine);
		if (memcmp(mine, commit, sizeof(mine)) != 0) {
			fail(v, VERIFY_ERROR, p,
			     "wrong key: the log was sealed with another key "
			     "(key commitment differs)");
			return -1;
		}
	}
	return 0;
bad:
	fail(v, VERIFY_TAMPERED, p, "malformed genesis record");
	return -1;
}

static void set_head(struct verify_stream *s, const uint8_t *hash,
		     const char *hex)
{
	memcpy(s->head, hash, BLAKE3_OUT_LEN);
	memcpy(s->head_hex, hex, CHAIN_HEX_LEN);
}

/* The heads of every stream as a seal writes them. */
static size_t heads_text(const struct verifier *v, char *out, size_t size)
{
	char hex[CHAIN_HEX_LEN + 1];
	size_t n = 0;
	int w;

	for (size_t i = 0; i < v->nstreams; i++) {
		hex_encode(v->streams[i].head, BLAKE3_OUT_LEN, hex);
		w = snprintf(out + n, size - n, "%s\"%s\":[%llu,\"%s\"]",
			     i ? "," : "", v->streams[i].name,
			     (unsigned long long)v->streams[i].seq, hex);
		if (w < 0 || (size_t)w >= size - n)
			return size;
		n += (size_t)w;
	}
	return n;
}

static void ref_resolved(struct verifier *v, size_t i, const uint8_t *hash)
{
	struct verify_ref *r = &v->pending[i];

	if (memcmp(r->hash, hash, BLAKE3_OUT_LEN) != 0) {
		fail(v, VERIFY_TAMPERED, NULL,
		     "reference to %s seq %llu: hash differs from the record",
		     v->streams[r->stream].name, (unsigned long long)r->seq);
		v->file = r->file;
		v->line = r->line;
	}
	v->refs_checked++;
	v->pending[i] = v->pending[--v->npending];
}

/* Checks a reference now, or holds it until its target is read. */
static void check_ref(struct verifier *v, int s, uint64_t seq,
		      const uint8_t *hash, uint64_t file, uint64_t line)
{
	struct verify_stream *t = &v->streams[s];

	if (seq < t->seq) {
		if (t->seq - seq > VERIFY_RING) {
			v->refs_unchecked++;
			return;
		}
		if (memcmp(t->ring[seq % VERIFY_RING], hash,
			   BLAKE3_OUT_LEN) != 0) {
			fail(v, VERIFY_TAMPERED, NULL,
			     "reference to %s seq %llu: hash differs from "
			     "the record",
			     t->name, (unsigned long long)seq);
			v->file = file;
			v->line = line;
		}
		v->refs_checked++;
		return;
	}
	if (v->npending == VERIFY_MAX_PENDING) {
		v->refs_unchecked++;
		return;
	}
	v->pending[v->npending++] = (struct verify_ref){
		.stream = (uint32_t)s, .seq = seq, .file = file, .line = line
	};
	memcpy(v->pending[v->npending - 1].hash, hash, BLAKE3_OUT_LEN);
}

/*
 * ,"refs":[["stream",seq,"hash"],...] right after the prev field, if
 * there.  Returns false for a malformed list.
 */
static bool parse_refs(struct verifier *v, const char *l, size_t len,
		       size_t pos, uint64_t file, uint64_t line)
{
	uint8_t hash[BLAKE3_OUT_LEN];
	uint64_t seq;
	const char *s;
	size_t n;
	int first = 1, idx;

	if (!lit(l, len, &pos, ",\"refs\":["))
		return true;
	while (!lit(l, len, &pos, "]")) {
		if (!first && !lit(l, len, &pos, ","))
			return false;
		first = 0;
		if (!lit(l, len, &pos, "[\"") || !name(l, len, &pos, &s, &n) ||
		    !lit(l, len, &pos, ",") || !number(l, len, &pos, &seq) ||
		    !lit(l, len, &pos, ",") ||
		    !quoted_hash(l, len, &pos, hash) || !lit(l, len, &pos, "]"))
			return false;
		idx = find_stream(v, s, n);
		if (idx < 0)
			return false;
		check_ref(v, idx, seq, hash, file, line);
	}
	return true;
}

static enum line_kind seal_line(struct verifier *v, const char *l,
				const struct prefix *p, const uint8_t *hash,
				const char *hex, uint64_t file, uint64_t line)
{
	uint8_t mac[BLAKE3_OUT_LEN], want[BLAKE3_OUT_LEN];
	size_t pos = p->end, body = p->body;
	const char *end;

	if (v->seal_pending && p->seq + 1 == v->seal.seq) {
		/* the copy of the pending seal in another file */
		if (memcmp(hash, v->seal_hash, BLAKE3_OUT_LEN) != 0) {
			fail(v, VERIFY_TAMPERED, p,
			     "copy of seal %llu differs between files",
			     (unsigned long long)p->seq);
			return LINE_BAD;
		}
		v->seal_copies++;
		return LINE_SEAL;
	}
	if (!is(p->type, p->type_len, "seal")) {
		fail(v, VERIFY_TAMPERED, p, "record of type %.*s in the seal "
		     "stream", (int)p->type_len, p->type);
		return LINE_BAD;
	}
	if (v->seal_pending || p->seq != v->seal.seq) {
		fail(v, VERIFY_TAMPERED, p, "seal %llu where seal %llu was due",
		     (unsigned long long)p->seq,
		     (unsigned long long)v->seal.seq);
		return LINE_BAD;
	}
	if (memcmp(p->prev, v->seal.head_hex, CHAIN_HEX_LEN) != 0) {
		fail(v, VERIFY_TAMPERED, p, "prev is not the previous seal's "
		     "hash");
		return LINE_BAD;
	}
	if (!lit(l, body, &pos, ",\"heads\":{") ||
	    (end = memchr(l + pos, '}', body - pos)) == NULL ||
	    (size_t)(end - (l + pos)) > sizeof(v->seal_heads)) {
		fail(v, VERIFY_TAMPERED, p, "malformed seal");
		return LINE_BAD;
	}
	v->seal_heads_len = (size_t)(end - (l + pos));
	memcpy(v->seal_heads, l + pos, v->seal_heads_len);
	pos += v->seal_heads_len;
	if (lit(l, body, &pos, "},\"final\":true")) {
		v->seal_final = true;
	} else if (lit(l, body, &pos, "},\"final\":false")) {
		v->seal_final = false;
	} else {
		fail(v, VERIFY_TAMPERED, p, "malformed seal");
		return LINE_BAD;
	}
	if (v->keyed) {
		/* ,"mac":"<hex>" ends the hashed bytes */
		size_t m = body - CHAIN_MAC_LEN;

		if (body < pos + CHAIN_MAC_LEN || !lit(l, body, &m, ",\"mac\":") ||
		    !quoted_hash(l, body, &m, mac)) {
			fail(v, VERIFY_TAMPERED, p, "seal without its MAC");
			return LINE_BAD;
		}
		if (v->key != NULL) {
			seal_key_mac(v->key, l, body - CHAIN_MAC_LEN, want);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
			memcpy(want, mac, sizeof(mac));
#endif
			if (memcmp(want, mac, sizeof(mac)) != 0) {
				fail(v, VERIFY_TAMPERED, p,
				     "seal MAC does not verify with the key "
				     "of epoch %llu",
				     (unsigned long long)p->seq);
				return LINE_BAD;
			}
			/* the next seal must use the next key, no other */
			seal_key_ratchet(v->key);
		}
	}
	set_head(&v->seal, hash, hex);
	memcpy(v->seal_hash, hash, BLAKE3_OUT_LEN);
	v->seal.seq++;
	v->seal_pending = true;
	v->seal_copies = 1;
	v->seal_file = file;
	v->seal_line = line;
	return LINE_SEAL;
}

/*
 * A stream of which the files given hold no record, though the pending
 * seal counts some: most likely a file left out (capsule writes actions
 * and alerts to files of their own by default).  NULL if none.
 */
static const char *absent_stream(const struct verifier *v)
{
	char zero[sizeof(v->streams[0].name) + 8];

	for (size_t i = 0; i < v->nstreams; i++) {
		if (v->streams[i].seq != 0)
			continue;
		snprintf(zero, sizeof(zero), "\"%s\":[0,", v->streams[i].name);
		if (memmem(v->seal_heads, v->seal_heads_len, zero,
			   strlen(zero)) == NULL)
			return v->streams[i].name;
	}
	return NULL;
}

/* Checks the pending seal against the heads of all streams. */
static void seal_commit(struct verifier *v)
{
	char want[sizeof(v->seal_heads) + 1];
	size_t n = heads_text(v, want, sizeof(want));

	if (!v->seal_pending)
		return;
	v->seal_pending = false;
	if (n != v->seal_heads_len || memcmp(want, v->seal_heads, n) != 0) {
		const char *absent = absent_stream(v);

		if (absent != NULL)
			fail(v, VERIFY_TAMPERED, NULL,
			     "seal %llu counts records of stream %s, none of "
			     "them in the files given (its own file, e.g. "
			     "/tmp/capsule_%s.log, left out?)",
			     (unsigned long long)v->seal.seq - 1, absent,
			     absent);
		else
			fail(v, VERIFY_TAMPERED, NULL,
			     "seal %llu does not match the records before it "
			     "(records missing, added or changed)",
			     (unsigned long long)v->seal.seq - 1);
		v->file = v->seal_file;
		v->line = v->seal_line;
		snprintf(v->stream, sizeof(v->stream), "%s", CHAIN_SEAL_STREAM);
		v->seq = (int64_t)v->seal.seq - 1;
		return;
	}
	for (size_t i = 0; i < v->npending; i++) {
		struct verify_ref *r = &v->pending[i];

		fail(v, VERIFY_TAMPERED, NULL,
		     "reference to %s seq %llu, which does not exist",
		     v->streams[r->stream].name, (unsigned long long)r->seq);
		v->file = r->file;
		v->line = r->line;
		return;
	}
	v->since_seal = 0;
	if (v->seal_final)
		v->final_done = true;
}

/* Checks one complete line (without its '\n'). */
static enum line_kind verify_line(struct verifier *v, struct vfile *f,
				  uint64_t file, const char *l, size_t len)
{
	uint8_t hash[BLAKE3_OUT_LEN];
	char hex[CHAIN_HEX_LEN + 1];
	const char *claimed;
	struct prefix p = { 0 };
	struct verify_stream *s;
	size_t tail;
	int idx;

	v->lines++;
	v->file = file;
	v->line = f->lineno;
	if (len < CHAIN_TAIL_LEN || !parse_prefix(l, len, v->version, &p)) {
		fail(v, VERIFY_TAMPERED, p.end ? &p : NULL,
		     "not a chained record (malformed line)");
		return LINE_BAD;
	}
	tail = len - CHAIN_TAIL_LEN;
	if (!lit(l, len, &tail, ",\"hash\":") ||
	    !quoted_hex(l, len, &tail, &claimed) || !lit(l, len, &tail, "}")) {
		fail(v, VERIFY_TAMPERED, &p, "malformed hash field");
		return LINE_BAD;
	}
	blake3_hash(l, len - CHAIN_TAIL_LEN, hash);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* let the fuzzer past the hash to the logic behind it */
	(void)hex_decode(claimed, BLAKE3_OUT_LEN, hash);
#endif
	hex_encode(hash, sizeof(hash), hex);
	if (memcmp(hex, claimed, CHAIN_HEX_LEN) != 0) {
		fail(v, VERIFY_TAMPERED, &p,
		     "hash does not match the record's bytes");
		return LINE_BAD;
	}
	if (!f->seen_genesis) {
		f->seen_genesis = true;
		if (!is(p.type, p.type_len, "genesis") ||
		    !is(p.stream, p.stream_len, CHAIN_GENESIS_STREAM) ||
		    p.seq != 0 || memcmp(p.prev, zero_hex, CHAIN_HEX_LEN)) {
			fail(v, VERIFY_TAMPERED, &p,
			     "the file does not begin with a genesis record");
			return LINE_BAD;
		}
		if (v->have_genesis) {
			if (memcmp(hash, v->genesis, sizeof(hash)) != 0) {
				fail(v, VERIFY_TAMPERED, &p,
				     "genesis differs from the first file's: "
				     "another run");
				return LINE_BAD;
			}
			return LINE_RECORD;
		}
		if (parse_genesis(v, l, p.body, &p) < 0)
			return LINE_BAD;
		v->have_genesis = true;
		memcpy(v->genesis, hash, sizeof(hash));
		set_head(&v->seal, hash, hex);
		for (size_t i = 0; i < v->nstreams; i++)
			set_head(&v->streams[i], hash, hex);
		return LINE_RECORD;
	}
	if (v->final_done) {
		fail(v, VERIFY_TAMPERED, &p, "record after the final seal");
		return LINE_BAD;
	}
	if (is(p.stream, p.stream_len, CHAIN_SEAL_STREAM))
		return seal_line(v, l, &p, hash, hex, file, f->lineno);
	idx = find_stream(v, p.stream, p.stream_len);
	if (idx < 0) {
		fail(v, VERIFY_TAMPERED, &p, "unknown stream");
		return LINE_BAD;
	}
	s = &v->streams[idx];
	if (p.seq != s->seq) {
		fail(v, VERIFY_TAMPERED, &p,
		     "seq %llu where %llu was due (records missing, added or "
		     "reordered)",
		     (unsigned long long)p.seq, (unsigned long long)s->seq);
		return LINE_BAD;
	}
	if (memcmp(p.prev, s->head_hex, CHAIN_HEX_LEN) != 0) {
		fail(v, VERIFY_TAMPERED, &p,
		     "prev is not the hash of the stream's previous record");
		return LINE_BAD;
	}
	if (!parse_refs(v, l, p.body, p.end, file, f->lineno)) {
		fail(v, VERIFY_TAMPERED, &p, "malformed refs");
		return LINE_BAD;
	}
	set_head(s, hash, hex);
	memcpy(s->ring[s->seq % VERIFY_RING], hash, sizeof(hash));
	for (size_t i = 0; i < v->npending;) {
		if (v->pending[i].stream == (uint32_t)idx &&
		    v->pending[i].seq == s->seq)
			ref_resolved(v, i, hash);
		else
			i++;
	}
	s->seq++;
	v->records++;
	v->since_seal++;
	return v->status == VERIFY_OK ? LINE_RECORD : LINE_BAD;
}

/*
 * Next line of f: returns 1 with *line and *len (no '\n'), 0 at a clean end,
 * or marks v and returns -1 (torn last line, I/O error, line too long).
 */
static int next_line(struct verifier *v, struct vfile *f, uint64_t file,
		     const char **line, size_t *len)
{
	const char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(f->buf + f->start, '\n', f->end - f->start);
		if (nl != NULL) {
			*line = f->buf + f->start;
			*len = (size_t)(nl - *line);
			f->start += *len + 1;
			f->lineno++;
			v->bytes += *len + 1;
			if (*len > VERIFY_MAX_LINE)
				goto too_long;
			return 1;
		}
		if (f->end - f->start > VERIFY_MAX_LINE)
			goto too_long;
		if (f->eof || f->in->fd < 0) {
			if (f->end == f->start)
				return 0;
			/* a head to expect exists only once a run finished */
			fail(v, v->have_expect ? VERIFY_TAMPERED
					       : VERIFY_INCOMPLETE,
			     NULL,
			     v->have_expect
				     ? "last line is torn (%zu bytes without a "
				       "newline), yet the expected head is a "
				       "finished run's: the log was cut"
				     : "last line is torn (%zu bytes without a "
				       "newline)",
			     f->end - f->start);
			v->file = file;
			v->line = f->lineno + 1;
			return -1;
		}
		/* slide the partial line to the front and read a block */
		memmove(f->buf, f->buf + f->start, f->end - f->start);
		f->end -= f->start;
		f->start = 0;
		do {
			n = read(f->in->fd, f->buf + f->end,
				 VERIFY_BLOCK + VERIFY_MAX_LINE + 1 - f->end);
		} while (n < 0 && errno == EINTR);
		if (n < 0) {
			fail(v, VERIFY_ERROR, NULL, "read error: %s",
			     strerror(errno));
			v->file = file;
			return -1;
		}
		if (n == 0)
			f->eof = true;
		f->end += (size_t)n;
	}
too_long:
	fail(v, VERIFY_TAMPERED, NULL, "line longer than %u bytes",
	     VERIFY_MAX_LINE);
	v->file = file;
	v->line = f->lineno + (nl == NULL);
	return -1;
}

/* Reads file f up to and including its next seal, or to its end. */
static void read_epoch(struct verifier *v, struct vfile *f, uint64_t file)
{
	const char *l;
	size_t len;
	int r;

	while ((r = next_line(v, f, file, &l, &len)) > 0) {
		r = verify_line(v, f, file, l, len);
		if (r == LINE_BAD || r == LINE_SEAL)
			return;
	}
	f->done = true;
}

static void finish(struct verifier *v, struct vfile *files, size_t n)
{
	if (v->status != VERIFY_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!files[i].seen_genesis) {
			fail(v, VERIFY_INCOMPLETE, NULL, "empty log");
			v->file = i;
			v->line = 0;
			return;
		}
	}
	if (!v->final_done) {
		/*
		 * capsule prints a final head only when the run finished and
		 * sealed: with one to expect, a missing end was cut off.
		 */
		fail(v, v->have_expect ? VERIFY_TAMPERED : VERIFY_INCOMPLETE,
		     NULL,
		     v->have_expect
			     ? "no final seal, yet the expected head is a "
			       "finished run's: the log was cut (%llu "
			       "record(s) after the last seal)"
			     : "no final seal: %llu record(s) after the last "
			       "seal",
		     (unsigned long long)v->since_seal);
		v->line = 0;
		return;
	}
	if (v->have_expect &&
	    memcmp(v->expect, v->seal.head, BLAKE3_OUT_LEN) != 0) {
		fail(v, VERIFY_TAMPERED, NULL,
		     "final head differs from the expected head");
		v->line = 0;
		return;
	}
	v->authenticated = v->have_expect || (v->key != NULL && v->keyed);
}

enum verify_status verify_files(struct verifier *v,
				const struct verify_input *in, size_t n)
{
	struct vfile *files = calloc(n ? n : 1, sizeof(*files));
	bool more = true;
	size_t i;

	if (files == NULL) {
		fail(v, VERIFY_ERROR, NULL, "out of memory");
		return v->status;
	}
	for (i = 0; i < n; i++) {
		files[i].in = &in[i];
		if (in[i].fd < 0) {
			files[i].buf = (char *)in[i].mem;
			files[i].end = in[i].mem_len;
			files[i].eof = true;
			continue;
		}
		files[i].buf = malloc(VERIFY_BLOCK + VERIFY_MAX_LINE + 1);
		if (files[i].buf == NULL) {
			fail(v, VERIFY_ERROR, NULL, "out of memory");
			goto out;
		}
	}
	/* lockstep: every file up to its copy of the next seal */
	while (more && v->status == VERIFY_OK) {
		more = false;
		for (i = 0; i < n && v->status == VERIFY_OK; i++) {
			if (files[i].done)
				continue;
			read_epoch(v, &files[i], i);
			more |= !files[i].done;
		}
		if (v->status != VERIFY_OK || !v->seal_pending)
			continue;
		if (v->seal_copies != n) {
			fail(v, VERIFY_INCOMPLETE, NULL,
			     "seal %llu is missing from %llu file(s)",
			     (unsigned long long)v->seal.seq - 1,
			     (unsigned long long)(n - v->seal_copies));
			v->file = v->seal_file;
			v->line = v->seal_line;
			break;
		}
		seal_commit(v);
	}
	finish(v, files, n);
out:
	for (i = 0; i < n; i++)
		if (in[i].fd >= 0)
			free(files[i].buf);
	free(files);
	return v->status;
}
