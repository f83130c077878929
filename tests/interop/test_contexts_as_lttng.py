# SPDX-License-Identifier: MIT
"""add-context against the real LTTng 2.13: for the same program and the
same add-context list, the stream's event.context declarations are the same
TSDL text, and the recorded context values mean the same thing (each
tracer's values checked against what its own run of the program printed,
then compared once the run-specific numbers are replaced by their roles)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lttng_run import lttng_available, lttng_build, trace_with_lttng_output

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
from test_contexts import app_facts, read_ctx_events  # noqa: E402

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

CONTEXTS = ["vpid", "vtid", "procname", "ip", "pthread_id", "cgroup_ns", "ipc_ns", "mnt_ns",
            "net_ns", "pid_ns", "time_ns", "user_ns", "uts_ns", "vuid", "veuid", "vsuid",
            "vgid", "vegid", "vsgid", "perf:thread:task-clock", "perf:thread:page-fault"]


def event_context_tsdl(trace_dir):
    stream_dir = next(Path(trace_dir).rglob("metadata")).parent
    meta = subprocess.run(["babeltrace2", "--output-format=ctf-metadata", str(stream_dir)],
                          capture_output=True, text=True, check=True).stdout
    m = re.search(r"\tevent\.context := struct \{\n.*?\n\t\};\n", meta, re.S)
    assert m, meta
    return m.group(0)


def normalized(events, facts):
    """The events with each run-specific value replaced by its meaning."""
    by_tid = {tid: (thread, pthread_id) for thread, (tid, pthread_id) in facts["threads"].items()}
    out = []
    for name, ctx, payload in events:
        thread, pthread_id = by_tid[ctx["vtid"]]
        n = dict(ctx)
        assert n.pop("vpid") == facts["pid"]
        n["vtid"] = f"tid of thread {thread}"
        assert n.pop("pthread_id") == pthread_id
        assert facts["emit"] < n.pop("ip") < facts["emit"] + 4096
        for ns in ("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"):
            # lttng's sessiond runs in its own mount namespace: compare with the app's.
            assert n[f"{ns}_ns"] > 0
            n[f"{ns}_ns"] = "ns id"
        assert n.pop("perf_thread_task_clock") > 0
        assert n.pop("perf_thread_page_fault") >= 0
        out.append((name, tuple(n.items()), tuple(payload.items())))
    return sorted(out)


def test_contexts_same_as_lttng(rt, tmp_path):
    lttng_app = lttng_build("tests/interop/ctxapp-lttng")
    add = ["add-context", "-u"] + [a for c in CONTEXTS for a in ("-t", c)]
    setup = 'lttng enable-event -u "$EVENTS" >/dev/null\nlttng ' + " ".join(add) + " >/dev/null"
    lttng_trace, lttng_out = trace_with_lttng_output(tmp_path, "rt_test:seq",
                                                     [lttng_app, 2, 3], setup=setup)
    ours = tmp_path / "ours"
    rt.run("create", "s1", f"--output={ours}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run(*add)
    rt.run("start")
    app = rt.app("ctxapp", 2, 3)
    assert app.returncode == 0, app.stderr
    rt.run("stop")

    assert event_context_tsdl(ours) == event_context_tsdl(lttng_trace)
    theirs = normalized(read_ctx_events(lttng_trace), app_facts(lttng_out))
    mine = normalized(read_ctx_events(ours), app_facts(app.stdout))
    assert len(mine) == 6
    assert mine == theirs
    # The namespace ids are the program's own, in both traces.
    for trace in (ours, lttng_trace):
        for _, ctx, _ in read_ctx_events(trace):
            assert ctx["net_ns"] == os.stat("/proc/self/ns/net").st_ino
