/*
 * listdir.c: lists a directory (argv[1], default ".") with getdents64 and
 * prints one name per line, sorted by the kernel's order.  The program a
 * seccomp profile is generated from in tests/integration/test_profile.py.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int main(int argc, char **argv)
{
	char buf[4096];
	long n, off;
	int fd;

	fd = open(argc > 1 ? argv[1] : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				printf("%s\n", d->d_name);
			off += d->d_reclen;
		}
	}
	if (n < 0) {
		perror("getdents64");
		return 1;
	}
	close(fd);
	return 0;
}
