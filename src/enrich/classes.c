/*
 * classes.c: the resource class table (classes.h, docs/resources.md).
 *
 * Patterns are fnmatch(3) globs without FNM_PATHNAME, so '*' also spans
 * '/': "*" "/.ssh/id_*" matches an ssh key under any home directory.
 * Rows are tried in order and the first match wins, so the narrow,
 * security-relevant rows come before the broad directory rows.
 */
#include "enrich/classes.h"

#include <fnmatch.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

static const char *const class_names[_RC_MAX] = {
	[RC_CREDENTIALS] = "credentials",
	[RC_PERSISTENCE] = "persistence",
	[RC_KERNEL_SENSITIVE] = "kernel_sensitive",
	[RC_RUNTIME_SOCKET] = "runtime_socket",
	[RC_SYSTEM_CONFIG] = "system_config",
	[RC_EXECUTABLE] = "executable",
	[RC_TEMPORARY] = "temporary",
	[RC_DEVICE] = "device",
	[RC_PROCFS] = "procfs",
	[RC_SYSFS] = "sysfs",
	[RC_FILE] = "file",
	[RC_PIPE] = "pipe",
	[RC_ANON] = "anon",
	[RC_NET_LOOPBACK] = "net_loopback",
	[RC_NET_PRIVATE] = "net_private",
	[RC_NET_PUBLIC] = "net_public",
	[RC_NET_ANY] = "net_any",
	[RC_NET_UNIX] = "net_unix",
	[RC_NET_NETLINK] = "net_netlink",
	[RC_NET_OTHER] = "net_other",
};

struct path_rule {
	const char *glob;
	unsigned char cls;
};

/* clang-format off */
static const struct path_rule path_rules[] = {
	/* credentials and secrets */
	{ "*/.ssh/id_*", RC_CREDENTIALS },
	{ "*/.ssh/*.pem", RC_CREDENTIALS },
	{ "/etc/ssh/ssh_host_*_key", RC_CREDENTIALS },
	{ "/etc/shadow", RC_CREDENTIALS },
	{ "/etc/shadow-", RC_CREDENTIALS },
	{ "/etc/gshadow", RC_CREDENTIALS },
	{ "/etc/gshadow-", RC_CREDENTIALS },
	{ "/etc/security/opasswd", RC_CREDENTIALS },
	{ "/etc/ssl/private/*", RC_CREDENTIALS },
	{ "*/.gnupg/*", RC_CREDENTIALS },
	{ "*/.aws/credentials", RC_CREDENTIALS },
	{ "*/.aws/config", RC_CREDENTIALS },
	{ "*/.config/gcloud/*", RC_CREDENTIALS },
	{ "*/.azure/*", RC_CREDENTIALS },
	{ "*/.docker/config.json", RC_CREDENTIALS },
	{ "*/.kube/config", RC_CREDENTIALS },
	{ "/etc/kubernetes/*.conf", RC_CREDENTIALS },
	{ "/var/run/secrets/*", RC_CREDENTIALS },
	{ "/run/secrets/*", RC_CREDENTIALS },
	{ "*/.git-credentials", RC_CREDENTIALS },
	{ "*/.config/git/credentials", RC_CREDENTIALS },
	{ "*/.netrc", RC_CREDENTIALS },
	{ "*/.npmrc", RC_CREDENTIALS },
	{ "*/.pypirc", RC_CREDENTIALS },
	{ "*/.pgpass", RC_CREDENTIALS },
	{ "*/.my.cnf", RC_CREDENTIALS },
	{ "*/.mozilla/firefox/*/logins.json", RC_CREDENTIALS },
	{ "*/.mozilla/firefox/*/key4.db", RC_CREDENTIALS },
	{ "*/.mozilla/firefox/*/cookies.sqlite", RC_CREDENTIALS },
	{ "*/.config/google-chrome/*/Login Data", RC_CREDENTIALS },
	{ "*/.config/google-chrome/*/Cookies", RC_CREDENTIALS },
	{ "*/.config/chromium/*/Login Data", RC_CREDENTIALS },
	{ "*/.config/chromium/*/Cookies", RC_CREDENTIALS },
	{ "*/.env", RC_CREDENTIALS },
	{ "*/.env.*", RC_CREDENTIALS },

	/* persistence: code that runs again later */
	{ "*/.ssh/authorized_keys*", RC_PERSISTENCE },
	{ "/etc/ld.so.preload", RC_PERSISTENCE },
	{ "/etc/ld.so.conf", RC_PERSISTENCE },
	{ "/etc/ld.so.conf.d/*", RC_PERSISTENCE },
	{ "/etc/cron*", RC_PERSISTENCE },
	{ "/etc/anacrontab", RC_PERSISTENCE },
	{ "/var/spool/cron/*", RC_PERSISTENCE },
	{ "/etc/systemd/*", RC_PERSISTENCE },
	{ "/usr/lib/systemd/system/*", RC_PERSISTENCE },
	{ "/lib/systemd/system/*", RC_PERSISTENCE },
	{ "*/.config/systemd/user/*", RC_PERSISTENCE },
	{ "/etc/init.d/*", RC_PERSISTENCE },
	{ "/etc/rc.local", RC_PERSISTENCE },
	{ "/etc/profile", RC_PERSISTENCE },
	{ "/etc/profile.d/*", RC_PERSISTENCE },
	{ "/etc/bash.bashrc", RC_PERSISTENCE },
	{ "/etc/environment", RC_PERSISTENCE },
	{ "/etc/sudoers", RC_PERSISTENCE },
	{ "/etc/sudoers.d/*", RC_PERSISTENCE },
	{ "/etc/udev/rules.d/*", RC_PERSISTENCE },
	{ "/etc/xdg/autostart/*", RC_PERSISTENCE },
	{ "*/.config/autostart/*", RC_PERSISTENCE },
	{ "*/.bashrc", RC_PERSISTENCE },
	{ "*/.bash_profile", RC_PERSISTENCE },
	{ "*/.bash_login", RC_PERSISTENCE },
	{ "*/.bash_logout", RC_PERSISTENCE },
	{ "*/.profile", RC_PERSISTENCE },
	{ "*/.zshrc", RC_PERSISTENCE },
	{ "*/.zprofile", RC_PERSISTENCE },
	{ "*/.zshenv", RC_PERSISTENCE },

	/* kernel-sensitive entries of /proc, /sys, /dev */
	{ "/proc/*/mem", RC_KERNEL_SENSITIVE },
	{ "/proc/kcore", RC_KERNEL_SENSITIVE },
	{ "/proc/kallsyms", RC_KERNEL_SENSITIVE },
	{ "/proc/sysrq-trigger", RC_KERNEL_SENSITIVE },
	{ "/proc/sys/kernel/*", RC_KERNEL_SENSITIVE },
	{ "/proc/sys/fs/binfmt_misc/*", RC_KERNEL_SENSITIVE },
	{ "/sys/fs/cgroup/*release_agent", RC_KERNEL_SENSITIVE },
	{ "/sys/kernel/security/*", RC_KERNEL_SENSITIVE },
	{ "/sys/firmware/efi/efivars/*", RC_KERNEL_SENSITIVE },
	{ "/dev/mem", RC_KERNEL_SENSITIVE },
	{ "/dev/kmem", RC_KERNEL_SENSITIVE },
	{ "/dev/port", RC_KERNEL_SENSITIVE },

	/* container runtime API sockets */
	{ "/run/docker.sock", RC_RUNTIME_SOCKET },
	{ "/var/run/docker.sock", RC_RUNTIME_SOCKET },
	{ "/run/user/*/docker.sock", RC_RUNTIME_SOCKET },
	{ "/run/containerd/containerd.sock", RC_RUNTIME_SOCKET },
	{ "/var/run/containerd/containerd.sock", RC_RUNTIME_SOCKET },
	{ "/run/k3s/containerd/containerd.sock", RC_RUNTIME_SOCKET },
	{ "/run/crio/crio.sock", RC_RUNTIME_SOCKET },
	{ "/var/run/crio/crio.sock", RC_RUNTIME_SOCKET },
	{ "/run/podman/podman.sock", RC_RUNTIME_SOCKET },
	{ "/run/user/*/podman/podman.sock", RC_RUNTIME_SOCKET },
	{ "/run/cri-dockerd.sock", RC_RUNTIME_SOCKET },
	{ "/var/run/cri-dockerd.sock", RC_RUNTIME_SOCKET },

	/* broad locations */
	{ "/etc", RC_SYSTEM_CONFIG },
	{ "/etc/*", RC_SYSTEM_CONFIG },
	{ "/tmp", RC_TEMPORARY },
	{ "/tmp/*", RC_TEMPORARY },
	{ "/var/tmp", RC_TEMPORARY },
	{ "/var/tmp/*", RC_TEMPORARY },
	{ "/dev/shm", RC_TEMPORARY },
	{ "/dev/shm/*", RC_TEMPORARY },
	{ "/dev", RC_DEVICE },
	{ "/dev/*", RC_DEVICE },
	{ "/proc", RC_PROCFS },
	{ "/proc/*", RC_PROCFS },
	{ "/sys", RC_SYSFS },
	{ "/sys/*", RC_SYSFS },
	{ "/bin/*", RC_EXECUTABLE },
	{ "/sbin/*", RC_EXECUTABLE },
	{ "/usr/bin/*", RC_EXECUTABLE },
	{ "/usr/sbin/*", RC_EXECUTABLE },
	{ "/usr/local/bin/*", RC_EXECUTABLE },
	{ "/usr/local/sbin/*", RC_EXECUTABLE },
	{ "/lib/*", RC_EXECUTABLE },
	{ "/lib32/*", RC_EXECUTABLE },
	{ "/lib64/*", RC_EXECUTABLE },
	{ "/usr/lib/*", RC_EXECUTABLE },
	{ "/usr/lib32/*", RC_EXECUTABLE },
	{ "/usr/lib64/*", RC_EXECUTABLE },
	{ "/usr/libexec/*", RC_EXECUTABLE },
	{ "/usr/local/lib/*", RC_EXECUTABLE },
	{ "*.so", RC_EXECUTABLE },
	{ "*.so.*", RC_EXECUTABLE },
};
/* clang-format on */

const char *class_name(int cls)
{
	if (cls <= RC_NONE || cls >= _RC_MAX)
		return NULL;
	return class_names[cls];
}

/*
 * How each rule is matched, worked out once from its glob (plan_rules()):
 * most globs are a literal with at most a '*' at either end, which
 * fnmatch() (no flags: '*' spans '/' and leading dots) matches exactly
 * when the literal is equal to, a prefix of, a suffix of or inside the
 * path.  The other globs get fnmatch() once their literal part passed.
 */
enum plan_kind {
	PK_EXACT,	/* "/etc/shadow": equal */
	PK_PREFIX,	/* "/tmp/" then a final star: starts with the literal */
	PK_HEAD,	/* "/etc/ssh/ssh_host_*_key": starts with the
			 * literal head, then fnmatch() */
	PK_SUFFIX,	/* "*.so": ends with it */
	PK_INSIDE,	/* "*.so.*": contains it */
	PK_STAR,	/* '*', a literal, more wildcards: contains the
			 * literal, then fnmatch() */
};

struct rule_plan {
	unsigned char kind;	/* enum plan_kind */
	unsigned char dot;	/* the literal starts with "/." */
	unsigned char off;	/* the literal: glob + off ... */
	unsigned char n;	/* ... n bytes */
};

#define NRULES (sizeof(path_rules) / sizeof(path_rules[0]))

static struct rule_plan plans[NRULES];
static pthread_once_t plans_once = PTHREAD_ONCE_INIT;

static size_t literal_len(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0' && s[n] != '*' && s[n] != '?' && s[n] != '[' &&
	       s[n] != '\\')
		n++;
	return n;
}

static void plan_rules(void)
{
	for (size_t i = 0; i < NRULES; i++) {
		const char *g = path_rules[i].glob;
		struct rule_plan *p = &plans[i];
		size_t n;

		p->off = g[0] == '*';
		n = literal_len(g + p->off);
		p->n = (unsigned char)n;
		p->dot = n >= 2 && g[p->off] == '/' && g[p->off + 1] == '.';
		if (!p->off)
			p->kind = g[n] == '\0'			    ? PK_EXACT
				  : g[n] == '*' && g[n + 1] == '\0' ? PK_PREFIX
								    : PK_HEAD;
		else
			p->kind = g[1 + n] == '\0' ? PK_SUFFIX
				  : g[1 + n] == '*' && g[2 + n] == '\0'
				      ? PK_INSIDE
				      : PK_STAR;
	}
}

/* Most "/." in a path looked at one by one; more fall back to memmem(). */
#define MAX_DOTS 16

int class_of_path(const char *abs)
{
	size_t len = strlen(abs), dots[MAX_DOTS], ndots = 0, i, k;
	bool many = false, found;

	(void)pthread_once(&plans_once, plan_rules);
	/* where "/." occurs: all but two '*' rules' literals begin so */
	for (const char *q = abs; (q = strchr(q, '/')) != NULL; q++) {
		if (q[1] != '.')
			continue;
		if (ndots == MAX_DOTS) {
			many = true;
			break;
		}
		dots[ndots++] = (size_t)(q - abs);
	}
	for (i = 0; i < NRULES; i++) {
		const struct rule_plan *p = &plans[i];
		const char *lit = path_rules[i].glob + p->off;

		if (p->n > len)
			continue;
		/* literal heads mostly differ from the path at its second
		 * byte ("/etc" and "/usr/lib"): one compare, no call */
		if (!p->off && p->n >= 2 && lit[1] != abs[1])
			continue;
		switch (p->kind) {
		case PK_EXACT:
			if (len == p->n && memcmp(abs, lit, p->n) == 0)
				return path_rules[i].cls;
			continue;
		case PK_PREFIX:
		case PK_HEAD:
			if (memcmp(abs, lit, p->n) != 0)
				continue;
			break;
		case PK_SUFFIX:
			if (memcmp(abs + len - p->n, lit, p->n) == 0)
				return path_rules[i].cls;
			continue;
		default: /* PK_INSIDE, PK_STAR */
			if (p->dot && !many) {
				found = false;
				for (k = 0; k < ndots && !found; k++)
					found = dots[k] + p->n <= len &&
						memcmp(abs + dots[k], lit,
						       p->n) == 0;
			} else {
				found = memmem(abs, len, lit, p->n) != NULL;
			}
			if (!found)
				continue;
			break;
		}
		if (p->kind == PK_PREFIX || p->kind == PK_INSIDE ||
		    fnmatch(path_rules[i].glob, abs, 0) == 0)
			return path_rules[i].cls;
	}
	return RC_FILE;
}

int class_of_path_fnmatch(const char *abs)
{
	for (size_t i = 0; i < NRULES; i++)
		if (fnmatch(path_rules[i].glob, abs, 0) == 0)
			return path_rules[i].cls;
	return RC_FILE;
}

static int class_of_ip4(const unsigned char *a)
{
	if (a[0] == 127)
		return RC_NET_LOOPBACK;
	if (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0)
		return RC_NET_ANY;
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 100 && (a[1] & 0xc0) == 64))
		return RC_NET_PRIVATE;
	return RC_NET_PUBLIC;
}

int class_of_ip(const unsigned char *a, size_t len)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0,    0,
						  0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char zero[16];
	size_t i;

	if (len == 4)
		return class_of_ip4(a);
	if (len != 16)
		return RC_NET_OTHER;
	if (memcmp(a, mapped, 12) == 0)
		return class_of_ip4(a + 12);
	if (memcmp(a, zero, 16) == 0)
		return RC_NET_ANY;
	for (i = 0; i < 15 && a[i] == 0; i++)
		;
	if (i == 15 && a[15] == 1)
		return RC_NET_LOOPBACK;
	if ((a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		return RC_NET_PRIVATE;
	return RC_NET_PUBLIC;
}
