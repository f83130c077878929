# SPDX-License-Identifier: MIT
"""Rotation and clear of a session streamed to ringtrace-relayd: the consumer
creates chunk n+1 on the relay, moves every stream to it and closes chunk n
(MOVE_TO_COMPLETED or, for clear, DELETE), so that the relay's session
directory gets archives/<begin>-<end>-<n>/ as for lttng; the last chunk of a
rotated session is archived at destroy. Under load, every event is in
exactly one archive or counted as discarded."""
import re
import socket

import pytest

from relayd_proc import relay  # noqa: F401 (relay: a fixture)
from test_buffers_pid import seq_events
from conftest import wait_for
from test_rotation import STAMP, check_every_event_once, stamp
from test_rotation_schedule import data_bytes

HOST = socket.gethostname()
ROTATED = re.compile(r"Waiting for rotation to complete\n"
                     r"Trace chunk archive for session s1 is now readable on relay "
                     r"tcp://127\.0\.0\.1/(.+) \[control port (\d+), data port (\d+)\]\n")


def net_session(rt, relay, *channel_opts):
    rt.run("create", "s1", f"--set-url={relay.url()}")
    rt.run("enable-channel", "-u", *channel_opts, "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")
    [d] = list((relay.output / HOST).iterdir())
    return d


def rotate(rt, relay):
    r = rt.run("rotate")
    m = ROTATED.fullmatch(r.stdout)
    assert m, r.stdout
    assert (int(m.group(2)), int(m.group(3))) == (relay.control, relay.data)
    return relay.output / m.group(1)


def archive_index(session_dir, path):
    assert path.parent == session_dir / "archives", path
    m = re.fullmatch(rf"({STAMP})-({STAMP})-(\d+)", path.name)
    assert m, path.name
    assert stamp(m.group(1)) <= stamp(m.group(2))
    return int(m.group(3))


@pytest.mark.parametrize("buffers", ["--buffers-uid", "--buffers-pid"])
def test_rotations_under_load_on_the_relay(rt, relay, buffers):
    d = net_session(rt, relay, buffers, "--subbuf-size=65536", "--num-subbuf=8")
    rt.run("start")
    per_thread = 40000
    app = rt.popen_app("threads", "2", str(per_thread))
    archives = []
    while app.poll() is None or len(archives) < 3:
        archives.append(rotate(rt, relay))
    assert app.wait(timeout=60) == 0
    assert [archive_index(d, a) for a in archives] == list(range(len(archives)))
    assert all(a.is_dir() for a in archives)
    rt.run("stop")
    r = rt.run("destroy")
    # The chunk in progress is archived at destroy, nothing else is left.
    last = [p for p in (d / "archives").iterdir() if p not in archives]
    assert [archive_index(d, p) for p in last] == [len(archives)]
    m = re.fullmatch(r"(?:Destroying session s1\.*)?Trace chunk archive for session s1 is now "
                     r"readable on relay tcp://127\.0\.0\.1/(.+) \[control port \d+, data port "
                     r"\d+\]\n\n?Session s1 destroyed\n", r.stdout)
    assert m and relay.output / m.group(1) == last[0], r.stdout
    assert sorted(p.name for p in d.iterdir()) == ["archives"]
    check_every_event_once([str(a) for a in archives + last], 2, per_thread)


def test_clear_deletes_the_chunk_on_the_relay(rt, relay):
    d = net_session(rt, relay)
    rt.run("start")
    assert rt.app("threads", "2", "1000").returncode == 0
    assert rt.run("clear").stdout == 'Session "s1" cleared\n'
    assert rt.app("threads", "1", "30").returncode == 0
    first = rotate(rt, relay)
    assert archive_index(d, first) == 1
    assert sorted(seq_events(first)[0]) == [(0, i) for i in range(30)]
    assert rt.app("threads", "1", "20").returncode == 0
    rt.run("clear")
    assert rt.app("threads", "1", "10").returncode == 0
    rt.run("destroy")
    archives = sorted((d / "archives").iterdir())
    assert [archive_index(d, a) for a in archives] == [1, 3]
    assert sorted(seq_events(archives[1])[0]) == [(0, i) for i in range(10)]
    assert sorted(p.name for p in d.iterdir()) == ["archives"]


def test_live_session_is_cleared_not_rotated(rt, relay):
    rt.run("create", "s1", "--live=1000000", f"--set-url={relay.url()}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    assert rt.app("threads", "1", "10").returncode == 0
    r = rt.run("rotate", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "Error: Rotation feature not available for this session's creation mode\n")
    assert rt.run("clear").stdout == 'Session "s1" cleared\n'
    assert rt.app("threads", "1", "7").returncode == 0
    rt.run("destroy")
    # Never rotated: the chunk after the clear stays in the session directory.
    [d] = list((relay.output / HOST).iterdir())
    [chunk] = list(d.iterdir())
    assert re.fullmatch(rf"{STAMP}-1", chunk.name), chunk.name
    assert sorted(seq_events(chunk)[0]) == [(0, i) for i in range(7)]


def test_rotation_with_the_relay_gone(rt, relay):
    net_session(rt, relay)
    rt.run("start")
    assert rt.app("threads", "1", "10").returncode == 0
    relay.stop()
    r = rt.run("rotate", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "Error: Connection to the relay daemon lost: trace data could not all be sent\n")
    # The app and the daemons are unharmed.
    assert rt.app("threads", "1", "10").returncode == 0
    r = rt.run("destroy", check=False)
    assert "Session s1 destroyed" in r.stdout


def relay_archives(session_dir):
    d = session_dir / "archives"
    return sorted(d.iterdir(), key=lambda p: archive_index(session_dir, p)) if d.exists() else []


def test_stopped_session_rotation_and_clear_on_the_relay(rt, relay):
    """As lttng with lttng-relayd: the rotation or clear of a stopped session
    closes the chunk on the relay and the next start creates the next one, so
    no empty archive is made, and a destroy after it archives nothing more."""
    d = net_session(rt, relay)
    rt.run("start")
    assert rt.app("threads", "1", "10").returncode == 0
    rt.run("stop")
    assert archive_index(d, rotate(rt, relay)) == 0
    assert sorted(p.name for p in d.iterdir()) == ["archives"]
    rt.run("start")
    assert rt.app("threads", "1", "5").returncode == 0
    assert archive_index(d, rotate(rt, relay)) == 1
    rt.run("stop")
    # The chunk in progress (2) is deleted; the next start opens 3.
    assert rt.run("clear").stdout == 'Session "s1" cleared\n'
    assert rt.run("clear").stdout == 'Session "s1" cleared\n'
    assert sorted(p.name for p in d.iterdir()) == ["archives"]
    rt.run("start")
    assert rt.app("threads", "1", "7").returncode == 0
    rt.run("stop")
    assert archive_index(d, rotate(rt, relay)) == 3
    # Nothing is left to archive at destroy.
    assert rt.run("destroy").stdout == "Session s1 destroyed\n"
    archives = relay_archives(d)
    assert [archive_index(d, a) for a in archives] == [0, 1, 3]
    assert [sorted(seq_events(a)[0]) for a in archives] == [
        [(0, i) for i in range(n)] for n in (10, 5, 7)]
    assert sorted(p.name for p in d.iterdir()) == ["archives"]


def test_scheduled_rotations_on_the_relay(rt, relay):
    """Size and timer rotations of a network session, as lttng's (not live):
    the archives are made on the relay, every event in exactly one of them;
    the size threshold counts the bytes sent to the relay."""
    d = net_session(rt, relay, "--subbuf-size=16384", "--num-subbuf=8", "--monitor-timer=50ms",
                    "--switch-timer=50ms")
    size = 64 * 1024
    r = rt.run("enable-rotation", "--size=64k")
    assert r.stdout == f"Enabled size-based rotations every {size} bytes written on session s1\n"
    rt.run("start")
    per_thread = 10000
    # About 0.4 s of load, a monitor sample every 50 ms.
    app = rt.popen_app("threads", "2", str(per_thread), "20000")
    assert app.wait(timeout=60) == 0
    rt.run("disable-rotation", "--size")
    by_size = relay_archives(d)
    assert len(by_size) >= 2, by_size
    # Each archive but the last (cut by the disable) holds about the threshold.
    for path in by_size[:-1]:
        written = data_bytes(path)
        assert size // 2 <= written <= 3 * size, (path, written)
    r = rt.run("enable-rotation", "--timer=200ms")
    assert r.stdout == "Enabled periodic rotations every 200000 us on session s1\n"
    wait_for(lambda: len(relay_archives(d)) > len(by_size))
    rt.run("disable-rotation", "--timer")
    rt.run("stop")
    made = relay_archives(d)
    rt.run("destroy")
    archives = relay_archives(d)
    assert [archive_index(d, a) for a in archives] == list(range(len(archives)))
    assert len(archives) == len(made) + 1
    assert sorted(p.name for p in d.iterdir()) == ["archives"]
    check_every_event_once([str(a) for a in archives], 2, per_thread)


def test_live_session_has_no_rotation_schedule(rt, relay):
    rt.run("create", "s1", "--live=1000000", f"--set-url={relay.url()}")
    for opt, kind in (("--timer=1s", "periodic"), ("--size=1M", "size-based")):
        r = rt.run("enable-rotation", opt, check=False)
        assert (r.returncode, r.stdout, r.stderr) == (
            1, "", f"Error: Failed to enable {kind} rotation schedule on session s1\n")
