/*
 * enrich.h: process context, privilege changes, descriptor tables, paths
 * and resource classes for the log (docs/log-format.md, "Enrichment";
 * docs/resources.md).
 *
 * Two halves, one per thread:
 *
 *  - struct enrich_probe, the tracer thread's: enrich_probe_hook() is the
 *    tracer's trace_process_fn.  It decides, from the event and the call
 *    that preceded it, whether /proc must be read while the task is
 *    stopped (new process, exec, a successful credential or namespace
 *    change) and which parts, and attaches the snapshot to the event.
 *    For any other call it returns after one table lookup.
 *  - struct enrich, the pipeline thread's: keeps per process the last
 *    snapshot (credentials, exe, argv, cwd, namespaces), the descriptor
 *    table and the cwd as the observed calls change them; writes
 *    "process" records and appends enrichment members to syscall records.
 *
 * Besides lib/ and event.h, enrich reads decode/'s tables and captured
 * argument bytes (syscalls.h, args.h, flags.h) so that it never parses
 * the JSON decode wrote: the same precedent as policy/ using
 * decode/syscalls.h.
 */
#ifndef CAPSULE_ENRICH_ENRICH_H
#define CAPSULE_ENRICH_ENRICH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "lib/buf.h"

/* Syscall number to enrich's operation, per ABI (built once). */
struct en_opmap {
	uint8_t *op[_ABI_MAX];	/* owned: indexed by nr */
	int n[_ABI_MAX];
};

struct enrich_probe {
	const struct en_opmap *ops;	/* borrowed, read-only */
	bool lsm_present;	/* an LSM that labels tasks is active */
	bool root_seen;		/* the root's first exec was snapshotted */
	uint64_t nsnap;		/* snapshots taken */
	uint64_t snap_ns;	/* their total time, CLOCK_MONOTONIC */
	uint64_t snap_max_ns;	/* the longest one */
	uint64_t nsock;		/* socket ends read after connect/accept */
	uint64_t sock_ns;	/* their total time */
};

struct en_proc;

struct enrich {
	struct en_opmap ops;	/* owned */
	struct en_proc **slots;	/* owned: hash table by pid, chained */
	size_t nslots;
	size_t nprocs;
	int64_t boot_sec;	/* /proc/stat btime */
	long hz;		/* clock ticks per second */
	struct buf tmp;		/* owned: scratch */
	struct buf fdj;		/* owned: the "fds" members being built */
	struct buf pathj;	/* owned: the "paths" members being built */
	struct buf vpath[2];	/* owned: a call's absolute paths */
	struct buf vaddr;	/* owned: a call's sockaddr endpoint */
	struct buf cls_path;	/* owned: the path last classified ... */
	int cls_last;		/* ... and its class (RC_NONE: none yet) */
};

/* Prepares `en` (and `pr`, which borrows en's tables).  Call before the
 * threads start. */
void enrich_init(struct enrich *en, struct enrich_probe *pr);
/* Frees what `en` owns; accepts NULL. */
void enrich_release(struct enrich *en);

/* The tracer's trace_process_fn; ctx is a struct enrich_probe *. */
int enrich_probe_hook(void *ctx, struct call_event *ev,
		      const struct call_event *call);

/*
 * Pipeline: handles EV_PROCESS event `ev`.  Returns 1 with the payload
 * members of a "process" record appended to `out` (from ,"ts": on, as
 * record_syscall() does), or 0 when nothing worth a record happened (a
 * snapshot after a call that changed nothing).  `seq` is the seq the
 * record will get in its stream; syscall records of the process refer
 * to it (proc_seq).
 */
int enrich_process(struct enrich *en, const struct call_event *ev,
		   uint64_t seq, struct buf *out);

/*
 * Pipeline: appends the enrichment members of syscall event `ev` to
 * `out` (exe, uid, euid, proc_seq, fds, paths, class) and applies the
 * call's effect on the process's descriptor table and cwd.
 */
void enrich_call(struct enrich *en, const struct call_event *ev,
		 struct buf *out);
/*
 * As enrich_call(), and fills *view (when not NULL) with what the
 * aggregator needs; view's strings are borrowed, valid until the next
 * enrich call.
 */
void enrich_call_view(struct enrich *en, const struct call_event *ev,
		      struct buf *out, struct call_view *view);
/*
 * Fills *ret with what is known of process `pid` (after
 * enrich_process() for its event); returns false when it is unknown or
 * gone.  Strings borrowed, valid until the next enrich call.
 */
bool enrich_proc_view(struct enrich *en, pid_t pid, struct proc_view *ret);

#endif
