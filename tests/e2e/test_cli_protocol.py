# SPDX-License-Identifier: MIT
"""libringtrace-ctl on the wire: what the ringtrace command sends for each
command (the structures of client-msg.h, byte for byte) and how it reacts to
the replies, against a scripted fake session daemon. No real daemon needed.
"""
import pathlib
import re
import socket
import struct
import threading

import pytest

import rtproto as rp


class FakeSessiond:
    """Serves the client socket of a home; answers with `handler(cmd, payload)`."""

    def __init__(self, home: pathlib.Path, handler):
        rundir = home / ".ringtrace"
        rundir.mkdir(mode=0o700, exist_ok=True)
        self.path = rundir / "client-ringtrace-sock"
        self.handler = handler
        self.requests = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(self.path))
        self.sock.listen(8)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    @staticmethod
    def recv_exact(conn, n):
        buf = b""
        while len(buf) < n:
            chunk = conn.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    while True:
                        cmd, status, length, nfds = rp.FRAME.unpack(self.recv_exact(conn, rp.FRAME.size))
                        payload = self.recv_exact(conn, length)
                        self.requests.append((cmd, payload))
                        status, reply = self.handler(cmd, payload)
                        conn.sendall(rp.FRAME.pack(cmd, status, len(reply), 0) + reply)
                except (EOFError, ConnectionError):
                    pass

    def close(self):
        self.sock.close()

    def commands(self):
        return [cmd for cmd, _ in self.requests]

    def last(self, cmd):
        return [p for c, p in self.requests if c == cmd][-1]


def session_record(name, path, enabled=0):
    return rp.SESSION.pack(rp.cstr(name, 256), rp.cstr(path, 4096), enabled, 0, 0, b"")


@pytest.fixture
def fake(rt):
    daemons = []

    def start(handler):
        d = FakeSessiond(rt.home, handler)
        daemons.append(d)
        return d

    yield start
    for d in daemons:
        d.close()


def ok(cmd, payload):
    return 0, b""


def split_msg(payload):
    """(session name, domain type, buffer type, union bytes, variable bytes)."""
    name = rp.decode(payload[:rp.NAME_LEN])
    dtype, buf_type, _ = rp.DOMAIN.unpack_from(payload, rp.NAME_LEN)
    union = payload[rp.NAME_LEN + rp.DOMAIN.size:rp.MSG_SIZE]
    return name, dtype, buf_type, union, payload[rp.MSG_SIZE:]


def test_enable_event_request_layout(rt, fake):
    d = fake(ok)
    r = rt.run("enable-event", "-u", "prov:*", "-s", "s1", "--loglevel=TRACE_WARNING",
               "--filter=a > 1", "-x", "prov:x,prov:y\\,z")
    assert out_lines(r) == ['Event prov:* excluding "prov:x", "prov:y,z": Filter \'a > 1\' successfully set']
    cmd, payload = d.requests[-1]
    assert cmd == rp.ENABLE_EVENT
    name, dtype, buf_type, union, var = split_msg(payload)
    assert (name, dtype, buf_type) == ("s1", rp.DOMAIN_UST, rp.BUFFER_PER_UID)
    fixed = rp.ENABLE_EVENT_FIXED.unpack_from(union)
    channel, ev_type, ev_name, lt, ll = fixed[0], fixed[1], fixed[2], fixed[3], fixed[4]
    flt, exc = fixed[7], fixed[8]
    expression_len, bytecode_len, exclusion_count = fixed[-3:]
    assert rp.decode(channel) == ""  # the default channel
    assert (ev_type, rp.decode(ev_name), lt, ll) == (rp.EVENT_TRACEPOINT, "prov:*", rp.LOGLEVEL_RANGE, 4)
    assert (flt, exc) == (1, 1)
    # The filter travels as its expression and the bytecode compiled by the
    # client: the 48-byte header then the data, as lttng's CLI sends them.
    assert (expression_len, bytecode_len, exclusion_count) == (len("a > 1") + 1, 48 + 18, 2)
    assert len(var) == 2 * rp.SYMBOL_LEN + expression_len + bytecode_len
    assert [rp.decode(var[i * 256:(i + 1) * 256]) for i in range(2)] == ["prov:x", "prov:y,z"]
    assert var[512:518] == b"a > 1\0"
    assert var[518:] == FILTER_HEADER.pack(18, 14, 0, b"") + bytes.fromhex(
        "3bffff"              # LOAD_FIELD_REF, field index to be linked by the tracer
        "410100000000000000"  # LOAD_S64 1
        "0e"                  # GT
        "01"                  # RETURN
        "00006100")           # relocation table: offset 0, "a"


# struct filter_bytecode's header: len, reloc_table_offset, seqnum, padding.
FILTER_HEADER = struct.Struct("=IIQ32s")


def enable_event_var(payload):
    """(expression, bytecode) of an ENABLE_EVENT request."""
    fixed = rp.ENABLE_EVENT_FIXED.unpack_from(split_msg(payload)[3])
    expression_len, bytecode_len, exclusion_count = fixed[-3:]
    var = split_msg(payload)[4][exclusion_count * rp.SYMBOL_LEN:]
    return var[:expression_len], var[expression_len:expression_len + bytecode_len]


def test_filter_bytecode_sent(rt, fake):
    d = fake(ok)
    expression = 'intfield > 2 && strfield == "hel*" || $ctx.vpid == 5 || $app.myprov:ctx == 3'
    r = rt.run("enable-event", "-u", "ev", "-s", "s1", "--filter", expression)
    assert out_lines(r) == [f"Event ev: Filter '{expression}' successfully set"]
    text, bytecode = enable_event_var(d.last(rp.ENABLE_EVENT))
    assert text == expression.encode() + b"\0"
    # The bytes lttng 2.13.9's CLI sends for it (reference/ust-registration.md).
    data = bytes.fromhex(
        "3bffff4102000000000000000e391a003bffff4068656c2a000c3a2a0046ffff4105000000000000000c"
        "3a3a0046ffff4103000000000000000c01"
        "0000696e746669656c6400" "10007374726669656c6400" "1d00246374782e7670696400"
        "2d00246170702e6d7970726f763a63747800")
    assert bytecode == FILTER_HEADER.pack(len(data), 59, 0, b"") + data


def test_invalid_filter_is_not_sent(rt, fake):
    d = fake(ok)
    r = rt.run("enable-event", "-u", "ev1,ev2", "-s", "s1", "--filter", "a == 1 &&\n  b = 2",
               check=False)
    assert r.returncode == 106  # LTTNG_ERR_FILTER_INVAL, as lttng
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        "Error: Invalid filter expression, line 2, column 5: expected '.', '[', a binary operator "
        "or the end of the expression after 'b', found '=' (to compare, use '==')",
        "      b = 2",
        "        ^",
        "Error: Event ev1: Invalid filter bytecode (channel channel0, session s1, filter "
        "'a == 1 &&",
        "  b = 2')",
        "Error: Event ev2: Invalid filter bytecode (channel channel0, session s1, filter "
        "'a == 1 &&",
        "  b = 2')"]
    assert rp.ENABLE_EVENT not in d.commands()
    r = rt.run("enable-event", "-u", "-a", "-s", "s1", "--filter", "a + 1", check=False)
    assert r.returncode == 106
    assert r.stderr.splitlines() == [
        "Error: Invalid filter expression, column 3: binary operator '+' is not supported: "
        "expected a comparison (== != < > <= >=), logical (&& ||) or bitwise (& | ^ << >>) "
        "operator",
        "    a + 1",
        "      ^",
        "Error: All events: Invalid filter bytecode (channel channel0, session s1, "
        "filter 'a + 1')"]
    assert rp.ENABLE_EVENT not in d.commands()


def test_empty_filter_is_an_invalid_parameter(rt, fake):
    d = fake(ok)
    r = rt.run("enable-event", "-u", "ev", "-s", "s1", "--filter=", check=False)
    assert (r.returncode, r.stderr) == (
        97, "Error: Event ev: Invalid parameter (channel channel0, session s1, filter '')\n")
    assert rp.ENABLE_EVENT not in d.commands()


def test_enable_channel_request_layout(rt, fake):
    d = fake(ok)
    r = rt.run("enable-channel", "-u", "ch", "-s", "s1", "--subbuf-size=8k", "--num-subbuf=8",
               "--switch-timer=1s", "--read-timer=2ms", "--monitor-timer=5000",
               "--overwrite", "--tracefile-size=1M", "--tracefile-count=3", "--buffers-pid")
    assert out_lines(r) == ["ust channel ch enabled for session s1"]
    name, dtype, buf_type, union, var = split_msg(d.last(rp.ENABLE_CHANNEL))
    assert (name, dtype, buf_type, var) == ("s1", rp.DOMAIN_UST, rp.BUFFER_PER_PID, b"")
    fields = rp.CHANNEL.unpack_from(union)
    assert rp.decode(fields[0]) == "ch" and fields[1] == 1
    (overwrite, subbuf, num, switch, read, output, tf_size, tf_count, live, monitor,
     blocking, _) = fields[2:14]
    assert (overwrite, subbuf, num, switch, read, output) == (1, 8192, 8, 1000000, 2000, rp.OUTPUT_MMAP)
    assert (tf_size, tf_count, live, monitor, blocking) == (1 << 20, 3, 0, 5000, 0)


def test_enable_channel_defaults(rt, fake):
    d = fake(ok)
    rt.run("enable-channel", "-u", "ch", "-s", "s1")
    fields = rp.CHANNEL.unpack_from(split_msg(d.last(rp.ENABLE_CHANNEL))[3])
    assert fields[2:13] == (-1, 512 * 1024, 4, 0, 0, rp.OUTPUT_MMAP, 0, 0, 0, 1000000, 0)


def test_create_requests(rt, fake, tmp_path):
    created = []

    def handler(cmd, payload):
        if cmd == rp.CREATE_SESSION_EXT:
            name = rp.decode(payload[:256])
            out = rp.decode(split_msg(payload)[3][:4096])
            created.append((name, out or f"/default/{name}"))
            return 0, b""
        if cmd == rp.LIST_SESSIONS:
            return 0, b"".join(session_record(n, p) for n, p in created)
        return 0, b""

    d = fake(handler)
    r = rt.run("create", "s1", "-o", "a/./b/../trace", cwd=tmp_path)
    assert out_lines(r) == ["Session s1 created.", f"Traces will be output to {tmp_path}/a/trace"]
    out_path, no_output, snapshot, auto_name, live, data_url = rp.CREATE.unpack_from(split_msg(d.last(rp.CREATE_SESSION_EXT))[3])
    assert (rp.decode(out_path), no_output, snapshot, auto_name, live, rp.decode(data_url)) == \
        (f"{tmp_path}/a/trace", 0, 0, 0, 0, "")
    assert (rt.home / ".ringtracerc").read_text() == "session=s1\n"

    r = rt.run("create")
    name, _, _, union, _ = split_msg(d.last(rp.CREATE_SESSION_EXT))
    assert re.fullmatch(r"auto-\d{8}-\d{6}", name)
    assert rp.CREATE.unpack_from(union)[1:] == (0, 0, 1, 0, b"\0" * rp.PATH_MAX)
    assert out_lines(r) == [f"Session {name} created.", f"Traces will be output to /default/{name}"]
    # spawned nothing: a daemon answered
    assert "Spawning" not in r.stdout


def test_create_auto_name_retries_when_taken(rt, fake):
    def handler(cmd, payload):
        if cmd == rp.CREATE_SESSION_EXT:
            name = rp.decode(payload[:256])
            return (-rp.ERR["EXIST_SESS"], b"") if name.startswith("auto-") else (0, b"")
        return 0, b""

    d = fake(handler)
    rt.run("create", check=False)
    names = [rp.decode(p[:256]) for c, p in d.requests if c == rp.CREATE_SESSION_EXT]
    assert len(names) == 2 and names[1].startswith("auto1-") and names[0][5:] == names[1][6:]


def test_stop_waits_for_data_then_destroy(rt, fake):
    pending = [1, 1, 0, 1, 0]

    def handler(cmd, payload):
        if cmd == rp.DATA_PENDING:
            return 0, bytes([pending.pop(0)])
        if cmd == rp.LIST_SESSIONS:
            return 0, session_record("s1", "/t")
        if cmd == rp.STOP_TRACE and len(pending) < 3:
            return -rp.ERR["TRACE_ALREADY_STOPPED"], b""
        return 0, b""

    d = fake(handler)
    r = rt.run("stop", "s1")
    assert r.stdout == "Waiting for data availability..\nTracing stopped for session s1\n"
    r = rt.run("destroy", "s1")
    assert r.stdout == "Destroying session s1.\nSession s1 destroyed\n"
    assert d.commands() == [rp.STOP_TRACE, rp.DATA_PENDING, rp.DATA_PENDING, rp.DATA_PENDING,
                            rp.LIST_SESSIONS, rp.LIST_DOMAINS,
                            rp.LIST_SESSIONS, rp.STOP_TRACE, rp.DATA_PENDING, rp.DATA_PENDING,
                            rp.DESTROY_SESSION]


def test_stop_reports_discarded_events(rt, fake):
    chan = rp.CHANNEL.pack(rp.cstr("channel0", 256), 1, -1, 4096, 4, 0, 0, 1, 0, 0, 0, 0, 0, b"",
                           12, 0, b"")

    def handler(cmd, payload):
        return {
            rp.DATA_PENDING: (0, b"\0"),
            rp.LIST_SESSIONS: (0, session_record("s1", "/t")),
            rp.LIST_DOMAINS: (0, rp.DOMAIN.pack(rp.DOMAIN_UST, rp.BUFFER_PER_UID, b"")),
            rp.LIST_CHANNELS: (0, chan),
        }.get(cmd, (0, b""))

    fake(handler)
    r = rt.run("stop", "s1")
    assert out_lines(r) == [
        "Waiting for data availability",
        "Warning: 12 events were discarded, please refer to the documentation on channel "
        "configuration.",
        "Tracing stopped for session s1"]


def test_daemon_errors_are_printed_with_lttng_exit_codes(rt, fake):
    fake(lambda cmd, payload: (-rp.ERR["NOT_SUPPORTED"], b""))
    r = rt.run("enable-event", "-u", "f*", "--filter=x==1", "-s", "s1", check=False)
    assert (r.returncode, r.stderr) == (
        15, "Error: Event f*: Operation not supported (channel channel0, session s1, filter 'x==1')\n")
    r = rt.run("start", "s1", check=False)
    assert (r.returncode, r.stderr) == (15, "Error: Operation not supported\n")


def test_malformed_reply_is_a_protocol_error(rt, fake):
    fake(lambda cmd, payload: (0, b"\1\2\3"))  # not a whole number of sessions
    r = rt.run("list", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Protocol error occurred\n")


def test_daemon_closing_the_connection(rt, fake):
    class Closing(FakeSessiond):
        def serve(self):
            conn, _ = self.sock.accept()
            conn.close()

    d = Closing(rt.home, None)
    try:
        r = rt.run("list", check=False)
        assert (r.returncode, r.stderr) == (1, "Error: No session daemon is available\n")
    finally:
        d.close()


def test_list_tracepoints_and_fields_layout(rt, fake):
    import os
    pid = os.getpid()
    ev = lambda name, ll: rp.EVENT.pack(0, rp.cstr(name, 256), 0, ll, -1, pid, 0, 0, b"")
    events = ev("p:a", 13) + ev("p:b", -1)
    fields = (rp.EVENT_FIELD.pack(rp.cstr("x", 256), 1, 0, 0, rp.cstr("p:a", 256), 0, 13, -1, pid, 0, 0, b"", b"")
              + rp.EVENT_FIELD.pack(rp.cstr("s", 256), 4, 1, 0, rp.cstr("p:a", 256), 0, 13, -1, pid, 0, 0, b"", b""))
    fake(lambda cmd, payload: (0, events if cmd == rp.LIST_TRACEPOINTS else fields))
    cmdline = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0].decode()
    r = rt.run("list", "-u")
    assert r.stdout == ("UST events:\n-------------\n"
                        f"\nPID: {pid} - Name: {cmdline}\n"
                        "      p:a (loglevel: TRACE_DEBUG_LINE (13)) (type: tracepoint)\n"
                        "      p:b (type: tracepoint)\n\n")
    r = rt.run("list", "-u", "-f")
    assert r.stdout == ("UST events:\n-------------\n"
                        f"\nPID: {pid} - Name: {cmdline}\n"
                        "      p:a (loglevel: TRACE_DEBUG_LINE (13)) (type: tracepoint)\n"
                        "        field: x (integer)\n"
                        "        field: s (string) [no write]\n\n")


def out_lines(r):
    return r.stdout.splitlines()
