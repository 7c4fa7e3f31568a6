/*
 * rules.c: the built-in detection rules (rules.h).  The table below is
 * the reference; docs/rules.md is the same table in prose and must be
 * kept in step with it.
 *
 * Besides lib/ and event.h this reads enrich/classes.h, a stateless
 * table of resource classes: a rule such as "credential access" is
 * "an open of a path of class credentials", and the classes are the
 * enricher's to define.
 */
#include "aggregate/rules.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>

#include "enrich/classes.h"

/* CLONE_NEW* flags of clone, unshare and setns */
#define NS_FLAGS                                                          \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |      \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | 0x80 /* NEWTIME */)

typedef bool rule_match_fn(const struct rules *rs, const struct rule_input *in,
			   struct buf *summary);

/* The operations a rule looks at: a bit per enum agg_op, and one for
 * process changes; rules_eval() skips rows that cannot match. */
#define ON(op) (1ull << (op))
#define ON_PROC ON(_AOP_MAX)
#define ON_ANY (~0ull)
_Static_assert(_AOP_MAX < 63, "enum agg_op fits a 64-bit mask");

struct rule {
	const char *id;
	int severity;		/* enum severity, the default */
	uint64_t on;		/* ON() bits */
	rule_match_fn *match;
	bool path_rule;		/* allow_paths entries exempt paths from it */
	const char *description;
};

static const char *const sev_names[_SEV_MAX] = {
	[SEV_NONE] = "none",	 [SEV_LOW] = "low",
	[SEV_MEDIUM] = "medium", [SEV_HIGH] = "high",
	[SEV_CRITICAL] = "critical",
};

/* ---- helpers ---- */

static bool ok(const struct rule_input *in)
{
	return !in->ev->is_error && !in->ev->unfinished;
}

static bool is_ip_class(int cls)
{
	return cls == RC_NET_PUBLIC || cls == RC_NET_PRIVATE;
}

/* The path a call's resource is known by: its path argument or its fd. */
static const char *path_of(const struct rule_input *in)
{
	if (in->view == NULL)
		return NULL;
	if (in->view->path != NULL)
		return in->view->path;
	return in->view->fd_type == 2 /* FT_FILE */ ? in->view->fd_path
						    : NULL;
}

static bool path_allowed(const struct rules *rs, const char *path)
{
	size_t i;

	for (i = 0; path != NULL && i < rs->npaths; i++)
		if (fnmatch(rs->paths[i], path, 0) == 0)
			return true;
	return false;
}

/* A successful open whose path has class `cls`. */
static const char *opened_class(const struct rule_input *in, int cls)
{
	if (in->op != AOP_OPEN || in->view == NULL || !ok(in))
		return NULL;
	if (in->view->path != NULL && in->view->path_cls == cls)
		return in->view->path;
	return NULL;
}

/* The destination of an egress attempt (connect, sendto), or NULL. */
static const char *egress_of(const struct rules *rs,
			     const struct rule_input *in)
{
	const struct call_view *v = in->view;

	if (v == NULL || (in->op != AOP_CONNECT && in->op != AOP_WRITE))
		return NULL;
	if (v->addr == NULL || !is_ip_class(v->addr_cls))
		return NULL;
	if (in->op == AOP_CONNECT && in->ev->is_error &&
	    (in->ev->ret == -EBADF || in->ev->ret == -ENOTSOCK ||
	     in->ev->ret == -EFAULT))
		return NULL; /* never left the process */
	if (rules_net_allowed(rs, v->addr))
		return NULL;
	return v->addr;
}

/* ---- predicates, in table order ---- */

static bool m_cred_access(const struct rules *rs, const struct rule_input *in,
			  struct buf *s)
{
	const char *p = opened_class(in, RC_CREDENTIALS);

	(void)rs;
	if (p == NULL)
		return false;
	buf_addf(s, "opened credentials file %s", p);
	return true;
}

static bool m_egress(const struct rules *rs, const struct rule_input *in,
		     struct buf *s)
{
	const char *to = egress_of(rs, in);

	if (to == NULL)
		return false;
	buf_addf(s, "network egress to %s (%s)%s", to,
		 class_name(in->view->addr_cls),
		 in->ev->is_error ? ", failed" : "");
	return true;
}

static bool m_exfil(const struct rules *rs, const struct rule_input *in,
		    struct buf *s)
{
	const char *to = egress_of(rs, in);

	if (to == NULL || !in->secret_recent)
		return false;
	buf_addf(s, "credentials read, then network egress to %s", to);
	return true;
}

static bool listening(const struct rule_input *in)
{
	return in->op == AOP_LISTEN && ok(in) && in->view != NULL;
}

static bool local_is_loopback(const struct rule_input *in)
{
	const char *l = in->view->fd_local;

	return in->view->fd_cls == RC_NET_UNIX ||
	       in->view->fd_family == 1 /* AF_UNIX */ ||
	       (l != NULL && (strncmp(l, "127.", 4) == 0 ||
			      strncmp(l, "[::1]:", 6) == 0));
}

static bool m_listen(const struct rules *rs, const struct rule_input *in,
		     struct buf *s)
{
	(void)rs;
	if (!listening(in) || local_is_loopback(in))
		return false;
	buf_addf(s, "listening socket on %s",
		 in->view->fd_local ? in->view->fd_local : "an unknown address");
	return true;
}

static bool m_listen_loopback(const struct rules *rs,
			      const struct rule_input *in, struct buf *s)
{
	(void)rs;
	if (!listening(in) || !local_is_loopback(in))
		return false;
	buf_addf(s, "listening socket on %s (local only)",
		 in->view->fd_local ? in->view->fd_local : "a unix socket");
	return true;
}

static bool m_uid0(const struct rules *rs, const struct rule_input *in,
		   struct buf *s)
{
	(void)rs;
	if (!in->proc_change || in->old_euid <= 0 || in->euid != 0)
		return false;
	buf_addf(s, "gained root: euid %lld -> 0 (%s)",
		 (long long)in->old_euid, in->exec ? "exec" : "credential call");
	return true;
}

static bool m_caps(const struct rules *rs, const struct rule_input *in,
		   struct buf *s)
{
	uint64_t gained = in->caps & ~in->old_caps;

	(void)rs;
	if (!in->proc_change || gained == 0 || in->old_euid < 0 ||
	    (in->old_euid != 0 && in->euid == 0))
		return false; /* uid 0 gained is priv.uid0's */
	buf_addf(s, "gained capabilities 0x%llx", (unsigned long long)gained);
	return true;
}

static bool m_setuid_exec(const struct rules *rs, const struct rule_input *in,
			  struct buf *s)
{
	(void)rs;
	if (!in->proc_change || !in->exec || in->uid < 0 ||
	    in->euid == in->old_euid || in->euid == in->uid)
		return false;
	buf_addf(s, "exec of a set-user-ID program %s: euid %lld -> %lld",
		 in->exe ? in->exe : "?", (long long)in->old_euid,
		 (long long)in->euid);
	return true;
}

static bool syscall_attempt(const struct rule_input *in, int op,
			    struct buf *s, const char *what)
{
	if (in->op != op || in->view == NULL)
		return false;
	buf_addf(s, "%s: %s%s", what, in->name ? in->name : "?",
		 in->ev->is_error ? " (failed)" : "");
	return true;
}

static bool m_mount(const struct rules *rs, const struct rule_input *in,
		    struct buf *s)
{
	(void)rs;
	return syscall_attempt(in, AOP_MOUNT, s, "mount table change");
}

static bool m_namespace(const struct rules *rs, const struct rule_input *in,
			struct buf *s)
{
	uint64_t f = in->ev->args[0];

	(void)rs;
	if (in->view == NULL)
		return false;
	if (in->op == AOP_SETNS ||
	    ((in->op == AOP_UNSHARE || in->op == AOP_CLONE) && (f & NS_FLAGS)))
		return syscall_attempt(in, in->op, s, "namespace change");
	return false;
}

static bool m_handle(const struct rules *rs, const struct rule_input *in,
		     struct buf *s)
{
	(void)rs;
	return syscall_attempt(in, AOP_OPEN_HANDLE, s,
			       "open by file handle (escapes a mount "
			       "namespace)");
}

/* /proc/<other pid>/{root,cwd,mem,environ,fd,map_files}... */
static bool m_proc_other(const struct rules *rs, const struct rule_input *in,
			 struct buf *s)
{
	static const char *const entries[] = { "root", "cwd", "mem", "environ",
					       "fd", "map_files", NULL };
	const char *p = in->view ? in->view->path : NULL, *e;
	char *end;
	long pid;
	size_t i, n;

	(void)rs;
	if (p == NULL || strncmp(p, "/proc/", 6) != 0 ||
	    (in->op != AOP_OPEN && in->op != AOP_EXEC) ||
	    in->ev->ret == -ENOENT || in->ev->unfinished)
		return false; /* attempts count, not a probe of a gone pid */
	pid = strtol(p + 6, &end, 10);
	if (end == p + 6 || *end != '/' || pid == in->ev->pid)
		return false;
	e = end + 1;
	for (i = 0; entries[i] != NULL; i++) {
		n = strlen(entries[i]);
		if (strncmp(e, entries[i], n) == 0 &&
		    (e[n] == '\0' || e[n] == '/')) {
			buf_addf(s, "access to another process's %s%s", p,
				 in->ev->is_error ? " (failed)" : "");
			return true;
		}
	}
	return false;
}

static bool m_runtime_socket(const struct rules *rs,
			     const struct rule_input *in, struct buf *s)
{
	const struct call_view *v = in->view;

	(void)rs;
	if (v == NULL)
		return false;
	if (in->op == AOP_CONNECT && v->addr_cls == RC_RUNTIME_SOCKET) {
		buf_addf(s, "connect to container runtime socket %s", v->addr);
		return true;
	}
	if (opened_class(in, RC_RUNTIME_SOCKET) != NULL) {
		buf_addf(s, "open of container runtime socket %s", v->path);
		return true;
	}
	return false;
}

static bool m_kernel_write(const struct rules *rs, const struct rule_input *in,
			   struct buf *s)
{
	const char *p = opened_class(in, RC_KERNEL_SENSITIVE);

	(void)rs;
	if (p == NULL || !in->write)
		return false;
	buf_addf(s, "write access to kernel interface %s", p);
	return true;
}

static bool m_module(const struct rules *rs, const struct rule_input *in,
		     struct buf *s)
{
	(void)rs;
	return syscall_attempt(in, AOP_MODULE, s, "kernel module");
}

static bool m_kexec(const struct rules *rs, const struct rule_input *in,
		    struct buf *s)
{
	(void)rs;
	return syscall_attempt(in, AOP_KEXEC, s, "new kernel loaded");
}

static bool m_bpf(const struct rules *rs, const struct rule_input *in,
		  struct buf *s)
{
	(void)rs;
	return syscall_attempt(in, AOP_BPF, s, "eBPF use");
}

static bool m_devmem(const struct rules *rs, const struct rule_input *in,
		     struct buf *s)
{
	const char *p = in->view ? in->view->path : NULL;

	(void)rs;
	if (in->op != AOP_OPEN || p == NULL ||
	    (strcmp(p, "/dev/mem") != 0 && strcmp(p, "/dev/kmem") != 0 &&
	     strcmp(p, "/dev/port") != 0))
		return false;
	buf_addf(s, "raw memory device %s%s", p,
		 in->ev->is_error ? " (failed)" : "");
	return true;
}

static bool m_persistence(const struct rules *rs, const struct rule_input *in,
			  struct buf *s)
{
	const struct call_view *v = in->view;

	(void)rs;
	if (v == NULL || !ok(in))
		return false;
	if (in->op == AOP_OPEN && in->write && v->path_cls == RC_PERSISTENCE) {
		buf_addf(s, "write to persistence location %s", v->path);
		return true;
	}
	if ((in->op == AOP_RENAME || in->op == AOP_CREATE) &&
	    v->path2 != NULL && v->path2_cls == RC_PERSISTENCE) {
		buf_addf(s, "%s into persistence location %s", in->name,
			 v->path2);
		return true;
	}
	if (in->op == AOP_CREATE && v->path2 == NULL &&
	    v->path_cls == RC_PERSISTENCE) {
		buf_addf(s, "%s in persistence location %s", in->name, v->path);
		return true;
	}
	return false;
}

static bool m_exec_tmp(const struct rules *rs, const struct rule_input *in,
		       struct buf *s)
{
	const char *e = in->exe;

	(void)rs;
	if (!in->proc_change || !in->exec || e == NULL)
		return false;
	if (strncmp(e, "/tmp/", 5) != 0 && strncmp(e, "/var/tmp/", 9) != 0 &&
	    strncmp(e, "/dev/shm/", 9) != 0)
		return false;
	buf_addf(s, "exec of %s from a temporary directory", e);
	return true;
}

static bool m_exec_memfd(const struct rules *rs, const struct rule_input *in,
			 struct buf *s)
{
	(void)rs;
	if (!in->proc_change || !in->exec || in->exe == NULL ||
	    strncmp(in->exe, "/memfd:", 7) != 0)
		return false;
	buf_addf(s, "exec of an in-memory file %s", in->exe);
	return true;
}

static bool m_traceme(const struct rules *rs, const struct rule_input *in,
		      struct buf *s)
{
	(void)rs;
	if (in->op != AOP_PTRACE || in->view == NULL ||
	    in->ev->args[0] != PTRACE_TRACEME)
		return false;
	buf_adds(s, "ptrace(PTRACE_TRACEME): anti-debugging");
	return true;
}

static bool m_dumpable(const struct rules *rs, const struct rule_input *in,
		       struct buf *s)
{
	(void)rs;
	if (in->op != AOP_PRCTL || in->view == NULL ||
	    in->ev->args[0] != PR_SET_DUMPABLE || in->ev->args[1] != 0)
		return false;
	buf_adds(s, "prctl(PR_SET_DUMPABLE, 0): hides from debuggers");
	return true;
}

static bool m_attach(const struct rules *rs, const struct rule_input *in,
		     struct buf *s)
{
	(void)rs;
	if (in->op != AOP_PTRACE || in->view == NULL ||
	    (in->ev->args[0] != PTRACE_ATTACH &&
	     in->ev->args[0] != 0x4206 /* PTRACE_SEIZE */))
		return false;
	buf_addf(s, "ptrace attach to pid %lld%s",
		 (long long)(int32_t)in->ev->args[1],
		 in->ev->is_error ? " (failed)" : "");
	return true;
}

static bool m_compat(const struct rules *rs, const struct rule_input *in,
		     struct buf *s)
{
	(void)rs;
	if (in->view == NULL || !in->compat_abi)
		return false;
	buf_addf(s, "%s system call %s from a 64-bit process",
		 in->ev->abi == ABI_I386 ? "32-bit (i386)" : "x32",
		 in->name ? in->name : "?");
	return true;
}

/* clang-format off */
static const struct rule rule_table[] = {
	{ "cred.access", SEV_HIGH, ON(AOP_OPEN),
	  m_cred_access, true,
	  "a credentials file was opened (class credentials: ssh keys, "
	  "cloud, registry and git tokens, /etc/shadow, .env ...)" },
	{ "net.egress", SEV_MEDIUM, ON(AOP_CONNECT) | ON(AOP_WRITE),
	  m_egress, false,
	  "connect or sendto to an IP address outside loopback and outside "
	  "--allow-net (attempts count, failed ones too)" },
	{ "exfil.secret-egress", SEV_CRITICAL, ON(AOP_CONNECT) | ON(AOP_WRITE),
	  m_exfil, false,
	  "network egress by a process that read credentials within the "
	  "action window" },
	{ "net.listen", SEV_MEDIUM, ON(AOP_LISTEN),
	  m_listen, false,
	  "a socket listens on a non-loopback address" },
	{ "net.listen-local", SEV_LOW, ON(AOP_LISTEN),
	  m_listen_loopback, false,
	  "a socket listens on loopback or a unix socket" },
	{ "priv.uid0", SEV_CRITICAL, ON_PROC,
	  m_uid0, false,
	  "the effective uid became 0 (set*id call or exec)" },
	{ "priv.caps", SEV_HIGH, ON_PROC,
	  m_caps, false,
	  "effective capabilities were gained without becoming root" },
	{ "priv.setuid-exec", SEV_HIGH, ON_PROC,
	  m_setuid_exec, false,
	  "exec of a set-user-ID program changed the effective uid" },
	{ "escape.mount", SEV_CRITICAL, ON(AOP_MOUNT),
	  m_mount, false,
	  "mount, umount2, pivot_root or the new mount API (attempts)" },
	{ "escape.namespace", SEV_HIGH, ON(AOP_UNSHARE) | ON(AOP_SETNS) | ON(AOP_CLONE),
	  m_namespace, false,
	  "unshare or clone with CLONE_NEW* flags, or setns (attempts)" },
	{ "escape.open-by-handle", SEV_CRITICAL, ON(AOP_OPEN_HANDLE),
	  m_handle, false,
	  "open_by_handle_at (attempts)" },
	{ "escape.proc-other", SEV_HIGH, ON(AOP_OPEN) | ON(AOP_EXEC),
	  m_proc_other, true,
	  "/proc/PID/{root,cwd,mem,environ,fd,map_files} of another process "
	  "opened (attempts, but not ENOENT)" },
	{ "escape.runtime-socket", SEV_CRITICAL, ON(AOP_CONNECT) | ON(AOP_OPEN),
	  m_runtime_socket, false,
	  "connect to or open of a container runtime socket" },
	{ "escape.kernel-write", SEV_CRITICAL, ON(AOP_OPEN),
	  m_kernel_write, true,
	  "write access to a kernel_sensitive path (core_pattern, cgroup "
	  "release_agent, /proc/sys/kernel, /proc/PID/mem ...)" },
	{ "escape.module", SEV_CRITICAL, ON(AOP_MODULE),
	  m_module, false,
	  "init_module, finit_module or delete_module (attempts)" },
	{ "escape.kexec", SEV_CRITICAL, ON(AOP_KEXEC),
	  m_kexec, false,
	  "kexec_load or kexec_file_load (attempts)" },
	{ "escape.bpf", SEV_HIGH, ON(AOP_BPF),
	  m_bpf, false, "bpf (attempts)" },
	{ "escape.devmem", SEV_CRITICAL, ON(AOP_OPEN),
	  m_devmem, true,
	  "open of /dev/mem, /dev/kmem or /dev/port (attempts)" },
	{ "persistence.write", SEV_HIGH, ON(AOP_OPEN) | ON(AOP_RENAME) | ON(AOP_CREATE),
	  m_persistence, true,
	  "a persistence location (cron, systemd units, shell rc files, "
	  "authorized_keys, ld.so.preload ...) written, created or renamed "
	  "into" },
	{ "exec.tmp", SEV_HIGH, ON_PROC,
	  m_exec_tmp, true,
	  "a program under /tmp, /var/tmp or /dev/shm was executed" },
	{ "exec.memfd", SEV_HIGH, ON_PROC,
	  m_exec_memfd, false,
	  "a memfd (a file that exists only in memory) was executed" },
	{ "antidebug.traceme", SEV_MEDIUM, ON(AOP_PTRACE),
	  m_traceme, false,
	  "ptrace(PTRACE_TRACEME)" },
	{ "antidebug.dumpable", SEV_MEDIUM, ON(AOP_PRCTL),
	  m_dumpable, false,
	  "prctl(PR_SET_DUMPABLE, 0)" },
	{ "debug.attach", SEV_MEDIUM, ON(AOP_PTRACE),
	  m_attach, false,
	  "ptrace attach or seize of another process (attempts)" },
	{ "abi.compat", SEV_HIGH, ON_ANY,
	  m_compat, false,
	  "an i386 or x32 system call from a process that made x86_64 ones "
	  "since its exec (once per process)" },
};
/* clang-format on */

#define NRULES (sizeof(rule_table) / sizeof(rule_table[0]))

size_t rules_count(void)
{
	return NRULES;
}

const char *rule_id(size_t i)
{
	return i < NRULES ? rule_table[i].id : NULL;
}

const char *rule_description(size_t i)
{
	return i < NRULES ? rule_table[i].description : NULL;
}

int rule_find(const char *id)
{
	size_t i;

	for (i = 0; i < NRULES; i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return (int)i;
	return -1;
}

const char *severity_name(int sev)
{
	return sev >= 0 && sev < _SEV_MAX ? sev_names[sev] : "none";
}

int severity_from_name(const char *name)
{
	int i;

	for (i = SEV_LOW; i < _SEV_MAX; i++)
		if (strcmp(sev_names[i], name) == 0)
			return i;
	return -1;
}

void rules_init(struct rules *rs)
{
	size_t i;

	memset(rs, 0, sizeof(*rs));
	rs->disabled = calloc(NRULES, sizeof(*rs->disabled));
	rs->severity = calloc(NRULES, sizeof(*rs->severity));
	if (rs->disabled == NULL || rs->severity == NULL) {
		fputs("capsule: out of memory\n", stderr);
		abort();
	}
	for (i = 0; i < NRULES; i++)
		rs->severity[i] = rule_table[i].severity;
}

void rules_release(struct rules *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	free(rs->disabled);
	free(rs->severity);
	free(rs->nets);
	for (i = 0; i < rs->npaths; i++)
		free(rs->paths[i]);
	free(rs->paths);
	memset(rs, 0, sizeof(*rs));
}

int rules_severity(const struct rules *rs, size_t i)
{
	if (i >= NRULES || rs->disabled[i])
		return SEV_NONE;
	return rs->severity[i];
}

/* "a.b.c.d" or "v6" (no brackets) with optional "/bits" into *n. */
static int parse_cidr(const char *s, size_t len, struct net_allow *n)
{
	char tmp[INET6_ADDRSTRLEN + 8], *slash, *end;
	long bits;

	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	slash = strchr(tmp, '/');
	if (slash != NULL)
		*slash = '\0';
	memset(n->addr, 0, sizeof(n->addr));
	if (inet_pton(AF_INET, tmp, n->addr) == 1)
		n->family = 4;
	else if (inet_pton(AF_INET6, tmp, n->addr) == 1)
		n->family = 6;
	else
		return -EINVAL;
	n->prefix = n->family == 4 ? 32 : 128;
	if (slash != NULL) {
		bits = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end != '\0' || bits < 0 ||
		    bits > n->prefix)
			return -EINVAL;
		n->prefix = (int)bits;
	}
	return 0;
}

static int parse_port(const char *s, int *ret)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end != '\0' || v < 0 || v > 65535)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

int rules_allow_net(struct rules *rs, const char *spec)
{
	struct net_allow n = { .port = -1 };
	const char *colon, *close;
	struct net_allow *nets;

	if (spec[0] == '[') {
		close = strchr(spec, ']');
		if (close == NULL || parse_cidr(spec + 1, (size_t)(close - spec - 1),
						&n) < 0 || n.family != 6)
			return -EINVAL;
		if (close[1] == ':') {
			if (parse_port(close + 2, &n.port) < 0)
				return -EINVAL;
		} else if (close[1] != '\0') {
			return -EINVAL;
		}
	} else {
		colon = strchr(spec, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL; /* a bare IPv6 address */
		if (parse_cidr(spec, colon ? (size_t)(colon - spec)
					   : strlen(spec), &n) < 0)
			return -EINVAL;
		if (colon != NULL && parse_port(colon + 1, &n.port) < 0)
			return -EINVAL;
	}
	nets = realloc(rs->nets, (rs->nnets + 1) * sizeof(*nets));
	if (nets == NULL)
		return -ENOMEM;
	rs->nets = nets;
	rs->nets[rs->nnets++] = n;
	return 0;
}

static bool prefix_match(const uint8_t *a, const uint8_t *net, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, net, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ net[full]) & (0xff << (8 - rest))) == 0;
}

bool rules_net_allowed(const struct rules *rs, const char *endpoint)
{
	char host[INET6_ADDRSTRLEN + 4];
	const char *colon = strrchr(endpoint, ':');
	uint8_t a[16] = { 0 };
	int family, port;
	size_t i, len;

	if (rs->nnets == 0 || colon == NULL)
		return false;
	port = atoi(colon + 1);
	len = (size_t)(colon - endpoint);
	if (endpoint[0] == '[' && len >= 2) {
		endpoint++;
		len -= 2;
	}
	if (len >= sizeof(host))
		return false;
	memcpy(host, endpoint, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, a) == 1)
		family = 4;
	else if (inet_pton(AF_INET6, host, a) == 1)
		family = 6;
	else
		return false;
	for (i = 0; i < rs->nnets; i++)
		if (rs->nets[i].family == family &&
		    (rs->nets[i].port < 0 || rs->nets[i].port == port) &&
		    prefix_match(a, rs->nets[i].addr, rs->nets[i].prefix))
			return true;
	return false;
}

/* Sets `why` to what + arg and returns err. */
static int fail(struct buf *why, int err, const char *what, const char *arg)
{
	buf_reset(why);
	buf_adds(why, what);
	buf_adds(why, arg);
	return err;
}

int rules_load(struct rules *rs, const char *file, struct buf *why)
{
	json_error_t je;
	json_t *root, *v, *e;
	const char *k;
	size_t i;
	int idx, sev, r = 0;
	char **paths;

	root = json_load_file(file, 0, &je);
	if (root == NULL)
		return fail(why, -EINVAL, "", je.text);
	if (!json_is_object(root)) {
		r = fail(why, -EINVAL, "not a JSON object", "");
		goto out;
	}
	json_object_foreach(root, k, v) {
		if (strcmp(k, "disable") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, e) {
				idx = json_is_string(e)
					      ? rule_find(json_string_value(e))
					      : -1;
				if (idx < 0) {
					r = fail(why, -EINVAL,
						 "disable: unknown rule ",
						 json_is_string(e)
							 ? json_string_value(e)
							 : "(not a string)");
					goto out;
				}
				rs->disabled[idx] = true;
			}
		} else if (strcmp(k, "severity") == 0 && json_is_object(v)) {
			const char *id;

			json_object_foreach(v, id, e) {
				idx = rule_find(id);
				sev = json_is_string(e) ? severity_from_name(
								  json_string_value(e))
							: -1;
				if (idx < 0 || sev < 0) {
					r = fail(why, -EINVAL,
						 "severity: bad entry ", id);
					goto out;
				}
				rs->severity[idx] = sev;
			}
		} else if (strcmp(k, "allow_net") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, e) {
				if (!json_is_string(e) ||
				    rules_allow_net(rs, json_string_value(e)) <
					    0) {
					r = fail(why, -EINVAL,
						 "allow_net: bad entry ",
						 json_is_string(e)
							 ? json_string_value(e)
							 : "(not a string)");
					goto out;
				}
			}
		} else if (strcmp(k, "allow_paths") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, e) {
				if (!json_is_string(e)) {
					r = fail(why, -EINVAL,
						 "allow_paths: not a string", "");
					goto out;
				}
				paths = realloc(rs->paths, (rs->npaths + 1) *
								   sizeof(*paths));
				if (paths == NULL) {
					r = -ENOMEM;
					goto out;
				}
				rs->paths = paths;
				rs->paths[rs->npaths] =
					strdup(json_string_value(e));
				if (rs->paths[rs->npaths] == NULL) {
					r = -ENOMEM;
					goto out;
				}
				rs->npaths++;
			}
		} else {
			r = fail(why, -EINVAL, "unknown or malformed member ",
				 k);
			goto out;
		}
	}
out:
	json_decref(root);
	return r;
}

int rules_eval(const struct rules *rs, const struct rule_input *in,
	       struct rule_hit *hits, struct buf *summaries)
{
	size_t i, mark;
	int n = 0;
	uint64_t bit = in->proc_change ? ON_PROC : ON(in->op);

	buf_reset(summaries);
	for (i = 0; i < NRULES && n < RULES_MAX_HITS; i++) {
		if (!(rule_table[i].on & bit) || rs->disabled[i])
			continue;
		mark = summaries->len;
		if (!rule_table[i].match(rs, in, summaries))
			continue;
		if (rule_table[i].path_rule &&
		    (path_allowed(rs, path_of(in)) ||
		     (in->proc_change && path_allowed(rs, in->exe)))) {
			buf_truncate(summaries, mark);
			continue;
		}
		buf_addch(summaries, '\0');
		hits[n].rule = (int)i;
		hits[n].with_secret = rule_table[i].match == m_exfil;
		n++;
	}
	return n;
}
