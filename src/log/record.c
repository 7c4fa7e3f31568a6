/*
 * record.c: the JSON serialization of syscall events (docs/log-format.md).
 */
#include "log/record.h"

#include "decode/args.h"
#include "decode/syscalls.h"
#include "lib/json.h"

static const char *const unfinished_why[] = {
	[UNF_EXITED] = "exited",
	[UNF_KILLED] = "killed",
	[UNF_EXEC] = "exec",
	[UNF_DETACHED] = "detached",
};

/*
 * The members from "pid" to "args": the same for every call of one
 * thread to one syscall, so each thread keeps the last ones it wrote
 * (thread-local, no heap, as json_add_time() keeps its second).
 */
struct head_cache {
	int32_t pid, tid;	/* the ,"pid":..,"tid":.. in `ids` */
	int abi, nr;		/* the ,"abi":.."args": in `call` */
	size_t ids_len, call_len;	/* 0: nothing cached yet */
	char ids[48];
	char call[96];
};

static void put_ids(struct buf *out, const struct call_event *ev,
		    struct head_cache *hc)
{
	size_t start;

	if (hc->ids_len != 0 && hc->pid == ev->pid && hc->tid == ev->tid) {
		buf_add(out, hc->ids, hc->ids_len);
		return;
	}
	start = out->len;
	buf_adds(out, ",\"pid\":");
	buf_add_i64(out, ev->pid);
	buf_adds(out, ",\"tid\":");
	buf_add_i64(out, ev->tid);
	hc->ids_len = 0;
	if (out->len - start <= sizeof(hc->ids)) { /* always: 2 x 11 digits */
		memcpy(hc->ids, out->s + start, out->len - start);
		hc->ids_len = out->len - start;
		hc->pid = ev->pid;
		hc->tid = ev->tid;
	}
}

static void put_call(struct buf *out, const struct call_event *ev,
		     struct head_cache *hc)
{
	const char *name;
	size_t start;

	if (hc->call_len != 0 && hc->abi == (int)ev->abi && hc->nr == ev->nr) {
		buf_add(out, hc->call, hc->call_len);
		return;
	}
	start = out->len;
	name = syscall_name(ev->abi, ev->nr);
	buf_adds(out, ",\"abi\":\"");
	buf_adds(out, abi_name(ev->abi));
	buf_adds(out, "\",\"syscall\":\"");
	if (name != NULL) {
		buf_adds(out, name);
	} else {
		buf_adds(out, "syscall_");
		buf_add_i64(out, ev->nr);
	}
	buf_adds(out, "\",\"nr\":");
	buf_add_i64(out, ev->nr);
	buf_adds(out, ",\"args\":");
	hc->call_len = 0;
	if (out->len - start <= sizeof(hc->call)) {
		memcpy(hc->call, out->s + start, out->len - start);
		hc->call_len = out->len - start;
		hc->abi = (int)ev->abi;
		hc->nr = ev->nr;
	}
}

void record_syscall(struct buf *out, const struct call_event *ev)
{
	static __thread struct head_cache hc;
	int i;

	buf_adds(out, ",\"ts\":");
	json_add_time(out, ev->ts_sec, ev->ts_nsec);
	put_ids(out, ev, &hc);
	put_call(out, ev, &hc);
	decode_args(out, ev, 0);
	buf_adds(out, ",\"raw\":[");
	for (i = 0; i < 6; i++) {
		if (i)
			buf_addch(out, ',');
		buf_add_u64(out, ev->args[i]);
	}
	buf_addch(out, ']');
	if (ev->unfinished) {
		buf_adds(out, ",\"unfinished\":true,\"unfinished_why\":\"");
		buf_adds(out, unfinished_why[ev->unfinished]);
		buf_addch(out, '"');
	} else if (ev->is_error) {
		const char *e = errno_name((int)-ev->ret);

		buf_adds(out, ",\"ret\":-1,\"errno\":");
		if (e != NULL) {
			buf_addch(out, '"');
			buf_adds(out, e);
			buf_addch(out, '"');
		} else {
			buf_addf(out, "\"E%lld\"", (long long)-ev->ret);
		}
		buf_adds(out, ",\"errno_nr\":");
		buf_add_i64(out, -ev->ret);
	} else {
		buf_adds(out, ",\"ret\":");
		buf_add_i64(out, ev->ret);
	}
	if (!ev->unfinished) {
		buf_adds(out, ",\"dur_ns\":");
		buf_add_u64(out, ev->dur_ns);
	}
	if (ev->flags & EVF_UNTRACED_CLEARED)
		buf_adds(out, ",\"untraced_cleared\":true");
	if (ev->flags & EVF_LATE_ATTACH)
		buf_adds(out, ",\"late_attach\":true");
	if (ev->flags & EVF_AFFINITY_HIDDEN)
		buf_adds(out, ",\"affinity_hidden\":true");
	/* one denied_by at most: the first refusal is the one that held */
	if (ev->flags & EVF_DENIED_SELF)
		buf_adds(out, ev->flags & EVF_CLONE3_REFUSED
				      ? ",\"denied_by\":\"capsule\","
					"\"denied_why\":\"clone3\""
				      : ",\"denied_by\":\"capsule\","
					"\"denied_why\":\"targets_capsule\"");
	else if (ev->flags & EVF_SECCOMP_DENIED)
		buf_adds(out, ",\"denied_by\":\"seccomp\"");
	else if (ev->flags & (EVF_POLICY_DENIED | EVF_POLICY_KILLED))
		buf_adds(out, ev->flags & EVF_POLICY_KILLED
				      ? ",\"denied_by\":\"policy\",\"verdict\":\"kill\""
				      : ",\"denied_by\":\"policy\"");
}

void record_syscall_text(struct buf *out, const struct call_event *ev)
{
	const char *name = syscall_name(ev->abi, ev->nr);

	buf_add_i64(out, ev->tid);
	buf_addch(out, ' ');
	if (ev->abi != ABI_X86_64) {
		buf_addch(out, '[');
		buf_adds(out, abi_name(ev->abi));
		buf_adds(out, "] ");
	}
	if (name != NULL) {
		buf_adds(out, name);
	} else {
		buf_adds(out, "syscall_");
		buf_add_i64(out, ev->nr);
	}
	buf_addch(out, '(');
	decode_args(out, ev, 1);
	buf_adds(out, ") = ");
	decode_ret_text(out, ev);
	if (ev->unfinished) {
		buf_adds(out, " <unfinished: ");
		buf_adds(out, unfinished_why[ev->unfinished]);
		buf_addch(out, '>');
	}
	buf_addch(out, '\n');
}
