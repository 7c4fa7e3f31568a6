/*
 * mem.c: tracee memory access through process_vm_readv/writev, read page by
 * page so that a string ending just before an unmapped page still reads.
 */
#include "trace/mem.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#define PAGE 4096u

static ssize_t vm_read(const struct mem_reader *m, uint64_t addr, void *dst,
		       size_t len)
{
	size_t done = 0;

	while (done < len) {
		uint64_t a = addr + done;
		size_t chunk = PAGE - (size_t)(a % PAGE);
		struct iovec local, remote;
		ssize_t n;

		if (a < addr)	/* wrapped around the address space */
			break;
		if (chunk > len - done)
			chunk = len - done;
		local.iov_base = (char *)dst + done;
		local.iov_len = chunk;
		remote.iov_base = (void *)(uintptr_t)a;
		remote.iov_len = chunk;
		n = process_vm_readv(m->tid, &local, 1, &remote, 1, 0);
		if (n <= 0) {
			if (done == 0)
				return n < 0 ? -errno : -EFAULT;
			break;
		}
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	return (ssize_t)done;
}

void mem_reader_init(struct mem_reader *m, pid_t tid)
{
	m->read = vm_read;
	m->tid = tid;
	m->ctx = NULL;
}

ssize_t mem_read_str(const struct mem_reader *m, uint64_t addr, char *dst,
		     size_t max, int *ret_truncated)
{
	size_t got = 0;

	*ret_truncated = 0;
	while (got < max) {
		size_t want = PAGE - (size_t)((addr + got) % PAGE);
		ssize_t n;
		char *nul;

		if (want > max - got)
			want = max - got;
		n = m->read(m, addr + got, dst + got, want);
		if (n <= 0) {
			if (got == 0) {
				dst[0] = '\0';
				return n < 0 ? n : -EFAULT;
			}
			*ret_truncated = 1;
			break;
		}
		nul = memchr(dst + got, '\0', (size_t)n);
		if (nul != NULL)
			return nul - dst;
		got += (size_t)n;
		if ((size_t)n < want) {
			*ret_truncated = 1;
			break;
		}
	}
	if (got >= max)
		*ret_truncated = 1;
	dst[got] = '\0';
	return (ssize_t)got;
}

int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_writev(tid, &local, 1, &remote, 1, 0);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}
