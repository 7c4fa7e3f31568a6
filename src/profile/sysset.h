/*
 * sysset.h: a set of system calls, per ABI, with what was seen of their
 * arguments: what a seccomp profile is generated from, and what two
 * profiles or logs are compared as.
 *
 * Names are kept sorted, so walking a set is deterministic.  Memory is
 * bounded by the number of distinct (ABI, name) pairs (a few hundred), not
 * by the size of the logs fed in: each entry keeps at most
 * SYSSET_MAX_VALUES distinct values of each argument and otherwise only
 * notes that there were more.
 */
#ifndef CAPSULE_PROFILE_SYSSET_H
#define CAPSULE_PROFILE_SYSSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define SYSSET_MAX_VALUES 8
#define SYSSET_NARGS 6

/* What was seen of one argument over every call of an entry. */
struct sysset_arg {
	uint64_t values[SYSSET_MAX_VALUES]; /* distinct values, in order seen */
	uint8_t nvalues;
	bool many;		/* more than SYSSET_MAX_VALUES distinct values */
	bool unknown;		/* a call's value was not known (no args, or
				 * not exactly representable) */
	uint64_t ored;		/* every value seen, OR-ed (flag arguments) */
};

struct sysset_entry {
	char *name;		/* owned */
	uint64_t calls;		/* calls recorded (0 for a profile's names) */
	struct sysset_arg args[SYSSET_NARGS];
};

struct sysset_abi {
	struct sysset_entry *e;	/* owned, sorted by name */
	size_t n, cap;
	bool seen;		/* the ABI appeared (even with no entries) */
};

struct sysset {
	struct sysset_abi abi[_ABI_MAX];
};

#define SYSSET_INIT { 0 }

/*
 * Adds a call of `name` through `abi`.  `args` is the six raw arguments or
 * NULL when unknown; `known` has bit i set when args[i] is exact.
 * Returns the entry (borrowed, valid until the next add or release).
 */
struct sysset_entry *sysset_add(struct sysset *s, enum ev_abi abi,
				const char *name, const uint64_t *args,
				unsigned known);

/* Marks `abi` as seen even if it has no entries. */
void sysset_see_abi(struct sysset *s, enum ev_abi abi);

/* The entry for (abi, name), or NULL (borrowed). */
const struct sysset_entry *sysset_find(const struct sysset *s, enum ev_abi abi,
				       const char *name);

/* Frees the contents and leaves `s` empty; accepts NULL. */
void sysset_release(struct sysset *s);

/*
 * Calls fn(ctx, '+', abi, name) for each pair in `b` but not in `a`, and
 * fn(ctx, '-', abi, name) for each pair in `a` but not in `b`, ordered by
 * ABI then name.  Returns the number of differences.
 */
size_t sysset_diff(const struct sysset *a, const struct sysset *b,
		   void (*fn)(void *ctx, char sign, enum ev_abi abi,
			      const char *name),
		   void *ctx);

#endif
