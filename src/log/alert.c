/*
 * alert.c: action and alert records (alert.h).
 */
#include "log/alert.h"

#include <string.h>

#include "lib/hex.h"
#include "lib/json.h"

int alert_stream_open(struct chain_log *cl, struct log_stream *out,
		      const char *name, const char *path,
		      const char **ret_why)
{
	int r = log_stream_open(out, path, ret_why);

	if (r < 0)
		return r;
	r = chain_log_add_stream(cl, name, out);
	if (r < 0) {
		*ret_why = "too many streams";
		(void)log_stream_close(out);
	}
	return r;
}

static void add_ref(struct buf *b, const char *stream, const struct rec_ref *r)
{
	char hex[2 * sizeof(r->hash) + 1];

	hex_encode(r->hash, sizeof(r->hash), hex);
	buf_addf(b, "[\"%s\",%llu,\"%s\"]", stream,
		 (unsigned long long)r->seq, hex);
}

static void add_str_member(struct buf *b, const char *key, const char *v)
{
	if (v == NULL)
		return;
	json_add_key(b, key, 1);
	json_add_bytes(b, v, strlen(v));
}

static void add_u64_member(struct buf *b, const char *key, uint64_t v)
{
	json_add_key(b, key, 1);
	buf_add_u64(b, v);
}

void record_action(struct buf *out, const struct action *a,
		   const char *ref_stream)
{
	const char *s, *end;

	if (a->calls > 0) {
		buf_adds(out, ",\"refs\":[");
		add_ref(out, ref_stream, &a->first);
		if (a->last.seq != a->first.seq) {
			buf_addch(out, ',');
			add_ref(out, ref_stream, &a->last);
		}
		buf_addch(out, ']');
	}
	buf_adds(out, ",\"ts\":");
	json_add_time(out, a->start_sec, a->start_nsec);
	buf_adds(out, ",\"end_ts\":");
	json_add_time(out, a->end_sec, a->end_nsec);
	add_str_member(out, "action", a->kind);
	buf_adds(out, ",\"pid\":");
	buf_add_i64(out, a->pid);
	if (a->ppid > 0 && strcmp(a->kind, "process.spawn") == 0)
		buf_addf(out, ",\"ppid\":%d", (int)a->ppid);
	add_str_member(out, "exe", a->exe);
	if (a->uid >= 0)
		buf_addf(out, ",\"uid\":%lld", (long long)a->uid);
	add_str_member(out, "resource", a->resource);
	add_str_member(out, "to", a->resource2);
	add_str_member(out, "class", a->cls);
	if (a->calls > 0) {
		add_u64_member(out, "first_seq", a->first.seq);
		add_u64_member(out, "last_seq", a->last.seq);
	}
	add_u64_member(out, "calls", a->calls);
	if (a->errors)
		add_u64_member(out, "errors", a->errors);
	if (a->bytes_in || a->bytes_out ||
	    !strncmp(a->kind, "file.read", 9) ||
	    !strncmp(a->kind, "file.write", 10) ||
	    !strncmp(a->kind, "net.", 4) || !strcmp(a->kind, "dns.query")) {
		add_u64_member(out, "bytes_in", a->bytes_in);
		add_u64_member(out, "bytes_out", a->bytes_out);
	}
	if (a->argv != NULL) {
		buf_adds(out, ",\"argv\":[");
		for (s = a->argv, end = a->argv + a->argv_len; s < end;
		     s += strlen(s) + 1) {
			if (s != a->argv)
				buf_addch(out, ',');
			json_add_bytes(out, s, strnlen(s, (size_t)(end - s)));
		}
		buf_addch(out, ']');
	}
	if (a->detail != NULL)
		buf_adds(out, a->detail);
	add_str_member(out, "end", a->end);
}

void record_alert(struct buf *out, const struct alert *al,
		  const char *ref_stream)
{
	int i;

	if (al->nevidence > 0) {
		buf_adds(out, ",\"refs\":[");
		for (i = 0; i < al->nevidence; i++) {
			if (i)
				buf_addch(out, ',');
			add_ref(out, ref_stream, &al->evidence[i]);
		}
		buf_addch(out, ']');
	}
	buf_adds(out, ",\"ts\":");
	json_add_time(out, al->ts_sec, al->ts_nsec);
	add_str_member(out, "rule", al->rule);
	add_str_member(out, "severity", al->severity == 4   ? "critical"
					: al->severity == 3 ? "high"
					: al->severity == 2 ? "medium"
							    : "low");
	add_str_member(out, "source", al->source);
	add_str_member(out, "action", al->action);
	if (al->audit)
		buf_adds(out, ",\"audit\":true");
	add_str_member(out, "summary", al->summary);
	buf_adds(out, ",\"pid\":");
	buf_add_i64(out, al->pid);
	if (al->tid != 0) {
		buf_adds(out, ",\"tid\":");
		buf_add_i64(out, al->tid);
	}
	add_str_member(out, "exe", al->exe);
	if (al->uid >= 0)
		buf_addf(out, ",\"uid\":%lld", (long long)al->uid);
	add_str_member(out, "syscall", al->syscall);
	if (al->args != NULL) {
		buf_adds(out, ",\"args\":");
		buf_adds(out, al->args);
	}
	buf_adds(out, ",\"evidence\":[");
	for (i = 0; i < al->nevidence; i++) {
		char hex[2 * sizeof(al->evidence[i].hash) + 1];

		hex_encode(al->evidence[i].hash, sizeof(al->evidence[i].hash),
			   hex);
		if (i)
			buf_addch(out, ',');
		buf_addf(out, "{\"stream\":\"%s\",\"seq\":%llu,\"hash\":\"%s\"",
			 ref_stream, (unsigned long long)al->evidence[i].seq,
			 hex);
		add_str_member(out, "syscall", al->evidence_syscall[i]);
		buf_addch(out, '}');
	}
	buf_addch(out, ']');
}
