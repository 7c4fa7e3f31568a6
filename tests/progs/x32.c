/*
 * x32: system calls through the x32 ABI (number | __X32_SYSCALL_BIT) of a
 * 64-bit process.
 *
 * x32 getpid (39) and getuid (102).  Without CONFIG_X86_X32_ABI both fail
 * with ENOSYS, and the records must still say abi "x32" and name them.
 * Prints "getpid <ret> <errno>" and "getuid <ret> <errno>".  Exits 0.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define X32_BIT 0x40000000L

int main(void)
{
	long r;

	errno = 0;
	r = syscall(X32_BIT | 39);
	printf("getpid %ld %d\n", r, r < 0 ? errno : 0);
	errno = 0;
	r = syscall(X32_BIT | 102);
	printf("getuid %ld %d\n", r, r < 0 ? errno : 0);
	return 0;
}
