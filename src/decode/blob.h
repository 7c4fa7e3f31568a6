/*
 * blob.h: the format of call_event.blob, private to decode/ (capture.c
 * writes it on the tracer thread, args.c reads it on the pipeline thread).
 *
 * A blob is a sequence of records, each a struct blob_rec header followed
 * by `len` payload bytes (no padding, host byte order, read with memcpy).
 * Records of one argument appear in the order written: the entry stop's
 * first, then the exit stop's.
 *
 *   BR_BYTES  the bytes read at the argument's address: a string without
 *             its NUL, or a structure (possibly shorter than the structure
 *             when the read stopped at an unreadable page).
 *   BR_FAULT  the read failed: struct blob_fault (address, errno).
 *   BR_ELEM   one element of a list (argv, envp): string bytes.
 *   BR_END    the end of a list; BRF_TRUNC if elements were left out.
 *
 * BRF_TRUNC on BR_BYTES / BR_ELEM: more bytes existed than were kept (no
 * NUL within the bound, an unreadable page, or a buffer longer than
 * --data).
 */
#ifndef CAPSULE_DECODE_BLOB_H
#define CAPSULE_DECODE_BLOB_H

#include <stdint.h>

struct blob_rec {
	uint8_t arg;	/* argument index, 0..5 */
	uint8_t type;	/* BR_* */
	uint8_t flags;	/* BRF_* */
	uint8_t pad;
	uint32_t len;	/* payload bytes that follow */
};

enum { BR_BYTES = 1, BR_FAULT = 2, BR_ELEM = 3, BR_END = 4 };

#define BRF_TRUNC 0x1	/* more existed than was kept */
#define BRF_EXIT 0x2	/* read at the exit stop */

struct blob_fault {
	uint64_t addr;	/* the address that could not be read */
	int32_t err;	/* positive errno (EFAULT, EIO, ESRCH ...) */
};

/* Bounds of what capture.c keeps (documented in docs/log-format.md). */
#define CAP_PATH_MAX 4096	/* PATH_MAX: bytes of a path, NUL included */
#define CAP_LIST_ELEM_MAX 4096	/* bytes of one argv element or env value */
#define CAP_ENV_NAME_MAX 256	/* bytes of one environment variable name */
#define CAP_LIST_MAX_ELEMS 4096	/* elements of argv / envp kept */
#define CAP_LIST_MAX_BYTES 65536 /* string bytes of argv / envp kept */
#define CAP_SOCKADDR_MAX 128	/* sizeof(struct sockaddr_storage) */

#endif
