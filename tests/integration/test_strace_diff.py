# test_strace_diff.py: differential test of capsule against `strace -f`.
#
# Each program is run twice, under `setarch -R strace -f -o FILE` and under
# `setarch -R capsule run -o FILE` (ASLR off for both), with the same
# environment; strace with `-e inject=clone3:error=ENOSYS`, which is what
# capsule does to clone3 by default (the --allow-clone3 test compares
# with a plain strace).  Tasks (processes and threads) are matched by their place in
# the creation tree (root first; the i-th successful clone/fork/vfork/clone3
# of a task is its i-th child), never by pid.  For every matched task the
# sequence of (syscall name, result) must be equal, where the result is the
# return value, "-1 ENAME" for a failure, and "?" for a call that never
# returned.
#
# Exclusions and relaxations (only what the program itself makes
# nondeterministic):
#   - mmap, mremap, brk, shmat: the value is an address (differs with
#     layout, even without ASLR, because the environment and auxv sizes
#     differ): compared as success/failure only.
#   - clone, clone3, fork, vfork, wait4, waitid, getpid, getppid, gettid,
#     set_tid_address, getpgrp, getpgid, getsid, setsid: the value is a pid
#     (differs between runs): compared as success/failure only.
#   - getrandom: compared as success/failure only (the byte count asked is
#     fixed, but a short read would be legitimate).
#   - rt_sigreturn: dropped from every sequence.  It marks the end of a
#     signal handler, and an asynchronous signal (a shell's SIGCHLD) arrives
#     between whichever two calls it happens to.
#   - calls that failed with ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND or
#     ERESTART_RESTARTBLOCK: dropped from every sequence.  They are the
#     interrupted attempt of a call that a signal (again, a shell's
#     SIGCHLD) happened to hit; the kernel restarts it and the restarted
#     attempt is compared.
#   - read/write on pipes in `sh -c` pipelines are compared exactly (the
#     data is small and written once), but a dash parent's wait4 loop races
#     with the children's exits: in pipelines, calls of the shell process
#     that follow its first wait4 are compared as a multiset of names, not
#     as a sequence (see SHELL_WAIT_RELAXED).
# In strace's output, "<unfinished ...>" / "<... NAME resumed>" pairs are
# joined; "= ?" is a call that never returned; "= ? ERESTART*" is a call
# interrupted by a signal (capsule: ret -1 with that errno name).
"""Differential test against strace -f.

| syscalls                                   | compared as          | why             |
|--------------------------------------------|----------------------|-----------------|
| mmap, mremap, brk, shmat                   | success/failure      | addresses       |
| clone, clone3, fork, vfork, wait4, waitid, | success/failure      | pids            |
| getpid, getppid, gettid, set_tid_address,  |                      |                 |
| getpgrp, getpgid, getsid, setsid           |                      |                 |
| getrandom                                  | success/failure      | entropy source  |
| rt_sigreturn                               | dropped              | signal timing   |
| any call failing with ERESTART*            | dropped              | signal timing   |
| shell calls after its first wait4 (pipes)  | multiset of names    | exit order race |
| everything else                            | exact name and value |                 |
"""
import os
import re
import shutil
import subprocess
import tempfile

import harness as h
from harness import Skip

ADDRESS_VALUED = {"mmap", "mremap", "brk", "shmat"}
PID_VALUED = {"clone", "clone3", "fork", "vfork", "wait4", "waitid", "getpid",
              "getppid", "gettid", "set_tid_address", "getpgrp", "getpgid",
              "getsid", "setsid"}
SUCCESS_ONLY = ADDRESS_VALUED | PID_VALUED | {"getrandom"}
CREATORS = {"clone", "clone3", "fork", "vfork"}

LINE_RE = re.compile(r"^(\d+)\s+(.*)$")
CALL_RE = re.compile(r"^([a-z_0-9]+)\(")
RESUMED_RE = re.compile(r"^<\.\.\. ([a-z_0-9]+) resumed>")
RESULT_RE = re.compile(r"^(-?\d+|0x[0-9a-f]+|\?)(?: (E[A-Z0-9_]+))?(?: \(.*\))?"
                       r"(?: \(.*\))?$")


class Call:
    def __init__(self, name, value=None, err=None, unfinished=False):
        self.name, self.value, self.err, self.unfinished = name, value, err, unfinished

    def key(self):
        if self.unfinished:
            return (self.name, "?")
        if self.err is not None:
            return (self.name, f"-1 {self.err}")
        if self.name in SUCCESS_ONLY:
            return (self.name, "ok")
        return (self.name, self.value)


class Task:
    def __init__(self, tid):
        self.tid = tid
        self.calls = []
        self.children = []  # tids, in creation order


def _parse_result(text, line):
    m = RESULT_RE.match(text.strip())
    assert m, f"cannot parse strace result {text!r} in: {line}"
    val, err = m.group(1), m.group(2)
    if val == "?":
        return None, err  # never returned, or ERESTART* (err set)
    return int(val, 0), err


def parse_strace(text):
    """strace -f -o output: {tid: Task} and the root tid."""
    tasks, pending, root = {}, {}, None
    for line in text.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        tid, rest = int(m.group(1)), m.group(2)
        if root is None:
            root = tid
        t = tasks.setdefault(tid, Task(tid))
        if rest.startswith("+++") or rest.startswith("---"):
            continue
        if rest.startswith("<..."):
            rm = RESUMED_RE.match(rest)
            assert rm, line
            call = pending.pop(tid, None)
            assert call is not None and call.name == rm.group(1), \
                f"resumed without unfinished: {line}"
        else:
            cm = CALL_RE.match(rest)
            assert cm, f"unexpected strace line: {line}"
            call = Call(cm.group(1))
            t.calls.append(call)
            if rest.endswith("<unfinished ...>"):
                pending[tid] = call
                continue
        pos = rest.rfind(" = ")
        if pos < 0:
            # "<... exit resumed>)" with nothing after: never returned
            call.unfinished = True
            continue
        val, err = _parse_result(rest[pos + 3:], line)
        if val is None and err is None:
            call.unfinished = True
        elif val is None:  # "= ? ERESTARTSYS (...)"
            call.err = err
        elif err is not None:
            call.err = err
        else:
            call.value = val
        if call.name in CREATORS and call.err is None and not call.unfinished:
            t.children.append(val)
    for tid, call in pending.items():  # unfinished, never resumed
        call.unfinished = True
    return tasks, root


def from_capsule(records):
    tasks, root = {}, None
    for r in records:
        tid = r["tid"]
        if root is None:
            root = tid
        t = tasks.setdefault(tid, Task(tid))
        if r.get("unfinished"):
            c = Call(r["syscall"], unfinished=True)
        elif "errno" in r:
            c = Call(r["syscall"], err=r["errno"])
        else:
            c = Call(r["syscall"], value=r["ret"])
            if r["syscall"] in CREATORS and r["ret"] > 0:
                t.children.append(r["ret"])
        t.calls.append(c)
    return tasks, root


def _seq(task, relax_after_wait):
    keys = [c.key() for c in task.calls if c.name != "rt_sigreturn"
            and not (c.err or "").startswith("ERESTART")]
    if relax_after_wait:
        names = [k[0] for k in keys]
        if "wait4" in names:
            i = names.index("wait4")
            return keys[:i] + [("<after wait4, any order>",
                                tuple(sorted(n for n in names[i:]
                                             if n not in ("wait4",
                                                          "rt_sigreturn"))))]
    return keys


def _first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


# capsule makes clone3 fail with ENOSYS; strace is told to do the same
STRACE_CLONE3_ENOSYS = ("-e", "inject=clone3:error=ENOSYS")


def compare(cmd, relax_shell_wait=False, same_stdout=True,
            strace_opts=STRACE_CLONE3_ENOSYS, capsule_opts=()):
    if shutil.which("setarch") is None:
        raise Skip("setarch not installed")
    env = dict(os.environ, LC_ALL="C")
    env.pop("LANGUAGE", None)
    s_code, s_out, s_err, s_text = h.strace_run(cmd, env=env,
                                                opts=strace_opts,
                                                prefix=["setarch", "-R"])
    with tempfile.TemporaryDirectory(prefix="capsule-diff-") as d:
        log = os.path.join(d, "log")
        p = h.spawn(["setarch", "-R",
                     *h.capsule_args(cmd, log, ["-q", *capsule_opts])],
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, env=env)
        c_out, c_err = h.communicate(p)
        with open(log, encoding="utf-8") as f:
            run = h.Run(p.returncode, c_out, c_err, f.read(), log)
    h.check_log_invariants(run)
    if not same_stdout:  # the program prints pids
        c_out = s_out = b""
    assert (run.code, c_out) == (s_code, s_out), \
        f"{cmd}: exit/stdout differ: capsule {run.code} {c_out[:200]!r}, " \
        f"strace {s_code} {s_out[:200]!r}"
    st, s_root = parse_strace(s_text)
    ct, c_root = from_capsule(run.records)
    problems = []

    def walk(s_tid, c_tid, path):
        s_task, c_task = st.get(s_tid), ct.get(c_tid)
        if s_task is None or c_task is None:
            problems.append(f"task {path}: strace {s_tid} "
                            f"{'missing' if s_task is None else 'present'}, "
                            f"capsule {c_tid} "
                            f"{'missing' if c_task is None else 'present'}")
            return
        relax = relax_shell_wait and bool(s_task.children)
        a, b = _seq(s_task, relax), _seq(c_task, relax)
        if a != b:
            i = _first_diff(a, b)
            problems.append(
                f"task {path} (strace tid {s_tid}, capsule tid {c_tid}): "
                f"first difference at call {i}:\n"
                f"      strace : {a[max(0, i - 2):i + 3]}\n"
                f"      capsule: {b[max(0, i - 2):i + 3]}\n"
                f"      ({len(a)} vs {len(b)} calls)")
        if len(s_task.children) != len(c_task.children):
            problems.append(f"task {path}: {len(s_task.children)} children "
                            f"under strace, {len(c_task.children)} under capsule")
        for i, (sc, cc) in enumerate(zip(s_task.children, c_task.children)):
            walk(sc, cc, f"{path}.{i}")

    walk(s_root, c_root, "0")
    assert not problems, f"{cmd}:\n  " + "\n  ".join(problems)


def test_diff_ls():
    compare(["/bin/ls", "/"])


def test_diff_cat():
    compare(["/bin/cat", "/etc/hostname"])


def test_diff_sh_pipeline():
    compare(["/bin/sh", "-c", "echo a | cat"], relax_shell_wait=True)


def test_diff_python3():
    compare([h.python3(), "-c", "print(1)"])


def test_diff_fork_exec():
    compare([h.prog("fork_exec")], same_stdout=False)


def test_diff_open_enoent():
    compare([h.prog("open_enoent")])


def test_diff_failing_ls():
    compare(["/bin/ls", "/nonexistent/capsule-diff"])


def test_diff_sh_pipeline_wc():
    compare(["/bin/sh", "-c", "ls / | wc -l"], relax_shell_wait=True)


def test_diff_vfork_exec():
    compare([h.prog("vfork_exec")], same_stdout=False)


def test_diff_int80():
    compare([h.prog("int80")], same_stdout=False)


def test_diff_x32():
    compare([h.prog("x32")])


def test_diff_signal_handler():
    compare([h.prog("signal_handler")])


def test_diff_threads_clone3_refused():
    # pthread_create: clone3 fails with ENOSYS under both, then clone
    compare([h.prog("clone3_enosys")], same_stdout=False)


def test_diff_threads_clone3_allowed():
    # --allow-clone3 against a plain strace: clone3 runs under both
    compare([h.prog("clone3_enosys")], same_stdout=False, strace_opts=(),
            capsule_opts=("--allow-clone3",))
