# SPDX-License-Identifier: MIT
"""Sessions streamed to a relay daemon: ringtrace's consumer sends the trace
to ringtrace-relayd (create --set-url=net://… or --ctrl-url/--data-url) and
the relay's copy reads exactly like a local trace of the same run; URL
errors, an unreachable relay and a relay killed mid-session are reported
by the right command with lttng's messages, and never harm the app or the
daemons; live sessions reach a babeltrace2 viewer attached mid-session."""
import os
import re
import shutil
import signal
import socket
import struct
import threading

import pytest

from conftest import (Env, consumerd_pid, emit, go, read_events, run_burst, short_home, start_burst,
                      wait_for)
from live_viewer import Viewer, follow_live_batches
from relayd_client import recv_exact
from relayd_proc import free_ports, relay  # noqa: F401 (relay: a fixture)
from test_snapshot import packets, possible_cpus

HOST = socket.gethostname()


def session_dir(relay, prefix):
    """The relay's directory of the session whose name starts with prefix."""
    [d] = [p for p in (relay.output / HOST).iterdir() if p.name.startswith(prefix)]
    return d


def uid_dir(root):
    return root / "ust" / "uid" / str(os.getuid()) / "64-bit"


def test_streamed_trace_reads_like_the_local_one(rt, relay, tmp_path):
    r = rt.run("create", "net", f"--set-url={relay.url()}")
    assert r.stdout.splitlines()[-2:] == [
        "Session net created.",
        f"Traces will be output to tcp4://127.0.0.1:{relay.control}/ [data: {relay.data}]"]
    rt.run("create", "loc", f"--output={tmp_path / 'local'}")
    for s in ("net", "loc"):
        rt.run("enable-event", "-u", "rt_test:*", "-s", s)
        rt.run("start", s)
    assert rt.app("allfields").returncode == 0
    assert rt.app("allfields").returncode == 0
    listing = rt.run("list", "net").stdout
    assert (f"Trace output: tcp4://127.0.0.1:{relay.control}/ [data: {relay.data}]"
            in listing), listing
    for s in ("net", "loc"):
        rt.run("stop", s)
        rt.run("destroy", s)

    local = read_events(tmp_path / "local")
    assert len(local) > 2
    d = session_dir(relay, "net-")
    assert re.fullmatch(r"net-\d{8}-\d{6}", d.name)
    streams = uid_dir(d)
    names = sorted(p.name for p in streams.iterdir())
    assert "metadata" in names and "index" in names
    data_files = [n for n in names if n.startswith("channel0_")]
    assert data_files and sorted(p.name for p in (streams / "index").iterdir()) == \
        sorted(n + ".idx" for n in data_files)
    for n in data_files:
        local_size = (uid_dir(tmp_path / "local") / n).stat().st_size
        assert (streams / n).stat().st_size == local_size
        assert (streams / "index" / (n + ".idx")).stat().st_size == \
            (uid_dir(tmp_path / "local") / "index" / (n + ".idx")).stat().st_size
    assert read_events(d) == local


def test_ctrl_and_data_urls_with_a_trace_directory(rt, relay):
    r = rt.run("create", "cd", f"--ctrl-url=tcp://127.0.0.1:{relay.control}/a/b",
               f"--data-url=tcp://localhost:{relay.data}")
    assert r.stdout.splitlines()[-1] == \
        f"Traces will be output to tcp4://127.0.0.1:{relay.control}/a/b [data: {relay.data}]"
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    run_burst(rt, 100)
    rt.run("destroy")
    events = read_events(relay.output / HOST / "a" / "b")
    assert [f["seq"] for _, f in events] == list(range(100))


def test_per_process_buffers(rt, relay):
    rt.run("create", "pp", f"--set-url={relay.url()}")
    rt.run("enable-channel", "-u", "--buffers-pid", "c")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "c")
    rt.run("start")
    app = run_burst(rt, 20)
    rt.run("destroy")
    d = session_dir(relay, "pp-")
    [pid_dir] = (d / "ust" / "pid").iterdir()
    assert pid_dir.name.startswith(f"burst-{app.pid}-")
    assert [f["seq"] for _, f in read_events(d)] == list(range(20))


@pytest.mark.parametrize("args,errors", [
    (["--set-url=net://"], ["No address or hostname detected.",
                            "Unable to parse the URL net://", "Unrecognized URL format."]),
    (["--set-url=net://127.0.0.1:abc"], ["Invalid port number 0",
                                         "Unable to parse the URL net://127.0.0.1:abc",
                                         "Unrecognized URL format."]),
    (["--set-url=tcp://127.0.0.1"], ["Unrecognized URL format."]),
    (["--set-url=foo://x"], ["URI parse unknown protocol foo://x",
                             "Unable to parse the URL foo://x", "Unrecognized URL format."]),
    (["--ctrl-url=tcp://127.0.0.1:1"], ["Both control and data URLs must be specified."]),
    (["--live", "--output=/tmp/x"], ["Unsupported output type specified for live session."]),
])
def test_url_errors(rt, args, errors):
    r = rt.run("create", "bad", *args, check=False)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"Error: {e}" for e in errors]
    assert "bad" not in rt.run("list", check=False).stdout


def test_unreachable_relay_fails_the_first_domain_command(rt):
    control, data = free_ports(2)
    rt.run("create", "gone", f"--set-url=net://127.0.0.1:{control}:{data}")
    r = rt.run("enable-event", "-u", "rt_test:*", check=False)
    assert r.returncode == 104
    assert r.stderr == ("Error: Event rt_test:*: Unable to connect to ringtrace-relayd "
                        "(channel channel0, session gone)\n")
    assert "Unable to connect to ringtrace-relayd" in \
        rt.run("enable-channel", "-u", "c1", check=False).stderr
    rt.run("destroy", "gone")


class FakeRelay:
    """A relay on free loopback ports that answers VERSION with version, then
    CREATE_SESSION (after GET_CONFIGURATION) with create_ret."""

    def __init__(self, version, create_ret=10):
        self.listeners = [socket.create_server(("127.0.0.1", 0)) for _ in range(2)]
        self.control, self.data = (s.getsockname()[1] for s in self.listeners)
        self.version, self.create_ret = version, create_ret
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.listeners[0].accept()
        with conn:
            while True:
                try:
                    header = recv_exact(conn, 24)
                except ConnectionError:
                    return  # the session daemon gave up on us
                size, cmd = struct.unpack(">8xQI4x", header)
                recv_exact(conn, size)
                if cmd == 5:
                    conn.sendall(struct.pack(">II", *self.version))
                elif cmd == 22:
                    conn.sendall(struct.pack(">IQ", 10, 1))
                elif cmd == 2:
                    conn.sendall(struct.pack(">QII", 0, self.create_ret, 0))

    def close(self):
        for s in self.listeners:
            s.close()


@pytest.mark.parametrize("version,create_ret,message", [
    ((3, 0), 10, "Relay daemon not compatible"),
    ((2, 10), 10, "Relay daemon not compatible"),
    ((2, 13), 25, "Unable to connect to ringtrace-relayd"),
])
def test_relay_refusing_the_session(rt, version, create_ret, message):
    relay = FakeRelay(version, create_ret)
    try:
        rt.run("create", "refused", f"--set-url=net://127.0.0.1:{relay.control}:{relay.data}")
        r = rt.run("enable-channel", "-u", "c", check=False)
        assert (r.returncode, r.stderr) == (
            1, f"Error: Channel c: {message} (session refused)\n")
    finally:
        relay.close()
    rt.run("destroy", "refused")


def test_relay_killed_mid_session(rt, relay, tmp_path):
    rt.run("create", "doomed", f"--set-url={relay.url()}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    app = start_burst(rt)
    emit(app, 50)
    relay.proc.send_signal(signal.SIGKILL)
    relay.proc.wait()
    # The app goes on, unharmed: its records are dropped by the consumer.
    for _ in range(20):
        emit(app, 2000)
    app.stdin.close()
    assert app.wait(timeout=60) == 0
    r = rt.run("stop", "doomed", check=False)
    assert r.returncode == 1
    assert ("Connection to the relay daemon lost: trace data could not all be sent"
            in r.stderr), r.stderr
    r = rt.run("destroy", "doomed", check=False)
    assert "Connection to the relay daemon lost" in r.stderr, r.stderr
    assert "doomed" not in rt.run("list", check=False).stdout
    # The same daemons serve the next session.
    rt.run("create", "after", f"--output={tmp_path / 'after'}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    run_burst(rt, 10)
    rt.run("destroy")
    assert [f["seq"] for _, f in read_events(tmp_path / "after")] == list(range(10))


def test_view_live_needs_a_live_session(rt, relay):
    rt.run("create", "notlive", f"--set-url={relay.url()}")
    r = rt.run("view", "--live", "notlive", check=False)
    assert (r.returncode, r.stderr) == (
        1, "Error: Session notlive is not a live session (see create --live)\n")


def test_session_daemon_killed_the_consumer_ends_the_relay_session(rt, relay):
    rt.run("create", "orphan", f"--set-url={relay.url()}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    run_burst(rt, 25)
    consumerd = consumerd_pid(rt)
    sessiond = int((rt.home / ".ringtrace" / "ringtrace-sessiond.pid").read_text())
    os.kill(sessiond, signal.SIGKILL)
    # The consumer writes out what it holds and closes the relay session.
    wait_for(lambda: not rt.alive(consumerd))
    wait_for(lambda: "trace chunk 0 closed" in relay.output_text())
    d = session_dir(relay, "orphan-")
    streams = len(list(uid_dir(d).glob("channel0_*"))) + 1  # and the metadata
    assert relay.output_text().count(") complete") == streams
    assert [f["seq"] for _, f in read_events(d)] == list(range(25))


def test_two_session_daemons_into_one_relay(relay):
    envs = [Env(short_home()) for _ in range(2)]
    try:
        for i, e in enumerate(envs):
            e.run("create", f"s{i}", f"--set-url={relay.url()}")
            e.run("enable-event", "-u", "rt_test:seq")
            e.run("start")
        for i, e in enumerate(envs):
            app = start_burst(e)
            go(app, 10 * (i + 1))
            assert app.wait(timeout=60) == 0
        for e in envs:
            e.run("destroy")
    finally:
        for e in envs:
            e.stop_daemons()
            shutil.rmtree(e.home, ignore_errors=True)
    for i in range(2):
        events = read_events(session_dir(relay, f"s{i}-"))
        assert [f["seq"] for _, f in events] == list(range(10 * (i + 1)))


def test_live_viewer_attached_mid_session(rt, relay):
    r = rt.run("create", "live", "--live=100000", f"--set-url={relay.url()}")
    assert r.stdout.splitlines()[-3:] == [
        "Live session live created.",
        f"Traces will be output to tcp4://127.0.0.1:{relay.control}/ [data: {relay.data}]",
        "Live timer interval set to 100000 us"]
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    url = f"net://127.0.0.1:{relay.live}/host/{HOST}/live"
    assert rt.run("view", f"--live={relay.live}", "-e", "echo").stdout.splitlines()[-1] == url
    app = start_burst(rt)
    emit(app, 10)
    follow_live_batches(rt, app, Viewer(relay.live, HOST, "live"))
    events = read_events(session_dir(relay, "live-"))
    assert [f["seq"] for _, f in events] == list(range(30))
    # Every stream starts with a packet (relays heed beacons only after one): the idle
    # ones with the ring buffer's header-only packet, then only the stop's (lttng's
    # flush_buffer(producer_active = 0)); packets are numbered from 0 without gaps, as
    # the ring buffer made them.
    cpu = min(os.sched_getaffinity(0))
    files = {f.name: packets(f) for f in uid_dir(session_dir(relay, "live-")).glob("channel0_*")}
    assert len(files) == possible_cpus()
    for name, got in files.items():
        assert [seq for seq, _ in got] == list(range(len(got)))
        assert got == [(0, "E"), (1, "E")] or name == f"channel0_{cpu}"
