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

/* The slot of `fd`, or NULL if out of range or in a page not allocated. */
static struct fd_ent *slot(const struct fdtab *t, int64_t fd)
{
	struct fd_ent *pg;

	if (fd < 0 || fd >= t->n)
		return NULL;
	pg = t->pg[fd / FDTAB_PAGE];
	return pg != NULL ? &pg[fd % FDTAB_PAGE] : NULL;
}

static bool page_empty(const struct fd_ent *pg)
{
	int i;

	for (i = 0; i < FDTAB_PAGE; i++)
		if (pg[i].type != FT_FREE)
			return false;
	return true;
}

/*
 * Frees page `p` if none of its descriptors is open.  Page 0 (descriptors
 * 0-255) stays: almost every process opens and closes there, and freeing
 * it at each close made the next open allocate and clear 12 KiB again.
 */
static void page_trim(struct fdtab *t, int p)
{
	if (p > 0 && t->pg[p] != NULL && page_empty(t->pg[p])) {
		free(t->pg[p]);
		t->pg[p] = NULL;
	}
}

void fdtab_unref(struct fdtab *t)
{
	int p, i;

	if (t == NULL || --t->refs > 0)
		return;
	for (p = 0; p < t->n / FDTAB_PAGE; p++) {
		if (t->pg[p] == NULL)
			continue;
		for (i = 0; i < FDTAB_PAGE; i++)
			if (t->pg[p][i].type != FT_FREE) /* free: owns nothing */
				fd_ent_release(&t->pg[p][i]);
		free(t->pg[p]);
	}
	free(t->pg);
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
	int p, i;

	c->n = t->n;
	c->pg = xcalloc((size_t)t->n / FDTAB_PAGE, sizeof(*c->pg));
	for (p = 0; p < t->n / FDTAB_PAGE; p++) {
		if (t->pg[p] == NULL || page_empty(t->pg[p]))
			continue;
		c->pg[p] = xcalloc(FDTAB_PAGE, sizeof(*c->pg[p]));
		for (i = 0; i < FDTAB_PAGE; i++)
			if (t->pg[p][i].type != FT_FREE)
				ent_copy(&c->pg[p][i], &t->pg[p][i]);
	}
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
	struct fd_ent *e = slot(t, fd);

	return e != NULL && e->type != FT_FREE ? e : NULL;
}

struct fd_ent *fdtab_set(struct fdtab *t, int64_t fd, int type, bool cloexec)
{
	struct fd_ent *e, **pg;
	int n;

	if (fd < 0 || fd >= FDTAB_MAX_FD)
		return NULL;
	if (fd >= t->n) {
		n = t->n ? t->n : FDTAB_PAGE;
		while (n <= fd)
			n *= 2;
		pg = xcalloc((size_t)n / FDTAB_PAGE, sizeof(*pg));
		if (t->n)
			memcpy(pg, t->pg,
			       (size_t)t->n / FDTAB_PAGE * sizeof(*pg));
		free(t->pg);
		t->pg = pg;
		t->n = n;
	}
	if (t->pg[fd / FDTAB_PAGE] == NULL)
		t->pg[fd / FDTAB_PAGE] = xcalloc(FDTAB_PAGE, sizeof(*e));
	e = slot(t, fd);
	fd_ent_release(e);
	e->type = (uint8_t)type;
	e->cloexec = cloexec;
	e->family = -1;
	e->sotype = -1;
	return e;
}

void fdtab_close(struct fdtab *t, int64_t fd)
{
	struct fd_ent *e = slot(t, fd);

	if (e == NULL)
		return;
	fd_ent_release(e);
	page_trim(t, (int)(fd / FDTAB_PAGE));
}

int fdtab_dup(struct fdtab *t, int64_t oldfd, int64_t newfd, bool cloexec)
{
	struct fd_ent *o = fdtab_get(t, oldfd), tmp, *n;

	if (o == NULL)
		return -EBADF;
	if (oldfd == newfd)
		return 0;
	ent_copy(&tmp, o);
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
	struct fd_ent *e;

	for (fd = first; fd <= last && fd < (uint64_t)t->n; fd++) {
		if (t->pg[fd / FDTAB_PAGE] == NULL) {
			/* a page of free descriptors: skip to the next */
			fd |= FDTAB_PAGE - 1;
			continue;
		}
		e = slot(t, (int64_t)fd);
		if (e->type == FT_FREE)
			continue;
		if (cloexec_only)
			e->cloexec = true;
		else
			fd_ent_release(e);
		if (fd % FDTAB_PAGE == FDTAB_PAGE - 1 || fd == last)
			page_trim(t, (int)(fd / FDTAB_PAGE));
	}
}

void fdtab_exec(struct fdtab *t)
{
	int p, i;

	for (p = 0; p < t->n / FDTAB_PAGE; p++) {
		if (t->pg[p] == NULL)
			continue;
		for (i = 0; i < FDTAB_PAGE; i++)
			if (t->pg[p][i].type != FT_FREE && t->pg[p][i].cloexec)
				fd_ent_release(&t->pg[p][i]);
		page_trim(t, p);
	}
}

size_t fdtab_mem(const struct fdtab *t)
{
	size_t m = sizeof(*t) + (size_t)t->n / FDTAB_PAGE * sizeof(*t->pg);
	int p;

	for (p = 0; p < t->n / FDTAB_PAGE; p++)
		if (t->pg[p] != NULL)
			m += FDTAB_PAGE * sizeof(*t->pg[p]);
	return m;
}
