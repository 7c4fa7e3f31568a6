/*
 * record.h: turns pipeline events into log lines (JSON objects, one per
 * line).  The field set is documented in docs/log-format.md; fields are
 * only ever added, never renamed.
 */
#ifndef CAPSULE_LOG_RECORD_H
#define CAPSULE_LOG_RECORD_H

#include <stdint.h>

#include "event.h"
#include "lib/buf.h"

/*
 * Appends the payload members of syscall event `ev`, from ,"ts": on:
 * the chain (log/chain.h) writes the opening {"type":"syscall",
 * "stream":..,"seq":.. before them and the prev, hash and closing brace
 * after.
 */
void record_syscall(struct buf *out, const struct call_event *ev);

/* Appends the strace-like text line of `ev` (--format text), e.g.
 * `1234 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`, with '\n'. */
void record_syscall_text(struct buf *out, const struct call_event *ev);

#endif
