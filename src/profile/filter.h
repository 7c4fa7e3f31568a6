/*
 * filter.h: a seccomp profile (the OCI JSON `capsule profile` writes, or
 * any Docker/Podman/OCI profile) turned into a kernel filter, for
 * `capsule run --seccomp`.
 *
 * seccomp_filter_load() parses the profile with jansson and builds the
 * filter with libseccomp in capsule's own process, then exports it as
 * classic BPF, so that the child only has to make two prctl() calls:
 * nothing is allocated between fork and execve.  The filter also keeps a
 * table of what it does to each (ABI, number), so that the pipeline can
 * mark the log records of the calls it denied (see docs/seccomp.md for
 * the rules, and for what is only approximated: calls with argument
 * conditions).
 */
#ifndef CAPSULE_PROFILE_FILTER_H
#define CAPSULE_PROFILE_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

struct seccomp_filter;

/*
 * Builds the filter of the profile at `path` (a profile, or an OCI
 * config.json whose linux.seccomp holds one).  Returns 0 with *ret set
 * (owned: seccomp_filter_free()), or -errno with *ret_why describing what
 * is wrong in the file (borrowed; valid until the next call).
 */
int seccomp_filter_load(const char *path, struct seccomp_filter **ret,
			const char **ret_why);

/*
 * Runs in the child before execve: sets no_new_privs (so no set-uid
 * program can run with the filter's restrictions against it) and loads
 * the filter.  Async-signal-safe.  Returns 0 or -errno.
 */
int seccomp_filter_apply(const struct seccomp_filter *f);

/*
 * Whether the filter made this call fail: it returned the errno the
 * filter gives this (ABI, number), or was killed where the filter kills.
 */
bool seccomp_filter_denied(const struct seccomp_filter *f,
			   const struct call_event *ev);

struct sock_filter;

/*
 * Shared with policy/seccomp.c: exports the libseccomp filter `ctx` (a
 * scmp_filter_ctx) as classic BPF through a memfd.  Returns 0 with *ret
 * (owned: free()) and *ret_len instructions, or -errno.
 */
int seccomp_export_prog(void *ctx, struct sock_filter **ret,
			unsigned short *ret_len);
/*
 * Sets no_new_privs and loads `len` BPF instructions as a seccomp filter
 * of the calling process.  Async-signal-safe.  Returns 0 or -errno.
 */
int seccomp_prog_apply(const struct sock_filter *prog, unsigned short len);

/* Names skipped because no architecture of the profile has them. */
unsigned seccomp_filter_unknown_names(const struct seccomp_filter *f);

/* Rules left out because they carry Docker "includes" conditions. */
unsigned seccomp_filter_skipped_rules(const struct seccomp_filter *f);

/* Frees the filter; accepts NULL. */
void seccomp_filter_free(struct seccomp_filter *f);

#endif
