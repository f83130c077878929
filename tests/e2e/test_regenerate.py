# SPDX-License-Identifier: MIT
"""`ringtrace regenerate metadata|statedump`, as lttng 2.13: a started
per-user session gets its metadata written again from its start (a reader
that lost the file gets it back, the clock offset sampled again, the rest of
the text unchanged), later events still described; the refusals (not
started, per-PID buffers, no such session, no or unknown object) with
lttng's messages and exit codes; `regenerate statedump` accepted on started
sessions (what the apps then record: test_statedump.py)."""
import os
import re

from conftest import read_events
from fakeapp import read_metadata_text


def metadata_file(out):
    return out / "ust" / "uid" / str(os.getuid()) / "64-bit" / "metadata"


def without_clock_offset(text):
    return re.sub(r"\toffset = \d+;", "", text)


def test_metadata_regenerated_from_start(rt, tmp_path):
    out = tmp_path / "t"
    rt.run("create", "s1", f"--output={out}")
    rt.run("enable-event", "-u", "rt_test:tick")
    rt.run("start")
    assert rt.app("ticker", 2, 1).returncode == 0
    before = read_metadata_text(metadata_file(out))
    assert "rt_test:tick" in before
    metadata_file(out).write_bytes(b"")  # the reader lost it

    r = rt.run("regenerate", "metadata")
    assert r.stdout == "Metadata successfully regenerated for session s1\n"
    after = read_metadata_text(metadata_file(out))
    assert without_clock_offset(after) == without_clock_offset(before)
    assert re.search(r"\toffset = \d+;", after)
    assert rt.app("ticker", 2, 1).returncode == 0
    r = rt.run("regenerate", "metadata", "-s", "s1")
    assert r.stdout == "Metadata successfully regenerated for session s1\n"
    rt.run("stop")
    assert read_metadata_text(metadata_file(out)).count("rt_test:tick") == 1
    assert [name for name, _ in read_events(out)] == ["rt_test:tick"] * 4


def test_refusals(rt, tmp_path):
    rt.run("create", "s1", f"--output={tmp_path / 't1'}")
    rt.run("enable-event", "-u", "rt_test:tick")
    for obj in ("metadata", "statedump"):
        r = rt.run("regenerate", obj, check=False)
        assert (r.returncode, r.stdout, r.stderr) == (118, "", "Error: Session not started\n")
    r = rt.run("regenerate", "metadata", "-s", "nosuch", check=False)
    assert (r.returncode, r.stderr) == (23, "Error: Session name not found\n")
    r = rt.run("regenerate", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: No object specified for regenerate command.\n")
    for args in (("foo",), ("metadata", "extra")):
        r = rt.run("regenerate", *args, check=False)
        assert (r.returncode, r.stderr) == (
            2, "Error: Unrecognized argument used with 'regenerate' command\n")

    rt.run("create", "s2", f"--output={tmp_path / 't2'}")
    rt.run("enable-channel", "-u", "--buffers-pid", "ch")
    rt.run("enable-event", "-u", "-c", "ch", "rt_test:tick")
    rt.run("start")
    r = rt.run("regenerate", "metadata", check=False)
    assert (r.returncode, r.stderr) == (120, "Error: Per-PID recording sessions are not supported\n")
    # A state dump, unlike metadata, is for per-PID sessions too.
    r = rt.run("regenerate", "statedump", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "State dump successfully regenerated for session s2\n", "")
