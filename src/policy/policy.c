/*
 * policy.c: parsing (jansson) and matching of capsule policies; the
 * format is documented in docs/policy.md.  The seccomp side is in
 * policy/seccomp.c.
 */
#include "policy/policy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "decode/kinds.h"
#include "decode/syscalls.h"
#include "policy/policy_int.h"

/* clang-format off */
static const char *const action_names[_PA_MAX] = {
	[PA_NONE] = "none",
	[PA_ALLOW] = "allow",
	[PA_LOG] = "log",
	[PA_DENY] = "deny",
	[PA_KILL] = "kill",
};

static const char *const severity_names[] = {
	[POL_SEV_LOW] = "low",
	[POL_SEV_MEDIUM] = "medium",
	[POL_SEV_HIGH] = "high",
	[POL_SEV_CRITICAL] = "critical",
};

static const struct {
	const char *name;
	unsigned bit;
} class_names[] = {
	{ "file", CL_FILE }, { "desc", CL_DESC }, { "net", CL_NET },
	{ "process", CL_PROCESS }, { "creds", CL_CREDS }, { "ipc", CL_IPC },
	{ "memory", CL_MEMORY }, { "signal", CL_SIGNAL }, { "time", CL_TIME },
	{ "system", CL_SYSTEM }, { "security", CL_SECURITY },
	{ "sched", CL_SCHED }, { "misc", CL_MISC },
};

/* Calls that may modify a file they name by path (besides open flags). */
static const char *const modifying[] = {
	"creat", "mkdir", "mkdirat", "mknod", "mknodat", "unlink", "unlinkat",
	"rmdir", "rename", "renameat", "renameat2", "link", "linkat",
	"symlink", "symlinkat", "truncate", "chmod", "fchmodat", "fchmodat2",
	"chown", "lchown", "fchownat", "utime", "utimes", "futimesat",
	"utimensat", "setxattr", "lsetxattr", "removexattr", "lremovexattr",
	"mount", "umount2", "swapon", "swapoff", "chroot", "acct",
	"truncate64", "chown32", "lchown32", "openat2", NULL,
};
/* clang-format on */

int policy_action_from_string(const char *s)
{
	int i;

	for (i = PA_ALLOW; s != NULL && i < _PA_MAX; i++)
		if (strcmp(s, action_names[i]) == 0)
			return i;
	return -1;
}

const char *policy_action_to_string(int a)
{
	return a >= 0 && a < _PA_MAX ? action_names[a] : "none";
}

int policy_severity_from_string(const char *s)
{
	int i;

	for (i = 0; s != NULL && i <= POL_SEV_CRITICAL; i++)
		if (strcmp(s, severity_names[i]) == 0)
			return i;
	return -1;
}

const char *policy_severity_to_string(int s)
{
	return s >= 0 && s <= POL_SEV_CRITICAL ? severity_names[s] : "low";
}

/* ---- errors ---- */

static char why_buf[256];

__attribute__((format(printf, 3, 4)))
static int fail(const char **ret_why, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	*ret_why = why_buf;
	return err;
}

/* ---- network patterns ---- */

void net_pattern_release(struct net_pattern *np)
{
	if (np == NULL)
		return;
	free(np->unix_glob);
	np->unix_glob = NULL;
}

static int parse_port(const char *s, int *ret)
{
	char *end;
	long v;

	if (strcmp(s, "*") == 0) {
		*ret = -1;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 65535 || *s == '-' ||
	    *s == '+')
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

/* "ADDR" or "ADDR/PREFIX" (no port) into np; "*" is any IP address. */
static int parse_cidr(char *s, struct net_pattern *np)
{
	char *slash = strchr(s, '/'), *end;
	long prefix = -2;
	int max;

	if (strcmp(s, "*") == 0 || *s == '\0') {
		np->family = 0;
		np->prefix = -1;
		return 0;
	}
	if (slash != NULL) {
		*slash = '\0';
		errno = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || prefix < 0)
			return -EINVAL;
	}
	if (inet_pton(AF_INET, s, np->addr) == 1) {
		np->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, s, np->addr) == 1) {
		np->family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	if (prefix > max)
		return -EINVAL;
	np->prefix = prefix == -2 ? max : (int)prefix;
	return 0;
}

int net_pattern_parse(const char *s, struct net_pattern *np)
{
	char tmp[128], *colon, *close;
	int r;

	memset(np, 0, sizeof(*np));
	np->port = -1;
	np->prefix = -1;
	if (strncmp(s, "unix:", 5) == 0) {
		if (s[5] == '\0')
			return -EINVAL;
		np->family = AF_UNIX;
		np->unix_glob = strdup(s + 5);
		return np->unix_glob != NULL ? 0 : -ENOMEM;
	}
	if (strlen(s) >= sizeof(tmp) || *s == '\0')
		return -EINVAL;
	memcpy(tmp, s, strlen(s) + 1); /* length checked above */
	if (tmp[0] == '[') {
		/* [v6 address or cidr]:port */
		close = strchr(tmp, ']');
		if (close == NULL)
			return -EINVAL;
		*close = '\0';
		if (close[1] == ':') {
			r = parse_port(close + 2, &np->port);
			if (r < 0)
				return r;
		} else if (close[1] != '\0') {
			return -EINVAL;
		}
		r = parse_cidr(tmp + 1, np);
		if (r == 0 && np->family != AF_INET6)
			return -EINVAL;
		return r;
	}
	colon = strchr(tmp, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		/* one colon: v4 (or "*" / empty) with a port */
		*colon = '\0';
		r = parse_port(colon + 1, &np->port);
		if (r < 0)
			return r;
		r = parse_cidr(tmp, np);
		if (r == 0 && np->family == AF_INET6)
			return -EINVAL;
		return r;
	}
	return parse_cidr(tmp, np); /* v4, or v6 without a port */
}

static bool prefix_match(const uint8_t *a, const uint8_t *net, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, net, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ net[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

bool net_pattern_match(const struct net_pattern *np,
		       const struct sockaddr *sa, size_t len)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0,
					      0, 0, 0, 0, 0xff, 0xff };
	const struct sockaddr_in *in4;
	const struct sockaddr_in6 *in6;
	const uint8_t *addr;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 2];
	size_t n;
	int family, port;

	if (sa == NULL || len < sizeof(sa_family_t))
		return false;
	if (sa->sa_family == AF_UNIX) {
		if (np->family != AF_UNIX)
			return false;
		n = len - offsetof(struct sockaddr_un, sun_path);
		if (len <= offsetof(struct sockaddr_un, sun_path))
			return false; /* unnamed */
		if (n > sizeof(path) - 2)
			n = sizeof(path) - 2;
		memcpy(path, ((const struct sockaddr_un *)sa)->sun_path, n);
		path[n] = '\0';
		if (path[0] == '\0' && n > 0)
			path[0] = '@'; /* abstract: "@name" */
		return fnmatch(np->unix_glob, path, 0) == 0;
	}
	if (sa->sa_family == AF_INET && len >= sizeof(*in4)) {
		in4 = (const struct sockaddr_in *)sa;
		family = AF_INET;
		addr = (const uint8_t *)&in4->sin_addr;
		port = ntohs(in4->sin_port);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(*in6)) {
		in6 = (const struct sockaddr_in6 *)sa;
		addr = (const uint8_t *)&in6->sin6_addr;
		port = ntohs(in6->sin6_port);
		family = AF_INET6;
		/* ::ffff:a.b.c.d reaches a.b.c.d: v4 patterns apply */
		if (np->family == AF_INET && memcmp(addr, v4mapped, 12) == 0) {
			addr += 12;
			family = AF_INET;
		}
	} else {
		return false;
	}
	if (np->family == AF_UNIX)
		return false;
	if (np->port >= 0 && np->port != port)
		return false;
	if (np->family == 0 || np->prefix < 0)
		return true;
	return np->family == family && prefix_match(addr, np->addr, np->prefix);
}

/* ---- parsing ---- */

static int name_bits(struct policy_rule *r, const char *name)
{
	int abi, nr, found = 0;
	const char *n;

	for (abi = 0; abi < _ABI_MAX; abi++)
		for (nr = 0; nr < POLICY_NR_MAX; nr++) {
			n = syscall_name((enum ev_abi)abi, nr);
			if (n != NULL && strcmp(n, name) == 0) {
				r->sys[abi][nr / 64] |= 1ull << (nr % 64);
				found = 1;
			}
		}
	return found;
}

static bool sys_has(const struct policy_rule *r, enum ev_abi abi, int nr)
{
	if (!r->has_sys)
		return true;
	if (nr < 0 || nr >= POLICY_NR_MAX || abi >= _ABI_MAX)
		return false;
	return (r->sys[abi][nr / 64] >> (nr % 64)) & 1;
}

static unsigned call_class(enum ev_abi abi, int nr)
{
	const struct syscall_desc *d = syscall_desc(abi, nr);

	return d != NULL ? d->class : CL_MISC;
}

/* Strings of `v` (a string or an array of strings) into *ret / *ret_n. */
static int string_list(const json_t *v, char ***ret, size_t *ret_n)
{
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;
	char **l;
	const char *s;

	if (!json_is_array(v) && !json_is_string(v))
		return -EINVAL;
	if (n == 0)
		return -EINVAL;
	l = calloc(n, sizeof(*l));
	if (l == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		s = json_string_value(json_is_array(v) ? json_array_get(v, i)
						       : v);
		if (s == NULL || *s == '\0' ||
		    (l[i] = strdup(s)) == NULL) {
			while (i--)
				free(l[i]);
			free(l);
			return s == NULL || *s == '\0' ? -EINVAL : -ENOMEM;
		}
	}
	*ret = l;
	*ret_n = n;
	return 0;
}

static void free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; l != NULL && i < n; i++)
		free(l[i]);
	free(l);
}

static int parse_errno(const json_t *v, int *ret)
{
	const char *s;
	int e;

	if (v == NULL) {
		*ret = EPERM;
		return 0;
	}
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 1 || json_integer_value(v) > 4095)
			return -EINVAL;
		*ret = (int)json_integer_value(v);
		return 0;
	}
	s = json_string_value(v);
	for (e = 1; s != NULL && e < 4096; e++) {
		const char *n = errno_name(e);

		if (n != NULL && strcmp(n, s) == 0) {
			*ret = e;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *const rule_keys[] = {
	"id", "action", "errno", "severity", "summary", "syscalls", "classes",
	"paths", "access", "net", "exec", "resources", NULL,
};

static int parse_rule(struct policy *p, const json_t *o, size_t idx,
		      const char **ret_why)
{
	struct policy_rule *r = &p->rules[idx];
	const char *key, *s;
	const json_t *v;
	char **names = NULL;
	size_t n = 0, i, k;
	int a, r2;

	r->index = (int)idx;
	if (!json_is_object(o))
		return fail(ret_why, -EINVAL, "rule %zu: not an object", idx);
	json_object_foreach((json_t *)o, key, v) {
		for (k = 0; rule_keys[k] != NULL; k++)
			if (strcmp(key, rule_keys[k]) == 0)
				break;
		if (rule_keys[k] == NULL)
			return fail(ret_why, -EINVAL,
				    "rule %zu: unknown field \"%s\"", idx, key);
	}
	s = json_string_value(json_object_get(o, "id"));
	if (s != NULL)
		r->id = strdup(s);
	else if (asprintf(&r->id, "rule%zu", idx) < 0)
		r->id = NULL;
	if (r->id == NULL)
		return -ENOMEM;
	s = json_string_value(json_object_get(o, "summary"));
	if (s != NULL && (r->summary = strdup(s)) == NULL)
		return -ENOMEM;
	a = policy_action_from_string(
		json_string_value(json_object_get(o, "action")));
	if (a < 0)
		return fail(ret_why, -EINVAL,
			    "rule %s: \"action\" must be allow, log, deny or "
			    "kill", r->id);
	r->action = (uint8_t)a;
	if (parse_errno(json_object_get(o, "errno"), &r->err) < 0)
		return fail(ret_why, -EINVAL,
			    "rule %s: \"errno\": a name (\"EACCES\") or a "
			    "number 1..4095", r->id);
	v = json_object_get(o, "severity");
	a = v == NULL ? (r->action >= PA_DENY ? POL_SEV_HIGH : POL_SEV_MEDIUM)
		      : policy_severity_from_string(json_string_value(v));
	if (a < 0)
		return fail(ret_why, -EINVAL,
			    "rule %s: \"severity\": low, medium, high or "
			    "critical", r->id);
	r->severity = (uint8_t)a;

	if ((v = json_object_get(o, "syscalls")) != NULL) {
		if (string_list(v, &names, &n) < 0)
			return fail(ret_why, -EINVAL,
				    "rule %s: \"syscalls\": names", r->id);
		r->has_sys = true;
		for (i = 0; i < n; i++)
			if (!name_bits(r, names[i])) {
				r2 = fail(ret_why, -EINVAL,
					  "rule %s: unknown syscall \"%s\"",
					  r->id, names[i]);
				free_list(names, n);
				return r2;
			}
		free_list(names, n);
	}
	if ((v = json_object_get(o, "classes")) != NULL) {
		if (string_list(v, &names, &n) < 0)
			return fail(ret_why, -EINVAL,
				    "rule %s: \"classes\": names", r->id);
		for (i = 0; i < n; i++) {
			for (k = 0; k < sizeof(class_names) /
						sizeof(class_names[0]); k++)
				if (strcmp(names[i], class_names[k].name) == 0)
					break;
			if (k == sizeof(class_names) / sizeof(class_names[0])) {
				r2 = fail(ret_why, -EINVAL,
					  "rule %s: unknown class \"%s\"",
					  r->id, names[i]);
				free_list(names, n);
				return r2;
			}
			r->classes |= class_names[k].bit;
		}
		free_list(names, n);
	}
	if ((v = json_object_get(o, "paths")) != NULL) {
		if (string_list(v, &r->paths, &r->npaths) < 0)
			return fail(ret_why, -EINVAL,
				    "rule %s: \"paths\": globs", r->id);
		for (i = 0; i < r->npaths; i++)
			if (r->paths[i][0] != '/')
				return fail(ret_why, -EINVAL,
					    "rule %s: path glob \"%s\" is not "
					    "absolute", r->id, r->paths[i]);
	}
	if ((v = json_object_get(o, "access")) != NULL) {
		s = json_string_value(v);
		if (s != NULL && strcmp(s, "write") == 0)
			r->access = ACC_WRITE;
		else if (s != NULL && strcmp(s, "read") == 0)
			r->access = ACC_READ;
		else if (s == NULL || strcmp(s, "any") != 0)
			return fail(ret_why, -EINVAL,
				    "rule %s: \"access\": read, write or any",
				    r->id);
		if (r->npaths == 0)
			return fail(ret_why, -EINVAL,
				    "rule %s: \"access\" needs \"paths\"",
				    r->id);
	}
	if ((v = json_object_get(o, "net")) != NULL) {
		if (string_list(v, &names, &n) < 0)
			return fail(ret_why, -EINVAL,
				    "rule %s: \"net\": destinations", r->id);
		r->net = calloc(n, sizeof(*r->net));
		if (r->net == NULL) {
			free_list(names, n);
			return -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			if (net_pattern_parse(names[i], &r->net[i]) < 0) {
				r2 = fail(ret_why, -EINVAL,
					  "rule %s: bad destination \"%s\"",
					  r->id, names[i]);
				r->nnet = i + 1;
				free_list(names, n);
				return r2;
			}
		}
		r->nnet = n;
		free_list(names, n);
	}
	if ((v = json_object_get(o, "exec")) != NULL &&
	    string_list(v, &r->exec, &r->nexec) < 0)
		return fail(ret_why, -EINVAL, "rule %s: \"exec\": globs",
			    r->id);
	if ((v = json_object_get(o, "resources")) != NULL) {
		if (string_list(v, &r->resources, &r->nresources) < 0)
			return fail(ret_why, -EINVAL,
				    "rule %s: \"resources\": class names",
				    r->id);
		p->resource_rules++;
	}
	r->arg_level = r->npaths || r->nnet || r->nexec || r->nresources;
	return 0;
}

static bool is_exec(enum ev_abi abi, int nr)
{
	const char *n = syscall_name(abi, nr);

	return n != NULL && (strcmp(n, "execve") == 0 ||
			     strcmp(n, "execveat") == 0);
}

static bool has_kind(enum ev_abi abi, int nr, int kind)
{
	const struct syscall_desc *d = syscall_desc(abi, nr);
	int i;

	for (i = 0; d != NULL && i < 6; i++)
		if (d->args[i].kind == kind)
			return true;
	return false;
}

/* Can rule r match some call (abi, nr) at all? */
static bool may_apply(const struct policy_rule *r, enum ev_abi abi, int nr)
{
	if (!sys_has(r, abi, nr))
		return false;
	if (r->classes && !(call_class(abi, nr) & r->classes))
		return false;
	if (r->npaths && !has_kind(abi, nr, K_PATH))
		return false;
	if (r->nnet && !has_kind(abi, nr, K_SOCKADDR))
		return false;
	if (r->nexec && !is_exec(abi, nr))
		return false;
	/* a class is found from a path or an address: calls with neither
	 * have no resource */
	if (r->nresources && !has_kind(abi, nr, K_PATH) &&
	    !has_kind(abi, nr, K_SOCKADDR))
		return false;
	return true;
}

static void rule_verdict(const struct policy *p, const struct policy_rule *r,
			 struct policy_verdict *v)
{
	v->action = r != NULL ? r->action : p->dflt.action;
	v->severity = r != NULL ? r->severity : p->dflt.severity;
	v->err = r != NULL ? r->err : p->dflt.err;
	v->rule = r != NULL ? r->index : -1;
	v->audit = p->audit;
}

static void make_plans(struct policy *p)
{
	const struct policy_rule *r;
	size_t i;
	int abi, nr;

	for (abi = 0; abi < _ABI_MAX; abi++)
		for (nr = 0; nr < POLICY_NR_MAX; nr++) {
			struct plan *pl = &p->plan[abi][nr];

			pl->kind = PLAN_FIXED;
			pl->rule = -1;
			for (i = 0; i < p->nrules; i++) {
				r = &p->rules[i];
				if (!may_apply(r, (enum ev_abi)abi, nr))
					continue;
				if (r->arg_level) {
					pl->kind = PLAN_ARGS;
					pl->reads = true;
					break;
				}
				pl->rule = (int)i;
				break;
			}
		}
}

static int parse_root(struct policy *p, const json_t *root,
		      const char **ret_why)
{
	const json_t *rules = json_object_get(root, "rules"), *v;
	const char *key, *s;
	size_t i;
	int a, r;

	if (!json_is_object(root))
		return fail(ret_why, -EINVAL, "not a JSON object");
	json_object_foreach((json_t *)root, key, v) {
		if (strcmp(key, "version") && strcmp(key, "mode") &&
		    strcmp(key, "default") && strcmp(key, "default_errno") &&
		    strcmp(key, "rules") && strcmp(key, "comment"))
			return fail(ret_why, -EINVAL, "unknown field \"%s\"",
				    key);
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1)
		return fail(ret_why, -EINVAL, "\"version\" must be 1");
	s = json_string_value(json_object_get(root, "mode"));
	if (s != NULL && strcmp(s, "audit") == 0)
		p->audit = true;
	else if (s != NULL && strcmp(s, "enforce") != 0)
		return fail(ret_why, -EINVAL,
			    "\"mode\" must be enforce or audit");
	else if (s == NULL && json_object_get(root, "mode") != NULL)
		return fail(ret_why, -EINVAL,
			    "\"mode\" must be enforce or audit");
	v = json_object_get(root, "default");
	a = v == NULL ? PA_ALLOW : policy_action_from_string(json_string_value(v));
	if (a < 0)
		return fail(ret_why, -EINVAL,
			    "\"default\" must be allow, log, deny or kill");
	p->dflt.action = (uint8_t)a;
	p->dflt.severity = a >= PA_DENY ? POL_SEV_HIGH : POL_SEV_MEDIUM;
	p->dflt.rule = -1;
	if (parse_errno(json_object_get(root, "default_errno"), &p->dflt.err) < 0)
		return fail(ret_why, -EINVAL, "bad \"default_errno\"");
	if (!json_is_array(rules))
		return fail(ret_why, -EINVAL, "\"rules\" must be an array");
	p->nrules = json_array_size(rules);
	if (p->nrules > POLICY_RULES_MAX)
		return fail(ret_why, -EINVAL, "more than %d rules",
			    POLICY_RULES_MAX);
	p->rules = calloc(p->nrules ? p->nrules : 1, sizeof(*p->rules));
	if (p->rules == NULL)
		return -ENOMEM;
	for (i = 0; i < p->nrules; i++) {
		r = parse_rule(p, json_array_get(rules, i), i, ret_why);
		if (r < 0)
			return r;
	}
	make_plans(p);
	return 0;
}

static int from_json(json_t *root, struct policy **ret, const char **ret_why)
{
	struct policy *p = calloc(1, sizeof(*p));
	int r;

	if (p == NULL) {
		json_decref(root);
		return -ENOMEM;
	}
	r = parse_root(p, root, ret_why);
	json_decref(root);
	if (r < 0) {
		policy_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

int policy_load(const char *path, struct policy **ret, const char **ret_why)
{
	json_error_t err;
	json_t *root;

	*ret_why = NULL;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		if (access(path, R_OK) < 0)
			return -errno;
		return fail(ret_why, -EINVAL, "line %d: %s", err.line,
			    err.text);
	}
	return from_json(root, ret, ret_why);
}

int policy_parse(const char *text, struct policy **ret, const char **ret_why)
{
	json_error_t err;
	json_t *root;

	*ret_why = NULL;
	root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		return fail(ret_why, -EINVAL, "line %d: %s", err.line,
			    err.text);
	return from_json(root, ret, ret_why);
}

void policy_free(struct policy *p)
{
	size_t i, k;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrules; i++) {
		struct policy_rule *r = &p->rules[i];

		free(r->id);
		free(r->summary);
		free_list(r->paths, r->npaths);
		free_list(r->exec, r->nexec);
		free_list(r->resources, r->nresources);
		for (k = 0; k < r->nnet; k++)
			net_pattern_release(&r->net[k]);
		free(r->net);
	}
	free(p->rules);
	free(p->bpf);
	free(p);
}

bool policy_audit(const struct policy *p)
{
	return p->audit;
}

void policy_set_audit(struct policy *p, bool audit)
{
	p->audit = audit;
}

size_t policy_nrules(const struct policy *p)
{
	return p->nrules;
}

const char *policy_rule_id(const struct policy *p, int i)
{
	if (i < 0 || (size_t)i >= p->nrules)
		return "default";
	return p->rules[i].id;
}

const char *policy_rule_summary(const struct policy *p, int i)
{
	if (i < 0 || (size_t)i >= p->nrules)
		return NULL;
	return p->rules[i].summary;
}

int policy_rule_severity(const struct policy *p, int i)
{
	if (i < 0 || (size_t)i >= p->nrules)
		return p->dflt.severity;
	return p->rules[i].severity;
}

size_t policy_resource_rules(const struct policy *p)
{
	return p->resource_rules;
}

int policy_plan(const struct policy *p, enum ev_abi abi, int nr,
		struct policy_verdict *ret_v)
{
	const struct plan *pl;

	if (nr < 0 || nr >= POLICY_NR_MAX || abi >= _ABI_MAX) {
		rule_verdict(p, NULL, ret_v);
		return PLAN_FIXED;
	}
	pl = &p->plan[abi][nr];
	if (pl->kind == PLAN_ARGS)
		return PLAN_ARGS;
	rule_verdict(p, pl->rule >= 0 ? &p->rules[pl->rule] : NULL, ret_v);
	return PLAN_FIXED;
}

bool policy_reads_memory(const struct policy *p, enum ev_abi abi, int nr)
{
	if (nr < 0 || nr >= POLICY_NR_MAX || abi >= _ABI_MAX)
		return false;
	return p->plan[abi][nr].reads;
}

static bool glob_any(char *const *globs, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (fnmatch(globs[i], s, 0) == 0)
			return true;
	return false;
}

static bool paths_match(const struct policy_rule *r,
			const struct policy_subject *s)
{
	int i;

	for (i = 0; i < s->npaths; i++)
		if (glob_any(r->paths, r->npaths, s->paths[i]) ||
		    glob_any(r->paths, r->npaths, s->real[i]))
			return true;
	return false;
}

static bool rule_matches(const struct policy_rule *r,
			 const struct policy_subject *s)
{
	size_t i;

	if (!may_apply(r, s->abi, s->nr))
		return false;
	if (r->npaths) {
		if (r->access == ACC_WRITE && !s->writes)
			return false;
		if (r->access == ACC_READ && s->writes)
			return false;
		/* a path capsule could not read in full is not known to be
		 * outside the globs: deny and kill rules take it */
		if (s->path_unknown && s->npaths == 0) {
			if (r->action < PA_DENY)
				return false;
		} else if (!paths_match(r, s) &&
			   !(s->path_unknown && r->action >= PA_DENY)) {
			return false;
		}
	}
	if (r->nexec && s->exe == NULL && s->path_unknown &&
	    r->action >= PA_DENY)
		return true; /* an unreadable program name: same rule */
	if (r->nnet) {
		for (i = 0; i < r->nnet; i++)
			if (net_pattern_match(&r->net[i], s->addr, s->addrlen))
				break;
		if (i == r->nnet)
			return false;
	}
	if (r->nexec && !glob_any(r->exec, r->nexec, s->exe) &&
	    !glob_any(r->exec, r->nexec, s->exe_real))
		return false;
	if (r->nresources) {
		for (i = 0; s->resource != NULL && i < r->nresources; i++)
			if (strcmp(r->resources[i], s->resource) == 0)
				break;
		if (s->resource == NULL || i == r->nresources)
			return false;
	}
	return true;
}

void policy_decide(const struct policy *p, const struct policy_subject *s,
		   struct policy_verdict *ret_v)
{
	size_t i;

	for (i = 0; i < p->nrules; i++)
		if (rule_matches(&p->rules[i], s)) {
			rule_verdict(p, &p->rules[i], ret_v);
			return;
		}
	rule_verdict(p, NULL, ret_v);
}

/* For the modifying-call test in policy/subject.c. */
bool policy_call_modifies(enum ev_abi abi, int nr)
{
	const char *n = syscall_name(abi, nr);
	size_t i;

	for (i = 0; n != NULL && modifying[i] != NULL; i++)
		if (strcmp(n, modifying[i]) == 0)
			return true;
	return false;
}
