# SPDX-License-Identifier: MIT
"""`clear` of a snapshot session against the real lttng 2.13: the same
messages and exit codes, and each snapshot holds the same events (only those
emitted after the last clear), active and stopped."""
import pathlib
import re
import sys

import pytest

from burst_steps import lttng_transcript, ringtrace_transcript
from lttng_run import lttng_available

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from test_buffers_pid import seq_events

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

# Run in order by both (burst_steps.py).
STEPS = [
    "create s --snapshot --output=OUT",
    "clear",  # never started: nothing to do
    "enable-channel -u --subbuf-size=16384 --num-subbuf=4 ch",
    "enable-event -u rt_test:seq -c ch",
    "start",
    "BURST 300",
    "snapshot record",
    "clear",
    "BURST 200",
    "snapshot record",
    "stop",
    "clear",
    "clear",
    "snapshot record",
    "start",
    "BURST 50",
    "snapshot record",
]

def normalize(text, out):
    text = text.replace(str(out), "OUT")
    return text.replace("Spawning a session daemon\n", "")


def snapshot_events(out):
    """Events of each snapshot, in the order they were recorded."""
    dirs = sorted(out.iterdir(), key=lambda d: int(re.search(r"-(\d+)$", d.name).group(1)))
    return [seq_events(d) for d in dirs]


def steps_for(out):
    return [s.replace("OUT", str(out)) for s in STEPS]


def test_clear_snapshot_session_as_lttng(rt, tmp_path):
    work = tmp_path / "lttng"
    l_out = work / "snap"
    theirs = normalize(lttng_transcript(work, steps_for(l_out)), l_out)

    o_out = tmp_path / "snap"
    ours = ringtrace_transcript(rt, steps_for(o_out), start_app=True)
    rt.run("destroy")
    ours = normalize(ours, o_out)

    assert ours == theirs
    events = snapshot_events(o_out)
    assert events == snapshot_events(l_out)
    assert [[s for _, s in e] for e, _ in events] == [
        list(range(300)), list(range(300, 500)), [], list(range(500, 550))]
