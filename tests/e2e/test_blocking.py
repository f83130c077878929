# SPDX-License-Identifier: MIT
"""Blocking channels (`enable-channel -u --blocking-timeout=N|inf`), as in
lttng-ust 2.13: an application that allows blocking (LTTNG_UST_ALLOW_BLOCKING
or RINGTRACE_ALLOW_BLOCKING in its environment) waits for buffer space
instead of discarding, up to the timeout; without that variable it discards
as in a non-blocking channel. Unlike lttng-ust, a producer waiting forever
gives up when the consumer daemon dies."""
import os
import signal
import subprocess
import time

import pytest

from conftest import consumerd_pid, go, start_burst, stop_consumerd, wait_for
from test_buffers_pid import seq_events

SMALL = ("--subbuf-size=4096", "--num-subbuf=2")


def blocking_session(rt, out, timeout, *channel_opts):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", *SMALL, f"--blocking-timeout={timeout}", *channel_opts, "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")
    rt.run("start")


def block_app(rt, count):
    """Starts burst with the consumer stopped; returns (app, consumerd pid) once the
    app waits on its full buffer (count must need more than the 2 sub-buffers)."""
    app = start_burst(rt)
    consumerd = stop_consumerd(rt)
    go(app, count)
    time.sleep(0.5)
    if app.poll() is not None:
        os.kill(consumerd, signal.SIGCONT)
        raise AssertionError(f"the app did not block on the full buffer "
                             f"(exit status {app.returncode})")
    return app, consumerd


def run_stalled(rt, app, count, timeout):
    """Runs app to completion with the consumer stopped; returns the seconds it took."""
    consumerd = stop_consumerd(rt)
    try:
        t0 = time.monotonic()
        go(app, count)
        assert app.wait(timeout=timeout) == 0
        return time.monotonic() - t0
    finally:
        os.kill(consumerd, signal.SIGCONT)


def finish(rt, out):
    rt.run("stop")
    rt.run("destroy")
    return seq_events(out)


@pytest.mark.parametrize("buffers", ["--buffers-uid", "--buffers-pid"])
def test_stalled_consumer_blocks_the_app_then_nothing_is_lost(rt, tmp_path, buffers):
    out = tmp_path / "trace"
    blocking_session(rt, out, "inf", buffers)
    # 3000 records need about 7 packets: the app cannot finish on 2.
    app, consumerd = block_app(rt, 3000)
    os.kill(consumerd, signal.SIGCONT)
    assert app.wait(timeout=60) == 0
    assert app.stdout.read() == "done\n"
    events, discarded = finish(rt, out)
    assert events == [(0, i) for i in range(3000)]
    assert discarded == 0


def test_timeout_expires_then_records_are_discarded_and_counted(rt, tmp_path):
    out = tmp_path / "trace"
    blocking_session(rt, out, 20000)  # 20 ms
    app = start_burst(rt, var="RINGTRACE_ALLOW_BLOCKING")
    elapsed = run_stalled(rt, app, 500, 60)
    events, discarded = finish(rt, out)
    kept = len(events)
    # The two sub-buffers hold the first records; each later one waited 20 ms.
    assert 300 < kept < 500
    assert events == [(0, i) for i in range(kept)]
    assert discarded == 500 - kept
    assert elapsed >= discarded * 0.020


def test_app_without_allow_blocking_discards_at_once(rt, tmp_path):
    out = tmp_path / "trace"
    blocking_session(rt, out, "inf")
    app = start_burst(rt, allow=False)
    assert run_stalled(rt, app, 600, 10) < 5
    events, discarded = finish(rt, out)
    assert events == [(0, i) for i in range(len(events))]
    assert discarded == 600 - len(events) > 0


def test_consumer_killed_while_the_app_blocks_forever(rt, tmp_path):
    out = tmp_path / "trace"
    blocking_session(rt, out, "inf")
    app, consumerd = block_app(rt, 3000)
    os.kill(consumerd, signal.SIGKILL)
    # Each waiting record notices within one 100 ms period that nobody will
    # free space, and the rest are discarded at once.
    assert app.wait(timeout=5) == 0
    assert app.stdout.read() == "done\n"
