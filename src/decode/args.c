/*
 * args.c: a printer per argument kind, over the event's registers and the
 * records capture.c left in its blob (blob.h).  The blob is capsule's own,
 * but it is still read with every length checked.
 */
#include "decode/args.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>

#include "decode/blob.h"
#include "decode/flags.h"
#include "decode/kinds.h"
#include "decode/sockaddr.h"
#include "decode/syscalls.h"
#include "decode/vout.h"

/* A record of the blob. */
struct rec {
	int type;			/* BR_* */
	int flags;			/* BRF_* */
	const unsigned char *data;	/* borrowed from ev->blob */
	uint32_t len;
};

/*
 * Finds the next record of argument `arg` at or after *pos; advances *pos
 * past it.  Returns 1 if found, 0 at the end (or at a malformed record).
 */
static int next_rec(const struct call_event *ev, int arg, size_t *pos,
		    struct rec *r)
{
	struct blob_rec h;

	while (ev->blob != NULL && *pos + sizeof(h) <= ev->blob_len) {
		memcpy(&h, ev->blob + *pos, sizeof(h));
		if (h.len > ev->blob_len - *pos - sizeof(h))
			return 0;
		*pos += sizeof(h) + h.len;
		if (h.arg != arg)
			continue;
		r->type = h.type;
		r->flags = h.flags;
		r->data = (const unsigned char *)ev->blob + *pos - h.len;
		r->len = h.len;
		return 1;
	}
	return 0;
}

static int first_rec(const struct call_event *ev, int arg, struct rec *r)
{
	size_t pos = 0;

	return next_rec(ev, arg, &pos, r);
}

static int abi_word(const struct call_event *ev)
{
	return ev->abi == ABI_X86_64 ? 8 : 4;
}

static uint64_t word(const struct call_event *ev, int i)
{
	return abi_word(ev) == 8 ? ev->args[i] : (uint32_t)ev->args[i];
}

static void print_ptr(struct vout *o, uint64_t p)
{
	if (p == 0)
		vo_null(o);
	else
		vo_hex(o, p);
}

static void print_fault(struct vout *o, const struct rec *r)
{
	struct blob_fault f;

	if (r->len < sizeof(f)) {
		vo_null(o);
		return;
	}
	memcpy(&f, r->data, sizeof(f));
	vo_fault(o, f.addr, f.err);
}

/* A structure read in full: 1 with the bytes, else prints and 0. */
static int want_struct(struct vout *o, const struct call_event *ev, int i,
		       size_t size, struct rec *r)
{
	if (!first_rec(ev, i, r)) {
		print_ptr(o, word(ev, i));
		return 0;
	}
	if (r->type == BR_FAULT) {
		print_fault(o, r);
		return 0;
	}
	if (r->type != BR_BYTES || r->len < size) {
		/* the structure ran into an unreadable page */
		vo_fault(o, word(ev, i), EFAULT);
		return 0;
	}
	return 1;
}

static void print_string(struct vout *o, const struct call_event *ev, int i)
{
	struct rec r;

	if (!first_rec(ev, i, &r))
		print_ptr(o, word(ev, i));
	else if (r.type == BR_FAULT)
		print_fault(o, &r);
	else
		vo_bytes(o, r.data, r.len, r.flags & BRF_TRUNC);
}

static void print_list(struct vout *o, const struct call_event *ev, int i)
{
	struct rec r;
	size_t pos = 0;
	int trunc = 0, end = 0;

	if (word(ev, i) == 0) {
		vo_null(o);
		return;
	}
	while (next_rec(ev, i, &pos, &r)) {
		if (r.type == BR_END) {
			end = 1;
			trunc = r.flags & BRF_TRUNC;
		}
	}
	if (!end) {
		/* the array itself could not be read */
		if (first_rec(ev, i, &r) && r.type == BR_FAULT)
			print_fault(o, &r);
		else
			print_ptr(o, word(ev, i));
		return;
	}
	if (trunc && !o->text) {
		vo_obj_begin(o);
		vo_key(o, "list");
	}
	vo_arr_begin(o);
	pos = 0;
	while (next_rec(ev, i, &pos, &r)) {
		if (r.type == BR_ELEM)
			vo_bytes(o, r.data, r.len, r.flags & BRF_TRUNC);
		else if (r.type == BR_FAULT)
			print_fault(o, &r);
	}
	if (trunc && o->text)
		buf_adds(o->b, ", ...");
	vo_arr_end(o);
	if (trunc && !o->text) {
		vo_key(o, "truncated");
		vo_bool(o, 1);
		vo_obj_end(o);
	}
}

static void print_sockaddr(struct vout *o, const struct call_event *ev, int i)
{
	struct rec r;

	if (!first_rec(ev, i, &r))
		print_ptr(o, word(ev, i));
	else if (r.type == BR_FAULT)
		print_fault(o, &r);
	else
		sockaddr_print(o, r.data, r.len, r.flags & BRF_TRUNC);
}

static void print_timespec(struct vout *o, const struct call_event *ev, int i,
			   int is32)
{
	struct rec r;
	int64_t sec, nsec;

	if (!want_struct(o, ev, i, is32 ? 8 : 16, &r))
		return;
	if (is32) {
		int32_t s32, n32;

		memcpy(&s32, r.data, 4);
		memcpy(&n32, r.data + 4, 4);
		sec = s32;
		nsec = n32;
	} else {
		memcpy(&sec, r.data, 8);
		memcpy(&nsec, r.data + 8, 8);
	}
	vo_obj_begin(o);
	vo_key(o, "tv_sec");
	vo_int(o, sec);
	vo_key(o, "tv_nsec");
	vo_int(o, nsec);
	vo_obj_end(o);
}

static void print_clone_args(struct vout *o, const struct call_event *ev,
			     int i)
{
	static const char *const fields[] = {
		"flags", "pidfd", "child_tid", "parent_tid", "exit_signal",
		"stack", "stack_size", "tls", "set_tid", "set_tid_size",
		"cgroup",
	};
	struct rec r;
	size_t f, n;

	if (!want_struct(o, ev, i, 8, &r))
		return;
	n = r.len / 8;
	if (n > sizeof(fields) / sizeof(fields[0]))
		n = sizeof(fields) / sizeof(fields[0]);
	vo_obj_begin(o);
	for (f = 0; f < n; f++) {
		uint64_t v;
		char tmp[16];
		const char *s;

		memcpy(&v, r.data + f * 8, 8);
		vo_key(o, fields[f]);
		switch (f) {
		case 0:
			clone3_flags_print(o, v);
			break;
		case 4:
			s = signal_name((int)v, tmp);
			if (s != NULL && v <= 64)
				vo_sym(o, s);
			else
				vo_uint(o, v);
			break;
		case 6:
		case 9:
		case 10:
			vo_uint(o, v);
			break;
		default:
			print_ptr(o, v);
		}
	}
	vo_obj_end(o);
}

static void print_cap_header(struct vout *o, const struct call_event *ev,
			     int i)
{
	struct rec r;
	uint32_t version;
	int32_t pid;

	if (!want_struct(o, ev, i, 8, &r))
		return;
	memcpy(&version, r.data, 4);
	memcpy(&pid, r.data + 4, 4);
	vo_obj_begin(o);
	vo_key(o, "version");
	vo_hex(o, version);
	vo_key(o, "pid");
	vo_int(o, pid);
	vo_obj_end(o);
}

static void print_cap_data(struct vout *o, const struct call_event *ev, int i)
{
	static const char *const names[] = { "effective", "permitted",
					     "inheritable" };
	struct rec r;
	uint32_t w[6] = { 0 };
	int k;

	/* version 1 has one 12-byte struct, versions 2 and 3 two */
	if (!want_struct(o, ev, i, 12, &r))
		return;
	memcpy(w, r.data, r.len >= 24 ? 24 : 12);
	vo_obj_begin(o);
	for (k = 0; k < 3; k++) {
		vo_key(o, names[k]);
		caps_print(o, w[k] | (uint64_t)w[k + 3] << 32);
	}
	vo_obj_end(o);
}

static void print_wstatus(struct vout *o, const struct call_event *ev, int i)
{
	struct rec r;
	int s;
	char tmp[16];
	const char *n;

	if (!want_struct(o, ev, i, 4, &r))
		return;
	memcpy(&s, r.data, 4);
	vo_obj_begin(o);
	if (WIFEXITED(s)) {
		vo_key(o, "exited");
		vo_int(o, WEXITSTATUS(s));
	} else if (WIFSIGNALED(s)) {
		n = signal_name(WTERMSIG(s), tmp);
		vo_key(o, "signaled");
		if (n != NULL)
			vo_sym(o, n);
		else
			vo_int(o, WTERMSIG(s));
		if (WCOREDUMP(s)) {
			vo_key(o, "core_dumped");
			vo_bool(o, 1);
		}
	} else if (WIFSTOPPED(s)) {
		n = signal_name(WSTOPSIG(s), tmp);
		vo_key(o, "stopped");
		if (n != NULL)
			vo_sym(o, n);
		else
			vo_int(o, WSTOPSIG(s));
		if (s >> 16) {
			vo_key(o, "event");
			vo_int(o, s >> 16);
		}
	} else if (WIFCONTINUED(s)) {
		vo_key(o, "continued");
		vo_bool(o, 1);
	} else {
		vo_key(o, "raw");
		vo_hex(o, (uint32_t)s);
	}
	vo_obj_end(o);
}

static void print_u32_out(struct vout *o, const struct call_event *ev, int i,
			  int is_signed)
{
	struct rec r;
	uint32_t v;

	if (!want_struct(o, ev, i, 4, &r))
		return;
	memcpy(&v, r.data, 4);
	if (is_signed)
		vo_int(o, (int32_t)v);
	else
		vo_uint(o, v);
}

/* socklen_t in/out: the length the kernel stored (the exit record). */
static void print_socklen(struct vout *o, const struct call_event *ev, int i)
{
	struct rec r;
	size_t pos = 0;
	uint32_t v;

	while (next_rec(ev, i, &pos, &r)) {
		if (!(r.flags & BRF_EXIT))
			continue;
		if (r.type == BR_FAULT) {
			print_fault(o, &r);
		} else if (r.len >= 4) {
			memcpy(&v, r.data, 4);
			vo_uint(o, v);
		} else {
			vo_fault(o, word(ev, i), EFAULT);
		}
		return;
	}
	print_ptr(o, word(ev, i));
}

static void print_fdpair(struct vout *o, const struct call_event *ev, int i)
{
	struct rec r;
	int32_t fd[2];

	if (!want_struct(o, ev, i, 8, &r))
		return;
	memcpy(fd, r.data, 8);
	vo_arr_begin(o);
	vo_int(o, fd[0]);
	vo_int(o, fd[1]);
	vo_arr_end(o);
}

static void print_id(struct vout *o, uint64_t v)
{
	if ((uint32_t)v == 0xffffffffu)
		vo_int(o, -1);
	else
		vo_uint(o, (uint32_t)v);
}

static void print_arg(struct vout *o, const struct call_event *ev, int i,
		      int kind)
{
	uint64_t v = word(ev, i);

	switch (kind) {
	case K_INT:
	case K_FD:
	case K_PID:
		vo_int(o, (int32_t)ev->args[i]);
		break;
	case K_UINT:
		vo_uint(o, (uint32_t)ev->args[i]);
		break;
	case K_LONG:
		vo_int(o, abi_word(ev) == 8 ? (int64_t)v : (int32_t)v);
		break;
	case K_ULONG:
	case K_SIZE:
		vo_uint(o, v);
		break;
	case K_OFF:
		/* i386 passes a 32-bit off_t; x32 a 64-bit one */
		vo_int(o, ev->abi == ABI_I386 ? (int32_t)ev->args[i]
					      : (int64_t)ev->args[i]);
		break;
	case K_HEX:
		vo_hex(o, v);
		break;
	case K_PTR:
		print_ptr(o, v);
		break;
	case K_DIRFD:
		if ((int32_t)ev->args[i] == AT_FDCWD)
			vo_sym(o, "AT_FDCWD");
		else
			vo_int(o, (int32_t)ev->args[i]);
		break;
	case K_UID:
	case K_GID:
		print_id(o, v);
		break;
	case K_MODE:
	case K_UMASK:
		vo_octal(o, (uint32_t)v);
		break;
	case K_PATH:
	case K_STR:
	case K_WBUF:
	case K_RBUF_OUT:
		print_string(o, ev, i);
		break;
	case K_ARGV:
	case K_ENVP:
		print_list(o, ev, i);
		break;
	case K_SOCKADDR:
	case K_SOCKADDR_OUT:
		print_sockaddr(o, ev, i);
		break;
	case K_TIMESPEC:
	case K_TIMESPEC_OUT:
		print_timespec(o, ev, i, 0);
		break;
	case K_TIMESPEC32:
		print_timespec(o, ev, i, 1);
		break;
	case K_CLONE_ARGS:
		print_clone_args(o, ev, i);
		break;
	case K_CAP_HEADER:
		print_cap_header(o, ev, i);
		break;
	case K_CAP_DATA:
	case K_CAP_DATA_OUT:
		print_cap_data(o, ev, i);
		break;
	case K_WSTATUS_OUT:
		print_wstatus(o, ev, i);
		break;
	case K_INTP:
	case K_INT_OUT:
		print_u32_out(o, ev, i, 1);
		break;
	case K_SOCKLEN_OUT:
		print_socklen(o, ev, i);
		break;
	case K_UID_OUT:
	case K_GID_OUT:
		print_u32_out(o, ev, i, 0);
		break;
	case K_FDPAIR_OUT:
		print_fdpair(o, ev, i);
		break;
	default:
		if (flags_print(o, kind, v, ev) < 0)
			vo_hex(o, v);
		break;
	}
}

void decode_args(struct buf *out, const struct call_event *ev, int text)
{
	const struct syscall_desc *d = syscall_desc(ev->abi, ev->nr);
	struct vout o;
	int i, n;

	vo_init(&o, out, text);
	if (d == NULL) {
		if (!text) {
			buf_adds(out, "{}");
			return;
		}
		for (i = 0; i < 6; i++)
			vo_hex(&o, ev->args[i]);
		return;
	}
	n = syscall_nargs(d);
	if (!text)
		vo_obj_begin(&o);
	for (i = 0; i < n; i++) {
		vo_key(&o, d->args[i].name);
		print_arg(&o, ev, i, syscall_arg_kind(ev, i, d->args[i].kind));
	}
	if (!text)
		vo_obj_end(&o);
}

void decode_ret_text(struct buf *out, const struct call_event *ev)
{
	const char *name = syscall_name(ev->abi, ev->nr);
	const char *e;

	if (ev->unfinished) {
		buf_adds(out, "?");
		return;
	}
	if (ev->is_error) {
		e = errno_name((int)-ev->ret);
		buf_adds(out, "-1 ");
		if (e != NULL)
			buf_adds(out, e);
		else
			buf_addf(out, "E%lld", (long long)-ev->ret);
		if (-ev->ret < 512)
			buf_addf(out, " (%s)", strerror((int)-ev->ret));
		return;
	}
	if (name != NULL &&
	    (strcmp(name, "mmap") == 0 || strcmp(name, "mmap2") == 0 ||
	     strcmp(name, "brk") == 0 || strcmp(name, "mremap") == 0 ||
	     strcmp(name, "shmat") == 0)) {
		buf_addf(out, "%#llx", (unsigned long long)ev->ret);
		return;
	}
	buf_add_i64(out, ev->ret);
}

int decode_arg_bytes(const struct call_event *ev, int i,
		     const unsigned char **ret_data, size_t *ret_len,
		     int *ret_trunc)
{
	struct rec r;

	if (!first_rec(ev, i, &r) || r.type != BR_BYTES)
		return 0;
	*ret_data = r.data;
	*ret_len = r.len;
	*ret_trunc = r.flags & BRF_TRUNC;
	return 1;
}
