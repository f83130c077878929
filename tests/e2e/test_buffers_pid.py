# SPDX-License-Identifier: MIT
"""Per-PID buffers (`enable-channel -u --buffers-pid`), as lttng 2.13 has
them: one trace per (session, app) under ust/pid/<procname>-<pid>-<datetime>/
with its own metadata (pid buffering scheme in the env block), each app's
events in its own directory only, an exiting app's buffers flushed and
drained completely, one buffering scheme per session."""
import datetime
import os
import re
import signal
import subprocess
import time

import bt2

from conftest import go, read_events, start_burst, stop_consumerd, wait_for
from test_trace import ALLFIELDS

DIR_RE = re.compile(r"^(?P<name>.+)-(?P<pid>\d+)-(?P<dt>\d{8}-\d{6})$")


def possible_cpus():
    """Number of possible CPUs (one stream per possible CPU, as lttng)."""
    text = open("/sys/devices/system/cpu/possible").read().strip()
    return max(int(x) for x in re.split(r"[-,]", text)) + 1


def pid_dirs(out):
    """{pid: directory} of the per-PID traces under out/ust/pid."""
    root = out / "ust" / "pid"
    dirs = {}
    for d in root.iterdir():
        m = DIR_RE.match(d.name)
        assert m, d.name
        dirs[int(m["pid"])] = d
    return dirs


def metadata_env(trace_dir):
    """The env block of a trace's metadata as {key: raw value text}."""
    r = subprocess.run(["babeltrace2", "--output-format=ctf-metadata", str(trace_dir)],
                       capture_output=True, text=True, check=True)
    block = re.search(r"^env \{\n(.*?)^\};", r.stdout, re.S | re.M)
    assert block, r.stdout
    return dict(re.findall(r"^\t(\w+) = (.*);$", block.group(1), re.M))


def seq_events(trace_dir):
    """((thread, seq) of every rt_test:seq event in order, discarded events count)."""
    events, discarded = [], 0
    for msg in bt2.TraceCollectionMessageIterator(str(trace_dir)):
        if type(msg) is bt2._EventMessageConst:
            assert msg.event.name == "rt_test:seq"
            events.append((int(msg.event.payload_field["thread"]),
                           int(msg.event.payload_field["seq"])))
        elif type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
    return events, discarded


def pid_session(rt, out, *channel_opts, events="rt_test:*"):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", "--buffers-pid", *channel_opts, "channel0")
    rt.run("enable-event", "-u", events, "-c", "channel0")


def test_layout_and_metadata_env(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out)
    before = datetime.datetime.now().replace(microsecond=0)
    rt.run("start")
    app = rt.popen_app("allfields")
    assert app.wait(timeout=60) == 0
    after = datetime.datetime.now()
    rt.run("stop")
    rt.run("destroy")

    assert not (out / "ust" / "uid").exists()
    [(pid, d)] = pid_dirs(out).items()
    assert pid == app.pid
    m = DIR_RE.match(d.name)
    assert m["name"] == "allfields"
    registered = datetime.datetime.strptime(m["dt"], "%Y%m%d-%H%M%S")
    assert before <= registered <= after
    assert (d / "metadata").is_file()
    for cpu in range(possible_cpus()):
        assert (d / f"channel0_{cpu}").is_file()
        assert (d / "index" / f"channel0_{cpu}.idx").is_file()

    env = metadata_env(d)
    assert env["tracer_buffering_scheme"] == '"pid"'
    assert env["tracer_buffering_id"] == str(app.pid)
    assert env["vpid"] == str(app.pid)
    assert env["procname"] == '"allfields"'
    # Registration time in the env, the same second as the directory name.
    vpid_dt = datetime.datetime.strptime(env["vpid_datetime"].strip('"'), "%Y%m%dT%H%M%S%z")
    assert vpid_dt.replace(tzinfo=None) == registered
    assert re.fullmatch(r"\d+", env["tracer_patchlevel"])
    assert env["trace_name"] == '"s1"'
    keys = list(env)
    assert keys[-4:] == ["tracer_patchlevel", "vpid", "procname", "vpid_datetime"]

    assert [f for _, f in read_events(d)] == ALLFIELDS


def test_two_apps_each_own_directory(rt, tmp_path):
    out = tmp_path / "trace"
    # Big enough that 5000 events never wait for the consumer: exact counts.
    pid_session(rt, out, "--subbuf-size=512k", events="rt_test:seq")
    rt.run("start")
    apps = [rt.popen_app("threads", 1, 5000) for _ in range(2)]
    for a in apps:
        assert a.wait(timeout=60) == 0
    rt.run("stop")
    rt.run("destroy")

    dirs = pid_dirs(out)
    assert sorted(dirs) == sorted(a.pid for a in apps)
    uuids = set()
    for pid, d in dirs.items():
        assert DIR_RE.match(d.name)["name"] == "threads"
        events, discarded = seq_events(d)
        assert discarded == 0
        assert events == [(0, i) for i in range(5000)]
        env = metadata_env(d)
        assert env["vpid"] == str(pid)
        r = subprocess.run(["babeltrace2", "--output-format=ctf-metadata", str(d)],
                           capture_output=True, text=True, check=True)
        uuids.add(re.search(r'^\tuuid = "([0-9a-f-]+)";', r.stdout, re.M).group(1))
    assert len(uuids) == 2, "each per-PID trace has its own uuid"


def test_app_exiting_before_stop_is_drained(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out, "--subbuf-size=512k", events="rt_test:seq")
    rt.run("start")
    app = rt.popen_app("threads", 1, 5000)
    assert app.wait(timeout=60) == 0
    d = pid_dirs(out)[app.pid]

    # The session still runs: the app's exit alone gets its trace complete.
    def complete():
        try:
            return seq_events(d)[0] == [(0, i) for i in range(5000)]
        except Exception:
            return False
    wait_for(complete)

    rt.run("stop")
    rt.run("destroy")
    assert seq_events(d) == ([(0, i) for i in range(5000)], 0)


def test_exited_app_counters_kept(rt, tmp_path):
    out = tmp_path / "trace"
    total = 200_000
    # Two small sub-buffers: the app discards most of what it emits.
    pid_session(rt, out, "--subbuf-size=4k", "--num-subbuf=2", events="rt_test:seq")
    rt.run("start")
    # The app registered, its buffers set up, then the consumer stopped: the
    # two sub-buffers fill and the rest is discarded.
    app = start_burst(rt)
    consumerd = stop_consumerd(rt)
    try:
        go(app, total)
        assert app.wait(timeout=60) == 0
    finally:
        os.kill(consumerd, signal.SIGCONT)
    d = pid_dirs(out)[app.pid]
    events, discarded = [], 0

    def drained():
        nonlocal events, discarded
        try:
            events, discarded = seq_events(d)
        except Exception:
            return False
        return len(events) + discarded == total
    wait_for(drained)
    assert discarded > 0
    assert events == sorted(events)

    # The app and its buffers are gone; `list` still counts its discarded events.
    listing = rt.run("list", "s1").stdout
    assert f"Discarded events: {discarded}" in listing, listing
    rt.run("stop")
    rt.run("destroy")


def test_mixed_buffer_types_refused(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 'a'}")
    rt.run("enable-channel", "-u", "--buffers-pid", "chan")
    for opts in ([], ["--buffers-uid"]):
        r = rt.run("enable-channel", "-u", *opts, "chan2", check=False)
        assert r.returncode == 1
        assert r.stderr.strip() == \
            "Error: Channel chan2: Buffer type mismatch for session (session s1)"
    # enable-event creates missing channels per-user, as lttng's CLI asks.
    r = rt.run("enable-event", "-u", "-a", "-c", "newchan", check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == ("Error: Events: Buffer type mismatch for session "
                                "(channel newchan, session s1)")
    rt.run("enable-channel", "-u", "--buffers-pid", "chan3")
    listing = rt.run("list", "s1").stdout
    assert "Buffering scheme: per-process" in listing
    assert "- chan: [enabled]" in listing and "- chan3: [enabled]" in listing
    assert "chan2" not in listing and "newchan" not in listing
    assert "Sub-buffer size:  16384 bytes" in listing  # lttng's per-PID default

    rt.run("create", "s2", f"--output={tmp_path / 'b'}")
    rt.run("enable-channel", "-u", "chan")
    r = rt.run("enable-channel", "-u", "--buffers-pid", "chan2", check=False)
    assert r.returncode == 1
    assert "Buffer type mismatch for session (session s2)" in r.stderr
    assert "Buffering scheme: per-user" in rt.run("list", "s2").stdout


def test_apps_registered_before_and_after_start(rt, tmp_path):
    out = tmp_path / "trace"
    rt.start_sessiond()
    early = rt.popen_app("ticker", -1, 5)
    try:
        assert early.stdout.readline().strip() == "ready"
        pid_session(rt, out)
        rt.run("start")
        time.sleep(0.5)
        late = rt.popen_app("allfields")
        assert late.wait(timeout=60) == 0
        time.sleep(0.5)
        rt.run("stop")
        rt.run("destroy")
    finally:
        early.kill()
        early.wait()

    dirs = pid_dirs(out)
    assert sorted(dirs) == sorted([early.pid, late.pid])
    assert DIR_RE.match(dirs[early.pid].name)["name"] == "ticker"
    ns = [f["n"] for n, f in read_events(dirs[early.pid])]
    assert len(ns) > 20
    assert ns == list(range(ns[0], ns[0] + len(ns)))
    assert [f for _, f in read_events(dirs[late.pid])] == ALLFIELDS
    # The directory carries the registration time: the early app's is not later.
    early_dt = DIR_RE.match(dirs[early.pid].name)["dt"]
    assert early_dt <= DIR_RE.match(dirs[late.pid].name)["dt"]


def test_forked_child_gets_its_own_buffers(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out, events="rt_test:tick")
    rt.run("start")
    app = rt.popen_app("forker", 50, 5)
    assert app.stdout.readline().strip() == "ready"
    assert app.wait(timeout=60) == 0
    rt.run("stop")
    rt.run("destroy")

    dirs = pid_dirs(out)
    assert app.pid in dirs and len(dirs) == 2
    [child] = [pid for pid in dirs if pid != app.pid]
    parent_ns = [f["n"] for _, f in read_events(dirs[app.pid])]
    child_ns = [f["n"] for _, f in read_events(dirs[child])]
    assert parent_ns == list(range(50))
    # The child registers inside fork(): every event of its own, none of the parent's.
    assert child_ns == list(range(1000000, 1000050))
    assert child_ns[0] >= 1000000


def test_app_killed_mid_trace(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out)
    rt.run("start")
    victim = rt.popen_app("ticker", -1, 1)
    assert victim.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    # The daemons survive and keep tracing other apps, each in its own buffers.
    other = rt.popen_app("allfields")
    assert other.wait(timeout=60) == 0
    rt.run("stop")
    rt.run("destroy")
    dirs = pid_dirs(out)
    assert sorted(dirs) == sorted([victim.pid, other.pid])
    ns = [f["n"] for _, f in read_events(dirs[victim.pid])]
    assert len(ns) > 10
    assert ns == list(range(len(ns)))
    assert [f for _, f in read_events(dirs[other.pid])] == ALLFIELDS
