#!/usr/bin/env bash
# bench/relayd.sh [BUILD_DIR]: the real lttng-sessiond/consumerd 2.13
# streaming to a relay on loopback, once into ringtrace-relayd and once into
# lttng-relayd 2.13, at increasing event rates (bench-tracepoint-lttng,
# 16-byte events, channel of 8 x 1 MiB sub-buffers, 3 s per step). For each
# relay, prints per step: MB/s written by the relay, discarded events, relay
# CPU seconds (user + system) per MB. RELAYS="ours lttng" and
# RATES="1000000 ..." select the runs. Needs root (private mount namespace for
# the real session daemon) and lttng-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
bench=$build/bench/bench-tracepoint-lttng
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

# One step: RELAY (ours|lttng), RATE; prints "mb_per_s discarded cpu_s_per_mb".
step() {
	local relay=$1 rate=$2 out=$work/$1-$2
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
		lttng-sessiond -d --no-kernel || { echo "lttng-sessiond did not start" >&2; exit 1; }
		trap "kill \$(cat /run/lttng/lttng-sessiond.pid) $RPID 2>/dev/null || true" EXIT
		until (exec 3<>/dev/tcp/127.0.0.1/$L) 2>/dev/null; do sleep 0.02; done
		lttng create b --set-url=net://127.0.0.1:$C:$D >/dev/null
		lttng enable-channel -u ch --subbuf-size=1M --num-subbuf=8 >/dev/null
		lttng enable-event -u "bench:event" -c ch >/dev/null
		lttng start >/dev/null
		t0=$(date +%s.%N)
		"$BENCH" rate $RATE $SECONDS_ >/dev/null
		lttng stop >/dev/null
		t1=$(date +%s.%N)
		read -r -a st < /proc/$RPID/stat
		echo "$t0 $t1 $((st[13] + st[14]))" > "$OUT/times"
		lttng destroy >/dev/null'
	# Retried: a benchmark of another tree that kills every lttng-sessiond by
	# name (pidof) can take ours down.
	local try
	for try in 1 2 3; do
		rm -rf "${out:?}"/*
		OUT=$out RELAY=$relay OURS=$ours BENCH=$bench RATE=$rate SECONDS_=$seconds C=$c D=$d \
			L=$l unshare -m --propagation private bash -c "$script" 2>"$out.err" && break
		[ $try = 3 ] && { cat "$out.err" >&2; return 1; }
		read -r c d l < <(free_ports)
	done
	python3 - "$out" <<'PY'
import os, pathlib, struct, sys
out = pathlib.Path(sys.argv[1])
t0, t1, ticks = open(out / "times").read().split()
data = discarded = 0
for idx in out.glob("trace/**/index/*.idx"):
    raw = idx.read_bytes()
    if len(raw) >= 16 + 72:
        discarded += struct.unpack(">Q", raw[-72 + 40:-72 + 48])[0]
    data += (idx.parent.parent / idx.name[:-4]).stat().st_size
mb = data / 1e6
cpu = int(ticks) / os.sysconf("SC_CLK_TCK")
print(f"{mb / (float(t1) - float(t0)):.1f} {discarded} {cpu / mb if mb else 0:.4f}")
PY
}

printf '%-16s %12s %12s %12s %14s\n' relay "events/s" "MB/s" discarded "CPU s/MB"
for relay in ${RELAYS:-ours lttng}; do
	for rate in ${RATES:-1000000 4000000 8000000 16000000}; do
		read -r mbs disc cpu < <(step $relay $rate)
		name=$relay
		[ $relay = ours ] && name=ringtrace-relayd || name=lttng-relayd
		printf '%-16s %12s %12s %12s %14s\n' "$name" "$rate" "$mbs" "$disc" "$cpu"
	done
done
