# SPDX-License-Identifier: MIT
"""Overwrite mode against the real LTTng 2.13: the same program, the same
2 x 4 KiB overwrite channel, the first packet consumed, then the consumer
daemon stopped while the app laps the ring 13 times. Both must keep the
same records and count the same lost packets (`list` and babeltrace2)."""
import pathlib
import re
import sys

import pytest

from burst_steps import burst_cpu, burst_lttng
from lttng_run import lttng_available, run_in_lttng_namespace

# The scenario's steps on the ringtrace side are the end-to-end tests' own.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from test_buffers_pid import seq_events
from test_overwrite import discarded_packets, lap_stalled_consumer

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")

FIRST, SECOND = 400, 3000

LTTNG_SCRIPT = r"""
lttng create s --output="$WORK/trace" >/dev/null
lttng enable-channel -u --overwrite --subbuf-size=4096 --num-subbuf=2 ch >/dev/null
lttng enable-event -u rt_test:seq -c ch >/dev/null
lttng start >/dev/null
mkfifo "$WORK/in"
taskset -c "$CPU" "$BURST" <"$WORK/in" >"$WORK/app.out" &
APP=$!
exec 3>"$WORK/in"
while ! grep -q ready "$WORK/app.out"; do sleep 0.05; done
echo "$FIRST" >&3
while [ "$(stat -c %s "$WORK"/trace/ust/uid/*/64-bit/ch_* 2>/dev/null | awk '{s += $1} END {print s + 0}')" -lt 4096 ]; do
	sleep 0.05
done
CONSUMERD=$(pgrep -P "$SESSIOND" -f lttng-consumerd)
kill -STOP $CONSUMERD
stopped() { # every thread of pid $1 is stopped
	for stat in /proc/$1/task/*/stat; do
		case $(sed 's/.*) //' "$stat" | cut -d' ' -f1) in T|t) ;; *) return 1 ;; esac
	done
}
until stopped $CONSUMERD; do sleep 0.01; done
echo "$SECOND" >&3
exec 3>&-
wait $APP
kill -CONT $CONSUMERD
lttng stop >/dev/null
lttng list s | sed -n 's/.*Lost packets: *\([0-9]*\).*/lost=\1/p'
lttng destroy >/dev/null
"""


def test_same_records_and_lost_packets_as_lttng(rt, tmp_path):
    burst, cpu = burst_lttng(), burst_cpu()
    work = tmp_path / "lttng"
    r = run_in_lttng_namespace(work, LTTNG_SCRIPT, env=dict(BURST=burst, CPU=cpu, FIRST=FIRST,
                                                             SECOND=SECOND))
    assert r.returncode == 0, r.stdout + r.stderr
    lttng_lost = int(re.search(r"lost=(\d+)", r.stdout).group(1))
    lttng_events, _ = seq_events(work / "trace")

    out = tmp_path / "ours"
    events, _, lost = lap_stalled_consumer(rt, out, FIRST, SECOND)

    assert lttng_lost > 0
    assert (lost, discarded_packets(out)) == (lttng_lost, discarded_packets(work / "trace"))
    # The first packet is the same; the newest records too, up to a one-record
    # shift of the packet boundaries: whether the first record after the pause
    # needs the long header (27-bit timestamp rollover) depends on the run.
    head = [e for e in events if e[1] < FIRST]
    assert head == [e for e in lttng_events if e[1] < FIRST]
    tail, lttng_tail = events[len(head):], lttng_events[len(head):]
    assert tail[-1] == lttng_tail[-1] == (0, FIRST + SECOND - 1)
    assert abs(len(tail) - len(lttng_tail)) <= 1
