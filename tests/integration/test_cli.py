"""test_cli.py: capsule's command line, exit codes, log-file safety and the
traced program's standard streams."""
import json
import os
import re
import pwd
import stat
import subprocess
import tempfile

import harness as h
from harness import Skip, fmt, named, prog


def _capsule(*args, input=None, env=None, cwd=None):
    p = h.spawn([h.CAPSULE, *args], stdin=subprocess.PIPE if input is not None
                else subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env, cwd=cwd)
    out, err = h.communicate(p, input)
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


# ---- usage ----

def test_no_arguments_prints_usage():
    code, out, err = _capsule()
    assert code == 0, (code, err)
    assert "usage" in out.lower() and "run" in out, out


def test_help():
    for arg in ("--help", "-h", "help"):
        code, out, err = _capsule(arg)
        assert code == 0 and "usage" in out.lower() and "run" in out, (arg, code, out)


def test_version():
    code, out, err = _capsule("--version")
    assert code == 0 and out.startswith("capsule ") and len(out.split()) >= 2, \
        (code, out)
    assert out.endswith("\n") and out.count("\n") == 1, out


def test_trace_without_command_prints_options():
    for sub in ("trace", "run"):
        code, out, err = _capsule(sub)
        assert code == 0, (sub, code, err)
        assert "-o" in out and "--output" in out and "-q" in out, (sub, out)


def test_run_help():
    code, out, err = _capsule("run", "--help")
    assert code == 0 and "--output" in out, (code, out)


def test_bad_option_exit_2():
    for args in (("run", "--no-such-option", "/bin/true"), ("frobnicate",),
                 ("run", "-o"), ("run", "-q")):
        code, out, err = _capsule(*args)
        assert code == 2, f"capsule {' '.join(args)}: exit {code}, stderr {err!r}"
        assert err, f"capsule {' '.join(args)}: no message on stderr"


def test_program_options_are_its_own():
    # options after CMD belong to CMD, not to capsule
    r = h.run(["/bin/echo", "-q", "-o", "x"], opts=["-q"])
    assert r.code == 0 and r.stdout == b"-q -o x\n", r.describe()


# ---- exit codes ----

def test_exit_status_of_program():
    for n in (0, 1, 3, 42, 255):
        r = h.run(["/bin/sh", "-c", f"exit {n}"], opts=["-q"])
        assert r.code == n, f"exit {n}: {r.describe()}"


def test_exit_128_plus_signal():
    for sig in (15, 6, 9):
        r = h.run(["/bin/sh", "-c", f"kill -{sig} $$"], opts=["-q"])
        assert r.code == 128 + sig, f"signal {sig}: {r.describe()}"
        last = r.records[-1]
        assert last["pid"] == r.records[0]["pid"] and last["syscall"] == "kill", \
            fmt(r.records[-3:])
        if sig == 9:  # dies inside the call: no exit stop
            assert last.get("unfinished_why") == "killed", last
        else:  # the call returns, the signal kills on the way to user space
            assert last.get("ret") == 0, last


def test_command_not_found_127():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        log = os.path.join(d, "log")
        code, out, err = _capsule("run", "-o", log, "--",
                                  "no-such-command-capsule-test")
        assert code == 127, (code, err)
        assert err.startswith("capsule: "), err
        code, out, err = _capsule("run", "-o", log, "--",
                                  "/nonexistent/capsule-test/cmd")
        assert code == 127, (code, err)


def test_not_executable_126():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        f = os.path.join(d, "noexec")
        with open(f, "w") as fh:
            fh.write("#!/bin/sh\nexit 0\n")
        os.chmod(f, 0o644)
        log = os.path.join(d, "log")
        code, out, err = _capsule("run", "-o", log, "--", f)
        assert code == 126, (code, err)
        # a directory
        code, out, err = _capsule("run", "-o", log, "--", d)
        assert code == 126, (code, err)
        # executable, but not a format the kernel runs: execve fails ENOEXEC
        bad = os.path.join(d, "badformat")
        with open(bad, "wb") as fh:
            fh.write(b"\x7fELF garbage, not a program\n")
        os.chmod(bad, 0o755)
        code, out, err = _capsule("run", "-o", log, "--", bad)
        assert code == 126, (code, err)
        assert "capsule:" in err, err


def test_dangling_symlink_command_127():
    # a symlink to nowhere found in PATH: not found
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        os.symlink("/nonexistent/capsule-target", os.path.join(d, "dangling"))
        env = dict(os.environ, PATH=d)
        code, out, err = _capsule("run", "-o", os.path.join(d, "log"), "--",
                                  "dangling", env=env)
        assert code == 127, (code, err)


# ---- the log file ----

def _run_with_log(log, *extra):
    return _capsule("run", "-q", *extra, "-o", log, "--", "/bin/true")


def test_log_mode_0600_and_truncated():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        log = os.path.join(d, "log")
        old = os.umask(0)
        try:
            code, out, err = _run_with_log(log)
        finally:
            os.umask(old)
        assert code == 0, err
        assert stat.S_IMODE(os.stat(log).st_mode) == 0o600, oct(os.stat(log).st_mode)
        # an existing file of ours with a wider mode: narrowed, truncated
        with open(log, "w") as f:
            f.write("old content that must go\n" * 1000)
        os.chmod(log, 0o644)
        code, out, err = _run_with_log(log)
        assert code == 0, err
        assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
        with open(log) as f:
            text = f.read()
        assert "old content" not in text
        recs = [r for r in h.parse_lines(text) if r.get("type") == "syscall"]
        assert recs and recs[0]["seq"] == 0 and recs[0]["syscall"] == "execve"


def test_log_refuses_symlink():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        target = os.path.join(d, "target")
        with open(target, "w") as f:
            f.write("precious\n")
        os.chmod(target, 0o600)
        link = os.path.join(d, "link")
        os.symlink(target, link)
        code, out, err = _run_with_log(link)
        assert code == 123, (code, err)
        assert err.startswith("capsule: "), err
        with open(target) as f:
            assert f.read() == "precious\n"
        # a dangling symlink must not create its target either
        dangling = os.path.join(d, "dangling")
        os.symlink(os.path.join(d, "created"), dangling)
        code, out, err = _run_with_log(dangling)
        assert code == 123, (code, err)
        assert not os.path.exists(os.path.join(d, "created"))


def test_log_refuses_directory_and_fifo():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        code, out, err = _run_with_log(d)
        assert code == 123, (code, err)
        fifo = os.path.join(d, "fifo")
        os.mkfifo(fifo, 0o600)
        code, out, err = _run_with_log(fifo)  # must not block either
        assert code == 123, (code, err)


def test_log_refuses_file_of_another_user():
    if os.geteuid() != 0:
        raise Skip("needs root to create a file owned by another user")
    nobody = pwd.getpwnam("nobody")
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        log = os.path.join(d, "log")
        with open(log, "w") as f:
            f.write("nobody's\n")
        os.chmod(log, 0o666)
        os.chown(log, nobody.pw_uid, nobody.pw_gid)
        code, out, err = _run_with_log(log)
        assert code == 123, (code, err)
        with open(log) as f:
            assert f.read() == "nobody's\n", "the file was written"
        st = os.stat(log)
        assert st.st_uid == nobody.pw_uid and stat.S_IMODE(st.st_mode) == 0o666


def test_log_refuses_hard_link():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        log = os.path.join(d, "log")
        with open(log, "w") as f:
            f.write("linked\n")
        os.chmod(log, 0o600)
        os.link(log, os.path.join(d, "other"))
        code, out, err = _run_with_log(log)
        assert code == 123, (code, err)
        with open(log) as f:
            assert f.read() == "linked\n"


def test_log_unwritable_location():
    code, out, err = _run_with_log("/nonexistent/capsule-test/log")
    assert code == 123, (code, err)


def test_log_fd_not_inherited():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        log = os.path.join(d, "log")
        code, out, err = _capsule("run", "-q", "-o", log, "--", "/bin/ls", "-l",
                                  "/proc/self/fd")
        assert code == 0, err
        assert log not in out, f"the tracee inherited the log fd:\n{out}"
        fds = [l.split()[-3] for l in out.splitlines() if "->" in l]
        assert sorted(fds) == ["0", "1", "2", "3"], f"extra fds:\n{out}"


def test_default_log_path():
    path = "/tmp/capsule_syscalls.log"
    if os.path.lexists(path):
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            raise Skip(f"{path} exists and is not ours")
    p = h.spawn([h.CAPSULE, "run", "--", prog("open_enoent")],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = h.communicate(p)
    assert p.returncode == 0, err
    assert path in err.decode(), err
    with open(path, encoding="utf-8") as f:
        recs = [r for r in h.parse_lines(f.read()) if r.get("type") == "syscall"]
    assert recs and recs[0]["syscall"] == "execve"
    assert any(r.get("errno") == "ENOENT" and r["syscall"] == "openat"
               for r in recs)


# ---- standard streams ----

def test_stdin_stdout_untouched():
    data = bytes(range(256)) * 4096 + b"tail without newline"
    r = h.run(["/bin/cat"], opts=["-q"], input=data)
    assert r.code == 0, r.describe()
    assert r.stdout == data, "cat's output differs from its input"
    assert r.stderr == b"", r.stderr
    # cat's reads and writes are in the log and add up to the data
    pid = h.root_pid(r.records)
    writes = [x for x in named(h.of_pid(r.records, pid), "write")]
    assert sum(x["ret"] for x in writes if x["ret"] > 0) == len(data)


def test_stderr_of_program_reaches_stderr():
    r = h.run(["/bin/sh", "-c", "echo to-stderr >&2; echo to-stdout"],
              opts=["-q"])
    assert r.code == 0
    assert r.stdout == b"to-stdout\n", r.stdout
    assert r.stderr == b"to-stderr\n", r.stderr


def test_capsule_message_and_quiet():
    r = h.run(["/bin/true"])
    lines = r.stderr.decode().splitlines()
    # the end-of-run summary (aggregate) follows the two lines
    summary = [x for x in lines if x.startswith("capsule: summary: ")]
    assert len(summary) == 4, r.stderr
    # and one line on CPU placement (docs/performance.md, "Placement")
    place = [x for x in lines if x.startswith("capsule: placement: ")]
    assert len(place) <= 1, r.stderr
    lines = [x for x in lines if x not in summary and x not in place]
    assert r.code == 0 and len(lines) == 2, r.stderr
    assert all(x.startswith("capsule: ") for x in lines), r.stderr
    assert f" {len(r.records)} syscalls recorded" in lines[0], \
        (lines[0], len(r.records))
    assert re.fullmatch(r"capsule: final head [0-9a-f]{64}", lines[1]), lines[1]
    r = h.run(["/bin/true"], opts=["-q"])
    assert r.code == 0 and r.stderr == b"", r.stderr
    r = h.run(["/bin/true"], opts=["--quiet"])
    assert r.code == 0 and r.stderr == b"", r.stderr


def test_output_to_stdout():
    r = h.run(["/bin/true"], opts=["-q"], log="-")
    assert r.code == 0, r.describe()
    text = r.stdout.decode()
    recs = [x for x in h.parse_lines(text) if x.get("type") == "syscall"]
    assert recs, "no records on stdout"
    r.records = recs
    h.check_log_invariants(r)
    assert recs[0]["syscall"] == "execve" and recs[-1]["syscall"] == "exit_group"


def test_long_option_output():
    with tempfile.TemporaryDirectory(prefix="capsule-test-") as d:
        log = os.path.join(d, "out.jsonl")
        code, out, err = _capsule("run", "--quiet", "--output", log, "--",
                                  "/bin/true")
        assert code == 0 and os.path.getsize(log) > 0, (code, err)
        with open(log) as f:
            json.loads(f.readline())


def test_make_install_honours_prefix_and_destdir():
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    if not os.path.exists(os.path.join(root, "Makefile")):
        raise h.Skip("no Makefile beside the tests")
    with tempfile.TemporaryDirectory(prefix="capsule-install-") as d:
        r = subprocess.run(["make", "-s", "-C", root, "install",
                            "DESTDIR=" + d, "PREFIX=/opt/capsule-test"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=300)
        assert r.returncode == 0, r.stderr
        binary = os.path.join(d, "opt/capsule-test/bin/capsule")
        st = os.stat(binary)
        assert st.st_mode & 0o777 == 0o755, oct(st.st_mode)
        v = subprocess.run([binary, "--version"], stdout=subprocess.PIPE,
                           timeout=30)
        assert v.returncode == 0 and v.stdout.startswith(b"capsule "), v
