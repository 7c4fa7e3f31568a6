/*
 * floor.c: the ptrace floor, the least work any ptrace-based tracer that
 * sees every system call must do.  It is the yardstick of issue 8.
 *
 *   floor CMD [ARGS...]
 *
 * Forks CMD, seizes it with PTRACE_SEIZE (TRACESYSGOOD, TRACEFORK,
 * TRACEVFORK, TRACECLONE, TRACEEXEC, EXITKILL), follows every task the
 * kernel auto-attaches, stops at every syscall entry and exit
 * (PTRACE_SYSCALL), reads PTRACE_GET_SYSCALL_INFO at each syscall stop and
 * records nothing.  Signals are re-injected; group-stops are left in
 * place with PTRACE_LISTEN.  Exits with CMD's status (128+N when signal N
 * killed it), once every traced task is gone.
 *
 * With FLOOR_COUNT set in the environment, prints on stderr, at the end,
 * "floor: N syscalls M stops": N syscall-entry stops, M stops of any kind.
 * The environment variable is passed on to CMD; it does nothing there.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define OPTIONS                                                              \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |  \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)

static void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(125);
}

static void child(int sync_fd, char **argv)
{
	char c;

	/* wait until the parent has seized us */
	while (read(sync_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(sync_fd);
	execvp(argv[0], argv);
	fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

int main(int argc, char **argv)
{
	struct __ptrace_syscall_info info;
	unsigned long long nsys = 0, nstops = 0;
	int sync[2], status, root_status = 0, sig, event;
	pid_t root, pid;

	if (argc < 2) {
		fputs("usage: floor CMD [ARGS...]\n", stderr);
		return 2;
	}
	if (pipe2(sync, O_CLOEXEC) < 0)
		die("pipe");
	root = fork();
	if (root < 0)
		die("fork");
	if (root == 0) {
		close(sync[1]);
		child(sync[0], argv + 1);
	}
	close(sync[0]);
	if (ptrace(PTRACE_SEIZE, root, 0L, (long)OPTIONS) < 0 ||
	    ptrace(PTRACE_INTERRUPT, root, 0L, 0L) < 0)
		die("ptrace");
	/* the root's first stop (PTRACE_EVENT_STOP) is handled by the loop */
	if (write(sync[1], "g", 1) != 1)
		die("write");
	close(sync[1]);

	for (;;) {
		pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break; /* no traced task left */
			die("waitpid");
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == root)
				root_status = status;
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		nstops++;
		sig = WSTOPSIG(status);
		event = (unsigned)status >> 16;
		if (sig == (SIGTRAP | 0x80)) {
			/* syscall-entry or -exit stop: read, record nothing */
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid,
				   (long)sizeof(info), &info) > 0 &&
			    info.op == PTRACE_SYSCALL_INFO_ENTRY)
				nsys++;
			sig = 0;
		} else if (event == PTRACE_EVENT_STOP) {
			if (sig == SIGSTOP || sig == SIGTSTP ||
			    sig == SIGTTIN || sig == SIGTTOU) {
				/* group-stop: stay stopped until SIGCONT */
				(void)ptrace(PTRACE_LISTEN, pid, 0L, 0L);
				continue;
			}
			sig = 0; /* new task, or our PTRACE_INTERRUPT */
		} else if (event != 0) {
			sig = 0; /* fork, vfork, clone, exec events */
		}
		/* else a signal-delivery stop: re-inject the signal */
		/* ESRCH: the task was killed meanwhile, its report follows */
		(void)ptrace(PTRACE_SYSCALL, pid, 0L, (long)sig);
	}
	if (getenv("FLOOR_COUNT") != NULL)
		fprintf(stderr, "floor: %llu syscalls %llu stops\n", nsys,
			nstops);
	if (WIFSIGNALED(root_status))
		return 128 + WTERMSIG(root_status);
	return WEXITSTATUS(root_status);
}
