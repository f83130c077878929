# SPDX-License-Identifier: MIT
"""babeltrace2's lttng-live source following one session of a relay, for
the e2e and interop tests: the rt_test:seq values it prints, as they come."""
import re
import subprocess
import threading
import time


class Viewer:
    def __init__(self, live_port, hostname, session):
        self.live_port = live_port
        url = f"net://127.0.0.1:{live_port}/host/{hostname}/{session}"
        self.proc = subprocess.Popen(
            ["babeltrace2", "--component=src.ctf.lttng-live",
             f'--params=inputs=["{url}"],session-not-found-action="end"'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.seqs = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            m = re.search(r"rt_test:seq: .* seq = (\d+)", line)
            if m:
                with self.cond:
                    self.seqs.append(int(m.group(1)))
                    self.cond.notify_all()

    def wait_attached(self, timeout=20):
        """Until the relay lists a connected client (the viewer itself)."""
        deadline = time.monotonic() + timeout
        while True:
            assert self.proc.poll() is None, self.proc.stderr.read()
            listing = subprocess.run(
                ["babeltrace2", "--input-format=lttng-live", f"net://127.0.0.1:{self.live_port}"],
                capture_output=True, text=True, timeout=20).stdout
            if "1 client(s) connected" in listing:
                return
            assert time.monotonic() < deadline, listing
            time.sleep(0.05)

    def wait_seq(self, seq, timeout):
        """True once the viewer printed the event seq, within timeout seconds."""
        with self.cond:
            return self.cond.wait_for(lambda: seq in self.seqs, timeout)

    def finish(self, timeout=30):
        """Waits for babeltrace2 to exit (killed past timeout); returns (code, stderr)."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.thread.join(timeout=10)
        return code, self.proc.stderr.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def follow_live_batches(rt, app, viewer):
    """With viewer attached to the live session of rt, and app (burst, one
    CPU, 10 events already emitted) running: two more batches of 10, each
    seen by the viewer within about a second although the other CPU's
    stream stays idle (only its beacons let the viewer go on); then stop,
    destroy, and the viewer, which must have printed every event after it
    attached and nothing out of order, ends."""
    try:
        viewer.wait_attached()
        for first in (10, 20):
            t0 = time.monotonic()
            app.stdin.write("10\n")
            app.stdin.flush()
            assert app.stdout.readline() == "done\n"
            assert viewer.wait_seq(first + 9, timeout=5), viewer.seqs
            assert time.monotonic() - t0 < 2.5
        app.stdin.close()
        assert app.wait(timeout=60) == 0
        rt.run("stop")
        rt.run("destroy")
        code, stderr = viewer.finish()
        assert code == 0, stderr
    finally:
        viewer.kill()
    assert viewer.seqs == sorted(set(viewer.seqs))
    assert viewer.seqs[-20:] == list(range(10, 30))
