# SPDX-License-Identifier: MIT
"""A disk that fills up under a rotation: the command fails with lttng's
"Rotation failure on consumer" (exit 1), every channel still moves to the
new chunk, the old one is archived and reads in babeltrace2, the session
and the consumer go on, and once space is back the files the full disk kept
out of the new chunk are made, so the next rotation archives a complete,
readable chunk. (A full disk under a snapshot: test_snapshot.py.)"""
import os
import subprocess

import pytest

from conftest import BIN, example
from test_buffers_pid import seq_events

ROTATE_SCRIPT = r"""
set -e
mkdir -p "$FULL"
mount -t tmpfs -o size=256k tmpfs "$FULL"
R=$RT
$R create s1 --output="$FULL/t" >/dev/null
$R enable-channel -u --subbuf-size=4096 --num-subbuf=4 ch >/dev/null
$R enable-event -u rt_test:seq -c ch >/dev/null
$R start >/dev/null
CONSUMERD=$(pgrep -P "$(cat "$RINGTRACE_HOME/.ringtrace/ringtrace-sessiond.pid")")
mkfifo "$WORK/in"
taskset -c "$CPU" "$BURST" <"$WORK/in" >"$WORK/app.out" &
APP=$!
exec 3>"$WORK/in"
batch() {
	echo "$1" >&3
	batches=$((batches + 1))
	while [ "$(grep -c done "$WORK/app.out")" -lt $batches ]; do sleep 0.02; done
}
batches=0
while ! grep -q ready "$WORK/app.out"; do sleep 0.02; done
batch 300
dd if=/dev/zero of="$FULL/filler" bs=4k 2>/dev/null || true
batch 300
$R rotate 2>&1 || echo "exit $?"
$R list s1 | grep -o "Recording session s1: \[active\]"
rm "$FULL/filler"
sleep 0.3  # past the consumer's pause between attempts to make the owed files
batch 300
$R rotate 2>&1 | tail -1
batch 300
exec 3>&-
wait $APP
[ "$(pgrep -P "$(cat "$RINGTRACE_HOME/.ringtrace/ringtrace-sessiond.pid")")" = "$CONSUMERD" ] &&
	echo "same consumer"
$R destroy >/dev/null
cp -a "$FULL/t" "$WORK/copy"
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a small tmpfs privately")
def test_rotation_on_full_disk(rt, tmp_path):
    full, work = tmp_path / "full", tmp_path / "work"
    work.mkdir()
    env = dict(rt.env, FULL=str(full), WORK=str(work), RT=str(BIN["ringtrace"]),
               BURST=str(example("burst")), CPU=str(min(os.sched_getaffinity(0))))
    r = subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-c",
                        ROTATE_SCRIPT], env=env, capture_output=True, text=True, timeout=90)
    assert r.returncode == 0, r.stdout + r.stderr
    archives = sorted((work / "copy" / "archives").iterdir(), key=lambda d: int(d.name[-1]))
    lines = r.stdout.splitlines()
    chunk = archives[1].name.split("-")[0] + "-1"
    # lttng's error, then what failed and why.
    assert lines == ["Error: Rotation failure on consumer",
                     f"Error: {full}/t/{chunk}: No space left on device: trace files or "
                     "metadata missing; they are made as soon as they can be. The chunk "
                     f"before is archived in {full}/t/archives/{archives[0].name}",
                     "exit 1",
                     "Recording session s1: [active]",
                     f"Trace chunk archive for session s1 is now readable at "
                     f"{full}/t/archives/{archives[1].name}",
                     "same consumer"], r.stdout
    assert [d.name[-2:] for d in archives] == ["-0", "-1", "-2"]
    seqs = [[s for _, s in seq_events(d)[0]] for d in archives]
    # What reached the disk before it was full, in order; the rest is lost.
    assert seqs[0] == list(range(len(seqs[0])))
    # The chunk the full disk left incomplete got its files and metadata back.
    assert seqs[1] == list(range(600, 900))
    assert seqs[2] == list(range(900, 1200))
