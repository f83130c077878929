# SPDX-License-Identifier: MIT
"""Process attribute trackers (`track`/`untrack -u --vpid/--vuid/--vgid`),
as lttng 2.13: every app is traced until a value is tracked, then only the
apps whose attributes are in the inclusion sets; `untrack --all` traces
none; a change applies to the running apps at once."""
import contextlib
import os
import pwd
import re
import time

from conftest import read_events

# An app tracked again gets new buffers in <dir>-1, <dir>-2, ...
DIR_RE = re.compile(r"^(?P<name>.+)-(?P<pid>\d+)-(?P<dt>\d{8}-\d{6})(-\d+)?$")


def ticks_by_pid(out):
    """{pid: [n of each rt_test:tick]} from the per-PID traces under out."""
    root = out / "ust" / "pid"
    ticks = {}
    if not root.exists():
        return ticks
    for d in root.iterdir():
        m = DIR_RE.match(d.name)
        assert m, d.name
        ticks.setdefault(int(m["pid"]), []).extend(
            f["n"] for n, f in read_events(d) if n == "rt_test:tick")
    return ticks


def tracker_lines(rt, session="s1"):
    out = rt.run("list", session).stdout.splitlines()
    i = out.index("Tracked process attributes")
    return out[i + 1:i + 4]


def pid_session(rt, out):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", "--buffers-pid", "chan")
    rt.run("enable-event", "-u", "rt_test:tick", "-c", "chan")


@contextlib.contextmanager
def two_tickers(rt):
    """Two ticker apps, ready; these and any app added to the list are
    killed on leaving."""
    apps = []
    try:
        for _ in range(2):
            apps.append(rt.popen_app("ticker", -1, 5))
            assert apps[-1].stdout.readline().strip() == "ready"
        yield apps
    finally:
        for a in apps:
            a.kill()
            a.wait()


def trace_tracker_changes(rt, *changes):
    """Traces the running apps, applying each tracker command (a list of
    arguments) in turn a moment apart, then stops and destroys the session."""
    rt.run("start")
    time.sleep(0.3)
    for change in changes:
        rt.run(*change)
        time.sleep(0.3)
    rt.run("stop")
    rt.run("destroy")


def test_default_all_and_list_lines(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("enable-event", "-u", "rt_test:tick")
    assert tracker_lines(rt) == ["  Virtual process IDs:  all",
                                 "  Virtual user IDs:     all",
                                 "  Virtual group IDs:    all"]
    r = rt.run("track", "-u", "--vpid", "1234,5678")
    assert r.stdout.splitlines() == [
        "Added 1234 to the virtual process ID tracker inclusion set",
        "Added 5678 to the virtual process ID tracker inclusion set"]
    r = rt.run("track", "-u", "--vpid=1234")
    assert "Warning: 1234 is already in the virtual process ID inclusion set" in r.stderr
    rt.run("track", "-u", "--vgid", "7", "-s", "s1")
    r = rt.run("untrack", "-u", "--all", "--vuid")
    assert r.stdout.strip() == "Virtual user ID tracking policy set to `exclude all`"
    assert tracker_lines(rt) == ["  Virtual process IDs:  1234, 5678",
                                 "  Virtual user IDs:     none",
                                 "  Virtual group IDs:    7"]
    r = rt.run("untrack", "-u", "--vpid", "1234")
    assert r.stdout.strip() == "Removed 1234 from the virtual process ID tracker inclusion set"
    r = rt.run("track", "-u", "--all", "--vuid")
    assert r.stdout.strip() == "Virtual user ID tracking policy set to `include all`"
    assert tracker_lines(rt) == ["  Virtual process IDs:  5678",
                                 "  Virtual user IDs:     all",
                                 "  Virtual group IDs:    7"]


def test_errors(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    # As lttng, a tracker change alone makes the user space domain.
    rt.run("track", "-u", "--vgid", "5")
    assert "Buffering scheme: per-user" in rt.run("list", "s1").stdout
    r = rt.run("untrack", "-u", "--vpid", "9999")
    assert "Warning: 9999 is not in the virtual process ID the inclusion set" in r.stderr
    r = rt.run("track", "-u", "--vpid", "abc", check=False)
    assert r.returncode == 1
    assert ("Error: abc is not a valid virtual process ID value; expected an integer"
            in r.stderr)
    r = rt.run("track", "-u", "--vpid", check=False)
    assert r.returncode == 1
    assert "No process attribute value specified for Virtual process ID tracker" in r.stderr
    r = rt.run("track", "-u", check=False)
    assert r.returncode == 1
    assert "At least one process attribute must be specified" in r.stderr
    r = rt.run("track", "-u", "--vpid", "-5", check=False)
    assert r.returncode == 2
    r = rt.run("track", "-u", "--vpid", "1", "-s", "nosuch", check=False)
    assert r.returncode == 1
    assert "Error: Recording session does not exist" in r.stderr
    r = rt.run("track", "-u", "--vuid", "root")
    assert r.stdout.strip() == "Added root to the virtual user ID tracker inclusion set"
    assert tracker_lines(rt)[1] == "  Virtual user IDs:     `root`"


def test_names_kept_listed_and_untracked_as_named(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("track", "-u", "--vuid=root,1234", "--vgid=root")
    assert r.stdout.splitlines() == [
        "Added root to the virtual user ID tracker inclusion set",
        "Added 1234 to the virtual user ID tracker inclusion set",
        "Added root to the virtual group ID tracker inclusion set"]
    # A name and the id it resolves to are two values, as lttng lists them.
    rt.run("track", "-u", "--vgid=0,daemon")
    assert tracker_lines(rt)[1:] == ["  Virtual user IDs:     `root`, 1234",
                                     "  Virtual group IDs:    `root`, 0, `daemon`"]
    r = rt.run("track", "-u", "--vuid=root")
    assert r.stderr == "Warning: `root` is already in the virtual user ID inclusion set\n"
    # untrack matches what was tracked: a name by its name, an id by its id.
    r = rt.run("untrack", "-u", "--vuid=0")
    assert r.stderr == "Warning: 0 is not in the virtual user ID the inclusion set\n"
    r = rt.run("untrack", "-u", "--vgid=root")
    assert r.stdout == "Removed root from the virtual group ID tracker inclusion set\n"
    r = rt.run("untrack", "-u", "--vuid=bin")
    assert r.stderr == "Warning: `bin` is not in the virtual user ID the inclusion set\n"
    # An unknown name is refused by sessiond, naming it; nothing changes.
    r = rt.run("track", "-u", "--vuid=nosuchuser", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: User `nosuchuser` was not found\n")
    r = rt.run("track", "-u", "--vgid=nosuchgroup", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Group `nosuchgroup` was not found\n")
    assert tracker_lines(rt)[1:] == ["  Virtual user IDs:     `root`, 1234",
                                     "  Virtual group IDs:    0, `daemon`"]


def test_track_vpid_running_apps(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out)
    with two_tickers(rt) as apps:
        # After the track, only apps[0] is traced: apps[1] lost its buffers.
        trace_tracker_changes(rt, ["track", "-u", "--vpid", apps[0].pid],
                              ["untrack", "-u", "--vpid", apps[0].pid])
    ticks = ticks_by_pid(out)
    assert len(ticks.get(apps[0].pid, [])) > 50
    # apps[1] was traced before the track only: its ticks stop early.
    assert len(ticks.get(apps[1].pid, [])) < len(ticks[apps[0].pid])


def test_track_vpid_before_start(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out)
    with two_tickers(rt) as apps:
        rt.run("track", "-u", "--vpid", apps[0].pid)
        rt.run("start")
        time.sleep(0.5)
        late = rt.popen_app("ticker", -1, 5)
        assert late.stdout.readline().strip() == "ready"
        apps.append(late)
        time.sleep(0.3)
        rt.run("stop")
        rt.run("destroy")
    ticks = ticks_by_pid(out)
    assert set(ticks) == {apps[0].pid}
    assert len(ticks[apps[0].pid]) > 20


def test_untrack_stops_tracing_app(rt, tmp_path):
    out = tmp_path / "trace"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:tick")
    with two_tickers(rt) as apps:
        rt.run("track", "-u", "--vpid", f"{apps[0].pid},{apps[1].pid}")
        rt.run("start")
        time.sleep(0.3)
        rt.run("untrack", "-u", "--vpid", f"{apps[0].pid},{apps[1].pid}")
        # Empty inclusion set: nothing is traced any more.
        rt.run("stop")
        n_before = len(read_events(out))
        rt.run("start")
        time.sleep(0.3)
        rt.run("stop")
        rt.run("destroy")
    assert n_before > 0
    assert len(read_events(out)) == n_before


def test_vuid_root_traces_all_and_untrack_all(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out)
    with two_tickers(rt) as apps:
        rt.run("track", "-u", "--vuid", os.getuid())
        rt.run("start")
        time.sleep(0.5)
        rt.run("stop")
        ticks = ticks_by_pid(out)
        assert set(ticks) == {a.pid for a in apps}
        rt.run("untrack", "-u", "--all", "--vpid")
        assert tracker_lines(rt)[0] == "  Virtual process IDs:  none"
        counts = {p: len(v) for p, v in ticks_by_pid(out).items()}
        rt.run("start")
        time.sleep(0.3)
        rt.run("stop")
        rt.run("destroy")
    assert {p: len(v) for p, v in ticks_by_pid(out).items()} == counts


def test_vuid_by_name_applied_to_apps(rt, tmp_path):
    """The apps run as this user: its name is resolved when applied to them."""
    out = tmp_path / "trace"
    pid_session(rt, out)
    with two_tickers(rt) as apps:
        rt.run("track", "-u", "--vuid=nobody")
        rt.run("start")
        time.sleep(0.3)
        rt.run("stop")
        assert ticks_by_pid(out) == {}
        rt.run("track", "-u", f"--vuid={pwd.getpwuid(os.getuid()).pw_name}")
        rt.run("start")
        time.sleep(0.3)
        rt.run("stop")
        rt.run("destroy")
    ticks = ticks_by_pid(out)
    assert set(ticks) == {a.pid for a in apps}
    assert all(ticks.values())


def test_untrack_then_track_again_keeps_both_parts(rt, tmp_path):
    out = tmp_path / "trace"
    pid_session(rt, out)
    with two_tickers(rt) as apps:
        trace_tracker_changes(rt, ["track", "-u", "--vpid", apps[0].pid],
                              ["track", "-u", "--vpid", apps[1].pid])
    dirs = sorted(d.name for d in (out / "ust" / "pid").iterdir())
    assert len(dirs) == 3
    ticks = ticks_by_pid(out)
    ns = sorted(ticks[apps[1].pid])
    # Traced before the untrack and after the track again, with a gap between
    # (each part lasts 0.3 s at a tick per 5 ms: fewer on a loaded machine).
    gap = max(range(1, len(ns)), key=lambda i: ns[i] - ns[i - 1])
    assert ns[gap] - ns[gap - 1] > 10
    assert gap >= 5 and len(ns) - gap >= 5, (gap, len(ns))
    assert ns == sorted(set(ns))
    assert len(ticks[apps[0].pid]) > 100
