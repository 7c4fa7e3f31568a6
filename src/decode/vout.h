/*
 * vout.h: the value writer the printers (args.c, flags.c, sockaddr.c)
 * write through, so that one decoder produces both encodings of a record:
 *
 *  - JSON (the log): objects, arrays, numbers, strings; tracee bytes go
 *    through json_add_bytes().
 *  - text (--format text): strace-like: `{key=value, ...}`, `[a, b]`,
 *    bare symbols, C-quoted strings; at depth 0 keys are not printed, so
 *    the arguments of a call read `openat(AT_FDCWD, "/etc", O_RDONLY)`.
 *
 * Usage: vo_key() (inside an object, or at depth 0) then exactly one value
 * call; inside an array, value calls only.  The writer adds separators.
 */
#ifndef CAPSULE_DECODE_VOUT_H
#define CAPSULE_DECODE_VOUT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define VO_MAX_DEPTH 8

struct vout {
	struct buf *b;	/* borrowed: where the values are appended */
	int text;	/* 0: JSON, 1: strace-like text */
	int depth;	/* open objects and arrays */
	int keyed;	/* a key was written, its value comes next */
	unsigned char nonempty[VO_MAX_DEPTH + 1]; /* a member was written */
};

void vo_init(struct vout *o, struct buf *b, int text);

void vo_obj_begin(struct vout *o);
void vo_obj_end(struct vout *o);
void vo_arr_begin(struct vout *o);
void vo_arr_end(struct vout *o);
/* Member name: trusted ASCII. */
void vo_key(struct vout *o, const char *key);

void vo_int(struct vout *o, int64_t v);
void vo_uint(struct vout *o, uint64_t v);
/* Octal in text (0644), a plain number in JSON. */
void vo_octal(struct vout *o, uint64_t v);
/* "0x1f" in both (a JSON string). */
void vo_hex(struct vout *o, uint64_t v);
/* null / NULL */
void vo_null(struct vout *o);
/* true / false */
void vo_bool(struct vout *o, int v);
/* A symbolic name or expression capsule made ("O_RDONLY|O_CLOEXEC"):
 * a JSON string, bare in text. */
void vo_sym(struct vout *o, const char *s);
/*
 * A symbol written in place, without building it apart: vo_sym_begin()
 * returns where its text starts in o->b; the caller appends the text to
 * o->b (ASCII names, digits, '|', ':' and the like: nothing JSON
 * escapes), then calls vo_sym_end().  The same bytes as vo_sym() of
 * that text.
 */
size_t vo_sym_begin(struct vout *o);
void vo_sym_end(struct vout *o);
/* Tracee bytes: a JSON string (json_add_bytes), C-quoted in text.  With
 * `truncated`, JSON writes {"str":"…","truncated":true} and text "…"... */
void vo_bytes(struct vout *o, const void *data, size_t len, int truncated);
/* A read that failed: {"addr":"0x…","error":"EFAULT"}; text 0x… */
void vo_fault(struct vout *o, uint64_t addr, int err);

#endif
