"""test_security_preset.py: issue 8: `--trace security` keeps every alert.

The `security` preset stops the tracee only at the calls the detection
rules of docs/rules.md need (docs/tracing-classes.md).  For every rule,
a scenario (a demo of scripts/demo/, or a move of tests/progs/
alert_moves.c) runs twice, with full tracing and with `--trace security`,
and the two runs must raise the same set of rule ids, which must be the
rules the scenario is for.  test_every_rule_has_a_scenario checks that
every row of the rule table (src/aggregate/rules.c) is here or in
NOT_TRIGGERED, with the reason.

Scenarios that need root (or unshare) skip without it, like their
counterparts in test_aggregate.py.
"""
import os
import re
import shutil
import sys
import tempfile

import harness as h
from harness import Skip, prog, standalone
import test_aggregate as agg

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
RULES_C = os.path.join(ROOT, "src", "aggregate", "rules.c")

# Rules no scenario here can raise, and why.  Empty: as root, this
# machine triggers every rule (some scenarios skip without root).
NOT_TRIGGERED = {}

# The rule ids each scenario below is for (checked against rules.c).
COVERED = {
    "read_ssh_key": {"cred.access"},
    "exfiltrate": {"cred.access", "net.egress", "exfil.secret-egress"},
    "listen": {"net.listen"},
    "loopback_connect": {"net.listen-local"},
    "setuid_root": {"priv.uid0"},
    "caps": {"priv.caps"},
    "setuid-exec": {"priv.setuid-exec"},
    "mount_namespace": {"escape.mount", "escape.namespace",
                        "escape.proc-other"},
    "handle": {"escape.open-by-handle"},
    "runtime-socket": {"escape.runtime-socket"},
    "kernel-write": {"escape.kernel-write"},
    "module": {"escape.module"},
    "kexec": {"escape.kexec"},
    "bpf": {"escape.bpf"},
    "devmem": {"escape.devmem"},
    "persist_bashrc": {"persistence.write"},
    "exec_from_tmp": {"exec.tmp"},
    "memfd": {"exec.memfd"},
    "antidebug": {"antidebug.traceme", "antidebug.dumpable"},
    "attach": {"debug.attach"},
    "int80": {"abi.compat"},
}


# Queries the preset lets run without a stop (src/policy/traceset.c,
# is_query()), as far as these programs make them.
QUERIES = {"stat", "lstat", "newfstatat", "statx", "access", "faccessat",
           "faccessat2", "readlink", "readlinkat", "getcwd", "getpid",
           "getppid", "getuid", "geteuid", "getgid", "getegid", "uname",
           "sysinfo"}


def rule_ids(r):
    return {a["rule"] for a in r.alerts}


def build_in_tmp():
    """Are the test programs themselves under a directory exec.tmp watches
    (a checkout in /tmp, as a CI clone may be)?  Then every exec of one
    raises exec.tmp too (docs/rules.md)."""
    build = os.path.realpath(h.BUILD)
    return any(build.startswith(d) for d in ("/tmp/", "/var/tmp/",
                                             "/dev/shm/"))


def same_alerts(scenario, cmd, prefix=()):
    """Runs cmd with full tracing and with --trace security (each with a
    throw-away HOME holding a fake ssh key); both must raise exactly the
    rules of COVERED[scenario]."""
    full = agg._run(cmd, prefix=prefix)
    sec = agg._run(cmd, opts=["--trace", "security"], prefix=prefix)
    assert full.code == sec.code, (full.describe(), sec.describe())
    want = COVERED[scenario]
    got = rule_ids(full)
    if build_in_tmp():
        got = got - {"exec.tmp"} | (want & {"exec.tmp"})
    assert got == want, (scenario, "full", full.alerts)
    assert rule_ids(sec) == rule_ids(full), \
        (scenario, "lost under --trace security:",
         sorted(rule_ids(full) - rule_ids(sec)),
         "new:", sorted(rule_ids(sec) - rule_ids(full)), sec.alerts)
    # the preset really filtered: no plain read/write records, no queries
    # (i386 and x32 calls always stop)
    seen = {x["syscall"] for x in sec.records if x["abi"] == "x86_64"}
    assert not seen & ({"read", "write", "brk", "rt_sigaction"} | QUERIES), \
        seen
    return full, sec


def move(name, *args):
    return [prog("alert_moves"), name, *args]


# ---- the demos of scripts/demo/ ----

def test_read_ssh_key():
    same_alerts("read_ssh_key", [agg.demo("read_ssh_key.sh")])


def test_exfiltrate():
    if shutil.which("unshare") is None:
        raise Skip("no unshare")
    agg.need_root()
    same_alerts("exfiltrate", [h.python3(), agg.demo("exfiltrate.py")],
                prefix=("unshare", "-n"))


def test_loopback_connect():
    same_alerts("loopback_connect",
                [h.python3(), agg.demo("loopback_connect.py")])


def test_setuid_root():
    agg.need_root()
    same_alerts("setuid_root", [h.python3(), agg.demo("setuid_root.py")])


def test_persist_bashrc():
    same_alerts("persist_bashrc", [agg.demo("persist_bashrc.sh")])


def test_exec_from_tmp():
    same_alerts("exec_from_tmp", [agg.demo("exec_from_tmp.sh")])


def test_antidebug():
    same_alerts("antidebug", [h.python3(), agg.demo("antidebug.py")])


def test_int80():
    same_alerts("int80", [prog("int80")])


def test_mount_namespace():
    agg.need_root()
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        raise Skip("no unshare or mount")
    d = os.path.realpath(tempfile.mkdtemp(prefix="capsule-sec-mnt-"))
    try:
        script = ("mount -t tmpfs capsule-test %s && umount %s; "
                  "cat /proc/1/environ >/dev/null" % (d, d))
        cmd = ["unshare", "-m", "--propagation", "private",
               "/bin/sh", "-c", script]
        probe = agg._run(cmd)
        if not any(x["syscall"] == "umount2" and "errno" not in x
                   for x in probe.records):
            raise Skip("unshare -m or mount refused here: %r"
                       % probe.stderr[-300:])
        same_alerts("mount_namespace", cmd)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---- moves of tests/progs/alert_moves.c ----

def test_listen():
    # inside a network namespace of its own when possible: nothing
    # listens on the host's interfaces, even for a moment
    prefix = ("unshare", "-n") if os.geteuid() == 0 and \
        shutil.which("unshare") else ()
    same_alerts("listen", move("listen"), prefix=prefix)


def test_caps():
    agg.need_root()
    same_alerts("caps", move("caps"))


def test_setuid_exec():
    agg.need_root()
    # a set-user-ID copy of /bin/true owned by nobody, outside /tmp (a
    # nosuid /tmp would ignore the bit, and exec.tmp would fire too)
    d = tempfile.mkdtemp(prefix="capsule-sec-suid-", dir=h.BUILD)
    try:
        os.chmod(d, 0o755)
        exe = os.path.join(d, "true")
        shutil.copy("/bin/true", exe)
        os.chown(exe, 65534, -1)
        os.chmod(exe, 0o4755)
        same_alerts("setuid-exec", move("setuid-exec", exe))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_memfd_exec():
    same_alerts("memfd", move("memfd"))


def test_kernel_write():
    same_alerts("kernel-write", move("kernel-write"))


def test_devmem():
    same_alerts("devmem", move("devmem"))


def test_runtime_socket():
    same_alerts("runtime-socket", move("runtime-socket"))


def test_kernel_calls_refused():
    # module, kexec, bpf and open_by_handle_at with arguments the kernel
    # refuses: the rules fire on attempts
    for name in ("module", "kexec", "bpf", "handle"):
        same_alerts(name, move(name))


def test_attach():
    same_alerts("attach", move("attach"))


# ---- what the preset stops at ----

def test_queries_stop_only_when_their_class_is_named():
    code = ("import os\n"
            "os.stat('/etc/hostname'); os.access('/etc/hostname', os.R_OK)\n"
            "os.getcwd(); os.getuid(); open('/etc/hostname').close()\n")
    cmd = [h.python3(), "-c", code]

    def seen(classes):
        r = h.run(cmd, opts=["--trace", classes])
        assert r.code == 0, r.describe()
        return {x["syscall"] for x in r.records}
    sec = seen("security")
    assert "openat" in sec and "execve" in sec, sec
    assert not sec & QUERIES, sec & QUERIES
    with_file = seen("security,file")
    assert {"getcwd"} <= with_file, with_file
    assert with_file & {"newfstatat", "statx", "stat"}, with_file
    assert with_file & {"access", "faccessat", "faccessat2"}, with_file
    assert "getuid" not in with_file, with_file
    assert "getuid" in seen("security,creds")


# ---- completeness ----

def test_every_rule_has_a_scenario():
    with open(RULES_C, encoding="utf-8") as f:
        table = f.read().split("rule_table[] = {", 1)[1]
    ids = set(re.findall(r'^\t\{ "([a-z0-9.-]+)", SEV_', table, re.M))
    assert len(ids) >= 20, ids
    covered = set().union(*COVERED.values())
    assert not covered & set(NOT_TRIGGERED), covered & set(NOT_TRIGGERED)
    assert covered | set(NOT_TRIGGERED) == ids, \
        ("no scenario:", sorted(ids - covered - set(NOT_TRIGGERED)),
         "unknown:", sorted((covered | set(NOT_TRIGGERED)) - ids))


if __name__ == "__main__":
    sys.exit(standalone(globals()))
