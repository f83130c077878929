#!/usr/bin/env bash
# bench/consumer-cpu.sh TRACE_DIR CMD...: runs CMD (traced by the session of
# bench/session.sh, which sets RINGTRACE_HOME or LTTNG_HOME), waits until the
# consumer daemon has written what CMD left in full sub-buffers, and prints
# the consumer daemon's CPU time (user + system, all its threads) and its
# threads' context switches over that time, per MB of stream files written
# under TRACE_DIR meanwhile:
#   consumer_ms_per_mb=<ms> consumer_switches_per_mb=<n>
set -euo pipefail
out=$1
shift

if [ -n "${RINGTRACE_HOME:-}" ]; then
	sessiond=$(cat "$RINGTRACE_HOME/.ringtrace/ringtrace-sessiond.pid")
	name='ringtrace-consu'
elif [ "$(id -u)" = 0 ]; then
	sessiond=$(cat /run/lttng/lttng-sessiond.pid)
	name='lttng-consumerd'
else
	sessiond=$(cat "$LTTNG_HOME/.lttng/lttng-sessiond.pid")
	name='lttng-consumerd'
fi
consumers=$(pgrep -P "$sessiond" -x "$name")

cpu_ticks() { # utime + stime of every consumer process
	for p in $consumers; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ s += $1 } END { print s + 0 }'
}
switches() { # voluntary + involuntary context switches of every consumer thread
	for p in $consumers; do cat /proc/"$p"/task/*/status; done |
		awk '/^(non)?voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'
}
stream_bytes() { # the stream files, not the index or the metadata
	find "$out" -type f ! -name metadata ! -name '*.idx' -printf '%s\n' 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }'
}

ticks0=$(cpu_ticks) switches0=$(switches) bytes0=$(stream_bytes)
"$@"
# What the command left in full sub-buffers is written within a few tenths of a second.
last=-1 bytes=$(stream_bytes)
while [ "$bytes" != "$last" ]; do
	sleep 0.2
	last=$bytes bytes=$(stream_bytes)
done
ticks1=$(cpu_ticks) switches1=$(switches)
awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v s="$((switches1 - switches0))" \
	-v b="$((bytes - bytes0))" 'BEGIN {
		mb = b / 1048576
		if (mb > 0) printf "consumer_ms_per_mb=%.3f consumer_switches_per_mb=%.2f\n", t * 1000 / hz / mb, s / mb
		else print "consumer_ms_per_mb=- consumer_switches_per_mb=-"
	}'
