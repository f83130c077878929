# SPDX-License-Identifier: MIT
"""ringtrace-consumerd against a fake session daemon (apps/consumerd-driver.c):
traces written from real shared-memory ring buffers are read back with
babeltrace2, the index files are checked byte for byte, and malformed
requests get error replies (or a closed connection) without a crash."""
import os
import struct
import subprocess

import bt2
import pytest

from conftest import BIN, example, read_events

CHANNEL = "chan"
NR_STREAMS = 2
PAGE = 4096

# enum consumer_return_code (src/common/comm/consumer-msg.h).
CONSUMERD_ERROR_RECV_CMD = 103
CONSUMERD_ERROR_METADATA = 115
CONSUMERD_RELAYD_FAIL = 117
CONSUMERD_CHAN_NOT_FOUND = 119
CONSUMERD_ALREADY_SET = 120
CONSUMERD_INVALID_PARAMETERS = 125


def run_driver(tmp_path, mode, events=None, timeout=60):
    """Runs the driver; returns (key=value results, stderr, trace directory)."""
    out = tmp_path / "out"
    args = [str(example("consumerd-driver")), str(BIN["consumerd"]), mode, str(out)]
    if events is not None:
        args.append(str(events))
    r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    results = {}
    for line in r.stdout.splitlines():
        key, _, value = line.partition("=")
        results[key] = value
    assert r.returncode == 0, f"driver {mode} failed:\n{r.stdout}\n{r.stderr}"
    return results, r.stderr, out / "ust" / "uid" / str(os.getuid()) / "64-bit"


def expected_text(i):
    return f"event-{i}" + "x" * (i % 7)


def assert_events(trace_root, values):
    """Every event read back once, with its exact field values."""
    events = read_events(trace_root)
    assert all(name == "driver:sample" for name, _ in events)
    got = sorted(fields["value"] for _, fields in events)
    assert got == sorted(values)
    for _, fields in events:
        assert fields["text"] == expected_text(fields["value"])


def read_index(path):
    data = path.read_bytes()
    magic, major, minor, entry_len = struct.unpack(">IIII", data[:16])
    assert (magic, major, minor, entry_len) == (0xC1F1DCC1, 1, 1, 72)
    body = data[16:]
    assert len(body) % 72 == 0
    fields = ("offset", "packet_size", "content_size", "ts_begin", "ts_end",
              "events_discarded", "stream_id", "stream_instance_id", "packet_seq_num")
    return [dict(zip(fields, struct.unpack(">9Q", body[i:i + 72])))
            for i in range(0, len(body), 72)]


def check_stream_file(data_path, index_path, cpu):
    """The index describes the data file exactly, as babeltrace2 requires."""
    data = data_path.read_bytes()
    entries = read_index(index_path)
    assert entries, f"{index_path} has no entry"
    offset = 0
    for seq, e in enumerate(entries):
        assert e["offset"] == offset
        assert e["packet_size"] % 8 == 0 and (e["packet_size"] // 8) % PAGE == 0
        content = (e["content_size"] + 7) // 8
        assert e["packet_size"] // 8 == (content + PAGE - 1) // PAGE * PAGE
        assert e["ts_end"] >= e["ts_begin"]
        assert (e["stream_id"], e["stream_instance_id"]) == (0, cpu)
        assert e["packet_seq_num"] == seq
        # The packet header says the same.
        hdr = data[offset:offset + 84]
        magic, = struct.unpack_from("<I", hdr, 0)
        stream_id, instance, ts_b, ts_e, content_bits, packet_bits, seq_num, disc, cpu_id = \
            struct.unpack_from("<IQQQQQQQI", hdr, 20)
        assert magic == 0xC1FC1FC1
        assert (content_bits, packet_bits) == (e["content_size"], e["packet_size"])
        assert (ts_b, ts_e, seq_num, disc) == \
            (e["ts_begin"], e["ts_end"], e["packet_seq_num"], e["events_discarded"])
        assert (stream_id, instance, cpu_id) == (0, cpu, cpu)
        offset += e["packet_size"] // 8
    assert offset == len(data)


def check_metadata_file(path):
    data = path.read_bytes()
    assert data and len(data) % PAGE == 0
    text = b""
    for off in range(0, len(data), PAGE):
        magic, = struct.unpack_from("<I", data, off)
        content_bits, packet_bits = struct.unpack_from("<II", data, off + 24)
        assert magic == 0x75D11D57 and packet_bits == PAGE * 8
        assert data[off + 35:off + 37] == bytes([1, 8])
        text += data[off + 37:off + content_bits // 8]
    assert text.startswith(b"/* CTF 1.8 */")
    assert b'name = "driver:sample";' in text


def babeltrace_cli(trace_root, *extra):
    return subprocess.run(["babeltrace2", *extra, str(trace_root)], capture_output=True,
                          text=True, timeout=60)


def test_trace_read_back_exactly(tmp_path):
    n = 10000
    res, _, trace_dir = run_driver(tmp_path, "trace", n)
    assert res["consumerd_exit"] == "0"
    assert res["produced"] == str(n) and res["discarded_by_producer"] == "0"
    assert res["discarded_events"] == "0" and res["lost_packets"] == "0"

    files = sorted(str(p.relative_to(trace_dir)) for p in trace_dir.rglob("*") if p.is_file())
    assert files == sorted(["metadata", f"{CHANNEL}_0", f"{CHANNEL}_1",
                            f"index/{CHANNEL}_0.idx", f"index/{CHANNEL}_1.idx"])
    check_metadata_file(trace_dir / "metadata")
    for cpu in range(NR_STREAMS):
        check_stream_file(trace_dir / f"{CHANNEL}_{cpu}",
                          trace_dir / "index" / f"{CHANNEL}_{cpu}.idx", cpu)

    assert_events(tmp_path / "out", range(n))
    # Within a stream, events are in production order.
    per_cpu = {}
    for msg in bt2.TraceCollectionMessageIterator(str(tmp_path / "out")):
        if type(msg) is bt2._EventMessageConst:
            cpu = int(msg.event.packet.context_field["cpu_id"])
            per_cpu.setdefault(cpu, []).append(int(msg.event.payload_field["value"]))
    assert per_cpu == {c: list(range(c, n, NR_STREAMS)) for c in range(NR_STREAMS)}

    r = babeltrace_cli(tmp_path / "out")
    assert r.returncode == 0 and r.stderr == ""
    assert len(r.stdout.splitlines()) == n
    # babeltrace2 used the index files (it silently rescans the data otherwise).
    r = babeltrace_cli(tmp_path / "out", "--log-level=I")
    for cpu in range(NR_STREAMS):
        assert f"Building index from .idx file of stream file {trace_dir}/{CHANNEL}_{cpu}" \
            in r.stderr
    assert " W " not in r.stderr and " E " not in r.stderr


def test_accounting_under_pressure(tmp_path):
    """A producer faster than the disk: every record is either on disk or counted."""
    n = 400000
    res, _, trace_dir = run_driver(tmp_path, "trace", n, timeout=120)
    discarded = int(res["discarded_by_producer"])
    assert res["discarded_events"] == str(discarded) and res["lost_packets"] == "0"
    for cpu in range(NR_STREAMS):
        check_stream_file(trace_dir / f"{CHANNEL}_{cpu}",
                          trace_dir / "index" / f"{CHANNEL}_{cpu}.idx", cpu)
    r = babeltrace_cli(tmp_path / "out")
    assert r.returncode == 0
    assert len(r.stdout.splitlines()) == n - discarded
    assert all(line.startswith("WARNING: Tracer discarded") for line in r.stderr.splitlines())


def test_switch_timer_writes_without_flush(tmp_path):
    res, _, _ = run_driver(tmp_path, "switch-timer", 2000)
    assert int(res["bytes_before_flush"]) > 0
    assert res["discarded_by_producer"] == "0"
    assert_events(tmp_path / "out", range(2000))


def test_discarded_events_counted_and_reported(tmp_path):
    res, _, _ = run_driver(tmp_path, "discard", 2000)
    assert res["discarded_by_producer"] == "1"
    assert res["discarded_events"] == "1" and res["lost_packets"] == "0"
    assert_events(tmp_path / "out", range(2000))
    discarded = [msg for msg in bt2.TraceCollectionMessageIterator(str(tmp_path / "out"))
                 if type(msg) is bt2._DiscardedEventsMessageConst]
    # In the first packet of stream 0: babeltrace2 2.0 reports it without a
    # count ("may have discarded"), as for lttng-ust traces.
    assert len(discarded) == 1
    assert discarded[0].count in (None, 1)


def test_disk_full_counts_lost_packets_and_keeps_serving(tmp_path):
    res, err, trace_dir = run_driver(tmp_path, "disk-full", 2000)
    assert res["consumerd_exit"] == "0"
    assert int(res["lost_packets"]) >= 1
    assert f"Cannot write a packet to {trace_dir}/{CHANNEL}_0" in err
    # The other stream is complete and consistent.
    check_stream_file(trace_dir / f"{CHANNEL}_1", trace_dir / "index" / f"{CHANNEL}_1.idx", 1)
    assert read_index(trace_dir / "index" / f"{CHANNEL}_0.idx") == []


def test_stuck_stream_is_not_pending_forever(tmp_path):
    res, err, _ = run_driver(tmp_path, "stuck", 2000)
    assert res["pending_after_flush"] == "1"
    assert 1500 <= int(res["data_pending_ms"]) <= 6000
    assert f"{CHANNEL}_0 of channel {CHANNEL}: data not progressing" in err
    # Stream 1 was not stuck: all its events are there.
    values = [f["value"] for _, f in read_events(tmp_path / "out")]
    assert set(range(1, 2000, 2)) <= set(values)


@pytest.mark.parametrize("mode", ["hangup", "sigterm"])
def test_everything_written_when_sessiond_goes_away(tmp_path, mode):
    res, _, trace_dir = run_driver(tmp_path, mode, 3000)
    assert res["consumerd_exit"] == "0"
    assert res["discarded_by_producer"] == "0"
    for cpu in range(NR_STREAMS):
        check_stream_file(trace_dir / f"{CHANNEL}_{cpu}",
                          trace_dir / "index" / f"{CHANNEL}_{cpu}.idx", cpu)
    assert_events(tmp_path / "out", range(3000))


MALFORMED = {
    # case: (expected reply status, or "closed"; consumerd exit status)
    "truncated-ask-channel": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "truncated-key": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "trailing-bytes": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "unexpected-fds": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "unknown-command": (-CONSUMERD_ERROR_RECV_CMD, 0),
    "unsupported-command": (-CONSUMERD_ERROR_RECV_CMD, 0),
    "unterminated-name": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "unterminated-pathname": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "relative-pathname": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "name-with-slash": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "bad-subbuf-size": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "zero-streams": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "bad-channel-type": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "duplicate-key": (-CONSUMERD_ALREADY_SET, 0),
    "unknown-channel": (-CONSUMERD_CHAN_NOT_FOUND, 0),
    "push-len-mismatch": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "push-bad-offset": (-CONSUMERD_ERROR_METADATA, 0),
    "push-to-data-channel": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "snapshot-monitored": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "snapshot-relative-path": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "snapshot-unknown-channel": (-CONSUMERD_CHAN_NOT_FOUND, 0),
    "snapshot-relay-missing": (-CONSUMERD_RELAYD_FAIL, 0),
    "chunk-name-unterminated": (-CONSUMERD_INVALID_PARAMETERS, 0),
    # Undecodable frames: the connection is closed, the consumer exits on error.
    "oversized-payload": ("closed", 1),
    "missing-fds": ("closed", 1),
    "undeclared-fds": ("closed", 1),
    # The peer vanishing mid-frame is an ordinary shutdown.
    "short-frame": ("closed", 0),
    "monitor-pipe-no-fd": (-CONSUMERD_INVALID_PARAMETERS, 0),
    "monitor-pipe-not-a-pipe": (-CONSUMERD_INVALID_PARAMETERS, 0),
}


def test_monitor_samples(tmp_path):
    """At its monitor timer the consumer writes each channel's sample to the
    pipe; their bytes add up to what the stream files hold, exactly."""
    res, err, root = run_driver(tmp_path, "monitor", 20000)
    assert res["second_pipe"] == str(-CONSUMERD_ALREADY_SET)
    assert int(res["samples"]) >= 1
    assert res["sampled_bytes"] == res["file_bytes"] != "0"
    assert res["sample_fields_ok"] == "1"
    assert_events(root, range(20000))
    assert "AddressSanitizer" not in err and "runtime error" not in err


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_request(tmp_path, case):
    expected_reply, expected_exit = MALFORMED[case]
    res, err, _ = run_driver(tmp_path, f"malformed:{case}")
    assert res["reply"].split()[0] == str(expected_reply)
    if expected_reply != "closed":
        # Still serving after the error reply.
        assert res["alive_data_pending"] == "0"
    assert res["consumerd_exit"] == str(expected_exit)
    assert "AddressSanitizer" not in err and "runtime error" not in err


def test_options(tmp_path):
    consumerd = str(BIN["consumerd"])
    r = subprocess.run([consumerd], capture_output=True, text=True, timeout=10)
    assert r.returncode == 1 and "--cmd-fd" in r.stderr
    r = subprocess.run([consumerd, "--help"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0 and "--cmd-fd" in r.stdout
    with open(tmp_path / "f", "w") as f:
        r = subprocess.run([consumerd, f"--cmd-fd={f.fileno()}"], pass_fds=(f.fileno(),),
                           capture_output=True, text=True, timeout=10)
    assert r.returncode == 1 and "not a usable socket" in r.stderr
    r = subprocess.run([consumerd, "-k", "--cmd-fd=0"], capture_output=True, text=True,
                       timeout=10)
    assert r.returncode == 1 and "not supported" in r.stderr


def resident_pages(path):
    """How many pages of the file are in the page cache (mincore)."""
    import ctypes
    import mmap

    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    size = path.stat().st_size
    pages = (size + PAGE - 1) // PAGE
    with open(path, "rb") as f:
        addr = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, f.fileno(), 0)
        assert addr not in (None, ctypes.c_void_p(-1).value), os.strerror(ctypes.get_errno())
        vec = ctypes.create_string_buffer(pages)
        try:
            assert libc.mincore(addr, size, vec) == 0, os.strerror(ctypes.get_errno())
        finally:
            libc.munmap(addr, size)
    return sum(b & 1 for b in vec.raw)


def test_written_packets_leave_the_page_cache(tmp_path):
    """Packets go to the disk directly, or through the page cache written
    back and dropped packet by packet (as lttng-consumerd): either way a
    long trace does not fill memory with pages nobody reads."""
    fs = subprocess.run(["stat", "-f", "-c", "%T", str(tmp_path)], capture_output=True,
                        text=True, check=True).stdout.strip()
    if fs == "tmpfs":
        pytest.skip("the page cache is the storage of a tmpfs")
    res, _, trace_dir = run_driver(tmp_path, "trace", 20000)
    assert res["consumerd_exit"] == "0" and res["lost_packets"] == "0"
    packet = 16384
    for cpu in range(NR_STREAMS):
        data = trace_dir / f"{CHANNEL}_{cpu}"
        assert data.stat().st_size >= 8 * packet
        # Only the last packet may still be cached.
        assert resident_pages(data) <= packet // PAGE, data
