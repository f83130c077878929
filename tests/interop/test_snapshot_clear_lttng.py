# SPDX-License-Identifier: MIT
"""`clear` of a snapshot session against the real lttng 2.13: the same
messages and exit codes, and each snapshot holds the same events (only those
emitted after the last clear), active and stopped."""
import os
import pathlib
import re
import sys

import pytest

from conftest import BUILD, go, start_burst
from lttng_run import lttng_available, run_in_lttng_namespace

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from test_buffers_pid import seq_events

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

# (command) run in order by both; "BURST n" makes the app emit n events.
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

LTTNG_SCRIPT = r"""
set +e
mkfifo "$WORK/in"
taskset -c "$CPU" "$BURST" <"$WORK/in" >"$WORK/app.out" &
APP=$!
exec 3>"$WORK/in"
while ! grep -q ready "$WORK/app.out"; do sleep 0.05; done
batches=0
while read -r step; do
	echo "== $step"
	case "$step" in
	BURST*)
		echo "${step#BURST }" >&3
		batches=$((batches + 1))
		while [ "$(grep -c done "$WORK/app.out")" -lt $batches ]; do sleep 0.05; done
		continue;;
	esac
	lttng $step 2>&1
	echo "exit $?"
done <"$WORK/steps"
exec 3>&-
wait $APP
lttng destroy >/dev/null
"""


def normalize(text, out):
    text = text.replace(str(out), "OUT")
    return text.replace("Spawning a session daemon\n", "")


def snapshot_events(out):
    """Events of each snapshot, in the order they were recorded."""
    dirs = sorted(out.iterdir(), key=lambda d: int(re.search(r"-(\d+)$", d.name).group(1)))
    return [seq_events(d) for d in dirs]


def test_clear_snapshot_session_as_lttng(rt, tmp_path):
    burst = BUILD / "tests/interop/burst-lttng"
    if not burst.exists():
        pytest.skip("burst-lttng not built (liblttng-ust-dev missing at configure time)")
    cpu = min(os.sched_getaffinity(0))

    work = tmp_path / "lttng"
    work.mkdir()
    l_out = work / "snap"
    (work / "steps").write_text("\n".join(STEPS).replace("OUT", str(l_out)) + "\n")
    r = run_in_lttng_namespace(work, LTTNG_SCRIPT, env=dict(BURST=burst, CPU=cpu))
    assert r.returncode == 0, r.stdout + r.stderr
    theirs = normalize(r.stdout, l_out)

    o_out = tmp_path / "snap"
    lines = []
    app = start_burst(rt)
    for step in STEPS:
        lines.append(f"== {step}\n")
        if step.startswith("BURST"):
            go(app, int(step.split()[1]), last=False)
            assert app.stdout.readline() == "done\n"
            continue
        p = rt.run(*step.replace("OUT", str(o_out)).split(), check=False)
        lines.append(p.stdout + p.stderr + f"exit {p.returncode}\n")
    go(app, 0)
    assert app.wait(timeout=30) == 0
    rt.run("destroy")
    ours = normalize("".join(lines), o_out)

    assert ours == theirs
    events = snapshot_events(o_out)
    assert events == snapshot_events(l_out)
    assert [[s for _, s in e] for e, _ in events] == [
        list(range(300)), list(range(300, 500)), [], list(range(500, 550))]
