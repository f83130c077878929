# SPDX-License-Identifier: MIT
"""`clear` of a snapshot session, as lttng 2.13's: the ring buffers of every
channel are emptied (the consumer's CLEAR_CHANNEL), nothing is written or
deleted on disk, tracing goes on; a later `snapshot record` holds only the
events emitted after the clear. Active and stopped sessions, per-UID and
per-PID buffers."""
import pytest

from conftest import go, start_burst
from test_snapshot import record, seqs, snapshot_dirs, snapshot_session

CHANNEL = ("--subbuf-size=16384", "--num-subbuf=4")


def batch(app, count):
    go(app, count, last=False)
    assert app.stdout.readline() == "done\n"


def clear(rt):
    r = rt.run("clear")
    assert (r.returncode, r.stdout, r.stderr) == (0, 'Session "s1" cleared\n', "")


@pytest.mark.parametrize("buffers", ["--buffers-uid", "--buffers-pid"])
def test_clear_active_session_keeps_only_later_events(rt, tmp_path, buffers):
    out = tmp_path / "snap"
    snapshot_session(rt, out, buffers, *CHANNEL)
    rt.run("start")
    app = start_burst(rt)
    batch(app, 300)
    record(rt)
    clear(rt)
    # Nothing on disk changed: the first snapshot is still whole.
    assert sorted(snapshot_dirs(out)) == [0]
    batch(app, 200)
    record(rt)
    clear(rt)
    record(rt)  # right after a clear: a readable trace with no event
    batch(app, 50)
    record(rt)
    go(app, 0)
    assert app.wait(timeout=30) == 0
    dirs = snapshot_dirs(out)
    assert sorted(dirs) == [0, 1, 2, 3]
    assert seqs(dirs[0]) == list(range(300))
    assert seqs(dirs[1]) == list(range(300, 500))
    assert seqs(dirs[2]) == []
    assert seqs(dirs[3]) == list(range(500, 550))


@pytest.mark.parametrize("buffers", ["--buffers-uid", "--buffers-pid"])
def test_clear_stopped_session(rt, tmp_path, buffers):
    out = tmp_path / "snap"
    snapshot_session(rt, out, buffers, *CHANNEL)
    rt.run("start")
    app = start_burst(rt)
    batch(app, 300)
    rt.run("stop")
    clear(rt)
    clear(rt)  # after a stop, one clear does it; the next ones succeed, doing nothing
    record(rt)
    rt.run("start")
    batch(app, 100)
    rt.run("stop")
    record(rt)
    go(app, 0)
    assert app.wait(timeout=30) == 0
    dirs = snapshot_dirs(out)
    assert seqs(dirs[0]) == []
    assert seqs(dirs[1]) == list(range(300, 400))
