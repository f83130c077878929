# SPDX-License-Identifier: MIT
"""End-to-end tracing: real daemons, real instrumented programs, traces read
back with babeltrace2 (python3-bt2), exact events asserted."""
import os
import signal
import subprocess
import time

import bt2
import pytest

from conftest import example, read_events

# What lttng-ust 2.13 records for tests/e2e/apps/allfields.c (checked with the
# real lttng-ust: note _network fields are copied as given, i.e. the argument
# is taken to be in network order already).
ALLFIELDS_COMMON = {
    "i8": -128, "u8": 255, "i16": -32768, "u16": 65535,
    "u32": 4294967295, "i64": -9223372036854775808, "u64": 18446744073709551615,
    "hex": 0x1234ABCD, "net": 0x04030201, "nethex": 0x0B0A, "f": 1.25,
    "arr": [1, -2, 2147483647], "arrtext": "hell",
    "e": (3, ["GREENISH"]),
}
ALLFIELDS = [
    dict(ALLFIELDS_COMMON, i32=-1, d=-0.5, s="héllo ✓", _seq_length=3,
         seq=[1, -2, 2147483647], _seqtext_length=3, seqtext="hé"),
    dict(ALLFIELDS_COMMON, i32=2147483647, d=1e300, s="", _seq_length=0, seq=[],
         _seqtext_length=0, seqtext=""),
]


def trace_session(rt, out, app, *args, events="rt_test:*"):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", events)
    rt.run("start")
    r = rt.app(app, *args)
    assert r.returncode == 0, r.stderr
    rt.run("stop")
    rt.run("destroy")
    return r


def discarded_and_events(trace_dir, name):
    """(events named `name` as payload dicts, total discarded count); checks
    that within each stream, event timestamps never decrease."""
    events, discarded, last_ts = [], 0, {}
    for msg in bt2.TraceCollectionMessageIterator(str(trace_dir)):
        if type(msg) is bt2._EventMessageConst:
            stream = msg.event.stream
            key = (stream.trace.name, stream.name, stream.id)
            ts = msg.default_clock_snapshot.value
            assert ts >= last_ts.get(key, 0), f"timestamp went back in stream {key}"
            last_ts[key] = ts
            if msg.event.name == name:
                events.append((int(msg.event.payload_field["thread"]),
                               int(msg.event.payload_field["seq"])))
        elif type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
    return events, discarded


def test_every_field_kind_exact_values(rt, tmp_path):
    out = tmp_path / "trace"
    trace_session(rt, out, "allfields")
    evs = read_events(out)
    assert [n for n, _ in evs] == ["rt_test:allfields"] * 2
    for (_, fields), expected in zip(evs, ALLFIELDS):
        assert fields == expected
    layout = out / "ust" / "uid" / str(os.getuid()) / "64-bit"
    assert (layout / "metadata").is_file()
    assert (layout / "channel0_0").is_file()
    assert (layout / "index" / "channel0_0.idx").is_file()


def test_babeltrace2_cli_reads_without_warnings(rt, tmp_path):
    out = tmp_path / "trace"
    trace_session(rt, out, "allfields")
    r = subprocess.run(["babeltrace2", str(out)], capture_output=True, text=True)
    assert r.returncode == 0
    assert r.stderr == ""
    assert r.stdout.count("rt_test:allfields") == 2


def test_app_started_before_create(rt, tmp_path):
    out = tmp_path / "trace"
    rt.start_sessiond()
    app = rt.popen_app("ticker", -1, 5)
    try:
        assert app.stdout.readline().strip() == "ready"
        rt.run("create", "s1", f"--output={out}")
        rt.run("enable-event", "-u", "rt_test:tick")
        rt.run("start")
        time.sleep(1.0)
        rt.run("stop")
        rt.run("destroy")
    finally:
        app.kill()
        app.wait()
    ns = [f["n"] for _, f in read_events(out)]
    assert len(ns) > 20
    assert ns == list(range(ns[0], ns[0] + len(ns)))


def test_two_apps_at_once(rt, tmp_path):
    out = tmp_path / "trace"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    apps = [rt.popen_app("threads", 1, 5000) for _ in range(2)]
    for a in apps:
        assert a.wait(timeout=60) == 0
    rt.run("stop")
    rt.run("destroy")
    evs, discarded = discarded_and_events(out, "rt_test:seq")
    assert discarded == 0
    assert sorted(evs) == sorted([(0, i) for i in range(5000)] * 2)


# Without rseq (glibc's tunable), the tracer finds the CPU with sched_getcpu()
# and a thread may write into another CPU's stream after a migration.
@pytest.mark.parametrize("rseq,per_thread", [("rseq", 250_000), ("no-rseq", 50_000)])
def test_two_threads_exact_accounting(rt, tmp_path, monkeypatch, rseq, per_thread):
    if rseq == "no-rseq":
        monkeypatch.setitem(rt.env, "GLIBC_TUNABLES", "glibc.pthread.rseq=0")
    out = tmp_path / "trace"
    trace_session(rt, out, "threads", 2, per_thread, events="rt_test:seq")
    evs, discarded = discarded_and_events(out, "rt_test:seq")
    assert len(evs) + discarded == 2 * per_thread
    assert len(set(evs)) == len(evs)
    for t in (0, 1):
        seqs = [s for th, s in evs if th == t]
        assert seqs == sorted(seqs), "per-thread order must be kept within a stream"


def test_kill_app_mid_trace(rt, tmp_path):
    out = tmp_path / "trace"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:*")
    rt.run("start")
    app = rt.popen_app("ticker", -1, 1)
    assert app.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    app.send_signal(signal.SIGKILL)
    app.wait()
    # The daemons survive and keep tracing other apps.
    r = rt.app("allfields")
    assert r.returncode == 0
    rt.run("stop")
    rt.run("destroy")
    names = [n for n, _ in read_events(out)]
    assert names.count("rt_test:allfields") == 2
    assert names.count("rt_test:tick") > 10


def test_kill_consumerd_app_unharmed(rt, tmp_path):
    out = tmp_path / "trace"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("start")
    app = rt.popen_app("ticker", 300, 1)
    assert app.stdout.readline().strip() == "ready"
    consumer = [p for p in rt.daemon_pids()
                if open(f"/proc/{p}/comm").read().strip().startswith("ringtrace-cons")]
    assert consumer, "the consumer daemon should be running"
    os.kill(consumer[0], signal.SIGKILL)
    assert app.wait(timeout=30) == 0
    # The session daemon is still there and answers.
    r = rt.run("list", check=False)
    assert r.returncode == 0


def test_record_one_command(rt, tmp_path):
    r = rt.run("record", "--", example("allfields"))
    written = [line for line in r.stderr.splitlines() if line.startswith("Trace written to ")]
    assert written, r.stderr
    trace_dir = written[-1][len("Trace written to "):].strip()
    evs = read_events(trace_dir)
    assert [f for _, f in evs] == ALLFIELDS


def test_loglevel_rules(rt, tmp_path):
    # rt_test:tick is TRACE_INFO (6); rt_test:allfields has no level (TRACE_DEBUG_LINE, 13).
    cases = [("--loglevel=TRACE_INFO", ["rt_test:tick"]),
             ("--loglevel=TRACE_DEBUG", ["rt_test:allfields", "rt_test:tick"]),
             ("--loglevel-only=TRACE_DEBUG_LINE", ["rt_test:allfields"]),
             ("--loglevel-only=TRACE_WARNING", [])]
    for i, (option, expected) in enumerate(cases):
        out = tmp_path / f"trace{i}"
        rt.run("create", f"s{i}", f"--output={out}")
        rt.run("enable-event", "-u", "rt_test:*", option)
        rt.run("start")
        assert rt.app("allfields").returncode == 0
        assert rt.app("ticker", 1, 1).returncode == 0
        rt.run("stop")
        rt.run("destroy")
        names = sorted({n for n, _ in read_events(out)}) if out.exists() else []
        assert names == expected, option
