/*
 * entry.h: the arguments a policy looks at, read back from the capture
 * blob of a call at its syscall-entry stop (on the tracer thread, before
 * the call runs): its paths with the directory fd each is relative to,
 * its socket address, its open flags.  Nothing is copied: the view
 * borrows from the event.
 */
#ifndef CAPSULE_DECODE_ENTRY_H
#define CAPSULE_DECODE_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

#define ENTRY_MAX_PATHS 2

struct entry_path {
	const char *s;		/* borrowed from ev->blob; not NUL-ended */
	uint32_t len;
	bool truncated;		/* longer than PATH_MAX, or unreadable tail */
	bool fault;		/* the path could not be read at all */
	int64_t dirfd;		/* the fd it is relative to, or AT_FDCWD */
	int arg;		/* argument index */
};

struct entry_view {
	struct entry_path path[ENTRY_MAX_PATHS];
	int npaths;
	const void *sockaddr;	/* borrowed: the bytes read, or NULL */
	uint32_t sockaddr_len;
	bool sockaddr_fault;	/* a sockaddr argument could not be read */
	bool has_open_flags;
	uint64_t open_flags;	/* O_* of open, openat, creat's implied */
};

/* Fills *v from `ev` (entry records only).  Always succeeds. */
void entry_view(const struct call_event *ev, struct entry_view *v);

#endif
