/*
 * path.c: lexical normalization of paths (see path.h).
 */
#include "enrich/path.h"

#include <string.h>

/* Appends the components of p[0..n) to the absolute path out[start..]. */
static void add_components(struct buf *out, size_t start, const char *p,
			   size_t n)
{
	size_t i = 0, j, k;

	while (i < n) {
		while (i < n && p[i] == '/')
			i++;
		for (j = i; j < n && p[j] != '/'; j++)
			;
		if (j == i)
			break;
		if (j - i == 1 && p[i] == '.') {
			/* nothing */
		} else if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			k = out->len;
			while (k > start + 1 && out->s[k - 1] != '/')
				k--;
			buf_truncate(out, k > start + 1 ? k - 1 : start + 1);
		} else {
			if (out->len > start + 1)
				buf_addch(out, '/');
			buf_add(out, p + i, j - i);
		}
		i = j;
	}
}

void path_resolve(struct buf *out, const char *base, const char *path,
		  size_t len)
{
	size_t start = out->len;

	buf_addch(out, '/');
	if ((len == 0 || path[0] != '/') && base != NULL)
		add_components(out, start, base, strlen(base));
	add_components(out, start, path, len);
}
