# bench/session.sh: sourced by the benchmark scripts (bash). Needs $build
# (the build directory) and $work (a scratch directory) set by the caller.
# shellcheck shell=bash

# --- one tracer's session around one command -------------------------------
# session_rt OUT SUBBUF NUM CMD...: traces CMD with ringtrace into OUT. With
# CONTEXTS set (e.g. "-t vpid -t vtid"), the channel gets those contexts;
# with FILTER set, the event rule gets that filter.
session_rt() {
	local out=$1 subbuf=$2 num=$3
	shift 3
	local home=$work/rt-home-$RANDOM
	mkdir -p "$home"
	(
		export RINGTRACE_HOME=$home
		local rt=$build/src/cli/ringtrace
		$rt create b --output="$out" >/dev/null
		$rt enable-channel -u ch --subbuf-size="$subbuf" --num-subbuf="$num" >/dev/null
		$rt enable-event -u 'bench:event' -c ch ${FILTER:+--filter "$FILTER"} >/dev/null
		[ -z "${CONTEXTS:-}" ] || $rt add-context -u -c ch $CONTEXTS >/dev/null
		$rt start >/dev/null
		"$@"
		$rt stop >/dev/null
		$rt destroy >/dev/null
		kill "$(cat "$home/.ringtrace/ringtrace-sessiond.pid")" 2>/dev/null || true
	)
}

# session_lt OUT SUBBUF NUM CMD...: the same with the real LTTng.
session_lt() {
	local out=$1 subbuf=$2 num=$3
	shift 3
	local home=$work/lt-home-$RANDOM
	mkdir -p "$home"
	local script='
		set -e
		if [ "$(id -u)" = 0 ]; then
			mkdir -p /run/lttng; mount -t tmpfs tmpfs /run/lttng; mount -t tmpfs tmpfs /dev/shm
		fi
		lttng-sessiond -d --no-kernel
		lttng create b --output="$OUT" >/dev/null
		lttng enable-channel -u ch --subbuf-size="$SUBBUF" --num-subbuf="$NUM" >/dev/null
		lttng enable-event -u "bench:event" -c ch ${FILTER:+--filter "$FILTER"} >/dev/null
		[ -z "$CONTEXTS" ] || lttng add-context -u -c ch $CONTEXTS >/dev/null
		lttng start >/dev/null
		"$@"
		lttng stop >/dev/null
		lttng destroy >/dev/null
		# Only the daemon of this run, never another lttng-sessiond of the machine.
		kill $(cat /run/lttng/lttng-sessiond.pid "$LTTNG_HOME/.lttng/lttng-sessiond.pid" \
			2>/dev/null) 2>/dev/null || true'
	local ns=()
	[ "$(id -u)" = 0 ] && ns=(unshare -m --propagation private)
	LTTNG_HOME=$home OUT=$out SUBBUF=$subbuf NUM=$num CONTEXTS=${CONTEXTS:-} \
		FILTER=${FILTER:-} "${ns[@]}" bash -c "$script" lttng-run "$@"
}
