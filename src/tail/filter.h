/*
 * filter.h: which log records `capsule tail` shows.
 *
 * A filter is a conjunction of optional criteria, each a list of accepted
 * values; an empty list accepts everything.  Criteria on a field (pid,
 * syscall, class, severity) reject a record that lacks the field, except
 * genesis records (the header of each run), which only --type removes.
 * Works on records parsed by jansson; knows nothing of printing.
 */
#ifndef CAPSULE_TAIL_FILTER_H
#define CAPSULE_TAIL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Alert severities, in increasing order; SEV_NONE: no --severity. */
enum tail_severity {
	SEV_NONE = 0,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
	_SEV_MAX,
	_SEV_INVALID = -22, /* -EINVAL */
};

struct tail_filter {
	char **types;		/* owned: accepted "type" values */
	size_t ntypes;
	long long *pids;	/* owned: accepted "pid" values */
	size_t npids;
	char **syscalls;	/* owned: accepted "syscall" values */
	size_t nsyscalls;
	char **classes;		/* owned: accepted "class" values */
	size_t nclasses;
	int min_severity;	/* enum tail_severity */
};

#define TAIL_FILTER_INIT { 0 }

/*
 * Each adds the comma-separated values of `list` to a criterion.
 * Return 0, or -EINVAL for an empty or malformed value (a type outside
 * [a-z0-9_.-], a syscall or class with a space or control character, a
 * pid that is not a positive number), -ENOMEM.
 */
int tail_filter_add_types(struct tail_filter *f, const char *list);
int tail_filter_add_pids(struct tail_filter *f, const char *list);
int tail_filter_add_syscalls(struct tail_filter *f, const char *list);
int tail_filter_add_classes(struct tail_filter *f, const char *list);
/* Sets --severity: "low", "medium", "high", "critical"; 0 or -EINVAL. */
int tail_filter_set_severity(struct tail_filter *f, const char *name);

/* The severity of name, or _SEV_INVALID. */
int tail_severity(const char *name);

/* Does the filter restrict anything? */
bool tail_filter_active(const struct tail_filter *f);

/*
 * Does record `rec` pass?  `rec` NULL stands for a line that is not a JSON
 * object: it passes only a filter that restricts nothing.
 */
bool tail_filter_match(const struct tail_filter *f, const json_t *rec);

/* Frees the lists; accepts NULL. */
void tail_filter_release(struct tail_filter *f);

#endif
