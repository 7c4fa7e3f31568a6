"""test_placement.py: where capsule puts the traced command (trace/placement.h).

By default capsule runs its tracer thread and the command on one CPU, hides
that from the command (sched_getaffinity answers with the mask the command
would have had), leaves a mask the program sets itself alone, and gives a
tree that wants more than one CPU its CPUs back. --pin never gives them
back; --no-pin never pins.  With a --trace filter the affinity calls stop
whatever the classes, so that they can be corrected.
"""
import os
import sys

import harness as h
from harness import Skip, prog, standalone


def own_cpus():
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        raise Skip("capsule's mask has one CPU: nothing to place")
    return cpus


def cpu_list(cpus):
    """The kernel's Cpus_allowed_list form of a sorted CPU list: 0-1,3."""
    out, i = [], 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        out.append(str(cpus[i]) if i == j else f"{cpus[i]}-{cpus[j]}")
        i = j + 1
    return ",".join(out)


def allowed_list(text):
    for line in text.splitlines():
        if line.startswith("Cpus_allowed_list:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no Cpus_allowed_list in {text!r}")


def getaffinity_records(r):
    return h.named(r.records, "sched_getaffinity")


def test_default_pins_and_hides_the_mask():
    cpus = own_cpus()
    # the kernel's view: one CPU; the program's view: all of capsule's
    r = h.run(["/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status; "
               "nproc"], text=True)
    assert r.code == 0, r.describe()
    lines = r.stdout.splitlines()
    assert len(allowed_list(r.stdout).split(",")) == 1 and \
        "-" not in allowed_list(r.stdout), r.stdout
    assert lines[-1] == str(len(cpus)), r.stdout
    calls = getaffinity_records(r)
    assert calls and all(c.get("affinity_hidden") is True for c in calls), \
        h.fmt(calls)
    assert "placement: tracer and CMD on CPU" in r.stderr, r.stderr


def test_python_sees_its_own_mask():
    cpus = own_cpus()
    r = h.run([h.python3(), "-c",
               "import os; print(sorted(os.sched_getaffinity(0)))"],
              text=True)
    assert r.code == 0, r.describe()
    assert r.stdout.strip() == str(cpus), (r.stdout, cpus)


def test_program_mask_is_its_own():
    cpus = own_cpus()
    last = cpus[-1]
    # taskset reads the mask (corrected), sets its own, and nproc then
    # sees the program's choice, uncorrected
    r = h.run(["taskset", "-c", str(last), "/bin/sh", "-c",
               "nproc; grep Cpus_allowed_list /proc/self/status"], text=True)
    assert r.code == 0, r.describe()
    assert r.stdout.splitlines()[0] == "1", r.stdout
    assert allowed_list(r.stdout) == str(last), r.stdout
    sets = h.named(r.records, "sched_setaffinity")
    assert sets and sets[0].get("ret") == 0, h.fmt(sets)
    after = [c for c in getaffinity_records(r)
             if c["seq"] > sets[0]["seq"]]
    assert after and not any(c.get("affinity_hidden") for c in after), \
        h.fmt(after)


def test_no_pin_leaves_the_scheduler_alone():
    cpus = own_cpus()
    r = h.run(["/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status; "
               "nproc"], opts=["--no-pin"], text=True)
    assert r.code == 0, r.describe()
    assert allowed_list(r.stdout) == cpu_list(cpus), r.stdout
    assert not any(c.get("affinity_hidden") for c in getaffinity_records(r))
    assert "placement:" not in r.stderr, r.stderr


def test_trace_filter_pins_and_hides_too():
    cpus = own_cpus()
    # with a class filter the affinity calls stop whatever the classes,
    # so the mask can be corrected there as well
    r = h.run(["/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status; "
               "nproc"], opts=["--trace", "file"], text=True)
    assert r.code == 0, r.describe()
    assert "-" not in allowed_list(r.stdout) and \
        "," not in allowed_list(r.stdout), r.stdout
    assert r.stdout.splitlines()[-1] == str(len(cpus)), r.stdout
    calls = getaffinity_records(r)
    assert calls and all(c.get("affinity_hidden") is True for c in calls), \
        h.fmt(calls)
    # --no-pin: no placement, and the affinity calls do not stop
    r = h.run(["/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status; "
               "nproc"], opts=["--trace", "file", "--no-pin"], text=True)
    assert r.code == 0, r.describe()
    assert allowed_list(r.stdout) == cpu_list(cpus), r.stdout
    assert not getaffinity_records(r), h.fmt(getaffinity_records(r))


def test_compute_bound_threads_get_their_cpus_back():
    cpus = own_cpus()
    # two threads computing, no syscalls, for 2 s: on one CPU one of them
    # always waits; capsule must notice (every 100 ms, twice in a row)
    r = h.run([prog("cpu_threads"), "2", "2"], text=True)
    assert r.code == 0, r.describe()
    assert f"allowed {cpu_list(cpus)}" in r.stdout, (r.stdout, r.stderr)
    assert f"count {len(cpus)}" in r.stdout, r.stdout
    assert "given its" in r.stderr and "CPUs back" in r.stderr, r.stderr


def test_pin_never_gives_back():
    cpus = own_cpus()
    r = h.run([prog("cpu_threads"), "2", "1"], opts=["--pin"], text=True)
    assert r.code == 0, r.describe()
    allowed = [ln for ln in r.stdout.splitlines() if ln.startswith("allowed")]
    assert allowed and allowed[0] != f"allowed {cpu_list(cpus)}", r.stdout
    # still hidden from the program
    assert f"count {len(cpus)}" in r.stdout, r.stdout
    assert "for the whole run" in r.stderr, r.stderr


if __name__ == "__main__":
    sys.exit(standalone(globals()))
