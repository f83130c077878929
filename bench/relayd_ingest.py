# SPDX-License-Identifier: MIT
"""relayd_ingest.py OUT_DIR MIB RELAY [ARG...]: starts the relay (with -o
OUT_DIR and its three ports), plays a consumer speaking LTTng 2.13's relayd
protocol that sends MIB packets of 1 MiB (2 streams; after each packet its
SEND_INDEX, whose reply it waits for, as lttng-consumerd does) as fast as
the relay takes them, waits until every byte is in the stream files, and
prints "MB/s CPU-ms/MB wakeups/MB" for the relay over that span: CPU from
/proc/PID/task/*/schedstat (nanoseconds, every thread), wakeups as the
number of times its threads were put on a CPU."""
import os
import pathlib
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "e2e"))
from relayd_client import OK, STREAMS_SENT, Control, Data  # noqa: E402

PACKET_BYTES = 1 << 20
CONTENT_BYTES = PACKET_BYTES - 200  # the rest is padding, as a sub-buffer's end
STREAMS = 2


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def sched(pid):
    """(run time in ns, times put on a CPU) summed over the threads of pid."""
    run = slices = 0
    for stat in pathlib.Path(f"/proc/{pid}/task").glob("*/schedstat"):
        fields = stat.read_text().split()
        run += int(fields[0])
        slices += int(fields[2])
    return run, slices


def wait_port(port, proc):
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"relay did not start: {proc.args}")
            time.sleep(0.01)


def main():
    out, mib, relay = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    c, d, v = free_ports(3)
    proc = subprocess.Popen(relay + ["-o", str(out), "-C", f"tcp://127.0.0.1:{c}",
                                     "-D", f"tcp://127.0.0.1:{d}",
                                     "-L", f"tcp://127.0.0.1:{v}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(v, proc)
        ctl, data = Control(c), Data(d)
        _, ret, _ = ctl.handshake("ingest", "bench")
        assert ret == OK and ctl.create_chunk(0) == OK
        handles = []
        for i in range(STREAMS):
            handle, ret = ctl.add_stream(f"channel0_{i}", "ust/uid/0/64-bit")
            assert ret == OK
            handles.append(handle)
        assert ctl.add_stream("metadata", "ust/uid/0/64-bit")[1] == OK
        assert ctl.ret(STREAMS_SENT) == OK
        content = os.urandom(CONTENT_BYTES)
        packets = mib // STREAMS * STREAMS
        run0, slices0 = sched(proc.pid)
        t0 = time.monotonic()
        for n in range(packets):
            handle, seq = handles[n % STREAMS], n // STREAMS
            data.packet(handle, seq, content, PACKET_BYTES - CONTENT_BYTES)
            # packet and content size (bits), timestamps, discarded, stream id/instance, seq
            entry = struct.pack(">QQQQQQQQ", PACKET_BYTES * 8, CONTENT_BYTES * 8, seq, seq + 1,
                                0, 0, handle, seq)
            assert ctl.send_index(handle, seq, bytes(8) + entry) == OK
        files = [p for p in out.rglob("channel0_*") if p.is_file()]
        deadline = time.monotonic() + 120
        while sum(f.stat().st_size for f in files) < packets * PACKET_BYTES:
            assert time.monotonic() < deadline, "the relay did not write every packet"
            time.sleep(0.002)
        t1 = time.monotonic()
        run1, slices1 = sched(proc.pid)
        mb = packets * PACKET_BYTES / 1e6
        print(f"{mb / (t1 - t0):.1f} {(run1 - run0) / 1e6 / mb:.3f} {(slices1 - slices0) / mb:.2f}")
        ctl.close()
        data.close()
    finally:
        proc.terminate()
        proc.wait()


main()
