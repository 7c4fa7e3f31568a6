/*
 * kill_tracer: a tracee that kills its tracer.
 *
 * Usage: kill_tracer PIDFILE.  Forks a child that writes "<pid>\n" to
 * PIDFILE and then sleeps for 60 s (it would live on); once the file is
 * written, the parent sends SIGKILL to its own parent (under capsule:
 * capsule) and sleeps 60 s too.  Both must die with capsule.  Exits 3 if
 * it ever wakes up.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int p[2], fd;
	char buf[32], c;
	pid_t pid;

	if (argc != 2 || pipe(p) != 0)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(p[0]);
		fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0644);
		if (fd < 0)
			_exit(2);
		snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
		if (write(fd, buf, strlen(buf)) < 0)
			_exit(2);
		close(fd);
		if (write(p[1], "x", 1) != 1)
			_exit(2);
		sleep(60);
		_exit(3);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		return 2;
	kill(getppid(), SIGKILL);
	sleep(60);
	return 3;
}
