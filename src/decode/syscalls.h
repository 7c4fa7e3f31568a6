/*
 * syscalls.h: the system call tables of every ABI a 64-bit x86 process can
 * use (x86_64, i386 through int 0x80, x32).
 *
 * Each ABI has one static const table indexed by the __NR_ constants of
 * its own kernel header (syscalls.c, syscalls_i386.c, syscalls_x32.c):
 * name, class bits, and the man-page name and kind of each argument.  A
 * number the headers do not know (a kernel newer than them) is named from
 * libseccomp's tables, loaded once by syscalls_init() before any thread
 * starts; a number nobody knows is "syscall_<nr>" and still recorded.
 */
#ifndef CAPSULE_DECODE_SYSCALLS_H
#define CAPSULE_DECODE_SYSCALLS_H

#include <stddef.h>

#include "decode/kinds.h"
#include "event.h"

struct syscall_arg {
	unsigned char kind;	/* enum arg_kind; K_NONE ends the row */
	const char *name;	/* the man page's parameter name */
};

struct syscall_desc {
	const char *name;	/* NULL: an empty slot */
	unsigned short class;	/* CL_* bits */
	struct syscall_arg args[6];
};

/*
 * The table row of syscall `nr` of `abi`, or NULL when the table has no
 * row for it (only a name, if any, is known then).  Borrowed: static.
 */
const struct syscall_desc *syscall_desc(enum ev_abi abi, int nr);

/*
 * The kind of argument `i` of call `ev` given its table kind: a
 * multiplexed kind (K_PRCTL_ARG, K_FCNTL_ARG) resolved by the call's other
 * arguments; any other kind unchanged.
 */
int syscall_arg_kind(const struct call_event *ev, int i, int kind);

/* Number of arguments of `d` (0 when d is NULL). */
int syscall_nargs(const struct syscall_desc *d);

/* Loads the name tables.  Call once, before threads start. */
void syscalls_init(void);

/*
 * The name of syscall `nr` of `abi`, or NULL when unknown (callers print
 * syscall_<nr>).  Borrowed: valid for the life of the program.
 */
const char *syscall_name(enum ev_abi abi, int nr);

/* The ABI's name as written in the log: "x86_64", "i386", "x32". */
const char *abi_name(enum ev_abi abi);

/* errno's symbolic name ("ENOENT"), or NULL if unknown. */
const char *errno_name(int err);

#endif
