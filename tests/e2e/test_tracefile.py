# SPDX-License-Identifier: MIT
"""Trace file size and count (`enable-channel --tracefile-size=S
--tracefile-count=N`), as lttng 2.13: each stream writes <channel>_<cpu>_<i>
files of at most S bytes (whole packets), each with its index, cycling
through i = 0..N-1 so that only the newest N files stay; babeltrace2 reads
the result. Checked under load, with the ticks of a program pinned to CPU 0
(exact: the newest ones, without a gap) while another floods CPU 1."""
import os
import re
import subprocess

from conftest import example, read_events

PACKET = 4096
INDEX_HEADER, INDEX_ENTRY = 16, 72
TICKS = 400


def stream_files(trace):
    """{relative data file: size} of the channel 'ch', checked against their indexes."""
    root = next(p.parent for p in trace.rglob("metadata"))
    files = {}
    for f in root.iterdir():
        if f.is_file() and f.name != "metadata":
            assert re.fullmatch(r"ch_\d+_\d+", f.name), f.name
            idx = root / "index" / (f.name + ".idx")
            packets = f.stat().st_size // PACKET
            assert f.stat().st_size == packets * PACKET
            assert idx.stat().st_size == INDEX_HEADER + packets * INDEX_ENTRY, idx
            files[f.name] = f.stat().st_size
    assert sorted(p.name for p in (root / "index").iterdir()) == \
        sorted(name + ".idx" for name in files)
    return files


def test_size_and_count_keep_newest_files(rt, tmp_path):
    if os.cpu_count() < 2:
        import pytest
        pytest.skip("needs two CPUs")
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    r = rt.run("enable-channel", "-u", "--subbuf-size=4k", "--num-subbuf=4",
               "--switch-timer=5000", "--tracefile-size=8k", "--tracefile-count=3", "ch")
    assert r.stdout == "ust channel ch enabled for session s1\n"
    listing = rt.run("list", "s1").stdout
    assert "      Trace file count: 3 per stream\n      Trace file size:  8192 bytes\n" in listing
    rt.run("enable-event", "-u", "-c", "ch", "rt_test:tick,rt_test:seq")
    rt.run("start")
    flood = subprocess.Popen(["taskset", "-c", "1", str(example("threads")), "2", "300000"],
                             env=rt.env)
    ticker = subprocess.run(["taskset", "-c", "0", str(example("ticker")), str(TICKS), "1"],
                            env=rt.env, capture_output=True, text=True, timeout=60)
    assert ticker.returncode == 0, ticker.stderr
    assert flood.wait(timeout=60) == 0
    rt.run("stop")
    rt.run("destroy")

    files = stream_files(out)
    cpu0 = {n: s for n, s in files.items() if n.startswith("ch_0_")}
    cpu1 = {n: s for n, s in files.items() if n.startswith("ch_1_")}
    # Both streams went round the three files; a file holds two packets at most.
    assert sorted(cpu0) == ["ch_0_0", "ch_0_1", "ch_0_2"]
    assert sorted(cpu1) == ["ch_1_0", "ch_1_1", "ch_1_2"]
    assert all(0 < size <= 8192 for size in files.values())
    assert sum(size == 8192 for size in cpu0.values()) >= 2

    events = read_events(out)
    ticks = [f["n"] for name, f in events if name == "rt_test:tick"]
    assert 0 < ticks[0] and ticks == list(range(ticks[0], TICKS))
    assert any(name == "rt_test:seq" for name, _ in events)


def test_size_alone_numbers_files_without_limit(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", "--subbuf-size=4k", "--switch-timer=5000",
           "--tracefile-size=4k", "ch")
    rt.run("enable-event", "-u", "-c", "ch", "rt_test:tick")
    rt.run("start")
    r = subprocess.run(["taskset", "-c", "0", str(example("ticker")), "100", "1"], env=rt.env,
                       capture_output=True, timeout=60)
    assert r.returncode == 0
    rt.run("stop")
    rt.run("destroy")
    files = stream_files(out)
    cpu0 = sorted((n for n in files if n.startswith("ch_0_")), key=lambda n: int(n[5:]))
    assert cpu0 == [f"ch_0_{i}" for i in range(len(cpu0))] and len(cpu0) > 3
    assert all(files[n] == PACKET for n in cpu0)
    assert [f["n"] for _, f in read_events(out)] == list(range(100))


def test_tracefile_errors(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("enable-channel", "-u", "--tracefile-count=2", "ch", check=False)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: Missing option --tracefile-size.")
    r = rt.run("enable-channel", "-u", "--subbuf-size=8k", "--tracefile-size=4k", "ch")
    assert "Warning: Tracefile size rounded up from (4096) to subbuffer size (8192)\n" == \
        r.stderr
    assert "      Trace file size:  8192 bytes\n" in rt.run("list", "s1").stdout
