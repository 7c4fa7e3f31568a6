/*
 * bench_pipeline_agg.c: records per second of the pipeline thread's work on
 * synthetic events, without ptrace: serialize (record.c), enrich
 * (enrich_call_view), chain (BLAKE3) and write (buffered, to files in
 * $TMPDIR or /tmp that are removed afterwards), and aggregate into
 * actions and alerts (chained into their own files).  Two more configurations
 * leave out serializing and chaining to isolate the aggregator's share.
 *
 * The events repeat a cycle of eight calls of one process, like a
 * program reading files: openat of an absolute path (its bytes captured
 * as the tracer would), four reads of 4096 bytes, close, a write to fd 1
 * and a getpid; every cycle makes one file.read action.  No /proc is
 * read (no process events).  Six configurations, median of REPS runs:
 *   chain      serialize + chain + write
 *   +enrich    the same with enrich_call_view()
 *   +aggregate the same with aggregate_call() and its two streams
 *   enrich     enrich_call_view() alone (into a scratch buffer)
 *   enrich+agg enrich_call_view() and aggregate_call() (actions still
 *              serialized and chained): minus the previous line, the
 *              aggregator's cost per record
 *   agg-only   the same with the action and alert records not written:
 *              the aggregator's own bookkeeping and rules
 * Usage: bench_pipeline [RECORDS]  (default 1000000)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "aggregate/aggregate.h"
#include "aggregate/rules.h"
#include "bench.h"
#include "decode/blob.h"
#include "decode/syscalls.h"
#include "enrich/enrich.h"
#include "event.h"
#include "lib/buf.h"
#include "log/alert.h"
#include "log/chain.h"
#include "log/record.h"
#include "log/writer.h"

#define REPS 5

static char path_blob[sizeof(struct blob_rec) + 64];
static uint32_t path_blob_len;

static void make_blob(void)
{
	static const char path[] = "/usr/lib/x86_64-linux-gnu/libbench.so.1";
	struct blob_rec r = { .arg = 1, .type = BR_BYTES,
			      .len = sizeof(path) - 1 };

	memcpy(path_blob, &r, sizeof(r));
	memcpy(path_blob + sizeof(r), path, r.len);
	path_blob_len = (uint32_t)(sizeof(r) + r.len);
}

static void fake_event(struct call_event *ev, uint64_t i)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = EV_SYSCALL;
	ev->abi = ABI_X86_64;
	ev->pid = ev->tid = 4242;
	ev->ts_sec = 1795867200 + (int64_t)(i / 1000000);
	ev->ts_nsec = (int32_t)(i * 997 % 1000000000);
	ev->dur_ns = 800 + i % 300;
	ev->mono_entry = 1000000000ull + i * 1000;
	switch (i % 8) {
	case 0:
		ev->nr = __NR_openat;
		ev->args[0] = (uint64_t)(int64_t)AT_FDCWD;
		ev->args[1] = 0x7ffd12345678;
		ev->args[2] = O_RDONLY | O_CLOEXEC;
		ev->ret = 3;
		ev->blob = path_blob;
		ev->blob_len = path_blob_len;
		break;
	case 1:
	case 2:
	case 3:
	case 4:
		ev->nr = __NR_read;
		ev->args[0] = 3;
		ev->args[1] = 0x55aa00001000;
		ev->args[2] = 4096;
		ev->ret = 4096;
		break;
	case 5:
		ev->nr = __NR_close;
		ev->args[0] = 3;
		break;
	case 6:
		ev->nr = __NR_write;
		ev->args[0] = 1;
		ev->args[1] = 0x55aa00002000;
		ev->args[2] = 100;
		ev->ret = 100;
		break;
	default:
		ev->nr = __NR_getpid;
		ev->ret = 4242;
		break;
	}
}

struct sink {
	struct chain_log *cl;
	int idx[2];
};

static void on_action(void *ctx, const struct action *a)
{
	struct sink *s = ctx;
	struct buf *line = chain_log_begin(s->cl, s->idx[0], "action");

	record_action(line, a, "syscalls");
	chain_log_end(s->cl, s->idx[0]);
}

static void on_alert(void *ctx, const struct alert *al)
{
	struct sink *s = ctx;
	struct buf *line = chain_log_begin(s->cl, s->idx[1], "alert");

	record_alert(line, al, "syscalls");
	chain_log_end(s->cl, s->idx[1]);
}

#define DO_CHAIN 1
#define DO_ENRICH 2
#define DO_AGG 4
#define NO_RECORDS 8

/* One run of `n` records; returns ns, *ret_actions the actions made. */
static double run_once(int what, uint64_t n, const char *dir,
		       uint64_t *ret_actions)
{
	struct log_stream out[3];
	struct chain_log cl;
	struct enrich en;
	struct enrich_probe pr;
	struct rules rs;
	struct aggregate ag;
	struct sink sk;
	struct call_event ev;
	struct call_view v;
	struct rec_ref ref;
	struct genesis_info gi = { 0 };
	char *argv[] = { "bench", NULL };
	char path[3][4096];
	const char *why;
	struct buf *line, scratch = BUF_INIT;
	double t0, t;
	uint64_t i;
	int k, idx;

	chain_log_init(&cl, NULL, 1024, 1000000000u);
	for (k = 0; k < 3; k++) {
		snprintf(path[k], sizeof(path[k]), "%s/capsule-bench-%d-%d.log",
			 dir, (int)getpid(), k);
		if (log_stream_open(&out[k], path[k], &why) < 0) {
			fprintf(stderr, "bench_pipeline: %s: %s\n", path[k], why);
			exit(1);
		}
	}
	idx = chain_log_add_stream(&cl, "syscalls", &out[0]);
	sk.cl = &cl;
	sk.idx[0] = chain_log_add_stream(&cl, ACTIONS_STREAM, &out[1]);
	sk.idx[1] = chain_log_add_stream(&cl, ALERTS_STREAM, &out[2]);
	gi.argv = argv;
	(void)chain_log_genesis(&cl, &gi);
	enrich_init(&en, &pr);
	rules_init(&rs);
	if (what & NO_RECORDS)
		aggregate_init(&ag, &rs, 1000000000ull, NULL, NULL, NULL);
	else
		aggregate_init(&ag, &rs, 1000000000ull, on_action, on_alert,
			       &sk);

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fake_event(&ev, i);
		if (what & DO_CHAIN) {
			line = chain_log_begin(&cl, idx, "syscall");
			record_syscall(line, &ev);
			if (what & DO_ENRICH)
				enrich_call_view(&en, &ev, line, &v);
			chain_log_end(&cl, idx);
			ref.seq = cl.streams[idx].seq - 1;
			memcpy(ref.hash, cl.streams[idx].head, sizeof(ref.hash));
		} else {
			buf_reset(&scratch);
			enrich_call_view(&en, &ev, &scratch, &v);
			ref.seq = i;
			memset(ref.hash, (int)(i & 0xff), sizeof(ref.hash));
		}
		if (what & DO_AGG)
			aggregate_call(&ag, &ev, &v, &ref);
		if ((i & 1023) == 1023)
			for (k = 0; k < 3; k++)
				(void)log_stream_flush(&out[k]);
	}
	aggregate_flush(&ag);
	for (k = 0; k < 3; k++)
		(void)log_stream_flush(&out[k]);
	t = now_ns() - t0;

	*ret_actions = ag.stats.actions;
	buf_release(&scratch);
	aggregate_release(&ag);
	rules_release(&rs);
	enrich_release(&en);
	chain_log_release(&cl);
	for (k = 0; k < 3; k++) {
		(void)log_stream_close(&out[k]);
		unlink(path[k]);
	}
	return t;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "chain", "+enrich", "+aggregate",
					     "enrich", "enrich+agg", "agg-only" };
	static const int what[] = { DO_CHAIN, DO_CHAIN | DO_ENRICH,
				    DO_CHAIN | DO_ENRICH | DO_AGG, DO_ENRICH,
				    DO_ENRICH | DO_AGG,
				    DO_ENRICH | DO_AGG | NO_RECORDS };
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	double t[REPS], med;
	uint64_t actions = 0;
	int level, r;

	if (n < 8)
		n = 8;
	syscalls_init();
	make_blob();
	printf("%llu synthetic records per run, median of %d runs\n",
	       (unsigned long long)n, REPS);
	for (level = 0; level < 6; level++) {
		for (r = 0; r < REPS; r++)
			t[r] = run_once(what[level], n, dir, &actions);
		qsort(t, REPS, sizeof(t[0]), cmp_double);
		med = t[REPS / 2];
		printf("%-11s %8.0f ns/record %10.0f records/s", names[level],
		       med / (double)n, (double)n * 1e9 / med);
		if (what[level] & DO_AGG)
			printf("  (%llu actions)", (unsigned long long)actions);
		printf("\n");
	}
	return 0;
}
