/*
 * antidebug: tries to inspect its parent process (under capsule: capsule
 * itself) three ways: PTRACE_SEIZE, reading /proc/<ppid>/mem, and
 * process_vm_readv().
 *
 * Prints one line "seize=R mem=R vm_readv=R" where R is "ok" or the errno
 * name/number, and exits 0 if all three failed, 1 if any worked.  The test
 * also runs it under a plain (dumpable) parent, where all three must work,
 * to show the checks can succeed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *res(int ok, int err)
{
	static char buf[4][32];
	static int n;
	char *b = buf[n++ % 4];

	if (ok)
		return "ok";
	snprintf(b, 32, "%s", strerror(err));
	return b;
}

int main(void)
{
	pid_t pp = getppid();
	char path[64], byte[8];
	struct iovec local = { byte, sizeof(byte) }, remote;
	int fd, seize_ok, mem_ok = 0, vm_ok, seize_err, mem_err = 0, vm_err;
	unsigned long addr = 0;
	FILE *maps;
	char line[512];

	errno = 0;
	seize_ok = ptrace(PTRACE_SEIZE, pp, 0L, 0L) == 0;
	seize_err = errno;

	/* an address that is mapped in the parent: its first mapping */
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pp);
	maps = fopen(path, "r");
	if (maps != NULL) {
		if (fgets(line, sizeof(line), maps) != NULL)
			sscanf(line, "%lx", &addr);
		fclose(maps);
	}
	if (addr == 0)
		addr = 0x400000; /* unknown: the read fails either way */

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pp);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mem_err = errno;
	} else {
		mem_ok = pread(fd, byte, 1, (off_t)addr) == 1;
		mem_err = errno;
		close(fd);
	}

	remote.iov_base = (void *)addr;
	remote.iov_len = 1;
	errno = 0;
	vm_ok = process_vm_readv(pp, &local, 1, &remote, 1, 0) == 1;
	vm_err = errno;

	printf("seize=%s mem=%s vm_readv=%s\n", res(seize_ok, seize_err),
	       res(mem_ok, mem_err), res(vm_ok, vm_err));
	return seize_ok || mem_ok || vm_ok ? 1 : 0;
}
