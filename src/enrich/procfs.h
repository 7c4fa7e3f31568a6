/*
 * procfs.h: /proc readers.
 *
 * proc_snapshot() runs on the tracer thread while the task is stopped
 * (at a new process, after exec, after a credential or namespace change)
 * and packs what it read into one owned blob that travels with an
 * EV_PROCESS event to the pipeline thread, which reads it with
 * proc_snap_view().  It never runs per syscall.  Each part costs a few
 * /proc reads (open+read+close or readlink, ~2-5 us each), so callers ask
 * only for the parts the event can have changed.
 *
 * The parsers (status, cmdline, /proc/net tables) take text, so unit tests
 * run them on fixtures.
 */
#ifndef CAPSULE_ENRICH_PROCFS_H
#define CAPSULE_ENRICH_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/buf.h"

/* Parts of a snapshot (struct proc_snap.have). */
#define SNAP_STATUS 0x01 /* ppid, ids, groups, capabilities, nnp, seccomp */
#define SNAP_IDENT 0x02	 /* exe, argv, cwd */
#define SNAP_NS 0x04	 /* namespace ids, cgroup */
#define SNAP_LSM 0x08	 /* /proc/PID/attr/current */
#define SNAP_FDS 0x10	 /* /proc/PID/fd: descriptors and targets */
#define SNAP_START 0x20	 /* start time (/proc/PID/stat) */

enum { NS_MNT, NS_PID, NS_NET, NS_USER, NS_UTS, NS_IPC, NS_CGROUP, NS_COUNT };

/* The log's names of the namespaces, indexed by NS_*. */
extern const char *const proc_ns_names[NS_COUNT];

/* A string inside a snapshot blob: bytes at off, len of them, then NUL. */
struct snap_str {
	uint32_t off;
	uint32_t len;
};

/* The head of a snapshot blob; strings and arrays follow it. */
struct proc_snap {
	uint32_t have;		/* SNAP_* parts read */
	int32_t ppid;
	uint32_t uid[4];	/* real, effective, saved, filesystem */
	uint32_t gid[4];
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	int32_t no_new_privs;	/* -1: unknown */
	int32_t seccomp;	/* 0 disabled, 1 strict, 2 filter; -1 unknown */
	uint64_t ns[NS_COUNT];	/* namespace inode numbers, 0 unknown */
	uint64_t start_ticks;	/* /proc/PID/stat starttime (clock ticks) */
	uint32_t argv_trunc;	/* argv was cut at PROC_ARGV_MAX */
	struct snap_str exe, cwd, argv, cgroup, lsm;
	struct snap_str groups;	/* uint32_t array */
	struct snap_str fds;	/* records: int32 fd, uint32 flags,
				 * uint32 len, target bytes */
};

#define PROC_ARGV_MAX 16384	/* bytes of /proc/PID/cmdline kept */

/*
 * Appends to `out` a snapshot of task `tid` with the parts in `what`
 * (those that cannot be read are left out of `have`).  Returns 0, or
 * -errno when the task is gone.
 */
int proc_snapshot(pid_t tid, unsigned what, bool lsm_present,
		  struct buf *out);

/*
 * Checks blob `b` of `len` bytes and copies its head into *ret.
 * Returns 0, or -EINVAL for a malformed blob.
 */
int proc_snap_view(const void *b, size_t len, struct proc_snap *ret);

/* The string `s` of blob `b` (NUL-terminated; "" when empty).  Borrowed. */
const char *snap_str(const void *b, struct snap_str s);

/* Fills the SNAP_STATUS fields of *s from /proc/PID/status text. */
int proc_parse_status(const char *text, struct proc_snap *s,
		      struct buf *groups);

/* Boot time (/proc/stat btime) in seconds, and clock ticks per second. */
int proc_boot_time(int64_t *ret_sec);

/* An endpoint found in a /proc/net table. */
struct net_ent {
	uint64_t inode;
	char local[128];	/* "127.0.0.1:8080", "[::1]:22", "/path" */
	char remote[128];	/* "" when none (listening, unbound unix) */
	int is_ip6;
};

/*
 * Looks for socket `inode` in the text of /proc/net/{tcp,udp} (ip6 ==
 * false) or {tcp6,udp6} (ip6 == true).  Returns 1 and fills *ret when
 * found, else 0.
 */
int proc_net_find_inet(const char *text, bool ip6, uint64_t inode,
		       struct net_ent *ret);
/* The same for /proc/net/unix (the path, "@name" for abstract). */
int proc_net_find_unix(const char *text, uint64_t inode, struct net_ent *ret);

/*
 * Both ends of socket `fd` of stopped task `tid`, read through a
 * pidfd_getfd() copy with getsockname()/getpeername() (tracer thread,
 * after a connect or accept: the socket may be closed before the
 * pipeline looks).  Travels as the blob of a PEV_CALL event with
 * args[1] == PEV_CALL_SOCK.
 */
struct sock_snap {
	int32_t fd;
	uint32_t local_len, remote_len;	/* 0: unknown */
	unsigned char local[128], remote[128];
};

#define PEV_CALL_SOCK 1

int proc_sock_snapshot(pid_t tid, int fd, struct sock_snap *ret);

/* Reads a whole /proc file into `out` (up to `max` bytes); 0 or -errno. */
int proc_read_file(const char *path, size_t max, struct buf *out);

#endif
