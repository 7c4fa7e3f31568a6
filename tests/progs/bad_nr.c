/*
 * bad_nr: system calls with numbers no table has: syscall(-1) (which the
 * kernel skips), syscall(100000), and an x32 call beyond the x32 table.
 * Each fails with ENOSYS; the records must keep the number the kernel
 * saw and the ABI it used.  Prints "<nr> <ret> <errno>" per call.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	static const long nrs[] = { -1L, 100000L, 0x40000000L | 100000L };
	unsigned i;
	long r;

	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		errno = 0;
		r = syscall(nrs[i]);
		printf("%ld %ld %d\n", nrs[i], r, r < 0 ? errno : 0);
	}
	return 0;
}
