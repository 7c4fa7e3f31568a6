#!/usr/bin/env python3
"""bench/run.py: capsule against the ptrace floor and strace (issue 8).

    python3 bench/run.py [--runs N] [--quick] [--only W[,W...]] [--out FILE]

Builds the benchmarks (`make bench`) and the workloads in bench/workloads/,
then runs every workload under every contender, interleaved run by run
(round robin, the order rotated each run), and prints a Markdown report:

  - the main table: median wall time (min-max), ratio to untraced, to the
    floor and to strace, overhead per syscall in microseconds;
  - capsule's peak RSS per workload, and for 1,000 processes and for a long
    getppid loop;
  - the record latency (log record on disk minus the syscall's exit), p50
    and p99, on an idle program and under a syscall-heavy load;
  - where the tracer's time goes: perf stat of each tracer, and the
    syscalls capsule itself makes per traced syscall (strace -c -f -p);
  - the output of build/bench/bench_pipeline and bench_blake3 if built.

Contenders (a missing one is shown as n/a):
  untraced      the workload alone
  floor         build/bench/floor (bench/floor.c): stop at every syscall
                entry and exit, read PTRACE_GET_SYSCALL_INFO, record nothing
  floor-1cpu    the same under `taskset -c 0` (tracer and tracees share one
                CPU; informational, not a target)
  strace        strace -f -ttt -T -yy -o FILE
  strace-seccomp strace -f --seccomp-bpf
                -e trace=%file,%network,%process,%creds -o FILE
  capsule       capsule run -q -o FILE (default placement: tracer and
                command on one CPU until the tree wants more)
  capsule-class capsule run -q --trace file,network,process,creds -o FILE
                (n/a until `capsule run --help` lists --trace)
  capsule-security capsule run -q --trace security -o FILE (the preset
                that keeps every alert; issue 8's target: make at most
                0.8x strace-seccomp)
  capsule-pin   capsule run -q --pin -o FILE (one CPU for the whole run)
  capsule-nopin capsule run -q --no-pin -o FILE (placement left to the
                scheduler: capsule before the default placement)

The syscall count of a workload is the floor's own count of syscall-entry
stops (FLOOR_COUNT=1), median over runs.  Overhead per syscall is
(median traced - median untraced) / syscalls.  Python 3 standard library
only.  Timing thresholds belong in docs/performance.md, never in tests.
"""

import argparse
import calendar
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "bench")
WBUILD = os.path.join(BUILD, "workloads")
WSRC = os.path.join(ROOT, "bench", "workloads")

CONTENDERS = ["untraced", "floor", "floor-1cpu", "strace", "strace-seccomp",
              "capsule", "capsule-class", "capsule-security", "capsule-pin",
              "capsule-nopin"]
REFERENCE_STRACE = "strace"
RUN_TIMEOUT = 600


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kw)


# ---------------------------------------------------------------- build

def build(args):
    if not args.no_build:
        r = sh(["make", "-s", "-C", ROOT, "bench"])
        if r.returncode != 0:
            sys.exit("bench: make bench failed:\n" + r.stdout)
    os.makedirs(WBUILD, exist_ok=True)
    for name in sorted(os.listdir(WSRC)):
        if not name.endswith(".c"):
            continue
        src = os.path.join(WSRC, name)
        out = os.path.join(WBUILD, name[:-2])
        if (os.path.exists(out) and
                os.path.getmtime(out) >= os.path.getmtime(src)):
            continue
        r = sh(["cc", "-std=gnu11", "-D_GNU_SOURCE", "-Wall", "-Wextra",
                "-Werror", "-O2", "-pthread", "-o", out, src])
        if r.returncode != 0:
            sys.exit("bench: cannot build %s:\n%s" % (src, r.stdout))


# ---------------------------------------------------------------- workloads

MAKE_FILE = """\
SRCS := $(sort $(wildcard src/*.c))
OBJS := $(SRCS:.c=.o)
app: $(OBJS)
\t$(CC) -o $@ $^ -lm
src/%.o: src/%.c src/common.h
\t$(CC) -O2 -Wall -c -o $@ $<
clean:
\trm -f app $(OBJS)
.PHONY: clean
"""

C_UNIT = """\
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "common.h"

struct rec%(i)d { int id; double w; char name[32]; };

static int cmp%(i)d(const void *a, const void *b)
{
	const struct rec%(i)d *x = a, *y = b;
	return (x->w > y->w) - (x->w < y->w);
}

double unit%(i)d(int n)
{
	struct rec%(i)d r[64];
	double s = 0;
	int i, j;

	for (i = 0; i < 64; i++) {
		r[i].id = i * %(i)d;
		r[i].w = sin((double)i + %(i)d) * n;
		snprintf(r[i].name, sizeof(r[i].name), "r%%d_%%d", %(i)d, i);
	}
	qsort(r, 64, sizeof(r[0]), cmp%(i)d);
	for (i = 0; i < 64; i++)
		for (j = 0; j < (int)strlen(r[i].name); j++)
			s += r[i].name[j] * r[i].w;
	return s + common_scale(n);
}
"""


def gen_project(d, n):
    src = os.path.join(d, "src")
    os.makedirs(src)
    with open(os.path.join(d, "Makefile"), "w") as f:
        f.write(MAKE_FILE)
    with open(os.path.join(src, "common.h"), "w") as f:
        f.write("#include <stdlib.h>\n"
                "static inline double common_scale(int n) "
                "{ return n * 0.5; }\n")
        for i in range(n):
            f.write("double unit%d(int n);\n" % i)
    for i in range(n):
        with open(os.path.join(src, "u%03d.c" % i), "w") as f:
            f.write(C_UNIT % {"i": i})
    with open(os.path.join(src, "main.c"), "w") as f:
        f.write('#include <stdio.h>\n#include "common.h"\n'
                "int main(void)\n{\n\tdouble s = 0;\n")
        for i in range(n):
            f.write("\ts += unit%d(%d);\n" % (i, i))
        f.write('\tprintf("%g\\n", s);\n\treturn 0;\n}\n')


class Workload:
    def __init__(self, name, what, argv, prep=None):
        self.name, self.what, self.argv, self.prep = name, what, argv, prep


def workloads(tmp, scale):
    def n(x):
        return max(1, int(x * scale))

    lat = os.path.join(WBUILD, "latency")
    proj = os.path.join(tmp, "proj")
    gen_project(proj, n(16))
    iodir = os.path.join(tmp, "io")
    os.makedirs(iodir)
    find_dirs = [d for d in ("/usr/include", "/usr/lib/python3")
                 if os.path.isdir(d)] or ["/usr"]
    ws = [
        Workload("dd", "dd bs=64 count=%d from /dev/zero to /dev/null"
                 % n(5000),
                 ["dd", "if=/dev/zero", "of=/dev/null", "bs=64",
                  "count=%d" % n(5000), "status=none"]),
        Workload("find", "find %s -xdev" % " ".join(find_dirs),
                 ["find"] + find_dirs + ["-xdev"]),
        Workload("spawn", "sh: %d x /bin/true" % n(300),
                 ["/bin/sh", "-c",
                  'i=0; while [ $i -lt %d ]; do /bin/true; i=$((i+1)); done'
                  % n(300)]),
        Workload("python", "sh: %d x python3 -c 'import json, os'" % n(12),
                 ["/bin/sh", "-c",
                  'i=0; while [ $i -lt %d ]; do /usr/bin/python3 -c '
                  '"import json, os"; i=$((i+1)); done' % n(12)]),
        Workload("make", "make -j2 of %d generated C files" % n(16),
                 ["make", "-s", "-C", proj, "-j2"],
                 prep=lambda: sh(["make", "-s", "-C", proj, "clean"])),
        Workload("mt_io", "4 threads x %d rounds of 64+64 x 256 B write/read"
                 % n(20),
                 [os.path.join(WBUILD, "mt_io"), iodir, str(n(20)), "256"]),
    ]
    return ws, lat


# ---------------------------------------------------------------- contenders

def capsule_has_trace_option(capsule):
    r = sh([capsule, "run", "--help"])
    return "--trace" in r.stdout


def capsule_has_security_preset(capsule):
    with tempfile.TemporaryDirectory(prefix="capsule-bench-") as d:
        return sh([capsule, "run", "-q", "--trace", "security", "-o",
                   os.path.join(d, "log"), "true"]).returncode == 0


def contender_argv(name, argv, logf, cfg):
    floor = os.path.join(BUILD, "floor")
    if name == "untraced":
        return argv
    if name == "floor":
        return [floor] + argv
    if name == "floor-1cpu":
        return ["taskset", "-c", "0", floor] + argv
    if name == "strace":
        return ["strace", "-f", "-ttt", "-T", "-yy", "-o", logf] + argv
    if name == "strace-seccomp":
        return ["strace", "-f", "--seccomp-bpf", "-e",
                "trace=%file,%network,%process,%creds", "-o", logf] + argv
    if name == "capsule":
        return [cfg.capsule, "run", "-q", "-o", logf] + argv
    if name == "capsule-class":
        return [cfg.capsule, "run", "-q", "--trace",
                "file,network,process,creds", "-o", logf] + argv
    if name == "capsule-security":
        return [cfg.capsule, "run", "-q", "--trace", "security",
                "-o", logf] + argv
    if name == "capsule-pin":
        return [cfg.capsule, "run", "-q", "--pin", "-o", logf] + argv
    if name == "capsule-nopin":
        return [cfg.capsule, "run", "-q", "--no-pin", "-o", logf] + argv
    raise ValueError(name)


def available(cfg):
    ok = {"untraced": True,
          "floor": os.access(os.path.join(BUILD, "floor"), os.X_OK),
          "floor-1cpu": (os.access(os.path.join(BUILD, "floor"), os.X_OK)
                         and shutil.which("taskset") is not None),
          "strace": shutil.which("strace") is not None,
          "capsule": os.access(cfg.capsule, os.X_OK)}
    ok["strace-seccomp"] = ok["strace"] and sh(
        ["strace", "-f", "--seccomp-bpf", "-e", "trace=%process",
         "-o", "/dev/null", "true"]).returncode == 0
    ok["capsule-class"] = ok["capsule"] and capsule_has_trace_option(
        cfg.capsule)
    ok["capsule-security"] = ok["capsule-class"] and \
        capsule_has_security_preset(cfg.capsule)
    ok["capsule-pin"] = ok["capsule"] and "--pin" in sh(
        [cfg.capsule, "run", "--help"]).stdout
    ok["capsule-nopin"] = ok["capsule"] and "--no-pin" in sh(
        [cfg.capsule, "run", "--help"]).stdout
    return ok


# ---------------------------------------------------------------- one run

class HwmSampler(threading.Thread):
    """Samples VmHWM of one process (kB) every `period` seconds."""

    def __init__(self, pid, period=0.02):
        super().__init__(daemon=True)
        self.pid, self.period = pid, period
        self.hwm = 0
        self.samples = []       # (seconds since start, VmRSS kB)
        self.stop = threading.Event()

    def run(self):
        t0 = time.monotonic()
        path = "/proc/%d/status" % self.pid
        while not self.stop.is_set():
            try:
                with open(path) as f:
                    data = f.read()
            except OSError:
                return
            m = re.search(r"VmHWM:\s+(\d+)", data)
            if m is None:
                return      # a zombie has no memory left
            self.hwm = max(self.hwm, int(m.group(1)))
            m = re.search(r"VmRSS:\s+(\d+)", data)
            if m:
                self.samples.append((time.monotonic() - t0,
                                     int(m.group(1))))
            self.stop.wait(self.period)


def run_once(argv, env, sample_rss=False, stdout=subprocess.DEVNULL):
    """Runs argv; returns dict(wall, status, stderr, maxrss, hwm, cpu)."""
    errf = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout,
                         stderr=errf, env=env, start_new_session=True)
    sampler = None
    if sample_rss:
        sampler = HwmSampler(p.pid)
        sampler.start()
    deadline = time.monotonic() + RUN_TIMEOUT
    timer = threading.Timer(RUN_TIMEOUT, lambda: os.killpg(p.pid,
                                                            signal.SIGKILL))
    timer.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.stop.set()
        sampler.join()
    errf.seek(0)
    err = errf.read().decode(errors="replace")
    errf.close()
    return {"wall": wall, "status": p.returncode, "stderr": err,
            "maxrss": ru.ru_maxrss, "cpu": ru.ru_utime + ru.ru_stime,
            "hwm": sampler.hwm if sampler else 0,
            "rss_samples": sampler.samples if sampler else [],
            "timeout": time.monotonic() > deadline}


def count_lines(path):
    n = 0
    try:
        with open(path, "rb") as f:
            while True:
                b = f.read(1 << 20)
                if not b:
                    break
                n += b.count(b"\n")
    except OSError:
        return None
    return n


# ---------------------------------------------------------------- main table

def fmt_t(x):
    return "%.3f" % x if x < 10 else "%.2f" % x


def bench_table(cfg, ws, ok, env, tmp):
    res = {(w.name, c): [] for w in ws for c in CONTENDERS}
    extra = {(w.name, c): [] for w in ws for c in CONTENDERS}
    counts = {w.name: [] for w in ws}
    failures = []
    order = [c for c in CONTENDERS if ok[c]]
    for w in ws:
        for r in range(cfg.runs):
            rot = order[r % len(order):] + order[:r % len(order)]
            for c in rot:
                if w.prep:
                    w.prep()
                logf = os.path.join(tmp, "log.%s" % c)
                if os.path.exists(logf):
                    os.unlink(logf)
                e = dict(env)
                if c.startswith("floor"):
                    e["FLOOR_COUNT"] = "1"
                out = run_once(contender_argv(c, w.argv, logf, cfg), e,
                               sample_rss=c.startswith("capsule"))
                if out["status"] != 0:
                    failures.append("%s / %s run %d: exit %d %s" % (
                        w.name, c, r + 1, out["status"],
                        out["stderr"].strip()[-300:]))
                res[(w.name, c)].append(out["wall"])
                rec = {"cpu": out["cpu"], "maxrss": out["maxrss"],
                       "hwm": out["hwm"]}
                if c.startswith("capsule"):
                    rec["records"] = count_lines(logf)
                extra[(w.name, c)].append(rec)
                m = re.search(r"floor: (\d+) syscalls", out["stderr"])
                if m and c == "floor":
                    counts[w.name].append(int(m.group(1)))
                if os.path.exists(logf):
                    os.unlink(logf)
            log("%s run %d/%d: %s" % (w.name, r + 1, cfg.runs, "  ".join(
                "%s %.2fs" % (c, res[(w.name, c)][-1]) for c in order)))
    return res, extra, counts, failures


def render_table(ws, ok, res, extra, counts):
    out = []
    out.append("| workload | contender | median s (min-max) | x untraced "
               "| x floor | x strace | overhead µs/syscall |")
    out.append("|---|---|---|---|---|---|---|")
    for w in ws:
        med = {c: statistics.median(res[(w.name, c)])
               for c in CONTENDERS if res[(w.name, c)]}
        nsys = statistics.median(counts[w.name]) if counts[w.name] else None
        for c in CONTENDERS:
            if not ok[c]:
                out.append("| %s | %s | n/a | | | | |" % (w.name, c))
                continue
            v = res[(w.name, c)]
            m = med[c]

            def ratio(ref):
                return ("%.2f" % (m / med[ref])
                        if ref in med and med[ref] > 0 else "")
            ovh = ""
            if c != "untraced" and nsys:
                ovh = "%.1f" % ((m - med["untraced"]) / nsys * 1e6)
            out.append("| %s | %s | %s (%s-%s) | %s | %s | %s | %s |" % (
                w.name, c, fmt_t(m), fmt_t(min(v)), fmt_t(max(v)),
                ratio("untraced"), ratio("floor"), ratio(REFERENCE_STRACE),
                ovh))
    out.append("")
    out.append("Syscalls per workload (floor's count of syscall-entry "
               "stops, median) and capsule's records per run (medians; "
               "with a class filter, the calls that stopped):")
    out.append("")
    out.append("| workload | what | syscalls | capsule records "
               "| capsule-class records | capsule-security records "
               "| capsule peak RSS (VmHWM) MiB |")
    out.append("|---|---|---|---|---|---|---|")

    def records(w, c):
        recs = [x.get("records") for x in extra[(w.name, c)]
                if x.get("records") is not None]
        return "%d" % statistics.median(recs) if recs else "n/a"
    for w in ws:
        nsys = statistics.median(counts[w.name]) if counts[w.name] else 0
        hwm = [x["hwm"] for x in extra[(w.name, "capsule")] if x["hwm"]]
        out.append("| %s | %s | %d | %s | %s | %s | %s |" % (
            w.name, w.what, nsys, records(w, "capsule"),
            records(w, "capsule-class"), records(w, "capsule-security"),
            "%.1f" % (max(hwm) / 1024) if hwm else "n/a"))
    out.append("")
    out.append("Every run, in seconds (the distribution on this VM is often "
               "bimodal, see docs/performance.md):")
    out.append("")
    out.append("| workload | " + " | ".join(
        c for c in CONTENDERS if ok[c]) + " |")
    out.append("|---|" + "---|" * len([c for c in CONTENDERS if ok[c]]))
    for w in ws:
        out.append("| %s | " % w.name + " | ".join(
            " ".join("%.3f" % x for x in res[(w.name, c)])
            for c in CONTENDERS if ok[c]) + " |")
    return "\n".join(out)


def targets(ws, ok, res):
    """The issue's targets, measured: capsule/floor <= 1.15, capsule/strace
    <= 0.8."""
    out = ["| workload | capsule / floor (target ≤ 1.15) "
           "| capsule / strace (target ≤ 0.80) |", "|---|---|---|"]
    if not ok["capsule"]:
        return "capsule not available"
    for w in ws:
        med = {c: statistics.median(res[(w.name, c)])
               for c in CONTENDERS if res[(w.name, c)]}
        cells = []
        for ref, lim in (("floor", 1.15), ("strace", 0.8)):
            if ref not in med:
                cells.append("n/a")
                continue
            r = med["capsule"] / med[ref]
            cells.append("%.3f %s" % (
                r, "met" if r <= lim else "**missed**"))
        out.append("| %s | %s | %s |" % (w.name, cells[0], cells[1]))
    out += preset_targets(ws, ok, res)
    return "\n".join(out)


# The --trace security preset against strace with the same kind of
# filter (issue 8): (workload, contender, reference, limit).
PRESET_TARGETS = [("make", "capsule-security", "strace-seccomp", 0.8)]


def preset_targets(ws, ok, res):
    out = []
    names = {w.name for w in ws}
    for wname, c, ref, lim in PRESET_TARGETS:
        if wname not in names:
            continue
        label = "%s: %s / %s (target ≤ %.2f)" % (wname, c, ref, lim)
        if not (ok[c] and ok[ref] and res[(wname, c)] and res[(wname, ref)]):
            out.append("| %s | n/a | |" % label)
            continue
        r = (statistics.median(res[(wname, c)]) /
             statistics.median(res[(wname, ref)]))
        out.append("| %s | %.3f %s | |" % (
            label, r, "met" if r <= lim else "**missed**"))
    return out


# ---------------------------------------------------------------- latency

def parse_ts(ts):
    """'2026-11-28T12:07:18.634578171Z' -> float seconds since the epoch."""
    base, _, frac = ts.rstrip("Z").partition(".")
    sec = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    return sec + (int(frac) / 10 ** len(frac) if frac else 0.0)


def follow_log(p, logf, poll=0.0002):
    """Polls logf until p exits; returns [(appear_time, record)] for every
    getppid record."""
    seen = []
    f = None
    pending = b""
    while True:
        alive = p.poll() is None
        if f is None:
            try:
                f = open(logf, "rb")
            except OSError:
                if not alive:
                    break
                time.sleep(poll)
                continue
        data = f.read()
        now = time.time()
        if data:
            pending += data
            lines = pending.split(b"\n")
            pending = lines.pop()
            for ln in lines:
                if b'"getppid"' in ln:
                    try:
                        seen.append((now, json.loads(ln)))
                    except ValueError:
                        pass
        elif not alive:
            break
        else:
            time.sleep(poll)
    if f:
        f.close()
    return seen


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def latency(cfg, lat, env, tmp, n, load):
    logf = os.path.join(tmp, "latency.log")
    if os.path.exists(logf):
        os.unlink(logf)
    if load:
        cmd = ["/bin/sh", "-c",
               "dd if=/dev/zero of=/dev/null bs=64 count=1000000000 "
               "status=none & p=$!; %s %d 200; kill $p; wait; exit 0"
               % (lat, n)]
    else:
        cmd = [lat, str(n), "200"]
    outf = tempfile.TemporaryFile()
    p = subprocess.Popen([cfg.capsule, "run", "-q", "-o", logf] + cmd,
                         stdin=subprocess.DEVNULL, stdout=outf,
                         stderr=subprocess.DEVNULL, env=env)
    seen = follow_log(p, logf)
    p.wait()
    outf.seek(0)
    stamps = outf.read().decode().split()
    outf.close()
    # the probe's own "i sec.nsec" lines: after[i] = time getppid returned
    after = [float(stamps[i + 1]) for i in range(0, len(stamps) - 1, 2)]
    # keep only the probe's records: a shell calls getppid at start-up
    recs = [(t, r) for t, r in seen
            if r.get("dur_ns") is not None and "ts" in r]
    recs = recs[-n:]
    lat_ms = [(t - (parse_ts(r["ts"]) + r["dur_ns"] / 1e9)) * 1e3
              for t, r in recs]
    # sanity: record's ts+dur against the probe's own clock reading
    skew = []
    if len(after) == len(recs):
        skew = [(a - (parse_ts(r["ts"]) + r["dur_ns"] / 1e9)) * 1e3
                for a, (_, r) in zip(after, recs)]
    return {"n": len(lat_ms), "p50": pct(lat_ms, 0.5),
            "p99": pct(lat_ms, 0.99), "max": max(lat_ms) if lat_ms else 0,
            "skew": statistics.median(skew) if skew else float("nan"),
            "status": p.returncode}


# ---------------------------------------------------------------- memory

def memory(cfg, lat, env, nproc, nsys):
    rows = []
    tests = [
        ("%d processes (sh loop of /bin/true)" % nproc,
         ["/bin/sh", "-c",
          'i=0; while [ $i -lt %d ]; do /bin/true; i=$((i+1)); done'
          % nproc]),
        ("%d getppid syscalls (one process)" % nsys,
         [lat, "loop", str(nsys)]),
    ]
    with tempfile.TemporaryDirectory(prefix="capsule-bench-mem-") as d:
        logf = os.path.join(d, "log")
        for what, argv in tests:
            full = [cfg.capsule, "run", "-q", "-o", logf] + argv
            out = run_once(full, env, sample_rss=True)
            s = out["rss_samples"]
            trend = ""
            if len(s) >= 4:
                q = [s[len(s) // 4], s[len(s) // 2], s[-1]]
                trend = ", ".join("%.1f s: %.1f" % (t, kb / 1024)
                                  for t, kb in q)
            rows.append("| %s | %.1f | %s | %.1f |" % (
                what, out["hwm"] / 1024, trend, out["wall"]))
            os.unlink(logf) if os.path.exists(logf) else None
    # VmHWM of capsule's own /proc entry, sampled every 20 ms.  wait4's
    # ru_maxrss is no use here: it counts the harness's forked image before
    # exec and the root tracee capsule reaps.
    hdr = ["| run | capsule VmHWM MiB (sampled) "
           "| VmRSS MiB at 1/4, 1/2, end of run | wall s |",
           "|---|---|---|---|"]
    return "\n".join(hdr + rows)


# ---------------------------------------------------------------- placement

def placement_table(cfg, env, runs, scale):
    """capsule's default placement (one CPU, released when the tree wants
    more) against --no-pin and --pin, on work that wants two CPUs and on
    work that does not (docs/performance.md, "Placement")."""
    par = os.path.join(WBUILD, "par_cpu")
    it = str(max(1, int(400000000 * scale)))
    progs = [
        ("2 threads computing, no syscalls", [par, "2", it, "0"]),
        ("2 threads computing, getppid every 100,000 iterations",
         [par, "2", it, "100000"]),
        ("sh: %d x /bin/true" % max(1, int(300 * scale)),
         ["/bin/sh", "-c", 'i=0; while [ $i -lt %d ]; do /bin/true; '
          'i=$((i+1)); done' % max(1, int(300 * scale))]),
    ]
    modes = [("untraced", None), ("capsule (default)", []),
             ("capsule --no-pin", ["--no-pin"]), ("capsule --pin", ["--pin"])]
    rows = ["| program | " + " | ".join(m for m, _ in modes) +
            " | default's decision |",
            "|---|" + "---|" * (len(modes) + 1)]
    with tempfile.TemporaryDirectory(prefix="capsule-bench-place-") as d:
        logf = os.path.join(d, "log")
        for what, argv in progs:
            times = {m: [] for m, _ in modes}
            decision = ""
            for r in range(runs):
                for k in range(len(modes)):
                    m, opts = modes[(k + r) % len(modes)]
                    full = argv if opts is None else (
                        [cfg.capsule, "run"] + opts + ["-o", logf, "--"] +
                        argv)
                    out = run_once(full, env)
                    if out["status"] == 0:
                        times[m].append(out["wall"])
                    if m == "capsule (default)":
                        for ln in out["stderr"].splitlines():
                            if "placement:" in ln:
                                decision = ln.split("placement:", 1)[1]
                    if os.path.exists(logf):
                        os.unlink(logf)
            cells = []
            for m, _ in modes:
                t = times[m]
                cells.append("%.3f (%.3f-%.3f)" % (statistics.median(t),
                                                   min(t), max(t))
                             if t else "failed")
            rows.append("| %s | %s | %s |" % (what, " | ".join(cells),
                                              decision.strip()))
    return "\n".join(rows)


# ---------------------------------------------------------------- profile

def perf_stat(cfg, lat, env, n):
    if shutil.which("perf") is None or sh(
            ["perf", "stat", "-e", "task-clock", "true"]).returncode != 0:
        return "perf is not usable here."
    floor = os.path.join(BUILD, "floor")
    rows = ["| tracer | wall s | task-clock ms | CPUs used | context "
            "switches | per syscall | cpu-migrations | µs/syscall |",
            "|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="capsule-bench-perf-") as d:
        logf = os.path.join(d, "log")
        for name, pre in (("untraced", []), ("floor", [floor]),
                          ("floor-1cpu", ["taskset", "-c", "0", floor]),
                          ("strace", ["strace", "-f", "-ttt", "-T", "-yy",
                                      "-o", logf]),
                          ("capsule", [cfg.capsule, "run", "-q", "-o",
                                       logf])):
            csv = os.path.join(d, "perf.csv")
            t0 = time.perf_counter()
            r = sh(["perf", "stat", "-x", ",", "-o", csv, "-e",
                    "task-clock,context-switches,cpu-migrations", "--"]
                   + pre + [lat, "loop", str(n)], env=env)
            wall = time.perf_counter() - t0
            if r.returncode != 0:
                rows.append("| %s | failed: %s |" % (name, r.stdout[-200:]))
                continue
            v = {}
            with open(csv) as f:
                for ln in f:
                    parts = ln.strip().split(",")
                    if len(parts) > 3 and parts[0] and parts[0][0].isdigit():
                        v[parts[2]] = float(parts[0])
            tc = v.get("task-clock", 0)
            cs = v.get("context-switches", 0)
            rows.append("| %s | %.2f | %.0f | %.2f | %d | %.2f | %d | %.1f |"
                        % (name, wall, tc, tc / 1e3 / wall if wall else 0,
                           cs, cs / n, v.get("cpu-migrations", 0),
                           wall / n * 1e6))
    return "\n".join(rows)


def tracer_syscalls(cfg, lat, env, n):
    """strace -c -f -p on capsule (and on the floor) while it traces n
    getppid calls: the tracer's own syscalls per traced syscall."""
    if shutil.which("strace") is None:
        return "strace not available."
    out = []
    floor = os.path.join(BUILD, "floor")
    with tempfile.TemporaryDirectory(prefix="capsule-bench-st-") as d:
        logf = os.path.join(d, "log")
        for name, pre in (("capsule", [cfg.capsule, "run", "-q", "-o",
                                       logf]),
                          ("floor", [floor])):
            cfile = os.path.join(d, "c.txt")
            # the probe waits 1 s so that strace is attached before it runs
            p = subprocess.Popen(pre + ["/bin/sh", "-c",
                                        "sleep 1; exec %s loop %d"
                                        % (lat, n)],
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=env)
            time.sleep(0.2)
            st = subprocess.Popen(["strace", "-f", "-c", "-o", cfile,
                                   "-p", str(p.pid)],
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
            p.wait()
            st.wait()
            rows = []
            with open(cfile) as f:
                for ln in f:
                    parts = ln.split()
                    if (len(parts) >= 5 and parts[-1].isidentifier()
                            and parts[-1] != "total"
                            and parts[0][0].isdigit()):
                        calls = int(parts[3])
                        errs = (int(parts[4]) if len(parts) == 6 else 0)
                        rows.append((parts[-1], calls, errs))
            rows.sort(key=lambda x: -x[1])
            out.append("%s, tracing %d getppid calls (plus ~%d of sh and "
                       "sleep start-up):" % (name, n, 200))
            out.append("")
            out.append("| syscall | calls | errors | per traced getppid |")
            out.append("|---|---|---|---|")
            tot = 0
            for s, calls, errs in rows:
                tot += calls
                out.append("| %s | %d | %d | %.2f |" % (s, calls, errs,
                                                        calls / n))
            out.append("| total | %d | | %.2f |" % (tot, tot / n))
            out.append("")
    return "\n".join(out)


def hooks():
    out = []
    for name, args in (("bench_pipeline", []), ("bench_blake3", [])):
        path = os.path.join(BUILD, name)
        if not os.access(path, os.X_OK):
            out.append("`build/bench/%s`: not built." % name)
            continue
        try:
            r = subprocess.run([path] + args, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               timeout=300)
            text = r.stdout.rstrip()
        except subprocess.TimeoutExpired:
            text = "(timed out after 300 s)"
        out.append("`build/bench/%s`:\n\n```\n%s\n```" % (name, text))
    return "\n\n".join(out)


# ---------------------------------------------------------------- machine

def cpu_busy(seconds=1.0):
    """Fraction of all CPUs busy (and stolen by the host) over `seconds`,
    from /proc/stat: another job on the machine shows up here."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]
        steal = v[7] if len(v) > 7 else 0
        return sum(v[:8]), idle, steal
    a = snap()
    time.sleep(seconds)
    b = snap()
    tot = max(1, b[0] - a[0])
    return 1 - (b[1] - a[1]) / tot, (b[2] - a[2]) / tot


def busy_cpu_seconds():
    """CPU-seconds all CPUs spent busy since boot (from /proc/stat)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(v[:8]) - v[3] - v[4]) / hz


def own_cpu_seconds():
    """CPU-seconds used by this process and its reaped descendants."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def machine(capsule):
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            model = m.group(1) if m else ""
    except OSError:
        pass
    rev = sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout
    dirty = sh(["git", "-C", ROOT, "status", "--porcelain", "src"]).stdout
    strace_v = sh(["strace", "-V"]).stdout.splitlines()[:1] \
        if shutil.which("strace") else ["none"]
    lines = ["- CPUs: %d (`nproc`), %s" % (os.cpu_count(), model),
             "- kernel: %s (`uname -r`)" % platform.release(),
             "- load average at start: %s; CPU busy over 1 s before the "
             "run: %.0f%% (steal %.0f%%)" % (" ".join(
                 "%.2f" % x for x in os.getloadavg()), *[
                 100 * x for x in cpu_busy()]),
             "- capsule binary: `%s` (%s); repository HEAD %s%s" % (
                 os.path.relpath(capsule, ROOT) if capsule.startswith(ROOT)
                 else capsule,
                 sh([capsule, "--version"]).stdout.strip() or "no --version",
                 rev.strip(), ", with uncommitted changes in src/"
                 if dirty.strip() else ""),
             "- %s; python %s" % (strace_v[0] if strace_v else "strace ?",
                                  platform.python_version())]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=None,
                    help="runs per workload and contender (default 5, "
                    "--quick 1)")
    ap.add_argument("--quick", action="store_true",
                    help="1 run, workloads at 1/4 size, short extras")
    ap.add_argument("--only", default="",
                    help="comma-separated workloads (dd,find,spawn,python,"
                    "make,mt_io); extras are skipped")
    ap.add_argument("--scale", type=float, default=None,
                    help="workload size factor (default 1, --quick 0.25)")
    ap.add_argument("--capsule", default=os.path.join(ROOT, "capsule"),
                    help="capsule binary (default ./capsule)")
    ap.add_argument("--no-build", action="store_true",
                    help="do not run make bench first")
    ap.add_argument("--no-extras", action="store_true",
                    help="main table only")
    ap.add_argument("--out", help="also write the report to this file")
    cfg = ap.parse_args()
    if cfg.runs is None:
        cfg.runs = 1 if cfg.quick else 5
    if cfg.scale is None:
        cfg.scale = 0.25 if cfg.quick else 1.0
    cfg.capsule = os.path.abspath(cfg.capsule)

    build(cfg)
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env.pop("FLOOR_COUNT", None)
    started = time.time()
    busy0, own0 = busy_cpu_seconds(), own_cpu_seconds()
    report = ["## Machine", "", machine(cfg.capsule), "",
              "Command: `python3 bench/run.py %s`" % " ".join(sys.argv[1:]),
              ""]
    with tempfile.TemporaryDirectory(prefix="capsule-bench-") as tmp:
        ws, lat = workloads(tmp, cfg.scale)
        if cfg.only:
            want = cfg.only.split(",")
            ws = [w for w in ws if w.name in want]
        ok = available(cfg)
        for c in CONTENDERS:
            if not ok[c]:
                log("contender %s: n/a" % c)
        # warm the caches once, untimed
        for w in ws:
            if w.prep:
                w.prep()
            run_once(w.argv, env)
        res, extra, counts, failures = bench_table(cfg, ws, ok, env, tmp)
        report += ["## Wall time (%d runs each, interleaved)" % cfg.runs, "",
                   render_table(ws, ok, res, extra, counts), "",
                   "## Targets (issue 8)", "", targets(ws, ok, res), ""]
        if failures:
            report += ["## Failed runs", ""] + ["- " + f for f in failures]
            report.append("")
        if not cfg.only and not cfg.no_extras and ok["capsule"]:
            n = 10 if cfg.quick else 50
            log("latency (idle, then under load), %d probes each" % n)
            li = latency(cfg, lat, env, tmp, n, load=False)
            ll = latency(cfg, lat, env, tmp, n, load=True)
            report += ["## Record latency", "",
                       "Time the getppid record appeared in the log (polled "
                       "every 0.2 ms) minus the call's exit (`ts` + "
                       "`dur_ns`); %d probes 200 ms apart. Target: p99 ≤ "
                       "5 ms idle, ≤ 50 ms under load." % n, "",
                       "| condition | records | p50 ms | p99 ms | max ms "
                       "| probe clock − (ts+dur), median ms |",
                       "|---|---|---|---|---|---|"]
            for name, x in (("idle", li), ("under load (dd in the same "
                                          "traced tree)", ll)):
                report.append("| %s | %d | %.2f | %.2f | %.2f | %.3f |" % (
                    name, x["n"], x["p50"], x["p99"], x["max"], x["skew"]))
            report.append("")
            log("memory")
            report += ["## capsule memory", "",
                       memory(cfg, lat, env, 100 if cfg.quick else 1000,
                              100000 if cfg.quick else 10000000), ""]
            log("placement")
            report += ["## Placement", "",
                       "Median wall s (min-max), %d runs interleaved; "
                       "default = one CPU until the tree wants more "
                       "(docs/performance.md, \"Placement\"):" %
                       (1 if cfg.quick else 3), "",
                       placement_table(cfg, env, 1 if cfg.quick else 3,
                                       cfg.scale), ""]
            log("perf stat")
            pn = 5000 if cfg.quick else 20000
            report += ["## Where the time goes", "",
                       "`perf stat -e task-clock,context-switches,"
                       "cpu-migrations` of the whole tree (tracer + "
                       "tracee), `latency loop %d` (%d getppid calls):"
                       % (pn, pn), "", perf_stat(cfg, lat, env, pn), ""]
            log("strace -c of the tracers")
            report += ["Syscalls made by the tracer itself "
                       "(`strace -f -c -p`):", "",
                       tracer_syscalls(cfg, lat, env, pn), ""]
            log("micro-benchmarks")
            report += ["## Micro-benchmarks", "", hooks(), ""]
    elapsed = time.time() - started
    foreign = max(0.0, (busy_cpu_seconds() - busy0) -
                  (own_cpu_seconds() - own0))
    busy, steal = cpu_busy()
    report.append("Total benchmark time: %.0f s. CPU time used by other "
                  "processes during the run (kernel threads included): "
                  "%.1f CPU-s, %.0f%% of one CPU on average. CPU busy over "
                  "1 s after the run: %.0f%% (steal %.0f%%); load average "
                  "%s." % (elapsed, foreign, 100 * foreign / elapsed,
                           100 * busy, 100 * steal,
                           " ".join("%.2f" % x for x in os.getloadavg())))
    text = "\n".join(report) + "\n"
    sys.stdout.write(text)
    if cfg.out:
        with open(cfg.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
