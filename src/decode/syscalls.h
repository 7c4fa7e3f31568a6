/*
 * syscalls.h: system call names for every ABI a 64-bit x86 process can
 * use (x86_64, i386 through int 0x80, x32).
 *
 * Names come from libseccomp's tables (which follow the kernel's), loaded
 * once by syscalls_init() before any thread starts; a number no table
 * knows is named "syscall_<nr>" and still recorded.
 */
#ifndef CAPSULE_DECODE_SYSCALLS_H
#define CAPSULE_DECODE_SYSCALLS_H

#include <stddef.h>

#include "event.h"

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
