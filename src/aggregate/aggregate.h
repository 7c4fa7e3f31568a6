/*
 * aggregate.h: syscalls into actions, and detection rules into alerts
 * (docs/log-format.md, "Actions" and "Alerts"; docs/rules.md).
 *
 * The pipeline thread calls aggregate_call() after each syscall record is
 * written (with that record's seq and hash, so that actions and alerts
 * can refer to it) and aggregate_process() after each process event.
 * Finished actions and alerts go to the emit callbacks at once; nothing
 * here writes files.
 *
 * Descriptor actions (file.read/write, dir.list, net.connect, net.accept,
 * dns.query) stay open in a hash table keyed by (pid, fd) and in a list
 * ordered by start; an open action ends when its descriptor is closed,
 * its process exits or execs (close-on-exec), or `window_ns` has passed
 * since its first call (aggregate_tick()); a later call on the same
 * descriptor opens a new one.  At AGG_MAX_OPEN open actions the oldest is
 * ended early ("end":"cap").  Everything else is an instant action, one
 * call.  Cost per record: a table lookup and a hash-table probe.
 *
 * Besides lib/ and event.h, aggregate reads decode/syscalls.h (syscall
 * names, as policy/ does) and enrich/classes.h (class names).
 */
#ifndef CAPSULE_AGGREGATE_AGGREGATE_H
#define CAPSULE_AGGREGATE_AGGREGATE_H

#include <stdbool.h>
#include <stdint.h>

#include "aggregate/rules.h"
#include "event.h"
#include "lib/buf.h"

#define AGG_MAX_OPEN 4096	/* open descriptor actions at most */
#define AGG_MAX_FIRED 32	/* (rule, resource) pairs remembered per
				 * process to fire once */
#define AGG_DEFAULT_WINDOW_NS 1000000000ull

typedef void agg_action_fn(void *ctx, const struct action *a);
typedef void agg_alert_fn(void *ctx, const struct alert *al);

struct ag_act;
struct ag_proc;

/* Counters for the end-of-run summary. */
struct agg_stats {
	uint64_t processes;		/* processes seen (exec'd or new) */
	uint64_t files_by_class[32];	/* file actions per enum res_class */
	uint64_t alerts[_SEV_MAX];	/* per severity */
	uint64_t actions;
	uint64_t cap_hits;		/* actions ended by AGG_MAX_OPEN */
	char *endpoints[16];		/* owned: first distinct remotes */
	size_t nendpoints;
	uint64_t more_endpoints;	/* distinct ones beyond those */
	int max_severity;		/* highest alert, SEV_NONE if none */
};

struct aggregate {
	const struct rules *rules;	/* borrowed */
	uint64_t window_ns;
	agg_action_fn *on_action;
	agg_alert_fn *on_alert;
	void *ctx;
	uint8_t *ops[_ABI_MAX];		/* owned: enum agg_op by nr */
	struct ag_act **acts;		/* owned: hash table by (pid, fd) */
	size_t nacts_slots;
	size_t nacts;
	struct ag_act *oldest, *newest;	/* open actions by start */
	struct ag_proc **procs;		/* owned: hash table by pid */
	size_t nprocs_slots;
	size_t nprocs;
	struct agg_stats stats;
	struct buf tmp, sum, detail;	/* owned: scratch */
};

/* Prepares `ag`; `rules` must outlive it.  Call after syscalls_init(). */
void aggregate_init(struct aggregate *ag, const struct rules *rules,
		    uint64_t window_ns, agg_action_fn *on_action,
		    agg_alert_fn *on_alert, void *ctx);
/* Frees what `ag` owns (not emitting anything); accepts NULL. */
void aggregate_release(struct aggregate *ag);

/*
 * Syscall event `ev`, whose record was written as `ref` and enriched as
 * `view`.  May emit actions and alerts.
 */
void aggregate_call(struct aggregate *ag, const struct call_event *ev,
		    const struct call_view *view, const struct rec_ref *ref);
/*
 * Process event `ev` (EV_PROCESS); `pv` is the enricher's view of the
 * process after it (NULL when unknown).
 */
void aggregate_process(struct aggregate *ag, const struct call_event *ev,
		       const struct proc_view *pv);

/* CLOCK_MONOTONIC ns by which the oldest open action expires, or 0. */
uint64_t aggregate_deadline(const struct aggregate *ag);
/* Ends the actions whose window passed at `now_ns`. */
void aggregate_tick(struct aggregate *ag, uint64_t now_ns);
/* End of the run: ends every open action ("end":"run_end"). */
void aggregate_flush(struct aggregate *ag);

#endif
