/*
 * entry.c: the policy's view of a call's arguments, from the blob that
 * capture.c wrote at the entry stop (format in blob.h; every length is
 * checked, as in args.c).
 */
#include "decode/entry.h"

#include <fcntl.h>
#include <string.h>

#include "decode/blob.h"
#include "decode/kinds.h"
#include "decode/syscalls.h"

/* The first entry-stop record of argument `arg`; 1 if found. */
static int entry_rec(const struct call_event *ev, int arg,
		     struct blob_rec *h, const char **data)
{
	size_t pos = 0;

	while (ev->blob != NULL && pos + sizeof(*h) <= ev->blob_len) {
		memcpy(h, ev->blob + pos, sizeof(*h));
		if (h->len > ev->blob_len - pos - sizeof(*h))
			return 0;
		pos += sizeof(*h) + h->len;
		if (h->arg == arg && !(h->flags & BRF_EXIT)) {
			*data = ev->blob + pos - h->len;
			return 1;
		}
	}
	return 0;
}

static int64_t dirfd_value(const struct call_event *ev, int i)
{
	/* the kernel reads dirfd as an int in every ABI */
	return (int32_t)(uint32_t)ev->args[i];
}

void entry_view(const struct call_event *ev, struct entry_view *v)
{
	const struct syscall_desc *d = syscall_desc(ev->abi, ev->nr);
	struct blob_rec h;
	const char *data;
	int i, kind, prev = K_NONE;

	memset(v, 0, sizeof(*v));
	if (d == NULL)
		return;
	for (i = 0; i < 6 && d->args[i].kind != K_NONE; i++) {
		kind = syscall_arg_kind(ev, i, d->args[i].kind);
		if (kind == K_PATH && v->npaths < ENTRY_MAX_PATHS) {
			struct entry_path *p = &v->path[v->npaths++];

			p->arg = i;
			p->dirfd = prev == K_DIRFD ? dirfd_value(ev, i - 1)
						   : AT_FDCWD;
			p->s = "";
			if (ev->args[i] == 0) {
				/* NULL: the call acts on dirfd itself
				 * (utimensat), or fails with EFAULT */
				if (p->dirfd == AT_FDCWD)
					v->npaths--;
				prev = kind;
				continue;
			}
			if (!entry_rec(ev, i, &h, &data) || h.type != BR_BYTES) {
				p->fault = true;
				prev = kind;
				continue;
			}
			p->s = data;
			p->len = h.len;
			p->truncated = (h.flags & BRF_TRUNC) != 0;
		} else if (kind == K_SOCKADDR) {
			if (entry_rec(ev, i, &h, &data) && h.type == BR_BYTES) {
				v->sockaddr = data;
				v->sockaddr_len = h.len;
			} else if (ev->args[i] != 0) {
				v->sockaddr_fault = true;
			}
		} else if (kind == K_OPEN_FLAGS && d->class & CL_FILE) {
			v->has_open_flags = true;
			v->open_flags = (uint32_t)ev->args[i];
		}
		prev = kind;
	}
	if (strcmp(d->name, "creat") == 0) {
		v->has_open_flags = true;
		v->open_flags = O_CREAT | O_WRONLY | O_TRUNC;
	}
}
