# SPDX-License-Identifier: MIT
"""Application contexts (`add-context -u -t '$app.PROVIDER:CTX'`, `$app.` in
filters) with the appctx program, which registers "$app.myprov" through
lttng-ust's context provider API: the exact value recorded for every value
type, for a context nobody provides and while the provider is unregistered,
read back with bt2; filters evaluated per event as lttng-ust does; lttng's
messages for bad names."""
import os
import subprocess

import pytest

from conftest import example

TYPES = ["s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "float", "double", "string"]
# Tag label and babeltrace value of "$app.myprov:TYPE" for the seq-th event (see appctx.c).
EXPECTED = {
    "s8": ("_int8", lambda s: -(s % 100)),
    "s16": ("_int16", lambda s: -1000 - s),
    "s32": ("_int32", lambda s: -100000 - s),
    "s64": ("_int64", lambda s: -(1 << 40) - s),
    "u8": ("_uint8", lambda s: 200 + s % 50),
    "u16": ("_uint16", lambda s: 60000 + s),
    "u32": ("_uint32", lambda s: 4000000000 + s),
    "u64": ("_uint64", lambda s: (1 << 63) + s),
    "float": ("_float", lambda s: s + 0.25),
    "double": ("_double", lambda s: s + 0.5),
    "string": ("_string", lambda s: f"v{s}"),
}
NONE = ("_none", None)


def field(ctx):
    """The TSDL field name of "$app.PROVIDER:CTX", as lttng-sessiond makes it."""
    return "".join(c if c.isalnum() or c == "_" else "_" for c in ctx)


def read_app_events(trace_dir):
    """[(channel file, seq, {context field: (tag label, value)})] in time order."""
    import bt2

    out = []
    for msg in bt2.TraceCollectionMessageIterator(str(trace_dir)):
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        ctx = {}
        fields = ev.common_context_field
        for k, v in (fields.items() if fields is not None else []):
            if k.endswith("_tag") or k + "_tag" not in fields:
                continue  # a tag, or a built-in context
            label = list(fields[k + "_tag"].labels)[0]
            opt = v.selected_option
            if label == "_none":
                value = None
            elif label == "_string":
                value = str(opt)
            elif label in ("_float", "_double"):
                value = float(opt)
            else:
                value = int(opt)
            ctx[k] = (label, value)
        out.append((os.path.basename(ev.stream.name).rsplit("_", 1)[0],
                    int(ev.payload_field["seq"]), ctx))
    return out


class App:
    """appctx, driven through its stdin."""

    def __init__(self, rt):
        self.p = subprocess.Popen([str(example("appctx"))], env=rt.env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.p.stdout.readline() == "ready\n"

    def do(self, *commands):
        for c in commands:
            self.p.stdin.write(c + "\n")
            self.p.stdin.flush()
            assert self.p.stdout.readline() == "ok\n", c

    def finish(self):
        self.p.stdin.close()
        assert self.p.wait(timeout=30) == 0


def trace_app(rt, trace, *commands):
    """Starts the session, runs appctx with commands, stops and destroys;
    returns the events read back."""
    rt.run("start")
    app = App(rt)
    app.do(*commands)
    app.finish()
    rt.run("stop")
    rt.run("destroy")
    return read_app_events(trace)


def session_with_contexts(rt, trace, contexts, buffers="--buffers-uid"):
    """Session s recording rt_test:seq in channel0 with contexts."""
    rt.run("create", "s", f"--output={trace}")
    rt.run("enable-channel", "-u", buffers, "channel0")
    rt.run("enable-event", "-u", "rt_test:seq")
    r = rt.run("add-context", "-u", *[a for c in contexts for a in ("-t", c)])
    assert r.stdout == "".join(f"ust context {c} added to all channels\n" for c in contexts)


def expected_ctx(seq, provided=True):
    ctx = {field(f"$app.myprov:{t}"): (EXPECTED[t][0], EXPECTED[t][1](seq)) if provided
           else NONE for t in TYPES}
    ctx[field("$app.nobody:x")] = NONE
    return ctx


CONTEXTS = [f"$app.myprov:{t}" for t in TYPES] + ["$app.nobody:x"]


@pytest.mark.parametrize("buffers", ["--buffers-uid", "--buffers-pid"])
def test_every_value_type_and_unregistered_provider(rt, tmp_path, buffers):
    """Added before the app starts; the provider unregistered mid-run, then
    registered again: its contexts record "_none" meanwhile."""
    trace = tmp_path / "t"
    session_with_contexts(rt, trace, CONTEXTS, buffers)
    events = trace_app(rt, trace, "emit 3", "unregister", "emit 2", "register", "emit 1")
    provided = {0: True, 1: True, 2: True, 3: False, 4: False, 5: True}
    assert [(seq, ctx) for _, seq, ctx in events] == \
        [(s, expected_ctx(s, provided[s])) for s in range(6)]


def test_added_while_app_runs(rt, tmp_path):
    """The app registered with the session daemon before the context was added."""
    trace = tmp_path / "t"
    rt.start_sessiond()
    app = App(rt)
    session_with_contexts(rt, trace, ["$app.myprov:s64", "vpid", "$app.myprov:string"])
    rt.run("start")
    app.do("emit 2")
    app.finish()
    rt.run("stop")
    rt.run("destroy")
    events = read_app_events(trace)
    assert [(seq, ctx) for _, seq, ctx in events] == [
        (s, {"_app_myprov_s64": ("_int64", -(1 << 40) - s),
             "_app_myprov_string": ("_string", f"v{s}")}) for s in range(2)]


# Filter -> seqs of 0..5 recorded. Only S64, DOUBLE and STRING values can be
# compared (lttng-ust 2.13's GET_CONTEXT_REF); any other, or no provider, is
# an error that rejects the event unless a short-circuit skipped it.
FILTERS = [
    ("$app.myprov:s64 == -1099511627777", [1]),
    ("$app.myprov:string == \"v*\" && $app.myprov:double > 2.0", [2, 3, 4, 5]),
    ("$app.myprov:double < 1.0 || $app.myprov:string == \"v4\"", [0, 4]),
    ("$app.myprov:s32 == -100000", []),
    ("$app.myprov:u64 > 0", []),
    ("$app.nobody:x == 0 || seq == 3", []),
    ("seq == 3 || $app.nobody:x == 0", [3]),
    ("$app.myprov:string == 5 || seq == 1", []),
]


def test_filters(rt, tmp_path):
    trace = tmp_path / "t"
    rt.run("create", "s", f"--output={trace}")
    for i, (expr, _) in enumerate(FILTERS):
        rt.run("enable-channel", "-u", f"c{i}")
        rt.run("enable-event", "-u", "rt_test:seq", "-c", f"c{i}", "--filter", expr)
    rt.run("add-context", "-u", "-c", "c0", "-t", "$app.myprov:s64")
    got = {}
    for chan, seq, _ in trace_app(rt, trace, "emit 6"):
        got.setdefault(chan, []).append(seq)
    assert {expr: got.get(f"c{i}", []) for i, (expr, _) in enumerate(FILTERS)} == dict(FILTERS)


def test_filter_follows_unregistration(rt, tmp_path):
    trace = tmp_path / "t"
    rt.run("create", "s", f"--output={trace}")
    rt.run("enable-event", "-u", "rt_test:seq", "--filter", "$app.myprov:s64 < 0")
    events = trace_app(rt, trace, "emit 2", "unregister", "emit 2", "register", "emit 2")
    assert [seq for _, seq, _ in events] == [0, 1, 4, 5]


BAD_NAMES = [
    ("$app.nocolon", "Error: Invalid application context provided: no provider or context "
     "name provided.\nError: Unknown context type $app.nocolon\n", 3),
    ("$app.:x", "Error: Invalid application context provided: no provider or context "
     "name provided.\nError: Unknown context type $app.:x\n", 3),
    ("$app.prov:", "Error: Invalid application context provided: no provider or context "
     "name provided.\nError: Unknown context type $app.prov:\n", 3),
    ("$app.", "Error: Unknown context type $app.\n", 3),
    ("$app." + "p" * 250 + ":c", "Error: $app." + "p" * 250 + ":c: Application context name "
     "too long (at most 255 bytes for $app.PROVIDER:CONTEXT)\n", 4),
    ("$app." + "p" * 300 + ":c", "Error: $app." + "p" * 300 + ":c: Application context name "
     "too long (at most 255 bytes for $app.PROVIDER:CONTEXT)\n", 4),
]


def test_bad_names(rt):
    """lttng's messages and exit codes; nothing is added."""
    rt.run("create", "s", f"--output={rt.home / 't'}")
    for ctx, stderr, code in BAD_NAMES:
        r = rt.run("add-context", "-u", "-t", ctx, check=False)
        assert (r.returncode, r.stdout, r.stderr) == (code, "", stderr)
    # A filter reads at most 3 distinct application contexts (ringtrace's limit).
    expr = "$app.p:a == 1 || $app.p:b == 1 || $app.p:c == 1 || $app.p:d == 1"
    r = rt.run("enable-event", "-u", "a", "--filter", expr, check=False)
    assert r.returncode != 0
    assert r.stderr.startswith("Error: Invalid filter expression, column 52: more than 3 "
                               "application contexts in one filter: ringtrace reads at most 3\n")
    # No channel got a context.
    rt.run("save", "-o", rt.home / "saved", "s")
    assert "<context>" not in (rt.home / "saved/s.lttng").read_text()


def test_duplicate_listing_and_save_load(rt, tmp_path):
    rt.run("create", "s", f"--output={tmp_path / 't'}")
    rt.run("add-context", "-u", "-t", "$app.myprov:s64")
    r = rt.run("add-context", "-u", "-t", "$app.myprov:s64", "-t", "$app.a:b:c", check=False)
    assert (r.returncode, r.stdout, r.stderr) == (
        4, "ust context $app.a:b:c added to all channels\n",
        "Error: $app.myprov:s64: UST context already exist\n")
    # Same TSDL field as $app.a:b:c ("_app_a_b_c"): refused rather than declared twice.
    r = rt.run("add-context", "-u", "-t", "$app.a:b.c", check=False)
    assert (r.returncode, r.stderr) == (4, "Error: $app.a:b.c: UST context already exist\n")
    # As lttng 2.13, `list` shows no context of a user space channel.
    assert "$app" not in rt.run("list", "s").stdout
    rt.run("save", "-o", tmp_path, "s")
    saved = (tmp_path / "s.lttng").read_text()
    assert ("<context><app><provider_name>myprov</provider_name><ctx_name>s64</ctx_name></app>"
            "</context>") in "".join(line.strip() for line in saved.splitlines())
    assert "<provider_name>a</provider_name>" in saved and "<ctx_name>b:c</ctx_name>" in saved
    rt.run("load", "-i", tmp_path / "s.lttng", "--override-name", "t", "s")
    rt.run("save", "-o", tmp_path / "again", "t")
    assert (tmp_path / "again/t.lttng").read_text().replace("<name>t</name>", "<name>s</name>") \
        == saved
