# SPDX-License-Identifier: MIT
"""Contexts (`add-context -u -t TYPE`), as lttng 2.13: the fields are
declared in the stream's event.context exactly as lttng-sessiond declares
them, recorded in every event of the channel with the values of the thread
and process that emitted it; lttng's messages, exit codes and rules for
bad input, channels and started sessions."""
import os
import re

import pytest

from conftest import BUILD


def read_ctx_events(trace_dir):
    """[(name, {context field: value}, {payload field: value})] read with bt2."""
    import bt2

    from conftest import to_python
    events = []
    for msg in bt2.TraceCollectionMessageIterator(str(trace_dir)):
        if type(msg) is bt2._EventMessageConst:
            ev = msg.event
            ctx = {}
            if ev.common_context_field is not None:
                ctx = {k: to_python(v) for k, v in ev.common_context_field.items()}
            payload = {k: to_python(v) for k, v in ev.payload_field.items()}
            events.append((ev.name, ctx, payload))
    return events


def ctx_metadata(trace_dir):
    """The event.context declarations of the trace's TSDL, one per line."""
    import subprocess
    stream_dir = next(trace_dir.rglob("metadata")).parent
    meta = subprocess.run(["babeltrace2", "--output-format=ctf-metadata", str(stream_dir)],
                          capture_output=True, text=True, check=True).stdout
    m = re.search(r"\tevent\.context := struct \{\n(.*?)\n\t\};", meta, re.S)
    return m.group(1).split("\n") if m else []


def app_facts(stdout):
    """pid, emit() address and {thread: (tid, pthread_id)} printed by ctxapp."""
    facts = {"threads": {}}
    for line in stdout.splitlines():
        w = line.split()
        if w[0] == "pid":
            facts["pid"] = int(w[1])
        elif w[0] == "emit":
            facts["emit"] = int(w[1])
        elif w[0] == "thread":
            facts["threads"][int(w[1])] = (int(w[2]), int(w[3]))
    return facts


NS = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"]
ALL = (["vpid", "vtid", "procname", "ip", "pthread_id"] + [f"{n}_ns" for n in NS]
       + ["vuid", "veuid", "vsuid", "vgid", "vegid", "vsgid"])

# What lttng-sessiond 2.13.9 declares for each (captured from a real trace).
INT = "integer {{ size = {}; align = 8; signed = {}; encoding = none; base = 10; }} _{};"
EXPECTED_DECL = {
    "vpid": INT.format(32, 1, "vpid"), "vtid": INT.format(32, 1, "vtid"),
    "procname": "integer { size = 8; align = 8; signed = 1; encoding = UTF8; base = 10; } "
                "_procname[17];",
    "ip": INT.format(64, 0, "ip"), "pthread_id": INT.format(64, 0, "pthread_id"),
    **{f"{n}_ns": INT.format(64, 0, f"{n}_ns") for n in NS},
    **{n: INT.format(32, 0, n) for n in ["vuid", "veuid", "vsuid", "vgid", "vegid", "vsgid"]},
}


def test_every_context_recorded_with_exact_values(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:seq")
    args = [a for name in ALL for a in ("-t", name)]
    r = rt.run("add-context", "-u", *args)
    assert r.stdout.splitlines() == [f"ust context {n} added to all channels" for n in ALL]
    rt.run("start")
    app = rt.app("ctxapp", 2, 3)
    assert app.returncode == 0, app.stderr
    rt.run("stop")
    facts = app_facts(app.stdout)

    decls = [line.strip() for line in ctx_metadata(out)]
    assert decls == [EXPECTED_DECL[n] for n in ALL]

    events = read_ctx_events(out)
    assert len(events) == 6
    st = os.stat
    seen_threads = set()
    for name, ctx, payload in events:
        assert name == "rt_test:seq"
        assert list(ctx) == ALL
        thread = payload["thread"]
        seen_threads.add(thread)
        tid, pthread_id = facts["threads"][thread]
        assert ctx["vpid"] == facts["pid"]
        assert ctx["vtid"] == tid
        assert ctx["pthread_id"] == pthread_id
        assert ctx["procname"] == f"ctx-t{thread}"
        # The return address of the probe call, inside emit().
        assert facts["emit"] < ctx["ip"] < facts["emit"] + 4096
        for n in NS:
            assert ctx[f"{n}_ns"] == st(f"/proc/self/ns/{n}").st_ino, n
        uid, euid, suid = os.getresuid()
        gid, egid, sgid = os.getresgid()
        assert (ctx["vuid"], ctx["veuid"], ctx["vsuid"]) == (uid, euid, suid)
        assert (ctx["vgid"], ctx["vegid"], ctx["vsgid"]) == (gid, egid, sgid)
    assert seen_threads == {0, 1}
    assert len({ctx["vtid"] for _, ctx, _ in events}) == 2
    assert len({ctx["ip"] for _, ctx, _ in events}) == 1


def test_channel_without_contexts_has_none(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", "plain")
    rt.run("enable-channel", "-u", "rich")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "plain")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "rich")
    r = rt.run("add-context", "-u", "-t", "vtid", "-c", "rich")
    assert r.stdout == "ust context vtid added to channel rich\n"
    rt.run("start")
    app = rt.app("ctxapp", 1, 2)
    assert app.returncode == 0
    rt.run("stop")
    tid = app_facts(app.stdout)["threads"][0][0]
    ctxs = sorted(tuple(ctx.items()) for _, ctx, _ in read_ctx_events(out))
    assert ctxs == [(), (), (("vtid", tid),), (("vtid", tid),)]


def test_no_channel_creates_channel0(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("add-context", "-u", "-t", "vpid")
    assert r.stdout == "ust context vpid added to all channels\n"
    listing = rt.run("list", "s1").stdout
    assert "- channel0: [enabled]" in listing
    # channel0 was made by add-context: enable-event without -c uses it.
    rt.run("enable-event", "-u", "rt_test:seq")


def test_bad_input(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("add-context", "-u", "-t", "bogus", check=False)
    assert (r.returncode, r.stderr) == (3, "Error: Unknown context type bogus\n")
    r = rt.run("add-context", "-u", "-t", "cpu_id", check=False)
    assert (r.returncode, r.stderr) == (3, "Error: Unknown context type cpu_id\n")
    r = rt.run("add-context", "-t", "vpid", check=False)
    assert r.returncode == 1
    assert "Please specify a domain" in r.stderr
    r = rt.run("add-context", "-u", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Missing mandatory -t TYPE\n")
    r = rt.run("add-context", "-u", "-t", "vpid", "-c", "nochan", check=False)
    assert (r.returncode, r.stderr) == (4, "Error: vpid: UST channel not found\n")
    # Kernel-only and per-CPU perf contexts: refused per type, the others added.
    r = rt.run("add-context", "-u", "-t", "pid", "-t", "vtid", "-t", "perf:cpu:cycles",
               check=False)
    assert r.returncode == 4
    assert r.stderr == ("Error: pid: UST invalid context\n"
                        "Error: perf:cpu:cycles: UST invalid context\n")
    assert r.stdout == "ust context vtid added to all channels\n"
    r = rt.run("add-context", "-u", "-t", "vtid", check=False)
    assert (r.returncode, r.stderr) == (4, "Error: vtid: UST context already exist\n")
    r = rt.run("add-context", "-u", "-t", "perf:thread:raw:x12:foo", check=False)
    assert r.returncode == 3
    assert r.stderr == ("Error: Wrong perf raw mask format: expected rNNN\n"
                        "Error: Unknown context type perf:thread:raw:x12:foo\n")
    r = rt.run("add-context", "-u", "-t", "$app.myprov:myctx", "-t", "vpid", check=False)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == ("ust context $app.myprov:myctx added to all channels\n"
                        "ust context vpid added to all channels\n")
    r = rt.run("add-context", "-u", "-t", "$app.:x", check=False)
    assert r.returncode == 3
    assert r.stderr == ("Error: Invalid application context provided: no provider or context "
                        "name provided.\nError: Unknown context type $app.:x\n")
    r = rt.run("add-context", "-u", "-t", "vpid", "-s", "nosuch", check=False)
    assert (r.returncode, r.stderr) == (4, "Error: vpid: Session name not found\n")


def test_refused_once_started(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("start")
    r = rt.run("add-context", "-u", "-t", "vpid", check=False)
    assert (r.returncode, r.stderr) == (4, "Error: vpid: Tracing has already been started once\n")
    rt.run("stop")
    r = rt.run("add-context", "-u", "-t", "vpid", "-c", "channel0", check=False)
    assert (r.returncode, r.stderr) == (4, "Error: vpid: Tracing has already been started once\n")


def test_list_types(rt):
    out = rt.run("add-context", "--list").stdout.splitlines()
    assert out[:5] == ["pid", "procname", "prio", "nice", "vpid"]
    assert "perf:thread:task-clock" in out and "perf:cpu:cycles" in out
    assert "perf:cycles" not in out  # lttng's old names are accepted, not listed
    assert len(out) == 38 + 2 * 53  # the same 144 lines as lttng 2.13.9


def pmu_available():
    return os.path.exists("/sys/bus/event_source/devices/cpu")


def test_perf_software_counter(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("add-context", "-u", "-t", "perf:thread:task-clock", "-t",
           "perf:thread:page-fault", "-t", "vtid", "-t", "perf:thread:faults")
    rt.run("start")
    app = rt.app("ctxapp", 2, 50)
    assert app.returncode == 0
    rt.run("stop")
    assert [d.strip() for d in ctx_metadata(out)] == [
        INT.format(64, 0, "perf_thread_task_clock"), INT.format(64, 0, "perf_thread_page_fault"),
        INT.format(32, 1, "vtid"), INT.format(64, 0, "perf_thread_faults")]
    by_thread = {}
    for _, ctx, payload in read_ctx_events(out):
        # The same counter under lttng's two names: read twice in a row, same count.
        # Not in a thread's first event: there each counter is opened at its first
        # read and may count the faults of opening the next.
        if ctx["vtid"] in by_thread:
            assert ctx["perf_thread_faults"] == ctx["perf_thread_page_fault"]
        by_thread.setdefault(ctx["vtid"], []).append(ctx["perf_thread_task_clock"])
    assert len(by_thread) == 2
    for clocks in by_thread.values():
        assert len(clocks) == 50
        # The thread's own CPU time: counted from the first event on, never backwards.
        assert clocks == sorted(clocks) and clocks[-1] > clocks[0] > 0


@pytest.mark.skipif(pmu_available(), reason="this machine has a hardware PMU")
def test_perf_hardware_counter_refused_without_pmu(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("add-context", "-u", "-t", "perf:thread:cycles", check=False)
    assert r.returncode == 4
    assert r.stderr.startswith("Error: perf:thread:cycles: Context unavailable on this kernel")
    # Refused before anything changed: no channel0 was created for it.
    assert "channel0" not in rt.run("list", "s1").stdout


@pytest.mark.skipif(not pmu_available(), reason="no hardware PMU on this machine "
                    "(virtualized without PMU passthrough)")
def test_perf_hardware_counter(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("add-context", "-u", "-t", "perf:thread:cycles", "-t", "perf:thread:instructions")
    rt.run("start")
    assert rt.app("ctxapp", 1, 20).returncode == 0
    rt.run("stop")
    cycles = [ctx["perf_thread_cycles"] for _, ctx, _ in read_ctx_events(out)]
    assert len(cycles) == 20 and cycles == sorted(cycles) and cycles[-1] > cycles[0]


def test_per_pid_buffers_and_forked_child(rt, tmp_path):
    """Per-PID registries declare the contexts too; a forked child records its own ids."""
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", "--buffers-pid", "chan")
    rt.run("enable-event", "-u", "rt_test:tick", "-c", "chan")
    rt.run("add-context", "-u", "-c", "chan", "-t", "vpid", "-t", "vtid", "-t", "procname")
    rt.run("start")
    app = rt.popen_app("forker", 30, 20)
    assert app.stdout.readline().strip() == "ready"
    assert app.wait(timeout=60) == 0
    rt.run("stop")
    by_pid = {}
    for d in (out / "ust" / "pid").iterdir():
        assert [x.strip() for x in ctx_metadata(d)] == [
            INT.format(32, 1, "vpid"), INT.format(32, 1, "vtid"), EXPECTED_DECL["procname"]]
        for _, ctx, payload in read_ctx_events(d):
            by_pid.setdefault(ctx["vpid"], []).append((ctx, payload["n"]))
    parent = by_pid.pop(app.pid)
    assert len(parent) == 30
    assert all(c["vtid"] == app.pid and n < 1000000 for c, n in parent)
    assert all(c["procname"] == "forker" for c, _ in parent)
    # The child registers inside fork(): all its events, all with its own ids.
    assert len(by_pid) == 1
    (child_pid, child), = by_pid.items()
    assert child_pid != app.pid
    assert [n for _, n in child] == list(range(1000000, 1000030))
    assert all(c["vtid"] == child_pid for c, _ in child)
