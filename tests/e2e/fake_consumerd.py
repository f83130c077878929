#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A consumer daemon that fails on purpose, started by the session daemon
with --cmd-fd=N in place of ringtrace-consumerd (RINGTRACE_CONSUMERD_PATH).

FAKE_CONSUMERD_MODE says how it fails:
  die       reads the first request and exits without replying (a crash);
  one-fd    answers properly, but sends GET_CHANNEL streams with one
            descriptor instead of two;
  wrong-key answers properly, but sends GET_CHANNEL streams of another
            channel.
Everything else is answered with success, so that only the chosen fault
shows. The layouts are those of src/common/comm/consumer-msg.h.
"""
import array
import os
import socket
import struct
import sys

FRAME = struct.Struct("=IiII")
ASK_CHANNEL_CREATION, GET_CHANNEL = 7, 8
DATA_PENDING, DISCARDED_EVENTS, LOST_PACKETS = 6, 17, 18
ASK_NR_STREAMS_OFFSET = 76  # struct consumer_ask_channel.nr_streams


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            sys.exit(0)
        buf += chunk
    return buf


def send(sock, cmd, payload=b"", fds=()):
    data = FRAME.pack(cmd, 0, len(payload), len(fds)) + payload
    anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    sock.sendmsg([data], anc)


def main():
    mode = os.environ.get("FAKE_CONSUMERD_MODE", "die")
    fd = next(int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--cmd-fd="))
    sock = socket.socket(fileno=fd)
    streams = {}
    while True:
        cmd, _, length, _ = FRAME.unpack(recv_exact(sock, FRAME.size))
        payload = recv_exact(sock, length) if length else b""
        if mode == "die":
            os._exit(3)
        if cmd == ASK_CHANNEL_CREATION:
            key = struct.unpack_from("=Q", payload)[0]
            nr = struct.unpack_from("=I", payload, ASK_NR_STREAMS_OFFSET)[0]
            streams[key] = nr
            send(sock, cmd, struct.pack("=QI", key, nr))
        elif cmd == GET_CHANNEL:
            key = struct.unpack_from("=Q", payload)[0]
            nr = streams.get(key, 1)
            send(sock, cmd, struct.pack("=QI", key, nr))
            for cpu in range(nr):
                shm = os.memfd_create("fake-shm")
                wake = os.eventfd(0)
                desc_key = key + 1000 if mode == "wrong-key" else key
                fds = [shm] if mode == "one-fd" else [shm, wake]
                send(sock, cmd, struct.pack("=QI", desc_key, cpu), fds)
                os.close(shm)
                os.close(wake)
        elif cmd == DATA_PENDING:
            send(sock, cmd, b"\0")
        elif cmd in (DISCARDED_EVENTS, LOST_PACKETS):
            send(sock, cmd, struct.pack("=Q", 0))
        else:
            send(sock, cmd)


main()
