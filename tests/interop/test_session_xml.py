# SPDX-License-Identifier: MIT
"""Session files between the real LTTng 2.13 and ringtrace, both ways:
sessions made and saved by lttng load into ringtrace with the same
settings; a session saved by ringtrace validates against lttng's installed
schema, loads into lttng, and lttng saves it back unchanged."""
import os
import pathlib
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from lttng_run import lttng_available, run_in_lttng_namespace

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

LTTNG_XSD = pathlib.Path("/usr/share/xml/lttng/session.xsd")

MAKE_SESSIONS = r"""
lttng create per_uid --output="$WORK/t1" >/dev/null
lttng enable-channel -u --subbuf-size=16k --num-subbuf=8 --switch-timer=100000 \
    --read-timer=300000 --monitor-timer=500000 chu >/dev/null
lttng enable-event -u -c chu 'rt_test:*' -x 'rt_test:seq,rt_test:n*' >/dev/null
lttng enable-event -u -c chu rt_test:tick --loglevel=TRACE_INFO >/dev/null
lttng enable-event -u -c chu rt_test:seq --loglevel-only=TRACE_WARNING >/dev/null
lttng disable-event -u -c chu rt_test:seq >/dev/null
lttng track -u --vuid=0 >/dev/null
lttng track -u --vgid=root >/dev/null
lttng create per_pid --output="$WORK/t2" >/dev/null
lttng enable-channel -u --buffers-pid --subbuf-size=8k --num-subbuf=4 chp >/dev/null
lttng enable-event -u -c chp rt_test:allfields >/dev/null
lttng disable-channel -u chp >/dev/null
lttng track -u --vpid=1234 >/dev/null
lttng create filtered --output="$WORK/t3" >/dev/null
lttng enable-event -u rt_test:tick --filter 'n > 1' >/dev/null
lttng enable-channel -u --subbuf-size=8k ctx >/dev/null
lttng add-context -u -c ctx -t vpid -t procname -t pthread_id -t perf:thread:page-fault \
    -t user_ns -t vsgid >/dev/null
lttng enable-event -u -c ctx 'rt_test:*' --filter 'seq < 3 && thread == 1' >/dev/null
lttng create snap --snapshot --output="$WORK/snapout" >/dev/null
lttng enable-event -u rt_test:tick >/dev/null
lttng create snap2 --snapshot --output="$WORK/unused" >/dev/null
lttng snapshot del-output 1 >/dev/null
lttng snapshot add-output -n mine -m 1M "$WORK/o2" >/dev/null
lttng create netw --set-url=net://127.0.0.1:6000:6001/some/dir >/dev/null
lttng create livew --live=2000000 --set-url=net://127.0.0.1 >/dev/null
lttng save -o "$WORK/cfg" >/dev/null
"""


@pytest.fixture(scope="module")
def lttng_saved(tmp_path_factory):
    work = tmp_path_factory.mktemp("lttng")
    r = run_in_lttng_namespace(work, MAKE_SESSIONS)
    assert r.returncode == 0, r.stdout + r.stderr
    return work


def section(listing, start):
    lines = listing.splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip().startswith(start))
    return [line.strip() for line in lines[i:] if line.strip()]


def test_per_uid_session_from_lttng(rt, lttng_saved, tmp_path):
    rt.start_sessiond()
    r = rt.run("load", "-i", lttng_saved / "cfg", "per_uid")
    assert r.stdout == "Session per_uid has been loaded successfully\n"
    listing = rt.run("list", "per_uid").stdout
    assert listing.startswith("Recording session per_uid: [inactive]\n"
                              f"    Trace output: {lttng_saved / 't1'}\n")
    assert "Buffering scheme: per-user" in listing
    assert section(listing, "Virtual process IDs")[:3] == [
        "Virtual process IDs:  all", "Virtual user IDs:     0", "Virtual group IDs:    `root`"]
    # The group tracked by name is saved back by name, as lttng saved it.
    rt.run("save", "-o", tmp_path / "back", "per_uid")
    files = (tmp_path / "back" / "per_uid.lttng", lttng_saved / "cfg" / "per_uid.lttng")
    trackers = [ET.tostring(next(ET.parse(f).getroot().iter("process_attr_trackers")))
                for f in files]
    assert b"<name>root</name>" in trackers[1]
    assert normalized_element(trackers[0]) == normalized_element(trackers[1])
    assert section(listing, "- chu")[:11] == [
        "- chu: [enabled]", "Attributes:", "Event-loss mode:  discard",
        "Sub-buffer size:  16384 bytes", "Sub-buffer count: 8", "Switch timer:     100000 us",
        "Read timer:       300000 us", "Monitor timer:    500000 us", "Blocking timeout: 0 us",
        "Trace file count: 1 per stream", "Trace file size:  unlimited"]
    assert sorted(section(listing, "Recording event rules:")[1:]) == sorted([
        "rt_test:* (type: tracepoint) [enabled] [exclusions: rt_test:seq,rt_test:n*]",
        "rt_test:tick (loglevel <= TRACE_INFO (6)) (type: tracepoint) [enabled]",
        "rt_test:seq (loglevel == TRACE_WARNING (4)) (type: tracepoint) [disabled]"])


def test_per_pid_session_from_lttng(rt, lttng_saved):
    rt.start_sessiond()
    rt.run("load", "-i", lttng_saved / "cfg" / "per_pid.lttng")
    listing = rt.run("list", "per_pid").stdout
    assert "Buffering scheme: per-process" in listing
    assert section(listing, "Virtual process IDs")[:3] == [
        "Virtual process IDs:  1234", "Virtual user IDs:     all", "Virtual group IDs:    all"]
    assert section(listing, "- chp")[:5] == [
        "- chp: [disabled]", "Attributes:", "Event-loss mode:  discard",
        "Sub-buffer size:  8192 bytes", "Sub-buffer count: 4"]
    assert section(listing, "Recording event rules:")[1:] == [
        "rt_test:allfields (type: tracepoint) [enabled]"]


def test_filters_and_contexts_from_lttng(rt, lttng_saved, tmp_path):
    rt.start_sessiond()
    f = lttng_saved / "cfg" / "filtered.lttng"
    r = rt.run("load", "-i", f)
    assert r.stdout == "All sessions have been loaded successfully\n"
    listing = rt.run("list", "filtered").stdout
    assert "rt_test:tick (type: tracepoint) [enabled] [filter: 'n > 1']" in listing
    assert "rt_test:* (type: tracepoint) [enabled] [filter: 'seq < 3 && thread == 1']" in listing
    # Saved back by ringtrace: the same document, contexts in the same order.
    rt.run("save", "-o", tmp_path / "back", "filtered")
    assert normalized(tmp_path / "back" / "filtered.lttng") == normalized(f)


def normalized(path):
    """The <session> tree with the order of unordered lists made canonical."""
    return normalized_tree(ET.parse(path).getroot())


def normalized_element(text):
    return normalized_tree(ET.fromstring(text))


def normalized_tree(root):
    for e in root.iter():
        e.tail = None
        if e.text is not None and not e.text.strip():
            e.text = None
    for parent in root.iter():
        if parent.tag in ("events", "process_attr_values", "process_attr_trackers",
                          "exclusions", "domains"):
            parent[:] = sorted(parent, key=ET.tostring)
    return ET.tostring(root)


def test_ringtrace_file_loads_in_lttng(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 'trace'}")
    rt.run("enable-channel", "-u", "--buffers-pid", "--subbuf-size=8k", "--num-subbuf=8",
           "--switch-timer=200000", "ch1")
    rt.run("enable-event", "-u", "-c", "ch1", "rt_test:*", "-x", "rt_test:seq")
    rt.run("enable-event", "-u", "-c", "ch1", "rt_test:tick", "--loglevel=TRACE_INFO")
    rt.run("disable-event", "-u", "-c", "ch1", "rt_test:tick")
    rt.run("enable-event", "-u", "-c", "ch1", "rt_test:seq", "--filter",
           'seq > 2 && thread != 1 || n == "a<b"')
    rt.run("add-context", "-u", "-c", "ch1", "-t", "vtid", "-t", "perf:thread:task-clock",
           "-t", "procname", "-t", "ip")
    rt.run("track", "-u", "--vpid=4321")
    rt.run("track", "-u", "--vuid=root,7")
    rt.run("untrack", "-u", "--vgid", "--all")
    rt.run("save", "-o", tmp_path / "ours")
    ours = tmp_path / "ours" / "s1.lttng"
    if shutil.which("xmllint") and LTTNG_XSD.exists():
        r = subprocess.run(["xmllint", "--noout", "--schema", str(LTTNG_XSD), str(ours)],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr

    work = tmp_path / "lttng"
    r = run_in_lttng_namespace(work, 'lttng load -i "$FILE"\nlttng save -o "$WORK/back" s1 >/dev/null\n',
                               env={"FILE": ours})
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == "All sessions have been loaded successfully\n"
    assert normalized(work / "back" / "s1.lttng") == normalized(ours)


@pytest.mark.parametrize("name, output", [("snap", "[1] snapshot-1: {w}/snapout"),
                                          ("snap2", "[2] mine: {w}/o2 (max size: 1048576 bytes)")])
def test_snapshot_session_from_lttng(rt, lttng_saved, tmp_path, name, output):
    rt.start_sessiond()
    f = lttng_saved / "cfg" / f"{name}.lttng"
    rt.run("load", "-i", f)
    assert rt.run("list", name).stdout.startswith(f"Recording session {name}: [inactive snapshot]\n")
    r = rt.run("snapshot", "list-output", "-s", name)
    assert r.stdout == (f"Snapshot output list for session {name}\n"
                        f"    {output.format(w=lttng_saved)}\n")
    rt.run("save", "-o", tmp_path / "back", name)
    assert normalized(tmp_path / "back" / f"{name}.lttng") == normalized(f)


def test_ringtrace_snapshot_session_loads_in_lttng(rt, tmp_path):
    rt.run("create", "s1", "--snapshot", f"--output={tmp_path / 'snap'}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("create", "s2", "--snapshot", f"--output={tmp_path / 'snap'}")
    rt.run("snapshot", "del-output", "-s", "s2", "1")
    rt.run("snapshot", "add-output", "-s", "s2", "-n", "mine", "-m", "2M", str(tmp_path / "o"))
    rt.run("save", "-o", tmp_path / "ours")
    if shutil.which("xmllint") and LTTNG_XSD.exists():
        for f in ("s1", "s2"):
            r = subprocess.run(["xmllint", "--noout", "--schema", str(LTTNG_XSD),
                                str(tmp_path / "ours" / f"{f}.lttng")],
                               capture_output=True, text=True)
            assert r.returncode == 0, r.stderr

    work = tmp_path / "lttng"
    r = run_in_lttng_namespace(work, 'lttng load -i "$DIR" >/dev/null\n'
                               'lttng snapshot list-output -s s2\n'
                               'lttng save -o "$WORK/back" >/dev/null\n',
                               env={"DIR": tmp_path / "ours"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"[1] mine: {tmp_path / 'o'}" in r.stdout, r.stdout
    for f in ("s1", "s2"):
        assert normalized(work / "back" / f"{f}.lttng") == normalized(tmp_path / "ours" /
                                                                      f"{f}.lttng")


@pytest.mark.parametrize("name, output, live", [
    ("netw", "tcp4://127.0.0.1:6000/some/dir [data: 6001]", None),
    ("livew", "tcp4://127.0.0.1:5342/ [data: 5343]", "2000000")])
def test_network_session_from_lttng(rt, lttng_saved, tmp_path, name, output, live):
    """lttng's <net_output> (and live timer) load; ringtrace saves the very same file."""
    rt.start_sessiond()
    f = lttng_saved / "cfg" / f"{name}.lttng"
    rt.run("load", "-i", f)
    listing = rt.run("list", name).stdout.splitlines()
    assert listing[:2] == [f"Recording session {name}: [inactive]", f"    Trace output: {output}"]
    if live:  # shown in the list of sessions, as lttng does
        assert f"    Live timer interval: {live} us" in rt.run("list").stdout.splitlines()
    rt.run("save", "-o", tmp_path / "back", name)
    assert (tmp_path / "back" / f"{name}.lttng").read_text() == f.read_text()
