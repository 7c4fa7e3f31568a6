/*
 * alert.h: the actions and alerts streams (docs/log-format.md, "Actions"
 * and "Alerts"): opening them as chained streams of a run, and turning
 * struct action / struct alert (event.h) into record payloads.
 *
 * The policy's alerts (struct policy_alert) share the alerts stream.
 * Both records refer to the syscall records they stand for with the
 * chain's "refs" member (written first, right after "prev"), so that
 * `capsule verify SYSCALLS ACTIONS ALERTS` checks every reference.
 */
#ifndef CAPSULE_LOG_ALERT_H
#define CAPSULE_LOG_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "lib/blake3.h"
#include "lib/buf.h"
#include "log/chain.h"
#include "log/writer.h"

#define ACTIONS_STREAM "actions"
#define ALERTS_STREAM "alerts"

/*
 * Opens `path` as stream `name` of `cl` (before chain_log_genesis()).
 * Returns the stream's index, or -errno with *ret_why set.
 */
int alert_stream_open(struct chain_log *cl, struct log_stream *out,
		      const char *name, const char *path,
		      const char **ret_why);

/*
 * Appends ,"refs":[...] and the payload of action `a`; `ref_stream` names
 * the stream of a->first and a->last (the syscall stream).  The caller
 * brackets it with chain_log_begin(.., "action") and chain_log_end().
 */
void record_action(struct buf *out, const struct action *a,
		   const char *ref_stream);

/* The same for alert `al` (chain_log_begin(.., "alert")). */
void record_alert(struct buf *out, const struct alert *al,
		  const char *ref_stream);

/*
 * Alerts of the policy engine and of --seccomp (docs/policy.md): the same
 * record type in the same stream, with "source" and "action" members.
 */
#define POLICY_ALERT_MAX_REFS 4

/* A record of another stream that the alert rests on. */
struct alert_ref {
	const char *stream;		/* borrowed: "syscalls", ... */
	uint64_t seq;
	uint8_t hash[BLAKE3_OUT_LEN];
};

struct policy_alert {
	const char *rule;	/* borrowed: rule id */
	const char *severity;	/* borrowed: low, medium, high, critical */
	const char *source;	/* borrowed: "policy", "seccomp", ... */
	const char *action;	/* borrowed: what was done: "deny", "kill",
				 * "log"; NULL: nothing */
	bool audit;		/* audit mode: `action` was not enforced */
	const char *summary;	/* borrowed: one line */
	int64_t ts_sec;		/* when it happened (CLOCK_REALTIME) */
	long ts_nsec;
	int32_t pid, tid;	/* the process and thread */
	const char *syscall;	/* borrowed: the call's name, or NULL */
	const char *args;	/* borrowed: its decoded arguments as a JSON
				 * object, or NULL */
	struct alert_ref refs[POLICY_ALERT_MAX_REFS];
	size_t nrefs;
};

/*
 * Appends the payload of a policy or seccomp alert `a`, from ,"refs": on (refs first, where
 * the chain format wants them, so verify checks the evidence).
 */
void record_policy_alert(struct buf *out, const struct policy_alert *a);

#endif
