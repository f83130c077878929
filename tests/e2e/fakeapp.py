# SPDX-License-Identifier: MIT
"""A fake instrumented application speaking the app <-> sessiond protocol of
src/common/comm/ust-msg.h (registration message, frame.h framing, commands,
REGISTER_EVENT notifications), well or badly on purpose.

Used to check that the session daemon serves good apps whatever bad ones do,
and to drive the UST side of the daemon without the tracer library.
"""
import array
import fnmatch
import os
import pathlib
import socket
import struct
import threading

REG_MAGIC = 0xC57C57C5
REG_ABI_MAJOR = 1
REG_ABI_MINOR = 0
REG_FMT = "<14I16s64s"
REG_SIZE = 136
SOCKET_CMD, SOCKET_NOTIFY = 0, 1

FRAME_FMT = "<IiII"
FRAME_SIZE = 16
SYM = 256

(CMD_REGISTER_DONE, CMD_CREATE_SESSION, CMD_CREATE_CHANNEL, CMD_ADD_STREAM,
 CMD_CREATE_ENABLER, CMD_ENABLE, CMD_DISABLE, CMD_SESSION_START, CMD_SESSION_STOP,
 CMD_RELEASE, CMD_TRACEPOINT_LIST, CMD_FIELD_LIST) = range(1, 13)
CMD_NAMES = {v: k for k, v in list(globals().items()) if k.startswith("CMD_")}
NOTIFY_REGISTER_EVENT = 1

# enum ringtrace_type_kind
INTEGER, FLOAT, STRING, ARRAY, SEQUENCE, ENUM = range(6)

assert struct.calcsize(REG_FMT) == REG_SIZE


def reg_msg(pid, uid, gid, socket_type, bits=64, name=b"fakeapp", magic=REG_MAGIC,
            major=REG_ABI_MAJOR, ppid=None, align=8, long_align=None):
    return struct.pack(REG_FMT, magic, major, REG_ABI_MINOR, pid,
                       os.getppid() if ppid is None else ppid, uid, gid, bits,
                       align, align, align, align, align if long_align is None else long_align,
                       socket_type, name, b"\0" * 64)


def _cstr(s, n=SYM):
    b = s.encode() if isinstance(s, str) else s
    return b[:n].ljust(n, b"\0")


def wire_integer(size=32, align=8, signed=1, base=10, rbo=0, encoding=0):
    return struct.pack("<HHBBBB", size, align, signed, base, rbo, encoding)


def wire_field(name, kind=INTEGER, integer=None, nowrite=0, exp_dig=0, mant_dig=0,
               float_align=0, array_length=0, seq_length_name="", enum_name="",
               enum_nr_entries=0):
    integer = integer if integer is not None else (
        wire_integer() if kind in (INTEGER, ARRAY, SEQUENCE, ENUM) else b"\0" * 8)
    return (_cstr(name) + struct.pack("<BB", kind, nowrite) + integer
            + struct.pack("<BBHI", exp_dig, mant_dig, float_align, array_length)
            + _cstr(seq_length_name) + _cstr(enum_name) + struct.pack("<I", enum_nr_entries))


WIRE_FIELD_SIZE = len(wire_field("x"))
assert WIRE_FIELD_SIZE == 790


def event_payload(session_handle, channel_handle, name, fields, loglevel=-1,
                  signature="", model_emf_uri="", enum_entries=b"", nr_enum_entries=0,
                  nr_fields=None):
    return (struct.pack("<IIi", session_handle, channel_handle, loglevel) + _cstr(name)
            + _cstr(signature) + _cstr(model_emf_uri)
            + struct.pack("<II", len(fields) if nr_fields is None else nr_fields,
                          nr_enum_entries)
            + b"".join(fields) + enum_entries)


def isolate_child(*keep):
    """In a forked child: closes every inherited descriptor but stdio and keep,
    so no other fake app's connection stays open through this process."""
    fd_max = os.sysconf("SC_OPEN_MAX")
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, fd_max)


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("peer closed")
        buf += chunk
    return buf


def recv_frame(sock):
    """(type, status, payload, fds) of one message."""
    fds = array.array("i")
    data, ancdata, _, _ = sock.recvmsg(FRAME_SIZE, socket.CMSG_SPACE(4 * fds.itemsize))
    if not data:
        raise ConnectionError("peer closed")
    for level, kind, cdata in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(cdata[:len(cdata) - (len(cdata) % fds.itemsize)])
    if len(data) < FRAME_SIZE:
        data += recv_exact(sock, FRAME_SIZE - len(data))
    mtype, status, plen, nr_fds = struct.unpack(FRAME_FMT, data)
    payload = recv_exact(sock, plen) if plen else b""
    return mtype, status, payload, list(fds)


def send_frame(sock, mtype, status=0, payload=b"", nr_fds=None):
    sock.sendall(struct.pack(FRAME_FMT, mtype, status, len(payload),
                             0 if nr_fds is None else nr_fds) + payload)


class FakeEvent:
    def __init__(self, name, fields=None, loglevel=-1):
        self.name = name
        self.fields = fields if fields is not None else [wire_field("v")]
        self.loglevel = loglevel


class FakeApp:
    """One registered app. serve() answers commands in a thread.

    misbehave: None, or "silent" (never answers commands), "wrong-type"
    (replies with another command number), "close-on-start" (hangs up at
    SESSION_START).
    """

    def __init__(self, sock_path, events=(), pid=None, uid=None, gid=None, bits=64,
                 name=b"fakeapp", misbehave=None, long_align=None):
        self.path = str(sock_path)
        self.events = list(events)
        self.pid = pid                 # None: the registering child's own pid
        self.uid = os.getuid() if uid is None else uid
        self.gid = os.getgid() if gid is None else gid
        self.bits = bits
        self.name = name
        self.long_align = long_align
        self.misbehave = misbehave
        self.cmd = None
        self.notify = None
        self.log = []                  # (command name, decoded payload)
        self.event_ids = {}            # event name -> (status, id)
        self.enabler_exclusions = {}   # enabler handle -> exclusion names
        self.channels = {}             # channel handle -> session handle
        self.streams = {}              # channel handle -> [cpu...]
        self.registered = threading.Event()
        self.started = threading.Event()
        self.stopped = threading.Event()
        self.gone = threading.Event()
        self._lock = threading.Lock()
        self._thread = None
        self._child = None
        self._child_sock = None

    def _connect(self, socket_type, pid):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(self.path)
        s.sendall(reg_msg(pid, self.uid, self.gid, socket_type, bits=self.bits,
                          name=self.name, long_align=self.long_align))
        return s

    def register(self, sockets=(SOCKET_CMD, SOCKET_NOTIFY)):
        """Registers from a child process, so every fake app has its own pid
        (the daemon checks it against SO_PEERCRED); the child hands its
        sockets over and stays alive until close()."""
        parent, child = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                isolate_child(child.fileno())
                me = os.getpid() if self.pid is None else self.pid
                socks = [self._connect(t, me) for t in sockets]
                socket.send_fds(child, [b"x"], [s.fileno() for s in socks])
                for s in socks:
                    s.close()  # the parent's copies are the only ones left
                child.recv(1)
            finally:
                os._exit(0)
        child.close()
        self._child, self._child_sock = pid, parent
        parent.settimeout(30)
        _, fds, _, _ = socket.recv_fds(parent, 1, len(sockets))
        socks = [socket.socket(fileno=fd) for fd in fds]
        for s in socks:
            s.settimeout(30)
        self.pid = pid if self.pid is None else self.pid
        by_type = dict(zip(sockets, socks))
        self.cmd = by_type.get(SOCKET_CMD)
        self.notify = by_type.get(SOCKET_NOTIFY)
        if self.cmd is not None:
            self._thread = threading.Thread(target=self._serve, daemon=True)
            self._thread.start()
        return self

    def close(self):
        for s in (self.cmd, self.notify, self._child_sock):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass
        if self._child:
            os.waitpid(self._child, 0)
            self._child = None
        if self._thread is not None:
            self._thread.join(timeout=10)

    def commands(self):
        with self._lock:
            return [name for name, _ in self.log]

    def register_event(self, session_handle, channel_handle, ev):
        """Sends REGISTER_EVENT; returns (status, event id or None)."""
        send_frame(self.notify, NOTIFY_REGISTER_EVENT, 0,
                   event_payload(session_handle, channel_handle, ev.name, ev.fields,
                                 loglevel=ev.loglevel))
        mtype, status, payload, _ = recv_frame(self.notify)
        assert mtype == NOTIFY_REGISTER_EVENT
        return status, (struct.unpack("<I", payload)[0] if status == 0 else None)

    def _reply(self, mtype, status=0, payload=b""):
        if self.misbehave == "wrong-type":
            mtype = mtype % 12 + 1
        send_frame(self.cmd, mtype, status, payload)

    def _handle(self, mtype, payload, fds):
        for fd in fds:
            os.close(fd)
        name = CMD_NAMES.get(mtype, str(mtype))
        decoded = None
        if mtype == CMD_CREATE_CHANNEL:
            decoded = struct.unpack("<IIIIiq", payload)
            self.channels[decoded[1]] = decoded[0]
            self.streams[decoded[1]] = []
        elif mtype == CMD_ADD_STREAM:
            decoded = struct.unpack("<II", payload) + (len(fds),)
            self.streams.setdefault(decoded[0], []).append(decoded[1])
        elif mtype == CMD_CREATE_ENABLER:
            chan, handle = struct.unpack("<II", payload[:8])
            pattern = payload[8:8 + SYM].split(b"\0")[0].decode()
            decoded = (chan, handle, pattern) + struct.unpack_from("<ii", payload, 8 + SYM)
            tail = payload[16 + SYM:]
            exclusions = []
            if tail:
                (count,) = struct.unpack_from("<I", tail)
                assert len(tail) == 4 + count * SYM
                exclusions = [tail[4 + i * SYM:4 + (i + 1) * SYM].split(b"\0")[0].decode()
                              for i in range(count)]
            self.enabler_exclusions[handle] = exclusions
        elif len(payload) == 4:
            decoded = struct.unpack("<I", payload)[0]
        with self._lock:
            self.log.append((name, decoded))
        if self.misbehave == "silent":
            return
        if mtype == CMD_SESSION_START and self.misbehave == "close-on-start":
            raise ConnectionError("hanging up on purpose")
        if mtype == CMD_CREATE_ENABLER:
            # Like the real tracer: events matching a new rule are registered
            # (on the notify socket) before the command is answered.
            chan, handle, pattern = decoded[:3]
            excluded = [x for x in self.enabler_exclusions[handle] if x]
            for ev in self.events:
                if any(fnmatch.fnmatchcase(ev.name, x) for x in excluded):
                    continue
                if fnmatch.fnmatchcase(ev.name, pattern) and ev.name not in self.event_ids:
                    self.event_ids[ev.name] = self.register_event(self.channels[chan], chan, ev)
        if mtype == CMD_TRACEPOINT_LIST:
            payload = b"".join(_cstr(ev.name) + struct.pack("<i", ev.loglevel)
                               for ev in self.events)
            self._reply(mtype, 0, payload)
        elif mtype == CMD_FIELD_LIST:
            payload = b"".join(_cstr(ev.name) + struct.pack("<i", ev.loglevel) + f
                               for ev in self.events for f in ev.fields)
            self._reply(mtype, 0, payload)
        else:
            self._reply(mtype)
        if mtype == CMD_REGISTER_DONE:
            self.registered.set()
        elif mtype == CMD_SESSION_START:
            self.started.set()
        elif mtype == CMD_SESSION_STOP:
            self.stopped.set()

    def _serve(self):
        try:
            while True:
                mtype, _, payload, fds = recv_frame(self.cmd)
                self._handle(mtype, payload, fds)
        except (ConnectionError, OSError, struct.error):
            pass
        finally:
            self.gone.set()


def raw_connect(sock_path, data=b"", timeout=30):
    """A bare connection that sends data (anything, e.g. a bad registration)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(str(sock_path))
    if data:
        s.sendall(data)
    return s


def closed_by_peer(sock, timeout=10):
    """True when the daemon closes the connection within timeout."""
    sock.settimeout(timeout)
    try:
        while True:
            if not sock.recv(4096):
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def read_metadata_text(path):
    """De-packetized TSDL text of a CTF `metadata` file."""
    data = pathlib.Path(path).read_bytes()
    text, off = b"", 0
    while off + 37 <= len(data):
        magic, = struct.unpack_from("<I", data, off)
        assert magic == 0x75D11D57, "bad metadata packet magic"
        content_bits, packet_bits = struct.unpack_from("<II", data, off + 24)
        text += data[off + 37:off + content_bits // 8]
        off += packet_bits // 8
    return text.decode()

