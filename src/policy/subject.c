/*
 * subject.c: what the policy matches, from a captured event (see
 * subject.h).  The only I/O is readlink of /proc/<tid>/cwd and
 * /proc/<tid>/fd/<dirfd> for relative paths, and readlink(2) of each
 * component to resolve symlinks (resolve()).
 */
#include "policy/subject.h"

#include "enrich/classes.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/entry.h"
#include "decode/syscalls.h"
#include "policy/policy_int.h"

int policy_path_join(const char *base, const char *in, size_t len,
		     char *out, size_t size)
{
	size_t o = 0, i = 0, start, n, k;
	int pass;

	/* pass 0 walks base (when `in` is relative), pass 1 walks `in` */
	for (pass = 0; pass < 2; pass++) {
		const char *s = pass ? in : base;
		size_t slen = pass ? len : (base ? strlen(base) : 0);

		if (pass == 0 && (len > 0 && in[0] == '/'))
			continue;
		for (i = 0; i < slen;) {
			while (i < slen && s[i] == '/')
				i++;
			start = i;
			while (i < slen && s[i] != '/')
				i++;
			n = i - start;
			if (n == 0 || (n == 1 && s[start] == '.'))
				continue;
			if (n == 2 && s[start] == '.' && s[start + 1] == '.') {
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--; /* the '/' */
				continue;
			}
			if (o + 1 + n + 1 > size)
				return -ENAMETOOLONG;
			out[o++] = '/';
			for (k = 0; k < n; k++)
				out[o++] = s[start + k];
		}
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/* The directory a relative path of `tid` starts from, into out. */
static int base_dir(pid_t tid, int64_t dirfd, char *out, size_t size)
{
	char link[64];
	ssize_t n;

	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid,
			 (int)dirfd);
	n = readlink(link, out, size - 1);
	if (n <= 0)
		return -ENOENT;
	if (out[0] != '/')
		return -ENOTDIR; /* pipe:[N], socket:[N], anon_inode:... */
	out[n] = '\0';
	return 0;
}

/*
 * realpath(3) of absolute path `p` as task `tid` of process `tgid` would
 * resolve it, into out[PATH_MAX]: symlinks are read with readlink(2) in
 * capsule's view of the file system, except that /proc/self and
 * /proc/thread-self (met in `p` or in a link's target) name the tracee's
 * entries, not capsule's.  A missing last component is kept (a file to
 * create).  At most 40 links are followed (ELOOP), as the kernel does.
 * Returns 0 or -errno.
 */
static int resolve(pid_t tid, pid_t tgid, const char *p, char *out)
{
	char rest[PATH_MAX], link[PATH_MAX];
	size_t o = 0, i = 0, start, n, save, tail;
	int links = 0;
	ssize_t k;

	n = strlen(p);
	if (n >= sizeof(rest))
		return -ENAMETOOLONG;
	memcpy(rest, p, n + 1);
	for (;;) {
		while (rest[i] == '/')
			i++;
		if (rest[i] == '\0')
			break;
		start = i;
		while (rest[i] != '\0' && rest[i] != '/')
			i++;
		n = i - start;
		if (n == 1 && rest[start] == '.')
			continue;
		if (n == 2 && rest[start] == '.' && rest[start + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o + 1 + n + 1 > PATH_MAX)
			return -ENAMETOOLONG;
		save = o;
		out[o++] = '/';
		memcpy(out + o, rest + start, n);
		o += n;
		out[o] = '\0';
		if (strcmp(out, "/proc/self") == 0)
			o = (size_t)snprintf(out, PATH_MAX, "/proc/%d",
					     (int)tgid);
		else if (strcmp(out, "/proc/thread-self") == 0)
			o = (size_t)snprintf(out, PATH_MAX, "/proc/%d/task/%d",
					     (int)tgid, (int)tid);
		k = readlink(out, link, sizeof(link) - 1);
		if (k < 0) {
			if (errno == EINVAL)
				continue; /* not a link */
			if (errno == ENOENT &&
			    strspn(rest + i, "/") == strlen(rest + i))
				continue; /* the last component: to create */
			return -errno;
		}
		if (++links > 40)
			return -ELOOP;
		/* rest becomes the link's target followed by what is left */
		tail = strlen(rest + i);
		if ((size_t)k + tail >= sizeof(rest))
			return -ENAMETOOLONG;
		memmove(rest + k, rest + i, tail + 1);
		memcpy(rest, link, (size_t)k);
		i = 0;
		o = link[0] == '/' ? 0 : save;
		out[o] = '\0';
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/*
 * The resource class of the call's first path (symlinks resolved when
 * possible) or destination address, from the enricher's one table
 * (enrich/classes.c): the same names the log's "class" fields carry.
 */
static const char *subject_class(const struct policy_subject *s)
{
	const struct sockaddr_in *in4;
	const struct sockaddr_in6 *in6;

	if (s->npaths > 0)
		return class_name(class_of_path(s->real[0] != NULL ? s->real[0]
								  : s->paths[0]));
	if (s->addr == NULL)
		return NULL;
	switch (s->addr->sa_family) {
	case AF_INET:
		if (s->addrlen < sizeof(*in4))
			return NULL;
		in4 = (const struct sockaddr_in *)s->addr;
		return class_name(class_of_ip(
			(const unsigned char *)&in4->sin_addr, 4));
	case AF_INET6:
		if (s->addrlen < sizeof(*in6))
			return NULL;
		in6 = (const struct sockaddr_in6 *)s->addr;
		return class_name(class_of_ip(
			(const unsigned char *)&in6->sin6_addr, 16));
	case AF_UNIX:
		return class_name(RC_NET_UNIX);
	case AF_NETLINK:
		return class_name(RC_NET_NETLINK);
	default:
		return class_name(RC_NET_OTHER);
	}
}

void policy_subject_fill(struct policy_subject *s, struct subject_buf *b,
			 const struct call_event *ev, bool resolve_args)
{
	struct entry_view v;
	char base[PATH_MAX];
	int i, r;

	memset(s, 0, sizeof(*s));
	s->abi = (enum ev_abi)ev->abi;
	s->nr = ev->nr;
	if (!resolve_args)
		return;
	entry_view(ev, &v);
	for (i = 0; i < v.npaths; i++) {
		const struct entry_path *p = &v.path[i];

		if (p->fault || p->truncated) {
			s->path_unknown = true;
			continue;
		}
		base[0] = '\0';
		if (p->len == 0 || p->s[0] != '/') {
			r = base_dir(ev->tid, p->dirfd, base, sizeof(base));
			if (r == -ENOTDIR && p->len == 0)
				continue; /* an fd that names no file */
			if (r < 0) {
				s->path_unknown = true;
				continue;
			}
		}
		if (policy_path_join(base, p->s, p->len, b->path[s->npaths],
				     sizeof(b->path[0])) < 0) {
			s->path_unknown = true;
			continue;
		}
		s->paths[s->npaths] = b->path[s->npaths];
		r = resolve(ev->tid, ev->pid, b->path[s->npaths],
			    b->real[s->npaths]);
		if (r == 0)
			s->real[s->npaths] = b->real[s->npaths];
		else if (r == -EACCES || r == -EPERM)
			/* capsule may not look where the tracee may (a
			 * non-dumpable tracee's /proc entries): unknown */
			s->path_unknown = true;
		s->npaths++;
	}
	if (v.has_open_flags)
		s->writes = (v.open_flags & (O_WRONLY | O_RDWR | O_CREAT |
					     O_TRUNC | O_APPEND)) != 0;
	else
		s->writes = policy_call_modifies(s->abi, s->nr);
	if (s->npaths > 0 && v.path[0].arg <= 1) {
		const char *n = syscall_name(s->abi, s->nr);

		if (n != NULL && (strcmp(n, "execve") == 0 ||
				  strcmp(n, "execveat") == 0))
		{
			s->exe = s->paths[0];
			s->exe_real = s->real[0];
		}
	}
	s->addr = v.sockaddr;
	s->addrlen = v.sockaddr_len;
	s->resource = subject_class(s);
}
