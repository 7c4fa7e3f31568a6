/*
 * capture.c: reads tracee memory for the arguments that point at some,
 * while the task is stopped (see capture.h and, for the format, blob.h).
 */
#include "decode/capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode/blob.h"
#include "decode/kinds.h"
#include "decode/syscalls.h"

#define PAGE 4096u
#define SHORT_READ 256u	/* first read of a string, most paths fit */

void capture_init(struct capture *c, const struct capture_opts *opts)
{
	c->opts = *opts;
	buf_init(&c->scratch);
	c->win_len = 0;
	c->win_base = 0;
}

void capture_release(struct capture *c)
{
	if (c == NULL)
		return;
	buf_release(&c->scratch);
}

/* Width in bytes of a pointer or long of the call's ABI. */
static size_t word_size(const struct call_event *ev)
{
	return ev->abi == ABI_X86_64 ? 8 : 4;
}

/* An argument register as the ABI's unsigned long / pointer. */
static uint64_t arg_word(const struct call_event *ev, int i)
{
	return word_size(ev) == 8 ? ev->args[i] : (uint32_t)ev->args[i];
}

/* Starts a record; returns its offset in scratch (for rec_end). */
static size_t rec_begin(struct capture *c, int arg, int type, int flags)
{
	struct blob_rec h = { (uint8_t)arg, (uint8_t)type, (uint8_t)flags, 0,
			      0 };
	size_t off = c->scratch.len;

	buf_add(&c->scratch, &h, sizeof(h));
	return off;
}

/* Sets the payload length (bytes added since rec_begin) and flags. */
static void rec_end(struct capture *c, size_t off, int more_flags)
{
	struct blob_rec h;

	memcpy(&h, c->scratch.s + off, sizeof(h));
	h.len = (uint32_t)(c->scratch.len - off - sizeof(h));
	h.flags |= (uint8_t)more_flags;
	memcpy(c->scratch.s + off, &h, sizeof(h));
}

static void add_fault(struct capture *c, int arg, int flags, uint64_t addr,
		      int err)
{
	struct blob_fault f = { addr, err };
	size_t off = rec_begin(c, arg, BR_FAULT, flags);

	buf_add(&c->scratch, &f, sizeof(f));
	rec_end(c, off, 0);
}

/*
 * Reads `len` bytes at `addr` as a BR_BYTES record (BRF_TRUNC if fewer
 * could be read, or if `more` says the object was longer than `len`), or
 * a BR_FAULT record if none could.
 */
static void add_mem(struct capture *c, const struct mem_reader *mem, int arg,
		    int flags, uint64_t addr, size_t len, int more)
{
	size_t off;
	ssize_t n;

	off = rec_begin(c, arg, BR_BYTES, flags);
	buf_grow(&c->scratch, len);
	n = len ? mem->read(mem, addr, c->scratch.s + c->scratch.len, len) : 0;
	if (n < 0) {
		buf_truncate(&c->scratch, off);
		add_fault(c, arg, flags, addr, (int)-n);
		return;
	}
	c->scratch.len += (size_t)n;
	c->scratch.s[c->scratch.len] = '\0';
	rec_end(c, off, ((size_t)n < len || more) ? BRF_TRUNC : 0);
}

/*
 * Reads the NUL-terminated string at `addr`, at most `max` bytes kept,
 * into a record of `type`.  `max` + 1 bytes are looked at, so that a
 * string of exactly `max` bytes is not marked truncated.  Strings of a
 * list come from the page window when they lie in it.
 */
static void add_str(struct capture *c, const struct mem_reader *mem, int arg,
		    int type, uint64_t addr, size_t max, int use_win)
{
	size_t off, look = max + 1;
	ssize_t n;
	int trunc = 0;

	off = rec_begin(c, arg, type, 0);
	buf_grow(&c->scratch, look);
	if (use_win) {
		if (c->win_len == 0 || addr < c->win_base ||
		    addr >= c->win_base + c->win_len) {
			/* refill: from the page of addr, two pages */
			ssize_t w;

			c->win_base = addr & ~(uint64_t)(PAGE - 1);
			w = mem->read(mem, c->win_base, c->win, CAP_WIN);
			c->win_len = w > 0 ? (size_t)w : 0;
		}
		if (addr >= c->win_base && addr < c->win_base + c->win_len) {
			size_t o = (size_t)(addr - c->win_base);
			size_t avail = c->win_len - o;
			const char *nul;

			if (avail > look)
				avail = look;
			nul = memchr(c->win + o, '\0', avail);
			if (nul != NULL) {
				n = nul - (c->win + o);
				memcpy(c->scratch.s + c->scratch.len, c->win + o,
				       (size_t)n);
				goto got;
			}
		}
	}
	if (!use_win) {
		/* most strings are short: one small read first, cut at the
		 * page end so that it cannot fail where the string does not */
		size_t first = PAGE - (size_t)(addr % PAGE);
		char *dst = c->scratch.s + c->scratch.len;
		const char *nul;

		if (first > SHORT_READ)
			first = SHORT_READ;
		if (first > look)
			first = look;
		n = mem->read(mem, addr, dst, first);
		if (n > 0 && (nul = memchr(dst, '\0', (size_t)n)) != NULL) {
			n = nul - dst;
			goto got;
		}
	}
	n = mem_read_str(mem, addr, c->scratch.s + c->scratch.len, look,
			 &trunc);
	if (n < 0) {
		buf_truncate(&c->scratch, off);
		add_fault(c, arg, 0, addr, (int)-n);
		return;
	}
got:
	if ((size_t)n > max) {
		n = (ssize_t)max;
		trunc = 1;
	}
	c->scratch.len += (size_t)n;
	c->scratch.s[c->scratch.len] = '\0';
	rec_end(c, off, trunc ? BRF_TRUNC : 0);
}

/*
 * argv / envp: a NULL-terminated array of string pointers, read in
 * batches; bounded by CAP_LIST_MAX_ELEMS elements and CAP_LIST_MAX_BYTES
 * string bytes in all.  Environment strings are cut at '=' unless
 * --env-values.
 */
static void add_list(struct capture *c, const struct mem_reader *mem,
		     const struct call_event *ev, int arg, int names_only)
{
	uint64_t base = arg_word(ev, arg);
	size_t ws = word_size(ev), count = 0, bytes = 0;
	unsigned char ptrs[64 * 8];
	size_t off;
	int trunc = 0;

	for (;;) {
		ssize_t n = mem->read(mem, base + count * ws, ptrs,
				      sizeof(ptrs) / 8 * ws);
		size_t i, got;

		if (n < (ssize_t)ws) {
			add_fault(c, arg, 0, base + count * ws,
				  n < 0 ? (int)-n : EFAULT);
			if (count == 0)
				return; /* a bad array: the fault alone */
			break;
		}
		got = (size_t)n / ws;
		for (i = 0; i < got; i++) {
			uint64_t p = 0;
			size_t max, before;

			memcpy(&p, ptrs + i * ws, ws);
			if (p == 0)
				goto done;
			if (count >= CAP_LIST_MAX_ELEMS ||
			    bytes >= CAP_LIST_MAX_BYTES) {
				trunc = 1;
				goto done;
			}
			max = names_only ? CAP_ENV_NAME_MAX : CAP_LIST_ELEM_MAX;
			if (max > CAP_LIST_MAX_BYTES - bytes)
				max = CAP_LIST_MAX_BYTES - bytes;
			before = c->scratch.len;
			add_str(c, mem, arg, BR_ELEM, p, max, 1);
			if (names_only) {
				struct blob_rec h;
				char *s = c->scratch.s + before + sizeof(h);
				char *eq;

				memcpy(&h, c->scratch.s + before, sizeof(h));
				eq = h.type == BR_ELEM ? memchr(s, '=', h.len)
						       : NULL;
				if (eq != NULL) {
					/* a name, complete */
					buf_truncate(&c->scratch,
						     (size_t)(eq - c->scratch.s));
					h.len = (uint32_t)(eq - s);
					h.flags &= (uint8_t)~BRF_TRUNC;
					memcpy(c->scratch.s + before, &h,
					       sizeof(h));
				}
			}
			bytes += c->scratch.len - before;
			count++;
		}
		if ((size_t)n < sizeof(ptrs) / 8 * ws) {
			/* the array ran into an unreadable page */
			add_fault(c, arg, 0, base + count * ws, EFAULT);
			break;
		}
	}
	trunc = 1;
done:
	off = rec_begin(c, arg, BR_END, 0);
	rec_end(c, off, trunc ? BRF_TRUNC : 0);
}

static void capture_entry(struct capture *c, const struct mem_reader *mem,
			  const struct call_event *ev,
			  const struct syscall_desc *d)
{
	int i;

	for (i = 0; i < 6 && d->args[i].kind != K_NONE; i++) {
		uint64_t p = arg_word(ev, i);
		uint64_t next = i < 5 ? arg_word(ev, i + 1) : 0;

		switch (syscall_arg_kind(ev, i, d->args[i].kind)) {
		case K_PATH:
			if (p)
				add_str(c, mem, i, BR_BYTES, p,
					CAP_PATH_MAX - 1, 0);
			break;
		case K_STR:
			if (p)
				add_str(c, mem, i, BR_BYTES, p,
					c->opts.strsize, 0);
			break;
		case K_ARGV:
			if (p)
				add_list(c, mem, ev, i, 0);
			break;
		case K_ENVP:
			if (p)
				add_list(c, mem, ev, i, !c->opts.env_values);
			break;
		case K_WBUF:
			if (p && c->opts.data)
				add_mem(c, mem, i, 0, p,
					next < c->opts.data ? next
							    : c->opts.data,
					next > c->opts.data);
			break;
		case K_SOCKADDR:
			if (p)
				add_mem(c, mem, i, 0, p,
					(uint32_t)next < CAP_SOCKADDR_MAX
						? (uint32_t)next
						: CAP_SOCKADDR_MAX,
					(uint32_t)next > CAP_SOCKADDR_MAX);
			break;
		case K_TIMESPEC:
			if (p)
				add_mem(c, mem, i, 0, p, 16, 0);
			break;
		case K_TIMESPEC32:
			if (p)
				add_mem(c, mem, i, 0, p, 8, 0);
			break;
		case K_CLONE_ARGS:
			/* struct clone_args is 88 bytes as of Linux 5.7 */
			if (p)
				add_mem(c, mem, i, 0, p, next < 88 ? next : 88,
					0);
			break;
		case K_CAP_HEADER:
			if (p)
				add_mem(c, mem, i, 0, p, 8, 0);
			break;
		case K_CAP_DATA:
			if (p)
				add_mem(c, mem, i, 0, p, 24, 0);
			break;
		case K_INTP:
		case K_SOCKLEN_OUT:
			/* socklen_t in/out: the buffer size given, for exit */
			if (p)
				add_mem(c, mem, i, 0, p, 4, 0);
			break;
		default:
			break;
		}
	}
}

/* The 4-byte value argument `arg` pointed at when the call was entered. */
static int entry_u32(const struct call_event *ev, int arg, uint32_t *ret)
{
	struct blob_rec h;
	size_t pos = 0;

	while (ev->blob != NULL && pos + sizeof(h) <= ev->blob_len) {
		memcpy(&h, ev->blob + pos, sizeof(h));
		if (h.len > ev->blob_len - pos - sizeof(h))
			return 0;
		if (h.arg == arg && h.type == BR_BYTES &&
		    !(h.flags & BRF_EXIT) && h.len == 4) {
			memcpy(ret, ev->blob + pos + sizeof(h), 4);
			return 1;
		}
		pos += sizeof(h) + h.len;
	}
	return 0;
}

static void capture_exit(struct capture *c, const struct mem_reader *mem,
			 const struct call_event *ev,
			 const struct syscall_desc *d)
{
	int i;

	if (ev->is_error)
		return;
	for (i = 0; i < 6 && d->args[i].kind != K_NONE; i++) {
		uint64_t p = arg_word(ev, i);
		uint64_t next = i < 5 ? arg_word(ev, i + 1) : 0;
		uint32_t len, in_len, size;

		if (p == 0)
			continue;
		switch (d->args[i].kind) {
		case K_RBUF_OUT:
			if (c->opts.data && ev->ret > 0) {
				uint64_t r = (uint64_t)ev->ret;

				add_mem(c, mem, i, BRF_EXIT, p,
					r < c->opts.data ? r : c->opts.data,
					r > c->opts.data);
			}
			break;
		case K_SOCKADDR_OUT:
			/*
			 * The kernel stored the address's length at `next`,
			 * but wrote at most the buffer size given at entry.
			 */
			if (next == 0 ||
			    mem->read(mem, next, &len, sizeof(len)) !=
				    (ssize_t)sizeof(len))
				break;
			size = entry_u32(ev, i + 1, &in_len) ? in_len : len;
			if (size > len)
				size = len;
			add_mem(c, mem, i, BRF_EXIT, p,
				size < CAP_SOCKADDR_MAX ? size
							: CAP_SOCKADDR_MAX,
				len > size || size > CAP_SOCKADDR_MAX);
			break;
		case K_FDPAIR_OUT:
			add_mem(c, mem, i, BRF_EXIT, p, 8, 0);
			break;
		case K_TIMESPEC_OUT:
			add_mem(c, mem, i, BRF_EXIT, p, 16, 0);
			break;
		case K_CAP_DATA_OUT:
			add_mem(c, mem, i, BRF_EXIT, p, 24, 0);
			break;
		case K_SOCKLEN_OUT:
		case K_WSTATUS_OUT:
		case K_UID_OUT:
		case K_GID_OUT:
		case K_INT_OUT:
			add_mem(c, mem, i, BRF_EXIT, p, 4, 0);
			break;
		default:
			break;
		}
	}
}

void decode_capture(void *ctx, struct call_event *ev,
		    const struct mem_reader *mem, int at_exit)
{
	struct capture *c = ctx;
	const struct syscall_desc *d = syscall_desc(ev->abi, ev->nr);
	char *blob;

	if (d == NULL)
		return;
	buf_reset(&c->scratch);
	c->win_len = 0;
	if (at_exit)
		capture_exit(c, mem, ev, d);
	else
		capture_entry(c, mem, ev, d);
	if (c->scratch.len == 0)
		return;
	if (ev->blob_len > UINT32_MAX - c->scratch.len)
		return; /* cannot happen with the bounds above */
	blob = realloc(ev->blob, ev->blob_len + c->scratch.len);
	if (blob == NULL)
		abort(); /* as buf does: a record cannot be shortened */
	memcpy(blob + ev->blob_len, c->scratch.s, c->scratch.len);
	ev->blob = blob;
	ev->blob_len += (uint32_t)c->scratch.len;
}
