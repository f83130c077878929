# SPDX-License-Identifier: MIT
"""The same program, instrumented for lttng-ust, traced by the real LTTng
2.13 and by ringtrace: the recorded events must be identical (names, field
names, types and values)."""
import pytest

from conftest import read_events
from lttng_run import lttng_available, lttng_build, trace_with_lttng

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")


@pytest.mark.parametrize("app", ["allfields"])
def test_payloads_identical(rt, tmp_path, app):
    lttng_app = lttng_build(f"tests/interop/{app}-lttng")
    lttng_trace = trace_with_lttng(tmp_path, "rt_test:*", [lttng_app])
    ours = tmp_path / "ours"
    rt.run("create", "s1", f"--output={ours}")
    rt.run("enable-event", "-u", "rt_test:*")
    rt.run("start")
    assert rt.app(app).returncode == 0
    rt.run("stop")
    rt.run("destroy")
    theirs = read_events(lttng_trace)
    mine = read_events(ours)
    assert theirs, "lttng recorded nothing"
    assert mine == theirs
