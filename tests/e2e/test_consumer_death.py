# SPDX-License-Identifier: MIT
"""A consumer daemon killed under active sessions is never silent: the
session daemon marks at once every session whose buffers (or relay
connections) it held and logs it; every later command that needs the
consumer refuses with one clear message naming the death (lttng's exit
status once its consumer died, 98: "No UST consumer detected"), stop still
stops the apps and destroy still removes the session; list and status show
the loss. The app keeps running and exits 0, and a session created after
the death records it through a new consumer, spawned on demand."""
import os
import signal

from conftest import consumerd_pid, go, read_events, start_burst, wait_for
from relayd_proc import relay  # noqa: F401 (a fixture)
from test_net_session import session_dir

LOST = ("The session's consumer daemon died: trace data not written by then is lost; "
        "destroy the session")
LOST_LINE = ("    Consumer daemon died: trace data not written by then is lost; "
             "destroy the session")


def err(text):
    return f"Error: {text}\n"


def destroyed_after_loss(name):
    return err(f"Session {name} had lost its consumer daemon: trace data not written by then "
               "is lost")


def kill_consumer(rt, sessions):
    """SIGKILLs the consumer our session daemon spawned; returns (pid, death) once
    the daemon has marked each of sessions (seen in its log)."""
    pid = consumerd_pid(rt)
    os.kill(pid, signal.SIGKILL)
    death = f"pid {pid}, killed by signal 9 (Killed)"
    wait_for(lambda: all(f"Session {s} lost its consumer daemon ({death})" in
                         rt.sessiond_output() for s in sessions), timeout=10)
    return pid, death


def ring_buffer_maps(pid):
    """How many mappings of ring buffer shared memory the process has."""
    with open(f"/proc/{pid}/maps") as f:
        return sum("memfd:ringtrace-rb" in line for line in f)


def run(rt, *args):
    r = rt.run(*args, check=False)
    return r.returncode, r.stdout, r.stderr


def test_local_and_snapshot_sessions_after_the_consumer_died(rt, tmp_path):
    rt.start_sessiond()
    rt.run("create", "loc", f"--output={tmp_path / 'loc'}")
    rt.run("create", "snap", "--snapshot", f"--output={tmp_path / 'snap'}")
    for s in ("loc", "snap"):
        rt.run("enable-event", "-u", "rt_test:seq", "-s", s)
        rt.run("start", s)
    app = start_burst(rt)
    go(app, 100, last=False)
    assert app.stdout.readline() == "done\n"
    assert ring_buffer_maps(app.pid) > 0
    old, death = kill_consumer(rt, ["loc", "snap"])

    # The app goes on, unharmed, its records going nowhere.
    go(app, 100, last=False)
    assert app.stdout.readline() == "done\n"

    assert run(rt, "list") == (0, "Available recording sessions:\n"
                                  "  1) loc [active]\n" + LOST_LINE + "\n"
                                  f"    Trace output: {tmp_path / 'loc'}\n\n"
                                  "  2) snap [active snapshot]\n" + LOST_LINE + "\n\n"
                                  "\nUse ringtrace list <session_name> for more details\n", "")
    status = run(rt, "status")
    assert status[0] == 0
    assert status[1].startswith("Recording session snap: [active snapshot]\n" + LOST_LINE
                                + "\n"), status
    detail = err(f"Session {{}} lost its consumer daemon ({death})")
    # Refused, the session left as it was.
    assert run(rt, "start", "loc") == (98, "", err(LOST))
    assert run(rt, "rotate", "loc") == (1, "", err(LOST) + detail.format("loc"))
    assert run(rt, "snapshot", "record", "-s", "snap") == (1, "", err(LOST) + detail.format("snap"))
    assert run(rt, "clear", "loc") == (98, "", err(LOST))
    assert run(rt, "regenerate", "metadata", "-s", "loc") == (98, "", err(LOST))
    assert run(rt, "enable-event", "-u", "rt_test:tick", "-s", "loc") == (
        98, "", err(f"Event rt_test:tick: {LOST} (channel channel0, session loc)"))
    assert "archives" not in os.listdir(tmp_path / "loc")
    # Stop stops the apps, and tells the loss.
    assert run(rt, "stop", "loc") == (98, "", err(LOST))
    listing = run(rt, "list", "loc")[1]
    assert listing.startswith("Recording session loc: [inactive]\n" + LOST_LINE + "\n"), listing
    # Its counters went with the consumer.
    assert "    Statistics:\n      Unknown: the consumer daemon died\n" in listing, listing
    # Destroy removes the session all the same.
    assert run(rt, "destroy", "loc") == (98, "Session loc destroyed\n", destroyed_after_loss("loc"))
    assert run(rt, "destroy", "snap") == (98, "Session snap destroyed\n",
                                          destroyed_after_loss("snap"))
    assert run(rt, "list") == (0, "Currently no available recording session\n", "")
    # The app let go of the dead consumer's ring buffers with the sessions.
    wait_for(lambda: ring_buffer_maps(app.pid) == 0, timeout=10)
    # None of that started a consumer for nothing.
    assert not [p for p in rt.daemon_pids() if p != rt.sessiond.pid and rt.alive(p)]

    # A new session records the same app through a new consumer.
    rt.run("create", "after", f"--output={tmp_path / 'after'}")
    rt.run("enable-event", "-u", "rt_test:seq", "-s", "after")
    assert run(rt, "start", "after") == (0, "Tracing started for session after\n", "")
    assert consumerd_pid(rt) != old
    go(app, 10)
    assert app.wait(timeout=30) == 0
    rt.run("destroy", "after")
    assert [f["seq"] for _, f in read_events(tmp_path / "after")] == list(range(200, 210))
    log = rt.sessiond_output()
    assert log.count("lost its consumer daemon") == 2, log
    assert "Session after lost" not in log


def test_network_session_after_the_consumer_died(rt, relay, tmp_path):
    rt.start_sessiond()
    rt.run("create", "net", f"--set-url={relay.url()}")
    rt.run("enable-event", "-u", "rt_test:seq", "-s", "net")
    rt.run("start", "net")
    app = start_burst(rt)
    go(app, 25, last=False)
    assert app.stdout.readline() == "done\n"
    kill_consumer(rt, ["net"])

    listing = run(rt, "list")[1]
    assert (f"  1) net [active]\n{LOST_LINE}\n"
            f"    Trace output: tcp4://127.0.0.1:{relay.control}/ [data: {relay.data}]\n"
            in listing), listing
    assert run(rt, "stop", "net") == (98, "", err(LOST))
    assert run(rt, "destroy", "net") == (98, "Session net destroyed\n",
                                         destroyed_after_loss("net"))
    log = rt.sessiond_output()
    # The relay connections went with the consumer: one loss, not a relay failure.
    assert "relay daemon was lost" not in log, log

    rt.run("create", "net2", f"--set-url={relay.url()}")
    rt.run("enable-event", "-u", "rt_test:seq", "-s", "net2")
    rt.run("start", "net2")
    go(app, 10)
    assert app.wait(timeout=30) == 0
    rt.run("destroy", "net2")
    d = session_dir(relay, "net2-")
    assert [f["seq"] for _, f in read_events(d)] == list(range(25, 35))


def test_per_pid_session_lost_and_a_session_without_buffers_unharmed(rt, tmp_path):
    rt.start_sessiond()
    rt.run("create", "pid", f"--output={tmp_path / 'pid'}")
    rt.run("enable-channel", "-u", "--buffers-pid", "c", "-s", "pid")
    rt.run("enable-event", "-u", "rt_test:seq", "-c", "c", "-s", "pid")
    rt.run("start", "pid")
    # Set up, never started: it has no buffers in the consumer that dies.
    rt.run("create", "idle", f"--output={tmp_path / 'idle'}")
    rt.run("enable-event", "-u", "rt_test:seq", "-s", "idle")
    app = start_burst(rt)
    go(app, 5, last=False)
    assert app.stdout.readline() == "done\n"
    kill_consumer(rt, ["pid"])
    # The app leaves: its per-PID buffers go, the loss stays.
    go(app, 5)
    assert app.wait(timeout=30) == 0
    assert run(rt, "list") == (0, "Available recording sessions:\n"
                                  "  1) pid [active]\n" + LOST_LINE + "\n"
                                  f"    Trace output: {tmp_path / 'pid'}\n\n"
                                  "  2) idle [inactive]\n"
                                  f"    Trace output: {tmp_path / 'idle'}\n\n"
                                  "\nUse ringtrace list <session_name> for more details\n", "")
    assert run(rt, "start", "idle") == (0, "Tracing started for session idle\n", "")
    app = start_burst(rt)
    go(app, 3)
    assert app.wait(timeout=30) == 0
    assert run(rt, "destroy", "pid") == (98, "Session pid destroyed\n", destroyed_after_loss("pid"))
    rt.run("destroy", "idle")
    assert [f["seq"] for _, f in read_events(tmp_path / "idle")] == [0, 1, 2]
    assert "Session idle lost" not in rt.sessiond_output()
