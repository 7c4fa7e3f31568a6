/*
 * buf.h: the growable byte buffer every stage uses for JSON, paths and
 * tracee strings.
 *
 * Invariants: after BUF_INIT or any call below, `s` is never NULL and
 * s[len] == '\0' (the buffer is always NUL-terminated, so it can be used as a
 * C string when it holds no NUL bytes of its own).  `len` counts the bytes
 * held, not the terminator.  The buffer owns `s` unless it still points at
 * the shared empty string, which is never written.
 *
 * Allocation failure aborts the program (capsule cannot record anything
 * without memory, and a silently shortened record would be a lie).
 */
#ifndef CAPSULE_LIB_BUF_H
#define CAPSULE_LIB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *s;	/* owned (or buf_empty), always NUL-terminated */
	size_t len;	/* bytes held, terminator excluded */
	size_t cap;	/* bytes allocated; 0 while s == buf_empty */
};

extern char buf_empty[1];

#define BUF_INIT { buf_empty, 0, 0 }

/* Life cycle */
void buf_init(struct buf *b);
/* Frees the contents and leaves `b` empty and valid; accepts NULL. */
void buf_release(struct buf *b);
/* Hands the string to the caller (free() it); `b` is left empty. */
char *buf_detach(struct buf *b, size_t *ret_len);

/* Capacity */
void buf_grow(struct buf *b, size_t extra);
static inline void buf_reset(struct buf *b)
{
	b->len = 0;
	b->s[0] = '\0';
}
void buf_truncate(struct buf *b, size_t len);

/*
 * Appending.  buf_add(), buf_adds() and buf_addch() are inline: they are
 * most of the serializer's calls, and with room to spare they are a
 * compare and a copy (a literal's strlen() folds to a constant).
 */
static inline void buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (b->cap - b->len <= len)	/* room for len bytes and the NUL? */
		buf_grow(b, len);
	memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static inline void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static inline void buf_addch(struct buf *b, char c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_add_u64(struct buf *b, unsigned long long v);
void buf_add_i64(struct buf *b, long long v);
/* v < 10^8 as exactly eight digits, zeros in front ("%08u"). */
void buf_add_digits8(struct buf *b, uint32_t v);
/* An IPv4 address (4 bytes, network order) as inet_ntop() writes it. */
void buf_add_ip4(struct buf *b, const unsigned char *a);

#endif
