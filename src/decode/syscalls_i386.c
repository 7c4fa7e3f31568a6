/*
 * syscalls_i386.c: the i386 system call table (int 0x80 from a 64-bit
 * process, or a 32-bit program), indexed by <asm/unistd_32.h>.
 *
 * Rows exist for the calls a security reader cares about (files, exec,
 * processes, credentials, sockets, memory protection, signals): those the
 * same as on x86_64 come from syscallent_common.h, those with i386
 * arguments (32-bit offsets and timespecs, clone's order, 16-bit ids,
 * old_mmap) are below.  The other
 * numbers are still named, from libseccomp, with raw arguments only.
 * Pointers and longs are 32 bits wide; the *_time64 calls take the 64-bit
 * struct timespec, the older ones struct old_timespec32.
 */
#include <asm/unistd_32.h>

#include "decode/table.h"

#define SC_BASE 0
/* clang-format off */
const struct syscall_desc sc_table_i386[] = {
#include "decode/syscallent_common.h"
SC(waitpid, CL_PROCESS, A(PID, pid), A(WSTATUS_OUT, wstatus), A(WAIT_OPTIONS, options)),
SC(umount, CL_FILE|CL_SYSTEM, A(PATH, target)),
SC(uselib, CL_FILE, A(PATH, library)),
SC(mmap, CL_MEMORY, A(PTR, args)),
SC(socketcall, CL_NET, A(INT, call), A(PTR, args)),
SC(ipc, CL_IPC, A(UINT, call), A(INT, first), A(ULONG, second), A(ULONG, third), A(PTR, ptr), A(LONG, fifth)),
SC(sigreturn, CL_SIGNAL),
SC(clone, CL_PROCESS, A(CLONE_FLAGS, flags), A(PTR, stack), A(PTR, parent_tid), A(HEX, tls), A(PTR, child_tid)),
SC(_llseek, CL_DESC, A(FD, fd), A(ULONG, offset_high), A(ULONG, offset_low), A(PTR, result), A(WHENCE, whence)),
SC(nanosleep, CL_TIME, A(TIMESPEC32, req), A(PTR, rem)),
SC(getresuid, CL_CREDS, A(PTR, ruid), A(PTR, euid), A(PTR, suid)),
SC(getresgid, CL_CREDS, A(PTR, rgid), A(PTR, egid), A(PTR, sgid)),
SC(pread64, CL_DESC, A(FD, fd), A(RBUF_OUT, buf), A(SIZE, count), A(ULONG, offset_low), A(ULONG, offset_high)),
SC(pwrite64, CL_DESC, A(FD, fd), A(WBUF, buf), A(SIZE, count), A(ULONG, offset_low), A(ULONG, offset_high)),
SC(mmap2, CL_MEMORY, A(PTR, addr), A(SIZE, length), A(PROT, prot), A(MMAP_FLAGS, flags), A(FD, fd), A(ULONG, pgoffset)),
SC(stat64, CL_FILE, A(PATH, pathname), A(PTR, statbuf)),
SC(lstat64, CL_FILE, A(PATH, pathname), A(PTR, statbuf)),
SC(fstat64, CL_DESC, A(FD, fd), A(PTR, statbuf)),
SC(lchown32, CL_FILE, A(PATH, pathname), A(UID, owner), A(GID, group)),
SC(getuid32, CL_CREDS),
SC(getgid32, CL_CREDS),
SC(geteuid32, CL_CREDS),
SC(getegid32, CL_CREDS),
SC(setreuid32, CL_CREDS, A(UID, ruid), A(UID, euid)),
SC(setregid32, CL_CREDS, A(GID, rgid), A(GID, egid)),
SC(getgroups32, CL_CREDS, A(INT, size), A(PTR, list)),
SC(setgroups32, CL_CREDS, A(SIZE, size), A(PTR, list)),
SC(fchown32, CL_DESC, A(FD, fd), A(UID, owner), A(GID, group)),
SC(setresuid32, CL_CREDS, A(UID, ruid), A(UID, euid), A(UID, suid)),
SC(getresuid32, CL_CREDS, A(UID_OUT, ruid), A(UID_OUT, euid), A(UID_OUT, suid)),
SC(setresgid32, CL_CREDS, A(GID, rgid), A(GID, egid), A(GID, sgid)),
SC(getresgid32, CL_CREDS, A(GID_OUT, rgid), A(GID_OUT, egid), A(GID_OUT, sgid)),
SC(chown32, CL_FILE, A(PATH, pathname), A(UID, owner), A(GID, group)),
SC(setuid32, CL_CREDS, A(UID, uid)),
SC(setgid32, CL_CREDS, A(GID, gid)),
SC(setfsuid32, CL_CREDS, A(UID, fsuid)),
SC(setfsgid32, CL_CREDS, A(GID, fsgid)),
SC(fcntl64, CL_DESC, A(FD, fd), A(FCNTL_CMD, cmd), A(FCNTL_ARG, arg)),
SC(set_thread_area, CL_PROCESS, A(PTR, u_info)),
SC(get_thread_area, CL_PROCESS, A(PTR, u_info)),
SC(clock_gettime, CL_TIME, A(CLOCKID, clockid), A(PTR, tp)),
SC(clock_nanosleep, CL_TIME, A(CLOCKID, clockid), A(HEX, flags), A(TIMESPEC32, request), A(PTR, remain)),
SC(fstatat64, CL_FILE, A(DIRFD, dirfd), A(PATH, pathname), A(PTR, statbuf), A(AT_FLAGS, flags)),
SC(clock_gettime64, CL_TIME, A(CLOCKID, clockid), A(TIMESPEC_OUT, tp)),
SC(clock_nanosleep_time64, CL_TIME, A(CLOCKID, clockid), A(HEX, flags), A(TIMESPEC, request), A(PTR, remain)),
SC(futex_time64, CL_IPC, A(PTR, uaddr), A(FUTEX_OP, futex_op), A(UINT, val), A(PTR, timeout), A(PTR, uaddr2), A(UINT, val3)),
};
/* clang-format on */
const size_t sc_table_i386_len =
	sizeof(sc_table_i386) / sizeof(sc_table_i386[0]);
