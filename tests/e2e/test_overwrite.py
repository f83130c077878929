# SPDX-License-Identifier: MIT
"""Overwrite (flight recorder) channels, `enable-channel -u --overwrite`, in a
normal (streaming) session: the app never waits and never discards; when it
laps the consumer the oldest unread packets are overwritten and counted as
lost packets (`list` statistics), and the consumer writes what it can still
get, as lttng's consumer does."""
import os
import re
import signal

import bt2
import pytest

from conftest import emit, go, start_burst, stop_consumerd, wait_for
from test_blocking import SMALL
from test_buffers_pid import seq_events


def overwrite_session(rt, out, *extra):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", *SMALL, "--overwrite", *extra, "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")
    rt.run("start")


def lost_packets(rt):
    r = rt.run("list", "s1")
    m = re.search(r"Lost packets: +(\d+)", r.stdout)
    assert m, r.stdout
    return int(m.group(1))


def discarded_packets(trace_dir):
    n = 0
    for msg in bt2.TraceCollectionMessageIterator(str(trace_dir)):
        if type(msg) is bt2._DiscardedPacketsMessageConst:
            n += msg.count or 0
    return n


def data_bytes(out):
    return sum(f.stat().st_size for f in out.rglob("ch_*") if f.suffix != ".idx")


def lap_stalled_consumer(rt, out, first, second, *channel_opts):
    """Overwrite session: first records reach the disk, then the app emits second
    more with the consumer stopped. Returns (events, discarded events, lost packets
    as `list` shows them)."""
    overwrite_session(rt, out, *channel_opts)
    app = start_burst(rt)
    emit(app, first)
    wait_for(lambda: data_bytes(out) >= 4096)
    consumerd = stop_consumerd(rt)
    try:
        go(app, second)
        # Never waits: finishes with the consumer stopped.
        assert app.wait(timeout=30) == 0
    finally:
        os.kill(consumerd, signal.SIGCONT)
    rt.run("stop")
    lost = lost_packets(rt)
    rt.run("destroy")
    return (*seq_events(out), lost)


@pytest.mark.parametrize("buffers", ["--buffers-uid", "--buffers-pid"])
def test_app_laps_a_stalled_consumer(rt, tmp_path, buffers):
    out = tmp_path / "trace"
    # The first packet (about 250 records) reaches the disk before the stall.
    events, discarded, lost = lap_stalled_consumer(rt, out, 400, 3000, buffers)
    assert discarded == 0
    # The first packet, a gap of whole lost packets, then the newest records
    # up to the last one: the ring held at most its 2 packets.
    seqs = [s for _, s in events]
    head = [s for s in seqs if s < 400]
    tail = seqs[len(head):]
    assert head == list(range(len(head))) and 200 <= len(head) < 400
    assert tail == list(range(tail[0], 3400)) and len(tail) < 700
    assert lost > 0
    assert discarded_packets(out) == lost
