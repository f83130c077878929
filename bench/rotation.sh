#!/usr/bin/env bash
# bench/rotation.sh [BUILD_DIR] [ROUNDS]: rotation cost, with ringtrace and
# with the real lttng 2.13 side by side.
#  - rotate_ms: wall time of each of ROUNDS (default 5) `rotate` commands (CLI
#    start to exit: the command returns once the archive is complete), under
#    load from 2 threads (bench-tracepoint rate, 500000 events/s each, one on
#    each of CPUs 0 and 1), 200 ms apart;
#  - ns_none / ns_rot100: tracepoint cost (bench-tracepoint enabled 2 threads,
#    median of 5 rounds of 4M events each) without rotations, then while
#    `enable-rotation --timer=100ms` rotates the session every 100 ms.
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
	$T create lat --output="$OUT/lat" >/dev/null
	$T enable-channel -u ch >/dev/null
	$T enable-event -u bench:event -c ch >/dev/null
	$T start >/dev/null
	seconds=$(( ROUNDS / 5 + 2 ))
	taskset -c 0 "$B" rate 500000 "$seconds" >/dev/null &
	taskset -c 1 "$B" rate 500000 "$seconds" >/dev/null &
	sleep 0.5
	times=""
	for _ in $(seq "$ROUNDS"); do
		t0=$(date +%s%N)
		$T rotate >/dev/null
		t1=$(date +%s%N)
		times="$times $(( (t1 - t0) / 1000000 ))"
		sleep 0.2
	done
	wait
	echo "rotate_ms=$times"
	$T destroy >/dev/null

	for mode in none rot100; do
		$T create "c$mode" --output="$OUT/$mode" >/dev/null
		$T enable-channel -u ch >/dev/null
		$T enable-event -u bench:event -c ch >/dev/null
		[ "$mode" = rot100 ] && $T enable-rotation --timer=100ms >/dev/null
		$T start >/dev/null
		echo "ns_$mode=$("$B" enabled 2 4000000 | sed -n "s/^ns_per_event=//p")"
		$T stop >/dev/null
		echo "archives_$mode=$(ls "$OUT/$mode/archives" 2>/dev/null | wc -l)"
		$T destroy >/dev/null
		rm -rf "${OUT:?}/$mode"
	done
'

. bench/side-by-side.sh
side_by_side
