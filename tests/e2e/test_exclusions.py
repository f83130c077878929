# SPDX-License-Identifier: MIT
"""Event exclusions (`enable-event -u 'p:*' -x 'p:a,p:b'`), as lttng 2.13:
exact recorded events, union of several rules, CLI checks and messages,
listings, and malformed exclusion payloads sent to the session daemon."""
import time

import pytest

import rtproto as rp
from conftest import read_events

TICKS = 3


def connect(rt):
    deadline = time.monotonic() + 5
    while True:
        try:
            return rp.Client(rt.home / ".ringtrace" / "client-ringtrace-sock", timeout=30)
        except (ConnectionRefusedError, FileNotFoundError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def trace_with_rules(rt, out, *rules):
    """Traces ticker (TICKS rt_test:tick) then allfields (2 rt_test:allfields)
    with the given enable-event argument lists; returns the recorded names."""
    rt.run("create", "s1", f"--output={out}")
    for args in rules:
        rt.run("enable-event", "-u", *args)
    rt.run("start")
    for app, args in (("ticker", (TICKS, 1)), ("allfields", ())):
        r = rt.app(app, *args)
        assert r.returncode == 0, r.stderr
    rt.run("stop")
    rt.run("destroy")
    return sorted(name for name, _ in read_events(out))


ALL = ["rt_test:allfields"] * 2 + ["rt_test:tick"] * TICKS


@pytest.mark.parametrize("exclude", ["rt_test:tick", "rt_test:t*", "rt_test:seq,rt_test:tick",
                                     "rt_test:nothere,rt_test:tick"])
def test_excluded_events_not_recorded(rt, tmp_path, exclude):
    assert trace_with_rules(rt, tmp_path / "t", ["rt_test:*", "-x", exclude]) == \
        ["rt_test:allfields"] * 2


def test_exclusion_with_all_option(rt, tmp_path):
    names = trace_with_rules(rt, tmp_path / "t", ["-a", "-x", "rt_test:allfields"])
    # -a takes the library's own events too: each app's state dump, as with lttng.
    assert names.count("lttng_ust_statedump:start") == 2
    assert [n for n in names if not n.startswith("lttng_ust_statedump:")] == \
        ["rt_test:tick"] * TICKS


def test_exclusion_matching_nothing_records_everything(rt, tmp_path):
    assert trace_with_rules(rt, tmp_path / "t", ["rt_test:*", "-x", "rt_test:nothere"]) == ALL


@pytest.mark.parametrize("other", [["rt_test:*"], ["rt_test:tick"], ["rt_test:*", "-x", "rt_test:allfields"]])
def test_union_of_rules(rt, tmp_path, other):
    """An event one rule excludes is still recorded when another rule covers it."""
    assert trace_with_rules(rt, tmp_path / "t", ["rt_test:*", "-x", "rt_test:tick"], other) == ALL


def test_exclusion_without_wildcard_refused(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("enable-event", "-u", "rt_test:tick", "-x", "rt_test:tick", check=False)
    assert (r.returncode, r.stdout, r.stderr) == \
        (1, "", "Error: Event rt_test:tick: Exclusions can only be used with a globbing "
                "pattern\n")
    # Nothing reached the daemon: no channel was created.
    r = rt.run("list", "s1")
    assert "channel0" not in r.stdout


def test_enable_messages_and_listing(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("enable-event", "-u", "rt_test:*", "-x", "rt_test:noisy,rt_test:tick")
    assert r.stdout == ('ust event rt_test:* excluding "rt_test:noisy", "rt_test:tick" '
                        "created in channel channel0\n")
    # The same pattern without exclusions, or with others, is another rule.
    rt.run("enable-event", "-u", "rt_test:*")
    rt.run("enable-event", "-u", "rt_test:*", "-x", "rt_test:zz", "--loglevel=TRACE_INFO")
    r = rt.run("enable-event", "-u", "-a", "-x", "a\\,b")
    assert r.stdout == 'All ust events excluding "a,b" are enabled in channel channel0\n'
    # The same set of exclusions in another order is the same rule.
    r = rt.run("enable-event", "-u", "rt_test:*", "-x", "rt_test:tick,rt_test:noisy",
               check=False)
    assert r.returncode == 55
    assert r.stderr == ('Error: Event rt_test:* excluding "rt_test:tick", "rt_test:noisy": '
                        "UST event already enabled (channel channel0, session s1)\n")
    r = rt.run("list", "s1")
    rules = r.stdout.split("Recording event rules:\n")[1].split("\n\n")[0].splitlines()
    assert rules == [
        "      rt_test:* (type: tracepoint) [enabled] [exclusions: rt_test:noisy,rt_test:tick]",
        "      rt_test:* (type: tracepoint) [enabled]",
        "      rt_test:* (loglevel <= TRACE_INFO (6)) (type: tracepoint) [enabled]"
        " [exclusions: rt_test:zz]",
        "      * (type: tracepoint) [enabled] [exclusions: a,b]",
    ]
    # Disabling by name disables every rule of that pattern.
    rt.run("disable-event", "-u", "rt_test:*")
    r = rt.run("list", "s1", "-c", "channel0")
    assert "      rt_test:* (type: tracepoint) [disabled] [exclusions: rt_test:noisy,rt_test:tick]" \
        in r.stdout.splitlines()
    # Enabling it again re-enables that rule only.
    rt.run("enable-event", "-u", "rt_test:*", "-x", "rt_test:noisy,rt_test:tick")
    r = rt.run("list", "s1")
    assert "      rt_test:* (type: tracepoint) [enabled] [exclusions: rt_test:noisy,rt_test:tick]" \
        in r.stdout.splitlines()
    assert "      rt_test:* (type: tracepoint) [disabled]" in r.stdout.splitlines()


def test_cli_exclusion_checks(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("enable-event", "-u", "rt_test:*", "-x", "rt_test:*", check=False)
    assert (r.returncode, r.stderr) == \
        (1, "Error: Event rt_test:*: rt_test:* excludes all events from rt_test:*\n")
    r = rt.run("enable-event", "-u", "rt_test:*", "-x", "foo:bar")
    assert r.stderr == "Warning: Event rt_test:*: foo:bar does not exclude any events from rt_test:*\n"
    # Empty names are kept, as lttng keeps them.
    r = rt.run("enable-event", "-u", "rt_test:*", "-x", ",")
    assert r.stderr == "Warning: Event rt_test:*:  does not exclude any events from rt_test:*\n" * 2
    assert r.stdout == 'ust event rt_test:* excluding "", "" created in channel channel0\n'
    # A name too long: lttng warns, then its control library refuses it.
    long = "rt_test:" + "a" * 260
    r = rt.run("enable-event", "-u", "rt_test:*", "-x", long, check=False)
    assert r.returncode == 97
    assert r.stderr == (f'Warning: Event exclusion "{long}" will be truncated\n'
                        f'Error: Event rt_test:* excluding "{long}": Invalid parameter '
                        "(channel channel0, session s1)\n")
    # Globs in the middle are not checked by the CLI.
    r = rt.run("enable-event", "-u", "rt_*:tick", "-x", "rt_test:tick")
    assert r.stderr == ""


def raw_enable(c, name, count, var):
    fixed = rp.ENABLE_EVENT_FIXED.pack(b"", *rp.EVENT.unpack(rp.event(name)), 0, 0, count)
    st, _ = c.call(rp.ENABLE_EVENT, rp.msg("s", union=fixed) + var, check=False)
    return st


def test_malformed_exclusion_payloads(rt):
    rt.start_sessiond()
    with connect(rt) as c:
        c.create_session("s")
        proto, inval = -rp.ERR["PROTOCOL"], -rp.ERR["INVALID"]
        name = b"ex\0".ljust(rp.SYMBOL_LEN, b"\0")
        assert raw_enable(c, "p:*", 1, b"x" * rp.SYMBOL_LEN) == proto     # no NUL
        assert raw_enable(c, "p:*", 2, name) == proto                     # one name short
        assert raw_enable(c, "p:*", 1, name + b"\0") == proto             # trailing byte
        assert raw_enable(c, "p:*", 0xFFFFFFFF, name) == proto            # count out of bound
        assert raw_enable(c, "p:*", 257, name * 257) == proto             # above the bound
        assert raw_enable(c, "p:ev", 1, name) == inval                    # no wildcard
        assert c.list_channels("s") == []
        # The bound itself is accepted; the daemon keeps serving.
        assert raw_enable(c, "p:*", 256, name * 256) == 0
        assert raw_enable(c, "p:*", 2, b"a\0".ljust(rp.SYMBOL_LEN, b"\0") + name) == 0
        events = c.list_events_with_exclusions("s")
        assert [(e["name"], e["exclusion"], len(e["exclusions"])) for e in events] == \
            [("p:*", 1, 256), ("p:*", 1, 2)]
        assert events[1]["exclusions"] == ["a", "ex"]
        # Old clients get the plain array, with the exclusion flag.
        assert [e["exclusion"] for e in c.list_events("s")] == [1, 1]
        union = b"\0" * rp.SYMBOL_LEN + b"\x03"  # 2 adds the filters
        st, _ = c.call(rp.LIST_EVENTS, rp.msg("s", union=union), check=False)
        assert st == proto
        assert [s["name"] for s in c.list_sessions()] == ["s"]
    assert rt.sessiond.poll() is None, "the session daemon died"
