# SPDX-License-Identifier: MIT
"""Application contexts against the real LTTng 2.13: the same program
(appctx, registering "$app.myprov" through lttng-ust's context provider
API), the same channels, filters and `add-context -t '$app...'` list give
the same event.context TSDL and the same events with the same context
values, the provider unregistered and registered again mid-run included."""
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import example
from lttng_run import lttng_available, lttng_build, trace_with_lttng_output
from test_contexts_as_lttng import event_context_tsdl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
from test_app_contexts import CONTEXTS, FILTERS, read_app_events  # noqa: E402

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

COMMANDS = "emit 3\nunregister\nemit 2\nregister\nemit 1\n"


def commands(channels_and_filters):
    """The CLI arguments of the set-up, lttng's and ringtrace's alike."""
    out = []
    for i, expr in enumerate(channels_and_filters):
        out.append(["enable-channel", "-u", f"c{i}"])
        out.append(["enable-event", "-u", "rt_test:seq", "-c", f"c{i}"]
                   + (["--filter", expr] if expr else []))
    out.append(["add-context", "-u"] + [a for c in CONTEXTS for a in ("-t", c)])
    return out


def test_app_contexts_same_as_lttng(rt, tmp_path):
    lttng_app = lttng_build("tests/interop/appctx-lttng")
    setup = commands([None] + [expr for expr, _ in FILTERS])
    script = "\n".join("lttng " + shlex.join(c) + " >/dev/null" for c in setup)
    script += '\nlttng save -o "$WORK/save" s >/dev/null'
    lttng_trace, _ = trace_with_lttng_output(
        tmp_path, "", ["bash", "-c", f"printf {shlex.quote(COMMANDS)} | {lttng_app} >/dev/null"],
        setup=script)

    ours = tmp_path / "ours"
    rt.run("create", "s", f"--output={ours}")
    for c in setup:
        rt.run(*c)
    rt.run("start")
    app = subprocess.run([str(example("appctx"))], input=COMMANDS, env=rt.env,
                         capture_output=True, text=True, timeout=60)
    assert app.returncode == 0, app.stderr
    rt.run("stop")
    rt.run("destroy")

    assert event_context_tsdl(ours) == event_context_tsdl(lttng_trace)
    mine, theirs = read_app_events(ours), read_app_events(lttng_trace)
    assert len([e for e in mine if e[0] == "c0"]) == 6
    assert sorted(mine) == sorted(theirs)

    # lttng's saved session loads here with its application contexts, which
    # ringtrace saves back as lttng wrote them.
    lttng_xml = (tmp_path / "lttng/save/s.lttng").read_text()
    rt.run("load", "-i", tmp_path / "lttng/save/s.lttng", "s")
    rt.run("save", "-o", tmp_path / "again", "s")
    apps = [app_elements(x) for x in (lttng_xml, (tmp_path / "again/s.lttng").read_text())]
    assert apps[0] == apps[1] == [c[len("$app."):].split(":", 1) for c in CONTEXTS] * 9


def app_elements(xml):
    """[provider_name, ctx_name] of every <app> context, in file order."""
    import re

    return [list(m) for m in re.findall(r"<app>\s*<provider_name>([^<]*)</provider_name>\s*"
                                         r"<ctx_name>([^<]*)</ctx_name>\s*</app>", xml)]
