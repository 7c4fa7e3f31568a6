/*
 * json.h: the JSON writer: appends JSON values to a struct buf.
 *
 * capsule writes JSON, it never parses it on the hot path.  Two string
 * encoders exist because two kinds of strings exist:
 *
 *  - json_add_str(): text capsule trusts to be UTF-8 (its own names, or
 *    strings already checked).  Only '"', '\\' and control characters are
 *    escaped.  Invalid UTF-8 is still made safe (as by json_add_bytes()) so a
 *    line can never be corrupted.
 *  - json_add_bytes(): bytes from the tracee (paths, argv, data).  Valid
 *    UTF-8 passes through; every byte that is not part of valid UTF-8 is
 *    written as the four characters \xNN, and a backslash in the input as two
 *    backslashes, so the decoded JSON string is an unambiguous C-style
 *    rendering of the original bytes (the same convention strace uses).
 *
 * All functions append; none fails (buf aborts on out-of-memory).
 */
#ifndef CAPSULE_LIB_JSON_H
#define CAPSULE_LIB_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/buf.h"

/* "…" with JSON escapes; `s` is NUL-terminated. */
void json_add_str(struct buf *b, const char *s);
/* "…" rendering `len` hostile bytes, see above. */
void json_add_bytes(struct buf *b, const void *data, size_t len);
/*
 * ,"key": — `comma` says whether a member precedes; key is trusted ASCII.
 * Inline: most keys are literals, whose strlen() folds to a constant.
 */
static inline void json_add_key(struct buf *b, const char *key, int comma)
{
	size_t n = strlen(key);
	char *p;

	/* one growth check for ,"key": */
	if (b->cap - b->len <= n + 4)
		buf_grow(b, n + 4);
	p = b->s + b->len;
	if (comma)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, key, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	*p = '\0';
	b->len = (size_t)(p - b->s);
}
/*
 * "…" around a name capsule itself defines (a resource class, a
 * capability, a descriptor type: letters, digits, '_'), which needs no
 * escaping.  Never for anything that comes from the tracee or the system.
 */
static inline void json_add_name(struct buf *b, const char *name)
{
	size_t n = strlen(name);

	if (b->cap - b->len <= n + 2)
		buf_grow(b, n + 2);
	b->s[b->len] = '"';
	memcpy(b->s + b->len + 1, name, n);
	b->s[b->len + n + 1] = '"';
	b->len += n + 2;
	b->s[b->len] = '\0';
}
/* Hex string "0x…" for addresses and raw values. */
void json_add_hex(struct buf *b, uint64_t v);
/* RFC 3339 UTC timestamp with nanoseconds: "2026-11-28T12:00:00.123456789Z" */
void json_add_time(struct buf *b, int64_t sec, long nsec);
/* Length of the longest valid UTF-8 sequence starting at s (0 if invalid). */
size_t json_utf8_len(const unsigned char *s, size_t avail);

#endif
