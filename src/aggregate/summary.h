/*
 * summary.h: the end-of-run summary on stderr: processes, files by class,
 * network endpoints, alerts by severity (from struct agg_stats), and for
 * `run --summary` a per-syscall table like `strace -c` (calls, errors,
 * total and average time inside the call).  Formats into a buffer; the
 * caller prints.
 */
#ifndef CAPSULE_AGGREGATE_SUMMARY_H
#define CAPSULE_AGGREGATE_SUMMARY_H

#include <stdint.h>

#include "aggregate/aggregate.h"
#include "event.h"
#include "lib/buf.h"

#define SUMMARY_MAX_NR 1024

struct sys_count {
	uint64_t calls;
	uint64_t errors;
	uint64_t ns;		/* entry stop to exit stop, summed */
};

struct sys_summary {
	struct sys_count *c[_ABI_MAX];	/* owned: indexed by nr */
	uint64_t total_calls;
};

void sys_summary_init(struct sys_summary *s);
void sys_summary_release(struct sys_summary *s);
/* Counts syscall event `ev`. */
void sys_summary_add(struct sys_summary *s, const struct call_event *ev);
/* Appends the strace -c-like table, most time first. */
void sys_summary_table(const struct sys_summary *s, struct buf *out);

/* Appends the run summary lines (each ending in '\n'). */
void agg_summary(const struct agg_stats *st, struct buf *out);

#endif
