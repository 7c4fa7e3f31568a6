/*
 * capture.h: the tracer's capture hook (a trace_capture_fn): copies what
 * the syscall table says from the stopped tracee's memory into
 * call_event.blob (format in blob.h), bounded by the options below and by
 * blob.h's limits, never sized by tracee data.  Runs on the tracer thread
 * at every recorded entry and exit stop, so it is kept cheap: no
 * allocation for calls without memory arguments, one malloc (entry) or
 * realloc (exit) for the others, strings of one list read a page window
 * at a time.
 */
#ifndef CAPSULE_DECODE_CAPTURE_H
#define CAPSULE_DECODE_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "lib/buf.h"
#include "trace/mem.h"

struct capture_opts {
	unsigned strsize;	/* -s N: bytes of data strings (default 32) */
	unsigned data;		/* --data N: bytes of read/write buffers
				 * recorded; 0: none (the default) */
	bool env_values;	/* --env-values: envp with values, not names */
};

#define CAPTURE_OPTS_INIT { 32, 0, false }

/* Window of tracee memory for list strings; valid during one call. */
#define CAP_WIN 8192

struct capture {
	struct capture_opts opts;
	struct buf scratch;	/* owned: the records of the current stop */
	uint64_t win_base;	/* tracee address of win[0] */
	size_t win_len;		/* bytes valid in win; 0: empty */
	char win[CAP_WIN];
};

void capture_init(struct capture *c, const struct capture_opts *opts);
/* Frees what `c` owns; accepts NULL. */
void capture_release(struct capture *c);

/* The trace_capture_fn; `ctx` is a struct capture *. */
void decode_capture(void *ctx, struct call_event *ev,
		    const struct mem_reader *mem, int at_exit);

#endif
