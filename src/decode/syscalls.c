/*
 * syscalls.c: the x86_64 system call table, indexed by the __NR_ constants
 * of <asm/unistd_64.h>, and the lookups over every ABI's table.  Names of
 * numbers the headers do not know come from libseccomp.
 */
#include "decode/syscalls.h"

#include <asm/unistd_64.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>

#include "decode/table.h"

#define NR_MAX 1024
#define X32_BIT 0x40000000

#define SC_BASE 0
static const struct syscall_desc table_64[] = {
#include "decode/syscallent_64.h"
};

static const char *names[_ABI_MAX][NR_MAX];

void syscalls_init(void)
{
	static const uint32_t arch[_ABI_MAX] = {
		[ABI_X86_64] = SCMP_ARCH_X86_64,
		[ABI_I386] = SCMP_ARCH_X86,
		[ABI_X32] = SCMP_ARCH_X32,
	};
	int abi, nr;

	for (abi = 0; abi < _ABI_MAX; abi++) {
		for (nr = 0; nr < NR_MAX; nr++) {
			int n = abi == ABI_X32 ? nr | X32_BIT : nr;

			/* owned by the table for the program's life */
			names[abi][nr] =
				seccomp_syscall_resolve_num_arch(arch[abi], n);
		}
	}
}

const struct syscall_desc *syscall_desc(enum ev_abi abi, int nr)
{
	const struct syscall_desc *d = NULL;

	if (nr < 0)
		return NULL;
	switch (abi) {
	case ABI_X86_64:
		if ((size_t)nr < sizeof(table_64) / sizeof(table_64[0]))
			d = &table_64[nr];
		break;
	case ABI_I386:
		if ((size_t)nr < sc_table_i386_len)
			d = &sc_table_i386[nr];
		break;
	case ABI_X32:
		if ((size_t)nr < sc_table_x32_len)
			d = &sc_table_x32[nr];
		break;
	default:
		break;
	}
	return d != NULL && d->name != NULL ? d : NULL;
}

static int prctl_arg2_kind(int option)
{
	switch (option) {
	case PR_SET_PDEATHSIG:
		return K_SIGNAL;
	case PR_CAPBSET_READ:
	case PR_CAPBSET_DROP:
		return K_CAP;
	case PR_SET_NAME:
		return K_STR;
	case PR_GET_NAME:
	case PR_GET_PDEATHSIG:
		return K_PTR;
	default:
		return K_ULONG;
	}
}

static int fcntl_arg_kind(int cmd)
{
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return K_FD;
	case F_SETFD:
		return K_FD_FLAGS;
	case F_SETFL:
		return K_OPEN_FLAGS;
	case F_SETSIG:
		return K_SIGNAL;
	case F_SETOWN:
		return K_PID;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
	case F_GETOWN_EX:
	case F_SETOWN_EX:
		return K_PTR;
	default:
		return K_HEX;
	}
}

int syscall_arg_kind(const struct call_event *ev, int i, int kind)
{
	(void)i;
	switch (kind) {
	case K_PRCTL_ARG:
		return prctl_arg2_kind((int)ev->args[0]);
	case K_FCNTL_ARG:
		return fcntl_arg_kind((int)ev->args[1]);
	default:
		return kind;
	}
}

int syscall_nargs(const struct syscall_desc *d)
{
	int n = 0;

	if (d == NULL)
		return 0;
	while (n < 6 && d->args[n].kind != K_NONE)
		n++;
	return n;
}

const char *syscall_name(enum ev_abi abi, int nr)
{
	const struct syscall_desc *d = syscall_desc(abi, nr);

	if (d != NULL)
		return d->name;
	if ((unsigned)abi >= _ABI_MAX || nr < 0 || nr >= NR_MAX)
		return NULL;
	return names[abi][nr];
}

const char *abi_name(enum ev_abi abi)
{
	switch (abi) {
	case ABI_X86_64:
		return "x86_64";
	case ABI_I386:
		return "i386";
	case ABI_X32:
		return "x32";
	default:
		return "unknown";
	}
}

const char *errno_name(int err)
{
	/* the kernel's restart codes never reach user space as errno */
	switch (err) {
	case 512:
		return "ERESTARTSYS";
	case 513:
		return "ERESTARTNOINTR";
	case 514:
		return "ERESTARTNOHAND";
	case 515:
		return "ENOIOCTLCMD";
	case 516:
		return "ERESTART_RESTARTBLOCK";
	default:
		return strerrorname_np(err);
	}
}
