/*
 * rules.h: the built-in detection rules (docs/rules.md) and what a user
 * may change about them (--rules FILE, --allow-net).
 *
 * The rules are one static const table in rules.c, each row an id, a
 * severity, the operation it looks at and a predicate over a struct
 * rule_input that the aggregator fills for every call and process
 * change.  The table knows no state: what needs memory across calls
 * (a secret read earlier, the ABI of earlier calls, the credentials
 * before a change) is computed by aggregate.c and handed in.
 */
#ifndef CAPSULE_AGGREGATE_RULES_H
#define CAPSULE_AGGREGATE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "lib/buf.h"

/* What the aggregator made of a call (set by aggregate.c's op table). */
enum agg_op {
	AOP_NONE = 0,
	AOP_OPEN,	/* open, openat, openat2, creat */
	AOP_OPEN_HANDLE, /* open_by_handle_at */
	AOP_CLOSE,
	AOP_DUP,	/* dup, dup2, dup3, fcntl F_DUPFD* */
	AOP_READ,	/* read, pread64, readv, recvfrom, recvmsg ... */
	AOP_WRITE,	/* write, pwrite64, writev, sendto, sendmsg ... */
	AOP_GETDENTS,
	AOP_CONNECT,
	AOP_ACCEPT,
	AOP_LISTEN,
	AOP_UNLINK,	/* unlink, unlinkat, rmdir */
	AOP_RENAME,
	AOP_CREATE,	/* mkdir, mknod, link, symlink (+at) */
	AOP_CHMOD,
	AOP_CHOWN,
	AOP_EXEC,
	AOP_CRED,	/* set*id, setgroups, capset */
	AOP_UNSHARE,
	AOP_SETNS,
	AOP_CLONE,	/* clone (flags in arg 0) */
	AOP_MMAP,
	AOP_MPROTECT,
	AOP_MODULE,	/* init_module, finit_module, delete_module */
	AOP_PTRACE,
	AOP_PRCTL,
	AOP_MOUNT,	/* mount, umount2, pivot_root, fsmount ... */
	AOP_KEXEC,
	AOP_BPF,
	_AOP_MAX
};

/*
 * One evaluation: a call (view != NULL) or a process change (view NULL,
 * `proc_change` set).  Borrowed, valid for the call of rules_eval().
 */
struct rule_input {
	const struct call_event *ev;	/* the call or the process event */
	const struct call_view *view;	/* the call's, or NULL */
	int op;				/* enum agg_op */
	const char *name;		/* the syscall's name, or NULL */
	bool write;			/* AOP_OPEN: for writing or creating */
	/* process changes (after exec or a credential change) */
	bool proc_change;
	bool exec;			/* the change is an exec */
	const char *exe;		/* the process's executable now */
	int64_t old_uid, old_euid, uid, euid; /* -1 unknown */
	uint64_t old_caps, caps;	/* effective capabilities */
	bool compat_abi;	/* an i386/x32 call after x86_64 ones since exec */
	bool secret_recent;	/* credentials read within the window */
};

/* A rule that fired: index into the table, and the summary in `summary`. */
struct rule_hit {
	int rule;
	bool with_secret;	/* exfiltration: the secret read is evidence */
};

#define RULES_MAX_HITS 4

struct net_allow {
	uint8_t addr[16];	/* network byte order; v4 in the first 4 */
	int family;		/* 4 or 6 */
	int prefix;		/* bits */
	int port;		/* -1: any */
};

/* What the user changed: --rules FILE and --allow-net. */
struct rules {
	bool *disabled;		/* owned: per table row */
	int *severity;		/* owned: per row, enum severity */
	struct net_allow *nets;	/* owned */
	size_t nnets;
	char **paths;		/* owned: globs exempt from path rules */
	size_t npaths;
};

/* Number of rows in the table; row i's id and default severity. */
size_t rules_count(void);
const char *rule_id(size_t i);
const char *rule_description(size_t i);
/* The rule index of `id`, or -1. */
int rule_find(const char *id);

/* Severity names (enum severity); SEV_NONE reads "none". */
const char *severity_name(int sev);
/* enum severity of `name`, or -1. */
int severity_from_name(const char *name);

/* Defaults: every rule on, no allow-list. */
void rules_init(struct rules *rs);
void rules_release(struct rules *rs);

/*
 * Adds an --allow-net entry: "CIDR" or "CIDR:PORT" for IPv4, "[CIDR]" or
 * "[CIDR]:PORT" for IPv6 (a bare address is a /32 or /128).  Returns 0
 * or -EINVAL.
 */
int rules_allow_net(struct rules *rs, const char *spec);
/*
 * Loads a rules file (JSON, docs/rules.md): {"disable":[ids],
 * "severity":{id:sev}, "allow_net":[specs], "allow_paths":[globs]}.
 * Returns 0, or -errno / -EINVAL with a short reason in `why`.
 */
int rules_load(struct rules *rs, const char *file, struct buf *why);

/* The severity of row i as configured; SEV_NONE when disabled. */
int rules_severity(const struct rules *rs, size_t i);

/*
 * Evaluates every enabled rule on `in`; stores up to RULES_MAX_HITS hits
 * in `hits` and their summaries, NUL-separated, in `summaries` (reset
 * first).  Returns the number of hits.
 */
int rules_eval(const struct rules *rs, const struct rule_input *in,
	       struct rule_hit *hits, struct buf *summaries);

/* Whether endpoint text "a.b.c.d:port" / "[v6]:port" is allowed egress. */
bool rules_net_allowed(const struct rules *rs, const char *endpoint);

#endif
