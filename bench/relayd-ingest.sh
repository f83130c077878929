#!/usr/bin/env bash
# bench/relayd-ingest.sh [BUILD_DIR] [ROUNDS]: the relays alone, without a
# tracer to limit them: a Python consumer (bench/relayd_ingest.py) streams
# MIB (default 512) packets of 1 MiB with their indexes over loopback, as
# fast as the relay takes them, into ringtrace-relayd and lttng-relayd 2.13
# in turn, ROUNDS times (default 5), interleaved. Prints per run and as the
# median of the rounds: MB/s written, the relay's CPU milliseconds per MB
# (all its threads, nanosecond accounting) and its wakeups per MB. RELAYS="ours
# lttng" selects the relays. lttng-relayd runs in a private mount namespace
# (tmpfs on /run/lttng), which needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
rounds=${2:-5}
mib=${MIB:-512}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {
	local relay=$1 out=$work/$1
	rm -rf "$out"
	if [ "$relay" = ours ]; then
		python3 bench/relayd_ingest.py "$out" "$mib" "$build/src/relayd/ringtrace-relayd"
	else
		OUT=$out MIB_=$mib unshare -m --propagation private bash -c '
			set -e
			mkdir -p /run/lttng; mount -t tmpfs tmpfs /run/lttng
			export LTTNG_HOME=$OUT.home; mkdir -p $LTTNG_HOME
			python3 bench/relayd_ingest.py "$OUT" "$MIB_" lttng-relayd'
	fi
}

printf '%-16s %6s %10s %12s %12s\n' relay round MB/s "CPU ms/MB" wakeups/MB
for round in $(seq "$rounds"); do
	for relay in ${RELAYS:-ours lttng}; do
		read -r mbs cpu wakeups < <(run "$relay")
		[ "$relay" = ours ] && name=ringtrace-relayd || name=lttng-relayd
		printf '%-16s %6s %10s %12s %12s\n' "$name" "$round" "$mbs" "$cpu" "$wakeups"
		echo "$name $mbs $cpu $wakeups" >>"$work/results"
	done
done
python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, *values = line.split()
    rows.setdefault(name, []).append([float(v) for v in values])
for name, runs in rows.items():
    mbs, cpu, wakeups = (statistics.median(col) for col in zip(*runs))
    print(f"{name:<16} {'median':>6} {mbs:10.1f} {cpu:12.3f} {wakeups:12.2f}")
PY
