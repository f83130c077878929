# SPDX-License-Identifier: MIT
"""Shared fixtures for end-to-end tests.

Every test gets its own RINGTRACE_HOME (so its own session daemon, sockets
and default trace directory) and stops only the daemons it started, by PID.
The build directory comes from RINGTRACE_BUILD_DIR (default: ./build).
"""
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("RINGTRACE_BUILD_DIR", ROOT / "build")).resolve()

BIN = {
    "ringtrace": BUILD / "src/cli/ringtrace",
    "sessiond": BUILD / "src/sessiond/ringtrace-sessiond",
    "consumerd": BUILD / "src/consumerd/ringtrace-consumerd",
}


def example(name):
    """Path of a built example or test program."""
    for sub in ("examples", "tests/e2e/apps"):
        p = BUILD / sub / name
        if p.exists():
            return p
    raise FileNotFoundError(name)


class Env:
    """One isolated ringtrace installation: home dir, daemons, CLI runner."""

    def __init__(self, home: pathlib.Path):
        self.home = home
        self.env = dict(os.environ)
        self.env["RINGTRACE_HOME"] = str(home)
        self.env["RINGTRACE_SESSIOND_PATH"] = str(BIN["sessiond"])
        self.env["RINGTRACE_CONSUMERD_PATH"] = str(BIN["consumerd"])
        # Apps wait for their registration to complete even on a loaded
        # machine, so exact event counts do not depend on the load.
        self.env["RINGTRACE_REGISTER_TIMEOUT"] = "30000"
        self.env["LD_LIBRARY_PATH"] = ":".join(
            [str(BUILD / "src/lib/ust"), str(BUILD / "src/lib/ctl")]
            + ([os.environ["LD_LIBRARY_PATH"]] if "LD_LIBRARY_PATH" in os.environ else []))
        self.sessiond = None

    def run(self, *args, check=True, timeout=60, **kw):
        """Runs the CLI; returns CompletedProcess with text stdout/stderr."""
        r = subprocess.run([str(BIN["ringtrace"]), *map(str, args)], env=self.env,
                           capture_output=True, text=True, timeout=timeout, **kw)
        if check and r.returncode != 0:
            raise AssertionError(f"ringtrace {' '.join(map(str, args))} failed "
                                 f"({r.returncode}):\n{r.stdout}\n{r.stderr}")
        return r

    def start_sessiond(self, *extra):
        """Starts a session daemon in the foreground (child of the test)."""
        # The daemon logs to a file: a pipe nobody reads would block it.
        self.sessiond_log = open(self.home / "sessiond.log", "w+")
        self.sessiond = subprocess.Popen([str(BIN["sessiond"]), *extra], env=self.env,
                                         stdout=self.sessiond_log, stderr=subprocess.STDOUT)
        # Ready when its client socket accepts: a socket file left by a killed
        # daemon exists before the new one listens.
        sock = self.home / ".ringtrace" / "client-ringtrace-sock"
        deadline = time.monotonic() + 10
        while not self.accepts(sock):
            if self.sessiond.poll() is not None:
                self.sessiond_log.seek(0)
                raise AssertionError("sessiond exited: " + self.sessiond_log.read())
            if time.monotonic() > deadline:
                raise AssertionError("sessiond did not listen on its socket")
            time.sleep(0.02)
        return self.sessiond

    @staticmethod
    def accepts(path):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            try:
                s.connect(str(path))
                return True
            except OSError:
                return False

    def sessiond_output(self):
        """What the foreground daemon has logged so far."""
        self.sessiond_log.flush()
        return (self.home / "sessiond.log").read_text()

    def app(self, name, *args, **kw):
        """Runs an instrumented program to completion."""
        return subprocess.run([str(example(name)), *map(str, args)], env=self.env,
                              capture_output=True, text=True, timeout=120, **kw)

    def popen_app(self, name, *args, **kw):
        return subprocess.Popen([str(example(name)), *map(str, args)], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)

    def daemon_pids(self):
        """PIDs of the daemons belonging to this home (sessiond pid file + children)."""
        pids = []
        pidfile = self.home / ".ringtrace" / "ringtrace-sessiond.pid"
        try:
            pids.append(int(pidfile.read_text().strip()))
        except (OSError, ValueError):
            pass  # no daemon, or it is removing its pid file right now
        if self.sessiond is not None:
            pids.append(self.sessiond.pid)
        children = []
        for pid in set(pids):
            try:
                out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
                children += [int(x) for x in out.stdout.split()]
            except OSError:
                pass
        return sorted(set(pids + children))

    def alive(self, pid):
        """True while pid runs (a zombie child of ours counts as gone)."""
        if self.sessiond is not None and pid == self.sessiond.pid:
            return self.sessiond.poll() is None
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    def stop_daemons(self):
        pids = self.daemon_pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        for pid in pids:
            while time.monotonic() < deadline:
                if not self.alive(pid):
                    break
                time.sleep(0.02)
            else:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.sessiond is not None:
            try:
                self.sessiond.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.sessiond.kill()


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def consumerd_pid(rt):
    for pid in rt.daemon_pids():
        try:
            if open(f"/proc/{pid}/comm").read().strip().startswith("ringtrace-consu"):
                return pid
        except OSError:
            pass
    raise AssertionError("no consumer daemon")


def thread_states(pid):
    states = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                states.add(f.read().rsplit(")", 1)[1].split()[0])
        except OSError:
            pass  # the thread exited
    return states


def stop_consumerd(rt):
    """SIGSTOPs the consumer daemon and returns its pid once every thread of it
    has stopped (a thread running on another CPU may still consume until then)."""
    consumerd = consumerd_pid(rt)
    os.kill(consumerd, signal.SIGSTOP)
    wait_for(lambda: thread_states(consumerd) <= {"T", "t"})
    return consumerd


def start_burst(rt, allow=True, var="LTTNG_UST_ALLOW_BLOCKING"):
    env = dict(rt.env)
    if allow:
        env[var] = "1"
    # One CPU, so one per-CPU stream: "full" means full for every record.
    cpu = min(os.sched_getaffinity(0))
    app = subprocess.Popen([str(example("burst"))], env=env, text=True,
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
    assert app.stdout.readline() == "ready\n"
    return app


def go(app, count, last=True):
    """Has app emit count more events; with last, it then exits."""
    app.stdin.write(f"{count}\n")
    app.stdin.flush()
    if last:
        app.stdin.close()


def emit(app, count):
    """Has app emit count more events and waits until it has."""
    go(app, count, last=False)
    assert app.stdout.readline() == "done\n"


def run_burst(rt, count):
    """Runs the burst app to its end: it emits count events and exits.
    Returns it (its pid names its per-process buffers)."""
    app = start_burst(rt)
    go(app, count)
    assert app.wait(timeout=60) == 0
    return app


def short_home():
    """A new private directory with a short path: socket paths under it must
    fit sun_path (108 bytes), which pytest's per-worker temporary
    directories do not guarantee."""
    return pathlib.Path(tempfile.mkdtemp(prefix="rt-"))


@pytest.fixture
def rt():
    """An isolated ringtrace environment; daemons are stopped and its home
    removed at the end."""
    home = short_home()
    e = Env(home)
    yield e
    e.stop_daemons()
    shutil.rmtree(home, ignore_errors=True)


def read_events(trace_dir):
    """Reads a trace with python3-bt2; returns a list of (name, {field: value})."""
    import bt2

    events = []
    for msg in bt2.TraceCollectionMessageIterator(str(trace_dir)):
        if type(msg) is bt2._EventMessageConst:
            ev = msg.event
            fields = {}
            if ev.payload_field is not None:
                for k, v in ev.payload_field.items():
                    fields[k] = to_python(v)
            events.append((ev.name, fields))
    return events


def to_python(f):
    import bt2

    if isinstance(f, bt2._StringFieldConst):
        return str(f)
    if isinstance(f, (bt2._ArrayFieldConst,)):
        return [to_python(x) for x in f]
    if isinstance(f, bt2._StructureFieldConst):
        return {k: to_python(v) for k, v in f.items()}
    if isinstance(f, bt2._EnumerationFieldConst):
        return (int(f), list(f.labels))
    if isinstance(f, bt2._RealFieldConst):
        return float(f)
    if isinstance(f, bt2._IntegerFieldConst):
        return int(f)
    return f
