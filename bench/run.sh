#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR]: tracepoint cost, sustained rate and bytes per
# event for ringtrace, and for lttng-ust 2.13 side by side in the same run
# when it is installed (the same benchmark source built against each).
# Prints one table; ratios are ringtrace / lttng (lower is better for costs).
#
# The real lttng-sessiond runs in a private mount namespace (own /run/lttng
# and /dev/shm) when root, so it never meets a daemon already running here.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
rt_bench=$build/bench/bench-tracepoint
lt_bench=$build/bench/bench-tracepoint-lttng
stats=$(pwd)/bench/trace_stats.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

. bench/session.sh

have_lttng=0
if [ -x "$lt_bench" ] && command -v lttng-sessiond >/dev/null; then
	have_lttng=1
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

row() { printf '%-50s %14s %14s %8s\n' "$@"; }
row "measure" "ringtrace" "lttng-ust" "ratio"

# --- disabled tracepoint ------------------------------------------------------
rt=$("$rt_bench" disabled 200000000 | value ns_per_event)
lt=-
[ $have_lttng = 1 ] && lt=$("$lt_bench" disabled 200000000 | value ns_per_event)
row "disabled tracepoint (ns/event)" "$rt" "$lt" "$(ratio "$rt" "$lt")"

# --- enabled: int + short string, 1 and 2 threads ------------------------------
# With 2 threads the consumer daemon shares the 2 CPUs with the producers:
# its CPU time and context switches per MB written (bench/consumer-cpu.sh)
# are printed for that run.
consumer_cpu=$(pwd)/bench/consumer-cpu.sh
for threads in 1 2; do
	events=1000000
	rt_out=$(session_rt "$work/rt-en$threads" 4M 8 "$consumer_cpu" "$work/rt-en$threads" \
		"$rt_bench" enabled $threads $events)
	rt_disc=$("$stats" "$work/rt-en$threads" | value discarded)
	lt_out= lt_disc=-
	if [ $have_lttng = 1 ]; then
		lt_out=$(session_lt "$work/lt-en$threads" 4M 8 "$consumer_cpu" "$work/lt-en$threads" \
			"$lt_bench" enabled $threads $events)
		lt_disc=$("$stats" "$work/lt-en$threads" | value discarded)
	fi
	for measure in ns_per_event consumer_ms_per_mb consumer_switches_per_mb; do
		rt=$(echo "$rt_out" | value $measure)
		lt=-
		[ $have_lttng = 1 ] && lt=$(echo "$lt_out" | value $measure)
		case $measure in
		ns_per_event) label="enabled, $threads thread(s) (ns/event)" ;;
		consumer_ms_per_mb) label="  consumer daemon CPU (ms per MB written)" ;;
		*) label="  consumer context switches (per MB written)" ;;
		esac
		row "$label" "$rt" "$lt" "$(ratio "$rt" "$lt")"
	done
	row "  events discarded in that run" "$rt_disc" "$lt_disc" ""
done

# --- enabled with 3 contexts (vpid, vtid, procname), 1 thread ------------------
ctx3="-t vpid -t vtid -t procname"
rt=$(CONTEXTS=$ctx3 session_rt "$work/rt-ctx3" 4M 8 "$rt_bench" enabled 1 1000000 | value ns_per_event)
lt=-
if [ $have_lttng = 1 ]; then
	lt=$(CONTEXTS=$ctx3 session_lt "$work/lt-ctx3" 4M 8 "$lt_bench" enabled 1 1000000 | value ns_per_event)
fi
row "enabled + vpid,vtid,procname, 1 thread (ns/event)" "$rt" "$lt" "$(ratio "$rt" "$lt")"
# --- filters: every event rejected; every event through 3 clauses, accepted ----
# Lowest of 3 runs (each the median of 5 rounds) in one session: these paths
# are short, so a busy machine shows more in them.
best_of_3() { # bench binary: runs it 3 times, prints the lowest ns_per_event
	for _ in 1 2 3; do "$1" enabled 1 1000000; done | value ns_per_event | sort -n | head -n 1
}
filtered() { # label filter
	local rt lt=-
	rt=$(FILTER=$2 session_rt "$work/rt-f" 4M 8 bash -c "$(declare -f value best_of_3); best_of_3 $rt_bench")
	[ $have_lttng = 1 ] &&
		lt=$(FILTER=$2 session_lt "$work/lt-f" 4M 8 bash -c "$(declare -f value best_of_3); best_of_3 $lt_bench")
	row "$1" "$rt" "$lt" "$(ratio "$rt" "$lt")"
	rm -rf "$work/rt-f" "$work/lt-f"
}
filtered "no filter, same method (ns/event)" ''
filtered "filter rejects (ns/event)" 'value < 0'
filtered "3-clause filter accepts (ns/event)" 'value >= 0 && text == "hel*" && value != -1'

# --- sustained rate to disk, 8 x 1 MiB sub-buffers, zero discarded -------------
# Steps of 2 s at a requested rate; the rate counted for a step is the one
# the producer achieved (events / its elapsed seconds: a slower tracepoint
# cannot emit at the requested rate, which also spares the consumer). Result:
# the achieved rate of the highest step with no discarded event.
sustained() { # tracer
	local best=0 rate emitted
	for rate in 250000 500000 1000000 2000000 4000000 8000000 16000000; do
		local out=$work/$1-rate-$rate
		if [ "$1" = rt ]; then
			emitted=$(session_rt "$out" 1M 8 "$rt_bench" rate $rate 2)
		else
			emitted=$(session_lt "$out" 1M 8 "$lt_bench" rate $rate 2)
		fi
		local s
		s=$("$stats" "$out")
		[ "$(echo "$s" | value discarded)" = 0 ] || break
		best=$(awk -v e="$(echo "$emitted" | value events)" \
			-v t="$(echo "$emitted" | value seconds)" 'BEGIN { printf "%.0f", e / t }')
		echo "$s" >"$work/$1-best-stats"
	done
	echo $best
}
rt=$(sustained rt)
lt=-
[ $have_lttng = 1 ] && lt=$(sustained lt)
row "sustained, 0 discarded (events/s achieved)" "$rt" "$lt" "$(ratio "$lt" "$rt")"

bpe() { # stats file
	awk -F'[ =]' '{ for (i = 1; i < NF; i++) { if ($i == "events") e = $(i + 1); if ($i == "data_bytes") b = $(i + 1) } }
		END { if (e > 0) printf "%.2f", b / e; else print "-" }' "$1"
}
rt=$(bpe "$work/rt-best-stats")
lt=-
[ $have_lttng = 1 ] && lt=$(bpe "$work/lt-best-stats")
row "bytes on disk per event" "$rt" "$lt" "$(ratio "$rt" "$lt")"
echo "(sustained: ratio is lttng/ringtrace, lower is better for ringtrace; others ringtrace/lttng)"
