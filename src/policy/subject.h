/*
 * subject.h: a struct policy_subject from a call at its syscall-entry
 * stop, on the tracer thread: the paths captured in the event's blob made
 * absolute (relative to the calling thread's cwd or dirfd, read from
 * /proc/<tid>) and lexically normalised, plus the same with symlinks
 * resolved (as realpath(3) would in capsule's view of the file system,
 * but with /proc/self and /proc/thread-self naming the tracee), whether
 * the call may write, the exec'd program and the socket address.
 */
#ifndef CAPSULE_POLICY_SUBJECT_H
#define CAPSULE_POLICY_SUBJECT_H

#include <limits.h>

#include "event.h"
#include "policy/policy.h"

/* Storage the subject's strings point into. */
struct subject_buf {
	char path[2][PATH_MAX];
	char real[2][PATH_MAX];
};

/*
 * Fills *s from `ev` (captured at its entry stop by decode_capture());
 * the strings borrow from *b and ev.  Arguments are read and paths
 * resolved only when `resolve_args` (the policy has argument-level rules
 * for this call); otherwise only the ABI and number are set.
 */
void policy_subject_fill(struct policy_subject *s, struct subject_buf *b,
			 const struct call_event *ev, bool resolve_args);

/*
 * Lexically normalises `in` (len bytes, absolute or relative to `base`)
 * into out[size]: no "." or ".." components, no repeated or trailing '/'.
 * Returns 0, or -ENAMETOOLONG.
 */
int policy_path_join(const char *base, const char *in, size_t len,
		     char *out, size_t size);

#endif
