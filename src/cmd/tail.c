/*
 * tail.c: `capsule tail`: follow a log like `tail -F` and print its
 * records for a terminal.  Wiring only: log/reader.c follows the file,
 * tail/filter.c chooses records, tail/pretty.c renders them.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "config.h"
#include "lib/buf.h"
#include "log/reader.h"
#include "tail/filter.h"
#include "tail/pretty.h"

/* Exit status when the log cannot be read (or the output written). */
#define EXIT_TAIL_IO 3

/* Default of -n: the last 10 records, as tail(1). */
#define TAIL_DEFAULT_LINES 10

/* Output is flushed before waiting, or when this much is pending. */
#define TAIL_FLUSH_BYTES (64 * 1024)

/* Pending signals are looked at every this many lines while busy. */
#define TAIL_SIGNAL_CHECK 1024

struct tail {
	struct tail_filter filter;
	struct pretty_opts pretty;
	bool json;		/* --json: lines unchanged */
	bool follow;		/* false with --no-follow */
	bool from_line;		/* -n +K: from the K-th record on */
	unsigned long long n;	/* -n N (or K with from_line) */
	const char *path;	/* borrowed from argv */
	/* the records already in the file when tail starts */
	bool initial;		/* still reading them */
	unsigned long long seen; /* records passed so far (for -n +K) */
	struct buf *ring;	/* owned: the last n of them (-n N) */
	size_t ring_len, ring_cap, ring_next;
	struct buf out;		/* owned: output not yet written */
	sigset_t waitmask;	/* the signal mask while waiting */
};

void cmd_tail_usage(void)
{
	printf("usage: capsule tail [OPTIONS] [FILE]\n"
	       "\n"
	       "Prints the records of a capsule log (default %s)\n"
	       "for a terminal, then follows it like tail -F: new records as\n"
	       "they are written, from the start again when the file is\n"
	       "created, truncated or replaced (a new `capsule run`).\n"
	       "\n"
	       "options:\n"
	       "  -n, --lines N        first the last N records (default %d);\n"
	       "                       +K: from the K-th record on\n"
	       "      --from-start     every record (the same as -n +1)\n"
	       "  -N, --no-follow      print and exit at the end of the file\n"
	       "  -f, --follow         follow the file (the default)\n"
	       "      --type T[,T]     only records of these types (syscall,\n"
	       "                       process, alert, action, genesis, seal)\n"
	       "      --pid N[,N]      only records of these process ids\n"
	       "      --syscall NAME[,NAME]  only these system calls\n"
	       "      --class C[,C]    only records with one of these classes\n"
	       "      --severity S     only alerts at or above S (low, medium,\n"
	       "                       high, critical)\n"
	       "      --json           the records' lines unchanged (filtered)\n"
	       "      --color WHEN     auto (default: when stdout is a terminal\n"
	       "                       and NO_COLOR is not set), always, never\n"
	       "  -v, --verbose        every seal, alert evidence, chain fields\n"
	       "  -q, --quiet          no capsule: messages on stderr\n"
	       "  -h, --help           this text\n"
	       "\n"
	       "The options that take lists may be repeated.  Run headers\n"
	       "(genesis records) are shown whatever --pid, --syscall, --class\n"
	       "and --severity say.\n"
	       "\n"
	       "exit status: 0 done or interrupted (SIGINT, SIGTERM, SIGHUP),\n"
	       "  %d usage error, %d the file cannot be read.\n",
	       CAPSULE_DEFAULT_LOG, TAIL_DEFAULT_LINES, EXIT_USAGE,
	       EXIT_TAIL_IO);
}

static void on_signal(int sig)
{
	(void)sig; /* seen by ppoll() returning EINTR */
}

/*
 * Blocks SIGINT, SIGTERM and SIGHUP except while waiting, so none is lost
 * between a check and a wait.
 */
static void setup_signals(struct tail *t)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigprocmask(SIG_BLOCK, &block, &t->waitmask);
	sigdelset(&t->waitmask, SIGINT);
	sigdelset(&t->waitmask, SIGTERM);
	sigdelset(&t->waitmask, SIGHUP);
}

static bool signal_pending(void)
{
	sigset_t p;

	if (sigpending(&p) < 0)
		return false;
	return sigismember(&p, SIGINT) || sigismember(&p, SIGTERM) ||
	       sigismember(&p, SIGHUP);
}

/* Writes the pending output.  Returns 0 or -errno. */
static int flush_out(struct tail *t)
{
	if (t->out.len > 0 && fwrite(t->out.s, 1, t->out.len, stdout) !=
				      t->out.len)
		return -EIO;
	buf_reset(&t->out);
	if (fflush(stdout) != 0)
		return -errno;
	return 0;
}

/* A record that passed the filter, rendered or as it is. */
static void show(struct tail *t, const json_t *rec, const char *line,
		 size_t len)
{
	if (t->json) {
		buf_add(&t->out, line, len);
		buf_addch(&t->out, '\n');
		return;
	}
	(void)pretty_record(&t->pretty, rec, line, len, &t->out);
}

static void show_line(struct tail *t, const char *line, size_t len,
		      uint64_t lineno)
{
	json_t *rec = pretty_parse(line, len);

	if (rec == NULL && t->json && lineno > 0)
		error("%s: line %llu is not a JSON object: skipped", t->path,
		      (unsigned long long)lineno);
	else if (rec == NULL && t->json)
		error("%s: a line that is not a JSON object: skipped",
		      t->path);
	else if (tail_filter_match(&t->filter, rec))
		show(t, rec, line, len);
	json_decref(rec);
}

/* The last -n records of the initial contents, oldest first. */
static void flush_ring(struct tail *t)
{
	size_t start = t->ring_len < t->n ? 0 : t->ring_next;

	for (size_t i = 0; i < t->ring_len; i++) {
		struct buf *b = &t->ring[(start + i) % t->ring_len];

		show_line(t, b->s, b->len, 0);
		buf_release(b);
	}
	free(t->ring);
	t->ring = NULL;
	t->ring_len = t->ring_cap = t->ring_next = 0;
}

/* Keeps a copy of `line` among the last n. */
static int ring_add(struct tail *t, const struct buf *line)
{
	struct buf *b;

	if (t->ring_len < t->n) {
		if (t->ring_len == t->ring_cap) {
			size_t cap = t->ring_cap ? 2 * t->ring_cap : 16;

			if (cap > t->n)
				cap = (size_t)t->n;
			b = realloc(t->ring, cap * sizeof(*b));
			if (b == NULL)
				return -ENOMEM;
			t->ring = b;
			t->ring_cap = cap;
		}
		b = &t->ring[t->ring_len++];
		buf_init(b);
	} else {
		b = &t->ring[t->ring_next];
		t->ring_next = (t->ring_next + 1) % t->ring_len;
		buf_reset(b);
	}
	buf_add(b, line->s, line->len);
	return 0;
}

/* One line of the file. */
static int take_line(struct tail *t, const struct buf *line,
		     uint64_t lineno)
{
	bool pass = true;
	json_t *rec;

	if (!t->initial) {
		show_line(t, line->s, line->len, lineno);
		return 0;
	}
	/* the initial contents: count, keep or skip what passes */
	if (tail_filter_active(&t->filter)) {
		rec = pretty_parse(line->s, line->len);
		pass = tail_filter_match(&t->filter, rec);
		json_decref(rec);
	}
	if (!pass)
		return 0;
	t->seen++;
	if (t->from_line) {
		if (t->seen >= t->n)
			show_line(t, line->s, line->len, lineno);
		return 0;
	}
	if (t->n == 0)
		return 0;
	return ring_add(t, line);
}

/* The end of the initial contents: print what -n kept. */
static void end_initial(struct tail *t)
{
	if (!t->initial)
		return;
	t->initial = false;
	flush_ring(t);
}

/* Tells the user what happened to the file (stderr, unless -q). */
static void notice(struct tail *t, int ev, int err)
{
	switch (ev) {
	case LOG_FOLLOW_CREATED:
		error("%s has appeared: following it", t->path);
		break;
	case LOG_FOLLOW_TRUNCATED:
		error("%s: file truncated: reading it from the start",
		      t->path);
		break;
	case LOG_FOLLOW_REPLACED:
		error("%s has been replaced: following the new file",
		      t->path);
		break;
	case LOG_FOLLOW_REMOVED:
		error("%s has disappeared: waiting for it", t->path);
		break;
	case LOG_FOLLOW_INACCESSIBLE:
		error("%s: cannot read: %s: waiting", t->path, strerror(err));
		break;
	}
}

/* Reads and prints until the end (no follow) or a signal. */
static int tail_loop(struct tail *t, struct log_follow *f)
{
	unsigned long budget = TAIL_SIGNAL_CHECK;
	int r;

	for (;;) {
		r = log_follow_next(f);
		if (r == LOG_FOLLOW_LINE) {
			r = take_line(t, &f->r.line, f->r.lineno);
			if (r < 0)
				return r;
			if (t->out.len >= TAIL_FLUSH_BYTES &&
			    (r = flush_out(t)) < 0)
				return r;
			if (--budget == 0) {
				budget = TAIL_SIGNAL_CHECK;
				if (signal_pending())
					return 0;
			}
			continue;
		}
		if (r < 0)
			return r;
		end_initial(t);
		if (r != LOG_FOLLOW_IDLE) {
			int ev = r;

			if ((r = flush_out(t)) < 0)
				return r;
			notice(t, ev, f->err);
			continue;
		}
		if ((r = flush_out(t)) < 0)
			return r;
		if (!t->follow)
			return 0;
		r = log_follow_wait(f, &t->waitmask);
		if (r == -EINTR)
			return 0;
		if (r < 0)
			return r;
	}
}

/* -n N or -n +K.  Returns 0 or -EINVAL. */
static int parse_lines(struct tail *t, const char *s)
{
	char *end;

	t->from_line = *s == '+';
	if (*s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	t->n = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	return 0;
}

static int parse_color(struct tail *t, const char *when)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (!strcmp(when, "always") || !strcmp(when, "yes") ||
	    !strcmp(when, "force")) {
		t->pretty.color = true;
	} else if (!strcmp(when, "never") || !strcmp(when, "no") ||
		   !strcmp(when, "none")) {
		t->pretty.color = false;
	} else if (!strcmp(when, "auto") || !strcmp(when, "tty") ||
		   !strcmp(when, "if-tty")) {
		t->pretty.color = isatty(STDOUT_FILENO) &&
				  (nc == NULL || *nc == '\0') &&
				  (term == NULL || strcmp(term, "dumb") != 0);
	} else {
		return -EINVAL;
	}
	return 0;
}

int cmd_tail(int argc, char **argv)
{
	enum {
		OPT_FROM_START = 256,
		OPT_TYPE,
		OPT_PID,
		OPT_SYSCALL,
		OPT_CLASS,
		OPT_SEVERITY,
		OPT_JSON,
		OPT_COLOR,
	};
	static const struct option opts[] = {
		{ "lines", required_argument, NULL, 'n' },
		{ "from-start", no_argument, NULL, OPT_FROM_START },
		{ "no-follow", no_argument, NULL, 'N' },
		{ "follow", no_argument, NULL, 'f' },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "syscall", required_argument, NULL, OPT_SYSCALL },
		{ "class", required_argument, NULL, OPT_CLASS },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tail t = {
		.filter = TAIL_FILTER_INIT,
		.follow = true,
		.n = TAIL_DEFAULT_LINES,
		.path = CAPSULE_DEFAULT_LOG,
		.initial = true,
	};
	const char *color_when = "auto";
	struct log_follow f;
	int c, r, li = -1, code = 0;

	buf_init(&t.out);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+n:Nfvqh", opts, &li)) != -1) {
		r = 0;
		switch (c) {
		case 'n':
			r = parse_lines(&t, optarg);
			break;
		case OPT_FROM_START:
			t.from_line = true;
			t.n = 1;
			break;
		case 'N':
			t.follow = false;
			break;
		case 'f':
			t.follow = true;
			break;
		case OPT_TYPE:
			r = tail_filter_add_types(&t.filter, optarg);
			break;
		case OPT_PID:
			r = tail_filter_add_pids(&t.filter, optarg);
			break;
		case OPT_SYSCALL:
			r = tail_filter_add_syscalls(&t.filter, optarg);
			break;
		case OPT_CLASS:
			r = tail_filter_add_classes(&t.filter, optarg);
			break;
		case OPT_SEVERITY:
			r = tail_filter_set_severity(&t.filter, optarg);
			break;
		case OPT_JSON:
			t.json = true;
			break;
		case OPT_COLOR:
			color_when = optarg;
			break;
		case 'v':
			t.pretty.verbose = true;
			break;
		case 'q':
			capsule_cfg.quiet = true;
			break;
		case 'h':
			cmd_tail_usage();
			tail_filter_release(&t.filter);
			return 0;
		default:
			if (optopt != 0 && optopt < 256)
				error_always("tail: unknown option or missing "
					     "argument: -%c", optopt);
			else
				error_always("tail: unknown option or missing "
					     "argument: %s", argv[optind - 1]);
			error_always("run 'capsule tail --help' for the "
				     "options");
			tail_filter_release(&t.filter);
			return EXIT_USAGE;
		}
		if (r < 0) {
			error_always("tail: bad value for %s%s: '%s'",
				     li >= 0 ? "--" : "-",
				     li >= 0 ? opts[li].name : "n", optarg);
			tail_filter_release(&t.filter);
			return EXIT_USAGE;
		}
		li = -1;
	}
	if (parse_color(&t, color_when) < 0) {
		error_always("tail: --color takes auto, always or never, "
			     "not '%s'", color_when);
		tail_filter_release(&t.filter);
		return EXIT_USAGE;
	}
	if (optind < argc)
		t.path = argv[optind++];
	if (optind < argc || strcmp(t.path, "-") == 0) {
		error_always(optind < argc ? "tail: one FILE at most"
					   : "tail: reading standard input "
					     "is not supported");
		tail_filter_release(&t.filter);
		return EXIT_USAGE;
	}
	setup_signals(&t);
	r = log_follow_open(&f, t.path, t.follow);
	if (r == -ENOMEM) {
		error_always("out of memory");
		code = EXIT_INTERNAL;
	} else if (r < 0 && (!t.follow || r != -ENOENT)) {
		error_always("%s: %s", t.path, strerror(-r));
		code = EXIT_TAIL_IO;
	} else {
		if (r == -ENOENT)
			error("%s does not exist yet: waiting for it",
			      t.path);
		r = tail_loop(&t, &f);
		if (r < 0) {
			error_always("%s: %s", t.path, strerror(-r));
			code = EXIT_TAIL_IO;
		}
		if (f.r.too_long)
			error("warning: %llu line(s) skipped: longer than %d "
			      "bytes",
			      (unsigned long long)f.r.too_long,
			      LOG_READER_MAX_LINE);
	}
	(void)flush_out(&t);
	flush_ring(&t);
	log_follow_close(&f);
	tail_filter_release(&t.filter);
	buf_release(&t.out);
	return code;
}
