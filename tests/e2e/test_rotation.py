# SPDX-License-Identifier: MIT
"""Session rotation (`rotate [--no-wait] [SESSION]`), as lttng 2.13 for a
local session: the trace is first written under <output>/ust; each rotation
n (from 0) renames the chunk in progress to
<output>/archives/<begin>-<end>-<n> and goes on in <output>/<begin>-<n+1>.
Under load from two threads, every event is in exactly one archive or in the
last chunk, and every archive reads alone in babeltrace2."""
import datetime
import os
import pathlib
import re
import struct
import time

from conftest import emit, go, start_burst
from test_buffers_pid import seq_events

STAMP = r"\d{8}T\d{6}[+-]\d{4}"
ROTATED = re.compile(r"Waiting for rotation to complete\n"
                     r"Trace chunk archive for session s1 is now readable at (.+)\n")


def rotate(rt, *args):
    r = rt.run("rotate", *args)
    m = ROTATED.fullmatch(r.stdout)
    assert m, r.stdout
    return m.group(1)


def stamp(text):
    return datetime.datetime.strptime(text, "%Y%m%dT%H%M%S%z")


def check_archive_name(out, path, index):
    m = re.fullmatch(re.escape(str(out / "archives")) + rf"/({STAMP})-({STAMP})-(\d+)", path)
    assert m, path
    assert int(m.group(3)) == index
    assert stamp(m.group(1)) <= stamp(m.group(2))
    now = datetime.datetime.now().astimezone()
    assert abs((now - stamp(m.group(2))).total_seconds()) < 120


def session(rt, out, *channel_opts):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", *channel_opts, "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")


def cumulative_discarded(chunks):
    """Events the tracer discarded over the whole session: per stream (its path
    in the chunk), the highest events_discarded of its packets, read from the
    index files, summed. babeltrace2 cannot see this alone: it reports
    discards between two packets of a chunk, not those before a chunk's first
    packet."""
    per_stream = {}
    for chunk in map(pathlib.Path, chunks):
        for idx in chunk.rglob("index/*.idx"):
            raw = idx.read_bytes()
            entry_len = struct.unpack(">I", raw[12:16])[0]
            key = idx.relative_to(chunk)
            for at in range(16, len(raw) - entry_len + 1, entry_len):
                count = struct.unpack(">Q", raw[at + 40:at + 48])[0]
                per_stream[key] = max(per_stream.get(key, 0), count)
    return sum(per_stream.values())


def check_every_event_once(chunks, threads, per_thread):
    seen, reported = {}, 0
    for chunk in chunks:
        if not any(pathlib.Path(chunk).rglob("metadata")):
            continue  # per-PID: the app had exited, no buffers wrote to this chunk
        events, lost = seq_events(chunk)
        reported += lost
        for ev in events:
            assert ev not in seen, (ev, chunk, seen[ev])
            seen[ev] = chunk
    expected = {(t, i) for t in range(threads) for i in range(per_thread)}
    assert set(seen) <= expected
    discarded = cumulative_discarded(chunks)
    assert len(expected) - len(seen) == discarded
    assert reported <= discarded


def rotate_under_load(rt, tmp_path, *channel_opts):
    out = tmp_path / "t"
    session(rt, out, "--subbuf-size=65536", "--num-subbuf=8", *channel_opts)
    rt.run("start")
    per_thread = 100000
    app = rt.popen_app("threads", "2", str(per_thread))
    archives = []
    while app.poll() is None or len(archives) < 3:
        archives.append(rotate(rt))
    assert app.wait(timeout=60) == 0
    rt.run("stop")
    for n, path in enumerate(archives):
        check_archive_name(out, path, n)
    current = [d for d in out.iterdir() if d.name != "archives"]
    assert len(current) == 1
    assert re.fullmatch(rf"{STAMP}-{len(archives)}", current[0].name), current[0].name
    assert sorted(os.listdir(out / "archives")) == sorted(os.path.basename(a) for a in archives)
    # The first archive holds the first chunk's ust/ (the app registered before it ended
    # unless it was too quick: then it is empty).
    assert os.listdir(archives[0]) in ([], ["ust"])
    check_every_event_once(archives + current, 2, per_thread)
    return out, archives


def test_rotations_under_load_per_uid(rt, tmp_path):
    rotate_under_load(rt, tmp_path)


def test_rotations_under_load_per_pid(rt, tmp_path):
    out, archives = rotate_under_load(rt, tmp_path, "--buffers-pid")
    assert any(os.path.isdir(a + "/ust/pid") for a in archives), archives


def test_stopped_session_and_no_wait(rt, tmp_path):
    out = tmp_path / "t"
    session(rt, out)
    rt.run("start")
    assert rt.app("threads", "1", "100").returncode == 0
    rt.run("stop")
    r = rt.run("rotate", "--no-wait", "s1")
    assert r.stdout == "Rotation ongoing for session s1\n"
    # As lttng: one rotation after a stop, the next ones would be empty.
    r = rt.run("rotate", "s1", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "Error: Session was already rotated once since it became inactive\n")
    archives = sorted((out / "archives").iterdir())
    assert len(archives) == 1
    check_archive_name(out, str(archives[0]), 0)
    assert seq_events(archives[0]) == ([(0, i) for i in range(100)], 0)
    # As lttng: no chunk until the next start, and a clear meanwhile does nothing.
    assert [d.name for d in out.iterdir()] == ["archives"]
    assert rt.run("clear", "s1").stdout == 'Session "s1" cleared\n'
    assert [d.name for d in out.iterdir()] == ["archives"]
    # Destroying a rotated session archives its last chunk too.
    assert rt.app("threads", "1", "7").returncode == 0  # not traced: the session is stopped
    rt.run("start")
    assert rt.app("threads", "1", "5").returncode == 0
    rt.run("stop")
    rotate(rt, "s1")
    # The chunk was archived by the rotation: the destroy leaves no empty archive.
    assert rt.run("destroy").stdout == "Session s1 destroyed\n"
    assert [d.name for d in out.iterdir()] == ["archives"]
    archives = sorted((out / "archives").iterdir())
    assert len(archives) == 2
    check_archive_name(out, str(archives[1]), 1)
    assert seq_events(archives[1]) == ([(0, i) for i in range(5)], 0)


def test_stopped_rotation_and_clear_with_pid_buffers_of_a_live_app(rt, tmp_path):
    """The per-PID buffers of an app that stays through the stop: they leave
    the chunk at the rotation (or clear) and reach the next one at start."""
    out = tmp_path / "t"
    session(rt, out, "--buffers-pid")
    rt.run("start")
    app = start_burst(rt)
    for step in ("rotate", "clear"):
        emit(app, 10)
        rt.run("stop")
        rt.run(step, "s1")
        assert [d.name for d in out.iterdir()] == ["archives"]
        rt.run("start")
    emit(app, 4)
    rt.run("stop")
    rt.run("destroy")
    go(app, 0)
    assert app.wait(timeout=30) == 0
    archives = sorted((out / "archives").iterdir(), key=lambda p: int(p.name.rsplit("-", 1)[1]))
    assert [int(a.name.rsplit("-", 1)[1]) for a in archives] == [0, 2]
    assert [len(seq_events(a)[0]) for a in archives] == [10, 4]
    assert [d.name for d in out.iterdir()] == ["archives"]


def test_errors(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("rotate", "s1", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "Error: Session needs to be started once\n")
    r = rt.run("rotate", "--no-wait", "nosuch", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "Error: Session name not found\n")
    rt.run("create", "snap", "--snapshot", f"--output={tmp_path / 's'}")
    rt.run("enable-event", "-u", "-s", "snap", "rt_test:seq")
    rt.run("start", "snap")
    r = rt.run("rotate", "-n", "snap", check=False)
    assert (r.returncode, r.stderr) == (
        1, "Error: Rotation feature not available for this session's creation mode\n")


def test_clear_keeps_only_later_events(rt, tmp_path):
    out = tmp_path / "t"
    session(rt, out)
    r = rt.run("clear", "s1")
    assert r.stdout == 'Session "s1" cleared\n'
    rt.run("start")
    assert rt.app("threads", "2", "1000").returncode == 0
    assert rt.run("clear").stdout == 'Session "s1" cleared\n'
    assert rt.app("threads", "2", "500").returncode == 0
    rt.run("stop")
    # Cleared in place before any rotation: the trace is still under <output>/ust.
    assert sorted(os.listdir(out)) == ["ust"]
    events, discarded = seq_events(out)
    assert discarded == 0
    assert sorted(events) == [(t, i) for t in range(2) for i in range(500)]

    # After a rotation the cleared chunk is deleted and uses an index, as lttng's.
    rt.run("start")
    assert rt.app("threads", "1", "10").returncode == 0
    first = rotate(rt)
    check_archive_name(out, first, 1)
    assert sorted(seq_events(first)[0]) == sorted(events + [(0, i) for i in range(10)])
    assert rt.app("threads", "1", "20").returncode == 0
    rt.run("clear")
    assert rt.app("threads", "1", "30").returncode == 0
    rt.run("stop")
    current = [d.name for d in out.iterdir() if d.name != "archives"]
    assert len(current) == 1 and re.fullmatch(rf"{STAMP}-3", current[0]), current
    assert sorted(seq_events(out / current[0])[0]) == [(0, i) for i in range(30)]
    assert [d.name for d in (out / "archives").iterdir()] == [os.path.basename(first)]


def test_clear_under_load(rt, tmp_path):
    out = tmp_path / "t"
    session(rt, out, "--subbuf-size=65536", "--num-subbuf=8")
    rt.run("start")
    per_thread = 100000
    app = rt.popen_app("threads", "2", str(per_thread))
    # Once the app's events reach the files, clear.
    while not any(out.rglob("channel*_*")) and not any(out.rglob("ch_*")):
        assert app.poll() is None, "the app ended before any event was written"
        rt.run("clear")  # nothing yet: still fine
    rt.run("clear")
    assert app.wait(timeout=60) == 0
    rt.run("stop")
    events, discarded = seq_events(out)
    assert discarded == 0
    by_thread = {}
    for t, i in events:
        by_thread.setdefault(t, []).append(i)
    # Each thread's remaining events are a run up to its last one: nothing before the clear
    # survives once something after it was dropped.
    for t, seqs in by_thread.items():
        seqs.sort()
        assert seqs == list(range(seqs[0], per_thread)), t
    assert sum(per_thread - seqs[0] for seqs in by_thread.values()) < 2 * per_thread


def test_clear_errors(rt, tmp_path):
    rt.run("create", "s0", f"--output={tmp_path / 'v'}")
    rt.run("destroy", "s0")
    r = rt.run("clear", "-a")
    assert r.stdout == "No session found, nothing to do.\n"
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("create", "s2", f"--output={tmp_path / 'u'}")
    r = rt.run("clear", "-a")
    assert sorted(r.stdout.splitlines()) == ['Session "s1" cleared', 'Session "s2" cleared']
    r = rt.run("clear", "nosuch", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (23, "", "Error: Session name nosuch not found\n")


def test_failed_rotation_then_success(rt, tmp_path):
    """A rotation that cannot archive (archives/ is a file) says so, ROTATION_GET_INFO
    reports ERROR, the session records on in a new chunk; once the cause is gone,
    the next rotation archives both chunks. A rotation whose new chunk cannot be
    made changes nothing."""
    import rtproto as rp
    from test_rotation_schedule import get_info

    out = tmp_path / "t"
    session(rt, out)
    rt.run("start")
    assert rt.app("threads", "1", "10").returncode == 0
    (out / "archives").write_text("")
    r = rt.run("rotate", "s1", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "Error: Create directory failed\n")
    with rp.Client(rt.home / ".ringtrace" / "client-ringtrace-sock") as c:
        assert get_info(c, 0) == (-1, "")
    # The chunk stays whole where it was; the session writes in the next one.
    assert seq_events(out / "ust") == ([(0, i) for i in range(10)], 0)
    assert rt.app("threads", "1", "5").returncode == 0
    (out / "archives").unlink()
    second = rotate(rt, "s1")
    check_archive_name(out, second, 1)
    first = [str(p) for p in (out / "archives").iterdir() if str(p) != second]
    assert len(first) == 1
    check_archive_name(out, first[0], 0)
    assert seq_events(first[0]) == ([(0, i) for i in range(10)], 0)
    assert seq_events(second) == ([(0, i) for i in range(5)], 0)
    current, archives_dir = sorted(p.name for p in out.iterdir())
    assert archives_dir == "archives" and re.fullmatch(rf"{STAMP}-2", current), current

    # The next chunk's directory cannot be made (a file has its name, whatever the
    # second of the rotation): the session stays in its chunk, nothing is archived.
    now = time.time()
    blockers = [out / (time.strftime("%Y%m%dT%H%M%S%z", time.localtime(now + d)) + "-3")
                for d in range(-1, 20)]
    for b in blockers:
        b.write_text("")
    assert rt.app("threads", "1", "3").returncode == 0
    r = rt.run("rotate", "s1", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Create directory failed\n")
    assert len(list((out / "archives").iterdir())) == 2
    for b in blockers:
        b.unlink()
    assert rt.app("threads", "1", "4").returncode == 0
    third = rotate(rt, "s1")
    check_archive_name(out, third, 2)
    assert seq_events(third) == ([(0, i) for i in range(3)] + [(0, i) for i in range(4)], 0)
    # As lttng, the destroy says where it archived the last chunk.
    r = rt.run("destroy")
    last = [str(p) for p in (out / "archives").iterdir() if str(p).endswith("-3")]
    assert len(last) == 1
    assert re.fullmatch(r"(Destroying session s1\.*)?Trace chunk archive for session s1 is now "
                        rf"readable at {re.escape(last[0])}\n\n?Session s1 destroyed\n",
                        r.stdout), r.stdout
    assert len(list((out / "archives").iterdir())) == 4
    assert [p.name for p in out.iterdir()] == ["archives"]
