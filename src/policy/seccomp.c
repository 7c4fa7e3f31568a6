/*
 * seccomp.c: the syscall-level verdicts of a policy as a seccomp filter.
 *
 * Only what is certain from the syscall number goes in: for each number
 * of the native ABI whose plan is PLAN_FIXED with a deny or kill verdict,
 * SCMP_ACT_ERRNO(err) or SCMP_ACT_KILL_PROCESS.  Everything else is
 * allowed by the filter and decided by the tracer at the entry stop
 * (argument-level rules, log rules, i386 and x32 calls).  Calls of other
 * ABIs pass the filter (SCMP_FLTATR_ACT_BADARCH = allow): the tracer
 * decides them.  Built in capsule with libseccomp, exported as classic
 * BPF (profile/filter.c's export and apply, shared): the child only
 * makes two prctl() calls.
 */
#include "policy/policy.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>

#include "decode/syscalls.h"
#include "policy/policy_int.h"
#include "profile/filter.h"

int policy_seccomp_build(struct policy *p)
{
	struct policy_verdict v;
	scmp_filter_ctx ctx;
	uint32_t act;
	int nr, r, n = 0;

	free(p->bpf);
	p->bpf = NULL;
	p->bpf_len = 0;
	for (nr = 0; nr < POLICY_NR_MAX; nr++)
		p->covered[nr] = false;
	if (p->audit)
		return 0;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL)
		return -ENOMEM;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	if (r < 0)
		goto out;
	for (nr = 0; nr < POLICY_NR_MAX; nr++) {
		if (policy_plan(p, ABI_X86_64, nr, &v) != PLAN_FIXED ||
		    syscall_name(ABI_X86_64, nr) == NULL)
			continue;
		if (v.action == PA_DENY)
			act = SCMP_ACT_ERRNO((uint32_t)v.err);
		else if (v.action == PA_KILL)
			act = SCMP_ACT_KILL_PROCESS;
		else
			continue;
		r = seccomp_rule_add(ctx, act, nr, 0);
		if (r < 0)
			goto out;
		p->covered[nr] = true;
		n++;
	}
	r = n ? seccomp_export_prog(ctx, &p->bpf, &p->bpf_len) : 0;
out:
	if (r < 0) {
		for (nr = 0; nr < POLICY_NR_MAX; nr++)
			p->covered[nr] = false;
	}
	seccomp_release(ctx);
	return r;
}

int policy_seccomp_apply(const struct policy *p)
{
	if (p->bpf == NULL)
		return 0;
	return seccomp_prog_apply(p->bpf, p->bpf_len);
}

bool policy_seccomp_covers(const struct policy *p, enum ev_abi abi, int nr)
{
	return abi == ABI_X86_64 && nr >= 0 && nr < POLICY_NR_MAX &&
	       p->covered[nr];
}
