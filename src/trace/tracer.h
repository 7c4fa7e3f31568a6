/*
 * tracer.h: the ptrace engine: starts the command, follows every thread and
 * child, and turns ptrace stops into completed struct call_event records.
 *
 * All ptrace and waitpid calls happen in the thread that called
 * tracer_start() (the kernel ties a tracee to its tracing thread).  The
 * tracer knows nothing of JSON, names or rules: it hands raw events out of
 * tracer_next(), and lets one optional hook capture tracee memory while the
 * task is still stopped.
 */
#ifndef CAPSULE_TRACE_TRACER_H
#define CAPSULE_TRACE_TRACER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "trace/mem.h"
#include "trace/placement.h"

/*
 * Called at every syscall-entry stop (at_exit == 0) and syscall-exit stop
 * (at_exit == 1) of a recorded call, while the task is stopped, to copy
 * what the decoder will need from tracee memory into ev->blob.
 */
typedef void (*trace_capture_fn)(void *ctx, struct call_event *ev,
				 const struct mem_reader *mem, int at_exit);

/*
 * Called while a task is stopped, for process events (event.h, enum
 * ev_proc): PEV_NEW at the creator's fork/clone/vfork event (creator and
 * new task both stopped, the new task has not run yet); PEV_CALL after
 * every recorded syscall exit, with `call` the completed call (return at
 * once for calls of no interest: this runs at every exit stop); PEV_EXIT
 * at the exit event (/proc still readable) or, args[0] == 1, when the
 * task was found gone without one.  `ev` comes filled as event.h says;
 * the hook may attach an owned blob.  Returns 1 to have `ev` emitted
 * (after `call`), 0 to drop it (freeing any blob it attached).
 */
typedef int (*trace_process_fn)(void *ctx, struct call_event *ev,
				const struct call_event *call);

/*
 * Enforcement.  A policy (the caller) decides; the tracer enforces, at
 * the syscall-entry stop, while the task is stopped:
 *  - reads_memory(ctx, ev), before the capture hook runs: whether the
 *    decision reads tracee memory (paths, addresses).  If so the tracer
 *    first stops every other traced thread of the process
 *    (PTRACE_INTERRUPT), so no sibling can rewrite what capsule reads,
 *    and keeps them stopped until the call's exit stop, so the kernel
 *    reads what capsule read (docs/policy.md, "TOCTOU").
 *  - decide(ctx, ev, v), after the capture hook: fills *v.
 *  - commit(ctx, ev) for a denied or killed call: the call's completed
 *    record, handed over (the callee owns it).  It must return only once
 *    the record and its alert are durable: the tracee is still stopped,
 *    and is resumed (or killed) after it returns.
 * A denied call is cancelled (the kernel skips syscall -1) and fails with
 * v->err; a killed one is cancelled and its process gets SIGKILL.  When
 * v->by_kernel, a seccomp filter loaded in the child enforces the same
 * verdict, and the tracer leaves the registers alone.
 */
enum trace_action { TRACE_ALLOW = 0, TRACE_DENY, TRACE_KILL };

struct trace_verdict {
	int action;		/* enum trace_action */
	int err;		/* TRACE_DENY: positive errno */
	bool by_kernel;		/* a seccomp filter enforces it */
};

struct trace_enforcer {
	bool (*reads_memory)(void *ctx, const struct call_event *ev);
	void (*decide)(void *ctx, struct call_event *ev,
		       struct trace_verdict *v);
	void (*commit)(void *ctx, struct call_event *ev);
	void *ctx;
};

#define TRACE_THAW_MAX 64

struct task;

struct tracer {
	struct task **slots;	/* owned: open-addressing table by tid */
	size_t nslots;		/* power of two */
	size_t ntasks;		/* live tasks in the table */

	struct call_event *out;	/* owned: completed events not yet handed out */
	size_t out_head, out_len, out_cap;

	pid_t root_pid;		/* the command's process */
	int root_status;	/* its wait status, once root_done */
	bool root_done;
	int root_exec_errno;	/* the command's execve failed with this */
	bool root_exec_seen;	/* its first execve returned */
	int pidfd;		/* pidfd of the root process, or -1 */
	pid_t self_pid;		/* capsule's own pid */
	size_t execs_in_flight;	/* tasks inside execve */

	trace_capture_fn capture; /* optional */
	void *capture_ctx;

	trace_process_fn process; /* optional */
	void *process_ctx;

	/*
	 * Optional: run in the child after it is traced and before its
	 * execve (e.g. to load a seccomp filter).  Returns 0, or a positive
	 * errno that makes the child exit with status 125.  Set by the
	 * caller between tracer_init() and tracer_start().
	 */
	int (*child_setup)(void *ctx);
	/*
	 * The child's seccomp filter picks the calls that stop (--trace):
	 * resume with PTRACE_CONT between calls.  Set with child_setup.
	 */
	bool seccomp_mode;
	void *child_setup_ctx;

	/*
	 * clone3 passes its flags in tracee memory, where capsule cannot
	 * clear CLONE_UNTRACED race-free (another process may share the
	 * page).  By default the tracer makes every clone3 fail with ENOSYS
	 * at its entry stop (libc then uses clone, whose flags are a
	 * register).  allow_clone3 (run --allow-clone3) lets clone3 run:
	 * the flag is cleared in memory, the caller's threads are held
	 * until the kernel has copied the struct, and a child that escaped
	 * all the same is attached when the call returns (late attach).
	 * Set between tracer_init() and tracer_start().
	 */
	bool allow_clone3;

	struct trace_enforcer enforce; /* optional: all NULL for none */
	size_t nfreezing;	/* tasks holding their process frozen */
	pid_t thaw[TRACE_THAW_MAX]; /* processes whose freeze just ended */
	size_t nthaw;
	uint64_t nr_frozen;	/* threads stopped for a decision */

	struct place place;	/* CPU placement: set with place_init()
				 * between tracer_init() and tracer_start() */

	uint64_t nr_late_attach;  /* children attached after escaping */
	uint64_t nr_untraced_cleared;
	uint64_t nr_clone3_refused; /* clone3 calls made to fail (ENOSYS) */
};

/* Prepares an empty tracer (hooks may be set after this). */
void tracer_init(struct tracer *tr);

/*
 * Starts `path` with `argv` and `envp` under ptrace.  `child_sigmask` and
 * `child_ign` give the signal mask and the set of ignored signals the
 * command must start with (capsule's own may differ).  Returns 0, or
 * -errno when tracing is impossible (ptrace refused: -EPERM, ...).
 */
int tracer_start(struct tracer *tr, const char *path, char *const argv[],
		 char *const envp[], const sigset_t *child_sigmask,
		 const sigset_t *child_ign);

/*
 * Waits for the next completed call.  Returns 1 with *ev filled (the caller
 * owns it), 0 when no traced task is left, or -errno on a failure of
 * capsule itself.  EINTR (a signal to capsule) returns -EINTR so that the
 * caller can act; calling again resumes.
 */
int tracer_next(struct tracer *tr, struct call_event *ev);

/* Frees the tracer's memory; accepts NULL.  Tasks are not detached. */
void tracer_release(struct tracer *tr);

#endif
