/*
 * path.h: lexical path resolution for the enricher: a path as the tracee
 * gave it, made absolute against a base directory (the cwd or a dirfd's
 * path) and normalized without touching the file system: repeated
 * slashes collapse, "." components vanish, ".." removes the previous
 * component ("/.." is "/").  Symbolic links are not followed, so a ".."
 * after a symlink may name another file than the kernel opened; the path
 * as given is always kept beside it in the log.
 */
#ifndef CAPSULE_ENRICH_PATH_H
#define CAPSULE_ENRICH_PATH_H

#include <stddef.h>

#include "lib/buf.h"

/*
 * Appends to `out` the normalized absolute form of the `len` bytes at
 * `path`: as is when it starts with '/', else joined to `base` (itself
 * absolute; NULL or "" means "/").  An empty path yields `base`.
 */
void path_resolve(struct buf *out, const char *base, const char *path,
		  size_t len);

#endif
