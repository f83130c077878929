# SPDX-License-Identifier: MIT
"""The real LTTng 2.13 (lttng-sessiond + lttng-consumerd) streams into
ringtrace-relayd and, for reference, into the real lttng-relayd 2.13: the
same sessions must give the same events and the same directory trees."""
import os
import re
import socket
import struct
import subprocess
import time

import pytest

from conftest import read_events
from lttng_run import lttng_available, lttng_build, run_in_lttng_namespace
from relayd_proc import Relay, free_ports

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

ALLFIELDS = "tests/interop/allfields-lttng"
HOST = socket.gethostname()

# The real lttng-relayd on $TC/$TD/$TL, stopped with the session daemon.
LTTNG_RELAYD_START = r"""
LTTNG_HOME="$WORK/lttng-relayd-home" lttng-relayd -o "$WORK/theirs" \
    -C tcp://127.0.0.1:$TC -D tcp://127.0.0.1:$TD -L tcp://127.0.0.1:$TL \
    >"$WORK/lttng-relayd.log" 2>&1 &
RELAYD_PID=$!
trap 'kill $(cat /run/lttng/lttng-sessiond.pid) $RELAYD_PID 2>/dev/null || true' EXIT
until (exec 3<>/dev/tcp/127.0.0.1/$TL) 2>/dev/null; do sleep 0.02; done
"""

# Each kind of session twice: "o..." into ringtrace-relayd, "l..." into
# lttng-relayd (same name length, so metadata sizes match): normal,
# snapshot, rotated, and with size-limited trace files. The app runs twice,
# with a snapshot and a rotation in between.
SESSIONS_SCRIPT = LTTNG_RELAYD_START + r"""
for who in o:$OC:$OD l:$TC:$TD; do
    IFS=: read p c d <<< "$who"
    lttng create ${p}norm --set-url=net://127.0.0.1:$c:$d >/dev/null
    lttng enable-event -u -s ${p}norm 'rt_test:*' >/dev/null
    lttng create ${p}snap --snapshot --set-url=net://127.0.0.1:$c:$d >/dev/null
    lttng enable-event -u -s ${p}snap 'rt_test:*' >/dev/null
    lttng create ${p}rota --set-url=net://127.0.0.1:$c:$d >/dev/null
    lttng enable-event -u -s ${p}rota 'rt_test:*' >/dev/null
    lttng create ${p}tfil --set-url=net://127.0.0.1:$c:$d >/dev/null
    lttng enable-channel -u -s ${p}tfil ch --subbuf-size=4096 --tracefile-size=8192 \
        --tracefile-count=3 --switch-timer=50000 >/dev/null
    lttng enable-event -u -s ${p}tfil -c ch 'rt_test:*' >/dev/null
    for s in norm snap rota tfil; do lttng start ${p}$s >/dev/null; done
done
"$1"
for p in o l; do
    lttng snapshot record -s ${p}snap >/dev/null
    lttng rotate ${p}rota >/dev/null
done
"$1"
for p in o l; do
    lttng snapshot record -s ${p}snap >/dev/null
done
for p in o l; do
    for s in norm snap rota tfil; do lttng stop ${p}$s >/dev/null; lttng destroy ${p}$s >/dev/null; done
done
"""

STAMP = re.compile(r"\d{8}T\d{6}[+-]\d{4}|\d{8}-\d{6}")


def tree(root, session):
    """{relative path with timestamps as X: size} of one session's directory."""
    host_dir = root / HOST
    [session_dir] = [d for d in host_dir.iterdir() if d.name.startswith(session + "-")]
    assert STAMP.fullmatch(session_dir.name[len(session) + 1:]), session_dir.name
    out = {}
    for dirpath, dirnames, filenames in os.walk(session_dir):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = STAMP.sub("X", os.path.relpath(p, session_dir))
            out[rel] = None if os.path.isdir(p) else os.path.getsize(p)
    return session_dir, out


def check_index(data_file):
    """The index lists every packet of the data file, in order (else babeltrace ignores it)."""
    idx = data_file.parent / "index" / (data_file.name + ".idx")
    raw = idx.read_bytes()
    magic, major, minor, entry_size = struct.unpack(">IIII", raw[:16])
    assert (magic, major, minor, entry_size) == (0xC1F1DCC1, 1, 1, 72)
    offset = 0
    for i in range(16, len(raw), 72):
        off, packet_bits, content_bits = struct.unpack(">QQQ", raw[i:i + 24])
        assert off == offset and content_bits <= packet_bits
        offset += packet_bits // 8
    assert offset == data_file.stat().st_size


@pytest.fixture
def sessions(tmp_path):
    app = lttng_build(ALLFIELDS)
    relay = Relay(tmp_path / "ours")
    tc, td, tl = free_ports(3)
    r = run_in_lttng_namespace(tmp_path, SESSIONS_SCRIPT, [app], env=dict(
        OC=str(relay.control), OD=str(relay.data), TC=str(tc), TD=str(td), TL=str(tl)))
    relay_log = relay.output_text()
    assert relay.stop() == 0, relay_log
    assert r.returncode == 0, r.stdout + r.stderr + relay_log
    assert "Warning" not in relay_log and "Error" not in relay_log, relay_log
    return tmp_path / "ours", tmp_path / "theirs"


def test_streamed_sessions_match_lttng_relayd(sessions):
    ours, theirs = sessions
    for kind in ("norm", "snap", "rota", "tfil"):
        our_dir, our_tree = tree(ours, "o" + kind)
        their_dir, their_tree = tree(theirs, "l" + kind)
        if kind == "tfil":
            # How the switch timer cut packets (so how many files) is timing.
            our_tree = {re.sub(r"_\d+(\.idx)?$", "_N", k) for k in our_tree}
            their_tree = {re.sub(r"_\d+(\.idx)?$", "_N", k) for k in their_tree}
        assert our_tree == their_tree, kind
        our_events, their_events = read_events(our_dir), read_events(their_dir)
        assert our_events == their_events, kind
        # Two runs of the app, each emitting the same events.
        assert our_events and len(our_events) % 2 == 0, kind
        for data_file in [*our_dir.rglob("channel0_*"), *our_dir.rglob("ch_*")]:
            if kind != "snap" and data_file.parent.name != "index":
                check_index(data_file)
    # The normal session got both runs; the first snapshot holds the first
    # run, the second both; the rotation archived one chunk per run.
    norm = read_events(tree(ours, "onorm")[0])
    snaps = sorted(tree(ours, "osnap")[0].iterdir(), key=lambda p: p.name[-2:])
    assert [STAMP.sub("X", s.name) for s in snaps] == ["snapshot-1-X-0", "snapshot-1-X-1"]
    snap = read_events(snaps[0])
    assert snap == norm[:len(norm) // 2]
    assert read_events(snaps[1]) == norm
    archives = sorted((tree(ours, "orota")[0] / "archives").iterdir())
    assert len(archives) == 2
    assert [read_events(a) for a in archives] == [snap, snap]
    # Size-limited trace files (2 packets each, 3 at most): both runs there.
    tfil_dir, tfil_tree = tree(ours, "otfil")
    files = [f for f in (tfil_dir / "ust/uid/0/64-bit").iterdir() if f.name.startswith("ch_")]
    assert files and all(re.fullmatch(r"ch_[01]_[0-2]", f.name) for f in files), tfil_tree
    assert all(f.stat().st_size <= 8192 for f in files)
    assert read_events(tfil_dir) == norm


# kill -9 of the relay while the real LTTng streams to it, once with
# ringtrace-relayd ($OPID), once with lttng-relayd: the lttng side must
# report the same thing both times, the app must not notice.
KILL_SCRIPT = LTTNG_RELAYD_START + r"""
set +e
for who in o:$OC:$OD:$OPID l:$TC:$TD:$RELAYD_PID; do
    IFS=: read p c d pid <<< "$who"
    out="$WORK/transcript-$p"
    step() { "$@" >>"$out" 2>&1; echo "exit $?" >>"$out"; }
    step lttng create k --set-url=net://127.0.0.1:$c:$d/kill
    step lttng enable-event -u 'rt_test:*'
    step lttng start
    step "$1"
    kill -9 $pid
    # Gone, or a zombie until the test reaps it.
    while [ -e /proc/$pid ] && [ "$(awk '{print $3}' /proc/$pid/stat)" != Z ]; do sleep 0.02; done
    step "$1"
    step lttng stop
    step lttng destroy
    step lttng list
done
"""


def test_relay_killed_mid_session_same_report_as_lttng_relayd(tmp_path):
    app = lttng_build(ALLFIELDS)
    relay = Relay(tmp_path / "ours")
    tc, td, tl = free_ports(3)
    r = run_in_lttng_namespace(tmp_path, KILL_SCRIPT, [app], env=dict(
        OC=str(relay.control), OD=str(relay.data), OPID=str(relay.proc.pid),
        TC=str(tc), TD=str(td), TL=str(tl)), timeout=60)
    relay.proc.wait(timeout=10)
    relay_log = relay.output_text()
    relay.stop()
    assert relay.proc.returncode == -9
    assert r.returncode == 0, r.stdout + r.stderr
    # lttng prints one dot per data-pending poll: how many depends on timing.
    ours = re.sub(r"availability\.*", "availability", (tmp_path / "transcript-o").read_text())
    theirs = re.sub(r"availability\.*", "availability", (tmp_path / "transcript-l").read_text())
    assert ours.replace(f":{relay.control}/", ":C/").replace(f"data: {relay.data}", "data: D") \
        == theirs.replace(f":{tc}/", ":C/").replace(f"data: {td}", "data: D"), relay_log
    # The app ran unharmed both times; the session daemon still answers.
    assert ours.count("exit 0") >= 6 and ours.endswith("exit 0\n"), ours
    # What arrived before the kill is on disk, in the layout lttng-relayd uses.
    assert (tmp_path / "ours" / HOST / "kill" / "ust" / "uid").is_dir()
