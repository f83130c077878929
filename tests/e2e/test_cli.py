# SPDX-License-Identifier: MIT
"""The ringtrace command: lttng 2.13's syntax, messages and exit statuses.

The first part needs no session daemon (option parsing, client-side
validation, help, the current-session file); the second drives a real
ringtrace-sessiond through the CLI and is skipped until it is built.
Expected texts were checked against the real lttng 2.13.9.
"""
import os
import pathlib
import re
import signal
import subprocess
import time

import pytest

from conftest import BIN, BUILD, example

needs_sessiond = pytest.mark.skipif(
    not (BIN["sessiond"].exists() and BIN["consumerd"].exists()),
    reason="ringtrace-sessiond / ringtrace-consumerd are not built yet")


def app_or_skip(name):
    try:
        return example(name)
    except FileNotFoundError:
        pytest.skip(f"test app {name} is not built")


def err(r):
    return r.stderr.splitlines()


def out(r):
    return r.stdout.splitlines()


# ---------------------------------------------------------------- global options, help


def test_no_arguments_prints_usage_and_fails(rt):
    r = rt.run(check=False)
    assert r.returncode == 1
    assert r.stdout.startswith("Usage: ringtrace ")
    assert "  create            Create a recording session" in out(r)


@pytest.mark.parametrize("opt", ["-h", "--help"])
def test_global_help(rt, opt):
    r = rt.run(opt)
    assert "Available commands:" in r.stdout
    assert "--sessiond-path=PATH" in r.stdout
    for cmd in ("create", "destroy", "enable-channel", "disable-channel", "enable-event",
                "disable-event", "start", "stop", "list", "status", "version", "view",
                "record", "help"):
        assert re.search(rf"^  {cmd} +\S", r.stdout, re.M), cmd


def test_version_option_and_command(rt):
    r = rt.run("-V")
    assert r.stdout.strip().endswith("(ringtrace Trace Control) 0.1.0")
    r = rt.run("version")
    assert out(r)[0] == "ringtrace version 0.1.0"


def test_help_command(rt, tmp_path):
    # No manual page there: help prints the short help (test_man_pages.py covers man).
    rt.env["RINGTRACE_MANPATH"] = str(tmp_path)
    assert "Available commands:" in rt.run("help").stdout
    r = rt.run("help", "create")
    assert r.stdout.startswith("Usage: ringtrace [GENERAL OPTIONS] create")
    assert rt.run("create", "--help").stdout == r.stdout
    assert rt.run("enable-event", "-h").stdout.startswith(
        "Usage: ringtrace [GENERAL OPTIONS] enable-event")
    r = rt.run("help", "nosuch", check=False)
    assert (r.returncode, err(r)) == (1, ['Error: Unknown command "nosuch"'])


def test_list_commands_and_options(rt):
    cmds = out(rt.run("--list-commands"))
    assert "enable-event" in cmds and "record" in cmds
    opts = out(rt.run("enable-channel", "--list-options"))
    assert "--subbuf-size" in opts and "-u" in opts


def test_unknown_command(rt):
    r = rt.run("nosuchcmd", check=False)
    assert r.returncode == 2
    assert r.stdout == "ringtrace: nosuchcmd is not a ringtrace command. See 'ringtrace --help'.\n"


def test_unknown_global_option(rt):
    r = rt.run("--nosuchopt", "list", check=False)
    assert r.returncode == 1
    assert "unrecognized option '--nosuchopt'" in r.stderr


@pytest.mark.parametrize("args", [["list", "--nosuch"], ["create", "-o"],
                                  ["enable-channel", "-u", "--subbuf-size"],
                                  ["destroy", "-z"]])
def test_unknown_command_option_or_missing_argument(rt, args):
    r = rt.run(*args, check=False)
    assert r.returncode == 2
    assert err(r) == [f"Error: Unrecognized argument used with '{args[0]}' command"]


def test_quiet_suppresses_everything(rt):
    r = rt.run("-q", "status", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "")


def test_global_options_without_command_fail_silently(rt):
    r = rt.run("-v", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "")


def test_mi_is_refused(rt):
    r = rt.run("--mi", "xml", "list", check=False)
    assert r.returncode == 1
    assert err(r)[0].startswith("Error: MI output format not supported")


# ---------------------------------------------------------------- no session daemon


def test_no_session_daemon(rt):
    r = rt.run("-n", "list", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: No session daemon is available"])
    r = rt.run("list", "-u", check=False)
    assert (r.returncode, err(r)) == (
        1, ["Error: Unable to list UST events: No session daemon is available"])
    r = rt.run("start", "s1", check=False)
    assert (r.returncode, err(r)) == (19, ["Error: No session daemon is available"])
    r = rt.run("-n", "create", "s1", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: No session daemon is available"])
    assert not (rt.home / ".ringtracerc").exists()


def test_bad_sessiond_path(rt):
    r = rt.run("--sessiond-path=/nonexistent/sessiond", "create", "s1", check=False)
    assert r.returncode == 1
    assert err(r) == ["Error: No such file or access denied: /nonexistent/sessiond",
                      "Error: Problem occurred while launching session daemon "
                      "(/nonexistent/sessiond)"]


@pytest.mark.parametrize("cmd", [["status"], ["start"], ["stop"], ["destroy"],
                                 ["enable-event", "-u", "a"], ["enable-channel", "-u", "c"],
                                 ["disable-event", "-u", "a"], ["view"]])
def test_no_current_session(rt, cmd):
    r = rt.run(*cmd, check=False)
    if cmd == ["destroy"]:
        # destroy lists the sessions first, as lttng
        assert err(r) == ["Error: No session daemon is available"]
        return
    assert r.returncode == 1
    assert err(r) == [f"Error: Can't find valid ringtrace config {rt.home}/.ringtracerc"]
    assert out(r) == ["Did you create a session? (ringtrace create <my_session>)"]


def test_current_session_file_is_read(rt):
    (rt.home / ".ringtracerc").write_text("session=mysess\n")
    r = rt.run("start", check=False)
    # the name comes from the file; only the daemon is missing
    assert err(r) == ["Error: No session daemon is available"]
    r = rt.run("enable-channel", "-u", "ch", check=False)
    assert err(r) == ["Error: Channel ch: No session daemon is available (session mysess)"]
    (rt.home / ".ringtracerc").write_text("")
    r = rt.run("start", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Missing session=NAME in config file."])


# ---------------------------------------------------------------- create: client-side checks


@pytest.mark.parametrize("args,message", [
    (["auto"], "auto is a reserved keyword for default session(s)"),
    (["auto-x"], "auto is a reserved keyword for default session(s)"),
    (["a" * 256], "Session name too long. Length must be lower or equal to 255"),
    (["a", "b"], "Unknown argument: b"),
    (["--snapshot", "--live"], "Snapshot and live modes are mutually exclusive."),
    (["x", "--live=abc"], "Wrong value for --live parameter: abc"),
    (["--live", "s2"], "Wrong value for --live parameter: s2"),
    (["x", "--live=0"], "Live timer interval must be greater than zero"),
    (["x", "--live=5000000000"], "32-bit overflow in --live parameter: 5000000000"),
    (["x", "-C", "tcp://a", "-D", "tcp://b", "-o", "/tmp/x"],
     "Only one of the --set-url, --ctrl-url/data-url, or --output options may be used at once."),
    (["x", "-C", "tcp://a"], "Both control and data URLs must be specified."),
    (["x", "--live", "-o", "/tmp/x"], "Unsupported output type specified for live session."),
])
def test_create_validation(rt, args, message):
    r = rt.run("-n", "create", *args, check=False)
    assert (r.returncode, err(r)) == (1, [f"Error: {message}"])


def test_create_network_urls(rt):
    # No relay is needed to create: it is reached at the first domain command.
    r = rt.run("create", "x", "-U", "net6://[::1]:6000/t", check=False)
    assert (r.returncode, out(r)[-1]) == (
        0, "Traces will be output to tcp6://[::1]:6000/t [data: 5343]")
    r = rt.run("-n", "create", "y", "-C", "tcp://no-such-host.invalid", "-D",
               "tcp://no-such-host.invalid", check=False)
    assert r.returncode == 1
    assert err(r)[0].startswith("Error: Unable to resolve host no-such-host.invalid")


def test_create_no_consumer_is_obsolete(rt):
    r = rt.run("create", "x", "--no-consumer", check=False)
    assert (r.returncode, out(r)) == (4, ["The option --no-consumer is obsolete. Use --no-output now."])


# ---------------------------------------------------------------- enable-channel: client-side checks


@pytest.mark.parametrize("args,lines,code", [
    ([], ["Error: Please specify a domain (--kernel/--userspace)."], 1),
    (["-u", "-k", "c"], ["Error: Only one domain must be specified."], 1),
    (["-u"], ["Error: Missing channel name."], 1),
    (["-u", "c", "--subbuf-size=abc"], ["Error: Wrong value in --subbuf-size parameter: abc"], 1),
    (["-u", "c", "--subbuf-size=-4"], ["Error: Wrong value in --subbuf-size parameter: -4"], 1),
    (["-u", "c", "--subbuf-size=9223372036854775809"],
     ["Error: The subbuf size (9223372036854775809) is rounded and overflows!"], 1),
    (["-u", "c", "--num-subbuf=0"], ["Error: Wrong value in --num-subbuf parameter: 0"], 1),
    (["-u", "c", "--num-subbuf=abc"], ["Error: Wrong value in --num-subbuf parameter: abc"], 1),
    (["-u", "c", "--switch-timer=-1"], ["Error: Wrong value for --switch-timer parameter: -1"], 1),
    (["-u", "c", "--switch-timer=5000000000"],
     ["Error: 32-bit overflow in --switch-timer parameter: 5000000000"], 1),
    (["-u", "c", "--read-timer=1x"], ["Error: Wrong value for --read-timer parameter: 1x"], 1),
    (["-u", "c", "--monitor-timer=abc"], ["Error: Wrong value for --monitor-timer parameter: abc"], 1),
    (["-u", "c", "--blocking-timeout=abc"],
     ["Error: Wrong value for --blocking-timeout parameter: abc"], 1),
    (["-u", "c", "--blocking-timeout=5000000000000"],
     ["Error: 32-bit milliseconds overflow in --blocking-timeout parameter: 5000000000000"], 1),
    (["-u", "c", "--overwrite", "--blocking-timeout=10"],
     ["Error: You cannot specify --overwrite and --blocking-timeout=N, where N is different than 0"], 1),
    (["-u", "c", "--tracefile-count=3", "-s", "s"],
     ["Error: Missing option --tracefile-size. A file count without a size won't do anything."], 1),
    (["-u", "c", "--tracefile-count=abc"], ["Error: Wrong value in --tracefile-count parameter: abc"], 1),
    (["-u", "c", "--output=bogus", "-s", "s"],
     ["Error: Unknown output type bogus. Possible values are: mmap, splice", ""], 1),
    (["-u", "c", "--buffers-global", "-s", "s"], ["Error: Buffer type not supported for domain -u"], 1),
    (["-u", "c", "--subbuf-size=1024", "-s", "s"], ["Error: Channel c: Invalid parameter (session s)"], 1),
    (["-u", "c", "--subbuf-size=1000", "-s", "s"],
     ["Warning: The subbuf size (1000) is rounded to the next power of 2 (1024)",
      "Error: Channel c: Invalid parameter (session s)"], 1),
    (["-u", "c", "--output=splice", "-s", "s"],
     ["Error: Channel c: Operation not supported (session s)"], 1),
    (["-u", "a" * 256, "-s", "s"], ["Error: Channel name is too long (max. 255 characters)"], 1),
    (["-u", "c", "extra"], ["Error: Unknown argument: extra"], 1),
])
def test_enable_channel_validation(rt, args, lines, code):
    r = rt.run("enable-channel", *args, check=False)
    assert (r.returncode, err(r)) == (code, lines)


def test_enable_channel_rounding_warnings_then_daemon(rt):
    r = rt.run("enable-channel", "-u", "c", "-s", "s", "--num-subbuf=3",
               "--tracefile-size=4096", check=False)
    assert err(r) == [
        "Warning: The number of subbuffers (3) is rounded to the next power of 2 (4)",
        "Warning: Tracefile size rounded up from (4096) to subbuffer size (524288)",
        "Error: Channel c: No session daemon is available (session s)"]
    assert r.returncode == 1


def test_kernel_domain_is_not_supported(rt):
    for cmd in (["enable-channel", "-k", "c", "-s", "s"], ["enable-event", "-k", "e", "-s", "s"],
                ["disable-channel", "-k", "c", "-s", "s"]):
        r = rt.run(*cmd, check=False)
        assert r.returncode == 1
        assert err(r) == ["Error: Kernel tracer not available: ringtrace traces user space "
                          "applications only (use -u/--userspace)"]
    r = rt.run("list", "-k", check=False)
    assert (r.returncode, err(r)) == (
        1, ["Error: Unable to list kernel events: Kernel tracer not available"])


def test_disable_channel_validation(rt):
    r = rt.run("disable-channel", "c", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Please specify a domain (--kernel/--userspace)."])
    r = rt.run("disable-channel", "-u", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Missing channel name(s)."])


# ---------------------------------------------------------------- enable/disable-event: client-side checks


@pytest.mark.parametrize("args,lines,code", [
    ([], ["Error: Please specify a domain (--kernel/--userspace/--jul/--log4j/--python)."], 1),
    (["-u"], ["Error: Missing event name(s)."], 1),
    (["-u", "x", "--loglevel=BOGUS", "-s", "s"], ["Error: Unknown loglevel BOGUS"], 97),
    (["-u", "x", "--loglevel-only=15", "-s", "s"], ["Error: Unknown loglevel 15"], 97),
    # lttng 2.13 takes names only, and a debug level's short alias without TRACE_.
    (["-u", "x", "--loglevel=4", "-s", "s"], ["Error: Unknown loglevel 4"], 97),
    (["-u", "x", "--loglevel-only=0", "-s", "s"], ["Error: Unknown loglevel 0"], 97),
    (["-u", "x", "--loglevel=TRACE_LINE", "-s", "s"], ["Error: Unknown loglevel TRACE_LINE"], 97),
    (["-u", "g", "-x", "g1,g2", "-s", "s"],
     ["Error: Event g: Exclusions can only be used with a globbing pattern"], 1),
    (["-u", "z*", "-x", "*", "-s", "s"], ["Error: Event z*: * excludes all events from z*"], 1),
    (["-u", "z*", "-x", "z*", "-s", "s"], ["Error: Event z*: z* excludes all events from z*"], 1),
    (["-u", "--syscall", "foo", "-s", "s"], ["Error: Event type not available for user-space tracing"], 5),
    (["-u", "--probe=foo", "foo", "-s", "s"], ["Error: Event type not available for user-space tracing"], 5),
    (["-u", "--syscall", "--tracepoint", "foo"], ["Error: Multiple event type not supported."], 1),
    (["-j", "foo", "-s", "s"], ["Error: The JUL, log4j and Python agent domains are not supported: "
                                "ringtrace traces user space applications only (use -u/--userspace)"], 1),
])
def test_enable_event_validation(rt, args, lines, code):
    r = rt.run("enable-event", *args, check=False)
    assert (r.returncode, err(r)) == (code, lines)


def test_enable_event_exclusion_warning_then_daemon(rt):
    r = rt.run("enable-event", "-u", "z*", "-x", "y", "-s", "s", check=False)
    assert err(r) == ["Warning: Event z*: y does not exclude any events from z*",
                      'Error: Event z* excluding "y": No session daemon is available '
                      "(channel channel0, session s)"]
    assert r.returncode == 19


@pytest.mark.parametrize("level", ["TRACE_WARNING", "warning", "DEBUG_LINE", "line", "trace_debug_unit", "EMERG"])
def test_enable_event_loglevel_names_accepted(rt, level):
    r = rt.run("enable-event", "-u", "p:*", f"--loglevel={level}", "-s", "s", check=False)
    assert err(r) == ["Error: Event p:*: No session daemon is available (channel channel0, session s)"]


def test_disable_event_validation(rt):
    r = rt.run("disable-event", "-u", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Missing event name(s).\n\n")
    r = rt.run("disable-event", "-u", "--tracepoint", "foo", check=False)
    assert r.returncode == 1
    assert err(r)[0] == ("Error: Disabling userspace and agent (-j | -l | -p) event(s) based on "
                         "instrumentation type is not supported.")
    r = rt.run("disable-event", "foo", check=False)
    assert err(r) == ["Error: Please specify a domain (--kernel/--userspace/--jul/--log4j/--python)."]


# ---------------------------------------------------------------- other commands without daemon


def test_status_refuses_arguments(rt):
    r = rt.run("status", "extra", check=False)
    assert r.returncode == 2
    assert err(r) == ["Error: This command does not accept positional arguments.", "",
                      "Error: Unrecognized argument used with 'status' command"]


def test_list_syscall_needs_kernel(rt):
    r = rt.run("list", "--syscall", check=False)
    assert (r.returncode, err(r)) == (1, ["Warning: --syscall will only work with the Kernel domain (-k)"])


def test_view_trace_path_with_custom_viewer(rt, tmp_path):
    r = rt.run("view", "-t", str(tmp_path), "-e", "echo viewing")
    assert out(r) == [f"Trace directory: {tmp_path}", "", f"viewing {tmp_path}"]
    # a path (with a slash) as argument: sessions names cannot contain one
    r = rt.run("view", str(tmp_path), "-e", "echo")
    assert out(r)[-1] == str(tmp_path)


def test_view_missing_viewer(rt, tmp_path):
    r = rt.run("view", "-t", str(tmp_path), "-e", "/nonexistent/viewer", check=False)
    assert r.returncode == 1
    assert err(r) == ['Error: Failed to launch "/nonexistent/viewer" viewer: No such file or directory']


def test_view_unknown_session_without_daemon(rt):
    r = rt.run("view", "nosuch", check=False)
    assert r.returncode == 1
    assert err(r) == ["Error: Unable to list sessions. Session name nosuch not found."]
    assert out(r) == ["Is there a session daemon running?"]


def test_record_needs_a_command(rt):
    r = rt.run("record", check=False)
    assert r.returncode == 1
    assert err(r) == ["Error: Missing command to record: ringtrace record [OPTIONS] -- COMMAND [ARG...]"]


def test_record_without_daemon_and_no_spawn(rt):
    r = rt.run("-n", "record", "--", "true", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: No session daemon is available"])


def test_record_validates_channel_options_first(rt):
    r = rt.run("record", "--subbuf-size=abc", "--", "true", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Wrong value in --subbuf-size parameter: abc"])


# ---------------------------------------------------------------- with a session daemon


@needs_sessiond
def test_auto_spawn_and_session_lifecycle(rt, tmp_path):
    trace = tmp_path / "trace"
    r = rt.run("create", "s1", f"--output={trace}")
    assert out(r) == ["Spawning a session daemon", "Session s1 created.",
                      f"Traces will be output to {trace}"]
    assert (rt.home / ".ringtracerc").read_text() == "session=s1\n"
    assert rt.run("list").stdout == (
        "Available recording sessions:\n"
        "  1) s1 [inactive]\n"
        f"    Trace output: {trace}\n"
        "\n"
        "\n"
        "Use ringtrace list <session_name> for more details\n")

    r = rt.run("enable-channel", "-u", "ch", "--subbuf-size=8k", "--num-subbuf=8")
    assert out(r) == ["ust channel ch enabled for session s1"]
    r = rt.run("enable-channel", "-u", "ch", check=False)
    assert (r.returncode, err(r)) == (4, ["Warning: Channel ch: UST channel already exist (session s1)"])
    r = rt.run("enable-event", "-u", "rt_test:*,other", "-c", "ch")
    assert out(r) == ["ust event rt_test:* created in channel ch",
                      "ust event other created in channel ch"]
    r = rt.run("enable-event", "-u", "-a", "-c", "ch", "--loglevel=TRACE_INFO")
    assert out(r) == ["All ust events are enabled in channel ch for loglevel TRACE_INFO"]

    r = rt.run("start")
    assert out(r) == ["Tracing started for session s1"]
    r = rt.run("start", check=False)
    assert (r.returncode, err(r)) == (80, ["Warning: Tracing already started for session s1"])
    r = rt.run("list", "s1")
    assert out(r)[:2] == ["Recording session s1: [active]", f"    Trace output: {trace}"]

    r = rt.run("stop")
    assert re.fullmatch(r"Waiting for data availability\.*\nTracing stopped for session s1\n",
                        r.stdout), r.stdout
    r = rt.run("stop", check=False)
    assert (r.returncode, err(r)) == (81, ["Warning: Tracing already stopped for session s1"])

    r = rt.run("destroy")
    assert out(r)[-1] == "Session s1 destroyed"
    assert not (rt.home / ".ringtracerc").exists()
    assert out(rt.run("list")) == ["Currently no available recording session"]


@needs_sessiond
def test_create_auto_name_and_default_path(rt):
    rt.start_sessiond()
    r = rt.run("create")
    lines = out(r)
    m = re.fullmatch(r"Session (auto-\d{8}-\d{6}) created\.", lines[0])
    assert m, lines
    name = m.group(1)
    assert lines[1] == f"Traces will be output to {rt.home}/ringtrace-traces/{name}"
    assert (rt.home / ".ringtracerc").read_text() == f"session={name}\n"
    # a named session gets the date in its default directory, as lttng
    r = rt.run("create", "named")
    assert re.fullmatch(rf"Traces will be output to {re.escape(str(rt.home))}/ringtrace-traces/"
                        r"named-\d{8}-\d{6}", out(r)[1])
    assert (rt.home / ".ringtracerc").read_text() == "session=named\n"


@needs_sessiond
def test_create_auto_name_taken(rt):
    """As lttng: an automatic name already in use becomes auto1-..., auto2-..."""
    rt.start_sessiond()
    names = []
    for _ in range(3):
        m = re.fullmatch(r"Session (auto\d*-\d{8}-\d{6}) created\.", out(rt.run("create"))[0])
        assert m
        names.append(m.group(1))
    assert len(set(names)) == 3, names


@needs_sessiond
def test_create_relative_output_is_made_absolute(rt, tmp_path):
    rt.start_sessiond()
    r = rt.run("create", "rel", "-o", "sub/../trace", cwd=tmp_path)
    assert out(r)[1] == f"Traces will be output to {tmp_path}/trace"


@needs_sessiond
def test_create_existing_session(rt):
    rt.start_sessiond()
    rt.run("create", "s1")
    r = rt.run("create", "s1", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Session name already exists"])


@needs_sessiond
def test_unknown_session_errors(rt):
    rt.start_sessiond()
    r = rt.run("destroy", "nosuch", check=False)
    assert (r.returncode, err(r)) == (23, ["Error: Session name nosuch not found"])
    r = rt.run("start", "nosuch", check=False)
    assert (r.returncode, err(r)) == (23, ["Error: Session name not found"])
    r = rt.run("stop", "nosuch", check=False)
    assert (r.returncode, err(r)) == (23, ["Error: Session name not found"])
    r = rt.run("list", "nosuch", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Session 'nosuch' not found"])
    r = rt.run("enable-channel", "-u", "c", "-s", "nosuch", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Channel c: Session name not found (session nosuch)"])
    r = rt.run("enable-event", "-u", "e", "-s", "nosuch", check=False)
    assert r.returncode == 23
    assert err(r) == ["Error: Event e: Session name not found (channel channel0, session nosuch)"]
    r = rt.run("view", "nosuch", check=False)
    assert (r.returncode, out(r)) == (1, ["Session name nosuch not found"])


@needs_sessiond
def test_destroy_all_and_current_session(rt):
    rt.start_sessiond()
    r = rt.run("destroy", "--all")
    assert out(r) == ["No session found, nothing to do."]
    rt.run("create", "a")
    rt.run("create", "b")
    assert (rt.home / ".ringtracerc").read_text() == "session=b\n"
    r = rt.run("destroy", "a")
    assert out(r) == ["Session a destroyed"]
    # not the current one: the file stays
    assert (rt.home / ".ringtracerc").read_text() == "session=b\n"
    rt.run("create", "c")
    r = rt.run("destroy", "-a")
    assert sorted(out(r)) == ["Session b destroyed", "Session c destroyed"]
    assert not (rt.home / ".ringtracerc").exists()


@needs_sessiond
def test_channel_and_event_listing(rt):
    rt.start_sessiond()
    rt.run("create", "s1")
    rt.run("enable-channel", "-u", "ch", "--switch-timer=1s")
    rt.run("enable-event", "-u", "p:*", "-c", "ch", "--loglevel-only=INFO")
    rt.run("enable-event", "-u", "q", "-c", "ch")
    rt.run("disable-event", "-u", "q", "-c", "ch")
    r = rt.run("list", "s1", "-c", "ch")
    text = r.stdout
    assert "=== Domain: User space ===\n\nBuffering scheme: per-user\n\n" in text
    assert ("Tracked process attributes\n"
            "  Virtual process IDs:  all\n"
            "  Virtual user IDs:     all\n"
            "  Virtual group IDs:    all\n\n") in text
    assert "Channels:\n-------------\n- ch: [enabled]\n\n    Attributes:\n" in text
    assert "      Switch timer:     1000000 us\n" in text
    assert "      Read timer:       inactive\n" in text
    assert "      Blocking timeout: 0 us\n" in text
    assert "      Event-loss mode:  discard\n" in text
    assert "    Statistics:\n      Discarded events: 0\n" in text
    assert "      p:* (loglevel == TRACE_INFO (6)) (type: tracepoint) [enabled]\n" in text
    assert "      q (type: tracepoint) [disabled]\n" in text
    r = rt.run("list", "s1", "-c", "nochan", check=False)
    assert (r.returncode, err(r)) == (1, ["Error: Channel nochan not found"])
    r = rt.run("list", "s1", "-d")
    assert out(r)[-3:] == ["Domains:", "-------------", "  - UST global"]
    assert rt.run("status").stdout == rt.run("list", "s1").stdout


@needs_sessiond
def test_default_channel_messages(rt):
    rt.start_sessiond()
    rt.run("create", "s1")
    r = rt.run("enable-event", "-u", "-a")
    assert out(r) == ["All ust events are enabled in channel channel0"]
    r = rt.run("enable-event", "-u", "--tracepoint", "-a", "-c", "c2")
    assert out(r) == ["All ust tracepoints are enabled in channel c2"]
    r = rt.run("enable-event", "-u", "x", check=False)
    assert r.returncode != 0
    assert err(r) == ["Error: Event x: Non-default channel exists within session: channel name "
                      "needs to be specified with '-c name' (channel <default>, session s1)"]
    r = rt.run("disable-event", "-u", "-a", "-c", "c2")
    assert out(r) == ["All ust events of type any are disabled in channel c2"]
    r = rt.run("disable-channel", "-u", "c2,nochan", check=False)
    assert out(r) == ["ust channel c2 disabled for session s1"]
    assert err(r) == ["Error: Channel nochan: UST channel not found (session s1)"]
    assert r.returncode == 4


@needs_sessiond
def test_filter_is_sent_and_daemon_answer_printed(rt):
    rt.start_sessiond()
    rt.run("create", "s1")
    r = rt.run("enable-event", "-u", "f*", "--filter=x > 3")
    assert out(r) == ["Event f*: Filter 'x > 3' successfully set"]


@needs_sessiond
def test_invalid_filter_never_reaches_the_daemon(rt):
    rt.start_sessiond()
    rt.run("create", "s1")
    r = rt.run("enable-event", "-u", "f*", "--filter", 'name == "x\\n" && v > 3', check=False)
    assert r.returncode == 106  # LTTNG_ERR_FILTER_INVAL, as lttng
    assert err(r) == [
        "Error: Invalid filter expression, column 11: unsupported escape '\\n' in a string: "
        "expected \\* (a star) or \\\\ (a backslash), the only escapes",
        '    name == "x\\n" && v > 3',
        "              ^",
        "Error: Event f*: Invalid filter bytecode (channel channel0, session s1, "
        "filter 'name == \"x\\n\" && v > 3')"]
    assert "f*" not in rt.run("list", "s1").stdout


@needs_sessiond
def test_list_ust_tracepoints(rt):
    ticker = app_or_skip("ticker")
    rt.start_sessiond()
    r = rt.run("list", "-u")
    assert r.stdout == "UST events:\n-------------\nNone\n\n"
    app = rt.popen_app("ticker", -1, 50)
    try:
        assert app.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 10
        while True:
            r = rt.run("list", "-u")
            if f"PID: {app.pid} - Name: {ticker}" in r.stdout or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert f"\nPID: {app.pid} - Name: {ticker}\n" in r.stdout, r.stdout
        assert re.search(r"^      rt_test:tick \(loglevel: TRACE_\w+ \(\d+\)\) \(type: tracepoint\)$",
                         r.stdout, re.M), r.stdout
        r = rt.run("list", "-u", "-f")
        assert re.search(r"^        field: \w+ \(integer\)$", r.stdout, re.M), r.stdout
    finally:
        app.kill()
        app.wait()


@needs_sessiond
def test_view_session(rt, tmp_path):
    rt.start_sessiond()
    rt.run("create", "s1", f"--output={tmp_path}/t")
    r = rt.run("view", "-e", "echo")
    assert out(r) == [f"Trace directory: {tmp_path}/t", "", f"{tmp_path}/t"]
    rt.run("enable-event", "-u", "-a")
    rt.run("start")
    r = rt.run("view", "-e", "echo", check=False)
    assert (r.returncode, err(r)) == (1, ["Warning: Session s1 is running. Please stop it before reading it."])


@needs_sessiond
def test_record_instrumented_app(rt, tmp_path):
    app_or_skip("ticker")
    trace = tmp_path / "rec"
    r = rt.run("record", "-o", trace, "--", example("ticker"), 20, 1)
    assert r.stdout == "ready\n"  # only the command's output on stdout
    lines = err(r)
    assert lines[0] == "Spawning a session daemon"
    assert f"Trace written to {trace}" in lines
    assert f"View it with: ringtrace view {trace}" in lines
    assert not any("No event was recorded" in l for l in lines), lines
    from conftest import read_events
    events = read_events(trace)
    assert [f["n"] for n, f in events if n == "rt_test:tick"] == list(range(20))
    # the session was ephemeral, and the current session untouched
    assert out(rt.run("list")) == ["Currently no available recording session"]
    assert not (rt.home / ".ringtracerc").exists()


@needs_sessiond
def test_record_exit_status_and_uninstrumented_warning(rt, tmp_path):
    r = rt.run("record", "-o", tmp_path / "t", "--", "sh", "-c", "exit 7", check=False)
    assert r.returncode == 7
    assert any(l.startswith("Warning: No event was recorded: sh did not register") for l in err(r)), r.stderr
    r = rt.run("record", "--", "/nonexistent/cmd", check=False)
    assert r.returncode == 127
    assert "Error: Cannot execute /nonexistent/cmd: No such file or directory" in err(r)
    assert out(rt.run("list")) == ["Currently no available recording session"]


@needs_sessiond
def test_record_never_shares_a_directory(rt):
    """Two records within the same second get two trace directories."""
    paths = []
    for _ in range(2):
        r = rt.run("record", "--", "true")
        paths += re.findall(r"^Recording session \S+ started: traces will be output to (\S+)$",
                            r.stderr, re.M)
    assert len(paths) == 2 and paths[0] != paths[1], paths
    assert all(p.startswith(f"{rt.home}/ringtrace-traces/auto") for p in paths)


@needs_sessiond
def test_record_forwards_sigint(rt, tmp_path):
    app_or_skip("ticker")
    trace = tmp_path / "rec"
    p = subprocess.Popen([str(BIN["ringtrace"]), "record", "-o", str(trace), "--",
                          str(example("ticker")), "-1", "5"], env=rt.env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=60)
    assert p.returncode == 128 + signal.SIGINT, stderr
    assert f"Trace written to {trace}" in stderr
    from conftest import read_events
    assert any(n == "rt_test:tick" for n, _ in read_events(trace))
