/*
 * placement_tasks.c: placement (placement.h) applied to the tracer's tasks:
 * inheritance of the pin by new tasks, the corrected sched_getaffinity,
 * a program's own sched_setaffinity, the periodic measurement and the
 * release of every task.
 */
#include "trace/task.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

/* Syscall numbers, per ABI (x32 shares the 64-bit ones). */
#define NR64_SCHED_SETAFFINITY 203
#define NR64_SCHED_GETAFFINITY 204
#define NR32_SCHED_SETAFFINITY 241
#define NR32_SCHED_GETAFFINITY 242

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void place_new_task(struct tracer *tr, const struct task *parent,
		    struct task *c)
{
	struct place *pl = &tr->place;

	if (!pl->ever || parent == NULL)
		return;
	if (pl->active) {
		c->pinned = parent->pinned;
		return;
	}
	/* created before the release, reported after it: give it back too */
	c->pinned = false;
	if ((parent->pinned || parent->released) &&
	    place_task_is_pinned(pl, c->tid) &&
	    place_release_task(pl, c->tid) == 0) {
		c->released = true;
		pl->nr_released++;
	}
}

/* Is `t` in capsule's pid namespace (so its pid numbers are ours)? */
static bool in_our_pidns(const struct task *t)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)t->tid);
	return stat(path, &a) == 0 && stat("/proc/self/ns/pid", &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* The task a sched_{get,set}affinity call of `t` named, if we know it. */
static struct task *affinity_target(struct tracer *tr, struct task *t)
{
	const struct call_event *ev = &t->cur;
	int32_t pid = (int32_t)ev->args[0];

	if (pid == 0)
		return t;
	if (pid < 0 || !in_our_pidns(t))
		return NULL; /* numbers of another namespace: not ours */
	return task_find(tr, (pid_t)pid);
}

void place_exit_stop(struct tracer *tr, struct task *t)
{
	struct place *pl = &tr->place;
	struct call_event *ev = &t->cur;
	bool i386 = ev->abi == ABI_I386;
	struct task *target;

	if (!pl->ever || ev->is_error)
		return;
	if (ev->nr == (i386 ? NR32_SCHED_GETAFFINITY
			    : NR64_SCHED_GETAFFINITY)) {
		/* ret: bytes the kernel wrote, at most its mask size */
		if (ev->ret <= 0 || (uint64_t)ev->ret > sizeof(pl->all))
			return;
		target = affinity_target(tr, t);
		if (target == NULL || !target->pinned)
			return;
		if (mem_write(t->tid, ev->args[2], &pl->all, (size_t)ev->ret) ==
		    0) {
			ev->flags |= EVF_AFFINITY_HIDDEN;
			pl->nr_hidden++;
		}
	} else if (ev->nr == (i386 ? NR32_SCHED_SETAFFINITY
				   : NR64_SCHED_SETAFFINITY)) {
		/* the program placed the task itself: its mask is its own */
		if (ev->ret != 0)
			return;
		target = affinity_target(tr, t);
		if (target != NULL)
			target->pinned = target->released = false;
	}
}

/* Gives every pinned task (and capsule's threads) the full mask. */
static void release_all(struct tracer *tr, uint64_t now, double waiting,
			double rate)
{
	struct place *pl = &tr->place;
	size_t i;

	for (i = 0; i < tr->nslots; i++) {
		struct task *t = tr->slots[i];

		if (t == NULL || !t->pinned)
			continue;
		t->pinned = false;
		/* someone else (an administrator's taskset) may have moved it */
		if (place_task_is_pinned(pl, t->tid) &&
		    place_release_task(pl, t->tid) == 0) {
			t->released = true;
			pl->nr_released++;
		}
	}
	place_release(pl, now, waiting, rate);
}

/*
 * The measurement: the run-queue wait of up to PLACE_SAMPLE_TASKS pinned
 * tasks since their previous reading, as a number of tasks waiting on
 * average; and the stops per second since the previous decision.
 */
static void sample(struct tracer *tr, uint64_t now)
{
	struct place *pl = &tr->place;
	size_t i, seen = 0, n = tr->nslots;
	double waiting = 0, dt, rate;
	uint64_t rd;

	for (i = 0; i < n && seen < PLACE_SAMPLE_TASKS; i++) {
		struct task *t = tr->slots[(pl->cursor + i) % n];

		if (t == NULL || !t->pinned)
			continue;
		seen++;
		if (place_run_delay(t->tid, &rd) < 0)
			continue;
		if (t->rd_at != 0 && now > t->rd_at && rd >= t->rd_ns)
			waiting += (double)(rd - t->rd_ns) /
				   (double)(now - t->rd_at);
		t->rd_ns = rd;
		t->rd_at = now;
	}
	pl->cursor = n ? (pl->cursor + i) % n : 0;
	/* the tracer thread shares the CPU: its waits count too */
	if (place_run_delay(0, &rd) == 0) {
		if (pl->self_rd_at != 0 && now > pl->self_rd_at &&
		    rd >= pl->self_rd_ns)
			waiting += (double)(rd - pl->self_rd_ns) /
				   (double)(now - pl->self_rd_at);
		pl->self_rd_ns = rd;
		pl->self_rd_at = now;
	}
	dt = (double)(now - pl->last_ns) / 1e9;
	rate = dt > 0 ? (double)(pl->stops - pl->last_stops) / dt : 0;
	pl->last_stops = pl->stops;
	pl->last_ns = now;
	if (place_decide(pl, waiting, rate))
		release_all(tr, now, waiting, rate);
}

void place_tick(struct tracer *tr)
{
	struct place *pl = &tr->place;

	if (pl->active && pl->mode == PLACE_AUTO && place_take_tick())
		sample(tr, mono_ns());
}
