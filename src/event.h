/*
 * event.h: the plain structs passed down the pipeline.
 *
 * The tracer fills a struct call_event for every system call it sees (one
 * event per call, completed at the syscall-exit stop or when the task is
 * found gone) and hands it, by value, through the queue to the pipeline
 * thread.  Nothing here points into tracer state: an event is
 * self-contained, and the pipeline owns it once popped.
 */
#ifndef CAPSULE_EVENT_H
#define CAPSULE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The system call ABI a call was made through. */
enum ev_abi {
	ABI_X86_64 = 0,	/* syscall instruction, 64-bit table */
	ABI_I386 = 1,	/* int 0x80 / sysenter, 32-bit table */
	ABI_X32 = 2,	/* syscall instruction with __X32_SYSCALL_BIT */
	_ABI_MAX
};

enum ev_kind {
	EV_SYSCALL = 1,	/* a system call: entry, and exit unless unfinished */
	EV_END = 2,	/* end of the run: the queue is closing */
	EV_PROCESS = 3,	/* a task appeared, exec'd, changed, or exited:
			 * `nr` is the enum ev_proc below */
};

/*
 * What an EV_PROCESS event reports.  Its fields: pid, tid, ts (taken
 * after the snapshot); for
 * PEV_NEW args[0] = the creating task's pid and args[1] = the clone flags
 * (0 for fork, -1 when unknown); for PEV_CALL args[0] = the syscall
 * number and abi its call's; for PEV_EXIT ret = the wait status and
 * args[0] = 1 when the task was found gone (no /proc left).  The
 * blob, if any, is a /proc snapshot taken while the task was stopped
 * (format private to enrich/procfs.c).
 */
enum ev_proc {
	PEV_NEW = 1,	/* a new task, at its creator's fork/clone event */
	PEV_CALL = 2,	/* after a recorded call that changed the task
			 * (execve, set*id, capset, unshare ...) */
	PEV_EXIT = 3,	/* the task is exiting (or was found gone) */
};

/* Why a call never returned (when `unfinished` is set). */
enum ev_unfinished {
	UNF_NONE = 0,
	UNF_EXITED = 1,		/* the task exited inside it (exit, exit_group) */
	UNF_KILLED = 2,		/* the task was killed by a signal inside it */
	UNF_EXEC = 3,		/* another thread's execve ended this task */
	UNF_DETACHED = 4,	/* capsule stopped tracing the task first */
};

struct call_event {
	uint8_t kind;		/* enum ev_kind */
	uint8_t abi;		/* enum ev_abi */
	uint8_t unfinished;	/* enum ev_unfinished; UNF_NONE if it returned */
	uint8_t is_error;	/* the call failed: ret is -errno */
	int32_t pid;		/* thread group id (process id) */
	int32_t tid;		/* thread id */
	int32_t nr;		/* number within its ABI (x32 bit cleared) */
	uint64_t args[6];	/* raw argument registers at entry */
	int64_t ret;		/* raw kernel return value (-errno on error) */
	int64_t ts_sec;		/* CLOCK_REALTIME at the entry stop */
	int32_t ts_nsec;
	uint64_t dur_ns;	/* entry stop to exit stop, CLOCK_MONOTONIC */
	uint64_t mono_entry;	/* CLOCK_MONOTONIC ns at the entry stop */
	uint32_t flags;		/* EVF_* below */
	uint32_t blob_len;	/* bytes in blob */
	uint16_t rule;		/* run --policy: the deciding rule + 1, or
				 * 0 (the default, or no verdict) */
	uint8_t verdict;	/* run --policy: enum policy_action, or 0 */
	uint8_t audit;		/* the verdict was only audited */
	char *blob;		/* owned: tracee memory captured at the stops
				 * (format private to decode/capture.c), or
				 * NULL; freed with call_event_release() */
};

#define EVF_UNTRACED_CLEARED 0x1 /* capsule removed CLONE_UNTRACED */
#define EVF_LATE_ATTACH 0x2	 /* the child escaped auto-attach and was
				  * attached after the call returned */
#define EVF_DENIED_SELF 0x8	 /* capsule refused it: it targeted capsule */
#define EVF_SECCOMP_DENIED 0x4	 /* run --seccomp: the filter refused it */
#define EVF_POLICY_DENIED 0x10	 /* run --policy: denied (errno in ret) */
#define EVF_POLICY_KILLED 0x20	 /* run --policy: the process was killed */
#define EVF_BY_SECCOMP 0x40	 /* ... by the policy's seccomp filter */
#define EVF_ALERT 0x80		 /* the verdict raises an alert */
#define EVF_SYNC 0x100		 /* durable before the tracee moves on */
#define EVF_AFFINITY_HIDDEN 0x200 /* capsule replaced the CPU mask the
				   * call returned (trace/placement.h) */
#define EVF_CLONE3_REFUSED 0x400 /* with EVF_DENIED_SELF: a clone3 capsule
				  * made fail with ENOSYS (its flags are
				  * in tracee memory; libc falls back to
				  * clone, whose flags capsule sanitizes) */

/*
 * What the enricher knew of one call, for the aggregator (filled by
 * enrich_call_view(), read at once by aggregate_call()).  Classes are enum
 * res_class values (enrich/classes.h), 0 when none; descriptor types enum
 * fd_type (enrich/fdtab.h).  Every string is borrowed: valid until the
 * next enrich call, NULL when unknown.
 */
struct call_view {
	const char *exe;	/* the process's executable */
	int32_t ppid;		/* its parent, 0 when unknown */
	int64_t uid, euid;	/* real and effective uid, -1 when unknown */
	uint64_t cap_eff;	/* effective capabilities (when uid known) */
	int cls;		/* the record's class */
	const char *path;	/* the first path argument, absolute */
	int path_cls;
	const char *path2;	/* the second path argument (rename, link) */
	int path2_cls;
	int fd;			/* the call's descriptor: the result for
				 * calls that return one, else the first
				 * descriptor argument; -1 when none */
	int fd_type;		/* after the call; 0 (free) when closed */
	const char *fd_path;	/* its path, or its name (anon inodes) */
	int fd_cls;
	int fd_family;		/* sockets: AF_*, or -1 */
	int fd_sotype;		/* sockets: SOCK_STREAM ..., or -1 */
	const char *fd_remote;	/* sockets: the remote endpoint */
	const char *fd_local;	/* sockets: the local endpoint */
	const char *addr;	/* a sockaddr argument's endpoint */
	int addr_cls;
};

/* A process as the enricher knows it after a process event. */
struct proc_view {
	int32_t pid, ppid;
	const char *exe;	/* borrowed, or NULL */
	const char *argv;	/* borrowed: NUL-separated, argv_len bytes */
	uint32_t argv_len;
	int64_t uid[4];		/* real, effective, saved, fs; -1 unknown */
	uint64_t cap_eff;	/* when uid[0] >= 0 */
};

/* A record of the syscall stream: its seq and hash (a chain reference). */
struct rec_ref {
	uint64_t seq;
	uint8_t hash[32];
};

/*
 * An action: syscalls of one process on one resource, grouped
 * (aggregate/aggregate.h; docs/log-format.md, "Actions").  Strings are
 * borrowed for the duration of the emit callback.
 */
struct action {
	const char *kind;	/* "file.read", "net.connect" ... */
	int32_t pid;
	int32_t ppid;		/* process.spawn: the parent */
	const char *exe;	/* the process's executable, or NULL */
	int64_t uid;		/* -1 when unknown */
	const char *resource;	/* path, endpoint or program, or NULL */
	const char *resource2;	/* file.rename: the new path */
	const char *cls;	/* the resource's class name, or NULL */
	const char *end;	/* why it ended: close, exit, window, ... */
	struct rec_ref first, last;
	uint64_t calls;		/* syscalls it covers */
	uint64_t errors;	/* of which failed */
	uint64_t bytes_in, bytes_out;
	int64_t start_sec, end_sec;
	int32_t start_nsec, end_nsec;
	const char *argv;	/* process.spawn: NUL-separated, or NULL */
	uint32_t argv_len;
	const char *detail;	/* extra JSON members (",\"k\":v..."), or NULL */
};

/* Alert severities, in increasing order. */
enum severity {
	SEV_NONE = 0,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
	_SEV_MAX
};

#define ALERT_MAX_EVIDENCE 4

/* An alert: a rule fired.  Strings borrowed for the emit callback. */
struct alert {
	const char *rule;	/* rule id, "cred.access" */
	int severity;		/* enum severity */
	const char *source;	/* "policy", "seccomp"; NULL: a detection
				 * rule of the aggregator */
	const char *action;	/* what was done ("deny", "kill", "log"), or
				 * NULL: nothing */
	bool audit;		/* audit mode: `action` was not enforced */
	const char *summary;	/* one line */
	int32_t pid;
	int32_t tid;		/* 0: not written */
	const char *exe;	/* or NULL */
	int64_t uid;		/* -1 when unknown */
	int64_t ts_sec;		/* of the last evidence record */
	int32_t ts_nsec;
	int nevidence;
	struct rec_ref evidence[ALERT_MAX_EVIDENCE];
	const char *evidence_syscall[ALERT_MAX_EVIDENCE]; /* names */
	const char *syscall;	/* the call an enforcement alert is about */
	const char *args;	/* its decoded arguments (a JSON object) */
};

/* Frees what the event owns (the blob); accepts NULL. */
void call_event_release(struct call_event *ev);

#endif
