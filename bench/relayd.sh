#!/usr/bin/env bash
# bench/relayd.sh [BUILD_DIR]: a tracer streaming to a relay on loopback, at
# increasing event rates (16-byte events, channel of 8 x 1 MiB sub-buffers,
# 3 s per step): the real lttng-sessiond/consumerd 2.13 (bench-tracepoint-lttng)
# and ringtrace's (bench-tracepoint), each into ringtrace-relayd and into
# lttng-relayd 2.13. Prints per step: MB/s written by the relay, discarded
# events, packets lost on the way (gaps in packet_seq_num of the relay's
# indexes), relay CPU milliseconds per MB and wakeups per MB from start to
# stop (every thread of the relay, from /proc/PID/task/*/schedstat: CPU time
# in nanoseconds, wakeups as the times a thread was put on a CPU).
# TRACERS="lttng ringtrace", RELAYS="ours lttng" and RATES="1000000 ..."
# select the runs.
# Needs root (private mount namespace for the real daemons) and lttng-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
ours=$build/src/relayd/ringtrace-relayd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds=3

free_ports() {
	python3 -c 'import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])'
}

# The session, by the tracer under test ($TRACER); $C $D: the relay's ports.
session_script() {
	if [ "$1" = lttng ]; then
		cat <<'SH'
		lttng-sessiond -d --no-kernel || { echo "lttng-sessiond did not start" >&2; exit 1; }
		trap "kill \$(cat /run/lttng/lttng-sessiond.pid) $RPID 2>/dev/null || true" EXIT
		CLI=lttng
SH
	else
		cat <<'SH'
		export RINGTRACE_HOME=$OUT/rhome RINGTRACE_SESSIOND_PATH=$BUILD/src/sessiond/ringtrace-sessiond
		export RINGTRACE_CONSUMERD_PATH=$BUILD/src/consumerd/ringtrace-consumerd
		export LD_LIBRARY_PATH=$BUILD/src/lib/ust:$BUILD/src/lib/ctl
		mkdir -p $RINGTRACE_HOME
		"$BUILD/src/sessiond/ringtrace-sessiond" -d
		trap "kill \$(cat $RINGTRACE_HOME/.ringtrace/ringtrace-sessiond.pid) $RPID 2>/dev/null || true" EXIT
		CLI=$BUILD/src/cli/ringtrace
SH
	fi
}

# One step: TRACER (lttng|ringtrace), RELAY (ours|lttng), RATE; prints
# "mb_per_s discarded lost_packets cpu_ms_per_mb wakeups_per_mb".
step() {
	local tracer=$1 relay=$2 rate=$3 out=$work/$1-$2-$3 bench=$build/bench/bench-tracepoint
	[ "$tracer" = ringtrace ] || bench=$bench-lttng
	mkdir -p "$out"
	mkdir -p "$out"
	read -r c d l < <(free_ports)
	local script='
		set -e
		mkdir -p /run/lttng; mount -t tmpfs tmpfs /run/lttng; mount -t tmpfs tmpfs /dev/shm
		export LTTNG_HOME=$OUT/home; mkdir -p $LTTNG_HOME
		if [ "$RELAY" = ours ]; then
			"$OURS" -o "$OUT/trace" -C tcp://127.0.0.1:$C -D tcp://127.0.0.1:$D -L tcp://127.0.0.1:$L 2>/dev/null &
		else
			lttng-relayd -o "$OUT/trace" -C tcp://127.0.0.1:$C -D tcp://127.0.0.1:$D -L tcp://127.0.0.1:$L 2>/dev/null &
		fi
		RPID=$!
		'"$(session_script "$tracer")"'
		sched() {
			local run=0 slices=0 r w n f
			for f in /proc/$RPID/task/*/schedstat; do
				read -r r w n < "$f"; run=$((run + r)); slices=$((slices + n))
			done
			echo "$run $slices"
		}
		until (exec 3<>/dev/tcp/127.0.0.1/$L) 2>/dev/null; do sleep 0.02; done
		$CLI create b --set-url=net://127.0.0.1:$C:$D >/dev/null
		$CLI enable-channel -u ch --subbuf-size=1M --num-subbuf=8 >/dev/null
		$CLI enable-event -u "bench:event" -c ch >/dev/null
		$CLI start >/dev/null
		read -r run0 slices0 < <(sched)
		t0=$(date +%s.%N)
		"$BENCH" rate $RATE $SECONDS_ >/dev/null
		$CLI stop >/dev/null
		t1=$(date +%s.%N)
		read -r run1 slices1 < <(sched)
		echo "$t0 $t1 $((run1 - run0)) $((slices1 - slices0))" > "$OUT/times"
		$CLI destroy >/dev/null'
	# Retried: a benchmark of another tree that kills every lttng-sessiond by
	# name (pidof) can take ours down.
	local try
	for try in 1 2 3; do
		rm -rf "${out:?}"/*
		OUT=$out RELAY=$relay OURS=$ours BENCH=$bench BUILD=$build RATE=$rate \
			SECONDS_=$seconds C=$c D=$d \
			L=$l unshare -m --propagation private bash -c "$script" 2>"$out.err" && break
		[ $try = 3 ] && { cat "$out.err" >&2; return 1; }
		read -r c d l < <(free_ports)
	done
	python3 - "$out" <<'PY'
import pathlib, struct, sys
out = pathlib.Path(sys.argv[1])
t0, t1, run_ns, slices = open(out / "times").read().split()
data = discarded = lost = 0
for idx in out.glob("trace/**/index/*.idx"):
    raw = idx.read_bytes()
    entries = (len(raw) - 16) // 72
    if entries:
        discarded += struct.unpack(">Q", raw[-72 + 40:-72 + 48])[0]
        first = struct.unpack(">Q", raw[16 + 64:16 + 72])[0]
        last = struct.unpack(">Q", raw[-8:])[0]
        lost += last - first + 1 - entries
    data += (idx.parent.parent / idx.name[:-4]).stat().st_size
mb = data / 1e6
cpu_ms = int(run_ns) / 1e6
print(f"{mb / (float(t1) - float(t0)):.1f} {discarded} {lost} {cpu_ms / mb if mb else 0:.3f} "
      f"{int(slices) / mb if mb else 0:.2f}")
PY
	# Each step's files go at once: their page-cache pages are then reused by
	# the next step's writes, rather than every later step paying for fresh
	# pages (which costs the writer 2-3 times more on a VM) while the earlier
	# steps' files pile up.
	rm -rf "$out"
}

printf '%-10s %-16s %12s %10s %12s %6s %10s %11s\n' tracer relay "events/s" "MB/s" discarded lost \
	"CPU ms/MB" "wakeups/MB"
for tracer in ${TRACERS:-lttng ringtrace}; do
	for relay in ${RELAYS:-ours lttng}; do
		for rate in ${RATES:-1000000 4000000 8000000 16000000}; do
			read -r mbs disc lost cpu wakeups < <(step $tracer $relay $rate)
			[ $relay = ours ] && name=ringtrace-relayd || name=lttng-relayd
			printf '%-10s %-16s %12s %10s %12s %6s %10s %11s\n' "$tracer" "$name" "$rate" \
				"$mbs" "$disc" "$lost" "$cpu" "$wakeups"
		done
	done
done
