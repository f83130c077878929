# SPDX-License-Identifier: MIT
"""A relay daemon that disallows clear, both ways with the real LTTng 2.13:
the real lttng-sessiond learns it from ringtrace-relayd -x, and
ringtrace's session daemon from lttng-relayd with
LTTNG_RELAYD_DISALLOW_CLEAR=1; either way `clear` fails with lttng's
message and exit status and the trace goes on."""
import sys
from pathlib import Path

import pytest

from conftest import read_events, run_burst
from lttng_run import lttng_available, run_in_lttng_namespace
from relayd_proc import Relay

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_consumer_to_lttng_relayd import LttngRelay  # noqa: E402

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

REFUSED = "Error: Clearing a session is not supported by the relay daemon\n"


def test_lttng_sessiond_into_ringtrace_relayd_disallowing_clear(tmp_path):
    relay = Relay(tmp_path / "out", "-x")
    try:
        r = run_in_lttng_namespace(tmp_path / "lttng", f"""
lttng create c --set-url={relay.url()} >/dev/null
lttng enable-event -u 'rt_test:*' >/dev/null
lttng start >/dev/null
lttng clear || echo "rc=$?"
lttng destroy >/dev/null
""")
    finally:
        assert relay.stop() == 0
    assert (r.stdout, r.stderr) == ("rc=157\n", REFUSED), r


def test_ringtrace_into_lttng_relayd_disallowing_clear(rt, tmp_path, monkeypatch):
    monkeypatch.setenv("LTTNG_RELAYD_DISALLOW_CLEAR", "1")
    relay = LttngRelay(tmp_path)
    try:
        rt.run("create", "s1", f"--set-url={relay.url()}")
        rt.run("enable-event", "-u", "rt_test:seq")
        rt.run("start")
        run_burst(rt, 5)
        r = rt.run("clear", check=False)
        assert (r.returncode, r.stdout, r.stderr) == (157, "", REFUSED)
        rt.run("stop")
        assert [f["seq"] for _, f in read_events(relay.session_dir("s1-"))] == list(range(5))
        rt.run("destroy")
    finally:
        relay.stop()
