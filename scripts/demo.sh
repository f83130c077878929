#!/usr/bin/env bash
# The main job: traces the bundled example with ringtrace and prints its events.
# Uses a private RINGTRACE_HOME so it leaves no daemon behind.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" >/dev/null
export RINGTRACE_HOME=$(mktemp -d)
stop_daemon() {
	local pidfile=$RINGTRACE_HOME/.ringtrace/ringtrace-sessiond.pid
	[ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
}
trap stop_daemon EXIT
trace=$RINGTRACE_HOME/demo-trace
"$build/src/cli/ringtrace" create demo --output="$trace"
"$build/src/cli/ringtrace" enable-event -u 'hello:*'
"$build/src/cli/ringtrace" start
"$build/examples/hello" ringtrace 3
"$build/src/cli/ringtrace" stop
"$build/src/cli/ringtrace" destroy
echo
"$build/src/cli/ringtrace" view -t "$trace"
