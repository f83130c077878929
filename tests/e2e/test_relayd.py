# SPDX-License-Identifier: MIT
"""ringtrace-relayd against Python peers speaking LTTng 2.13's relayd
protocol: a local trace replayed over the network comes out byte-identical,
several sessions from several hosts at once, and bad peers (absurd sizes,
unknown commands, cut packets, foreign streams, escaping paths) lose their
connection with a logged reason while everything else goes on."""
import shutil
import struct
import subprocess
import time

import pytest

from conftest import Env, read_events, short_home
from relayd_client import (CHUNK_EXISTS, CLOSE_CHUNK, CLOSE_STREAM, DATA_PENDING, OK,
                           ROTATE_STREAMS, Control, Data, Replay, closed_by_peer, read_index,
                           recv_exact)
from relayd_proc import RELAYD, Relay, free_ports


@pytest.fixture(scope="module")
def source_trace(tmp_path_factory):
    """A trace recorded locally by ringtrace: two runs of allfields."""
    home = short_home()
    out = tmp_path_factory.mktemp("source") / "trace"
    rt = Env(home)
    try:
        rt.run("create", "src", f"--output={out}")
        rt.run("enable-event", "-u", "rt_test:*")
        rt.run("start")
        for _ in range(2):
            assert rt.app("allfields").returncode == 0
        rt.run("stop")
        rt.run("destroy")
    finally:
        rt.stop_daemons()
        shutil.rmtree(home, ignore_errors=True)
    return out


@pytest.fixture
def relay(tmp_path):
    r = Relay(tmp_path / "out")
    yield r
    assert r.stop() == 0, r.output_text()


def wait_log(relay, text, timeout=10):
    deadline = time.monotonic() + timeout
    while text not in relay.output_text():
        assert time.monotonic() < deadline, f"{text!r} not logged:\n{relay.output_text()}"
        time.sleep(0.01)


def files_under(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_help_and_usage_errors(tmp_path):
    r = subprocess.run([str(RELAYD), "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for opt in ("--control-port=URL", "--data-port=URL", "--live-port=URL", "--output=DIR",
                "--daemonize", "--background", "--group=GROUP", "tcp://0.0.0.0:5342",
                "tcp://0.0.0.0:5343", "tcp://localhost:5344"):
        assert opt in r.stdout
    r = subprocess.run([str(RELAYD), "-o", str(tmp_path), "-C", "udp://x"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert 'invalid URL "udp://x"' in r.stderr
    port = free_ports(1)[0]
    with __import__("socket").socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        r = subprocess.run([str(RELAYD), "-o", str(tmp_path), "-C", f"tcp://127.0.0.1:{port}"],
                           capture_output=True, text=True)
    assert r.returncode == 1
    assert f"cannot listen on tcp://127.0.0.1:{port}" in r.stderr


def test_daemonize_listens_before_returning(tmp_path):
    c, d, l = free_ports(3)
    r = subprocess.run([str(RELAYD), "-d", "-o", str(tmp_path / "out"),
                        "-C", f"tcp://127.0.0.1:{c}", "-D", f"tcp://127.0.0.1:{d}",
                        "-L", f"tcp://127.0.0.1:{l}"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    ctl = Control(c)
    try:
        # It answers at once: it was listening when -d returned.
        assert struct.unpack(">II", ctl.call(5, struct.pack(">II", 2, 13), 8)) == (2, 13)
    finally:
        ctl.close()
    pid = int(subprocess.run(["pgrep", "-f", f"ringtrace-relayd -d -o {tmp_path}/out"],
                             capture_output=True, text=True).stdout.split()[0])
    subprocess.run(["kill", str(pid)], check=True)


def test_sessions_from_two_hosts_replayed_byte_identical(source_trace, relay):
    a = Replay(relay.control, relay.data, source_trace, "sess", "alpha")
    b = Replay(relay.control, relay.data, source_trace, "sess", "beta")
    assert a.path.startswith("alpha/sess-") and b.path.startswith("beta/sess-")
    a.send_packets()
    b.send_packets()
    b.finish()
    a.finish()
    want = files_under(source_trace)
    for path in (a.path, b.path):
        got = files_under(relay.output / path)
        assert got.keys() == want.keys()
        assert got == want
    events = read_events(relay.output / a.path)
    assert len(events) == 4 and events == read_events(source_trace)


def bad_session(relay, **kw):
    ctl = Control(relay.control)
    sid, ret, path = ctl.handshake(kw.pop("session", "bad"), kw.pop("hostname", "evil"), **kw)
    assert ret == OK
    assert ctl.create_chunk(0) == OK
    return ctl


def test_bad_peers_lose_their_connection_others_go_on(source_trace, relay, tmp_path):
    good = Replay(relay.control, relay.data, source_trace, "good", "host")
    log = relay.output_text

    # An absurd payload size on the control port.
    ctl = Control(relay.control)
    ctl.send(5, size=1 << 40)
    assert closed_by_peer(ctl.sock)
    assert "VERSION announces a 1099511627776-byte payload" in log()

    # An unknown command: answered LTTNG_ERR_UNK, then closed.
    ctl = Control(relay.control)
    ctl.send(99)
    assert struct.unpack(">I", recv_exact(ctl.sock, 4))[0] == 11
    assert closed_by_peer(ctl.sock)
    assert "unknown control command 99" in log()

    # Session commands before the handshake.
    ctl = Control(relay.control)
    ctl.send(CLOSE_STREAM, struct.pack(">QQ", 1, 0))
    assert closed_by_peer(ctl.sock)
    assert "CLOSE_STREAM before VERSION" in log()

    # A stream of another session, on the control and on the data port.
    ctl = bad_session(relay)
    ctl.send(CLOSE_STREAM, struct.pack(">QQ", good.streams["channel0_0"], 0))
    assert closed_by_peer(ctl.sock)
    assert f"CLOSE_STREAM names stream {good.streams['channel0_0']}, which is not a stream " \
           "of its session" in log()
    ctl = bad_session(relay)
    own, ret = ctl.add_stream("channel0_0", "ust/uid/0/64-bit")
    assert ret == OK
    data = Data(relay.data)
    data.packet(own, 0, b"x" * 16, 0)
    data.packet(good.streams["channel0_0"], 0, b"x" * 16, 0)
    assert closed_by_peer(data.sock)
    assert f"data packet for stream {good.streams['channel0_0']} of another session" in log()
    ctl.close()

    # A data packet larger than any sub-buffer, and one for no stream at all.
    data = Data(relay.data)
    data.sock.sendall(struct.pack(">QQQII", 0, own, 1, 0xFFFFFFFF, 0xFFFFFFFF))
    assert closed_by_peer(data.sock)
    assert "larger than any sub-buffer" in log()
    data = Data(relay.data)
    data.packet(1 << 60, 0, b"", 0)
    assert closed_by_peer(data.sock)
    assert f"data packet for unknown stream {1 << 60}" in log()

    # A packet cut short: none of its bytes stay in the file.
    ctl = bad_session(relay, session="cut")
    cut, ret = ctl.add_stream("channel0_0", "ust/uid/0/64-bit")
    data = Data(relay.data)
    data.packet(cut, 0, b"a" * 100, 28)
    data.sock.sendall(struct.pack(">QQQII", 0, cut, 1, 4096, 0) + b"b" * 1000)
    data.close()
    [cut_file] = (relay.output / "evil").glob("cut-*/ust/uid/0/64-bit/channel0_0")
    wait_log(relay, f"packet 1 of stream {cut} cut short after 1000 of 4096 bytes; dropped")
    assert cut_file.read_bytes() == b"a" * 100 + b"\0" * 28
    ctl.close()

    good.send_packets()

    # Paths out of the output directory, in every field that names one.
    for kw in ({"hostname": ".."}, {"session": "../x"}, {"base_path": "../../escaped"},
               {"base_path": "/tmp/escaped"}):
        ctl = Control(relay.control)
        try:
            ctl.handshake(**{"session": "s", "hostname": "h", **kw})
            raise AssertionError(f"{kw} accepted")
        except ConnectionError:
            pass
        assert "names a path outside the output directory" in log()
    for pathname in ("../../../escaped", "/tmp/escaped", "ust/../../.."):
        ctl = bad_session(relay, session="paths")
        with pytest.raises(ConnectionError):
            ctl.add_stream("channel0_0", pathname)
        assert f'ADD_STREAM path "{pathname}" / "channel0_0" escapes the output directory' \
            in log()
    ctl = bad_session(relay, session="paths")
    with pytest.raises(ConnectionError):
        ctl.create_chunk(1, "../escaped")
    assert 'trace chunk name "../escaped" is not a plain directory name' in log()

    # Nothing was written outside the output directory.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out-relayd.log"]
    assert not list(relay.output.parent.parent.glob("**/escaped"))

    # The good session went on undisturbed.
    good.finish()
    assert files_under(relay.output / good.path) == files_under(source_trace)
    assert relay.proc.poll() is None


def test_data_sent_after_the_control_connection_closed_is_kept(relay):
    """As a snapshot does: streams closed at a sequence number, control gone
    before the relay has read the data connection."""
    ctl = bad_session(relay, session="late", hostname="h", snapshot=True)
    handle, ret = ctl.add_stream("channel0_0", "ust/uid/0/64-bit")
    assert ret == OK
    assert ctl.ret(CLOSE_STREAM, struct.pack(">QQ", handle, 1)) == OK
    ctl.close()
    wait_log(relay, "producers gone, waiting for data in flight")
    data = Data(relay.data)
    data.packet(handle, 0, b"p" * 10, 6)
    data.packet(handle, 1, b"q" * 16, 0)
    data.close()
    wait_log(relay, f"stream {handle} (ust/uid/0/64-bit/channel0_0) complete")
    [f] = (relay.output / "h").glob("late-*/ust/uid/0/64-bit/channel0_0")
    assert f.read_bytes() == b"p" * 10 + b"\0" * 6 + b"q" * 16


def test_out_of_descriptors_refuses_new_peers_only(tmp_path, source_trace):
    relay = Relay(tmp_path / "out", max_fds=40)
    try:
        good = Replay(relay.control, relay.data, source_trace, "good", "host")
        extra = []
        while "out of file descriptors" not in relay.output_text():
            assert len(extra) < 64, relay.output_text()
            extra.append(Control(relay.control))
            extra[-1].sock.sendall(b"")
            time.sleep(0.01)
        assert closed_by_peer(extra[-1].sock)
        for c in extra:
            c.close()
        good.send_packets()
        good.finish()
        assert files_under(relay.output / good.path) == files_under(source_trace)
        # Descriptors freed: peers are served again.
        again = Replay(relay.control, relay.data, source_trace, "again", "host")
        again.send_packets()
        again.finish()
    finally:
        assert relay.stop() == 0, relay.output_text()


def rotate_streams(ctl, chunk_id, positions):
    """ROTATE_STREAMS with the 20-byte header x86-64 lttng 2.13.9 sends (garbage padding)."""
    payload = struct.pack(">IB", len(positions), 1) + b"\xdf\xa2\xec\x7d\x00\x00\x00" + \
        struct.pack(">Q", chunk_id) + b"".join(struct.pack(">QQ", h, s) for h, s in positions)
    return ctl.ret(ROTATE_STREAMS, payload)


def send_packet(ctl, data, handle, seq):
    content = bytes([65 + seq]) * 8
    data.packet(handle, seq, content, 8)
    entry = struct.pack(">QQQQQQQQQ", 0, 128, 64, seq, seq, 0, 0, 0, seq)
    assert ctl.send_index(handle, seq, entry) == OK


def wait_received(ctl, handle, seq):
    deadline = time.monotonic() + 10
    while ctl.ret(DATA_PENDING, struct.pack(">QQ", handle, seq)) != 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def index_offsets(idx):
    return [struct.unpack(">Q", e[:8])[0] for e, *_ in read_index(idx)]


def test_rotations_move_streams_between_chunks(relay):
    ctl = bad_session(relay, session="rot", hostname="h")
    data = Data(relay.data)
    handle, ret = ctl.add_stream("channel0_0", "ust")
    assert ret == OK
    for seq in (0, 1):
        send_packet(ctl, data, handle, seq)
    wait_received(ctl, handle, 1)
    # Rotation at packet 2: everything before it is in, so it happens at once.
    assert ctl.create_chunk(1) == OK
    assert rotate_streams(ctl, 1, [(handle, 2)]) == OK
    reply = ctl.call(CLOSE_CHUNK, struct.pack(">QQBI", 0, 1700000001, 1, 0), 8)
    ret, path_len = struct.unpack(">II", reply)
    archive0 = recv_exact(ctl.sock, path_len)[:-1].decode()
    assert ret == OK and "/archives/" in archive0
    assert ctl.call(CHUNK_EXISTS, struct.pack(">Q", 0), 5) == struct.pack(">IB", OK, 0)
    for seq in (2, 3):
        send_packet(ctl, data, handle, seq)
    # Packets of the next chunk arrive before its rotation: they stay in chunk 1.
    for seq in (4, 5):
        send_packet(ctl, data, handle, seq)
    wait_received(ctl, handle, 5)
    assert ctl.create_chunk(2) == OK
    assert rotate_streams(ctl, 2, [(handle, 4)]) == OK
    assert "packets 4 to 5 of the new trace chunk arrived before its rotation" in \
        relay.output_text()
    send_packet(ctl, data, handle, 6)
    wait_received(ctl, handle, 6)
    ctl.close()
    data.close()

    [session] = (relay.output / "h").iterdir()
    chunk0 = relay.output / archive0 / "ust"
    [chunk1] = session.glob("*-1/ust")
    [chunk2] = session.glob("*-2/ust")
    for chunk, seqs in ((chunk0, (0, 1)), (chunk1, (2, 3, 4, 5)), (chunk2, (6,))):
        assert (chunk / "channel0_0").read_bytes() == \
            b"".join(bytes([65 + s]) * 8 + b"\0" * 8 for s in seqs)
        assert index_offsets(chunk / "index/channel0_0.idx") == [16 * i for i in range(len(seqs))]


def test_size_limited_trace_files_with_late_indexes(relay):
    ctl = bad_session(relay, session="tf", hostname="h")
    data = Data(relay.data)
    handle, ret = ctl.add_stream("c", "ust", tracefile_size=32)
    assert ret == OK
    for seq in range(5):
        data.packet(handle, seq, bytes([65 + seq]) * 8, 8)
    [session] = (relay.output / "h").iterdir()
    deadline = time.monotonic() + 10
    while not (session / "ust/c_2").exists() or (session / "ust/c_2").stat().st_size < 16:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # The indexes come after their files were left: each goes to its own file's index.
    for seq in range(5):
        entry = struct.pack(">QQQQQQQQQ", 0, 128, 64, seq, seq, 0, 0, 0, seq)
        assert ctl.send_index(handle, seq, entry) == OK
    wait_received(ctl, handle, 4)
    ctl.close()
    data.close()
    for n, seqs in enumerate(((0, 1), (2, 3), (4,))):
        assert (session / f"ust/c_{n}").read_bytes() == \
            b"".join(bytes([65 + s]) * 8 + b"\0" * 8 for s in seqs)
        assert index_offsets(session / f"ust/index/c_{n}.idx") == [16 * i for i in range(len(seqs))]
