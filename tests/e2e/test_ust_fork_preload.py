# SPDX-License-Identifier: MIT
"""LD_PRELOAD=libringtrace-ust-fork.so, as lttng-ust 2.13's
liblttng-ust-fork.so: after unshare(), setns(), setresgid(), setresuid() the
contexts an app records (and `$ctx.*` filters) read the new namespace ids
and ids, and a child made by clone() without CLONE_VM registers as a new
app with its own vpid/vtid. Without the preload the values cached before
stay (vuid, uts_ns...), and the clone child records with its parent's
vpid, as with lttng-ust without its preload. fork() through the preload
is handled once, as without it. In a program without the tracer, the
preload changes nothing."""
import os
import subprocess

from conftest import BUILD, example
from test_contexts import read_ctx_events

PRELOAD = BUILD / "src/lib/ust-fork/libringtrace-ust-fork.so"
CONTEXTS = ["vpid", "vtid", "uts_ns", "net_ns", "mnt_ns",
            "vuid", "veuid", "vsuid", "vgid", "vegid", "vsgid"]
STEP_FIELDS = ["uts_ns", "net_ns", "mnt_ns", "vuid", "veuid", "vsuid", "vgid", "vegid", "vsgid"]


def parse_output(stdout):
    """(pid, {step: {context: value}}, clone child pid, lines) from nschange's output."""
    lines = stdout.splitlines()
    assert lines[-1] == "done", stdout
    pid, steps, child = None, {}, None
    for line in lines:
        w = line.split()
        if w[0] == "pid":
            pid = int(w[1])
        elif w[0] == "step":
            steps[int(w[1])] = dict(zip(STEP_FIELDS, map(int, w[2:])))
        elif w[0] == "clone":
            child = int(w[1])
    assert sorted(steps) == [0, 1, 2, 3, 4, 5]
    return pid, steps, child, lines


def run_nschange(env, name="nschange", preload=True, args=()):
    """Runs nschange; returns parse_output() of what it printed."""
    env = dict(env)
    if preload:
        env["LD_PRELOAD"] = str(PRELOAD)
        # In a sanitized build, the preload comes before the sanitizer's runtime.
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                     "verify_asan_link_order=0"]))
    r = subprocess.run([str(example(name)), *args], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return parse_output(r.stdout)


def event_key(name, payload, ctx):
    """(tick n, or 1000 + seq for the clone child's seq events, contexts)."""
    return (payload["n"] if name == "rt_test:tick" else 1000 + payload["seq"], ctx)


def record(rt, tmp_path, preload, app_args=()):
    """Session s1 records the app's ticks and the clone child's seq events
    with CONTEXTS, s2 only the ticks with $ctx.vuid == 65534; returns (pid,
    steps, child, s1 [(tick n or 1000 + seq, contexts)], s2 [tick n])."""
    rt.run("create", "s1", f"--output={tmp_path / 's1'}")
    rt.run("enable-event", "-u", "rt_test:tick,rt_test:seq")
    rt.run("add-context", "-u", *[a for c in CONTEXTS for a in ("-t", c)])
    rt.run("create", "s2", f"--output={tmp_path / 's2'}")
    rt.run("enable-event", "-u", "rt_test:tick", "--filter", "$ctx.vuid == 65534")
    rt.run("start", "s1")
    rt.run("start", "s2")
    pid, steps, child, _ = run_nschange(rt.env, preload=preload, args=app_args)
    rt.run("stop", "s1")
    rt.run("stop", "s2")
    s1 = [event_key(name, f, ctx) for name, ctx, f in read_ctx_events(tmp_path / "s1")]
    s2 = [f["n"] for name, ctx, f in read_ctx_events(tmp_path / "s2")] \
        if any((tmp_path / "s2").rglob("metadata")) else []
    return pid, steps, child, s1, s2


def test_contexts_follow_changes_with_preload(rt, tmp_path):
    pid, steps, child, s1, s2 = record(rt, tmp_path, preload=True)
    # The namespaces really changed and came back.
    assert steps[1]["uts_ns"] != steps[0]["uts_ns"] and steps[1]["net_ns"] != steps[0]["net_ns"]
    assert steps[2] == steps[0]
    mine = [(n, ctx) for n, ctx in s1 if n < 1000]
    assert mine == [(n, {"vpid": pid, "vtid": pid, **steps[n]}) for n in range(6)]
    # The clone child: a new app with its own pid, recording once registered.
    theirs = [(n, ctx) for n, ctx in s1 if n >= 1000]
    assert child and child != pid
    assert theirs == [(1000 + k, {"vpid": child, "vtid": child, **steps[2]}) for k in range(10)]
    assert s2 == [5]


def test_contexts_stay_cached_without_preload(rt, tmp_path):
    pid, steps, child, s1, s2 = record(rt, tmp_path, preload=False)
    assert steps[5]["vuid"] == 65534 and steps[1]["uts_ns"] != steps[0]["uts_ns"]
    mine = [(n, ctx) for n, ctx in s1 if n < 1000]
    assert mine == [(n, {"vpid": pid, "vtid": pid, **steps[0]}) for n in range(6)]
    # The clone child runs on its parent's tracer state: the parent's vpid,
    # and the main thread's vtid.
    theirs = [(n, ctx) for n, ctx in s1 if n >= 1000]
    assert theirs == [(1000 + k, {"vpid": pid, "vtid": pid, **steps[0]}) for k in range(10)]
    assert s2 == []


def test_preload_without_tracer_changes_nothing(rt):
    """nschange-plain is not linked to libringtrace-ust: the preload does not
    bring it in, every call returns what it returns without it (errno too),
    and the clone child runs and exits as before."""
    runs = [run_nschange(rt.env, "nschange-plain", preload=p) for p in (False, True)]

    def masked(run):
        pid, steps, child, lines = run
        # New namespaces and the pids differ between runs.
        return [line.replace(str(steps[1]["uts_ns"]), "UTS").replace(
            str(steps[1]["net_ns"]), "NET").replace(f"clone {child}", "clone PID").replace(
            f"pid {pid}", "pid PID") for line in lines]

    assert masked(runs[0]) == masked(runs[1])
    assert runs[1][3][-3:] == ["setns-bad -1 9", "tracer-mapped 0", "done"]
    assert os.path.exists(PRELOAD)


def test_fork_with_preload_as_without(rt, tmp_path):
    """fork() through the preload is the library's own fork handling, once:
    the parent goes on recording, the child registers and records with its
    own ids (per-PID buffers: one directory each)."""
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("enable-channel", "-u", "--buffers-pid", "chan")
    rt.run("enable-event", "-u", "rt_test:tick", "-c", "chan")
    rt.run("add-context", "-u", "-c", "chan", "-t", "vpid", "-t", "vtid")
    rt.run("start")
    env = dict(rt.env, LD_PRELOAD=str(PRELOAD))
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                 "verify_asan_link_order=0"]))
    app = subprocess.Popen([str(example("forker")), "30", "20"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = app.communicate(timeout=60)
    assert app.returncode == 0 and out == "ready\n", err
    rt.run("stop")
    by_pid = {}
    for d in (tmp_path / "t" / "ust" / "pid").iterdir():
        for _, ctx, f in read_ctx_events(d):
            by_pid.setdefault(ctx["vpid"], []).append((ctx["vtid"], f["n"]))
    assert by_pid.pop(app.pid) == [(app.pid, n) for n in range(30)]
    (child_pid, child), = by_pid.items()
    assert child == [(child_pid, n) for n in range(1000000, 1000030)]
