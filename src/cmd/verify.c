/*
 * verify.c: `capsule verify` and `capsule keygen`: wiring of
 * log/verify.c and log/sealkey.c, and the only place their results are
 * printed.  Verdicts go to standard output, one line per run; the exit
 * code is the verdict (docs/integrity.md).
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
#include "lib/hex.h"
#include "log/sealkey.h"
#include "log/verify.h"

#define KEYGEN_DEFAULT "capsule.key"

void cmd_verify_usage(void)
{
	printf("usage: capsule verify [--key FILE] [--expect HEAD] LOG...\n"
	       "\n"
	       "Checks the hash chains and seals of the log files of one run\n"
	       "and names the first record that is wrong.\n"
	       "\n"
	       "  -k, --key FILE      the sealing key given to 'capsule run\n"
	       "                      --seal-key': authenticates the seals\n"
	       "  -e, --expect HEAD   the final head printed by 'capsule run':\n"
	       "                      authenticates the whole log\n"
	       "\n"
	       "Without --key or --expect a log can only be found consistent,\n"
	       "not authenticated: whoever can write it can recompute it.\n"
	       "\n"
	       "exit status: %d intact and sealed, %d tampered, %d incomplete\n"
	       "  (truncated or torn), %d usage or I/O error, or wrong key.\n",
	       VERIFY_OK, VERIFY_TAMPERED, VERIFY_INCOMPLETE, VERIFY_ERROR);
}

static void report(const struct verifier *v, const struct verify_input *in,
		   size_t n)
{
	char head[CHAIN_HEX_LEN + 1];
	const char *name = v->file < n ? in[v->file].name : "?";

	hex_encode(v->seal.head, BLAKE3_OUT_LEN, head);
	switch (v->status) {
	case VERIFY_OK:
		printf("%s: intact: %llu records in %zu stream(s), %llu "
		       "seal(s), run %s started %s, final head %s\n",
		       in[0].name, (unsigned long long)v->records, v->nstreams,
		       (unsigned long long)v->seal.seq,
		       v->run_id[0] ? v->run_id : "?",
		       v->started[0] ? v->started : "?", head);
		if (v->refs_checked || v->refs_unchecked)
			printf("%s: references: %llu checked, %llu too old to "
			       "check\n",
			       in[0].name, (unsigned long long)v->refs_checked,
			       (unsigned long long)v->refs_unchecked);
		if (v->have_expect)
			printf("%s: authenticated: final head matches "
			       "--expect\n",
			       in[0].name);
		if (v->key != NULL && v->keyed)
			printf("%s: authenticated: all %llu seal(s) verified "
			       "with the key\n",
			       in[0].name, (unsigned long long)v->seal.seq);
		if (!v->authenticated)
			printf("%s: consistent, not authenticated (%s)\n",
			       in[0].name,
			       v->keyed ? "sealed: give --key or --expect"
					: "not sealed with a key: give --expect");
		return;
	case VERIFY_TAMPERED:
		printf("%s:%llu: tampered: ", name,
		       (unsigned long long)v->line);
		break;
	case VERIFY_INCOMPLETE:
		if (v->line)
			printf("%s:%llu: incomplete: ", name,
			       (unsigned long long)v->line);
		else
			printf("%s: incomplete: ", name);
		break;
	default:
		printf("%s: error: ", name);
		break;
	}
	if (v->stream[0] != '\0' && v->seq >= 0)
		printf("stream %s seq %lld: ", v->stream, (long long)v->seq);
	printf("%s\n", v->why);
	if (v->status == VERIFY_INCOMPLETE)
		printf("%s: the %llu record(s) and %llu seal(s) before that are "
		       "consistent%s\n",
		       in[0].name, (unsigned long long)v->records,
		       (unsigned long long)v->seal.seq,
		       v->key != NULL && v->keyed && v->seal.seq
			       ? "; the sealed ones are authenticated"
			       : "");
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "expect", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_input *in;
	struct seal_key *key = NULL;
	struct verifier *v;
	const char *keyfile = NULL, *expect = NULL;
	int c, r, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			keyfile = optarg;
			break;
		case 'e':
			expect = optarg;
			break;
		case 'h':
			cmd_verify_usage();
			return 0;
		default:
			fprintf(stderr, "Run 'capsule verify --help' for "
					"usage.\n");
			return VERIFY_ERROR;
		}
	}
	n = argc - optind;
	if (n <= 0) {
		error_always("verify: no log file given");
		return VERIFY_ERROR;
	}
	v = calloc(1, sizeof(*v));
	in = calloc((size_t)n, sizeof(*in));
	if (v == NULL || in == NULL) {
		error_always("out of memory");
		free(v);
		free(in);
		return VERIFY_ERROR;
	}
	verify_init(v);
	for (int i = 0; i < n; i++)
		in[i].fd = -1;
	r = VERIFY_ERROR;
	if (expect != NULL) {
		if (strlen(expect) != CHAIN_HEX_LEN ||
		    hex_decode(expect, BLAKE3_OUT_LEN, v->expect) < 0) {
			error_always("--expect: not a 64-digit lowercase hex "
				     "head: %s",
				     expect);
			goto out;
		}
		v->have_expect = true;
	}
	if (keyfile != NULL) {
		r = seal_key_load(keyfile, &key);
		if (r < 0) {
			error_always("key %s: %s", keyfile,
				     r == -EINVAL ? "not a capsule key file"
				     : r == -EPERM ? "readable by others "
						     "(chmod 600)"
						   : strerror(-r));
			r = VERIFY_ERROR;
			goto out;
		}
		v->key = key;
	}
	r = VERIFY_OK;
	for (int i = 0; i < n; i++) {
		in[i].name = argv[optind + i];
		in[i].fd = open(in[i].name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (in[i].fd < 0) {
			error_always("cannot open %s: %s", in[i].name,
				     strerror(errno));
			r = VERIFY_ERROR;
		}
	}
	if (r == VERIFY_OK) {
		(void)posix_fadvise(in[0].fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		r = verify_files(v, in, (size_t)n);
		report(v, in, (size_t)n);
	}
out:
	for (int i = 0; i < n; i++)
		if (in[i].fd >= 0)
			close(in[i].fd);
	verify_release(v);
	seal_key_free(key);
	free(in);
	free(v);
	return r;
}

int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = KEYGEN_DEFAULT;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			printf("usage: capsule keygen [-o FILE]\n\n"
			       "Writes a new sealing key to FILE (default %s),\n"
			       "mode 0600; an existing file is never replaced.\n"
			       "Keep it away from the logs it seals.\n",
			       KEYGEN_DEFAULT);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		error_always("keygen: unexpected argument %s", argv[optind]);
		return EXIT_USAGE;
	}
	r = seal_key_generate(out);
	if (r == -EEXIST) {
		error_always("keygen: %s already exists: not overwritten", out);
		return 1;
	}
	if (r < 0) {
		error_always("keygen: %s: %s", out, strerror(-r));
		return 1;
	}
	error("sealing key written to %s", out);
	return 0;
}
