/*
 * fdtab.c: reconstructed descriptor tables (fdtab.h).
 */
#include "enrich/fdtab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

struct fdtab *fdtab_new(void)
{
	struct fdtab *t = xcalloc(1, sizeof(*t));

	t->refs = 1;
	return t;
}

struct fdtab *fdtab_ref(struct fdtab *t)
{
	t->refs++;
	return t;
}

void fd_ent_release(struct fd_ent *e)
{
	free(e->path);
	free(e->local);
	free(e->remote);
	memset(e, 0, sizeof(*e));
}

void fdtab_unref(struct fdtab *t)
{
	int i;

	if (t == NULL || --t->refs > 0)
		return;
	for (i = 0; i < t->n; i++)
		fd_ent_release(&t->e[i]);
	free(t->e);
	free(t);
}

static void ent_copy(struct fd_ent *d, const struct fd_ent *s)
{
	*d = *s;
	d->path = xstrdup_or_null(s->path);
	d->local = xstrdup_or_null(s->local);
	d->remote = xstrdup_or_null(s->remote);
}

struct fdtab *fdtab_copy(const struct fdtab *t)
{
	struct fdtab *c = fdtab_new();
	int i;

	c->n = t->n;
	c->e = xcalloc((size_t)t->n, sizeof(*c->e));
	for (i = 0; i < t->n; i++)
		if (t->e[i].type != FT_FREE)
			ent_copy(&c->e[i], &t->e[i]);
	return c;
}

void fdtab_unshare(struct fdtab **tp)
{
	struct fdtab *c;

	if ((*tp)->refs <= 1)
		return;
	c = fdtab_copy(*tp);
	fdtab_unref(*tp);
	*tp = c;
}

struct fd_ent *fdtab_get(struct fdtab *t, int64_t fd)
{
	if (fd < 0 || fd >= t->n || t->e[fd].type == FT_FREE)
		return NULL;
	return &t->e[fd];
}

struct fd_ent *fdtab_set(struct fdtab *t, int64_t fd, int type, bool cloexec)
{
	struct fd_ent *e;
	int n;

	if (fd < 0 || fd >= FDTAB_MAX_FD)
		return NULL;
	if (fd >= t->n) {
		n = t->n ? t->n : 16;
		while (n <= fd)
			n *= 2;
		e = xcalloc((size_t)n, sizeof(*e));
		if (t->n)
			memcpy(e, t->e, (size_t)t->n * sizeof(*e));
		free(t->e);
		t->e = e;
		t->n = n;
	}
	e = &t->e[fd];
	fd_ent_release(e);
	e->type = (uint8_t)type;
	e->cloexec = cloexec;
	e->family = -1;
	e->sotype = -1;
	return e;
}

void fdtab_close(struct fdtab *t, int64_t fd)
{
	if (fd >= 0 && fd < t->n)
		fd_ent_release(&t->e[fd]);
}

int fdtab_dup(struct fdtab *t, int64_t oldfd, int64_t newfd, bool cloexec)
{
	struct fd_ent *o = fdtab_get(t, oldfd), tmp, *n;

	if (o == NULL)
		return -EBADF;
	if (oldfd == newfd)
		return 0;
	ent_copy(&tmp, o); /* o may move when the table grows */
	n = fdtab_set(t, newfd, tmp.type, cloexec);
	if (n == NULL) {
		fd_ent_release(&tmp);
		return -EBADF;
	}
	tmp.cloexec = cloexec;
	*n = tmp;
	return 0;
}

void fdtab_close_range(struct fdtab *t, uint64_t first, uint64_t last,
		       bool cloexec_only)
{
	uint64_t fd;

	for (fd = first; fd <= last && fd < (uint64_t)t->n; fd++) {
		if (t->e[fd].type == FT_FREE)
			continue;
		if (cloexec_only)
			t->e[fd].cloexec = true;
		else
			fd_ent_release(&t->e[fd]);
	}
}

void fdtab_exec(struct fdtab *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].type != FT_FREE && t->e[i].cloexec)
			fd_ent_release(&t->e[i]);
}
