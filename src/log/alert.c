/*
 * alert.c: the alert record serializer (see alert.h).
 */
#include "log/alert.h"

#include "lib/hex.h"
#include "lib/json.h"

static void add_hash(struct buf *out, const uint8_t *h)
{
	char hex[2 * BLAKE3_OUT_LEN + 1];

	hex_encode(h, BLAKE3_OUT_LEN, hex);
	buf_addch(out, '"');
	buf_adds(out, hex);
	buf_addch(out, '"');
}

void record_alert(struct buf *out, const struct alert *a)
{
	size_t i;

	buf_adds(out, ",\"refs\":[");
	for (i = 0; i < a->nrefs; i++) {
		if (i)
			buf_addch(out, ',');
		buf_addch(out, '[');
		json_add_str(out, a->refs[i].stream);
		buf_addch(out, ',');
		buf_add_u64(out, a->refs[i].seq);
		buf_addch(out, ',');
		add_hash(out, a->refs[i].hash);
		buf_addch(out, ']');
	}
	buf_adds(out, "],\"ts\":");
	json_add_time(out, a->ts_sec, a->ts_nsec);
	buf_adds(out, ",\"rule\":");
	json_add_str(out, a->rule);
	buf_adds(out, ",\"severity\":");
	json_add_str(out, a->severity);
	buf_adds(out, ",\"source\":");
	json_add_str(out, a->source);
	if (a->action != NULL) {
		buf_adds(out, ",\"action\":");
		json_add_str(out, a->action);
	}
	if (a->audit)
		buf_adds(out, ",\"audit\":true");
	buf_adds(out, ",\"summary\":");
	json_add_str(out, a->summary);
	buf_adds(out, ",\"pid\":");
	buf_add_i64(out, a->pid);
	buf_adds(out, ",\"tid\":");
	buf_add_i64(out, a->tid);
	if (a->syscall != NULL) {
		buf_adds(out, ",\"syscall\":");
		json_add_str(out, a->syscall);
	}
	if (a->args != NULL) {
		buf_adds(out, ",\"args\":");
		buf_adds(out, a->args);
	}
	buf_adds(out, ",\"evidence\":[");
	for (i = 0; i < a->nrefs; i++) {
		if (i)
			buf_addch(out, ',');
		buf_adds(out, "{\"stream\":");
		json_add_str(out, a->refs[i].stream);
		buf_adds(out, ",\"seq\":");
		buf_add_u64(out, a->refs[i].seq);
		buf_adds(out, ",\"hash\":");
		add_hash(out, a->refs[i].hash);
		buf_addch(out, '}');
	}
	buf_addch(out, ']');
}
