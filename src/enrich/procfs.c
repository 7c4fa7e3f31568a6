/*
 * procfs.c: /proc snapshots and parsers (procfs.h).
 *
 * A snapshot opens /proc/TID once as an O_PATH directory and reads
 * everything relative to it (openat, readlinkat), so the kernel resolves
 * "/proc/TID" once per snapshot.
 */
#include "enrich/procfs.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const proc_ns_names[NS_COUNT] = {
	[NS_MNT] = "mnt",   [NS_PID] = "pid", [NS_NET] = "net",
	[NS_USER] = "user", [NS_UTS] = "uts", [NS_IPC] = "ipc",
	[NS_CGROUP] = "cgroup",
};

/*
 * /proc/PID/status in full: its Groups line (up to 65536 groups) comes
 * before the Cap*, NoNewPrivs and Seccomp lines, and a tracee with
 * CAP_SETGID chooses how long it is.
 */
#define PROC_STATUS_MAX (1u << 20)

/* Reads up to `max` bytes of file `name` under `dfd`, appended to out. */
static int read_at(int dfd, const char *name, size_t max, struct buf *out)
{
	ssize_t n;
	size_t got = 0;
	int fd, err = 0;

	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (got < max) {
		buf_grow(out, 4096);
		n = read(fd, out->s + out->len,
			 max - got < 4096 ? max - got : 4096);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		got += (size_t)n;
	}
	out->s[out->len] = '\0';
	close(fd);
	return err;
}

int proc_read_file(const char *path, size_t max, struct buf *out)
{
	return read_at(AT_FDCWD, path, max, out);
}

/* Appends a string (and its NUL) to the blob; fills *s. */
static void add_str(struct buf *out, size_t base, struct snap_str *s,
		    const char *data, size_t len)
{
	s->off = (uint32_t)(out->len - base);
	s->len = (uint32_t)len;
	buf_add(out, data, len);
	buf_addch(out, '\0');
}

static int link_at(int dfd, const char *name, char *dst, size_t size)
{
	ssize_t n = readlinkat(dfd, name, dst, size - 1);

	if (n < 0)
		return -errno;
	dst[n] = '\0';
	return (int)n;
}

static uint64_t parse_caps(const char *p)
{
	return strtoull(p, NULL, 16);
}

int proc_parse_status(const char *text, struct proc_snap *s,
		      struct buf *groups)
{
	const char *line, *v;
	char *end;
	uint32_t g;
	int seen = 0;

	for (line = text; line != NULL && *line;) {
		v = strchr(line, ':');
		if (v == NULL)
			break;
		v++;
		while (*v == '\t' || *v == ' ')
			v++;
#define IS(name) (strncmp(line, name ":", sizeof(name)) == 0)
		if (IS("PPid")) {
			s->ppid = (int32_t)strtol(v, NULL, 10);
			seen++;
		} else if (IS("Uid") || IS("Gid")) {
			uint32_t *ids = line[0] == 'U' ? s->uid : s->gid;
			int i;

			for (i = 0; i < 4; i++) {
				ids[i] = (uint32_t)strtoul(v, &end, 10);
				v = end;
			}
			seen++;
		} else if (IS("Groups")) {
			for (;;) {
				g = (uint32_t)strtoul(v, &end, 10);
				if (end == v)
					break;
				buf_add(groups, &g, sizeof(g));
				v = end;
			}
		} else if (IS("CapInh")) {
			s->cap_inh = parse_caps(v);
		} else if (IS("CapPrm")) {
			s->cap_prm = parse_caps(v);
		} else if (IS("CapEff")) {
			s->cap_eff = parse_caps(v);
		} else if (IS("CapBnd")) {
			s->cap_bnd = parse_caps(v);
		} else if (IS("CapAmb")) {
			s->cap_amb = parse_caps(v);
		} else if (IS("NoNewPrivs")) {
			s->no_new_privs = (int32_t)strtol(v, NULL, 10);
		} else if (IS("Seccomp")) {
			s->seccomp = (int32_t)strtol(v, NULL, 10);
		}
#undef IS
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return seen == 3 ? 0 : -EINVAL;
}

/* starttime: field 22 of /proc/PID/stat, counted after the ")" of comm. */
static int parse_stat_start(const char *text, uint64_t *ret)
{
	const char *p = strrchr(text, ')');
	int field;

	if (p == NULL)
		return -EINVAL;
	p++;
	/* p is the space before field 3; move to the one before field 22 */
	for (field = 3; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -EINVAL;
	*ret = strtoull(p + 1, NULL, 10);
	return 0;
}

static void snap_status(int dfd, struct proc_snap *s, struct buf *out,
			size_t base, struct buf *tmp)
{
	struct buf groups = BUF_INIT;

	buf_reset(tmp);
	if (read_at(dfd, "status", PROC_STATUS_MAX, tmp) == 0 &&
	    proc_parse_status(tmp->s, s, &groups) == 0) {
		s->have |= SNAP_STATUS;
		add_str(out, base, &s->groups, groups.s, groups.len);
	}
	buf_release(&groups);
}

static void snap_ident(int dfd, struct proc_snap *s, struct buf *out,
		       size_t base, struct buf *tmp)
{
	char link[PATH_MAX];
	int n;

	n = link_at(dfd, "exe", link, sizeof(link));
	if (n >= 0)
		add_str(out, base, &s->exe, link, (size_t)n);
	n = link_at(dfd, "cwd", link, sizeof(link));
	if (n >= 0)
		add_str(out, base, &s->cwd, link, (size_t)n);
	buf_reset(tmp);
	if (read_at(dfd, "cmdline", PROC_ARGV_MAX + 1, tmp) == 0) {
		if (tmp->len > PROC_ARGV_MAX) {
			buf_truncate(tmp, PROC_ARGV_MAX);
			s->argv_trunc = 1;
		}
		add_str(out, base, &s->argv, tmp->s, tmp->len);
	}
	s->have |= SNAP_IDENT;
}

static void snap_start(int dfd, struct proc_snap *s, struct buf *tmp)
{
	buf_reset(tmp);
	if (read_at(dfd, "stat", 4096, tmp) == 0 &&
	    parse_stat_start(tmp->s, &s->start_ticks) == 0)
		s->have |= SNAP_START;
}

static void snap_ns(int dfd, struct proc_snap *s, struct buf *out,
		    size_t base, struct buf *tmp)
{
	char name[32], link[64], *p, *nl;
	int i;

	for (i = 0; i < NS_COUNT; i++) {
		snprintf(name, sizeof(name), "ns/%s", proc_ns_names[i]);
		if (link_at(dfd, name, link, sizeof(link)) < 0)
			continue;
		p = strchr(link, '[');
		if (p != NULL)
			s->ns[i] = strtoull(p + 1, NULL, 10);
	}
	buf_reset(tmp);
	if (read_at(dfd, "cgroup", 8192, tmp) == 0) {
		/* cgroup v2: "0::/path"; else the first line's path */
		p = strstr(tmp->s, "0::");
		if (p == NULL || (p != tmp->s && p[-1] != '\n'))
			p = tmp->s;
		p = strchr(p, ':');
		p = p != NULL ? strchr(p + 1, ':') : NULL;
		if (p != NULL) {
			p++;
			nl = strchr(p, '\n');
			add_str(out, base, &s->cgroup, p,
				nl ? (size_t)(nl - p) : strlen(p));
		}
	}
	s->have |= SNAP_NS;
}

static void snap_lsm(int dfd, struct proc_snap *s, struct buf *out,
		     size_t base, struct buf *tmp)
{
	buf_reset(tmp);
	if (read_at(dfd, "attr/current", 4096, tmp) < 0)
		return;
	while (tmp->len && (tmp->s[tmp->len - 1] == '\n' ||
			    tmp->s[tmp->len - 1] == '\0'))
		buf_truncate(tmp, tmp->len - 1);
	add_str(out, base, &s->lsm, tmp->s, tmp->len);
	s->have |= SNAP_LSM;
}

static void snap_fds(int dfd, struct proc_snap *s, struct buf *out,
		     size_t base, struct buf *tmp)
{
	char link[PATH_MAX], name[64];
	struct dirent *de;
	struct buf recs = BUF_INIT;
	uint32_t flags, len;
	int32_t fd;
	DIR *d;
	int n, fdd;
	const char *p;

	fdd = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd < 0)
		return;
	d = fdopendir(fdd);
	if (d == NULL) {
		close(fdd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = (int32_t)strtol(de->d_name, NULL, 10);
		n = link_at(fdd, de->d_name, link, sizeof(link));
		if (n < 0)
			continue;
		flags = 0;
		snprintf(name, sizeof(name), "fdinfo/%d", (int)fd);
		buf_reset(tmp);
		if (read_at(dfd, name, 4096, tmp) == 0 &&
		    (p = strstr(tmp->s, "flags:")) != NULL)
			flags = (uint32_t)strtoul(p + 6, NULL, 8);
		len = (uint32_t)n;
		buf_add(&recs, &fd, sizeof(fd));
		buf_add(&recs, &flags, sizeof(flags));
		buf_add(&recs, &len, sizeof(len));
		buf_add(&recs, link, len);
	}
	closedir(d);
	add_str(out, base, &s->fds, recs.s, recs.len);
	buf_release(&recs);
	s->have |= SNAP_FDS;
}

int proc_snapshot(pid_t tid, unsigned what, bool lsm_present,
		  struct buf *out)
{
	struct proc_snap s;
	struct buf tmp = BUF_INIT;
	size_t base = out->len;
	char dir[32];
	int dfd;

	snprintf(dir, sizeof(dir), "/proc/%d", (int)tid);
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	memset(&s, 0, sizeof(s));
	s.no_new_privs = -1;
	s.seccomp = -1;
	buf_grow(out, sizeof(s));
	buf_add(out, &s, sizeof(s)); /* the head, rewritten at the end */
	if (what & SNAP_STATUS)
		snap_status(dfd, &s, out, base, &tmp);
	if (what & SNAP_IDENT)
		snap_ident(dfd, &s, out, base, &tmp);
	if (what & SNAP_START)
		snap_start(dfd, &s, &tmp);
	if (what & SNAP_NS)
		snap_ns(dfd, &s, out, base, &tmp);
	if ((what & SNAP_LSM) && lsm_present)
		snap_lsm(dfd, &s, out, base, &tmp);
	if (what & SNAP_FDS)
		snap_fds(dfd, &s, out, base, &tmp);
	close(dfd);
	buf_release(&tmp);
	memcpy(out->s + base, &s, sizeof(s));
	return 0;
}

static int str_ok(struct snap_str s, size_t len)
{
	return s.len == 0 ||
	       ((uint64_t)s.off + s.len < len &&
		s.off >= sizeof(struct proc_snap));
}

int proc_snap_view(const void *b, size_t len, struct proc_snap *ret)
{
	struct proc_snap s;

	if (b == NULL || len < sizeof(s))
		return -EINVAL;
	memcpy(&s, b, sizeof(s));
	if (!str_ok(s.exe, len) || !str_ok(s.cwd, len) ||
	    !str_ok(s.argv, len) || !str_ok(s.cgroup, len) ||
	    !str_ok(s.lsm, len) || !str_ok(s.groups, len) ||
	    !str_ok(s.fds, len))
		return -EINVAL;
	*ret = s;
	return 0;
}

const char *snap_str(const void *b, struct snap_str s)
{
	if (s.len == 0 && s.off == 0)
		return "";
	return (const char *)b + s.off;
}

int proc_boot_time(int64_t *ret_sec)
{
	struct buf b = BUF_INIT;
	const char *p;
	int r;

	r = proc_read_file("/proc/stat", 1 << 20, &b);
	if (r == 0) {
		p = strstr(b.s, "\nbtime ");
		if (p != NULL)
			*ret_sec = strtoll(p + 7, NULL, 10);
		else
			r = -EINVAL;
	}
	buf_release(&b);
	return r;
}

/* "0100007F:1F90" (kernel's %08X words, host order) to "127.0.0.1:8080" */
static int inet_endpoint(const char *hex, bool ip6, char *dst, size_t size,
			 int *is_zero)
{
	unsigned char addr[16];
	char a[INET6_ADDRSTRLEN], word[9];
	const char *colon = strchr(hex, ':');
	size_t nwords = ip6 ? 4 : 1, i;
	unsigned long port;
	uint32_t w;

	if (colon == NULL || (size_t)(colon - hex) != nwords * 8)
		return -EINVAL;
	for (i = 0; i < nwords; i++) {
		memcpy(word, hex + 8 * i, 8);
		word[8] = '\0';
		w = (uint32_t)strtoul(word, NULL, 16);
		memcpy(addr + 4 * i, &w, 4);
	}
	port = strtoul(colon + 1, NULL, 16);
	if (inet_ntop(ip6 ? AF_INET6 : AF_INET, addr, a, sizeof(a)) == NULL)
		return -EINVAL;
	*is_zero = port == 0;
	for (i = 0; i < nwords * 4; i++)
		if (addr[i])
			*is_zero = 0;
	snprintf(dst, size, ip6 ? "[%s]:%lu" : "%s:%lu", a, port);
	return 0;
}

int proc_net_find_inet(const char *text, bool ip6, uint64_t inode,
		       struct net_ent *ret)
{
	const char *line = strchr(text, '\n'); /* skip the header */
	char local[80], remote[80];
	unsigned long long ino;
	int zero;

	while (line != NULL && *++line) {
		if (sscanf(line, "%*s %79s %79s %*s %*s %*s %*s %*s %*s %llu",
			   local, remote, &ino) == 3 &&
		    ino == inode) {
			memset(ret, 0, sizeof(*ret));
			ret->inode = inode;
			ret->is_ip6 = ip6;
			if (inet_endpoint(local, ip6, ret->local,
					  sizeof(ret->local), &zero) < 0)
				return 0;
			if (inet_endpoint(remote, ip6, ret->remote,
					  sizeof(ret->remote), &zero) < 0)
				return 0;
			if (zero)
				ret->remote[0] = '\0';
			return 1;
		}
		line = strchr(line, '\n');
	}
	return 0;
}

int proc_net_find_unix(const char *text, uint64_t inode, struct net_ent *ret)
{
	const char *line = strchr(text, '\n');
	unsigned long long ino;
	const char *path;
	size_t len;
	int n;

	while (line != NULL && *++line) {
		n = 0;
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %llu%n", &ino, &n) == 1 &&
		    ino == inode) {
			memset(ret, 0, sizeof(*ret));
			ret->inode = inode;
			path = line + n;
			while (*path == ' ')
				path++;
			len = strcspn(path, "\n");
			if (len >= sizeof(ret->local))
				len = sizeof(ret->local) - 1;
			memcpy(ret->local, path, len);
			ret->local[len] = '\0';
			return 1;
		}
		line = strchr(line, '\n');
	}
	return 0;
}

int proc_sock_snapshot(pid_t tid, int fd, struct sock_snap *ret)
{
	socklen_t len;
	int pidfd, sfd, err = 0;

	memset(ret, 0, sizeof(*ret));
	ret->fd = fd;
	pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pidfd < 0)
		return -errno;
	/* a copy of the tracee's socket, for as long as two calls */
	sfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sfd < 0) {
		err = -errno;
		close(pidfd);
		return err;
	}
	len = sizeof(ret->local);
	if (getsockname(sfd, (struct sockaddr *)ret->local, &len) == 0)
		ret->local_len = len < sizeof(ret->local) ? len
							  : sizeof(ret->local);
	len = sizeof(ret->remote);
	if (getpeername(sfd, (struct sockaddr *)ret->remote, &len) == 0)
		ret->remote_len = len < sizeof(ret->remote)
					  ? len
					  : sizeof(ret->remote);
	close(sfd);
	close(pidfd);
	return 0;
}
