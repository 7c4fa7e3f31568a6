/*
 * clone3: raw clone3(2) creating a child process, then a thread.
 *
 * 1. clone3 with flags 0 and exit_signal SIGCHLD: the child calls getppid()
 *    and _exit(33); the parent checks the status.
 * 2. clone3 with CLONE_VM|CLONE_THREAD|...: the new thread runs on its own
 *    stack, calls gettid() and exits with exit(2) (raw syscalls only, no
 *    libc: it has no TLS of its own); the leader waits on the
 *    CLONE_CHILD_CLEARTID futex.
 * Prints "child <pid>" and "thread <tid>".  Exits 0 if both worked.
 */
#include <errno.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static char stack[65536] __attribute__((aligned(16)));
static volatile pid_t thread_tid; /* CLONE_PARENT_SETTID / CHILD_CLEARTID */

static void thread_body(void)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"((long)SYS_gettid)
			 : "rcx", "r11", "memory");
	__asm__ volatile("syscall"
			 :
			 : "a"((long)SYS_exit), "D"(0L)
			 : "rcx", "r11", "memory");
	for (;;)
		;
}

/* clone3 whose child (on a new stack) calls fn and never returns. */
static long clone3_thread(struct clone_args *args, void (*fn)(void))
{
	long ret;
	register void (*r12)(void) __asm__("r12") = fn;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%%r12\n\t"
			 "hlt\n\t"
			 "1:\n\t"
			 : "=a"(ret)
			 : "a"((long)SYS_clone3), "D"(args),
			   "S"(sizeof(*args)), "r"(r12)
			 : "rcx", "r11", "memory");
	return ret;
}

int main(void)
{
	struct clone_args ca;
	int status;
	long pid, tid, ttid;

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0) {
		perror("clone3");
		return errno == ENOSYS ? 77 : 2;
	}
	if (pid == 0) {
		(void)syscall(SYS_getppid);
		_exit(33);
	}
	printf("child %ld\n", pid);
	fflush(stdout);
	if (waitpid((pid_t)pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 33)
		return 3;

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		   CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
		   CLONE_CHILD_CLEARTID;
	ca.parent_tid = (uint64_t)(uintptr_t)&thread_tid;
	ca.child_tid = (uint64_t)(uintptr_t)&thread_tid;
	ca.stack = (uint64_t)(uintptr_t)stack;
	ca.stack_size = sizeof(stack);
	ttid = clone3_thread(&ca, thread_body);
	if (ttid < 0)
		return 4;
	/* join: the kernel zeroes thread_tid and wakes us at its exit */
	while ((tid = thread_tid) != 0)
		(void)syscall(SYS_futex, &thread_tid, FUTEX_WAIT, (int)tid,
			      NULL, NULL, 0);
	printf("thread %ld\n", ttid);
	return 0;
}
