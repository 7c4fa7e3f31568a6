/*
 * opensocket.c: opens an AF_INET stream socket and prints "socket ok" or
 * "socket failed: <ERRNO name>"; exits 0 or 3.  A seccomp profile made
 * from tracing listdir must deny it (tests/integration/test_profile.py).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		printf("socket failed: %s\n", strerrorname_np(errno));
		return 3;
	}
	printf("socket ok\n");
	close(fd);
	return 0;
}
