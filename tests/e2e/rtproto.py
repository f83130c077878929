# SPDX-License-Identifier: MIT
"""A small client of ringtrace's session daemon protocol, for tests.

Speaks the framing of src/common/comm/frame.h and the messages of
src/common/comm/client-msg.h with struct.pack, so that tests can drive the
daemon without the CLI, and send it malformed messages on purpose. Layouts
are the packed structures of include/ringtrace/ctl.h (native byte order).
"""
import array
import pathlib
import re
import socket
import struct

# enum client_command
ADD_CONTEXT = 0
DISABLE_CHANNEL = 2
DISABLE_EVENT = 3
ENABLE_CHANNEL = 5
ENABLE_EVENT = 6
DESTROY_SESSION = 9
LIST_CHANNELS = 10
LIST_DOMAINS = 11
LIST_EVENTS = 12
LIST_SESSIONS = 13
LIST_TRACEPOINTS = 14
REGISTER_CONSUMER = 15
START_TRACE = 16
STOP_TRACE = 17
LIST_TRACEPOINT_FIELDS = 18
DATA_PENDING = 24
TRACK_ID = 32
LIST_TRACKER_IDS = 34
CREATE_SESSION_EXT = 49

# enum ringtrace_error_code of include/ringtrace/ctl.h (replies carry them negated)
ERR = {m[1]: int(m[2]) for m in re.finditer(
    r"^\s*RINGTRACE_ERR_(\w+) = (\d+),",
    (pathlib.Path(__file__).resolve().parents[2] / "include/ringtrace/ctl.h").read_text(),
    re.M)}
ERR_NAME = {v: k for k, v in ERR.items()}

DOMAIN_KERNEL, DOMAIN_UST = 1, 2
BUFFER_PER_PID, BUFFER_PER_UID, BUFFER_GLOBAL = 0, 1, 2
LOGLEVEL_ALL, LOGLEVEL_RANGE, LOGLEVEL_SINGLE = 0, 1, 2
EVENT_ALL, EVENT_TRACEPOINT = -1, 0
OUTPUT_SPLICE, OUTPUT_MMAP = 0, 1

NAME_LEN = 256      # RINGTRACE_NAME_MAX + 1
SYMBOL_LEN = 256    # RINGTRACE_SYMBOL_NAME_LEN
PATH_MAX = 4096     # RINGTRACE_PATH_MAX

FRAME = struct.Struct("=IiII")
DOMAIN = struct.Struct("=II32s")
ATTR_FMT = "iQQIIIQQIQq32s"
ATTR = struct.Struct("=" + ATTR_FMT)
CHANNEL = struct.Struct("=256sI" + ATTR_FMT + "QQ32s")
EVENT_FMT = "i256siiiiBB32s"
EVENT = struct.Struct("=" + EVENT_FMT)
SESSION = struct.Struct("=256s4096sIII32s")
EVENT_FIELD = struct.Struct("=256sii" + EVENT_FMT + "32s")
CREATE = struct.Struct("=4096sBBBI4096s")
TRACKER = struct.Struct("=iBi256s")  # tracker, all, then a struct ringtrace_tracker_value
TRACKER_VALUE = struct.Struct("=i256s")
ENABLE_EVENT_FIXED = struct.Struct("=256s" + EVENT_FMT + "III")
UNION_SIZE = CREATE.size
MSG_SIZE = NAME_LEN + DOMAIN.size + UNION_SIZE
MAX_PAYLOAD = MSG_SIZE + 65536 * 3

assert (ATTR.size, CHANNEL.size, EVENT.size, SESSION.size, EVENT_FIELD.size, MSG_SIZE) == \
    (100, 408, 310, 4396, 606, 8495)

DEFAULT_SUBBUF = 512 * 1024


def cstr(s, size):
    b = s.encode() if isinstance(s, str) else s
    return b[:size]


def decode(b):
    return b.split(b"\0", 1)[0].decode(errors="replace")


def msg(session="", domain=DOMAIN_UST, buf_type=BUFFER_PER_UID, union=b""):
    """A struct client_msg: session name, domain, then the union (zero padded)."""
    assert len(union) <= UNION_SIZE
    return (cstr(session, NAME_LEN).ljust(NAME_LEN, b"\0")
            + DOMAIN.pack(domain, buf_type, b"")
            + union.ljust(UNION_SIZE, b"\0"))


def channel_attr(overwrite=-1, subbuf_size=DEFAULT_SUBBUF, num_subbuf=4, switch_timer=0,
                 read_timer=0, output=OUTPUT_MMAP, tracefile_size=0, tracefile_count=0,
                 live_timer=0, monitor_timer=1000000, blocking_timeout=0):
    return ATTR.pack(overwrite, subbuf_size, num_subbuf, switch_timer, read_timer, output,
                     tracefile_size, tracefile_count, live_timer, monitor_timer,
                     blocking_timeout, b"")


def event(name, type=EVENT_TRACEPOINT, loglevel_type=LOGLEVEL_ALL, loglevel=-1):
    return EVENT.pack(type, cstr(name, SYMBOL_LEN), loglevel_type, loglevel, 0, 0, 0, 0, b"")


def parse_events(payload):
    out = []
    for off in range(0, len(payload), EVENT.size):
        t, name, lt, ll, en, pid, flt, exc, _ = EVENT.unpack_from(payload, off)
        out.append(dict(type=t, name=decode(name), loglevel_type=lt, loglevel=ll, enabled=en,
                        pid=pid, filter=flt, exclusion=exc))
    return out


class ProtocolError(Exception):
    def __init__(self, status, cmd=None):
        self.status = status
        self.code = -status
        name = ERR_NAME.get(-status, str(-status))
        super().__init__(f"command {cmd}: error {name}")

    @property
    def name(self):
        return ERR_NAME.get(self.code, str(self.code))


class Client:
    """One connection to a session daemon's client socket."""

    def __init__(self, path, timeout=10):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_frame(self, cmd, payload=b"", fds=(), payload_len=None, nr_fds=None):
        """Sends a frame; payload_len / nr_fds may lie on purpose."""
        head = FRAME.pack(cmd, 0, len(payload) if payload_len is None else payload_len,
                          len(fds) if nr_fds is None else nr_fds)
        data = head + payload
        if fds:
            self.sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                        array.array("i", fds))])
        else:
            self.sock.sendall(data)

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionResetError("daemon closed the connection")
            buf += chunk
        return buf

    def recv_reply(self):
        """(type, status, payload) of the next reply."""
        cmd, status, length, nr_fds = FRAME.unpack(self._recv_exact(FRAME.size))
        assert nr_fds == 0
        return cmd, status, self._recv_exact(length) if length else b""

    def call(self, cmd, payload, check=True):
        """Sends a request, returns (status, payload); raises ProtocolError when check."""
        self.send_frame(cmd, payload)
        rcmd, status, body = self.recv_reply()
        assert rcmd == cmd, (rcmd, cmd)
        if check and status != 0:
            raise ProtocolError(status, cmd)
        return status, body

    # Commands, shaped like libringtrace-ctl's calls.

    def create_session(self, name, output="", auto_name=False, snapshot=0, no_output=0,
                       live_timer_us=0, data_url=""):
        union = CREATE.pack(cstr(output, PATH_MAX), no_output, snapshot, int(auto_name),
                            live_timer_us, cstr(data_url, PATH_MAX))
        _, body = self.call(CREATE_SESSION_EXT, msg(name, union=union))
        return self._session(body, 0) if body else None

    def destroy_session(self, name):
        self.call(DESTROY_SESSION, msg(name))

    def start(self, name):
        self.call(START_TRACE, msg(name))

    def stop(self, name):
        self.call(STOP_TRACE, msg(name))

    def data_pending(self, name):
        _, body = self.call(DATA_PENDING, msg(name))
        assert len(body) == 1
        return body[0]

    def enable_channel(self, session, name, domain=DOMAIN_UST, buf_type=BUFFER_PER_UID,
                       **attr):
        union = CHANNEL.pack(cstr(name, SYMBOL_LEN), 0, *ATTR.unpack(channel_attr(**attr)),
                             0, 0, b"")
        self.call(ENABLE_CHANNEL, msg(session, domain, buf_type, union))

    def disable_channel(self, session, name, domain=DOMAIN_UST):
        self.call(DISABLE_CHANNEL, msg(session, domain, union=cstr(name, SYMBOL_LEN)))

    def enable_event(self, session, name, channel="", domain=DOMAIN_UST,
                     buf_type=BUFFER_PER_UID, loglevel_type=LOGLEVEL_ALL, loglevel=-1,
                     type=EVENT_TRACEPOINT, expression=None, bytecode=b"", exclusions=()):
        expr = (expression.encode() + b"\0") if expression is not None else b""
        fixed = ENABLE_EVENT_FIXED.pack(cstr(channel, SYMBOL_LEN),
                                        *EVENT.unpack(event(name, type, loglevel_type,
                                                            loglevel)),
                                        len(expr), len(bytecode), len(exclusions))
        var = b"".join(cstr(x, SYMBOL_LEN).ljust(SYMBOL_LEN, b"\0") for x in exclusions)
        self.call(ENABLE_EVENT, msg(session, domain, buf_type, fixed) + var + expr + bytecode)

    def disable_event(self, session, name, channel="", domain=DOMAIN_UST):
        union = cstr(channel, SYMBOL_LEN).ljust(SYMBOL_LEN, b"\0") + cstr(name, SYMBOL_LEN)
        self.call(DISABLE_EVENT, msg(session, domain, union=union))

    @staticmethod
    def _session(body, off):
        name, path, enabled, snapshot, live, _ = SESSION.unpack_from(body, off)
        return dict(name=decode(name), path=decode(path), enabled=enabled,
                    snapshot_mode=snapshot, live_timer_interval=live)

    def list_sessions(self):
        _, body = self.call(LIST_SESSIONS, msg())
        assert len(body) % SESSION.size == 0
        return [self._session(body, off) for off in range(0, len(body), SESSION.size)]

    def list_channels(self, session, domain=DOMAIN_UST):
        _, body = self.call(LIST_CHANNELS, msg(session, domain))
        assert len(body) % CHANNEL.size == 0
        out = []
        for off in range(0, len(body), CHANNEL.size):
            v = CHANNEL.unpack_from(body, off)
            attr = dict(zip(("overwrite", "subbuf_size", "num_subbuf", "switch_timer",
                             "read_timer", "output", "tracefile_size", "tracefile_count",
                             "live_timer", "monitor_timer", "blocking_timeout"), v[2:13]))
            out.append(dict(name=decode(v[0]), enabled=v[1], attr=attr,
                            discarded_events=v[14], lost_packets=v[15]))
        return out

    def list_events(self, session, channel="", domain=DOMAIN_UST):
        _, body = self.call(LIST_EVENTS, msg(session, domain, union=cstr(channel, SYMBOL_LEN)))
        assert len(body) % EVENT.size == 0
        return parse_events(body)

    def list_events_with_exclusions(self, session, channel="", domain=DOMAIN_UST):
        """The extended LIST_EVENTS reply (client-msg.h): each event gets "exclusions"."""
        union = cstr(channel, SYMBOL_LEN).ljust(SYMBOL_LEN, b"\0") + b"\x01"
        _, body = self.call(LIST_EVENTS, msg(session, domain, union=union))
        (n,) = struct.unpack_from("<I", body)
        events = parse_events(body[4:4 + n * EVENT.size])
        counts = struct.unpack_from(f"<{n}I", body, 4 + n * EVENT.size)
        off = 4 + n * (EVENT.size + 4)
        for ev, count in zip(events, counts):
            ev["exclusions"] = [decode(body[off + i * SYMBOL_LEN:off + (i + 1) * SYMBOL_LEN])
                                for i in range(count)]
            off += count * SYMBOL_LEN
        assert off == len(body)
        return events

    def list_domains(self, session):
        _, body = self.call(LIST_DOMAINS, msg(session))
        assert len(body) % DOMAIN.size == 0
        return [DOMAIN.unpack_from(body, off)[:2] for off in range(0, len(body), DOMAIN.size)]

    def list_tracepoints(self, domain=DOMAIN_UST):
        _, body = self.call(LIST_TRACEPOINTS, msg(domain=domain))
        return parse_events(body)
