/*
 * syscalls.c: syscall name tables per ABI, filled from libseccomp.
 */
#include "decode/syscalls.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#define NR_MAX 1024
#define X32_BIT 0x40000000

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

const char *syscall_name(enum ev_abi abi, int nr)
{
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
