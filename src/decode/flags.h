/*
 * flags.h: symbolic names of flag sets and enums (after strace's xlat):
 * each table lists constant names only, FLAG(x) pairs a name with the
 * value its system header gives.
 */
#ifndef CAPSULE_DECODE_FLAGS_H
#define CAPSULE_DECODE_FLAGS_H

#include <stdint.h>

#include "decode/vout.h"
#include "event.h"

struct xlat {
	uint64_t val;
	const char *name;	/* NULL ends a table */
};

#define FLAG(x) { (uint64_t)(x), #x }
#define XLAT_END { 0, NULL }

/*
 * Appends the names of the bits of `v` found in `x`, joined by '|', then
 * any bits left over in hex ("O_CREAT|0x40000000"); `v` == 0 gives the
 * name of 0 if the table has one, else "0".  Entries are tried in order,
 * so multi-bit values must precede their parts.
 */
void xlat_flags(struct buf *b, const struct xlat *x, uint64_t v);
/* The name of `v` in enum table `x`, or NULL. */
const char *xlat_name(const struct xlat *x, uint64_t v);

/*
 * Signal number to name: "SIGTERM", "SIGRT_3" (kernel SIGRTMIN + 3), or
 * NULL if out of range.  `tmp` holds the "SIGRT_" names.
 */
const char *signal_name(int sig, char tmp[16]);
/* Capability number to name ("CAP_SYS_ADMIN"), or NULL. */
const char *cap_name(int cap);

/*
 * Writes argument value `v` of flag/enum kind `kind` (K_OPEN_FLAGS ...
 * K_FLOCK_OP) of call `ev` through `o`.  Returns 0, or -1 when `kind` is
 * not a flag kind.
 */
int flags_print(struct vout *o, int kind, uint64_t v,
		const struct call_event *ev);

/* clone3's 64-bit flags (struct clone_args.flags), no exit signal. */
void clone3_flags_print(struct vout *o, uint64_t v);

/* Names a set of capability bits (capset data) through `o`. */
void caps_print(struct vout *o, uint64_t set);

#endif
