"""test_tail.py: `capsule tail`, the brief's "capsule tail, then capsule
run" flow: a tail started before the log exists shows the records of a run
as they are written, then those of a second run that rewrites the log;
filters, --json (lines unchanged), --no-follow, malformed lines, exit
codes and signals.

No timing is asserted: live output is polled with a generous timeout.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import harness as h
from harness import prog

WAIT = 30  # seconds to wait for tail's output (generous, never asserted)
ENOENT_PATH = "/nonexistent/capsule-test-enoent-7f3a"  # tests/progs/open_enoent
SECOND_PATH = "/nonexistent/capsule-tail-second-run-91c2"


class Tail:
    """A `capsule tail` running in the background; its output collected."""

    def __init__(self, *args):
        self.proc = h.spawn([h.CAPSULE, "tail", "--color=never", *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
        self.out, self.err = [], []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._pump, args=(s, d),
                                         daemon=True)
                        for s, d in ((self.proc.stdout, self.out),
                                     (self.proc.stderr, self.err))]
        for t in self.threads:
            t.start()

    def _pump(self, stream, dest):
        for line in iter(stream.readline, b""):
            with self.lock:
                dest.append(line.decode(errors="replace"))

    def lines(self):
        with self.lock:
            return list(self.out)

    def wait_for(self, pred, what, stream="out"):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with self.lock:
                lines = list(self.out if stream == "out" else self.err)
            if pred(lines):
                return lines
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"tail: no {what} after {WAIT} s; exit "
                             f"{self.proc.poll()}; stdout {self.out[-20:]!r}; "
                             f"stderr {self.err!r}")

    def stop(self, sig=signal.SIGINT):
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"tail did not exit on signal {sig}")
        for t in self.threads:
            t.join(timeout=WAIT)
        return code


def _run(log, cmd):
    p = h.spawn([h.CAPSULE, "run", "-q", "-o", log, "--", *cmd],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE)
    _, err = h.communicate(p)
    return p.returncode, err.decode(errors="replace")


def _tail(*args):
    p = h.spawn([h.CAPSULE, "tail", "--color=never", *args],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE)
    out, err = h.communicate(p)
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def _with_path(path, errno_name="ENOENT"):
    return lambda lines: any(f'"{path}"' in l and f"= -1 {errno_name}" in l
                             for l in lines)


def _headers(lines):
    return [l for l in lines if l.startswith("=== run ")]


def test_tail_then_run_twice():
    tmp = tempfile.mkdtemp(prefix="capsule-tail-")
    try:
        log = os.path.join(tmp, "sub", "capsule_syscalls.log")
        os.mkdir(os.path.dirname(log))
        t = Tail(log)
        # ready once it says it waits for the file (nothing printed yet)
        t.wait_for(lambda l: any("does not exist yet" in x for x in l),
                   "waiting notice", stream="err")
        code, err = _run(log, [prog("open_enoent")])
        assert code == 0, (code, err)
        lines = t.wait_for(_with_path(ENOENT_PATH), "openat of the first run")
        assert len(_headers(lines)) == 1, lines[:5]
        line = next(l for l in lines if ENOENT_PATH in l)
        assert f'openat(AT_FDCWD, "{ENOENT_PATH}", O_RDONLY' in line, line
        assert "(No such file or directory)" in line, line
        with open(log, encoding="utf-8") as f:
            first_run_records = sum(1 for _ in f)
        # all of the first run, up to its final seal
        t.wait_for(lambda l: any("--- seal" in x and "end of run, exit 0" in x
                                 for x in l), "final seal of the first run")
        # a second run truncates and rewrites the same file
        code, err = _run(log, ["cat", SECOND_PATH])
        assert code == 1, (code, err)
        lines = t.wait_for(_with_path(SECOND_PATH), "openat of the second run")
        assert len(_headers(lines)) == 2, _headers(lines)
        assert "cat " + SECOND_PATH in _headers(lines)[1], _headers(lines)
        # the second run is shown from its start, after the first
        second = lines.index(_headers(lines)[1])
        assert any(ENOENT_PATH in l for l in lines[:second])
        assert not any(SECOND_PATH in l for l in lines[:second])
        assert any("execve(" in l for l in lines[second:]), lines[second:][:5]
        # every record of the first run was printed, once (seals: the final)
        assert second == first_run_records, (second, first_run_records)
        code = t.stop(signal.SIGINT)
        assert code == 0, (code, t.err)
        assert any("truncated" in e or "replaced" in e for e in t.err), t.err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_tail_replaced_by_rename_and_sigterm():
    tmp = tempfile.mkdtemp(prefix="capsule-tail-")
    try:
        log = os.path.join(tmp, "log")
        other = os.path.join(tmp, "other")
        code, err = _run(log, [prog("open_enoent")])
        assert code == 0, err
        t = Tail("-n", "+1", "--syscall", "openat", log)
        t.wait_for(_with_path(ENOENT_PATH), "openat of the existing log")
        code, err = _run(other, ["cat", SECOND_PATH])
        assert code == 1, err
        os.rename(other, log)
        lines = t.wait_for(_with_path(SECOND_PATH), "openat of the new file")
        assert all(("openat(" in l) or l.startswith("=== run ")
                   for l in lines), lines
        assert t.stop(signal.SIGTERM) == 0, t.err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_tail_partial_line_waits():
    tmp = tempfile.mkdtemp(prefix="capsule-tail-")
    try:
        log = os.path.join(tmp, "log")
        with open(log, "w") as f:
            f.write("")
        t = Tail(log)
        rec = {"type": "alert", "ts": "2026-11-28T12:00:00.000000000Z",
               "pid": 42, "rule": "test-rule", "severity": "high",
               "summary": "half then whole"}
        text = json.dumps(rec, separators=(",", ":")) + "\n"
        with open(log, "a") as f:
            f.write(text[:20])
        time.sleep(0.3)  # a chance to print too early (not a threshold)
        assert not t.lines(), t.lines()
        with open(log, "a") as f:
            f.write(text[20:])
        lines = t.wait_for(lambda l: l, "the completed line")
        assert lines == ["12:00:00.000000 42 ALERT HIGH test-rule: half then "
                         "whole\n"], lines
        assert t.stop() == 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _log_of(cmd):
    tmp = tempfile.mkdtemp(prefix="capsule-tail-")
    log = os.path.join(tmp, "log")
    code, err = _run(log, cmd)
    with open(log, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    return tmp, log, lines


def test_tail_json_no_follow_and_filters():
    tmp, log, lines = _log_of([prog("open_enoent")])
    try:
        recs = [json.loads(l) for l in lines]
        # --json --from-start: the file unchanged
        code, out, err = _tail("-N", "--json", "--from-start", log)
        assert code == 0, err
        assert out == "".join(lines)
        # default: the last 10; -n N
        code, out, _ = _tail("-N", "--json", log)
        assert out == "".join(lines[-10:])
        code, out, _ = _tail("-N", "--json", "-n", "3", log)
        assert out == "".join(lines[-3:])
        code, out, _ = _tail("-N", "--json", "-n", "0", log)
        assert code == 0 and out == ""
        code, out, _ = _tail("-N", "--json", "-n", "+3", log)
        assert out == "".join(lines[2:])
        # --syscall: those records, unchanged (run headers too)
        code, out, _ = _tail("-N", "--json", "-n", "+1", "--syscall",
                             "openat,close", log)
        want = [l for l, r in zip(lines, recs)
                if r["type"] == "genesis" or r.get("syscall") in ("openat", "close")]
        assert out == "".join(want)
        # --type
        code, out, _ = _tail("-N", "--json", "-n", "+1", "--type", "seal", log)
        assert out == "".join(l for l, r in zip(lines, recs) if r["type"] == "seal")
        assert out.count("\n") == 1
        # --pid: the run's pid, and another
        pid = next(r["pid"] for r in recs if r["type"] == "syscall")
        code, out, _ = _tail("-N", "--json", "-n", "+1", "--pid",
                             f"{pid},999999999", log)
        assert out == "".join(l for l, r in zip(lines, recs)
                              if r["type"] == "genesis" or r.get("pid") == pid)
        code, out, _ = _tail("-N", "--json", "-n", "+1", "--pid", "999999999",
                             "--pid", "999999998", log)
        assert out == lines[0]
        # --severity and --class: a syscall log has no alert, no class yet
        for opt in (["--severity", "low"], ["--class", "credentials"]):
            code, out, _ = _tail("-N", "--json", "-n", "+1", *opt, log)
            assert code == 0 and out == lines[0], (opt, out)
        # pretty, filtered: one strace-like line
        code, out, _ = _tail("-N", "-n", "+1", "--type", "syscall",
                             "--syscall", "openat", log)
        got = [l for l in out.splitlines() if ENOENT_PATH in l]
        assert len(got) == 1 and got[0].split(" ", 2)[2].startswith(
            f'openat(AT_FDCWD, "{ENOENT_PATH}", O_RDONLY'), out
        assert "\033[" not in out
        # --color=always forces colour, NO_COLOR does not override it
        p = h.spawn([h.CAPSULE, "tail", "-N", "--color=always", log],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    env={**os.environ, "NO_COLOR": "1"})
        out, _ = h.communicate(p)
        assert p.returncode == 0 and b"\033[" in out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_tail_malformed_lines():
    tmp = tempfile.mkdtemp(prefix="capsule-tail-")
    try:
        log = os.path.join(tmp, "log")
        good = '{"type":"process","ts":"2026-11-28T12:00:00.000000000Z","pid":3,"event":"exec"}'
        with open(log, "w") as f:
            f.write("this is not json\n" + good + "\n[1,2]\n" + "torn")
        code, out, err = _tail("-N", log)
        assert code == 0, err
        assert out.splitlines() == [
            "[malformed] this is not json",
            "12:00:00.000000 3 process event=exec",
            "[malformed] [1,2]",
        ], out
        # --json: malformed lines are skipped and reported on stderr
        code, out, err = _tail("-N", "--json", log)
        assert code == 0 and out == good + "\n", out
        assert "not a JSON object" in err, err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_tail_usage_and_unreadable():
    tmp = tempfile.mkdtemp(prefix="capsule-tail-")
    try:
        log = os.path.join(tmp, "log")
        with open(log, "w") as f:
            f.write("")
        for args in (["--bogus", log], ["--pid", "abc", log],
                     ["--severity", "urgent", log], ["--type", "", log],
                     ["-n", "x", log], ["--color=sometimes", log],
                     [log, log], ["-"]):
            code, out, err = _tail(*args)
            assert code == 2, (args, code, err)
            assert err.startswith("capsule: "), (args, err)
        code, out, err = _tail("--help")
        assert code == 0 and "usage: capsule tail" in out, out
        for path in (os.path.join(tmp, "missing"), tmp):
            code, out, err = _tail("-N", path)
            assert code == 3, (path, code, err)
            assert path in err, err
        code, out, err = _tail("-N", log)
        assert (code, out) == (0, ""), (code, out, err)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
