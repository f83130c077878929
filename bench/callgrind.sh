#!/usr/bin/env bash
# bench/callgrind.sh [BUILD_DIR] [EVENTS]: instructions per recorded event,
# counted by valgrind's callgrind (deterministic, unlike the timings of
# run.sh on a shared machine), for ringtrace and, when installed, lttng-ust
# 2.13, on the same benchmark source. Rows: enabled (int + short string),
# enabled with the vpid, vtid and procname contexts, a filter rejecting
# every event, a 3-clause filter accepting every event. Each row runs
# `bench-tracepoint enabled 1 EVENTS` (5 rounds, so 5 x EVENTS events)
# under callgrind, collecting only inside the benchmark's emitting loop,
# and divides the instructions by the events emitted; the trace is then
# checked to hold exactly the expected number of events, none discarded.
# KEEP=DIR keeps the callgrind output files (callgrind_annotate them) there.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
events=${2:-20000}
rt_bench=$build/bench/bench-tracepoint
lt_bench=$build/bench/bench-tracepoint-lttng
stats=$(pwd)/bench/trace_stats.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keep=${KEEP:-}
[ -z "$keep" ] || mkdir -p "$keep"

. bench/session.sh

have_lttng=0
if [ -x "$lt_bench" ] && command -v lttng-sessiond >/dev/null; then
	have_lttng=1
fi

# Under valgrind the application starts slowly: wait for the session daemon
# as long as it takes, or the first events would be emitted unrecorded.
export LTTNG_UST_REGISTER_TIMEOUT=-1 RINGTRACE_REGISTER_TIMEOUT=-1

# instructions TRACER LABEL EXPECTED_EVENTS: prints Ir per emitted event of
# the run just made in $work/$TRACER-$LABEL, or "bad" when the trace does not
# hold exactly the expected events.
instructions() {
	local dir=$work/$1-$2 ir s
	ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$dir.cg")
	s=$("$stats" "$dir")
	if [ "$(echo "$s" | value events)" != "$3" ] || [ "$(echo "$s" | value discarded)" != 0 ]; then
		echo "bad($s)"
		return
	fi
	[ -z "$keep" ] || cp "$dir.cg" "$keep/$1-$2.cg"
	awk -v a="$ir" -v n="$((5 * events))" 'BEGIN { printf "%.1f", a / n }'
}

grind() { # bench-binary callgrind-output
	valgrind --tool=callgrind --toggle-collect=emit_enabled --callgrind-out-file="$2" \
		--dump-instr=yes "$1" enabled 1 "$events" >/dev/null 2>&1
}

value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
row() { printf '%-42s %12s %12s %8s\n' "$@"; }

# one LABEL EXPECTED_EVENTS: a row, with CONTEXTS / FILTER from the environment.
one() {
	local rt lt=-
	session_rt "$work/rt-$1" 4M 8 grind "$rt_bench" "$work/rt-$1.cg"
	rt=$(instructions rt "$1" "$2")
	if [ $have_lttng = 1 ]; then
		session_lt "$work/lt-$1" 4M 8 bash -c "$(declare -f grind); events=$events grind $lt_bench $work/lt-$1.cg"
		lt=$(instructions lt "$1" "$2")
	fi
	row "$1" "$rt" "$lt" "$(ratio "$rt" "$lt")"
}

row "instructions per event ($((5 * events)) events)" "ringtrace" "lttng-ust" "ratio"
one enabled $((5 * events))
CONTEXTS="-t vpid -t vtid -t procname" one contexts-3 $((5 * events))
FILTER='value < 0' one filter-rejects 0
FILTER='value >= 0 && text == "hel*" && value != -1' one filter-3-clauses $((5 * events))
