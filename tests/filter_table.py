# SPDX-License-Identifier: MIT
"""The filter table shared by tests/e2e/test_filters.py (ringtrace, exact
expected sets) and tests/interop/test_filters_as_lttng.py (the same filters
under the real LTTng): one channel per filter, one run of filterfields."""
import collections
import os
import shlex

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
    # built-in contexts, read for the emitting thread (filterfields is single-threaded)
    ("$ctx.vpid > 0 && i32 == 1", [1]),
    ('$ctx.procname == "filterfie*"', ALL),
    ('$ctx.procname == "filterfields*" && i32 > 3', [4, 2147483647]),  # the lttng build: filterfields-lt
    ("$ctx.vtid == $ctx.vpid && i32 == 2", [2]),
    ("$ctx.vtid != $ctx.vpid", []),
    # unknown names, application contexts, lttng-ust's link-time refusals
    ("$ctx.nosuch == 1 || i32 == 1", []),
    ("nosuch == 1", []),
    ("i32 == 1 || $app.p:c == 1", [1]),
    ("i32 == 1 || 1 && (i32 & 1)", []),
]


# Where lttng-ust 2.13 records something else (see the comment in TABLE):
# what it records, checked by the interop test.
LTTNG_DIFFERENT = {
    "seq[2] == 2147483647": [-1, 1, 2, 3, 4, 2147483647],
    "i32 == 0 || seq[2] == 2147483647": ALL,
    "seq[1] && 1": [-1, 1, 2, 3, 4, 2147483647],
}


def trace_table_rt(rt, out, table):
    """One channel per filter; returns {filter: sorted recorded i32 values}."""
    rt.run("create", "s1", f"--output={out}")
    for k, (flt, _) in enumerate(table):
        rt.run("enable-channel", "-u", f"ch{k}", "--subbuf-size=4096", "--num-subbuf=2")
        rt.run("enable-event", "-u", "rt_test:allfields", "-c", f"ch{k}", "--filter", flt)
    rt.run("start")
    r = rt.app("filterfields")
    assert r.returncode == 0, r.stderr
    rt.run("stop")
    rt.run("destroy")
    return by_channel(out, table)



def by_channel(trace_dir, table):
    """{filter: sorted i32 values} from a trace with one channel per filter."""
    import bt2

    got = collections.defaultdict(list)
    for msg in bt2.TraceCollectionMessageIterator(str(trace_dir)):
        if type(msg) is bt2._EventMessageConst:
            chan = os.path.basename(msg.event.stream.name).rsplit("_", 1)[0]
            got[chan].append(int(msg.event.payload_field["i32"]))
    return {flt: sorted(got.get(f"ch{k}", [])) for k, (flt, _) in enumerate(table)}


def lttng_table_script(table):
    """The lttng commands giving each filter its channel (for lttng_run's namespace)."""
    lines = []
    for k, (flt, _) in enumerate(table):
        lines.append(f"lttng enable-channel -u ch{k} --subbuf-size=4096 --num-subbuf=2 >/dev/null")
        lines.append(f"lttng enable-event -u rt_test:allfields -c ch{k} --filter {shlex.quote(flt)}"
                     " >/dev/null")
    return "\n".join(lines)
