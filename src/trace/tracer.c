/*
 * tracer.c: the ptrace engine: start-up of the traced command, the task
 * table, and the handling of every kind of ptrace stop.
 *
 * Stop kinds (see ptrace(2)) and what we do:
 *  - syscall-entry / syscall-exit stops (SIGTRAP|0x80, PTRACE_O_TRACESYSGOOD):
 *    PTRACE_GET_SYSCALL_INFO tells entry from exit, so no toggle is kept
 *    that a lost stop could desynchronise.  Entry opens the task's call,
 *    exit completes it.
 *  - PTRACE_EVENT_FORK/VFORK/CLONE: the child is auto-attached; we learn
 *    whether it is a thread from the clone flags of the parent's call.
 *    CLONE_UNTRACED, which would prevent that, is cleared at the entry
 *    stop of clone (a register: race-free).  clone3 keeps its flags in
 *    tracee memory, which another process may rewrite after capsule
 *    cleared it, so clone3 is made to fail with ENOSYS at its entry stop
 *    (libc falls back to clone); only --allow-clone3 lets it run, with
 *    the flag cleared in memory, the caller's threads held, and a child
 *    that escaped all the same attached when the call returns.
 *  - PTRACE_EVENT_EXEC: an execve succeeded; a non-leader thread that
 *    execs takes over the leader's tid (GETEVENTMSG gives the old one).
 *  - PTRACE_EVENT_EXIT: the task is exiting; its call in flight (exit,
 *    exit_group, or any call a fatal signal interrupted) never returns.
 *  - PTRACE_EVENT_STOP: group-stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) is
 *    left in place with PTRACE_LISTEN so job control behaves as without
 *    capsule; any other EVENT_STOP (new child, PTRACE_INTERRUPT) resumes.
 *  - signal-delivery stops: the signal is re-injected.
 *  - exit / death reports from waitpid: the call in flight, if any, is
 *    recorded as unfinished.
 * A task that vanishes (ESRCH from ptrace) is an event, not an error: its
 * death report follows from waitpid.
 */
#include "trace/tracer.h"
#include "trace/task.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

/* Syscall numbers that create tasks, per ABI (from the kernel headers). */
#define NR64_CLONE 56
#define NR64_FORK 57
#define NR64_VFORK 58
#define NR64_EXECVE 59
#define NR64_CLONE3 435
#define NR32_FORK 2
#define NR32_EXECVE 11
#define NR32_CLONE 120
#define NR32_VFORK 190
#define NR32_CLONE3 435
#define NR64_PTRACE 101
#define NR64_PROCESS_VM_READV 310
#define NR64_PROCESS_VM_WRITEV 311
#define NR32_PTRACE 26
#define NR32_PROCESS_VM_READV 347
#define NR32_PROCESS_VM_WRITEV 348
#define NR_PIDFD_OPEN 434 /* same number in every ABI */

#define TRACE_OPTIONS                                                        \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |  \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT |    \
	 PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)

/* ---- clocks ---- */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- task table: open addressing by tid, linear probing ---- */

static size_t slot_of(const struct tracer *tr, pid_t tid)
{
	return ((uint32_t)tid * 2654435761u) & (tr->nslots - 1);
}

struct task *task_find(struct tracer *tr, pid_t tid)
{
	size_t i;

	for (i = slot_of(tr, tid); tr->slots[i] != NULL;
	     i = (i + 1) & (tr->nslots - 1))
		if (tr->slots[i]->tid == tid)
			return tr->slots[i];
	return NULL;
}

static void table_put(struct tracer *tr, struct task *t)
{
	size_t i = slot_of(tr, t->tid);

	while (tr->slots[i] != NULL)
		i = (i + 1) & (tr->nslots - 1);
	tr->slots[i] = t;
}

static void table_grow(struct tracer *tr)
{
	struct task **old = tr->slots;
	size_t n = tr->nslots, i;

	tr->nslots = n ? n * 2 : 64;
	tr->slots = calloc(tr->nslots, sizeof(*tr->slots));
	if (tr->slots == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	for (i = 0; i < n; i++)
		if (old[i] != NULL)
			table_put(tr, old[i]);
	free(old);
}

static struct task *task_add(struct tracer *tr, pid_t tid, pid_t tgid)
{
	struct task *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	t->tid = tid;
	t->tgid = tgid;
	t->recording = true;
	t->pinned = tr->place.active; /* inherited; place_new_task() knows */
	if ((tr->ntasks + 1) * 2 > tr->nslots)
		table_grow(tr);
	table_put(tr, t);
	tr->ntasks++;
	return t;
}

/* Removes `t` from the table without freeing it. */
static void table_unlink(struct tracer *tr, struct task *t)
{
	size_t i = slot_of(tr, t->tid), j, k;

	while (tr->slots[i] != t)
		i = (i + 1) & (tr->nslots - 1);
	tr->slots[i] = NULL;
	/* backward-shift the entries after the hole */
	for (j = (i + 1) & (tr->nslots - 1); tr->slots[j] != NULL;
	     j = (j + 1) & (tr->nslots - 1)) {
		k = slot_of(tr, tr->slots[j]->tid);
		if ((j > i && (k <= i || k > j)) ||
		    (j < i && (k <= i && k > j))) {
			tr->slots[i] = tr->slots[j];
			tr->slots[j] = NULL;
			i = j;
		}
	}
	tr->ntasks--;
}

static void task_free(struct task *t)
{
	if (t == NULL)
		return;
	if (t->in_syscall)
		call_event_release(&t->cur);
	free(t);
}

/* ---- completed events ---- */

static void emit(struct tracer *tr, struct call_event *ev)
{
	if (tr->out_len == tr->out_cap) {
		size_t cap = tr->out_cap ? tr->out_cap * 2 : 16, i;
		struct call_event *n = malloc(cap * sizeof(*n));

		if (n == NULL) {
			fputs("capsule: out of memory\n", stderr);
			abort();
		}
		for (i = 0; i < tr->out_len; i++)
			n[i] = tr->out[(tr->out_head + i) % tr->out_cap];
		free(tr->out);
		tr->out = n;
		tr->out_cap = cap;
		tr->out_head = 0;
	}
	tr->out[(tr->out_head + tr->out_len) % tr->out_cap] = *ev;
	tr->out_len++;
}

/* The call in flight of `t` will never return: record it as unfinished. */
static bool is_execve(const struct call_event *ev);

static void finish_unfinished(struct tracer *tr, struct task *t, int why)
{
	if (!t->in_syscall)
		return;
	if (is_execve(&t->cur) && tr->execs_in_flight)
		tr->execs_in_flight--;
	t->cur.unfinished = (uint8_t)why;
	t->cur.dur_ns = 0;
	emit(tr, &t->cur);
	memset(&t->cur, 0, sizeof(t->cur));
	t->in_syscall = false;
}

/* ---- process events (tracer.h, trace_process_fn) ---- */

static void process_event(struct tracer *tr, const struct task *t, int what,
			  const struct call_event *call, uint64_t a0,
			  uint64_t a1, int64_t ret)
{
	struct call_event pev;
	struct timespec rt;

	if (tr->process == NULL)
		return;
	memset(&pev, 0, sizeof(pev));
	pev.kind = EV_PROCESS;
	pev.nr = what;
	pev.pid = t->tgid ? t->tgid : t->tid;
	pev.tid = t->tid;
	pev.args[0] = a0;
	pev.args[1] = a1;
	pev.ret = ret;
	if (call != NULL)
		pev.abi = call->abi;
	/* most calls are of no interest: read the clocks only for events */
	if (!tr->process(tr->process_ctx, &pev, call))
		return;
	clock_gettime(CLOCK_REALTIME, &rt);
	pev.ts_sec = rt.tv_sec;
	pev.ts_nsec = (int32_t)rt.tv_nsec;
	pev.mono_entry = mono_ns();
	emit(tr, &pev);
}

/* ---- resuming ---- */

static void resume(struct tracer *tr, struct task *t, int sig)
{
	/*
	 * With a --trace filter the kernel stops the chosen calls itself
	 * (seccomp stops); between calls the task runs free (PTRACE_CONT),
	 * inside one we wait for its exit stop (PTRACE_SYSCALL).
	 */
	if (tr->seccomp_mode && !t->in_syscall) {
		(void)ptrace(PTRACE_CONT, t->tid, 0L, (long)sig);
		return;
	}
	/* ESRCH: killed meanwhile; its death report will come */
	(void)ptrace(PTRACE_SYSCALL, t->tid, 0L, (long)sig);
}

/* ---- tgid of a task whose creator's event we have not seen ---- */

/*
 * A numeric field of /proc/<tid>/status near its top ("\nTgid:",
 * "\nPPid:"), or -1.
 */
static pid_t read_status_field(pid_t tid, const char *key)
{
	char path[64], data[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, data, sizeof(data) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	data[n] = '\0';
	p = strstr(data, key);
	if (p == NULL)
		return -1;
	return (pid_t)strtol(p + strlen(key), NULL, 10);
}

static pid_t read_tgid(pid_t tid)
{
	pid_t tgid = read_status_field(tid, "\nTgid:");

	return tgid > 0 ? tgid : tid;
}

/* ---- syscall stops ---- */

static bool is_task_creation(const struct call_event *ev)
{
	if (ev->abi == ABI_I386)
		return ev->nr == NR32_CLONE || ev->nr == NR32_CLONE3 ||
		       ev->nr == NR32_FORK || ev->nr == NR32_VFORK;
	return ev->nr == NR64_CLONE || ev->nr == NR64_CLONE3 ||
	       ev->nr == NR64_FORK || ev->nr == NR64_VFORK;
}

static bool is_clone(const struct call_event *ev)
{
	return ev->nr == (ev->abi == ABI_I386 ? NR32_CLONE : NR64_CLONE);
}

static bool is_clone3(const struct call_event *ev)
{
	return ev->nr == NR64_CLONE3; /* same number in every ABI */
}

static bool is_execve(const struct call_event *ev)
{
	return ev->nr == (ev->abi == ABI_I386 ? NR32_EXECVE : NR64_EXECVE);
}

/*
 * Clone flags of the call in flight, as the kernel will read them.  For
 * clone3 they live in tracee memory; -1 if unreadable.
 */
static int64_t clone_flags(const struct task *t)
{
	const struct call_event *ev = &t->cur;
	struct mem_reader m;
	uint64_t flags;

	if (is_clone(ev))
		return (int64_t)(ev->abi == ABI_I386 ? (uint32_t)ev->args[0]
						     : ev->args[0]);
	if (is_clone3(ev)) {
		mem_reader_init(&m, t->tid);
		if (m.read(&m, ev->args[0], &flags, sizeof(flags)) !=
		    (ssize_t)sizeof(flags))
			return -1;
		return (int64_t)flags;
	}
	return 0; /* fork, vfork: a new process */
}

/*
 * A tracee may ask for CLONE_UNTRACED, which keeps the kernel from
 * auto-attaching the child.  Clear it before the kernel sees it: in the
 * flags register for clone (race-free: registers are the stopped thread's
 * own), in memory for clone3 (only with --allow-clone3: another thread or
 * process could set it again before the kernel copies the struct; see
 * sanitize_creation() and late_attach()).
 */
static void strip_untraced(struct tracer *tr, struct task *t)
{
	struct call_event *ev = &t->cur;
	int64_t flags;

	if (is_clone(ev)) {
		if (!(ev->args[0] & CLONE_UNTRACED))
			return;
		if (ev->abi == ABI_I386) {
			/* ebx holds arg 0 of the int 0x80 ABI */
			(void)ptrace(PTRACE_POKEUSER, t->tid,
				     offsetof(struct user_regs_struct, rbx),
				     (long)(ev->args[0] & ~(uint64_t)CLONE_UNTRACED));
		} else {
			(void)ptrace(PTRACE_POKEUSER, t->tid,
				     offsetof(struct user_regs_struct, rdi),
				     (long)(ev->args[0] & ~(uint64_t)CLONE_UNTRACED));
		}
	} else if (is_clone3(ev)) {
		flags = clone_flags(t);
		if (flags < 0 || !(flags & CLONE_UNTRACED))
			return;
		flags &= ~(int64_t)CLONE_UNTRACED;
		if (mem_write(t->tid, ev->args[0], &flags, sizeof(flags)) < 0)
			return;
	} else {
		return;
	}
	ev->flags |= EVF_UNTRACED_CLEARED;
	tr->nr_untraced_cleared++;
}

/* Is `pid` capsule itself (any of its threads)? */
static bool is_tracer_pid(struct tracer *tr, int64_t pid)
{
	if (pid <= 0 || pid > INT32_MAX || task_find(tr, (pid_t)pid) != NULL)
		return false;
	return pid == tr->self_pid || read_tgid((pid_t)pid) == tr->self_pid;
}

/*
 * Calls by which a tracee could attach to capsule or read or write its
 * memory.  capsule is non-dumpable, which stops a tracee of the same user,
 * but not one with CAP_SYS_PTRACE (root): such an attach would freeze
 * capsule and its tracees together, and blind the recorder.
 */
static bool targets_tracer(struct tracer *tr, const struct call_event *ev)
{
	bool i386 = ev->abi == ABI_I386;
	int64_t pid;

	if (ev->nr == (i386 ? NR32_PTRACE : NR64_PTRACE)) {
		if (ev->args[0] != PTRACE_ATTACH && ev->args[0] != PTRACE_SEIZE)
			return false;
		pid = i386 ? (int32_t)ev->args[1] : (int64_t)ev->args[1];
	} else if (ev->nr == (i386 ? NR32_PROCESS_VM_READV
				  : NR64_PROCESS_VM_READV) ||
		   ev->nr == (i386 ? NR32_PROCESS_VM_WRITEV
				  : NR64_PROCESS_VM_WRITEV) ||
		   ev->nr == NR_PIDFD_OPEN) {
		pid = i386 ? (int32_t)ev->args[0] : (int64_t)ev->args[0];
	} else {
		return false;
	}
	return is_tracer_pid(tr, pid);
}

/*
 * Cancels the call at its entry stop (the kernel skips a call whose
 * number is -1) and makes it fail with `err` at its exit stop.  Returns
 * 0, or -errno (ESRCH: the task is gone).
 */
static int cancel_call(struct task *t, int err)
{
	if (ptrace(PTRACE_POKEUSER, t->tid,
		   offsetof(struct user_regs_struct, orig_rax), -1L) < 0)
		return -errno;
	t->deny_errno = err;
	return 0;
}

/*
 * Does the 64-bit ABI number `nr` (an int, sign-extended) select an x32
 * call?  The kernel takes bit 30 for x32 only in a number that is not
 * negative: -1, which it skips, is no x32 call.
 */
static bool is_x32_nr(uint64_t nr)
{
	return (int64_t)nr >= 0 && (nr & __X32_SYSCALL_BIT);
}

/* `nr` as on_entry() keeps it: without the x32 bit. */
static uint64_t table_nr(uint64_t nr)
{
	return is_x32_nr(nr) ? nr & ~(uint64_t)__X32_SYSCALL_BIT : nr;
}

static void freeze_group(struct tracer *tr, struct task *t, bool all);
static void end_freeze(struct tracer *tr, struct task *t);
static void enforce_entry(struct tracer *tr, struct task *t);

/*
 * A task-creating call that will run: keep CLONE_UNTRACED out of it.
 * clone3's flags are in memory: hold the other threads until the kernel
 * has read them, or one could set CLONE_UNTRACED again after
 * strip_untraced().  A process that merely shares the page (MAP_SHARED,
 * CLONE_VM without CLONE_THREAD) is not held: its child runs untraced
 * until late_attach().  Only with --allow-clone3 does clone3 get here.
 */
static void sanitize_creation(struct tracer *tr, struct task *t)
{
	if (is_clone3(&t->cur) && !t->freezing)
		freeze_group(tr, t, false);
	strip_untraced(tr, t);
}

/*
 * The default for clone3 (tracer.h, allow_clone3): make it fail with
 * ENOSYS, as on a kernel older than 5.3 and as Docker's default seccomp
 * profile does; libc falls back to clone, whose flags are a register.
 * The call is not skipped (orig_rax -1) but given a size of 0 in its
 * second register: the kernel refuses such a struct clone_args (EINVAL)
 * before reading a byte of it, so no CLONE_UNTRACED written there, by
 * whoever, takes effect; and a seccomp filter, which runs after this stop,
 * still judges clone3 and not "syscall -1" (which a kill-default filter
 * would kill).  The exit stop restores the register and writes ENOSYS.
 * Should the write fail (the task is gone, or ptrace refuses) the call is
 * sanitized as with --allow-clone3 instead.
 */
static void refuse_clone3(struct tracer *tr, struct task *t)
{
	size_t off = t->cur.abi == ABI_I386
			     ? offsetof(struct user_regs_struct, rcx)
			     : offsetof(struct user_regs_struct, rsi);

	if (ptrace(PTRACE_POKEUSER, t->tid, off, 0L) < 0) {
		sanitize_creation(tr, t);
		return;
	}
	t->restore = true;
	t->restore_off = off;
	t->restore_val = (long)t->cur.args[1];
	t->deny_errno = ENOSYS;
	t->cur.flags |= EVF_DENIED_SELF | EVF_CLONE3_REFUSED;
	tr->nr_clone3_refused++;
}

/* Puts back the argument register refuse_clone3() changed. */
static void restore_register(struct task *t)
{
	if (!t->restore)
		return;
	(void)ptrace(PTRACE_POKEUSER, t->tid, t->restore_off, t->restore_val);
	t->restore = false;
}

static void on_entry(struct tracer *tr, struct task *t,
		     const struct __ptrace_syscall_info *info)
{
	struct call_event *ev = &t->cur;
	struct timespec rt;
	uint64_t nr = info->entry.nr;
	bool refuse = false;
	int i;

	if (t->in_syscall) /* an exit we never saw: keep what we had */
		finish_unfinished(tr, t, UNF_DETACHED);
	memset(ev, 0, sizeof(*ev));
	ev->kind = EV_SYSCALL;
	if (info->arch == AUDIT_ARCH_I386) {
		ev->abi = ABI_I386;
	} else if (is_x32_nr(nr)) {
		ev->abi = ABI_X32;
		nr = table_nr(nr);
	} else {
		ev->abi = ABI_X86_64;
	}
	ev->nr = (int32_t)nr;
	if (nr != (uint64_t)ev->nr) /* a number no table has: keep its bits */
		ev->nr = -1;
	if (!t->recording) {
		/* the root before its execve runs capsule's own start-up */
		if (!is_execve(ev) || ev->abi != ABI_X86_64)
			return;
		t->recording = true;
	}
	for (i = 0; i < 6; i++)
		ev->args[i] = info->entry.args[i];
	ev->pid = t->tgid ? t->tgid : t->tid;
	ev->tid = t->tid;
	clock_gettime(CLOCK_REALTIME, &rt);
	ev->ts_sec = rt.tv_sec;
	ev->ts_nsec = (int32_t)rt.tv_nsec;
	ev->mono_entry = mono_ns();
	t->in_syscall = true;
	t->event_child = false;
	t->deny_errno = 0;
	if (is_execve(ev))
		tr->execs_in_flight++;
	if (is_clone3(ev) && !tr->allow_clone3) {
		refuse = true; /* after the policy's verdict, below */
	} else if (is_task_creation(ev)) {
		sanitize_creation(tr, t);
	} else if (targets_tracer(tr, ev) && cancel_call(t, EPERM) == 0) {
		ev->flags |= EVF_DENIED_SELF;
	}
	if (tr->enforce.decide != NULL && !(ev->flags & EVF_DENIED_SELF) &&
	    !t->freezing &&
	    tr->enforce.reads_memory != NULL &&
	    tr->enforce.reads_memory(tr->enforce.ctx, ev))
		freeze_group(tr, t, true);
	if (tr->capture) {
		struct mem_reader m;

		mem_reader_init(&m, t->tid);
		tr->capture(tr->capture_ctx, ev, &m, 0);
	}
	if (tr->enforce.decide != NULL && !(ev->flags & EVF_DENIED_SELF))
		enforce_entry(tr, t);
	/* a clone3 the policy denied or killed is refused already */
	if (refuse && t->in_syscall)
		refuse_clone3(tr, t);
}

/*
 * The child of a successful clone/fork that produced no auto-attach event
 * escaped (CLONE_UNTRACED set again behind our back).  Attach it now.
 */
/*
 * Is `child` (a pid as the caller `t` sees it) the caller's own child in
 * capsule's pid namespace?  The number a clone returns belongs to the
 * caller's namespace: attaching it blindly could seize an unrelated
 * process of capsule's namespace.
 */
static bool child_in_our_ns(const struct task *t, pid_t child)
{
	char path[64];
	struct stat a, b;
	pid_t ppid;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)t->tid);
	if (stat(path, &a) < 0 || stat("/proc/self/ns/pid", &b) < 0 ||
	    a.st_ino != b.st_ino || a.st_dev != b.st_dev)
		return false;
	ppid = read_status_field(child, "\nPPid:");
	return ppid == (t->tgid ? t->tgid : t->tid) ||
	       read_tgid(child) == (t->tgid ? t->tgid : t->tid);
}

static void late_attach(struct tracer *tr, struct task *t, pid_t child)
{
	int64_t flags = clone_flags(t);
	struct task *c;

	if (child <= 0 || task_find(tr, child) != NULL ||
	    !child_in_our_ns(t, child))
		return;
	if (ptrace(PTRACE_SEIZE, child, 0L, (long)TRACE_OPTIONS) < 0)
		return;
	(void)ptrace(PTRACE_INTERRUPT, child, 0L, 0L);
	c = task_add(tr, child,
		     (flags > 0 && (flags & CLONE_THREAD)) ? t->cur.pid
							   : child);
	(void)c;
	t->cur.flags |= EVF_LATE_ATTACH;
	tr->nr_late_attach++;
}

/*
 * Is a fatal SIGSYS or SIGKILL pending for `tid`?  A call killed by
 * seccomp (SECCOMP_RET_KILL_*) is skipped, still reports an exit stop, and
 * then the task dies: its "return value" is only the untouched syscall
 * number.  Asked only when the value equals the number, so almost never.
 */
static bool fatal_signal_pending(pid_t tid)
{
	const unsigned long long fatal =
		(1ULL << (SIGSYS - 1)) | (1ULL << (SIGKILL - 1));
	char path[64], *line = NULL;
	size_t cap = 0;
	bool pending = false;
	FILE *f;

	/* line by line: the Groups line before SigPnd may be long */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (!pending && getline(&line, &cap, f) > 0)
		if (strncmp(line, "SigPnd:", 7) == 0 ||
		    strncmp(line, "ShdPnd:", 7) == 0)
			pending = (strtoull(line + 7, NULL, 16) & fatal) != 0;
	free(line);
	fclose(f);
	return pending;
}

static void on_exit_stop(struct tracer *tr, struct task *t,
			 const struct __ptrace_syscall_info *info)
{
	struct call_event *ev = &t->cur, done;

	if (t->freezing)
		end_freeze(tr, t); /* the kernel has read the arguments */
	restore_register(t);
	if (!t->in_syscall) {
		/* denied at entry: its record is out already */
		if (t->deny_errno)
			(void)ptrace(PTRACE_POKEUSER, t->tid,
				     offsetof(struct user_regs_struct, rax),
				     (long)-t->deny_errno);
		t->deny_errno = 0;
		return; /* or not recorded (start-up), or entry never seen */
	}
	ev->ret = info->exit.rval;
	ev->is_error = info->exit.is_error ? 1 : 0;
	if (!ev->is_error && ev->nr >= 0 &&
	    (uint64_t)ev->ret == ((uint64_t)ev->nr |
				  (ev->abi == ABI_X32 ? __X32_SYSCALL_BIT : 0)) &&
	    fatal_signal_pending(t->tid)) {
		finish_unfinished(tr, t, UNF_KILLED);
		return;
	}
	if (is_execve(ev) && tr->execs_in_flight)
		tr->execs_in_flight--;
	/*
	 * A seccomp filter runs after the entry stop, on the cancelled call's
	 * number -1: one whose default kills (--seccomp, or the program's
	 * own) kills the task here.  Its "return value" is not the number
	 * then, so ask.
	 */
	if (t->deny_errno && fatal_signal_pending(t->tid)) {
		t->deny_errno = 0;
		finish_unfinished(tr, t, UNF_KILLED);
		return;
	}
	if (t->deny_errno) {
		(void)ptrace(PTRACE_POKEUSER, t->tid,
			     offsetof(struct user_regs_struct, rax),
			     (long)-t->deny_errno);
		ev->ret = -t->deny_errno;
		ev->is_error = 1;
		t->deny_errno = 0;
	}
	ev->dur_ns = mono_ns() - ev->mono_entry;
	if (is_task_creation(ev) && !ev->is_error && ev->ret > 0 &&
	    !t->event_child)
		late_attach(tr, t, (pid_t)ev->ret);
	if (t->tid == tr->root_pid && !tr->root_exec_seen && is_execve(ev)) {
		tr->root_exec_seen = true;
		if (ev->is_error)
			tr->root_exec_errno = (int)-ev->ret;
	}
	place_exit_stop(tr, t);
	if (tr->capture) {
		struct mem_reader m;

		mem_reader_init(&m, t->tid);
		tr->capture(tr->capture_ctx, ev, &m, 1);
	}
	done = *ev; /* its blob stays valid in tr->out until handed out */
	emit(tr, ev);
	memset(ev, 0, sizeof(*ev));
	t->in_syscall = false;
	process_event(tr, t, PEV_CALL, &done, (uint64_t)done.nr, 0, 0);
}

static void on_syscall_stop(struct tracer *tr, struct task *t)
{
	struct __ptrace_syscall_info info;
	long n;

	n = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (long)sizeof(info), &info);
	if (n > 0) {
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
			on_entry(tr, t, &info);
		else if (info.op == PTRACE_SYSCALL_INFO_SECCOMP &&
			 !(t->in_syscall &&
			   (uint64_t)t->cur.nr == table_nr(info.seccomp.nr)))
			/*
			 * A seccomp stop is an entry (its nr and args sit
			 * where an entry's do).  The same call may already
			 * have had a syscall-entry stop (the task was
			 * resumed with PTRACE_SYSCALL): keep that one.
			 */
			on_entry(tr, t, &info);
		else if (info.op == PTRACE_SYSCALL_INFO_EXIT)
			on_exit_stop(tr, t, &info);
	}
	resume(tr, t, 0);
}

/* ---- ptrace events ---- */

static void on_new_task(struct tracer *tr, struct task *parent, int event)
{
	unsigned long msg = 0;
	pid_t child, tgid;
	int64_t flags;
	struct task *c;

	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, 0L, &msg) < 0)
		return;
	child = (pid_t)msg;
	tgid = child;
	if (event == PTRACE_EVENT_CLONE && parent->in_syscall) {
		flags = clone_flags(parent);
		if (flags > 0 && (flags & CLONE_THREAD))
			tgid = parent->tgid ? parent->tgid : parent->tid;
		else if (flags < 0)
			tgid = read_tgid(child);
	}
	parent->event_child = true;
	/*
	 * The kernel has copied the call's arguments: the siblings may go on
	 * (a vfork parent waits for its child, its siblings need not).
	 */
	if (parent->freezing && parent->in_syscall && is_clone3(&parent->cur))
		end_freeze(tr, parent);
	c = task_find(tr, child);
	if (c == NULL) {
		/* its first stop is still to come */
		c = task_add(tr, child, tgid);
	} else {
		/* it stopped first; the stop was parked until now */
		c->tgid = tgid;
	}
	place_new_task(tr, parent, c);
	/* clone(CLONE_FILES|SIGCHLD) reports a FORK event: ask the call */
	flags = parent->in_syscall ? clone_flags(parent) : -1;
	if (event == PTRACE_EVENT_VFORK && flags == 0)
		flags = CLONE_VFORK | CLONE_VM;
	process_event(tr, c, PEV_NEW, NULL,
		      (uint64_t)(parent->tgid ? parent->tgid : parent->tid),
		      (uint64_t)flags, 0);
}

static void on_exec(struct tracer *tr, struct task *t)
{
	unsigned long msg = 0;
	pid_t old;
	struct task *execer;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) < 0)
		return;
	old = (pid_t)msg;
	if (old == t->tid || old <= 0)
		return;
	/*
	 * A non-leader thread `old` exec'd: it now runs under the leader's
	 * tid.  The old leader is gone without a report of its own.
	 */
	execer = task_find(tr, old);
	finish_unfinished(tr, t, UNF_EXEC);
	if (execer == NULL)
		return;
	table_unlink(tr, execer);
	t->in_syscall = execer->in_syscall;
	t->cur = execer->cur;
	t->event_child = execer->event_child;
	t->recording = execer->recording;
	t->pinned = execer->pinned;
	t->released = execer->released;
	t->deny_errno = execer->deny_errno;
	/* the old leader's freeze state died with it */
	t->frozen = t->await = t->has_held = t->passive = false;
	t->freezing = execer->freezing;
	execer->freezing = false;
	execer->in_syscall = false;
	task_free(execer);
}

/* Is another thread of t's process inside execve (and so killing t)? */
static bool exec_in_group(struct tracer *tr, const struct task *t)
{
	size_t i;

	if (tr->execs_in_flight == 0)
		return false;
	for (i = 0; i < tr->nslots; i++) {
		const struct task *o = tr->slots[i];

		if (o != NULL && o != t && o->tgid == t->tgid &&
		    o->in_syscall && is_execve(&o->cur))
			return true;
	}
	return false;
}

/* The task is exiting: GETEVENTMSG gives its wait status. */
static void on_exit_event(struct tracer *tr, struct task *t)
{
	unsigned long msg = 0;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) < 0)
		msg = 0;
	if (t->in_syscall && !is_execve(&t->cur) && exec_in_group(tr, t))
		finish_unfinished(tr, t, UNF_EXEC);
	else
		finish_unfinished(tr, t,
				  WIFSIGNALED((int)msg) ? UNF_KILLED
							: UNF_EXITED);
	if (t->recording && !t->exit_reported) {
		t->exit_reported = true;
		process_event(tr, t, PEV_EXIT, NULL, 0, 0, (int64_t)(int)msg);
	}
}

static void on_stop(struct tracer *tr, struct task *t, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;

	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(tr, t);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_syscall_stop(tr, t);
		return;
	case 0:
		/* signal-delivery stop: deliver the signal as the kernel would */
		resume(tr, t, sig);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_task(tr, t, event);
		break;
	case PTRACE_EVENT_EXEC:
		on_exec(tr, t);
		break;
	case PTRACE_EVENT_EXIT:
		on_exit_event(tr, t);
		break;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
		    sig == SIGTTOU) {
			/* group-stop: stay stopped until SIGCONT */
			(void)ptrace(PTRACE_LISTEN, t->tid, 0L, 0L);
			return;
		}
		break;
	default:
		break;
	}
	resume(tr, t, 0);
}

static void on_gone(struct tracer *tr, struct task *t, int status)
{
	if (t->freezing)
		end_freeze(tr, t);
	finish_unfinished(tr, t, WIFSIGNALED(status) ? UNF_KILLED : UNF_EXITED);
	if (t->recording && !t->exit_reported) {
		t->exit_reported = true;
		process_event(tr, t, PEV_EXIT, NULL, 1, 0, status);
	}
	if (t->tid == tr->root_pid) {
		tr->root_status = status;
		tr->root_done = true;
	}
	table_unlink(tr, t);
	task_free(t);
}

/* ---- enforcement: the verdict at the entry stop ---- */

/*
 * Asks the policy about t's call (captured) and enforces the verdict.  A
 * denied or killed call is complete now: its record is handed to
 * commit() at once, which returns when it is durable, and the exit stop
 * only sets the return value.
 */
static void enforce_entry(struct tracer *tr, struct task *t)
{
	struct call_event *ev = &t->cur, done;
	struct trace_verdict v = { TRACE_ALLOW, 0, false };

	tr->enforce.decide(tr->enforce.ctx, ev, &v);
	if (v.action != TRACE_DENY && v.action != TRACE_KILL)
		return; /* a freeze lasts until the exit stop */
	if (!v.by_kernel)
		(void)cancel_call(t, v.action == TRACE_DENY ? v.err : EPERM);
	if (v.action == TRACE_DENY) {
		ev->ret = -v.err;
		ev->is_error = 1;
		ev->flags |= EVF_POLICY_DENIED;
	} else {
		ev->unfinished = UNF_KILLED;
		ev->flags |= EVF_POLICY_KILLED;
		t->deny_errno = 0;
	}
	if (v.by_kernel)
		ev->flags |= EVF_BY_SECCOMP;
	if (is_execve(ev) && tr->execs_in_flight)
		tr->execs_in_flight--;
	done = *ev;
	memset(ev, 0, sizeof(*ev));
	t->in_syscall = false;
	if (tr->enforce.commit != NULL)
		tr->enforce.commit(tr->enforce.ctx, &done);
	else
		call_event_release(&done);
	if (v.action == TRACE_KILL && !v.by_kernel)
		(void)kill(t->tgid ? t->tgid : t->tid, SIGKILL);
	/* a cancelled call reads nothing: the siblings may go on */
	if (t->freezing)
		end_freeze(tr, t);
}

/* ---- freezing a process while its call is decided (TOCTOU) ---- */

static void dispatch(struct tracer *tr, pid_t pid, int status);

/* Does a task of process `tgid` hold it frozen? */
static bool group_freezing(const struct tracer *tr, pid_t tgid)
{
	size_t i;

	if (tr->nfreezing == 0)
		return false;
	for (i = 0; i < tr->nslots; i++)
		if (tr->slots[i] != NULL && tr->slots[i]->freezing &&
		    tr->slots[i]->tgid == tgid)
			return true;
	return false;
}

static bool group_awaiting(const struct tracer *tr, pid_t tgid)
{
	size_t i;

	for (i = 0; i < tr->nslots; i++)
		if (tr->slots[i] != NULL && tr->slots[i]->await &&
		    tr->slots[i]->tgid == tgid)
			return true;
	return false;
}

/*
 * Stops every other traced thread of t's process and waits until each
 * has stopped (or died), handling meanwhile whatever else is reported.
 * A stop reaped from a frozen thread other than our interrupt is kept
 * in `held` and replayed when the freeze ends.  Threads born during the
 * freeze are held at their first stop (dispatch()).  Tasks sharing the
 * memory without being threads (CLONE_VM alone, vfork) are not frozen.
 * Unless `all`, a thread inside a call (resumed to its exit stop) is not
 * interrupted, which would make its call return ERESTART*: it cannot
 * reach user space before that stop, which is held.
 */
static void freeze_group(struct tracer *tr, struct task *t, bool all)
{
	pid_t tgid = t->tgid ? t->tgid : t->tid;
	int status;
	size_t i;
	pid_t pid;

	if (t->tgid == 0)
		t->tgid = tgid;
	t->freezing = true;
	tr->nfreezing++;
	for (i = 0; i < tr->nslots; i++) {
		struct task *o = tr->slots[i];

		if (o == NULL || o == t || o->tgid != tgid || o->frozen)
			continue;
		if (!all && o->in_syscall) {
			o->frozen = true;
			o->passive = true;
			tr->nr_frozen++;
			continue;
		}
		if (ptrace(PTRACE_INTERRUPT, o->tid, 0L, 0L) < 0)
			continue; /* gone: its report will come */
		o->frozen = true;
		o->await = true;
		tr->nr_frozen++;
	}
	t->waiting = true;
	while (group_awaiting(tr, tgid)) {
		pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			for (i = 0; i < tr->nslots; i++)
				if (tr->slots[i] != NULL)
					tr->slots[i]->await = false;
			break;
		}
		dispatch(tr, pid, status);
	}
	t->waiting = false;
	if (t->has_held) {
		/*
		 * t itself was killed meanwhile (SIGKILL from outside): its
		 * report is replayed by the thaw, after this stop is done.
		 */
		t->frozen = true;
		end_freeze(tr, t);
	}
}

/* t's call no longer needs its siblings stopped. */
static void end_freeze(struct tracer *tr, struct task *t)
{
	t->freezing = false;
	tr->nfreezing--;
	if (tr->nthaw < TRACE_THAW_MAX)
		tr->thaw[tr->nthaw++] = t->tgid;
}

/* Resumes (or replays the held reports of) process tgid's frozen tasks. */
static void thaw_group(struct tracer *tr, pid_t tgid)
{
	pid_t *tids;
	size_t i, n = 0;
	struct task *o;

	tids = malloc(tr->ntasks * sizeof(*tids) + 1);
	if (tids == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	for (i = 0; i < tr->nslots; i++)
		if (tr->slots[i] != NULL && tr->slots[i]->frozen &&
		    tr->slots[i]->tgid == tgid)
			tids[n++] = tr->slots[i]->tid;
	for (i = 0; i < n; i++) {
		/* a replayed stop may start a new freeze: it keeps the rest */
		if (group_freezing(tr, tgid))
			break;
		o = task_find(tr, tids[i]);
		if (o == NULL || !o->frozen)
			continue;
		o->frozen = false;
		o->await = false;
		if (!o->has_held) {
			/* a passive task runs on, or its stop is to come */
			if (!o->passive)
				resume(tr, o, 0);
			o->passive = false;
			continue;
		}
		o->passive = false;
		o->has_held = false;
		if (WIFSTOPPED(o->held))
			on_stop(tr, o, o->held);
		else
			on_gone(tr, o, o->held);
	}
	free(tids);
}

static void run_thaws(struct tracer *tr)
{
	while (tr->nthaw > 0)
		thaw_group(tr, tr->thaw[--tr->nthaw]);
}

/* Our PTRACE_INTERRUPT's own stop (nothing to replay). */
static bool is_interrupt_stop(int status)
{
	return ((unsigned)status >> 16) == PTRACE_EVENT_STOP &&
	       WSTOPSIG(status) == SIGTRAP;
}

/* Handles one report of waitpid(). */
static void dispatch(struct tracer *tr, pid_t pid, int status)
{
	struct task *t = task_find(tr, pid);

	if (t != NULL && t->waiting) {
		t->has_held = true;
		t->held = status;
		return;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (t == NULL)
			return;
		if (t->await) {
			t->await = false;
			t->has_held = true;
			t->held = status;
			return;
		}
		t->frozen = false;
		on_gone(tr, t, status);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	if (t == NULL) {
		/*
		 * A new task stopped before its creator's event arrived;
		 * ask /proc which thread group it joined.
		 */
		t = task_add(tr, pid, read_tgid(pid));
	}
	if (t->await) {
		t->await = false;
		if (!is_interrupt_stop(status)) {
			t->has_held = true;
			t->held = status;
		}
		return;
	}
	if (tr->nfreezing && !t->freezing && !t->has_held &&
	    (t->frozen || group_freezing(tr, t->tgid))) {
		if (!t->frozen)
			tr->nr_frozen++;
		t->frozen = true;
		t->has_held = true;
		t->held = status;
		return;
	}
	on_stop(tr, t, status);
}

/* ---- public ---- */

static void child_exec(const struct tracer *tr, int sync_fd, const char *path,
		       char *const argv[], char *const envp[],
		       const sigset_t *mask, const sigset_t *ign)
{
	char c;
	ssize_t n;
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(ign, sig) == 1)
			(void)signal(sig, SIG_IGN);
		else if (sig != SIGKILL && sig != SIGSTOP)
			(void)signal(sig, SIG_DFL);
	(void)sigprocmask(SIG_SETMASK, mask, NULL);
	/* wait until the tracer has seized us */
	do {
		n = read(sync_fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(125);
	close(sync_fd);
	if (tr->child_setup != NULL && tr->child_setup(tr->child_setup_ctx) != 0)
		_exit(125);
	execve(path, argv, envp);
	_exit(errno == ENOENT ? 127 : 126);
}

void tracer_init(struct tracer *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->pidfd = -1;
	table_grow(tr);
}

int tracer_start(struct tracer *tr, const char *path, char *const argv[],
		 char *const envp[], const sigset_t *child_sigmask,
		 const sigset_t *child_ign)
{
	int sync[2], status, err;
	pid_t pid, w;

	if (tr->slots == NULL)
		tracer_init(tr);
	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(sync[0]);
		close(sync[1]);
		return err;
	}
	if (pid == 0) {
		close(sync[1]);
		child_exec(tr, sync[0], path, argv, envp, child_sigmask, child_ign);
	}
	close(sync[0]);
	/* from here on a same-uid tracee cannot attach to us or read us */
	(void)prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L);
	if (ptrace(PTRACE_SEIZE, pid, 0L, (long)TRACE_OPTIONS) < 0 ||
	    ptrace(PTRACE_INTERRUPT, pid, 0L, 0L) < 0) {
		err = -errno;
		kill(pid, SIGKILL);
		close(sync[1]);
		(void)waitpid(pid, &status, 0);
		return err;
	}
	do {
		w = waitpid(pid, &status, __WALL);
	} while (w < 0 && errno == EINTR);
	if (w != pid || !WIFSTOPPED(status)) {
		err = w < 0 ? -errno : -ECHILD;
		kill(pid, SIGKILL);
		close(sync[1]);
		return err;
	}
	tr->root_pid = pid;
	tr->self_pid = getpid();
	tr->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	task_add(tr, pid, pid)->recording = false;
	if (write(sync[1], "g", 1) != 1) {
		err = -errno;
		kill(pid, SIGKILL);
		close(sync[1]);
		return err;
	}
	close(sync[1]);
	if (ptrace(PTRACE_SYSCALL, pid, 0L, 0L) < 0)
		return -errno;
	return 0;
}

int tracer_next(struct tracer *tr, struct call_event *ev)
{
	int status;
	pid_t pid;
	struct task *t;

	for (;;) {
		if (tr->out_len) {
			*ev = tr->out[tr->out_head];
			tr->out_head = (tr->out_head + 1) % tr->out_cap;
			tr->out_len--;
			return 1;
		}
		if (tr->ntasks == 0)
			return 0;
		pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR) {
				place_tick(tr); /* placement.c's alarm */
				return -EINTR;
			}
			if (errno != ECHILD)
				return -errno;
			/* no child left: whatever remains was lost */
			for (size_t i = 0; i < tr->nslots; i++) {
				t = tr->slots[i];
				if (t == NULL)
					continue;
				finish_unfinished(tr, t, UNF_DETACHED);
			}
			for (size_t i = 0; i < tr->nslots; i++) {
				task_free(tr->slots[i]);
				tr->slots[i] = NULL;
			}
			tr->ntasks = 0;
			continue;
		}
		dispatch(tr, pid, status);
		run_thaws(tr);
		tr->place.stops++;
		place_tick(tr);
	}
}

void tracer_release(struct tracer *tr)
{
	size_t i;

	if (tr == NULL)
		return;
	for (i = 0; i < tr->nslots; i++)
		task_free(tr->slots[i]);
	free(tr->slots);
	tr->slots = NULL;
	for (i = 0; i < tr->out_len; i++)
		call_event_release(&tr->out[(tr->out_head + i) % tr->out_cap]);
	free(tr->out);
	tr->out = NULL;
	if (tr->pidfd >= 0)
		close(tr->pidfd);
	tr->pidfd = -1;
}
