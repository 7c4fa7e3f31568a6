/*
 * enrich.c: process context, privilege changes, descriptor tables, paths
 * and classes (enrich.h; the fields are documented in docs/log-format.md,
 * "Enrichment").
 *
 * What each system call does to the state is keyed by an operation
 * (enum en_op) that one static const table (op_rows) assigns to syscall
 * names; enrich_init() turns it into a per-ABI array indexed by number,
 * read-only from then on and shared by both threads.
 */
#include "enrich/enrich.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode/args.h"
#include "decode/flags.h"
#include "decode/kinds.h"
#include "decode/syscalls.h"
#include "decode/vout.h"
#include "enrich/classes.h"
#include "enrich/fdtab.h"
#include "enrich/path.h"
#include "enrich/procfs.h"
#include "lib/json.h"

#define MAX_NR 1024 /* numbers looked up per ABI (x32 ends near 550) */

enum en_op {
	OP_NONE = 0,
	OP_OPEN,	/* returns a descriptor for its (first) path */
	OP_CLOSE,
	OP_CLOSE_RANGE,
	OP_DUP,		/* dup, dup2, dup3: the result copies arg 0 */
	OP_FCNTL,
	OP_IOCTL,
	OP_PIPE,	/* int[2] in arg 0 */
	OP_SOCKET,
	OP_SOCKETPAIR,	/* int[2] in arg 3 */
	OP_ACCEPT,
	OP_CONNECT,
	OP_BIND,
	OP_GETSOCKNAME,
	OP_GETPEERNAME,
	OP_LISTEN,	/* the kernel may pick the port now */
	OP_CHDIR,
	OP_FCHDIR,
	OP_EXEC,
	OP_UNSHARE,
	OP_SETNS,
	OP_CRED,	/* set*id, setgroups, capset */
	OP_PRCTL,
	OP_SECCOMP,
	OP_MEMFD,
	OP_ANONFD,	/* returns an anonymous-inode descriptor */
	OP_SYMLINK,	/* arg 0 is link contents, not a path to resolve */
};

#define CLOEXEC_NONE (-1)   /* no flag: the descriptor starts inheritable */
#define CLOEXEC_ALWAYS (-2) /* the kernel always sets FD_CLOEXEC */

struct op_row {
	const char *name;
	unsigned char op;	/* enum en_op */
	signed char flag_arg;	/* argument holding the close-on-exec flag */
	unsigned cloexec;	/* its bit in that argument */
	const char *anon;	/* OP_ANONFD: what the descriptor is */
};

/* clang-format off */
static const struct op_row op_rows[] = {
	{ "open", OP_OPEN, 1, O_CLOEXEC, NULL },
	{ "openat", OP_OPEN, 2, O_CLOEXEC, NULL },
	{ "openat2", OP_OPEN, CLOEXEC_NONE, 0, NULL },
	{ "creat", OP_OPEN, CLOEXEC_NONE, 0, NULL },
	{ "open_by_handle_at", OP_OPEN, 2, O_CLOEXEC, NULL },
	{ "close", OP_CLOSE, CLOEXEC_NONE, 0, NULL },
	{ "close_range", OP_CLOSE_RANGE, CLOEXEC_NONE, 0, NULL },
	{ "dup", OP_DUP, CLOEXEC_NONE, 0, NULL },
	{ "dup2", OP_DUP, CLOEXEC_NONE, 0, NULL },
	{ "dup3", OP_DUP, 2, O_CLOEXEC, NULL },
	{ "fcntl", OP_FCNTL, CLOEXEC_NONE, 0, NULL },
	{ "fcntl64", OP_FCNTL, CLOEXEC_NONE, 0, NULL },
	{ "ioctl", OP_IOCTL, CLOEXEC_NONE, 0, NULL },
	{ "pipe", OP_PIPE, CLOEXEC_NONE, 0, NULL },
	{ "pipe2", OP_PIPE, 1, O_CLOEXEC, NULL },
	{ "socket", OP_SOCKET, 1, SOCK_CLOEXEC, NULL },
	{ "socketpair", OP_SOCKETPAIR, 1, SOCK_CLOEXEC, NULL },
	{ "accept", OP_ACCEPT, CLOEXEC_NONE, 0, NULL },
	{ "accept4", OP_ACCEPT, 3, SOCK_CLOEXEC, NULL },
	{ "connect", OP_CONNECT, CLOEXEC_NONE, 0, NULL },
	{ "bind", OP_BIND, CLOEXEC_NONE, 0, NULL },
	{ "getsockname", OP_GETSOCKNAME, CLOEXEC_NONE, 0, NULL },
	{ "getpeername", OP_GETPEERNAME, CLOEXEC_NONE, 0, NULL },
	{ "listen", OP_LISTEN, CLOEXEC_NONE, 0, NULL },
	{ "chdir", OP_CHDIR, CLOEXEC_NONE, 0, NULL },
	{ "fchdir", OP_FCHDIR, CLOEXEC_NONE, 0, NULL },
	{ "execve", OP_EXEC, CLOEXEC_NONE, 0, NULL },
	{ "execveat", OP_EXEC, CLOEXEC_NONE, 0, NULL },
	{ "unshare", OP_UNSHARE, CLOEXEC_NONE, 0, NULL },
	{ "setns", OP_SETNS, CLOEXEC_NONE, 0, NULL },
	{ "setuid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setgid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setreuid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setregid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setresuid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setresgid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setfsuid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setfsgid", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setgroups", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setuid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setgid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setreuid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setregid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setresuid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setresgid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setfsuid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setfsgid32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "setgroups32", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "capset", OP_CRED, CLOEXEC_NONE, 0, NULL },
	{ "prctl", OP_PRCTL, CLOEXEC_NONE, 0, NULL },
	{ "seccomp", OP_SECCOMP, CLOEXEC_NONE, 0, NULL },
	{ "memfd_create", OP_MEMFD, 1, MFD_CLOEXEC, NULL },
	{ "memfd_secret", OP_ANONFD, 0, O_CLOEXEC, "[secretmem]" },
	{ "eventfd", OP_ANONFD, CLOEXEC_NONE, 0, "[eventfd]" },
	{ "eventfd2", OP_ANONFD, 1, EFD_CLOEXEC, "[eventfd]" },
	{ "epoll_create", OP_ANONFD, CLOEXEC_NONE, 0, "[eventpoll]" },
	{ "epoll_create1", OP_ANONFD, 0, EPOLL_CLOEXEC, "[eventpoll]" },
	{ "signalfd", OP_ANONFD, CLOEXEC_NONE, 0, "[signalfd]" },
	{ "signalfd4", OP_ANONFD, 3, SFD_CLOEXEC, "[signalfd]" },
	{ "timerfd_create", OP_ANONFD, 1, TFD_CLOEXEC, "[timerfd]" },
	{ "inotify_init", OP_ANONFD, CLOEXEC_NONE, 0, "inotify" },
	{ "inotify_init1", OP_ANONFD, 0, IN_CLOEXEC, "inotify" },
	{ "fanotify_init", OP_ANONFD, 0, FAN_CLOEXEC, "[fanotify]" },
	{ "pidfd_open", OP_ANONFD, CLOEXEC_ALWAYS, 0, "[pidfd]" },
	{ "pidfd_getfd", OP_ANONFD, CLOEXEC_ALWAYS, 0, "pidfd_getfd" },
	{ "userfaultfd", OP_ANONFD, 0, O_CLOEXEC, "[userfaultfd]" },
	{ "perf_event_open", OP_ANONFD, 4, 8 /* PERF_FLAG_FD_CLOEXEC */,
	  "[perf_event]" },
	{ "io_uring_setup", OP_ANONFD, CLOEXEC_ALWAYS, 0, "[io_uring]" },
	{ "landlock_create_ruleset", OP_ANONFD, CLOEXEC_ALWAYS, 0,
	  "[landlock-ruleset]" },
	{ "symlink", OP_SYMLINK, CLOEXEC_NONE, 0, NULL },
	{ "symlinkat", OP_SYMLINK, CLOEXEC_NONE, 0, NULL },
};
/* clang-format on */

/* prctl options that change what a process may do (PEV_CALL snapshot) */
static bool prctl_changes_privs(uint64_t option)
{
	return option == PR_SET_NO_NEW_PRIVS || option == PR_SET_SECCOMP ||
	       option == PR_CAPBSET_DROP || option == PR_CAP_AMBIENT ||
	       option == PR_SET_SECUREBITS;
}

/* One process as the pipeline knows it. */
struct en_proc {
	struct en_proc *next;	/* hash chain */
	pid_t pid;
	pid_t ppid;
	int nthreads;		/* live tasks; the entry goes with the last */
	struct proc_snap st;	/* numbers of the merged snapshots; `have`
				 * says which parts; its snap_str unused */
	uint32_t *groups;	/* owned */
	size_t ngroups;
	char *exe, *cwd, *cgroup, *lsm; /* owned, or NULL */
	char *argv;		/* owned: NUL-separated, argv_len bytes */
	size_t argv_len;
	struct fdtab *fds;	/* one reference */
	bool has_seq;		/* seq: of its latest process record */
	uint64_t seq;
	bool implicit;		/* made by a syscall record, before its own
				 * PEV_NEW (the child ran first) */
	struct buf head;	/* owned: the members every syscall record
				 * of it starts with (,"exe":... "proc_seq"),
				 * escaped once, not once per record ... */
	bool head_ok;		/* ... while they are current: cleared when
				 * exe, st or seq change */
};

/* ---- small helpers ---- */

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *xstrdup_or_null(const char *s)
{
	return s != NULL ? xstrndup(s, strlen(s)) : NULL;
}

static void set_str(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = xstrndup(s, n);
}

static uint64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const struct op_row *row_of(const struct en_opmap *m, int abi, int nr)
{
	if (abi < 0 || abi >= _ABI_MAX || nr < 0 || nr >= m->n[abi] ||
	    m->op[abi][nr] == 0)
		return NULL;
	return &op_rows[m->op[abi][nr] - 1];
}

static void key(struct buf *b, const char *k)
{
	json_add_key(b, k, 1);
}

static void add_cstr_bytes(struct buf *b, const char *s)
{
	json_add_bytes(b, s, strlen(s));
}

/* ---- init ---- */

static void opmap_build(struct en_opmap *m)
{
	const char *name;
	size_t r;
	int abi, nr;

	for (abi = 0; abi < _ABI_MAX; abi++) {
		m->n[abi] = MAX_NR;
		m->op[abi] = calloc(MAX_NR, 1);
		if (m->op[abi] == NULL) {
			fputs("capsule: out of memory\n", stderr);
			abort();
		}
		for (nr = 0; nr < MAX_NR; nr++) {
			name = syscall_name(abi, nr);
			if (name == NULL)
				continue;
			for (r = 0; r < sizeof(op_rows) / sizeof(op_rows[0]);
			     r++)
				if (strcmp(op_rows[r].name, name) == 0) {
					m->op[abi][nr] = (uint8_t)(r + 1);
					break;
				}
		}
	}
}

void enrich_init(struct enrich *en, struct enrich_probe *pr)
{
	struct buf b = BUF_INIT;

	memset(en, 0, sizeof(*en));
	opmap_build(&en->ops);
	en->nslots = 256;
	en->slots = calloc(en->nslots, sizeof(*en->slots));
	if (en->slots == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	en->hz = sysconf(_SC_CLK_TCK);
	if (en->hz <= 0)
		en->hz = 100;
	if (proc_boot_time(&en->boot_sec) < 0)
		en->boot_sec = 0;
	buf_init(&en->tmp);
	buf_init(&en->fdj);
	buf_init(&en->pathj);
	buf_init(&en->vpath[0]);
	buf_init(&en->vpath[1]);
	buf_init(&en->vaddr);
	buf_init(&en->cls_path);
	en->cls_last = RC_NONE;

	memset(pr, 0, sizeof(*pr));
	pr->ops = &en->ops;
	/* a task label exists when attr/current reads (EINVAL otherwise) */
	pr->lsm_present =
		proc_read_file("/proc/self/attr/current", 4096, &b) == 0;
	buf_release(&b);
}

static void proc_free(struct en_proc *p)
{
	if (p == NULL)
		return;
	free(p->groups);
	free(p->exe);
	free(p->cwd);
	free(p->cgroup);
	free(p->lsm);
	free(p->argv);
	fdtab_unref(p->fds);
	buf_release(&p->head);
	free(p);
}

void enrich_release(struct enrich *en)
{
	struct en_proc *p, *n;
	size_t i;
	int abi;

	if (en == NULL)
		return;
	for (i = 0; i < en->nslots; i++)
		for (p = en->slots[i]; p != NULL; p = n) {
			n = p->next;
			proc_free(p);
		}
	free(en->slots);
	en->slots = NULL;
	for (abi = 0; abi < _ABI_MAX; abi++) {
		free(en->ops.op[abi]);
		en->ops.op[abi] = NULL;
	}
	buf_release(&en->tmp);
	buf_release(&en->fdj);
	buf_release(&en->pathj);
	buf_release(&en->vpath[0]);
	buf_release(&en->vpath[1]);
	buf_release(&en->vaddr);
	buf_release(&en->cls_path);
}

/* ---- the tracer thread's half ---- */

/* After connect/accept: both socket ends, while the socket exists. */
static int sock_probe(struct enrich_probe *pr, struct call_event *ev,
		      const struct call_event *call)
{
	struct sock_snap *ss;
	uint64_t t0 = mono_now(), dt;
	int fd = row_of(pr->ops, call->abi, call->nr)->op == OP_CONNECT
			 ? (int)(int32_t)call->args[0]
			 : (int)call->ret;

	ss = xmalloc(sizeof(*ss));
	if (proc_sock_snapshot(ev->tid, fd, ss) < 0) {
		free(ss);
		return 0;
	}
	ev->args[1] = PEV_CALL_SOCK;
	ev->blob = (char *)ss;
	ev->blob_len = sizeof(*ss);
	dt = mono_now() - t0;
	pr->nsock++;
	pr->sock_ns += dt;
	return 1;
}

int enrich_probe_hook(void *ctx, struct call_event *ev,
		      const struct call_event *call)
{
	struct enrich_probe *pr = ctx;
	const struct op_row *row;
	struct buf b = BUF_INIT;
	unsigned what = 0;
	int64_t flags;
	uint64_t t0, dt;

	switch (ev->nr) {
	case PEV_CALL:
		row = row_of(pr->ops, call->abi, call->nr);
		if (row == NULL || call->is_error || call->unfinished)
			return 0;
		switch (row->op) {
		case OP_EXEC:
			what = SNAP_STATUS | SNAP_IDENT | SNAP_LSM;
			if (!pr->root_seen) {
				/* the command itself: all, and its fds */
				what |= SNAP_START | SNAP_NS | SNAP_FDS;
				pr->root_seen = true;
			}
			break;
		case OP_CRED:
		case OP_SECCOMP:
			what = SNAP_STATUS;
			break;
		case OP_PRCTL:
			if (!prctl_changes_privs(call->args[0]))
				return 0;
			what = SNAP_STATUS;
			break;
		case OP_UNSHARE:
		case OP_SETNS:
			what = SNAP_STATUS | SNAP_NS | SNAP_IDENT;
			break;
		case OP_CONNECT:
		case OP_ACCEPT:
			return sock_probe(pr, ev, call);
		default:
			return 0;
		}
		break;
	case PEV_NEW:
		flags = (int64_t)ev->args[1];
		if (flags > 0 && (flags & CLONE_THREAD))
			return 1; /* a thread: the process's context is its */
		what = SNAP_START;
		/* a fork inherits creds and namespaces, unless asked not to */
		if (flags < 0 ||
		    (flags & (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
			      CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |
			      CLONE_NEWCGROUP | CLONE_INTO_CGROUP)))
			what |= SNAP_STATUS | SNAP_NS;
		break;
	default:
		return 1; /* PEV_EXIT: the cache has the context */
	}
	t0 = mono_now();
	if (proc_snapshot(ev->tid, what, pr->lsm_present, &b) == 0) {
		size_t len;

		ev->blob = buf_detach(&b, &len);
		ev->blob_len = (uint32_t)len;
	}
	buf_release(&b);
	dt = mono_now() - t0;
	pr->nsnap++;
	pr->snap_ns += dt;
	if (dt > pr->snap_max_ns)
		pr->snap_max_ns = dt;
	return 1;
}

/* ---- process table ---- */

static size_t slot(const struct enrich *en, pid_t pid)
{
	return ((uint32_t)pid * 2654435761u) & (en->nslots - 1);
}

static struct en_proc *proc_find(struct enrich *en, pid_t pid)
{
	struct en_proc *p;

	for (p = en->slots[slot(en, pid)]; p != NULL; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* Takes `p` out of the table; the caller frees it. */
static void proc_unlink(struct enrich *en, struct en_proc *p)
{
	struct en_proc **pp = &en->slots[slot(en, p->pid)];

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	en->nprocs--;
}

static void proc_remove(struct enrich *en, struct en_proc *p)
{
	proc_unlink(en, p);
	proc_free(p);
}

static struct en_proc *proc_new(struct enrich *en, pid_t pid)
{
	struct en_proc *p = proc_find(en, pid), **old;
	size_t i, n;

	if (p != NULL)
		proc_remove(en, p); /* a recycled pid */
	if ((en->nprocs + 1) * 2 > en->nslots) {
		old = en->slots;
		n = en->nslots;
		en->nslots *= 2;
		en->slots = calloc(en->nslots, sizeof(*en->slots));
		if (en->slots == NULL) {
			fputs("capsule: out of memory\n", stderr);
			abort();
		}
		for (i = 0; i < n; i++)
			while (old[i] != NULL) {
				p = old[i];
				old[i] = p->next;
				p->next = en->slots[slot(en, p->pid)];
				en->slots[slot(en, p->pid)] = p;
			}
		free(old);
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	p->pid = pid;
	p->nthreads = 1;
	buf_init(&p->head);
	p->st.no_new_privs = -1;
	p->st.seccomp = -1;
	p->next = en->slots[slot(en, pid)];
	en->slots[slot(en, pid)] = p;
	en->nprocs++;
	return p;
}

static struct en_proc *proc_get(struct enrich *en, pid_t pid)
{
	struct en_proc *p = proc_find(en, pid);

	if (p == NULL) {
		p = proc_new(en, pid);
		p->fds = fdtab_new();
		p->implicit = true;
	}
	return p;
}

/*
 * A child can run before its creator's fork event reaches capsule: the
 * descriptors it set up meanwhile (in `early`, made implicitly) win over
 * the ones it inherits into `p`.
 */
static void keep_early_fds(struct en_proc *p, struct en_proc *early)
{
	struct fd_ent *e, *n;
	int fd;

	fdtab_unshare(&p->fds);
	for (fd = 0; fd < early->fds->n; fd++) {
		e = fdtab_get(early->fds, fd);
		if (e == NULL)
			continue;
		n = fdtab_set(p->fds, fd, e->type, e->cloexec);
		if (n == NULL)
			continue;
		*n = *e; /* the strings move over */
		memset(e, 0, sizeof(*e));
	}
}

/* ---- sockets ---- */

static const char *family_name(int family)
{
	switch (family) {
	case AF_UNIX:
		return "AF_UNIX";
	case AF_INET:
		return "AF_INET";
	case AF_INET6:
		return "AF_INET6";
	case AF_NETLINK:
		return "AF_NETLINK";
	case AF_PACKET:
		return "AF_PACKET";
	default:
		return NULL;
	}
}

static int class_of_family(int family)
{
	switch (family) {
	case AF_UNIX:
		return RC_NET_UNIX;
	case AF_NETLINK:
		return RC_NET_NETLINK;
	case AF_INET:
	case AF_INET6:
		return RC_NONE; /* by address, once known */
	default:
		return RC_NET_OTHER;
	}
}

/*
 * The endpoint string of sockaddr bytes, into `out` (reset first), and
 * its class and family.  Returns 0, or -1 for an address too short to say.
 */
static int sockaddr_endpoint(const unsigned char *sa, size_t len,
			     struct buf *out, int *ret_cls, int *ret_family)
{
	char a[INET6_ADDRSTRLEN];
	sa_family_t fam;
	uint16_t port;
	uint32_t nlpid;
	size_t n;

	buf_reset(out);
	if (len < sizeof(fam))
		return -1;
	memcpy(&fam, sa, sizeof(fam));
	*ret_family = fam;
	switch (fam) {
	case AF_INET:
		if (len < 8)
			return -1;
		memcpy(&port, sa + 2, 2);
		buf_add_ip4(out, sa + 4);
		buf_addch(out, ':');
		buf_add_u64(out, ntohs(port));
		*ret_cls = class_of_ip(sa + 4, 4);
		return 0;
	case AF_INET6:
		if (len < 24)
			return -1;
		memcpy(&port, sa + 2, 2);
		inet_ntop(AF_INET6, sa + 8, a, sizeof(a));
		buf_addf(out, "[%s]:%u", a, (unsigned)ntohs(port));
		*ret_cls = class_of_ip(sa + 8, 16);
		return 0;
	case AF_UNIX:
		n = len - 2;
		if (n > 0 && sa[2] == '\0') {
			buf_addch(out, '@');
			buf_add(out, sa + 3, strnlen((const char *)sa + 3, n - 1));
			*ret_cls = RC_NET_UNIX;
		} else {
			buf_add(out, sa + 2, strnlen((const char *)sa + 2, n));
			*ret_cls = out->len ? class_of_path(out->s)
					    : RC_NET_UNIX;
			if (*ret_cls != RC_RUNTIME_SOCKET)
				*ret_cls = RC_NET_UNIX;
		}
		return 0;
	case AF_NETLINK:
		nlpid = 0;
		if (len >= 8)
			memcpy(&nlpid, sa + 4, 4);
		buf_addf(out, "netlink:%u", nlpid);
		*ret_cls = RC_NET_NETLINK;
		return 0;
	default:
		buf_addf(out, "family:%u", (unsigned)fam);
		*ret_cls = RC_NET_OTHER;
		return 0;
	}
}

static void socket_class(struct fd_ent *e, int addr_cls)
{
	if (addr_cls != RC_NONE)
		e->cls = (uint8_t)addr_cls;
}

/* The socket inode behind descriptor `fd` of `pid`, or 0. */
static uint64_t fd_inode(pid_t pid, int fd)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	if (strncmp(link, "socket:[", 8) != 0)
		return 0;
	return strtoull(link + 8, NULL, 10);
}

/*
 * Fills missing endpoints of socket `e` from /proc/PID/net tables by inode
 * (pre-existing sockets, the local end of a connect): pipeline thread,
 * once per socket.
 */
/* Does an endpoint "ADDR:PORT" ("[v6]:PORT") end in port 0? */
static bool port_is_zero(const char *endpoint)
{
	size_t n = strlen(endpoint);

	return n >= 2 && strcmp(endpoint + n - 2, ":0") == 0;
}

static void socket_from_proc(struct enrich *en, pid_t pid, int fd,
			     struct fd_ent *e)
{
	static const char *const inet[] = { "tcp", "udp", "tcp6", "udp6" };
	struct net_ent ne;
	char path[64];
	size_t i;
	int found = 0, cls, fam;

	e->probed = true;
	if (e->inode == 0)
		e->inode = fd_inode(pid, fd);
	if (e->inode == 0)
		return;
	for (i = 0; i < 4 && !found; i++) {
		if ((e->family == AF_INET && i >= 2) ||
		    (e->family == AF_INET6 && i < 2) || e->family == AF_UNIX)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/net/%s", (int)pid,
			 inet[i]);
		buf_reset(&en->tmp);
		if (proc_read_file(path, 16u << 20, &en->tmp) == 0)
			found = proc_net_find_inet(en->tmp.s, i >= 2, e->inode,
						   &ne);
		if (found && e->family < 0)
			e->family = i >= 2 ? AF_INET6 : AF_INET;
	}
	if (!found && (e->family == AF_UNIX || e->family < 0)) {
		snprintf(path, sizeof(path), "/proc/%d/net/unix", (int)pid);
		buf_reset(&en->tmp);
		if (proc_read_file(path, 16u << 20, &en->tmp) == 0 &&
		    proc_net_find_unix(en->tmp.s, e->inode, &ne)) {
			found = 1;
			e->family = AF_UNIX;
			e->cls = RC_NET_UNIX;
		}
	}
	if (!found)
		return;
	if (e->local == NULL && ne.local[0])
		e->local = xstrdup_or_null(ne.local);
	if (e->remote == NULL && ne.remote[0] && e->family != AF_UNIX)
		e->remote = xstrdup_or_null(ne.remote);
	if (e->family == AF_INET || e->family == AF_INET6) {
		/* class from the address text: parse it back */
		unsigned char a[16];
		const char *ep = e->remote ? e->remote : e->local;
		char host[INET6_ADDRSTRLEN + 2], *colon;

		snprintf(host, sizeof(host), "%s", ep ? ep : "");
		colon = strrchr(host, ':');
		if (colon != NULL)
			*colon = '\0';
		fam = host[0] == '[';
		if (fam) {
			host[strlen(host) - 1] = '\0';
			cls = inet_pton(AF_INET6, host + 1, a) == 1
				      ? class_of_ip(a, 16)
				      : RC_NONE;
		} else {
			cls = inet_pton(AF_INET, host, a) == 1
				      ? class_of_ip(a, 4)
				      : RC_NONE;
		}
		socket_class(e, cls);
	}
}

/* ---- descriptors in records ---- */

static const char *const fd_type_names[] = {
	[FT_FREE] = "closed", [FT_UNKNOWN] = "unknown", [FT_FILE] = "file",
	[FT_PIPE] = "pipe",   [FT_SOCKET] = "socket",   [FT_ANON] = "anon",
};

/* Appends ,"<name>":{...} describing descriptor `fd`; returns its class. */
static int annotate_fd(struct enrich *en, struct en_proc *p, pid_t pid,
		       const char *name, int fd)
{
	struct buf *b = &en->fdj;
	struct fd_ent *e = fdtab_get(p->fds, fd);
	const char *fam;

	key(b, name);
	if (e == NULL) {
		buf_adds(b, "{\"type\":\"unknown\"}");
		return RC_NONE;
	}
	if (e->type == FT_SOCKET && !e->probed &&
	    (e->local == NULL || (e->remote == NULL && e->inode != 0)) &&
	    (e->inode != 0 || e->family < 0))
		socket_from_proc(en, pid, fd, e);
	buf_adds(b, "{\"type\":\"");
	buf_adds(b, fd_type_names[e->type]);
	buf_addch(b, '"');
	if (e->path != NULL) {
		key(b, e->type == FT_ANON ? "name" : "path");
		add_cstr_bytes(b, e->path);
	}
	if (e->type == FT_SOCKET) {
		fam = family_name(e->family);
		if (fam != NULL) {
			key(b, "family");
			json_add_name(b, fam);
		}
		if (e->local != NULL) {
			key(b, "local");
			add_cstr_bytes(b, e->local);
		}
		if (e->remote != NULL) {
			key(b, "remote");
			add_cstr_bytes(b, e->remote);
		}
	}
	if (class_name(e->cls) != NULL) {
		key(b, "class");
		json_add_name(b, class_name(e->cls));
	}
	buf_addch(b, '}');
	return e->cls;
}

/* ---- applying a call's effect ---- */

static bool want_cloexec(const struct op_row *row, const struct call_event *ev)
{
	if (row->flag_arg == CLOEXEC_ALWAYS)
		return true;
	if (row->flag_arg < 0)
		return false;
	return (ev->args[(int)row->flag_arg] & row->cloexec) != 0;
}

static int arg_fd(const struct call_event *ev, int i)
{
	return (int)(int32_t)ev->args[i];
}

static void fd_pair(struct en_proc *p, const struct call_event *ev, int arg,
		    int type, bool cloexec)
{
	const unsigned char *d;
	size_t len;
	int trunc, fds[2], i;
	struct fd_ent *e;

	if (!decode_arg_bytes(ev, arg, &d, &len, &trunc) || len < sizeof(fds))
		return;
	memcpy(fds, d, sizeof(fds));
	for (i = 0; i < 2; i++) {
		e = fdtab_set(p->fds, fds[i], type, cloexec);
		if (e == NULL)
			continue;
		if (type == FT_PIPE) {
			e->cls = RC_PIPE;
		} else {
			e->family = (int)(int32_t)ev->args[0];
			e->sotype = (int)(ev->args[1] & 0xf);
			e->cls = (uint8_t)class_of_family(e->family);
		}
	}
}

/* Sets the local or remote end of socket `fd` from sockaddr argument i. */
static void set_endpoint(struct enrich *en, struct en_proc *p, int fd,
			 const struct call_event *ev, int i, bool remote)
{
	struct fd_ent *e = fdtab_get(p->fds, fd);
	const unsigned char *d;
	size_t len;
	int trunc, cls = RC_NONE, fam = -1;

	if (e == NULL || !decode_arg_bytes(ev, i, &d, &len, &trunc) ||
	    sockaddr_endpoint(d, len, &en->tmp, &cls, &fam) < 0)
		return;
	if (e->type != FT_SOCKET) {
		e = fdtab_set(p->fds, fd, FT_SOCKET, e->cloexec);
		if (e == NULL)
			return;
	}
	if (fam == AF_UNSPEC) { /* connect(AF_UNSPEC): dissolve */
		free(e->remote);
		e->remote = NULL;
		return;
	}
	e->family = fam;
	if (remote)
		set_str(&e->remote, en->tmp.s, en->tmp.len);
	else if (en->tmp.len || fam != AF_UNIX)
		set_str(&e->local, en->tmp.s, en->tmp.len);
	if (remote || e->remote == NULL || e->cls == RC_NONE)
		socket_class(e, cls);
}

/*
 * class_of_path() of an absolute path, remembering the last one: a path
 * is classified for its "paths" member and again for the descriptor an
 * open makes of it, and the same files come back call after call.
 */
static int path_class(struct enrich *en, const char *abs, size_t len)
{
	if (en->cls_last != RC_NONE && en->cls_path.len == len &&
	    memcmp(en->cls_path.s, abs, len) == 0)
		return en->cls_last;
	en->cls_last = class_of_path(abs);
	buf_reset(&en->cls_path);
	buf_add(&en->cls_path, abs, len);
	return en->cls_last;
}

static void apply(struct enrich *en, struct en_proc *p,
		  const struct call_event *ev, const struct op_row *row,
		  const char *abs)
{
	bool ok = !ev->unfinished && !ev->is_error;
	int fd = ok ? (int)ev->ret : -1, cmd;
	struct fd_ent *e, *o;
	const unsigned char *d;
	size_t len;
	int trunc;

	if (ev->unfinished)
		return;
	switch (row->op) {
	case OP_OPEN:
		if (!ok)
			return;
		e = fdtab_set(p->fds, fd, abs ? FT_FILE : FT_UNKNOWN,
			      want_cloexec(row, ev));
		if (e != NULL && abs != NULL) {
			e->path = xstrdup_or_null(abs);
			e->cls = (uint8_t)path_class(en, abs, strlen(abs));
		}
		return;
	case OP_CLOSE:
		if (ok || ev->ret != -EBADF)
			fdtab_close(p->fds, arg_fd(ev, 0));
		return;
	case OP_CLOSE_RANGE:
		if (!ok)
			return;
		if (ev->args[2] & CLOSE_RANGE_UNSHARE)
			fdtab_unshare(&p->fds);
		fdtab_close_range(p->fds, (uint32_t)ev->args[0],
				  (uint32_t)ev->args[1],
				  (ev->args[2] & CLOSE_RANGE_CLOEXEC) != 0);
		return;
	case OP_DUP:
		if (ok)
			(void)fdtab_dup(p->fds, arg_fd(ev, 0), fd,
					want_cloexec(row, ev));
		return;
	case OP_FCNTL:
		if (!ok)
			return;
		cmd = (int)ev->args[1];
		if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
			(void)fdtab_dup(p->fds, arg_fd(ev, 0), fd,
					cmd == F_DUPFD_CLOEXEC);
		} else if (cmd == F_SETFD) {
			e = fdtab_get(p->fds, arg_fd(ev, 0));
			if (e != NULL)
				e->cloexec = (ev->args[2] & FD_CLOEXEC) != 0;
		}
		return;
	case OP_IOCTL:
		if (!ok || (ev->args[1] != FIOCLEX && ev->args[1] != FIONCLEX))
			return;
		e = fdtab_get(p->fds, arg_fd(ev, 0));
		if (e != NULL)
			e->cloexec = ev->args[1] == FIOCLEX;
		return;
	case OP_PIPE:
		if (ok)
			fd_pair(p, ev, 0, FT_PIPE, want_cloexec(row, ev));
		return;
	case OP_SOCKETPAIR:
		if (ok)
			fd_pair(p, ev, 3, FT_SOCKET, want_cloexec(row, ev));
		return;
	case OP_SOCKET:
		if (!ok)
			return;
		e = fdtab_set(p->fds, fd, FT_SOCKET, want_cloexec(row, ev));
		if (e != NULL) {
			e->family = (int)(int32_t)ev->args[0];
			e->sotype = (int)(ev->args[1] & 0xf);
			e->cls = (uint8_t)class_of_family(e->family);
		}
		return;
	case OP_ACCEPT:
		if (!ok)
			return;
		o = fdtab_get(p->fds, arg_fd(ev, 0));
		e = fdtab_set(p->fds, fd, FT_SOCKET, want_cloexec(row, ev));
		if (e == NULL)
			return;
		o = fdtab_get(p->fds, arg_fd(ev, 0)); /* the table may move */
		if (o != NULL && o->type == FT_SOCKET) {
			e->family = o->family;
			e->sotype = o->sotype;
			e->local = xstrdup_or_null(o->local);
			e->cls = o->cls;
		}
		set_endpoint(en, p, fd, ev, 1, true);
		return;
	case OP_CONNECT:
		if (!ok && ev->ret != -EINPROGRESS)
			return;
		fd = arg_fd(ev, 0);
		set_endpoint(en, p, fd, ev, 1, true);
		e = fdtab_get(p->fds, fd);
		if (e != NULL && e->type == FT_SOCKET && e->local == NULL &&
		    (e->family == AF_INET || e->family == AF_INET6))
			socket_from_proc(en, ev->pid, fd, e);
		return;
	case OP_BIND:
		if (ok)
			set_endpoint(en, p, arg_fd(ev, 0), ev, 1, false);
		return;
	case OP_GETSOCKNAME:
	case OP_GETPEERNAME:
		if (ok)
			set_endpoint(en, p, arg_fd(ev, 0), ev, 1,
				     row->op == OP_GETPEERNAME);
		return;
	case OP_LISTEN:
		/*
		 * An inet socket bound to port 0, or never bound, gets its
		 * port from the kernel now: ask /proc/<pid>/net for it.  This
		 * runs after the call, so a socket closed at once is gone:
		 * then the endpoint stays what bind said.
		 */
		e = fdtab_get(p->fds, arg_fd(ev, 0));
		if (ok && e != NULL && e->type == FT_SOCKET &&
		    e->family != AF_UNIX &&
		    (e->local == NULL || port_is_zero(e->local))) {
			char *old = e->local;

			e->local = NULL;
			socket_from_proc(en, ev->pid, arg_fd(ev, 0), e);
			if (e->local == NULL)
				e->local = old;
			else
				free(old);
		}
		return;
	case OP_CHDIR:
		if (ok && abs != NULL)
			set_str(&p->cwd, abs, strlen(abs));
		return;
	case OP_FCHDIR:
		e = fdtab_get(p->fds, arg_fd(ev, 0));
		if (ok && e != NULL && e->type == FT_FILE && e->path != NULL)
			set_str(&p->cwd, e->path, strlen(e->path));
		return;
	case OP_EXEC:
		if (ok) {
			/* exec gives the process a table of its own */
			fdtab_unshare(&p->fds);
			fdtab_exec(p->fds);
		}
		return;
	case OP_UNSHARE:
		if (ok && (ev->args[0] & CLONE_FILES))
			fdtab_unshare(&p->fds);
		return;
	case OP_MEMFD:
		if (!ok)
			return;
		e = fdtab_set(p->fds, fd, FT_ANON, want_cloexec(row, ev));
		if (e == NULL)
			return;
		buf_reset(&en->tmp);
		buf_adds(&en->tmp, "memfd:");
		if (decode_arg_bytes(ev, 0, &d, &len, &trunc))
			buf_add(&en->tmp, d, strnlen((const char *)d, len));
		e->path = xstrndup(en->tmp.s, en->tmp.len);
		e->cls = RC_ANON;
		return;
	case OP_ANONFD:
		if (!ok)
			return;
		e = fdtab_set(p->fds, fd, FT_ANON, want_cloexec(row, ev));
		if (e != NULL) {
			e->path = xstrdup_or_null(row->anon);
			e->cls = RC_ANON;
		}
		return;
	default:
		return;
	}
}

static bool returns_fd(int op)
{
	return op == OP_OPEN || op == OP_DUP || op == OP_SOCKET ||
	       op == OP_ACCEPT || op == OP_MEMFD || op == OP_ANONFD;
}

/* ---- syscall records ---- */

/*
 * Appends ,"<name>":{"abs":..,"class":..} for path argument i into
 * en->pathj; the absolute path is left in `abs`.  Returns its class, or
 * RC_NONE when the path cannot be resolved (unknown dirfd).
 */
static int annotate_path(struct enrich *en, struct en_proc *p,
			 const struct call_event *ev,
			 const struct syscall_desc *d, int i, struct buf *abs)
{
	const unsigned char *data;
	const char *base = p->cwd;
	struct fd_ent *e;
	size_t len;
	int trunc, dirfd, cls;

	if (!decode_arg_bytes(ev, i, &data, &len, &trunc) || trunc)
		return RC_NONE;
	if ((len == 0 || data[0] != '/') && i > 0 &&
	    syscall_arg_kind(ev, i - 1, d->args[i - 1].kind) == K_DIRFD &&
	    (dirfd = arg_fd(ev, i - 1)) != AT_FDCWD) {
		e = fdtab_get(p->fds, dirfd);
		base = e != NULL && e->type == FT_FILE ? e->path : NULL;
		if (base == NULL)
			return RC_NONE;
	} else if ((len == 0 || data[0] != '/') && base == NULL) {
		return RC_NONE;
	}
	buf_reset(abs);
	path_resolve(abs, base, (const char *)data,
		     strnlen((const char *)data, len));
	cls = path_class(en, abs->s, abs->len);
	key(&en->pathj, d->args[i].name);
	buf_adds(&en->pathj, "{\"abs\":");
	json_add_bytes(&en->pathj, abs->s, abs->len);
	buf_adds(&en->pathj, ",\"class\":");
	json_add_name(&en->pathj, class_name(cls));
	buf_addch(&en->pathj, '}');
	return cls;
}

static void close_obj(struct buf *out, const char *name, struct buf *members)
{
	if (members->len == 0)
		return;
	key(out, name);
	buf_addch(out, '{');
	buf_add(out, members->s + 1, members->len - 1); /* drop the comma */
	buf_addch(out, '}');
}

/* The view's descriptor: what `fd` is after the call. */
static void view_fd(struct en_proc *p, int fd, struct call_view *v)
{
	struct fd_ent *e = fdtab_get(p->fds, fd);

	v->fd = fd;
	if (e == NULL)
		return;
	v->fd_type = e->type;
	v->fd_path = e->path;
	v->fd_cls = e->cls;
	v->fd_family = e->type == FT_SOCKET ? e->family : -1;
	v->fd_sotype = e->type == FT_SOCKET ? e->sotype : -1;
	v->fd_remote = e->remote;
	v->fd_local = e->local;
}

/* Makes p->head: the members that start each of its syscall records. */
static void put_call_head(struct en_proc *p)
{
	struct buf *b = &p->head;

	buf_reset(b);
	/* one allocation: room for the numbers and an exe without escapes */
	buf_grow(b, 80 + (p->exe != NULL ? strlen(p->exe) : 0));
	if (p->exe != NULL) {
		key(b, "exe");
		add_cstr_bytes(b, p->exe);
	}
	if (p->st.have & SNAP_STATUS) {
		key(b, "uid");
		buf_add_u64(b, p->st.uid[0]);
		key(b, "euid");
		buf_add_u64(b, p->st.uid[1]);
	}
	if (p->has_seq) {
		key(b, "proc_seq");
		buf_add_u64(b, p->seq);
	}
	p->head_ok = true;
}

void enrich_call(struct enrich *en, const struct call_event *ev,
		 struct buf *out)
{
	enrich_call_view(en, ev, out, NULL);
}

void enrich_call_view(struct enrich *en, const struct call_event *ev,
		      struct buf *out, struct call_view *view)
{
	struct en_proc *p = proc_get(en, ev->pid);
	const struct syscall_desc *d = syscall_desc(ev->abi, ev->nr);
	const struct op_row *row = row_of(&en->ops, ev->abi, ev->nr);
	const unsigned char *sa;
	int i, n, k, fd, c, trunc, fam, npaths = 0, first_fd = -1;
	int path_cls = RC_NONE, addr_cls = RC_NONE, fd_cls = RC_NONE;
	int path2_cls = RC_NONE;
	bool have_addr = false;
	size_t len;

	if (!p->head_ok)
		put_call_head(p);
	buf_add(out, p->head.s, p->head.len);
	if (view != NULL) {
		memset(view, 0, sizeof(*view));
		view->exe = p->exe;
		view->ppid = p->ppid;
		view->uid = view->euid = -1;
		if (p->st.have & SNAP_STATUS) {
			view->uid = p->st.uid[0];
			view->euid = p->st.uid[1];
			view->cap_eff = p->st.cap_eff;
		}
		view->fd = -1;
		view->fd_family = view->fd_sotype = -1;
	}
	if (d == NULL)
		return;
	buf_reset(&en->fdj);
	buf_reset(&en->pathj);
	n = syscall_nargs(d);
	for (i = 0; i < n; i++) {
		k = syscall_arg_kind(ev, i, d->args[i].kind);
		if ((k == K_FD && !(row && (row->op == OP_CLOSE_RANGE ||
					    (row->op == OP_FCNTL && i > 0)))) ||
		    k == K_DIRFD) {
			fd = arg_fd(ev, i);
			if (fd < 0)
				continue;
			c = annotate_fd(en, p, ev->pid, d->args[i].name, fd);
			if (fd_cls == RC_NONE)
				fd_cls = c;
			if (first_fd < 0 && k == K_FD)
				first_fd = fd;
		} else if (k == K_PATH &&
			   !(i == 0 && row && row->op == OP_SYMLINK)) {
			/* the first two paths are kept (rename, link) */
			struct buf *target =
				npaths < 2 ? &en->vpath[npaths] : &en->tmp;

			c = annotate_path(en, p, ev, d, i, target);
			if (c != RC_NONE && npaths < 2) {
				if (npaths == 1)
					path2_cls = c;
				npaths++;
			}
			if (path_cls == RC_NONE)
				path_cls = c;
		} else if (k == K_SOCKADDR && addr_cls == RC_NONE &&
			   decode_arg_bytes(ev, i, &sa, &len, &trunc)) {
			if (sockaddr_endpoint(sa, len, &en->vaddr, &c, &fam) ==
			    0) {
				addr_cls = c;
				have_addr = true;
			}
		}
	}
	if (row != NULL) {
		apply(en, p, ev, row, npaths > 0 ? en->vpath[0].s : NULL);
		if ((returns_fd(row->op) ||
		     (row->op == OP_FCNTL && (ev->args[1] == F_DUPFD ||
					      ev->args[1] == F_DUPFD_CLOEXEC))) &&
		    !ev->is_error && !ev->unfinished) {
			c = annotate_fd(en, p, ev->pid, "ret", (int)ev->ret);
			if (fd_cls == RC_NONE)
				fd_cls = c;
			first_fd = (int)ev->ret;
		}
	}
	close_obj(out, "fds", &en->fdj);
	close_obj(out, "paths", &en->pathj);
	c = path_cls != RC_NONE ? path_cls
	    : addr_cls != RC_NONE ? addr_cls
				  : fd_cls;
	if (class_name(c) != NULL) {
		key(out, "class");
		json_add_name(out, class_name(c));
	}
	if (view == NULL)
		return;
	view->cls = c;
	if (npaths > 0) {
		view->path = en->vpath[0].s;
		view->path_cls = path_cls;
	}
	if (npaths > 1) {
		view->path2 = en->vpath[1].s;
		view->path2_cls = path2_cls;
	}
	if (have_addr) {
		view->addr = en->vaddr.s;
		view->addr_cls = addr_cls;
	}
	if (first_fd >= 0)
		view_fd(p, first_fd, view);
}

bool enrich_proc_view(struct enrich *en, pid_t pid, struct proc_view *ret)
{
	struct en_proc *p = proc_find(en, pid);
	int i;

	if (p == NULL)
		return false;
	memset(ret, 0, sizeof(*ret));
	ret->pid = p->pid;
	ret->ppid = p->ppid;
	ret->exe = p->exe;
	ret->argv = p->argv;
	ret->argv_len = (uint32_t)p->argv_len;
	for (i = 0; i < 4; i++)
		ret->uid[i] = (p->st.have & SNAP_STATUS) ? (int64_t)p->st.uid[i]
						    : -1;
	ret->cap_eff = p->st.cap_eff;
	return true;
}

/* ---- process records ---- */

static const char *const cred_names[2][4] = {
	{ "uid", "euid", "suid", "fsuid" },
	{ "gid", "egid", "sgid", "fsgid" },
};

static void add_caps(struct buf *b, uint64_t set)
{
	const char *name;
	int i, first = 1;

	buf_addch(b, '[');
	for (i = 0; i < 64; i++) {
		if (!(set & ((uint64_t)1 << i)))
			continue;
		if (!first)
			buf_addch(b, ',');
		first = 0;
		name = cap_name(i);
		if (name != NULL)
			json_add_name(b, name);
		else
			buf_addf(b, "\"CAP_%d\"", i);
	}
	buf_addch(b, ']');
}

static const char *seccomp_name(int mode)
{
	return mode == 0 ? "disabled"
	       : mode == 1 ? "strict"
	       : mode == 2 ? "filter"
			   : NULL;
}

static void add_groups(struct buf *b, const uint32_t *g, size_t n)
{
	size_t i;

	buf_addch(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(b, ',');
		buf_add_u64(b, g[i]);
	}
	buf_addch(b, ']');
}

static void add_argv(struct buf *b, const char *argv, size_t len)
{
	size_t i = 0, n;
	int first = 1;

	buf_addch(b, '[');
	while (i < len) {
		n = strnlen(argv + i, len - i);
		if (!first)
			buf_addch(b, ',');
		first = 0;
		json_add_bytes(b, argv + i, n);
		i += n + 1;
	}
	buf_addch(b, ']');
}

/* The process context members of a process record. */
static void put_context(struct enrich *en, struct buf *b,
			const struct en_proc *p)
{
	const struct proc_snap *s = &p->st;
	int i, j;

	key(b, "ppid");
	buf_add_i64(b, p->ppid);
	if (p->exe != NULL) {
		key(b, "exe");
		add_cstr_bytes(b, p->exe);
	}
	if (p->argv != NULL) {
		key(b, "argv");
		add_argv(b, p->argv, p->argv_len);
		if (s->argv_trunc)
			buf_adds(b, ",\"argv_truncated\":true");
	}
	if (p->cwd != NULL) {
		key(b, "cwd");
		add_cstr_bytes(b, p->cwd);
	}
	if (s->have & SNAP_STATUS) {
		for (i = 0; i < 2; i++)
			for (j = 0; j < 4; j++) {
				key(b, cred_names[i][j]);
				buf_add_u64(b, i ? s->gid[j] : s->uid[j]);
			}
		key(b, "groups");
		add_groups(b, p->groups, p->ngroups);
		key(b, "cap_eff");
		add_caps(b, s->cap_eff);
		key(b, "cap_prm");
		add_caps(b, s->cap_prm);
		key(b, "cap_bnd");
		add_caps(b, s->cap_bnd);
		if (s->cap_inh) {
			key(b, "cap_inh");
			add_caps(b, s->cap_inh);
		}
		if (s->cap_amb) {
			key(b, "cap_amb");
			add_caps(b, s->cap_amb);
		}
		if (s->no_new_privs >= 0) {
			key(b, "no_new_privs");
			buf_adds(b, s->no_new_privs ? "true" : "false");
		}
		if (seccomp_name(s->seccomp) != NULL) {
			key(b, "seccomp");
			json_add_str(b, seccomp_name(s->seccomp));
		}
	}
	if (s->have & SNAP_NS) {
		key(b, "ns");
		buf_addch(b, '{');
		for (i = 0; i < NS_COUNT; i++) {
			json_add_key(b, proc_ns_names[i], i > 0);
			buf_add_u64(b, s->ns[i]);
		}
		buf_addch(b, '}');
	}
	if (p->cgroup != NULL) {
		key(b, "cgroup");
		add_cstr_bytes(b, p->cgroup);
	}
	if (p->lsm != NULL) {
		key(b, "lsm");
		add_cstr_bytes(b, p->lsm);
	}
	if (s->have & SNAP_START) {
		key(b, "start_time");
		json_add_time(b,
			      en->boot_sec + (int64_t)(s->start_ticks /
						       (uint64_t)en->hz),
			      (long)(s->start_ticks % (uint64_t)en->hz) *
				      (1000000000L / en->hz));
	}
}

/* ,"<name>":{"before":A,"after":B} with numbers */
static void change_u64(struct buf *b, const char *name, uint64_t before,
		       uint64_t after)
{
	key(b, name);
	buf_adds(b, "{\"before\":");
	buf_add_u64(b, before);
	buf_adds(b, ",\"after\":");
	buf_add_u64(b, after);
	buf_addch(b, '}');
}

static void change_caps(struct buf *b, const char *name, uint64_t before,
			uint64_t after)
{
	key(b, name);
	buf_adds(b, "{\"before\":");
	add_caps(b, before);
	buf_adds(b, ",\"after\":");
	add_caps(b, after);
	buf_adds(b, ",\"gained\":");
	add_caps(b, after & ~before);
	buf_adds(b, ",\"lost\":");
	add_caps(b, before & ~after);
	buf_addch(b, '}');
}

/*
 * Appends to `b` one member per field that differs between p's cached
 * state and snapshot `s` (blob `blob`); returns how many.
 */
static int diff_state(struct buf *b, const struct en_proc *p,
		      const struct proc_snap *s, const void *blob)
{
	static const char *const ns_keys[NS_COUNT] = {
		"ns_mnt", "ns_pid", "ns_net", "ns_user",
		"ns_uts", "ns_ipc", "ns_cgroup",
	};
	const struct proc_snap *o = &p->st;
	size_t ng = s->groups.len / sizeof(uint32_t);
	int n = 0, i;

	if ((o->have & SNAP_STATUS) && (s->have & SNAP_STATUS)) {
		for (i = 0; i < 4; i++) {
			if (o->uid[i] != s->uid[i]) {
				change_u64(b, cred_names[0][i], o->uid[i],
					   s->uid[i]);
				n++;
			}
			if (o->gid[i] != s->gid[i]) {
				change_u64(b, cred_names[1][i], o->gid[i],
					   s->gid[i]);
				n++;
			}
		}
		if (ng != p->ngroups ||
		    (ng && memcmp(snap_str(blob, s->groups), p->groups,
				  ng * sizeof(uint32_t)) != 0)) {
			uint32_t *g = xmalloc(ng * sizeof(uint32_t) + 1);

			memcpy(g, snap_str(blob, s->groups),
			       ng * sizeof(uint32_t));
			key(b, "groups");
			buf_adds(b, "{\"before\":");
			add_groups(b, p->groups, p->ngroups);
			buf_adds(b, ",\"after\":");
			add_groups(b, g, ng);
			buf_addch(b, '}');
			free(g);
			n++;
		}
#define CAPDIFF(f, name)                                                     \
	do {                                                                 \
		if (o->f != s->f) {                                          \
			change_caps(b, name, o->f, s->f);                    \
			n++;                                                 \
		}                                                            \
	} while (0)
		CAPDIFF(cap_eff, "cap_eff");
		CAPDIFF(cap_prm, "cap_prm");
		CAPDIFF(cap_bnd, "cap_bnd");
		CAPDIFF(cap_inh, "cap_inh");
		CAPDIFF(cap_amb, "cap_amb");
#undef CAPDIFF
		if (o->no_new_privs != s->no_new_privs) {
			key(b, "no_new_privs");
			buf_adds(b, o->no_new_privs > 0 ? "{\"before\":true"
							: "{\"before\":false");
			buf_adds(b, s->no_new_privs > 0 ? ",\"after\":true}"
							: ",\"after\":false}");
			n++;
		}
		if (o->seccomp != s->seccomp) {
			key(b, "seccomp");
			buf_adds(b, "{\"before\":");
			json_add_str(b, seccomp_name(o->seccomp)
						? seccomp_name(o->seccomp)
						: "unknown");
			buf_adds(b, ",\"after\":");
			json_add_str(b, seccomp_name(s->seccomp)
						? seccomp_name(s->seccomp)
						: "unknown");
			buf_addch(b, '}');
			n++;
		}
	}
	if ((o->have & SNAP_NS) && (s->have & SNAP_NS))
		for (i = 0; i < NS_COUNT; i++)
			if (o->ns[i] != s->ns[i]) {
				change_u64(b, ns_keys[i], o->ns[i], s->ns[i]);
				n++;
			}
	return n;
}

/* Loads /proc/PID/fd records into p's (empty) table. */
static void load_fds(struct en_proc *p, const void *blob, struct snap_str fs)
{
	const char *d = snap_str(blob, fs), *t;
	size_t pos = 0;
	int32_t fd;
	uint32_t flags, len;
	struct fd_ent *e;

	while (pos + 12 <= fs.len) {
		memcpy(&fd, d + pos, 4);
		memcpy(&flags, d + pos + 4, 4);
		memcpy(&len, d + pos + 8, 4);
		pos += 12;
		if (len > fs.len - pos)
			break;
		t = d + pos;
		pos += len;
		if (len > 0 && t[0] == '/') {
			e = fdtab_set(p->fds, fd, FT_FILE,
				      (flags & O_CLOEXEC) != 0);
			if (e != NULL) {
				e->path = xstrndup(t, len);
				e->cls = (uint8_t)class_of_path(e->path);
			}
		} else if (len > 8 && strncmp(t, "socket:[", 8) == 0) {
			e = fdtab_set(p->fds, fd, FT_SOCKET,
				      (flags & O_CLOEXEC) != 0);
			if (e != NULL)
				e->inode = strtoull(t + 8, NULL, 10);
		} else if (len > 6 && strncmp(t, "pipe:[", 6) == 0) {
			e = fdtab_set(p->fds, fd, FT_PIPE,
				      (flags & O_CLOEXEC) != 0);
			if (e != NULL) {
				e->inode = strtoull(t + 6, NULL, 10);
				e->cls = RC_PIPE;
			}
		} else {
			e = fdtab_set(p->fds, fd, FT_ANON,
				      (flags & O_CLOEXEC) != 0);
			if (e != NULL) {
				e->path = xstrndup(t, len);
				e->cls = RC_ANON;
			}
		}
	}
}

/* Merges snapshot `s` into p's cached state. */
static void merge(struct en_proc *p, const struct proc_snap *s,
		  const void *blob)
{
	struct proc_snap *o = &p->st;
	size_t ng;

	if (s->have & SNAP_STATUS) {
		o->ppid = s->ppid;
		memcpy(o->uid, s->uid, sizeof(o->uid));
		memcpy(o->gid, s->gid, sizeof(o->gid));
		o->cap_inh = s->cap_inh;
		o->cap_prm = s->cap_prm;
		o->cap_eff = s->cap_eff;
		o->cap_bnd = s->cap_bnd;
		o->cap_amb = s->cap_amb;
		o->no_new_privs = s->no_new_privs;
		o->seccomp = s->seccomp;
		ng = s->groups.len / sizeof(uint32_t);
		free(p->groups);
		p->groups = xmalloc(ng * sizeof(uint32_t) + 1);
		memcpy(p->groups, snap_str(blob, s->groups),
		       ng * sizeof(uint32_t));
		p->ngroups = ng;
	}
	if (s->have & SNAP_IDENT) {
		if (s->exe.len)
			set_str(&p->exe, snap_str(blob, s->exe), s->exe.len);
		if (s->cwd.len)
			set_str(&p->cwd, snap_str(blob, s->cwd), s->cwd.len);
		if (s->argv.len) {
			free(p->argv);
			p->argv = xstrndup(snap_str(blob, s->argv), s->argv.len);
			p->argv_len = s->argv.len;
		}
		o->argv_trunc = s->argv_trunc;
	}
	if (s->have & SNAP_NS) {
		memcpy(o->ns, s->ns, sizeof(o->ns));
		if (s->cgroup.len)
			set_str(&p->cgroup, snap_str(blob, s->cgroup),
				s->cgroup.len);
	}
	if (s->have & SNAP_LSM)
		set_str(&p->lsm, snap_str(blob, s->lsm), s->lsm.len);
	if (s->have & SNAP_START)
		o->start_ticks = s->start_ticks;
	if (s->have & SNAP_FDS)
		load_fds(p, blob, s->fds);
	o->have |= s->have & ~(uint32_t)SNAP_FDS;
	p->head_ok = false;
}

/* p (new) inherits the state of its creator c. */
static void inherit(struct en_proc *p, const struct en_proc *c,
		    int64_t flags)
{
	p->st = c->st;
	p->ngroups = c->ngroups;
	p->groups = xmalloc(c->ngroups * sizeof(uint32_t) + 1);
	if (c->ngroups)
		memcpy(p->groups, c->groups, c->ngroups * sizeof(uint32_t));
	p->exe = xstrdup_or_null(c->exe);
	p->cwd = xstrdup_or_null(c->cwd);
	p->cgroup = xstrdup_or_null(c->cgroup);
	p->lsm = xstrdup_or_null(c->lsm);
	if (c->argv != NULL) {
		p->argv = xstrndup(c->argv, c->argv_len);
		p->argv_len = c->argv_len;
	}
	p->ppid = (flags > 0 && (flags & CLONE_PARENT)) ? c->ppid : c->pid;
	p->st.ppid = p->ppid;
	p->fds = (flags > 0 && (flags & CLONE_FILES)) ? fdtab_ref(c->fds)
						       : fdtab_copy(c->fds);
	p->st.have &= ~(uint32_t)SNAP_START;
	p->head_ok = false;
}

static void put_exit(struct buf *b, int status)
{
	char tmp[16];
	const char *sig;

	key(b, "exit");
	if (WIFSIGNALED(status)) {
		sig = signal_name(WTERMSIG(status), tmp);
		buf_adds(b, "{\"signal\":");
		if (sig != NULL)
			json_add_str(b, sig);
		else
			buf_add_i64(b, WTERMSIG(status));
		buf_adds(b, ",\"core_dumped\":");
		buf_adds(b, WCOREDUMP(status) ? "true" : "false");
		buf_addch(b, '}');
	} else {
		buf_adds(b, "{\"code\":");
		buf_add_i64(b, WEXITSTATUS(status));
		buf_addch(b, '}');
	}
}

/* A sock_snap event: the exact ends of a socket after connect/accept. */
static void sock_update(struct enrich *en, struct en_proc *p,
			const struct call_event *ev)
{
	struct sock_snap ss;
	struct fd_ent *e;
	int cls = RC_NONE, fam = -1, rcls = RC_NONE;

	if (ev->blob == NULL || ev->blob_len != sizeof(ss))
		return;
	memcpy(&ss, ev->blob, sizeof(ss));
	e = fdtab_get(p->fds, ss.fd);
	if (e == NULL || e->type != FT_SOCKET)
		return;
	if (ss.local_len &&
	    sockaddr_endpoint(ss.local, ss.local_len, &en->tmp, &cls, &fam) ==
		    0 &&
	    (en->tmp.len || fam != AF_UNIX)) {
		set_str(&e->local, en->tmp.s, en->tmp.len);
		e->family = fam;
	}
	if (ss.remote_len &&
	    sockaddr_endpoint(ss.remote, ss.remote_len, &en->tmp, &rcls,
			      &fam) == 0 &&
	    (en->tmp.len || fam != AF_UNIX)) {
		set_str(&e->remote, en->tmp.s, en->tmp.len);
		e->family = fam;
		cls = rcls;
	}
	socket_class(e, cls);
	e->probed = true;
}

static void put_head(struct buf *out, const struct call_event *ev,
		     const char *event)
{
	buf_adds(out, ",\"ts\":");
	json_add_time(out, ev->ts_sec, ev->ts_nsec);
	key(out, "event");
	json_add_str(out, event);
	key(out, "pid");
	buf_add_i64(out, ev->pid);
	key(out, "tid");
	buf_add_i64(out, ev->tid);
}

int enrich_process(struct enrich *en, const struct call_event *ev,
		   uint64_t seq, struct buf *out)
{
	struct proc_snap s;
	struct en_proc *p, *c;
	struct buf *chg = &en->tmp;
	const struct op_row *row;
	const char *name;
	bool snap, thread;
	int64_t flags;
	int nchg = 0;

	snap = ev->blob != NULL &&
	       proc_snap_view(ev->blob, ev->blob_len, &s) == 0;
	buf_reset(chg);
	switch (ev->nr) {
	case PEV_NEW:
		flags = (int64_t)ev->args[1];
		thread = flags > 0 && (flags & CLONE_THREAD);
		c = proc_find(en, (pid_t)ev->args[0]);
		if (thread) {
			p = proc_get(en, ev->pid);
			p->nthreads++;
		} else {
			struct en_proc *early = proc_find(en, ev->pid);

			if (early != NULL && early->implicit)
				proc_unlink(en, early);
			else
				early = NULL;
			p = proc_new(en, ev->pid);
			if (c != NULL)
				inherit(p, c, flags);
			else
				p->fds = fdtab_new();
			if (early != NULL) {
				keep_early_fds(p, early);
				proc_free(early);
			}
			if (snap) {
				nchg = diff_state(chg, p, &s, ev->blob);
				merge(p, &s, ev->blob);
			}
		}
		put_head(out, ev, "new");
		if (thread)
			buf_adds(out, ",\"thread\":true");
		key(out, "creator");
		buf_add_i64(out, (int64_t)ev->args[0]);
		if (flags >= 0) {
			struct vout o;
			struct call_event fake;

			memset(&fake, 0, sizeof(fake));
			fake.abi = ev->abi;
			key(out, "clone_flags");
			vo_init(&o, out, 0);
			(void)flags_print(&o, K_CLONE_FLAGS, (uint64_t)flags,
					  &fake);
		}
		break;
	case PEV_CALL:
		p = proc_get(en, ev->pid);
		if (ev->args[1] == PEV_CALL_SOCK) {
			sock_update(en, p, ev);
			return 0;
		}
		row = row_of(&en->ops, ev->abi, (int)ev->args[0]);
		if (snap)
			nchg = diff_state(chg, p, &s, ev->blob);
		if (row != NULL && row->op == OP_EXEC) {
			p->nthreads = 1;
			if (p->ppid == 0 && snap && (s.have & SNAP_STATUS))
				p->ppid = s.ppid;
		} else if (nchg == 0) {
			if (snap)
				merge(p, &s, ev->blob);
			return 0;
		}
		if (snap)
			merge(p, &s, ev->blob);
		put_head(out, ev,
			 row != NULL && row->op == OP_EXEC ? "exec" : "cred");
		name = syscall_name(ev->abi, (int)ev->args[0]);
		if (name != NULL) {
			key(out, "cause");
			json_add_str(out, name);
		}
		break;
	case PEV_EXIT:
		p = proc_find(en, ev->pid);
		put_head(out, ev, "exit");
		if (ev->tid != ev->pid)
			buf_adds(out, ",\"thread\":true");
		put_exit(out, (int)ev->ret);
		if (p == NULL)
			return 1;
		if (p->exe != NULL) {
			key(out, "exe");
			add_cstr_bytes(out, p->exe);
		}
		key(out, "ppid");
		buf_add_i64(out, p->ppid);
		if (--p->nthreads <= 0)
			proc_remove(en, p);
		return 1;
	default:
		return 0;
	}
	put_context(en, out, p);
	if (nchg) {
		key(out, "cred_change");
		buf_addch(out, '{');
		buf_add(out, chg->s + 1, chg->len - 1);
		buf_addch(out, '}');
	}
	p->has_seq = true;
	p->seq = seq;
	p->head_ok = false;
	return 1;
}
