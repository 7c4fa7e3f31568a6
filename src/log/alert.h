/*
 * alert.h: the actions and alerts streams (docs/log-format.md, "Actions"
 * and "Alerts"): opening them as chained streams of a run, and turning
 * struct action / struct alert (event.h) into record payloads.
 *
 * Both records refer to the syscall records they stand for with the
 * chain's "refs" member (written first, right after "seq"), so that
 * `capsule verify SYSCALLS ACTIONS ALERTS` checks every reference.
 */
#ifndef CAPSULE_LOG_ALERT_H
#define CAPSULE_LOG_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
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

#endif
