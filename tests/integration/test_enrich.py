"""test_enrich.py: issue 5: process records, privilege changes, descriptor
tables, resolved paths, socket ends and resource classes, asserted exactly
on tests/progs/enrich_fds.c and enrich_creds.c (each program's header says
what it does, in order).
"""
import os
import shutil
import subprocess
import tempfile

import harness as h
from harness import Skip, named, of_pid, one, prog


def _tmpdir():
    d = tempfile.mkdtemp(prefix="capsule-enrich-")
    os.chmod(d, 0o755)
    return os.path.realpath(d)


def _fd(rec, name="fd"):
    return rec.get("fds", {}).get(name)


def _file(path, cls):
    return {"type": "file", "path": path, "class": cls}


def test_process_record_of_the_command():
    d = _tmpdir()
    try:
        r = h.run([prog("enrich_fds"), d], cwd=d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    assert r.code == 0, r.describe()
    root = r.records[0]["pid"]
    first = r.processes[0]
    assert first["event"] == "exec" and first["pid"] == root, first
    assert first["cause"] == "execve"
    assert first["exe"] == prog("enrich_fds")
    assert first["argv"] == [prog("enrich_fds"), d]
    assert first["cwd"] == d
    for k in ("uid", "euid", "suid", "fsuid"):
        assert first[k] == os.getuid(), (k, first)
    for k in ("gid", "egid", "sgid", "fsgid"):
        assert first[k] == os.getgid(), (k, first)
    assert first["groups"] == sorted(os.getgroups()) or \
        sorted(first["groups"]) == sorted(os.getgroups()), first["groups"]
    with open("/proc/self/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    eff = int(status["CapEff"], 16)
    assert len(first["cap_eff"]) == bin(eff).count("1"), first["cap_eff"]
    if eff & (1 << 21):
        assert "CAP_SYS_ADMIN" in first["cap_eff"]
    assert first["no_new_privs"] is (status["NoNewPrivs"].strip() == "1")
    assert first["seccomp"] in ("disabled", "strict", "filter")
    for ns in ("mnt", "pid", "net", "user", "uts", "ipc", "cgroup"):
        want = int(os.readlink(f"/proc/self/ns/{ns}").split("[")[1][:-1])
        assert first["ns"][ns] == want, (ns, first["ns"])
    assert first["cgroup"].startswith("/"), first
    assert h.TS_RE.match(first["start_time"]), first["start_time"]
    assert first["start_time"] <= first["ts"], first
    assert first["ppid"] > 0
    # every later syscall record of the root names its process record
    for rec in of_pid(r.records, root)[1:]:
        if rec["seq"] > first["seq"] and rec["seq"] < r.processes[-1]["seq"]:
            assert rec["exe"] == prog("enrich_fds"), rec
            assert rec["uid"] == os.getuid() and rec["euid"] == os.geteuid()
            assert isinstance(rec["proc_seq"], int) and rec["proc_seq"] < rec["seq"]


def test_fds_paths_and_sockets():
    d = _tmpdir()
    try:
        r = h.run([prog("enrich_fds"), d], cwd="/")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    assert r.code == 0, r.describe()
    root = r.records[0]["pid"]
    mine = of_pid(r.records, root)
    f = d + "/file.txt"
    tmpcls = "temporary" if d.startswith("/tmp/") else "file"

    # 1: openat(dirfd, "sub/../file.txt"), dup, dup2, F_DUPFD_CLOEXEC
    at = [x for x in named(mine, "openat") if x["args"]["pathname"] == "sub/../file.txt"]
    at = one(at, "openat sub/../file.txt")
    assert at["paths"] == {"pathname": {"abs": f, "class": tmpcls}}, at
    assert _fd(at, "dirfd") == {"type": "file", "path": d, "class": tmpcls}, at
    assert _fd(at, "ret") == _file(f, tmpcls)
    assert at["class"] == tmpcls
    a = at["ret"]
    dup = one([x for x in named(mine, "dup") if x["args"]["oldfd"] == a], "dup")
    assert _fd(dup, "ret") == _file(f, tmpcls), dup
    dup2 = one([x for x in named(mine, "dup2") if x["args"]["newfd"] == 10], "dup2")
    assert _fd(dup2, "oldfd") == _file(f, tmpcls) and _fd(dup2, "ret") == _file(f, tmpcls)
    fc = one([x for x in named(mine, "fcntl") if x["args"]["cmd"] == "F_DUPFD_CLOEXEC"])
    assert fc["ret"] == 20 and _fd(fc, "ret") == _file(f, tmpcls), fc
    assert "arg" not in fc["fds"], fc  # the minimum fd is no descriptor

    # 2: chdir, relative open, fchdir, relative open
    ch = one(named(mine, "chdir"))
    assert ch["paths"]["path"]["abs"] == d + "/sub", ch
    rel = [x for x in named(mine, "openat") if x["args"]["pathname"] in
           ("../file.txt", "./sub/../file.txt")]
    assert len(rel) == 2, rel
    for x in rel:
        assert x["paths"]["pathname"]["abs"] == f, x
    fch = one(named(mine, "fchdir"))
    assert _fd(fch) == {"type": "file", "path": d, "class": tmpcls}, fch

    # 3: the forked child reads fd 10, inherited
    kids = [p for p in r.processes if p["event"] == "new"]
    assert len(kids) == 2, kids
    fork_child, files_child = kids[0]["pid"], kids[1]["pid"]
    assert kids[0]["creator"] == root and kids[0]["ppid"] == root
    assert "CLONE_FILES" not in kids[0]["clone_flags"]
    rd = one(named(of_pid(r.records, fork_child), "read"), "child read")
    assert rd["args"]["fd"] == 10 and _fd(rd) == _file(f, tmpcls), rd
    assert rd["class"] == tmpcls
    cr = one(named(mine, "close_range"))
    assert "fds" not in cr, cr

    # 4: CLONE_FILES: the child's open is the parent's descriptor too
    assert "CLONE_FILES" in kids[1]["clone_flags"], kids[1]
    op = one(named(of_pid(r.records, files_child), "openat"), "shared open")
    sfd = op["ret"]
    later = [x for x in named(mine, "read") if x["args"]["fd"] == sfd and
             x["seq"] > op["seq"]]
    assert _fd(one(later, "read of the shared fd")) == \
        _file(d + "/shared.txt", tmpcls), later

    # 5: loopback server and client
    sock = named(mine, "socket")
    assert len(sock) == 2
    srv, cli = sock[0]["ret"], sock[1]["ret"]
    gsn = one(named(mine, "getsockname"))
    port = gsn["args"]["addr"]["port"]
    conn = one(named(mine, "connect"))
    assert conn["class"] == "net_loopback", conn
    acc = one(named(mine, "accept"))
    assert _fd(acc, "sockfd")["local"] == f"127.0.0.1:{port}", acc
    assert acc["class"] == "net_loopback"
    w = one([x for x in named(mine, "write") if x["args"]["fd"] == cli])
    ws = _fd(w)
    assert ws["type"] == "socket" and ws["family"] == "AF_INET", ws
    assert ws["remote"] == f"127.0.0.1:{port}", ws
    assert ws["local"].startswith("127.0.0.1:"), ws
    assert ws["class"] == "net_loopback"
    rd = one([x for x in named(mine, "read") if x["args"]["fd"] == acc["ret"]])
    rs = _fd(rd)
    assert rs["local"] == f"127.0.0.1:{port}" and rs["remote"] == ws["local"], rs
    assert rs["class"] == "net_loopback"
    cl = [x for x in named(mine, "close") if x["args"]["fd"] == srv]
    assert _fd(cl[-1])["local"] == f"127.0.0.1:{port}", cl

    # 6: after exec, fd 10 is still the file, fd 11 (FD_CLOEXEC) is gone
    ex = [p for p in r.processes if p["event"] == "exec" and p["pid"] == root]
    assert len(ex) == 2, ex
    assert ex[1]["argv"] == ["enrich_fds", "--exec", d] and ex[1]["cwd"] == d
    after = [x for x in named(mine, "read") if x["seq"] > ex[1]["seq"]
             and x["args"]["fd"] in (10, 11)]
    assert len(after) == 2, after
    assert _fd(after[0]) == _file(f, tmpcls) and after[0]["ret"] == 1
    assert _fd(after[1]) == {"type": "unknown"} and after[1]["errno"] == "EBADF"

    # exits: each process's last record of the stream
    exits = {p["pid"]: p for p in r.processes if p["event"] == "exit"}
    assert exits[fork_child]["exit"] == {"code": 0}
    assert exits[files_child]["exit"] == {"code": sfd}
    assert exits[root]["exit"] == {"code": 0}


def _need_root_and_suid(d):
    if os.geteuid() != 0:
        raise Skip("needs root (set*id to nobody and back, chown)")
    if os.statvfs(d).f_flag & os.ST_NOSUID:
        raise Skip(f"{d} is mounted nosuid")


def test_credential_changes():
    d = _tmpdir()
    try:
        _need_root_and_suid(d)
        r = h.run([prog("enrich_creds"), d])
    finally:
        shutil.rmtree(d, ignore_errors=True)
    assert r.code == 0, r.describe()
    root = r.records[0]["pid"]
    kids = [p["pid"] for p in r.processes if p["event"] == "new"]
    assert len(kids) == 3, r.processes
    a, b = kids[:2]

    creds = [p for p in r.processes if p["pid"] == a and p["event"] == "cred"]
    assert [p["cause"] for p in creds] == ["setresuid"] * 3, creds
    c0, c1, c2 = (p["cred_change"] for p in creds)
    assert c0["euid"] == {"before": 0, "after": 65534}, c0
    assert c0["fsuid"] == {"before": 0, "after": 65534}
    assert "uid" not in c0 and "suid" not in c0
    assert c0["cap_eff"]["after"] == [] and \
        c0["cap_eff"]["lost"] == c0["cap_eff"]["before"], c0["cap_eff"]
    assert "CAP_SETUID" in c0["cap_eff"]["lost"]
    assert c1["euid"] == {"before": 65534, "after": 0}, c1
    assert "CAP_SETUID" in c1["cap_eff"]["gained"]
    for k in ("uid", "euid", "suid", "fsuid"):
        assert c2[k]["after"] == 65534, (k, c2)
    assert c2["cap_prm"]["after"] == [], c2
    assert creds[2]["uid"] == creds[2]["euid"] == 65534
    # the failed attempt back changes nothing and says so
    back = one(named(of_pid(r.records, a), "setuid"))
    assert back["errno"] == "EPERM" and back["uid"] == 65534 and \
        back["euid"] == 65534, back
    assert back["proc_seq"] == creds[2]["seq"], back
    assert not [p for p in r.processes if p["pid"] == a and
                p["event"] == "cred" and p["seq"] > back["seq"]]

    # setuid binary: exec raises euid 12345 -> 65534
    exb = [p for p in r.processes if p["pid"] == b and p["event"] == "exec"]
    exb = one(exb, "exec of suidprobe")
    assert exb["exe"] == d + "/suidprobe" and exb["argv"] == ["suidprobe", "--probe"]
    ch = exb["cred_change"]
    assert ch["euid"] == {"before": 12345, "after": 65534}, ch
    assert ch["suid"] == {"before": 12345, "after": 65534}, ch
    assert "uid" not in ch, ch
    assert exb["uid"] == 12345 and exb["euid"] == 65534
    gid = [p for p in r.processes if p["pid"] == b and p["event"] == "cred"]
    assert gid[0]["cause"] == "setresgid" and \
        gid[0]["cred_change"]["gid"] == {"before": 0, "after": 12345}, gid
    # 3: bounding set, no_new_privs, user namespace
    c = kids[2] if len(kids) > 2 else None
    assert c is not None, r.processes
    cc = [p for p in r.processes if p["pid"] == c and p["event"] == "cred"]
    assert [p["cause"] for p in cc[:2]] == ["prctl", "prctl"], cc
    assert cc[0]["cred_change"]["cap_bnd"]["lost"] == ["CAP_NET_RAW"], cc[0]
    assert list(cc[0]["cred_change"]) == ["cap_bnd"], cc[0]
    assert "CAP_NET_RAW" not in cc[0]["cap_bnd"]
    assert cc[1]["cred_change"] == \
        {"no_new_privs": {"before": False, "after": True}}, cc[1]
    assert cc[1]["no_new_privs"] is True
    userns = r.stdout.decode().strip()
    if userns == "userns 0":
        assert len(cc) == 3 and cc[2]["cause"] == "unshare", cc
        ch = cc[2]["cred_change"]
        assert ch["ns_user"]["before"] != ch["ns_user"]["after"], ch
        # a new user namespace holds every capability in it: at least
        # those dropped from the bounding set come back
        assert "CAP_NET_RAW" in cc[2]["cap_bnd"], cc[2]
        assert "CAP_NET_RAW" in ch["cap_bnd"]["gained"], ch
        assert "CAP_SYS_ADMIN" in cc[2]["cap_eff"], cc[2]
        assert cc[2]["ns"]["user"] == ch["ns_user"]["after"]
    else:
        assert userns == "userns 7" and len(cc) == 2, (userns, cc)
    exits = {p["pid"]: p["exit"] for p in r.processes if p["event"] == "exit"}
    assert exits[a] == exits[b] == exits[root] == {"code": 0}, exits


def test_pre_existing_fds_and_classes():
    # fd 7 is open before tracing starts (read from /proc/PID/fd at the
    # command's exec); the shell moves it to fd 0 and cat reads it
    home = _tmpdir()
    log = home + "/log.jsonl"
    try:
        os.makedirs(home + "/.ssh")
        key = home + "/.ssh/id_ed25519"
        with open(key, "w") as f:
            f.write("secret\n")
        fd = os.open(key, os.O_RDONLY)
        if fd != 7:
            os.dup2(fd, 7)
            os.close(fd)
        try:
            p = subprocess.run([h.CAPSULE, "run", "-q", "-o", log, "--",
                                "/bin/sh", "-c", "cat <&7 >/dev/null"],
                               pass_fds=(7,), timeout=h.TIMEOUT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        finally:
            os.close(7)
        with open(log) as f:
            recs = [r for r in h.parse_lines(f.read()) if r["type"] == "syscall"]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert p.returncode == 0, p.stderr
    d2 = one([x for x in named(recs, "dup2") if x["args"]["oldfd"] == 7])
    assert _fd(d2, "oldfd") == {"type": "file", "path": key,
                                "class": "credentials"}, d2
    cat = [x for x in recs if x["pid"] != recs[0]["pid"]] or recs
    reads = [x for x in named(cat, "read") if x["args"]["fd"] == 0]
    assert reads and all(_fd(x) == {"type": "file", "path": key,
                                    "class": "credentials"} and
                         x["class"] == "credentials" for x in reads), reads
    w = [x for x in named(recs, "openat") if
         x["args"]["pathname"] == "/dev/null"]
    assert w and all(x["class"] == "device" for x in w), w


def test_credentials_of_a_process_with_many_groups():
    # 2000 groups put the Cap* lines of /proc/PID/status far down: the
    # snapshot must still see them (not report every capability lost)
    r = h.run([prog("groups_caps")])
    if r.code == 77:
        raise Skip("setgroups not permitted here")
    assert r.code == 0, r.describe()
    creds = [p for p in r.processes if p["event"] == "cred"]
    assert [p["cause"] for p in creds] == ["setgroups", "setresuid"], creds
    sg, su = (p["cred_change"] for p in creds)
    assert len(sg["groups"]["after"]) == 2000, len(sg["groups"]["after"])
    assert "cap_eff" not in sg and "cap_bnd" not in sg, sorted(sg)
    assert su["euid"] == {"before": 0, "after": 65534}, su
    assert "CAP_SETUID" in su["cap_eff"]["lost"], su
