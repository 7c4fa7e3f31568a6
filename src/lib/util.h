/*
 * util.h: allocation that cannot fail.  Out of memory prints one line
 * and aborts: capsule cannot record on without memory, and a recorder
 * that silently drops records would be worse.
 */
#ifndef CAPSULE_LIB_UTIL_H
#define CAPSULE_LIB_UTIL_H

#include <stddef.h>

/* calloc(n ? n : 1, size), or abort. */
void *xcalloc(size_t n, size_t size);
/* strdup(s), or abort; NULL for NULL. */
char *xstrdup_or_null(const char *s);

#endif
