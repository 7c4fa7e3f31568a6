/*
 * task.h: one traced thread, as the tracer's table holds it.  Private to
 * the trace stage (tracer.c owns the table; placement_tasks.c reads it).
 */
#ifndef CAPSULE_TRACE_TASK_H
#define CAPSULE_TRACE_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "trace/tracer.h"

/* One traced thread.  Owned by the tracer's table. */
struct task {
	pid_t tid;
	pid_t tgid;		/* thread group id, or 0 while unknown */
	bool in_syscall;	/* `cur` holds an entered, unreturned call */
	bool recording;		/* false only for the root before its execve */
	bool event_child;	/* a task-creating event fired during `cur` */
	bool exit_reported;	/* its PEV_EXIT went out */
	int deny_errno;		/* `cur` was cancelled: make it fail so */
	bool restore;		/* at the exit stop, put restore_val back */
	size_t restore_off;	/* in this user_regs_struct slot */
	long restore_val;
	bool freezing;		/* holds its process's other threads
				 * stopped until its exit stop */
	bool frozen;		/* stopped by another thread's freeze */
	bool await;		/* frozen: its stop is still to be reaped */
	bool passive;		/* frozen without an interrupt (inside a
				 * call): the thaw must not resume it */
	bool has_held;		/* frozen: `held` is a report to replay */
	bool waiting;		/* inside its own freeze_group(): its
				 * reports are held, it is not freed */
	int held;		/* a wait status reaped while frozen */
	bool pinned;		/* runs on the placement's one CPU by
				 * capsule's doing (placement.h) */
	bool released;		/* was pinned, capsule gave its mask back */
	uint64_t rd_ns;		/* its run-queue wait at rd_at (ns) */
	uint64_t rd_at;		/* monotonic time of that reading, 0: none */
	struct call_event cur;	/* the call in flight */
};

/* The task with this tid, or NULL. */
struct task *task_find(struct tracer *tr, pid_t tid);

/*
 * Placement's part of the stops (placement_tasks.c), called by tracer.c:
 *  - place_new_task(): `c` was created by `parent` (NULL: unknown);
 *  - place_exit_stop(): at t's syscall-exit stop, before its capture:
 *    corrects sched_getaffinity, notes sched_setaffinity;
 *  - place_tick(): after every report or EINTR of waitpid; decides.
 */
void place_new_task(struct tracer *tr, const struct task *parent,
		    struct task *c);
void place_exit_stop(struct tracer *tr, struct task *t);
void place_tick(struct tracer *tr);

#endif
