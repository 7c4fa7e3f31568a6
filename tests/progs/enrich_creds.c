/*
 * enrich_creds DIR: credential changes for the enricher (run as root).
 *
 *  1. A child sets its effective uid to nobody (65534) with
 *     setresuid(-1, 65534, -1), back to 0 (allowed: the saved uid is 0),
 *     then drops all three to 65534 and tries setuid(0), which fails with
 *     EPERM; exits 0 if the attempt failed.
 *  2. A copy of this program, DIR/suidprobe, owned by 65534:65534 with
 *     mode 04755; a child takes uid 12345 (setresgid/setresuid) and execs
 *     it as "suidprobe --probe": the kernel makes its effective and saved
 *     uid 65534.  The probe exits 0 if geteuid() == 65534.
 * Exits 0 when both children did.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int copy_self(const char *dst)
{
	char buf[65536];
	ssize_t n;
	int in, out, r = 0;

	in = open("/proc/self/exe", O_RDONLY);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			r = -1;
	close(in);
	if (close(out) < 0 || n < 0)
		r = -1;
	return r;
}

static int wait_ok(pid_t pid)
{
	int status;

	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	char probe[4096];
	pid_t pid;

	if (argc == 2 && strcmp(argv[1], "--probe") == 0)
		return geteuid() == 65534 ? 0 : 1;
	if (argc != 2)
		return 2;

	/* 1 */
	pid = fork();
	if (pid == 0) {
		if (setresuid((uid_t)-1, 65534, (uid_t)-1) < 0 ||
		    setresuid((uid_t)-1, 0, (uid_t)-1) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(3);
		_exit(setuid(0) < 0 ? 0 : 4);
	}
	if (!wait_ok(pid))
		return 3;

	/* 2 */
	snprintf(probe, sizeof(probe), "%s/suidprobe", argv[1]);
	if (copy_self(probe) < 0 || chown(probe, 65534, 65534) < 0 ||
	    chmod(probe, 04755) < 0)
		return 4;
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(12345, 12345, 12345) < 0 ||
		    setresuid(12345, 12345, 12345) < 0)
			_exit(5);
		execl(probe, "suidprobe", "--probe", (char *)NULL);
		_exit(6);
	}
	if (!wait_ok(pid))
		return 5;
	return 0;
}
