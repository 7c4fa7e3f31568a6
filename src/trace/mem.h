/*
 * mem.h: reading a stopped tracee's memory.
 *
 * Tracee memory is hostile input: every read is bounded by the caller's
 * buffer, may fail (bad pointer, unmapped page, task gone) and may return
 * fewer bytes than asked (the end of a mapping).  Decoders see only this
 * interface, so unit tests can fake a tracee with a plain byte array.
 */
#ifndef CAPSULE_TRACE_MEM_H
#define CAPSULE_TRACE_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mem_reader {
	/*
	 * Copies up to `len` bytes at tracee address `addr` into `dst`.
	 * Returns the number of bytes copied (possibly fewer than `len`
	 * when the range crosses into an unreadable page), or -errno when
	 * not even the first byte could be read.
	 */
	ssize_t (*read)(const struct mem_reader *m, uint64_t addr, void *dst,
			size_t len);
	pid_t tid;	/* the tracee, for the process_vm_readv reader */
	void *ctx;	/* for fakes */
};

/* A reader for stopped task `tid`, backed by process_vm_readv(2). */
void mem_reader_init(struct mem_reader *m, pid_t tid);

/*
 * Reads a NUL-terminated string of at most `max` bytes (terminator not
 * counted) into dst (which must hold max + 1 bytes; it is always
 * terminated).  Returns the string length, or -errno if nothing could be
 * read.  Sets *ret_truncated when no NUL was found within `max` bytes or
 * before an unreadable page.
 */
ssize_t mem_read_str(const struct mem_reader *m, uint64_t addr, char *dst,
		     size_t max, int *ret_truncated);

/* Writes `len` bytes to the tracee; returns 0 or -errno. */
int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len);

#endif
