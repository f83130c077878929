# SPDX-License-Identifier: MIT
"""One command sequence run by the real LTTng 2.13 and by ringtrace, with
the burst app pinned to one CPU, for the interop tests that compare what
both print, exit with and record.

A step is a command line without its `lttng`/`ringtrace`, or "BURST n":
the app emits n more events and the step ends once it has. A transcript
holds "== STEP" for every step, then, for a command, what it printed
(stdout, then stderr) and "exit STATUS"."""
import os

from conftest import emit, go, start_burst
from lttng_run import lttng_build, run_in_lttng_namespace

# The real side: the app starts (pinned) before the first step and reads
# its batch sizes from a fifo; "$WORK/steps" holds one step a line.
LTTNG_STEPS_SCRIPT = r"""
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
"""


def burst_lttng():
    """The burst app built against lttng-ust; skips the test when it was not built."""
    return lttng_build("tests/interop/burst-lttng")


def burst_cpu():
    """The CPU both sides pin the app to (start_burst's): its stream gets the events."""
    return min(os.sched_getaffinity(0))


def lttng_transcript(work, steps, destroy=True):
    """The transcript of steps run with the real LTTng in the directory work;
    with destroy, the session is destroyed after the last step."""
    burst = burst_lttng()
    work.mkdir(parents=True, exist_ok=True)
    (work / "steps").write_text("\n".join(steps) + "\n")
    script = LTTNG_STEPS_SCRIPT + ("lttng destroy >/dev/null\n" if destroy else "")
    r = run_in_lttng_namespace(work, script, env=dict(BURST=burst, CPU=burst_cpu()))
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def ringtrace_transcript(rt, steps, start_app=False):
    """The transcript of steps run with ringtrace. The app starts at the first
    BURST step, or before the first step with start_app; it exits after the
    last step."""
    lines = []
    app = start_burst(rt) if start_app else None
    for step in steps:
        lines.append(f"== {step}\n")
        if step.startswith("BURST "):
            app = app or start_burst(rt)
            emit(app, int(step.split()[1]))
            continue
        p = rt.run(*step.split(), check=False)
        lines.append(p.stdout + p.stderr + f"exit {p.returncode}\n")
    if app:
        go(app, 0)
        assert app.wait(timeout=30) == 0
    return "".join(lines)
