"""Integration tests of `capsule profile` and `capsule run --seccomp`.

A profile generated from tracing `ls` lets `ls` run confined by it, and a
program that opens a socket fails with EPERM, its denial marked in the
log.  Then the same with real OCI runtimes: crun and runc run a bundle
whose rootfs holds static test programs and whose config.json carries the
generated profile.

Run by tests/run.py (each test_*() is a test; Skip means skipped), or
standalone from the repository root: python3 tests/integration/test_profile.py
capsule is $CAPSULE (default ./capsule); test programs are in
$CAPSULE_BUILD/tests/progs (default: the directory of $CAPSULE when it is
an O= build directory, else build/), built by `make tests-build`.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import Skip, standalone

CAPSULE = os.environ.get("CAPSULE", "./capsule")


def _build_dir():
    """$CAPSULE_BUILD, else the directory of an out-of-tree capsule
    (O=build-asan puts it in build-asan/), else build/."""
    if os.environ.get("CAPSULE_BUILD"):
        return os.environ["CAPSULE_BUILD"]
    here = os.path.dirname(CAPSULE)
    if here not in ("", ".") and os.path.isdir(
            os.path.join(here, "tests", "progs")):
        return here
    return "build"


BUILD = _build_dir()
PROGS = os.path.join(BUILD, "tests", "progs")
SRC_PROGS = os.path.join("tests", "progs")


def run(args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 60)
    return subprocess.run(args, check=False, **kw)


def prog(name):
    path = os.path.join(PROGS, name)
    if not os.access(path, os.X_OK):
        raise Skip("%s not built (make tests-build)" % path)
    return path


def records(log):
    out = []
    with open(log, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("type") == "syscall":
                out.append(rec)
    return out


def trace(tmp, name, cmd):
    log = os.path.join(tmp, name + ".log")
    r = run([CAPSULE, "run", "-q", "-o", log, "--"] + cmd)
    assert r.returncode == 0, r.stderr
    return log


def make_profile(tmp, name, logs, *opts):
    out = os.path.join(tmp, name + ".json")
    r = run([CAPSULE, "profile", "-q", "-o", out] + list(opts) + logs)
    assert r.returncode == 0, r.stderr
    with open(out, encoding="utf-8") as f:
        return out, json.load(f)


def rule_for(profile, name):
    for rule in profile["syscalls"]:
        if name in rule["names"]:
            return rule
    return None


def test_profile_from_ls_confines_ls_and_denies_socket():
    sock = prog("opensocket")
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        os.makedirs(os.path.join(data, "sub"))
        for n in ("a", "b"):
            open(os.path.join(data, n), "w").close()
        log = trace(tmp, "ls", ["ls", data])
        path, profile = make_profile(tmp, "ls", [log])
        assert profile["defaultAction"] == "SCMP_ACT_ERRNO"
        assert profile["defaultErrnoRet"] == 1
        assert profile["architectures"] == ["SCMP_ARCH_X86_64"]
        assert rule_for(profile, "getdents64")["action"] == "SCMP_ACT_ALLOW"
        assert rule_for(profile, "socket") is None
        clone3 = rule_for(profile, "clone3")
        assert clone3["action"] == "SCMP_ACT_ERRNO"
        assert clone3["errnoRet"] == 38

        plain = run(["ls", data])
        confined_log = os.path.join(tmp, "confined.log")
        confined = run([CAPSULE, "run", "-q", "--seccomp", path, "-o",
                        confined_log, "--", "ls", data])
        assert confined.returncode == 0, confined.stderr
        assert confined.stdout == plain.stdout, (confined, plain)
        assert not any("denied_by" in r for r in records(confined_log))

        deny_log = os.path.join(tmp, "deny.log")
        denied = run([CAPSULE, "run", "--seccomp", path, "-o", deny_log,
                      "--", sock])
        assert denied.returncode == 3, (denied.stdout, denied.stderr)
        assert denied.stdout == "socket failed: EPERM\n"
        assert "denied by the seccomp profile" in denied.stderr
        socks = [r for r in records(deny_log) if r["syscall"] == "socket"]
        assert len(socks) == 1
        assert socks[0]["errno"] == "EPERM"
        assert socks[0]["denied_by"] == "seccomp"
        others = [r for r in records(deny_log)
                  if r["syscall"] != "socket" and "denied_by" in r]
        assert others == [], others


def test_default_errno_and_unconfined_socket():
    sock = prog("opensocket")
    with tempfile.TemporaryDirectory() as tmp:
        log = trace(tmp, "ls", ["ls", "/"])
        path, profile = make_profile(tmp, "enosys", [log],
                                     "--default-errno", "ENOSYS")
        assert profile["defaultErrnoRet"] == 38
        # the ENOSYS rule would equal the default: dropped
        assert all(r["action"] == "SCMP_ACT_ALLOW"
                   for r in profile["syscalls"])
        r = run([CAPSULE, "run", "-q", "--seccomp", path, "-o",
                 os.path.join(tmp, "x.log"), "--", sock])
        assert r.stdout == "socket failed: ENOSYS\n", r.stdout
        # a profile from the socket program itself lets it through
        slog = trace(tmp, "sock", [sock])
        spath, _ = make_profile(tmp, "sock", [slog])
        r = run([CAPSULE, "run", "-q", "--seccomp", spath, "-o",
                 os.path.join(tmp, "y.log"), "--", sock])
        assert r.returncode == 0 and r.stdout == "socket ok\n", r.stdout


def test_clone3_enosys_lets_libc_fall_back():
    spawn = prog("spawn_thread")
    with tempfile.TemporaryDirectory() as tmp:
        # capsule run makes clone3 fail with ENOSYS: the log is what a
        # kernel without clone3 shows (glibc used clone), and the profile
        # does not allow the clone3 capsule refused
        log = trace(tmp, "spawn", [spawn])
        c3 = [x for x in records(log) if x["syscall"] == "clone3"]
        assert c3 and all(x.get("denied_why") == "clone3" for x in c3), c3
        path, profile = make_profile(tmp, "p", [log])
        assert rule_for(profile, "clone3")["errnoRet"] == 38
        # --allow-clone3: the profile's filter itself answers ENOSYS, and
        # glibc falls back to clone
        confined_log = os.path.join(tmp, "confined.log")
        r = run([CAPSULE, "run", "-q", "--allow-clone3", "--seccomp", path,
                 "-o", confined_log, "--", spawn])
        assert r.returncode == 0 and r.stdout == "thread ok\n", r
        recs = records(confined_log)
        c3 = [x for x in recs if x["syscall"] == "clone3"]
        assert c3 and all(x["errno"] == "ENOSYS" and
                          x["denied_by"] == "seccomp" for x in c3), c3
        assert any(x["syscall"] == "clone" and x.get("ret", -1) > 0
                   for x in recs)
        # by default capsule refuses clone3 before the filter sees it
        r = run([CAPSULE, "run", "-q", "--seccomp", path, "-o",
                 confined_log, "--", spawn])
        assert r.returncode == 0 and r.stdout == "thread ok\n", r
        c3 = [x for x in records(confined_log) if x["syscall"] == "clone3"]
        assert c3 and all(x["errno"] == "ENOSYS" and
                          x["denied_by"] == "capsule" for x in c3), c3
        # a log where clone3 ran (--allow-clone3) allows it
        log = os.path.join(tmp, "allowed.log")
        r = run([CAPSULE, "run", "-q", "--allow-clone3", "-o", log, "--",
                 spawn])
        assert r.returncode == 0, r.stderr
        _, profile = make_profile(tmp, "q", [log])
        assert rule_for(profile, "clone3")["action"] == "SCMP_ACT_ALLOW"


def test_clone3_under_a_kill_default_profile():
    # capsule refuses clone3 by giving it a size of 0, not by skipping it
    # (syscall -1): the filter, which runs after capsule's entry stop,
    # still judges clone3, and a kill default does not kill the program
    # (docs/seccomp.md).  Same with --allow-clone3, where the profile's
    # own clone3 rule (ENOSYS) answers.
    spawn = prog("spawn_thread")
    with tempfile.TemporaryDirectory() as tmp:
        log = trace(tmp, "spawn", [spawn])
        _, profile = make_profile(tmp, "p", [log])
        profile["defaultAction"] = "SCMP_ACT_KILL_PROCESS"
        profile.pop("defaultErrnoRet", None)
        path = os.path.join(tmp, "kill.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(profile, f)
        confined_log = os.path.join(tmp, "confined.log")
        for opts in ([], ["--allow-clone3"]):
            r = run([CAPSULE, "run", "-q", *opts, "--seccomp", path, "-o",
                     confined_log, "--", spawn])
            assert r.returncode == 0 and r.stdout == "thread ok\n", (opts, r)
            c3 = [x for x in records(confined_log)
                  if x["syscall"] == "clone3"]
            assert c3 and all(x["errno"] == "ENOSYS" and
                              "unfinished_why" not in x for x in c3), c3
            if not opts:
                assert all(x.get("denied_why") == "clone3" for x in c3), c3


def test_arg_filters_allow_only_the_socket_family_seen():
    sock = prog("opensocket")
    with tempfile.TemporaryDirectory() as tmp:
        log = trace(tmp, "inet", [sock])
        path, profile = make_profile(tmp, "p", [log], "--arg-filters")
        rule = rule_for(profile, "socket")
        assert rule["args"] == [{"index": 0, "value": 2, "valueTwo": 0,
                                 "op": "SCMP_CMP_EQ"}], rule
        r = run([CAPSULE, "run", "-q", "--seccomp", path, "-o",
                 os.path.join(tmp, "inet2.log"), "--", sock])
        assert r.returncode == 0 and r.stdout == "socket ok\n", r
        unix_log = os.path.join(tmp, "unix.log")
        r = run([CAPSULE, "run", "-q", "--seccomp", path, "-o", unix_log,
                 "--", sock, "unix"])
        assert r.returncode == 3, r
        assert r.stdout == "socket failed: EPERM\n", r.stdout
        socks = [x for x in records(unix_log) if x["syscall"] == "socket"]
        assert socks[0]["denied_by"] == "seccomp", socks


def test_profile_is_deterministic_and_widens():
    sock = prog("opensocket")
    with tempfile.TemporaryDirectory() as tmp:
        a = trace(tmp, "a", ["ls", "/"])
        b = trace(tmp, "b", [sock])
        one, _ = make_profile(tmp, "one", [a, b])
        two, prof = make_profile(tmp, "two", [a, b])
        with open(one, "rb") as f1, open(two, "rb") as f2:
            assert f1.read() == f2.read()
        names = prof["syscalls"][0]["names"]
        assert names == sorted(names)
        assert "socket" in names and "getdents64" in names


def test_diff_exit_codes():
    sock = prog("opensocket")
    with tempfile.TemporaryDirectory() as tmp:
        a = trace(tmp, "a", ["true"])
        b = trace(tmp, "b", [sock])
        pa, _ = make_profile(tmp, "pa", [a])
        pb, _ = make_profile(tmp, "pb", [a, b])
        same = run([CAPSULE, "profile", "--diff", pa, pa])
        assert same.returncode == 0 and same.stdout == "", same
        diff = run([CAPSULE, "profile", "--diff", pa, pb])
        assert diff.returncode == 1, diff
        assert "+ x86_64 socket\n" in diff.stdout
        assert not any(l.startswith("-") for l in diff.stdout.splitlines())
        back = run([CAPSULE, "profile", "--diff", pb, pa])
        assert back.returncode == 1 and "- x86_64 socket\n" in back.stdout
        # logs compare by what they recorded
        logs = run([CAPSULE, "profile", "--diff", a, b])
        assert logs.returncode == 1 and "+ x86_64 socket\n" in logs.stdout
        bad = run([CAPSULE, "profile", "--diff", pa,
                   os.path.join(tmp, "missing.json")])
        assert bad.returncode == 125 and "missing.json" in bad.stderr
        usage = run([CAPSULE, "profile", "--diff", pa])
        assert usage.returncode == 2


def test_bad_profile_is_refused():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bad.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"defaultAction": "SCMP_ACT_MAYBE"}')
        r = run([CAPSULE, "run", "--seccomp", path, "-o",
                 os.path.join(tmp, "l.log"), "--", "true"])
        assert r.returncode == 2, r
        assert "defaultAction" in r.stderr


# ---- a real OCI runtime ----

def static_build(src, out):
    r = run(["gcc", "-static", "-O1", "-D_GNU_SOURCE", "-o", out, src])
    if r.returncode != 0:
        raise Skip("gcc -static failed (no static libc?): " + r.stderr[-200:])


def oci_run(runtime, bundle, state, name):
    """`runtime run`.  crun 1.8 refuses a hybrid cgroup host (cgroup v1
    plus a v2 tree with a controller): then retry in a private mount
    namespace without the v2 mount, so that crun sees plain cgroup v1."""
    cmd = [runtime, "--root", state, "run", "-b", bundle, name]
    r = run(cmd)
    if r.returncode != 0 and "hybrid mode" in r.stderr:
        wrapped = ("mount --make-rprivate / && "
                   "(umount /sys/fs/cgroup/unified 2>/dev/null; true) && "
                   'exec "$@"')
        r = run(["unshare", "-m", "sh", "-c", wrapped, "sh"] + cmd)
    return r


def check_runtime(runtime):
    """A bundle of static programs confined by a generated profile."""
    if shutil.which(runtime) is None:
        raise Skip("%s is not installed (apt-get install %s)"
                   % (runtime, runtime))
    if os.geteuid() != 0:
        raise Skip("%s run needs root here" % runtime)
    if shutil.which("unshare") is None:
        raise Skip("unshare (util-linux) missing")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "bundle")
        rootfs = os.path.join(bundle, "rootfs")
        state = os.path.join(tmp, "state")
        os.makedirs(rootfs)
        os.makedirs(state)
        for name in ("listdir", "opensocket"):
            static_build(os.path.join(SRC_PROGS, name + ".c"),
                         os.path.join(rootfs, name))
        os.makedirs(os.path.join(rootfs, "data", "sub"))
        for n in ("a", "b"):
            open(os.path.join(rootfs, "data", n), "w").close()

        # the profile: what listdir does, plus what the runtime does
        # after loading the filter
        log = trace(tmp, "listdir",
                    [os.path.join(rootfs, "listdir"),
                     os.path.join(rootfs, "data")])
        _, profile = make_profile(tmp, "p", [log], "--runtime")

        r = run([runtime, "spec"], cwd=bundle)
        assert r.returncode == 0, r.stderr
        cfg_path = os.path.join(bundle, "config.json")
        with open(cfg_path, encoding="utf-8") as f:
            cfg = json.load(f)
        cfg["process"]["terminal"] = False
        # without no_new_privs the runtime loads the filter while still
        # root, then drops capabilities and changes user under it: the
        # case --runtime is for
        cfg["process"]["noNewPrivileges"] = False
        cfg["process"]["user"] = {"uid": 1000, "gid": 1000}
        cfg["linux"]["seccomp"] = profile

        def run_in_container(args, name):
            cfg["process"]["args"] = args
            with open(cfg_path, "w", encoding="utf-8") as f:
                json.dump(cfg, f)
            return oci_run(runtime, bundle, state, name)

        ok = run_in_container(["/listdir", "/data"], "capsule-test-ls")
        if ok.returncode != 0 and ("cgroup" in ok.stderr or
                                   "mount" in ok.stderr):
            raise Skip("%s cannot run containers here: %s" %
                       (runtime, ok.stderr.strip()[-300:]))
        assert ok.returncode == 0, ok.stderr
        assert sorted(ok.stdout.split()) == ["a", "b", "sub"], ok.stdout

        denied = run_in_container(["/opensocket"], "capsule-test-sock")
        assert denied.returncode == 3, (denied.stdout, denied.stderr)
        assert denied.stdout == "socket failed: EPERM\n", denied.stdout

        # without --runtime the runtime itself is refused after the filter
        _, bare = make_profile(tmp, "bare", [log])
        cfg["linux"]["seccomp"] = bare
        refused = run_in_container(["/listdir", "/data"], "capsule-test-bare")
        assert refused.returncode != 0, refused


def test_crun_accepts_profile():
    check_runtime("crun")


def test_runc_accepts_profile():
    check_runtime("runc")




if __name__ == "__main__":
    sys.exit(standalone(globals()))
