/*
 * int80: system calls through the 32-bit ABI (int $0x80) of a 64-bit
 * process.
 *
 * i386 getpid (20; x86_64 20 is writev) and getuid32 (199; x86_64 199 is
 * fremovexattr).  Prints "getpid <ret>" and "getuid32 <ret>".  Exits 0 if
 * they returned getpid() and getuid(); 1 otherwise.  Without IA32
 * emulation in the kernel, int $0x80 kills the program with SIGSEGV.
 */
#include <stdio.h>
#include <unistd.h>

static long int80(long nr)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr)
			 : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

int main(void)
{
	long pid = int80(20), uid = int80(199);

	printf("getpid %ld\ngetuid32 %ld\n", pid, uid);
	return pid == (long)getpid() && uid == (long)getuid() ? 0 : 1;
}
