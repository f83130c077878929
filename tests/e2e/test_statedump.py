# SPDX-License-Identifier: MIT
"""lttng_ust_statedump events, as lttng-ust 2.13 records them: when a session
becomes active for an app, and again on `regenerate statedump`, an app whose
session records some lttng_ust_statedump event records start, procname, one
bin_info per loaded object (+ build_id, debug_link where the ELF file has
them), end; into that session only; before the program's own events when
the program starts in an active session; nothing when no statedump event is
enabled; LTTNG_UST_WITHOUT_BADDR_STATEDUMP leaves the objects out."""
import os
import re
import subprocess

from conftest import BUILD, example, read_events

STATEDUMP = "lttng_ust_statedump:"


def build_id_of(path):
    """The GNU build id of an ELF file, as readelf -n prints it."""
    out = subprocess.run(["readelf", "-n", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return list(bytes.fromhex(re.search(r"Build ID: ([0-9a-f]+)", out).group(1)))


def mapped_bases(pid):
    """Lowest mapped address of each file in /proc/PID/maps."""
    bases = {}
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and parts[5].startswith("/"):
                start = int(parts[0].split("-")[0], 16)
                bases[parts[5]] = min(start, bases.get(parts[5], start))
    return bases


def names_and_vpids(trace_dir):
    """(event name, vpid context) of every event of a trace."""
    import bt2

    return [(msg.event.name, int(msg.event.common_context_field["vpid"]))
            for msg in bt2.TraceCollectionMessageIterator(str(trace_dir))
            if type(msg) is bt2._EventMessageConst]


def blocks(events):
    """The statedump blocks (lists of (name, fields)) from start to end, in order.
    The app's own threads go on while its listener thread dumps (as with
    lttng-ust), so their events may fall inside a block: they are left out."""
    found, current = [], None
    for name, fields in events:
        if name == STATEDUMP + "start":
            assert current is None, "nested statedump start"
            current = []
        elif name == STATEDUMP + "end":
            assert current is not None, "statedump end without start"
            found.append(current)
            current = None
        elif current is not None and name.startswith(STATEDUMP):
            current.append((name, fields))
    assert current is None, "unterminated state dump"
    return found


def check_block(block, procname, bases, pid_libs):
    """One block: procname first, then objects; the executable and
    libringtrace-ust with their mapped base and build id."""
    assert block[0] == (STATEDUMP + "procname", {"procname": procname})
    infos = {f["path"]: f for n, f in block if n == STATEDUMP + "bin_info"}
    ids = {f["baddr"]: f["build_id"] for n, f in block if n == STATEDUMP + "build_id"}
    for path in pid_libs:
        info = infos[path]
        assert info["baddr"] == bases[path], path
        assert info["is_pic"] == 1 and info["memsz"] > 0
        assert info["has_build_id"] == 1
        assert ids[info["baddr"]] == build_id_of(path)
    for name, fields in block[1:]:
        assert name in (STATEDUMP + "bin_info", STATEDUMP + "build_id", STATEDUMP + "debug_link")


def test_statedump_at_start_and_regenerate(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "lttng_ust_statedump:*")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("start")
    app = rt.popen_app("ticker", -1, 20)
    try:
        assert app.stdout.readline() == "ready\n"
        bases = mapped_bases(app.pid)
        r = rt.run("regenerate", "statedump")
        assert (r.stdout, r.stderr) == ("State dump successfully regenerated for session s1\n", "")
        # The app applies the stop after the dump it was asked for.
        rt.run("stop")
    finally:
        app.kill()
        app.wait()
    events = read_events(out)
    exe = os.path.realpath(example("ticker"))
    lib = os.path.realpath(BUILD / "src/lib/ust/libringtrace-ust.so.0")
    found = blocks(events)
    assert len(found) == 2
    for block in found:
        check_block(block, "ticker", bases, [exe, lib])
    # The first dump precedes the program's events (its constructor waits
    # for it); the second follows (when the app is asked, it may not have
    # ticked yet).
    names = [n for n, _ in events]
    assert names[0] == STATEDUMP + "start"
    assert names.index(STATEDUMP + "end") < names.index("rt_test:tick")


def test_nothing_when_not_enabled_and_one_session_only(rt, tmp_path):
    first, second, quiet = tmp_path / "first", tmp_path / "second", tmp_path / "quiet"
    rt.run("create", "first", f"--output={first}")
    rt.run("enable-event", "-u", "lttng_ust_statedump:*")
    rt.run("start")
    rt.run("create", "quiet", f"--output={quiet}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("start")
    app = rt.popen_app("ticker", -1, 20)
    try:
        assert app.stdout.readline() == "ready\n"
        rt.run("regenerate", "statedump", "-s", "quiet")
        # A session starting for the running app dumps into itself only.
        rt.run("create", "second", f"--output={second}")
        rt.run("enable-event", "-u", "lttng_ust_statedump:start,lttng_ust_statedump:end")
        rt.run("start", "second")
        for session in ("second", "quiet", "first"):
            rt.run("stop", session)
    finally:
        app.kill()
        app.wait()
    assert len(blocks(read_events(first))) == 1
    assert [n for n, _ in read_events(second)] == [STATEDUMP + "start", STATEDUMP + "end"]
    assert not [n for n, _ in read_events(quiet) if n.startswith(STATEDUMP)]


def test_per_pid_without_baddr_or_procname(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", "--buffers-pid", "ch")
    rt.run("enable-event", "-u", "-c", "ch", "lttng_ust_statedump:*,rt_test:tick")
    rt.run("start")
    env = dict(rt.env, LTTNG_UST_WITHOUT_BADDR_STATEDUMP="1")
    assert subprocess.run([str(example("ticker")), "2", "1"], env=env, timeout=60).returncode == 0
    env["LTTNG_UST_WITHOUT_PROCNAME_STATEDUMP"] = "1"
    assert subprocess.run([str(example("ticker")), "1", "1"], env=env, timeout=60).returncode == 0
    rt.run("stop")
    # One trace per process: order them by their number of ticks.
    traces = sorted((read_events(d) for d in (out / "ust" / "pid").iterdir()), key=len)
    assert traces == [
        [(STATEDUMP + "start", {}), (STATEDUMP + "end", {}), ("rt_test:tick", {"n": 0})],
        [(STATEDUMP + "start", {}), (STATEDUMP + "procname", {"procname": "ticker"}),
         (STATEDUMP + "end", {}), ("rt_test:tick", {"n": 0}), ("rt_test:tick", {"n": 1})],
    ]


def test_dl_preload(rt, tmp_path):
    """LD_PRELOAD=libringtrace-ust-dl.so: lttng_ust_dl events around the
    program's dlopen/dlclose, lttng_ust_lib load/unload for what came and
    went, with the object's real path, load address and build id."""
    out = tmp_path / "t"
    module = os.path.realpath(BUILD / "tests/e2e/apps/librt-dl-module.so")
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "lttng_ust_dl:*,lttng_ust_lib:*,rt_test:tick")
    rt.run("start")
    env = dict(rt.env, LD_PRELOAD=str(BUILD / "src/lib/ust-dl/libringtrace-ust-dl.so"))
    # In a sanitized build, the preload comes before the sanitizer's runtime.
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                 "verify_asan_link_order=0"]))
    r = subprocess.run([str(example("dlopener")), module], env=env, timeout=60)
    assert r.returncode == 0
    rt.run("stop")
    events = read_events(out)
    opened = next(f for n, f in events if n == "lttng_ust_dl:dlopen" and f["path"] == module)
    baddr, build_id = opened["baddr"], build_id_of(module)
    assert opened["flags"] == 2  # RTLD_NOW
    assert opened["has_build_id"] == 1 and opened["memsz"] > 0
    # The module's events and the program's, in order (the call-site code's
    # own dlopen of libringtrace-ust is recorded too, as lttng-ust's is).
    mine = [(n, f) for n, f in events if n.startswith("rt_test:") or f.get("baddr") == baddr]
    assert [n for n, _ in mine] == [
        "lttng_ust_dl:dlopen", "lttng_ust_dl:build_id", "lttng_ust_lib:load",
        "lttng_ust_lib:build_id", "rt_test:tick", "lttng_ust_dl:dlclose", "lttng_ust_lib:unload"]
    assert mine[1][1]["build_id"] == build_id and mine[3][1]["build_id"] == build_id
    assert mine[2][1] == {"baddr": baddr, "memsz": opened["memsz"], "path": module,
                          "has_build_id": 1, "has_debug_link": 0}
    assert mine[4][1] == {"n": 42}


def test_forks_during_dumps(rt, tmp_path):
    """A program forking while its state dumps and lib listings run: no
    child inherits a lock held by a thread it does not have (every child
    dlopens, which takes the listing's locks, and exits), and the parent's
    dumps are whole."""
    out = tmp_path / "t"
    module = os.path.realpath(BUILD / "tests/e2e/apps/librt-dl-module.so")
    rt.run("create", "s1", f"--output={out}")
    # Per-PID: a child that exits in the middle of a record (its dump) leaves
    # its own buffer incomplete, not the parent's.
    rt.run("enable-channel", "-u", "--buffers-pid", "ch")
    rt.run("enable-event", "-u", "-c", "ch", "lttng_ust_statedump:*,lttng_ust_lib:*,rt_test:tick")
    rt.run("start")
    env = dict(rt.env, LD_PRELOAD=str(BUILD / "src/lib/ust-dl/libringtrace-ust-dl.so"))
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                 "verify_asan_link_order=0"]))
    app = subprocess.Popen([str(example("dlopener")), module, "50"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert app.stdout.readline() == "ready\n"
        regenerated = 0
        while app.poll() is None:
            rt.run("regenerate", "statedump")
            regenerated += 1
        assert app.wait() == 0, app.stderr.read()
    finally:
        app.kill()
        app.wait()
    rt.run("stop")
    parent = next(d for d in (out / "ust" / "pid").iterdir() if f"-{app.pid}-" in d.name)
    events = [e for e in read_events(parent) if e[0].startswith(STATEDUMP)]
    # The last one may have been cut short by the exit.
    if events[-1][0] != STATEDUMP + "end":
        last_start = max(i for i, e in enumerate(events) if e[0] == STATEDUMP + "start")
        events = events[:last_start]
    # One at start, one per regenerate but the last one or two (sent as it exited).
    assert len(blocks(events)) >= regenerated - 1
