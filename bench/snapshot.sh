#!/usr/bin/env bash
# bench/snapshot.sh [BUILD_DIR] [ROUNDS]: time to record a snapshot of
# 2 x 8 MiB buffers -- a snapshot session, one overwrite channel of 8 x 1 MiB
# sub-buffers, filled on 2 CPUs (one stream each) by bench-tracepoint --
# with ringtrace and with the real lttng 2.13 side by side. Each tracer
# records ROUNDS (default 5) snapshots in a row; printed: the wall time of
# each `snapshot record` command (ms, CLI start to exit) and the bytes the
# first snapshot wrote.
#
# Both tracers run as bench/side-by-side.sh says.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
rounds=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same steps for both tracers; $T is the CLI (ringtrace or lttng), $B the benchmark.
steps='
	$T create b --snapshot --output="$OUT" >/dev/null
	$T enable-channel -u ch --subbuf-size=1M --num-subbuf=8 >/dev/null
	$T enable-event -u bench:event -c ch >/dev/null
	$T start >/dev/null
	# 16 MiB of events per CPU: each 8 MiB stream laps its ring.
	taskset -c 0 "$B" enabled 1 1000000 >/dev/null &
	taskset -c 1 "$B" enabled 1 1000000 >/dev/null
	wait
	times=""
	for _ in $(seq "$ROUNDS"); do
		t0=$(date +%s%N)
		$T snapshot record >/dev/null
		t1=$(date +%s%N)
		times="$times $(( (t1 - t0) / 1000000 ))"
	done
	echo "record_ms=$times"
	echo "first_bytes=$(du -sb "$OUT"/*-0 | cut -f1)"
	$T destroy >/dev/null
'

. bench/side-by-side.sh
side_by_side
