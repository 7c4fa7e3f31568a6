/*
 * groups_killed: a call killed by seccomp in a process whose
 * /proc/PID/status is long.  Takes 2000 supplementary groups (needs
 * CAP_SETGID; prints "skip" and exits 77 without it), which pushes the
 * SigPnd line some 14 KB into the file, then calls getppid(), which the
 * test's seccomp profile kills (tests/integration/test_core.py).
 */
#include <grp.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	static gid_t groups[2000];
	unsigned i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		groups[i] = (gid_t)(100000 + i);
	if (setgroups(sizeof(groups) / sizeof(groups[0]), groups) < 0) {
		printf("skip\n");
		return 77;
	}
	fflush(stdout);
	syscall(SYS_getppid);
	return 0;
}
