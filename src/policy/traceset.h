/*
 * traceset.h: `capsule run --trace CLASSES`: which system calls stop the
 * tracee, as a seccomp filter that returns SECCOMP_RET_TRACE for them and
 * lets every other call run without a ptrace stop.
 *
 * Classes (documented in docs/tracing-classes.md):
 *   file desc network process creds ipc memory signal time system sched
 *   misc, the preset `security` (file, network, process, creds, system,
 *   the sandboxing calls, and mmap/mprotect/pkey_mprotect with PROT_EXEC,
 *   memfd_create; but not the queries no alert rule looks at: stat,
 *   access, readlink, getcwd, get*id, uname ...), and `all` (the
 *   default: no filter, every call stops).
 * Whatever the classes, capsule keeps: the process life cycle (fork,
 * clone, clone3, vfork, execve, execveat, exit, exit_group: capsule needs
 * their stops to follow tasks and to keep CLONE_UNTRACED out), and every
 * call made through the i386 or x32 ABIs from the x86_64 process (rare,
 * and suspect); and, with `affinity`, sched_getaffinity and
 * sched_setaffinity (rare: CPU placement corrects them, trace/placement.h).
 */
#ifndef CAPSULE_POLICY_TRACESET_H
#define CAPSULE_POLICY_TRACESET_H

#include <linux/filter.h>
#include <stdbool.h>

struct traceset {
	unsigned classes;		/* CL_* bits; 0 means all */
	unsigned query_classes;		/* classes whose queries stop too */
	bool exec_mem;			/* mmap/mprotect with PROT_EXEC */
	bool affinity;			/* sched_{get,set}affinity stop */
	struct sock_filter *prog;	/* owned: the filter, NULL for all */
	unsigned short len;
};

/*
 * Parses a comma-separated class list into *ts (not yet built).
 * Returns 0, or -EINVAL with *ret_bad naming the unknown word (borrowed:
 * valid until the next call).
 */
int traceset_parse(struct traceset *ts, const char *spec,
		   const char **ret_bad);

/* Builds the BPF filter for ts.  Returns 0 or -errno. */
int traceset_build(struct traceset *ts);

/* Loads the filter in the child (child_setup).  Returns 0 or -errno. */
int traceset_apply(const struct traceset *ts);

void traceset_release(struct traceset *ts);

#endif
