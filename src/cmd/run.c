/*
 * run.c: `capsule run` / `capsule trace`: wiring of the pipeline.
 *
 * The main thread is the tracer: it does only what needs the stopped
 * tracee and pushes each completed call into the queue.  The pipeline
 * thread pops, serializes and writes.  Signals meant for the traced program
 * (SIGINT, SIGTERM, SIGHUP, SIGQUIT sent to capsule by a process) are
 * forwarded to it; capsule keeps recording until the last tracee is gone.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aggregate/aggregate.h"
#include "aggregate/summary.h"
#include "cmd/cmd.h"
#include "config.h"
#include "decode/args.h"
#include "decode/capture.h"
#include "decode/syscalls.h"
#include "enrich/enrich.h"
#include "event.h"
#include "lib/buf.h"
#include "lib/hex.h"
#include "lib/queue.h"
#include "log/alert.h"
#include "log/chain.h"
#include "log/record.h"
#include "log/sealkey.h"
#include "log/writer.h"
#include "policy/traceset.h"
#include "policy/policy.h"
#include "policy/subject.h"
#include "profile/filter.h"
#include "trace/tracer.h"

extern char **environ;

#define QUEUE_EVENTS 8192
#define QUEUE_BLOB_BUDGET (8u << 20) /* captured bytes in flight */

/* The view's strings, copied while its record is held. */
#define HELD_STRS 7
static const size_t view_strs[HELD_STRS] = {
	offsetof(struct call_view, exe),       offsetof(struct call_view, path),
	offsetof(struct call_view, path2),     offsetof(struct call_view, fd_path),
	offsetof(struct call_view, fd_remote), offsetof(struct call_view, fd_local),
	offsetof(struct call_view, addr),
};

struct held_call {
	struct call_event ev;	/* owned */
	struct call_view view;	/* its strings NULL until drain_held() */
	size_t str[HELD_STRS];	/* 1 + offset in held_strs, 0: NULL */
	struct rec_ref ref;	/* seq, and hash once settled */
};

struct pipeline {
	struct queue q;
	struct log_stream syscalls;
	uint64_t records;
	const struct seccomp_filter *seccomp; /* borrowed, or NULL */
	uint64_t denied;	/* records the filter denied */
	bool text;		/* --format text */
	struct chain_log cl;	/* streams, genesis, seals */
	int syscalls_idx;	/* index of the syscall stream in cl */
	struct chain_exit exit;	/* set by the tracer before queue_close() */
	int final_err;		/* chain_log_final()'s result */
	struct enrich en;	/* process context, fds, classes (JSON only) */

	struct agg_streams *agg; /* actions, alerts (JSON only), or NULL */
	/*
	 * Syscall records held by chain_log_end_batch(): the aggregator
	 * needs each one's hash, so it sees them once their batch is
	 * settled (drain_held()).  Each keeps its event (owned) and a copy
	 * of its view's strings (the enricher's tables change with the
	 * next records).
	 */
	struct held_call *held;	/* owned: CHAIN_BATCH_MAX of them */
	size_t nheld;
	struct buf held_strs;	/* owned: the views' strings */
	/* --policy, --seccomp: their alerts go to the aggregator's stream */
	struct log_stream *alerts; /* borrowed: its file, or NULL */
	int alerts_idx;		/* its index in cl, or -1: no alerts */
	const struct policy *policy; /* borrowed, or NULL */
	uint64_t nalerts;
	struct buf scratch;	/* owned: an alert's decoded arguments */
	/*
	 * The synchronous path: the tracer pushes an EVF_SYNC event and
	 * waits until sync_done reaches its ticket; the pipeline counts it
	 * done once the record and its alert are fdatasync'ed.
	 */
	pthread_mutex_t sync_mu;
	pthread_cond_t sync_cv;
	uint64_t sync_sent;	/* tracer thread only */
	uint64_t sync_done;	/* under sync_mu */
	int sync_err;		/* first failure to make one durable */
};

/* --policy: the tracer's enforcement hooks (tracer thread only). */
struct enforcer {
	struct policy *policy;	/* borrowed */
	struct pipeline *p;	/* borrowed */
	struct subject_buf sb;	/* the subject's strings */
	uint64_t sync_ns;	/* time spent waiting for durability */
	uint64_t nsync;
};

/* What the child loads before execve. */
struct child_filters {
	const struct place *place;		/* borrowed: CPU placement */
	const struct traceset *trace;		/* borrowed: --trace */
	const struct seccomp_filter *seccomp;	/* borrowed, or NULL */
	const struct policy *policy;		/* borrowed, or NULL */
};

/*
 * The root's pidfd, for the signal handler (the one piece of state a
 * handler cannot be passed).  A pidfd cannot hit a recycled pid.
 */
static volatile int forward_pidfd = -1;

static void forward_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	/*
	 * A terminal's ^C or ^\ (SI_KERNEL) already reached the whole
	 * foreground process group, tracee included: do not double it.
	 */
	if (si->si_code == SI_KERNEL)
		return;
	if (forward_pidfd >= 0)
		(void)syscall(SYS_pidfd_send_signal, forward_pidfd, sig, NULL, 0);
}

/* --seccomp: flags the calls the kernel's filter refused. */
static void mark_denied(struct pipeline *p, struct call_event *ev)
{
	/*
	 * capsule's own refusals (a clone3, a call aimed at capsule) come
	 * first: at the entry stop, before the filter sees the call.
	 */
	if (ev->flags &
	    (EVF_POLICY_DENIED | EVF_POLICY_KILLED | EVF_DENIED_SELF))
		return;
	if (p->seccomp != NULL && seccomp_filter_denied(p->seccomp, ev)) {
		ev->flags |= EVF_SECCOMP_DENIED;
		p->denied++;
	}
}

/* One line on where the command ran (not with -q). */
static void report_placement(const struct place *pl)
{
	if (!pl->ever)
		return;
	if (pl->released_ns)
		error("placement: CMD given its %d CPUs back after %.2f s "
		      "(%.2f tasks waiting for CPU %d, %.0f stops/s); %llu "
		      "mask(s) shown as without capsule",
		      CPU_COUNT(&pl->all), (double)pl->released_ns / 1e9,
		      pl->released_waiting, pl->cpu, pl->released_rate,
		      (unsigned long long)pl->nr_hidden);
	else
		error("placement: tracer and CMD on CPU %d for the whole run; "
		      "%llu mask(s) shown as without capsule",
		      pl->cpu, (unsigned long long)pl->nr_hidden);
}

/* tracer child_setup hook: runs in the child, just before execve */
static int apply_filters(void *ctx)
{
	const struct child_filters *cf = ctx;
	int r = place_child(cf->place);

	if (r == 0)
		r = traceset_apply(cf->trace);
	if (r == 0 && cf->seccomp != NULL)
		r = seccomp_filter_apply(cf->seccomp);
	if (r == 0 && cf->policy != NULL)
		r = policy_seccomp_apply(cf->policy);
	return -r;
}

/* A "process" record in the syscall stream, when enrich has one. */
static void write_process(struct pipeline *p, const struct call_event *ev,
			  struct buf *scratch)
{
	struct buf *line;

	buf_reset(scratch);
	if (!enrich_process(&p->en, ev, p->cl.streams[p->syscalls_idx].seq,
			    scratch))
		return;
	line = chain_log_begin(&p->cl, p->syscalls_idx, "process");
	buf_add(line, scratch->s, scratch->len);
	chain_log_end(&p->cl, p->syscalls_idx);
}

/* ---- --policy: decisions on the tracer thread ---- */

static bool enforce_reads_memory(void *ctx, const struct call_event *ev)
{
	const struct enforcer *e = ctx;

	return policy_reads_memory(e->policy, (enum ev_abi)ev->abi, ev->nr);
}

static void enforce_decide(void *ctx, struct call_event *ev,
			   struct trace_verdict *v)
{
	struct enforcer *e = ctx;
	struct policy_subject s;
	struct policy_verdict pv;

	if (policy_plan(e->policy, (enum ev_abi)ev->abi, ev->nr, &pv) ==
	    PLAN_ARGS) {
		policy_subject_fill(&s, &e->sb, ev, true);
		policy_decide(e->policy, &s, &pv);
	}
	if (pv.action == PA_ALLOW || pv.action == PA_NONE)
		return;
	ev->verdict = pv.action;
	ev->rule = (uint16_t)(pv.rule + 1);
	ev->audit = pv.audit;
	ev->flags |= EVF_ALERT;
	if (pv.action == PA_LOG || pv.audit)
		return; /* alerted with the record, at the exit stop */
	v->action = pv.action == PA_KILL ? TRACE_KILL : TRACE_DENY;
	v->err = pv.err;
	v->by_kernel = policy_seccomp_covers(e->policy, (enum ev_abi)ev->abi,
					     ev->nr);
}

/* The blocking path: returns once the record and its alert are on disk. */
static void enforce_commit(void *ctx, struct call_event *ev)
{
	struct enforcer *e = ctx;
	struct pipeline *p = e->p;
	uint64_t t0 = chain_now_ns(), ticket = ++p->sync_sent;

	ev->flags |= EVF_SYNC;
	queue_push_weighted(&p->q, ev, ev->blob_len);
	queue_wake(&p->q); /* no nap: the tracee is waiting */
	pthread_mutex_lock(&p->sync_mu);
	while (p->sync_done < ticket)
		pthread_cond_wait(&p->sync_cv, &p->sync_mu);
	pthread_mutex_unlock(&p->sync_mu);
	e->sync_ns += chain_now_ns() - t0;
	e->nsync++;
}

/* ---- alerts, on the pipeline thread ---- */

static const char *verdict_verb(const struct call_event *ev)
{
	if (ev->verdict == PA_KILL)
		return ev->audit ? "would kill at" : "killed at";
	if (ev->verdict == PA_DENY)
		return ev->audit ? "would deny" : "denied";
	return "logged";
}

/* The alert for `ev`, whose syscall record was just written. */
static void write_alert(struct pipeline *p, const struct call_event *ev)
{
	const struct chain *sc = &p->cl.streams[p->syscalls_idx];
	const char *name = syscall_name(ev->abi, ev->nr);
	struct buf summary = BUF_INIT, *line;
	struct alert a;
	int rule = (int)ev->rule - 1;

	memset(&a, 0, sizeof(a));
	buf_reset(&p->scratch);
	decode_args(&p->scratch, ev, 0);
	a.args = p->scratch.s;
	a.syscall = name;
	a.evidence[0].seq = sc->seq - 1;
	memcpy(a.evidence[0].hash, sc->head, sizeof(a.evidence[0].hash));
	a.evidence_syscall[0] = name;
	a.nevidence = 1;
	a.ts_sec = ev->ts_sec;
	a.ts_nsec = ev->ts_nsec;
	a.pid = ev->pid;
	a.tid = ev->tid;
	a.uid = -1;
	if (ev->flags & EVF_SECCOMP_DENIED) {
		a.rule = "seccomp-profile";
		a.source = "seccomp";
		a.action = ev->unfinished ? "kill" : "deny";
		a.severity = ev->unfinished ? SEV_HIGH : SEV_MEDIUM;
		buf_addf(&summary, "%s %s by the seccomp profile",
			 name ? name : "syscall",
			 ev->unfinished ? "killed the process" : "denied");
	} else {
		a.rule = policy_rule_id(p->policy, rule);
		a.source = "policy";
		a.action = policy_action_to_string(ev->verdict);
		a.audit = ev->audit;
		/* POL_SEV_LOW..CRITICAL are SEV_LOW..CRITICAL less one */
		a.severity = (int)policy_rule_severity(p->policy, rule) + 1;
		if (policy_rule_summary(p->policy, rule) != NULL)
			buf_addf(&summary, "%s: ",
				 policy_rule_summary(p->policy, rule));
		buf_addf(&summary, "%s %s by policy rule %s",
			 verdict_verb(ev), name ? name : "syscall", a.rule);
	}
	a.summary = summary.s;
	line = chain_log_begin(&p->cl, p->alerts_idx, "alert");
	record_alert(line, &a, "syscalls");
	chain_log_end(&p->cl, p->alerts_idx);
	p->nalerts++;
	buf_release(&summary);
}

/* An EVF_SYNC event is written: make it durable, release the tracer. */
static void sync_done(struct pipeline *p)
{
	int r = log_stream_sync(&p->syscalls);

	if (r == 0 && p->alerts != NULL && p->alerts != &p->syscalls)
		r = log_stream_sync(p->alerts);
	pthread_mutex_lock(&p->sync_mu);
	if (r < 0 && p->sync_err == 0)
		p->sync_err = r;
	p->sync_done++;
	pthread_cond_broadcast(&p->sync_cv);
	pthread_mutex_unlock(&p->sync_mu);
}

/*
 * The aggregator's part of a run (issue 6): its two chained streams,
 * its state, and the --summary counts.  Kept together so that run.c
 * touches it in a few calls.
 */
struct agg_streams {
	struct log_stream actions, alerts;
	struct log_stream *actions_out, *alerts_out; /* borrowed: either
				 * of the above, or the syscall log's own
				 * stream when given the same path */
	int actions_idx, alerts_idx;
	bool open;		/* the files are open */
	struct chain_log *cl;	/* borrowed: the run's chain */
	int syscalls_idx;
	struct rules rules;
	struct aggregate ag;
	struct sys_summary sc;
};

static void agg_on_action(void *ctx, const struct action *a)
{
	struct agg_streams *as = ctx;
	struct buf *line = chain_log_begin(as->cl, as->actions_idx, "action");

	record_action(line, a, as->cl->streams[as->syscalls_idx].name);
	chain_log_end(as->cl, as->actions_idx);
}

static void agg_on_alert(void *ctx, const struct alert *al)
{
	struct agg_streams *as = ctx;
	struct buf *line = chain_log_begin(as->cl, as->alerts_idx, "alert");

	record_alert(line, al, as->cl->streams[as->syscalls_idx].name);
	chain_log_end(as->cl, as->alerts_idx);
}

/*
 * Opens one of the aggregator's files as stream `name`; the same path as
 * the syscall log (-o, not '-') means that file: the streams share it.
 */
static int agg_stream(struct agg_streams *as, struct log_stream *own,
		      struct log_stream *syscalls, const char *name,
		      const char *path, struct log_stream **ret_out)
{
	const char *why = NULL;
	int r;

	if (strcmp(path, "-") != 0 && strcmp(path, capsule_cfg.output) == 0) {
		*ret_out = syscalls;
		return chain_log_add_stream(as->cl, name, syscalls);
	}
	r = alert_stream_open(as->cl, own, name, path, &why);
	if (r < 0) {
		error_always("cannot open %s log %s: %s", name, path,
			     why ? why : strerror(-r));
		return r;
	}
	*ret_out = own;
	return r;
}

/* Opens the actions and alerts files as streams of `cl`: 0 or EXIT_LOG. */
static int agg_open(struct agg_streams *as, struct chain_log *cl,
		    int syscalls_idx, struct log_stream *syscalls)
{
	int r;

	as->cl = cl;
	as->syscalls_idx = syscalls_idx;
	r = agg_stream(as, &as->actions, syscalls, ACTIONS_STREAM,
		       capsule_cfg.actions_output, &as->actions_out);
	if (r < 0)
		return EXIT_LOG;
	as->actions_idx = r;
	r = agg_stream(as, &as->alerts, syscalls, ALERTS_STREAM,
		       capsule_cfg.alerts_output, &as->alerts_out);
	if (r < 0) {
		if (as->actions_out == &as->actions)
			(void)log_stream_close(&as->actions);
		return EXIT_LOG;
	}
	as->alerts_idx = r;
	as->open = true;
	aggregate_init(&as->ag, &as->rules, capsule_cfg.action_window_ns,
		       agg_on_action, agg_on_alert, as);
	return 0;
}

/* After syscall record `ev` was written to the chain. */
static void agg_call(struct agg_streams *as, const struct call_event *ev,
		     const struct call_view *view)
{
	const struct chain *c = &as->cl->streams[as->syscalls_idx];
	struct rec_ref ref;

	ref.seq = c->seq - 1;
	memcpy(ref.hash, c->head, sizeof(ref.hash));
	aggregate_call(&as->ag, ev, view, &ref);
}

/* chain_log's on_settle: a held record's hash. */
static void held_hashed(void *ctx, int idx, uint64_t seq,
			const uint8_t hash[BLAKE3_OUT_LEN])
{
	struct pipeline *p = ctx;

	if (idx != p->syscalls_idx)
		return;
	for (size_t i = 0; i < p->nheld; i++)
		if (p->held[i].ref.seq == seq)
			memcpy(p->held[i].ref.hash, hash, BLAKE3_OUT_LEN);
}

/* Holds syscall record `ev` (ownership moves) with a copy of `view`. */
static void hold_call(struct pipeline *p, const struct call_event *ev,
		      const struct call_view *view)
{
	struct held_call *h = &p->held[p->nheld++];

	h->ev = *ev;
	h->view = *view;
	for (int k = 0; k < HELD_STRS; k++) {
		const char **f = (const char **)((char *)&h->view +
						 view_strs[k]);

		h->str[k] = 0;
		if (*f != NULL) {
			h->str[k] = p->held_strs.len + 1;
			buf_add(&p->held_strs, *f, strlen(*f) + 1);
			*f = NULL;
		}
	}
	h->ref.seq = p->cl.streams[p->syscalls_idx].seq;
}

/* The held records, settled: aggregated in order, then released. */
static void drain_held(struct pipeline *p)
{
	for (size_t i = 0; i < p->nheld; i++) {
		struct held_call *h = &p->held[i];
		uint64_t w = h->ev.blob_len;

		for (int k = 0; k < HELD_STRS; k++)
			if (h->str[k] != 0)
				*(const char **)((char *)&h->view +
						 view_strs[k]) =
					p->held_strs.s + h->str[k] - 1;
		aggregate_call(&p->agg->ag, &h->ev, &h->view, &h->ref);
		call_event_release(&h->ev);
		if (w)
			queue_unweigh(&p->q, w);
	}
	p->nheld = 0;
	buf_reset(&p->held_strs);
}

/* Hashes what the chain holds and aggregates it. */
static void settle_held(struct pipeline *p)
{
	chain_log_settle(&p->cl);
	drain_held(p);
}

/* The pipeline's wait deadline: the earlier of the seal's and actions'. */
static uint64_t pipeline_deadline(const struct pipeline *p)
{
	uint64_t a = chain_log_deadline(&p->cl), b;

	if (p->agg == NULL)
		return a;
	b = aggregate_deadline(&p->agg->ag);
	return a == 0 || (b != 0 && b < a) ? b : a;
}

static void *pipeline_main(void *arg)
{
	struct pipeline *p = arg;
	struct call_event ev;
	struct call_view view;
	struct proc_view pv;
	struct buf *line, text = BUF_INIT;
	uint64_t w;
	bool held;
	int r;

	if (p->agg != NULL && !p->text) {
		/* NULL (out of memory): every record hashed at once */
		p->held = calloc(CHAIN_BATCH_MAX, sizeof(*p->held));
		p->cl.on_settle = held_hashed;
		p->cl.on_settle_ctx = p;
	}
	/* the wait times out when a timed seal or an action window is due */
	while ((r = queue_wait_until(&p->q, pipeline_deadline(p))) != 0) {
		while (queue_try_pop(&p->q, &ev)) {
			if (ev.kind == EV_PROCESS) {
				settle_held(p); /* in order with the calls */
				if (!p->text)
					write_process(p, &ev, &text);
				if (p->agg != NULL)
					aggregate_process(
						&p->agg->ag, &ev,
						enrich_proc_view(&p->en, ev.pid,
								 &pv)
							? &pv
							: NULL);
				w = ev.blob_len;
				call_event_release(&ev);
				if (w)
					queue_unweigh(&p->q, w);
				continue;
			}
			mark_denied(p, &ev);
			held = false;
			if (p->text) {
				buf_reset(&text);
				record_syscall_text(&text, &ev);
				log_stream_add(&p->syscalls, text.s, text.len);
			} else {
				line = chain_log_begin(&p->cl, p->syscalls_idx,
						       "syscall");
				record_syscall(line, &ev);
				enrich_call_view(&p->en, &ev, line, &view);
				if (p->agg != NULL && p->held != NULL &&
				    !(ev.flags & (EVF_ALERT | EVF_SECCOMP_DENIED |
						  EVF_SYNC))) {
					/* hashed with the next ones */
					hold_call(p, &ev, &view);
					held = true;
					chain_log_end_batch(&p->cl,
							    p->syscalls_idx);
					if (p->cl.nbatch == 0)
						drain_held(p); /* settled */
				} else {
					/* now: settles what is held first */
					chain_log_end(&p->cl, p->syscalls_idx);
					if (p->agg != NULL)
						drain_held(p);
					if (p->alerts_idx >= 0 &&
					    (ev.flags &
					     (EVF_ALERT | EVF_SECCOMP_DENIED)))
						write_alert(p, &ev);
					if (p->agg != NULL)
						agg_call(p->agg, &ev, &view);
				}
			}
			if (p->agg != NULL && capsule_cfg.summary)
				sys_summary_add(&p->agg->sc, &ev);
			if (ev.flags & EVF_SYNC)
				sync_done(p);
			p->records++;
			if (held)
				continue; /* released by drain_held() */
			w = ev.blob_len;
			call_event_release(&ev);
			if (w)
				queue_unweigh(&p->q, w);
		}
		if (p->agg != NULL)
			settle_held(p); /* a drained batch waits for nothing */
		(void)log_stream_flush(&p->syscalls);
		if (p->agg != NULL) {
			aggregate_tick(&p->agg->ag, chain_now_ns());
			(void)log_stream_flush(p->agg->actions_out);
			(void)log_stream_flush(p->agg->alerts_out);
		}
		if (!p->text)
			chain_log_tick(&p->cl, chain_now_ns());
	}
	/* closed and drained: p->exit was set before queue_close() */
	if (p->agg != NULL) {
		settle_held(p);
		aggregate_flush(&p->agg->ag);
	}
	if (!p->text)
		p->final_err = chain_log_final(&p->cl, &p->exit);
	p->cl.on_settle = NULL;
	free(p->held);
	p->held = NULL;
	buf_release(&p->held_strs);
	buf_release(&text);
	return NULL;
}

void cmd_run_usage(const char *name)
{
	printf("usage: capsule %s [OPTIONS] [--] CMD [ARGS...]\n"
	       "\n"
	       "Runs CMD under ptrace and records every system call of it, its\n"
	       "threads and all its descendants, one JSON object per line.\n"
	       "\n"
	       "options:\n"
	       "  -o, --output FILE   syscall log (default %s;\n"
	       "                      '-' for standard output)\n"
	       "      --trace CLASSES stop only at calls of these classes\n"
	       "                      (comma-separated: file desc network\n"
	       "                      process creds ipc memory signal time\n"
	       "                      system sched misc; security (preset);\n"
	       "                      all, the default); see\n"
	       "                      docs/tracing-classes.md\n"
	       "      --pin           keep capsule's tracer and CMD on one CPU\n"
	       "                      for the whole run (default: until CMD\n"
	       "                      wants more than one CPU)\n"
	       "      --no-pin        let the scheduler place them\n"
	       "      --allow-clone3  let clone3 run (default: it fails with\n"
	       "                      ENOSYS and libc uses clone); a child of\n"
	       "                      clone3 may then start untraced and be\n"
	       "                      attached late (README.md)\n"
	       "      --seccomp PROFILE confine CMD with this seccomp profile\n"
	       "                      (OCI JSON, e.g. from capsule profile);\n"
	       "                      denied calls are marked in the log\n"
	       "                      and raise alerts\n"
	       "      --policy FILE   enforce this policy (docs/policy.md):\n"
	       "                      deny, kill or log calls by syscall,\n"
	       "                      class, path, network destination or\n"
	       "                      program; every verdict is an alert,\n"
	       "                      on disk before the call is refused\n"
	       "      --policy-mode M enforce (default: as the file says) or\n"
	       "                      audit (alert only, deny nothing)\n"
	       "  -q, --quiet         no capsule: messages on stderr (nor the\n"
	       "                      final head)\n"
	       "  -s N                bytes of data strings shown (default %d)\n"
	       "      --data N        record the first N bytes of data read\n"
	       "                      and written (default: none)\n"
	       "      --env-values    record execve's environment values\n"
	       "                      (default: variable names only)\n"
	       "      --format F      json (default) or text (strace-like)\n"
	       "      --seal-key FILE seal the log with the key in FILE (made\n"
	       "                      by 'capsule keygen'; not in the log's\n"
	       "                      directory)\n"
	       "      --seal-every N  seal at least every N records (%d)\n"
	       "      --seal-interval SEC\n"
	       "                      and at least every SEC seconds (%g)\n"
	       "      --actions-output FILE\n"
	       "                      actions log (default %s;\n"
	       "                      the -o FILE itself: one file)\n"
	       "      --alerts-output FILE\n"
	       "                      alerts log (default %s)\n"
	       "      --action-window SEC\n"
	       "                      an open action is written after SEC\n"
	       "                      seconds at most (default %g)\n"
	       "      --allow-net CIDR[:PORT]\n"
	       "                      egress there raises no alert\n"
	       "                      (repeatable; IPv6 as [CIDR]:PORT)\n"
	       "      --rules FILE    rules configuration (JSON; see\n"
	       "                      docs/rules.md)\n"
	       "      --summary       add a per-syscall count and time table\n"
	       "                      to the end-of-run summary\n"
	       "      --fail-on SEV   exit %d if an alert of severity SEV\n"
	       "                      (low medium high critical) or above\n"
	       "                      fired\n"
	       "  -h, --help          this text\n"
	       "\n"
	       "exit status: CMD's own, or 128+N if a signal N killed it;\n"
	       "  %d usage error, %d log cannot be opened or written,\n"
	       "  %d tracing not permitted, %d other capsule failure,\n"
	       "  %d CMD cannot be executed, %d CMD not found,\n"
	       "  %d an alert at or above --fail-on.\n",
	       name, CAPSULE_DEFAULT_LOG, CAPSULE_DEFAULT_STRSIZE,
	       CAPSULE_SEAL_EVERY, CAPSULE_SEAL_INTERVAL_NS / 1e9,
	       CAPSULE_DEFAULT_ACTIONS, CAPSULE_DEFAULT_ALERTS,
	       CAPSULE_ACTION_WINDOW_NS / 1e9, EXIT_ALERT, EXIT_USAGE,
	       EXIT_LOG, EXIT_PTRACE, EXIT_INTERNAL, EXIT_NOEXEC,
	       EXIT_NOTFOUND, EXIT_ALERT);
}

/*
 * Finds CMD as execvp(3) would: a name with a slash is used as is,
 * otherwise each PATH entry is tried.  Returns 0 with the path in *out,
 * -ENOENT if nowhere, -EACCES if found but not executable.
 */
static int resolve_command(const char *cmd, struct buf *out)
{
	const char *path = getenv("PATH"), *p, *end;
	struct stat st;
	int seen_noexec = 0;

	if (strchr(cmd, '/') != NULL) {
		if (stat(cmd, &st) < 0)
			return -errno;
		if (!S_ISREG(st.st_mode) || access(cmd, X_OK) < 0)
			return -EACCES;
		buf_adds(out, cmd);
		return 0;
	}
	if (*cmd == '\0')
		return -ENOENT;
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		buf_reset(out);
		if (end == p)
			buf_adds(out, ".");
		else
			buf_add(out, p, (size_t)(end - p));
		buf_addch(out, '/');
		buf_adds(out, cmd);
		if (stat(out->s, &st) == 0) {
			if (S_ISREG(st.st_mode) && access(out->s, X_OK) == 0)
				return 0;
			seen_noexec = 1;
		}
		if (*end == '\0')
			break;
	}
	buf_reset(out);
	return seen_noexec ? -EACCES : -ENOENT;
}

/* A decimal count for -s / --data: 0 .. 1 MiB.  Returns 0 or -1. */
static int parse_count(const char *s, unsigned *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end != '\0' || *s == '-' || v > 1048576)
		return -1;
	*ret = (unsigned)v;
	return 0;
}

static int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_INTERNAL;
}

/* --seal-every N, --seal-interval SEC into capsule_cfg; 0 or -1. */
static int parse_seal_option(int opt, const char *arg)
{
	char *end;
	double sec;
	unsigned long long n;

	errno = 0;
	if (opt == 'E') {
		n = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || n == 0 || *arg == '-')
			return error_always("--seal-every: not a positive "
					    "count: %s", arg);
		capsule_cfg.seal_every = n;
		return 0;
	}
	sec = strtod(arg, &end);
	if (errno || end == arg || *end || !(sec >= 0.001 && sec <= 86400))
		return error_always("--seal-interval: not a number of seconds "
				    "in [0.001, 86400]: %s", arg);
	capsule_cfg.seal_interval_ns = (uint64_t)(sec * 1e9);
	return 0;
}

/* Loads the sealing key, refusing one that sits beside the log. */
static int load_seal_key(const char *file, struct seal_key **ret)
{
	int r;

	if (strcmp(capsule_cfg.output, "-") != 0) {
		r = seal_key_check_apart(file, capsule_cfg.output);
		if (r == -EEXIST)
			return error_always("seal key %s: refusing a key inside "
					    "the log's directory", file);
		if (r < 0)
			return error_always("seal key %s: %s", file,
					    strerror(-r));
	}
	r = seal_key_load(file, ret);
	if (r == -EPERM)
		return error_always("seal key %s: readable by others "
				    "(chmod 600)", file);
	if (r == -EINVAL)
		return error_always("seal key %s: not a capsule key file", file);
	if (r < 0)
		return error_always("seal key %s: %s", file, strerror(-r));
	return 0;
}

/*
 * --policy FILE [--policy-mode M]: loads the policy and builds its
 * seccomp filter.  Returns 0, or -errno after saying why.
 */
static int load_policy(const char *file, const char *mode,
		       struct policy **ret)
{
	struct policy *pol;
	const char *why;
	int r;

	r = policy_load(file, &pol, &why);
	if (r < 0) {
		error_always("policy %s: %s", file, why ? why : strerror(-r));
		return r;
	}
	if (mode != NULL)
		policy_set_audit(pol, strcmp(mode, "audit") == 0);
	r = policy_seccomp_build(pol);
	if (r < 0) {
		error_always("policy %s: cannot build its seccomp filter: %s",
			     file, strerror(-r));
		policy_free(pol);
		return r;
	}
	*ret = pol;
	return 0;
}

#define AGG_MAX_ALLOW_NET 64

/* The aggregator's options into capsule_cfg (and --allow-net specs). */
static int parse_agg_option(int opt, const char *arg, const char **nets,
			    size_t *nnets)
{
	struct rules t;
	char *end;
	double sec;
	int r;

	switch (opt) {
	case 'A':
		capsule_cfg.actions_output = arg;
		return 0;
	case 'L':
		capsule_cfg.alerts_output = arg;
		return 0;
	case 'W':
		errno = 0;
		sec = strtod(arg, &end);
		if (errno || end == arg || *end || !(sec >= 0.001 && sec <= 3600))
			return error_always("--action-window: not a number of "
					    "seconds in [0.001, 3600]: %s",
					    arg);
		capsule_cfg.action_window_ns = (uint64_t)(sec * 1e9);
		return 0;
	case 'N':
		memset(&t, 0, sizeof(t));
		r = rules_allow_net(&t, arg);
		free(t.nets);
		if (r < 0)
			return error_always("--allow-net: not CIDR[:PORT] or "
					    "[CIDR6][:PORT]: %s", arg);
		if (*nnets == AGG_MAX_ALLOW_NET)
			return error_always("--allow-net: more than %d entries "
					    "(use a --rules file)",
					    AGG_MAX_ALLOW_NET);
		nets[(*nnets)++] = arg;
		return 0;
	case 'R':
		capsule_cfg.rules_file = arg;
		return 0;
	case 'Y':
		capsule_cfg.summary = true;
		return 0;
	default: /* 'Z' */
		r = severity_from_name(arg);
		if (r < 0)
			return error_always("--fail-on: low, medium, high or "
					    "critical, not %s", arg);
		capsule_cfg.fail_on = r;
		return 0;
	}
}

/* The rules: defaults, --rules FILE, --allow-net.  0 or -1 (reported). */
static int agg_rules(struct rules *rs, const char **nets, size_t nnets)
{
	struct buf why = BUF_INIT;
	size_t i;
	int r = 0;

	rules_init(rs);
	if (capsule_cfg.rules_file != NULL) {
		r = rules_load(rs, capsule_cfg.rules_file, &why);
		if (r < 0)
			error_always("rules file %s: %s", capsule_cfg.rules_file,
				     why.len ? why.s : strerror(-r));
	}
	for (i = 0; r == 0 && i < nnets; i++)
		r = rules_allow_net(rs, nets[i]);
	buf_release(&why);
	if (r < 0) {
		rules_release(rs);
		return -1;
	}
	return 0;
}

/* Closes the aggregator's files: 0 or the first -errno. */
static int agg_close(struct agg_streams *as)
{
	int r1 = 0, r2 = 0;

	if (!as->open)
		return 0;
	as->open = false;
	if (as->actions_out == &as->actions)
		r1 = log_stream_close(&as->actions);
	if (as->alerts_out == &as->alerts)
		r2 = log_stream_close(&as->alerts);
	return r1 < 0 ? r1 : r2;
}

/*
 * End of run: the summary on stderr (unless -q), the --summary table, and
 * --fail-on.  Returns the exit code: EXIT_ALERT when an alert at or above
 * --fail-on fired (whatever the command's own status: CI asks about the
 * alerts), unless the log itself failed; `code` otherwise.
 */
static int agg_report(struct agg_streams *as, int code)
{
	struct buf b = BUF_INIT;
	char *line, *save = NULL;

	if (as->cl == NULL)
		return code;
	if (!capsule_cfg.quiet) {
		agg_summary(&as->ag.stats, &b);
		if (as->ag.stats.cap_hits)
			buf_addf(&b, "summary: %llu action(s) ended early at "
				     "the cap of %d open actions\n",
				 (unsigned long long)as->ag.stats.cap_hits,
				 AGG_MAX_OPEN);
		for (line = strtok_r(b.s, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			error("%s", line);
		if (capsule_cfg.summary) {
			buf_reset(&b);
			sys_summary_table(&as->sc, &b);
			fputs(b.s, stderr);
		}
	}
	buf_release(&b);
	if (capsule_cfg.fail_on != SEV_NONE &&
	    as->ag.stats.max_severity >= capsule_cfg.fail_on &&
	    code != EXIT_LOG) {
		error("an alert at or above %s fired (--fail-on): exit %d",
		      severity_name(capsule_cfg.fail_on), EXIT_ALERT);
		return EXIT_ALERT;
	}
	return code;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "seccomp", required_argument, NULL, 'S' },
		{ "trace", required_argument, NULL, 'T' },
		{ "pin", no_argument, NULL, 'p' },
		{ "no-pin", no_argument, NULL, 'u' },
		{ "data", required_argument, NULL, 'D' },
		{ "env-values", no_argument, NULL, 'V' },
		{ "format", required_argument, NULL, 'F' },
		{ "seal-key", required_argument, NULL, 'K' },
		{ "seal-every", required_argument, NULL, 'E' },
		{ "seal-interval", required_argument, NULL, 'I' },
		{ "policy", required_argument, NULL, 'P' },
		{ "policy-mode", required_argument, NULL, 'M' },
		{ "actions-output", required_argument, NULL, 'A' },
		{ "alerts-output", required_argument, NULL, 'L' },
		{ "action-window", required_argument, NULL, 'W' },
		{ "allow-net", required_argument, NULL, 'N' },
		{ "rules", required_argument, NULL, 'R' },
		{ "summary", no_argument, NULL, 'Y' },
		{ "fail-on", required_argument, NULL, 'Z' },
		{ "allow-clone3", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char *nets[AGG_MAX_ALLOW_NET];
	size_t nnets = 0;
	struct agg_streams as;
	struct seccomp_filter *filter = NULL;
	const char *seccomp_path = NULL;
	struct traceset ts = { 0 };
	enum place_mode place = PLACE_AUTO;
	bool allow_clone3 = false;
	struct child_filters cf;
	const char *bad;
	const char *policy_path = NULL, *policy_mode = NULL;
	struct policy *policy = NULL;
	struct enforcer *enf = NULL;
	struct genesis_info gi = { 0 };
	struct seal_key *key = NULL;
	struct timespec start;
	char head[CHAIN_HEX_LEN + 1];
	struct pipeline p;
	struct tracer tr;
	struct capture cap;
	struct capture_opts cap_opts;
	struct enrich_probe probe;
	struct call_event ev;
	struct buf path = BUF_INIT;
	sigset_t child_mask, child_ign, all, old;
	struct sigaction sa, cur;
	const char *why;
	pthread_t thread;
	int c, r, sig, code;

	if (argc == 1) {
		cmd_run_usage(argv[0]);
		return 0;
	}
	optind = 1;
	/* '+': stop at the first non-option, CMD's own options are its own */
	while ((c = getopt_long(argc, argv, "+o:qhs:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			capsule_cfg.output = optarg;
			break;
		case 'q':
			capsule_cfg.quiet = true;
			break;
		case 'p':
			place = PLACE_PIN;
			break;
		case 'u':
			place = PLACE_OFF;
			break;
		case 'C':
			allow_clone3 = true;
			break;
		case 'T':
			if (traceset_parse(&ts, optarg, &bad) < 0) {
				error_always("--trace: unknown class '%s' (see "
					     "capsule run --help)", bad);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			seccomp_path = optarg;
			break;
		case 'h':
			cmd_run_usage(argv[0]);
			return 0;
		case 's':
			if (parse_count(optarg, &capsule_cfg.strsize) < 0) {
				error_always("-s: not a size: %s", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'D':
			if (parse_count(optarg, &capsule_cfg.data) < 0) {
				error_always("--data: not a size: %s", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'V':
			capsule_cfg.env_values = true;
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0) {
				capsule_cfg.format_text = false;
			} else if (strcmp(optarg, "text") == 0) {
				capsule_cfg.format_text = true;
			} else {
				error_always("--format: json or text, not %s",
					     optarg);
				return EXIT_USAGE;
			}
			break;
		case 'K':
			capsule_cfg.seal_key = optarg;
			break;
		case 'E':
		case 'I':
			if (parse_seal_option(c, optarg) < 0)
				return EXIT_USAGE;
			break;
		case 'P':
			policy_path = optarg;
			break;
		case 'M':
			if (strcmp(optarg, "audit") != 0 &&
			    strcmp(optarg, "enforce") != 0) {
				error_always("--policy-mode: enforce or audit, "
					     "not %s", optarg);
				return EXIT_USAGE;
			}
			policy_mode = optarg;
			break;
		case 'A':
		case 'L':
		case 'W':
		case 'N':
		case 'R':
		case 'Y':
		case 'Z':
			if (parse_agg_option(c, optarg, nets, &nnets) < 0)
				return EXIT_USAGE;
			break;
		default:
			fprintf(stderr, "Run 'capsule %s --help' for usage.\n",
				argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		error_always("%s: no command given", argv[0]);
		return EXIT_USAGE;
	}

	r = resolve_command(argv[optind], &path);
	if (r < 0)
		buf_release(&path);
	if (r == -ENOENT) {
		error_always("%s: command not found", argv[optind]);
		buf_release(&path);
		return EXIT_NOTFOUND;
	}
	if (r < 0) {
		error_always("%s: cannot execute: %s", argv[optind],
			     strerror(-r));
		buf_release(&path);
		return EXIT_NOEXEC;
	}

	/* placement corrects the affinity calls: they must stop */
	ts.affinity = place != PLACE_OFF;
	r = traceset_build(&ts);
	if (r < 0) {
		error_always("--trace: cannot build the filter: %s",
			     strerror(-r));
		buf_release(&path);
		return EXIT_INTERNAL;
	}
	syscalls_init(); /* names, for the policy and the decoder */
	if (seccomp_path != NULL) {
		r = seccomp_filter_load(seccomp_path, &filter, &why);
		if (r < 0) {
			error_always("seccomp profile %s: %s", seccomp_path,
				     why ? why : strerror(-r));
			buf_release(&path);
			return r == -EINVAL ? EXIT_USAGE : EXIT_INTERNAL;
		}
		if (seccomp_filter_skipped_rules(filter))
			error("seccomp profile %s: %u rule(s) with Docker "
			      "\"includes\" conditions left out (denied)",
			      seccomp_path,
			      seccomp_filter_skipped_rules(filter));
	}

	if (policy_path != NULL && ts.classes != 0) {
		/*
		 * A call the --trace filter lets run without a stop is a
		 * call no argument-level rule could see: refuse the mix
		 * rather than enforce a policy with holes in it.
		 */
		error_always("--policy needs every call to stop: it cannot "
			     "be combined with --trace %s", "(other than all)");
		buf_release(&path);
		return EXIT_USAGE;
	}
	if (policy_path != NULL) {
		r = load_policy(policy_path, policy_mode, &policy);
		if (r < 0) {
			seccomp_filter_free(filter);
			buf_release(&path);
			return r == -EINVAL ? EXIT_USAGE : EXIT_INTERNAL;
		}
	} else if (policy_mode != NULL) {
		error_always("--policy-mode needs --policy");
		seccomp_filter_free(filter);
		buf_release(&path);
		return EXIT_USAGE;
	}
	memset(&as, 0, sizeof(as));
	if (agg_rules(&as.rules, nets, nnets) < 0) {
		seccomp_filter_free(filter);
		buf_release(&path);
		return EXIT_USAGE;
	}
	if (capsule_cfg.format_text &&
	    policy != NULL) {
		error_always("--policy needs the JSON log, "
			     "not --format text");
		policy_free(policy);
		seccomp_filter_free(filter);
		buf_release(&path);
		return EXIT_USAGE;
	}
	if (capsule_cfg.format_text && (capsule_cfg.fail_on != SEV_NONE ||
					capsule_cfg.summary)) {
		error_always("--fail-on and --summary need the JSON log, not "
			     "--format text");
		rules_release(&as.rules);
		seccomp_filter_free(filter);
		buf_release(&path);
		return EXIT_USAGE;
	}
	if (capsule_cfg.format_text && capsule_cfg.seal_key != NULL) {
		error_always("--seal-key needs the JSON log, not --format text");
		buf_release(&path);
		return EXIT_USAGE;
	}
	/* the key is read before any thread or child exists */
	if (capsule_cfg.seal_key != NULL &&
	    load_seal_key(capsule_cfg.seal_key, &key) < 0) {
		buf_release(&path);
		return EXIT_USAGE;
	}
	r = log_stream_open(&p.syscalls, capsule_cfg.output, &why);
	if (r < 0) {
		error_always("cannot open log %s: %s", capsule_cfg.output,
			     why ? why : strerror(-r));
		buf_release(&path);
		seal_key_free(key);
		rules_release(&as.rules);
		return EXIT_LOG;
	}
	/* policy and seccomp alerts go to the aggregator's alerts stream */
	p.alerts_idx = -1;
	p.alerts = NULL;
	chain_log_init(&p.cl, key, capsule_cfg.seal_every,
		       capsule_cfg.seal_interval_ns);
	/* --format text is for people: no chain, no genesis, no seals */
	p.syscalls_idx = -1;
	p.agg = NULL;
	r = 0;
	if (!capsule_cfg.format_text) {
		p.syscalls_idx = chain_log_add_stream(&p.cl, "syscalls",
						      &p.syscalls);
		if (agg_open(&as, &p.cl, p.syscalls_idx, &p.syscalls) != 0) {
			log_stream_close(&p.syscalls);
			chain_log_release(&p.cl);
			rules_release(&as.rules);
			buf_release(&path);
			seal_key_free(key);
			return EXIT_LOG;
		}
		p.agg = &as;
		if (capsule_cfg.summary)
			sys_summary_init(&as.sc);
		if (policy != NULL || filter != NULL) {
			p.alerts_idx = as.alerts_idx;
			p.alerts = as.alerts_out;
		}
		clock_gettime(CLOCK_REALTIME, &start);
		gi.argv = argv + optind;
		gi.start_sec = start.tv_sec;
		gi.start_nsec = start.tv_nsec;
		r = chain_log_genesis(&p.cl, &gi);
	}
	if (r < 0) {
		error_always("cannot start the log: %s", strerror(-r));
		return EXIT_INTERNAL;
	}
	p.exit.code = EXIT_INTERNAL;
	p.final_err = 0;
	p.records = 0;
	p.seccomp = filter;
	p.denied = 0;
	p.text = capsule_cfg.format_text;
	p.policy = policy;
	p.nalerts = 0;
	p.scratch = (struct buf)BUF_INIT;
	p.held = NULL; /* pipeline_main()'s */
	p.nheld = 0;
	p.held_strs = (struct buf)BUF_INIT;
	pthread_mutex_init(&p.sync_mu, NULL);
	pthread_cond_init(&p.sync_cv, NULL);
	p.sync_sent = p.sync_done = 0;
	p.sync_err = 0;
	cap_opts.strsize = capsule_cfg.strsize;
	cap_opts.data = capsule_cfg.data;
	cap_opts.env_values = capsule_cfg.env_values;
	capture_init(&cap, &cap_opts);
	enrich_init(&p.en, &probe);
	if (queue_init(&p.q, sizeof(struct call_event), QUEUE_EVENTS) < 0) {
		error_always("out of memory");
		return EXIT_INTERNAL;
	}
	queue_set_budget(&p.q, QUEUE_BLOB_BUDGET);

	/* the command starts with the signal state capsule was given */
	sigprocmask(SIG_SETMASK, NULL, &child_mask);
	sigemptyset(&child_ign);
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, NULL, &cur) == 0 &&
		    cur.sa_handler == SIG_IGN)
			sigaddset(&child_ign, sig);
	signal(SIGPIPE, SIG_IGN);

	/* the pipeline thread takes no signals: they interrupt waitpid */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&thread, NULL, pipeline_main, &p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		error_always("cannot start the pipeline thread: %s",
			     strerror(r));
		return EXIT_INTERNAL;
	}

	tracer_init(&tr);
	cf.place = &tr.place;
	cf.trace = &ts;
	cf.seccomp = filter;
	cf.policy = policy;
	tr.child_setup = apply_filters;
	tr.child_setup_ctx = &cf;
	tr.seccomp_mode = ts.prog != NULL;
	tr.allow_clone3 = allow_clone3;
	place_init(&tr.place, place);
	if (policy != NULL) {
		enf = calloc(1, sizeof(*enf));
		if (enf == NULL) {
			error_always("out of memory");
			return EXIT_INTERNAL;
		}
		enf->policy = policy;
		enf->p = &p;
		tr.enforce.reads_memory = enforce_reads_memory;
		tr.enforce.decide = enforce_decide;
		tr.enforce.commit = enforce_commit;
		tr.enforce.ctx = enf;
	}
	r = tracer_start(&tr, path.s, argv + optind, environ, &child_mask,
			 &child_ign);
	if (r < 0) {
		error_always("cannot trace %s: ptrace: %s", argv[optind],
			     strerror(-r));
		queue_close(&p.q);
		pthread_join(thread, NULL);
		log_stream_close(&p.syscalls);
		agg_close(&as);
		chain_log_release(&p.cl);
		seal_key_free(key);
		return r == -EPERM || r == -ENOSYS ? EXIT_PTRACE
						   : EXIT_INTERNAL;
	}
	tr.capture = decode_capture;
	tr.capture_ctx = &cap;
	place_threads(&tr.place, thread);
	if (!p.text) {
		tr.process = enrich_probe_hook;
		tr.process_ctx = &probe;
	}
	forward_pidfd = tr.pidfd;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward_signal;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: waitpid returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	while ((r = tracer_next(&tr, &ev)) != 0) {
		if (r == -EINTR)
			continue;
		if (r < 0) {
			error_always("tracing failed: %s", strerror(-r));
			break;
		}
		queue_push_weighted(&p.q, &ev, ev.blob_len);
	}
	forward_pidfd = -1;
	place_stop(&tr.place);
	code = tr.root_done ? exit_code_of(tr.root_status) : EXIT_INTERNAL;
	/* for the final seal; queue_close() publishes it to the pipeline */
	p.exit.code = code;
	p.exit.signal = tr.root_done && WIFSIGNALED(tr.root_status)
				? WTERMSIG(tr.root_status)
				: 0;
	queue_close(&p.q);
	pthread_join(thread, NULL);

	if (tr.root_exec_errno) {
		error_always("cannot execute %s: %s", path.s,
			     strerror(tr.root_exec_errno));
		code = tr.root_exec_errno == ENOENT ? EXIT_NOTFOUND
						    : EXIT_NOEXEC;
	}
	report_placement(&tr.place);
	if (tr.nr_clone3_refused)
		error("%llu clone3 call(s) made to fail with ENOSYS (libc falls "
		      "back to clone; --allow-clone3 lets them run)",
		      (unsigned long long)tr.nr_clone3_refused);
	if (tr.nr_late_attach)
		error_always("warning: %llu child task(s) escaped automatic "
			     "attachment and were attached late",
			     (unsigned long long)tr.nr_late_attach);
	r = log_stream_close(&p.syscalls);
	if (r == 0)
		r = agg_close(&as);
	if (r == 0)
		r = p.final_err;
	if (r == 0)
		r = p.sync_err;
	if (r < 0) {
		error_always("writing log %s failed: %s (%llu records lost)",
			     capsule_cfg.output, strerror(-r),
			     (unsigned long long)p.syscalls.lines_lost);
		code = EXIT_LOG;
	} else {
		error("%llu syscalls recorded in %s (%llu /proc snapshots, "
		      "%.0f us each on average)",
		      (unsigned long long)p.records,
		      strcmp(capsule_cfg.output, "-") ? capsule_cfg.output
						      : "standard output",
		      (unsigned long long)probe.nsnap,
		      probe.nsnap ? probe.snap_ns / 1e3 / (double)probe.nsnap
				  : 0.0);
		if (!p.text) {
			hex_encode(p.cl.seal.head, sizeof(p.cl.seal.head),
				   head);
			error("final head %s", head);
		}
	}
	if (p.alerts_idx >= 0 && p.nalerts)
		error("%llu policy/seccomp alert(s) in %s",
		      (unsigned long long)p.nalerts, capsule_cfg.alerts_output);
	if (enf != NULL && enf->nsync)
		error("%llu call(s) refused by the policy; %.1f us each to "
		      "make the alert durable",
		      (unsigned long long)enf->nsync,
		      (double)enf->sync_ns / 1e3 / (double)enf->nsync);
	if (p.denied)
		error("%llu syscall(s) denied by the seccomp profile (marked "
		      "\"denied_by\":\"seccomp\" in the log)",
		      (unsigned long long)p.denied);
	code = agg_report(&as, code);
	seccomp_filter_free(filter);
	traceset_release(&ts);
	policy_free(policy);
	free(enf);
	buf_release(&p.scratch);
	pthread_mutex_destroy(&p.sync_mu);
	pthread_cond_destroy(&p.sync_cv);
	chain_log_release(&p.cl);
	seal_key_free(key);
	tracer_release(&tr);
	capture_release(&cap);
	enrich_release(&p.en);
	aggregate_release(&as.ag);
	sys_summary_release(&as.sc);
	rules_release(&as.rules);
	queue_release(&p.q);
	buf_release(&path);
	return code;
}
