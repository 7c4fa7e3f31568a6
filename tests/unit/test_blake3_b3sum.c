/*
 * test_blake3_b3sum.c: cross-checks src/lib/blake3.c against the b3sum
 * program on pseudo-random inputs of many lengths (0 to a few MiB), in
 * the hash, keyed (--keyed) and key derivation (--derive-key) modes and
 * with extended outputs (--length), with every compression
 * implementation this CPU runs (portable, SSE2, SSE4.1).  Exits 77 (skipped) when b3sum is
 * not installed.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/blake3.h"
#include "unit.h"

#define B3SUM "b3sum"
#define CONTEXT "capsule 2024-06-01 b3sum cross-check context"
#define MAX_XOF 4100

static const size_t input_lens[] = {
	0, 1, 2, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200, 255, 256, 511,
	512, 513, 1000, 1023, 1024, 1025, 1089, 2047, 2048, 2049, 3072, 3073,
	4095, 4096, 4097, 8192, 8193, 16383, 16384, 16385, 31 * 1024,
	31 * 1024 + 1, 65536, 100000, 262145, (1 << 20) - 1, 1 << 20,
	(1 << 20) + 1, (3 << 20) + 17, (5 << 20) + 1023,
};

/* Output lengths tried with --length, one per input length in turn. */
static const size_t xof_lens[] = {
	1, 31, 33, 64, 65, 131, 200, 1000, 1024, 4097,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Implementations checked (those the CPU lacks are skipped). */
static const enum blake3_impl impls[] = {
	BLAKE3_IMPL_PORTABLE, BLAKE3_IMPL_SSE2, BLAKE3_IMPL_SSE41,
	BLAKE3_IMPL_AVX512,
};

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64* with a fixed seed: the same inputs every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static void fill_random(uint8_t *p, size_t len)
{
	while (len) {
		uint64_t r = rng_next();
		size_t n = len < 8 ? len : 8;

		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}

/* Is an executable named name somewhere in $PATH? */
static int in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);

		if (n == 0)
			snprintf(buf, sizeof(buf), "./%s", name);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path,
				 name);
		if (access(buf, X_OK) == 0)
			return 1;
		if (!end)
			break;
		path = end + 1;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Run b3sum with argv, feeding it stdin_data (if not NULL) on standard
 * input, and decode the first word of its output as hex into out
 * (exactly out_len bytes expected).  Returns 0 on success.
 */
static int run_b3sum(char *const argv[], const void *stdin_data,
		     size_t stdin_len, uint8_t *out, size_t out_len)
{
	static char text[2 * MAX_XOF + 4096];
	int in[2], outp[2], status;
	size_t used = 0;
	pid_t pid;

	if (pipe(in) < 0)
		return -1;
	if (pipe(outp) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		close(in[0]);
		close(in[1]);
		close(outp[0]);
		close(outp[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(outp[1], STDOUT_FILENO);
		close(in[0]);
		close(in[1]);
		close(outp[0]);
		close(outp[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	/* At most 32 bytes: fits in the pipe before b3sum reads it. */
	if (stdin_data && write_all(in[1], stdin_data, stdin_len) < 0)
		perror("write to b3sum");
	close(in[1]);
	for (;;) {
		ssize_t n;

		if (used == sizeof(text) - 1)
			break;
		n = read(outp[0], text + used, sizeof(text) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	text[used] = '\0';
	close(outp[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "b3sum exited with status %d\n", status);
		return -1;
	}
	if (strspn(text, "0123456789abcdef") != 2 * out_len) {
		fprintf(stderr, "unexpected b3sum output: %.80s\n", text);
		return -1;
	}
	for (size_t i = 0; i < out_len; i++) {
		unsigned int b;

		if (sscanf(text + 2 * i, "%2x", &b) != 1)
			return -1;
		out[i] = (uint8_t)b;
	}
	return 0;
}

enum mode { MODE_HASH, MODE_KEYED, MODE_DERIVE };

static const char *const mode_name[] = { "hash", "keyed", "derive-key" };

static uint8_t key[BLAKE3_KEY_LEN];
static char tmp_path[4096];
static uint8_t *data;
static size_t max_len;
static unsigned int runs;

/* Our output for data[0..len) in mode m, out_len bytes. */
static void our_hash(enum mode m, size_t len, uint8_t *out, size_t out_len,
		     int split)
{
	struct blake3_hasher h;

	if (m == MODE_HASH)
		blake3_init(&h);
	else if (m == MODE_KEYED)
		blake3_init_keyed(&h, key);
	else
		blake3_init_derive_key(&h, CONTEXT);
	if (!split) {
		blake3_update(&h, data, len);
	} else {
		/* Random pieces of up to 5000 bytes, zero included. */
		size_t done = 0;

		while (done < len) {
			size_t n = (size_t)(rng_next() % 5000);

			if (n > len - done)
				n = len - done;
			blake3_update(&h, data + done, n);
			done += n;
		}
	}
	blake3_finalize(&h, out, out_len);
}

/* Compare with b3sum in mode m; xof_len 0 means the default length. */
static void compare(enum mode m, size_t len, size_t xof_len)
{
	char len_arg[32];
	char *argv[8];
	int argc = 0;
	size_t out_len = xof_len ? xof_len : BLAKE3_OUT_LEN;
	uint8_t theirs[MAX_XOF], ours[MAX_XOF];

	argv[argc++] = B3SUM;
	argv[argc++] = "--no-names";
	if (m == MODE_KEYED) {
		argv[argc++] = "--keyed";
	} else if (m == MODE_DERIVE) {
		argv[argc++] = "--derive-key";
		argv[argc++] = CONTEXT;
	}
	if (xof_len) {
		snprintf(len_arg, sizeof(len_arg), "%zu", xof_len);
		argv[argc++] = "--length";
		argv[argc++] = len_arg;
	}
	argv[argc++] = tmp_path;
	argv[argc] = NULL;

	runs++;
	if (run_b3sum(argv, m == MODE_KEYED ? key : NULL,
		      m == MODE_KEYED ? sizeof(key) : 0, theirs, out_len)) {
		fprintf(stderr, "b3sum failed: mode %s, input_len %zu\n",
			mode_name[m], len);
		CHECK(!"b3sum ran");
		return;
	}
	/* every compression implementation this CPU runs gives b3sum's */
	for (size_t i = 0; i < ARRAY_SIZE(impls); i++) {
		const char *impl;

		if (blake3_set_impl(impls[i]) != impls[i])
			continue;
		impl = blake3_impl_name(impls[i]);
		our_hash(m, len, ours, out_len, 0);
		if (memcmp(ours, theirs, out_len)) {
			fprintf(stderr, "mismatch (%s): mode %s, input_len "
				"%zu, out_len %zu\n", impl, mode_name[m], len,
				out_len);
			CHECK(!"output matches b3sum");
		}
		our_hash(m, len, ours, out_len, 1);
		if (memcmp(ours, theirs, out_len)) {
			fprintf(stderr, "mismatch (%s, split updates): mode %s, "
				"input_len %zu, out_len %zu\n", impl,
				mode_name[m], len, out_len);
			CHECK(!"split output matches b3sum");
		}
		if (m == MODE_HASH && !xof_len) {
			blake3_hash(data, len, ours);
			CHECK(memcmp(ours, theirs, BLAKE3_OUT_LEN) == 0);
		}
	}
	(void)blake3_set_impl(BLAKE3_IMPL_AUTO);
}

static int write_input(size_t len)
{
	FILE *f = fopen(tmp_path, "wb");

	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

TEST(test_against_b3sum)
{
	for (size_t i = 0; i < ARRAY_SIZE(input_lens); i++) {
		size_t len = input_lens[i];

		rng_state = UINT64_C(0x243f6a8885a308d3) + len;
		fill_random(data, len);
		if (write_input(len)) {
			perror(tmp_path);
			CHECK(!"input file written");
			return;
		}
		compare(MODE_HASH, len, 0);
		compare(MODE_KEYED, len, 0);
		compare(MODE_DERIVE, len, 0);
		compare((enum mode)(i % 3), len, xof_lens[i % ARRAY_SIZE(
							  xof_lens)]);
	}
}

int main(void)
{
	static const struct unit_test tests[] = {
		UNIT_T(test_against_b3sum),
	};
	const char *dir = getenv("TMPDIR");
	int fd, ret;

	if (!in_path(B3SUM)) {
		printf("SKIP: b3sum not found\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);

	for (size_t i = 0; i < ARRAY_SIZE(input_lens); i++)
		if (input_lens[i] > max_len)
			max_len = input_lens[i];
	data = malloc(max_len ? max_len : 1);
	if (!data) {
		perror("malloc");
		return 1;
	}
	rng_state = UINT64_C(0x13198a2e03707344);
	fill_random(key, sizeof(key));

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(tmp_path, sizeof(tmp_path), "%s/capsule-b3sum-XXXXXX", dir);
	fd = mkstemp(tmp_path);
	if (fd < 0) {
		perror(tmp_path);
		free(data);
		return 1;
	}
	close(fd);

	ret = unit_run(__FILE__, tests, ARRAY_SIZE(tests));
	printf("test_blake3_b3sum: %zu input lengths (0 to %zu bytes), "
	       "%u b3sum runs\n", ARRAY_SIZE(input_lens), max_len, runs);

	unlink(tmp_path);
	free(data);
	return ret;
}
