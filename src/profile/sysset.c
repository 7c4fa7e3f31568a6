/*
 * sysset.c: sorted per-ABI sets of system call names.
 */
#include "profile/sysset.h"

#include <stdlib.h>
#include <string.h>

/* Index of `name` in `a`, or -(insertion point) - 1. */
static ptrdiff_t find_index(const struct sysset_abi *a, const char *name)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(a->e[mid].name, name);

		if (c == 0)
			return (ptrdiff_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(ptrdiff_t)lo - 1;
}

static void note_arg(struct sysset_arg *a, uint64_t v, bool known)
{
	uint8_t i;

	if (!known) {
		a->unknown = true;
		return;
	}
	a->ored |= v;
	for (i = 0; i < a->nvalues; i++)
		if (a->values[i] == v)
			return;
	if (a->nvalues < SYSSET_MAX_VALUES)
		a->values[a->nvalues++] = v;
	else
		a->many = true;
}

struct sysset_entry *sysset_add(struct sysset *s, enum ev_abi abi,
				const char *name, const uint64_t *args,
				unsigned known)
{
	struct sysset_abi *a = &s->abi[abi];
	struct sysset_entry *e;
	ptrdiff_t at = find_index(a, name);
	int i;

	a->seen = true;
	if (at < 0) {
		at = -at - 1;
		if (a->n == a->cap) {
			size_t cap = a->cap ? 2 * a->cap : 64;
			void *p = realloc(a->e, cap * sizeof(*a->e));

			if (p == NULL)
				abort(); /* as buf does: no silent loss */
			a->e = p;
			a->cap = cap;
		}
		memmove(&a->e[at + 1], &a->e[at],
			(a->n - (size_t)at) * sizeof(*a->e));
		e = &a->e[at];
		memset(e, 0, sizeof(*e));
		e->name = strdup(name);
		if (e->name == NULL)
			abort();
		a->n++;
	}
	e = &a->e[at];
	e->calls++;
	for (i = 0; i < SYSSET_NARGS; i++)
		note_arg(&e->args[i], args ? args[i] : 0,
			 args != NULL && (known >> i & 1));
	return e;
}

void sysset_see_abi(struct sysset *s, enum ev_abi abi)
{
	s->abi[abi].seen = true;
}

const struct sysset_entry *sysset_find(const struct sysset *s, enum ev_abi abi,
				       const char *name)
{
	const struct sysset_abi *a = &s->abi[abi];
	ptrdiff_t at = find_index(a, name);

	return at >= 0 ? &a->e[at] : NULL;
}

void sysset_release(struct sysset *s)
{
	size_t i;
	int abi;

	if (s == NULL)
		return;
	for (abi = 0; abi < _ABI_MAX; abi++) {
		for (i = 0; i < s->abi[abi].n; i++)
			free(s->abi[abi].e[i].name);
		free(s->abi[abi].e);
	}
	memset(s, 0, sizeof(*s));
}

size_t sysset_diff(const struct sysset *a, const struct sysset *b,
		   void (*fn)(void *ctx, char sign, enum ev_abi abi,
			      const char *name),
		   void *ctx)
{
	size_t n = 0;
	int abi;

	for (abi = 0; abi < _ABI_MAX; abi++) {
		const struct sysset_abi *x = &a->abi[abi], *y = &b->abi[abi];
		size_t i = 0, j = 0;

		/* a merge walk of two sorted lists */
		while (i < x->n || j < y->n) {
			int c = i == x->n   ? 1
				: j == y->n ? -1
					    : strcmp(x->e[i].name, y->e[j].name);

			if (c == 0) {
				i++;
				j++;
				continue;
			}
			if (c < 0)
				fn(ctx, '-', (enum ev_abi)abi, x->e[i++].name);
			else
				fn(ctx, '+', (enum ev_abi)abi, y->e[j++].name);
			n++;
		}
	}
	return n;
}
