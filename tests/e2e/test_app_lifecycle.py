# SPDX-License-Identifier: MIT
"""The traced app and the daemons' lifetimes: the app never waits for a
daemon that is not there, survives a daemon that dies, registers again
with a new one, and a forked child registers as an app of its own."""
import os
import signal
import subprocess
import time

import pytest

from conftest import example, read_events


def test_no_daemon_no_delay_no_output(rt):
    t0 = time.monotonic()
    r = rt.app("allfields")
    elapsed = time.monotonic() - t0
    assert r.returncode == 0
    assert r.stdout == "" and r.stderr == ""
    assert elapsed < 1.0, f"the app waited {elapsed:.2f}s without any daemon"


def start_tracing(rt, out, events="rt_test:*"):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", events)
    rt.run("start")


def test_sessiond_killed_app_unharmed_then_registers_again(rt, tmp_path):
    rt.start_sessiond()
    app = rt.popen_app("ticker", -1, 5)
    try:
        assert app.stdout.readline().strip() == "ready"
        start_tracing(rt, tmp_path / "first")
        time.sleep(0.3)
        for pid in rt.daemon_pids():
            os.kill(pid, signal.SIGKILL)
        rt.sessiond.wait(timeout=10)
        time.sleep(0.3)
        assert app.poll() is None, "the app must survive its daemons"

        # A new daemon: the running app registers again and is traced.
        (rt.home / ".ringtrace" / "ringtrace-sessiond.pid").unlink(missing_ok=True)
        rt.start_sessiond()
        second = tmp_path / "second"
        start_tracing(rt, second)
        deadline = time.monotonic() + 15
        seen = []
        while time.monotonic() < deadline and not seen:
            time.sleep(0.5)
            r = rt.run("list", "-u")
            seen = [line for line in r.stdout.splitlines() if "rt_test:tick" in line]
        assert seen, "the app did not register with the new daemon"
        time.sleep(0.5)
        rt.run("stop")
        rt.run("destroy")
    finally:
        app.kill()
        app.wait()
    ns = [f["n"] for n, f in read_events(second) if n == "rt_test:tick"]
    assert len(ns) > 10
    assert ns == list(range(ns[0], ns[0] + len(ns)))


def test_forked_child_registers_and_is_traced(rt, tmp_path):
    out = tmp_path / "trace"
    start_tracing(rt, out, "rt_test:tick")
    app = rt.popen_app("forker", 100, 10)
    assert app.stdout.readline().strip() == "ready"
    assert app.wait(timeout=60) == 0
    rt.run("stop")
    rt.run("destroy")
    ns = [f["n"] for _, f in read_events(out)]
    parent = [n for n in ns if n < 1000000]
    child = [n - 1000000 for n in ns if n >= 1000000]
    assert parent == list(range(100))
    # The child registers on its own, inside fork(), as lttng-ust's with its
    # fork library: its first event is already recorded.
    assert child == list(range(100))


def test_app_with_another_trace_clock_is_refused_and_reported(rt, tmp_path):
    out = tmp_path / "trace"
    rt.start_sessiond("-v")
    start_tracing(rt, out)
    assert rt.app("allfields").returncode == 0  # the daemons' own clock
    rt.run("stop")
    layout = out / "ust" / "uid" / str(os.getuid()) / "64-bit"
    metadata = subprocess.run(["babeltrace2", "--output-format=ctf-metadata", str(layout)],
                              capture_output=True, text=True)
    if "freq = 1000000000;" in metadata.stdout:
        pytest.skip("the daemons read CLOCK_MONOTONIC here: no other clock to force")
    rt.run("start")
    env = dict(rt.env, RINGTRACE_CLOCK="monotonic")
    r = subprocess.run([str(example("allfields"))], env=env, capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
    rt.run("stop")
    rt.run("destroy")
    assert metadata.returncode == 0
    assert len(read_events(out)) == 2, "only the app reading the daemons' clock is traced"
    assert "reads another trace clock than the daemons" in rt.sessiond_output()
