# SPDX-License-Identifier: MIT
"""ringtrace-sessiond, client side: options and daemonization, the run
directory and its permissions, peer credentials, the client protocol (well
and badly formed requests) and the session/channel/event rule semantics of
lttng 2.13. Driven through tests/e2e/rtproto.py, without the CLI."""
import os
import pathlib
import re
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time

import pytest

import rtproto as rp
from conftest import BIN, Env

pytestmark = pytest.mark.skipif(not BIN["sessiond"].exists(),
                                reason="ringtrace-sessiond is not built")

HERE = pathlib.Path(__file__).resolve().parent
SESSIOND = str(BIN["sessiond"])


def rundir(rt):
    return rt.home / ".ringtrace"


def client_sock(rt):
    return rundir(rt) / "client-ringtrace-sock"


def connect(rt, timeout=30):
    """A client connection; retries while the socket is bound but not yet listening."""
    deadline = time.monotonic() + 5
    while True:
        try:
            return rp.Client(client_sock(rt), timeout=timeout)
        except (ConnectionRefusedError, FileNotFoundError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def expect_error(name, fn, *args, **kw):
    with pytest.raises(rp.ProtocolError) as e:
        fn(*args, **kw)
    assert e.value.name == name, f"expected {name}, got {e.value.name}"


def wait_gone(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def daemon_pid(rt):
    return int((rundir(rt) / "ringtrace-sessiond.pid").read_text())


def stop_foreground(rt):
    """SIGTERM to the foreground daemon; returns (exit status, its output)."""
    rt.sessiond.send_signal(signal.SIGTERM)
    rt.sessiond.wait(timeout=20)
    return rt.sessiond.returncode, rt.sessiond_output()


@pytest.fixture
def sd(rt):
    """A foreground session daemon and a client connected to it; at the end
    the daemon must still run and must shut down cleanly on SIGTERM."""
    rt.start_sessiond("-vv")
    with connect(rt) as c:
        yield c
    assert rt.sessiond.poll() is None, "the session daemon died"
    status, out = stop_foreground(rt)
    assert status == 0, out


# --- options, daemonization, run directory ---


def test_help_version_and_bad_options(rt):
    r = subprocess.run([SESSIOND, "--help"], env=rt.env, capture_output=True, text=True)
    assert r.returncode == 0 and "--daemonize" in r.stdout and "--sig-parent" in r.stdout
    r = subprocess.run([SESSIOND, "-V"], env=rt.env, capture_output=True, text=True)
    assert r.returncode == 0 and re.match(r"ringtrace-sessiond \d+\.\d+", r.stdout)
    r = subprocess.run([SESSIOND, "--bogus"], env=rt.env, capture_output=True, text=True)
    assert r.returncode == 1 and "--bogus" in r.stderr
    r = subprocess.run([SESSIOND, "extra-arg"], env=rt.env, capture_output=True, text=True)
    assert r.returncode == 1 and "extra-arg" in r.stderr
    r = subprocess.run([SESSIOND, "-q", "-v"], env=rt.env, capture_output=True, text=True)
    assert r.returncode == 1 and "--quiet" in r.stderr
    assert not rundir(rt).exists()


def test_daemonize_and_sig_parent(rt):
    got = []
    old = signal.signal(signal.SIGUSR1, lambda *a: got.append(True))
    try:
        p = subprocess.Popen([SESSIOND, "-d", "--sig-parent"], env=rt.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = p.communicate(timeout=20)
        assert p.returncode == 0, err
        # Ready as soon as the starting process returns: no retry needed.
        with rp.Client(client_sock(rt)) as c:
            assert c.list_sessions() == []
        deadline = time.monotonic() + 5
        while not got and time.monotonic() < deadline:
            time.sleep(0.01)
        assert got, "no SIGUSR1 from --sig-parent"
    finally:
        signal.signal(signal.SIGUSR1, old)
    pid = daemon_pid(rt)
    assert pid != p.pid
    os.kill(pid, 0)
    # -d: stdio on /dev/null, cwd "/", own session.
    assert os.readlink(f"/proc/{pid}/fd/2") == "/dev/null"
    assert os.readlink(f"/proc/{pid}/cwd") == "/"
    assert os.getsid(pid) == pid
    os.kill(pid, signal.SIGTERM)
    assert wait_gone(pid)
    assert not client_sock(rt).exists()
    assert not (rundir(rt) / "ringtrace-sessiond.pid").exists()


def test_background_keeps_console(rt, tmp_path):
    log = tmp_path / "log"
    with open(log, "w") as f:
        r = subprocess.run([SESSIOND, "-b", "-v"], env=rt.env, stdout=f, stderr=f, timeout=20)
    assert r.returncode == 0
    pid = daemon_pid(rt)
    assert os.readlink(f"/proc/{pid}/fd/2") == str(log)
    with connect(rt) as c:
        c.create_session("bg")
    os.kill(pid, signal.SIGTERM)
    assert wait_gone(pid)
    text = log.read_text()
    assert "ready" in text and "Session bg created" in text and "stopped" in text


def test_rundir_sockets_and_pid_file(rt):
    rt.start_sessiond()
    with connect(rt) as c:
        c.list_sessions()
    assert stat.S_IMODE(rundir(rt).stat().st_mode) == 0o700
    assert stat.S_IMODE(client_sock(rt).stat().st_mode) == 0o600
    app_sock = rundir(rt) / "ust-ringtrace-sock"
    assert stat.S_ISSOCK(app_sock.stat().st_mode)
    assert stat.S_IMODE(app_sock.stat().st_mode) == 0o600
    assert daemon_pid(rt) == rt.sessiond.pid
    status, _ = stop_foreground(rt)
    assert status == 0
    assert not client_sock(rt).exists() and not app_sock.exists()
    assert not (rundir(rt) / "ringtrace-sessiond.pid").exists()


def test_second_instance_refused(rt):
    rt.start_sessiond()
    for extra in ([], ["-d"]):
        r = subprocess.run([SESSIOND, *extra], env=rt.env, capture_output=True, text=True,
                           timeout=20)
        assert r.returncode == 1
        assert "A session daemon is already running" in r.stderr
    # The first one is unharmed.
    with connect(rt) as c:
        assert c.list_sessions() == []
    assert daemon_pid(rt) == rt.sessiond.pid
    assert stop_foreground(rt)[0] == 0


def test_extra_pidfile_and_accepted_options(rt, tmp_path):
    pidfile = tmp_path / "sd.pid"
    rt.start_sessiond("--pidfile", str(pidfile), "--no-kernel", "--consumerd32-path=/nope")
    with connect(rt) as c:
        c.list_sessions()
    assert int(pidfile.read_text()) == rt.sessiond.pid
    status, out = stop_foreground(rt)
    assert status == 0
    assert not pidfile.exists()


def test_sigterm_stops_active_session_cleanly(rt, tmp_path):
    rt.start_sessiond()
    with connect(rt) as c:
        c.create_session("s1", output=str(tmp_path / "trace"))
        c.enable_event("s1", "rt_test:*")
        c.start("s1")
    status, out = stop_foreground(rt)
    assert status == 0, out
    assert "Error" not in out, out
    assert not client_sock(rt).exists()


# --- peer credentials ---


def run_as_nobody(code, env):
    """Runs python code as uid/gid 65534 with rtproto importable."""
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
         sys.executable, "-c", code],
        env=dict(env, PYTHONPATH=str(HERE)), capture_output=True, text=True, timeout=30)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv")
def test_other_user_refused_with_eperm():
    base = pathlib.Path(tempfile.mkdtemp(prefix="rt-sd-cred-"))
    os.chmod(base, 0o755)
    (base / "home").mkdir()
    os.chmod(base / "home", 0o755)
    e = Env(base / "home")
    try:
        proc = e.start_sessiond("-v")
        with connect(e) as c:
            c.create_session("mine")
        # Open the file modes so that only the credential check stands in the way.
        os.chmod(rundir(e), 0o755)
        os.chmod(client_sock(e), 0o666)
        code = f"""
import rtproto as rp
c = rp.Client({str(client_sock(e))!r})
c.send_frame(rp.LIST_SESSIONS, rp.msg())
print(c.recv_reply()[1])
try:
    c.send_frame(rp.LIST_SESSIONS, rp.msg())
    print(c.recv_reply())
except (OSError, ConnectionError):
    print("closed")
"""
        r = run_as_nobody(code, e.env)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.split()
        assert lines == [str(-rp.ERR["EPERM"]), "closed"], r.stdout
        # A refused client that sends nothing still gets its answer.
        code = f"""
import rtproto as rp
c = rp.Client({str(client_sock(e))!r})
print(c.recv_reply()[1])
"""
        r = run_as_nobody(code, e.env)
        assert r.stdout.split() == [str(-rp.ERR["EPERM"])], r.stdout + r.stderr
        # Root is still served and its session untouched.
        with connect(e) as c:
            assert [s["name"] for s in c.list_sessions()] == ["mine"]
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        assert proc.returncode == 0
        assert "Refused client connection from uid 65534" in e.sessiond_output()
    finally:
        e.stop_daemons()
        shutil.rmtree(base, ignore_errors=True)


# --- malformed requests ---


def raw(rt):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(str(client_sock(rt)))
    return s


def reply_or_closed(s):
    """(type, status) of a reply, or None when the daemon closed the connection."""
    try:
        head = b""
        while len(head) < rp.FRAME.size:
            chunk = s.recv(rp.FRAME.size - len(head))
            if not chunk:
                return None
            head += chunk
    except ConnectionResetError:
        return None
    cmd, status, length, _ = rp.FRAME.unpack(head)
    if length:
        s.recv(length, socket.MSG_WAITALL)
    return cmd, status


def closed(s):
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True


def test_truncated_and_oversized_frames(sd, rt):
    s = raw(rt)
    s.sendall(rp.FRAME.pack(rp.LIST_SESSIONS, 0, rp.MSG_SIZE, 0)[:8])
    s.close()
    s = raw(rt)  # payload cut short
    s.sendall(rp.FRAME.pack(rp.CREATE_SESSION_EXT, 0, rp.MSG_SIZE, 0) + b"x" * 100)
    s.close()
    s = raw(rt)
    s.sendall(rp.FRAME.pack(rp.LIST_SESSIONS, 0, rp.MAX_PAYLOAD + 1, 0))
    assert reply_or_closed(s) in (None, (rp.LIST_SESSIONS, -rp.ERR["PROTOCOL"]))
    assert closed(s)
    s = raw(rt)
    s.sendall(rp.FRAME.pack(rp.LIST_SESSIONS, 0, 0xFFFFFFFF, 0))
    assert reply_or_closed(s) in (None, (rp.LIST_SESSIONS, -rp.ERR["PROTOCOL"]))
    s = raw(rt)
    s.sendall(os.urandom(4096))
    s.close()
    assert sd.list_sessions() == []


def test_descriptors_attached_close_the_connection(sd, rt):
    with open("/dev/null") as f:
        c = rp.Client(client_sock(rt))
        c.send_frame(rp.LIST_SESSIONS, rp.msg(), fds=[f.fileno()])
        assert reply_or_closed(c.sock) == (rp.LIST_SESSIONS, -rp.ERR["PROTOCOL"])
        assert closed(c.sock)
        c = rp.Client(client_sock(rt))  # five descriptors: more than any message carries
        c.send_frame(rp.LIST_SESSIONS, rp.msg(), fds=[f.fileno()] * 5)
        assert reply_or_closed(c.sock) in (None, (rp.LIST_SESSIONS, -rp.ERR["PROTOCOL"]))
    c = rp.Client(client_sock(rt))  # descriptors announced, none sent
    c.send_frame(rp.LIST_SESSIONS, rp.msg(), nr_fds=2)
    assert reply_or_closed(c.sock) == (rp.LIST_SESSIONS, -rp.ERR["PROTOCOL"])
    assert closed(c.sock)
    assert sd.list_sessions() == []


def test_wrong_payload_sizes_keep_the_connection(sd):
    for payload in (b"", b"x" * 10, rp.msg("s")[:-1], rp.msg("s") + b"\0"):
        st, _ = sd.call(rp.CREATE_SESSION_EXT, payload, check=False)
        assert st == -rp.ERR["PROTOCOL"], len(payload)
    st, _ = sd.call(rp.LIST_SESSIONS, rp.msg() + b"extra", check=False)
    assert st == -rp.ERR["PROTOCOL"]
    # Same connection, still served.
    assert sd.list_sessions() == []


def test_unknown_commands(sd):
    for cmd in (1, 7, 8, 19, 51, 52, 63, 64, 1000, 0xFFFFFFFF):
        st, body = sd.call(cmd, rp.msg("s"), check=False)
        assert (st, body) == (-rp.ERR["UND"], b""), cmd
    assert sd.list_sessions() == []


def test_unterminated_strings(sd):
    bad_name = rp.msg().replace(b"\0" * rp.NAME_LEN, b"a" * rp.NAME_LEN, 1)
    for cmd in (rp.DESTROY_SESSION, rp.START_TRACE, rp.STOP_TRACE, rp.DATA_PENDING,
                rp.LIST_CHANNELS, rp.LIST_DOMAINS, rp.CREATE_SESSION_EXT):
        st, _ = sd.call(cmd, bad_name, check=False)
        assert st == -rp.ERR["PROTOCOL"], cmd
    # Output path filling its whole array.
    st, _ = sd.call(rp.CREATE_SESSION_EXT,
                    rp.msg("s", union=rp.CREATE.pack(b"/" * rp.PATH_MAX, 0, 0, 0, 0, b"")),
                    check=False)
    assert st == -rp.ERR["PROTOCOL"]
    # The same for the data URL.
    st, _ = sd.call(rp.CREATE_SESSION_EXT,
                    rp.msg("s", union=rp.CREATE.pack(b"net://127.0.0.1", 0, 0, 0, 0,
                                                     b"t" * rp.PATH_MAX)),
                    check=False)
    assert st == -rp.ERR["PROTOCOL"]
    # A data URL that does not parse: refused, nothing created.
    st, _ = sd.call(rp.CREATE_SESSION_EXT,
                    rp.msg("s", union=rp.CREATE.pack(b"tcp://127.0.0.1", 0, 0, 0, 0, b"udp://x")),
                    check=False)
    assert st == -rp.ERR["INVALID"]
    sd.create_session("s")
    chan = rp.CHANNEL.pack(b"c" * rp.SYMBOL_LEN, 0, *rp.ATTR.unpack(rp.channel_attr()), 0, 0,
                           b"")
    st, _ = sd.call(rp.ENABLE_CHANNEL, rp.msg("s", union=chan), check=False)
    assert st == -rp.ERR["PROTOCOL"]
    for union in (b"c" * rp.SYMBOL_LEN,
                  b"\0" * rp.SYMBOL_LEN + b"e" * rp.SYMBOL_LEN):
        st, _ = sd.call(rp.DISABLE_EVENT, rp.msg("s", union=union), check=False)
        assert st == -rp.ERR["PROTOCOL"]
    st, _ = sd.call(rp.LIST_EVENTS, rp.msg("s", union=b"c" * rp.SYMBOL_LEN), check=False)
    assert st == -rp.ERR["PROTOCOL"]
    assert [s["name"] for s in sd.list_sessions()] == ["s"]


def test_tracker_values_checked(sd):
    sd.create_session("s")
    vuid, vpid = 1, 0
    for union, error in ((rp.TRACKER.pack(vuid, 0, 0, b"r" * 256), "PROTOCOL"),
                         (rp.TRACKER.pack(vpid, 0, 0, b"root"), "INVALID"),
                         (rp.TRACKER.pack(vuid, 0, -1, b""), "INVALID"),
                         (rp.TRACKER.pack(vuid, 0, 0, b"no-such-user"), "USER_NOT_FOUND"),
                         (rp.TRACKER.pack(2, 0, 0, b"no-such-group"), "GROUP_NOT_FOUND")):
        st, _ = sd.call(rp.TRACK_ID, rp.msg("s", union=union), check=False)
        assert st == -rp.ERR[error], union[:16]
    # Nothing changed: the policy entry (include all) alone.
    _, body = sd.call(rp.LIST_TRACKER_IDS, rp.msg("s", union=rp.TRACKER.pack(vuid, 0, 0, b"")))
    assert body == rp.TRACKER_VALUE.pack(0, b"")
    sd.call(rp.TRACK_ID, rp.msg("s", union=rp.TRACKER.pack(vuid, 0, 0, b"root")))
    sd.call(rp.TRACK_ID, rp.msg("s", union=rp.TRACKER.pack(vuid, 0, 0, b"")))
    _, body = sd.call(rp.LIST_TRACKER_IDS, rp.msg("s", union=rp.TRACKER.pack(vuid, 0, 0, b"")))
    assert body == b"".join(rp.TRACKER_VALUE.pack(*v) for v in ((2, b""), (0, b"root"), (0, b"")))


def enable_event_raw(sd, fixed_tail, var, name="ev"):
    """ENABLE_EVENT with hand-made lengths (expression, bytecode, exclusions)."""
    fixed = rp.ENABLE_EVENT_FIXED.pack(b"", *rp.EVENT.unpack(rp.event(name)), *fixed_tail)
    st, _ = sd.call(rp.ENABLE_EVENT, rp.msg("s", union=fixed) + var, check=False)
    return st


def test_enable_event_variable_part_checked(sd):
    sd.create_session("s")
    proto, inval, badfilter = (-rp.ERR[n] for n in ("PROTOCOL", "INVALID", "FILTER_INVAL"))
    assert enable_event_raw(sd, (10, 4, 0), b"") == proto           # lengths, no bytes
    assert enable_event_raw(sd, (3, 1, 0), b"abc" + b"\x01") == proto  # not terminated
    assert enable_event_raw(sd, (0, 0, 1), b"x" * rp.SYMBOL_LEN) == proto
    assert enable_event_raw(sd, (0, 0, 0xFFFFFFFF), b"") == proto
    assert enable_event_raw(sd, (0xFFFFFFFF, 0, 0), b"") == proto
    assert enable_event_raw(sd, (0, 0, 0), b"trailing") == proto
    assert enable_event_raw(sd, (3, 0, 0), b"ab\0") == inval          # expression, no bytecode
    assert enable_event_raw(sd, (3, 2, 0), b"ab\0" + b"\x01\x02") == badfilter  # not bytecode
    # Exclusions need a pattern with a `*` (the CLI checks first).
    assert enable_event_raw(sd, (0, 0, 1), b"ex\0".ljust(rp.SYMBOL_LEN, b"\0")) == inval
    assert enable_event_raw(sd, (0, 0, 0), b"", name="") == inval
    expect_error("FILTER_INVAL", sd.enable_event, "s", "ev", expression="a == 1",
                 bytecode=b"\0" * 8)
    expect_error("INVALID", sd.enable_event, "s", "ev", exclusions=["ev2"])
    # Nothing of that reached the session.
    assert sd.list_channels("s") == []
    sd.enable_event("s", "ev")
    assert [e["name"] for e in sd.list_events("s")] == ["ev"]


def test_silent_client_does_not_block_others(sd, rt):
    stalled = raw(rt)
    stalled.sendall(rp.FRAME.pack(rp.LIST_SESSIONS, 0, rp.MSG_SIZE, 0) + b"\0" * 100)
    idle = raw(rt)
    for i in range(3):
        with connect(rt) as c:
            c.create_session(f"s{i}")
    assert len(sd.list_sessions()) == 3
    stalled.close()
    idle.close()


# --- sessions ---


def test_session_create_list_destroy(sd, rt, tmp_path):
    info = sd.create_session("s1")
    assert info["name"] == "s1" and info["enabled"] == 0
    assert re.fullmatch(re.escape(str(rt.home / "ringtrace-traces")) + r"/s1-\d{8}-\d{6}",
                        info["path"]), info["path"]
    assert not pathlib.Path(info["path"]).exists()  # created when tracing starts
    out = tmp_path / "deep" / "out"
    assert sd.create_session("s2", output=str(out))["path"] == str(out)
    assert sd.create_session("auto-20240101-120000", auto_name=True)["path"] == \
        str(rt.home / "ringtrace-traces" / "auto-20240101-120000")
    assert [s["name"] for s in sd.list_sessions()] == ["s1", "s2", "auto-20240101-120000"]
    assert sd.list_sessions()[1]["path"] == str(out)

    expect_error("EXIST_SESS", sd.create_session, "s1")
    expect_error("EXIST_SESS", sd.create_session, "s1", output=str(tmp_path / "other"))
    expect_error("SESS_NOT_FOUND", sd.destroy_session, "nope")
    expect_error("SESS_NOT_FOUND", sd.start, "nope")
    expect_error("SESS_NOT_FOUND", sd.stop, "nope")
    expect_error("SESS_NOT_FOUND", sd.data_pending, "nope")
    expect_error("SESS_NOT_FOUND", sd.list_channels, "nope")
    expect_error("SESS_NOT_FOUND", sd.enable_event, "nope", "ev")

    sd.destroy_session("s1")
    expect_error("SESS_NOT_FOUND", sd.destroy_session, "s1")
    assert [s["name"] for s in sd.list_sessions()] == ["s2", "auto-20240101-120000"]
    sd.create_session("s1")  # the name is free again


def test_session_names_and_output_paths(sd, tmp_path):
    expect_error("SESSION_INVALID_CHAR", sd.create_session, "a/b")
    expect_error("INVALID", sd.create_session, "")
    sd.create_session("x" * 255)
    expect_error("OUTPUT_PATH", sd.create_session, "rel", output="relative/path")
    afile = tmp_path / "afile"
    afile.write_text("")
    expect_error("OUTPUT_PATH", sd.create_session, "f", output=str(afile))
    expect_error("OUTPUT_PATH", sd.create_session, "f", output=str(afile / "sub"))
    expect_error("OUTPUT_PATH", sd.create_session, "p", output="/proc/ringtrace-nope/x")
    expect_error("INVALID", sd.create_session, "live", output="/tmp/x", live_timer_us=1000000)
    expect_error("NOT_SUPPORTED", sd.create_session, "noout", no_output=1)
    assert [s["name"] for s in sd.list_sessions()] == ["x" * 255]
    sd.create_session("snap", snapshot=1)  # snapshot sessions: test_snapshot.py
    assert [(s["name"], s["path"], s["snapshot_mode"]) for s in sd.list_sessions()
            if s["name"] == "snap"] == [("snap", "", 1)]
    # The creatability probe leaves nothing behind.
    sd.create_session("probe", output=str(tmp_path / "new" / "dir"))
    assert not (tmp_path / "new").exists()


# --- channels ---


def test_overwrite_channel(sd):
    sd.create_session("s")
    expect_error("INVALID", sd.enable_channel, "s", "c1", overwrite=1, blocking_timeout=-1)
    sd.enable_channel("s", "c1", overwrite=1)
    [c] = sd.list_channels("s")
    assert c["attr"]["overwrite"] == 1 and c["attr"]["blocking_timeout"] == 0


def test_channels(sd):
    sd.create_session("s")
    assert sd.list_domains("s") == []
    sd.enable_channel("s", "c1", overwrite=0, subbuf_size=8192, num_subbuf=8,
                      switch_timer=100000)
    [c] = sd.list_channels("s")
    assert (c["name"], c["enabled"]) == ("c1", 1)
    assert c["attr"]["overwrite"] == 0 and c["attr"]["subbuf_size"] == 8192
    assert c["attr"]["num_subbuf"] == 8 and c["attr"]["switch_timer"] == 100000
    assert (c["discarded_events"], c["lost_packets"]) == (0, 0)
    assert sd.list_domains("s") == [(rp.DOMAIN_UST, rp.BUFFER_PER_UID)]
    sd.enable_channel("s", "c2")
    assert sd.list_channels("s")[1]["attr"]["overwrite"] == 0  # -1: the default

    expect_error("UST_CHAN_EXIST", sd.enable_channel, "s", "c1")
    sd.disable_channel("s", "c1")
    sd.disable_channel("s", "c1")  # already disabled: fine, as lttng
    assert [c["enabled"] for c in sd.list_channels("s")] == [0, 1]
    sd.enable_channel("s", "c1", subbuf_size=4096 * 1024)  # re-enabled, attributes kept
    [c1, _] = sd.list_channels("s")
    assert c1["enabled"] == 1 and c1["attr"]["subbuf_size"] == 8192
    expect_error("UST_CHAN_NOT_FOUND", sd.disable_channel, "s", "nope")

    for kw, err in ((dict(subbuf_size=1000), "SUBBUF_SIZE"),
                    (dict(subbuf_size=2048), "SUBBUF_SIZE"),
                    (dict(subbuf_size=0), "SUBBUF_SIZE"),
                    (dict(num_subbuf=3), "NUM_SUBBUF"),
                    (dict(num_subbuf=1), "NUM_SUBBUF"),
                    (dict(num_subbuf=0), "NUM_SUBBUF"),
                    (dict(output=rp.OUTPUT_SPLICE), "NOT_SUPPORTED"),
                    (dict(overwrite=2), "INVALID"),
                    (dict(overwrite=1, blocking_timeout=100), "INVALID"),
                    (dict(blocking_timeout=-2), "INVALID"),
                    (dict(live_timer=1000), "NOT_SUPPORTED"),
                    (dict(buf_type=rp.BUFFER_PER_PID), "MIXED_BUFFER_TYPE"),
                    (dict(buf_type=rp.BUFFER_GLOBAL), "NOT_SUPPORTED"),
                    (dict(domain=rp.DOMAIN_KERNEL), "NOT_SUPPORTED"),
                    (dict(domain=0), "UNKNOWN_DOMAIN"),
                    (dict(domain=9), "UNKNOWN_DOMAIN")):
        expect_error(err, sd.enable_channel, "s", "bad", **kw)
    for name in (".hidden", "a/b", ""):
        expect_error("INVALID", sd.enable_channel, "s", name)
    expect_error("NOT_SUPPORTED", sd.list_channels, "s", domain=rp.DOMAIN_KERNEL)
    assert [c["name"] for c in sd.list_channels("s")] == ["c1", "c2"]


# --- event rules ---


def test_event_rules(sd):
    sd.create_session("s")
    sd.enable_event("s", "a:b")
    assert [c["name"] for c in sd.list_channels("s")] == ["channel0"]
    [ch] = sd.list_channels("s")
    assert ch["attr"]["subbuf_size"] == 512 * 1024 and ch["attr"]["num_subbuf"] == 4
    expect_error("UST_EVENT_ENABLED", sd.enable_event, "s", "a:b")
    expect_error("UST_EVENT_ENABLED", sd.enable_event, "s", "a:b", channel="channel0")
    sd.enable_event("s", "a:b", loglevel_type=rp.LOGLEVEL_RANGE, loglevel=6)
    expect_error("UST_EVENT_ENABLED", sd.enable_event, "s", "a:b",
                 loglevel_type=rp.LOGLEVEL_RANGE, loglevel=6)
    sd.enable_event("s", "a:b", loglevel_type=rp.LOGLEVEL_SINGLE, loglevel=6)
    sd.enable_event("s", "prov:*", type=rp.EVENT_ALL)
    sd.enable_event("s", "*")
    evs = sd.list_events("s", "channel0")
    assert [(e["name"], e["loglevel_type"], e["loglevel"], e["enabled"]) for e in evs] == [
        ("a:b", 0, -1, 1), ("a:b", 1, 6, 1), ("a:b", 2, 6, 1), ("prov:*", 0, -1, 1),
        ("*", 0, -1, 1)]
    expect_error("INVALID", sd.enable_event, "s", "x", loglevel_type=7)

    sd.disable_event("s", "a:b")  # every rule of that name
    assert [e["enabled"] for e in sd.list_events("s", "channel0")] == [0, 0, 0, 1, 1]
    sd.disable_event("s", "a:b")
    sd.enable_event("s", "a:b")  # re-enabled, not duplicated
    assert [e["enabled"] for e in sd.list_events("s", "channel0")] == [1, 0, 0, 1, 1]
    expect_error("UST_EVENT_NOT_FOUND", sd.disable_event, "s", "nope")
    sd.disable_event("s", "*")
    assert [e["enabled"] for e in sd.list_events("s", "channel0")] == [0] * 5
    expect_error("UST_CHAN_NOT_FOUND", sd.disable_event, "s", "a:b", channel="nope")
    expect_error("UST_CHAN_NOT_FOUND", sd.list_events, "s", "nope")
    expect_error("NOT_SUPPORTED", sd.enable_event, "s", "a:b", domain=rp.DOMAIN_KERNEL)


def test_default_channel_needs_name_once_others_exist(sd):
    sd.create_session("s")
    sd.enable_event("s", "x", channel="mine")  # a named channel is created on demand
    assert [c["name"] for c in sd.list_channels("s")] == ["mine"]
    expect_error("NEED_CHANNEL_NAME", sd.enable_event, "s", "y")
    expect_error("NEED_CHANNEL_NAME", sd.disable_event, "s", "x")
    sd.enable_event("s", "y", channel="channel0")
    expect_error("NEED_CHANNEL_NAME", sd.enable_event, "s", "z")
    assert [e["name"] for e in sd.list_events("s")] == ["x", "y"]  # every channel
    assert [e["name"] for e in sd.list_events("s", "channel0")] == ["y"]
    sd.disable_event("s", "*", channel="mine")
    expect_error("UST_EVENT_NOT_FOUND", sd.disable_event, "s", "y", channel="mine")


# --- tracing ---


def test_start_stop(sd, tmp_path):
    out = tmp_path / "trace"
    sd.create_session("s", output=str(out))
    expect_error("CHAN_NOT_FOUND", sd.start, "s")  # lttng: "No channel found in the session"
    expect_error("TRACE_ALREADY_STOPPED", sd.stop, "s")
    assert sd.data_pending("s") == 0
    sd.enable_event("s", "rt_test:*")
    sd.start("s")
    assert out.is_dir()
    assert sd.list_sessions()[0]["enabled"] == 1
    expect_error("TRACE_ALREADY_STARTED", sd.start, "s")
    expect_error("SESSION_STARTED", sd.data_pending, "s")
    expect_error("TRACE_ALREADY_STARTED", sd.enable_channel, "s", "late")
    expect_error("TRACE_ALREADY_STARTED", sd.enable_event, "s", "x", channel="late")
    sd.enable_event("s", "more:*")  # channel0 exists: fine
    sd.disable_channel("s", "channel0")
    sd.enable_channel("s", "channel0")
    sd.stop("s")
    assert sd.list_sessions()[0]["enabled"] == 0
    expect_error("TRACE_ALREADY_STOPPED", sd.stop, "s")
    deadline = time.monotonic() + 10
    while sd.data_pending("s") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sd.data_pending("s") == 0
    expect_error("TRACE_ALREADY_STARTED", sd.enable_channel, "s", "late")  # started once
    sd.start("s")
    sd.destroy_session("s")  # stops it first
    assert sd.list_sessions() == []


def test_unsupported_commands(sd):
    st, _ = sd.call(rp.REGISTER_CONSUMER, rp.msg("s"), check=False)
    assert st == -rp.ERR["NOT_SUPPORTED"]
    assert isinstance(sd.list_tracepoints(), list)
    expect_error("NOT_SUPPORTED", sd.list_tracepoints, domain=rp.DOMAIN_KERNEL)
    st, body = sd.call(rp.LIST_TRACEPOINT_FIELDS, rp.msg())
    assert st == 0 and len(body) % rp.EVENT_FIELD.size == 0


def add_context_union(channel=b"", ctx=5, perf_type=0, perf_config=0, perf_name=b""):
    """struct add_context: channel name, struct ringtrace_event_context."""
    return (channel.ljust(rp.SYMBOL_LEN, b"\0") + struct.pack("<I16xIQ", ctx, perf_type, perf_config)
            + perf_name.ljust(rp.SYMBOL_LEN, b"\0"))


def test_add_context_malformed(sd):
    """Unterminated names are protocol errors, unknown types invalid; nothing changes."""
    sd.create_session("s")
    for union, err in [(add_context_union(channel=b"x" * rp.SYMBOL_LEN), "PROTOCOL"),
                       (add_context_union(ctx=14, perf_name=b"p" * rp.SYMBOL_LEN), "PROTOCOL"),
                       (add_context_union(ctx=99), "UST_CONTEXT_INVAL"),
                       (add_context_union(ctx=0xFFFFFFFF), "UST_CONTEXT_INVAL"),
                       (add_context_union(ctx=14, perf_type=1, perf_name=b"bad name"),
                        "UST_CONTEXT_INVAL"),
                       (add_context_union(ctx=14, perf_type=77, perf_name=b"p"),
                        "UST_CONTEXT_INVAL")]:
        st, _ = sd.call(rp.ADD_CONTEXT, rp.msg("s", union=union), check=False)
        assert st == -rp.ERR[err], err
    assert sd.list_channels("s") == []
    st, _ = sd.call(rp.ADD_CONTEXT, rp.msg("s", union=add_context_union()), check=False)
    assert st == 0
    st, _ = sd.call(rp.ADD_CONTEXT, rp.msg("s", union=add_context_union()), check=False)
    assert st == -rp.ERR["UST_CONTEXT_EXIST"]


# --- consumer daemon failures ---


@pytest.mark.parametrize("mode", ["die", "one-fd", "wrong-key"])
def test_consumer_failure_reported_and_recovered(rt, tmp_path, mode):
    """A consumer that crashes or breaks the protocol is killed and reported;
    the command that needed it fails with CONSUMERD_DIED, the daemon goes on
    and starts a new consumer when one is needed again."""
    from fakeapp import FakeApp, FakeEvent

    rt.env["RINGTRACE_CONSUMERD_PATH"] = str(HERE / "fake_consumerd.py")
    rt.env["FAKE_CONSUMERD_MODE"] = mode
    rt.start_sessiond()
    app_sock = rundir(rt) / "ust-ringtrace-sock"
    deadline = time.monotonic() + 10
    while not app_sock.exists():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    app = FakeApp(app_sock, events=[FakeEvent("fake:ev")]).register()
    try:
        assert app.registered.wait(10)
        with connect(rt) as c:
            c.create_session("s", output=str(tmp_path / "trace"))
            c.enable_event("s", "fake:*")
            expect_error("CONSUMERD_DIED", c.start, "s")
            assert c.list_sessions()[0]["enabled"] == 0
            expect_error("CONSUMERD_DIED", c.start, "s")
            c.destroy_session("s")
            assert c.list_sessions() == []
    finally:
        app.close()
    status, out = stop_foreground(rt)
    assert status == 0
    expected = "consumer daemon died" if mode == "die" else "killing it"
    assert out.count(expected) >= 2, out
