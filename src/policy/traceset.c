/*
 * traceset.c: the `--trace CLASSES` seccomp filter (see traceset.h).
 */
#include "policy/traceset.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "decode/kinds.h"
#include "decode/syscalls.h"
#include "profile/bpf.h"

#define NR_SCAN 1024 /* highest syscall number looked at, per ABI */
#define CL_ALL 0x1fff  /* every CL_* bit of decode/kinds.h */

struct class_name {
	const char *name;
	unsigned bits;
	bool exec_mem;
	bool queries;	/* the classes' queries (is_query()) stop too */
};

/* One row per word --trace accepts. */
static const struct class_name class_names[] = {
	{ "file", CL_FILE, false, true },
	{ "desc", CL_DESC, false, true },
	{ "network", CL_NET, false, true },
	{ "process", CL_PROCESS, false, true },
	{ "creds", CL_CREDS, false, true },
	{ "ipc", CL_IPC, false, true },
	{ "memory", CL_MEMORY, false, true },
	{ "signal", CL_SIGNAL, false, true },
	{ "time", CL_TIME, false, true },
	{ "system", CL_SYSTEM, false, true },
	{ "sched", CL_SCHED, false, true },
	{ "misc", CL_MISC, false, true },
	/* the preset the alerts need: what touches files, the network,
	 * processes, credentials, the system and sandboxing, plus
	 * executable memory, but not the queries no rule looks at */
	{ "security",
	  CL_FILE | CL_NET | CL_PROCESS | CL_CREDS | CL_SYSTEM | CL_SECURITY,
	  true, false },
	{ "all", CL_ALL, false, true },
};

int traceset_parse(struct traceset *ts, const char *spec,
		   const char **ret_bad)
{
	static char bad[64];
	const char *p = spec, *end;
	size_t i, n;

	memset(ts, 0, sizeof(*ts));
	*ret_bad = NULL;
	for (;; p = end + 1) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]);
		     i++)
			if (strlen(class_names[i].name) == n &&
			    strncmp(class_names[i].name, p, n) == 0)
				break;
		if (i == sizeof(class_names) / sizeof(class_names[0])) {
			snprintf(bad, sizeof(bad), "%.*s", (int)(n < 40 ? n : 40),
				 p);
			*ret_bad = bad;
			return -EINVAL;
		}
		ts->classes |= class_names[i].bits;
		ts->exec_mem |= class_names[i].exec_mem;
		if (class_names[i].queries)
			ts->query_classes |= class_names[i].bits;
		if (*end == '\0')
			break;
	}
	if (ts->classes == CL_ALL)
		ts->classes = 0; /* all: no filter */
	return 0;
}

/* Is `name` one of the n names of `list`? */
static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

#define IN_LIST(name, list) in_list(name, list, sizeof(list) / sizeof(list[0]))

/* The life-cycle calls capsule always needs to see. */
static bool is_life_cycle(const char *name)
{
	static const char *const life[] = {
		"fork", "vfork", "clone", "clone3", "execve", "execveat",
		"exit", "exit_group",
	};

	return IN_LIST(name, life);
}

/* The calls CPU placement corrects (trace/placement.h). */
static bool is_affinity(const char *name)
{
	static const char *const affinity[] = {
		"sched_getaffinity", "sched_setaffinity",
	};

	return IN_LIST(name, affinity);
}

/*
 * Queries: calls that only read state (file metadata, the cwd, ids,
 * system information) and change nothing.  No alert rule looks at them
 * (docs/rules.md), so the security preset lets them run without a stop;
 * naming their class (`file` ...) brings them back.  readlink alone is
 * two thirds of the stops of a C build (gcc resolving paths).
 */
static bool is_query(const char *name)
{
	static const char *const queries[] = {
		/* file metadata and the cwd */
		"stat", "lstat", "newfstatat", "statx", "statfs", "ustat",
		"access", "faccessat", "faccessat2", "readlink", "readlinkat",
		"getcwd", "getxattr", "lgetxattr", "listxattr", "llistxattr",
		/* process and credential ids */
		"getpid", "getppid", "gettid", "getpgrp", "getpgid", "getsid",
		"getuid", "geteuid", "getgid", "getegid", "getresuid",
		"getresgid", "getgroups", "capget",
		/* the system */
		"uname", "sysinfo",
	};

	return IN_LIST(name, queries);
}

/* Whether x86_64 call d stops because of its classes. */
static bool stops_by_class(const struct traceset *ts,
			   const struct syscall_desc *d)
{
	if (!(d->class & ts->classes))
		return false;
	return !is_query(d->name) || (d->class & ts->query_classes) != 0;
}

static int add_x86_64(scmp_filter_ctx ctx, const struct traceset *ts)
{
	const struct syscall_desc *d;
	int nr, r;

	for (nr = 0; nr < NR_SCAN; nr++) {
		d = syscall_desc(ABI_X86_64, nr);
		if (d == NULL || d->name == NULL)
			continue;
		if (!stops_by_class(ts, d) && !is_life_cycle(d->name) &&
		    !(ts->affinity && is_affinity(d->name))) {
			if (!ts->exec_mem)
				continue;
			/* executable memory only: look at the prot flags */
			if (strcmp(d->name, "mprotect") == 0 ||
			    strcmp(d->name, "pkey_mprotect") == 0 ||
			    strcmp(d->name, "mmap") == 0) {
				r = seccomp_rule_add_exact(
					ctx, SCMP_ACT_TRACE(0), nr, 1,
					SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC,
						PROT_EXEC));
				if (r < 0)
					return r;
			} else if (strcmp(d->name, "memfd_create") == 0) {
				r = seccomp_rule_add_exact(
					ctx, SCMP_ACT_TRACE(0), nr, 0);
				if (r < 0)
					return r;
			}
			continue;
		}
		r = seccomp_rule_add_exact(ctx, SCMP_ACT_TRACE(0), nr, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

int traceset_build(struct traceset *ts)
{
	scmp_filter_ctx ctx;
	int r;

	if (ts->classes == 0)
		return 0; /* all: every call stops anyway */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL)
		return -ENOMEM;
	/*
	 * The filter knows only the native x86_64 table: any call of
	 * another ABI (int 0x80, or the x32 bit) is a "bad arch" for it,
	 * and every such call stops.
	 */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(0));
	if (r == 0)
		r = add_x86_64(ctx, ts);
	if (r == 0)
		r = bpf_export(ctx, &ts->prog, &ts->len);
	seccomp_release(ctx);
	return r;
}

int traceset_apply(const struct traceset *ts)
{
	if (ts->prog == NULL)
		return 0;
	return bpf_apply(ts->prog, ts->len, false);
}

void traceset_release(struct traceset *ts)
{
	if (ts == NULL)
		return;
	free(ts->prog);
	ts->prog = NULL;
}
