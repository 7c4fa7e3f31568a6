/*
 * syscalls_x32.c: the x32 system call table.  x32 shares the x86_64 rows,
 * but <asm/unistd_x32.h> numbers them differently (__X32_SYSCALL_BIT set,
 * the calls with pointer-sized structures moved to 512 and up, the
 * 64-bit-only ones absent), so the same row file is laid out again here
 * by x32 numbers.  Pointers and longs are 32 bits wide: the printers and
 * capture.c take the ABI into account.
 */
#include <asm/unistd_x32.h>

/* defined by <asm/unistd.h>, which would also pull in the 64-bit numbers */
#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

#include "decode/table.h"

#define SC_BASE __X32_SYSCALL_BIT
const struct syscall_desc sc_table_x32[] = {
#include "decode/syscallent_64.h"
};
const size_t sc_table_x32_len = sizeof(sc_table_x32) / sizeof(sc_table_x32[0]);
