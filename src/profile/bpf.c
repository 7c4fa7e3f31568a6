/*
 * bpf.c: exporting libseccomp filters as BPF and loading them (bpf.h).
 */
#include "profile/bpf.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

int bpf_export(scmp_filter_ctx ctx, struct sock_filter **ret_prog,
	       unsigned short *ret_len)
{
	struct sock_filter *prog = NULL;
	off_t size;
	int fd, r;

	fd = memfd_create("capsule-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		goto out;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
	    size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS) {
		r = -E2BIG;
		goto out;
	}
	prog = malloc((size_t)size);
	if (prog == NULL) {
		r = -ENOMEM;
		goto out;
	}
	if (pread(fd, prog, (size_t)size, 0) != size) {
		free(prog);
		r = -EIO;
		goto out;
	}
	*ret_prog = prog;
	*ret_len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	r = 0;
out:
	close(fd);
	return r;
}

int bpf_apply(const struct sock_filter *prog, unsigned short len,
	      bool force_nnp)
{
	struct sock_fprog fprog = {
		.len = len,
		.filter = (struct sock_filter *)prog,
	};

	if (force_nnp && prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0L, 0L) == 0)
		return 0;
	if (errno != EACCES || force_nnp)
		return -errno;
	/* no CAP_SYS_ADMIN: the kernel wants no_new_privs */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0L, 0L) < 0)
		return -errno;
	return 0;
}
