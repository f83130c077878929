# SPDX-License-Identifier: MIT
"""Starting ringtrace-relayd on free loopback ports, for e2e and interop tests."""
import resource
import socket
import subprocess
import time

import pytest

from conftest import BUILD

RELAYD = BUILD / "src/relayd/ringtrace-relayd"


def free_ports(n):
    """n distinct TCP ports free on 127.0.0.1 right now."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def accepts(port):
    with socket.socket() as s:
        try:
            s.connect(("127.0.0.1", port))
            return True
        except OSError:
            return False


def terminate(proc):
    """SIGTERM, then SIGKILL after 10 s; returns the exit status."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


class Relay:
    """A ringtrace-relayd child process: control, data and live ports, output dir, log."""

    def __init__(self, output, *extra, max_fds=None):
        self.output = output
        self.log_path = output.parent / (output.name + "-relayd.log")
        for _ in range(5):
            self.control, self.data, self.live = free_ports(3)
            self.log = open(self.log_path, "w+")
            self.proc = subprocess.Popen(
                [str(RELAYD), "-vv", "-o", str(output),
                 "-C", f"tcp://127.0.0.1:{self.control}",
                 "-D", f"tcp://127.0.0.1:{self.data}",
                 "-L", f"tcp://127.0.0.1:{self.live}", *extra],
                stdout=self.log, stderr=subprocess.STDOUT,
                preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                       (max_fds, max_fds)))
                if max_fds else None)
            deadline = time.monotonic() + 10
            while self.proc.poll() is None and not accepts(self.live):
                assert time.monotonic() < deadline, "relayd did not listen"
                time.sleep(0.01)
            if self.proc.poll() is None:
                return
            self.log.close()  # a port was taken meanwhile: try others
        raise AssertionError("relayd could not listen: " + self.output_text())

    def output_text(self):
        self.log.flush()
        return self.log_path.read_text()

    def url(self):
        return f"net://127.0.0.1:{self.control}:{self.data}"

    def stop(self):
        terminate(self.proc)
        self.log.close()
        return self.proc.returncode


@pytest.fixture
def relay(tmp_path):
    """A ringtrace-relayd writing under tmp_path/out, stopped after the test."""
    r = Relay(tmp_path / "out")
    yield r
    r.stop()
