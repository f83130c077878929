# SPDX-License-Identifier: MIT
"""A Python peer of ringtrace-relayd speaking LTTng 2.13's relayd protocol
(reference/relayd-protocol.md): used to replay a local trace over the
network and to play bad peers."""
import os
import socket
import struct
import time

from fakeapp import closed_by_peer, recv_exact  # noqa: F401 (re-exported)

VERSION, CREATE_SESSION, ADD_STREAM, SEND_METADATA = 5, 2, 1, 6
CLOSE_STREAM, DATA_PENDING, QUIESCENT, BEGIN_PENDING, END_PENDING = 7, 8, 9, 10, 11
SEND_INDEX, STREAMS_SENT, ROTATE_STREAMS, GET_CONFIGURATION = 13, 16, 18, 22
CREATE_CHUNK, CLOSE_CHUNK, CHUNK_EXISTS = 19, 20, 21
OK = 10


class Control:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.settimeout(10)

    def send(self, cmd, payload=b"", size=None):
        self.sock.sendall(struct.pack(">QQII", 0, len(payload) if size is None else size,
                                      cmd, 0) + payload)

    def call(self, cmd, payload, reply_size):
        self.send(cmd, payload)
        return recv_exact(self.sock, reply_size)

    def ret(self, cmd, payload=b""):
        return struct.unpack(">I", self.call(cmd, payload, 4))[0]

    def handshake(self, session, hostname, base_path="", live_timer=0, snapshot=False):
        assert struct.unpack(">II", self.call(VERSION, struct.pack(">II", 2, 13), 8)) == (2, 13)
        ret, flags = struct.unpack(">IQ", self.call(GET_CONFIGURATION, struct.pack(">Q", 0), 12))
        assert ret == OK
        names = [s.encode() + b"\0" for s in (session, hostname, base_path)]
        payload = struct.pack(">IIIIBB16sQQBQ", *map(len, names), live_timer, snapshot, 0,
                              os.urandom(16), 1, 1700000000, 0, 0) + b"".join(names)
        self.send(CREATE_SESSION, payload)
        sid, ret, path_len = struct.unpack(">QII", recv_exact(self.sock, 16))
        path = recv_exact(self.sock, path_len)[:-1].decode() if path_len else None
        return sid, ret, path

    def create_chunk(self, chunk_id, name=""):
        enc = name.encode() + b"\0" if name else b""
        return self.ret(CREATE_CHUNK, struct.pack(">QQI", chunk_id, 1700000000, len(enc)) + enc)

    def add_stream(self, channel, pathname, chunk_id=0, tracefile_size=0, tracefile_count=0):
        names = [channel.encode() + b"\0", pathname.encode() + b"\0"]
        payload = struct.pack(">IIQQQ", *map(len, names), tracefile_size, tracefile_count,
                              chunk_id) + b"".join(names)
        return struct.unpack(">QI", self.call(ADD_STREAM, payload, 12))

    def send_metadata(self, handle, data, padding=0):
        self.send(SEND_METADATA, struct.pack(">QI", handle, padding) + data)

    def send_index(self, handle, seq, entry):
        return self.ret(SEND_INDEX, struct.pack(">QQ", handle, seq) + entry[8:72])

    def close(self):
        self.sock.close()


class Data:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))

    def packet(self, handle, seq, content, padding):
        self.sock.sendall(struct.pack(">QQQII", 0, handle, seq, len(content), padding) + content)

    def close(self):
        self.sock.close()


def read_index(idx_path):
    """Entries of an index file: (raw 72 bytes, offset, packet bytes, content bytes)."""
    raw = idx_path.read_bytes()
    out = []
    for i in range(16, len(raw), 72):
        off, packet_bits, content_bits = struct.unpack(">QQQ", raw[i:i + 24])
        out.append((raw[i:i + 72], off, packet_bits // 8, content_bits // 8))
    return out


class Replay:
    """Streams one local trace directory (one ust/uid/... folder) to a relay, step by step."""

    def __init__(self, control_port, data_port, trace_dir, session, hostname):
        self.ctl = Control(control_port)
        self.data = Data(data_port)
        [self.stream_dir] = {p.parent for p in trace_dir.rglob("metadata")}
        self.rel = str(self.stream_dir.relative_to(trace_dir))
        sid, ret, self.path = self.ctl.handshake(session, hostname)
        assert ret == OK
        self.session_id = sid
        assert self.ctl.create_chunk(0) == OK
        self.streams = {}
        for f in sorted(self.stream_dir.iterdir()):
            if f.is_file():
                handle, ret = self.ctl.add_stream(f.name, self.rel)
                assert ret == OK
                self.streams[f.name] = handle
        assert self.ctl.ret(STREAMS_SENT) == OK
        self.ctl.send_metadata(self.streams["metadata"], (self.stream_dir / "metadata").read_bytes())

    def send_packets(self):
        self.last_seq = {}
        for name, handle in self.streams.items():
            if name == "metadata":
                continue
            content = (self.stream_dir / name).read_bytes()
            for seq, (entry, off, psize, csize) in enumerate(
                    read_index(self.stream_dir / "index" / (name + ".idx"))):
                self.data.packet(handle, seq, content[off:off + csize], psize - csize)
                assert self.ctl.send_index(handle, seq, entry) == OK
                self.last_seq[name] = seq

    def data_pending_round(self):
        """One BEGIN / DATA_PENDING... / QUIESCENT / END round: True while data is pending."""
        assert self.ctl.ret(BEGIN_PENDING, struct.pack(">Q", self.session_id)) == OK
        any_pending = False
        for name, handle in self.streams.items():
            if name != "metadata":
                seq = self.last_seq.get(name, 2**64 - 1)  # no packet at all
                pending = self.ctl.ret(DATA_PENDING, struct.pack(">QQ", handle, seq))
                assert pending in (0, 1)
                any_pending |= pending == 1
        assert self.ctl.ret(QUIESCENT, struct.pack(">Q", self.streams["metadata"])) == OK
        end = self.ctl.ret(END_PENDING, struct.pack(">Q", self.session_id))
        assert end in (0, 1)
        return any_pending or end == 1

    def finish(self):
        # As lttng stop: rounds until nothing is pending (the data connection
        # is read independently of the control one).
        deadline = time.monotonic() + 10
        while self.data_pending_round():
            assert time.monotonic() < deadline, "data still pending"
            time.sleep(0.01)
        for name, handle in self.streams.items():
            seq = self.last_seq.get(name, 2**64 - 1)
            assert self.ctl.ret(CLOSE_STREAM, struct.pack(">QQ", handle, seq)) == OK
        reply = self.ctl.call(CLOSE_CHUNK, struct.pack(">QQBI", 0, 1700000001, 0, 0), 8)
        ret, path_len = struct.unpack(">II", reply)
        assert ret == OK
        path = recv_exact(self.ctl.sock, path_len)[:-1].decode()
        self.ctl.close()
        self.data.close()
        return path
