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


def lttng_available():
    if shutil.which("lttng") is None or shutil.which("lttng-sessiond") is None:
        return "lttng-tools is not installed"
    if os.geteuid() != 0:
        return "needs root for a private mount namespace"
    if shutil.which("unshare") is None:
        return "unshare(1) is missing"
    return None


NAMESPACE_SETUP = r"""
set -e
mkdir -p /run/lttng
mount -t tmpfs tmpfs /run/lttng
mount -t tmpfs tmpfs /dev/shm
export LTTNG_HOME="$WORK/home"
mkdir -p "$LTTNG_HOME"
lttng-sessiond -d --no-kernel
trap 'kill $(cat /run/lttng/lttng-sessiond.pid 2>/dev/null) 2>/dev/null || true' EXIT
"""

LTTNG_SCRIPT = r"""
lttng create s --output="$WORK/trace" >/dev/null
lttng enable-event -u "$EVENTS" >/dev/null
lttng start >/dev/null
"$@"
lttng stop >/dev/null
lttng destroy >/dev/null
"""


def run_in_lttng_namespace(work, script, args=(), env=None, timeout=120):
    """Runs the bash script with a private lttng-sessiond (WORK=work); returns the CompletedProcess."""
    env = dict(os.environ, **(env or {}), WORK=str(work))
    return subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-c",
                           NAMESPACE_SETUP + script, "lttng-run", *map(str, args)],
                          env=env, capture_output=True, text=True, timeout=timeout)


def trace_with_lttng(tmp_path, events, app_cmd):
    """Traces app_cmd (built against lttng-ust) with the real LTTng; returns the trace dir."""
    work = tmp_path / "lttng"
    work.mkdir()
    r = run_in_lttng_namespace(work, LTTNG_SCRIPT, app_cmd, env={"EVENTS": events})
    assert r.returncode == 0, r.stdout + r.stderr
    return work / "trace"
