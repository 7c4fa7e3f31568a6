/*
 * pretty.c: terminal rendering of log records (see pretty.h).
 *
 * Which string arguments are quoted comes from the decoder's table (the
 * kind of each argument: paths and data strings are quoted, flags and
 * symbolic values are not); without a table row, a string that reads as
 * symbolic (O_RDONLY|O_CLOEXEC, 0x7ffd0000, AT_FDCWD) is left bare.
 */
#include "tail/pretty.h"

#include <stdint.h>
#include <string.h>

#include "decode/syscalls.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_BOLD_RED "\033[1;31m"
#define C_BOLD_CYAN "\033[1;36m"
#define C_ALARM "\033[1;97;41m"

/* How a JSON string is shown. */
enum quote {
	Q_GUESS,	/* bare when it reads as symbolic, else quoted */
	Q_YES,		/* always quoted: paths, data */
	Q_NO,		/* bare: flags, enums, addresses */
	Q_ADDR,		/* a data buffer: bare when an address "0x..." */
	Q_LOGFMT,	/* key=value of other records: quoted only when it
			 * is empty or holds a space, '=', '"' or '\\' */
};

/* Fields of the chain every record has, shown only when verbose. */
static const char *const chain_fields[] = { "type", "stream", "seq", "prev",
					    "hash", "refs", "ts", "pid" };

/*
 * An integer member: a JSON integer, or a real with an integral value (a
 * record with a number beyond 64-bit signed range, such as a raw register,
 * is parsed with every number as a real: see pretty_parse()).
 */
static bool int_of(const json_t *v, long long *ret)
{
	double d;

	if (json_is_integer(v)) {
		*ret = (long long)json_integer_value(v);
		return true;
	}
	if (!json_is_real(v))
		return false;
	d = json_real_value(v);
	if (d < -9.2e18 || d > 9.2e18 || d != (double)(long long)d)
		return false;
	*ret = (long long)d;
	return true;
}

static bool int_at(const json_t *rec, const char *key, long long *ret)
{
	return int_of(json_object_get(rec, key), ret);
}

static void color(const struct pretty_opts *o, struct buf *out,
		  const char *c)
{
	if (o->color)
		buf_adds(out, c);
}

/* The bytes of s, control characters (C0, DEL, C1) escaped. */
static void add_escaped(struct buf *out, const char *s, size_t len,
			bool quoted)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' && quoted) {
			buf_adds(out, "\\\"");
		} else if (c == '\n') {
			buf_adds(out, "\\n");
		} else if (c == '\t') {
			buf_adds(out, "\\t");
		} else if (c == '\r') {
			buf_adds(out, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			buf_addf(out, "\\x%02x", c);
		} else if (c == 0xc2 && i + 1 < len &&
			   (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9f) {
			/* U+0080..U+009F: C1 controls (CSI ...) */
			buf_addf(out, "\\xc2\\x%02x", (unsigned char)s[++i]);
		} else {
			buf_addch(out, (char)c);
		}
	}
}

static bool is_hex_addr(const char *s)
{
	if (strncmp(s, "0x", 2) != 0 || s[2] == '\0')
		return false;
	return strspn(s + 2, "0123456789abcdef") == strlen(s + 2);
}

/* Names joined by '|': A_NAME, 0xhex or a decimal number each. */
static bool is_symbolic(const char *s)
{
	const char *p = s;

	do {
		size_t n;

		if (*p >= 'A' && *p <= 'Z') {
			n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		} else if (p[0] == '_' && p[1] == '_') {
			n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		} else if (p[0] == '0' && p[1] == 'x') {
			n = 2 + strspn(p + 2, "0123456789abcdef");
			if (n == 2)
				return false;
		} else {
			n = strspn(p + (*p == '-'), "0123456789");
			if (n == 0)
				return false;
			n += (*p == '-');
		}
		p += n;
		if (*p == '|')
			p++;
		else if (*p != '\0')
			return false;
	} while (*p != '\0');
	return p != s;
}

static void add_string(struct buf *out, const json_t *v, enum quote q)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	bool quoted;

	switch (q) {
	case Q_YES:
		quoted = true;
		break;
	case Q_NO:
		quoted = false;
		break;
	case Q_ADDR:
		quoted = !is_hex_addr(s);
		break;
	case Q_LOGFMT:
		quoted = len == 0 || strlen(s) != len;
		for (size_t i = 0; i < len && !quoted; i++)
			quoted = (unsigned char)s[i] <= ' ' || s[i] == '=' ||
				 s[i] == '"' || s[i] == '\\' || s[i] == 0x7f;
		break;
	default:
		quoted = strlen(s) != len || !is_symbolic(s);
		break;
	}
	if (quoted)
		buf_addch(out, '"');
	add_escaped(out, s, len, quoted);
	if (quoted)
		buf_addch(out, '"');
}

static void add_value(struct buf *out, const json_t *v, enum quote q);

static void add_array(struct buf *out, const json_t *a, enum quote q,
		      bool truncated)
{
	size_t i;
	const json_t *e;

	buf_addch(out, '[');
	json_array_foreach(a, i, e) {
		if (i > 0)
			buf_adds(out, ", ");
		add_value(out, e, q);
	}
	if (truncated)
		buf_adds(out, json_array_size(a) ? ", ..." : "...");
	buf_addch(out, ']');
}

/* Members of structures that hold bytes of the tracee: always quoted. */
static enum quote member_quote(const char *key)
{
	if (!strcmp(key, "path") || !strcmp(key, "abstract") ||
	    !strcmp(key, "str"))
		return Q_YES;
	return Q_GUESS;
}

static void add_object(struct buf *out, const json_t *obj, enum quote q)
{
	const json_t *v, *t = json_object_get(obj, "truncated");
	const json_t *str = json_object_get(obj, "str");
	const json_t *list = json_object_get(obj, "list");
	const json_t *addr = json_object_get(obj, "addr");
	const char *key;
	bool first = true;

	/* the shapes of docs/log-format.md: cut strings and lists, bad
	 * pointers */
	if (json_is_true(t) && json_is_string(str) &&
	    json_object_size(obj) == 2) {
		add_string(out, str, q == Q_NO ? Q_GUESS : q);
		buf_adds(out, "...");
		return;
	}
	if (json_is_true(t) && json_is_array(list) &&
	    json_object_size(obj) == 2) {
		add_array(out, list, q, true);
		return;
	}
	if (json_is_string(addr) && json_is_string(json_object_get(obj,
								   "error")) &&
	    json_object_size(obj) == 2) {
		add_string(out, addr, Q_NO);
		return;
	}
	buf_addch(out, '{');
	json_object_foreach((json_t *)obj, key, v) {
		if (!first)
			buf_adds(out, ", ");
		first = false;
		add_escaped(out, key, strlen(key), false);
		buf_addch(out, '=');
		add_value(out, v, member_quote(key));
	}
	buf_addch(out, '}');
}

static void add_value(struct buf *out, const json_t *v, enum quote q)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		add_object(out, v, q);
		break;
	case JSON_ARRAY:
		add_array(out, v, q, false);
		break;
	case JSON_STRING:
		add_string(out, v, q);
		break;
	case JSON_INTEGER:
		buf_add_i64(out, (long long)json_integer_value(v));
		break;
	case JSON_REAL: {
		long long i;

		if (int_of(v, &i))
			buf_add_i64(out, i);
		else
			buf_addf(out, "%.17g", json_real_value(v));
		break;
	}
	case JSON_TRUE:
		buf_adds(out, "true");
		break;
	case JSON_FALSE:
		buf_adds(out, "false");
		break;
	case JSON_NULL:
		buf_adds(out, "NULL");
		break;
	}
}

static const char *str_of(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

/* "HH:MM:SS.uuuuuu " from an RFC 3339 "ts"; the raw value otherwise. */
static void add_time(struct buf *out, const json_t *rec)
{
	const char *ts = str_of(rec, "ts");

	if (ts == NULL) {
		buf_adds(out, "-");
	} else if (strlen(ts) >= 26 && ts[10] == 'T' && ts[19] == '.') {
		buf_add(out, ts + 11, 15);
	} else {
		add_escaped(out, ts, strlen(ts), false);
	}
	buf_addch(out, ' ');
}

static enum ev_abi abi_of(const char *s)
{
	if (s != NULL && strcmp(s, "i386") == 0)
		return ABI_I386;
	if (s != NULL && strcmp(s, "x32") == 0)
		return ABI_X32;
	return ABI_X86_64;
}

/* How argument `key` of the record's call is shown, from its table kind. */
static enum quote arg_quote(const struct syscall_desc *d, const char *key)
{
	if (d == NULL)
		return Q_GUESS;
	for (int i = 0; i < 6 && d->args[i].kind != K_NONE; i++) {
		if (strcmp(d->args[i].name, key) != 0)
			continue;
		switch (d->args[i].kind) {
		case K_PATH:
		case K_STR:
		case K_ARGV:
		case K_ENVP:
			return Q_YES;
		case K_WBUF:
		case K_RBUF_OUT:
			return Q_ADDR;
		case K_PRCTL_ARG:
		case K_FCNTL_ARG:
			return Q_GUESS;
		default:
			return Q_NO;
		}
	}
	return Q_GUESS;
}

/* Return values strace shows in hex. */
static bool hex_return(const char *name)
{
	static const char *const names[] = { "mmap", "mmap2", "brk",
					     "mremap", "shmat" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static void add_pid(struct buf *out, const json_t *rec)
{
	long long pid, tid;

	if (!int_at(rec, "pid", &pid))
		return;
	buf_add_i64(out, pid);
	if (int_at(rec, "tid", &tid) && tid != pid) {
		buf_addch(out, '/');
		buf_add_i64(out, tid);
	}
	buf_addch(out, ' ');
}

static void render_syscall(const struct pretty_opts *o, const json_t *rec,
			   struct buf *out)
{
	const char *name = str_of(rec, "syscall"), *abi = str_of(rec, "abi");
	const char *err = str_of(rec, "errno"), *key;
	const json_t *args = json_object_get(rec, "args"), *v;
	const struct syscall_desc *d = NULL;
	long long nr, ret, ns, enr;
	bool first = true;

	if (name == NULL)
		name = "?";
	if (int_at(rec, "nr", &nr) && nr >= 0 && nr < 100000)
		d = syscall_desc(abi_of(abi), (int)nr);
	if (d != NULL && (d->name == NULL || strcmp(d->name, name) != 0))
		d = NULL;
	add_time(out, rec);
	add_pid(out, rec);
	if (abi != NULL && strcmp(abi, "x86_64") != 0) {
		buf_addch(out, '[');
		add_escaped(out, abi, strlen(abi), false);
		buf_adds(out, "] ");
	}
	color(o, out, C_BOLD);
	add_escaped(out, name, strlen(name), false);
	color(o, out, C_RESET);
	buf_addch(out, '(');
	if (json_is_object(args)) {
		json_object_foreach((json_t *)args, key, v) {
			if (!first)
				buf_adds(out, ", ");
			first = false;
			add_value(out, v, arg_quote(d, key));
		}
	} else if (args != NULL) {
		add_value(out, args, Q_GUESS);
	}
	buf_adds(out, ") = ");
	if (json_is_true(json_object_get(rec, "unfinished"))) {
		const char *why = str_of(rec, "unfinished_why");

		color(o, out, C_YELLOW);
		buf_adds(out, "? <unfinished");
		if (why != NULL) {
			buf_adds(out, ": ");
			add_escaped(out, why, strlen(why), false);
		}
		buf_addch(out, '>');
		color(o, out, C_RESET);
	} else if (err != NULL) {
		color(o, out, C_RED);
		buf_adds(out, "-1 ");
		add_escaped(out, err, strlen(err), false);
		if (int_at(rec, "errno_nr", &enr) && enr > 0 && enr < 4096)
			buf_addf(out, " (%s)", strerror((int)enr));
		color(o, out, C_RESET);
	} else if (int_at(rec, "ret", &ret)) {
		if (hex_return(name) && ret != -1)
			buf_addf(out, "%#llx", (unsigned long long)ret);
		else
			buf_add_i64(out, ret);
	} else {
		buf_addch(out, '?');
	}
	if (json_is_string(json_object_get(rec, "denied_by"))) {
		const char *by = str_of(rec, "denied_by");

		color(o, out, C_RED);
		buf_adds(out, " (denied by ");
		add_escaped(out, by, strlen(by), false);
		buf_addch(out, ')');
		color(o, out, C_RESET);
	}
	if (int_at(rec, "dur_ns", &ns) && ns >= 0) {
		color(o, out, C_DIM);
		buf_addf(out, " <%lld.%06lld>", ns / 1000000000,
			 (ns % 1000000000) / 1000);
		color(o, out, C_RESET);
	}
}

/* A command line: words separated by spaces, quoted when needed. */
static void add_argv(struct buf *out, const json_t *argv)
{
	size_t i;
	const json_t *e;

	json_array_foreach(argv, i, e) {
		const char *s = json_string_value(e);

		if (i > 0)
			buf_addch(out, ' ');
		if (s != NULL && *s != '\0' &&
		    strlen(s) == json_string_length(e) &&
		    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
			      "WXYZ0123456789_-+=/.,:@%") == strlen(s))
			buf_adds(out, s);
		else
			add_value(out, e, Q_YES);
	}
}

static void render_genesis(const struct pretty_opts *o, const json_t *rec,
			   struct buf *out)
{
	const char *run = str_of(rec, "run_id"), *host = str_of(rec, "host");
	const char *ts = str_of(rec, "ts");
	const json_t *argv = json_object_get(rec, "argv");
	long long uid;

	color(o, out, C_BOLD_CYAN);
	buf_adds(out, "=== run ");
	if (run != NULL)
		add_escaped(out, run, strlen(run), false);
	if (ts != NULL) {
		buf_adds(out, " started ");
		add_escaped(out, ts, strlen(ts), false);
	}
	if (host != NULL) {
		buf_adds(out, " on ");
		add_escaped(out, host, strlen(host), false);
	}
	if (int_at(rec, "uid", &uid))
		buf_addf(out, " uid %lld", uid);
	if (json_is_array(argv)) {
		buf_adds(out, ": ");
		add_argv(out, argv);
		if (json_is_true(json_object_get(rec, "argv_truncated")))
			buf_adds(out, " ...");
	}
	color(o, out, C_RESET);
}

static void render_seal(const struct pretty_opts *o, const json_t *rec,
			struct buf *out)
{
	const json_t *ex = json_object_get(rec, "exit");
	long long seq, sig;
	const char *reason = str_of(rec, "reason");

	color(o, out, C_DIM);
	add_time(out, rec);
	buf_adds(out, "--- seal");
	if (int_at(rec, "seq", &seq))
		buf_addf(out, " %lld", seq);
	if (reason != NULL) {
		buf_adds(out, " (");
		add_escaped(out, reason, strlen(reason), false);
		buf_addch(out, ')');
	}
	if (json_is_object(ex)) {
		const json_t *code = json_object_get(ex, "code");

		buf_adds(out, ": end of run, exit ");
		add_value(out, code ? code : json_null(), Q_NO);
		if (int_at(ex, "signal", &sig) && sig != 0)
			buf_addf(out, ", killed by signal %lld", sig);
	}
	color(o, out, C_RESET);
}

static const char *severity_color(const char *sev)
{
	if (sev == NULL)
		return C_YELLOW;
	if (!strcmp(sev, "critical"))
		return C_ALARM;
	if (!strcmp(sev, "high"))
		return C_BOLD_RED;
	if (!strcmp(sev, "medium"))
		return C_YELLOW;
	return C_CYAN;
}

static void render_alert(const struct pretty_opts *o, const json_t *rec,
			 struct buf *out)
{
	const char *sev = str_of(rec, "severity"), *rule = str_of(rec, "rule");
	const char *summary = str_of(rec, "summary");
	const json_t *ev = json_object_get(rec, "evidence");

	add_time(out, rec);
	add_pid(out, rec);
	color(o, out, severity_color(sev));
	buf_adds(out, "ALERT ");
	if (sev != NULL) {
		for (const char *p = sev; *p != '\0'; p++)
			buf_addch(out, (char)(*p >= 'a' && *p <= 'z'
						      ? *p - 'a' + 'A'
						      : *p));
		buf_addch(out, ' ');
	}
	if (rule != NULL)
		add_escaped(out, rule, strlen(rule), false);
	if (summary != NULL) {
		buf_adds(out, ": ");
		add_escaped(out, summary, strlen(summary), false);
	}
	color(o, out, C_RESET);
	if (o->verbose && ev != NULL) {
		buf_adds(out, " evidence=");
		add_value(out, ev, Q_GUESS);
	}
}

/*
 * An aggregator action (docs/log-format.md, "Action records"):
 * "TIME PID file.read /etc/hosts [system_config] 5 calls, 2400 B in (close)".
 * Records without the aggregator's members render generically.
 */
static bool render_action(const struct pretty_opts *o, const json_t *rec,
			  struct buf *out)
{
	const char *kind = str_of(rec, "action"), *res = str_of(rec, "resource");
	const char *res2 = str_of(rec, "resource2"), *cls = str_of(rec, "class");
	const char *end = str_of(rec, "end");
	long long calls, errors, in, outb;

	if (kind == NULL || !int_at(rec, "calls", &calls))
		return false;
	add_time(out, rec);
	add_pid(out, rec);
	color(o, out, C_BOLD);
	add_escaped(out, kind, strlen(kind), false);
	color(o, out, C_RESET);
	if (res != NULL) {
		buf_addch(out, ' ');
		add_escaped(out, res, strlen(res), false);
	}
	if (res2 != NULL) {
		buf_adds(out, " -> ");
		add_escaped(out, res2, strlen(res2), false);
	}
	if (json_is_array(json_object_get(rec, "argv"))) {
		buf_adds(out, ": ");
		add_argv(out, json_object_get(rec, "argv"));
	}
	if (cls != NULL) {
		buf_adds(out, " [");
		add_escaped(out, cls, strlen(cls), false);
		buf_addch(out, ']');
	}
	buf_addf(out, " %lld call%s", calls, calls == 1 ? "" : "s");
	if (int_at(rec, "errors", &errors) && errors > 0)
		buf_addf(out, ", %lld failed", errors);
	if (int_at(rec, "bytes_in", &in) && in > 0)
		buf_addf(out, ", %lld B in", in);
	if (int_at(rec, "bytes_out", &outb) && outb > 0)
		buf_addf(out, ", %lld B out", outb);
	if (end != NULL) {
		buf_adds(out, " (");
		add_escaped(out, end, strlen(end), false);
		buf_addch(out, ')');
	}
	return true;
}

static bool is_chain_field(const char *key)
{
	for (size_t i = 0; i < sizeof(chain_fields) / sizeof(*chain_fields);
	     i++)
		if (strcmp(key, chain_fields[i]) == 0)
			return true;
	return false;
}

/* Any other type: "TIME PID TYPE key=value ...". */
static void render_generic(const struct pretty_opts *o, const json_t *rec,
			   struct buf *out)
{
	const char *type = str_of(rec, "type"), *key;
	const json_t *v;

	add_time(out, rec);
	add_pid(out, rec);
	color(o, out, C_BOLD);
	if (type != NULL)
		add_escaped(out, type, strlen(type), false);
	else
		buf_adds(out, "record");
	color(o, out, C_RESET);
	json_object_foreach((json_t *)rec, key, v) {
		if (!o->verbose && is_chain_field(key))
			continue;
		if (!strcmp(key, "type") || !strcmp(key, "ts") ||
		    !strcmp(key, "pid"))
			continue;
		buf_addch(out, ' ');
		add_escaped(out, key, strlen(key), false);
		buf_addch(out, '=');
		add_value(out, v, Q_LOGFMT);
	}
}

json_t *pretty_parse(const char *line, size_t len)
{
	json_error_t err;
	json_t *rec = json_loadb(line, len, 0, &err);

	/* jansson's integers are signed 64-bit; "raw" registers may not be */
	if (rec == NULL &&
	    json_error_code(&err) == json_error_numeric_overflow)
		rec = json_loadb(line, len, JSON_DECODE_INT_AS_REAL, NULL);
	if (rec != NULL && !json_is_object(rec)) {
		json_decref(rec);
		rec = NULL;
	}
	return rec;
}

int pretty_record(const struct pretty_opts *o, const json_t *rec,
		  const char *line, size_t len, struct buf *out)
{
	const char *type = str_of(rec, "type");

	if (rec == NULL) {
		color(o, out, C_RED);
		buf_adds(out, "[malformed] ");
		color(o, out, C_RESET);
		add_escaped(out, line, len, false);
	} else if (type == NULL) {
		render_generic(o, rec, out);
	} else if (!strcmp(type, "syscall")) {
		render_syscall(o, rec, out);
	} else if (!strcmp(type, "genesis")) {
		render_genesis(o, rec, out);
	} else if (!strcmp(type, "seal")) {
		if (!o->verbose &&
		    !json_is_true(json_object_get(rec, "final")))
			return 0;
		render_seal(o, rec, out);
	} else if (!strcmp(type, "alert")) {
		render_alert(o, rec, out);
	} else if (!strcmp(type, "action") && !o->verbose &&
		   render_action(o, rec, out)) {
		/* rendered */
	} else {
		render_generic(o, rec, out);
	}
	buf_addch(out, '\n');
	return 1;
}

int pretty_line(const struct pretty_opts *o, const char *line, size_t len,
		struct buf *out)
{
	json_t *rec = pretty_parse(line, len);
	int r = pretty_record(o, rec, line, len, out);

	json_decref(rec);
	return r;
}
