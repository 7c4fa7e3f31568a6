/*
 * profile.h: syscall logs to an OCI seccomp profile, and profiles or logs
 * back to a syscall set (for `capsule profile --diff`).
 *
 * The profile is the JSON object that goes under `linux.seccomp` of an
 * OCI runtime config (crun, runc) and that Docker and Podman take with
 * `--security-opt seccomp=FILE`: defaultAction, defaultErrnoRet,
 * architectures and syscalls[] with names, action, errnoRet, args and
 * comment.  Choices and defaults are explained in docs/seccomp.md.
 *
 * Nothing here prints: failures are -errno, and what was skipped is
 * counted in struct profile_stats for the caller to report.
 */
#ifndef CAPSULE_PROFILE_PROFILE_H
#define CAPSULE_PROFILE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/sysset.h"

struct profile_opts {
	int default_errno;	/* defaultErrnoRet (positive errno) */
	bool runtime;		/* add what an OCI runtime needs after loading */
	bool arg_filters;	/* narrow calls the logs prove narrow */
};

#define PROFILE_OPTS_INIT { .default_errno = 1 /* EPERM */ }

/* What reading logs met besides syscall records. */
struct profile_stats {
	uint64_t lines;		/* lines read */
	uint64_t records;	/* syscall records taken */
	uint64_t bad;		/* lines that were not a JSON object, or a
				 * syscall record without abi or name */
	uint64_t unnamed;	/* records of syscall_<nr>: no name to allow */
	uint64_t foreign_abi;	/* records of an ABI capsule does not know */
	uint64_t too_long;	/* lines over LOG_READER_MAX_LINE */
};

/*
 * Takes one log line (`len` bytes, no '\n').  Returns 1 when it was a
 * syscall record now in `s`, 0 when it was ignored (another record type,
 * an unnamed number, a foreign ABI, an empty line), -EINVAL when it could
 * not be parsed.  Counted in `st` in every case.
 */
int profile_feed_line(struct sysset *s, const char *line, size_t len,
		      struct profile_stats *st);

/* Feeds every line of the log at `path` ("-": stdin).  0 or -errno. */
int profile_read_log(struct sysset *s, const char *path,
		     struct profile_stats *st);

/*
 * Builds the profile for the calls in `s` as indented JSON text, names
 * sorted, so equal inputs give equal bytes.  *ret_json is owned by the
 * caller (free()).  Returns 0, -ENODATA when `s` has no ABI at all, or
 * -ENOMEM.
 */
int profile_generate(const struct sysset *s, const struct profile_opts *o,
		     char **ret_json);

/*
 * Loads `path` into `s`, guessing what it is from its first JSON value: a
 * capsule log (its first record has "type"), a seccomp profile
 * ("defaultAction" or "syscalls"), or an OCI config.json holding one under
 * linux.seccomp.  A profile contributes the names its rules allow
 * (SCMP_ACT_ALLOW, SCMP_ACT_LOG), on each of its architectures where the
 * name exists.  Returns 0, -EINVAL with *ret_why set when the file is
 * neither, or -errno.
 */
int profile_load_any(const char *path, struct sysset *s,
		     struct profile_stats *st, const char **ret_why);

/* The errno number of `name` ("EPERM") or of a decimal number; -EINVAL. */
int profile_errno_parse(const char *name);

#endif
