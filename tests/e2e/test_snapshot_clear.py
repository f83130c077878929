# SPDX-License-Identifier: MIT
"""`clear` of a snapshot session, as lttng 2.13's: the ring buffers of every
channel are emptied (the consumer's CLEAR_CHANNEL), nothing is written or
deleted on disk, tracing goes on; a later `snapshot record` holds only the
events emitted after the clear. Active and stopped sessions, per-UID (s1)
and per-PID (s2) buffers, both fed by the same program."""
from conftest import emit, go, start_burst
from test_snapshot import seqs, snapshot_dirs

SESSIONS = {"s1": "--buffers-uid", "s2": "--buffers-pid"}


def batch(app, count):
    emit(app, count)


def each(rt, *args, out=None):
    """Runs the command on both sessions, checking lttng's message."""
    for name in SESSIONS:
        r = rt.run(*args, name)
        if out is not None:
            assert (r.stdout, r.stderr) == (out.format(name=name), "")


def record(rt):
    for name in SESSIONS:
        r = rt.run("snapshot", "record", "-s", name)
        assert r.stdout == f"Snapshot recorded successfully for session {name}\n"


def test_clear_active_and_stopped_snapshot_sessions(rt, tmp_path):
    for name, buffers in SESSIONS.items():
        rt.run("create", name, "--snapshot", f"--output={tmp_path / name}")
        rt.run("enable-channel", "-u", "-s", name, buffers, "--subbuf-size=16384",
               "--num-subbuf=4", "ch")
        rt.run("enable-event", "-u", "-s", name, "rt_test:seq", "-c", "ch")
    each(rt, "start")
    app = start_burst(rt)
    batch(app, 300)
    record(rt)
    each(rt, "clear", out='Session "{name}" cleared\n')  # active
    batch(app, 200)
    record(rt)
    each(rt, "stop")
    each(rt, "clear", out='Session "{name}" cleared\n')  # stopped
    each(rt, "clear", out='Session "{name}" cleared\n')  # nothing left to do: fine
    record(rt)
    each(rt, "start")
    batch(app, 50)
    record(rt)
    go(app, 0)
    assert app.wait(timeout=30) == 0
    for name in SESSIONS:
        dirs = snapshot_dirs(tmp_path / name)
        assert sorted(dirs) == [0, 1, 2, 3]
        assert [seqs(dirs[n]) for n in range(4)] == [
            list(range(300)), list(range(300, 500)), [], list(range(500, 550))], name
