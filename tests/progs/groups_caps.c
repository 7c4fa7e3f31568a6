/*
 * groups_caps: credential changes of a process whose /proc/PID/status is
 * long.  Takes 2000 supplementary groups (needs CAP_SETGID; exits 77
 * without it), which moves the Cap* lines some 14 KB into the file, then
 * drops its effective uid to 65534 (losing its effective capabilities).
 */
#include <grp.h>
#include <unistd.h>

int main(void)
{
	static gid_t groups[2000];
	unsigned i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		groups[i] = (gid_t)(100000 + i);
	if (setgroups(sizeof(groups) / sizeof(groups[0]), groups) < 0)
		return 77;
	if (setresuid((uid_t)-1, 65534, (uid_t)-1) < 0)
		return 1;
	return 0;
}
