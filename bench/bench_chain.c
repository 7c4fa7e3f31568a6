/*
 * bench_chain.c: cost of the tamper-evident log.
 *
 *  1. ns per record to serialize a syscall event (record.c) and chain it
 *     (chain_begin + chain_end: one BLAKE3 of the line), for records of
 *     about 200 bytes: the pipeline thread's cost per syscall;
 *  2. verify throughput in MB/s over a generated keyed log (default
 *     256 MiB, or the size in MiB given as the first argument), read from
 *     the page cache right after it was written.  With a second argument
 *     the log is written there and kept (for `capsule verify`).
 *
 * Each figure is the median of several repetitions.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "decode/syscalls.h"
#include "event.h"
#include "lib/buf.h"
#include "log/chain.h"
#include "log/record.h"
#include "log/verify.h"

#define REPS 7
#define RECORDS 200000

static void fake_event(struct call_event *ev, uint64_t i)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = EV_SYSCALL;
	ev->pid = 41234;
	ev->tid = 41234 + (int32_t)(i % 4);
	ev->nr = 257;	/* openat */
	ev->args[0] = (uint64_t)-100;
	ev->args[1] = 0x7ffd12345678 + i;
	ev->args[2] = 0x80000;
	ev->ret = (int64_t)(3 + i % 10);
	ev->ts_sec = 1795867200 + (int64_t)(i / 100000);
	ev->ts_nsec = (int32_t)(i * 7919 % 1000000000);
	ev->dur_ns = 1500 + i % 1000;
}

/*
 * ns per record for: what = 0 serialize and chain, 1 serialize only,
 * 2 chain only (hash a line already serialized).  Median in *ret_median,
 * fastest repetition returned (the machine may be shared).
 */
static double bench_records(int what, size_t *ret_len, double *ret_median)
{
	struct chain c = { .name = "syscalls" };
	struct buf line = BUF_INIT;
	struct call_event ev;
	double t[REPS], start;
	size_t bytes = 0;

	for (int r = 0; r < REPS; r++) {
		bytes = 0;
		start = now_ns();
		for (uint64_t i = 0; i < RECORDS; i++) {
			if (what == 2 && i > 0) {
				/* the same bytes again, hashed again */
				buf_truncate(&line, line.len - CHAIN_PREV_LEN -
						     CHAIN_TAIL_LEN - 1);
				chain_end(&c, &line, 0);
				bytes += line.len;
				continue;
			}
			fake_event(&ev, i);
			buf_reset(&line);
			chain_begin(&c, &line, "syscall");
			record_syscall(&line, &ev);
			if (what != 1)
				chain_end(&c, &line, 0);
			bytes += line.len;
		}
		t[r] = (now_ns() - start) / RECORDS;
	}
	buf_release(&line);
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	*ret_len = bytes / RECORDS;
	*ret_median = t[REPS / 2];
	return t[0];
}

static int write_log(const char *path, uint64_t mib, struct seal_key *key)
{
	struct log_stream s;
	struct chain_log cl;
	struct genesis_info gi = { 0 };
	struct chain_exit ex = { 0, 0 };
	char *argv[] = { "bench", NULL };
	struct call_event ev;
	const char *why;
	uint64_t i = 0;

	if (log_stream_open(&s, path, &why) < 0)
		return -1;
	chain_log_init(&cl, key, 1024, 0);
	chain_log_add_stream(&cl, "syscalls", &s);
	gi.argv = argv;
	chain_log_genesis(&cl, &gi);
	while (s.lines_written * 230 < mib << 20) {
		struct buf *b = chain_log_begin(&cl, 0, "syscall");

		fake_event(&ev, i++);
		record_syscall(b, &ev);
		chain_log_end(&cl, 0);
	}
	chain_log_final(&cl, &ex);
	chain_log_release(&cl);
	return log_stream_close(&s);
}

int main(int argc, char **argv)
{
	static const uint8_t k[BLAKE3_KEY_LEN] = { 7 };
	char path[4096] = "/tmp/capsule-bench-chain-XXXXXX";
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 256;
	struct seal_key *key;
	static const char *const what[] = {
		"serialize + chain", "serialize only", "chain (hash) only",
	};
	double t[REPS], start, ns, median;
	size_t len;
	off_t size = 0;
	int fd;

	syscalls_init();
	for (int w = 0; w < 3; w++) {
		ns = bench_records(w, &len, &median);
		printf("%-18s %5.0f ns/record best, %5.0f median (%zu-byte "
		       "lines, %d x %d)\n",
		       what[w], ns, median, len, REPS, RECORDS);
	}

	if (argc > 2) {
		snprintf(path, sizeof(path), "%s", argv[2]);
	} else {
		fd = mkstemp(path);
		if (fd < 0)
			return 1;
		close(fd);
		unlink(path);
	}
	seal_key_from_bytes(k, &key);
	if (write_log(path, mib, key) < 0)
		return 1;
	key = seal_key_free(key);
	for (int r = 0; r < 3; r++) {
		struct verifier *v = calloc(1, sizeof(*v));
		struct verify_input in = { path, -1, NULL, 0 };

		seal_key_from_bytes(k, &key);
		verify_init(v);
		v->key = key;
		in.fd = open(path, O_RDONLY);
		size = lseek(in.fd, 0, SEEK_END);
		lseek(in.fd, 0, SEEK_SET);
		start = now_ns();
		if (verify_files(v, &in, 1) != VERIFY_OK) {
			fprintf(stderr, "verify failed: %s\n", v->why);
			return 1;
		}
		t[r] = (double)size / ((now_ns() - start) / 1e9) / 1e6;
		close(in.fd);
		verify_release(v);
		free(v);
		key = seal_key_free(key);
	}
	qsort(t, 3, sizeof(t[0]), cmp_double);
	printf("verify --key: %.0f MB/s best, %.0f median, over a %.0f MB log "
	       "(page cache, 3 runs; 1 MB = 10^6 bytes)\n",
	       t[2], t[1], (double)size / 1e6);
	if (argc <= 2)
		unlink(path);
	return 0;
}
