/*
 * alert.h: alert records, the payload of the "alerts" stream
 * (docs/log-format.md, "Alert records").  Any producer of alerts (the
 * policy today, the aggregator's rules later) fills a struct alert; the
 * chain (log/chain.h) frames the line.
 *
 *	{"type":"alert","stream":"alerts","seq":N,"prev":"…",
 *	 "refs":[["syscalls",12,"…"]],"ts":"…","rule":"no-ssh-keys",
 *	 "severity":"high","source":"policy","action":"deny",
 *	 "summary":"…","pid":1,"tid":1,"evidence":[…],"hash":"…"}
 */
#ifndef CAPSULE_LOG_ALERT_H
#define CAPSULE_LOG_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/blake3.h"
#include "lib/buf.h"

#define ALERT_MAX_REFS 4

/* A record of another stream that the alert rests on. */
struct alert_ref {
	const char *stream;		/* borrowed: "syscalls", ... */
	uint64_t seq;
	uint8_t hash[BLAKE3_OUT_LEN];
};

struct alert {
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
	struct alert_ref refs[ALERT_MAX_REFS];
	size_t nrefs;
};

/*
 * Appends the payload of alert `a`, from ,"refs": on (refs first, where
 * the chain format wants them, so verify checks the evidence).
 */
void record_alert(struct buf *out, const struct alert *a);

#endif
