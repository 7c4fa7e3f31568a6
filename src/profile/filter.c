/*
 * filter.c: OCI seccomp profile to libseccomp filter to classic BPF.
 *
 * The profile is read as runc and crun read it: the default action and
 * defaultErrnoRet (EPERM when absent), every architecture listed (the
 * native one is always in), and for each rule of syscalls[] its names,
 * action, errnoRet and args.  Names no listed architecture knows are
 * skipped, as the runtimes do.  A rule whose action is the default is
 * skipped too (libseccomp refuses it, and it changes nothing).  Several
 * conditions on different arguments are ANDed in one libseccomp rule;
 * several on the same argument become one rule each (ORed), as runc does.
 */
#include "profile/filter.h"

#include "profile/bpf.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define FILTER_NR_MAX 1024
#define X32_BIT 0x40000000

/* What the filter does to one (ABI, number). */
enum verdict_kind {
	V_DEFAULT = 0,		/* no rule: the default action */
	V_ALLOW,		/* SCMP_ACT_ALLOW, SCMP_ACT_LOG */
	V_ERRNO,		/* fails with `err`, not run */
	V_KILL,			/* the thread or process is killed */
	V_TRAP,			/* SIGSYS */
	V_COND,			/* rules with argument conditions: it depends */
};

struct verdict {
	uint8_t kind;		/* enum verdict_kind */
	uint16_t err;		/* V_ERRNO: the errno */
};

struct seccomp_filter {
	struct sock_filter *prog;	/* owned: the BPF program */
	unsigned short len;		/* instructions in prog */
	struct verdict dflt;		/* the default action */
	bool abi[_ABI_MAX];		/* ABIs the filter admits */
	unsigned unknown_names;
	unsigned conditional_rules;	/* Docker "includes" rules skipped */
	struct verdict table[_ABI_MAX][FILTER_NR_MAX];
};

static const uint32_t abi_arch[_ABI_MAX] = {
	[ABI_X86_64] = SCMP_ARCH_X86_64,
	[ABI_I386] = SCMP_ARCH_X86,
	[ABI_X32] = SCMP_ARCH_X32,
};

/* clang-format off */
static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};
/* clang-format on */

#define MAX_CONDS 6

/* A profile's error message: static text, or composed in `why_buf`. */
static char why_buf[256];

static int fail(const char **ret_why, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(const char **ret_why, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	*ret_why = why_buf;
	return err;
}

/*
 * The libseccomp action of `name` with errno `errno_ret` (or, when NULL,
 * `dflt_errno`), and its verdict.  Returns 0 or -EINVAL.
 */
static int parse_action(const char *name, const json_t *errno_ret,
			int dflt_errno, uint32_t *ret_act, struct verdict *v)
{
	int e = json_is_integer(errno_ret) ? (int)json_integer_value(errno_ret)
					   : dflt_errno;

	if (name == NULL)
		return -EINVAL;
	if (e < 0 || e > 0xffff)
		return -EINVAL;
	v->err = 0;
	if (!strcmp(name, "SCMP_ACT_ALLOW")) {
		*ret_act = SCMP_ACT_ALLOW;
		v->kind = V_ALLOW;
	} else if (!strcmp(name, "SCMP_ACT_LOG")) {
		*ret_act = SCMP_ACT_LOG;
		v->kind = V_ALLOW;
	} else if (!strcmp(name, "SCMP_ACT_ERRNO")) {
		*ret_act = SCMP_ACT_ERRNO((uint32_t)e);
		v->kind = V_ERRNO;
		v->err = (uint16_t)e;
	} else if (!strcmp(name, "SCMP_ACT_TRACE")) {
		/* capsule does not ask for seccomp stops: the kernel then
		 * fails the call with ENOSYS */
		*ret_act = SCMP_ACT_TRACE((uint32_t)e);
		v->kind = V_ERRNO;
		v->err = ENOSYS;
	} else if (!strcmp(name, "SCMP_ACT_KILL") ||
		   !strcmp(name, "SCMP_ACT_KILL_THREAD")) {
		*ret_act = SCMP_ACT_KILL_THREAD;
		v->kind = V_KILL;
	} else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS")) {
		*ret_act = SCMP_ACT_KILL_PROCESS;
		v->kind = V_KILL;
	} else if (!strcmp(name, "SCMP_ACT_TRAP")) {
		*ret_act = SCMP_ACT_TRAP;
		v->kind = V_TRAP;
	} else {
		return -EINVAL; /* SCMP_ACT_NOTIFY needs a listener */
	}
	return 0;
}

static int parse_cond(const json_t *a, struct scmp_arg_cmp *c)
{
	const char *op = json_string_value(json_object_get(a, "op"));
	const json_t *index = json_object_get(a, "index");
	size_t i;

	if (!json_is_integer(index) || json_integer_value(index) < 0 ||
	    json_integer_value(index) > 5 || op == NULL)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->arg = (unsigned)json_integer_value(index);
	c->datum_a = (scmp_datum_t)json_integer_value(json_object_get(a, "value"));
	c->datum_b =
		(scmp_datum_t)json_integer_value(json_object_get(a, "valueTwo"));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i].name)) {
			c->op = ops[i].op;
			return 0;
		}
	return -EINVAL;
}

static bool same_arg_twice(const struct scmp_arg_cmp *c, unsigned n)
{
	unsigned i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (c[i].arg == c[j].arg)
				return true;
	return false;
}

/* Notes in the table what the rule does to `name`. */
static void note_verdict(struct seccomp_filter *f, const char *name,
			 const struct verdict *v, unsigned nconds)
{
	int abi, nr;

	for (abi = 0; abi < _ABI_MAX; abi++) {
		struct verdict *t;

		if (!f->abi[abi])
			continue;
		nr = seccomp_syscall_resolve_name_arch(abi_arch[abi], name);
		if (nr < 0)
			continue;
		nr &= ~X32_BIT;
		if (nr >= FILTER_NR_MAX)
			continue;
		t = &f->table[abi][nr];
		if (nconds > 0) {
			if (t->kind == V_DEFAULT)
				t->kind = V_COND;
		} else if (t->kind == V_DEFAULT || t->kind == V_COND) {
			*t = *v;
		}
	}
}

static bool name_exists(const struct seccomp_filter *f, const char *name)
{
	int abi;

	for (abi = 0; abi < _ABI_MAX; abi++)
		if (f->abi[abi] && seccomp_syscall_resolve_name_arch(
					   abi_arch[abi], name) >= 0)
			return true;
	return false;
}

static int add_rule(scmp_filter_ctx ctx, struct seccomp_filter *f,
		    uint32_t dflt_act, const json_t *rule, size_t k,
		    const char **ret_why)
{
	const char *act_name = json_string_value(json_object_get(rule, "action"));
	const json_t *names = json_object_get(rule, "names");
	const json_t *args = json_object_get(rule, "args");
	struct scmp_arg_cmp conds[MAX_CONDS];
	struct verdict v;
	uint32_t act;
	unsigned n = 0, i;
	size_t j;
	int r, nr;

	/*
	 * Docker's and Podman's "includes" (capabilities, architectures,
	 * kernel versions) are resolved by those tools before a runtime sees
	 * the profile; capsule does not evaluate them and leaves such rules
	 * out, which denies more, never less.  "excludes" is ignored: the
	 * rule applies.
	 */
	if (json_object_size(json_object_get(rule, "includes")) > 0) {
		f->conditional_rules++;
		return 0;
	}
	/* the old single-name form */
	if (names == NULL && json_is_string(json_object_get(rule, "name")))
		names = json_pack("[O]", json_object_get(rule, "name"));
	else
		json_incref((json_t *)names);
	if (!json_is_array(names)) {
		json_decref((json_t *)names);
		return fail(ret_why, -EINVAL, "syscalls[%zu]: no \"names\"", k);
	}
	/* as runc and crun: an ERRNO rule without errnoRet is EPERM */
	r = parse_action(act_name, json_object_get(rule, "errnoRet"), EPERM,
			 &act, &v);
	if (r < 0) {
		json_decref((json_t *)names);
		return fail(ret_why, r, "syscalls[%zu]: unknown action %s", k,
			    act_name ? act_name : "(none)");
	}
	for (j = 0; j < json_array_size(args); j++) {
		if (n == MAX_CONDS ||
		    parse_cond(json_array_get(args, j), &conds[n]) < 0) {
			json_decref((json_t *)names);
			return fail(ret_why, -EINVAL,
				    "syscalls[%zu].args[%zu]: bad condition",
				    k, j);
		}
		n++;
	}
	for (j = 0; j < json_array_size(names); j++) {
		const char *name = json_string_value(json_array_get(names, j));

		if (name == NULL || !name_exists(f, name)) {
			f->unknown_names++;
			continue;
		}
		if (act == dflt_act)
			continue;
		nr = seccomp_syscall_resolve_name(name);
		if (n == 0 || !same_arg_twice(conds, n)) {
			r = seccomp_rule_add_array(ctx, act, nr, n, conds);
		} else {
			for (i = 0, r = 0; r == 0 && i < n; i++)
				r = seccomp_rule_add_array(ctx, act, nr, 1,
							   &conds[i]);
		}
		if (r < 0) {
			json_decref((json_t *)names);
			return fail(ret_why, r, "syscalls[%zu]: %s: %s", k,
				    name, strerror(-r));
		}
		note_verdict(f, name, &v, n);
	}
	json_decref((json_t *)names);
	return 0;
}

/* Exports the filter as BPF into f->prog. */
static int export_bpf(scmp_filter_ctx ctx, struct seccomp_filter *f)
{
	return bpf_export(ctx, &f->prog, &f->len);
}

int seccomp_export_prog(void *ctx, struct sock_filter **ret,
			unsigned short *ret_len)
{
	return bpf_export(ctx, ret, ret_len);
}

static int build(const json_t *p, struct seccomp_filter *f,
		 const char **ret_why)
{
	const json_t *arches = json_object_get(p, "architectures");
	const json_t *rules = json_object_get(p, "syscalls");
	const json_t *dflt_errno = json_object_get(p, "defaultErrnoRet");
	scmp_filter_ctx ctx;
	uint32_t dflt_act, arch;
	size_t i;
	int r, abi;

	r = parse_action(json_string_value(json_object_get(p, "defaultAction")),
			 dflt_errno, EPERM, &dflt_act, &f->dflt);
	if (r < 0)
		return fail(ret_why, r, "bad or missing \"defaultAction\"");
	if (rules != NULL && !json_is_array(rules))
		return fail(ret_why, -EINVAL, "\"syscalls\" is not an array");
	ctx = seccomp_init(dflt_act);
	if (ctx == NULL)
		return fail(ret_why, -ENOMEM, "seccomp_init failed");
	/* the native ABI is always in, as with runc and crun */
	f->abi[ABI_X86_64] = true;
	for (i = 0; i < json_array_size(arches); i++) {
		const char *a = json_string_value(json_array_get(arches, i));
		char lower[32];
		size_t k;

		if (a == NULL || strncmp(a, "SCMP_ARCH_", 10) != 0 ||
		    strlen(a + 10) >= sizeof(lower)) {
			r = fail(ret_why, -EINVAL, "bad architecture %s",
				 a ? a : "(not a string)");
			goto out;
		}
		for (k = 0; a[10 + k]; k++)
			lower[k] = (char)(a[10 + k] >= 'A' && a[10 + k] <= 'Z'
						  ? a[10 + k] - 'A' + 'a'
						  : a[10 + k]);
		lower[k] = '\0';
		arch = seccomp_arch_resolve_name(lower);
		if (arch == 0) {
			r = fail(ret_why, -EINVAL, "unknown architecture %s", a);
			goto out;
		}
		r = seccomp_arch_add(ctx, arch);
		if (r < 0 && r != -EEXIST) {
			r = fail(ret_why, r, "architecture %s: %s", a,
				 strerror(-r));
			goto out;
		}
		for (abi = 0; abi < _ABI_MAX; abi++)
			if (abi_arch[abi] == arch)
				f->abi[abi] = true;
	}
	for (i = 0; i < json_array_size(rules); i++) {
		r = add_rule(ctx, f, dflt_act, json_array_get(rules, i), i,
			     ret_why);
		if (r < 0)
			goto out;
	}
	r = export_bpf(ctx, f);
	if (r < 0)
		fail(ret_why, r, "cannot export the filter: %s", strerror(-r));
out:
	seccomp_release(ctx);
	return r;
}

int seccomp_filter_load(const char *path, struct seccomp_filter **ret,
			const char **ret_why)
{
	struct seccomp_filter *f;
	json_error_t err;
	json_t *root;
	const json_t *p;
	int r;

	*ret_why = NULL;
	root = json_load_file(path, 0, &err);
	if (root == NULL) {
		if (access(path, R_OK) < 0)
			return -errno;
		return fail(ret_why, -EINVAL, "line %d: %s", err.line,
			    err.text);
	}
	p = json_object_get(json_object_get(root, "linux"), "seccomp");
	if (p == NULL)
		p = root;
	if (!json_is_object(p)) {
		json_decref(root);
		return fail(ret_why, -EINVAL, "not a seccomp profile");
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		json_decref(root);
		return -ENOMEM;
	}
	r = build(p, f, ret_why);
	json_decref(root);
	if (r < 0) {
		seccomp_filter_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

int seccomp_filter_apply(const struct seccomp_filter *f)
{
	return bpf_apply(f->prog, f->len, true);
}

int seccomp_prog_apply(const struct sock_filter *insns, unsigned short len)
{
	return bpf_apply(insns, len, true);
}

bool seccomp_filter_denied(const struct seccomp_filter *f,
			   const struct call_event *ev)
{
	const struct verdict *v;
	int err = ev->is_error ? (int)-ev->ret : 0;

	if (ev->abi >= _ABI_MAX)
		return false;
	/*
	 * An ABI the filter does not admit is killed, like a V_KILL call:
	 * such a call never runs, whatever its record says (a task killed
	 * by seccomp may still show an exit stop).
	 */
	if (!f->abi[ev->abi])
		return true;
	if (ev->nr < 0 || ev->nr >= FILTER_NR_MAX)
		v = &f->dflt;
	else
		v = &f->table[ev->abi][ev->nr];
	if (v->kind == V_DEFAULT)
		v = &f->dflt;
	switch (v->kind) {
	case V_ERRNO:
		return err != 0 && err == v->err;
	case V_KILL:
	case V_TRAP:
		return true;
	case V_COND:
		/* allowed with some arguments: a failure with the default's
		 * errno (or death where it kills) is the filter's doing */
		if (f->dflt.kind == V_ERRNO)
			return err != 0 && err == f->dflt.err;
		return f->dflt.kind == V_KILL && ev->unfinished != UNF_NONE;
	default:
		return false;
	}
}

unsigned seccomp_filter_unknown_names(const struct seccomp_filter *f)
{
	return f->unknown_names;
}

unsigned seccomp_filter_skipped_rules(const struct seccomp_filter *f)
{
	return f->conditional_rules;
}

void seccomp_filter_free(struct seccomp_filter *f)
{
	if (f == NULL)
		return;
	free(f->prog);
	free(f);
}
