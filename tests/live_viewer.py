# SPDX-License-Identifier: MIT
"""babeltrace2's lttng-live source following one session of a relay, for
the e2e and interop tests: the rt_test:seq values it prints, as they come."""
import re
import subprocess
import threading


class Viewer:
    def __init__(self, live_port, hostname, session):
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
