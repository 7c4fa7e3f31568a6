/*
 * placement.h: which CPUs capsule's two threads and the traced tasks run on.
 *
 * Every syscall costs two ptrace stops, each a round trip between tracee
 * and tracer.  When the two sit on different CPUs every leg wakes the other
 * CPU, which on a VM whose idle vCPUs halt costs 10-40 times a switch on
 * one CPU (docs/performance.md "Placement").  So by default (PLACE_AUTO)
 * capsule keeps its tracer thread and the traced command on one CPU and its
 * pipeline thread on the others, and:
 *  - hides it: a tracee's sched_getaffinity() returns the mask it would
 *    have had without capsule (capsule's own at start), so `nproc`,
 *    os.sched_getaffinity() and thread-pool sizes do not change;
 *  - respects the program: a task that sets its own mask keeps it;
 *  - gives the CPUs back, for good, when the tree wants more than one CPU:
 *    every PLACE_SAMPLE_NS the tracer reads the run-queue delay of the
 *    pinned tasks and its own (/proc/<tid>/schedstat).  When on average
 *    at least PLACE_WAITING of them wait for the CPU, and that is more
 *    than what the stops would lose on two CPUs (stops per second x
 *    PLACE_STOP_GAIN_NS), twice in a row, every task gets the full mask
 *    back.  A neighbour on the CPU counts as waiting too; when stops are
 *    frequent the pin still wins (docs/performance.md, "Placement").
 * PLACE_PIN (--pin) pins and never releases; PLACE_OFF (--no-pin) leaves
 * the scheduler alone.  With a --trace class filter the two affinity calls
 * stop whatever the classes (policy/traceset.h), so that they can be
 * corrected there too.
 *
 * The task table is the tracer's: tracer.c applies these decisions to its
 * tasks; this file holds the masks, the measurements and the rule.
 */
#ifndef CAPSULE_TRACE_PLACEMENT_H
#define CAPSULE_TRACE_PLACEMENT_H

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define PLACE_SAMPLE_NS 100000000ULL /* 100 ms between decisions */
#define PLACE_WAITING 0.5	     /* tasks waiting for the CPU, on average */
#define PLACE_STOP_GAIN_NS 40000.0   /* what one stop costs more across CPUs */
#define PLACE_SAMPLE_TASKS 64	     /* schedstat reads per decision, at most */

enum place_mode { PLACE_OFF, PLACE_AUTO, PLACE_PIN };

struct place {
	enum place_mode mode;
	bool active;		/* new tasks inherit the one-CPU mask */
	bool ever;		/* active at some point of the run */
	int cpu;		/* the tracer's and the tracees' CPU */
	cpu_set_t all;		/* the command's mask without capsule */
	cpu_set_t one;		/* {cpu} */
	cpu_set_t others;	/* all minus cpu: the pipeline thread's */
	pthread_t helper;	/* the pipeline thread, once placed */
	bool has_helper;

	/* the rule's state (tracer thread only) */
	uint64_t start_ns;	/* monotonic, at place_threads() */
	uint64_t last_ns;	/* previous decision */
	uint64_t stops;		/* ptrace stops seen, counted by the tracer */
	uint64_t last_stops;
	int over;		/* consecutive decisions over the line */
	size_t cursor;		/* task-table slot to sample next */
	uint64_t self_rd_ns;	/* the tracer thread's run-queue wait */
	uint64_t self_rd_at;

	/* what happened, for the end-of-run report */
	uint64_t released_ns;	/* run time of the release; 0: never */
	double released_waiting, released_rate;
	uint64_t nr_hidden;	/* sched_getaffinity results corrected */
	uint64_t nr_released;	/* tasks given their mask back */
};

/*
 * Chooses the CPU (the one capsule runs on now) and records capsule's mask.
 * With one allowed CPU, or when the masks cannot be read, the mode becomes
 * PLACE_OFF.
 */
void place_init(struct place *pl, enum place_mode mode);

/* In the child, before execve (async-signal-safe): 0 or -errno. */
int place_child(const struct place *pl);

/*
 * After the start: the calling (tracer) thread on cpu, `helper` on the
 * others; in PLACE_AUTO, starts a SIGALRM every PLACE_SAMPLE_NS so that the
 * tracer's waitpid returns EINTR for a decision even when no task stops.
 */
void place_threads(struct place *pl, pthread_t helper);

/* Has a SIGALRM marked a decision as due since the last call? */
bool place_take_tick(void);

/* The tracing is over: no more decisions (stops the ticks). */
void place_stop(struct place *pl);

/*
 * The tracer gives every task its mask back: this restores capsule's own
 * threads and stops new tasks from inheriting the pin.
 */
void place_release(struct place *pl, uint64_t now_ns, double waiting,
		   double rate);

/* Gives task `tid` the full mask: 0 or -errno. */
int place_release_task(const struct place *pl, pid_t tid);

/* Does `tid`'s current mask equal {cpu}?  (A task created before the
 * release, reported after it.) */
bool place_task_is_pinned(const struct place *pl, pid_t tid);

/*
 * Time `tid` (0: the calling thread) has spent waiting on a run queue (ns,
 * the second field of /proc/<tid>/schedstat): 0, or -errno.
 */
int place_run_delay(pid_t tid, uint64_t *ret_ns);

/*
 * The rule: should the tasks get their CPUs back, given `waiting` tasks
 * waiting for the CPU on average and `rate` stops per second over the last
 * interval?  Counts consecutive intervals over the line.
 */
bool place_decide(struct place *pl, double waiting, double rate);

#endif
