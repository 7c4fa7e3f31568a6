"""test_aggregate.py: issue 6: actions, alerts, the end-of-run summary,
--fail-on, --rules and --allow-net, on the demo programs of scripts/demo/
(one behaviour each; each file's header says what it expects) and on
benign real workloads, which must raise no alert at medium or higher.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time

import harness as h
from harness import Skip, prog

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "scripts", "demo")
SEVERITIES = ("low", "medium", "high", "critical")


def demo(name):
    return os.path.join(DEMO, name)


def _home():
    """A throw-away HOME (under /tmp) with a fake ssh key."""
    d = os.path.realpath(tempfile.mkdtemp(prefix="capsule-agg-"))
    os.makedirs(os.path.join(d, ".ssh"))
    with open(os.path.join(d, ".ssh", "id_rsa"), "w") as f:
        f.write("not a real key\n")
    return d


def _env(home):
    env = dict(os.environ)
    env["HOME"] = home
    return env


def _run(cmd, home=None, opts=(), prefix=()):
    """h.run with HOME set; `prefix` wraps capsule (unshare -n)."""
    home = home or _home()
    try:
        if prefix:
            return _run_prefixed(cmd, home, opts, prefix)
        return h.run(cmd, opts=list(opts), env=_env(home))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _run_prefixed(cmd, home, opts, prefix):
    d = tempfile.mkdtemp(prefix="capsule-test-")
    try:
        log = os.path.join(d, "log.jsonl")
        args = list(prefix) + h.capsule_args(cmd, log, list(opts))
        p = subprocess.run(args, env=_env(home), capture_output=True,
                           timeout=h.TIMEOUT)
        if p.returncode != 0 and b"unshare" in p.stderr:
            raise Skip("unshare -n not permitted: %r" % p.stderr[-200:])
        with open(log, encoding="utf-8") as f:
            text = f.read()
        actions, alerts = h.side_logs(log)
        r = h.Run(p.returncode, p.stdout, p.stderr, text, log,
                  h.read_stream(actions), h.read_stream(alerts))
        h.check_log_invariants(r)
        return r
    finally:
        shutil.rmtree(d, ignore_errors=True)


def rules_of(r, at_least="low"):
    floor = SEVERITIES.index(at_least)
    return sorted((a["rule"], a["severity"]) for a in r.alerts
                  if SEVERITIES.index(a["severity"]) >= floor)


def kinds(r):
    return [a["action"] for a in r.actions]


def check_refs(r):
    """Every action's and alert's references name real syscall-stream
    records, with their hashes; evidence names their syscalls."""
    by_seq = {x["seq"]: x for x in r.all
              if x.get("stream") == "syscalls"}
    for rec in r.actions + r.alerts:
        for stream, seq, hsh in rec.get("refs", []):
            assert stream == "syscalls", rec
            assert seq in by_seq and by_seq[seq]["hash"] == hsh, rec
        for ev in rec.get("evidence", []):
            target = by_seq[ev["seq"]]
            assert ev["hash"] == target["hash"], (ev, target)
            if target["type"] == "syscall":
                assert ev["syscall"] == target["syscall"], (ev, target)
    for a in r.actions:
        if "first_seq" in a:
            assert a["first_seq"] <= a["last_seq"], a
            assert [x[1] for x in a["refs"]][0] == a["first_seq"], a
            assert [x[1] for x in a["refs"]][-1] == a["last_seq"], a


def evidence_calls(alert, r):
    by_seq = {x["seq"]: x for x in r.records}
    return [by_seq[e["seq"]]["syscall"] for e in alert["evidence"]]


def one_alert(r, rule):
    got = [a for a in r.alerts if a["rule"] == rule]
    assert len(got) == 1, (rule, r.alerts)
    return got[0]


def need_root():
    if os.geteuid() != 0:
        raise Skip("needs root")


# ---- the demos ----

def test_read_ssh_key():
    home = _home()
    key = os.path.join(home, ".ssh", "id_rsa")
    r = _run([demo("read_ssh_key.sh")], home=home)
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r) == [("cred.access", "high")], r.alerts
    al = r.alerts[0]
    assert al["summary"] == "opened credentials file " + key, al
    assert al["exe"] == "/usr/bin/cat" and al["uid"] == os.getuid(), al
    assert evidence_calls(al, r) == ["openat"], al
    reads = [a for a in r.actions if a.get("resource") == key]
    assert len(reads) == 1, r.actions
    a = reads[0]
    assert a["action"] == "file.read" and a["class"] == "credentials", a
    assert a["bytes_in"] == len("not a real key\n") and a["end"] == "close"
    first = [x for x in r.records if x["seq"] == a["first_seq"]][0]
    last = [x for x in r.records if x["seq"] == a["last_seq"]][0]
    assert first["syscall"] == "openat" and last["syscall"] == "close", a


def test_loopback_connect_is_not_egress():
    py = h.python3()
    r = _run([py, demo("loopback_connect.py")])
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r) == [("net.listen-local", "low")], r.alerts
    k = kinds(r)
    for want in ("net.listen", "net.connect", "net.accept"):
        assert want in k, (want, k)
    conn = [a for a in r.actions if a["action"] == "net.connect" and
            a.get("class") == "net_loopback"]
    assert len(conn) == 1, r.actions
    assert conn[0]["bytes_out"] == 4 and conn[0]["bytes_in"] == 4, conn
    assert conn[0]["resource"].startswith("127.0.0.1:"), conn
    acc = [a for a in r.actions if a["action"] == "net.accept"][0]
    assert acc["bytes_in"] == 4 and acc["bytes_out"] == 4, acc
    # bound to port 0: the listen shows the port the kernel picked, the
    # one the client connected to
    lst = [a for a in r.actions if a["action"] == "net.listen"]
    assert lst and lst[0]["resource"] == conn[0]["resource"], (lst, conn)
    assert not lst[0]["resource"].endswith(":0"), lst


def test_spawn_shell():
    r = _run([demo("spawn_shell.sh")])
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r) == [], r.alerts
    spawns = [a for a in r.actions if a["action"] == "process.spawn"]
    assert [s["argv"] for s in spawns] == [
        ["/bin/sh", demo("spawn_shell.sh")],
        ["sh", "-c", "echo spawned"]], spawns
    assert spawns[1]["ppid"] == spawns[0]["pid"], spawns
    execs = {x["seq"]: x for x in r.records if x["syscall"] == "execve"}
    assert all(s["first_seq"] in execs for s in spawns), spawns
    exits = [a for a in r.actions if a["action"] == "process.exit"]
    assert sorted(e["pid"] for e in exits) == sorted(
        s["pid"] for s in spawns), exits
    assert all(e["code"] == 0 for e in exits), exits


def test_setuid_regains_root():
    need_root()
    py = h.python3()
    r = _run([py, demo("setuid_root.py")])
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r, "medium") == [("priv.uid0", "critical")], r.alerts
    al = one_alert(r, "priv.uid0")
    assert evidence_calls(al, r) == ["setresuid"] or \
        evidence_calls(al, r) == ["setreuid"], al
    ch = [a for a in r.actions if a["action"] == "priv.change"]
    assert [(c["euid"], c["call"]) for c in ch] == [
        ([0, 65534], "setresuid"), ([65534, 0], "setresuid")] or \
        [c["euid"] for c in ch] == [[0, 65534], [65534, 0]], ch


def test_persistence_write():
    home = _home()
    rc = os.path.join(home, ".bashrc")
    r = _run([demo("persist_bashrc.sh")], home=home)
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r) == [("persistence.write", "high")], r.alerts
    al = r.alerts[0]
    assert al["summary"] == "write to persistence location " + rc, al
    w = [a for a in r.actions if a.get("resource") == rc and
         a["action"] == "file.write"]
    assert len(w) == 1 and w[0]["class"] == "persistence", r.actions
    assert w[0]["bytes_out"] > 0, w


def test_exec_from_tmp():
    r = _run([demo("exec_from_tmp.sh")])
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r) == [("exec.tmp", "high")], r.alerts
    al = r.alerts[0]
    assert al["exe"].startswith("/tmp/capsule-demo-"), al
    assert evidence_calls(al, r) == ["execve"], al
    assert "file.delete" in kinds(r) and "file.create" in kinds(r)


def test_antidebug():
    py = h.python3()
    r = _run([py, demo("antidebug.py")])
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r) == [("antidebug.dumpable", "medium"),
                           ("antidebug.traceme", "medium")], r.alerts
    assert evidence_calls(one_alert(r, "antidebug.traceme"), r) == \
        ["ptrace"]
    assert evidence_calls(one_alert(r, "antidebug.dumpable"), r) == \
        ["prctl"]


def test_compat_syscalls():
    r = _run([prog("int80")])
    check_refs(r)
    al = one_alert(r, "abi.compat")
    assert al["severity"] == "high", al
    ev = [x for x in r.records if x["seq"] == al["evidence"][0]["seq"]]
    assert ev[0]["abi"] == "i386", ev


def test_dns_query_and_exec_memory():
    py = h.python3()
    code = ("import socket\n"
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            "s.sendto(b'q' * 12, ('127.0.0.1', 53))\n"
            "s.close()\n")
    r = _run([py, "-c", code])
    assert r.code == 0, r.describe()
    check_refs(r)
    dns = [a for a in r.actions if a["action"] == "dns.query"]
    assert len(dns) == 1, r.actions
    assert dns[0]["resource"] == "127.0.0.1:53" and \
        dns[0]["bytes_out"] == 12 and dns[0]["end"] == "close", dns
    assert rules_of(r) == [], r.alerts
    r = _run([prog("exec_mem")])
    mem = [a for a in r.actions if a["action"] == "mem.exec"]
    assert [(m["call"], m["length"]) for m in mem] == [("mprotect", 4096)], \
        mem


def test_escape_moves_in_a_mount_namespace_of_our_own():
    need_root()
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        raise Skip("no unshare or mount")
    d = os.path.realpath(tempfile.mkdtemp(prefix="capsule-agg-mnt-"))
    try:
        script = ("mount -t tmpfs capsule-test %s && umount %s; "
                  "cat /proc/1/environ >/dev/null" % (d, d))
        r = _run(["unshare", "-m", "--propagation", "private",
                  "/bin/sh", "-c", script])
        if not any(x["syscall"] == "umount2" and "errno" not in x
                   for x in r.records):
            raise Skip("unshare -m or mount refused here: %r"
                       % r.stderr[-300:])
        check_refs(r)
        got = rules_of(r, "medium")
        for want in (("escape.namespace", "high"),
                     ("escape.mount", "critical"),
                     ("escape.proc-other", "high")):
            assert want in got, (want, got)
        ns = one_alert(r, "escape.namespace")
        assert evidence_calls(ns, r) == ["unshare"], ns
        mounts = {evidence_calls(a, r)[0] for a in r.alerts
                  if a["rule"] == "escape.mount"}
        assert mounts == {"mount", "umount2"}, mounts
        other = one_alert(r, "escape.proc-other")
        assert evidence_calls(other, r) == ["openat"], other
        assert "/proc/1/environ" in other["summary"], other
        assert "ns.change" in kinds(r), kinds(r)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _exfil(opts=()):
    if shutil.which("unshare") is None:
        raise Skip("no unshare")
    need_root()
    py = h.python3()
    return _run([py, demo("exfiltrate.py")], opts=opts,
                prefix=("unshare", "-n"))


def test_exfiltration():
    r = _exfil()
    assert r.code == 0, r.describe()
    check_refs(r)
    assert rules_of(r) == [("cred.access", "high"),
                           ("exfil.secret-egress", "critical"),
                           ("net.egress", "medium")], r.alerts
    ex = one_alert(r, "exfil.secret-egress")
    assert evidence_calls(ex, r) == ["openat", "connect"], ex
    cred = one_alert(r, "cred.access")
    assert ex["evidence"][0] == cred["evidence"][0], (ex, cred)
    conn = [a for a in r.actions if a["action"] == "net.connect"]
    assert len(conn) == 1 and conn[0]["resource"] == "192.0.2.1:443", conn
    assert conn[0]["end"] == "failed" and conn[0]["errors"] == 1, conn
    assert "capsule: summary: network endpoints: 192.0.2.1:443" in \
        r.stderr.decode(), r.stderr


def test_allow_net_silences_egress():
    r = _exfil(opts=["--allow-net", "192.0.2.0/24:443"])
    assert rules_of(r) == [("cred.access", "high")], r.alerts
    r = _exfil(opts=["--allow-net", "192.0.2.0/24:80"])
    assert ("net.egress", "medium") in rules_of(r), r.alerts


# ---- options ----

def test_fail_on():
    r = _run([demo("read_ssh_key.sh")], opts=["--fail-on", "high"])
    assert r.code == 122, r.describe()
    assert b"--fail-on" in r.stderr, r.stderr
    r = _run([demo("read_ssh_key.sh")], opts=["--fail-on", "critical"])
    assert r.code == 0, r.describe()
    r = _run(["/bin/sh", "-c", "cat $HOME/.ssh/id_rsa >/dev/null; exit 3"],
             opts=["--fail-on", "low"])
    assert r.code == 122, r.describe()
    r = _run(["/bin/sh", "-c", "exit 3"], opts=["--fail-on", "low"])
    assert r.code == 3, r.describe()
    r = _run(["/bin/true"], opts=["--fail-on", "severe"])
    assert r.code == 2, r.describe()
    r = _run(["/bin/true"], opts=["--format", "text", "--fail-on", "low"])
    assert r.code == 2 and b"JSON log" in r.stderr, r.describe()


def test_rules_file_disables_and_allows():
    d = tempfile.mkdtemp(prefix="capsule-agg-")
    try:
        path = os.path.join(d, "rules.json")
        with open(path, "w") as f:
            json.dump({"disable": ["cred.access"]}, f)
        r = _run([demo("read_ssh_key.sh")], opts=["--rules", path])
        assert r.code == 0 and r.alerts == [], r.alerts
        with open(path, "w") as f:
            json.dump({"allow_paths": ["*/.bashrc"],
                       "severity": {"cred.access": "low"}}, f)
        r = _run([demo("persist_bashrc.sh")], opts=["--rules", path])
        assert r.code == 0 and r.alerts == [], r.alerts
        r = _run([demo("read_ssh_key.sh")], opts=["--rules", path])
        assert rules_of(r) == [("cred.access", "low")], r.alerts
        with open(path, "w") as f:
            json.dump({"disable": ["no.such.rule"]}, f)
        r = _run(["/bin/true"], opts=["--rules", path])
        assert r.code == 2 and b"no.such.rule" in r.stderr, r.describe()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_summary_table():
    r = _run(["/bin/sh", "-c", "cat /nonexistent; true"],
             opts=["--summary"])
    err = r.stderr.decode()
    assert "usecs/call" in err and " total" in err, err
    line = [x for x in err.splitlines() if x.endswith(" execve")]
    assert len(line) == 1 and line[0].split()[3] == "2", line
    opens = [x for x in err.splitlines() if x.endswith(" openat")][0]
    assert int(opens.split()[4]) >= 1, opens  # the failed open
    assert "capsule: summary: 2 process(es)" in err, err
    assert "capsule: summary: alerts: low 0, medium 0, high 0, critical 0" \
        in err, err
    q = _run(["/bin/true"], opts=["--summary", "-q"])
    assert q.stderr == b"", q.stderr


def test_window_streams_actions_of_a_live_program():
    d = tempfile.mkdtemp(prefix="capsule-agg-")
    try:
        log = os.path.join(d, "log.jsonl")
        marker = os.path.join(d, "go")
        actions, _ = h.side_logs(log)
        script = ("exec 3</etc/hostname; read x <&3; "
                  "while [ ! -e %s ]; do sleep 0.05; done" % marker)
        p = h.spawn(h.capsule_args(["/bin/sh", "-c", script], log,
                                   ["--action-window", "0.2", "-q"]),
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen = None
        deadline = time.time() + 20
        while time.time() < deadline and seen is None:
            time.sleep(0.05)
            for rec in h.read_stream(actions) if os.path.exists(actions) \
                    else []:
                if rec.get("resource") == "/etc/hostname" and \
                        rec["end"] == "window":
                    seen = rec
        open(marker, "w").close()
        h.communicate(p)
        assert seen is not None, "no window-ended action while running"
        assert seen["action"] == "file.read" and seen["bytes_in"] > 0, seen
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_verify_checks_every_stream():
    d = tempfile.mkdtemp(prefix="capsule-agg-")
    try:
        log = os.path.join(d, "log.jsonl")
        home = _home()
        p = subprocess.run(h.capsule_args([demo("read_ssh_key.sh")], log,
                                          ["-q"]),
                           env=_env(home), capture_output=True, timeout=60)
        shutil.rmtree(home, ignore_errors=True)
        assert p.returncode == 0, p.stderr
        actions, alerts = h.side_logs(log)
        v = subprocess.run([h.CAPSULE, "verify", log, actions, alerts],
                           capture_output=True, timeout=60)
        assert v.returncode == 0, v.stdout + v.stderr
        out = v.stdout.decode() + v.stderr.decode()
        assert "references:" in out and " 0 too old" in out, out
        # one evidence hash changed: verify names the reference
        with open(alerts, encoding="utf-8") as f:
            lines = f.read().splitlines(True)
        i = [k for k, x in enumerate(lines) if '"type":"alert"' in x][0]
        rec = json.loads(lines[i])
        h0 = rec["refs"][0][2]
        bad = h0[:10] + ("0" if h0[10] != "0" else "1") + h0[11:]
        lines[i] = lines[i].replace(h0, bad, 1)
        with open(alerts, "w", encoding="utf-8") as f:
            f.writelines(lines)
        v = subprocess.run([h.CAPSULE, "verify", log, actions, alerts],
                           capture_output=True, timeout=60)
        assert v.returncode == 1, v.stdout + v.stderr
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---- benign workloads: nothing at medium or above ----

def test_benign_make_build():
    if shutil.which("make") is None or shutil.which("cc") is None:
        raise Skip("no make or cc")
    d = os.path.realpath(tempfile.mkdtemp(prefix="capsule-agg-make-"))
    try:
        for i in range(3):
            with open(os.path.join(d, "m%d.c" % i), "w") as f:
                f.write("int f%d(int x) { return x + %d; }\n" % (i, i))
        with open(os.path.join(d, "main.c"), "w") as f:
            f.write("int f0(int);\nint main(void) { return f0(0); }\n")
        with open(os.path.join(d, "Makefile"), "w") as f:
            f.write("prog: main.o m0.o m1.o m2.o\n\t$(CC) -o $@ $^\n")
        r = _run(["make", "-C", d], opts=["--trace", "all"])
        assert r.code == 0, r.describe()
        check_refs(r)
        assert rules_of(r, "medium") == [], r.alerts
        assert os.path.exists(os.path.join(d, "prog"))
        assert "process.spawn" in kinds(r) and "file.write" in kinds(r)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_benign_tar():
    if shutil.which("tar") is None:
        raise Skip("no tar")
    d = os.path.realpath(tempfile.mkdtemp(prefix="capsule-agg-tar-"))
    try:
        os.makedirs(os.path.join(d, "src", "sub"))
        for n in ("a", "b", os.path.join("sub", "c")):
            with open(os.path.join(d, "src", n), "w") as f:
                f.write(n * 100)
        r = _run(["tar", "-C", d, "-czf", os.path.join(d, "out.tgz"), "src"])
        assert r.code == 0, r.describe()
        check_refs(r)
        assert rules_of(r, "medium") == [], r.alerts
        assert "dir.list" in kinds(r), kinds(r)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_benign_git():
    if shutil.which("git") is None:
        raise Skip("no git")
    d = os.path.realpath(tempfile.mkdtemp(prefix="capsule-agg-git-"))
    try:
        with open(os.path.join(d, "README"), "w") as f:
            f.write("hello\n")
        script = ("cd %s && git init -q && git add README && "
                  "git -c user.name=t -c user.email=t@example.invalid "
                  "commit -q -m init" % d)
        r = _run(["/bin/sh", "-c", script])
        assert r.code == 0, r.describe()
        check_refs(r)
        assert rules_of(r, "medium") == [], r.alerts
    finally:
        shutil.rmtree(d, ignore_errors=True)
