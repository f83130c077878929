# SPDX-License-Identifier: MIT
"""Running the real LTTng 2.13 beside ringtrace, for the interop tests.

The real lttng-sessiond runs inside a private mount namespace with its own
/run/lttng and /dev/shm, so it never touches a daemon already running on
the machine. That needs root (unshare -m) and lttng-tools installed;
otherwise the interop tests are skipped with the reason.
"""
import os
import shutil
import subprocess

import pytest

from conftest import BUILD


def lttng_build(path):
    """BUILD/path, a program of ours built against lttng-ust; skips the test
    when it was not built."""
    program = BUILD / path
    if not program.exists():
        pytest.skip(f"{program.name} not built (liblttng-ust-dev missing at configure time)")
    return program


def lttng_available():
    if shutil.which("lttng") is None or shutil.which("lttng-sessiond") is None:
        return "lttng-tools is not installed"
    if os.geteuid() != 0:
        return "needs root for a private mount namespace"
    if shutil.which("unshare") is None:
        return "unshare(1) is missing"
    return None


# A private lttng-sessiond (pid $SESSIOND) for the rest of the script. HOME is moved too:
# lttng-sessiond saves sessions under the home of the user's passwd entry
# unless told otherwise, which must not be the machine's.
NAMESPACE_SETUP = r"""
set -e
mkdir -p /run/lttng
mount -t tmpfs tmpfs /run/lttng
mount -t tmpfs tmpfs /dev/shm
export LTTNG_HOME="$WORK/home" HOME="$WORK/home"
mkdir -p "$LTTNG_HOME"
lttng-sessiond -d --no-kernel
SESSIOND=$(cat /run/lttng/lttng-sessiond.pid)
trap 'kill $SESSIOND 2>/dev/null || true' EXIT
"""

# $SETUP: shell commands that set the session up (rules, contexts) before start.
LTTNG_SCRIPT = r"""
lttng create s --output="$WORK/trace" >/dev/null
eval "$SETUP"
lttng start >/dev/null
"$@"
lttng stop >/dev/null
lttng destroy >/dev/null
"""


def run_in_lttng_namespace(work, script, args=(), env=None, timeout=120):
    """Runs the bash script with a private lttng-sessiond (WORK=work, created
    if missing) and positional args; returns the CompletedProcess (text)."""
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, **{k: str(v) for k, v in (env or {}).items()}, WORK=str(work))
    return subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-c",
                           NAMESPACE_SETUP + script, "lttng-run", *map(str, args)],
                          env=env, capture_output=True, text=True, timeout=timeout)


def trace_with_lttng_output(tmp_path, events, app_cmd, setup=None):
    """Traces app_cmd (built against lttng-ust) with the real LTTng; returns
    (trace dir, what app_cmd printed on stdout). The session gets
    `lttng enable-event -u EVENTS`, or the shell commands setup instead."""
    if setup is None:
        setup = 'lttng enable-event -u "$EVENTS" >/dev/null'
    work = tmp_path / "lttng"
    r = run_in_lttng_namespace(work, LTTNG_SCRIPT, app_cmd, env={"EVENTS": events, "SETUP": setup})
    assert r.returncode == 0, r.stdout + r.stderr
    return work / "trace", r.stdout


def trace_with_lttng(tmp_path, events, app_cmd, setup=None):
    """The same; returns the trace dir."""
    return trace_with_lttng_output(tmp_path, events, app_cmd, setup)[0]


STEP_END = "@@END@@"


def steps_script(steps, err_filter="cat"):
    """A bash script running each step as `lttng STEP`: "SETUP ..." steps
    quietly, the others each printing "rc=N", its stdout, "--", its stderr
    (through err_filter) and a STEP_END line."""
    lines = []
    for step in steps:
        cmd = step.removeprefix("SETUP ")
        if step.startswith("SETUP"):
            lines.append(f"lttng {cmd} >/dev/null 2>&1")
        else:
            lines.append(f'lttng {cmd} >"$WORK/out" 2>"$WORK/err"; echo "rc=$?"; '
                         f'cat "$WORK/out"; echo "--"; {err_filter} "$WORK/err"; '
                         f'echo "{STEP_END}"')
    return "set +e\n" + "\n".join(lines) + "\n"


def step_results(stdout):
    """What steps_script printed for each compared step."""
    return stdout.split(STEP_END + "\n")[:-1]
