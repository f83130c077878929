# SPDX-License-Identifier: MIT
"""Filters (`enable-event --filter`), end to end: the exact events recorded
for a table of filters on every field type, several rules on one event,
rule identity, and hostile bytecode sent straight to an app.

The app filterfields emits rt_test:allfields once per row (i32 = -1, 0, 1,
2, 3, 4, 2147483647, see tests/e2e/apps/filterfields.c); an event is known
by its i32. Every filter of the table gets a channel of its own in one
session, so one run of the app answers the whole table. The expected sets
are what the real lttng 2.13 records for the same program (checked by
tests/interop/test_filters_as_lttng.py), except where noted."""
import pytest

from filter_table import ALL, TABLE, trace_table_rt


def test_filter_table(rt, tmp_path):
    got = trace_table_rt(rt, tmp_path / "t", TABLE)
    wrong = {flt: (got[flt], want) for flt, want in TABLE if got[flt] != sorted(want)}
    assert not wrong, "filter: (recorded, expected)\n" + "\n".join(
        f"{k}: {v}" for k, v in wrong.items())


def record(rt, out, *rules):
    rt.run("create", "s1", f"--output={out}")
    for args in rules:
        rt.run("enable-event", "-u", "rt_test:allfields", *args)
    rt.run("start")
    assert rt.app("filterfields").returncode == 0
    rt.run("stop")
    rt.run("destroy")
    from conftest import read_events
    return sorted(f["i32"] for _, f in read_events(out))


def test_filters_of_several_rules_combine_as_or(rt, tmp_path):
    assert record(rt, tmp_path / "t", ["--filter", "i32 == 1"], ["--filter", "i32 == 3"],
                  ["--filter", "i32 == 1 || i32 == 4"]) == [1, 3, 4]


def test_rule_without_filter_records_everything(rt, tmp_path):
    assert record(rt, tmp_path / "t", ["--filter", "i32 == 1"], []) == sorted(ALL)


def test_disabled_filtered_rule_no_longer_counts(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:allfields", "--filter", "i32 == 1")
    rt.run("enable-event", "-u", "rt_test:*", "--filter", "i32 == 2")
    rt.run("disable-event", "-u", "rt_test:allfields")
    rt.run("start")
    assert rt.app("filterfields").returncode == 0
    rt.run("stop")
    rt.run("destroy")
    from conftest import read_events
    assert sorted(f["i32"] for _, f in read_events(out)) == [2]


def test_rule_identity(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    r = rt.run("enable-event", "-u", "rt_test:allfields", "--filter", "i32 == 1")
    assert r.stdout == "Event rt_test:allfields: Filter 'i32 == 1' successfully set\n"
    # Another filter: another rule.
    rt.run("enable-event", "-u", "rt_test:allfields", "--filter", "i32 == 2")
    # No filter: another rule.
    rt.run("enable-event", "-u", "rt_test:allfields")
    # The same filter again: already enabled.
    r = rt.run("enable-event", "-u", "rt_test:allfields", "--filter", "i32 == 1", check=False)
    assert (r.returncode, r.stderr) == (
        55, "Error: Event rt_test:allfields: UST event already enabled "
        "(channel channel0, session s1, filter 'i32 == 1')\n")


def test_listing_shows_filters(rt, tmp_path):
    """`list SESSION` shows each rule's filter as lttng 2.13 does."""
    rt.run("create", "s1", f"--output={tmp_path / 't'}")
    rt.run("enable-event", "-u", "rt_test:allfields", "--filter", "i32 == 1")
    rt.run("enable-event", "-u", "rt_test:*", "-x", "rt_test:tick", "--filter", 's == "a*"')
    rt.run("enable-event", "-u", "rt_test:allfields")
    out = rt.run("list", "s1").stdout
    rules = out[out.index("Recording event rules:"):].splitlines()[1:4]
    assert rules == [
        "      rt_test:allfields (type: tracepoint) [enabled] [filter: 'i32 == 1']",
        "      rt_test:* (type: tracepoint) [enabled] [exclusions: rt_test:tick] "
        "[filter: 's == \"a*\"']",
        "      rt_test:allfields (type: tracepoint) [enabled]",
    ]


def test_daemon_refuses_bad_bytecode(rt):
    """Bytecode the CLI would never send, straight to the session daemon:
    refused with "Invalid filter bytecode", no rule added, daemon alive."""
    import struct
    import time

    import rtproto as rp

    rt.start_sessiond()
    deadline = time.monotonic() + 5
    while True:
        try:
            c = rp.Client(rt.home / ".ringtrace" / "client-ringtrace-sock", timeout=30)
            break
        except (ConnectionRefusedError, FileNotFoundError):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    with c:
        c.create_session("s")
        code = bytes([0x41]) + struct.pack("<q", 1)  # LOAD_S64 1, no RETURN
        header = struct.pack("<IIQ", len(code), len(code), 0) + b"\0" * 32
        for bad in (header + code, header + code + b"\x01\x01", header[:40]):
            with pytest.raises(rp.ProtocolError) as e:
                c.enable_event("s", "p:*", expression="1", bytecode=bad)
            assert e.value.name == "FILTER_INVAL"
        assert c.list_events("s") == []
    assert rt.sessiond.poll() is None


def test_running_app_gets_filter(rt, tmp_path):
    """A filtered rule created while the app runs reaches it (CREATE_ENABLER,
    SET_FILTER, ENABLE): only what the filter accepts is recorded."""
    import time

    from conftest import read_events

    out = tmp_path / "t"
    rt.start_sessiond()
    app = rt.popen_app("ticker", -1, 2)
    try:
        assert app.stdout.readline().strip() == "ready"  # registered by now
        rt.run("create", "s1", f"--output={out}")
        rt.run("enable-event", "-u", "rt_test:tick", "--filter", "(n & 1) == 0")
        rt.run("start")
        time.sleep(0.3)
        rt.run("stop")
        rt.run("destroy")
    finally:
        app.kill()
        app.wait()
    ns = [f["n"] for _, f in read_events(out)]
    assert ns, "nothing recorded"
    assert all(n % 2 == 0 for n in ns), ns
