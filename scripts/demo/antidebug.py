#!/usr/bin/env python3
"""Demo (anti-debugging): PR_SET_DUMPABLE 0, then PTRACE_TRACEME (fails
under a tracer, which is what such a check looks for).  Expected: alerts
antidebug.dumpable and antidebug.traceme (medium)."""
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(4, 0, 0, 0, 0)          # PR_SET_DUMPABLE, 0
r = libc.ptrace(0, 0, None, None)  # PTRACE_TRACEME
print("traced" if r != 0 else "not traced")
