"""Integration tests of argument decoding (issue 3): capsule traces
tests/progs/decode_kinds in each mode and the decoded "args" of chosen
records are compared exactly.

Run by tests/run.py (from the repository root; CAPSULE names the binary,
default ./capsule; test programs in build/tests/progs/), or standalone:
    python3 tests/integration/test_decode.py
"""
import json
import os
import subprocess
import sys
import tempfile

from harness import Skip, standalone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXIT_PTRACE = 124


def _path(p):
    return p if os.path.exists(p) else os.path.join(ROOT, p)


def capsule():
    return _path(os.environ.get("CAPSULE", "./capsule"))


def prog(name):
    # the programs beside the binary under test (build-asan/capsule uses
    # build-asan/tests/progs), else build/tests/progs
    build = os.environ.get("CAPSULE_BUILD")
    if build is None:
        d = os.path.dirname(os.environ.get("CAPSULE", ""))
        build = d if d and os.path.isdir(os.path.join(d, "tests", "progs")) \
            else "build"
    p = _path(os.path.join(build, "tests", "progs", name))
    if not os.path.exists(p):
        raise Skip("%s not built (make tests-build)" % p)
    return p


def trace(cmd, opts=(), text=False):
    """Runs capsule on cmd; returns (records or text lines, stdout)."""
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "log")
        argv = [capsule(), "run", "-q", "-o", log] + list(opts)
        if text:
            argv += ["--format", "text"]
        argv += ["--"] + list(cmd)
        r = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        if r.returncode == EXIT_PTRACE:
            raise Skip("ptrace not permitted here")
        with open(log, "rb") as f:
            data = f.read()
    if text:
        return data.decode("utf-8", "replace").splitlines(), r.stdout
    recs = []
    for line in data.splitlines():
        rec = json.loads(line)
        if rec.get("type") == "syscall":  # genesis, seals: not calls
            recs.append(rec)
    return recs, r.stdout


def calls(recs, name):
    return [r for r in recs if r["syscall"] == name]


def test_guard_page_path():
    recs, _ = trace([prog("decode_kinds"), "guard"])
    opens = [r for r in calls(recs, "openat")
             if r["args"]["pathname"] in ({"str": "abc", "truncated": True},
                                          "/xy",
                                          {"str": "zz", "truncated": True})]
    assert [o["args"]["pathname"] for o in opens] == [
        {"str": "abc", "truncated": True}, "/xy",
        {"str": "zz", "truncated": True}], opens
    assert [o.get("errno") for o in opens] == ["EFAULT", "ENOENT", "EFAULT"]
    assert opens[0]["args"] == {"dirfd": "AT_FDCWD",
                                "pathname": {"str": "abc", "truncated": True},
                                "flags": "O_RDONLY", "mode": 0}


def test_path_without_nul():
    recs, _ = trace([prog("decode_kinds"), "nonul"])
    o = [r for r in calls(recs, "openat")
         if isinstance(r["args"]["pathname"], dict)]
    assert len(o) == 1, o
    p = o[0]["args"]["pathname"]
    assert p == {"str": "a" * 4095, "truncated": True}
    assert o[0]["errno"] == "ENAMETOOLONG"


def test_bad_pointers():
    recs, _ = trace([prog("decode_kinds"), "badptr"])
    o = [r for r in calls(recs, "openat")
         if r["args"]["pathname"] == {"addr": "0x1", "error": "EFAULT"}]
    assert len(o) == 1 and o[0]["errno"] == "EFAULT", o
    e = [r for r in calls(recs, "execve")
         if r["args"]["pathname"] == "/nonexistent"]
    assert len(e) == 1
    assert e[0]["args"]["argv"] == {"addr": "0x8", "error": "EFAULT"}
    assert e[0]["args"]["envp"] is None


def test_invalid_utf8_quotes_control_chars():
    recs, _ = trace([prog("decode_kinds"), "utf8"])
    o = [r for r in calls(recs, "openat")
         if r["args"]["pathname"] != "/etc/ld.so.cache"
         and r["args"]["pathname"].startswith("/tmp/")]
    assert len(o) == 1, o
    # bytes that are not UTF-8 as \xNN, a backslash doubled, é kept
    assert o[0]["args"]["pathname"] == \
        "/tmp/\\xff\\xfe\"q\n\x01\\\\ok\u00e9", o[0]["args"]["pathname"]
    assert o[0]["args"]["flags"] == "O_RDONLY|O_CLOEXEC"
    m = calls(recs, "mkdirat")
    assert m[0]["args"] == {"dirfd": "AT_FDCWD",
                            "pathname": "/proc/capsule-\x7f", "mode": 0o750}


def test_huge_argv_is_bounded():
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "log")
        r = subprocess.run([capsule(), "run", "-q", "-o", log, "--",
                            prog("decode_kinds"), "bigargv"], timeout=120)
        if r.returncode == EXIT_PTRACE:
            raise Skip("ptrace not permitted here")
        assert r.returncode == 0
        with open(log, "rb") as f:
            lines = f.read().splitlines()
    assert max(len(l) for l in lines) < 100000
    big = [json.loads(l) for l in lines if b'"/bin/true"' in l]
    big = [x for x in big if x.get("type") == "syscall"]
    big = [b for b in big if b["syscall"] == "execve"]
    assert len(big) == 1
    e = big[0]
    assert e["ret"] == 0
    argv = e["args"]["argv"]
    assert argv["truncated"] is True
    assert argv["list"][0] == "/bin/true"
    assert argv["list"][1] == "a" * 99
    assert argv["list"][2] == "b" * 99
    assert 100 < len(argv["list"]) < 4096
    # secrets: names only by default
    assert e["args"]["envp"] == ["SECRET"]


def test_env_names_then_values():
    recs, _ = trace([prog("decode_kinds"), "env"])
    e = [r for r in calls(recs, "execve")
         if r["args"]["pathname"] == "/bin/true"]
    assert e[0]["args"]["argv"] == ["/bin/true", "x"]
    assert e[0]["args"]["envp"] == ["SECRET", "PATH", "EMPTY"]
    recs, _ = trace([prog("decode_kinds"), "env"], ["--env-values"])
    e = [r for r in calls(recs, "execve")
         if r["args"]["pathname"] == "/bin/true"]
    assert e[0]["args"]["envp"] == ["SECRET=hunter2", "PATH=/bin", "EMPTY="]


def test_unix_sockets():
    recs, _ = trace([prog("decode_kinds"), "unix"])
    b = calls(recs, "bind")
    assert b[0]["args"] == {"sockfd": 3, "addr": {
        "family": "AF_UNIX", "abstract": "capsule-abstract"}, "addrlen": 19}
    g = calls(recs, "getsockname")
    assert g[0]["args"]["addr"] == {"family": "AF_UNIX",
                                    "abstract": "capsule-abstract"}
    assert g[0]["args"]["addrlen"] == 19
    c = calls(recs, "connect")
    assert c[0]["args"]["addr"] == {"family": "AF_UNIX",
                                    "path": "/nonexistent/capsule.sock"}
    assert c[0]["errno"] == "ENOENT"
    s = calls(recs, "socket")
    assert s[0]["args"] == {"domain": "AF_UNIX",
                            "type": "SOCK_STREAM|SOCK_CLOEXEC", "protocol": 0}


def test_inet_connect_refused():
    recs, out = trace([prog("decode_kinds"), "inet"])
    p4, p6 = [int(x) for x in out.split()]
    c = calls(recs, "connect")
    assert c[0]["args"] == {"sockfd": 3, "addr": {
        "family": "AF_INET", "addr": "127.0.0.1", "port": p4}, "addrlen": 16}
    assert c[0]["errno"] == "ECONNREFUSED"
    assert c[1]["args"]["addr"] == {"family": "AF_INET6", "addr": "::1",
                                    "port": p6, "flowinfo": 0, "scope_id": 0}
    assert c[1]["errno"] == "ECONNREFUSED"
    s = [r for r in calls(recs, "socket")
         if r["args"]["protocol"] == "IPPROTO_TCP"]
    assert s[0]["args"]["domain"] == "AF_INET"
    st = calls(recs, "sendto")[0]
    rf = calls(recs, "recvfrom")[0]
    assert st["args"]["dest_addr"] == rf["args"]["src_addr"]
    assert st["args"]["dest_addr"]["addr"] == "127.0.0.1"
    assert st["args"]["len"] == 4 and rf["ret"] == 4
    assert rf["args"]["addrlen"] == 16


def test_pipe_socketpair_and_data():
    recs, out = trace([prog("decode_kinds"), "pipe"], ["--data", "64"])
    fds = [int(x) for x in out.split()]
    p = calls(recs, "pipe2")[0]
    assert p["args"] == {"pipefd": fds[0:2], "flags": "O_CLOEXEC"}
    s = calls(recs, "socketpair")[0]
    assert s["args"] == {"domain": "AF_UNIX",
                         "type": "SOCK_STREAM|SOCK_CLOEXEC", "protocol": 0,
                         "sv": fds[2:4]}
    w = [r for r in calls(recs, "write") if r["args"]["fd"] == fds[1]][0]
    assert w["args"] == {"fd": fds[1], "buf": "hello, world", "count": 12}
    r = [r for r in calls(recs, "read") if r["args"]["fd"] == fds[0]
         and r["args"]["count"] == 8][0]
    assert r["args"] == {"fd": fds[0], "buf": "hello, w", "count": 8}
    # without --data: addresses only
    recs, out = trace([prog("decode_kinds"), "pipe"])
    w = [r for r in calls(recs, "write") if r["args"]["count"] == 12][0]
    assert w["args"]["buf"].startswith("0x")
    recs, out = trace([prog("decode_kinds"), "pipe"], ["--data", "5"])
    w = [r for r in calls(recs, "write") if r["args"]["count"] == 12][0]
    assert w["args"]["buf"] == {"str": "hello", "truncated": True}


def test_clone3_struct():
    # --allow-clone3: the call runs (by default it fails with ENOSYS, and
    # its struct is decoded all the same)
    recs, _ = trace([prog("decode_kinds"), "clone3"])
    c = calls(recs, "clone3")
    assert len(c) == 1 and c[0]["errno"] == "ENOSYS", c
    assert c[0]["args"]["cl_args"]["exit_signal"] == "SIGCHLD", c
    recs, _ = trace([prog("decode_kinds"), "clone3"], ["--allow-clone3"])
    c = calls(recs, "clone3")
    assert len(c) == 1
    a = c[0]["args"]
    assert a["size"] == 88
    assert a["cl_args"]["flags"] == "CLONE_CHILD_SETTID"
    assert a["cl_args"]["exit_signal"] == "SIGCHLD"
    assert a["cl_args"]["child_tid"].startswith("0x")
    assert c[0]["ret"] > 0
    w = calls(recs, "wait4")[0]
    assert w["args"]["wstatus"] == {"exited": 0}
    assert w["args"]["pid"] == c[0]["ret"]


def test_misc_kinds():
    recs, _ = trace([prog("decode_kinds"), "misc"])
    n = calls(recs, "clock_nanosleep")[0]
    assert n["args"] == {"clockid": "CLOCK_REALTIME", "flags": "0x0",
                         "request": {"tv_sec": 0, "tv_nsec": 1000},
                         "remain": None}
    p = [r for r in calls(recs, "prctl")
         if r["args"]["option"] == "PR_SET_NO_NEW_PRIVS"]
    assert p[0]["args"]["arg2"] == 1
    k = calls(recs, "kill")[0]
    assert k["args"]["sig"] == 0
    u = calls(recs, "setresuid")[0]
    assert u["args"] == {"ruid": -1, "euid": -1, "suid": -1}
    f = calls(recs, "faccessat")[0]
    assert f["args"] == {"dirfd": "AT_FDCWD", "pathname": "/etc/passwd",
                         "mode": "R_OK|W_OK"}
    m = [r for r in calls(recs, "mprotect") if r["args"]["addr"] is None]
    assert m[0]["args"] == {"addr": None, "len": 0,
                            "prot": "PROT_READ|PROT_EXEC"}
    # every record keeps the raw registers
    assert all(len(r["raw"]) == 6 for r in recs)


def test_i386_abi():
    recs, _ = trace([prog("decode_kinds"), "i386"])
    r = [r for r in recs if r["abi"] == "i386"]
    assert [x["syscall"] for x in r] == ["openat", "execve"], r
    assert r[0]["args"] == {"dirfd": "AT_FDCWD",
                            "pathname": "/nonexistent-i386",
                            "flags": "O_RDONLY|O_CLOEXEC", "mode": 0}
    assert r[0]["errno"] == "ENOENT"
    assert r[1]["args"] == {"pathname": "/nonexistent-i386",
                            "argv": ["arg0"], "envp": None}


def test_text_format():
    lines, _ = trace([prog("decode_kinds"), "guard"], text=True)
    body = [l.split(" ", 1)[1] for l in lines]
    assert 'openat(AT_FDCWD, "abc"..., O_RDONLY, 0) = -1 EFAULT ' \
        '(Bad address)' in body, body
    assert 'openat(AT_FDCWD, "/xy", O_RDONLY, 0) = -1 ENOENT ' \
        '(No such file or directory)' in body
    assert body[-1] == "exit_group(0) = ? <unfinished: exited>"
    pid = lines[0].split(" ", 1)[0]
    assert pid.isdigit()




if __name__ == "__main__":
    sys.exit(standalone(globals()))
