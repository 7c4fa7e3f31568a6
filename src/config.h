/*
 * config.h: the run's configuration.
 *
 * `capsule_cfg` is the one global: main() fills it from the command line
 * before any thread starts; afterwards it is read-only.
 */
#ifndef CAPSULE_CONFIG_H
#define CAPSULE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define CAPSULE_VERSION "0.1.0"
#define CAPSULE_DEFAULT_LOG "/tmp/capsule_syscalls.log"
#define CAPSULE_DEFAULT_ACTIONS "/tmp/capsule_actions.log"
#define CAPSULE_DEFAULT_ALERTS "/tmp/capsule_alerts.log"
#define CAPSULE_ACTION_WINDOW_NS 1000000000u
#define CAPSULE_SEAL_EVERY 1024
#define CAPSULE_SEAL_INTERVAL_NS 1000000000u

/* Exit codes of capsule itself (documented in README.md). */
enum capsule_exit {
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ALERT = 122,	/* run --fail-on: an alert at that severity */
	EXIT_LOG = 123,		/* the log cannot be opened or written */
	EXIT_PTRACE = 124,	/* tracing is not possible here */
	EXIT_INTERNAL = 125,	/* any other failure of capsule itself */
	EXIT_NOEXEC = 126,	/* the command exists but cannot be run */
	EXIT_NOTFOUND = 127,	/* the command was not found */
};

struct capsule_config {
	const char *output;	/* syscall log path, "-" for stdout */
	bool quiet;		/* -q: no capsule: messages on stderr */
	/* decoding (issue 3) */
	unsigned strsize;	/* -s N: bytes of data strings shown */
	unsigned data;		/* --data N: bytes of read/write buffers
				 * recorded; 0: none */
	bool env_values;	/* --env-values: execve environment values */
	bool format_text;	/* --format text: strace-like lines */
	const char *seal_key;	/* --seal-key: key file, or NULL */
	uint64_t seal_every;	/* --seal-every: records per seal */
	uint64_t seal_interval_ns; /* --seal-interval: time between seals */
	/* aggregation (issue 6) */
	const char *actions_output; /* --actions-output FILE */
	const char *alerts_output;  /* --alerts-output FILE */
	uint64_t action_window_ns;  /* --action-window SEC */
	const char *rules_file;	    /* --rules FILE, or NULL */
	bool summary;		    /* --summary: the per-syscall table */
	int fail_on;		    /* --fail-on: enum severity; 0: off */
};

#define CAPSULE_DEFAULT_STRSIZE 32

extern struct capsule_config capsule_cfg;

#endif
