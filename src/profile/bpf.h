/*
 * bpf.h: a libseccomp filter turned into classic BPF in capsule's process,
 * and loaded in the child between fork and execve.
 *
 * Building the filter (allocation, libseccomp) happens before fork; the
 * child only makes prctl() calls, which are async-signal-safe.
 */
#ifndef CAPSULE_PROFILE_BPF_H
#define CAPSULE_PROFILE_BPF_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>

/*
 * Exports `ctx` as BPF.  Returns 0 with *ret_prog (owned: free()) and
 * *ret_len set, or -errno.
 */
int bpf_export(scmp_filter_ctx ctx, struct sock_filter **ret_prog,
	       unsigned short *ret_len);

/*
 * Loads a BPF filter into the calling process.  With `force_nnp`, or
 * when the process lacks CAP_SYS_ADMIN, PR_SET_NO_NEW_PRIVS is set first
 * (the kernel demands one or the other).  Async-signal-safe.  Returns 0 or
 * -errno.
 */
int bpf_apply(const struct sock_filter *prog, unsigned short len,
	      bool force_nnp);

#endif
