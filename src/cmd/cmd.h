/*
 * cmd.h: the subcommands and the one error-reporting helper they share.
 * Only cmd/ and main.c print; everything below them returns -errno.
 */
#ifndef CAPSULE_CMD_CMD_H
#define CAPSULE_CMD_CMD_H

/* Prints "capsule: <message>" on stderr (unless -q) and returns -1. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, printed even under -q (for failures of capsule itself). */
int error_always(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* capsule run / capsule trace.  Returns the process exit code. */
int cmd_run(int argc, char **argv);

/* Prints the usage of `capsule run` to stdout. */
void cmd_run_usage(const char *name);

/* capsule profile.  Returns the process exit code. */
int cmd_profile(int argc, char **argv);

/* Prints the usage of `capsule profile` to stdout. */
void cmd_profile_usage(void);
/* capsule tail: follow and print a log.  Returns the exit code. */
int cmd_tail(int argc, char **argv);
void cmd_tail_usage(void);
/* capsule verify: returns the verdict (enum verify_status). */
int cmd_verify(int argc, char **argv);
void cmd_verify_usage(void);
/* capsule keygen: 0, 1 on failure, EXIT_USAGE. */
int cmd_keygen(int argc, char **argv);

#endif
