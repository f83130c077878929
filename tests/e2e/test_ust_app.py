# SPDX-License-Identifier: MIT
"""The UST side of ringtrace-sessiond: app registration, commands sent to
apps, event registration into the metadata registry, per-UID buffers.

Fake apps (fakeapp.py) check the protocol exactly and misbehave on purpose:
the daemon must refuse or drop bad apps and keep serving good ones. The
tests at the end run the real chain (CLI, consumerd, libringtrace-ust).
"""
import os
import pathlib
import re
import shutil
import socket
import struct
import tempfile
import time

import pytest

from conftest import BIN, Env, example, read_events
from fakeapp import (CMD_NAMES, FakeApp, FakeEvent, NOTIFY_REGISTER_EVENT, SOCKET_CMD,
                     SOCKET_NOTIFY, STRING, closed_by_peer, event_payload, isolate_child,
                     raw_connect, read_metadata_text, recv_frame, reg_msg, send_frame,
                     wire_field, wire_integer)

pytestmark = pytest.mark.skipif(not BIN["sessiond"].exists(),
                                reason="ringtrace-sessiond is not built")
need_chain = pytest.mark.skipif(
    not (BIN["ringtrace"].exists() and BIN["consumerd"].exists()),
    reason="needs the ringtrace CLI and ringtrace-consumerd")

TIMEOUT_S = 1  # RINGTRACE_APP_SOCKET_TIMEOUT for these tests


def possible_cpus():
    with open("/sys/devices/system/cpu/possible") as f:
        return max(int(x) for x in re.split(r"[-,]", f.read().strip())) + 1


@pytest.fixture
def daemon(rt):
    """A running session daemon with a short app socket timeout."""
    rt.env["RINGTRACE_APP_SOCKET_TIMEOUT"] = str(TIMEOUT_S)
    rt.start_sessiond()
    rt.app_sock = rt.home / ".ringtrace" / "ust-ringtrace-sock"
    deadline = time.monotonic() + 10
    while not rt.app_sock.exists():
        assert time.monotonic() < deadline, "no app socket"
        time.sleep(0.02)
    rt.fakes = []
    yield rt
    for app in rt.fakes:
        app.close()
    assert rt.sessiond.poll() is None, "the session daemon died"
    check_daemon_output(daemon_output(rt))


SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "ThreadSanitizer")


def check_daemon_output(text):
    for mark in SANITIZER_MARKS:
        assert mark not in text, text


def fake(rt, *events, **kw):
    app = FakeApp(rt.app_sock, events=events, **kw)
    rt.fakes.append(app)
    return app.register()


def cmd_names(app):
    return [n[len("CMD_"):] for n in app.commands()]


def wait_for(pred, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


# --- registration ---


def test_good_app_gets_register_done(daemon):
    app = fake(daemon)
    assert app.registered.wait(5)
    assert cmd_names(app) == ["REGISTER_DONE"]


BAD_REGISTRATIONS = {
    "magic": dict(magic=0xDEADBEEF),
    "abi major": dict(major=99),
    "socket type": dict(socket_type=7),
    "bits": dict(bits=48),
    "alignment": dict(align=3),
    "long alignment wider than long": dict(bits=32, long_align=64),
}


@pytest.mark.parametrize("what", list(BAD_REGISTRATIONS))
def test_bad_registration_closed(daemon, what):
    kw = dict(BAD_REGISTRATIONS[what])
    socket_type = kw.pop("socket_type", SOCKET_CMD)
    s = raw_connect(daemon.app_sock, reg_msg(os.getpid(), os.getuid(), os.getgid(),
                                             socket_type, **kw))
    assert closed_by_peer(s)
    s.close()
    assert fake(daemon).registered.wait(5)


@pytest.mark.parametrize("field", ["pid", "uid"])
def test_credentials_must_match(daemon, field):
    pid, uid = os.getpid(), os.getuid()
    msg = reg_msg(pid + 1 if field == "pid" else pid, uid + 1 if field == "uid" else uid,
                  os.getgid(), SOCKET_CMD)
    s = raw_connect(daemon.app_sock, msg)
    assert closed_by_peer(s)
    s.close()


def test_garbage_and_silence_do_not_block_registration(daemon):
    garbage = raw_connect(daemon.app_sock, os.urandom(500))
    short = raw_connect(daemon.app_sock, b"\xc5\x57\x7c\xc5" + b"\0" * 10)  # never completed
    t0 = time.monotonic()
    app = fake(daemon)
    assert app.registered.wait(5)
    assert time.monotonic() - t0 < TIMEOUT_S, "a silent connection delayed a good app"
    assert closed_by_peer(garbage)
    assert closed_by_peer(short, timeout=TIMEOUT_S + 5)
    garbage.close()
    short.close()


def flood_connect(path):
    """raw_connect, retrying while the listen backlog is full; None when the
    daemon refused the connection (too many registering at once)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return raw_connect(path, b"\0" * 3)
        except BlockingIOError:
            assert time.monotonic() < deadline, "the daemon stopped accepting"
            time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            return None


def test_connection_flood_then_good_app(daemon):
    conns = [c for c in (flood_connect(daemon.app_sock) for _ in range(300)) if c]
    try:
        # Beyond the daemon's limit of connections still registering, new
        # ones are refused; once they time out, apps register again.
        assert wait_for(lambda: fake(daemon).registered.wait(1), timeout=TIMEOUT_S + 10)
    finally:
        for c in conns:
            c.close()


def test_lone_command_socket_is_dropped(daemon):
    app = FakeApp(daemon.app_sock)
    daemon.fakes.append(app)
    app.register(sockets=(SOCKET_CMD,))
    assert closed_by_peer(app.cmd, timeout=TIMEOUT_S + 5)
    assert not app.registered.is_set()


def test_same_pid_registering_again_replaces_old(daemon):
    """A process that registers again (lost connection, exec) replaces its old app."""
    parent, child = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            isolate_child(child.fileno())
            for _ in range(2):
                socks = [raw_connect(daemon.app_sock,
                                     reg_msg(os.getpid(), os.getuid(), os.getgid(), t))
                         for t in (SOCKET_CMD, SOCKET_NOTIFY)]
                socket.send_fds(child, [b"x"], [x.fileno() for x in socks])
                for x in socks:
                    x.close()
                child.recv(1)  # the parent answered REGISTER_DONE
        finally:
            os._exit(0)
    child.close()
    parent.settimeout(30)
    try:
        rounds = []
        for _ in range(2):
            _, fds, _, _ = socket.recv_fds(parent, 1, 2)
            cmd, notify = (socket.socket(fileno=fd) for fd in fds)
            cmd.settimeout(10)
            mtype, _, _, _ = recv_frame(cmd)
            assert CMD_NAMES[mtype] == "CMD_REGISTER_DONE"
            send_frame(cmd, mtype)
            rounds.append((cmd, notify))
            parent.send(b"g")
        (old_cmd, old_notify), (new_cmd, new_notify) = rounds
        assert closed_by_peer(old_cmd) and closed_by_peer(old_notify)
        assert not closed_by_peer(new_cmd, timeout=0.5)
        for x in (old_cmd, old_notify, new_cmd, new_notify):
            x.close()
    finally:
        parent.close()
        os.waitpid(pid, 0)


def test_silent_app_dropped_others_served(daemon):
    silent = fake(daemon, misbehave="silent")
    good = fake(daemon)
    assert good.registered.wait(TIMEOUT_S + 5)
    assert silent.gone.wait(TIMEOUT_S + 5), "the silent app should be dropped"
    assert not silent.registered.is_set()


def test_wrong_reply_dropped(daemon):
    bad = fake(daemon, misbehave="wrong-type")
    assert bad.gone.wait(5)
    assert fake(daemon).registered.wait(5)


# --- notifications ---


def test_malformed_notifications(daemon):
    app = fake(daemon)
    assert app.registered.wait(5)
    n = app.notify
    # A readable but invalid description: error reply, the app stays.
    send_frame(n, NOTIFY_REGISTER_EVENT, 0, b"\x01\x02\x03")
    mtype, status, payload, _ = recv_frame(n)
    assert (mtype, payload) == (NOTIFY_REGISTER_EVENT, b"") and status < 0
    # Field count disagreeing with the payload length.
    send_frame(n, NOTIFY_REGISTER_EVENT, 0,
               event_payload(1, 1, "p:e", [wire_field("v")], nr_fields=3))
    assert recv_frame(n)[1] < 0
    # Valid description, but handles naming nothing of this app.
    send_frame(n, NOTIFY_REGISTER_EVENT, 0, event_payload(77, 78, "p:e", [wire_field("v")]))
    assert recv_frame(n)[1] == -2  # -ENOENT
    # Unknown notification.
    send_frame(n, 42, 0, b"")
    assert recv_frame(n)[1] < 0
    # Still registered: the command socket is open and served.
    assert not app.gone.is_set()
    # An absurd length: the connection is closed and the app dropped.
    n.sendall(struct.pack("<IiII", NOTIFY_REGISTER_EVENT, 0, 0xFFFFFFF0, 0))
    assert closed_by_peer(n)
    assert app.gone.wait(5)
    assert fake(daemon).registered.wait(5)


def test_truncated_notification_times_out(daemon):
    app = fake(daemon)
    assert app.registered.wait(5)
    app.notify.sendall(struct.pack("<IiII", NOTIFY_REGISTER_EVENT, 0, 1000, 0) + b"x" * 10)
    assert app.gone.wait(TIMEOUT_S + 5)
    assert fake(daemon).registered.wait(5)


# --- other users (needs root to become another user) ---


@pytest.fixture
def traversable_daemon():
    """A per-user daemon whose app socket another user can reach (pytest's
    own temporary directories are private)."""
    home = pathlib.Path(tempfile.mkdtemp(prefix="rt-"))
    os.chmod(home, 0o711)
    env = Env(home)
    env.start_sessiond()
    sock = home / ".ringtrace" / "ust-ringtrace-sock"
    assert wait_for(sock.exists)
    os.chmod(home / ".ringtrace", 0o711)
    os.chmod(sock, 0o666)
    yield env, sock
    env.stop_daemons()
    shutil.rmtree(home, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to register as another user")
def test_other_uid_refused_by_per_user_daemon(traversable_daemon):
    env, sock = traversable_daemon
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            isolate_child(w)
            os.setgid(65534)
            os.setuid(65534)
            try:
                s = raw_connect(sock, reg_msg(os.getpid(), 65534, 65534, SOCKET_CMD))
                closed = closed_by_peer(s)
            except (BrokenPipeError, ConnectionResetError):
                closed = True  # refused before the message was even sent
            os.write(w, b"1" if closed else b"0")
        except BaseException as e:
            os.write(w, repr(e).encode())
        finally:
            os._exit(0)
    os.close(w)
    verdict = os.read(r, 4096)
    os.waitpid(pid, 0)
    os.close(r)
    assert verdict == b"1"
    text = daemon_output(env)
    assert "uid 65534 is not this daemon's user" in text
    check_daemon_output(text)


def daemon_output(env):
    """Everything the daemon (started by start_sessiond) printed, once stopped."""
    env.stop_daemons()
    return (env.home / "sessiond.log").read_text(errors="replace")


# --- sessions (CLI + consumer) ---

EV = FakeEvent("fake:ev", [wire_field("v"), wire_field("s", kind=STRING, integer=b"\0" * 8)])


def session(rt, out, *rules, channel=None):
    rt.run("create", "s1", f"--output={out}")
    for rule in rules or ("fake:*",):
        args = ["enable-event", "-u", rule]
        if channel:
            args += ["-c", channel]
        rt.run(*args)


def app_in_started_session(rt, out, *events, rules=()):
    """A fake app of events, registered into session s1 (rules, default
    fake:*) once started."""
    session(rt, out, *rules)
    rt.run("start")
    app = fake(rt, *events)
    assert app.registered.wait(10)
    return app


def setup_sequence(app, nr_enablers=1):
    ncpu = possible_cpus()
    return (["CREATE_SESSION", "CREATE_CHANNEL"] + ["ADD_STREAM"] * ncpu
            + ["CREATE_ENABLER", "ENABLE"] * nr_enablers + ["SESSION_START"])


@need_chain
def test_app_set_up_when_registering_into_started_session(daemon, tmp_path):
    out = tmp_path / "trace"
    app = app_in_started_session(daemon, out, EV)
    assert cmd_names(app) == setup_sequence(app) + ["REGISTER_DONE"]
    assert app.event_ids == {"fake:ev": (0, 0)}
    # Every stream came with its two descriptors, one per possible CPU.
    log = dict((n, d) for n, d in app.log if n == "CMD_CREATE_CHANNEL")
    sess_h, chan_h, stream_id, nr_streams, overwrite, _ = log["CMD_CREATE_CHANNEL"]
    assert (stream_id, nr_streams, overwrite) == (0, possible_cpus(), 0)
    streams = [d for n, d in app.log if n == "CMD_ADD_STREAM"]
    assert [(h, cpu, nfds) for h, cpu, nfds in streams] == \
        [(chan_h, cpu, 2) for cpu in range(possible_cpus())]
    daemon.run("stop")
    assert app.stopped.is_set()
    daemon.run("destroy")
    assert cmd_names(app)[-2:] == ["SESSION_STOP", "RELEASE"]

    layout = out / "ust" / "uid" / str(os.getuid()) / "64-bit"
    text = read_metadata_text(layout / "metadata")
    assert text.startswith("/* CTF 1.8 */")
    assert 'tracer_name = "lttng-ust";' in text
    assert "tracer_major = 2;" in text and "tracer_minor = 13;" in text
    assert 'tracer_buffering_scheme = "uid";' in text
    assert f"tracer_buffering_id = {os.getuid()};" in text
    assert "architecture_bit_width = 64;" in text
    assert 'trace_name = "s1";' in text
    assert text.count("stream {") == 1 and "event.header := struct event_header_large;" in text
    assert text.count('name = "fake:ev";') == 1
    assert "\tid = 0;\n\tstream_id = 0;\n\tloglevel = 13;" in text
    assert "string _s;" in text
    assert (layout / "channel0_0").exists()


@need_chain
def test_app_registered_before_start(daemon, tmp_path):
    app = fake(daemon, EV)
    assert app.registered.wait(5)
    session(daemon, tmp_path / "trace")
    daemon.run("start")
    assert app.started.wait(5)
    assert cmd_names(app) == ["REGISTER_DONE"] + setup_sequence(app)
    daemon.run("stop")
    daemon.run("destroy")


@need_chain
def test_same_event_same_id_different_fields_refused(daemon, tmp_path):
    out = tmp_path / "trace"
    other = FakeEvent("fake:other", [wire_field("x", integer=wire_integer(size=64))])
    session(daemon, out)
    daemon.run("start")
    a = fake(daemon, other, EV)
    b = fake(daemon, EV, other)
    changed = FakeEvent("fake:ev", [wire_field("v", integer=wire_integer(size=16))])
    c = fake(daemon, changed)
    for app in (a, b, c):
        assert app.registered.wait(10)
    assert a.event_ids == {"fake:other": (0, 0), "fake:ev": (0, 1)}
    assert b.event_ids == {"fake:ev": (0, 1), "fake:other": (0, 0)}
    assert c.event_ids["fake:ev"][0] == -17  # -EEXIST: same name, other fields
    assert c.started.is_set(), "a refused event does not stop the app's tracing"
    daemon.run("stop")
    daemon.run("destroy")
    text = read_metadata_text(out / "ust" / "uid" / str(os.getuid()) / "64-bit" / "metadata")
    assert text.count('name = "fake:ev";') == 1
    assert text.count('name = "fake:other";') == 1


@need_chain
def test_exclusions_sent_with_the_enabler(daemon, tmp_path):
    """CREATE_ENABLER carries a rule's exclusions (ust-msg.h); none, no tail."""
    session(daemon, tmp_path / "trace", "fake:a")
    daemon.run("enable-event", "-u", "fake:*", "-x", "fake:b,fake:c*")
    daemon.run("start")
    app = fake(daemon, FakeEvent("fake:a"), FakeEvent("fake:b"), FakeEvent("fake:cc"))
    assert app.registered.wait(10)
    enablers = [d for name, d in app.log if name == "CMD_CREATE_ENABLER"]
    assert [(d[2], app.enabler_exclusions[d[1]]) for d in enablers] == \
        [("fake:a", []), ("fake:*", ["fake:b", "fake:c*"])]
    assert set(app.event_ids) == {"fake:a"}
    daemon.run("stop")
    daemon.run("destroy")


@need_chain
def test_rules_changed_while_started(daemon, tmp_path):
    app = app_in_started_session(daemon, tmp_path / "trace", FakeEvent("fake:a"),
                                 FakeEvent("fake:b"), rules=["fake:a"])
    n = len(app.commands())
    daemon.run("enable-event", "-u", "fake:b")
    assert cmd_names(app)[n:] == ["CREATE_ENABLER", "ENABLE"]
    assert app.event_ids["fake:b"] == (0, 1)
    enabler_b = [d for name, d in app.log if name == "CMD_CREATE_ENABLER"][-1][1]
    daemon.run("disable-event", "-u", "fake:b")
    assert app.log[-1] == ("CMD_DISABLE", enabler_b)
    daemon.run("stop")
    daemon.run("destroy")


@need_chain
def test_restart_reuses_the_app_setup(daemon, tmp_path):
    app = app_in_started_session(daemon, tmp_path / "trace", EV)
    n = len(app.commands())
    daemon.run("stop")
    daemon.run("start")
    assert cmd_names(app)[n:] == ["SESSION_STOP", "SESSION_START"]
    daemon.run("stop")
    daemon.run("destroy")
    assert cmd_names(app)[-2:] == ["SESSION_STOP", "RELEASE"]


@need_chain
def test_channel_disabled_and_enabled_while_started(daemon, tmp_path):
    app = app_in_started_session(daemon, tmp_path / "trace", EV)
    chan_h = [d for n, d in app.log if n == "CMD_CREATE_CHANNEL"][0][1]
    daemon.run("disable-channel", "-u", "channel0")
    assert app.log[-1] == ("CMD_DISABLE", chan_h)
    daemon.run("enable-channel", "-u", "channel0")
    assert app.log[-1] == ("CMD_ENABLE", chan_h)
    out = daemon.run("list", "s1").stdout
    assert "channel0" in out
    daemon.run("stop")
    daemon.run("destroy")


@need_chain
def test_32bit_app_gets_its_own_buffers(daemon, tmp_path):
    out = tmp_path / "trace"
    session(daemon, out)
    daemon.run("start")
    a64 = fake(daemon, EV)
    a32 = fake(daemon, EV, bits=32)
    assert a64.registered.wait(10) and a32.registered.wait(10)
    assert a32.event_ids == {"fake:ev": (0, 0)}
    daemon.run("stop")
    daemon.run("destroy")
    base = out / "ust" / "uid" / str(os.getuid())
    t64 = read_metadata_text(base / "64-bit" / "metadata")
    t32 = read_metadata_text(base / "32-bit" / "metadata")
    assert "architecture_bit_width = 32;" in t32
    assert "size = 32; align = 8; signed = false; } := unsigned long;" in t32
    uuid = re.compile(r'\tuuid = "([0-9a-f-]+)";')
    assert uuid.search(t64).group(1) != uuid.search(t32).group(1)


@need_chain
def test_app_dying_mid_session(daemon, tmp_path):
    doomed = app_in_started_session(daemon, tmp_path / "trace", EV)
    doomed.close()
    daemon.fakes.remove(doomed)
    late = fake(daemon, EV)
    assert late.registered.wait(10) and late.started.is_set()
    assert late.event_ids == {"fake:ev": (0, 0)}
    daemon.run("stop")
    daemon.run("destroy")


@need_chain
def test_app_hanging_up_during_setup(daemon, tmp_path):
    session(daemon, tmp_path / "trace")
    daemon.run("start")
    bad = fake(daemon, EV, misbehave="close-on-start")
    assert bad.gone.wait(10)
    good = fake(daemon, EV)
    assert good.registered.wait(10)
    daemon.run("stop")
    daemon.run("destroy")


@need_chain
def test_list_tracepoints_and_fields_of_fake_apps(daemon):
    a = fake(daemon, FakeEvent("fake:one", loglevel=6), EV)
    b = fake(daemon, FakeEvent("fake:two"))
    assert a.registered.wait(5) and b.registered.wait(5)
    out = daemon.run("list", "-u").stdout
    for name, pid in (("fake:one", a.pid), ("fake:ev", a.pid), ("fake:two", b.pid)):
        assert name in out
        assert str(pid) in out
    fields = daemon.run("list", "-u", "-f").stdout
    assert re.search(r"\bv\b", fields) and re.search(r"\bs\b", fields)


# --- the real chain ---


def need_example(name):
    try:
        example(name)
    except FileNotFoundError:
        pytest.skip(f"test program {name} is not built")


@need_chain
def test_real_app_listed(daemon):
    need_example("ticker")
    app = daemon.popen_app("ticker", -1, 5)
    try:
        assert app.stdout.readline().strip() == "ready"
        out = daemon.run("list", "-u").stdout
        assert "rt_test:tick" in out and str(app.pid) in out
    finally:
        app.kill()
        app.wait()


@need_chain
def test_real_apps_share_event_ids_and_buffers(daemon, tmp_path):
    need_example("allfields")
    out = tmp_path / "trace"
    daemon.run("create", "s1", f"--output={out}")
    daemon.run("enable-event", "-u", "rt_test:*")
    daemon.run("start")
    for _ in range(2):
        r = daemon.app("allfields")
        assert r.returncode == 0, r.stderr
    daemon.run("stop")
    daemon.run("destroy")
    layout = out / "ust" / "uid" / str(os.getuid()) / "64-bit"
    text = read_metadata_text(layout / "metadata")
    assert text.count('name = "rt_test:allfields";') == 1
    assert [n for n, _ in read_events(out)] == ["rt_test:allfields"] * 4
    assert sorted(p.name for p in (out / "ust" / "uid").iterdir()) == [str(os.getuid())]
