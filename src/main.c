/*
 * main.c: command-line entry: global options and dispatch to cmd_*().
 * The only place that exits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "config.h"

struct capsule_config capsule_cfg = {
	.output = CAPSULE_DEFAULT_LOG,
	.strsize = CAPSULE_DEFAULT_STRSIZE,
	.seal_every = CAPSULE_SEAL_EVERY,
	.seal_interval_ns = CAPSULE_SEAL_INTERVAL_NS,
	.actions_output = CAPSULE_DEFAULT_ACTIONS,
	.alerts_output = CAPSULE_DEFAULT_ALERTS,
	.action_window_ns = CAPSULE_ACTION_WINDOW_NS,
};

static void __attribute__((format(printf, 1, 0)))
vreport(const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "capsule: %s\n", msg);
}

int error(const char *fmt, ...)
{
	va_list ap;

	if (capsule_cfg.quiet)
		return -1;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return -1;
}

int error_always(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return -1;
}

static void usage(FILE *f)
{
	fputs("usage: capsule <command> [options] [args]\n"
	      "\n"
	      "capsule records every system call of a program and of all its\n"
	      "threads and children, as JSON Lines.\n"
	      "\n"
	      "commands:\n"
	      "  run [OPTIONS] [--] CMD [ARGS...]   trace CMD (alias: trace)\n"
	      "  trace                              the same; with no CMD, "
	      "list its options\n"
	      "  profile [OPTIONS] LOG...           seccomp profile from logs\n"
	      "  profile --diff A B                 compare profiles or logs\n"
	      "  tail [OPTIONS] [FILE]              follow a log, print it "
	      "for a terminal\n"
	      "  verify [--key K] [--expect H] LOG...  check a log's chain "
	      "and seals\n"
	      "  keygen [-o FILE]                   make a sealing key\n"
	      "  help                               this text\n"
	      "  version                            print the version\n"
	      "\n"
	      "options:\n"
	      "  -h, --help      this text\n"
	      "  -V, --version   print the version\n"
	      "\n"
	      "Run 'capsule trace' for the options of run/trace.\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") ||
	    !strcmp(cmd, "version")) {
		printf("capsule %s\n", CAPSULE_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run") || !strcmp(cmd, "trace"))
		exit(cmd_run(argc - 1, argv + 1));
	if (!strcmp(cmd, "profile"))
		exit(cmd_profile(argc - 1, argv + 1));
	if (!strcmp(cmd, "tail"))
		exit(cmd_tail(argc - 1, argv + 1));
	if (!strcmp(cmd, "verify"))
		exit(cmd_verify(argc - 1, argv + 1));
	if (!strcmp(cmd, "keygen"))
		exit(cmd_keygen(argc - 1, argv + 1));
	fprintf(stderr, "capsule: unknown command '%s'\n\n", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
