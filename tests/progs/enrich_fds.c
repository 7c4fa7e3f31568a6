/*
 * enrich_fds DIR: descriptors, paths and sockets for the enricher.
 *
 * In DIR (absolute) it makes sub/ and file.txt, then, in order:
 *  1. dirfd = open(DIR, O_DIRECTORY); openat(dirfd, "sub/../file.txt")
 *     = fd A; dup(A); dup2(A, 10); fcntl(A, F_DUPFD_CLOEXEC, 20) = 20;
 *  2. chdir(DIR/sub); open("../file.txt") relative; fchdir(dirfd);
 *     open("./sub/../file.txt") relative;
 *  3. pipe2(O_CLOEXEC); fork: the child read()s fd 10 (inherited) and
 *     exits; close_range(20, 20, 0);
 *  4. clone(CLONE_FILES): the child opens DIR/shared.txt and exits 0
 *     with the descriptor number; the parent then read()s it, through
 *     the shared table;
 *  5. a loopback server: socket, bind 127.0.0.1:0, listen, getsockname;
 *     a client socket connects to it; accept; write on the client; read
 *     on the accepted socket;
 *  6. execs itself as "enrich_fds --exec DIR": fd 10 (inheritable) is
 *     still open and read; fd 11 (made FD_CLOEXEC by fcntl) is gone, its
 *     read fails with EBADF.
 * Exits 0 when all went as planned.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char shared_path[4096];

static int clone_child(void *arg)
{
	(void)arg;
	return open(shared_path, O_RDONLY | O_CREAT, 0600);
}

static int after_exec(void)
{
	char c;

	if (read(10, &c, 1) < 0)
		return 20;
	if (read(11, &c, 1) >= 0)
		return 21; /* must be closed by the exec */
	return 0;
}

int main(int argc, char **argv)
{
	static char stack[65536];
	char path[4096], buf[16], self[4096];
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int dirfd, a, p[2], srv, cli, acc, status, fd;
	ssize_t n;
	pid_t pid;

	if (argc == 3 && strcmp(argv[1], "--exec") == 0)
		return after_exec();
	if (argc != 2 || argv[1][0] != '/')
		return 2;
	snprintf(path, sizeof(path), "%s/sub", argv[1]);
	if (mkdir(path, 0700) < 0)
		return 3;
	snprintf(path, sizeof(path), "%s/file.txt", argv[1]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "hello world\n", 12) != 12)
		return 4;
	close(fd);

	/* 1 */
	dirfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	a = openat(dirfd, "sub/../file.txt", O_RDONLY);
	if (dirfd < 0 || a < 0)
		return 5;
	if (dup(a) < 0 || dup2(a, 10) != 10 ||
	    fcntl(a, F_DUPFD_CLOEXEC, 20) != 20)
		return 6;
	if (dup2(a, 11) != 11 || fcntl(11, F_SETFD, FD_CLOEXEC) < 0)
		return 6;

	/* 2 */
	snprintf(path, sizeof(path), "%s/sub", argv[1]);
	if (chdir(path) < 0 || (fd = open("../file.txt", O_RDONLY)) < 0)
		return 7;
	close(fd);
	if (fchdir(dirfd) < 0 || (fd = open("./sub/../file.txt", O_RDONLY)) < 0)
		return 8;
	close(fd);

	/* 3 */
	if (pipe2(p, O_CLOEXEC) < 0)
		return 9;
	pid = fork();
	if (pid == 0)
		_exit(read(10, buf, 5) == 5 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		return 10;
	if (syscall(SYS_close_range, 20, 20, 0) < 0)
		return 11;

	/* 4 */
	snprintf(shared_path, sizeof(shared_path), "%s/shared.txt", argv[1]);
	pid = clone(clone_child, stack + sizeof(stack), CLONE_FILES | SIGCHLD,
		    NULL);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 12;
	fd = WEXITSTATUS(status);
	if (read(fd, buf, 1) != 0) /* empty file: 0 */
		return 13;
	close(fd);

	/* 5 */
	srv = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (srv < 0 || bind(srv, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(srv, 1) < 0 ||
	    getsockname(srv, (struct sockaddr *)&sa, &len) < 0)
		return 14;
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return 15;
	acc = accept(srv, NULL, NULL);
	if (acc < 0 || write(cli, "ping", 4) != 4)
		return 16;
	n = read(acc, buf, sizeof(buf));
	if (n != 4)
		return 17;
	close(acc);
	close(cli);
	close(srv);

	/* 6 */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 18;
	self[n] = '\0';
	execl(self, "enrich_fds", "--exec", argv[1], (char *)NULL);
	return 19;
}
