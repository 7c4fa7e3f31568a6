"""test_trace_classes.py: `capsule run --trace CLASSES`.

With a class filter, a seccomp filter in the child stops only the chosen
calls; capsule must still follow every process (fork, exec and exit are
always traced), strip CLONE_UNTRACED, see every i386 call, and, in the
security preset, see mmap/mprotect only when they ask for PROT_EXEC.
"""
import os
import tempfile

import harness as h
from harness import prog


def names(records):
    return {r["syscall"] for r in records}


def test_file_class_keeps_file_calls_and_process_life():
    r = h.run(["/bin/sh", "-c", "cat /etc/hostname >/dev/null; "
               "ls /nonexistent-trace-class 2>/dev/null; exit 3"],
              opts=["--trace", "file"])
    assert r.code == 3, r.describe()
    seen = names(r.records)
    assert "openat" in seen and "execve" in seen, seen
    for call in ("mmap", "brk", "read", "write", "rt_sigaction", "close"):
        assert call not in seen, (call, seen)
    # every process is followed: sh, cat and ls exec'd and exited
    execs = h.named(r.records, "execve")
    assert len(execs) == 3, h.fmt(execs)
    assert len(h.pids(r.records)) == 3, h.pids(r.records)
    enoent = [x for x in h.named(r.records, "openat", "statx",
                                 "newfstatat", "lstat", "stat")
              if x.get("errno") == "ENOENT" and
              "nonexistent-trace-class" in str(x.get("args"))]
    assert enoent, h.fmt(h.named(r.records, "openat", "statx"))


def test_all_is_the_default():
    a = h.run(["/bin/true"])
    b = h.run(["/bin/true"], opts=["--trace", "all"])
    assert names(a.records) == names(b.records)
    assert len(a.records) == len(b.records)


def test_network_class_sees_no_file_calls():
    r = h.run(["/bin/cat", "/etc/hostname"], opts=["--trace", "network"])
    assert r.code == 0
    assert names(r.records) <= {"execve", "exit_group"}, names(r.records)


def test_security_preset_sees_exec_memory_only():
    r = h.run([prog("exec_mem")], opts=["--trace", "security"])
    assert r.code == 0, r.describe()
    prots = [x["args"]["prot"] for x in h.named(r.records, "mprotect")
             if x["pid"] == h.root_pid(r.records)]
    assert prots and all("PROT_EXEC" in p for p in prots), prots
    assert "PROT_READ|PROT_EXEC" in prots, prots
    full = h.run([prog("exec_mem")])
    all_prots = [x["args"]["prot"] for x in h.named(full.records, "mprotect")]
    assert any("PROT_EXEC" not in p for p in all_prots), all_prots


def test_foreign_abi_calls_always_stop():
    r = h.run([prog("int80")], opts=["--trace", "network"])
    i386 = [(x["abi"], x["syscall"]) for x in r.records if x["abi"] == "i386"]
    assert ("i386", "getpid") in i386 and ("i386", "getuid32") in i386, i386


def test_untraced_clone_still_followed_under_filter():
    # --allow-clone3: clone3 runs and capsule clears the flag in memory
    r = h.run([prog("untraced")], opts=["--trace", "file", "--allow-clone3"])
    assert r.code == 0, r.describe()
    cleared = [x for x in r.records if x.get("untraced_cleared")]
    assert len(cleared) == 2, h.fmt(h.named(r.records, "clone", "clone3"))
    assert len(h.pids(r.records)) == 3, h.pids(r.records)


def test_clone3_refused_under_filter():
    # clone3 always stops (seccomp stop): it fails with ENOSYS there too,
    # in both ABIs, and glibc's thread creation falls back to clone
    r = h.run([prog("clone3_enosys")], opts=["--trace", "file"])
    assert r.code == 0, r.describe()
    out = r.stdout.decode().splitlines()
    assert out[0] == "x86_64 clone3 ENOSYS", out
    assert out[1] in ("i386 clone3 ENOSYS", "i386 clone3 skipped"), out
    thread = h.lines_with(r.stdout, "thread")[0]
    c3 = h.named(r.records, "clone3")
    assert c3 and all(x["errno"] == "ENOSYS" and
                      x.get("denied_why") == "clone3" for x in c3), h.fmt(c3)
    assert h.of_tid(r.records, thread), "the thread is not traced"


def test_clone3_shared_page_race_under_filter():
    # the MAP_SHARED race of test_core, with seccomp stops: no escape
    n = 300
    r = h.run([prog("untraced_shared"), str(n)], opts=["--trace", "file"])
    assert r.code == 0, r.describe()
    assert r.stdout.decode().strip() == \
        f"clone3=0 enosys={n} escaped=0 of {n}", r.stdout
    assert not [x for x in r.records if x.get("late_attach")]
    root = h.root_pid(r.records)
    new = [p for p in r.processes
           if p.get("event") == "new" and p.get("creator") == root]
    assert len(new) == n + 1, len(new)


def test_threads_and_children_under_filter():
    r = h.run([prog("many_calls"), "4", "500", "20"],
              opts=["--trace", "process"])
    assert r.code == 0, r.describe()
    # main + 20 children; 4 threads + main each a tid of the root
    assert len(h.pids(r.records)) == 21, len(h.pids(r.records))
    root = h.root_pid(r.records)
    ppids = h.named(h.of_pid(r.records, root), "getppid")
    assert len(ppids) == 4 * 500, len(ppids)
    assert len(h.tids(h.of_pid(r.records, root))) == 5


def test_unknown_class_is_a_usage_error():
    r = h.run(["/bin/true"], opts=["--trace", "file,bogus"], check_log=False)
    assert r.code == 2, r.describe()
    assert b"bogus" in r.stderr, r.stderr
