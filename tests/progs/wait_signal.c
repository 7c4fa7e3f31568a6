/*
 * wait_signal: waits for a termination signal sent to capsule.
 *
 * Usage: wait_signal MARKER.  Installs handlers for SIGTERM, SIGINT and
 * SIGHUP, prints "ready <pid>" on stdout, and waits in pause().  On a
 * signal it writes the signal's name to MARKER and exits 42.  An alarm
 * turns a lost signal into death by SIGALRM after 30 s.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *marker;

static void on_signal(int sig)
{
	const char *name = sig == SIGTERM  ? "TERM\n"
			   : sig == SIGINT ? "INT\n"
					   : "HUP\n";
	int fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd >= 0) {
		(void)!write(fd, name, strlen(name));
		close(fd);
	}
	_exit(42);
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc != 2)
		return 2;
	marker = argv[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	alarm(30);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
