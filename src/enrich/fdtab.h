/*
 * fdtab.h: a process's file descriptor table as capsule reconstructs it
 * from the calls it observed (open*, dup*, fcntl F_DUPFD*, pipe*, socket*,
 * accept*, close, close_range, exec) and from /proc/PID/fd for what
 * existed before tracing.  Used by the pipeline thread only.
 *
 * Tables are reference counted: processes created with CLONE_FILES (and
 * threads) share one table, as the kernel does; fork copies it; exec and
 * unshare(CLONE_FILES) give the process a private copy (fdtab_unshare()).
 */
#ifndef CAPSULE_ENRICH_FDTAB_H
#define CAPSULE_ENRICH_FDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Descriptors at or above this are not tracked. */
#define FDTAB_MAX_FD (1 << 20)

enum fd_type {
	FT_FREE = 0,	/* no such descriptor */
	FT_UNKNOWN,	/* open, but capsule does not know to what */
	FT_FILE,	/* a path (file, directory, device, FIFO) */
	FT_PIPE,	/* an unnamed pipe end */
	FT_SOCKET,	/* a socket: family, endpoints */
	FT_ANON,	/* an anonymous inode: eventfd, memfd, epoll ... */
};

struct fd_ent {
	uint8_t type;		/* enum fd_type */
	bool cloexec;		/* FD_CLOEXEC: closed by a successful exec */
	uint8_t cls;		/* enum res_class, RC_NONE while unknown */
	bool probed;		/* /proc/net was consulted for it */
	int family;		/* FT_SOCKET: AF_*, or -1 if unknown */
	int sotype;		/* FT_SOCKET: SOCK_STREAM ... or -1 */
	uint64_t inode;		/* socket or pipe inode, 0 if unknown */
	char *path;		/* owned: FT_FILE path, FT_ANON name, or NULL */
	char *local;		/* owned: FT_SOCKET local endpoint, or NULL */
	char *remote;		/* owned: FT_SOCKET remote endpoint, or NULL */
};

/*
 * Descriptors per page of a table.  The tracee picks the numbers (dup2 to
 * 2^20 - 1): a table holds only the pages of descriptors in use, so its
 * memory follows how many are open, not how high they are.  The first
 * page, once made, is kept until the table is freed.
 */
#define FDTAB_PAGE 256

struct fdtab {
	unsigned refs;		/* processes sharing it */
	int n;			/* descriptors covered: a multiple of
				 * FDTAB_PAGE */
	struct fd_ent **pg;	/* owned: n / FDTAB_PAGE pages, each owned
				 * and indexed by fd % FDTAB_PAGE, or NULL
				 * while none of its descriptors is open */
};

/* A new empty table with one reference (aborts on out of memory). */
struct fdtab *fdtab_new(void);
/* Another reference to `t` (CLONE_FILES). */
struct fdtab *fdtab_ref(struct fdtab *t);
/* Drops a reference; frees the table with the last.  Accepts NULL. */
void fdtab_unref(struct fdtab *t);
/* A private deep copy of `t` with one reference (fork). */
struct fdtab *fdtab_copy(const struct fdtab *t);
/* If `*tp` is shared, replaces it with a private copy. */
void fdtab_unshare(struct fdtab **tp);

/* The entry of `fd`, or NULL if free or out of range.  Borrowed. */
struct fd_ent *fdtab_get(struct fdtab *t, int64_t fd);
/*
 * Makes `fd` a fresh entry of `type` (closing what it held) and returns
 * it for the caller to fill; NULL when fd is out of range.  Borrowed.
 */
struct fd_ent *fdtab_set(struct fdtab *t, int64_t fd, int type, bool cloexec);
/* Closes `fd`. */
void fdtab_close(struct fdtab *t, int64_t fd);
/* newfd becomes a copy of oldfd (dup2/dup3/F_DUPFD); 0 or -EBADF. */
int fdtab_dup(struct fdtab *t, int64_t oldfd, int64_t newfd, bool cloexec);
/* close_range(first, last): closes, or with `cloexec_only` marks. */
void fdtab_close_range(struct fdtab *t, uint64_t first, uint64_t last,
		       bool cloexec_only);
/* A successful exec: closes the FD_CLOEXEC descriptors. */
void fdtab_exec(struct fdtab *t);

/* Bytes of memory the table holds (its slots, not the strings). */
size_t fdtab_mem(const struct fdtab *t);

/* Frees what an entry owns and marks it free. */
void fd_ent_release(struct fd_ent *e);

#endif
