# SPDX-License-Identifier: MIT
"""Trace file size/count: the same channel settings and the same program,
pinned to CPU 0, traced by the real LTTng 2.13 and by ringtrace give the
same set of stream and index file names, and both traces read."""
import os
import subprocess

import pytest

from conftest import BUILD, read_events
from lttng_run import lttng_available, lttng_build, run_in_lttng_namespace

pytestmark = pytest.mark.skipif(lttng_available() is not None or (os.cpu_count() or 1) < 2,
                                reason=lttng_available() or "needs two CPUs")

CHANNEL = ["--subbuf-size=4k", "--num-subbuf=4", "--tracefile-size=8k", "--tracefile-count=3"]
LOAD = ["rate", "20000", "0.5"]

LTTNG = r"""
lttng create s --output="$WORK/trace" >/dev/null
lttng enable-channel -u $CHANNEL ch >/dev/null
lttng enable-event -u -c ch -a >/dev/null
lttng start >/dev/null
taskset -c 0 "$BENCH" $LOAD >/dev/null
lttng stop >/dev/null
lttng destroy >/dev/null
"""


def names(trace):
    root = next(p.parent for p in trace.rglob("metadata"))
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_same_file_names_as_lttng(rt, tmp_path):
    bench = lttng_build("bench/bench-tracepoint-lttng")
    r = run_in_lttng_namespace(tmp_path / "lttng", LTTNG, env=dict(
        BENCH=bench, CHANNEL=" ".join(CHANNEL), LOAD=" ".join(LOAD)))
    assert r.returncode == 0, r.stdout + r.stderr

    ours = tmp_path / "ours"
    rt.run("create", "s", f"--output={ours}")
    rt.run("enable-channel", "-u", *CHANNEL, "ch")
    rt.run("enable-event", "-u", "-c", "ch", "-a")
    rt.run("start")
    r = subprocess.run(["taskset", "-c", "0", str(BUILD / "bench" / "bench-tracepoint"), *LOAD],
                       env=rt.env, capture_output=True, timeout=60)
    assert r.returncode == 0
    rt.run("stop")
    rt.run("destroy")

    theirs = names(tmp_path / "lttng" / "trace")
    assert "ch_0_2" in theirs
    assert names(ours) == theirs
    assert read_events(ours) and read_events(tmp_path / "lttng" / "trace")
