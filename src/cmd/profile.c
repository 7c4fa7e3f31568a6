/*
 * profile.c: `capsule profile`: syscall logs to a seccomp profile, and
 * `capsule profile --diff A B`.  Wiring only: src/profile/ does the work.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "config.h"
#include "decode/syscalls.h"
#include "log/reader.h"
#include "profile/profile.h"
#include "profile/sysset.h"

/* Exit status of --diff when the two differ (0: the same). */
#define EXIT_DIFFERENT 1

void cmd_profile_usage(void)
{
	printf("usage: capsule profile [OPTIONS] LOG...\n"
	       "       capsule profile --diff A B\n"
	       "\n"
	       "Writes an OCI (Docker, Podman, crun, runc) seccomp profile that\n"
	       "allows the system calls the logs recorded, for every ABI they\n"
	       "saw, and denies the rest.  Several logs widen the profile.\n"
	       "\n"
	       "options:\n"
	       "  -o, --output FILE        the profile (default: standard output)\n"
	       "  --default-errno ERRNO    errno of denied calls (default EPERM;\n"
	       "                           a name like ENOSYS or a number)\n"
	       "  --runtime                also allow what an OCI runtime calls\n"
	       "                           after loading the filter\n"
	       "  --arg-filters            allow personality, socket and clone\n"
	       "                           only with the arguments the logs show\n"
	       "  --diff A B               list the system calls B allows and A\n"
	       "                           does not (+) and the reverse (-); A and\n"
	       "                           B are profiles or logs\n"
	       "  -q, --quiet              no capsule: messages on stderr\n"
	       "  -h, --help               this text\n"
	       "\n"
	       "exit status: 0 done (--diff: the same), 1 (--diff only) they\n"
	       "  differ, %d usage error, %d an input cannot be read or the\n"
	       "  output written.\n",
	       EXIT_USAGE, EXIT_INTERNAL);
}

static void report_stats(const struct profile_stats *st, int nlogs)
{
	error("%llu syscall records read from %d log(s)",
	      (unsigned long long)st->records, nlogs);
	if (st->bad)
		error("warning: %llu line(s) skipped: not a JSON object or "
		      "a syscall record without abi or name",
		      (unsigned long long)st->bad);
	if (st->too_long)
		error("warning: %llu line(s) skipped: longer than %d bytes",
		      (unsigned long long)st->too_long, LOG_READER_MAX_LINE);
	if (st->unnamed)
		error("warning: %llu record(s) of syscall numbers without a "
		      "name (syscall_<nr>) cannot be allowed by name: they "
		      "stay denied",
		      (unsigned long long)st->unnamed);
	if (st->foreign_abi)
		error("warning: %llu record(s) of an unknown ABI skipped",
		      (unsigned long long)st->foreign_abi);
}

static int write_output(const char *path, const char *text)
{
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd, err = 0;

	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDOUT_FILENO;
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0644);
		if (fd < 0)
			return -errno;
	}
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		off += (size_t)n;
	}
	if (err == 0 && write(fd, "\n", 1) != 1)
		err = -errno;
	if (fd != STDOUT_FILENO && close(fd) < 0 && err == 0)
		err = -errno;
	return err;
}

static void print_diff(void *ctx, char sign, enum ev_abi abi, const char *name)
{
	(void)ctx;
	printf("%c %s %s\n", sign, abi_name(abi), name);
}

static int run_diff(const char *a, const char *b)
{
	struct sysset sa = SYSSET_INIT, sb = SYSSET_INIT;
	struct profile_stats st = { 0 };
	const char *why, *bad = a;
	size_t n;
	int r;

	r = profile_load_any(a, &sa, &st, &why);
	if (r == 0) {
		bad = b;
		r = profile_load_any(b, &sb, &st, &why);
	}
	if (r < 0) {
		error_always("%s: %s", bad,
			     why ? why : strerror(-r));
		sysset_release(&sa);
		sysset_release(&sb);
		return EXIT_INTERNAL;
	}
	n = sysset_diff(&sa, &sb, print_diff, NULL);
	sysset_release(&sa);
	sysset_release(&sb);
	if (fflush(stdout) != 0)
		return EXIT_INTERNAL;
	return n ? EXIT_DIFFERENT : 0;
}

int cmd_profile(int argc, char **argv)
{
	enum { OPT_DEFAULT_ERRNO = 256, OPT_RUNTIME, OPT_ARG_FILTERS, OPT_DIFF };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "default-errno", required_argument, NULL, OPT_DEFAULT_ERRNO },
		{ "runtime", no_argument, NULL, OPT_RUNTIME },
		{ "arg-filters", no_argument, NULL, OPT_ARG_FILTERS },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct profile_opts po = PROFILE_OPTS_INIT;
	struct profile_stats st = { 0 };
	struct sysset set = SYSSET_INIT;
	const char *output = NULL;
	bool diff = false;
	char *text = NULL;
	int c, r, i;

	syscalls_init();
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_DEFAULT_ERRNO:
			po.default_errno = profile_errno_parse(optarg);
			if (po.default_errno < 0) {
				error_always("--default-errno: unknown errno "
					     "'%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_RUNTIME:
			po.runtime = true;
			break;
		case OPT_ARG_FILTERS:
			po.arg_filters = true;
			break;
		case OPT_DIFF:
			diff = true;
			break;
		case 'q':
			capsule_cfg.quiet = true;
			break;
		case 'h':
			cmd_profile_usage();
			return 0;
		default:
			fprintf(stderr, "Run 'capsule profile --help' for "
					"usage.\n");
			return EXIT_USAGE;
		}
	}
	if (diff) {
		if (argc - optind != 2) {
			error_always("profile --diff: two files needed, A and B");
			return EXIT_USAGE;
		}
		return run_diff(argv[optind], argv[optind + 1]);
	}
	if (optind >= argc) {
		error_always("profile: no log given");
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		r = profile_read_log(&set, argv[i], &st);
		if (r < 0) {
			error_always("cannot read log %s: %s", argv[i],
				     strerror(-r));
			sysset_release(&set);
			return EXIT_INTERNAL;
		}
	}
	report_stats(&st, argc - optind);
	r = profile_generate(&set, &po, &text);
	sysset_release(&set);
	if (r == -ENODATA) {
		error_always("no syscall records in the log(s): no profile "
			     "written");
		return EXIT_INTERNAL;
	}
	if (r == 0)
		r = write_output(output, text);
	free(text);
	if (r < 0) {
		error_always("cannot write profile %s: %s",
			     output ? output : "to standard output",
			     strerror(-r));
		return EXIT_INTERNAL;
	}
	return 0;
}
