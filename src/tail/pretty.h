/*
 * pretty.h: one log record as one terminal line, for `capsule tail`.
 *
 * Pure functions: a line (and its parsed record) in, text out.  Syscall
 * records read like strace -f -tt -T:
 *
 *   12:00:00.123456 1234 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3 <0.000015>
 *
 * built from the record's "args" object (arguments in order, strings
 * quoted, flags bare, structures as {name=value, ...}); the time is the
 * record's UTC "ts".  A genesis record becomes a run header, a seal a short
 * dim line (non-final seals only when verbose), an alert a line coloured by
 * severity; any other type is shown generically as its fields.  A line
 * that is not a JSON object is shown raw after a "[malformed]" marker.
 * Every byte that reaches the terminal from the log is escaped when it is
 * a control character, so a hostile log cannot drive the terminal.
 */
#ifndef CAPSULE_TAIL_PRETTY_H
#define CAPSULE_TAIL_PRETTY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/buf.h"

struct pretty_opts {
	bool color;	/* ANSI colours */
	bool verbose;	/* every seal; alert evidence; chain fields */
};

/*
 * Appends the rendering of `line` (len bytes, no '\n') to `out`, with a
 * final '\n'.  `rec` is the line parsed, or NULL when it is not a JSON
 * object.  Returns 1, or 0 when the record is hidden (a non-final seal
 * without verbose) and nothing was appended.
 */
int pretty_record(const struct pretty_opts *o, const json_t *rec,
		  const char *line, size_t len, struct buf *out);

/* The same for a line not yet parsed (tests; tail parses once itself). */
int pretty_line(const struct pretty_opts *o, const char *line, size_t len,
		struct buf *out);

/*
 * Parses a log line: the JSON object, or NULL when the line is not one.
 * The caller owns the result (json_decref).
 */
json_t *pretty_parse(const char *line, size_t len);

#endif
