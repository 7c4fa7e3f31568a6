/*
 * args.h: decoding a completed call (event + blob) into its arguments, on
 * the pipeline thread.  One printer per argument kind (kinds.h); the
 * encodings are documented in docs/log-format.md, section "args".
 */
#ifndef CAPSULE_DECODE_ARGS_H
#define CAPSULE_DECODE_ARGS_H

#include "event.h"
#include "lib/buf.h"

/*
 * Appends the arguments of `ev`:
 *  - text == 0: a JSON object keyed by argument name, e.g.
 *    {"dirfd":"AT_FDCWD","pathname":"/etc/passwd","flags":"O_RDONLY"};
 *    `{}` for a call the tables have no row for (see "raw").
 *  - text == 1: the strace-like argument list without parentheses,
 *    e.g. AT_FDCWD, "/etc/passwd", O_RDONLY; raw hex values for a call
 *    with no row.
 */
void decode_args(struct buf *out, const struct call_event *ev, int text);

/*
 * Appends the return value as the text format shows it: a number, an
 * address in hex for calls returning one (mmap, brk ...), or
 * "-1 ENOENT (No such file or directory)"; "?" when unfinished.
 */
void decode_ret_text(struct buf *out, const struct call_event *ev);

/*
 * For other pipeline stages (enrich/): the bytes captured for argument
 * `i` of `ev`: a path or string without its NUL, or a structure read at
 * entry or exit (sockaddr, int[2] of pipe ...).  Returns 1 with
 * *ret_data (borrowed from ev->blob, valid until call_event_release()),
 * *ret_len and *ret_trunc set; 0 when nothing was captured or the read
 * failed.
 */
int decode_arg_bytes(const struct call_event *ev, int i,
		     const unsigned char **ret_data, size_t *ret_len,
		     int *ret_trunc);

#endif
