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
import collections
import os
import socket
import struct
import subprocess

import pytest

import rtproto as rp
from conftest import BUILD

ALL = [-1, 0, 1, 2, 3, 4, 2147483647]

# (filter, recorded i32 values)
TABLE = [
    # signed and unsigned integers of every size, hex, network order, enum, nowrite
    ("i32 == 1", [1]),
    ("i32 > 0 && i32 < 4", [1, 2, 3]),
    ("i32 < 0 || i32 >= 2147483647", [-1, 2147483647]),
    ("i16 == -32768 && u16 == 65535 && i8 == -128", ALL),
    ("u8 == 255", ALL),
    ("u32 == 4294967295", ALL),
    ("u64 == -1", ALL),          # 64-bit unsigned values compare as signed
    ("u64 > 0", []),
    ("i64 < 0", ALL),
    ("hex == 0x1234abcd", ALL),
    ("net == 0x01020304", []),   # a network-order field is seen byte-swapped
    ("net == 0x04030201", ALL),
    ("nethex == 0x0b0a", ALL),
    ("e == 1", [1]),
    ("hidden == 42", ALL),
    ("!(i32 > 0)", [-1, 0]),
    ("~i32 == -2", [1]),
    ("i32 & 1", [-1, 1, 3, 2147483647]),
    ("(i32 >> 1) == 1", [2, 3]),
    # floating point
    ("d > 1", [1, 2, 3, 4]),
    ("d == -0.5", [-1]),
    ("f == 1.25", ALL),
    ("d && 1", [1, 2, 3, 4, 2147483647]),
    # strings, globs, escapes
    ('s == "hello"', [-1]),
    ('s == "hel*"', [-1, 1, 4]),
    ('s == "*o*"', [-1, 0, 3, 4]),
    ('s == "h\\*llo"', [3]),
    ('s != "*world"', [-1, 1, 2, 3, 2147483647]),
    ('s > "hello"', [0, 1, 4, 2147483647]),
    ('s <= "help"', [-1, 2, 3, 4]),
    ("s", []),                   # a string as the verdict is an error
    # text arrays and sequences
    ('seqtext == "he"', [1]),
    ('seqtext == "h*"', [-1, 1, 3, 4]),
    ('seqtext == "*y"', [2147483647]),
    ('arrtext == "hell"', ALL),
    ('arrtext == "hello"', []),
    # elements of integer arrays and sequences
    ("arr[1] == -2", ALL),
    ("arr[2] == 2147483647", ALL),
    ("arr[3] == 1", []),         # past the end of the array
    ("arrtext[0] == 104", []),   # text is not indexable
    ("seq[0] == 1", [-1, 1, 2, 3, 4, 2147483647]),
    # Past the end of a sequence is an error. lttng-ust 2.13 checks the
    # index against 8 times the length (bits for bytes) and reads past the
    # end of shorter sequences; ringtrace never reads outside the sequence.
    ("seq[2] == 2147483647", [-1, 3]),
    ("i32 == 0 || seq[2] == 2147483647", [-1, 0, 3]),
    ("seq[1] && 1", [-1, 1, 3, 2147483647]),
    # unknown names, application contexts, lttng-ust's link-time refusals
    ("nosuch == 1", []),
    ("i32 == 1 || $app.p:c == 1", [1]),
    ("i32 == 1 || 1 && (i32 & 1)", []),
]


def trace_table(rt, out, table):
    """One channel per filter; returns {filter: sorted recorded i32 values}."""
    import bt2

    rt.run("create", "s1", f"--output={out}")
    for k, (flt, _) in enumerate(table):
        rt.run("enable-channel", "-u", f"ch{k}", "--subbuf-size=4096", "--num-subbuf=2")
        rt.run("enable-event", "-u", "rt_test:allfields", "-c", f"ch{k}", "--filter", flt)
    rt.run("start")
    r = rt.app("filterfields")
    assert r.returncode == 0, r.stderr
    rt.run("stop")
    rt.run("destroy")
    got = collections.defaultdict(list)
    for msg in bt2.TraceCollectionMessageIterator(str(out)):
        if type(msg) is bt2._EventMessageConst:
            chan = os.path.basename(msg.event.stream.name).rsplit("_", 1)[0]
            got[chan].append(int(msg.event.payload_field["i32"]))
    return {flt: sorted(got.get(f"ch{k}", [])) for k, (flt, _) in enumerate(table)}


def test_filter_table(rt, tmp_path):
    got = trace_table(rt, tmp_path / "t", TABLE)
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
