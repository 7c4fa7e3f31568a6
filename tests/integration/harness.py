"""harness.py: helpers for capsule's integration tests.

A test module imports this file, defines functions named test_*, and
fails by raising AssertionError (plain `assert`), or skips with
`raise Skip("why")`.  tests/run.py sets CAPSULE and BUILD (configure())
before the first test runs.

Records: capsule writes JSON Lines; Run.records keeps only records of
type "syscall", Run.all every record, Run.processes the "process" records
(enrich); helpers ignore any field they do not know, so later issues can
add both.  Nothing here depends on the shape of "args".
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile

CAPSULE = "./capsule"
BUILD = "build"
TIMEOUT = 60  # seconds for any one subprocess

TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$")
ABIS = ("x86_64", "i386", "x32")
UNFINISHED_WHY = ("exited", "killed", "exec", "detached")


class Skip(Exception):
    """Raised by a test that cannot run here; the message says why."""


def configure(capsule, build):
    global CAPSULE, BUILD
    CAPSULE = os.path.abspath(capsule)
    BUILD = os.path.abspath(build)


def prog(name):
    """Path of the test program built from tests/progs/NAME.c."""
    path = os.path.join(BUILD, "tests", "progs", name)
    if not os.access(path, os.X_OK):
        raise AssertionError(f"test program {path} not built (make tests-build)")
    return path


def python3():
    """A real python3 binary (not a pyenv shim script)."""
    for p in ("/usr/bin/python3", shutil.which("python3")):
        if p and os.access(p, os.X_OK):
            with open(p, "rb") as f:
                if f.read(4) == b"\x7fELF":
                    return p
    raise Skip("no ELF python3 found")


class Run:
    """The result of one capsule run."""

    def __init__(self, code, stdout, stderr, log_text, log_path,
                 actions=None, alerts=None):
        self.code = code
        self.actions = actions or []  # "action" records (aggregate)
        self.alerts = alerts or []  # "alert" records
        self.stdout = stdout
        self.stderr = stderr
        self.log_text = log_text
        self.log_path = log_path
        self.all = parse_lines(log_text) if log_text is not None else []
        self.records = [r for r in self.all if r.get("type") == "syscall"]
        self.processes = [r for r in self.all if r.get("type") == "process"]

    def __iter__(self):  # code, stdout, stderr, records
        return iter((self.code, self.stdout, self.stderr, self.records))

    def describe(self):
        return (f"exit {self.code}; stderr {self.stderr[-2000:]!r}; "
                f"{len(self.records)} syscall records")


def parse_lines(text):
    """Parses JSON Lines; every line must be one JSON object."""
    out = []
    if text and not text.endswith("\n"):
        raise AssertionError(f"log does not end with a newline: {text[-200:]!r}")
    for i, line in enumerate(text.splitlines()):
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise AssertionError(f"log line {i + 1} is not JSON ({e}): {line[:300]!r}")
        if not isinstance(obj, dict):
            raise AssertionError(f"log line {i + 1} is not an object: {line[:300]!r}")
        out.append(obj)
    return out


_live = []


def spawn(argv, **kw):
    """subprocess.Popen in a new session, remembered so that cleanup()
    (called by run.py after every test) can kill what a failed test left."""
    kw.setdefault("start_new_session", True)
    proc = subprocess.Popen(argv, **kw)
    _live.append(proc)
    return proc


def cleanup():
    while _live:
        proc = _live.pop()
        if proc.poll() is None:
            _kill_group(proc)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.kill()
    except OSError:
        pass


def communicate(proc, input=None, timeout=TIMEOUT):
    """proc.communicate with a timeout that kills capsule's process group
    (and so, through PTRACE_O_EXITKILL, every tracee) and fails the test."""
    try:
        return proc.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        raise AssertionError(f"timed out after {timeout} s: {proc.args}")
    except BaseException:
        _kill_group(proc)
        raise


def side_logs(log):
    """The actions and alerts files the harness gives a run beside LOG."""
    base = log if log != "-" else tempfile.mktemp(prefix="capsule-test-")
    return base + ".actions", base + ".alerts"


def capsule_args(cmd, log, opts=()):
    """`capsule run OPTS -o LOG -- CMD`, with the actions and alerts
    streams beside LOG (side_logs()) unless OPTS names them."""
    side = []
    if "--actions-output" not in opts and "--alerts-output" not in opts:
        actions, alerts = side_logs(log)
        side = ["--actions-output", actions, "--alerts-output", alerts]
    return [CAPSULE, "run", *side, *opts, "-o", log, "--", *cmd]


def read_stream(path):
    """Records of a chained file other than the genesis and seals."""
    if path is None or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [r for r in parse_lines(f.read())
                if r.get("type") not in ("genesis", "seal")]


def run(cmd, opts=(), input=None, timeout=TIMEOUT, check_log=True,
        env=None, cwd=None, log=None, preexec_fn=None, text=False):
    """Runs `capsule run OPTS -o LOG -- CMD` with a fresh log file.

    Returns a Run: (code, stdout, stderr, records) when unpacked; stdout and
    stderr are bytes unless text=True.  With check_log, the log is checked
    against the invariants of every log (check_log()).
    """
    tmp = tempfile.mkdtemp(prefix="capsule-test-")
    try:
        if preexec_fn is not None:
            os.chmod(tmp, 0o777)
        log_path = log if log is not None else os.path.join(tmp, "log.jsonl")
        proc = spawn(capsule_args(cmd, log_path, opts),
                                stdin=subprocess.PIPE if input is not None
                                else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=cwd, preexec_fn=preexec_fn)
        out, err = communicate(proc, input, timeout)
        if text:
            out, err = out.decode(errors="replace"), err.decode(errors="replace")
        log_text = None
        if log_path != "-" and os.path.exists(log_path):
            with open(log_path, encoding="utf-8") as f:
                log_text = f.read()
        actions, alerts = ((None, None) if "--actions-output" in opts
                           else side_logs(log_path))
        r = Run(proc.returncode, out, err, log_text, log_path,
                read_stream(actions), read_stream(alerts))
        if check_log and log_text is not None:
            check_log_invariants(r)
        return r
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_log_invariants(r):
    """What every syscall log must satisfy, whatever the program did."""
    # seq counts every record of the syscall stream ("syscall" and
    # "process" records share it); without the chain there is none
    stream = [rec for rec in r.all if rec.get("stream", "syscalls") == "syscalls"
              and rec.get("type") in ("syscall", "process")]
    seqs = [rec.get("seq") for rec in stream]
    assert seqs == list(range(len(seqs))), \
        f"seq of the syscall stream is not 0..n-1: {_seq_gap(seqs)}"
    seen_end = {}
    for rec in r.records:
        where = f"record {rec.get('seq')}: {json.dumps(rec)[:400]}"
        for key, typ in (("seq", int), ("ts", str), ("pid", int), ("tid", int),
                         ("abi", str), ("syscall", str), ("nr", int)):
            assert isinstance(rec.get(key), typ) and not isinstance(rec.get(key), bool), \
                f"field {key} missing or not {typ.__name__}: {where}"
        assert "args" in rec, f"no args: {where}"
        assert TS_RE.match(rec["ts"]), f"ts not RFC 3339 UTC with ns: {where}"
        assert rec["abi"] in ABIS, f"unknown abi: {where}"
        assert rec["pid"] > 0 and rec["tid"] > 0, where
        assert rec["syscall"], where
        if rec.get("unfinished"):
            assert rec["unfinished"] is True, where
            assert rec.get("unfinished_why") in UNFINISHED_WHY, where
            assert "ret" not in rec and "errno" not in rec, where
        else:
            assert isinstance(rec.get("ret"), int), f"no ret: {where}"
            assert isinstance(rec.get("dur_ns"), int) and rec["dur_ns"] >= 0, where
            if "errno" in rec:
                assert rec["ret"] == -1, f"errno with ret != -1: {where}"
                assert re.match(r"^E[A-Z0-9]+$", rec["errno"]), where
                assert isinstance(rec.get("errno_nr"), int) and rec["errno_nr"] > 0, where
            else:
                assert "errno_nr" not in rec, where
        # after a call that ended the task, that task makes no more calls
        tid = rec["tid"]
        if tid in seen_end:
            raise AssertionError(f"tid {tid} has a record after its unfinished "
                                 f"{seen_end[tid]}: {where}")
        if rec.get("unfinished_why") in ("exited", "killed"):
            seen_end[tid] = f"{rec['syscall']} (seq {rec['seq']})"
    if r.records:
        first = r.records[0]
        assert first["syscall"] == "execve" and first["abi"] == "x86_64", \
            f"first record is not the command's execve: {first}"


def _seq_gap(seqs):
    for i, s in enumerate(seqs):
        if s != i:
            return f"at index {i} found {s}"
    return "?"


# ---- filters ----

def of_pid(records, pid):
    return [r for r in records if r["pid"] == pid]


def of_tid(records, tid):
    return [r for r in records if r["tid"] == tid]


def named(records, *names):
    return [r for r in records if r["syscall"] in names]


def pids(records):
    """Process ids in order of first appearance."""
    seen = []
    for r in records:
        if r["pid"] not in seen:
            seen.append(r["pid"])
    return seen


def tids(records):
    seen = []
    for r in records:
        if r["tid"] not in seen:
            seen.append(r["tid"])
    return seen


def one(records, what=""):
    assert len(records) == 1, f"expected exactly one {what} record, got " \
        f"{len(records)}: {[json.dumps(r)[:300] for r in records[:5]]}"
    return records[0]


def root_pid(records):
    assert records, "no syscall records"
    return records[0]["pid"]


def fmt(records, limit=40):
    """Short listing for assertion messages."""
    lines = []
    for r in records[:limit]:
        res = (f"unfinished({r.get('unfinished_why')})" if r.get("unfinished")
               else f"{r.get('ret')} {r.get('errno', '')}")
        lines.append(f"  #{r['seq']} {r['pid']}/{r['tid']} {r['abi']} "
                     f"{r['syscall']} = {res}")
    if len(records) > limit:
        lines.append(f"  ... {len(records) - limit} more")
    return "\n".join(lines)


def lines_with(text, word):
    """Integers after WORD in lines 'WORD N' of a program's stdout."""
    if isinstance(text, bytes):
        text = text.decode()
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == word:
            out.append(int(parts[1]))
    return out


# ---- privilege drop (tests that must not run with CAP_SYS_PTRACE) ----

def drop_privileges_fn():
    """A preexec_fn that turns root into nobody; None when not root."""
    if os.geteuid() != 0:
        return None
    import pwd
    nobody = pwd.getpwnam("nobody")

    def fn():
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
    return fn


# ---- strace ----

def strace_run(cmd, timeout=TIMEOUT, opts=(), env=None, prefix=()):
    """Runs `PREFIX strace -f -o FILE OPTS -- CMD`; returns
    (code, stdout, stderr, strace_output_text)."""
    strace = shutil.which("strace")
    if strace is None:
        raise Skip("strace not installed")
    tmp = tempfile.mkdtemp(prefix="capsule-strace-")
    try:
        out_path = os.path.join(tmp, "strace.out")
        proc = spawn([*prefix, strace, "-f", "-o", out_path, *opts, "--", *cmd],
                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, env=env)
        out, err = communicate(proc, None, timeout)
        with open(out_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        return proc.returncode, out, err, text
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def pid_alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def standalone(module_globals):
    """Runs a test module on its own (`python3 tests/integration/X.py`):
    every test_* function, the same verdicts as tests/run.py, the same
    closing line.  Returns the exit status."""
    passed = failed = skipped = 0
    for name, fn in sorted(module_globals.items()):
        if not name.startswith("test_") or not callable(fn):
            continue
        try:
            fn()
        except Skip as e:
            skipped += 1
            print("SKIP %s: %s" % (name, e))
        except Exception as e:  # noqa: BLE001 - report and go on
            failed += 1
            print("FAIL %s: %r" % (name, e))
        else:
            passed += 1
            print("PASS %s" % name)
    cleanup()
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0

