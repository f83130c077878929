# SPDX-License-Identifier: MIT
"""The fork preload against the real LTTng 2.13: nschange (unshare, setns,
clone, setresgid, setresuid) run with lttng-ust's liblttng-ust-fork.so under
the real lttng records, step by step, the same context values as it does
with libringtrace-ust-fork.so under ringtrace (each run's values checked
against what that run printed), and `$ctx.vuid == 65534` keeps the same
events."""
import shutil
import sys
from pathlib import Path

import pytest

from conftest import BUILD
from lttng_run import lttng_available, run_in_lttng_namespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
from test_contexts import read_ctx_events  # noqa: E402
from test_ust_fork_preload import CONTEXTS, event_key, parse_output, record  # noqa: E402

LTTNG_FORK = Path("/usr/lib/x86_64-linux-gnu/liblttng-ust-fork.so.1")
LTTNG_APP = BUILD / "tests/interop/nschange-lttng"

pytestmark = pytest.mark.skipif(
    lttng_available() is not None or not LTTNG_FORK.exists() or not LTTNG_APP.exists(),
    reason=lttng_available() or "liblttng-ust-fork.so or nschange-lttng missing")

SCRIPT = r"""
lttng create s1 --output="$WORK/s1" >/dev/null
lttng enable-event -u rt_test:tick,rt_test:seq >/dev/null
lttng add-context -u $CONTEXT_ARGS >/dev/null
lttng create s2 --output="$WORK/s2" >/dev/null
lttng enable-event -u rt_test:tick --filter '$ctx.vuid == 65534' >/dev/null
lttng start s1 >/dev/null
lttng start s2 >/dev/null
LD_PRELOAD="$FORK_LIB" "$APP" exit
lttng stop s1 >/dev/null
lttng stop s2 >/dev/null
lttng destroy -a >/dev/null
"""


def by_role(pid, steps, child, s1, s2):
    """The run's values replaced by their role: which step's values, which process."""
    role = {pid: "app", child: "clone child"}

    def step_of(ctx):
        values = {k: v for k, v in ctx.items() if k not in ("vpid", "vtid")}
        return next(n for n in sorted(steps) if steps[n] == values)

    parent = [(n, role[c["vpid"]], role[c["vtid"]], step_of(c)) for n, c in s1 if n < 1000]
    child_roles = {(role[c["vpid"]], role[c["vtid"]], step_of(c)) for n, c in s1 if n >= 1000}
    return parent, child_roles, s2


def test_fork_preload_same_as_lttng(rt, tmp_path):
    ours = by_role(*record(rt, tmp_path / "rt", preload=True, app_args=("exit",)))
    work = tmp_path / "lttng"
    r = run_in_lttng_namespace(work, SCRIPT, env={
        "APP": LTTNG_APP, "FORK_LIB": LTTNG_FORK,
        "CONTEXT_ARGS": " ".join(f"-t {c}" for c in CONTEXTS)})
    assert r.returncode == 0, r.stdout + r.stderr
    pid, steps, child, _ = parse_output(r.stdout)
    s1 = [event_key(name, f, ctx) for name, ctx, f in read_ctx_events(work / "s1")]
    s2 = [f["n"] for _, ctx, f in read_ctx_events(work / "s2")]
    theirs = by_role(pid, steps, child, s1, s2)
    assert theirs == ours
    # Steps 2 and 3 are back in the namespaces of step 0.
    assert ours[0] == [(n, "app", "app", k) for n, k in zip(range(6), [0, 1, 0, 0, 4, 5])]
    assert ours[1] == {("clone child", "clone child", 0)} and ours[2] == [5]
    shutil.rmtree(work, ignore_errors=True)
