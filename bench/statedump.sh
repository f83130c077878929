#!/usr/bin/env bash
# bench/statedump.sh [BUILD_DIR] [RUNS]: start-up time of a traced program
# (allfields: two events, then exit; mean wall time of RUNS runs, default 50)
# with a session daemon running and
#   - no session;
#   - an active session recording the program's events only;
#   - the same plus lttng_ust_statedump:* (the state dump runs before main());
#   - the same with LTTNG_UST_WITHOUT_BADDR_STATEDUMP=1 (no object listing);
# and the mean time a dump takes in the app (start to end event, read from
# the trace: the listing of the objects and their ELF files is inside);
# for ringtrace, and for lttng-ust 2.13 side by side when it is installed
# (the same program built against it, tests/interop; its lttng-sessiond in a
# private mount namespace when root). Prints one table, in milliseconds; the
# rows but dump-start-to-end include the process's own start and exit.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
runs=${2:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Mean time from lttng_ust_statedump:start to end of each process in a trace, in ms.
dump_time=$work/dump_time.py
cat >"$dump_time" <<'EOF_PY'
import sys
import bt2
start, spans = {}, []
for msg in bt2.TraceCollectionMessageIterator(sys.argv[1]):
    if type(msg) is bt2._EventMessageConst:
        ev, ns = msg.event, msg.default_clock_snapshot.ns_from_origin
        pid = int(ev.common_context_field["vpid"])
        if ev.name == "lttng_ust_statedump:start":
            start[pid] = ns
        elif ev.name == "lttng_ust_statedump:end" and pid in start:
            spans.append(ns - start.pop(pid))
print("%.3f" % (sum(spans) / len(spans) / 1e6) if spans else "-")
EOF_PY

# mean_ms CMD...: mean wall time of RUNS runs of CMD, in ms (3 decimals).
mean_ms() {
	local start end
	start=$EPOCHREALTIME
	for ((i = 0; i < runs; i++)); do
		"$@" >/dev/null
	done
	end=$EPOCHREALTIME
	echo "scale=3; (${end/./} - ${start/./}) / 1000 / $runs" | bc
}

# configs TOOL APP: the four rows for one tracer's CLI (ringtrace or lttng).
configs() {
	local tool=$1 app=$2
	echo "no-session $(mean_ms "$app")"
	$tool create app --output="$work/$tool-app" >/dev/null
	$tool enable-event -u 'rt_test:*' >/dev/null
	$tool start >/dev/null
	echo "app-events $(mean_ms "$app")"
	$tool stop >/dev/null
	$tool destroy >/dev/null
	$tool create dump --output="$work/$tool-dump" >/dev/null
	$tool enable-event -u 'rt_test:*,lttng_ust_statedump:*' >/dev/null
	$tool add-context -u -t vpid >/dev/null
	$tool start >/dev/null
	echo "statedump $(mean_ms "$app")"
	$tool stop >/dev/null
	$tool destroy >/dev/null
	echo "dump-start-to-end $(/usr/bin/python3 "$dump_time" "$work/$tool-dump")"
	$tool create nobaddr --output="$work/$tool-nobaddr" >/dev/null
	$tool enable-event -u 'rt_test:*,lttng_ust_statedump:*' >/dev/null
	$tool start >/dev/null
	echo "statedump-no-baddr $(LTTNG_UST_WITHOUT_BADDR_STATEDUMP=1 mean_ms "$app")"
	$tool stop >/dev/null
	$tool destroy >/dev/null
}

rt_rows() {
	local home=$work/rt-home
	mkdir -p "$home"
	export RINGTRACE_HOME=$home
	export LD_LIBRARY_PATH=$build/src/lib/ust:$build/src/lib/ctl
	export RINGTRACE_SESSIOND_PATH=$build/src/sessiond/ringtrace-sessiond
	export RINGTRACE_CONSUMERD_PATH=$build/src/consumerd/ringtrace-consumerd
	"$build/src/cli/ringtrace" version >/dev/null # spawns the daemon
	PATH=$build/src/cli:$PATH configs ringtrace "$build/tests/e2e/apps/allfields"
	kill "$(cat "$home/.ringtrace/ringtrace-sessiond.pid")" 2>/dev/null || true
}

lttng_rows() {
	local app=$build/tests/interop/allfields-lttng
	[ -x "$app" ] && command -v lttng-sessiond >/dev/null && [ "$(id -u)" = 0 ] || return 0
	export -f mean_ms configs
	WORK=$work APP=$app RUNS=$runs dump_time=$dump_time unshare -m --propagation private bash -c '
		set -euo pipefail
		runs=$RUNS work=$WORK
		mount -t tmpfs tmpfs /run/lttng 2>/dev/null || { mkdir -p /run/lttng; mount -t tmpfs tmpfs /run/lttng; }
		mount -t tmpfs tmpfs /dev/shm
		export LTTNG_HOME=$WORK/lttng-home HOME=$WORK/lttng-home
		mkdir -p "$HOME"
		lttng-sessiond -d --no-kernel
		trap "kill \$(cat /run/lttng/lttng-sessiond.pid) 2>/dev/null || true" EXIT
		configs lttng "$APP"'
}

rt=$(rt_rows)
lt=$(lttng_rows)
printf '%-20s %12s %12s\n' "start-up (ms)" ringtrace lttng-2.13
while read -r name value; do
	printf '%-20s %12s %12s\n' "$name" "$value" \
		"$(awk -v n="$name" '$1 == n { print $2 }' <<<"$lt")"
done <<<"$rt"
