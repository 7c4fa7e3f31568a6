/*
 * proc_self_path.c: names a file through the tracee's own /proc entries,
 * which capsule must resolve as the tracee's, not as its own.  In DIR it
 * opens NAME as /proc/self/cwd/NAME, /proc/thread-self/cwd/NAME, and
 * through a symlink DIR/l -> /proc/self/cwd, and reads one byte each.
 * Prints "opened=N refused=M" (N + M = 3).
 * usage: proc_self_path DIR NAME
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char paths[3][4096];
	int i, fd, opened = 0, refused = 0;
	char c;

	if (argc != 3 || chdir(argv[1]) < 0)
		return 2;
	(void)unlink("l");
	if (symlink("/proc/self/cwd", "l") < 0)
		return 2;
	snprintf(paths[0], sizeof(paths[0]), "/proc/self/cwd/%s", argv[2]);
	snprintf(paths[1], sizeof(paths[1]), "/proc/thread-self/cwd/%s",
		 argv[2]);
	snprintf(paths[2], sizeof(paths[2]), "%s/l/%s", argv[1], argv[2]);
	for (i = 0; i < 3; i++) {
		fd = open(paths[i], O_RDONLY);
		if (fd < 0) {
			refused++;
			continue;
		}
		if (read(fd, &c, 1) == 1)
			opened++;
		close(fd);
	}
	printf("opened=%d refused=%d\n", opened, refused);
	return 0;
}
