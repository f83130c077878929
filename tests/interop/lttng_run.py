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


# A private lttng-sessiond with its home under $WORK, stopped when the script ends.
LTTNG_SESSIOND_PRELUDE = r"""
set -e
mkdir -p /run/lttng
mount -t tmpfs tmpfs /run/lttng
mount -t tmpfs tmpfs /dev/shm
export LTTNG_HOME="$WORK/home"
mkdir -p "$LTTNG_HOME"
lttng-sessiond -d --no-kernel
SESSIOND=$(cat /run/lttng/lttng-sessiond.pid)
trap 'kill $SESSIOND 2>/dev/null || true' EXIT
"""

LTTNG_SCRIPT = LTTNG_SESSIOND_PRELUDE + r"""
lttng create s --output="$WORK/trace" >/dev/null
lttng enable-event -u "$EVENTS" >/dev/null
lttng start >/dev/null
"$@"
lttng stop >/dev/null
lttng destroy >/dev/null
"""


def trace_with_lttng(tmp_path, events, app_cmd):
    """Traces app_cmd (built against lttng-ust) with the real LTTng; returns the trace dir."""
    work = tmp_path / "lttng"
    work.mkdir()
    env = dict(os.environ, WORK=str(work), EVENTS=events)
    r = subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-c",
                        LTTNG_SCRIPT, "lttng-run", *map(str, app_cmd)],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return work / "trace"
