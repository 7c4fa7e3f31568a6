"""Differential test of argument decoding against strace (issue 3): for
real programs (coreutils, sh -c pipelines, /usr/bin/python3), the paths,
open flags, access modes, execve argv and socket addresses capsule decodes
must be those `strace -f` prints for the same calls of another run of the
same command.

Runs are compared as multisets of (call, decoded arguments) over all
processes: the interleaving of processes differs between runs, the calls
of each do not.  Compared calls: execve (path, argv), open/openat (dirfd,
path, flags), access/faccessat/faccessat2 (path, mode), connect/bind
(address).  Excluded: anything whose path strace could only print with
escapes (not produced by these programs).

Run by tests/run.py, or standalone:
    python3 tests/integration/test_decode_strace.py
"""
import collections
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

from harness import Skip, standalone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXIT_PTRACE = 124
CALLS = ("execve", "open", "openat", "access", "faccessat", "faccessat2",
         "connect", "bind")


def capsule():
    p = os.environ.get("CAPSULE", "./capsule")
    return p if os.path.exists(p) else os.path.join(ROOT, p)


def flagset(f):
    """Flag names as a set: the two tools may order them differently."""
    return "|".join(sorted(f.split("|"))) if isinstance(f, str) else f


# ---- strace's output ----

def split_args(s):
    """Splits strace's argument text at top-level commas."""
    out, depth, cur, i, quote = [], 0, [], 0, False
    while i < len(s):
        c = s[i]
        if quote:
            cur.append(c)
            if c == "\\":
                cur.append(s[i + 1])
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
            cur.append(c)
        elif c in "[{(":
            depth += 1
            cur.append(c)
        elif c in "]})":
            depth -= 1
            cur.append(c)
        elif c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    if cur:
        out.append("".join(cur).strip())
    return out


def unquote(s):
    """A strace string literal to text (None if it needs escapes)."""
    if s.startswith("@"):
        s = s[1:]
    if not (s.startswith('"') and s.endswith('"')):
        return None
    body = s[1:-1]
    if "\\" in body:
        return None
    return body


def strace_addr(a):
    fam = re.search(r"sa_family=(\w+)", a)
    if not fam:
        return None
    fam = fam.group(1)
    if fam == "AF_INET":
        port = int(re.search(r"sin_port=htons\((\d+)\)", a).group(1))
        addr = re.search(r'inet_addr\("([^"]*)"\)', a).group(1)
        return (fam, addr, port)
    if fam == "AF_INET6":
        port = int(re.search(r"sin6_port=htons\((\d+)\)", a).group(1))
        addr = re.search(r'inet_pton\(AF_INET6, "([^"]*)"', a).group(1)
        return (fam, addr, port)
    if fam == "AF_UNIX":
        m = re.search(r'sun_path=(@?)"([^"]*)"', a)
        if not m:
            return (fam,)
        return (fam, "abstract" if m.group(1) else "path", m.group(2))
    return (fam,)


def from_strace(lines):
    pending = {}
    out = collections.Counter()
    for line in lines:
        m = re.match(r"^(\d+)\s+(.*)$", line)
        if not m:
            continue
        pid, rest = m.groups()
        if rest.endswith("<unfinished ...>"):
            pending[pid] = rest[: -len("<unfinished ...>")].rstrip()
            continue
        r = re.match(r"^<\.\.\. (\w+) resumed>(.*)$", rest)
        if r:
            rest = pending.pop(pid, "") + r.group(2)
        m = re.match(r"^(\w+)\((.*)\)\s+=\s+(.*)$", rest)
        if not m:
            continue
        name, args, _ = m.groups()
        if name not in CALLS:
            continue
        key = strace_key(name, split_args(args))
        if key is not None:
            out[key] += 1
    return out


def strace_key(name, a):
    if name == "execve":
        argv = [unquote(x.strip()) for x in split_args(a[1][1:-1])]
        if unquote(a[0]) is None or None in argv:
            return None
        return (name, unquote(a[0]), tuple(argv))
    if name == "open":
        return (name, "AT_FDCWD", unquote(a[0]), flagset(a[1]))
    if name == "openat":
        return (name, a[0], unquote(a[1]), flagset(a[2]))
    if name == "access":
        return (name, unquote(a[0]), flagset(a[1]))
    if name in ("faccessat", "faccessat2"):
        return (name, unquote(a[1]), flagset(a[2]))
    if name in ("connect", "bind"):
        return (name, strace_addr(a[1]))
    return None


# ---- capsule's log ----

def capsule_addr(a):
    if not isinstance(a, dict) or "family" not in a:
        return None
    fam = a["family"]
    if fam in ("AF_INET", "AF_INET6"):
        return (fam, a["addr"], a["port"])
    if fam == "AF_UNIX":
        if "abstract" in a:
            return (fam, "abstract", a["abstract"])
        if "path" in a:
            return (fam, "path", a["path"])
        return (fam,)
    return (fam,)


def plain(s):
    return s if isinstance(s, str) and "\\" not in s else None


def capsule_key(r):
    name, a = r["syscall"], r["args"]
    if name == "execve":
        argv = a["argv"]
        if not isinstance(argv, list) or plain(a["pathname"]) is None:
            return None
        argv = [plain(x) for x in argv]
        if None in argv:
            return None
        return (name, a["pathname"], tuple(argv))
    if name == "open":
        return (name, "AT_FDCWD", plain(a["pathname"]), flagset(a["flags"]))
    if name == "openat":
        return (name, str(a["dirfd"]), plain(a["pathname"]),
                flagset(a["flags"]))
    if name == "access":
        return (name, plain(a["pathname"]), flagset(a["mode"]))
    if name in ("faccessat", "faccessat2"):
        return (name, plain(a["pathname"]), flagset(a["mode"]))
    if name in ("connect", "bind"):
        return (name, capsule_addr(a["addr"]))
    return None


def from_capsule(recs):
    out = collections.Counter()
    for r in recs:
        if r.get("type") != "syscall":
            continue
        if r["syscall"] in CALLS and r.get("abi") == "x86_64":
            key = capsule_key(r)
            if key is not None:
                out[key] += 1
    return out


# ---- running both ----

def run_both(cmd):
    if shutil.which("strace") is None:
        raise Skip("strace not installed")
    with tempfile.TemporaryDirectory() as d:
        slog, clog = os.path.join(d, "strace"), os.path.join(d, "capsule")
        env = dict(os.environ, LC_ALL="C")
        r = subprocess.run(["strace", "-f", "-qq", "-s", "65536", "-o", slog,
                            "-e", "trace=" + ",".join(CALLS)] + cmd,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env, timeout=120)
        if r.returncode != 0 and not os.path.exists(slog):
            raise Skip("strace cannot trace here")
        r = subprocess.run([capsule(), "run", "-q", "-o", clog, "--"] + cmd,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env, timeout=120)
        if r.returncode == EXIT_PTRACE:
            raise Skip("ptrace not permitted here")
        with open(slog, encoding="utf-8", errors="replace") as f:
            s = from_strace(f.read().splitlines())
        with open(clog, "rb") as f:
            c = from_capsule(json.loads(l) for l in f.read().splitlines())
    return s, c


def check(cmd, must_have=()):
    s, c = run_both(cmd)
    only_s = s - c
    only_c = c - s
    assert not only_s and not only_c, (
        "strace only: %r\ncapsule only: %r" % (dict(only_s), dict(only_c)))
    for key in must_have:
        assert c[key] > 0, "%r not seen: %r" % (key, dict(c))
    assert sum(c.values()) > 0


def closed_port(family, addr):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((addr, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_ls():
    check(["ls", "-la", "/etc", "/nonexistent"],
          must_have=[("execve", "/usr/bin/ls",
                      ("ls", "-la", "/etc", "/nonexistent"))])


def test_cat():
    check(["cat", "/etc/hostname", "/etc/os-release"],
          must_have=[("openat", "AT_FDCWD", "/etc/hostname", "O_RDONLY")])


def test_sh_pipeline():
    check(["sh", "-c", "cat /etc/hostname | wc -c; ls /etc > /dev/null"],
          must_have=[("execve", "/usr/bin/wc", ("wc", "-c"))])


def test_python_sockets():
    py = "/usr/bin/python3"
    if not os.path.exists(py):
        raise Skip("no /usr/bin/python3")
    p4 = closed_port(socket.AF_INET, "127.0.0.1")
    p6 = closed_port(socket.AF_INET6, "::1")
    code = (
        "import socket, os\n"
        "s = socket.socket(); s.connect_ex(('127.0.0.1', %d))\n"
        "s = socket.socket(socket.AF_INET6); s.connect_ex(('::1', %d))\n"
        "u = socket.socket(socket.AF_UNIX)\n"
        "u.bind('\\0capsule-diff')\n"
        "v = socket.socket(socket.AF_UNIX)\n"
        "try:\n    v.connect('/nonexistent/sock')\n"
        "except OSError:\n    pass\n"
        "open('/etc/hostname').read()\n"
        "os.access('/etc/shadow', os.R_OK | os.W_OK)\n" % (p4, p6))
    check([py, "-S", "-c", code],
          must_have=[("connect", ("AF_INET", "127.0.0.1", p4)),
                     ("connect", ("AF_INET6", "::1", p6)),
                     ("bind", ("AF_UNIX", "abstract", "capsule-diff")),
                     ("connect", ("AF_UNIX", "path", "/nonexistent/sock"))])




if __name__ == "__main__":
    sys.exit(standalone(globals()))
