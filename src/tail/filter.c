/*
 * filter.c: the record filters of `capsule tail` (--type, --pid,
 * --syscall, --class, --severity).
 */
#include "tail/filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const severity_names[_SEV_MAX] = {
	[SEV_LOW] = "low",
	[SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high",
	[SEV_CRITICAL] = "critical",
};

int tail_severity(const char *name)
{
	for (int i = SEV_LOW; i < _SEV_MAX; i++)
		if (strcmp(name, severity_names[i]) == 0)
			return i;
	return _SEV_INVALID;
}

static bool word_ok(const char *s, size_t len, bool any_printable)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (any_printable ? (c <= ' ' || c == 0x7f)
				  : !((c >= 'a' && c <= 'z') ||
				      (c >= '0' && c <= '9') || c == '_' ||
				      c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Splits `list` at commas and appends copies of its words to *v. */
static int add_words(char ***v, size_t *n, const char *list,
		     bool any_printable)
{
	const char *p = list, *comma;
	size_t len;
	char **nv;

	do {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!word_ok(p, len, any_printable))
			return -EINVAL;
		nv = realloc(*v, (*n + 1) * sizeof(**v));
		if (nv == NULL)
			return -ENOMEM;
		*v = nv;
		nv[*n] = strndup(p, len);
		if (nv[*n] == NULL)
			return -ENOMEM;
		(*n)++;
		p = comma + 1;
	} while (comma != NULL);
	return 0;
}

int tail_filter_add_types(struct tail_filter *f, const char *list)
{
	return add_words(&f->types, &f->ntypes, list, false);
}

int tail_filter_add_syscalls(struct tail_filter *f, const char *list)
{
	return add_words(&f->syscalls, &f->nsyscalls, list, true);
}

int tail_filter_add_classes(struct tail_filter *f, const char *list)
{
	/* the enricher's class names are not fixed yet: any printable */
	return add_words(&f->classes, &f->nclasses, list, true);
}

int tail_filter_add_pids(struct tail_filter *f, const char *list)
{
	const char *p = list;
	long long v, *nv;
	char *end;

	for (;;) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		v = strtoll(p, &end, 10);
		if (errno != 0 || v <= 0 || (*end != ',' && *end != '\0'))
			return -EINVAL;
		nv = realloc(f->pids, (f->npids + 1) * sizeof(*nv));
		if (nv == NULL)
			return -ENOMEM;
		f->pids = nv;
		nv[f->npids++] = v;
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
}

int tail_filter_set_severity(struct tail_filter *f, const char *name)
{
	int s = tail_severity(name);

	if (s < 0)
		return -EINVAL;
	f->min_severity = s;
	return 0;
}

bool tail_filter_active(const struct tail_filter *f)
{
	return f->ntypes || f->npids || f->nsyscalls || f->nclasses ||
	       f->min_severity != SEV_NONE;
}

static bool in_words(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* A string field's value in the list; an array matches by any element. */
static bool field_in(const json_t *rec, const char *key, char *const *v,
		     size_t n)
{
	const json_t *x = json_object_get(rec, key), *e;
	size_t i;

	if (json_is_string(x))
		return in_words(v, n, json_string_value(x));
	if (json_is_array(x))
		json_array_foreach(x, i, e)
			if (json_is_string(e) &&
			    in_words(v, n, json_string_value(e)))
				return true;
	return false;
}

static bool pid_in(const struct tail_filter *f, const json_t *rec)
{
	const json_t *x = json_object_get(rec, "pid");

	/* a real when the record was parsed with big numbers as reals */
	if (!json_is_number(x))
		return false;
	for (size_t i = 0; i < f->npids; i++)
		if ((double)f->pids[i] == json_number_value(x))
			return true;
	return false;
}

bool tail_filter_match(const struct tail_filter *f, const json_t *rec)
{
	const json_t *type, *sev;

	if (!json_is_object(rec))
		return !tail_filter_active(f);
	if (f->ntypes && !field_in(rec, "type", f->types, f->ntypes))
		return false;
	type = json_object_get(rec, "type");
	if (json_is_string(type) &&
	    strcmp(json_string_value(type), "genesis") == 0)
		return true; /* run headers: only --type hides them */
	if (f->npids && !pid_in(f, rec))
		return false;
	if (f->nsyscalls &&
	    !field_in(rec, "syscall", f->syscalls, f->nsyscalls))
		return false;
	if (f->nclasses && !field_in(rec, "class", f->classes, f->nclasses))
		return false;
	if (f->min_severity != SEV_NONE) {
		sev = json_object_get(rec, "severity");
		if (!json_is_string(sev) ||
		    tail_severity(json_string_value(sev)) < f->min_severity)
			return false;
	}
	return true;
}

static void free_words(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tail_filter_release(struct tail_filter *f)
{
	if (f == NULL)
		return;
	free_words(f->types, f->ntypes);
	free_words(f->syscalls, f->nsyscalls);
	free_words(f->classes, f->nclasses);
	free(f->pids);
	memset(f, 0, sizeof(*f));
}
