/*
 * policy_kill.c: makes one call a policy kills, and proves the order of
 * events.  It forks a child that waits for the parent's death (end of a
 * pipe) and then SIGKILLs capsule (the parent's parent), so capsule dies
 * right after the kill.  After the call the parent would write MARKER:
 * it must not exist, and the alert must already be on disk
 * (tests/integration/test_policy.py).
 * The call is connect() to 127.0.0.1 port 9.
 * usage: policy_kill MARKER
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	pid_t capsule = getppid();
	int p[2], fd;
	char c;

	if (argc != 2 || pipe(p) < 0)
		return 2;
	if (fork() == 0) {
		close(p[1]);
		/* EOF: the parent is dead */
		while (read(p[0], &c, 1) > 0)
			;
		kill(capsule, SIGKILL);
		_exit(0);
	}
	close(p[0]);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* the policy kills here */
	(void)connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	fd = open(argv[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	return 0;
}
