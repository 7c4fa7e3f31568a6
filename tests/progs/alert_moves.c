/*
 * alert_moves.c: one move that an alert rule of docs/rules.md looks for,
 * chosen by argv[1], for the rules the demos of scripts/demo/ do not
 * cover.  Every move is harmless: the dangerous calls are made with
 * arguments the kernel refuses (fd -1, a NULL handle, an unknown bpf
 * command), and what succeeds is undone at once.
 *
 *   listen         listen on 0.0.0.0, port 0          net.listen
 *   caps           euid 65534, then capset(effective = permitted)
 *                                                     priv.caps (root)
 *   setuid-exec F  exec F (a set-user-ID copy made by the test)
 *                                                     priv.setuid-exec
 *   memfd          copy /bin/true into a memfd, fexecve it   exec.memfd
 *   kernel-write   open /proc/self/mem for writing    escape.kernel-write
 *   devmem         open /dev/mem (read-only)          escape.devmem
 *   runtime-socket connect to /var/run/docker.sock    escape.runtime-socket
 *   module         finit_module(-1)                   escape.module
 *   kexec          kexec_file_load(-1, -1)            escape.kexec
 *   bpf            bpf(-1)                            escape.bpf
 *   handle         open_by_handle_at(-1, NULL)        escape.open-by-handle
 *   attach         PTRACE_ATTACH to its own (already traced) child
 *                                                     debug.attach
 *
 * Exits 0 once the move was made (whatever the kernel answered), 2 on a
 * usage error, 1 if a preparatory step failed.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int do_listen(void)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return 1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0)
		return 1;
	close(s);
	return 0;
}

static int do_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return 1;
	/* euid 0 -> 65534 empties the effective set; the saved uid stays
	 * 0, so the permitted set stays too */
	if (setresuid((uid_t)-1, 65534, (uid_t)-1) < 0)
		return 1;
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	if (syscall(SYS_capset, &h, d) < 0)
		return 1;
	return 0;
}

static int do_memfd(void)
{
	char buf[65536];
	char *argv[] = {"true", NULL};
	ssize_t n;
	int in = open("/bin/true", O_RDONLY | O_CLOEXEC);
	int fd = memfd_create("alert_moves", MFD_CLOEXEC);

	if (in < 0 || fd < 0)
		return 1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 1;
	close(in);
	fexecve(fd, argv, environ);
	return 1;
}

static int do_runtime_socket(void)
{
	struct sockaddr_un a;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0)
		return 1;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "/var/run/docker.sock");
	/* refused here (no docker): the attempt is what counts */
	(void)connect(s, (struct sockaddr *)&a, sizeof(a));
	close(s);
	return 0;
}

static int do_attach(void)
{
	pid_t child = fork();

	if (child < 0)
		return 1;
	if (child == 0) {
		pause();
		_exit(0);
	}
	/* EPERM: the child is already traced by capsule */
	(void)ptrace(PTRACE_ATTACH, child, NULL, NULL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}

static int open_and_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (strcmp(m, "listen") == 0)
		return do_listen();
	if (strcmp(m, "caps") == 0)
		return do_caps();
	if (strcmp(m, "setuid-exec") == 0 && argc > 2) {
		execv(argv[2], argv + 2);
		return 1;
	}
	if (strcmp(m, "memfd") == 0)
		return do_memfd();
	if (strcmp(m, "kernel-write") == 0)
		return open_and_close("/proc/self/mem", O_RDWR);
	if (strcmp(m, "devmem") == 0)
		return open_and_close("/dev/mem", O_RDONLY);
	if (strcmp(m, "runtime-socket") == 0)
		return do_runtime_socket();
	/* refused by the kernel: the rules fire on attempts */
	if (strcmp(m, "module") == 0)
		(void)syscall(SYS_finit_module, -1, "", 0);
	else if (strcmp(m, "kexec") == 0)
		(void)syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 0UL);
	else if (strcmp(m, "bpf") == 0)
		(void)syscall(SYS_bpf, -1, NULL, 0);
	else if (strcmp(m, "handle") == 0)
		(void)syscall(SYS_open_by_handle_at, -1, NULL, 0);
	else if (strcmp(m, "attach") == 0)
		return do_attach();
	else {
		fprintf(stderr, "usage: alert_moves MOVE [ARGS]\n");
		return 2;
	}
	return 0;
}
