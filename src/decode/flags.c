/*
 * flags.c: xlat tables of flag sets and enums, values from the system
 * headers (FLAG(x) is { x, "x" }), and the printers of the flag kinds.
 * Constants newer than some supported headers sit under #ifdef.
 */
#include "decode/flags.h"

#include <asm/prctl.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>

#include "decode/kinds.h"
#include "decode/syscalls.h"

/*
 * glibc defines O_LARGEFILE as 0 on 64-bit targets; the bit the kernel
 * sees (and that 32-bit programs pass) is the asm-generic one.
 */
#define KERNEL_O_LARGEFILE 0100000

/* clang-format off */
static const struct xlat open_flags[] = {
	FLAG(O_TMPFILE),	/* includes O_DIRECTORY: first */
	FLAG(O_SYNC),		/* includes O_DSYNC: first */
	FLAG(O_CREAT), FLAG(O_EXCL), FLAG(O_NOCTTY), FLAG(O_TRUNC),
	FLAG(O_APPEND), FLAG(O_NONBLOCK), FLAG(O_DSYNC), FLAG(O_ASYNC),
	FLAG(O_DIRECT), { KERNEL_O_LARGEFILE, "O_LARGEFILE" },
	FLAG(O_DIRECTORY), FLAG(O_NOFOLLOW), FLAG(O_NOATIME),
	FLAG(O_CLOEXEC), FLAG(O_PATH),
	XLAT_END
};

static const struct xlat access_modes[] = {
	FLAG(R_OK), FLAG(W_OK), FLAG(X_OK),
	XLAT_END
};

static const struct xlat at_flags[] = {
	FLAG(AT_SYMLINK_NOFOLLOW), FLAG(AT_REMOVEDIR), FLAG(AT_SYMLINK_FOLLOW),
	FLAG(AT_NO_AUTOMOUNT), FLAG(AT_EMPTY_PATH),
	FLAG(AT_STATX_FORCE_SYNC), FLAG(AT_STATX_DONT_SYNC),
#ifdef AT_RECURSIVE
	FLAG(AT_RECURSIVE),
#endif
	XLAT_END
};

/* faccessat2: 0x200 is AT_EACCESS there, not AT_REMOVEDIR */
static const struct xlat faccessat_flags[] = {
	FLAG(AT_SYMLINK_NOFOLLOW), FLAG(AT_EACCESS), FLAG(AT_EMPTY_PATH),
	XLAT_END
};

static const struct xlat prot_flags[] = {
	FLAG(PROT_READ), FLAG(PROT_WRITE), FLAG(PROT_EXEC),
	FLAG(PROT_GROWSDOWN), FLAG(PROT_GROWSUP),
	XLAT_END
};

static const struct xlat mmap_flags[] = {
	FLAG(MAP_SHARED_VALIDATE),	/* SHARED|PRIVATE: first */
	FLAG(MAP_SHARED), FLAG(MAP_PRIVATE), FLAG(MAP_FIXED),
	FLAG(MAP_ANONYMOUS), FLAG(MAP_32BIT), FLAG(MAP_GROWSDOWN),
	FLAG(MAP_DENYWRITE), FLAG(MAP_EXECUTABLE), FLAG(MAP_LOCKED),
	FLAG(MAP_NORESERVE), FLAG(MAP_POPULATE), FLAG(MAP_NONBLOCK),
	FLAG(MAP_STACK), FLAG(MAP_HUGETLB), FLAG(MAP_SYNC),
	FLAG(MAP_FIXED_NOREPLACE),
#ifdef MAP_UNINITIALIZED
	FLAG(MAP_UNINITIALIZED),
#endif
	XLAT_END
};

static const struct xlat mremap_flags[] = {
	FLAG(MREMAP_MAYMOVE), FLAG(MREMAP_FIXED),
#ifdef MREMAP_DONTUNMAP
	FLAG(MREMAP_DONTUNMAP),
#endif
	XLAT_END
};

static const struct xlat madvices[] = {
	FLAG(MADV_NORMAL), FLAG(MADV_RANDOM), FLAG(MADV_SEQUENTIAL),
	FLAG(MADV_WILLNEED), FLAG(MADV_DONTNEED), FLAG(MADV_FREE),
	FLAG(MADV_REMOVE), FLAG(MADV_DONTFORK), FLAG(MADV_DOFORK),
	FLAG(MADV_MERGEABLE), FLAG(MADV_UNMERGEABLE), FLAG(MADV_HUGEPAGE),
	FLAG(MADV_NOHUGEPAGE), FLAG(MADV_DONTDUMP), FLAG(MADV_DODUMP),
	FLAG(MADV_WIPEONFORK), FLAG(MADV_KEEPONFORK), FLAG(MADV_COLD),
	FLAG(MADV_PAGEOUT), FLAG(MADV_HWPOISON),
#ifdef MADV_POPULATE_READ
	FLAG(MADV_POPULATE_READ), FLAG(MADV_POPULATE_WRITE),
#endif
#ifdef MADV_COLLAPSE
	FLAG(MADV_COLLAPSE),
#endif
	XLAT_END
};

static const struct xlat clone_flags[] = {
	FLAG(CLONE_VM), FLAG(CLONE_FS), FLAG(CLONE_FILES), FLAG(CLONE_SIGHAND),
	FLAG(CLONE_PIDFD), FLAG(CLONE_PTRACE), FLAG(CLONE_VFORK),
	FLAG(CLONE_PARENT), FLAG(CLONE_THREAD), FLAG(CLONE_NEWNS),
	FLAG(CLONE_SYSVSEM), FLAG(CLONE_SETTLS), FLAG(CLONE_PARENT_SETTID),
	FLAG(CLONE_CHILD_CLEARTID), FLAG(CLONE_DETACHED), FLAG(CLONE_UNTRACED),
	FLAG(CLONE_CHILD_SETTID), FLAG(CLONE_NEWCGROUP), FLAG(CLONE_NEWUTS),
	FLAG(CLONE_NEWIPC), FLAG(CLONE_NEWUSER), FLAG(CLONE_NEWPID),
	FLAG(CLONE_NEWNET), FLAG(CLONE_IO),
	XLAT_END
};

/* clone3's 64-bit flags: no exit signal in the low byte */
static const struct xlat clone3_flags[] = {
	FLAG(CLONE_NEWTIME),
#ifdef CLONE_CLEAR_SIGHAND
	FLAG(CLONE_CLEAR_SIGHAND),
#else
	{ 0x100000000ULL, "CLONE_CLEAR_SIGHAND" },
#endif
#ifdef CLONE_INTO_CGROUP
	FLAG(CLONE_INTO_CGROUP),
#else
	{ 0x200000000ULL, "CLONE_INTO_CGROUP" },
#endif
	XLAT_END
};

static const struct xlat unshare_flags[] = {
	FLAG(CLONE_FILES), FLAG(CLONE_FS), FLAG(CLONE_NEWCGROUP),
	FLAG(CLONE_NEWIPC), FLAG(CLONE_NEWNET), FLAG(CLONE_NEWNS),
	FLAG(CLONE_NEWPID), FLAG(CLONE_NEWTIME), FLAG(CLONE_NEWUSER),
	FLAG(CLONE_NEWUTS), FLAG(CLONE_SYSVSEM), FLAG(CLONE_THREAD),
	FLAG(CLONE_SIGHAND), FLAG(CLONE_VM),
	XLAT_END
};

static const struct xlat sock_domains[] = {
	FLAG(AF_UNSPEC), FLAG(AF_UNIX), FLAG(AF_INET), FLAG(AF_AX25),
	FLAG(AF_IPX), FLAG(AF_APPLETALK), FLAG(AF_NETROM), FLAG(AF_BRIDGE),
	FLAG(AF_ATMPVC), FLAG(AF_X25), FLAG(AF_INET6), FLAG(AF_ROSE),
	FLAG(AF_DECnet), FLAG(AF_NETBEUI), FLAG(AF_SECURITY), FLAG(AF_KEY),
	FLAG(AF_NETLINK), FLAG(AF_PACKET), FLAG(AF_ASH), FLAG(AF_ECONET),
	FLAG(AF_ATMSVC), FLAG(AF_RDS), FLAG(AF_SNA), FLAG(AF_IRDA),
	FLAG(AF_PPPOX), FLAG(AF_WANPIPE), FLAG(AF_LLC), FLAG(AF_IB),
	FLAG(AF_MPLS), FLAG(AF_CAN), FLAG(AF_TIPC), FLAG(AF_BLUETOOTH),
	FLAG(AF_IUCV), FLAG(AF_RXRPC), FLAG(AF_ISDN), FLAG(AF_PHONET),
	FLAG(AF_IEEE802154), FLAG(AF_CAIF), FLAG(AF_ALG), FLAG(AF_NFC),
	FLAG(AF_VSOCK), FLAG(AF_KCM), FLAG(AF_QIPCRTR), FLAG(AF_SMC),
	FLAG(AF_XDP),
#ifdef AF_MCTP
	FLAG(AF_MCTP),
#endif
	XLAT_END
};

static const struct xlat sock_types[] = {
	FLAG(SOCK_STREAM), FLAG(SOCK_DGRAM), FLAG(SOCK_RAW), FLAG(SOCK_RDM),
	FLAG(SOCK_SEQPACKET), FLAG(SOCK_DCCP), FLAG(SOCK_PACKET),
	XLAT_END
};

static const struct xlat sock_type_flags[] = {
	FLAG(SOCK_CLOEXEC), FLAG(SOCK_NONBLOCK),
	XLAT_END
};

static const struct xlat inet_protos[] = {
	FLAG(IPPROTO_IP), FLAG(IPPROTO_ICMP), FLAG(IPPROTO_IGMP),
	FLAG(IPPROTO_IPIP), FLAG(IPPROTO_TCP), FLAG(IPPROTO_EGP),
	FLAG(IPPROTO_PUP), FLAG(IPPROTO_UDP), FLAG(IPPROTO_IDP),
	FLAG(IPPROTO_TP), FLAG(IPPROTO_DCCP), FLAG(IPPROTO_IPV6),
	FLAG(IPPROTO_RSVP), FLAG(IPPROTO_GRE), FLAG(IPPROTO_ESP),
	FLAG(IPPROTO_AH), FLAG(IPPROTO_ICMPV6), FLAG(IPPROTO_MTP),
	FLAG(IPPROTO_ENCAP), FLAG(IPPROTO_PIM), FLAG(IPPROTO_COMP),
	FLAG(IPPROTO_SCTP), FLAG(IPPROTO_UDPLITE), FLAG(IPPROTO_MPLS),
	FLAG(IPPROTO_RAW),
#ifdef IPPROTO_MPTCP
	FLAG(IPPROTO_MPTCP),
#endif
	XLAT_END
};

static const struct xlat netlink_protos[] = {
	FLAG(NETLINK_ROUTE), FLAG(NETLINK_UNUSED), FLAG(NETLINK_USERSOCK),
	FLAG(NETLINK_FIREWALL), FLAG(NETLINK_SOCK_DIAG), FLAG(NETLINK_NFLOG),
	FLAG(NETLINK_XFRM), FLAG(NETLINK_SELINUX), FLAG(NETLINK_ISCSI),
	FLAG(NETLINK_AUDIT), FLAG(NETLINK_FIB_LOOKUP), FLAG(NETLINK_CONNECTOR),
	FLAG(NETLINK_NETFILTER), FLAG(NETLINK_IP6_FW), FLAG(NETLINK_DNRTMSG),
	FLAG(NETLINK_KOBJECT_UEVENT), FLAG(NETLINK_GENERIC),
	FLAG(NETLINK_SCSITRANSPORT), FLAG(NETLINK_ECRYPTFS), FLAG(NETLINK_RDMA),
	FLAG(NETLINK_CRYPTO), FLAG(NETLINK_SMC),
	XLAT_END
};

static const struct xlat msg_flags[] = {
	FLAG(MSG_OOB), FLAG(MSG_PEEK), FLAG(MSG_DONTROUTE), FLAG(MSG_CTRUNC),
	FLAG(MSG_PROXY), FLAG(MSG_TRUNC), FLAG(MSG_DONTWAIT), FLAG(MSG_EOR),
	FLAG(MSG_WAITALL), FLAG(MSG_FIN), FLAG(MSG_SYN), FLAG(MSG_CONFIRM),
	FLAG(MSG_RST), FLAG(MSG_ERRQUEUE), FLAG(MSG_NOSIGNAL), FLAG(MSG_MORE),
	FLAG(MSG_WAITFORONE), FLAG(MSG_BATCH), FLAG(MSG_ZEROCOPY),
	FLAG(MSG_FASTOPEN), FLAG(MSG_CMSG_CLOEXEC),
	XLAT_END
};

static const struct xlat shut_hows[] = {
	FLAG(SHUT_RD), FLAG(SHUT_WR), FLAG(SHUT_RDWR),
	XLAT_END
};

static const struct xlat sockopt_levels[] = {
	FLAG(SOL_SOCKET), FLAG(SOL_IP), { IPPROTO_TCP, "SOL_TCP" },
	{ IPPROTO_UDP, "SOL_UDP" },
	FLAG(SOL_IPV6), FLAG(SOL_ICMPV6), FLAG(SOL_RAW), FLAG(SOL_PACKET),
	FLAG(SOL_NETLINK), FLAG(SOL_ALG), FLAG(SOL_TLS),
	XLAT_END
};

static const struct xlat signals[] = {
	FLAG(SIGHUP), FLAG(SIGINT), FLAG(SIGQUIT), FLAG(SIGILL), FLAG(SIGTRAP),
	FLAG(SIGABRT), FLAG(SIGBUS), FLAG(SIGFPE), FLAG(SIGKILL),
	FLAG(SIGUSR1), FLAG(SIGSEGV), FLAG(SIGUSR2), FLAG(SIGPIPE),
	FLAG(SIGALRM), FLAG(SIGTERM), FLAG(SIGSTKFLT), FLAG(SIGCHLD),
	FLAG(SIGCONT), FLAG(SIGSTOP), FLAG(SIGTSTP), FLAG(SIGTTIN),
	FLAG(SIGTTOU), FLAG(SIGURG), FLAG(SIGXCPU), FLAG(SIGXFSZ),
	FLAG(SIGVTALRM), FLAG(SIGPROF), FLAG(SIGWINCH), FLAG(SIGIO),
	FLAG(SIGPWR), FLAG(SIGSYS),
	XLAT_END
};

static const struct xlat sigprocmask_hows[] = {
	FLAG(SIG_BLOCK), FLAG(SIG_UNBLOCK), FLAG(SIG_SETMASK),
	XLAT_END
};

static const struct xlat wait_options[] = {
	FLAG(WNOHANG), FLAG(WUNTRACED), FLAG(WEXITED), FLAG(WCONTINUED),
	FLAG(WNOWAIT), FLAG(__WNOTHREAD), FLAG(__WALL), FLAG(__WCLONE),
	XLAT_END
};

/* waitid: 2 is WSTOPPED there (WUNTRACED in waitpid) */
static const struct xlat waitid_options[] = {
	FLAG(WNOHANG), FLAG(WSTOPPED), FLAG(WEXITED), FLAG(WCONTINUED),
	FLAG(WNOWAIT), FLAG(__WNOTHREAD), FLAG(__WALL), FLAG(__WCLONE),
	XLAT_END
};

static const struct xlat waitid_types[] = {
	FLAG(P_ALL), FLAG(P_PID), FLAG(P_PGID), FLAG(P_PIDFD),
	XLAT_END
};

static const struct xlat prctl_options[] = {
	FLAG(PR_SET_PDEATHSIG), FLAG(PR_GET_PDEATHSIG), FLAG(PR_GET_DUMPABLE),
	FLAG(PR_SET_DUMPABLE), FLAG(PR_GET_UNALIGN), FLAG(PR_SET_UNALIGN),
	FLAG(PR_GET_KEEPCAPS), FLAG(PR_SET_KEEPCAPS), FLAG(PR_GET_FPEMU),
	FLAG(PR_SET_FPEMU), FLAG(PR_GET_FPEXC), FLAG(PR_SET_FPEXC),
	FLAG(PR_GET_TIMING), FLAG(PR_SET_TIMING), FLAG(PR_SET_NAME),
	FLAG(PR_GET_NAME), FLAG(PR_GET_ENDIAN), FLAG(PR_SET_ENDIAN),
	FLAG(PR_GET_SECCOMP), FLAG(PR_SET_SECCOMP), FLAG(PR_CAPBSET_READ),
	FLAG(PR_CAPBSET_DROP), FLAG(PR_GET_TSC), FLAG(PR_SET_TSC),
	FLAG(PR_GET_SECUREBITS), FLAG(PR_SET_SECUREBITS),
	FLAG(PR_SET_TIMERSLACK), FLAG(PR_GET_TIMERSLACK),
	FLAG(PR_TASK_PERF_EVENTS_DISABLE), FLAG(PR_TASK_PERF_EVENTS_ENABLE),
	FLAG(PR_MCE_KILL), FLAG(PR_MCE_KILL_GET), FLAG(PR_SET_MM),
	FLAG(PR_SET_PTRACER), FLAG(PR_SET_CHILD_SUBREAPER),
	FLAG(PR_GET_CHILD_SUBREAPER), FLAG(PR_SET_NO_NEW_PRIVS),
	FLAG(PR_GET_NO_NEW_PRIVS), FLAG(PR_GET_TID_ADDRESS),
	FLAG(PR_SET_THP_DISABLE), FLAG(PR_GET_THP_DISABLE),
	FLAG(PR_MPX_ENABLE_MANAGEMENT), FLAG(PR_MPX_DISABLE_MANAGEMENT),
	FLAG(PR_SET_FP_MODE), FLAG(PR_GET_FP_MODE), FLAG(PR_CAP_AMBIENT),
	FLAG(PR_SVE_SET_VL), FLAG(PR_SVE_GET_VL),
	FLAG(PR_GET_SPECULATION_CTRL), FLAG(PR_SET_SPECULATION_CTRL),
	FLAG(PR_PAC_RESET_KEYS), FLAG(PR_SET_TAGGED_ADDR_CTRL),
	FLAG(PR_GET_TAGGED_ADDR_CTRL), FLAG(PR_SET_IO_FLUSHER),
	FLAG(PR_GET_IO_FLUSHER),
#ifdef PR_SET_SYSCALL_USER_DISPATCH
	FLAG(PR_SET_SYSCALL_USER_DISPATCH),
#endif
#ifdef PR_SCHED_CORE
	FLAG(PR_SCHED_CORE),
#endif
#ifdef PR_SET_MDWE
	FLAG(PR_SET_MDWE), FLAG(PR_GET_MDWE),
#endif
#ifdef PR_SET_VMA
	FLAG(PR_SET_VMA),
#endif
	XLAT_END
};

static const struct xlat ptrace_requests[] = {
	FLAG(PTRACE_TRACEME), FLAG(PTRACE_PEEKTEXT), FLAG(PTRACE_PEEKDATA),
	FLAG(PTRACE_PEEKUSER), FLAG(PTRACE_POKETEXT), FLAG(PTRACE_POKEDATA),
	FLAG(PTRACE_POKEUSER), FLAG(PTRACE_CONT), FLAG(PTRACE_KILL),
	FLAG(PTRACE_SINGLESTEP), FLAG(PTRACE_GETREGS), FLAG(PTRACE_SETREGS),
	FLAG(PTRACE_GETFPREGS), FLAG(PTRACE_SETFPREGS), FLAG(PTRACE_ATTACH),
	FLAG(PTRACE_DETACH), FLAG(PTRACE_GETFPXREGS), FLAG(PTRACE_SETFPXREGS),
	FLAG(PTRACE_SYSCALL), FLAG(PTRACE_SYSEMU),
	FLAG(PTRACE_SYSEMU_SINGLESTEP), FLAG(PTRACE_SETOPTIONS),
	FLAG(PTRACE_GETEVENTMSG), FLAG(PTRACE_GETSIGINFO),
	FLAG(PTRACE_SETSIGINFO), FLAG(PTRACE_GETREGSET),
	FLAG(PTRACE_SETREGSET), FLAG(PTRACE_SEIZE), FLAG(PTRACE_INTERRUPT),
	FLAG(PTRACE_LISTEN), FLAG(PTRACE_PEEKSIGINFO),
	FLAG(PTRACE_GETSIGMASK), FLAG(PTRACE_SETSIGMASK),
	FLAG(PTRACE_SECCOMP_GET_FILTER), FLAG(PTRACE_SECCOMP_GET_METADATA),
	FLAG(PTRACE_GET_SYSCALL_INFO),
#ifdef PTRACE_GET_RSEQ_CONFIGURATION
	FLAG(PTRACE_GET_RSEQ_CONFIGURATION),
#endif
	FLAG(PTRACE_ARCH_PRCTL),
	XLAT_END
};

static const struct xlat mount_flags[] = {
	FLAG(MS_RDONLY), FLAG(MS_NOSUID), FLAG(MS_NODEV), FLAG(MS_NOEXEC),
	FLAG(MS_SYNCHRONOUS), FLAG(MS_REMOUNT), FLAG(MS_MANDLOCK),
	FLAG(MS_DIRSYNC),
#ifdef MS_NOSYMFOLLOW
	FLAG(MS_NOSYMFOLLOW),
#endif
	FLAG(MS_NOATIME), FLAG(MS_NODIRATIME), FLAG(MS_BIND), FLAG(MS_MOVE),
	FLAG(MS_REC), FLAG(MS_SILENT), FLAG(MS_POSIXACL), FLAG(MS_UNBINDABLE),
	FLAG(MS_PRIVATE), FLAG(MS_SLAVE), FLAG(MS_SHARED), FLAG(MS_RELATIME),
	FLAG(MS_KERNMOUNT), FLAG(MS_I_VERSION), FLAG(MS_STRICTATIME),
	FLAG(MS_LAZYTIME), FLAG(MS_ACTIVE), FLAG(MS_NOUSER),
	XLAT_END
};

static const struct xlat umount_flags[] = {
	FLAG(MNT_FORCE), FLAG(MNT_DETACH), FLAG(MNT_EXPIRE),
	FLAG(UMOUNT_NOFOLLOW),
	XLAT_END
};

static const struct xlat personas[] = {
	FLAG(PER_LINUX), FLAG(PER_SVR4), FLAG(PER_SVR3), FLAG(PER_SCOSVR3),
	FLAG(PER_OSR5), FLAG(PER_WYSEV386), FLAG(PER_ISCR4), FLAG(PER_BSD),
	FLAG(PER_SUNOS), FLAG(PER_XENIX), FLAG(PER_LINUX32),
	FLAG(PER_LINUX32_3GB), FLAG(PER_IRIX32), FLAG(PER_IRIXN32),
	FLAG(PER_IRIX64), FLAG(PER_RISCOS), FLAG(PER_SOLARIS), FLAG(PER_UW7),
	FLAG(PER_OSF4), FLAG(PER_HPUX),
	XLAT_END
};

static const struct xlat persona_flags[] = {
	FLAG(UNAME26), FLAG(ADDR_NO_RANDOMIZE), FLAG(FDPIC_FUNCPTRS),
	FLAG(MMAP_PAGE_ZERO), FLAG(ADDR_COMPAT_LAYOUT),
	FLAG(READ_IMPLIES_EXEC), FLAG(ADDR_LIMIT_32BIT), FLAG(SHORT_INODE),
	FLAG(WHOLE_SECONDS), FLAG(STICKY_TIMEOUTS), FLAG(ADDR_LIMIT_3GB),
	XLAT_END
};

static const struct xlat caps[] = {
	FLAG(CAP_CHOWN), FLAG(CAP_DAC_OVERRIDE), FLAG(CAP_DAC_READ_SEARCH),
	FLAG(CAP_FOWNER), FLAG(CAP_FSETID), FLAG(CAP_KILL), FLAG(CAP_SETGID),
	FLAG(CAP_SETUID), FLAG(CAP_SETPCAP), FLAG(CAP_LINUX_IMMUTABLE),
	FLAG(CAP_NET_BIND_SERVICE), FLAG(CAP_NET_BROADCAST),
	FLAG(CAP_NET_ADMIN), FLAG(CAP_NET_RAW), FLAG(CAP_IPC_LOCK),
	FLAG(CAP_IPC_OWNER), FLAG(CAP_SYS_MODULE), FLAG(CAP_SYS_RAWIO),
	FLAG(CAP_SYS_CHROOT), FLAG(CAP_SYS_PTRACE), FLAG(CAP_SYS_PACCT),
	FLAG(CAP_SYS_ADMIN), FLAG(CAP_SYS_BOOT), FLAG(CAP_SYS_NICE),
	FLAG(CAP_SYS_RESOURCE), FLAG(CAP_SYS_TIME), FLAG(CAP_SYS_TTY_CONFIG),
	FLAG(CAP_MKNOD), FLAG(CAP_LEASE), FLAG(CAP_AUDIT_WRITE),
	FLAG(CAP_AUDIT_CONTROL), FLAG(CAP_SETFCAP), FLAG(CAP_MAC_OVERRIDE),
	FLAG(CAP_MAC_ADMIN), FLAG(CAP_SYSLOG), FLAG(CAP_WAKE_ALARM),
	FLAG(CAP_BLOCK_SUSPEND), FLAG(CAP_AUDIT_READ), FLAG(CAP_PERFMON),
	FLAG(CAP_BPF), FLAG(CAP_CHECKPOINT_RESTORE),
	XLAT_END
};

static const struct xlat whences[] = {
	FLAG(SEEK_SET), FLAG(SEEK_CUR), FLAG(SEEK_END), FLAG(SEEK_DATA),
	FLAG(SEEK_HOLE),
	XLAT_END
};

static const struct xlat fcntl_cmds[] = {
	FLAG(F_DUPFD), FLAG(F_GETFD), FLAG(F_SETFD), FLAG(F_GETFL),
	FLAG(F_SETFL), FLAG(F_GETLK), FLAG(F_SETLK), FLAG(F_SETLKW),
	FLAG(F_SETOWN), FLAG(F_GETOWN), FLAG(F_SETSIG), FLAG(F_GETSIG),
	FLAG(F_SETOWN_EX), FLAG(F_GETOWN_EX), FLAG(F_OFD_GETLK),
	FLAG(F_OFD_SETLK), FLAG(F_OFD_SETLKW), FLAG(F_SETLEASE),
	FLAG(F_GETLEASE), FLAG(F_NOTIFY), FLAG(F_DUPFD_CLOEXEC),
	FLAG(F_SETPIPE_SZ), FLAG(F_GETPIPE_SZ), FLAG(F_ADD_SEALS),
	FLAG(F_GET_SEALS), FLAG(F_GET_RW_HINT), FLAG(F_SET_RW_HINT),
	FLAG(F_GET_FILE_RW_HINT), FLAG(F_SET_FILE_RW_HINT),
	XLAT_END
};

static const struct xlat clockids[] = {
	FLAG(CLOCK_REALTIME), FLAG(CLOCK_MONOTONIC),
	FLAG(CLOCK_PROCESS_CPUTIME_ID), FLAG(CLOCK_THREAD_CPUTIME_ID),
	FLAG(CLOCK_MONOTONIC_RAW), FLAG(CLOCK_REALTIME_COARSE),
	FLAG(CLOCK_MONOTONIC_COARSE), FLAG(CLOCK_BOOTTIME),
	FLAG(CLOCK_REALTIME_ALARM), FLAG(CLOCK_BOOTTIME_ALARM), FLAG(CLOCK_TAI),
	XLAT_END
};

static const struct xlat rename_flags[] = {
	FLAG(RENAME_NOREPLACE), FLAG(RENAME_EXCHANGE), FLAG(RENAME_WHITEOUT),
	XLAT_END
};

static const struct xlat futex_cmds[] = {
	FLAG(FUTEX_WAIT), FLAG(FUTEX_WAKE), FLAG(FUTEX_FD), FLAG(FUTEX_REQUEUE),
	FLAG(FUTEX_CMP_REQUEUE), FLAG(FUTEX_WAKE_OP), FLAG(FUTEX_LOCK_PI),
	FLAG(FUTEX_UNLOCK_PI), FLAG(FUTEX_TRYLOCK_PI), FLAG(FUTEX_WAIT_BITSET),
	FLAG(FUTEX_WAKE_BITSET), FLAG(FUTEX_WAIT_REQUEUE_PI),
	FLAG(FUTEX_CMP_REQUEUE_PI),
#ifdef FUTEX_LOCK_PI2
	FLAG(FUTEX_LOCK_PI2),
#endif
	XLAT_END
};

static const struct xlat futex_flags[] = {
	FLAG(FUTEX_PRIVATE_FLAG), FLAG(FUTEX_CLOCK_REALTIME),
	XLAT_END
};

static const struct xlat seccomp_ops[] = {
	FLAG(SECCOMP_SET_MODE_STRICT), FLAG(SECCOMP_SET_MODE_FILTER),
	FLAG(SECCOMP_GET_ACTION_AVAIL), FLAG(SECCOMP_GET_NOTIF_SIZES),
	XLAT_END
};

static const struct xlat arch_prctl_codes[] = {
	FLAG(ARCH_SET_GS), FLAG(ARCH_SET_FS), FLAG(ARCH_GET_FS),
	FLAG(ARCH_GET_GS), FLAG(ARCH_GET_CPUID), FLAG(ARCH_SET_CPUID),
#ifdef ARCH_GET_XCOMP_SUPP
	FLAG(ARCH_GET_XCOMP_SUPP), FLAG(ARCH_GET_XCOMP_PERM),
	FLAG(ARCH_REQ_XCOMP_PERM),
#endif
	FLAG(ARCH_MAP_VDSO_X32), FLAG(ARCH_MAP_VDSO_32), FLAG(ARCH_MAP_VDSO_64),
	XLAT_END
};

static const struct xlat rlimits[] = {
	FLAG(RLIMIT_CPU), FLAG(RLIMIT_FSIZE), FLAG(RLIMIT_DATA),
	FLAG(RLIMIT_STACK), FLAG(RLIMIT_CORE), FLAG(RLIMIT_RSS),
	FLAG(RLIMIT_NPROC), FLAG(RLIMIT_NOFILE), FLAG(RLIMIT_MEMLOCK),
	FLAG(RLIMIT_AS), FLAG(RLIMIT_LOCKS), FLAG(RLIMIT_SIGPENDING),
	FLAG(RLIMIT_MSGQUEUE), FLAG(RLIMIT_NICE), FLAG(RLIMIT_RTPRIO),
	FLAG(RLIMIT_RTTIME),
	XLAT_END
};

/* pipe2, dup3, eventfd2, epoll_create1, inotify_init1, timerfd_create,
 * signalfd4 and userfaultfd share these open(2) bits (O_DIRECT: pipe2's
 * packet mode) */
static const struct xlat cloexec_flags[] = {
	FLAG(O_CLOEXEC), FLAG(O_NONBLOCK), FLAG(O_DIRECT),
	XLAT_END
};

static const struct xlat memfd_flags[] = {
	FLAG(MFD_CLOEXEC), FLAG(MFD_ALLOW_SEALING), FLAG(MFD_HUGETLB),
#ifdef MFD_NOEXEC_SEAL
	FLAG(MFD_NOEXEC_SEAL), FLAG(MFD_EXEC),
#endif
	XLAT_END
};

static const struct xlat xattr_flags[] = {
	FLAG(XATTR_CREATE), FLAG(XATTR_REPLACE),
	XLAT_END
};

static const struct xlat fd_flags[] = {
	FLAG(FD_CLOEXEC),
	XLAT_END
};

static const struct xlat flock_ops[] = {
	FLAG(LOCK_SH), FLAG(LOCK_EX), FLAG(LOCK_NB), FLAG(LOCK_UN),
	XLAT_END
};
/* clang-format on */

void xlat_flags(struct buf *b, const struct xlat *x, uint64_t v)
{
	size_t start = b->len;

	if (v == 0) {
		const char *z = xlat_name(x, 0);

		buf_adds(b, z != NULL ? z : "0");
		return;
	}
	for (; x->name != NULL; x++) {
		if (x->val == 0 || (v & x->val) != x->val)
			continue;
		if (b->len > start)
			buf_addch(b, '|');
		buf_adds(b, x->name);
		v &= ~x->val;
	}
	if (v != 0) {
		if (b->len > start)
			buf_addch(b, '|');
		buf_addf(b, "%#llx", (unsigned long long)v);
	}
}

const char *xlat_name(const struct xlat *x, uint64_t v)
{
	for (; x->name != NULL; x++)
		if (x->val == v)
			return x->name;
	return NULL;
}

const char *signal_name(int sig, char tmp[16])
{
	const char *n = xlat_name(signals, (uint64_t)sig);

	if (n != NULL)
		return n;
	/* the kernel's real-time signals are 32..64 (glibc takes 32, 33) */
	if (sig >= 32 && sig <= 64) {
		snprintf(tmp, 16, "SIGRT_%d", sig - 32);
		return tmp;
	}
	return NULL;
}

const char *cap_name(int cap)
{
	/* caps[] lists them in order of number: look there first */
	if (cap >= 0 && (size_t)cap < sizeof(caps) / sizeof(caps[0]) &&
	    caps[cap].name != NULL && caps[cap].val == (uint64_t)cap)
		return caps[cap].name;
	return cap < 0 ? NULL : xlat_name(caps, (uint64_t)cap);
}

void caps_print(struct vout *o, uint64_t set)
{
	struct buf *b = o->b;
	size_t start;
	int i;

	start = vo_sym_begin(o);
	for (i = 0; i < 64; i++) {
		const char *n;

		if (!(set & (1ULL << i)))
			continue;
		if (b->len > start)
			buf_addch(b, '|');
		n = cap_name(i);
		if (n != NULL)
			buf_adds(b, n);
		else
			buf_addf(b, "CAP_%d", i);
	}
	if (b->len == start)
		buf_addch(b, '0');
	vo_sym_end(o);
}

/* An enum: its name, or the number. */
static void print_enum(struct vout *o, const struct xlat *x, int64_t v)
{
	const char *n = xlat_name(x, (uint64_t)v);

	if (n != NULL)
		vo_sym(o, n);
	else
		vo_int(o, v);
}

static void print_flags(struct vout *o, const struct xlat *x, uint64_t v)
{
	struct buf *b = o->b;

	(void)vo_sym_begin(o);
	xlat_flags(b, x, v);
	vo_sym_end(o);
}

static void print_open_flags(struct vout *o, uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					   "O_ACCMODE" };
	struct buf *b = o->b;

	(void)vo_sym_begin(o);
	buf_adds(b, acc[v & O_ACCMODE]);
	v &= ~(uint64_t)O_ACCMODE;
	if (v) {
		buf_addch(b, '|');
		xlat_flags(b, open_flags, v);
	}
	vo_sym_end(o);
}

/* Flags whose low byte is a signal number (clone's exit signal). */
static void print_clone_flags(struct vout *o, uint64_t v)
{
	struct buf *b = o->b;
	size_t start;
	char tmp[16];
	int sig = (int)(v & 0xff);

	start = vo_sym_begin(o);
	v &= ~(uint64_t)0xff;
	if (v || !sig)
		xlat_flags(b, clone_flags, v);
	if (sig) {
		const char *n = signal_name(sig, tmp);

		if (b->len > start)
			buf_addch(b, '|');
		if (n != NULL)
			buf_adds(b, n);
		else
			buf_addf(b, "%d", sig);
	}
	vo_sym_end(o);
}

static void print_sock_type(struct vout *o, uint64_t v)
{
	struct buf *b = o->b;
	const char *n = xlat_name(sock_types, v & 0xf);

	(void)vo_sym_begin(o);
	if (n != NULL)
		buf_adds(b, n);
	else
		buf_addf(b, "%llu", (unsigned long long)(v & 0xf));
	v &= ~(uint64_t)0xf;
	if (v) {
		buf_addch(b, '|');
		xlat_flags(b, sock_type_flags, v);
	}
	vo_sym_end(o);
}

static void print_personality(struct vout *o, uint64_t v)
{
	struct buf *b = o->b;
	const char *n;

	if (v == 0xffffffffu) { /* the query */
		vo_hex(o, v);
		return;
	}
	(void)vo_sym_begin(o);
	n = xlat_name(personas, v & PER_MASK);
	if (n != NULL)
		buf_adds(b, n);
	else
		buf_addf(b, "%#llx", (unsigned long long)(v & PER_MASK));
	v &= ~(uint64_t)PER_MASK;
	if (v) {
		buf_addch(b, '|');
		xlat_flags(b, persona_flags, v);
	}
	vo_sym_end(o);
}

static void print_mount_flags(struct vout *o, uint64_t v)
{
	struct buf *b = o->b;

	(void)vo_sym_begin(o);
	/* the historic magic number in the high half means nothing */
	if ((v & 0xffff0000u) == MS_MGC_VAL) {
		buf_adds(b, "MS_MGC_VAL");
		v &= ~(uint64_t)0xffff0000u;
		if (v) {
			buf_addch(b, '|');
			xlat_flags(b, mount_flags, v);
		}
	} else {
		xlat_flags(b, mount_flags, v);
	}
	vo_sym_end(o);
}

static void print_futex_op(struct vout *o, uint64_t v)
{
	struct buf *b = o->b;
	const char *n = xlat_name(futex_cmds, v & FUTEX_CMD_MASK);

	(void)vo_sym_begin(o);
	if (n != NULL)
		buf_adds(b, n);
	else
		buf_addf(b, "%llu", (unsigned long long)(v & FUTEX_CMD_MASK));
	v &= ~(uint64_t)FUTEX_CMD_MASK;
	if (v) {
		buf_addch(b, '|');
		xlat_flags(b, futex_flags, v);
	}
	vo_sym_end(o);
}

static void print_signal(struct vout *o, int64_t v)
{
	char tmp[16];
	const char *n = signal_name((int)v, tmp);

	if (n != NULL)
		vo_sym(o, n);
	else
		vo_int(o, v);
}

static void print_sock_proto(struct vout *o, uint64_t v,
			     const struct call_event *ev)
{
	int domain = (int)ev->args[0];

	if (domain == AF_INET || domain == AF_INET6)
		print_enum(o, inet_protos, (int)v);
	else if (domain == AF_NETLINK)
		print_enum(o, netlink_protos, (int)v);
	else
		vo_int(o, (int)v);
}

int flags_print(struct vout *o, int kind, uint64_t v,
		const struct call_event *ev)
{
	const char *name = syscall_name(ev->abi, ev->nr);

	switch (kind) {
	case K_OPEN_FLAGS:
		print_open_flags(o, (uint32_t)v);
		break;
	case K_ACCESS_MODE:
		if ((uint32_t)v == F_OK)
			vo_sym(o, "F_OK");
		else
			print_flags(o, access_modes, (uint32_t)v);
		break;
	case K_AT_FLAGS:
		if (name != NULL && strncmp(name, "faccessat", 9) == 0)
			print_flags(o, faccessat_flags, (uint32_t)v);
		else
			print_flags(o, at_flags, (uint32_t)v);
		break;
	case K_PROT:
		if ((uint32_t)v == PROT_NONE)
			vo_sym(o, "PROT_NONE");
		else
			print_flags(o, prot_flags, (uint32_t)v);
		break;
	case K_MMAP_FLAGS:
		print_flags(o, mmap_flags, (uint32_t)v);
		break;
	case K_MREMAP_FLAGS:
		print_flags(o, mremap_flags, (uint32_t)v);
		break;
	case K_MADVICE:
		print_enum(o, madvices, (int)v);
		break;
	case K_CLONE_FLAGS:
		print_clone_flags(o, v);
		break;
	case K_UNSHARE_FLAGS:
		print_flags(o, unshare_flags, (uint32_t)v);
		break;
	case K_SOCK_DOMAIN:
		print_enum(o, sock_domains, (int)v);
		break;
	case K_SOCK_TYPE:
		print_sock_type(o, (uint32_t)v);
		break;
	case K_SOCK_PROTO:
		print_sock_proto(o, v, ev);
		break;
	case K_SOCK_FLAGS:
		print_flags(o, sock_type_flags, (uint32_t)v);
		break;
	case K_MSG_FLAGS:
		print_flags(o, msg_flags, (uint32_t)v);
		break;
	case K_SHUT_HOW:
		print_enum(o, shut_hows, (int)v);
		break;
	case K_SOCKOPT_LEVEL:
		print_enum(o, sockopt_levels, (int)v);
		break;
	case K_SIGNAL:
		print_signal(o, (int)v);
		break;
	case K_SIGPROCMASK_HOW:
		print_enum(o, sigprocmask_hows, (int)v);
		break;
	case K_WAIT_OPTIONS:
		if (name != NULL && strcmp(name, "waitid") == 0)
			print_flags(o, waitid_options, (uint32_t)v);
		else
			print_flags(o, wait_options, (uint32_t)v);
		break;
	case K_WAITID_TYPE:
		print_enum(o, waitid_types, (int)v);
		break;
	case K_PRCTL_OPTION:
		print_enum(o, prctl_options, (int)v);
		break;
	case K_PTRACE_REQ:
		print_enum(o, ptrace_requests, (int64_t)v);
		break;
	case K_MOUNT_FLAGS:
		print_mount_flags(o, v);
		break;
	case K_UMOUNT_FLAGS:
		print_flags(o, umount_flags, (uint32_t)v);
		break;
	case K_PERSONALITY:
		print_personality(o, (uint32_t)v);
		break;
	case K_CAP:
		print_enum(o, caps, (int)v);
		break;
	case K_WHENCE:
		print_enum(o, whences, (int)v);
		break;
	case K_FCNTL_CMD:
		print_enum(o, fcntl_cmds, (int)v);
		break;
	case K_CLOCKID:
		print_enum(o, clockids, (int)v);
		break;
	case K_RENAME_FLAGS:
		print_flags(o, rename_flags, (uint32_t)v);
		break;
	case K_FUTEX_OP:
		print_futex_op(o, (uint32_t)v);
		break;
	case K_SECCOMP_OP:
		print_enum(o, seccomp_ops, (int)v);
		break;
	case K_ARCH_PRCTL:
		print_enum(o, arch_prctl_codes, (int)v);
		break;
	case K_RLIMIT:
		print_enum(o, rlimits, (int)v);
		break;
	case K_EFD_FLAGS:
		print_flags(o, cloexec_flags, (uint32_t)v);
		break;
	case K_MEMFD_FLAGS:
		print_flags(o, memfd_flags, (uint32_t)v);
		break;
	case K_XATTR_FLAGS:
		print_flags(o, xattr_flags, (uint32_t)v);
		break;
	case K_FLOCK_OP:
		print_flags(o, flock_ops, (uint32_t)v);
		break;
	case K_FD_FLAGS:
		print_flags(o, fd_flags, (uint32_t)v);
		break;
	default:
		return -1;
	}
	return 0;
}

void clone3_flags_print(struct vout *o, uint64_t v)
{
	const uint64_t extra = ~(uint64_t)0xffffffffu | CLONE_NEWTIME;
	struct buf *b = o->b;
	size_t start;

	start = vo_sym_begin(o);
	if ((v & ~extra) || !(v & extra))
		xlat_flags(b, clone_flags, v & ~extra);
	if (v & extra) {
		if (b->len > start)
			buf_addch(b, '|');
		xlat_flags(b, clone3_flags, v & extra);
	}
	vo_sym_end(o);
}
