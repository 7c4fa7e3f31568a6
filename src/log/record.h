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
 * "stream":..,"seq":..,"prev":.. before them and the hash and closing
 * brace after.
 */
void record_syscall(struct buf *out, const struct call_event *ev);

#endif
