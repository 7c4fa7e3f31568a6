/*
 * bench_pipeline.c: the pipeline thread's work per record (issue 8: "the
 * pipeline behind the tracer sustains at least 1 million records per
 * second on one core"), single-threaded, without the tracer and the
 * queue.
 *
 *   build/bench/bench_pipeline [records-per-repetition] [log-file]
 *
 * Events are synthetic but captured the way the tracer captures them:
 * decode_capture() reads the arguments (paths, argv, sockaddrs, stat
 * buffers) from this process's own memory, and enrich_probe_hook() takes
 * the /proc snapshots of exec and fork from this process too.  The
 * events then replay a stream of short-lived processes: fork, execve,
 * exec snapshot, then rounds of openat / read / newfstatat / mmap / close
 * / write / socket / connect, exit_group and the exit record.  About one
 * record in twenty is a process record.
 *
 * Each event goes through what pipeline_main() in src/cmd/run.c does
 * with it (JSON mode, no --policy, no --seccomp, and without the
 * aggregator): chain_log_begin, record_syscall (decode), enrich_call,
 * chain_log_end_batch (the line held), call_event_release; process
 * events through enrich_process; at the end of every batch
 * chain_log_settle (BLAKE3 of the held lines side by side, then each
 * one's prev and hash, log_stream_add) and a flush, as the pipeline
 * does when it has drained the queue.  BENCH_SERIAL=1 ends each record
 * with chain_log_end() instead (hashed at once); BENCH_LANES=avx2 or
 * portable picks a narrower lane implementation.  The log goes to
 * /dev/null, or to the file given (e.g. on /dev/shm).
 *
 * The breakdown runs the same batches with the stages cut short:
 * serialize (chain prefix, decode, record), + enrich, + hash (chain_log_end
 * or _batch and the settle at the end of the batch, bytes dropped instead
 * of written), + write (the full pipeline); each stage's cost is
 * the difference of medians.  The stages take turns batch by batch, and
 * the time is the thread's CPU time (other sessions share this machine).
 * Events are built before each timed batch (the tracer thread's work),
 * and freed inside it (the pipeline's).
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "bench.h"
#include "decode/capture.h"
#include "decode/syscalls.h"
#include "enrich/enrich.h"
#include "event.h"
#include "lib/blake3_lanes.h"
#include "lib/buf.h"
#include "log/chain.h"
#include "log/record.h"
#include "log/writer.h"

#define REPS 7
#define BATCH 8192		/* events per batch: the queue's size */
#define DEFAULT_RECORDS 400000

/* ---- counting allocations (glibc: malloc may be replaced) ---- */

#ifdef __GLIBC__
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);

static unsigned long nallocs;

void *malloc(size_t n)
{
	nallocs++;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	nallocs++;
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	nallocs++;
	return __libc_realloc(p, n);
}
#define HAVE_ALLOC_COUNT 1
#else
static unsigned long nallocs;
#define HAVE_ALLOC_COUNT 0
#endif

/* ---- the event templates ---- */

enum tpl {
	T_NEW,		/* PEV_NEW: a forked process, with its snapshot */
	T_EXECVE,	/* execve("/bin/sh", [3 args], [4 env]) = 0 */
	T_EXEC_SNAP,	/* PEV_CALL after execve: the exec snapshot */
	T_OPEN_LIBC,	/* openat(AT_FDCWD, "/usr/lib/.../libc.so.6") = 3 */
	T_READ,		/* read(3, buf, 832) = 832 */
	T_FSTAT,	/* newfstatat(3, "", buf, AT_EMPTY_PATH) = 0 */
	T_MMAP_FILE,	/* mmap(NULL, 2 MiB, PROT_READ, MAP_PRIVATE, 3, 0) */
	T_MMAP_ANON,	/* mmap(NULL, 8 KiB, RW, PRIVATE|ANONYMOUS, -1, 0) */
	T_CLOSE,	/* close(3) = 0 */
	T_OPEN_CACHE,	/* openat(AT_FDCWD, "/etc/ld.so.cache") = 3 */
	T_WRITE,	/* write(1, buf, 64) = 64 */
	T_SOCKET,	/* socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 4 */
	T_CONNECT,	/* connect(4, 127.0.0.1:8080, 16) = -ECONNREFUSED */
	T_CLOSE4,	/* close(4) = 0 */
	T_EXIT_GROUP,	/* exit_group(0), unfinished */
	T_EXIT,		/* PEV_EXIT */
	T_MAX
};

/* One process's life, in template indices. */
static const uint8_t script_head[] = { T_NEW, T_EXECVE, T_EXEC_SNAP };
static const uint8_t script_round[] = {
	T_OPEN_LIBC, T_READ,	T_FSTAT,   T_MMAP_FILE, T_MMAP_ANON,
	T_CLOSE,     T_OPEN_CACHE, T_READ, T_READ,	T_READ,
	T_CLOSE,     T_WRITE,	T_WRITE,   T_WRITE,	T_SOCKET,
	T_CONNECT,   T_CLOSE4,
};
#define ROUNDS 3
static const uint8_t script_tail[] = { T_EXIT_GROUP, T_EXIT };

static struct call_event tpl[T_MAX];

static void capture_call(struct capture *c, const struct mem_reader *m,
			 struct call_event *ev, int nr, uint64_t a0,
			 uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			 uint64_t a5, int64_t ret)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = EV_SYSCALL;
	ev->abi = ABI_X86_64;
	ev->pid = ev->tid = getpid();
	ev->nr = nr;
	ev->args[0] = a0;
	ev->args[1] = a1;
	ev->args[2] = a2;
	ev->args[3] = a3;
	ev->args[4] = a4;
	ev->args[5] = a5;
	decode_capture(c, ev, m, 0);
	ev->ret = ret;
	ev->is_error = ret < 0 && ret > -4096;
	decode_capture(c, ev, m, 1);
}

static void process_event(struct call_event *ev, int what, uint64_t a0,
			  uint64_t a1)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = EV_PROCESS;
	ev->abi = ABI_X86_64;
	ev->pid = ev->tid = getpid();
	ev->nr = what;
	ev->args[0] = a0;
	ev->args[1] = a1;
}

static void make_templates(struct enrich_probe *pr)
{
	static const char libc[] = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	static const char cache[] = "/etc/ld.so.cache";
	static char *const argv[] = { "/bin/sh", "-c", "echo hello", NULL };
	static char *const envp[] = { "PATH=/usr/bin:/bin", "HOME=/home/u",
				      "LANG=C.UTF-8", "TERM=xterm", NULL };
	struct capture_opts o = CAPTURE_OPTS_INIT;
	static char data[832];
	struct capture c;
	struct mem_reader m;
	struct sockaddr_in sa;
	struct stat st;
	struct call_event *t;

	mem_reader_init(&m, getpid());
	capture_init(&c, &o);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(8080);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)stat(libc, &st);

	capture_call(&c, &m, &tpl[T_EXECVE], __NR_execve, (uintptr_t)argv[0],
		     (uintptr_t)argv, (uintptr_t)envp, 0, 0, 0, 0);
	capture_call(&c, &m, &tpl[T_OPEN_LIBC], __NR_openat,
		     (uint64_t)(int64_t)AT_FDCWD, (uintptr_t)libc,
		     O_RDONLY | O_CLOEXEC, 0, 0, 0, 3);
	capture_call(&c, &m, &tpl[T_READ], __NR_read, 3, (uintptr_t)data,
		     sizeof(data), 0, 0, 0, (int64_t)sizeof(data));
	capture_call(&c, &m, &tpl[T_FSTAT], __NR_newfstatat, 3,
		     (uintptr_t) "", (uintptr_t)&st, AT_EMPTY_PATH, 0, 0, 0);
	capture_call(&c, &m, &tpl[T_MMAP_FILE], __NR_mmap, 0, 2125824,
		     PROT_READ, MAP_PRIVATE | MAP_DENYWRITE, 3, 0,
		     0x7f3a1c200000);
	capture_call(&c, &m, &tpl[T_MMAP_ANON], __NR_mmap, 0, 8192,
		     PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     (uint64_t)-1, 0, 0x7f3a1c5f0000);
	capture_call(&c, &m, &tpl[T_CLOSE], __NR_close, 3, 0, 0, 0, 0, 0, 0);
	capture_call(&c, &m, &tpl[T_OPEN_CACHE], __NR_openat,
		     (uint64_t)(int64_t)AT_FDCWD, (uintptr_t)cache,
		     O_RDONLY | O_CLOEXEC, 0, 0, 0, 3);
	capture_call(&c, &m, &tpl[T_WRITE], __NR_write, 1, (uintptr_t)data,
		     64, 0, 0, 0, 64);
	capture_call(&c, &m, &tpl[T_SOCKET], __NR_socket, AF_INET,
		     SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, 0, 4);
	capture_call(&c, &m, &tpl[T_CONNECT], __NR_connect, 4, (uintptr_t)&sa,
		     sizeof(sa), 0, 0, 0, -111 /* ECONNREFUSED */);
	capture_call(&c, &m, &tpl[T_CLOSE4], __NR_close, 4, 0, 0, 0, 0, 0, 0);
	capture_call(&c, &m, &tpl[T_EXIT_GROUP], __NR_exit_group, 0, 0, 0, 0,
		     0, 0, 0);
	tpl[T_EXIT_GROUP].unfinished = UNF_EXITED;

	/* the root's exec snapshot takes more (fds): take a later one */
	t = &tpl[T_EXEC_SNAP];
	process_event(t, PEV_CALL, __NR_execve, 0);
	(void)enrich_probe_hook(pr, t, &tpl[T_EXECVE]);
	call_event_release(t);
	process_event(t, PEV_CALL, __NR_execve, 0);
	(void)enrich_probe_hook(pr, t, &tpl[T_EXECVE]);
	t = &tpl[T_NEW];
	process_event(t, PEV_NEW, 1, SIGCHLD);
	(void)enrich_probe_hook(pr, t, NULL);
	process_event(&tpl[T_EXIT], PEV_EXIT, 0, 0);
	capture_release(&c);
}

/* ---- the replayed stream ---- */

struct gen {
	size_t step;		/* position in the process script */
	int32_t pid;		/* the current process */
	int64_t ts_sec;		/* the simulated clock */
	int32_t ts_nsec;
	uint64_t n;		/* events made */
};

static int script_at(size_t step)
{
	size_t h = sizeof(script_head), r = sizeof(script_round);

	if (step < h)
		return script_head[step];
	step -= h;
	if (step < ROUNDS * r)
		return script_round[step % r];
	step -= ROUNDS * r;
	if (step < sizeof(script_tail))
		return script_tail[step];
	return -1;
}

/* The next event, as the tracer would hand it over (owning its blob). */
static void gen_next(struct gen *g, struct call_event *ev)
{
	int t = script_at(g->step++);

	if (t < 0) {
		g->step = 0;
		g->pid++;
		t = script_at(g->step++);
	}
	*ev = tpl[t];
	if (ev->blob_len) {
		ev->blob = malloc(ev->blob_len);
		if (ev->blob == NULL)
			abort();
		memcpy(ev->blob, tpl[t].blob, ev->blob_len);
	}
	ev->pid = ev->tid = g->pid;
	if (t == T_NEW)
		ev->args[0] = (uint64_t)(g->pid - 1);
	/* one syscall every ~21 µs: what ptrace allows on this machine */
	g->ts_nsec += 20000 + (int32_t)(g->n * 7919 % 2000);
	if (g->ts_nsec >= 1000000000) {
		g->ts_nsec -= 1000000000;
		g->ts_sec++;
	}
	ev->ts_sec = g->ts_sec;
	ev->ts_nsec = g->ts_nsec;
	if (ev->kind == EV_SYSCALL && !ev->unfinished)
		ev->dur_ns = 9000 + g->n * 104729 % 9000;
	g->n++;
}

/* ---- the pipeline thread's work ---- */

enum stage {
	ST_SERIALIZE,	/* chain prefix + record_syscall (decode) */
	ST_ENRICH,	/* + enrich_call / enrich_process */
	ST_HASH,	/* + BLAKE3, prev and hash hex, no write */
	ST_FULL,	/* + log_stream_add: pipeline_main()'s work */
	_ST_MAX
};

static const char *const stage_names[] = {
	[ST_SERIALIZE] = "serialize",
	[ST_ENRICH] = "+ enrich",
	[ST_HASH] = "+ hash",
	[ST_FULL] = "+ write (full)",
};

struct pipe {
	struct chain_log cl;
	struct log_stream out;
	struct enrich en;
	struct buf text;	/* pipeline_main()'s scratch */
	uint64_t bytes;		/* bytes of log made */
	uint64_t records;
};

/*
 * Records are ended with chain_log_end_batch() and hashed side by side
 * when the batch is drained, as pipeline_main() does; BENCH_SERIAL=1 in
 * the environment ends each one with chain_log_end() (hashed at once,
 * one line after the other).
 */
static bool serial;

/* chain_log_end() or _batch(); ST_HASH drops the bytes instead of
 * writing them. */
static void end_record(struct pipe *p, enum stage st)
{
	if (serial)
		chain_log_end(&p->cl, 0);
	else
		chain_log_end_batch(&p->cl, 0);
	if (st == ST_HASH) {
		p->bytes += p->out.pending.len;
		buf_reset(&p->out.pending);
	}
}

/* The end of a drained batch: what is held is hashed (and written). */
static void end_batch(struct pipe *p, enum stage st)
{
	if (st < ST_HASH)
		return;
	chain_log_settle(&p->cl);
	if (st == ST_HASH) {
		p->bytes += p->out.pending.len;
		buf_reset(&p->out.pending);
	} else {
		(void)log_stream_flush(&p->out);
	}
}

/* write_process() of run.c, cut at `st`. */
static void do_process(struct pipe *p, const struct call_event *ev,
		       enum stage st)
{
	struct buf *line;

	if (st < ST_ENRICH)
		return;
	buf_reset(&p->text);
	if (!enrich_process(&p->en, ev, p->cl.streams[0].seq, &p->text))
		return;
	line = chain_log_begin(&p->cl, 0, "process");
	buf_add(line, p->text.s, p->text.len);
	if (st >= ST_HASH)
		end_record(p, st);
	p->records++;
}

/* The loop body of pipeline_main() (JSON mode), cut at `st`. */
static void do_event(struct pipe *p, struct call_event *ev, enum stage st)
{
	struct buf *line;

	if (ev->kind == EV_PROCESS) {
		do_process(p, ev, st);
		call_event_release(ev);
		return;
	}
	/* mark_denied(): nothing without --seccomp */
	line = chain_log_begin(&p->cl, 0, "syscall");
	record_syscall(line, ev);
	if (st >= ST_ENRICH)
		enrich_call(&p->en, ev, line);
	/* HOOK: aggregate(&ag, ev, &act) goes here once the aggregator
	 * (branch "aggregate") is merged into pipeline_main(). */
	if (st >= ST_HASH)
		end_record(p, st);
	else
		p->bytes += line->len;
	call_event_release(ev);
	p->records++;
}

static int pipe_init(struct pipe *p, const char *path,
		     struct enrich_probe *pr)
{
	struct genesis_info gi = { 0 };
	static char *argv[] = { "bench_pipeline", NULL };
	const char *why;

	memset(p, 0, sizeof(*p));
	if (path != NULL) {
		if (log_stream_open(&p->out, path, &why) < 0) {
			fprintf(stderr, "%s: %s\n", path, why);
			return -1;
		}
	} else {
		/* log_stream_open() takes regular files only */
		p->out.fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		buf_init(&p->out.pending);
		if (p->out.fd < 0)
			return -1;
	}
	enrich_init(&p->en, pr);
	buf_init(&p->text);
	chain_log_init(&p->cl, NULL, 1024, 0);
	chain_log_add_stream(&p->cl, "syscalls", &p->out);
	gi.argv = argv;
	return chain_log_genesis(&p->cl, &gi);
}

static void pipe_release(struct pipe *p)
{
	struct chain_exit ex = { 0, 0 };

	(void)chain_log_final(&p->cl, &ex);
	chain_log_release(&p->cl);
	enrich_release(&p->en);
	buf_release(&p->text);
	(void)log_stream_close(&p->out);
}

struct result {
	double ns;		/* median ns per record */
	double bytes;		/* mean line length */
	double allocs;		/* allocations per record in the pipeline */
};

/*
 * Runs `records` records through every stage, REPS times.  The stages
 * take turns batch by batch (each with its own log, enricher and
 * generator, so each sees the same events), so that load from other
 * processes on this shared machine falls on all of them alike.
 */
static void run_stages(size_t records, const char *path,
		       struct call_event *batch, struct result *res)
{
	struct enrich_probe pr;
	double t[_ST_MAX][REPS];
	struct pipe p[_ST_MAX];
	struct gen g[_ST_MAX];
	unsigned long allocs[_ST_MAX] = { 0 };
	uint64_t bytes[_ST_MAX] = { 0 }, nrec[_ST_MAX] = { 0 };

	for (int st = 0; st < _ST_MAX; st++) {
		if (pipe_init(&p[st], st == ST_FULL ? path : NULL, &pr) < 0)
			exit(1);
		g[st] = (struct gen){ 0, 200000, 1795867200, 0, 0 };
	}
	for (int r = 0; r < REPS; r++) {
		double total[_ST_MAX] = { 0 };
		size_t done = 0;

		for (int st = 0; st < _ST_MAX; st++)
			p[st].records = p[st].bytes = 0;
		while (done < records) {
			size_t n = records - done < BATCH ? records - done
							  : BATCH;

			for (int st = 0; st < _ST_MAX; st++) {
				unsigned long a0;
				double t0;

				for (size_t i = 0; i < n; i++)
					gen_next(&g[st], &batch[i]);
				a0 = nallocs;
				t0 = cpu_ns();
				for (size_t i = 0; i < n; i++)
					do_event(&p[st], &batch[i],
						 (enum stage)st);
				end_batch(&p[st], (enum stage)st);
				total[st] += cpu_ns() - t0;
				allocs[st] += nallocs - a0;
			}
			done += n;
		}
		for (int st = 0; st < _ST_MAX; st++) {
			t[st][r] = total[st] / (double)p[st].records;
			bytes[st] += p[st].bytes;
			nrec[st] += p[st].records;
		}
	}
	for (int st = 0; st < _ST_MAX; st++) {
		qsort(t[st], REPS, sizeof(t[st][0]), cmp_double);
		res[st].ns = t[st][REPS / 2];
		res[st].allocs = (double)allocs[st] / (double)nrec[st];
		res[st].bytes = (double)bytes[st] / (double)nrec[st];
		pipe_release(&p[st]);
	}
}

int main(int argc, char **argv)
{
	size_t records = argc > 1 ? strtoul(argv[1], NULL, 10)
				  : DEFAULT_RECORDS;
	const char *path = argc > 2 ? argv[2] : NULL;
	struct call_event *batch = calloc(BATCH, sizeof(*batch));
	struct enrich_probe pr;
	struct enrich en;
	struct result res[_ST_MAX];

	if (batch == NULL || records == 0)
		return 1;
	serial = getenv("BENCH_SERIAL") != NULL &&
		 strcmp(getenv("BENCH_SERIAL"), "1") == 0;
	/* BENCH_LANES=portable|avx2: a narrower lane implementation */
	if (getenv("BENCH_LANES") != NULL)
		(void)blake3_lanes_set_impl(
			strcmp(getenv("BENCH_LANES"), "portable") == 0
				? BLAKE3_LANES_PORTABLE
				: strcmp(getenv("BENCH_LANES"), "avx2") == 0
					  ? BLAKE3_LANES_AVX2
					  : BLAKE3_LANES_AUTO);
	syscalls_init();
	enrich_init(&en, &pr);	/* the probe borrows en's tables */
	make_templates(&pr);

	printf("pipeline: %zu records x %d repetitions, batches of %d, "
	       "log to %s, hashing %s (lanes: %s)\n",
	       records, REPS, BATCH, path ? path : "/dev/null",
	       serial ? "serial" : "batched",
	       blake3_lanes_impl_name(blake3_lanes_get_impl()));
	run_stages(records, path, batch, res);
	for (int st = 0; st < _ST_MAX; st++) {
		printf("  %-15s %7.1f ns/record (median)", stage_names[st],
		       res[st].ns);
		if (st > 0)
			printf("  stage %+6.1f ns", res[st].ns - res[st - 1].ns);
		if (res[st].bytes > 0)
			printf("  %4.0f-byte lines", res[st].bytes);
		if (HAVE_ALLOC_COUNT)
			printf("  %.2f allocs/record", res[st].allocs);
		printf("\n");
	}
	printf("full pipeline: %.0f records/s on one core (%.1f ns/record)\n",
	       1e9 / res[ST_FULL].ns, res[ST_FULL].ns);
	for (int t = 0; t < T_MAX; t++)
		call_event_release(&tpl[t]);
	enrich_release(&en);
	free(batch);
	return 0;
}
