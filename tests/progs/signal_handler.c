/*
 * signal_handler: signal delivery through the tracer.
 *
 * Installs a SIGUSR1 handler, raises SIGUSR1, and exits 0 only if the
 * handler ran (1 if not).  Also blocks SIGUSR2, sends it, and checks
 * sigpending() reports it (the tracer must not swallow or deliver a
 * blocked signal early).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, pending;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		return 2;
	raise(SIGUSR1);
	if (!got)
		return 1;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	if (sigpending(&pending) != 0 || !sigismember(&pending, SIGUSR2))
		return 4;
	return 0;
}
