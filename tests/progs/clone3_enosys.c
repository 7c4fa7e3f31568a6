/*
 * clone3_enosys: what a program sees of clone3 under capsule, and that
 * libc's thread creation does not depend on it.
 *
 * 1. raw clone3 (x86_64 `syscall`) of a child process with flags 0: the
 *    child _exit(0)s at once; prints "x86_64 clone3 ok" or
 *    "x86_64 clone3 ENOSYS" (any other error: "x86_64 clone3 E<n>").
 * 2. the same through the i386 ABI (int $0x80, nr 435), the struct in the
 *    low 4 GiB (MAP_32BIT, for ebx): "i386 clone3 ok|ENOSYS|E<n>", or
 *    "i386 clone3 skipped" when the struct cannot be mapped there.
 * 3. pthread_create of a thread that prints "thread <tid>"; the main
 *    thread joins it and prints "joined".
 * Steps 1 and 2 also check that the size register (rsi; ecx) holds the
 * size after the call, as the kernel leaves it ("... registers changed"
 * otherwise: capsule refuses clone3 through that register).
 * Exits 0 if every step worked or failed with ENOSYS.  Without IA32
 * emulation in the kernel, int $0x80 kills the program with SIGSEGV.
 */
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* "ok" after reaping the child, "ENOSYS", or "E<n>"; 1 if acceptable. */
static int report(const char *abi, long ret)
{
	int status;

	if (ret == 0)
		_exit(0); /* the child: no libc state to trust */
	if (ret > 0) {
		(void)waitpid((pid_t)ret, &status, 0);
		printf("%s clone3 ok\n", abi);
		return 1;
	}
	if (-ret == ENOSYS) {
		printf("%s clone3 ENOSYS\n", abi);
		return 1;
	}
	printf("%s clone3 E%ld\n", abi, -ret);
	return 0;
}

static int regs_ok = 1;

static long raw_clone3(struct clone_args *ca)
{
	unsigned long size = sizeof(*ca);
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+S"(size)
			 : "a"((long)SYS_clone3), "D"(ca)
			 : "rcx", "r11", "memory");
	if (ret != 0 && size != sizeof(*ca)) {
		printf("x86_64 clone3 registers changed\n");
		regs_ok = 0;
	}
	return ret;
}

static long int80_clone3(struct clone_args *ca)
{
	unsigned long size = sizeof(*ca);
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret), "+c"(size)
			 : "a"(435L), "b"(ca)
			 : "r8", "r9", "r10", "r11", "memory");
	if (ret != 0 && size != sizeof(*ca)) {
		printf("i386 clone3 registers changed\n");
		regs_ok = 0;
	}
	return ret;
}

static void *thread_main(void *arg)
{
	printf("thread %ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	return arg;
}

int main(void)
{
	struct clone_args *ca;
	pthread_t t;
	int ok = 1;

	ca = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (ca == MAP_FAILED)
		return 2;
	memset(ca, 0, sizeof(*ca));
	ca->exit_signal = SIGCHLD;
	fflush(stdout);
	ok &= report("x86_64", raw_clone3(ca));
	fflush(stdout);
	if ((unsigned long)ca < 0xfffff000ul)
		ok &= report("i386", int80_clone3(ca));
	else
		printf("i386 clone3 skipped\n");
	fflush(stdout);
	if (pthread_create(&t, NULL, thread_main, NULL) != 0 ||
	    pthread_join(t, NULL) != 0)
		return 3;
	printf("joined\n");
	return ok && regs_ok ? 0 : 1;
}
