# SPDX-License-Identifier: MIT
"""Session save and load (`ringtrace save` / `ringtrace load`), as lttng
2.13: a saved session loads back to the same configuration and records the
same events; --all, --force, the overrides; messages and exit codes of the
errors; files that ask for what ringtrace cannot do are refused, naming the
element, and leave nothing behind."""
import os

import pytest

from conftest import read_events


def configure(rt, out):
    """A session using everything save/load carries today."""
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-channel", "-u", "--buffers-pid", "--subbuf-size=8k", "--num-subbuf=8",
           "--switch-timer=200000", "--read-timer=100000", "--monitor-timer=500000", "ch1")
    rt.run("enable-event", "-u", "-c", "ch1", "rt_test:*", "-x", "rt_test:seq,rt_test:nothere")
    rt.run("enable-event", "-u", "-c", "ch1", "rt_test:tick", "--loglevel-only=TRACE_INFO")
    rt.run("enable-event", "-u", "-c", "ch1", "rt_test:seq", "--loglevel=TRACE_WARNING")
    rt.run("disable-event", "-u", "-c", "ch1", "rt_test:seq")
    rt.run("enable-channel", "-u", "--buffers-pid", "ch2")
    rt.run("enable-event", "-u", "-c", "ch2", "other:*")
    rt.run("disable-channel", "-u", "ch2")
    rt.run("track", "-u", f"--vuid={os.getuid()}")
    rt.run("track", "-u", f"--vgid={os.getgid()}")
    rt.run("track", "-u", "--vuid=root", "--vgid=root")


def record(rt, session="s1"):
    rt.run("start", session)
    for app, args in (("ticker", (3, 1)), ("allfields", ())):
        r = rt.app(app, *args)
        assert r.returncode == 0, r.stderr
    rt.run("stop", session)


def test_save_destroy_load_same_configuration_and_events(rt, tmp_path):
    configure(rt, tmp_path / "a")
    before = rt.run("list", "s1").stdout
    r = rt.run("save", "s1")
    assert r.stdout == "Session s1 saved successfully.\n"
    saved = (rt.home / ".ringtrace/sessions/s1.lttng").read_text()
    # Names are saved as names, as lttng 2.13.9 writes them.
    assert "".join(saved.split()).count(
        "<process_attr_values>"
        f"<vuid><id>{os.getuid()}</id></vuid><vuid><name>root</name></vuid>"
        "</process_attr_values>"
        "</vuid_process_attr_tracker><vgid_process_attr_tracker><process_attr_values>"
        f"<vgid><id>{os.getgid()}</id></vgid><vgid><name>root</name></vgid>"
        "</process_attr_values>") == 1
    record(rt)
    rt.run("destroy", "s1")

    r = rt.run("load", "s1")
    assert r.stdout == "Session s1 has been loaded successfully\n"
    assert rt.run("list", "s1").stdout == before
    rt.run("destroy", "s1")
    r = rt.run("load", "s1", f"--override-url={tmp_path / 'b'}")
    assert r.stdout == ("Session s1 has been loaded successfully\n"
                        f"Session output url overridden with {tmp_path / 'b'}\n")
    record(rt)
    first, second = read_events(tmp_path / "a"), read_events(tmp_path / "b")
    assert [name for name, _ in first] == ["rt_test:tick"] * 3 + ["rt_test:allfields"] * 2
    assert second == first


def test_started_session_loads_started(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("start")
    rt.run("save", "-o", tmp_path / "cfg")
    assert "<started>true</started>" in (tmp_path / "cfg/s1.lttng").read_text()
    rt.run("destroy", "s1")
    rt.run("load", "-i", tmp_path / "cfg")
    assert "Recording session s1: [active]" in rt.run("list", "s1").stdout
    assert rt.app("ticker", 2, 1).returncode == 0
    rt.run("stop", "s1")
    assert [n for n, _ in read_events(tmp_path / "t")] == ["rt_test:tick"] * 2


def test_all_force_and_existing(rt, tmp_path):
    for name in ("s1", "s2"):
        rt.run("create", name, f"--output={tmp_path / name}")
    cfg = tmp_path / "cfg"
    r = rt.run("save", "-o", cfg)
    assert r.stdout == f"All sessions have been saved successfully in {cfg}.\n"
    assert sorted(os.listdir(cfg)) == ["s1.lttng", "s2.lttng"]
    saved = (cfg / "s1.lttng").read_bytes()
    assert saved.endswith(b"</sessions>\n")

    rt.run("enable-event", "-u", "-s", "s1", "rt_test:tick")
    r = rt.run("save", "-o", cfg, check=False)
    assert (r.returncode, r.stderr) == (85, "Error: Session file already exists\n")
    assert (cfg / "s1.lttng").read_bytes() == saved
    assert sorted(os.listdir(cfg)) == ["s1.lttng", "s2.lttng"]  # no temporary left
    r = rt.run("save", "-a", "-f", "-o", cfg)
    assert r.stdout == f"All sessions have been saved successfully in {cfg}.\n"
    assert b"rt_test:tick" in (cfg / "s1.lttng").read_bytes()

    r = rt.run("load", "-i", cfg, check=False)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: Session name already exists: session s")
    r = rt.run("load", "-i", cfg, "-f")
    assert r.stdout == "All sessions have been loaded successfully\n"
    assert "rt_test:tick" in rt.run("list", "s1").stdout
    rt.run("destroy", "-a")
    r = rt.run("load", "-i", cfg, "-a")
    assert r.stdout == "All sessions have been loaded successfully\n"
    names = [s.split()[1] for s in rt.run("list").stdout.splitlines() if ") s" in s]
    assert sorted(names) == ["s1", "s2"]


def test_override_name(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("save", "s1")
    r = rt.run("load", "s1", "--override-name=copy")
    assert r.stdout == ("Session s1 has been loaded successfully\n"
                        "Session name overridden with copy\n")
    listing = rt.run("list", "copy").stdout
    assert "Trace output: " + str(tmp_path / "t") in listing
    assert "rt_test:tick (type: tracepoint) [enabled]" in listing
    r = rt.run("load", "--override-name=x", check=False)
    assert (r.returncode, r.stderr) == (
        1, "Error: Options --all and --override-name cannot be used simultaneously\n")


def test_save_errors(rt, tmp_path):
    r = rt.run("save", check=False)
    assert (r.returncode, r.stderr) == (19, "Error: No session daemon is available\n")
    rt.start_sessiond()
    r = rt.run("save")
    assert r.stdout == "All sessions have been saved successfully.\n"
    r = rt.run("save", "nosuch", check=False)
    assert (r.returncode, r.stderr) == (23, "Error: Session name not found\n")
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("save", "-a", "s1", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Unknown argument: s1\n")
    (tmp_path / "file").write_text("")
    r = rt.run("save", "-o", tmp_path / "file", check=False)
    assert (r.returncode, r.stderr) == (
        86, "Error: IO error while writing session configuration\n")


SAVED = """<?xml version="1.0" encoding="UTF-8"?>
<sessions>
	<session>
		<name>bad</name>
		<domains>
			<domain>
				<type>UST</type>
				<buffer_type>PER_UID</buffer_type>
				<channels>
					<channel>
						<name>ch</name>
						<subbuffer_size>SIZE</subbuffer_size>
						<read_timer_interval>0</read_timer_interval>
						<output_type>MMAP</output_type>
						CHANNEL
					</channel>
				</channels>
			</domain>
		</domains>
		SESSION
	</session>
</sessions>
"""


SNAPSHOT_OUTPUT = ("<output><name>o</name><max_size>0</max_size><consumer_output><enabled>true"
                   "</enabled><destination><path>/tmp/o</path></destination></consumer_output>"
                   "</output>")


def session_file(tmp_path, size="4096", channel="", session=""):
    f = tmp_path / "bad.lttng"
    f.write_text(SAVED.replace("SIZE", size).replace("CHANNEL", channel)
                 .replace("SESSION", session))
    return f


@pytest.mark.parametrize("kwargs, message", [
    ({"size": "zz"}, "Error: Invalid session configuration: {f}:12: Element 'subbuffer_size': "
                     "'zz' is not a valid value of the atomic type 'rt_u64'.\n"),
    ({"size": "3000"}, "Error: Invalid sub-buffer size (must be a power of 2, at least the page "
                       "size): {f}:10: session bad: <channel> ch with <subbuffer_size>3000\n"),
    ({"channel": "<contexts><context><app><provider_name>p:q</provider_name><ctx_name>c"
                 "</ctx_name></app></context></contexts>"},
     "Error: UST invalid context: {f}:15: session bad: channel ch: context $app.p:q:c\n"),
    ({"channel": "<contexts><context><type>VPID</type></context><context><type>PID</type>"
                 "</context></contexts>"},
     "Error: UST invalid context: {f}:15: session bad: channel ch: context <type>PID\n"),
    ({"channel": "<contexts><context><perf><type>9</type><config>0</config><name>x</name>"
                 "</perf></context></contexts>"},
     "Error: UST invalid context: {f}:15: session bad: channel ch: context <perf> x\n"),
    ({"channel": "<events><event><name>a:b</name><filter>a ==</filter></event></events>"},
     "Error: Invalid filter bytecode: {f}:15: session bad: channel ch: event rule a:b "
     "(<filter>a ==)\n"),
    ({"channel": "<events><event><name>a:b</name><type>SYSCALL</type></event></events>"},
     "Error: Operation not supported: {f}:15: <type>: event rule a:b: SYSCALL events are not "
     "supported: ringtrace records user space tracepoints only\n"),
    ({"session": "<attributes><snapshot_mode>true</snapshot_mode></attributes><output>"
                 "<snapshot_outputs>" + 2 * SNAPSHOT_OUTPUT + "</snapshot_outputs></output>"},
     "Error: Operation not supported: {f}:20: <output>: session bad: a session has one "
     "snapshot output at most\n"),
    ({"session": "<output><snapshot_outputs>" + SNAPSHOT_OUTPUT + "</snapshot_outputs></output>"},
     "Error: Invalid session configuration: {f}:20: <snapshot_outputs>: session bad: snapshot "
     "outputs in a session without <snapshot_mode>true\n"),
    ({"session": "<output><consumer_output><enabled>true</enabled><destination><net_output>"
                 "<control_uri>tcp4://:5342/</control_uri><data_uri>"
                 "tcp4://127.0.0.1:5343/</data_uri></net_output></destination>"
                 "</consumer_output></output>"},
     "Error: Invalid session configuration: {f}:20: <net_output>: session bad: relay daemon "
     "URLs tcp4://:5342/ and tcp4://127.0.0.1:5343/: No address or hostname detected.\n"),
    ({"session": "<attributes><snapshot_mode>true</snapshot_mode></attributes><output>"
                 "<snapshot_outputs><output><name>n</name><max_size>0</max_size>"
                 "<consumer_output><enabled>true</enabled><destination><net_output>"
                 "<control_uri>tcp4://127.0.0.1:5342/</control_uri><data_uri>"
                 "tcp4://127.0.0.1:5343/</data_uri></net_output></destination>"
                 "</consumer_output></output></snapshot_outputs></output>"},
     "Error: Operation not supported: {f}:20: <net_output>: session bad: network snapshot "
     "outputs (relay daemon) are not supported yet\n"),
])
def test_unusable_file_loads_nothing(rt, tmp_path, kwargs, message):
    rt.start_sessiond()
    f = session_file(tmp_path, **kwargs)
    r = rt.run("load", "-i", f, check=False)
    assert (r.returncode, r.stderr) == (1, message.format(f=f))
    assert rt.run("list").stdout == "Currently no available recording session\n"


def test_kernel_domain_refused(rt, tmp_path):
    rt.start_sessiond()
    f = session_file(tmp_path)
    f.write_text(f.read_text().replace("<type>UST</type>", "<type>KERNEL</type>"))
    r = rt.run("load", "-i", f, check=False)
    assert (r.returncode, r.stderr) == (
        1, f"Error: Operation not supported: {f}:6: <domain>: session bad: the kernel domain "
        "is not supported: ringtrace traces user space applications only\n")


def test_load_errors(rt, tmp_path):
    rt.start_sessiond()
    f = tmp_path / "broken.lttng"
    f.write_text("<sessions><session>\n")
    r = rt.run("load", "-i", f, check=False)
    assert (r.returncode, r.stderr) == (
        1, f"Error: IO error while reading a session configuration: {f}:2: Premature end of "
        "data in tag session line 1\n")
    r = rt.run("load", "-i", tmp_path / "nothere", check=False)
    assert (r.returncode, r.stderr) == (
        1, f"Error: Invalid input path {tmp_path / 'nothere'}: No such file or directory\n")
    good = session_file(tmp_path)
    r = rt.run("load", "-i", good, "nosuch", check=False)
    assert (r.returncode, r.stderr) == (
        1, f"Error: Session file not found: no configuration of session nosuch in {good}\n")
    # A broken file does not keep the one session asked for from loading.
    r = rt.run("load", "-i", tmp_path, "bad")
    assert r.stdout == "Session bad has been loaded successfully\n"


TRACKERS = """
<trackers><pid_tracker><targets>
	<pid_target><pid>42</pid></pid_target><pid_target><pid>43</pid></pid_target>
</targets></pid_tracker></trackers>
<process_attr_trackers>
	<vuid_process_attr_tracker><process_attr_values>
		<vuid><name>USER</name></vuid><vuid><id>0</id></vuid>
	</process_attr_values></vuid_process_attr_tracker>
	<vgid_process_attr_tracker><process_attr_values/></vgid_process_attr_tracker>
</process_attr_trackers>
"""


def test_trackers_by_name_legacy_and_empty(rt, tmp_path):
    rt.start_sessiond()
    f = session_file(tmp_path)
    f.write_text(f.read_text().replace("</channels>", "</channels>" + TRACKERS.replace(
        "USER", "root")))
    rt.run("load", "-i", f)
    listing = rt.run("list", "bad").stdout
    assert "  Virtual process IDs:  42, 43\n" in listing
    assert "  Virtual user IDs:     `root`, 0\n" in listing
    assert "  Virtual group IDs:    none\n" in listing
    rt.run("destroy", "bad")
    f.write_text(f.read_text().replace("<name>root</name>", "<name>no-such-user</name>"))
    r = rt.run("load", "-i", f, check=False)
    assert (r.returncode, r.stderr) == (
        1, f"Error: User not found: {f}:22: session bad: <vuid_process_attr_tracker> name "
        "\"no-such-user\"\n")
    assert rt.run("list", "bad", check=False).returncode != 0


def test_force_keeps_session_when_replacement_refused(rt, tmp_path):
    rt.run("create", "bad", f"--output={tmp_path / 't'}")
    rt.run("enable-event", "-u", "rt_test:tick")
    before = rt.run("list").stdout, rt.run("list", "bad").stdout
    f = session_file(tmp_path, size="3000")
    r = rt.run("load", "-f", "-i", f, check=False)
    assert (r.returncode, r.stderr) == (
        1, "Error: Invalid sub-buffer size (must be a power of 2, at least the page size): "
        f"{f}:10: session bad: <channel> ch with <subbuffer_size>3000\n")
    assert (rt.run("list").stdout, rt.run("list", "bad").stdout) == before
    f = session_file(tmp_path)
    rt.run("load", "-f", "-i", f)
    listing = rt.run("list", "bad").stdout
    assert "- ch: [enabled]" in listing and "rt_test:tick" not in listing
    assert rt.run("list").stdout.count(") ") == 1


CONTEXTS_XML = """\t\t\t\t\t\t<contexts>
\t\t\t\t\t\t\t<context>
\t\t\t\t\t\t\t\t<type>VTID</type>
\t\t\t\t\t\t\t</context>
\t\t\t\t\t\t\t<context>
\t\t\t\t\t\t\t\t<perf>
\t\t\t\t\t\t\t\t\t<type>1</type>
\t\t\t\t\t\t\t\t\t<config>2</config>
\t\t\t\t\t\t\t\t\t<name>perf_thread_page_fault</name>
\t\t\t\t\t\t\t\t</perf>
\t\t\t\t\t\t\t</context>
\t\t\t\t\t\t\t<context>
\t\t\t\t\t\t\t\t<type>PROCNAME</type>
\t\t\t\t\t\t\t</context>
\t\t\t\t\t\t</contexts>
"""


def test_filters_and_contexts_saved_loaded_and_applied(rt, tmp_path):
    from test_contexts import read_ctx_events

    rt.run("create", "s1", f"--output={tmp_path / 'a'}")
    rt.run("enable-channel", "-u", "ch")
    rt.run("add-context", "-u", "-c", "ch", "-t", "vtid", "-t", "perf:thread:page-fault",
           "-t", "procname")
    rt.run("enable-event", "-u", "-c", "ch", "rt_test:seq",
           "--filter", 'seq >= 3 && seq < 6 && $ctx.procname == "ctx-t*"')
    rt.run("save", "-o", tmp_path / "cfg")
    saved = (tmp_path / "cfg" / "s1.lttng").read_text()
    assert ("<filter>seq &gt;= 3 &amp;&amp; seq &lt; 6 &amp;&amp; $ctx.procname == "
            "&quot;ctx-t*&quot;</filter>\n") in saved
    assert CONTEXTS_XML in saved
    before = rt.run("list", "s1").stdout
    assert "rt_test:seq (type: tracepoint) [enabled] [filter: 'seq >= 3 && seq < 6 && " \
        "$ctx.procname == \"ctx-t*\"']" in before
    rt.run("destroy", "s1")

    r = rt.run("load", "-i", tmp_path / "cfg")
    assert r.stdout == "All sessions have been loaded successfully\n"
    assert rt.run("list", "s1").stdout == before
    rt.run("save", "-o", tmp_path / "again")
    assert (tmp_path / "again" / "s1.lttng").read_text() == saved
    rt.run("start", "s1")
    assert rt.app("ctxapp", 2, 8).returncode == 0
    rt.run("stop", "s1")
    events = read_ctx_events(tmp_path / "a")
    assert sorted((p["thread"], p["seq"]) for _, _, p in events) == [
        (t, n) for t in (0, 1) for n in (3, 4, 5)]
    for _, ctx, payload in events:
        assert list(ctx) == ["vtid", "perf_thread_page_fault", "procname"]
        assert ctx["procname"] == f"ctx-t{payload['thread']}"


def sessiond_cmd(rt, *args):
    from conftest import BIN
    return [str(BIN["sessiond"]), *map(str, args)]


def test_sessiond_loads_auto_dir_at_start(rt, tmp_path):
    import subprocess
    rt.start_sessiond()
    configure(rt, tmp_path / "a")
    rt.run("create", "s2", f"--output={tmp_path / 'b'}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("start", "s2")
    listings = {name: rt.run("list", name).stdout for name in ("s1", "s2")}
    auto = rt.home / ".ringtrace/sessions/auto"
    rt.run("save", "-a", "-o", auto)
    rt.run("save", "s1", "-o", tmp_path / "elsewhere")
    rt.stop_daemons()

    # Ready only once they are loaded: listed by the first command.
    # (Output to a file: the daemon and its consumer daemon keep a pipe open.)
    with open(tmp_path / "out", "w+") as out:
        r = subprocess.run(sessiond_cmd(rt, "-d"), env=rt.env, stdout=out, stderr=out,
                           timeout=30)
        out.seek(0)
        assert (r.returncode, out.read()) == (0, "")
    assert rt.run("list").stdout == (
        "Available recording sessions:\n"
        f"  1) s1 [inactive]\n    Trace output: {tmp_path / 'a'}\n\n"
        f"  2) s2 [active]\n    Trace output: {tmp_path / 'b'}\n\n\n"
        "Use ringtrace list <session_name> for more details\n")
    assert {name: rt.run("list", name).stdout for name in ("s1", "s2")} == listings
    rt.stop_daemons()

    # --load: that path only, not the auto directory. Daemonized, so that the
    # command returns once loading is over (in the foreground the client
    # socket answers while the daemon still loads through it).
    r = subprocess.run(sessiond_cmd(rt, "-d", "--load", tmp_path / "elsewhere" / "s1.lttng"),
                       env=rt.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=30)
    assert r.returncode == 0
    assert rt.run("list", "s1").stdout == listings["s1"]
    r = rt.run("list", "s2", check=False)
    assert r.returncode != 0
    rt.stop_daemons()

    # An auto directory of another user is not trusted.
    os.chown(auto, 65534, 65534)
    rt.start_sessiond()
    assert rt.run("list").stdout == "Currently no available recording session\n"


def test_sessiond_exits_when_load_fails(rt, tmp_path):
    import subprocess
    r = subprocess.run(sessiond_cmd(rt, "--load", tmp_path / "nothere"), env=rt.env,
                       capture_output=True, text=True, timeout=30)
    assert (r.returncode, r.stderr) == (
        1, "ringtrace-sessiond: Error: Session load failed: Session file not found: "
        f"{tmp_path / 'nothere'}: No such file or directory\n")
    f = tmp_path / "broken.lttng"
    f.write_text("<sessions><session>\n")
    r = subprocess.run(sessiond_cmd(rt, "-d", "--load", tmp_path), env=rt.env,
                       capture_output=True, text=True, timeout=30)
    assert (r.returncode, r.stderr) == (
        1, "ringtrace-sessiond: Error: Session load failed: IO error while reading a session "
        f"configuration: {f}:2: Premature end of data in tag session line 1\n")
    assert not (rt.home / ".ringtrace/client-ringtrace-sock").exists()


SNAPSHOT_XML = """\
		<started>false</started>
		<attributes>
			<snapshot_mode>true</snapshot_mode>
		</attributes>
		<output>
			<snapshot_outputs>
				<output>
					<name>{name}</name>
					<max_size>{size}</max_size>
					<consumer_output>
						<enabled>true</enabled>
						<destination>
							<path>{path}</path>
						</destination>
					</consumer_output>
				</output>
			</snapshot_outputs>
		</output>
	</session>
</sessions>
"""


def snapshot_events(out):
    """Events of the single snapshot recorded under out."""
    (snap,) = out.iterdir()
    return read_events(snap)


def test_snapshot_session_saved_loaded_and_recorded(rt, tmp_path):
    out = tmp_path / "snap"
    rt.run("create", "s1", "--snapshot", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("save", "s1")
    saved = (rt.home / ".ringtrace/sessions/s1.lttng").read_text()
    assert saved.endswith(SNAPSHOT_XML.format(name="snapshot-1", size=0, path=out))
    assert "<overwrite_mode>OVERWRITE</overwrite_mode>" in saved
    before = rt.run("list", "s1").stdout
    rt.run("destroy", "s1")

    r = rt.run("load", "s1")
    assert r.stdout == "Session s1 has been loaded successfully\n"
    assert rt.run("list", "s1").stdout == before
    r = rt.run("snapshot", "list-output", "-s", "s1")
    assert r.stdout == f"Snapshot output list for session s1\n    [1] snapshot-1: {out}\n"
    rt.run("start", "s1")
    assert rt.app("ticker", 2, 1).returncode == 0
    rt.run("snapshot", "record", "-s", "s1")
    assert [name for name, _ in snapshot_events(out)] == ["rt_test:tick"] * 2


def test_snapshot_output_name_size_and_override(rt, tmp_path):
    out, other = tmp_path / "snap", tmp_path / "other"
    rt.run("create", "s1", "--snapshot", f"--output={out}")
    rt.run("snapshot", "del-output", "1")
    rt.run("snapshot", "add-output", "-n", "mine", "-m", "1M", str(out))
    rt.run("save", "s1")
    saved = (rt.home / ".ringtrace/sessions/s1.lttng").read_text()
    assert saved.endswith(SNAPSHOT_XML.format(name="mine", size=1048576, path=out))
    rt.run("destroy", "s1")

    rt.run("load", "s1", f"--override-url={other}")
    r = rt.run("snapshot", "list-output", "-s", "s1")
    # lttng numbers it 1 (its load creates the session without an output first).
    assert r.stdout == ("Snapshot output list for session s1\n"
                        f"    [2] mine: {other} (max size: 1048576 bytes)\n")
    rt.run("snapshot", "del-output", "-s", "s1", "mine")
    rt.run("save", "-f", "s1")
    saved = (rt.home / ".ringtrace/sessions/s1.lttng").read_text()
    assert "<snapshot_outputs/>" in saved
    rt.run("destroy", "s1")
    rt.run("load", "s1")
    r = rt.run("snapshot", "list-output", "-s", "s1")
    assert r.stdout == "Snapshot output list for session s1\n    None\n"
