# SPDX-License-Identifier: MIT
"""Snapshots to a relay daemon (`create --snapshot --set-url=net://…`,
`snapshot add-output net://… | -C … -D …`, `snapshot record [URL]`): each
record opens its own connections and lands on ringtrace-relayd as
<host>/<session>-<datetime>/<name>-<datetime>-<n>/ust/…, without index,
byte for byte the files a local snapshot of the same state has; an
unreachable relay or one lost mid-record fails that record with a clear
error, and the next record works."""
import os
import re
import socket
import struct
import threading

from conftest import emit, go, run_burst, start_burst
from relayd_client import recv_exact
from relayd_proc import free_ports, relay  # noqa: F401 (relay: a fixture)
from test_buffers_pid import seq_events
from test_snapshot import possible_cpus, record, snapshot_dirs

HOST = socket.gethostname()
SMALL4 = ("--subbuf-size=4096", "--num-subbuf=4")
CHUNK = r"(.+)-\d{8}-\d{6}-(\d+)"


def chunks(session_dir):
    """{n: (name, directory)} of the snapshot chunks of a relay session directory."""
    return {n: (re.fullmatch(CHUNK, d.name).group(1), d)
            for n, d in snapshot_dirs(session_dir).items()}


def seqs(trace):
    events, _ = seq_events(trace)
    return [s for _, s in events]


def files(stream_dir):
    return {p.name: p.read_bytes() for p in stream_dir.iterdir() if p.is_file()}


def test_records_on_the_relay_equal_a_local_snapshot(rt, relay, tmp_path):
    r = rt.run("create", "s1", "--snapshot", f"--set-url={relay.url()}")
    assert r.stdout.splitlines()[-2] == \
        f"Default snapshot output set to tcp4://127.0.0.1:{relay.control}/"
    assert rt.run("snapshot", "list-output").stdout == (
        "Snapshot output list for session s1\n"
        f"    [1] snapshot-1: tcp4://127.0.0.1:{relay.control}/\n")
    rt.run("enable-channel", "-u", *SMALL4, "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")
    rt.run("start")
    run_burst(rt, 1000)
    # Stopped, the streams are quiescent: no record below flushes, all see the same packets.
    rt.run("stop")
    record(rt)
    record(rt)
    local = tmp_path / "local"
    r = record(rt, f"file://{local}")
    assert r.stdout.endswith(f"Snapshot written at: file://{local}\n")

    [session_dir] = (relay.output / HOST).iterdir()
    assert re.fullmatch(r"s1-\d{8}-\d{6}", session_dir.name)
    found = chunks(session_dir)
    assert sorted(found) == [0, 1] and {n for n, _ in found.values()} == {"snapshot-1"}
    [local_snap] = local.iterdir()
    assert re.fullmatch(CHUNK, local_snap.name).group(2) == "2"
    u = f"ust/uid/{os.getuid()}/64-bit"
    local_files = files(local_snap / u)
    assert "metadata" in local_files and any(n.startswith("ch_") for n in local_files)
    for _, d in found.values():
        assert sorted(str(p.relative_to(d)) for p in (d / "ust").rglob("*") if p.is_dir()) \
            == ["ust/uid", f"ust/uid/{os.getuid()}", u]  # no index/
        assert files(d / u) == local_files
    tail = seqs(found[0][1])
    assert tail == list(range(tail[0], 1000)) and 600 < len(tail) < 1000
    assert seqs(found[1][1]) == tail == seqs(local_snap)


def test_ctrl_data_output_per_process_buffers_and_max_size(rt, relay, tmp_path):
    ctrl = f"tcp://127.0.0.1:{relay.control}/sub"
    r = rt.run("create", "s0", "--snapshot", f"--ctrl-url={ctrl}",
               f"--data-url=tcp://localhost:{relay.data}")
    assert r.stdout.splitlines()[-2] == \
        f"Default snapshot output set to tcp4://127.0.0.1:{relay.control}/sub"
    rt.run("destroy", "s0")
    rt.run("create", "s1", "--snapshot", f"--output={tmp_path / 'unused'}")
    rt.run("snapshot", "del-output", "1")
    r = rt.run("snapshot", "add-output", "-n", "far", "-C", ctrl,
               "-D", f"tcp://127.0.0.1:{relay.data}")
    assert r.stdout == ("Snapshot output successfully added for session s1\n"
                        f"  [2] far: {ctrl}\n")
    assert rt.run("snapshot", "list-output").stdout.endswith(
        f"    [2] far: tcp4://127.0.0.1:{relay.control}/sub\n")
    rt.run("enable-channel", "-u", "--buffers-pid", *SMALL4, "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")
    rt.run("start")
    app = start_burst(rt)
    emit(app, 1000)
    # Stopped, the streams are quiescent: no record below flushes, all see the same packets.
    rt.run("stop")
    record(rt, "-m", "1M")
    record(rt, "-m", str(4096 * possible_cpus()))  # one packet per stream
    once = f"{relay.url()}/once"
    r = record(rt, once)
    assert r.stdout.endswith(f"Snapshot written at: {once}\n")
    go(app, 0)
    assert app.wait(timeout=60) == 0

    found = chunks(relay.output / HOST / "sub")
    assert sorted(found) == [0, 1] and {n for n, _ in found.values()} == {"far"}
    [(name, once_dir)] = chunks(relay.output / HOST / "once").values()
    assert name == "snapshot-0"
    for _, d in [*found.values(), (name, once_dir)]:
        [pid_dir] = (d / "ust" / "pid").iterdir()
        assert pid_dir.name.startswith(f"burst-{app.pid}-")
        assert not (pid_dir / "index").exists()
    whole, one = seqs(found[0][1]), seqs(found[1][1])
    assert whole == list(range(whole[0], 1000)) and 600 < len(whole) < 1000
    assert one == whole[-len(one):] and 0 < len(one) < 200
    assert seqs(once_dir) == whole


def fake_relay_lost_at_add_stream(ctrl_sock, data_sock):
    """Answers the handshake and CREATE_TRACE_CHUNK like a relay, then
    disconnects at the first ADD_STREAM: a relay lost mid-record."""
    ctrl, _ = ctrl_sock.accept()
    data, _ = data_sock.accept()
    replies = {5: struct.pack(">II", 2, 13), 22: struct.pack(">IQ", 10, 1),
               2: struct.pack(">QII", 1, 10, 4) + b"a/b\0", 19: struct.pack(">I", 10)}
    with ctrl, data:
        while True:
            _, size, cmd, _ = struct.unpack(">QQII", recv_exact(ctrl, 24))
            recv_exact(ctrl, size)
            if cmd not in replies:
                return
            ctrl.sendall(replies[cmd])


def test_relay_unreachable_or_lost_mid_record(rt, relay):
    ctrl_sock, data_sock = socket.socket(), socket.socket()
    for s in (ctrl_sock, data_sock):
        s.bind(("127.0.0.1", 0))
        s.listen(1)
    fake = threading.Thread(target=fake_relay_lost_at_add_stream, args=(ctrl_sock, data_sock))
    fake.start()
    rt.run("create", "s1", "--snapshot", "--set-url=net://127.0.0.1:%d:%d" % (
        ctrl_sock.getsockname()[1], data_sock.getsockname()[1]))
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    app = start_burst(rt)
    emit(app, 10)
    # <name>-<datetime>-<n> names a directory on the relay: at most 254 bytes.
    r = rt.run("snapshot", "record", "-n", "x" * 240, relay.url(), check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Invalid parameter\n")
    [port] = free_ports(1)  # no relay there
    r = rt.run("snapshot", "record", f"net://127.0.0.1:{port}:{port}", check=False)
    assert (r.returncode, r.stdout, r.stderr) == \
        (1, "", "Error: Unable to connect to ringtrace-relayd\n")
    r = rt.run("snapshot", "record", check=False)
    fake.join(timeout=30)
    ctrl_sock.close()
    data_sock.close()
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "Error: Connection to the relay daemon "
                                                  "lost: trace data could not all be sent\n")
    # Tracing went on: the next record, to a live relay, has the events before and after.
    go(app, 10)
    assert app.wait(timeout=60) == 0
    record(rt, relay.url())
    [session_dir] = (relay.output / HOST).iterdir()
    [(_, d)] = chunks(session_dir).values()
    assert seqs(d) == list(range(20))
    # Not yet: save of a session with a network output (load would not take it back).
    r = rt.run("save", check=False)
    assert r.returncode != 0 and "Operation not supported" in r.stderr, r
