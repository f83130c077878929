# SPDX-License-Identifier: MIT
"""ringtrace's consumer streams into the real lttng-relayd 2.13: the relay's
copy of a run reads in babeltrace2 exactly like ringtrace's local trace of
the same run, and a live session reaches babeltrace2's lttng-live source
through lttng-relayd while it is recorded."""
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import emit, go, read_events, run_burst, start_burst
from live_viewer import Viewer, follow_live_batches
from relayd_proc import accepts, free_ports, terminate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
from test_buffers_pid import seq_events  # noqa: E402
from test_rotation import check_every_event_once  # noqa: E402

HOST = socket.gethostname()

pytestmark = pytest.mark.skipif(shutil.which("lttng-relayd") is None or os.geteuid() != 0
                                or shutil.which("unshare") is None,
                                reason="needs lttng-relayd, root and unshare(1)")

# lttng-relayd keeps its run directory (health socket) in /run/lttng: a
# private tmpfs there, so that it never meets the machine's daemons.
RELAYD_SCRIPT = r"""
mount -t tmpfs tmpfs /run/lttng
exec lttng-relayd -o "$OUT" -C tcp://127.0.0.1:$1 -D tcp://127.0.0.1:$2 -L tcp://127.0.0.1:$3
"""


class LttngRelay:
    def __init__(self, tmp_path):
        self.output = tmp_path / "lttng-relay"
        self.log = open(tmp_path / "lttng-relayd.log", "w+")
        home = tmp_path / "lttng-home"
        home.mkdir()
        env = dict(os.environ, LTTNG_HOME=str(home), OUT=str(self.output))
        for _ in range(5):
            self.control, self.data, self.live = free_ports(3)
            os.makedirs("/run/lttng", exist_ok=True)
            self.proc = subprocess.Popen(
                ["unshare", "-m", "--propagation", "private", "bash", "-c", RELAYD_SCRIPT,
                 "relayd", str(self.control), str(self.data), str(self.live)],
                env=env, stdout=self.log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 10
            while self.proc.poll() is None and not accepts(self.live):
                assert time.monotonic() < deadline, "lttng-relayd did not listen"
                time.sleep(0.02)
            if self.proc.poll() is None:
                return
        raise AssertionError("lttng-relayd could not listen")

    def url(self):
        return f"net://127.0.0.1:{self.control}:{self.data}"

    def session_dir(self, prefix):
        [d] = [p for p in (self.output / HOST).iterdir() if p.name.startswith(prefix)]
        return d

    def stop(self):
        terminate(self.proc)
        self.log.close()


@pytest.fixture
def lttng_relay(tmp_path):
    r = LttngRelay(tmp_path)
    yield r
    r.stop()


def test_lttng_relayd_copy_reads_like_the_local_trace(rt, lttng_relay, tmp_path):
    rt.run("create", "net", f"--set-url={lttng_relay.url()}")
    rt.run("create", "loc", f"--output={tmp_path / 'local'}")
    for s in ("net", "loc"):
        rt.run("enable-event", "-u", "rt_test:*", "-s", s)
        rt.run("start", s)
    for _ in range(2):
        assert rt.app("allfields").returncode == 0
    run_burst(rt, 3000)
    for s in ("net", "loc"):
        rt.run("stop", s)
        rt.run("destroy", s)
    local = read_events(tmp_path / "local")
    assert len(local) > 3000
    d = lttng_relay.session_dir("net-")
    streams = d / "ust" / "uid" / str(os.getuid()) / "64-bit"
    assert (streams / "metadata").exists() and (streams / "index").is_dir()
    assert read_events(d) == local


def test_live_through_lttng_relayd(rt, lttng_relay):
    rt.run("create", "live", "--live=100000", f"--set-url={lttng_relay.url()}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    app = start_burst(rt)
    emit(app, 10)
    follow_live_batches(rt, app, Viewer(lttng_relay.live, HOST, "live"))
    events = read_events(lttng_relay.session_dir("live-"))
    assert [f["seq"] for _, f in events] == list(range(30))


def test_rotations_and_clear_through_lttng_relayd(rt, lttng_relay):
    """Rotations under load then a clear: lttng-relayd writes archives/<begin>-<end>-<n>/
    for each chunk ringtrace's consumer closes, and every event is in exactly one."""
    rt.run("create", "s1", f"--set-url={lttng_relay.url()}")
    rt.run("enable-channel", "-u", "--subbuf-size=65536", "--num-subbuf=8", "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")
    rt.run("start")
    # A one-thread app leaves a per-CPU stream without any packet: it must rotate too.
    assert rt.app("threads", "1", "5").returncode == 0
    rt.run("rotate")
    app = rt.popen_app("threads", "2", "20000")
    rotations, done = 1, False
    while not done:
        # Once the app is gone, one more rotation takes the last of its events.
        done = app.poll() is not None and rotations >= 2
        r = rt.run("rotate")
        assert re.fullmatch(r"Waiting for rotation to complete\n"
                            r"Trace chunk archive for session s1 is now readable on relay "
                            rf"tcp://127\.0\.0\.1/{HOST}/s1-\S+ "
                            rf"\[control port {lttng_relay.control}, "
                            rf"data port {lttng_relay.data}\]\n", r.stdout), r.stdout
        rotations += 1
    assert app.wait() == 0
    # A clear deletes the chunk in progress: what was recorded since the last rotation.
    assert rt.app("threads", "1", "10").returncode == 0
    assert rt.run("clear").stdout == 'Session "s1" cleared\n'
    assert rt.app("threads", "1", "5").returncode == 0
    rt.run("destroy")
    d = lttng_relay.session_dir("s1-")
    # lttng-relayd moves the last chunk once its streams are released, after
    # an RCU grace period: the destroy may return before the archive appears.
    deadline = time.monotonic() + 10
    while len(list((d / "archives").iterdir())) < rotations + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    archives = sorted((d / "archives").iterdir(), key=lambda p: int(p.name.rsplit("-", 1)[1]))
    assert [int(p.name.rsplit("-", 1)[1]) for p in archives] == \
        list(range(rotations)) + [rotations + 1]
    assert sorted(p.name for p in d.iterdir()) == ["archives"]
    assert sorted(seq_events(archives[0])[0]) == [(0, i) for i in range(5)]
    check_every_event_once([str(p) for p in archives[1:-1]], 2, 20000)
    assert sorted(seq_events(archives[-1])[0]) == [(0, i) for i in range(5)]



@pytest.mark.parametrize("buffers", ["uid", "pid"])
def test_snapshots_into_lttng_relayd(rt, lttng_relay, tmp_path, buffers):
    """`snapshot record` to lttng-relayd: each record is a chunk directory
    <name>-<datetime>-<n> of the session directory, without index, whose
    files are those of a local snapshot of the same state."""
    rt.run("create", "s1", "--snapshot", f"--set-url={lttng_relay.url()}")
    rt.run("enable-channel", "-u", f"--buffers-{buffers}", "--subbuf-size=4096",
           "--num-subbuf=4", "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")
    rt.run("start")
    app = start_burst(rt)
    emit(app, 1000)
    # Stopped, the streams are quiescent: no record below flushes, all see the same packets.
    rt.run("stop")
    for args in ([], ["-n", "again"], [f"file://{tmp_path / 'local'}"]):
        assert rt.run("snapshot", "record", *args).stdout.startswith(
            "Snapshot recorded successfully for session s1\n")
    go(app, 0)
    assert app.wait(timeout=60) == 0

    d = lttng_relay.session_dir("s1-")
    chunks = sorted(d.iterdir(), key=lambda p: p.name.rsplit("-", 1)[1])
    assert [re.fullmatch(r"(.+)-\d{8}-\d{6}-(\d)", c.name).groups() for c in chunks] == \
        [("snapshot-1", "0"), ("again", "1")]
    [local] = (tmp_path / "local").iterdir()

    def files(root):
        return {str(p.relative_to(root)): p.read_bytes()
                for p in root.rglob("*") if p.is_file()}

    local_files = files(local)
    assert any(f"ust/{buffers}/" in f for f in local_files)
    events, _ = seq_events(local)
    seqs = [s for _, s in events]
    assert seqs == list(range(seqs[0], 1000)) and 600 < len(seqs) < 1000
    for c in chunks:
        assert not any(p.name == "index" for p in c.rglob("*"))
        assert files(c) == local_files
        assert seq_events(c) == (events, 0)


def test_stopped_session_rotation_and_clear_through_lttng_relayd(rt, lttng_relay):
    """A stopped session's rotation or clear closes its chunk on lttng-relayd with
    the streams in no chunk; the next start creates the next chunk: archives 0, 2
    and 3 (chunk 1 cleared), as lttng's own consumer does with lttng-relayd."""
    rt.run("create", "s1", f"--set-url={lttng_relay.url()}")
    rt.run("enable-event", "-u", "rt_test:seq")
    counts = (4, 6, 3, 2)
    for n, step in zip(counts, ("rotate", "clear", "rotate")):
        rt.run("start")
        assert rt.app("threads", "1", str(n)).returncode == 0
        rt.run("stop")
        rt.run(step)
    rt.run("start")
    assert rt.app("threads", "1", str(counts[-1])).returncode == 0
    rt.run("destroy")
    d = lttng_relay.session_dir("s1-")
    deadline = time.monotonic() + 10
    while len(list((d / "archives").iterdir())) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    archives = sorted((d / "archives").iterdir(), key=lambda p: int(p.name.rsplit("-", 1)[1]))
    assert [int(p.name.rsplit("-", 1)[1]) for p in archives] == [0, 2, 3]
    assert sorted(p.name for p in d.iterdir()) == ["archives"]
    assert [sorted(seq_events(a)[0]) for a in archives] == [
        [(0, i) for i in range(n)] for n in (4, 3, 2)]
