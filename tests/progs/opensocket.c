/*
 * opensocket.c: opens a stream socket, AF_INET or, with the argument
 * "unix", AF_UNIX, and prints "socket ok" or "socket failed: <ERRNO
 * name>"; exits 0 or 3.  A seccomp profile made from tracing listdir must
 * deny it; one made with --arg-filters from the AF_INET run must deny the
 * AF_UNIX one (tests/integration/test_profile.py).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int domain = argc > 1 && !strcmp(argv[1], "unix") ? AF_UNIX : AF_INET;
	int fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		printf("socket failed: %s\n", strerrorname_np(errno));
		return 3;
	}
	printf("socket ok\n");
	close(fd);
	return 0;
}
