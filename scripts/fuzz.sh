#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in
# a separate build directory, then runs each for a bounded time from its
# seed corpus. Exits non-zero when a target crashes, leaks, trips a
# sanitizer or times out; the input that did it is left in
# $FUZZ_BUILD_DIR/fuzz-artifacts/.
#
#   scripts/fuzz.sh [TARGET...]      default: every tests/fuzz/fuzz-*.c
#
# Environment: FUZZ_SECONDS (per target, default 20), FUZZ_BUILD_DIR
# (default build-fuzz), FUZZ_JOBS (parallel fuzzing processes, default 1),
# FUZZ_ARGS (more libFuzzer options, e.g. "-max_len=70000").
# Seeds come from tests/fuzz/corpus/<word after "fuzz-">/ and are not
# modified: new inputs go to $FUZZ_BUILD_DIR/fuzz-corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-1}

if ! command -v clang >/dev/null; then
	echo "fuzz.sh: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi
if [ ! -f "$build/build.ninja" ]; then
	CC=clang CXX=clang++ meson setup "$build" -Db_sanitize=address,undefined \
		-Db_lundef=false >"$build.setup.log" 2>&1 || {
		cat "$build.setup.log" >&2
		exit 2
	}
	rm -f "$build.setup.log"
fi

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for src in tests/fuzz/fuzz-*.c; do
		targets+=("$(basename "$src" .c)")
	done
fi

# Only the fuzz targets: the rest of the tree is no business of this build.
ninja -C "$build" "${targets[@]/#/tests/fuzz/}" >/dev/null || {
	echo "fuzz.sh: build failed (is -fsanitize=fuzzer usable? see $build/meson-logs)" >&2
	exit 2
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

status=0
for t in "${targets[@]}"; do
	name=${t#fuzz-}
	seeds=tests/fuzz/corpus/${name%%-*}
	work=$build/fuzz-corpus/$t
	artifacts=$build/fuzz-artifacts
	mkdir -p "$work" "$artifacts"
	args=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1
		-artifact_prefix="$artifacts/$t-")
	[ -f "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
	[ "$jobs" -gt 1 ] && args+=(-fork="$jobs")
	# shellcheck disable=SC2206 # FUZZ_ARGS is a list of options
	[ -n "${FUZZ_ARGS:-}" ] && args+=(${FUZZ_ARGS})
	echo "== $t: ${seconds}s, seeds $seeds"
	dirs=("$work")
	[ -d "$seeds" ] && dirs+=("$seeds")
	if "$build/tests/fuzz/$t" "${args[@]}" "${dirs[@]}" >"$build/$t.log" 2>&1; then
		grep -E '^stat::(number_of_executed_units|new_units_added)' "$build/$t.log" || true
		echo "== $t: no crash"
	else
		tail -n 40 "$build/$t.log"
		echo "== $t: FAILED (log: $build/$t.log, input in $artifacts/)"
		status=1
	fi
done
exit $status
