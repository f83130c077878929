# Sourced by the bench scripts that compare ringtrace with the real lttng
# 2.13: side_by_side runs the caller's $steps (bash; $T is the CLI,
# ringtrace or lttng, $B the benchmark built against that tracer, $OUT a
# fresh directory, $ROUNDS the caller's $rounds) with each tracer, with its
# own session daemon, and prints one line per tracer with what the steps
# printed. Needs $build, $rounds, $work and $steps from the caller.
#
# The real lttng-sessiond runs in a private mount namespace (own /run/lttng
# and /dev/shm) when root, so it never meets a daemon already running here.

rt_run() {
	local home=$work/rt-home
	mkdir -p "$home"
	RINGTRACE_HOME=$home T=$build/src/cli/ringtrace B=$build/bench/bench-tracepoint \
		OUT=$work/rt ROUNDS=$rounds bash -c "set -e; $steps"
	kill "$(cat "$home/.ringtrace/ringtrace-sessiond.pid")" 2>/dev/null || true
}

lt_run() {
	local ns=()
	[ "$(id -u)" = 0 ] && ns=(unshare -m --propagation private)
	LTTNG_HOME=$work/lt-home T=lttng B=$build/bench/bench-tracepoint-lttng OUT=$work/lt \
		ROUNDS=$rounds "${ns[@]}" bash -c '
		set -e
		mkdir -p "$LTTNG_HOME"
		if [ "$(id -u)" = 0 ]; then
			mkdir -p /run/lttng; mount -t tmpfs tmpfs /run/lttng; mount -t tmpfs tmpfs /dev/shm
		fi
		lttng-sessiond -d --no-kernel
		'"$steps"'
		kill $(cat /run/lttng/lttng-sessiond.pid "$LTTNG_HOME/.lttng/lttng-sessiond.pid" \
			2>/dev/null) 2>/dev/null || true'
}

side_by_side() {
	echo "ringtrace: $(rt_run | tr '\n' ' ')"
	if [ -x "$build/bench/bench-tracepoint-lttng" ] && command -v lttng-sessiond >/dev/null; then
		echo "lttng:     $(lt_run | tr '\n' ' ')"
	else
		echo "lttng:     not installed (or bench-tracepoint-lttng not built)"
	fi
}
