/*
 * table.h: private to the syscall tables (syscalls*.c): the row macros
 * and the tables each ABI's translation unit exports.  Each ABI lives in
 * its own .c file because the three kernel headers define the same
 * __NR_ names with different numbers.
 */
#ifndef CAPSULE_DECODE_TABLE_H
#define CAPSULE_DECODE_TABLE_H

#include <stddef.h>

#include "decode/syscalls.h"

/* One argument: A(PATH, pathname) is { K_PATH, "pathname" }. */
#define A(k, n) { K_##k, #n }

/*
 * One row, indexed by the ABI's __NR_ constant.  SC_BASE is what the
 * including file subtracts from __NR_x (x32 numbers carry
 * __X32_SYSCALL_BIT).
 */
#define SC(n, c, ...)                                                         \
	[__NR_##n - SC_BASE] = { .name = #n, .class = (c),                    \
				 .args = { __VA_ARGS__ } }

/* Rows of 64-bit ABIs (x86_64, x32) that the i386 table reuses. */
extern const struct syscall_desc sc_table_x32[];
extern const size_t sc_table_x32_len;
extern const struct syscall_desc sc_table_i386[];
extern const size_t sc_table_i386_len;

#endif
