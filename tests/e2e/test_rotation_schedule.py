# SPDX-License-Identifier: MIT
"""Scheduled rotations (`enable-rotation --timer/--size`, `disable-rotation`),
channel monitoring and rotation info, as lttng 2.13: each scheduled
rotation makes an archive exactly as `rotate` does; under load from two
threads every event is in exactly one archive or counted as discarded; a
size threshold rotates after about that many bytes written; the monitor
samples account for every byte written; messages and exit codes are
lttng's; `list` shows the schedules and save/load keeps them."""
import os
import pathlib
import re
import struct
import time

import rtproto as rp
from conftest import wait_for
from test_buffers_pid import seq_events
from test_rotation import STAMP, check_archive_name, check_every_event_once

ROTATION_GET_INFO = 46
STATE_NO_ROTATION, STATE_COMPLETED, STATE_EXPIRED = 0, 2, 3
INFO = struct.Struct("=i4096s")


def session(rt, out, *channel_opts):
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", *channel_opts, "ch")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "ch")


def archives(out):
    d = out / "archives"
    return sorted(str(p) for p in d.iterdir()) if d.exists() else []


def by_index(paths):
    return sorted(paths, key=lambda p: int(p.rsplit("-", 1)[1]))


def data_bytes(root):
    """Bytes of the stream files (packets) under root: no index, no metadata."""
    return sum(p.stat().st_size for p in root.rglob("ch_*") if p.is_file()
               and p.parent.name != "index")


def test_timer_rotations_under_load(rt, tmp_path):
    out = tmp_path / "t"
    session(rt, out, "--subbuf-size=65536", "--num-subbuf=8")
    r = rt.run("enable-rotation", "--timer=300ms")
    assert r.stdout == "Enabled periodic rotations every 300000 us on session s1\n"
    rt.run("start")
    per_thread = 30000
    # About 1.2 s of load: 30 pauses of 40 ms per thread.
    app = rt.popen_app("threads", "2", str(per_thread), "40000")
    assert app.wait(timeout=60) == 0
    wait_for(lambda: len(archives(out)) >= 3)
    # Unset first: a rotation after the stop would close the chunk without a successor.
    rt.run("disable-rotation", "--timer")
    rt.run("stop")
    made = by_index(archives(out))
    for n, path in enumerate(made):
        check_archive_name(out, path, n)
    current = [str(d) for d in out.iterdir() if d.name != "archives"]
    assert len(current) == 1 and re.fullmatch(rf"{STAMP}-{len(made)}",
                                              os.path.basename(current[0]))
    # Each archive reads alone in babeltrace2; every event is in one of them.
    check_every_event_once(made + current, 2, per_thread)
    # The app may register after the first rotation: that archive is then empty.
    assert sum(len(seq_events(a)[0]) for a in made
               if any(pathlib.Path(a).rglob("metadata"))) > 0


def test_timer_after_stop_rotates_once(rt, tmp_path):
    out = tmp_path / "t"
    session(rt, out)
    rt.run("start")
    assert rt.app("threads", "1", "100").returncode == 0
    rt.run("stop")
    rt.run("enable-rotation", "--timer=300ms")
    # Set on a stopped session: the timer waits for the next start.
    time.sleep(0.6)
    assert archives(out) == []
    rt.run("start")
    rt.run("stop")
    # The timer may fire while the session is started (on a slow machine),
    # and then once after the stop, within a period; then no more: the next
    # ones would be empty.
    wait_for(lambda: len(archives(out)) >= 1)
    time.sleep(0.9)
    count = len(archives(out))
    time.sleep(0.6)
    assert len(archives(out)) == count
    got = [seq_events(a) for a in by_index(archives(out))]
    assert [e for events, _ in got for e in events] == [(0, i) for i in range(100)]
    r = rt.run("rotate", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "Error: Session was already rotated once since it became inactive\n")
    # A start lets the timer rotate again.
    rt.run("start")
    wait_for(lambda: len(archives(out)) >= 2)
    rt.run("disable-rotation", "--timer")


def test_size_rotations(rt, tmp_path):
    out = tmp_path / "t"
    size = 128 * 1024
    session(rt, out, "--subbuf-size=16384", "--num-subbuf=8", "--monitor-timer=50ms",
            "--switch-timer=50ms")
    r = rt.run("enable-rotation", "--size=128k")
    assert r.stdout == f"Enabled size-based rotations every {size} bytes written on session s1\n"
    rt.run("start")
    per_thread = 20000
    # About 0.4 s of load, a monitor sample every 50 ms.
    app = rt.popen_app("threads", "2", str(per_thread), "20000")
    assert app.wait(timeout=60) == 0
    rt.run("stop")
    made = by_index(archives(out))
    assert len(made) >= 2, made
    for n, path in enumerate(made):
        check_archive_name(out, path, n)
    # Each archive but the last (cut by the stop's flush) holds about the threshold.
    for path in made[:-1]:
        written = data_bytes(pathlib.Path(path))
        assert size // 2 <= written <= 3 * size, (path, written)
    current = [str(d) for d in out.iterdir() if d.name != "archives"]
    check_every_event_once(made + current, 2, per_thread)


def test_size_threshold_reached_by_the_stop_waits_for_the_next_start(rt, tmp_path):
    """The packets the stop flushes cross the threshold only after `stop`
    returned (the monitor samples them later): the stopped session is not
    rotated then, which would move the trace a user is reading; the first
    sample after the next start rotates it."""
    rt.start_sessiond("-vvv")
    out = tmp_path / "t"
    # One sub-buffer holds every event: nothing is written before the stop's flush.
    session(rt, out, "--subbuf-size=65536", "--num-subbuf=2", "--monitor-timer=20ms")
    rt.run("enable-rotation", "--size=4096")
    rt.run("start")
    assert rt.app("threads", "1", "100").returncode == 0
    rt.run("stop")
    total = data_bytes(out)
    assert total >= 4096
    sample = re.compile(r"bytes, (\d+) bytes written since the last sample")
    wait_for(lambda: sum(int(m[1]) for m in sample.finditer(rt.sessiond_output())) == total)
    # A command of the session is served once the samples read with it are accounted.
    rt.run("list", "s1")
    assert archives(out) == []
    assert seq_events(str(out)) == ([(0, i) for i in range(100)], 0)
    assert "size-based rotation deferred" in rt.sessiond_output()
    rt.run("start")
    wait_for(lambda: len(archives(out)) == 1)
    rt.run("stop")
    (made,) = archives(out)
    check_archive_name(out, made, 0)
    assert seq_events(made) == ([(0, i) for i in range(100)], 0)


def test_monitor_samples_account_every_byte(rt, tmp_path):
    rt.start_sessiond("-vvv")
    out = tmp_path / "t"
    session(rt, out, "--subbuf-size=16384", "--num-subbuf=4", "--monitor-timer=50ms")
    r = rt.run("list", "s1")
    assert "      Monitor timer:    50000 us\n" in r.stdout
    rt.run("start")
    assert rt.app("threads", "2", "20000").returncode == 0
    rt.run("stop")
    total = data_bytes(out)
    assert total > 0
    sample = re.compile(r"Channel \d+ of session \d+: usage (\d+)-(\d+) bytes, "
                        r"(\d+) bytes written since the last sample")

    def accounted():
        return sum(int(m[3]) for m in sample.finditer(rt.sessiond_output()))

    # Once the last samples are in, they add up to what is on disk, exactly.
    wait_for(lambda: accounted() == total)
    usages = [(int(m[1]), int(m[2])) for m in sample.finditer(rt.sessiond_output())]
    assert all(0 <= lo <= hi <= 4 * 16384 for lo, hi in usages)


def test_default_monitor_timer_listed(rt, tmp_path):
    session(rt, tmp_path / "t")
    assert "      Monitor timer:    1000000 us\n" in rt.run("list", "s1").stdout


def get_info(client, rotation_id):
    _, body = client.call(ROTATION_GET_INFO,
                          rp.msg("s1", union=struct.pack("=Q", rotation_id)))
    state, path = INFO.unpack(body)
    return state, rp.decode(path)


def test_rotation_info_reports_the_true_state(rt, tmp_path):
    out = tmp_path / "t"
    session(rt, out)
    rt.run("start")
    sock = rt.home / ".ringtrace" / "client-ringtrace-sock"
    with rp.Client(sock) as c:
        assert get_info(c, 0) == (STATE_NO_ROTATION, "")
        r = rt.run("rotate", "--no-wait")
        assert r.stdout == "Rotation ongoing for session s1\n"
        (first,) = archives(out)
        # The rotation was ongoing when the command returned, not any more.
        assert get_info(c, 0) == (STATE_COMPLETED, first)
        rt.run("enable-rotation", "--timer=100ms")
        wait_for(lambda: len(archives(out)) >= 2)
        rt.run("disable-rotation", "--timer")
        last = by_index(archives(out))[-1]
        n = int(last.rsplit("-", 1)[1])
        assert get_info(c, n) == (STATE_COMPLETED, last)
        assert get_info(c, 0) == (STATE_EXPIRED, "")
        status, _ = c.call(ROTATION_GET_INFO, rp.msg("nosuch"), check=False)
        assert status == -rp.ERR["SESS_NOT_FOUND"]


def run_all(rt, *commands):
    """Each command's stdout + stderr and exit code, as one text."""
    text = ""
    for cmd in commands:
        r = rt.run(*cmd.split(), check=False)
        text += f"$ {cmd}\n{r.stdout}{r.stderr}[{r.returncode}]\n"
    return text


def test_messages_and_exit_codes(rt, tmp_path):
    r = rt.run("enable-rotation", "--timer=1s", check=False)
    assert r.returncode == 1 and r.stderr.startswith("Error: Can't find valid")
    rt.run("create", "s", f"--output={tmp_path / 't'}")
    rt.run("create", "snap", "--snapshot", f"--output={tmp_path / 's'}")
    got = run_all(rt, "enable-rotation -s s", "enable-rotation -s s --timer=10s",
                  "enable-rotation -s s --timer=10s", "enable-rotation -s s --size=64M",
                  "enable-rotation -s s --timer=1h --size=1G",
                  "enable-rotation -s s --timer=0", "enable-rotation -s s --timer=abc",
                  "enable-rotation -s s --timer=1.5s", "enable-rotation -s s --size=0",
                  "enable-rotation -s s --size=12X", "enable-rotation -s s --size=-5",
                  "enable-rotation -s s --timer=1s --timer=2s",
                  "disable-rotation -s s", "disable-rotation -s s --timer",
                  "disable-rotation -s s --timer", "disable-rotation -s s --size",
                  "disable-rotation -s s --timer --size",
                  "enable-rotation -s s --timer=2h", "enable-rotation -s s --timer=4294967295",
                  "enable-rotation -s s --timer=4294967294 --size=7",
                  "disable-rotation -s s --timer --size",
                  "enable-rotation -s nosuch --timer=1s", "disable-rotation -s nosuch --timer",
                  "enable-rotation -s snap --timer=1s", "disable-rotation -s snap --timer")
    assert got == """\
$ enable-rotation -s s
Error: No session rotation schedule parameter provided.
[1]
$ enable-rotation -s s --timer=10s
Enabled periodic rotations every 10000000 us on session s
[0]
$ enable-rotation -s s --timer=10s
Error: A periodic rotation schedule is already set on session s
[1]
$ enable-rotation -s s --size=64M
Enabled size-based rotations every 67108864 bytes written on session s
[0]
$ enable-rotation -s s --timer=1h --size=1G
Error: A periodic rotation schedule is already set on session s
Error: A size-based rotation schedule is already set on session s
[1]
$ enable-rotation -s s --timer=0
Error: Invalid value for periodic option
[1]
$ enable-rotation -s s --timer=abc
Error: Invalid value for --timer option: abc
[1]
$ enable-rotation -s s --timer=1.5s
Error: Invalid value for --timer option: 1.5s
[1]
$ enable-rotation -s s --size=0
Error: Invalid value for size-based option
[1]
$ enable-rotation -s s --size=12X
Error: Invalid value for --size option: 12X
[1]
$ enable-rotation -s s --size=-5
Error: Invalid value for --size option: -5
[1]
$ enable-rotation -s s --timer=1s --timer=2s
Error: Only one periodic rotation schedule may be set on a session.
[1]
$ disable-rotation -s s
Error: No session rotation schedule type provided.
[1]
$ disable-rotation -s s --timer
Disabled periodic rotation on session s
[0]
$ disable-rotation -s s --timer
Error: No periodic rotation schedule active on session s
[1]
$ disable-rotation -s s --size
Disabled size-based rotation on session s
[0]
$ disable-rotation -s s --timer --size
Error: No periodic rotation schedule active on session s
Error: No size-based rotation schedule active on session s
[1]
$ enable-rotation -s s --timer=2h
Error: Failed to enable periodic rotation schedule on session s
[1]
$ enable-rotation -s s --timer=4294967295
Error: Failed to enable periodic rotation schedule on session s
[1]
$ enable-rotation -s s --timer=4294967294 --size=7
Enabled periodic rotations every 4294967294 us on session s
Enabled size-based rotations every 7 bytes written on session s
[0]
$ disable-rotation -s s --timer --size
Disabled periodic rotation on session s
Disabled size-based rotation on session s
[0]
$ enable-rotation -s nosuch --timer=1s
Error: Failed to enable periodic rotation schedule on session nosuch
[1]
$ disable-rotation -s nosuch --timer
Error: Failed to list rotation schedules of session nosuch
[1]
$ enable-rotation -s snap --timer=1s
Error: Failed to enable periodic rotation schedule on session snap
[1]
$ disable-rotation -s snap --timer
Error: No periodic rotation schedule active on session snap
[1]
"""
    # Nothing changed by the errors: no schedule left.
    assert "Automatic rotation schedules" not in rt.run("list", "s").stdout


def test_list_and_save_load_keep_schedules(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("enable-channel", "-u", "ch")
    rt.run("enable-rotation", "--timer=3s", "--size=5M")
    listing = rt.run("list", "s1").stdout
    assert listing.startswith(f"""\
Recording session s1: [inactive]
    Trace output: {tmp_path / 't'}

Automatic rotation schedules:
    timer period: 3000000 us
    size threshold: 5242880 bytes

=== Domain: User space ===
""")
    rt.run("save", "-o", tmp_path / "saved", "s1")
    xml = (tmp_path / "saved" / "s1.lttng").read_text()
    assert ("<rotation_schedules>\n\t\t\t\t<periodic>\n\t\t\t\t\t<time_us>3000000</time_us>\n"
            "\t\t\t\t</periodic>\n\t\t\t\t<size_threshold>\n\t\t\t\t\t<bytes>5242880</bytes>\n"
            "\t\t\t\t</size_threshold>\n\t\t\t</rotation_schedules>") in xml
    rt.run("destroy", "s1")
    rt.run("load", "-i", tmp_path / "saved", "s1")
    assert rt.run("list", "s1").stdout == listing
    rt.run("disable-rotation", "-s", "s1", "--size")
    rt.run("save", "-f", "-o", tmp_path / "saved", "s1")
    rt.run("destroy", "s1")
    rt.run("load", "-i", tmp_path / "saved", "s1")
    assert "    timer period: 3000000 us\n\n=== Domain" in rt.run("list", "s1").stdout
