/*
 * profile.c: syscall sets to OCI seccomp profiles and back.
 *
 * Generation writes, in this order, rules for: the observed calls, the
 * calls the vDSO hides, the rare paths a short trace misses, the calls
 * thread contention may add, the OCI runtime's own calls (--runtime), the
 * argument-filtered calls
 * (--arg-filters), and last the calls libc falls back from on ENOSYS.
 * Each later rule only names what no earlier rule did.  The tables below
 * are the whole policy; docs/seccomp.md says why each entry is there.
 */
#include "profile/profile.h"

#include <errno.h>
#include <jansson.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/syscalls.h"
#include "log/reader.h"

/* The OCI names of the architectures capsule records. */
static const struct {
	const char *oci;
	uint32_t token;
} arch_of[_ABI_MAX] = {
	[ABI_X86_64] = { "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
	[ABI_I386] = { "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	[ABI_X32] = { "SCMP_ARCH_X32", SCMP_ARCH_X32 },
};

/* clang-format off */

/*
 * Served by the vDSO without entering the kernel, so a trace never shows
 * them; but libc enters the kernel when the vDSO is absent or declines
 * (an unsupported clock, a clocksource without vDSO support).
 */
static const char *const vdso_calls[] = {
	"clock_getres", "clock_gettime", "clock_gettime64", "getcpu",
	"gettimeofday", "time", NULL,
};

/* Paths a short trace rarely takes but any program may. */
static const char *const rare_calls[] = {
	"exit",			/* a thread's end (exit_group is the process') */
	"exit_group",
	"restart_syscall",	/* an interrupted sleep resumed after a stop */
	"rt_sigreturn",		/* the return from any signal handler */
	"sigreturn",		/* the same for old-style i386 handlers */
	/* abort(): so that a failing program dies of SIGABRT as it would
	 * unconfined, instead of crashing on the next denied call */
	"getpid", "gettid", "rt_sigprocmask", "tgkill",
	NULL,
};

/*
 * Calls that depend on timing once a program has more than one task: a
 * thread waits on a lock or joins another only when it gets there first,
 * so one run may show them and the next need them.  Added when the logs
 * show clone or clone3.
 */
static const char *const contention_calls[] = {
	"futex",		/* locks, condition variables, pthread_join */
	"sched_yield",		/* spin-then-yield locks */
	NULL,
};

/*
 * What an OCI runtime calls in the container's process between loading the
 * filter and the container's execve, measured with strace -f on crun 1.8.1
 * and runc 1.1.5 (see docs/seccomp.md).  With noNewPrivileges they only
 * exec; without, they load the filter while still privileged and then drop
 * capabilities, change user, reset signals (crun) or look the command up
 * and fix file descriptors (runc).  The second group is what runc's Go
 * runtime may call on that thread at any moment (scheduling, memory,
 * preemption signals): not all are seen in one run.
 */
static const char *const runtime_calls[] = {
	/* crun 1.8.1 */
	"capset", "close", "execve", "exit_group", "prctl", "rt_sigaction",
	"rt_sigprocmask", "setresgid", "setresuid", "write",
	/* runc 1.1.5 */
	"capget", "chdir", "epoll_ctl", "faccessat2", "fchown", "fcntl",
	"fstat", "fstatfs", "getcwd", "getdents64", "getpid", "getppid",
	"newfstatat", "openat", "read", "setgid", "setgroups", "setuid",
	/* runc's Go runtime */
	"epoll_pwait", "futex", "gettid", "madvise", "mmap", "munmap",
	"nanosleep", "sched_yield", "sigaltstack", "tgkill",
	NULL,
};

/*
 * Calls glibc tries first and replaces by an older one when they fail
 * with ENOSYS (and only then): a kernel or filter that does not know them
 * must answer ENOSYS, not EPERM.
 */
static const char *const enosys_fallback_calls[] = {
	"clone3",		/* posix_spawn, pthread_create: then clone */
	"close_range",		/* closefrom: then /proc/self/fd */
	"faccessat2",		/* faccessat with flags: then fstatat */
	"fchmodat2",		/* fchmodat AT_SYMLINK_NOFOLLOW */
	"statx",		/* stat on 32-bit ABIs: then fstatat64 */
	/* i386 64-bit time calls: then the 32-bit time calls */
	"clock_adjtime64", "clock_getres_time64", "clock_gettime64",
	"clock_nanosleep_time64", "clock_settime64", "futex_time64",
	"io_pgetevents_time64", "mq_timedreceive_time64",
	"mq_timedsend_time64", "ppoll_time64", "pselect6_time64",
	"recvmmsg_time64", "rt_sigtimedwait_time64",
	"sched_rr_get_interval_time64", "semtimedop_time64",
	"timer_gettime64", "timer_settime64", "timerfd_gettime64",
	"timerfd_settime64", "utimensat_time64",
	NULL,
};

#define CLONE_NEW_ANY                                                        \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |         \
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/* --arg-filters: calls whose use a trace can prove narrow. */
static const struct arg_filter {
	const char *name;
	unsigned index;		/* the argument looked at */
	enum { AF_VALUES, AF_FLAGS_CLEAR } kind;
	uint64_t mask;		/* AF_FLAGS_CLEAR: flags never seen set */
	const char *comment;
} arg_filters[] = {
	{ "personality", 0, AF_VALUES, 0,
	  "only the personalities the logs show" },
	{ "socket", 0, AF_VALUES, 0,
	  "only the address families the logs show" },
	{ "clone", 0, AF_FLAGS_CLEAR, CLONE_NEW_ANY,
	  "no new namespaces: the logs show no CLONE_NEW* flag" },
};

/* clang-format on */

static const char *const comment_observed = "observed in the logs";
static const char *const comment_vdso =
	"served by the vDSO, so absent from traces; called when the vDSO "
	"is not used";
static const char *const comment_rare =
	"rare paths: thread exit, signal return, restarted sleeps";
static const char *const comment_contention =
	"timing-dependent once there are several threads: futex waits "
	"happen only when a thread gets there first";
static const char *const comment_runtime =
	"needed by the OCI runtime between loading the filter and execve";
static const char *const comment_fallback =
	"ENOSYS, not the default: libc then falls back to an older call";

/* ---- reading logs ---- */

static int abi_from_name(const char *s)
{
	int abi;

	for (abi = 0; abi < _ABI_MAX; abi++)
		if (strcmp(s, abi_name((enum ev_abi)abi)) == 0)
			return abi;
	return -1;
}

/* "syscall_<digits>": a number no table named. */
static bool is_unnamed(const char *name)
{
	const char *p = name + strlen("syscall_");

	if (strncmp(name, "syscall_", strlen("syscall_")) != 0 || *p == '\0')
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/*
 * One argument value: integers, or reals (the reader decodes every number
 * as a real, because raw registers exceed jansson's signed integers)
 * that are whole and below 2^53, so exact.
 */
static bool arg_value(const json_t *v, uint64_t *ret)
{
	double d;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return false;
		*ret = (uint64_t)json_integer_value(v);
		return true;
	}
	if (!json_is_real(v))
		return false;
	d = json_real_value(v);
	if (!(d >= 0 && d < 9007199254740992.0) || d != (double)(uint64_t)d)
		return false;
	*ret = (uint64_t)d;
	return true;
}

/*
 * The raw arguments of a record: the top-level "raw" array of six numbers
 * (decoded logs), or "args" when it is still that array (logs of the first
 * format).  Returns the mask of exactly known arguments.
 */
static unsigned record_args(const json_t *rec, uint64_t args[SYSSET_NARGS])
{
	const json_t *a = json_object_get(rec, "raw");
	unsigned known = 0;
	size_t i;

	if (!json_is_array(a))
		a = json_object_get(rec, "args");
	if (!json_is_array(a))
		return 0;
	for (i = 0; i < SYSSET_NARGS && i < json_array_size(a); i++)
		if (arg_value(json_array_get(a, i), &args[i]))
			known |= 1u << i;
	return known;
}

static int feed_record(struct sysset *s, const json_t *rec,
		       struct profile_stats *st)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	const char *abis = json_string_value(json_object_get(rec, "abi"));
	const char *name = json_string_value(json_object_get(rec, "syscall"));
	const char *why;
	uint64_t args[SYSSET_NARGS] = { 0 };
	unsigned known;
	int abi;

	if (type == NULL || strcmp(type, "syscall") != 0)
		return 0;
	if (abis == NULL || name == NULL || *name == '\0') {
		st->bad++;
		return -EINVAL;
	}
	abi = abi_from_name(abis);
	if (abi < 0) {
		st->foreign_abi++;
		return 0;
	}
	sysset_see_abi(s, (enum ev_abi)abi);
	if (is_unnamed(name)) {
		st->unnamed++;
		return 0;
	}
	/*
	 * A clone3 that capsule run made fail with ENOSYS: the program went
	 * on without it (libc used clone), as the ENOSYS fallback rule lets
	 * it under the profile.  Allowing it would only void the clone rule.
	 */
	why = json_string_value(json_object_get(rec, "denied_why"));
	if (why != NULL && strcmp(why, "clone3") == 0)
		return 0;
	known = record_args(rec, args);
	sysset_add(s, (enum ev_abi)abi, name, args, known);
	st->records++;
	return 1;
}

int profile_feed_line(struct sysset *s, const char *line, size_t len,
		      struct profile_stats *st)
{
	json_error_t err;
	json_t *rec;
	size_t i;
	int r;

	st->lines++;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' ||
				line[i] == '\r');
	     i++)
		;
	if (i == len)
		return 0;
	rec = json_loadb(line, len, JSON_DECODE_INT_AS_REAL, &err);
	if (!json_is_object(rec)) {
		json_decref(rec);
		st->bad++;
		return -EINVAL;
	}
	r = feed_record(s, rec, st);
	json_decref(rec);
	return r;
}

int profile_read_log(struct sysset *s, const char *path,
		     struct profile_stats *st)
{
	struct log_reader rd;
	int r;

	r = log_reader_open(&rd, path);
	if (r < 0)
		return r;
	while ((r = log_reader_next(&rd)) > 0)
		(void)profile_feed_line(s, rd.line.s, rd.line.len, st);
	st->too_long += rd.too_long;
	log_reader_close(&rd);
	return r;
}

/* ---- generating ---- */

/* Names already given a rule, over all ABIs; and the profile's ABIs. */
struct gen {
	const struct sysset *s;
	const struct profile_opts *o;
	bool abi[_ABI_MAX];
	json_t *rules;		/* owned: syscalls[] */
	json_t *named;		/* owned: object used as a set of names */
};

/*
 * Whether `name` is a real call of `abi`: libseccomp answers a negative
 * pseudo number for a name it knows only on other architectures.
 */
static bool exists_on(enum ev_abi abi, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch_of[abi].token, name) >= 0;
}

static bool exists_on_profile_arch(const struct gen *g, const char *name)
{
	int abi;

	for (abi = 0; abi < _ABI_MAX; abi++)
		if (g->abi[abi] && exists_on((enum ev_abi)abi, name))
			return true;
	return false;
}

/* Adds `name` to `names` unless a rule has it or no ABI of ours has it. */
static void take_name(struct gen *g, json_t *names, const char *name)
{
	if (json_object_get(g->named, name) != NULL ||
	    !exists_on_profile_arch(g, name))
		return;
	json_object_set_new(g->named, name, json_true());
	json_array_append_new(names, json_string(name));
}

static int cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
		      json_string_value(*(json_t *const *)b));
}

/* Sorts an array of strings in place. */
static void sort_names(json_t *names)
{
	size_t n = json_array_size(names), i;
	json_t **v;

	if (n < 2)
		return;
	v = calloc(n, sizeof(*v));
	if (v == NULL)
		abort();
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(names, i));
	qsort(v, n, sizeof(*v), cmp_json_str);
	json_array_clear(names);
	for (i = 0; i < n; i++)
		json_array_append_new(names, v[i]);
	free(v);
}

/*
 * Appends a rule for `names` (taken over) unless it is empty or its
 * action equals the default, which libseccomp rejects.  errno_ret 0 means
 * SCMP_ACT_ALLOW.
 */
static void add_rule(struct gen *g, json_t *names, int errno_ret,
		     json_t *args, const char *comment)
{
	const char *action;
	json_t *rule;

	if (json_array_size(names) == 0 ||
	    (errno_ret != 0 && errno_ret == g->o->default_errno)) {
		json_decref(names);
		json_decref(args);
		return;
	}
	sort_names(names);
	rule = json_object();
	json_object_set_new(rule, "names", names);
	action = errno_ret ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW";
	json_object_set_new(rule, "action", json_string(action));
	if (errno_ret != 0)
		json_object_set_new(rule, "errnoRet", json_integer(errno_ret));
	if (args != NULL)
		json_object_set_new(rule, "args", args);
	json_object_set_new(rule, "comment", json_string(comment));
	json_array_append_new(g->rules, rule);
}

static void add_list_rule(struct gen *g, const char *const *list,
			  int errno_ret, const char *comment)
{
	json_t *names = json_array();

	for (; *list != NULL; list++)
		take_name(g, names, *list);
	add_rule(g, names, errno_ret, NULL, comment);
}

static json_t *arg_cmp(unsigned index, uint64_t value, uint64_t value2,
		       const char *op)
{
	json_t *a = json_object();

	json_object_set_new(a, "index", json_integer(index));
	json_object_set_new(a, "value", json_integer((json_int_t)value));
	json_object_set_new(a, "valueTwo", json_integer((json_int_t)value2));
	json_object_set_new(a, "op", json_string(op));
	return a;
}

/*
 * The values argument f->index took over every ABI, when they are few
 * and all known.  Returns their number, or -1.
 */
static int merged_values(const struct gen *g, const struct arg_filter *f,
			 uint64_t *vals, uint64_t *ored)
{
	int abi, n = 0, i, j;

	*ored = 0;
	for (abi = 0; abi < _ABI_MAX; abi++) {
		const struct sysset_entry *e =
			sysset_find(g->s, (enum ev_abi)abi, f->name);
		const struct sysset_arg *a;

		if (e == NULL)
			continue;
		a = &e->args[f->index];
		if (a->unknown || a->many || a->nvalues == 0)
			return -1;
		*ored |= a->ored;
		for (i = 0; i < a->nvalues; i++) {
			for (j = 0; j < n && vals[j] != a->values[i]; j++)
				;
			if (j < n)
				continue;
			if (n == SYSSET_MAX_VALUES)
				return -1;
			vals[n++] = a->values[i];
		}
	}
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* True when the observed-calls rule must leave `name` to a filter rule. */
static bool filtered(const struct gen *g, const char *name)
{
	uint64_t vals[SYSSET_MAX_VALUES], ored;
	size_t i;

	if (!g->o->arg_filters)
		return false;
	for (i = 0; i < sizeof(arg_filters) / sizeof(arg_filters[0]); i++) {
		const struct arg_filter *f = &arg_filters[i];
		int n;

		if (strcmp(f->name, name) != 0)
			continue;
		n = merged_values(g, f, vals, &ored);
		if (n <= 0)
			return false;
		return f->kind == AF_VALUES || (ored & f->mask) == 0;
	}
	return false;
}

static void add_arg_filter_rules(struct gen *g)
{
	uint64_t vals[SYSSET_MAX_VALUES], ored;
	size_t i;
	int n, k;

	for (i = 0; i < sizeof(arg_filters) / sizeof(arg_filters[0]); i++) {
		const struct arg_filter *f = &arg_filters[i];
		json_t *names;

		if (!filtered(g, f->name) ||
		    json_object_get(g->named, f->name) != NULL)
			continue;
		n = merged_values(g, f, vals, &ored);
		if (f->kind == AF_FLAGS_CLEAR) {
			names = json_array();
			take_name(g, names, f->name);
			add_rule(g, names, 0,
				 json_pack("[o]", arg_cmp(f->index, f->mask, 0,
							  "SCMP_CMP_MASKED_EQ")),
				 f->comment);
			continue;
		}
		/* one rule per value: several conditions on one argument
		 * in one rule are read as AND by some runtimes, OR by
		 * others */
		qsort(vals, (size_t)n, sizeof(vals[0]), cmp_u64);
		for (k = 0; k < n; k++) {
			names = json_array();
			if (exists_on_profile_arch(g, f->name))
				json_array_append_new(names,
						      json_string(f->name));
			add_rule(g, names, 0,
				 json_pack("[o]", arg_cmp(f->index, vals[k], 0,
							  "SCMP_CMP_EQ")),
				 f->comment);
		}
		json_object_set_new(g->named, f->name, json_true());
	}
}

static void add_observed_rule(struct gen *g)
{
	json_t *names = json_array();
	int abi;
	size_t i;

	for (abi = 0; abi < _ABI_MAX; abi++)
		for (i = 0; i < g->s->abi[abi].n; i++) {
			const char *name = g->s->abi[abi].e[i].name;

			if (!filtered(g, name))
				take_name(g, names, name);
		}
	add_rule(g, names, 0, NULL, comment_observed);
}

/* The logs show a program that starts threads or processes. */
static bool creates_tasks(const struct sysset *s)
{
	int abi;

	for (abi = 0; abi < _ABI_MAX; abi++)
		if (sysset_find(s, (enum ev_abi)abi, "clone") != NULL ||
		    sysset_find(s, (enum ev_abi)abi, "clone3") != NULL)
			return true;
	return false;
}

int profile_generate(const struct sysset *s, const struct profile_opts *o,
		     char **ret_json)
{
	struct gen g = { .s = s, .o = o };
	json_t *root, *arches;
	bool any = false;
	char *text;
	int abi;

	for (abi = 0; abi < _ABI_MAX; abi++) {
		g.abi[abi] = s->abi[abi].seen;
		any |= g.abi[abi];
	}
	if (!any)
		return -ENODATA;
	root = json_object();
	arches = json_array();
	for (abi = 0; abi < _ABI_MAX; abi++)
		if (g.abi[abi])
			json_array_append_new(arches,
					      json_string(arch_of[abi].oci));
	json_object_set_new(root, "defaultAction",
			    json_string("SCMP_ACT_ERRNO"));
	json_object_set_new(root, "defaultErrnoRet",
			    json_integer(o->default_errno));
	json_object_set_new(root, "architectures", arches);
	g.rules = json_array();
	g.named = json_object();

	add_observed_rule(&g);
	add_list_rule(&g, vdso_calls, 0, comment_vdso);
	add_list_rule(&g, rare_calls, 0, comment_rare);
	if (creates_tasks(s))
		add_list_rule(&g, contention_calls, 0, comment_contention);
	if (o->runtime)
		add_list_rule(&g, runtime_calls, 0, comment_runtime);
	if (o->arg_filters)
		add_arg_filter_rules(&g);
	add_list_rule(&g, enosys_fallback_calls, ENOSYS, comment_fallback);

	json_object_set_new(root, "syscalls", g.rules);
	json_decref(g.named);
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (text == NULL)
		return -ENOMEM;
	*ret_json = text;
	return 0;
}

/* ---- reading profiles ---- */

static void add_profile_names(struct sysset *s, const bool abis[_ABI_MAX],
			      const json_t *names)
{
	size_t i;
	int abi, where;

	for (i = 0; i < json_array_size(names); i++) {
		const char *name = json_string_value(json_array_get(names, i));

		if (name == NULL)
			continue;
		where = 0;
		for (abi = 0; abi < _ABI_MAX; abi++)
			if (abis[abi] && exists_on((enum ev_abi)abi, name)) {
				sysset_add(s, (enum ev_abi)abi, name, NULL, 0);
				where++;
			}
		/* a name newer than our libseccomp: keep it everywhere */
		for (abi = 0; !where && abi < _ABI_MAX; abi++)
			if (abis[abi])
				sysset_add(s, (enum ev_abi)abi, name, NULL, 0);
	}
}

static int load_profile(const json_t *p, struct sysset *s,
			const char **ret_why)
{
	const json_t *arches = json_object_get(p, "architectures");
	const json_t *rules = json_object_get(p, "syscalls");
	bool abis[_ABI_MAX] = { false };
	size_t i;
	int abi;

	for (i = 0; i < json_array_size(arches); i++) {
		const char *a = json_string_value(json_array_get(arches, i));

		for (abi = 0; a != NULL && abi < _ABI_MAX; abi++)
			if (strcmp(a, arch_of[abi].oci) == 0)
				abis[abi] = true;
	}
	/* no architectures: the runtime's own, x86_64 here */
	if (json_array_size(arches) == 0)
		abis[ABI_X86_64] = true;
	for (abi = 0; abi < _ABI_MAX; abi++)
		if (abis[abi])
			sysset_see_abi(s, (enum ev_abi)abi);
	if (rules != NULL && !json_is_array(rules)) {
		*ret_why = "\"syscalls\" is not an array";
		return -EINVAL;
	}
	for (i = 0; i < json_array_size(rules); i++) {
		const json_t *r = json_array_get(rules, i);
		const char *act = json_string_value(json_object_get(r, "action"));

		if (act == NULL) {
			*ret_why = "a rule has no \"action\"";
			return -EINVAL;
		}
		if (strcmp(act, "SCMP_ACT_ALLOW") == 0 ||
		    strcmp(act, "SCMP_ACT_LOG") == 0)
			add_profile_names(s, abis, json_object_get(r, "names"));
	}
	return 0;
}

int profile_load_any(const char *path, struct sysset *s,
		     struct profile_stats *st, const char **ret_why)
{
	json_error_t err;
	json_t *first, *seccomp;
	FILE *f;
	int r;

	*ret_why = NULL;
	f = fopen(path, "re");
	if (f == NULL)
		return -errno;
	first = json_loadf(f, JSON_DISABLE_EOF_CHECK | JSON_DECODE_INT_AS_REAL,
			   &err);
	fclose(f);
	if (!json_is_object(first)) {
		json_decref(first);
		*ret_why = "neither a capsule log nor a seccomp profile";
		return -EINVAL;
	}
	seccomp = json_object_get(json_object_get(first, "linux"), "seccomp");
	if (json_object_get(first, "type") != NULL) {
		r = profile_read_log(s, path, st);
	} else if (json_is_object(seccomp)) {
		r = load_profile(seccomp, s, ret_why);
	} else if (json_object_get(first, "defaultAction") != NULL ||
		   json_object_get(first, "syscalls") != NULL) {
		r = load_profile(first, s, ret_why);
	} else {
		*ret_why = "neither a capsule log nor a seccomp profile";
		r = -EINVAL;
	}
	json_decref(first);
	return r;
}

int profile_errno_parse(const char *name)
{
	char *end;
	long v;
	int e;

	if (*name >= '0' && *name <= '9') {
		errno = 0;
		v = strtol(name, &end, 10);
		if (errno || *end || v < 1 || v > 4095)
			return -EINVAL;
		return (int)v;
	}
	for (e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);

		if (n != NULL && strcmp(n, name) == 0)
			return e;
	}
	return -EINVAL;
}
