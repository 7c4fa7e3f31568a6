/*
 * open_enoent: opens a file that does not exist.
 *
 * Expected record: openat(AT_FDCWD, "/nonexistent/capsule-test-enoent-7f3a",
 * O_RDONLY) = -1 ENOENT.  Exits 0 if the open failed with ENOENT, 1 if not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

int main(void)
{
	int fd = open("/nonexistent/capsule-test-enoent-7f3a", O_RDONLY);

	if (fd >= 0 || errno != ENOENT) {
		fprintf(stderr, "open_enoent: fd %d errno %d\n", fd, errno);
		return 1;
	}
	return 0;
}
