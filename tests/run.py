#!/usr/bin/env python3
"""run.py: capsule's single test runner (`make check`).

1. Unit tests: every executable build/tests/unit/test_* (exit 0 = pass,
   77 = skipped, anything else = fail).  Their "N passed, N failed" lines
   give the count of individual tests.
2. Integration tests: every function test_* of every module
   tests/integration/test_*.py, called without arguments, in file order.
   AssertionError (or any other exception) fails it, harness.Skip skips it.
   Each test runs under a watchdog (--timeout, default 120 s) on top of
   the harness's per-subprocess timeouts, so a hang fails instead of
   blocking.  If ptrace is not permitted here (EPERM), every integration
   test is skipped.

Prints one line per test (PASS/FAIL/SKIP NAME [reason]) and, last, the one
summary line "N passed, N failed, N skipped".  Exits 1 if anything failed.

Standard library only (Python 3.11).
"""
import argparse
import ctypes
import errno
import glob
import importlib
import inspect
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
INTEGRATION = os.path.join(HERE, "integration")
SKIP_CODE = 77
COUNT_RE = re.compile(r"(\d+) passed, (\d+) failed")


class Totals:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0


class WatchdogTimeout(Exception):
    pass


def report(kind, name, reason=""):
    line = f"{kind} {name}"
    if reason:
        line += f": {reason}"
    print(line, flush=True)


def run_unit(args, totals):
    pattern = os.path.join(args.build, "tests", "unit", "test_*")
    bins = sorted(p for p in glob.glob(pattern)
                  if os.path.isfile(p) and os.access(p, os.X_OK)
                  and "." not in os.path.basename(p))
    for path in bins:
        name = "unit/" + os.path.basename(path)
        if args.k and args.k not in name:
            continue
        try:
            p = subprocess.run([path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=args.timeout,
                               cwd=os.path.dirname(HERE))
            out, code = p.stdout.decode(errors="replace"), p.returncode
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace")
            code = None
        if args.v and out:
            sys.stdout.write(out if out.endswith("\n") else out + "\n")
        npass = nfail = 0
        for m in COUNT_RE.finditer(out):
            npass += int(m.group(1))
            nfail += int(m.group(2))
        if code == SKIP_CODE:
            totals.skipped += 1
            report("SKIP", name, last_line(out))
        elif code == 0 and nfail == 0:
            totals.passed += max(npass, 1)
            report("PASS", name, f"{max(npass, 1)} passed")
        else:
            totals.passed += npass
            totals.failed += max(nfail, 1)
            why = "timed out" if code is None else f"exit {code}"
            report("FAIL", name, f"{why}, {npass} passed, {max(nfail, 1)} "
                   f"failed\n{indent(out[-3000:])}")


def last_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else ""


def indent(text):
    return "\n".join("    " + l for l in text.rstrip("\n").splitlines())


def ptrace_permitted(capsule):
    """None if tracing works here, else the reason it does not."""
    libc = ctypes.CDLL(None, use_errno=True)
    pid = os.fork()
    if pid == 0:
        try:
            r = libc.ptrace(0, 0, None, None)  # PTRACE_TRACEME
            e = ctypes.get_errno()
            os._exit(0 if r == 0 else (SKIP_CODE if e == errno.EPERM else 1))
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == SKIP_CODE:
        return "ptrace(PTRACE_TRACEME) failed with EPERM"
    with tempfile.TemporaryDirectory(prefix="capsule-probe-") as d:
        try:
            p = subprocess.run([capsule, "run", "-q", "-o",
                                os.path.join(d, "log"), "--", "/bin/true"],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None  # let the tests report it
        if p.returncode == 124:
            return "capsule exit 124 (tracing not permitted): " + \
                p.stderr.decode(errors="replace").strip()
    return None


def collect(args):
    """(name, function) for every integration test, in file order."""
    tests = []
    for path in sorted(glob.glob(os.path.join(INTEGRATION, "test_*.py"))):
        modname = os.path.basename(path)[:-3]
        try:
            mod = importlib.import_module(modname)
        except Exception:
            tests.append((modname, None, traceback.format_exc()))
            continue
        fns = [(n, f) for n, f in vars(mod).items()
               if n.startswith("test_") and inspect.isfunction(f)
               and f.__module__ == modname]
        fns.sort(key=lambda nf: nf[1].__code__.co_firstlineno)
        for n, f in fns:
            tests.append((f"{modname}.{n}", f, None))
    return tests


def on_alarm(signum, frame):
    raise WatchdogTimeout()


def run_integration(args, totals):
    sys.path.insert(0, INTEGRATION)
    import harness

    harness.configure(args.capsule, args.build)
    tests = [t for t in collect(args) if not args.k or args.k in t[0]]
    if not tests:
        return
    why = ptrace_permitted(harness.CAPSULE)
    signal.signal(signal.SIGALRM, on_alarm)
    for name, fn, import_error in tests:
        if import_error is not None:
            totals.failed += 1
            report("FAIL", name, "import failed\n" + indent(import_error))
            continue
        if why is not None:
            totals.skipped += 1
            report("SKIP", name, why)
            continue
        start = time.monotonic()
        signal.alarm(args.timeout)
        try:
            fn()
        except harness.Skip as e:
            signal.alarm(0)
            totals.skipped += 1
            report("SKIP", name, str(e))
            continue
        except WatchdogTimeout:
            totals.failed += 1
            report("FAIL", name, f"watchdog: no result after {args.timeout} s")
            continue
        except Exception as e:
            signal.alarm(0)
            totals.failed += 1
            tb = traceback.extract_tb(e.__traceback__)
            where = next((f"{os.path.basename(fr.filename)}:{fr.lineno}"
                          for fr in reversed(tb)
                          if os.path.basename(fr.filename).startswith("test_")),
                         "")
            msg = str(e) or type(e).__name__
            if not isinstance(e, AssertionError):
                msg = f"{type(e).__name__}: {msg}"
            if args.v:
                msg += "\n" + indent("".join(traceback.format_exception(e)))
            report("FAIL", name, f"{where}: {msg}" if where else msg)
            continue
        finally:
            signal.alarm(0)
            harness.cleanup()
        totals.passed += 1
        report("PASS", name, f"{time.monotonic() - start:.2f} s" if args.v
               else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="build directory")
    ap.add_argument("--capsule", default="./capsule", help="capsule binary")
    ap.add_argument("-k", default="", metavar="SUBSTRING",
                    help="run only tests whose name contains SUBSTRING")
    ap.add_argument("-v", action="store_true", help="verbose")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds per test before it fails (default 120)")
    ap.add_argument("--no-unit", action="store_true",
                    help="skip the unit-test binaries")
    args = ap.parse_args()
    totals = Totals()
    if not args.no_unit:
        run_unit(args, totals)
    run_integration(args, totals)
    print(f"{totals.passed} passed, {totals.failed} failed, "
          f"{totals.skipped} skipped", flush=True)
    return 1 if totals.failed else 0


if __name__ == "__main__":
    sys.exit(main())
