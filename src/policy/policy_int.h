/*
 * policy_int.h: the insides of struct policy, shared by policy.c,
 * seccomp.c and subject.c only.
 */
#ifndef CAPSULE_POLICY_POLICY_INT_H
#define CAPSULE_POLICY_POLICY_INT_H

#include <linux/filter.h>

#include "policy/policy.h"

enum { ACC_ANY = 0, ACC_READ, ACC_WRITE };

struct policy_rule {
	char *id;		/* owned */
	char *summary;		/* owned, or NULL */
	int index;		/* position in the file */
	uint8_t action;		/* enum policy_action */
	uint8_t severity;
	int err;		/* PA_DENY */
	bool arg_level;		/* has conditions beyond syscalls/classes */
	bool has_sys;		/* "syscalls" given: sys[] applies */
	uint64_t sys[_ABI_MAX][POLICY_NR_MAX / 64];
	unsigned classes;	/* CL_* bits; 0: any */
	char **paths;		/* owned: globs */
	size_t npaths;
	int access;		/* ACC_* */
	struct net_pattern *net; /* owned */
	size_t nnet;
	char **exec;		/* owned: globs */
	size_t nexec;
	char **resources;	/* owned: class names */
	size_t nresources;
};

/* What is known of (abi, nr) before its arguments are read. */
struct plan {
	uint8_t kind;		/* enum policy_plan_kind */
	bool reads;		/* PLAN_ARGS: memory is read */
	int16_t rule;		/* PLAN_FIXED: the deciding rule, or -1 */
};

struct policy {
	struct policy_rule *rules; /* owned */
	size_t nrules;
	struct policy_verdict dflt;
	bool audit;
	size_t resource_rules;
	struct plan plan[_ABI_MAX][POLICY_NR_MAX];
	struct sock_filter *bpf; /* owned: policy_seccomp_build() */
	unsigned short bpf_len;
	bool covered[POLICY_NR_MAX]; /* native ABI: the filter enforces */
};

/* Whether call (abi, nr) may modify a file it names (not open flags). */
bool policy_call_modifies(enum ev_abi abi, int nr);

#endif
