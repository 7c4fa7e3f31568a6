/*
 * sockaddr.h: socket addresses (AF_INET, AF_INET6, AF_UNIX including the
 * abstract namespace, AF_NETLINK, AF_PACKET; other families as hex).
 */
#ifndef CAPSULE_DECODE_SOCKADDR_H
#define CAPSULE_DECODE_SOCKADDR_H

#include <stddef.h>

#include "decode/vout.h"

/*
 * Writes the address in the `len` bytes at `sa` (as read from the tracee)
 * as one object value; `truncated`: the tracee's address was longer than
 * what was read.
 */
void sockaddr_print(struct vout *o, const unsigned char *sa, size_t len,
		    int truncated);

#endif
