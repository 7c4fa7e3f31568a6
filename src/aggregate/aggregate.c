/*
 * aggregate.c: syscalls into actions, rules into alerts (aggregate.h).
 *
 * What a system call means to the aggregator is its enum agg_op, given by
 * one static const table (op_rows) of syscall names, turned into a
 * per-ABI array indexed by number at init.
 */
#include "aggregate/aggregate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "decode/syscalls.h"
#include "enrich/classes.h"
#include "lib/json.h"
#include "lib/util.h"

#define MAX_NR 1024
#define NO_FLAGS (-1)
#define FT_FILE_ 2   /* enum fd_type values (enrich/fdtab.h) */
#define FT_SOCKET_ 4

struct op_row {
	const char *name;
	uint8_t op;		/* enum agg_op */
	int8_t flag_arg;	/* AOP_OPEN: the argument with O_* flags */
};

/* clang-format off */
static const struct op_row op_rows[] = {
	{ "open", AOP_OPEN, 1 },		{ "openat", AOP_OPEN, 2 },
	{ "openat2", AOP_OPEN, NO_FLAGS },	{ "creat", AOP_OPEN, NO_FLAGS },
	{ "open_by_handle_at", AOP_OPEN_HANDLE, 2 },
	{ "close", AOP_CLOSE, NO_FLAGS },
	{ "dup", AOP_DUP, NO_FLAGS },		{ "dup2", AOP_DUP, NO_FLAGS },
	{ "dup3", AOP_DUP, NO_FLAGS },		{ "fcntl", AOP_DUP, NO_FLAGS },
	{ "read", AOP_READ, NO_FLAGS },		{ "pread64", AOP_READ, NO_FLAGS },
	{ "readv", AOP_READ, NO_FLAGS },	{ "preadv", AOP_READ, NO_FLAGS },
	{ "preadv2", AOP_READ, NO_FLAGS },	{ "recvfrom", AOP_READ, NO_FLAGS },
	{ "recvmsg", AOP_READ, NO_FLAGS },	{ "recv", AOP_READ, NO_FLAGS },
	{ "write", AOP_WRITE, NO_FLAGS },	{ "pwrite64", AOP_WRITE, NO_FLAGS },
	{ "writev", AOP_WRITE, NO_FLAGS },	{ "pwritev", AOP_WRITE, NO_FLAGS },
	{ "pwritev2", AOP_WRITE, NO_FLAGS },	{ "sendto", AOP_WRITE, NO_FLAGS },
	{ "sendmsg", AOP_WRITE, NO_FLAGS },	{ "send", AOP_WRITE, NO_FLAGS },
	{ "sendfile", AOP_WRITE, NO_FLAGS },	{ "sendfile64", AOP_WRITE, NO_FLAGS },
	{ "getdents", AOP_GETDENTS, NO_FLAGS },
	{ "getdents64", AOP_GETDENTS, NO_FLAGS },
	{ "connect", AOP_CONNECT, NO_FLAGS },
	{ "accept", AOP_ACCEPT, NO_FLAGS },	{ "accept4", AOP_ACCEPT, NO_FLAGS },
	{ "listen", AOP_LISTEN, NO_FLAGS },
	{ "unlink", AOP_UNLINK, NO_FLAGS },	{ "unlinkat", AOP_UNLINK, NO_FLAGS },
	{ "rmdir", AOP_UNLINK, NO_FLAGS },
	{ "rename", AOP_RENAME, NO_FLAGS },	{ "renameat", AOP_RENAME, NO_FLAGS },
	{ "renameat2", AOP_RENAME, NO_FLAGS },
	{ "mkdir", AOP_CREATE, NO_FLAGS },	{ "mkdirat", AOP_CREATE, NO_FLAGS },
	{ "mknod", AOP_CREATE, NO_FLAGS },	{ "mknodat", AOP_CREATE, NO_FLAGS },
	{ "link", AOP_CREATE, NO_FLAGS },	{ "linkat", AOP_CREATE, NO_FLAGS },
	{ "symlink", AOP_CREATE, NO_FLAGS },	{ "symlinkat", AOP_CREATE, NO_FLAGS },
	{ "chmod", AOP_CHMOD, NO_FLAGS },	{ "fchmod", AOP_CHMOD, NO_FLAGS },
	{ "fchmodat", AOP_CHMOD, NO_FLAGS },	{ "fchmodat2", AOP_CHMOD, NO_FLAGS },
	{ "chown", AOP_CHOWN, NO_FLAGS },	{ "fchown", AOP_CHOWN, NO_FLAGS },
	{ "lchown", AOP_CHOWN, NO_FLAGS },	{ "fchownat", AOP_CHOWN, NO_FLAGS },
	{ "chown32", AOP_CHOWN, NO_FLAGS },	{ "fchown32", AOP_CHOWN, NO_FLAGS },
	{ "lchown32", AOP_CHOWN, NO_FLAGS },
	{ "execve", AOP_EXEC, NO_FLAGS },	{ "execveat", AOP_EXEC, NO_FLAGS },
	{ "setuid", AOP_CRED, NO_FLAGS },	{ "setreuid", AOP_CRED, NO_FLAGS },
	{ "setresuid", AOP_CRED, NO_FLAGS },	{ "setfsuid", AOP_CRED, NO_FLAGS },
	{ "capset", AOP_CRED, NO_FLAGS },
	{ "unshare", AOP_UNSHARE, NO_FLAGS },	{ "setns", AOP_SETNS, NO_FLAGS },
	{ "clone", AOP_CLONE, NO_FLAGS },
	{ "mmap", AOP_MMAP, NO_FLAGS },		{ "mmap2", AOP_MMAP, NO_FLAGS },
	{ "mprotect", AOP_MPROTECT, NO_FLAGS },
	{ "pkey_mprotect", AOP_MPROTECT, NO_FLAGS },
	{ "init_module", AOP_MODULE, NO_FLAGS },
	{ "finit_module", AOP_MODULE, NO_FLAGS },
	{ "delete_module", AOP_MODULE, NO_FLAGS },
	{ "ptrace", AOP_PTRACE, NO_FLAGS },	{ "prctl", AOP_PRCTL, NO_FLAGS },
	{ "mount", AOP_MOUNT, NO_FLAGS },	{ "umount", AOP_MOUNT, NO_FLAGS },
	{ "umount2", AOP_MOUNT, NO_FLAGS },	{ "pivot_root", AOP_MOUNT, NO_FLAGS },
	{ "move_mount", AOP_MOUNT, NO_FLAGS },	{ "fsmount", AOP_MOUNT, NO_FLAGS },
	{ "fsopen", AOP_MOUNT, NO_FLAGS },	{ "open_tree", AOP_MOUNT, NO_FLAGS },
	{ "mount_setattr", AOP_MOUNT, NO_FLAGS },
	{ "kexec_load", AOP_KEXEC, NO_FLAGS },
	{ "kexec_file_load", AOP_KEXEC, NO_FLAGS },
	{ "bpf", AOP_BPF, NO_FLAGS },
};
/* clang-format on */

#define NOPS (sizeof(op_rows) / sizeof(op_rows[0]))

/* Descriptor action kinds. */
enum act_kind {
	AK_FILE,	/* file.read, or file.write once written */
	AK_DIR,		/* dir.list */
	AK_CONNECT,	/* net.connect */
	AK_ACCEPT,	/* net.accept */
	AK_DNS,		/* dns.query */
};

static const char *const kind_names[] = {
	[AK_FILE] = "file.read",     [AK_DIR] = "dir.list",
	[AK_CONNECT] = "net.connect", [AK_ACCEPT] = "net.accept",
	[AK_DNS] = "dns.query",
};

/* An open descriptor action. */
struct ag_act {
	struct ag_act *hnext;		/* hash chain */
	struct ag_act *older, *newer;	/* the run's list, by start */
	struct ag_act *pnext, *pprev;	/* its process's list */
	int32_t pid;
	int fd;
	int dup_fd;			/* a copy of fd made by dup, or -1:
					 * closing fd moves the action there
					 * (open, dup2 to 1, close: a shell
					 * redirection) */
	uint8_t kind;			/* enum act_kind */
	uint8_t cls;			/* enum res_class */
	bool writing;			/* opened for writing */
	char *resource;			/* owned, or NULL */
	struct rec_ref first, last;
	uint64_t calls, errors, bytes_in, bytes_out;
	int64_t start_sec, end_sec;
	int32_t start_nsec, end_nsec;
	uint64_t mono_start;
};

/* A process as the aggregator knows it. */
struct ag_proc {
	struct ag_proc *next;		/* hash chain */
	int32_t pid, ppid;
	char *exe;			/* owned, or NULL */
	int64_t uid, euid;		/* -1 unknown */
	uint64_t caps;
	bool have_ref;
	struct rec_ref last;		/* its latest syscall record */
	const char *last_name;		/* that call's name (static) */
	int64_t last_sec;
	int32_t last_nsec;
	bool had64;			/* x86_64 calls since its exec */
	bool compat_fired;
	bool have_secret;		/* credentials read at secret_mono */
	uint64_t secret_mono;
	struct rec_ref secret;
	const char *secret_name;
	uint64_t fired[AGG_MAX_FIRED];	/* hashes of (rule, summary) */
	unsigned nfired;
	uint64_t fired_rules;		/* bit per rule (first 64) */
	struct ag_act *acts;		/* its open actions */
};

/* ---- helpers ---- */

/* FNV-1a */
static uint64_t hash_str(uint64_t h, const char *s)
{
	if (h == 0)
		h = 1469598103934665603ull;
	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

static const struct op_row *row_of(const struct aggregate *ag,
				   const struct call_event *ev)
{
	if (ev->abi >= _ABI_MAX || ev->nr < 0 || ev->nr >= MAX_NR ||
	    ag->ops[ev->abi][ev->nr] == 0)
		return NULL;
	return &op_rows[ag->ops[ev->abi][ev->nr] - 1];
}

static int op_of(const struct aggregate *ag, const struct call_event *ev)
{
	const struct op_row *r = row_of(ag, ev);

	return r != NULL ? r->op : AOP_NONE;
}

/* ---- init ---- */

void aggregate_init(struct aggregate *ag, const struct rules *rules,
		    uint64_t window_ns, agg_action_fn *on_action,
		    agg_alert_fn *on_alert, void *ctx)
{
	const char *name;
	size_t r;
	int abi, nr;

	memset(ag, 0, sizeof(*ag));
	ag->rules = rules;
	ag->window_ns = window_ns ? window_ns : AGG_DEFAULT_WINDOW_NS;
	ag->on_action = on_action;
	ag->on_alert = on_alert;
	ag->ctx = ctx;
	for (abi = 0; abi < _ABI_MAX; abi++) {
		ag->ops[abi] = xcalloc(MAX_NR, 1);
		for (nr = 0; nr < MAX_NR; nr++) {
			name = syscall_name(abi, nr);
			if (name == NULL)
				continue;
			for (r = 0; r < NOPS; r++)
				if (strcmp(op_rows[r].name, name) == 0) {
					ag->ops[abi][nr] = (uint8_t)(r + 1);
					break;
				}
		}
	}
	ag->nacts_slots = 1024;
	ag->acts = xcalloc(ag->nacts_slots, sizeof(*ag->acts));
	ag->nprocs_slots = 256;
	ag->procs = xcalloc(ag->nprocs_slots, sizeof(*ag->procs));
	buf_init(&ag->tmp);
	buf_init(&ag->sum);
	buf_init(&ag->detail);
}

static void act_free(struct ag_act *a)
{
	free(a->resource);
	free(a);
}

void aggregate_release(struct aggregate *ag)
{
	struct ag_act *a, *an;
	struct ag_proc *p, *pn;
	size_t i;
	int abi;

	if (ag == NULL)
		return;
	for (a = ag->oldest; a != NULL; a = an) {
		an = a->newer;
		act_free(a);
	}
	for (i = 0; i < ag->nprocs_slots; i++)
		for (p = ag->procs[i]; p != NULL; p = pn) {
			pn = p->next;
			free(p->exe);
			free(p);
		}
	for (abi = 0; abi < _ABI_MAX; abi++)
		free(ag->ops[abi]);
	for (i = 0; i < ag->stats.nendpoints; i++)
		free(ag->stats.endpoints[i]);
	free(ag->acts);
	free(ag->procs);
	buf_release(&ag->tmp);
	buf_release(&ag->sum);
	buf_release(&ag->detail);
	memset(ag, 0, sizeof(*ag));
}

/* ---- processes ---- */

static size_t pslot(const struct aggregate *ag, int32_t pid)
{
	return ((uint32_t)pid * 2654435761u) & (ag->nprocs_slots - 1);
}

static struct ag_proc *proc_find(struct aggregate *ag, int32_t pid)
{
	struct ag_proc *p;

	for (p = ag->procs[pslot(ag, pid)]; p != NULL; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static void procs_grow(struct aggregate *ag)
{
	struct ag_proc **old = ag->procs, *p;
	size_t i, n = ag->nprocs_slots;

	ag->nprocs_slots *= 2;
	ag->procs = xcalloc(ag->nprocs_slots, sizeof(*ag->procs));
	for (i = 0; i < n; i++)
		while (old[i] != NULL) {
			p = old[i];
			old[i] = p->next;
			p->next = ag->procs[pslot(ag, p->pid)];
			ag->procs[pslot(ag, p->pid)] = p;
		}
	free(old);
}

static struct ag_proc *proc_get(struct aggregate *ag, int32_t pid)
{
	struct ag_proc *p = proc_find(ag, pid);

	if (p != NULL)
		return p;
	if ((ag->nprocs + 1) * 2 > ag->nprocs_slots)
		procs_grow(ag);
	p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	p->uid = p->euid = -1;
	p->next = ag->procs[pslot(ag, pid)];
	ag->procs[pslot(ag, pid)] = p;
	ag->nprocs++;
	ag->stats.processes++;
	return p;
}

static void proc_remove(struct aggregate *ag, struct ag_proc *p)
{
	struct ag_proc **pp = &ag->procs[pslot(ag, p->pid)];

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	ag->nprocs--;
	free(p->exe);
	free(p);
}

/* ---- emitting ---- */

static void note_endpoint(struct agg_stats *st, const char *ep)
{
	size_t i;

	if (ep == NULL)
		return;
	for (i = 0; i < st->nendpoints; i++)
		if (strcmp(st->endpoints[i], ep) == 0)
			return;
	if (st->nendpoints < sizeof(st->endpoints) / sizeof(st->endpoints[0]))
		st->endpoints[st->nendpoints++] = xstrdup_or_null(ep);
	else
		st->more_endpoints++;
}

static void emit_action(struct aggregate *ag, struct action *a, int cls)
{
	a->cls = class_name(cls);
	ag->stats.actions++;
	if (strncmp(a->kind, "file.", 5) == 0 || strcmp(a->kind, "dir.list") == 0) {
		if (cls >= 0 && cls < 32)
			ag->stats.files_by_class[cls]++;
	} else if (strncmp(a->kind, "net.", 4) == 0 ||
		   strcmp(a->kind, "dns.query") == 0) {
		note_endpoint(&ag->stats, a->resource);
	}
	if (ag->on_action != NULL)
		ag->on_action(ag->ctx, a);
}

/* An action of one call. */
static void emit_instant(struct aggregate *ag, const struct ag_proc *p,
			 const struct call_event *ev,
			 const struct rec_ref *ref, const char *kind,
			 const char *res, const char *res2, int cls,
			 const char *detail)
{
	struct action a;

	memset(&a, 0, sizeof(a));
	a.kind = kind;
	a.pid = ev->pid;
	a.ppid = p->ppid;
	a.exe = p->exe;
	a.uid = p->uid;
	a.resource = res;
	a.resource2 = res2;
	a.end = "instant";
	a.first = a.last = *ref;
	a.calls = 1;
	a.errors = ev->is_error ? 1 : 0;
	a.start_sec = a.end_sec = ev->ts_sec;
	a.start_nsec = a.end_nsec = ev->ts_nsec;
	a.detail = detail;
	emit_action(ag, &a, cls);
}

static size_t aslot(const struct aggregate *ag, int32_t pid, int fd)
{
	return (((uint32_t)pid * 2654435761u) ^ ((uint32_t)fd * 40503u)) &
	       (ag->nacts_slots - 1);
}

static struct ag_act *act_find(struct aggregate *ag, int32_t pid, int fd)
{
	struct ag_act *a;

	for (a = ag->acts[aslot(ag, pid, fd)]; a != NULL; a = a->hnext)
		if (a->pid == pid && a->fd == fd)
			return a;
	return NULL;
}

/* Ends open action `a` (emits and frees it). */
static void act_end(struct aggregate *ag, struct ag_act *a, const char *why)
{
	struct ag_act **pp = &ag->acts[aslot(ag, a->pid, a->fd)];
	struct ag_proc *p = proc_find(ag, a->pid);
	struct action out;

	while (*pp != a)
		pp = &(*pp)->hnext;
	*pp = a->hnext;
	if (a->older != NULL)
		a->older->newer = a->newer;
	else
		ag->oldest = a->newer;
	if (a->newer != NULL)
		a->newer->older = a->older;
	else
		ag->newest = a->older;
	if (a->pprev != NULL)
		a->pprev->pnext = a->pnext;
	else if (p != NULL)
		p->acts = a->pnext;
	if (a->pnext != NULL)
		a->pnext->pprev = a->pprev;
	ag->nacts--;

	memset(&out, 0, sizeof(out));
	out.kind = kind_names[a->kind];
	if (a->kind == AK_FILE && (a->bytes_out > 0 ||
				   (a->writing && a->bytes_in == 0)))
		out.kind = "file.write";
	out.pid = a->pid;
	out.ppid = p ? p->ppid : 0;
	out.exe = p ? p->exe : NULL;
	out.uid = p ? p->uid : -1;
	out.resource = a->resource;
	out.end = why;
	out.first = a->first;
	out.last = a->last;
	out.calls = a->calls;
	out.errors = a->errors;
	out.bytes_in = a->bytes_in;
	out.bytes_out = a->bytes_out;
	out.start_sec = a->start_sec;
	out.start_nsec = a->start_nsec;
	out.end_sec = a->end_sec;
	out.end_nsec = a->end_nsec;
	if (strcmp(why, "cap") == 0)
		ag->stats.cap_hits++;
	emit_action(ag, &out, a->cls);
	act_free(a);
}

static void act_add_call(struct ag_act *a, const struct call_event *ev,
			 const struct rec_ref *ref)
{
	uint64_t end_ns;

	a->last = *ref;
	a->calls++;
	if (ev->is_error)
		a->errors++;
	end_ns = (uint64_t)ev->ts_nsec + ev->dur_ns;
	a->end_sec = ev->ts_sec + (int64_t)(end_ns / 1000000000u);
	a->end_nsec = (int32_t)(end_ns % 1000000000u);
}

/* Opens an action on (pid, fd) whose first call is `ev`. */
static struct ag_act *act_start(struct aggregate *ag, struct ag_proc *p,
				const struct call_event *ev,
				const struct rec_ref *ref, int fd, int kind,
				const char *res, int cls)
{
	struct ag_act *a = act_find(ag, ev->pid, fd);
	size_t s;

	if (a != NULL)
		act_end(ag, a, "reopened");
	if (ag->nacts >= AGG_MAX_OPEN)
		act_end(ag, ag->oldest, "cap");
	a = xcalloc(1, sizeof(*a));
	a->pid = ev->pid;
	a->fd = fd;
	a->dup_fd = -1;
	a->kind = (uint8_t)kind;
	a->cls = (uint8_t)cls;
	a->resource = xstrdup_or_null(res);
	a->first = *ref;
	a->start_sec = ev->ts_sec;
	a->start_nsec = ev->ts_nsec;
	a->mono_start = ev->mono_entry;
	s = aslot(ag, ev->pid, fd);
	a->hnext = ag->acts[s];
	ag->acts[s] = a;
	a->older = ag->newest;
	if (ag->newest != NULL)
		ag->newest->newer = a;
	else
		ag->oldest = a;
	ag->newest = a;
	a->pnext = p->acts;
	if (p->acts != NULL)
		p->acts->pprev = a;
	p->acts = a;
	ag->nacts++;
	act_add_call(a, ev, ref);
	return a;
}

/* Re-keys open action `a` to descriptor `fd` of its process. */
static void act_move(struct aggregate *ag, struct ag_act *a, int fd)
{
	struct ag_act **pp = &ag->acts[aslot(ag, a->pid, a->fd)];
	size_t s;

	while (*pp != a)
		pp = &(*pp)->hnext;
	*pp = a->hnext;
	a->fd = fd;
	a->dup_fd = -1;
	s = aslot(ag, a->pid, fd);
	a->hnext = ag->acts[s];
	ag->acts[s] = a;
}

/* dns.query for port 53 and systemd-resolved's socket, else net.connect */
static int net_kind(const char *ep, int dflt)
{
	const char *colon;

	if (ep == NULL)
		return dflt;
	if (strncmp(ep, "/run/systemd/resolve/", 21) == 0)
		return AK_DNS;
	colon = strrchr(ep, ':');
	if (colon != NULL && strcmp(colon, ":53") == 0)
		return AK_DNS;
	return dflt;
}

/* The open action of a read/write/getdents on `fd`, started if need be. */
static struct ag_act *act_for_io(struct aggregate *ag, struct ag_proc *p,
				 const struct call_event *ev,
				 const struct call_view *v,
				 const struct rec_ref *ref, int fd)
{
	struct ag_act *a = act_find(ag, ev->pid, fd);

	if (a != NULL) {
		act_add_call(a, ev, ref);
		return a;
	}
	if (v->fd != fd)
		return NULL;
	if (v->fd_type == FT_FILE_)
		return act_start(ag, p, ev, ref, fd, AK_FILE, v->fd_path,
				 v->fd_cls);
	if (v->fd_type != FT_SOCKET_)
		return NULL; /* pipes, anon inodes: not resources */
	if (v->fd_remote != NULL)
		return act_start(ag, p, ev, ref, fd,
				 net_kind(v->fd_remote, AK_CONNECT),
				 v->fd_remote, v->fd_cls);
	if (v->addr != NULL) /* sendto with a destination */
		return act_start(ag, p, ev, ref, fd,
				 net_kind(v->addr, AK_CONNECT), v->addr,
				 v->addr_cls);
	return NULL;
}

/* Ends every open action of process p. */
static void end_all_of(struct aggregate *ag, struct ag_proc *p,
		       const char *why)
{
	while (p->acts != NULL)
		act_end(ag, p->acts, why);
}

/* ---- alerts ---- */

static bool fired_before(struct ag_proc *p, int rule, const char *summary)
{
	uint64_t h = hash_str(hash_str(0, summary), rule_id((size_t)rule));
	uint64_t bit = rule < 64 ? 1ull << rule : 0;
	unsigned i;

	for (i = 0; i < p->nfired; i++)
		if (p->fired[i] == h)
			return true;
	if (p->nfired == AGG_MAX_FIRED) /* full: once per rule from now on */
		return (p->fired_rules & bit) != 0;
	p->fired[p->nfired++] = h;
	p->fired_rules |= bit;
	return false;
}

static void raise_alerts(struct aggregate *ag, struct ag_proc *p,
			 const struct rule_input *in,
			 const struct rec_ref *ref, const char *name)
{
	struct rule_hit hits[RULES_MAX_HITS];
	const char *s;
	struct alert al;
	int n, i, sev;

	n = rules_eval(ag->rules, in, hits, &ag->sum);
	for (i = 0, s = ag->sum.s; i < n; i++, s += strlen(s) + 1) {
		sev = rules_severity(ag->rules, (size_t)hits[i].rule);
		if (sev == SEV_NONE || fired_before(p, hits[i].rule, s))
			continue;
		memset(&al, 0, sizeof(al));
		al.rule = rule_id((size_t)hits[i].rule);
		al.severity = sev;
		al.summary = s;
		al.pid = p->pid;
		al.exe = p->exe;
		al.uid = p->uid;
		al.ts_sec = in->ev->ts_sec;
		al.ts_nsec = in->ev->ts_nsec;
		if (hits[i].with_secret && p->have_secret) {
			al.evidence[al.nevidence] = p->secret;
			al.evidence_syscall[al.nevidence++] = p->secret_name;
		}
		if (ref != NULL) {
			al.evidence[al.nevidence] = *ref;
			al.evidence_syscall[al.nevidence++] = name;
		}
		ag->stats.alerts[sev]++;
		if (sev > ag->stats.max_severity)
			ag->stats.max_severity = sev;
		if (ag->on_alert != NULL)
			ag->on_alert(ag->ctx, &al);
	}
}

/* ---- calls ---- */

static void set_exe(struct ag_proc *p, const char *exe)
{
	if (exe == NULL || (p->exe != NULL && strcmp(p->exe, exe) == 0))
		return;
	free(p->exe);
	p->exe = xstrdup_or_null(exe);
}

/* The actions a call makes (descriptor actions and instant ones). */
static void actions_of(struct aggregate *ag, struct ag_proc *p,
		       const struct call_event *ev, const struct call_view *v,
		       const struct rec_ref *ref, const struct op_row *row,
		       int op, bool write)
{
	bool ok = !ev->is_error && !ev->unfinished;
	struct ag_act *a;
	const char *res;
	int fd = (int)(int32_t)ev->args[0], kind;
	uint64_t f;

	switch (op) {
	case AOP_OPEN:
		if (!ok || v->fd < 0 || v->fd_type != FT_FILE_)
			return;
		/* a shell's >/dev/null has O_CREAT too: not a creation */
		if (v->fd_cls != RC_DEVICE &&
		    (row->flag_arg == NO_FLAGS
			     ? strcmp(row->name, "creat") == 0
			     : (ev->args[row->flag_arg] & O_CREAT) != 0))
			emit_instant(ag, p, ev, ref, "file.create", v->fd_path,
				     NULL, v->fd_cls, NULL);
		kind = row->flag_arg != NO_FLAGS &&
				       (ev->args[row->flag_arg] & O_DIRECTORY)
			       ? AK_DIR
			       : AK_FILE;
		a = act_start(ag, p, ev, ref, v->fd, kind, v->fd_path,
			      v->fd_cls);
		a->writing = write;
		return;
	case AOP_CLOSE:
		a = act_find(ag, ev->pid, fd);
		if (a == NULL)
			return;
		act_add_call(a, ev, ref);
		if (ok && a->dup_fd >= 0 && act_find(ag, ev->pid, a->dup_fd) ==
						    NULL)
			act_move(ag, a, a->dup_fd);
		else
			act_end(ag, a, "close");
		return;
	case AOP_DUP:
		if (!ok || (strcmp(row->name, "fcntl") == 0 &&
			    ev->args[1] != F_DUPFD &&
			    ev->args[1] != F_DUPFD_CLOEXEC))
			return;
		a = act_find(ag, ev->pid, fd);
		if (a != NULL && (int)ev->ret != fd) {
			act_add_call(a, ev, ref);
			a->dup_fd = (int)ev->ret;
		}
		return;
	case AOP_READ:
	case AOP_WRITE:
		a = act_for_io(ag, p, ev, v, ref, fd);
		if (a != NULL && ok && ev->ret > 0) {
			if (op == AOP_READ)
				a->bytes_in += (uint64_t)ev->ret;
			else
				a->bytes_out += (uint64_t)ev->ret;
		}
		return;
	case AOP_GETDENTS:
		a = act_for_io(ag, p, ev, v, ref, fd);
		if (a != NULL && a->kind == AK_FILE)
			a->kind = AK_DIR;
		return;
	case AOP_CONNECT:
		if (ev->unfinished || v->addr == NULL)
			return;
		kind = net_kind(v->addr, AK_CONNECT);
		a = act_start(ag, p, ev, ref, fd, kind, v->addr, v->addr_cls);
		if (ev->is_error && ev->ret != -EINPROGRESS)
			act_end(ag, a, "failed");
		return;
	case AOP_ACCEPT:
		if (ok && v->fd >= 0)
			act_start(ag, p, ev, ref, v->fd, AK_ACCEPT,
				  v->fd_remote, v->fd_cls);
		return;
	case AOP_LISTEN:
		if (ok)
			emit_instant(ag, p, ev, ref, "net.listen", v->fd_local,
				     NULL, v->fd_cls, NULL);
		return;
	default:
		break;
	}
	if (!ok)
		return;
	res = v->path != NULL ? v->path
				: (v->fd_type == FT_FILE_ ? v->fd_path : NULL);
	switch (op) {
	case AOP_UNLINK:
		emit_instant(ag, p, ev, ref, "file.delete", res, NULL,
			     v->path_cls, NULL);
		return;
	case AOP_RENAME:
		emit_instant(ag, p, ev, ref, "file.rename", res, v->path2,
			     v->path2 ? v->path2_cls : v->path_cls, NULL);
		return;
	case AOP_CREATE:
		emit_instant(ag, p, ev, ref, "file.create",
			     v->path2 ? v->path2 : res, NULL,
			     v->path2 ? v->path2_cls : v->path_cls, NULL);
		return;
	case AOP_CHMOD:
	case AOP_CHOWN:
		emit_instant(ag, p, ev, ref,
			     op == AOP_CHMOD ? "file.chmod" : "file.chown", res,
			     NULL, v->path ? v->path_cls : v->fd_cls, NULL);
		return;
	case AOP_UNSHARE:
	case AOP_SETNS:
	case AOP_CLONE:
		f = ev->args[op == AOP_SETNS ? 1 : 0];
		if (op == AOP_CLONE &&
		    !(f & (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
			   CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
			   CLONE_NEWNET)))
			return;
		buf_reset(&ag->detail);
		buf_addf(&ag->detail, ",\"call\":\"%s\",\"flags\":", row->name);
		json_add_hex(&ag->detail, f);
		emit_instant(ag, p, ev, ref, "ns.change", NULL, NULL, 0,
			     ag->detail.s);
		return;
	case AOP_MMAP:
	case AOP_MPROTECT:
		if (!(ev->args[2] & PROT_EXEC) ||
		    (op == AOP_MMAP && !(ev->args[3] & MAP_ANONYMOUS)))
			return;
		buf_reset(&ag->detail);
		buf_addf(&ag->detail, ",\"call\":\"%s\",\"addr\":", row->name);
		json_add_hex(&ag->detail,
			     op == AOP_MMAP ? (uint64_t)ev->ret : ev->args[0]);
		buf_adds(&ag->detail, ",\"length\":");
		buf_add_u64(&ag->detail, ev->args[1]);
		emit_instant(ag, p, ev, ref, "mem.exec", NULL, NULL, 0,
			     ag->detail.s);
		return;
	case AOP_MODULE:
		emit_instant(ag, p, ev, ref, "module.load",
			     v->fd_type == FT_FILE_ ? v->fd_path : NULL, NULL,
			     v->fd_cls, NULL);
		return;
	case AOP_PTRACE:
		if (ev->args[0] != PTRACE_ATTACH && ev->args[0] != 0x4206)
			return;
		buf_reset(&ag->tmp);
		buf_addf(&ag->tmp, "pid:%d", (int)(int32_t)ev->args[1]);
		emit_instant(ag, p, ev, ref, "ptrace.attach", ag->tmp.s, NULL,
			     0, NULL);
		return;
	default:
		return;
	}
}

void aggregate_call(struct aggregate *ag, const struct call_event *ev,
		    const struct call_view *view, const struct rec_ref *ref)
{
	struct ag_proc *p = proc_get(ag, ev->pid);
	const struct op_row *row = row_of(ag, ev);
	int op = row ? row->op : AOP_NONE;
	struct rule_input in;
	bool write = false;
	uint64_t acc;

	p->have_ref = true;
	p->last = *ref;
	p->last_name = syscall_name(ev->abi, ev->nr);
	p->last_sec = ev->ts_sec;
	p->last_nsec = ev->ts_nsec;
	if (p->exe == NULL)
		set_exe(p, view->exe);
	if (view->uid >= 0) {
		p->uid = view->uid;
		p->euid = view->euid;
		p->caps = view->cap_eff;
	}
	if (view->ppid > 0)
		p->ppid = view->ppid;

	memset(&in, 0, sizeof(in));
	in.ev = ev;
	in.view = view;
	in.op = op;
	in.name = p->last_name;
	in.exe = p->exe;
	in.uid = p->uid;
	in.euid = p->euid;
	if (op == AOP_OPEN) {
		if (row->flag_arg == NO_FLAGS) {
			write = strcmp(row->name, "creat") == 0;
		} else {
			acc = ev->args[row->flag_arg];
			write = (acc & O_ACCMODE) != O_RDONLY ||
				(acc & (O_CREAT | O_TRUNC)) != 0;
		}
	}
	in.write = write;
	if (ev->abi == ABI_X86_64) {
		p->had64 = true;
	} else if (p->had64 && !p->compat_fired) {
		in.compat_abi = true;
		p->compat_fired = true;
	}
	in.secret_recent = p->have_secret &&
			   ev->mono_entry - p->secret_mono <= ag->window_ns;
	raise_alerts(ag, p, &in, ref, p->last_name);
	if (op == AOP_OPEN && !ev->is_error && view->path != NULL &&
	    view->path_cls == RC_CREDENTIALS) {
		p->have_secret = true;
		p->secret_mono = ev->mono_entry;
		p->secret = *ref;
		p->secret_name = p->last_name;
	}
	actions_of(ag, p, ev, view, ref, row, op, write);
	if (op == AOP_EXEC && !ev->is_error && !ev->unfinished)
		p->had64 = false; /* a new image: its ABI is its own */
}

/* ---- process events ---- */

static void put_uid_change(struct buf *b, const char *name, int64_t before,
			   int64_t after)
{
	buf_addf(b, ",\"%s\":[%lld,%lld]", name, (long long)before,
		 (long long)after);
}

void aggregate_process(struct aggregate *ag, const struct call_event *ev,
		       const struct proc_view *pv)
{
	struct ag_proc *p, *c;
	struct rule_input in;
	struct call_event call;
	const char *name;
	struct action a;
	int op;

	switch (ev->nr) {
	case PEV_NEW:
		if ((int64_t)ev->args[1] > 0 &&
		    ((int64_t)ev->args[1] & CLONE_THREAD))
			return;
		p = proc_find(ag, ev->pid);
		if (p != NULL && p->have_ref)
			return; /* seen first (vfork): it knows better */
		p = proc_get(ag, ev->pid);
		c = proc_find(ag, (int32_t)ev->args[0]);
		p->ppid = (int32_t)ev->args[0];
		if (c != NULL) {
			set_exe(p, c->exe);
			p->uid = c->uid;
			p->euid = c->euid;
			p->caps = c->caps;
			p->had64 = c->had64;
		}
		return;
	case PEV_EXIT:
		p = proc_find(ag, ev->pid);
		if (p == NULL || ev->tid != ev->pid)
			return;
		end_all_of(ag, p, "exit");
		memset(&a, 0, sizeof(a));
		a.kind = "process.exit";
		a.pid = p->pid;
		a.ppid = p->ppid;
		a.exe = p->exe;
		a.uid = p->uid;
		a.resource = p->exe;
		a.end = "instant";
		if (p->have_ref) {
			a.first = a.last = p->last;
			a.calls = 1;
		}
		a.start_sec = a.end_sec = ev->ts_sec;
		a.start_nsec = a.end_nsec = ev->ts_nsec;
		buf_reset(&ag->detail);
		if (WIFSIGNALED((int)ev->ret))
			buf_addf(&ag->detail, ",\"signal\":%d",
				 WTERMSIG((int)ev->ret));
		else
			buf_addf(&ag->detail, ",\"code\":%d",
				 WEXITSTATUS((int)ev->ret));
		a.detail = ag->detail.s;
		emit_action(ag, &a, 0);
		proc_remove(ag, p);
		return;
	case PEV_CALL:
		break;
	default:
		return;
	}
	if (ev->args[1] != 0 || pv == NULL) /* socket ends: not a change */
		return;
	p = proc_get(ag, ev->pid);
	memset(&call, 0, sizeof(call));
	call.abi = ev->abi;
	call.nr = (int32_t)ev->args[0];
	op = op_of(ag, &call);
	name = syscall_name(ev->abi, call.nr);
	memset(&in, 0, sizeof(in));
	in.ev = ev;
	in.proc_change = true;
	in.exec = op == AOP_EXEC;
	in.old_uid = p->uid;
	in.old_euid = p->euid;
	in.old_caps = p->caps;
	in.uid = pv->uid[0];
	in.euid = pv->uid[1];
	in.caps = pv->cap_eff;
	in.name = name;
	if (in.exec)
		set_exe(p, pv->exe);
	in.exe = p->exe;
	if (pv->ppid > 0)
		p->ppid = pv->ppid;

	if (in.exec) {
		memset(&a, 0, sizeof(a));
		a.kind = "process.spawn";
		a.pid = p->pid;
		a.ppid = p->ppid;
		a.exe = p->exe;
		a.uid = pv->uid[0];
		a.resource = p->exe;
		a.end = "instant";
		if (p->have_ref) {
			a.first = a.last = p->last;
			a.calls = 1;
		}
		a.start_sec = a.end_sec = p->last_sec;
		a.start_nsec = a.end_nsec = p->last_nsec;
		a.argv = pv->argv;
		a.argv_len = pv->argv_len;
		emit_action(ag, &a, RC_EXECUTABLE);
	} else if (in.uid >= 0 && (in.uid != in.old_uid ||
				   in.euid != in.old_euid ||
				   in.caps != in.old_caps)) {
		memset(&a, 0, sizeof(a));
		a.kind = "priv.change";
		a.pid = p->pid;
		a.ppid = p->ppid;
		a.exe = p->exe;
		a.uid = in.uid;
		a.end = "instant";
		if (p->have_ref) {
			a.first = a.last = p->last;
			a.calls = 1;
		}
		a.start_sec = a.end_sec = p->last_sec;
		a.start_nsec = a.end_nsec = p->last_nsec;
		buf_reset(&ag->detail);
		if (name != NULL)
			buf_addf(&ag->detail, ",\"call\":\"%s\"", name);
		put_uid_change(&ag->detail, "uid", in.old_uid, in.uid);
		put_uid_change(&ag->detail, "euid", in.old_euid, in.euid);
		buf_adds(&ag->detail, ",\"caps\":[");
		json_add_hex(&ag->detail, in.old_caps);
		buf_addch(&ag->detail, ',');
		json_add_hex(&ag->detail, in.caps);
		buf_addch(&ag->detail, ']');
		a.detail = ag->detail.s;
		emit_action(ag, &a, 0);
	}
	/* the evidence is the call that caused the change: p->last */
	raise_alerts(ag, p, &in, p->have_ref ? &p->last : NULL, p->last_name);
	if (in.uid >= 0) {
		p->uid = in.uid;
		p->euid = in.euid;
		p->caps = in.caps;
	}
}

/* ---- time ---- */

uint64_t aggregate_deadline(const struct aggregate *ag)
{
	return ag->oldest != NULL ? ag->oldest->mono_start + ag->window_ns : 0;
}

void aggregate_tick(struct aggregate *ag, uint64_t now_ns)
{
	while (ag->oldest != NULL &&
	       ag->oldest->mono_start + ag->window_ns <= now_ns)
		act_end(ag, ag->oldest, "window");
}

void aggregate_flush(struct aggregate *ag)
{
	while (ag->oldest != NULL)
		act_end(ag, ag->oldest, "run_end");
}
