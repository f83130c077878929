# SPDX-License-Identifier: MIT
"""Snapshot sessions (`create --snapshot`, `snapshot add-output / del-output /
list-output / record`): lttng 2.13's messages and exit codes, directories
<output>/<name>-<datetime>-<n>/ust/uid/<uid>/64-bit (or ust/pid/...), each
snapshot a standalone trace holding the most recent packets, in order,
without stopping tracing or consuming anything."""
import datetime
import os
import re
import struct
import subprocess
import time

import pytest

from conftest import BIN, emit, example, go, run_burst, start_burst
from relayd_proc import free_ports
from test_buffers_pid import seq_events

SMALL4 = ("--subbuf-size=4096", "--num-subbuf=4")
NON_SNAPSHOT = "Error: Snapshot command can't be applied to a non-snapshot session\n"


def snapshot_session(rt, out, *channel_opts, events="rt_test:seq"):
    r = rt.run("create", "s1", "--snapshot", f"--output={out}")
    assert r.stdout.replace("Spawning a session daemon\n", "") == ("Snapshot session s1 created.\n"
                        f"Default snapshot output set to {out}\n"
                        "Every channel enabled for this session will be set to mmap output "
                        "and default to overwrite mode.\n")
    rt.run("enable-channel", "-u", *channel_opts, "ch")
    rt.run("enable-event", "-u", events, "-c", "ch")


def record(rt, *args):
    r = rt.run("snapshot", "record", *args)
    assert r.stdout.startswith("Snapshot recorded successfully for session s1\n"), r.stdout
    return r


def snapshot_dirs(out):
    """{n: directory} of the snapshots under out, checking their names."""
    dirs = {}
    for d in out.iterdir():
        m = re.fullmatch(r"(.+)-(\d{8}-\d{6})-(\d+)", d.name)
        assert m, d.name
        when = datetime.datetime.strptime(m.group(2), "%Y%m%d-%H%M%S")
        assert abs((datetime.datetime.now() - when).total_seconds()) < 120
        dirs[int(m.group(3))] = d
    return dirs


def uid_dir(snapshot):
    return snapshot / "ust" / "uid" / str(os.getuid()) / "64-bit"


def possible_cpus():
    """Streams per channel: one per possible CPU."""
    n = 0
    for part in open("/sys/devices/system/cpu/possible").read().strip().split(","):
        lo, _, hi = part.partition("-")
        n += int(hi or lo) - int(lo) + 1
    return n


def seqs(trace):
    events, _ = seq_events(trace)
    return [s for _, s in events]


def test_last_events_in_order_and_independent_snapshots(rt, tmp_path):
    out = tmp_path / "snap"
    snapshot_session(rt, out, *SMALL4)
    r = rt.run("list", "s1")
    assert r.stdout.startswith("Recording session s1: [inactive snapshot]\n")
    assert "Event-loss mode:  overwrite" in r.stdout
    rt.run("start")
    assert not out.exists()  # nothing is written until asked
    app = start_burst(rt)
    emit(app, 1000)
    record(rt)
    record(rt)  # nothing new: a header-only packet, in a directory of its own
    go(app, 500)
    assert app.wait(timeout=30) == 0
    record(rt)

    dirs = snapshot_dirs(out)
    assert sorted(dirs) == [0, 1, 2]
    assert all(d.name.startswith("snapshot-1-") for d in dirs.values())
    layout = sorted(str(p.relative_to(dirs[0])) for p in dirs[0].rglob("*"))
    cpus = sorted(p.name for p in uid_dir(dirs[0]).glob("ch_*"))
    assert cpus == [f"ch_{c}" for c in range(len(cpus))] and len(cpus) >= 1
    u = f"ust/uid/{os.getuid()}/64-bit"
    assert layout == ["ust", "ust/uid", f"ust/uid/{os.getuid()}", u, *(f"{u}/{c}" for c in cpus),
                      f"{u}/index", f"{u}/metadata"]
    first, second, third = (seqs(dirs[n]) for n in range(3))
    # The last 4 packets of the ring: the newest events, consecutive, up to the last one.
    assert first == list(range(first[0], 1000)) and 600 < len(first) < 1000
    # As lttng's, the snapshot's flush closed a header-only packet in the stream with
    # nothing new; in the 4-packet ring it took the place of the oldest one.
    lost = len(first) - len(second)
    assert second == first[lost:] and 0 < lost < 300
    assert third == list(range(third[0], 1500)) and third[0] > first[0]


def packets(path, instant_empty=True):
    """[(packet_seq_num, content bytes or "E" for a header-only packet)] of a stream file,
    checking (instant_empty) that a header-only packet begins and ends at the same time."""
    data, out, offset = path.read_bytes(), [], 0
    while offset < len(data):
        magic, = struct.unpack_from("<I", data, offset)
        assert magic == 0xC1FC1FC1
        ts_b, ts_e, content, size, seq = struct.unpack_from("<QQQQQ", data, offset + 32)
        assert content == 84 * 8 or content > 84 * 8
        if content == 84 * 8 and instant_empty:
            assert ts_b == ts_e
        out.append((seq, "E" if content == 84 * 8 else content // 8))
        offset += size // 8
    return out


@pytest.mark.skipif(possible_cpus() < 2, reason="needs a second CPU for an idle stream")
def test_idle_stream_gets_empty_packets(rt, tmp_path):
    """lttng's snapshot of an active session flushes with producer_active = 0: a stream
    without events gets a header-only packet each time; so does lttng's stop, after which
    a snapshot flushes nothing."""
    out = tmp_path / "snap"
    snapshot_session(rt, out, *SMALL4)
    rt.run("start")
    app = start_burst(rt)  # pinned to one CPU: the other streams stay idle
    emit(app, 50)
    record(rt)
    record(rt)
    rt.run("stop")
    record(rt)
    go(app, 0)
    assert app.wait(timeout=30) == 0

    dirs = snapshot_dirs(out)
    cpu = min(os.sched_getaffinity(0))
    for n, idle, busy in ((0, [(0, "E")], []), (1, [(0, "E"), (1, "E")], [(1, "E")]),
                          (2, [(0, "E"), (1, "E"), (2, "E")], [(1, "E"), (2, "E")])):
        files = {p.name: packets(p) for p in uid_dir(dirs[n]).glob("ch_*")}
        assert len(files) == possible_cpus()
        (seq0, size0), *rest = files.pop(f"ch_{cpu}")
        assert seq0 == 0 and size0 > 84 and rest == busy
        assert all(p == idle for p in files.values()), (n, files)
    assert seqs(dirs[0]) == seqs(dirs[2]) == list(range(50))


def test_max_size(rt, tmp_path):
    out = tmp_path / "snap"
    snapshot_session(rt, out, *SMALL4)
    rt.run("start")
    run_burst(rt, 1000)
    ncpu = possible_cpus()
    # Less than one packet per stream: lttng's two error lines.
    r = rt.run("snapshot", "record", "-m", str(4096 * ncpu - 1), check=False)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == ("Error: Invalid snapshot size. Cannot fit at least one packet per "
                        "stream.\nError: Snapshot max size is invalid\n")
    # One packet per stream, then two, under another name.
    record(rt, "-m", str(4096 * ncpu))
    record(rt, "-n", "two", "--max-size", f"{8 * ncpu}k")
    dirs = snapshot_dirs(out)
    assert sorted(dirs) == [0, 1] and dirs[1].name.startswith("two-")
    one, two = seqs(dirs[0]), seqs(dirs[1])
    assert one[-1] == two[-1] == 999
    assert one == list(range(one[0], 1000)) and len(one) > 100
    # The second record's flush closed a header-only packet (nothing new since the first):
    # its two packets per stream are the first one's and that one.
    assert two == one
    cpu = min(os.sched_getaffinity(0))
    assert [kind for _, kind in packets(uid_dir(dirs[1]) / f"ch_{cpu}")][1:] == ["E"]
    for d in dirs.values():
        assert all(f.stat().st_size <= 4096 * (2 if d is dirs[1] else 1)
                   for f in uid_dir(d).glob("ch_*"))


def test_snapshots_while_two_threads_trace(rt, tmp_path):
    out = tmp_path / "snap"
    snapshot_session(rt, out, "--subbuf-size=16384", "--num-subbuf=4")
    rt.run("start")
    # 300 pauses of 10 ms: the app traces for 3 s at least, long enough for
    # snapshots to be recorded during it even on a loaded machine.
    per_thread = 300000
    app = rt.popen_app("threads", "2", str(per_thread), "10000")
    running = []  # snapshots recorded while the app was tracing
    while app.poll() is None:
        record(rt)
        if app.poll() is None:
            running.append(len(running))
            time.sleep(0.3)  # a few snapshots, each read back below
    assert app.wait(timeout=60) == 0
    record(rt)
    dirs = snapshot_dirs(out)
    assert len(dirs) >= len(running) + 1
    with_events = 0
    for n, d in sorted(dirs.items()):
        # Recorded before the app registered: only ust/, as lttng leaves it.
        events = seq_events(d)[0] if (d / "ust" / "uid").exists() else []
        with_events += n in running and bool(events)
        last = {}
        for thread, seq in events:
            assert seq > last.get(thread, -1), (n, thread, seq)
            last[thread] = seq
    # Recorded while both threads went on (the first ones may precede the
    # app's registration).
    assert with_events >= 1
    # After the app: the thread that emitted last has its last event there
    # (the other's may have been overwritten if both shared a CPU's stream).
    assert max(last.values()) == per_thread - 1


def test_per_pid_layout(rt, tmp_path):
    out = tmp_path / "snap"
    snapshot_session(rt, out, "--buffers-pid", *SMALL4)
    rt.run("start")
    app = start_burst(rt)
    emit(app, 300)
    record(rt)
    go(app, 0)
    assert app.wait(timeout=30) == 0
    (d,) = snapshot_dirs(out).values()
    (pid_dir,) = (d / "ust" / "pid").iterdir()
    assert re.fullmatch(rf"burst-{app.pid}-\d{{8}}-\d{{6}}", pid_dir.name)
    assert (pid_dir / "metadata").is_file() and (pid_dir / "index").is_dir()
    assert seqs(d) == list(range(300))


def test_discard_channel_keeps_oldest(rt, tmp_path):
    out = tmp_path / "snap"
    snapshot_session(rt, out, "--discard", *SMALL4)
    rt.run("start")
    run_burst(rt, 2000)
    record(rt)
    (d,) = snapshot_dirs(out).values()
    events, discarded = seq_events(d)
    got = [s for _, s in events]
    # Nobody drains a snapshot session: the ring filled up and later events were discarded.
    assert got == list(range(len(got))) and 600 < len(got) < 1000
    assert discarded == 2000 - len(got)


def test_outputs(rt, tmp_path):
    out, other = tmp_path / "snap", tmp_path / "other"
    snapshot_session(rt, out, *SMALL4)

    def snap(*args, code=0):
        r = rt.run("snapshot", *args, check=False)
        assert r.returncode == code, (args, r.stdout, r.stderr)
        return r.stdout + r.stderr

    assert snap("list-output") == (f"Snapshot output list for session s1\n"
                                   f"    [1] snapshot-1: {out}\n")
    assert snap("add-output", str(other), code=1) == "Error: Snapshot output already exists\n"
    assert snap("record", code=1) == "Error: Session needs to be started once\n"
    assert snap("del-output", "7", code=1) == "Error: Invalid parameter\n"
    assert snap("del-output", "nosuch", code=1) == "Error: Invalid parameter\n"
    assert snap("del-output", "1x", code=1) == ("Error: Argument 1x not recognized\n"
                                                "Error: Unknown error code\n")
    assert snap("del-output", code=1) == ("Error: A snapshot output name or id must be "
                                          "provided to delete a snapshot output.\n")
    assert snap("add-output", code=1) == ("Error: An output destination must be specified "
                                          "to add a snapshot output.\n")
    assert snap(code=1) == "Error: No action specified for snapshot command.\n"
    assert snap("bogus", code=2) == "Error: Unrecognized argument used with 'snapshot' command\n"
    assert snap("record", "-m", "abc", code=1) == "Error: Unable to handle max-size value abc\n"
    assert snap("del-output", "snapshot-1") == ("Snapshot output snapshot-1 successfully "
                                                "deleted for session s1\n")
    assert snap("list-output") == "Snapshot output list for session s1\n    None\n"
    assert snap("add-output", "-n", "named", "-m", "8M", str(other)) == (
        "Snapshot output successfully added for session s1\n"
        f"  [2] named: {other} (max size: 8388608 bytes)\n")
    assert snap("list-output") == (f"Snapshot output list for session s1\n"
                                   f"    [2] named: {other} (max size: 8388608 bytes)\n")
    assert snap("del-output", "2") == "Snapshot output id 2 successfully deleted for session s1\n"
    assert snap("add-output", f"file://{out}") == (
        "Snapshot output successfully added for session s1\n"
        f"  [3] snapshot-3: file://{out}\n")
    assert snap("list-output") == (f"Snapshot output list for session s1\n"
                                   f"    [3] snapshot-3: {out}\n")

    rt.run("start")
    assert snap("record", "relative/dir", code=1) == "Error: Invalid parameter\n"
    [port] = free_ports(1)  # no relay daemon there
    assert snap("record", f"net://127.0.0.1:{port}:{port}", code=1) == \
        "Error: Unable to connect to ringtrace-relayd\n"
    # Not writable: a clear error, and the session keeps working.
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a directory")
    assert re.fullmatch(rf"Error: Create directory failed\nError: cannot create {blocked}/x/"
                        r"snapshot-0-\d{8}-\d{6}-0/ust: Not a directory\n",
                        snap("record", str(blocked / "x"), code=1))
    assert snap("record", str(other)) == ("Snapshot recorded successfully for session s1\n"
                                          f"Snapshot written at: {other}\n")
    rt.run("stop")
    assert snap("record") == "Snapshot recorded successfully for session s1\n"  # stopped: fine
    # The one-time output is "snapshot-0"; the count goes on across outputs.
    assert [d.name[:11] for d in other.iterdir()] == ["snapshot-0-"]
    assert next(other.iterdir()).name.endswith("-0")
    assert [d.name.rsplit("-", 1)[1] for d in out.iterdir()] == ["1"]
    assert snap("record", "-s", "nosuch", code=1) == "Error: Session name not found\n"
    assert snap("del-output", "3") == "Snapshot output id 3 successfully deleted for session s1\n"
    assert snap("record", code=1) == "Error: Snapshot record failed\n"


def test_non_snapshot_session(rt, tmp_path):
    rt.run("create", "s2", f"--output={tmp_path / 'trace'}")
    for args in (["list-output"], ["record"], ["add-output", str(tmp_path / "x")],
                 ["del-output", "1"]):
        r = rt.run("snapshot", *args, check=False)
        assert (r.returncode, r.stdout, r.stderr) == (1, "", NON_SNAPSHOT), args
    assert not (tmp_path / "x").exists()


DISK_FULL_SCRIPT = r"""
set -e
mkdir -p "$FULL"
mount -t tmpfs -o size=256k tmpfs "$FULL"
R=$RT
$R create s1 --snapshot --output="$FULL" >/dev/null
$R enable-channel -u --subbuf-size=4096 --num-subbuf=4 ch >/dev/null
$R enable-event -u rt_test:seq -c ch >/dev/null
$R start >/dev/null
echo 1000 | taskset -c "$CPU" "$BURST" >/dev/null
dd if=/dev/zero of="$FULL/filler" bs=4k 2>/dev/null || true
truncate -s -8192 "$FULL/filler"  # room for the directories, not for the packets
$R snapshot record 2>&1 || echo "exit $?"
ls "$FULL"  # the incomplete snapshot is removed
$R list s1 | grep -o "Recording session s1: \[active snapshot\]"
rm "$FULL/filler"
$R snapshot record 2>&1
find "$FULL" -name metadata | sort
cp -a "$FULL" "$COPY"
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a small tmpfs privately")
def test_disk_full(rt, tmp_path):
    full = tmp_path / "full"
    env = dict(rt.env, FULL=str(full), RT=str(BIN["ringtrace"]), BURST=str(example("burst")),
               CPU=str(min(os.sched_getaffinity(0))), COPY=str(tmp_path / "copy"))
    r = subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-c",
                        DISK_FULL_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    # A clear error, nothing half-written left; the session goes on and the next
    # snapshot is complete.
    assert lines[0] == "Error: Snapshot record failed" and re.fullmatch(
        rf"Error: {full}/snapshot-1-\d{{8}}-\d{{6}}-0: No space left on device; this "
        "incomplete snapshot was removed", lines[1]), r.stdout
    assert lines[2:6] == ["exit 1", "filler", "Recording session s1: [active snapshot]",
                          "Snapshot recorded successfully for session s1"], r.stdout
    assert len(lines) == 7 and re.fullmatch(
        rf"{full}/snapshot-1-\d{{8}}-\d{{6}}-0/ust/uid/{os.getuid()}/64-bit/metadata",
        lines[6]), r.stdout
    (snapshot,) = (tmp_path / "copy").glob("snapshot-1-*-0")
    got = seqs(snapshot)
    assert got == list(range(got[0], 1000)) and len(got) > 500
