"""test_tools.py: real programs (shell pipelines, coreutils, python3)
traced end to end: output unchanged, every process in the log, each
process's life complete."""
import subprocess

import harness as h
from harness import fmt, named, of_pid


def _native(cmd, input=None):
    p = subprocess.run(cmd, input=input, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=h.TIMEOUT)
    return p.returncode, p.stdout, p.stderr


def _processes_complete(records):
    """Every process: starts (after the root) with the clone that made it,
    ends with an unfinished exit_group; execs succeeded."""
    root = h.root_pid(records)
    created = {x["ret"] for x in records
               if x["syscall"] in ("clone", "clone3", "fork", "vfork")
               and x.get("ret", 0) > 0}
    for pid in h.pids(records):
        mine = of_pid(records, pid)
        if pid != root:
            assert pid in created, f"process {pid} appears without a " \
                f"clone/fork returning its pid"
        last = mine[-1]
        assert last["syscall"] == "exit_group" and \
            last.get("unfinished_why") == "exited", \
            f"process {pid} does not end with exit_group:\n" + fmt(mine[-4:])


def test_sh_pipeline():
    cmd = ["/bin/sh", "-c", "ls / | wc -l"]
    code, out, err = _native(cmd)
    r = h.run(cmd, opts=["-q"])
    assert (r.code, r.stdout, r.stderr) == (code, out, err), r.describe()
    _processes_complete(r.records)
    assert len(h.pids(r.records)) == 3, h.pids(r.records)
    execs = [x for x in named(r.records, "execve") if x.get("ret") == 0]
    assert len(execs) == 3 and len({x["pid"] for x in execs}) == 3, fmt(execs)
    pipes = [x for x in named(r.records, "pipe2", "pipe") if x.get("ret") == 0]
    assert pipes and pipes[0]["pid"] == h.root_pid(r.records), fmt(pipes)


def test_coreutils():
    for cmd in (["/bin/ls", "-a", "/"], ["/bin/cat", "/etc/hostname"],
                ["/usr/bin/head", "-c", "100", "/etc/passwd"],
                ["/usr/bin/env"], ["/bin/date", "-u", "-d", "@0"],
                ["/usr/bin/sort", "/etc/passwd"]):
        code, out, err = _native(cmd)
        r = h.run(cmd, opts=["-q"])
        assert (r.code, r.stdout, r.stderr) == (code, out, err), \
            f"{cmd}: {r.describe()}"
        _processes_complete(r.records)
        assert h.pids(r.records) == [h.root_pid(r.records)]


def test_failing_coreutil():
    cmd = ["/bin/ls", "/nonexistent/capsule-test-ls"]
    code, out, err = _native(cmd)
    r = h.run(cmd, opts=["-q"])
    assert code == 2 and r.code == 2 and r.stderr == err, r.describe()
    st = [x for x in r.records if x.get("errno") == "ENOENT"
          and x["syscall"] in ("statx", "newfstatat", "lstat", "stat")]
    assert st, fmt(r.records[-10:])
    eg = r.records[-1]
    assert eg["syscall"] == "exit_group", eg


def test_python3():
    py = h.python3()
    cmd = [py, "-c", "import os, threading; t = threading.Thread("
           "target=os.getppid); t.start(); t.join(); print(1)"]
    code, out, err = _native(cmd)
    r = h.run(cmd, opts=["-q"])
    assert r.code == 0 and r.stdout == b"1\n" == out, r.describe()
    root = h.root_pid(r.records)
    assert h.pids(r.records) == [root], h.pids(r.records)
    assert len(h.tids(r.records)) == 2, h.tids(r.records)
    thread = h.tids(r.records)[1]
    assert named(h.of_tid(r.records, thread), "getppid"), \
        fmt(h.of_tid(r.records, thread))
    _processes_complete(r.records)


def test_shell_subshells_and_background():
    cmd = ["/bin/sh", "-c", "(true; (echo x)) & wait; echo y | cat >/dev/null;"
           " exit 4"]
    code, out, err = _native(cmd)
    r = h.run(cmd, opts=["-q"])
    assert (r.code, r.stdout) == (code, out) == (4, b"x\n"), r.describe()
    _processes_complete(r.records)
    assert len(h.pids(r.records)) >= 4, h.pids(r.records)
