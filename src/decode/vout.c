/*
 * vout.c: the JSON and text encodings of decoded values (see vout.h).
 */
#include "decode/vout.h"

#include <inttypes.h>

#include "decode/syscalls.h"
#include "lib/json.h"

static const char hexdig[] = "0123456789abcdef";

void vo_init(struct vout *o, struct buf *b, int text)
{
	o->b = b;
	o->text = text;
	o->depth = 0;
	o->keyed = 0;
	o->nonempty[0] = 0;
}

/* Separator before a member or element. */
static void next(struct vout *o)
{
	if (o->keyed) {
		o->keyed = 0;
		return;
	}
	if (o->nonempty[o->depth]) {
		if (o->text)
			buf_add(o->b, ", ", 2);
		else
			buf_addch(o->b, ',');
	}
	o->nonempty[o->depth] = 1;
}

static void open_(struct vout *o, char c)
{
	next(o);
	buf_addch(o->b, c);
	if (o->depth < VO_MAX_DEPTH)
		o->depth++;
	o->nonempty[o->depth] = 0;
}

static void close_(struct vout *o, char c)
{
	buf_addch(o->b, c);
	if (o->depth > 0)
		o->depth--;
}

void vo_obj_begin(struct vout *o)
{
	open_(o, '{');
}

void vo_obj_end(struct vout *o)
{
	close_(o, '}');
}

void vo_arr_begin(struct vout *o)
{
	open_(o, '[');
}

void vo_arr_end(struct vout *o)
{
	close_(o, ']');
}

void vo_key(struct vout *o, const char *key)
{
	next(o);
	if (o->text) {
		if (o->depth > 0) {
			buf_adds(o->b, key);
			buf_addch(o->b, '=');
		}
	} else {
		json_add_key(o->b, key, 0);
	}
	o->keyed = 1;
}

void vo_int(struct vout *o, int64_t v)
{
	next(o);
	buf_add_i64(o->b, v);
}

void vo_uint(struct vout *o, uint64_t v)
{
	next(o);
	buf_add_u64(o->b, v);
}

void vo_octal(struct vout *o, uint64_t v)
{
	next(o);
	if (o->text)
		buf_addf(o->b, "%#" PRIo64, v);
	else
		buf_add_u64(o->b, v);
}

void vo_hex(struct vout *o, uint64_t v)
{
	next(o);
	if (o->text)
		buf_addf(o->b, "%#" PRIx64, v);
	else
		json_add_hex(o->b, v);
}

void vo_null(struct vout *o)
{
	next(o);
	buf_adds(o->b, o->text ? "NULL" : "null");
}

void vo_bool(struct vout *o, int v)
{
	next(o);
	buf_adds(o->b, v ? "true" : "false");
}

void vo_sym(struct vout *o, const char *s)
{
	next(o);
	if (o->text)
		buf_adds(o->b, s);
	else
		json_add_str(o->b, s);
}

size_t vo_sym_begin(struct vout *o)
{
	next(o);
	if (!o->text)
		buf_addch(o->b, '"');
	return o->b->len;
}

void vo_sym_end(struct vout *o)
{
	if (!o->text)
		buf_addch(o->b, '"');
}

/* C-style quoting for the text format: printable ASCII as is. */
static void add_cquoted(struct buf *b, const unsigned char *s, size_t len)
{
	size_t i;

	buf_addch(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				buf_addch(b, (char)c);
			} else {
				char x[4] = { '\\', 'x', hexdig[c >> 4],
					      hexdig[c & 15] };
				buf_add(b, x, 4);
			}
		}
	}
	buf_addch(b, '"');
}

void vo_bytes(struct vout *o, const void *data, size_t len, int truncated)
{
	next(o);
	if (o->text) {
		add_cquoted(o->b, data, len);
		if (truncated)
			buf_adds(o->b, "...");
	} else if (truncated) {
		buf_adds(o->b, "{\"str\":");
		json_add_bytes(o->b, data, len);
		buf_adds(o->b, ",\"truncated\":true}");
	} else {
		json_add_bytes(o->b, data, len);
	}
}

void vo_fault(struct vout *o, uint64_t addr, int err)
{
	const char *e = errno_name(err);

	next(o);
	if (o->text) {
		buf_addf(o->b, "%#" PRIx64, addr);
		return;
	}
	buf_adds(o->b, "{\"addr\":");
	json_add_hex(o->b, addr);
	buf_adds(o->b, ",\"error\":");
	if (e != NULL)
		json_add_str(o->b, e);
	else
		buf_addf(o->b, "\"E%d\"", err);
	buf_addch(o->b, '}');
}
