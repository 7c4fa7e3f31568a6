"""test_core.py: the tracing semantics of issue 2, one tiny program each
(tests/progs/*.c), with assertions on the exact records capsule writes.

Only "syscall" records are looked at; assertions use pid, tid, abi,
syscall, nr, ret, errno and unfinished, never the shape of args.
"""
import os
import signal
import subprocess
import tempfile
import time

import harness as h
from harness import Skip, fmt, named, of_pid, of_tid, one, prog


def _ok(r, code=0):
    assert r.code == code, f"expected exit {code}: {r.describe()}"


def _exec_ok(records, pid, path=None):
    """The successful execve records of process pid."""
    return [r for r in of_pid(records, pid)
            if r["syscall"] == "execve" and r.get("ret") == 0]


def _ends_with_exit(records, pid, tid=None, why="exited"):
    tid = pid if tid is None else tid
    mine = of_tid(of_pid(records, pid), tid)
    assert mine, f"no records for {pid}/{tid}"
    last = mine[-1]
    assert last["syscall"] in ("exit_group", "exit") and \
        last.get("unfinished") is True and last.get("unfinished_why") == why, \
        f"last call of {pid}/{tid} is not an unfinished({why}) exit:\n" + \
        fmt(mine[-5:])


# ---- basic records ----

def test_open_enoent():
    r = h.run([prog("open_enoent")])
    _ok(r)
    root = h.root_pid(r.records)
    first = r.records[0]
    assert first["syscall"] == "execve" and first["ret"] == 0 and \
        first["pid"] == root and first["tid"] == root and first["nr"] == 59, first
    fails = [x for x in named(r.records, "openat", "open")
             if x.get("errno") == "ENOENT"]
    # the dynamic loader may probe paths too; ours is the last ENOENT open
    assert fails, "no failing open:\n" + fmt(r.records)
    last = fails[-1]
    assert last["syscall"] == "openat" and last["nr"] == 257, last
    assert last["ret"] == -1 and last["errno_nr"] == 2, last
    assert last["pid"] == root and last["tid"] == root, last
    assert "dur_ns" in last and not last.get("unfinished"), last
    # THE ONE PLACE THAT LOOKS INTO args (their shape belongs to the decode
    # issue): once args is an object naming the path, it must be ours.
    if isinstance(last["args"], dict) and "pathname" in last["args"]:
        assert last["args"]["pathname"] == \
            "/nonexistent/capsule-test-enoent-7f3a", last["args"]
    # nothing else in this program fails after it
    after = [x for x in r.records if x["seq"] > last["seq"]]
    assert all("errno" not in x for x in after), fmt(after)
    _ends_with_exit(r.records, root)
    assert len(h.pids(r.records)) == 1, h.pids(r.records)


def test_every_line_is_one_json_object():
    r = h.run([prog("open_enoent")])
    _ok(r)
    lines = r.log_text.split("\n")
    assert lines[-1] == "", "log does not end with a newline"
    assert len(lines) - 1 == len(r.all) >= 10, len(lines)
    for line in lines[:-1]:
        assert line.startswith("{") and line.endswith("}"), line[:200]
    r.log_text.encode("utf-8")  # valid UTF-8 (read above as utf-8)


def test_dur_and_ts_plausible():
    r = h.run([prog("open_enoent")])
    _ok(r)
    year = time.gmtime().tm_year
    for x in r.records:
        assert abs(int(x["ts"][:4]) - year) <= 1, x
        if "dur_ns" in x:
            assert 0 <= x["dur_ns"] < 60 * 10**9, x


# ---- processes and threads ----

def test_fork_exec():
    r = h.run([prog("fork_exec")])
    _ok(r)
    child = h.lines_with(r.stdout, "child")
    assert len(child) == 1, r.stdout
    child = child[0]
    root = h.root_pid(r.records)
    assert child != root
    assert h.pids(r.records) == [root, child], h.pids(r.records)
    # the parent's fork is a clone that returned the child's pid
    forks = [x for x in of_pid(r.records, root)
             if x["syscall"] in ("clone", "fork", "clone3")]
    assert one(forks, "fork/clone")["ret"] == child, fmt(forks)
    # the child runs /bin/true: an execve that succeeded, as its own process
    ex = one(_exec_ok(r.records, child), "child execve")
    assert ex["tid"] == child
    crec = of_pid(r.records, child)
    assert all(x["tid"] == child for x in crec), fmt(crec)
    _ends_with_exit(r.records, child)
    _ends_with_exit(r.records, root)
    waits = named(of_pid(r.records, root), "wait4", "waitid")
    assert any(w.get("ret") == child for w in waits), fmt(waits)


def test_vfork_exec():
    r = h.run([prog("vfork_exec")])
    _ok(r)
    child = h.lines_with(r.stdout, "child")[0]
    root = h.root_pid(r.records)
    assert set(h.pids(r.records)) == {root, child}, h.pids(r.records)
    vf = [x for x in of_pid(r.records, root)
          if x["syscall"] in ("vfork", "clone", "clone3")]
    assert one(vf, "vfork")["ret"] == child, fmt(vf)
    one(_exec_ok(r.records, child), "child execve")
    _ends_with_exit(r.records, child)
    _ends_with_exit(r.records, root)


def test_threads():
    r = h.run([prog("threads")])
    _ok(r)
    printed = h.lines_with(r.stdout, "thread")
    assert len(printed) == 4 and len(set(printed)) == 4, r.stdout
    root = h.root_pid(r.records)
    assert h.pids(r.records) == [root], "threads must share the pid: " + \
        str(h.pids(r.records))
    assert set(h.tids(r.records)) == {root, *printed}, \
        f"tids {h.tids(r.records)} vs printed {printed} + leader {root}"
    # each thread: gettid returned its own tid, and one getppid
    for tid in printed:
        mine = of_tid(r.records, tid)
        assert all(x["pid"] == root for x in mine)
        gt = one(named(mine, "gettid"), f"gettid of {tid}")
        assert gt["ret"] == tid, gt
        one(named(mine, "getppid"), f"getppid of {tid}")
        last = mine[-1]
        assert last["syscall"] == "exit" and last["unfinished_why"] == "exited", \
            f"thread {tid} does not end in exit:\n" + fmt(mine[-4:])
    assert not named(of_tid(r.records, root), "getppid", "gettid"), \
        "the main thread made a call only the threads make"
    clones = [x for x in of_tid(r.records, root)
              if x["syscall"] in ("clone", "clone3") and x.get("ret", 0) > 0]
    assert sorted(c["ret"] for c in clones) == sorted(printed), fmt(clones)
    _ends_with_exit(r.records, root)


def test_exec_from_non_leader_thread():
    r = h.run([prog("exec_thread")], check_log=False)  # checked last
    _ok(r, 7)
    leader = h.lines_with(r.stdout, "leader")[0]
    execer = h.lines_with(r.stdout, "execer")[0]
    after = [l.split() for l in r.stdout.decode().splitlines()
             if l.startswith("after ")]
    assert after == [["after", str(leader), str(leader)]], r.stdout
    bystander = h.lines_with(r.stdout, "bystander")[0]
    assert h.pids(r.records) == [leader], h.pids(r.records)
    assert set(h.tids(r.records)) == {leader, execer, bystander}, \
        h.tids(r.records)
    execs = _exec_ok(r.records, leader)
    assert len(execs) == 2, fmt(execs)
    ex = execs[1]
    assert ex["tid"] == execer, "the execve was made by the non-leader " \
        f"thread {execer}: {ex}"
    # the leader was blocked in pause(): unfinished, ended by the exec
    lead_recs = of_tid(r.records, leader)
    pause = one(named(lead_recs, "pause"), "pause")
    assert pause.get("unfinished") is True and \
        pause.get("unfinished_why") == "exec", \
        "the leader's pause() was ended by the other thread's execve: " \
        f"expected unfinished_why \"exec\", got {pause.get('unfinished_why')!r}"
    # the bystander thread, blocked in read(), was ended by the execve too
    byrec = of_tid(r.records, bystander)
    assert byrec[-1]["syscall"] == "read" and \
        byrec[-1].get("unfinished_why") == "exec", \
        "the bystander's read() was ended by the other thread's execve: " \
        f"expected unfinished \"exec\":\n" + fmt(byrec[-3:])
    # no record of the execer's tid after the execve
    later = [x for x in of_tid(r.records, execer) if x["seq"] > ex["seq"]]
    assert not later, fmt(later)
    # the new image runs as the leader: its marker getppid, and its exit
    newimg = [x for x in lead_recs if x["seq"] > ex["seq"]]
    assert newimg and named(newimg, "getppid"), fmt(newimg)
    assert newimg[-1]["syscall"] == "exit_group" and \
        newimg[-1]["unfinished_why"] == "exited", fmt(newimg[-3:])
    h.check_log_invariants(r)


def test_clone3_process_and_thread():
    # --allow-clone3: clone3 runs (by default capsule makes it fail, below)
    r = h.run([prog("clone3")], opts=["--allow-clone3"])
    if r.code == 77:
        raise Skip("clone3 not supported by this kernel")
    _ok(r)
    child = h.lines_with(r.stdout, "child")[0]
    thread = h.lines_with(r.stdout, "thread")[0]
    root = h.root_pid(r.records)
    assert h.pids(r.records) == [root, child], h.pids(r.records)
    c3 = named(of_tid(r.records, root), "clone3")
    assert [x.get("ret") for x in c3] == [child, thread], fmt(c3)
    assert all(x["nr"] == 435 for x in c3)
    crec = of_pid(r.records, child)
    assert named(crec, "getppid"), fmt(crec)
    _ends_with_exit(r.records, child)
    trec = of_tid(r.records, thread)
    assert trec and all(x["pid"] == root for x in trec), \
        f"clone3 thread {thread} must be in process {root}:\n" + fmt(trec)
    gt = one(named(trec, "gettid"), "gettid of the clone3 thread")
    assert gt["ret"] == thread, gt
    _ends_with_exit(r.records, root, thread)
    _ends_with_exit(r.records, root)


def _clone3_refused(rec):
    return rec.get("ret") == -1 and rec.get("errno") == "ENOSYS" and \
        rec.get("denied_by") == "capsule" and \
        rec.get("denied_why") == "clone3"


def test_clone3_fails_with_enosys_and_threads_still_work():
    # by default clone3 fails with ENOSYS (x86_64 and i386 alike), no
    # child is made, and glibc's pthread_create falls back to clone: the
    # thread exists and is traced
    r = h.run([prog("clone3_enosys")])
    _ok(r)
    out = r.stdout.decode().splitlines()
    assert out[0] == "x86_64 clone3 ENOSYS", r.stdout
    assert out[1] in ("i386 clone3 ENOSYS", "i386 clone3 skipped"), r.stdout
    thread = h.lines_with(r.stdout, "thread")[0]
    assert out[-1] == "joined", r.stdout
    root = h.root_pid(r.records)
    assert h.pids(r.records) == [root], h.pids(r.records)
    c3 = named(r.records, "clone3")
    # two raw calls (one if int 0x80 was skipped), then glibc's
    assert len(c3) == (3 if out[1] != "i386 clone3 skipped" else 2), fmt(c3)
    assert all(_clone3_refused(x) and x["nr"] == 435 for x in c3), fmt(c3)
    if out[1] != "i386 clone3 skipped":
        assert [x["abi"] for x in c3] == ["x86_64", "i386", "x86_64"], fmt(c3)
    clones = [x for x in of_tid(r.records, root)
              if x["syscall"] == "clone" and x.get("ret", 0) > 0]
    assert [x["ret"] for x in clones] == [thread], fmt(clones)
    trec = of_tid(r.records, thread)
    assert trec and all(x["pid"] == root for x in trec), fmt(trec)
    assert trec[-1]["syscall"] == "exit", fmt(trec[-3:])
    assert not [x for x in r.records
                if x.get("late_attach") or x.get("untraced_cleared")]
    assert b"attached late" not in r.stderr, r.stderr


def test_python_threads_with_clone3_refused():
    # CPython's threading uses pthread_create: the fallback works there too
    code = ("import threading, os\n"
            "def f(): print('thread', threading.get_native_id())\n"
            "t = threading.Thread(target=f); t.start(); t.join()\n"
            "print('done')\n")
    r = h.run([h.python3(), "-c", code])
    _ok(r)
    thread = h.lines_with(r.stdout, "thread")[0]
    root = h.root_pid(r.records)
    assert r.stdout.decode().splitlines()[-1] == "done", r.stdout
    c3 = named(r.records, "clone3")
    assert c3 and all(_clone3_refused(x) for x in c3), fmt(c3)
    trec = of_tid(r.records, thread)
    assert trec and all(x["pid"] == root for x in trec), fmt(trec)


def test_clone3_runs_with_allow_clone3():
    r = h.run([prog("clone3_enosys")], opts=["--allow-clone3"])
    _ok(r)
    out = r.stdout.decode().splitlines()
    assert out[0] == "x86_64 clone3 ok", r.stdout
    assert out[1] in ("i386 clone3 ok", "i386 clone3 skipped"), r.stdout
    thread = h.lines_with(r.stdout, "thread")[0]
    root = h.root_pid(r.records)
    c3 = named(of_tid(r.records, root), "clone3")
    assert all(x.get("ret", 0) > 0 and "denied_by" not in x for x in c3), \
        fmt(c3)
    assert c3[-1]["ret"] == thread, fmt(c3)
    children = [x["ret"] for x in c3[:-1]]
    assert sorted(h.pids(r.records)) == sorted([root, *children]), \
        (h.pids(r.records), children)
    assert of_tid(r.records, thread), "the clone3 thread is not traced"


def test_sigstop_sigcont_group_stop():
    r = h.run([prog("sigstop")])
    assert r.code == 0, f"group-stop did not behave as without capsule " \
        f"(program exit {r.code}; 142 = SIGALRM: a wait hung): {r.describe()}"
    child = h.lines_with(r.stdout, "child")[0]
    crec = of_pid(r.records, child)
    assert named(crec, "getppid"), "child did not run after SIGCONT:\n" + fmt(crec)
    _ends_with_exit(r.records, child)
    root = h.root_pid(r.records)
    kills = [x for x in named(of_pid(r.records, root), "kill")
             if x.get("ret") == 0]
    assert kills, "no kill(SIGCONT) record"


def test_child_outlives_parent():
    r = h.run([prog("orphan")])
    _ok(r)
    child = h.lines_with(r.stdout, "child")[0]
    root = h.root_pid(r.records)
    _ends_with_exit(r.records, root)
    crec = of_pid(r.records, child)
    ppid = one(named(crec, "getppid"), "child getppid")
    assert ppid["ret"] != root, "the child's getppid ran before its parent " \
        f"exited? {ppid}"
    one(named(crec, "umask"), "child umask")
    _ends_with_exit(r.records, child)
    # the orphan's calls come after the parent's exit in the log
    pexit = of_pid(r.records, root)[-1]
    assert ppid["seq"] > pexit["seq"], (ppid, pexit)


def test_child_killed_mid_syscall():
    r = h.run([prog("killed")])
    _ok(r)
    child = h.lines_with(r.stdout, "child")[0]
    crec = of_pid(r.records, child)
    assert crec, "no records of the child"
    last = crec[-1]
    assert last["syscall"] == "read" and last.get("unfinished") is True and \
        last.get("unfinished_why") == "killed", \
        "the child's read must be unfinished (killed):\n" + fmt(crec[-4:])


def test_program_killed_by_sigkill():
    r = h.run([prog("killed"), "self"])
    assert r.code == 137, f"expected 128+9: {r.describe()}"
    root = h.root_pid(r.records)
    last = of_pid(r.records, root)[-1]
    assert last["syscall"] == "kill" and last.get("unfinished_why") == "killed", \
        "the program's own kill(SIGKILL) never returns:\n" + \
        fmt(of_pid(r.records, root)[-4:])


def test_exit_group_with_threads_in_syscalls():
    r = h.run([prog("exit_group_threads")])
    _ok(r, 3)
    root = h.root_pid(r.records)
    for word, call in (("sleeper", "nanosleep"), ("pauser", "pause"),
                       ("reader", "read")):
        tid = h.lines_with(r.stdout, word)[0]
        mine = of_tid(r.records, tid)
        assert mine and all(x["pid"] == root for x in mine), fmt(mine)
        last = mine[-1]
        assert last["syscall"] == call and last.get("unfinished") is True \
            and last.get("unfinished_why") == "exited", \
            f"{word} thread {tid}: last call must be {call} unfinished " \
            "(exited):\n" + fmt(mine[-4:])
    eg = one(named(of_tid(r.records, root), "exit_group"), "exit_group")
    assert eg.get("unfinished_why") == "exited", eg


# ---- ABIs ----

def _native(path, *args):
    return subprocess.run([path, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=h.TIMEOUT)


def test_int80_i386_abi():
    n = _native(prog("int80"))
    if n.returncode != 0:
        raise Skip(f"int $0x80 does not work here (exit {n.returncode}): "
                   "no IA32 emulation")
    r = h.run([prog("int80")])
    _ok(r)
    root = h.root_pid(r.records)
    i386 = [x for x in r.records if x["abi"] == "i386"]
    assert [(x["syscall"], x["nr"]) for x in i386] == \
        [("getpid", 20), ("getuid32", 199)], fmt(i386)
    assert i386[0]["ret"] == root, i386[0]
    assert i386[1]["ret"] == os.getuid(), i386[1]
    assert not named(r.records, "fremovexattr"), \
        "an i386 call misread with the x86_64 table"
    # the only writev would be the misread getpid (the program uses write)
    assert not named(r.records, "writev"), fmt(named(r.records, "writev"))


def test_x32_abi():
    r = h.run([prog("x32")])
    _ok(r)
    x32 = [x for x in r.records if x["abi"] == "x32"]
    assert [(x["syscall"], x["nr"]) for x in x32] == \
        [("getpid", 39), ("getuid", 102)], fmt(x32)
    # what the program saw must be what the log says
    for x, line in zip(x32, [l.split() for l in r.stdout.decode().splitlines()]):
        ret, err = int(line[1]), int(line[2])
        if ret < 0:
            assert x["ret"] == -1 and x["errno_nr"] == err, (x, line)
        else:
            assert x["ret"] == ret, (x, line)


def test_unknown_numbers_keep_number_and_abi():
    # -1 is not an x32 call although its bit 30 is set: the kernel takes
    # a number as x32 only when it is not negative
    r = h.run([prog("bad_nr")])
    _ok(r)
    got = [(x["abi"], x["syscall"], x["nr"], x.get("errno"))
           for x in r.records
           if x["nr"] < 0 or x["nr"] >= 100000]
    assert got == [("x86_64", "syscall_-1", -1, "ENOSYS"),
                   ("x86_64", "syscall_100000", 100000, "ENOSYS"),
                   ("x32", "syscall_100000", 100000, "ENOSYS")], got


# ---- no escape ----

def test_clone_untraced_is_followed():
    # --allow-clone3: the clone3 half clears the flag in memory
    r = h.run([prog("untraced")], opts=["--allow-clone3"])
    _ok(r)
    root = h.root_pid(r.records)
    c1 = h.lines_with(r.stdout, "clone")[0]
    c2 = h.lines_with(r.stdout, "clone3")[0]
    assert set(h.pids(r.records)) == {root, c1, c2}, \
        f"CLONE_UNTRACED children escaped: pids {h.pids(r.records)}, " \
        f"expected {root}, {c1}, {c2}"
    r1 = of_pid(r.records, c1)
    assert named(r1, "getppid") and named(r1, "umask"), fmt(r1)
    _ends_with_exit(r.records, c1)
    r2 = of_pid(r.records, c2)
    assert named(r2, "getppid"), fmt(r2)
    _ends_with_exit(r.records, c2)
    creators = [x for x in of_pid(r.records, root)
                if x["syscall"] in ("clone", "clone3") and x.get("ret", 0) > 0]
    assert [x["ret"] for x in creators] == [c1, c2], fmt(creators)


def test_clone3_untraced_race_cannot_escape():
    # --allow-clone3: a sibling thread sets CLONE_UNTRACED again in
    # clone3's struct after capsule cleared it; capsule holds the caller's
    # threads until the kernel has copied the struct, so no child may run
    # a moment untraced
    r = h.run([prog("untraced_race"), "1000"], opts=["--allow-clone3"])
    _ok(r)
    assert r.stdout.decode().strip() == "escaped=0 of 1000", r.stdout


def _shared_race_children(r):
    """Checks the tree of untraced_shared; returns its children's pids."""
    root = h.root_pid(r.records)
    new = [p for p in r.processes
           if p.get("event") == "new" and p.get("creator") == root]
    return root, [p["pid"] for p in new]


def test_clone3_shared_page_race_no_escape_by_default():
    # Another process sets CLONE_UNTRACED in a MAP_SHARED clone_args: no
    # freeze of the caller's threads holds it.  By default clone3 fails
    # with ENOSYS before the kernel reads the struct; the program falls
    # back to clone(CLONE_UNTRACED), whose flag capsule clears in the
    # register.  Every child is traced from its first instruction.
    n = 1000
    r = h.run([prog("untraced_shared"), str(n)])
    _ok(r)
    assert r.stdout.decode().strip() == \
        f"clone3=0 enosys={n} escaped=0 of {n}", r.stdout
    c3 = named(r.records, "clone3")
    assert len(c3) == n and all(_clone3_refused(x) for x in c3), \
        fmt([x for x in c3 if not _clone3_refused(x)])
    assert not [x for x in r.records if x.get("late_attach")], \
        fmt([x for x in r.records if x.get("late_attach")])
    assert b"attached late" not in r.stderr, r.stderr
    root, children = _shared_race_children(r)
    # the helper process and the n children, each auto-attached (a "new"
    # process record) and each with records of its own
    assert len(children) == n + 1, len(children)
    assert sorted(h.pids(r.records)) == sorted([root, *children]), \
        (len(h.pids(r.records)), n + 2)
    # fork() of the helper, then the n fallbacks that asked for
    # CLONE_UNTRACED
    clones = [x for x in of_pid(r.records, root)
              if x["syscall"] == "clone" and x.get("ret", 0) > 0]
    assert len(clones) == n + 1 and all(x.get("untraced_cleared")
                                        for x in clones[1:]), \
        fmt(clones[:3])


def test_clone3_shared_page_race_with_allow_clone3():
    # The old path still works: clone3 runs, capsule clears the flag in
    # memory, and a child whose flag was set again by the other process
    # (the race this option accepts) is attached when clone3 returns.
    n = 300
    r = h.run([prog("untraced_shared"), str(n)], opts=["--allow-clone3"])
    _ok(r)
    out = r.stdout.decode().strip()
    assert out.startswith(f"clone3={n} enosys=0 escaped="), out
    root = h.root_pid(r.records)
    c3 = named(of_pid(r.records, root), "clone3")
    assert len(c3) == n, len(c3)
    assert all(x.get("ret", 0) > 0 and x.get("untraced_cleared") and
               "denied_by" not in x for x in c3), fmt(c3[:3])
    late = [x for x in r.records if x.get("late_attach")]
    assert all(x["syscall"] == "clone3" for x in late), fmt(late)
    assert bool(late) == (b"attached late" in r.stderr), r.stderr


def test_tracee_cannot_inspect_capsule():
    # As root, CAP_SYS_PTRACE overrides non-dumpability: run capsule and
    # the tracee as nobody.
    drop = h.drop_privileges_fn()
    path = prog("antidebug")
    if drop is not None and not _world_reachable(path, h.CAPSULE):
        raise Skip("nobody cannot reach the build tree")
    # control: under a plain, dumpable parent (sh, as the same user) the
    # same checks succeed
    ctl = subprocess.run(["/bin/sh", "-c", '"$0"; exit $?', path],
                         stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=drop,
                         timeout=h.TIMEOUT)
    if ctl.returncode != 1 or ctl.stdout.decode().strip() != \
            "seize=ok mem=ok vm_readv=ok":
        raise Skip("the checks fail even against a dumpable parent here "
                   f"({ctl.stdout.decode().strip()}): test would prove nothing")
    r = h.run([path], preexec_fn=drop, timeout=30)
    out = r.stdout.decode().strip()
    assert r.code == 0, f"tracee could inspect capsule: {out!r}; {r.describe()}"
    for part in out.split():
        assert not part.endswith("=ok"), out


def test_privileged_tracee_cannot_attach_to_capsule():
    # With CAP_SYS_PTRACE non-dumpability does not protect capsule; capsule
    # cancels a tracee's ptrace attach, process_vm_readv/writev and
    # pidfd_open aimed at itself (an attach would freeze capsule and its
    # tracees together).  /proc/<capsule>/mem stays readable to root: a
    # documented limit, not asserted here.
    if os.geteuid() != 0:
        raise Skip("needs root (CAP_SYS_PTRACE)")
    r = h.run([prog("antidebug")], timeout=30)
    out = r.stdout.decode().strip()
    assert "seize=Operation not permitted" in out, out
    assert "vm_readv=Operation not permitted" in out, out
    denied = [x for x in r.records if x.get("denied_by") == "capsule"]
    names = sorted({x["syscall"] for x in denied})
    assert names == ["process_vm_readv", "ptrace"], h.fmt(denied)
    for x in denied:
        assert x["ret"] == -1 and x["errno"] == "EPERM", h.fmt([x])
        assert x["denied_why"] == "targets_capsule", h.fmt([x])


def _world_reachable(*paths):
    for p in paths:
        d = os.path.abspath(p)
        while d != "/":
            d = os.path.dirname(d)
            if not os.stat(d).st_mode & 0o001:
                return False
        if not os.stat(p).st_mode & 0o001:
            return False
    return True


def test_tracee_killing_capsule_dies_with_it():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        pidfile = os.path.join(d, "child.pid")
        r = h.run([prog("kill_tracer"), pidfile], check_log=False, timeout=30)
        assert r.code == -9, f"capsule should have been SIGKILLed: {r.describe()}"
        with open(pidfile) as f:
            child = int(f.read())
        # PTRACE_O_EXITKILL: the kernel kills the tracees as capsule dies
        deadline = time.monotonic() + 10
        while h.pid_alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        alive = h.pid_alive(child)
        if alive:
            os.kill(child, 9)
        assert not alive, f"child {child} survived its tracer's death"


# ---- signals ----

def test_signal_delivered_to_handler():
    r = h.run([prog("signal_handler")])
    assert r.code == 0, f"exit 1: the SIGUSR1 handler did not run; " \
        f"4: blocked SIGUSR2 not pending; {r.describe()}"
    root = h.root_pid(r.records)
    mine = of_pid(r.records, root)
    assert named(mine, "rt_sigreturn"), "no rt_sigreturn: handler not run?\n" \
        + fmt(mine)
    sends = [x for x in mine if x["syscall"] in ("tgkill", "kill", "tkill")]
    assert len(sends) == 2 and all(x.get("ret") == 0 for x in sends), fmt(sends)


def _forwarded(sig, name):
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        marker = os.path.join(d, "marker")
        log = os.path.join(d, "log.jsonl")
        proc = h.spawn(h.capsule_args([prog("wait_signal"), marker], log),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
        line = proc.stdout.readline().decode()
        assert line.startswith("ready "), f"program did not start: {line!r}"
        os.kill(proc.pid, sig)
        out, err = h.communicate(proc)
        assert proc.returncode == 42, \
            f"exit {proc.returncode} (142: signal never arrived); stderr {err!r}"
        with open(marker) as f:
            assert f.read() == name + "\n"
        with open(log, encoding="utf-8") as f:
            text = f.read()
        r = h.Run(proc.returncode, out, err, text, log)
        h.check_log_invariants(r)
        root = h.root_pid(r.records)
        _ends_with_exit(r.records, root)
        # the handler's marker write, then _exit(42) (the signal may come
        # before or during pause(), so pause itself is not asserted)
        mine = of_pid(r.records, root)
        writes = [x for x in named(mine, "write") if x.get("ret") == len(name) + 1]
        assert writes and writes[-1]["seq"] > named(mine, "write")[0]["seq"], \
            fmt(mine[-8:])
        mode = os.stat(log).st_mode & 0o777
        assert mode == 0o600, oct(mode)


def test_sigterm_forwarded_to_program():
    import signal
    _forwarded(signal.SIGTERM, "TERM")


def test_sigint_forwarded_to_program():
    import signal
    _forwarded(signal.SIGINT, "INT")


def test_sigstop_sigcont_threaded_child():
    r = h.run([prog("sigstop"), "threaded"])
    assert r.code == 0, f"group-stop of a two-thread child did not behave " \
        f"as without capsule (program exit {r.code}; 142 = SIGALRM: a wait " \
        f"hung): {r.describe()}"


def _state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _wait_state(pid, states, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        st = _state(pid)
        if st in states:
            return st
        time.sleep(0.02)
    return _state(pid)


def test_kill_stop_cont_from_outside():
    import signal
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        marker = os.path.join(d, "marker")
        log = os.path.join(d, "log.jsonl")
        proc = h.spawn(h.capsule_args([prog("wait_signal"), marker], log),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
        line = proc.stdout.readline().decode()
        assert line.startswith("ready "), line
        pid = int(line.split()[1])
        assert _wait_state(pid, ("S",)) == "S"
        os.kill(pid, signal.SIGSTOP)
        st = _wait_state(pid, ("T", "t"))
        assert st in ("T", "t"), f"not stopped after SIGSTOP: state {st}"
        time.sleep(0.3)  # ordering only: a wrongly resumed task wakes by now
        assert _state(pid) in ("T", "t"), \
            f"stopped task was resumed: state {_state(pid)}"
        # a stopped process does not run its SIGTERM handler until SIGCONT
        os.kill(pid, signal.SIGTERM)
        time.sleep(0.3)
        assert not os.path.exists(marker), "handler ran while stopped"
        assert _state(pid) in ("T", "t"), \
            f"SIGTERM resumed the stopped task: state {_state(pid)}"
        assert proc.poll() is None
        os.kill(pid, signal.SIGCONT)
        out, err = h.communicate(proc)
        assert proc.returncode == 42, (proc.returncode, err)
        with open(marker) as f:
            assert f.read() == "TERM\n"


def test_log_written_while_program_idle():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        marker = os.path.join(d, "marker")
        log = os.path.join(d, "log.jsonl")
        proc = h.spawn(h.capsule_args([prog("wait_signal"), marker], log),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
        line = proc.stdout.readline().decode()
        assert line.startswith("ready "), line
        # the write of "ready" must reach the file while the program sleeps
        # (the issue promises 10 ms; 10 s here is only a hang guard)
        deadline = time.monotonic() + 10
        found = False
        while not found and time.monotonic() < deadline:
            with open(log, encoding="utf-8") as f:
                text = f.read()
            text = text[:text.rfind("\n") + 1]
            found = any(r.get("syscall") == "write" and r.get("ret") == len(line)
                        for r in h.parse_lines(text))
            if not found:
                time.sleep(0.01)
        assert proc.poll() is None, "program ended early"
        os.kill(proc.pid, 15)
        h.communicate(proc)
        assert found, "the record of a finished call stayed unwritten while " \
            f"the program was idle; log so far:\n{text[-1000:]}"


def test_no_record_lost_under_load():
    r = h.run([prog("many_calls"), "8", "5000", "50"], opts=["-q"], timeout=120)
    _ok(r)
    root = h.root_pid(r.records)
    ppid = [x for x in named(r.records, "getppid") if x["pid"] == root]
    assert len(ppid) == 8 * 5000, f"{len(ppid)} getppid records, expected 40000"
    assert len({x["tid"] for x in ppid}) == 8
    assert all(x["tid"] != root for x in ppid)
    pg = named(r.records, "getpgrp")
    assert len(pg) == 50 and len({x["pid"] for x in pg}) == 50, len(pg)
    assert len(h.pids(r.records)) == 51
    for pid in h.pids(r.records):
        _ends_with_exit(r.records, pid)


def _run_with_getppid_killed(cmd):
    """Runs cmd under a --seccomp profile that kills at getppid."""
    import json as _json
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        prof = os.path.join(d, "kill.json")
        with open(prof, "w") as f:
            _json.dump({"defaultAction": "SCMP_ACT_ALLOW",
                        "architectures": ["SCMP_ARCH_X86_64"],
                        "syscalls": [{"names": ["getppid"],
                                      "action": "SCMP_ACT_KILL_PROCESS"}]}, f)
        return h.run(cmd, opts=["--seccomp", prof], check_log=False)


def test_call_killed_by_seccomp_is_unfinished_killed():
    # SECCOMP_RET_KILL_PROCESS skips the call, reports an exit stop whose
    # "return value" is the untouched syscall number, then kills the task:
    # the record must say the call never returned, not "ret": 110.
    r = _run_with_getppid_killed([prog("many_calls"), "1", "1", "0"])
    assert r.code == 128 + signal.SIGSYS, r.describe()
    calls = h.named(r.records, "getppid")
    assert len(calls) == 1, h.fmt(calls)
    c = calls[0]
    assert c.get("unfinished") is True and c.get("unfinished_why") == "killed", \
        h.fmt(calls)
    assert "ret" not in c, h.fmt(calls)


def test_call_killed_by_seccomp_with_long_proc_status():
    # the pending SIGSYS is looked up in /proc/PID/status: a tracee with
    # many groups puts its SigPnd line beyond the first 2 KB
    r = _run_with_getppid_killed([prog("groups_killed")])
    if r.code == 77:
        raise h.Skip("setgroups not permitted here")
    assert r.code == 128 + signal.SIGSYS, r.describe()
    calls = h.named(r.records, "getppid")
    assert len(calls) == 1, h.fmt(calls)
    assert calls[0].get("unfinished_why") == "killed", h.fmt(calls)
