# SPDX-License-Identifier: MIT
"""The lttng_ust_statedump events of the same program traced by the real
LTTng 2.13 and by ringtrace: the same event names, field names and field
types, the same values for the system libraries both load (addresses
aside), and babeltrace2's debug-info filter resolving the program's event
addresses to the same functions and source lines in both traces. The same
for the lttng_ust_dl and lttng_ust_lib events of the dl preloads
(liblttng-ust-dl.so, libringtrace-ust-dl.so) around a dlopen/dlclose."""
import os
import re
import subprocess

import pytest

from conftest import BUILD, read_events
from lttng_run import lttng_available, lttng_build, trace_with_lttng

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

SETUP = ("lttng enable-event -u 'lttng_ust_statedump:*,rt_test:*' >/dev/null && "
         "lttng add-context -u -t vpid -t ip >/dev/null")


def field_class(fc):
    """A comparable description of a bt2 field class."""
    import bt2

    if isinstance(fc, bt2._IntegerFieldClassConst):
        signed = isinstance(fc, bt2._SignedIntegerFieldClassConst)
        return ("int", fc.field_value_range, signed, int(fc.preferred_display_base))
    if isinstance(fc, bt2._StringFieldClassConst):
        return ("string",)
    if isinstance(fc, bt2._StaticArrayFieldClassConst):
        return ("array", fc.length, field_class(fc.element_field_class))
    if isinstance(fc, bt2._DynamicArrayFieldClassConst):
        return ("sequence", field_class(fc.element_field_class))
    if isinstance(fc, bt2._StructureFieldClassConst):
        return ("struct", tuple((m.name, field_class(m.field_class)) for m in fc.values()))
    return (type(fc).__name__,)


def statedump_classes(trace, prefixes=("lttng_ust_statedump:",)):
    """{event name: payload field class} of the events recorded whose name
    starts with one of prefixes."""
    import bt2

    classes = {}
    for msg in bt2.TraceCollectionMessageIterator(str(trace)):
        if type(msg) is bt2._EventMessageConst and msg.event.name.startswith(prefixes):
            ev = msg.event
            classes[ev.name] = field_class(ev.cls.payload_field_class)
    return classes


def system_libs(events):
    """bin_info/build_id/debug_link of /usr/lib objects, keyed by path, without addresses."""
    by_baddr, libs = {}, {}
    for name, fields in events:
        if name == "lttng_ust_statedump:bin_info" and fields["path"].startswith("/usr/lib/") \
                and "lttng" not in fields["path"]:
            by_baddr[fields["baddr"]] = fields["path"]
            libs[fields["path"]] = {"bin_info": {k: v for k, v in fields.items() if k != "baddr"}}
    for name, fields in events:
        if name in ("lttng_ust_statedump:build_id", "lttng_ust_statedump:debug_link") \
                and fields["baddr"] in by_baddr:
            libs[by_baddr[fields["baddr"]]][name] = {k: v for k, v in fields.items()
                                                     if k != "baddr"}
    return libs


def resolved_app_events(trace, names=(" rt_test:",)):
    """(func, src) that babeltrace2 --debug-info gives each event whose line
    has one of names."""
    out = subprocess.run(["babeltrace2", "--debug-info", str(trace)], capture_output=True,
                         text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        if any(name in line for name in names):
            m = re.search(r'debug_info = \{ bin = "[^"]*", func = "([^"+]*)\+0x[0-9a-f]+", '
                          r'src = "([^"]*)" \}', line)
            assert m, line
            found.append(m.groups())
    return found


def test_statedump_as_lttng(rt, tmp_path):
    app = lttng_build("tests/interop/allfields-lttng")
    theirs = trace_with_lttng(tmp_path, "", [app], setup=SETUP)
    ours = tmp_path / "ours"
    rt.run("create", "s1", f"--output={ours}")
    rt.run("enable-event", "-u", "lttng_ust_statedump:*,rt_test:*")
    rt.run("add-context", "-u", "-t", "vpid", "-t", "ip")
    rt.run("start")
    assert rt.app("allfields").returncode == 0
    rt.run("stop")
    rt.run("destroy")

    their_classes = statedump_classes(theirs)
    assert {"lttng_ust_statedump:start", "lttng_ust_statedump:procname",
            "lttng_ust_statedump:bin_info", "lttng_ust_statedump:build_id",
            "lttng_ust_statedump:debug_link", "lttng_ust_statedump:end"} <= set(their_classes)
    assert statedump_classes(ours) == their_classes

    their_events, our_events = read_events(theirs), read_events(ours)
    their_libs, our_libs = system_libs(their_events), system_libs(our_events)
    assert "/usr/lib/x86_64-linux-gnu/libc.so.6" in their_libs
    for path in set(their_libs) & set(our_libs):
        assert our_libs[path] == their_libs[path], path

    theirs_resolved = resolved_app_events(theirs)
    assert theirs_resolved and all(func == "main" for func, _ in theirs_resolved)
    assert resolved_app_events(ours) == theirs_resolved


def module_events(events, module):
    """Names of the events about module (by its load address) and the program's own."""
    baddr = next(f["baddr"] for n, f in events
                 if n == "lttng_ust_dl:dlopen" and f["path"] == module)
    return [n for n, f in events if n.startswith("rt_test:") or f.get("baddr") == baddr]


def test_dl_preload_as_lttng(rt, tmp_path):
    module = os.path.realpath(BUILD / "tests/e2e/apps/librt-dl-module.so")
    their_preload = "/usr/lib/x86_64-linux-gnu/liblttng-ust-dl.so"
    if not os.path.exists(their_preload):
        pytest.skip("liblttng-ust-dl.so is not installed")
    events = "lttng_ust_statedump:*,lttng_ust_dl:*,lttng_ust_lib:*,rt_test:*"
    setup = (f"lttng enable-event -u '{events}' >/dev/null && "
             "lttng add-context -u -t vpid -t ip >/dev/null")
    dlopener = lttng_build("tests/interop/dlopener-lttng")
    theirs = trace_with_lttng(tmp_path, "", ["env", f"LD_PRELOAD={their_preload}", dlopener,
                                             module], setup=setup)
    ours = tmp_path / "ours"
    rt.run("create", "s1", f"--output={ours}")
    rt.run("enable-event", "-u", events)
    rt.run("add-context", "-u", "-t", "vpid", "-t", "ip")
    rt.run("start")
    env = dict(rt.env, LD_PRELOAD=str(BUILD / "src/lib/ust-dl/libringtrace-ust-dl.so"))
    assert subprocess.run([str(BUILD / "tests/e2e/apps/dlopener"), module], env=env,
                          timeout=60).returncode == 0
    rt.run("stop")
    rt.run("destroy")

    prefixes = ("lttng_ust_dl:", "lttng_ust_lib:")
    their_classes = statedump_classes(theirs, prefixes)
    our_classes = statedump_classes(ours, prefixes)
    # debug_link events come only with objects that have a link: lttng's
    # liblttng-ust-tracepoint.so.1 has one, the libringtrace-ust of a build tree not.
    expected = {"lttng_ust_dl:dlopen", "lttng_ust_dl:build_id", "lttng_ust_dl:dlclose",
                "lttng_ust_lib:load", "lttng_ust_lib:build_id", "lttng_ust_lib:unload"}
    assert expected <= set(their_classes) and expected <= set(our_classes)
    for name in set(their_classes) & set(our_classes):
        assert our_classes[name] == their_classes[name], name
    assert module_events(read_events(ours), module) == module_events(read_events(theirs), module)
    # The dl events' addresses are the calls to dlopen and dlclose: the
    # program's (dlopen, tick, dlclose, at the same source lines) as lttng's;
    # the call-site code's own differ (lttng's also dlcloses its tracepoint
    # library at exit).
    names = (" rt_test:", " lttng_ust_dl:dlopen:", " lttng_ust_dl:dlclose:")
    theirs_resolved = [r for r in resolved_app_events(theirs, names)
                       if r[1].startswith("dlopener.c:")]
    assert len(theirs_resolved) == 3
    assert [r for r in resolved_app_events(ours, names)
            if r[1].startswith("dlopener.c:")] == theirs_resolved
