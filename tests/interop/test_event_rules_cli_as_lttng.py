# SPDX-License-Identifier: MIT
"""The commands of event rules and context (list, enable-event,
disable-event, add-context, track/untrack, enable-channel) against the real
LTTng 2.13: the same script, typed while the same instrumented program runs,
gives the same exit status, standard output and standard error at every
step, once names, paths and pids are replaced by their roles.

One lttng-sessiond runs the whole script; one ringtrace-sessiond runs it
again. It is one test, so that pytest-xdist's workers do not each start
their own pair of daemons; its failure names every step that differs
(group, position, command line) with the difference.

lttng lists channels, rules and tracker values in the order of its hash
tables (a random seed per run), ringtrace in creation order; lttng-ust lists
providers in the order of their registration records' addresses (glibc's
malloc gives registration order, ringtrace's order; a sanitizer's allocator
another). The comparison sorts them, but keeps the order of each provider's
events and fields, which is lttng-ust's. Where ringtrace differs on purpose, the row is an Ours() with
ringtrace's exact output, and says why; where lttng's sessiond crashes
(listing a channel that holds a rule with exclusions), lttng does not run
the row at all."""
import difflib
import re
import shlex
import shutil
import subprocess

import pytest

from conftest import BUILD, Env, example, short_home
from lttng_run import lttng_available, run_in_lttng_namespace, step_results, steps_script

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")


class Ours:
    """A row where ringtrace's output differs from lttng's on purpose:
    expected is ringtrace's output as normalized (so "ringtrace" reads
    "lttng" there); skip_lttng when lttng cannot run it (its sessiond
    crashes)."""

    def __init__(self, cmd, expected, why, skip_lttng=False):
        self.cmd, self.expected, self.why, self.skip_lttng = cmd, expected, why, skip_lttng


LONG_NAME = "x" * 256
LONG_NAME_ERROR = (f"rc=97\n--\nError: Event {LONG_NAME}: Name too long (max. 255 characters) "
                   "(channel channel0, session ln)\n")
KERNEL_ERROR = ("rc=1\n--\nError: Kernel tracer not available: lttng traces user space "
                "applications only (use -u/--userspace)\n")
SESSION_HEAD = """rc=0
Recording session {name}: [inactive]
    Trace output: WORK/{name}

=== Domain: User space ===

Buffering scheme: per-user

Tracked process attributes
  Virtual process IDs:  {vpid}
  Virtual user IDs:     {vuid}
  Virtual group IDs:    {vgid}
"""
CHANNEL_ATTRIBUTES = """    Attributes:
      Event-loss mode:  discard
      Sub-buffer size:  524288 bytes
      Sub-buffer count: 4
      Switch timer:     inactive
      Read timer:       inactive
      Monitor timer:    1000000 us
      Blocking timeout: 0 us
      Trace file count: 1 per stream
      Trace file size:  unlimited
      Output mode:      mmap

    Statistics:
      Discarded events: 0
"""
B_EXCLUSIONS = ",".join(f"b{i}" for i in range(40))
LIST_EXCLUSIONS = SESSION_HEAD.format(name="x", vpid="all", vuid="all", vgid="all") + f"""
Channels:
-------------
- channel0: [enabled]

{CHANNEL_ATTRIBUTES}
    Recording event rules:
      a* (type: tracepoint) [enabled] [exclusions: a*c]
      b* (type: tracepoint) [enabled] [exclusions: {B_EXCLUSIONS}]
      rt_test:* (type: tracepoint) [enabled] [exclusions: rt_test:seq,rt_test:tick]

- other: [enabled]

{CHANNEL_ATTRIBUTES}
    Recording event rules:
      rt_test:* (type: tracepoint) [enabled] [exclusions: rt_test:seq] [filter: 'n == 1']

--
"""
LIST_TRACKERS_ALL = SESSION_HEAD.format(name="t", vpid="all", vuid="0", vgid="0") + "\n--\n"
FILTER_ERRORS = [
    ("seq >", "6: expected an operand (a field, $ctx.NAME, $app.PROVIDER:NAME, a number, a "
     "string, '(' or + - ! ~) after '>', found the end of the expression\n    seq >\n         ^"),
    ('seq == "a', '8: unterminated string: expected a closing " before the end of the '
     'expression (a backslash does not escape it)\n    seq == "a\n           ^'),
    ("seq + 1 == 2", "5: binary operator '+' is not supported: expected a comparison (== != < > "
     "<= >=), logical (&& ||) or bitwise (& | ^ << >>) operator\n    seq + 1 == 2\n        ^"),
]

# Each group: command lines for both tools, run in order with the program
# running; SETUP lines are run but not compared. Every group creates its own
# session and destroys it at the end.
GROUPS = {
    "list": [
        "list -u",
        "list -u -f",
        "list",
        Ours("list nosuch", "rc=1\n--\nError: Session 'nosuch' not found\n",
             "lttng says 'Currently no available recording session' and that it failed to "
             "list rotation schedules"),
        "SETUP create l --output=$WORK/l",
        "list",
        "list l",
        "list l -d",
        "SETUP enable-event -u rt_test:tick",
        "list l",
        "list l -c channel0",
        "list l -c nosuch",
        "list l -d",
        "list l -u",
        "list l -j",
        *(Ours(f"list {d}", "rc=1\n--\nError: The JUL, log4j and Python agent domains are not "
               "supported: lttng traces user space applications only (use -u/--userspace)\n",
               "no agent domains: an empty logger list would suggest there could be one")
          for d in ("-j", "-l", "-p")),
        "list -k",
        "list --vpid",
        "SETUP destroy l",
    ],
    "enable-event": [
        "enable-event -u rt_test:tick",
        "SETUP create e --output=$WORK/e",
        "enable-event -u 'rt_*:t*k'",
        "enable-event -u '*'",
        "enable-event -u -a",
        "enable-event -u rt_test:tick --loglevel=TRACE_WARNING",
        "enable-event -u rt_test:tick --loglevel=WARNING",
        "enable-event -u rt_test:tick --loglevel=warning",
        "enable-event -u rt_test:tick --loglevel=4",
        "enable-event -u rt_test:tick --loglevel-only=TRACE_ERR",
        "enable-event -u rt_test:tick --loglevel-only=DEBUG_LINE",
        "enable-event -u rt_test:tick --loglevel-only=13",
        "enable-event -u rt_test:tick --loglevel=TRACE_NOPE",
        "enable-event -u rt_test:tick --loglevel=15",
        "enable-event -u rt_test:tick --loglevel=WARNING --loglevel-only=ERR",
        "enable-event -u rt_test:tick",
        "enable-event -u rt_test:tick --filter 'n > 3'",
        "enable-event -u rt_test:tick --filter 'n > 4'",
        "enable-event -u rt_test:tick --filter 'n > 4'",
        *(Ours(f"enable-event -u rt_test:seq --filter '{f}'",
               "rc=106\n--\nError: Invalid filter expression, column " + msg +
               f"\nError: Event rt_test:seq: Invalid filter bytecode (channel channel0, "
               f"session e, filter '{f}')\n",
               "lttng says 'syntax error' without where or why")
          for f, msg in FILTER_ERRORS),
        "enable-event -u rt_test:seq --filter ''",
        "enable-event -u " + "z" * 255,
        "enable-event -u rt_test:tick -c nochan",
        "list e",
        "SETUP destroy e",
        "SETUP create e2 --output=$WORK/e2",
        "SETUP enable-channel -u other",
        "enable-event -u rt_test:tick",
        "list e2",
        "SETUP destroy e2",
        "SETUP create e3 --output=$WORK/e3",
        "SETUP enable-channel -u other",
        "SETUP enable-channel -u channel0 --buffers-pid",
        "enable-event -u rt_test:tick",
        "enable-event -u rt_test:tick -c other",
        "enable-event -u rt_test:tick -c other",
        "enable-event -u -a -c other --filter 'n == 2'",
        "enable-event -u -a -c other --loglevel-only=INFO",
        "enable-event -u 'rt_test:t*' -c other --loglevel=LINE --filter 'n != 1'",
        "enable-event -u rt_test:tick -k",
        "enable-event rt_test:tick",
        "enable-event -u",
        "list e3 -c other",
        "SETUP destroy e3",
        "SETUP create ln --output=$WORK/ln",
        Ours("enable-event -u " + LONG_NAME, LONG_NAME_ERROR,
             "lttng truncates the name to 255 characters and says the rule was created"),
        "SETUP destroy ln",
        "SETUP create x --output=$WORK/x",
        "enable-event -u 'rt_test:*' -x rt_test:seq,rt_test:tick",
        "enable-event -u 'rt_test:*' -x rt_test:seq,rt_test:tick",
        "enable-event -u 'rt_test:*' -x rt_test:tick,rt_test:seq",
        "enable-event -u rt_test:seq -x rt_test:tick",
        "enable-event -u 'a*' -x 'a*c'",
        "enable-event -u 'b*' -x " + ",".join(f"b{i}" for i in range(40)),
        "enable-event -u 'c*' -x c" + "y" * 300,
        "enable-event -u 'rt_test:*' -c other --filter 'n == 1' -x rt_test:seq",
        Ours("list x", LIST_EXCLUSIONS, "lttng's sessiond crashes listing exclusions",
             skip_lttng=True),
        "SETUP destroy x",
    ],
    "disable-event": [
        "SETUP create d --output=$WORK/d",
        "SETUP enable-event -u rt_test:tick",
        "SETUP enable-event -u rt_test:seq --filter 'seq > 1'",
        "SETUP enable-event -u 'rt_*'",
        "disable-event -u rt_test:tick",
        "list d",
        "disable-event -u rt_test:tick",
        "disable-event -u nosuch",
        "disable-event -u rt_test:seq",
        "list d",
        "disable-event -u -a",
        "list d",
        "disable-event -u -a",
        "enable-event -u rt_test:tick",
        "list d",
        "disable-event -u 'rt_*'",
        "disable-event -u rt_test:tick -c nochan",
        "disable-event -u -a -c channel0 -s d",
        Ours("disable-event -u rt_test:tick -s nosuch",
             "rc=23\n--\nError: rt_test:tick of type any : Session name not found (channel "
             "channel0, session nosuch)\n",
             "lttng exits 141 (SIGPIPE) without a word"),
        "disable-event rt_test:tick",
        "disable-event -u",
        "SETUP destroy d",
        "disable-event -u rt_test:tick",
    ],
    "add-context": [
        "add-context --list",
        "add-context -u -t vpid",
        "SETUP create c --output=$WORK/c",
        "add-context -u -t vpid -c nochan",
        "add-context -u -t vpid",
        "SETUP enable-event -u rt_test:tick",
        "add-context -u -t vpid -t vtid -t procname -t ip -t pthread_id -t cpu_id",
        "add-context -u -t cgroup_ns -t ipc_ns -t mnt_ns -t net_ns -t pid_ns -t time_ns"
        " -t user_ns -t uts_ns",
        "add-context -u -t vuid -t veuid -t vsuid -t vgid -t vegid -t vsgid",
        "add-context -u -t perf:thread:page-fault -t perf:thread:task-clock",
        "add-context -u -t vpid",
        "add-context -u -t nosuch",
        "add-context -u -t '$app.prov:ctx'",
        "add-context -u -t '$app.prov:ctx'",
        Ours("add-context -u -t '$app.a:b'", "rc=0\nust context $app.a:b added to all channels\n--\n",
             "lttng 2.13.9 rejects one-character names: 'no provider or context name provided'"),
        "add-context -u -t '$app.ab'",
        "add-context -u -t '$app.:b'",
        "add-context -u -t perf:cpu:cycles",
        "add-context -u -t pid",
        "add-context -u -t vpid -t nosuch",
        "add-context -u -t vpid -s nosuch",
        Ours("add-context -k -t vpid", KERNEL_ERROR,
             "lttng exits 4 with 'vpid: Kernel tracer not available'; ringtrace refuses the "
             "kernel domain up front, as in every command"),
        "add-context -u -j -t vpid",
        "add-context -u",
        "add-context -t vpid",
        "list c",
        "SETUP start",
        "add-context -u -t vtid",
        "add-context -u -t vtid -c channel0",
        "SETUP stop",
        "SETUP destroy c",
    ],
    "track": [
        "track -u --vpid 1234",
        "SETUP create t --output=$WORK/t",
        "track -u --vpid 1234",
        "track -u --vpid 1234",
        "track -u --vpid 1,2,3",
        "track -u --vuid 0 --vgid 0",
        "track -u --vuid nosuchuser",
        "track -u --vpid abc",
        "track -u --pid 5",
        "track -u -p 6 --vpid 7",
        "track -u --pid",
        "track -u --uid 0",
        "track -u --gid 0",
        "track -u --vgid nosuchgroup",
        "list t",
        "untrack -u --vpid 1234",
        "untrack -u --vpid 1234",
        "untrack -u --vpid 999",
        "untrack -u --all --vpid",
        "list t",
        "track -u --all --vpid",
        "track -u --all",
        "track -u --vpid",
        Ours("track -k --vpid 1", KERNEL_ERROR, "lttng says 'Unknown error'"),
        "track -j --vpid 1",
        "track -l --vpid 1",
        "track -p --vpid 1",
        "track --vpid 1",
        "untrack -u --vpid 7",
        Ours("list t", LIST_TRACKERS_ALL,
             "lttng's untrack of a value not tracked warns, yet switches the policy from "
             "`include all` to an empty inclusion set: bad input changes nothing here"),
        "SETUP destroy t",
        "SETUP create tn --output=$WORK/tn",
        "track -u --vuid root",
        "track -u --vgid root,daemon",
        "untrack -u --vgid daemon",
        "track -u --vuid root,1234",
        "untrack -u --vuid 0",
        "untrack -u --vuid bin",
        "untrack -u --vuid nosuchuser",
        Ours("track -u --vgid 0",
             "rc=0\nAdded 0 to the virtual group ID tracker inclusion set\n--\n",
             "lttng warns that 0 (the gid of `root`) is already in the set, yet lists it, and "
             "once `root` is untracked lists 0 while no longer applying it: a name and an id "
             "are two values here, both applied"),
        "list tn",
        "untrack -u --vgid root",
        "list tn",
        Ours("track -u --vpid 2147483648",
             "rc=1\n--\nError: 2147483648 is not a valid virtual process ID value; expected an "
             "integer\n",
             "lttng reports an unknown error and tracks -2147483648"),
        "SETUP destroy tn",
    ],
    "enable-channel": [
        "SETUP create ch --output=$WORK/ch",
        "enable-channel -u big --buffers-pid --blocking-timeout=inf --subbuf-size=2M --num-subbuf=4"
        " --monitor-timer=1000000",
        "enable-channel -u b2 --blocking-timeout=100",
        "enable-channel -u b3 --blocking-timeout=bad",
        "enable-channel -u b4 --blocking-timeout=-1",
        "enable-channel -u b5 --subbuf-size=3k",
        "enable-channel -u b6 --num-subbuf=3",
        "enable-channel -u b7 --monitor-timer=abc",
        "enable-channel -u b8 --subbuf-size=abc",
        "enable-channel -u b9 --buffers-pid --buffers-uid",
        "enable-channel -u b10 --subbuf-size=0",
        "enable-channel -u b11 --num-subbuf=0",
        "enable-channel -u b12 --overwrite --blocking-timeout=10",
        "enable-channel -u b13 --blocking-timeout=4294967296",
        "enable-channel -u b14 --monitor-timer=0 --switch-timer=0",
        "enable-channel -u b15 --buffers-global",
        "enable-channel -u big",
        "list ch",
        "SETUP destroy ch",
    ],
}


STEPS = [(group, step) for group, steps in GROUPS.items() for step in steps]
COMPARED = [(group, i, step) for i, (group, step) in enumerate(STEPS)
            if not (isinstance(step, str) and step.startswith("SETUP"))]
LTTNG_STEPS = [step.cmd if isinstance(step, Ours) else step for _, step in STEPS
               if not (isinstance(step, Ours) and step.skip_lttng)]

# The program runs from its fifo until the script ends. lttng never spawns
# a second daemon (if its sessiond crashes, the steps fail instead), and the
# daemon of this namespace is stopped at the end whatever happened.
APP_SCRIPT = r"""
export LTTNG_SESSIOND_PATH=/bin/false
mkfifo "$WORK/app.in"
"$APP" <"$WORK/app.in" >"$WORK/app.out" &
echo $! >"$WORK/app.pid"
exec 9>"$WORK/app.in"
until grep -q ready "$WORK/app.out"; do sleep 0.02; done
"""
END_SCRIPT = """
exec 9>&-
wait
"""


def command_line(step):
    return step.cmd if isinstance(step, Ours) else step.removeprefix("SETUP ")


def providers_sorted(lines):
    """An app's `list -u` entries (event lines, each with its field lines)
    grouped by provider, the providers sorted, each one's events kept in
    their order."""
    providers = {}
    for line in lines:
        if not line.startswith("        "):
            entries = providers.setdefault(line.split(":")[0], [])
            entries.append([])
        entries[-1].append(line)
    return [line for p in sorted(providers) for entry in providers[p] for line in entry]


def sorted_listing(text):
    """text with what lttng lists in an order of its own sorted: the channel
    blocks, each channel's rules, each tracker's values (hash-table order),
    the providers of an app (the order of their addresses in memory)."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"(  Virtual (?:process|user|group) IDs: +)(.*)$", line)
        if m and "," in m.group(2):
            line = m.group(1) + ", ".join(sorted(m.group(2).split(", ")))
        out.append(line)
        i += 1
        if line == "    Recording event rules:" or line.startswith("PID: "):
            j = i
            while j < len(lines) and lines[j].startswith("      "):
                j += 1
            out += sorted(lines[i:j]) if line.startswith(" ") else providers_sorted(lines[i:j])
            i = j
    text = "\n".join(out)
    m = re.search(r"Channels:\n-------------\n(.*?)\n+--\n", text, re.S)
    if m:
        blocks = [b.rstrip("\n") for b in re.split(r"\n(?=- )", m.group(1))]
        text = text[:m.start(1)] + "\n\n".join(sorted(blocks)) + text[m.end(1):]
    return text


def normalized(text, work, home, app_path, app_pid):
    text = text.replace(str(work), "WORK").replace(str(home), "WORK/home")
    text = text.replace(str(app_path), "APP")
    text = re.sub(rf"\b{app_pid}\b", "APP_PID", text)
    return sorted_listing(text)


def theirs(tmp_path):
    """lttng's normalized result of each compared step (None where it does not run)."""
    app = BUILD / "tests/interop/burst-lttng"
    if not app.exists():
        pytest.skip("burst-lttng not built (liblttng-ust-dev missing at configure time)")
    work = tmp_path / "lttng"
    script = APP_SCRIPT + steps_script(LTTNG_STEPS) + END_SCRIPT
    r = run_in_lttng_namespace(work, script, env={"APP": app})
    assert r.returncode == 0, r.stderr
    pid = (work / "app.pid").read_text().strip()
    results = iter(step_results(r.stdout))
    texts = []
    for _, _, step in COMPARED:
        if isinstance(step, Ours) and step.skip_lttng:
            texts.append(None)
        else:
            texts.append(normalized(next(results), work, work / "home", app, pid))
    assert next(results, None) is None, r.stdout
    return texts


def ours():
    """ringtrace's normalized result of each compared step."""
    home = short_home()
    rt = Env(home)
    try:
        rt.start_sessiond()
        app = rt.popen_app("burst", stdin=subprocess.PIPE)
        try:
            assert app.stdout.readline() == "ready\n"
            return run_ours(rt, home / "w", app.pid)
        finally:
            app.stdin.close()
            app.wait(timeout=30)
    finally:
        rt.stop_daemons()
        shutil.rmtree(home, ignore_errors=True)


def run_ours(rt, work, app_pid):
    results = []
    for _, step in STEPS:
        cmd = command_line(step)
        res = rt.run(*shlex.split(cmd.replace("$WORK", str(work))), check=False)
        if isinstance(step, str) and step.startswith("SETUP"):
            continue
        text = f"rc={res.returncode}\n{res.stdout}--\n{res.stderr}"
        text = text.replace(".ringtracerc", ".lttngrc").replace("ringtrace", "lttng")
        results.append(normalized(text, work, rt.home, example("burst"), app_pid))
    return results


def test_every_step_same_as_lttng(tmp_path):
    lttng, mine = theirs(tmp_path), ours()
    differences = []
    for (group, index, step), their, my in zip(COMPARED, lttng, mine):
        expected = step.expected if isinstance(step, Ours) else their
        if my != expected:
            diff = difflib.unified_diff(expected.splitlines(True), my.splitlines(True),
                                        "expected" if isinstance(step, Ours) else "lttng",
                                        "ringtrace", n=1)
            differences.append(f"[{group} #{index}] {command_line(step)[:80]}\n" + "".join(diff))
    assert not differences, f"{len(differences)} step(s) differ:\n" + "\n".join(differences)
