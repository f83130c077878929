# SPDX-License-Identifier: MIT
"""Configuration of sessions streamed to a relay daemon: save and load of
network and live sessions as lttng 2.13 writes them (<net_output>,
<live_timer_interval>), a loaded session streams to ringtrace-relayd;
control and data connections on two hosts; the relay's
--group-output-by-session layout and --disallow-clear."""
import pathlib
import re
import socket
import subprocess
import time

from conftest import read_events, run_burst
from relayd_proc import RELAYD, Relay, free_ports, relay, terminate  # noqa: F401 (relay: a fixture)

HOST = socket.gethostname()
STAMP = r"\d{8}-\d{6}"


def output_of(text):
    """The <output> element of a saved session, as saved."""
    return text[text.index("\t\t<output>"):text.index("\t</session>")]


def net_output(ctrl, data, indent="\t\t"):
    return (f"{indent}<output>\n{indent}\t<consumer_output>\n{indent}\t\t<enabled>true</enabled>\n"
            f"{indent}\t\t<destination>\n{indent}\t\t\t<net_output>\n"
            f"{indent}\t\t\t\t<control_uri>{ctrl}</control_uri>\n"
            f"{indent}\t\t\t\t<data_uri>{data}</data_uri>\n"
            f"{indent}\t\t\t</net_output>\n{indent}\t\t</destination>\n"
            f"{indent}\t</consumer_output>\n{indent}</output>\n")


def seqs(trace):
    return [f["seq"] for _, f in read_events(trace)]


def test_network_and_live_sessions_saved_loaded_and_streamed(rt, relay, tmp_path):
    c, d = relay.control, relay.data
    rt.run("create", "net", f"--set-url=net://127.0.0.1:{c}:{d}/a/b")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("create", "lv", "--live=500000", f"--set-url=net://127.0.0.1:{c}:{d}")
    rt.run("enable-event", "-u", "rt_test:seq")
    rt.run("create", "loc", f"--output={tmp_path / 'local'}")
    rt.run("enable-event", "-u", "rt_test:seq")
    before = {s: rt.run("list", s).stdout for s in ("net", "lv")}
    assert rt.run("save", "-a").stdout.startswith("All sessions have been saved successfully")
    saved = rt.home / ".ringtrace/sessions"
    net, lv = (saved / "net.lttng").read_text(), (saved / "lv.lttng").read_text()
    assert output_of(net) == net_output(f"tcp4://127.0.0.1:{c}/a/b", f"tcp4://127.0.0.1:{d}/")
    assert output_of(lv) == net_output(f"tcp4://127.0.0.1:{c}/", f"tcp4://127.0.0.1:{d}/")
    assert "<attributes>" not in net
    assert ("\t\t<attributes>\n\t\t\t<live_timer_interval>500000</live_timer_interval>\n"
            "\t\t</attributes>\n") in lv
    assert lv.count("<live_timer_interval>500000</live_timer_interval>") == 2  # and its channel
    rt.run("destroy", "-a")

    r = rt.run("load", "net")
    assert r.stdout == "Session net has been loaded successfully\n"
    rt.run("load", "lv")
    # Replacing a live session: checked first as a local scratch session, which the relay
    # never sees.
    assert rt.run("load", "-f", "lv").stdout == "Session lv has been loaded successfully\n"
    # A local session made to stream by the load.
    url = f"net://127.0.0.1:{c}:{d}/over"
    r = rt.run("load", "loc", f"--override-url={url}")
    assert r.stdout.splitlines()[-1] == f"Session output url overridden with {url}"
    assert (f"Trace output: tcp4://127.0.0.1:{c}/over [data: {d}]"
            in rt.run("list", "loc").stdout)
    for s in ("net", "lv"):
        assert rt.run("list", s).stdout == before[s]
    for s in ("net", "lv", "loc"):
        rt.run("start", s)
    run_burst(rt, 30)
    rt.run("destroy", "-a")
    assert seqs(relay.output / HOST / "a" / "b") == list(range(30))
    assert seqs(relay.output / HOST / "over") == list(range(30))
    assert not (tmp_path / "local").exists()
    lv_dirs = sorted(p for p in (relay.output / HOST).iterdir() if p.name.startswith("lv"))
    # One per second the three lv sessions were created in, none of a scratch session.
    assert lv_dirs and all(re.fullmatch(rf"lv-{STAMP}", p.name) for p in lv_dirs), lv_dirs
    assert seqs(lv_dirs[-1]) == list(range(30))


def test_live_session_file_with_a_local_output_is_refused(rt, tmp_path):
    rt.start_sessiond()
    f = tmp_path / "x.lttng"
    f.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<sessions>\n<session><name>x</name>'
                 "<attributes><live_timer_interval>1000</live_timer_interval></attributes>"
                 "<output><consumer_output><enabled>true</enabled><destination><path>"
                 f"{tmp_path}/t</path></destination></consumer_output></output></session>\n"
                 "</sessions>\n")
    r = rt.run("load", "-i", f, check=False)
    assert (r.returncode, r.stderr) == (
        1, f"Error: Invalid parameter: {f}:3: session x: creating it in live mode with output "
        f"{tmp_path}/t\n")
    assert rt.run("list").stdout == "Currently no available recording session\n"
    # Replacing a session with it fails the same way and keeps the old one.
    rt.run("create", "x", f"--output={tmp_path / 'old'}")
    r = rt.run("load", "-f", "-i", f, check=False)
    assert (r.returncode, r.stderr) == (
        1, f"Error: Invalid parameter: {f}:3: session x: creating it in live mode with output "
        f"{tmp_path}/t\n")
    assert f"Trace output: {tmp_path / 'old'}" in rt.run("list", "x").stdout


class SplitRelay:
    """A relay whose control port listens on 127.0.0.1 only and its data port
    on 127.0.0.2 only: a session reaches it only by connecting each to its
    own host."""

    def __init__(self, tmp_path):
        self.output = tmp_path / "split-out"
        self.log = open(tmp_path / "split-relayd.log", "w+")
        self.control, self.data, self.live = free_ports(3)
        self.proc = subprocess.Popen(
            [str(RELAYD), "-vv", "-o", str(self.output),
             "-C", f"tcp://127.0.0.1:{self.control}", "-D", f"tcp://127.0.0.2:{self.data}",
             "-L", f"tcp://127.0.0.1:{self.live}"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while not self.listens():
            assert self.proc.poll() is None and time.monotonic() < deadline, "no relay"
            time.sleep(0.01)

    def listens(self):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.2", self.data)) == 0

    def stop(self):
        terminate(self.proc)
        self.log.close()


def test_control_and_data_on_two_hosts(rt, tmp_path):
    relay = SplitRelay(tmp_path)
    try:
        c, d = relay.control, relay.data
        # The data port is not on 127.0.0.1: one host for both cannot work.
        rt.run("create", "same", f"--set-url=net://127.0.0.1:{c}:{d}")
        r = rt.run("enable-event", "-u", "rt_test:seq", check=False)
        assert r.returncode != 0 and "Unable to connect to ringtrace-relayd" in r.stderr
        rt.run("destroy")

        r = rt.run("create", "split", f"--ctrl-url=tcp://127.0.0.1:{c}/sp",
                   f"--data-url=tcp://127.0.0.2:{d}")
        shown = f"tcp4://127.0.0.1:{c}/sp [data: 127.0.0.2:{d}]"
        assert r.stdout.splitlines()[-1] == f"Traces will be output to {shown}"
        rt.run("enable-event", "-u", "rt_test:seq")
        rt.run("save", "split")
        text = (rt.home / ".ringtrace/sessions/split.lttng").read_text()
        assert output_of(text) == net_output(f"tcp4://127.0.0.1:{c}/sp",
                                             f"tcp4://127.0.0.2:{d}/")
        rt.run("start")
        run_burst(rt, 12)
        rt.run("destroy")
        assert seqs(relay.output / HOST / "sp") == list(range(12))
        # Loaded back with both hosts.
        rt.run("load", "split")
        assert f"Trace output: {shown}" in rt.run("list", "split").stdout
    finally:
        relay.stop()


def test_relay_configuration_grouping_by_session_and_disallowing_clear(rt, tmp_path):
    """The file groups by session and allows clear; -x on the command line wins."""
    cfg = tmp_path / "relayd.conf"
    cfg.write_text("; as lttng.conf\n[sessiond]\ngroup-output-by-host=yes\n[relayd]\n"
                   "group-output-by-session = yes\ndisallow-clear=off\n"
                   f'output="{tmp_path / "overridden"}"\nbogus=1\n')
    relay = Relay(tmp_path / "out", "-f", str(cfg), "-x")
    try:
        rt.run("create", "g1", f"--set-url={relay.url()}")
        rt.run("enable-event", "-u", "rt_test:seq")
        rt.run("create", "g2", f"--set-url={relay.url()}/my/dir")
        rt.run("enable-event", "-u", "rt_test:seq")
        rt.run("start", "g1")
        rt.run("start", "g2")
        run_burst(rt, 4)
        r = rt.run("clear", "g1", check=False)
        assert (r.returncode, r.stdout, r.stderr) == (
            157, "", "Error: Clearing a session is not supported by the relay daemon\n")
        run_burst(rt, 2)  # nothing was cleared, the session goes on
        rt.run("destroy", "-a")
    finally:
        assert relay.stop() == 0
    assert (f'warning: unrecognized option "bogus" in daemon configuration file {cfg}'
            in relay.log_path.read_text())
    assert not (tmp_path / "overridden").exists()  # -o on the command line wins
    out = relay.output
    assert sorted(p.name for p in out.iterdir()) == ["g1", "g2"]
    [d1] = (out / "g1").iterdir()
    [d2] = (out / "g2").iterdir()
    assert re.fullmatch(rf"{re.escape(HOST)}-{STAMP}", d1.name), d1.name
    assert re.fullmatch(rf"{re.escape(HOST)}-{STAMP}", d2.name), d2.name
    assert seqs(d1) == list(range(4)) + list(range(2))
    assert [p.name for p in d2.iterdir()] == ["my"]
    assert seqs(d2 / "my" / "dir") == list(range(4)) + list(range(2))


def test_relay_fd_pool_and_working_directory(tmp_path):
    (tmp_path / "wd").mkdir()
    relay = Relay(tmp_path / "out", "--fd-pool-size=64", "-w", str(tmp_path / "wd"))
    try:
        pid = relay.proc.pid
        assert pathlib.Path(f"/proc/{pid}/cwd").resolve() == tmp_path / "wd"
        [limits] = [line for line in pathlib.Path(f"/proc/{pid}/limits").read_text()
                    .splitlines() if line.startswith("Max open files")]
        assert limits.split()[3] == "64"
    finally:
        assert relay.stop() == 0
    for args, message in (
            (["--fd-pool-size=0"], "wrong value in --fd-pool-size parameter: 0"),
            (["--fd-pool-size=1x"], "wrong value in --fd-pool-size parameter: 1x"),
            (["--fd-pool-size=4294967296"],
             "wrong value in --fd-pool-size parameter: 4294967296"),
            (["-f", str(tmp_path / "nothere")],
             f"cannot read the configuration file {tmp_path / 'nothere'}: "
             "No such file or directory"),
            (["-w", str(tmp_path / "nothere"), "-o", str(tmp_path / "o"), "-C", "tcp://x"],
             'invalid URL "tcp://x"')):
        r = subprocess.run([str(RELAYD), *args], capture_output=True, text=True)
        assert r.returncode == 1 and message in r.stderr, (args, r.stderr)
    r = subprocess.run([str(RELAYD), "--help"], capture_output=True, text=True)
    for opt in ("--config=PATH", "--fd-pool-size=SIZE", "--working-directory=DIR",
                "--group-output-by-session", "--disallow-clear"):
        assert opt in r.stdout
