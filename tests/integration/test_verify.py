"""test_verify.py: `capsule verify` against every kind of tampering of
issue 4, with and without the sealing key, plus SIGKILL under load.

Each test makes a real log with `capsule run`, edits it the way an
attacker (or a crash) would, and asserts verify's verdict and exit code:
0 intact and sealed, 1 tampered, 2 incomplete or torn, 3 usage, I/O or
wrong key.  Edits that must recompute hashes use the b3sum tool (BLAKE3),
never capsule's own code.

Run by tests/run.py (each test_* function, no arguments), or alone:
    python3 tests/integration/test_verify.py
The binary is $CAPSULE (default ./capsule); run from the repository root.
"""
import atexit
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from harness import Skip, standalone

CAPSULE = os.environ.get("CAPSULE", "./capsule")
CTX_MAC = "capsule 2026-11-28 seal mac key v1"
CTX_RATCHET = "capsule 2026-11-28 seal key ratchet v1"
TAIL = 75  # len(',"hash":"') + 64 + len('"}')
MAC_TAIL = 73  # len(',"mac":"') + 64 + len('"')
PREV_TAIL = 74  # len(',"prev":"') + 64 + len('"'), just before the hash

# A program with a few hundred syscalls and several seals at --seal-every 16.
WORKLOAD = ["sh", "-c", "for i in 1 2 3 4 5; do ls / >/dev/null; done"]

_tmp = None
_cache = {}


def tmpdir():
    global _tmp
    if _tmp is None:
        _tmp = tempfile.mkdtemp(prefix="capsule-verify-")
        atexit.register(shutil.rmtree, _tmp, True)
    return _tmp


def need_b3sum():
    if shutil.which("b3sum") is None:
        raise Skip("b3sum not installed")


def b3(data, key=None, derive=None):
    """BLAKE3 of data (hex) through b3sum: plain, keyed or derive-key."""
    if derive is not None:
        args, stdin = ["b3sum", "--no-names", "--derive-key", derive], data
    elif key is not None:
        path = os.path.join(tmpdir(), "b3in")
        with open(path, "wb") as f:
            f.write(data)
        args, stdin = ["b3sum", "--no-names", "--keyed", path], key
    else:
        args, stdin = ["b3sum", "--no-names"], data
    out = subprocess.run(args, input=stdin, capture_output=True, check=True)
    return out.stdout.decode().split()[0]


def keygen(name):
    d = os.path.join(tmpdir(), "keys")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name)
    if not os.path.exists(path):
        r = subprocess.run([CAPSULE, "keygen", "-o", path],
                           capture_output=True)
        assert r.returncode == 0, r.stderr
    return path


def key_bytes(path):
    with open(path) as f:
        magic, hexkey = f.read().split()
    assert magic == "capsule-seal-key-v1"
    return bytes.fromhex(hexkey)


def run_log(name, keyed, every=16, cmd=WORKLOAD, extra=()):
    """Runs capsule on cmd; returns (log path, final head)."""
    d = os.path.join(tmpdir(), "logs")
    os.makedirs(d, exist_ok=True)
    log = os.path.join(d, name + ".log")
    # the actions and alerts streams share the file: one file, whole run
    args = [CAPSULE, "run", "-o", log, "--actions-output", log,
            "--alerts-output", log, "--seal-every", str(every)]
    if keyed:
        args += ["--seal-key", keygen("k1")]
    r = subprocess.run(args + list(extra) + ["--"] + list(cmd),
                       capture_output=True, timeout=60)
    if r.returncode in (124,):
        raise Skip("ptrace not permitted here")
    assert r.returncode == 0, r.stderr
    m = re.search(rb"final head ([0-9a-f]{64})", r.stderr)
    assert m, r.stderr
    return log, m.group(1).decode()


def base_log(keyed):
    """A pristine log per mode, made once; tests edit copies."""
    if keyed not in _cache:
        _cache[keyed] = run_log("base-%s" % ("keyed" if keyed else "plain"),
                                keyed)
    return _cache[keyed]


def lines_of(path):
    with open(path, "rb") as f:
        return f.read().split(b"\n")[:-1]


def write_copy(lines, name, raw_tail=b""):
    path = os.path.join(tmpdir(), name)
    with open(path, "wb") as f:
        f.write(b"".join(l + b"\n" for l in lines) + raw_tail)
    return path


def verify(path, key=None, expect=None, extra=()):
    args = [CAPSULE, "verify"]
    if key:
        args += ["--key", key]
    if expect:
        args += ["--expect", expect]
    r = subprocess.run(args + list(extra) + [path], capture_output=True,
                       timeout=120)
    return r.returncode, r.stdout.decode() + r.stderr.decode()


def expect_verdict(path, code, keyed, word=None, head=None,
                   code_expect=None):
    """Asserts the exit code without key, with key (keyed logs) and with
    --expect (when a head is given; code_expect if it differs: a log cut
    short is incomplete, unless the expected head says the run finished)."""
    modes = [(None, None)]
    if keyed:
        modes.append((keygen("k1"), None))
    if head:
        modes.append((None, head))
    for key, exp in modes:
        rc, out = verify(path, key, exp)
        want = code_expect if exp and code_expect is not None else code
        assert rc == want, "key=%s expect=%s: rc %d, want %d: %s" % (
            key, exp, rc, want, out)
        if word:
            assert word in out, out
    return out


def is_kind(line, kind):
    return line.startswith(b'{"type":"%s"' % kind.encode())


def in_syscall_stream(line):
    """A record of the syscall stream: "syscall" or "process" (enrich)."""
    return is_kind(line, "syscall") or is_kind(line, "process")


def record_indexes(lines):
    return [i for i, l in enumerate(lines) if in_syscall_stream(l)]


def tamper_each_mode(edit, code, word=None, code_expect=None):
    """Applies edit(lines) to a copy of the plain and the keyed log."""
    for keyed in (False, True):
        log, head = base_log(keyed)
        lines = edit(lines_of(log))
        path = write_copy(lines, "edited.log") if isinstance(lines, list) \
            else lines
        expect_verdict(path, code, keyed, word, head, code_expect)


# ---------------------------------------------------------------------------
# Intact logs


def test_intact_unkeyed_is_consistent_not_authenticated():
    log, head = base_log(False)
    rc, out = verify(log)
    assert rc == 0 and "consistent, not authenticated" in out, out
    rc, out = verify(log, expect=head)
    assert rc == 0 and "authenticated" in out, out
    assert "not authenticated" not in out, out


def test_intact_keyed():
    log, head = base_log(True)
    rc, out = verify(log, key=keygen("k1"))
    assert rc == 0 and "verified with the key" in out, out
    assert "not authenticated" not in out
    rc, out = verify(log)
    assert rc == 0 and "consistent, not authenticated" in out, out
    seals = [l for l in lines_of(log) if is_kind(l, "seal")]
    assert len(seals) >= 3, "expected several seals"


def test_streams_in_files_of_their_own_verify_together():
    # by default actions and alerts go to files of their own: the syscall
    # log alone does not match its seals, and verify says what is missing
    d = tmpdir()
    sysl, act, alr = (os.path.join(d, "split." + x)
                      for x in ("log", "actions", "alerts"))
    r = subprocess.run([CAPSULE, "run", "-q", "-o", sysl, "--actions-output",
                        act, "--alerts-output", alr, "--"] + WORKLOAD,
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    rc, out = verify(sysl)
    assert rc == 1 and "counts records of stream actions" in out and \
        "left out?" in out, out
    rc, out = verify(sysl, extra=[act, alr])
    assert rc == 0, out


def test_wrong_key_is_reported_as_such():
    log, _ = base_log(True)
    rc, out = verify(log, key=keygen("k2"))
    assert rc == 3 and "wrong key" in out, out


def test_usage_and_io_errors():
    rc, _ = verify("/nonexistent/capsule.log")
    assert rc == 3
    r = subprocess.run([CAPSULE, "verify"], capture_output=True)
    assert r.returncode == 3
    log, _ = base_log(False)
    rc, _ = verify(log, expect="xyz")
    assert rc == 3


# ---------------------------------------------------------------------------
# Tampering, one kind per test


def flip(line, pos):
    b = bytearray(line)
    c = b[pos]
    b[pos] = ord("1") if c != ord("1") else ord("2")
    return bytes(b)


def test_flip_payload_byte():
    def edit(lines):
        i = record_indexes(lines)[10]
        pos = lines[i].index(b'"pid":') + 6
        lines[i] = flip(lines[i], pos)
        return lines
    tamper_each_mode(edit, 1, "hash does not match")


def test_flip_hash_byte():
    def edit(lines):
        i = record_indexes(lines)[10]
        lines[i] = flip(lines[i], len(lines[i]) - 10)
        return lines
    tamper_each_mode(edit, 1, "tampered")


def test_flip_prev_byte():
    def edit(lines):
        i = record_indexes(lines)[10]
        lines[i] = flip(lines[i], lines[i].index(b'"prev":"') + 20)
        return lines
    tamper_each_mode(edit, 1, "tampered")


def test_delete_first_record():
    def edit(lines):
        del lines[record_indexes(lines)[0]]
        return lines
    tamper_each_mode(edit, 1, "seq 1 where 0 was due")


def test_delete_middle_record():
    def edit(lines):
        del lines[record_indexes(lines)[20]]
        return lines
    tamper_each_mode(edit, 1, "tampered")


def test_delete_last_record():
    def edit(lines):
        del lines[record_indexes(lines)[-1]]
        return lines
    tamper_each_mode(edit, 1, "seal")


def test_delete_genesis():
    def edit(lines):
        del lines[0]
        return lines
    tamper_each_mode(edit, 1, "genesis")


def test_insert_line():
    def edit(lines):
        lines.insert(15, b'{"type":"syscall","stream":"syscalls","seq":3}')
        return lines
    tamper_each_mode(edit, 1, "tampered")


def test_duplicate_line():
    def edit(lines):
        i = record_indexes(lines)[7]
        lines.insert(i + 1, lines[i])
        return lines
    tamper_each_mode(edit, 1, "tampered")


def test_swap_two_lines():
    def edit(lines):
        idx = record_indexes(lines)
        a, b = idx[5], idx[9]
        lines[a], lines[b] = lines[b], lines[a]
        return lines
    tamper_each_mode(edit, 1, "tampered")


def test_truncate_at_line_boundary():
    def edit(lines):
        return lines[:record_indexes(lines)[30]]
    tamper_each_mode(edit, 2, "no final seal", code_expect=1)


def test_truncate_mid_line():
    for keyed in (False, True):
        log, head = base_log(keyed)
        lines = lines_of(log)
        cut = record_indexes(lines)[30]
        path = write_copy(lines[:cut], "torn.log", lines[cut][:57])
        out = expect_verdict(path, 2, keyed, "torn", head, code_expect=1)
        rc, out = verify(path)
        assert rc == 2 and "tampered" not in out, out
        rc, out = verify(path, expect=head)
        assert rc == 1 and "the log was cut" in out, out


def test_delete_only_the_final_seal():
    def edit(lines):
        assert is_kind(lines[-1], "seal") and b'"final":true' in lines[-1]
        return lines[:-1]
    tamper_each_mode(edit, 2, "no final seal", code_expect=1)


def test_delete_records_but_keep_the_seal():
    def edit(lines):
        idx = record_indexes(lines)
        return lines[:idx[-5]] + [l for l in lines[idx[-5]:]
                                  if not in_syscall_stream(l)]
    tamper_each_mode(edit, 1, "does not match the records")


def test_move_line_to_another_stream():
    # Rename the stream and recompute the line's own hash, as a careful
    # editor would: the line no longer belongs to any chain of the run.
    # (Moves between the files of two real streams: tests/unit/test_chain.c.)
    need_b3sum()

    def edit(lines):
        i = record_indexes(lines)[12]
        body = lines[i][:-TAIL].replace(b'"stream":"syscalls"',
                                        b'"stream":"nosuch"')
        lines[i] = body + b',"hash":"' + b3(body).encode() + b'"}'
        return lines
    tamper_each_mode(edit, 1, "unknown stream")


def test_replay_a_line_from_another_run():
    other, _ = run_log("other-plain", False)
    theirs = lines_of(other)

    def edit(lines):
        i = record_indexes(lines)[4]
        lines[i] = theirs[record_indexes(theirs)[4]]
        return lines
    tamper_each_mode(edit, 1, "tampered")


def test_replay_a_whole_file_from_another_run():
    mine, head = base_log(True)
    other, _ = run_log("other-keyed", True)
    # --expect pins this run: the other run's file is refused
    rc, out = verify(other, expect=head)
    assert rc == 1 and "expected head" in out, out
    # a key alone authenticates "a run sealed with this key": the other
    # run verifies, and the report names its (different) run id
    rc, out = verify(other, key=keygen("k1"))
    assert rc == 0, out
    run_mine = re.search(r"run ([0-9a-f]+)", verify(mine)[1]).group(1)
    run_other = re.search(r"run ([0-9a-f]+)", out).group(1)
    assert run_mine != run_other


def test_reserialize_with_another_json_printer():
    def edit(lines):
        return [json.dumps(json.loads(l)).encode() for l in lines]
    tamper_each_mode(edit, 1, "malformed")

    def edit_compact(lines):
        # even byte-identical-looking output from another printer fails
        # as soon as one value is spelled differently (here: key order)
        return [json.dumps(json.loads(l), separators=(",", ":"),
                           sort_keys=True).encode() for l in lines]
    tamper_each_mode(edit_compact, 1, "tampered")


# ---------------------------------------------------------------------------
# Recomputing the chain: what an attacker with write access can do


def rechain(lines, mac_key_for_epoch=None):
    """Recomputes every prev, seal heads and hash after an edit; with
    mac_key_for_epoch(E) -> 32 bytes, re-MACs seal E too (None, or no
    function: its old MAC is left in place).  References ("refs" of
    actions and alerts, and their "evidence") to a rewritten record are
    rewritten too, as a careful attacker would."""
    heads, counts, order = {}, {}, []
    renamed = {}  # old hash -> new hash
    m = re.search(rb'"streams":\[([^\]]*)\]', lines[0])
    order = [s.strip(b'"') for s in m.group(1).split(b",")]
    out = []
    genesis = lines[0][-TAIL + 9:-2]
    seal_head = genesis
    for s in order:
        heads[s], counts[s] = genesis, 0
    out.append(lines[0])
    for l in lines[1:]:
        stream = re.match(rb'\{"type":"[a-z_]+","stream":"([a-z0-9_]+)"',
                          l).group(1)
        body = l[:-TAIL]
        old_hash = l[-TAIL + 9:-2]
        if b'"refs":' in body:
            body = re.sub(rb'[0-9a-f]{64}',
                          lambda m: renamed.get(m.group(0), m.group(0)),
                          body)
        prev = seal_head if stream == b"seal" else heads[stream]
        body = re.sub(rb'"prev":"[0-9a-f]{64}"', b'"prev":"' + prev + b'"',
                      body, count=1)
        if stream == b"seal":
            epoch = int(re.search(rb'"seq":(\d+)', body).group(1))
            text = b",".join(b'"%s":[%d,"%s"]' % (s, counts[s], heads[s])
                             for s in order)
            body = re.sub(rb'"heads":\{[^}]*\}', b'"heads":{' + text + b'}',
                          body, count=1)
            mk = mac_key_for_epoch(epoch) if mac_key_for_epoch else None
            if mk is not None:
                # format 2: ,"prev":"<hex>" follows the MAC
                signed = body[:-PREV_TAIL - MAC_TAIL]
                body = signed + b',"mac":"' + b3(signed, key=mk).encode() \
                    + b'"' + body[-PREV_TAIL:]
        h = b3(body).encode()
        renamed[old_hash] = h
        if stream == b"seal":
            seal_head = h
        else:
            heads[stream] = h
            counts[stream] += 1
        out.append(body + b',"hash":"' + h + b'"}')
    return out


def edit_pid(lines, n):
    i = record_indexes(lines)[n]
    lines[i] = re.sub(rb'"pid":\d+', b'"pid":1', lines[i], count=1)
    return lines


def test_recompute_whole_unkeyed_chain_after_edit():
    need_b3sum()
    log, head = base_log(False)
    path = write_copy(rechain(edit_pid(lines_of(log), 10)), "rechained.log")
    # the limit of an unauthenticated log: it is consistent again ...
    rc, out = verify(path)
    assert rc == 0 and "consistent, not authenticated" in out, out
    # ... but not the log whose head was stored elsewhere
    rc, out = verify(path, expect=head)
    assert rc == 1 and "expected head" in out, out


def test_recompute_keyed_chain_without_the_key():
    need_b3sum()
    log, head = base_log(True)
    path = write_copy(rechain(edit_pid(lines_of(log), 10)), "rechained.log")
    rc, out = verify(path)
    assert rc == 0 and "not authenticated" in out, out
    rc, out = verify(path, key=keygen("k1"))
    assert rc == 1 and "MAC" in out, out
    rc, out = verify(path, expect=head)
    assert rc == 1


def derived(k, ctx):
    return bytes.fromhex(b3(k, derive=ctx))


def test_forge_with_a_stolen_later_key():
    need_b3sum()
    log, head = base_log(True)
    lines = lines_of(log)
    keys = [key_bytes(keygen("k1"))]
    for _ in [l for l in lines if is_kind(l, "seal")]:
        keys.append(derived(keys[-1], CTX_RATCHET))
    stolen_epoch = 2

    def mac_key(epoch):
        # the intruder only has K_2 and what follows from it
        return derived(keys[max(epoch, stolen_epoch)], CTX_MAC)

    # 1. rewrite a record sealed before the theft: caught
    path = write_copy(rechain(edit_pid(list(lines), 3), mac_key), "forged.log")
    rc, out = verify(path, key=keygen("k1"))
    assert rc == 1 and "seal MAC does not verify" in out, out
    assert "seq 0" in out, out
    # 2. records written after the theft are the intruder's to write:
    # forward security protects only what was sealed before (documented)
    seals = [i for i, l in enumerate(lines) if is_kind(l, "seal")]
    late = [i for i in record_indexes(lines) if i > seals[stolen_epoch - 1]]
    n = record_indexes(lines).index(late[0])

    def mac_key_late(epoch):
        return mac_key(epoch) if epoch >= stolen_epoch else None
    path = write_copy(rechain(edit_pid(list(lines), n), mac_key_late),
                      "late.log")
    rc, out = verify(path, key=keygen("k1"))
    assert rc == 0, out
    rc, out = verify(path, expect=head)
    assert rc == 1, out


# ---------------------------------------------------------------------------
# Sealing behaviour and key handling


def test_idle_time_is_sealed():
    # 2 s at one seal per 0.25 s: ~8 time seals; >= 3 leaves room for a
    # loaded machine (a log write can wait on the journal)
    log, _ = run_log("idle", True, every=1024, cmd=["sleep", "2"],
                     extra=["--seal-interval", "0.25"])
    reasons = re.findall(rb'"reason":"([a-z]+)"', open(log, "rb").read())
    assert reasons.count(b"time") >= 3, reasons
    rc, out = verify(log, key=keygen("k1"))
    assert rc == 0, out


def test_key_handling():
    k = keygen("k3")
    r = subprocess.run([CAPSULE, "keygen", "-o", k], capture_output=True)
    assert r.returncode != 0 and b"not overwritten" in r.stderr
    assert os.stat(k).st_mode & 0o777 == 0o600
    # a key beside the log is refused
    d = tempfile.mkdtemp(dir=tmpdir())
    shutil.copy(k, os.path.join(d, "key"))
    os.chmod(os.path.join(d, "key"), 0o600)
    r = subprocess.run([CAPSULE, "run", "--seal-key", os.path.join(d, "key"),
                        "-o", os.path.join(d, "x.log"), "true"],
                       capture_output=True)
    assert r.returncode == 2 and b"log's directory" in r.stderr, r.stderr
    # a key others can read is refused
    loose = os.path.join(tmpdir(), "keys", "loose")
    shutil.copy(k, loose)
    os.chmod(loose, 0o644)
    r = subprocess.run([CAPSULE, "run", "--seal-key", loose, "-o",
                        os.path.join(d, "y.log"), "true"], capture_output=True)
    assert r.returncode == 2 and b"readable by others" in r.stderr


# ---------------------------------------------------------------------------
# Crash consistency


def test_sigkill_under_load():
    d = os.path.join(tmpdir(), "kill")
    os.makedirs(d, exist_ok=True)
    rnd = random.Random(4)
    seen = 0
    busy = ["sh", "-c", "while :; do cat /dev/null; ls / >/dev/null; done"]
    for n in range(6):
        for keyed in (False, True):
            log = os.path.join(d, "k%d%d.log" % (n, keyed))
            args = [CAPSULE, "run", "-q", "-o", log, "--actions-output",
                    log, "--alerts-output", log, "--seal-every", "64"]
            if keyed:
                args += ["--seal-key", keygen("k1")]
            p = subprocess.Popen(args + busy, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            time.sleep(rnd.uniform(0.05, 0.8))
            p.send_signal(signal.SIGKILL)
            p.wait()
            key = keygen("k1") if keyed else None
            rc, out = verify(log, key=key)
            assert rc == 2, "kill %d keyed=%s: rc %d: %s" % (n, keyed, rc,
                                                             out)
            assert "tampered" not in out, out
            seen += int(re.search(r"the (\d+) record", out).group(1))
    # the kills landed while records were being written, not before
    assert seen > 1000, "only %d records seen in all killed runs" % seen


# ---------------------------------------------------------------------------




# ---------------------------------------------------------------------------
# Format versions: 2 ("prev" just before "hash") is written; 1 ("prev"
# right after "seq") still verifies

V1 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                  "v1")
V1_PLAIN_HEAD = \
    "97bb46874279c0cfd549414596e9047b220d46b8a0952b992f3a3cc3ab07daec"
PREV_RE = rb',"prev":"([0-9a-f]{64})","hash":"([0-9a-f]{64})"\}$'


def rehash_genesis(lines, old, new):
    """lines with the genesis edited (old -> new) and its hash redone."""
    body = lines[0][:-TAIL].replace(old, new, 1)
    return [body + b',"hash":"' + b3(body).encode() + b'"}'] + lines[1:]


def test_version_2_layout():
    log, _ = base_log(False)
    lines = lines_of(log)
    assert b',"version":2,' in lines[0], lines[0]
    heads = {}
    for l in lines:
        m = re.search(PREV_RE, l)
        assert m, l
        assert l.count(b'"prev":') == 1, l
        stream = re.match(rb'\{"type":"[a-z_]+","stream":"([a-z0-9_]+)",'
                          rb'"seq":\d+[,}]', l).group(1)
        if stream != b"genesis":
            assert m.group(1) == heads.get(stream, heads[b"genesis"]), l
        heads[stream] = m.group(2)


def test_version_1_log_still_verifies():
    """tests/data/v1: logs written by capsule 313f2e0 (format 1)."""
    plain = os.path.join(V1, "plain.log")
    keyed = os.path.join(V1, "keyed.log")
    key = os.path.join(tmpdir(), "v1.key")
    shutil.copyfile(os.path.join(V1, "keyed.key"), key)
    os.chmod(key, 0o600)
    rc, out = verify(plain, expect=V1_PLAIN_HEAD)
    assert rc == 0 and "intact" in out and "authenticated" in out, out
    rc, out = verify(keyed, key=key)
    assert rc == 0 and "authenticated" in out, out
    lines = lines_of(plain)
    i = record_indexes(lines)[5]
    assert lines[i].index(b'"prev":"') < lines[i].index(b'"ts":')
    for pos in (lines[i].index(b'"prev":"') + 20,
                lines[i].index(b'"pid":') + 6):
        edited = list(lines)
        edited[i] = flip(lines[i], pos)
        rc, out = verify(write_copy(edited, "v1-flip.log"))
        assert rc == 1 and "tampered" in out, out


def test_version_and_layout_must_agree():
    need_b3sum()
    # a format-1 log whose genesis says 2
    lines = lines_of(os.path.join(V1, "plain.log"))
    path = write_copy(rechain(rehash_genesis(lines, b'"version":1,',
                                             b'"version":2,')), "v1as2.log")
    rc, out = verify(path)
    assert rc == 1 and "laid out as version 1" in out, out
    # a format-2 log whose genesis says 1
    log, _ = base_log(False)
    lines = lines_of(log)
    path = write_copy(rechain(rehash_genesis(lines, b'"version":2,',
                                             b'"version":1,')), "v2as1.log")
    rc, out = verify(path)
    assert rc == 1 and "tampered" in out, out
    # an unknown version
    path = write_copy(rechain(rehash_genesis(lines, b'"version":2,',
                                             b'"version":3,')), "v3.log")
    rc, out = verify(path)
    assert rc == 3 and "unsupported log format version 3" in out, out


if __name__ == "__main__":
    sys.exit(standalone(globals()))
