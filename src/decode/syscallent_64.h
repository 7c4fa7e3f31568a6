/*
 * syscallent_64.h: the rows of the x86_64 system call table (and of x32,
 * whose header numbers the same names differently): data, included by
 * syscalls.c and syscalls_x32.c inside an array initializer, after
 * strace's syscallent.h.  Argument names are those of the man pages.
 * Rows a header may lack (x32 leaves out the 64-bit-only ones; calls newer
 * than Linux 5.0) sit under #ifdef __NR_x.  Rows the i386 table shares
 * are in syscallent_common.h, included first.
 */
/* clang-format off */
#include "decode/syscallent_common.h"
SC(mmap, CL_MEMORY, A(PTR, addr), A(SIZE, length), A(PROT, prot), A(MMAP_FLAGS, flags), A(FD, fd), A(OFF, offset)),
SC(pread64, CL_DESC, A(FD, fd), A(RBUF_OUT, buf), A(SIZE, count), A(OFF, offset)),
SC(pwrite64, CL_DESC, A(FD, fd), A(WBUF, buf), A(SIZE, count), A(OFF, offset)),
SC(select, CL_DESC, A(INT, nfds), A(PTR, readfds), A(PTR, writefds), A(PTR, exceptfds), A(PTR, timeout)),
SC(msync, CL_MEMORY, A(PTR, addr), A(SIZE, length), A(HEX, flags)),
SC(mincore, CL_MEMORY, A(PTR, addr), A(SIZE, length), A(PTR, vec)),
SC(shmget, CL_IPC, A(HEX, key), A(SIZE, size), A(HEX, shmflg)),
SC(shmat, CL_IPC|CL_MEMORY, A(INT, shmid), A(PTR, shmaddr), A(HEX, shmflg)),
SC(shmctl, CL_IPC, A(INT, shmid), A(INT, cmd), A(PTR, buf)),
SC(nanosleep, CL_TIME, A(TIMESPEC, req), A(PTR, rem)),
SC(getitimer, CL_TIME, A(INT, which), A(PTR, curr_value)),
SC(setitimer, CL_TIME, A(INT, which), A(PTR, new_value), A(PTR, old_value)),
SC(sendfile, CL_DESC|CL_NET, A(FD, out_fd), A(FD, in_fd), A(PTR, offset), A(SIZE, count)),
SC(accept, CL_NET|CL_DESC, A(FD, sockfd), A(SOCKADDR_OUT, addr), A(SOCKLEN_OUT, addrlen)),
SC(clone, CL_PROCESS, A(CLONE_FLAGS, flags), A(PTR, stack), A(PTR, parent_tid), A(PTR, child_tid), A(HEX, tls)),
SC(semget, CL_IPC, A(HEX, key), A(INT, nsems), A(HEX, semflg)),
SC(semop, CL_IPC, A(INT, semid), A(PTR, sops), A(SIZE, nsops)),
SC(semctl, CL_IPC, A(INT, semid), A(INT, semnum), A(INT, cmd), A(HEX, arg)),
SC(shmdt, CL_IPC|CL_MEMORY, A(PTR, shmaddr)),
SC(msgget, CL_IPC, A(HEX, key), A(HEX, msgflg)),
SC(msgsnd, CL_IPC, A(INT, msqid), A(PTR, msgp), A(SIZE, msgsz), A(HEX, msgflg)),
SC(msgrcv, CL_IPC, A(INT, msqid), A(PTR, msgp), A(SIZE, msgsz), A(LONG, msgtyp), A(HEX, msgflg)),
SC(msgctl, CL_IPC, A(INT, msqid), A(INT, cmd), A(PTR, buf)),
SC(getdents, CL_DESC, A(FD, fd), A(PTR, dirp), A(UINT, count)),
SC(gettimeofday, CL_TIME, A(PTR, tv), A(PTR, tz)),
SC(getrusage, CL_SCHED, A(INT, who), A(PTR, usage)),
SC(sysinfo, CL_SYSTEM, A(PTR, info)),
SC(times, CL_TIME, A(PTR, buf)),
SC(syslog, CL_SYSTEM, A(INT, type), A(PTR, bufp), A(INT, len)),
SC(getgroups, CL_CREDS, A(INT, size), A(PTR, list)),
SC(setgroups, CL_CREDS, A(SIZE, size), A(PTR, list)),
SC(getresuid, CL_CREDS, A(UID_OUT, ruid), A(UID_OUT, euid), A(UID_OUT, suid)),
SC(getresgid, CL_CREDS, A(GID_OUT, rgid), A(GID_OUT, egid), A(GID_OUT, sgid)),
SC(rt_sigpending, CL_SIGNAL, A(PTR, set), A(SIZE, sigsetsize)),
SC(rt_sigtimedwait, CL_SIGNAL, A(PTR, set), A(PTR, info), A(TIMESPEC, timeout), A(SIZE, sigsetsize)),
SC(rt_sigqueueinfo, CL_SIGNAL, A(PID, tgid), A(SIGNAL, sig), A(PTR, info)),
SC(rt_sigsuspend, CL_SIGNAL, A(PTR, mask), A(SIZE, sigsetsize)),
SC(utime, CL_FILE, A(PATH, filename), A(PTR, times)),
#ifdef __NR_uselib
SC(uselib, CL_FILE, A(PATH, library)),
#endif
SC(ustat, CL_FILE, A(HEX, dev), A(PTR, ubuf)),
SC(sysfs, CL_SYSTEM, A(INT, option), A(ULONG, arg1), A(ULONG, arg2)),
SC(getpriority, CL_SCHED, A(INT, which), A(INT, who)),
SC(setpriority, CL_SCHED, A(INT, which), A(INT, who), A(INT, prio)),
SC(sched_setparam, CL_SCHED, A(PID, pid), A(PTR, param)),
SC(sched_getparam, CL_SCHED, A(PID, pid), A(PTR, param)),
SC(sched_setscheduler, CL_SCHED, A(PID, pid), A(INT, policy), A(PTR, param)),
SC(sched_getscheduler, CL_SCHED, A(PID, pid)),
SC(sched_get_priority_max, CL_SCHED, A(INT, policy)),
SC(sched_get_priority_min, CL_SCHED, A(INT, policy)),
SC(sched_rr_get_interval, CL_SCHED, A(PID, pid), A(TIMESPEC_OUT, tp)),
SC(mlockall, CL_MEMORY, A(HEX, flags)),
SC(munlockall, CL_MEMORY),
SC(vhangup, CL_SYSTEM),
#ifdef __NR__sysctl
SC(_sysctl, CL_SYSTEM, A(PTR, args)),
#endif
SC(adjtimex, CL_TIME, A(PTR, buf)),
SC(settimeofday, CL_TIME|CL_SYSTEM, A(PTR, tv), A(PTR, tz)),
#ifdef __NR_create_module
SC(create_module, CL_SYSTEM, A(STR, name), A(SIZE, size)),
#endif
#ifdef __NR_get_kernel_syms
SC(get_kernel_syms, CL_SYSTEM, A(PTR, table)),
#endif
#ifdef __NR_query_module
SC(query_module, CL_SYSTEM, A(STR, name), A(INT, which), A(PTR, buf), A(SIZE, bufsize), A(PTR, ret)),
#endif
#ifdef __NR_nfsservctl
SC(nfsservctl, CL_SYSTEM, A(INT, cmd), A(PTR, argp), A(PTR, resp)),
#endif
SC(getpmsg, CL_MISC),
SC(putpmsg, CL_MISC),
SC(afs_syscall, CL_MISC),
SC(tuxcall, CL_MISC),
SC(security, CL_MISC),
SC(readahead, CL_DESC, A(FD, fd), A(OFF, offset), A(SIZE, count)),
SC(lsetxattr, CL_FILE, A(PATH, path), A(STR, name), A(WBUF, value), A(SIZE, size), A(XATTR_FLAGS, flags)),
SC(fsetxattr, CL_DESC, A(FD, fd), A(STR, name), A(WBUF, value), A(SIZE, size), A(XATTR_FLAGS, flags)),
SC(lgetxattr, CL_FILE, A(PATH, path), A(STR, name), A(PTR, value), A(SIZE, size)),
SC(fgetxattr, CL_DESC, A(FD, fd), A(STR, name), A(PTR, value), A(SIZE, size)),
SC(listxattr, CL_FILE, A(PATH, path), A(PTR, list), A(SIZE, size)),
SC(llistxattr, CL_FILE, A(PATH, path), A(PTR, list), A(SIZE, size)),
SC(flistxattr, CL_DESC, A(FD, fd), A(PTR, list), A(SIZE, size)),
SC(removexattr, CL_FILE, A(PATH, path), A(STR, name)),
SC(lremovexattr, CL_FILE, A(PATH, path), A(STR, name)),
SC(fremovexattr, CL_DESC, A(FD, fd), A(STR, name)),
SC(sched_setaffinity, CL_SCHED, A(PID, pid), A(SIZE, cpusetsize), A(PTR, mask)),
SC(sched_getaffinity, CL_SCHED, A(PID, pid), A(SIZE, cpusetsize), A(PTR, mask)),
#ifdef __NR_set_thread_area
SC(set_thread_area, CL_PROCESS, A(PTR, u_info)),
#endif
SC(io_setup, CL_DESC, A(UINT, nr_events), A(PTR, ctx_idp)),
SC(io_destroy, CL_DESC, A(HEX, ctx_id)),
SC(io_getevents, CL_DESC, A(HEX, ctx_id), A(LONG, min_nr), A(LONG, nr), A(PTR, events), A(TIMESPEC, timeout)),
SC(io_submit, CL_DESC, A(HEX, ctx_id), A(LONG, nr), A(PTR, iocbpp)),
SC(io_cancel, CL_DESC, A(HEX, ctx_id), A(PTR, iocb), A(PTR, result)),
#ifdef __NR_get_thread_area
SC(get_thread_area, CL_PROCESS, A(PTR, u_info)),
#endif
SC(lookup_dcookie, CL_FILE, A(HEX, cookie), A(PTR, buffer), A(SIZE, len)),
SC(epoll_create, CL_DESC, A(INT, size)),
#ifdef __NR_epoll_ctl_old
SC(epoll_ctl_old, CL_DESC),
#endif
#ifdef __NR_epoll_wait_old
SC(epoll_wait_old, CL_DESC),
#endif
SC(remap_file_pages, CL_MEMORY, A(PTR, addr), A(SIZE, size), A(PROT, prot), A(SIZE, pgoff), A(MMAP_FLAGS, flags)),
SC(semtimedop, CL_IPC, A(INT, semid), A(PTR, sops), A(SIZE, nsops), A(TIMESPEC, timeout)),
SC(fadvise64, CL_DESC, A(FD, fd), A(OFF, offset), A(OFF, len), A(INT, advice)),
SC(timer_create, CL_TIME, A(CLOCKID, clockid), A(PTR, sevp), A(PTR, timerid)),
SC(timer_settime, CL_TIME, A(INT, timerid), A(HEX, flags), A(PTR, new_value), A(PTR, old_value)),
SC(timer_gettime, CL_TIME, A(INT, timerid), A(PTR, curr_value)),
SC(timer_getoverrun, CL_TIME, A(INT, timerid)),
SC(timer_delete, CL_TIME, A(INT, timerid)),
SC(clock_settime, CL_TIME|CL_SYSTEM, A(CLOCKID, clockid), A(TIMESPEC, tp)),
SC(clock_gettime, CL_TIME, A(CLOCKID, clockid), A(TIMESPEC_OUT, tp)),
SC(clock_getres, CL_TIME, A(CLOCKID, clockid), A(TIMESPEC_OUT, res)),
SC(clock_nanosleep, CL_TIME, A(CLOCKID, clockid), A(HEX, flags), A(TIMESPEC, request), A(PTR, remain)),
SC(epoll_wait, CL_DESC, A(FD, epfd), A(PTR, events), A(INT, maxevents), A(INT, timeout)),
SC(epoll_ctl, CL_DESC, A(FD, epfd), A(INT, op), A(FD, fd), A(PTR, event)),
SC(utimes, CL_FILE, A(PATH, filename), A(PTR, times)),
#ifdef __NR_vserver
SC(vserver, CL_MISC),
#endif
SC(mbind, CL_MEMORY, A(PTR, addr), A(ULONG, len), A(INT, mode), A(PTR, nodemask), A(ULONG, maxnode), A(HEX, flags)),
SC(set_mempolicy, CL_MEMORY, A(INT, mode), A(PTR, nodemask), A(ULONG, maxnode)),
SC(get_mempolicy, CL_MEMORY, A(PTR, mode), A(PTR, nodemask), A(ULONG, maxnode), A(PTR, addr), A(HEX, flags)),
SC(mq_open, CL_IPC|CL_DESC, A(STR, name), A(OPEN_FLAGS, oflag), A(MODE, mode), A(PTR, attr)),
SC(mq_unlink, CL_IPC, A(STR, name)),
SC(mq_timedsend, CL_IPC, A(FD, mqdes), A(WBUF, msg_ptr), A(SIZE, msg_len), A(UINT, msg_prio), A(TIMESPEC, abs_timeout)),
SC(mq_timedreceive, CL_IPC, A(FD, mqdes), A(RBUF_OUT, msg_ptr), A(SIZE, msg_len), A(PTR, msg_prio), A(TIMESPEC, abs_timeout)),
SC(mq_notify, CL_IPC, A(FD, mqdes), A(PTR, sevp)),
SC(mq_getsetattr, CL_IPC, A(FD, mqdes), A(PTR, newattr), A(PTR, oldattr)),
SC(add_key, CL_SECURITY, A(STR, type), A(STR, description), A(PTR, payload), A(SIZE, plen), A(INT, keyring)),
SC(request_key, CL_SECURITY, A(STR, type), A(STR, description), A(STR, callout_info), A(INT, dest_keyring)),
SC(keyctl, CL_SECURITY, A(INT, operation), A(ULONG, arg2), A(ULONG, arg3), A(ULONG, arg4), A(ULONG, arg5)),
SC(ioprio_set, CL_SCHED, A(INT, which), A(INT, who), A(INT, ioprio)),
SC(ioprio_get, CL_SCHED, A(INT, which), A(INT, who)),
SC(inotify_init, CL_DESC),
SC(inotify_add_watch, CL_FILE|CL_DESC, A(FD, fd), A(PATH, pathname), A(HEX, mask)),
SC(inotify_rm_watch, CL_DESC, A(FD, fd), A(INT, wd)),
SC(migrate_pages, CL_MEMORY, A(PID, pid), A(ULONG, maxnode), A(PTR, old_nodes), A(PTR, new_nodes)),
SC(futimesat, CL_FILE, A(DIRFD, dirfd), A(PATH, pathname), A(PTR, times)),
SC(newfstatat, CL_FILE, A(DIRFD, dirfd), A(PATH, pathname), A(PTR, statbuf), A(AT_FLAGS, flags)),
SC(pselect6, CL_DESC, A(INT, nfds), A(PTR, readfds), A(PTR, writefds), A(PTR, exceptfds), A(TIMESPEC, timeout), A(PTR, sigmask)),
SC(ppoll, CL_DESC, A(PTR, fds), A(UINT, nfds), A(TIMESPEC, tmo_p), A(PTR, sigmask), A(SIZE, sigsetsize)),
SC(set_robust_list, CL_IPC, A(PTR, head), A(SIZE, len)),
SC(get_robust_list, CL_IPC, A(PID, pid), A(PTR, head_ptr), A(PTR, len_ptr)),
SC(splice, CL_DESC, A(FD, fd_in), A(PTR, off_in), A(FD, fd_out), A(PTR, off_out), A(SIZE, len), A(HEX, flags)),
SC(tee, CL_DESC, A(FD, fd_in), A(FD, fd_out), A(SIZE, len), A(HEX, flags)),
SC(sync_file_range, CL_DESC, A(FD, fd), A(OFF, offset), A(OFF, nbytes), A(HEX, flags)),
SC(vmsplice, CL_DESC, A(FD, fd), A(PTR, iov), A(ULONG, nr_segs), A(HEX, flags)),
SC(move_pages, CL_MEMORY, A(PID, pid), A(ULONG, count), A(PTR, pages), A(PTR, nodes), A(PTR, status), A(HEX, flags)),
SC(utimensat, CL_FILE, A(DIRFD, dirfd), A(PATH, pathname), A(PTR, times), A(AT_FLAGS, flags)),
SC(epoll_pwait, CL_DESC, A(FD, epfd), A(PTR, events), A(INT, maxevents), A(INT, timeout), A(PTR, sigmask), A(SIZE, sigsetsize)),
SC(signalfd, CL_SIGNAL|CL_DESC, A(FD, fd), A(PTR, mask), A(SIZE, sizemask)),
SC(timerfd_create, CL_TIME|CL_DESC, A(CLOCKID, clockid), A(EFD_FLAGS, flags)),
SC(eventfd, CL_DESC|CL_IPC, A(UINT, initval)),
SC(fallocate, CL_DESC, A(FD, fd), A(HEX, mode), A(OFF, offset), A(OFF, len)),
SC(timerfd_settime, CL_TIME|CL_DESC, A(FD, fd), A(HEX, flags), A(PTR, new_value), A(PTR, old_value)),
SC(timerfd_gettime, CL_TIME|CL_DESC, A(FD, fd), A(PTR, curr_value)),
SC(signalfd4, CL_SIGNAL|CL_DESC, A(FD, fd), A(PTR, mask), A(SIZE, sizemask), A(EFD_FLAGS, flags)),
SC(eventfd2, CL_DESC|CL_IPC, A(UINT, initval), A(EFD_FLAGS, flags)),
SC(epoll_create1, CL_DESC, A(EFD_FLAGS, flags)),
SC(inotify_init1, CL_DESC, A(EFD_FLAGS, flags)),
SC(preadv, CL_DESC, A(FD, fd), A(PTR, iov), A(INT, iovcnt), A(OFF, offset)),
SC(pwritev, CL_DESC, A(FD, fd), A(PTR, iov), A(INT, iovcnt), A(OFF, offset)),
SC(rt_tgsigqueueinfo, CL_SIGNAL, A(PID, tgid), A(PID, tid), A(SIGNAL, sig), A(PTR, info)),
SC(perf_event_open, CL_DESC|CL_SECURITY, A(PTR, attr), A(PID, pid), A(INT, cpu), A(FD, group_fd), A(HEX, flags)),
SC(recvmmsg, CL_NET, A(FD, sockfd), A(PTR, msgvec), A(UINT, vlen), A(MSG_FLAGS, flags), A(TIMESPEC, timeout)),
SC(fanotify_init, CL_DESC|CL_FILE, A(HEX, flags), A(OPEN_FLAGS, event_f_flags)),
SC(fanotify_mark, CL_FILE, A(FD, fanotify_fd), A(HEX, flags), A(HEX, mask), A(DIRFD, dirfd), A(PATH, pathname)),
SC(prlimit64, CL_SCHED, A(PID, pid), A(RLIMIT, resource), A(PTR, new_limit), A(PTR, old_limit)),
SC(name_to_handle_at, CL_FILE, A(DIRFD, dirfd), A(PATH, pathname), A(PTR, handle), A(PTR, mount_id), A(AT_FLAGS, flags)),
SC(open_by_handle_at, CL_FILE|CL_DESC|CL_SECURITY, A(FD, mount_fd), A(PTR, handle), A(OPEN_FLAGS, flags)),
SC(clock_adjtime, CL_TIME|CL_SYSTEM, A(CLOCKID, clk_id), A(PTR, buf)),
SC(syncfs, CL_DESC, A(FD, fd)),
SC(sendmmsg, CL_NET, A(FD, sockfd), A(PTR, msgvec), A(UINT, vlen), A(MSG_FLAGS, flags)),
SC(getcpu, CL_SCHED, A(PTR, cpu), A(PTR, node), A(PTR, tcache)),
SC(kcmp, CL_PROCESS, A(PID, pid1), A(PID, pid2), A(INT, type), A(ULONG, idx1), A(ULONG, idx2)),
SC(sched_setattr, CL_SCHED, A(PID, pid), A(PTR, attr), A(HEX, flags)),
SC(sched_getattr, CL_SCHED, A(PID, pid), A(PTR, attr), A(UINT, size), A(HEX, flags)),
SC(kexec_file_load, CL_SYSTEM|CL_SECURITY, A(FD, kernel_fd), A(FD, initrd_fd), A(ULONG, cmdline_len), A(STR, cmdline), A(HEX, flags)),
SC(userfaultfd, CL_DESC|CL_MEMORY, A(EFD_FLAGS, flags)),
SC(membarrier, CL_MEMORY, A(INT, cmd), A(HEX, flags), A(INT, cpu_id)),
SC(mlock2, CL_MEMORY, A(PTR, addr), A(SIZE, len), A(HEX, flags)),
SC(copy_file_range, CL_DESC, A(FD, fd_in), A(PTR, off_in), A(FD, fd_out), A(PTR, off_out), A(SIZE, len), A(HEX, flags)),
SC(preadv2, CL_DESC, A(FD, fd), A(PTR, iov), A(INT, iovcnt), A(OFF, offset), A(HEX, flags)),
SC(pwritev2, CL_DESC, A(FD, fd), A(PTR, iov), A(INT, iovcnt), A(OFF, offset), A(HEX, flags)),
SC(pkey_mprotect, CL_MEMORY, A(PTR, addr), A(SIZE, len), A(PROT, prot), A(INT, pkey)),
SC(pkey_alloc, CL_MEMORY, A(HEX, flags), A(HEX, access_rights)),
SC(pkey_free, CL_MEMORY, A(INT, pkey)),
SC(io_pgetevents, CL_DESC, A(HEX, ctx_id), A(LONG, min_nr), A(LONG, nr), A(PTR, events), A(TIMESPEC, timeout), A(PTR, usig)),
#ifdef __NR_io_uring_setup
SC(io_uring_setup, CL_DESC, A(UINT, entries), A(PTR, p)),
SC(io_uring_enter, CL_DESC, A(FD, fd), A(UINT, to_submit), A(UINT, min_complete), A(HEX, flags), A(PTR, sig), A(SIZE, sz)),
SC(io_uring_register, CL_DESC, A(FD, fd), A(UINT, opcode), A(PTR, arg), A(UINT, nr_args)),
#endif
#ifdef __NR_open_tree
SC(open_tree, CL_FILE|CL_SYSTEM|CL_DESC, A(DIRFD, dirfd), A(PATH, path), A(HEX, flags)),
SC(move_mount, CL_FILE|CL_SYSTEM, A(DIRFD, from_dirfd), A(PATH, from_path), A(DIRFD, to_dirfd), A(PATH, to_path), A(HEX, flags)),
SC(fsopen, CL_FILE|CL_SYSTEM|CL_DESC, A(STR, fsname), A(HEX, flags)),
SC(fsconfig, CL_FILE|CL_SYSTEM, A(FD, fd), A(UINT, cmd), A(STR, key), A(PTR, value), A(INT, aux)),
SC(fsmount, CL_FILE|CL_SYSTEM|CL_DESC, A(FD, fd), A(HEX, flags), A(HEX, attr_flags)),
SC(fspick, CL_FILE|CL_SYSTEM|CL_DESC, A(DIRFD, dirfd), A(PATH, path), A(HEX, flags)),
#endif
#ifdef __NR_pidfd_getfd
SC(pidfd_getfd, CL_DESC|CL_SECURITY, A(FD, pidfd), A(INT, targetfd), A(HEX, flags)),
#endif
#ifdef __NR_process_madvise
SC(process_madvise, CL_MEMORY, A(FD, pidfd), A(PTR, iovec), A(SIZE, vlen), A(MADVICE, advice), A(HEX, flags)),
#endif
#ifdef __NR_epoll_pwait2
SC(epoll_pwait2, CL_DESC, A(FD, epfd), A(PTR, events), A(INT, maxevents), A(TIMESPEC, timeout), A(PTR, sigmask), A(SIZE, sigsetsize)),
#endif
#ifdef __NR_mount_setattr
SC(mount_setattr, CL_FILE|CL_SYSTEM, A(DIRFD, dirfd), A(PATH, path), A(HEX, flags), A(PTR, attr), A(SIZE, size)),
#endif
#ifdef __NR_quotactl_fd
SC(quotactl_fd, CL_DESC|CL_SYSTEM, A(FD, fd), A(HEX, cmd), A(INT, id), A(PTR, addr)),
#endif
#ifdef __NR_memfd_secret
SC(memfd_secret, CL_MEMORY|CL_DESC, A(HEX, flags)),
#endif
#ifdef __NR_process_mrelease
SC(process_mrelease, CL_MEMORY, A(FD, pidfd), A(HEX, flags)),
#endif
#ifdef __NR_futex_waitv
SC(futex_waitv, CL_IPC, A(PTR, waiters), A(UINT, nr_futexes), A(HEX, flags), A(TIMESPEC, timeout), A(CLOCKID, clockid)),
#endif
#ifdef __NR_set_mempolicy_home_node
SC(set_mempolicy_home_node, CL_MEMORY, A(ULONG, start), A(ULONG, len), A(ULONG, home_node), A(HEX, flags)),
#endif
#ifdef __NR_cachestat
SC(cachestat, CL_DESC, A(FD, fd), A(PTR, cstat_range), A(PTR, cstat), A(HEX, flags)),
#endif
#ifdef __NR_fchmodat2
SC(fchmodat2, CL_FILE, A(DIRFD, dirfd), A(PATH, pathname), A(MODE, mode), A(AT_FLAGS, flags)),
#endif
#ifdef __NR_map_shadow_stack
SC(map_shadow_stack, CL_MEMORY, A(PTR, addr), A(SIZE, size), A(HEX, flags)),
#endif
#ifdef __NR_futex_wake
SC(futex_wake, CL_IPC, A(PTR, uaddr), A(HEX, mask), A(INT, nr), A(HEX, flags)),
SC(futex_wait, CL_IPC, A(PTR, uaddr), A(HEX, val), A(HEX, mask), A(HEX, flags), A(TIMESPEC, timeout), A(CLOCKID, clockid)),
SC(futex_requeue, CL_IPC, A(PTR, waiters), A(HEX, flags), A(INT, nr_wake), A(INT, nr_requeue)),
#endif
#ifdef __NR_statmount
SC(statmount, CL_FILE|CL_SYSTEM, A(PTR, req), A(PTR, buf), A(SIZE, bufsize), A(HEX, flags)),
SC(listmount, CL_FILE|CL_SYSTEM, A(PTR, req), A(PTR, mnt_ids), A(SIZE, nr_mnt_ids), A(HEX, flags)),
#endif
#ifdef __NR_lsm_get_self_attr
SC(lsm_get_self_attr, CL_SECURITY, A(UINT, attr), A(PTR, ctx), A(PTR, size), A(HEX, flags)),
SC(lsm_set_self_attr, CL_SECURITY, A(UINT, attr), A(PTR, ctx), A(SIZE, size), A(HEX, flags)),
SC(lsm_list_modules, CL_SECURITY, A(PTR, ids), A(PTR, size), A(HEX, flags)),
#endif
#ifdef __NR_mseal
SC(mseal, CL_MEMORY|CL_SECURITY, A(PTR, addr), A(SIZE, len), A(HEX, flags)),
#endif
/* clang-format on */
