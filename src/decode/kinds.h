/*
 * kinds.h: what a system call argument *is*, after OpenBSD kdump's Pfd,
 * Ppath, Psize: the table (syscalls.c) says which kind each argument has;
 * capture.c reads tracee memory for the kinds that point at some, and
 * args.c has one printer per kind.  The encoding of every kind in the log
 * is documented in docs/log-format.md ("args").
 *
 * Kinds whose name ends in _OUT point at memory the kernel fills: they are
 * read at the syscall-exit stop, and only when the call succeeded.
 */
#ifndef CAPSULE_DECODE_KINDS_H
#define CAPSULE_DECODE_KINDS_H

enum arg_kind {
	K_NONE = 0,	/* no such argument (end of the row) */

	/* plain values, nothing to read */
	K_INT,		/* int, signed decimal */
	K_UINT,		/* unsigned int */
	K_LONG,		/* long (32 bits on i386 and for x32 ints) */
	K_ULONG,	/* unsigned long */
	K_SIZE,		/* size_t: a byte count */
	K_OFF,		/* off_t / loff_t: a file offset */
	K_HEX,		/* a value best read in hex (ioctl request, key) */
	K_PTR,		/* an address capsule does not follow */
	K_FD,		/* a file descriptor */
	K_DIRFD,	/* a file descriptor or AT_FDCWD */
	K_PID,		/* a process or thread id (negative: group) */
	K_UID,		/* a user id; -1 means "unchanged" */
	K_GID,		/* a group id; -1 means "unchanged" */
	K_MODE,		/* permission bits and file type (mode_t) */
	K_UMASK,	/* umask */

	/* flag sets and enums, by symbolic name (flags.c) */
	K_OPEN_FLAGS,	/* O_* of open, openat, pipe2, dup3 ... */
	K_ACCESS_MODE,	/* F_OK or R_OK|W_OK|X_OK */
	K_AT_FLAGS,	/* AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH ... */
	K_PROT,		/* PROT_* */
	K_MMAP_FLAGS,	/* MAP_* */
	K_MREMAP_FLAGS,	/* MREMAP_* */
	K_MADVICE,	/* MADV_* */
	K_CLONE_FLAGS,	/* CLONE_* (| exit signal for clone) */
	K_UNSHARE_FLAGS, /* CLONE_NEW* of unshare and setns */
	K_SOCK_DOMAIN,	/* AF_* */
	K_SOCK_TYPE,	/* SOCK_* | SOCK_CLOEXEC | SOCK_NONBLOCK */
	K_SOCK_PROTO,	/* IPPROTO_* (or number, per domain in arg 0) */
	K_SOCK_FLAGS,	/* SOCK_CLOEXEC | SOCK_NONBLOCK (accept4) */
	K_MSG_FLAGS,	/* MSG_* of send/recv */
	K_SHUT_HOW,	/* SHUT_RD / SHUT_WR / SHUT_RDWR */
	K_SOCKOPT_LEVEL, /* SOL_SOCKET, IPPROTO_TCP ... */
	K_SIGNAL,	/* SIGTERM ...; 0 is 0 */
	K_SIGPROCMASK_HOW, /* SIG_BLOCK ... */
	K_WAIT_OPTIONS,	/* WNOHANG | __WALL ... */
	K_WAITID_TYPE,	/* P_PID, P_PIDFD ... */
	K_PRCTL_OPTION,	/* PR_* */
	K_PTRACE_REQ,	/* PTRACE_* */
	K_MOUNT_FLAGS,	/* MS_* */
	K_UMOUNT_FLAGS,	/* MNT_FORCE, MNT_DETACH ... */
	K_PERSONALITY,	/* PER_LINUX | ADDR_NO_RANDOMIZE ... */
	K_CAP,		/* a capability number: CAP_SYS_ADMIN ... */
	K_WHENCE,	/* SEEK_* */
	K_FCNTL_CMD,	/* F_* */
	K_CLOCKID,	/* CLOCK_* */
	K_RENAME_FLAGS,	/* RENAME_* */
	K_FUTEX_OP,	/* FUTEX_* | FUTEX_PRIVATE_FLAG ... */
	K_SECCOMP_OP,	/* SECCOMP_SET_MODE_* ... */
	K_ARCH_PRCTL,	/* ARCH_SET_FS ... */
	K_RLIMIT,	/* RLIMIT_* */
	K_EFD_FLAGS,	/* EFD_* (and the same bits of other *_CLOEXEC) */
	K_MEMFD_FLAGS,	/* MFD_* */
	K_XATTR_FLAGS,	/* XATTR_CREATE / XATTR_REPLACE */
	K_FLOCK_OP,	/* LOCK_* */
	K_FD_FLAGS,	/* FD_CLOEXEC */

	/* multiplexed: the kind depends on another argument; resolved by
	 * syscall_arg_kind() before capture and printing */
	K_PRCTL_ARG,	/* prctl arg2, by option */
	K_FCNTL_ARG,	/* fcntl arg, by cmd */

	/* memory read at the entry stop */
	K_PATH,		/* NUL-terminated path, read in full up to PATH_MAX */
	K_STR,		/* NUL-terminated data string, bounded by -s */
	K_ARGV,		/* execve argv: NULL-terminated array of strings */
	K_ENVP,		/* execve envp: names only unless --env-values */
	K_WBUF,		/* data written; length in the next argument;
			 * bytes recorded only with --data N */
	K_SOCKADDR,	/* struct sockaddr; length in the next argument */
	K_TIMESPEC,	/* struct timespec (64-bit time_t) */
	K_TIMESPEC32,	/* i386 struct old_timespec32 */
	K_CLONE_ARGS,	/* struct clone_args; size in the next argument */
	K_CAP_HEADER,	/* struct __user_cap_header_struct */
	K_CAP_DATA,	/* struct __user_cap_data_struct[2] (capset) */
	K_INTP,		/* pointer to an int read at entry */

	/* memory read at the exit stop, when the call succeeded */
	K_RBUF_OUT,	/* data read; length is the return value;
			 * bytes recorded only with --data N */
	K_SOCKADDR_OUT,	/* struct sockaddr; length pointer in the next arg */
	K_SOCKLEN_OUT,	/* socklen_t * : the length the kernel stored */
	K_FDPAIR_OUT,	/* int[2] of pipe, pipe2, socketpair */
	K_TIMESPEC_OUT,	/* struct timespec filled by the kernel */
	K_CAP_DATA_OUT,	/* struct __user_cap_data_struct[2] (capget) */
	K_WSTATUS_OUT,	/* int * wait status */
	K_UID_OUT,	/* uid_t * (getresuid) */
	K_GID_OUT,	/* gid_t * (getresgid) */
	K_INT_OUT,	/* int * (getsockopt optval, ...) */

	_K_MAX
};

/* System call classes (bit set), for filters: one bit per concern. */
#define CL_FILE 0x0001	  /* names a file by path, or file metadata */
#define CL_DESC 0x0002	  /* operates on a file descriptor */
#define CL_NET 0x0004	  /* sockets and networking */
#define CL_PROCESS 0x0008 /* process life cycle: fork, exec, exit, wait */
#define CL_CREDS 0x0010	  /* user and group ids, capabilities */
#define CL_IPC 0x0020	  /* System V and POSIX IPC, pipes, futexes */
#define CL_MEMORY 0x0040  /* address space: mmap, brk, mprotect ... */
#define CL_SIGNAL 0x0080  /* signals */
#define CL_TIME 0x0100	  /* clocks, timers, sleeps */
#define CL_SYSTEM 0x0200  /* system administration: mount, modules ... */
#define CL_SECURITY 0x0400 /* sandboxing and introspection: ptrace,
			    * seccomp, landlock, bpf, keys, prctl */
#define CL_SCHED 0x0800	  /* scheduling and resource limits */
#define CL_MISC 0x1000	  /* none of the above (getrandom, unused slots) */

#endif
