/*
 * summary.c: end-of-run summaries (summary.h).
 */
#include "aggregate/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/syscalls.h"
#include "enrich/classes.h"

void sys_summary_init(struct sys_summary *s)
{
	int abi;

	memset(s, 0, sizeof(*s));
	for (abi = 0; abi < _ABI_MAX; abi++) {
		s->c[abi] = calloc(SUMMARY_MAX_NR, sizeof(*s->c[abi]));
		if (s->c[abi] == NULL) {
			fputs("capsule: out of memory\n", stderr);
			abort();
		}
	}
}

void sys_summary_release(struct sys_summary *s)
{
	int abi;

	if (s == NULL)
		return;
	for (abi = 0; abi < _ABI_MAX; abi++) {
		free(s->c[abi]);
		s->c[abi] = NULL;
	}
}

void sys_summary_add(struct sys_summary *s, const struct call_event *ev)
{
	struct sys_count *c;

	if (ev->abi >= _ABI_MAX || ev->nr < 0 || ev->nr >= SUMMARY_MAX_NR)
		return;
	c = &s->c[ev->abi][ev->nr];
	c->calls++;
	if (ev->is_error)
		c->errors++;
	if (!ev->unfinished)
		c->ns += ev->dur_ns;
	s->total_calls++;
}

struct row {
	int abi, nr;
	const struct sys_count *c;
};

static int by_time(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->c->ns != y->c->ns)
		return x->c->ns < y->c->ns ? 1 : -1;
	if (x->c->calls != y->c->calls)
		return x->c->calls < y->c->calls ? 1 : -1;
	return x->abi != y->abi ? x->abi - y->abi : x->nr - y->nr;
}

void sys_summary_table(const struct sys_summary *s, struct buf *out)
{
	struct row *rows;
	size_t n = 0, i;
	uint64_t total_ns = 0, total_calls = 0, total_err = 0;
	const char *name;
	char tmp[32], errs[24];
	int abi, nr;

	rows = calloc((size_t)_ABI_MAX * SUMMARY_MAX_NR, sizeof(*rows));
	if (rows == NULL)
		return;
	for (abi = 0; abi < _ABI_MAX; abi++)
		for (nr = 0; nr < SUMMARY_MAX_NR; nr++)
			if (s->c[abi][nr].calls) {
				rows[n].abi = abi;
				rows[n].nr = nr;
				rows[n++].c = &s->c[abi][nr];
				total_ns += s->c[abi][nr].ns;
			}
	qsort(rows, n, sizeof(*rows), by_time);
	buf_addf(out, "%6s %11s %11s %9s %9s %s\n", "% time", "seconds",
		 "usecs/call", "calls", "errors", "syscall");
	buf_addf(out, "------ ----------- ----------- --------- --------- "
		      "----------------\n");
	for (i = 0; i < n; i++) {
		const struct sys_count *c = rows[i].c;

		name = syscall_name(rows[i].abi, rows[i].nr);
		if (name == NULL) {
			snprintf(tmp, sizeof(tmp), "syscall_%d", rows[i].nr);
			name = tmp;
		}
		errs[0] = '\0';
		if (c->errors)
			snprintf(errs, sizeof(errs), "%llu",
				 (unsigned long long)c->errors);
		buf_addf(out, "%6.2f %11.6f %11.0f %9llu %9s %s",
			 total_ns ? 100.0 * (double)c->ns / (double)total_ns
				  : 0.0,
			 (double)c->ns / 1e9,
			 (double)c->ns / 1e3 / (double)c->calls,
			 (unsigned long long)c->calls, errs, name);
		if (rows[i].abi != ABI_X86_64)
			buf_addf(out, " (%s)", abi_name(rows[i].abi));
		buf_addch(out, '\n');
		total_calls += c->calls;
		total_err += c->errors;
	}
	buf_addf(out, "------ ----------- ----------- --------- --------- "
		      "----------------\n");
	buf_addf(out, "%6s %11.6f %11.0f %9llu %9llu %s\n", "100.00",
		 (double)total_ns / 1e9,
		 total_calls ? (double)total_ns / 1e3 / (double)total_calls
			     : 0.0,
		 (unsigned long long)total_calls,
		 (unsigned long long)total_err, "total");
	free(rows);
}

void agg_summary(const struct agg_stats *st, struct buf *out)
{
	static const char *const sev[] = { "low", "medium", "high",
					   "critical" };
	size_t i;
	int c, first = 1;

	buf_addf(out, "summary: %llu process(es), %llu action(s)\n",
		 (unsigned long long)st->processes,
		 (unsigned long long)st->actions);
	buf_adds(out, "summary: file actions by class:");
	for (c = 0; c < 32; c++)
		if (st->files_by_class[c]) {
			buf_addf(out, "%s %s %llu", first ? "" : ",",
				 class_name(c) ? class_name(c) : "unclassified",
				 (unsigned long long)st->files_by_class[c]);
			first = 0;
		}
	buf_adds(out, first ? " none\n" : "\n");
	buf_adds(out, "summary: network endpoints:");
	for (i = 0; i < st->nendpoints; i++)
		buf_addf(out, "%s %s", i ? "," : "", st->endpoints[i]);
	if (st->more_endpoints)
		buf_addf(out, " and %llu more",
			 (unsigned long long)st->more_endpoints);
	buf_adds(out, st->nendpoints ? "\n" : " none\n");
	buf_adds(out, "summary: alerts:");
	for (c = SEV_LOW; c <= SEV_CRITICAL; c++)
		buf_addf(out, "%s %s %llu", c == SEV_LOW ? "" : ",",
			 sev[c - SEV_LOW], (unsigned long long)st->alerts[c]);
	buf_addch(out, '\n');
}
