/*
 * policy.h: `capsule run --policy FILE`: a JSON policy file (format in
 * docs/policy.md) parsed with jansson into an ordered list of rules, and
 * the verdict on one call.
 *
 * Rules are tried in file order and the first whose every condition
 * holds decides (like a firewall); no rule: the policy's default.  The
 * policy decides, the tracer enforces: this module reads no tracee
 * memory and does no I/O after loading.  Its input is a struct
 * policy_subject that the caller fills at the syscall-entry stop
 * (policy/subject.h builds one from a captured event).
 *
 * A rule whose only conditions are syscall names and classes is
 * "syscall-level": its verdict is known from (ABI, number) alone, so
 * policy_plan() can hand it to a seccomp filter (policy_seccomp_*),
 * where the kernel enforces it race-free.  Other rules are
 * "argument-level" and are decided at the entry stop.
 */
#ifndef CAPSULE_POLICY_POLICY_H
#define CAPSULE_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "event.h"

enum policy_action {
	PA_NONE = 0,	/* no verdict (no policy) */
	PA_ALLOW,	/* run it, say nothing */
	PA_LOG,		/* run it, raise an alert */
	PA_DENY,	/* do not run it: it fails with the rule's errno */
	PA_KILL,	/* do not run it: the process is killed */
	_PA_MAX
};

enum policy_severity { POL_SEV_LOW = 0, POL_SEV_MEDIUM, POL_SEV_HIGH, POL_SEV_CRITICAL };

/* Rules a policy may have (rule indexes fit the event's 16 bits). */
#define POLICY_RULES_MAX 4096

/* Syscall numbers a policy knows per ABI (higher ones: the default). */
#define POLICY_NR_MAX 1024

/* What a rule looks at; conditions absent from the rule match anything. */
struct policy_subject {
	enum ev_abi abi;
	int nr;			/* -1: a number no table has */
	const char *paths[2];	/* borrowed: absolute, "." and ".."
				 * resolved, NUL-ended; both spellings of
				 * a symlinked path may be given */
	const char *real[2];	/* borrowed: the same with symlinks
				 * resolved, or NULL */
	int npaths;
	bool writes;		/* the call may modify what paths name */
	bool path_unknown;	/* a path could not be read in full */
	const char *exe;	/* borrowed: execve's program, or NULL */
	const char *exe_real;	/* borrowed: the same, symlinks resolved */
	const struct sockaddr *addr; /* borrowed: destination, or NULL */
	size_t addrlen;
	const char *resource;	/* borrowed: resource class of the first
				 * path or the address (enrich/classes.c,
				 * docs/resources.md), or NULL */
};

struct policy_rule;
struct policy;

/* The decision on one call. */
struct policy_verdict {
	uint8_t action;		/* enum policy_action */
	uint8_t severity;	/* enum policy_severity */
	bool audit;		/* audit mode: deny/kill not enforced */
	int err;		/* PA_DENY: positive errno */
	int rule;		/* index of the rule, or -1: the default */
};

/*
 * Loads the policy in `path`.  Returns 0 with *ret set (owned:
 * policy_free()), or -errno with *ret_why describing the first problem
 * found (borrowed, valid until the next call).
 */
int policy_load(const char *path, struct policy **ret, const char **ret_why);
/* The same from a JSON text (unit tests). */
int policy_parse(const char *json, struct policy **ret, const char **ret_why);
void policy_free(struct policy *p);

/* Audit mode (file "mode":"audit", or --policy-mode audit). */
bool policy_audit(const struct policy *p);
void policy_set_audit(struct policy *p, bool audit);

/* Rule count, and rule `i`'s id (the file's "id", or "rule<N>"). */
size_t policy_nrules(const struct policy *p);
const char *policy_rule_id(const struct policy *p, int i);
/* Its "summary", or NULL; its severity (the default's for i == -1). */
const char *policy_rule_summary(const struct policy *p, int i);
int policy_rule_severity(const struct policy *p, int i);
/* Number of rules with a "resources" condition. */
size_t policy_resource_rules(const struct policy *p);

/* What the policy needs to decide on (abi, nr). */
enum policy_plan_kind {
	PLAN_FIXED = 0,	/* the verdict depends on nothing else */
	PLAN_ARGS,	/* an argument-level rule may apply: read memory */
};

/*
 * The plan for (abi, nr): PLAN_FIXED with *ret_v set when the first rule
 * that can match the call is syscall-level (or none can, the default),
 * else PLAN_ARGS.  Precomputed at load: one table look-up.
 */
int policy_plan(const struct policy *p, enum ev_abi abi, int nr,
		struct policy_verdict *ret_v);

/* Whether argument-level rules for (abi, nr) read paths (the TOCTOU
 * defence is needed), addresses or the exec'd program. */
bool policy_reads_memory(const struct policy *p, enum ev_abi abi, int nr);

/* The verdict on `s`: first matching rule, else the default. */
void policy_decide(const struct policy *p, const struct policy_subject *s,
		   struct policy_verdict *ret_v);

/* ---- pieces exposed for unit tests ---- */

/* A network destination pattern; see docs/policy.md ("net"). */
struct net_pattern {
	int family;		/* AF_INET, AF_INET6, AF_UNIX, or 0: any IP */
	uint8_t addr[16];	/* network, in network byte order */
	int prefix;		/* prefix length; -1: any address */
	int port;		/* -1: any port */
	char *unix_glob;	/* owned: AF_UNIX path glob ("@x": abstract) */
};

/* Parses `s` into *np.  Returns 0 or -EINVAL. */
int net_pattern_parse(const char *s, struct net_pattern *np);
void net_pattern_release(struct net_pattern *np);
/* Whether `sa` (as the tracee passed it) matches. */
bool net_pattern_match(const struct net_pattern *np,
		       const struct sockaddr *sa, size_t len);

/* Action and severity names ("deny", "high") to values; -1 if unknown. */
int policy_action_from_string(const char *s);
const char *policy_action_to_string(int a);
int policy_severity_from_string(const char *s);
const char *policy_severity_to_string(int s);

/*
 * Seccomp side of the policy: builds (in capsule, before fork) the BPF
 * program for the syscall-level verdicts of the native ABI and keeps it
 * in the policy.  policy_seccomp_apply() runs in the child before execve:
 * no_new_privs, then the filter.  Both return 0 or -errno; a policy with
 * nothing for the kernel to do (audit, or no syscall-level deny or kill)
 * builds no filter and apply does nothing.
 */
int policy_seccomp_build(struct policy *p);
int policy_seccomp_apply(const struct policy *p);
/* Whether the kernel enforces the fixed verdict on (abi, nr). */
bool policy_seccomp_covers(const struct policy *p, enum ev_abi abi, int nr);

#endif
