#!/usr/bin/env bash
# Builds ringtrace twice (optimized, and with ASan+UBSan) and runs the whole
# test suite: C unit tests on both builds, end-to-end tests (real daemons,
# real apps, traces read back with babeltrace2) on both builds.
# Ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
py=/usr/bin/python3 # Debian's python3 carries python3-bt2
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

build() { # dir, meson options...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$results/setup-$dir.log" 2>&1 || {
			cat "$results/setup-$dir.log"
			return 1
		}
	fi
	ninja -C "$dir" >"$results/ninja-$dir.log" 2>&1 || {
		tail -n 60 "$results/ninja-$dir.log"
		return 1
	}
}

status=0
build build -Dwerror=true || status=1
build build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false || status=1
if [ $status -ne 0 ]; then
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_odr_violation=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

for dir in build build-asan; do
	echo "== unit tests ($dir)"
	meson test -C "$dir" --print-errorlogs --num-processes 2 --suite unit 2>&1 | tail -n 25
	cp "$dir/meson-logs/testlog.json" "$results/unit-$dir.json" 2>/dev/null || true
done

# Four pytest workers: most of a test's time is spent waiting for daemons and
# apps, so they overlap well even on 2 cores. Each test has its own
# RINGTRACE_HOME, ports and lttng namespace. The summary names every failure.
run_pytest() { # build dir, report name, test dirs...
	local dir=$1 name=$2
	shift 2
	echo "== $name ($dir)"
	RINGTRACE_BUILD_DIR="$top/$dir" "$py" -m pytest -q -p no:cacheprovider -n 4 -rfEs \
		--junitxml="$results/$name-$dir.xml" "$@" 2>&1 | tail -n 60
}
run_pytest build e2e tests/e2e
run_pytest build-asan e2e tests/e2e
run_pytest build interop tests/interop

echo "== fuzz targets (bounded time)"
for src in tests/fuzz/fuzz-*.c; do
	target=$(basename "$src" .c)
	if FUZZ_SECONDS=${FUZZ_SECONDS:-6} ./scripts/fuzz.sh "$target" >"$results/$target.log" 2>&1; then
		echo "$target: passed"
		echo pass >"$results/$target.fuzz"
	else
		echo "$target: FAILED"
		tail -n 30 "$results/$target.log"
		echo fail >"$results/$target.fuzz"
	fi
done

"$py" - "$results" <<'PYEOF'
import glob, json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
passed = failed = skipped = 0
for f in glob.glob(d + "/unit-*.json"):
    for line in open(f):
        r = json.loads(line).get("result")
        if r == "OK" or r == "EXPECTEDFAIL":
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
for f in glob.glob(d + "/*.fuzz"):
    if open(f).read().strip() == "pass":
        passed += 1
    else:
        failed += 1
for f in glob.glob(d + "/*.xml"):
    root = ET.parse(f).getroot()
    for ts in root.iter("testsuite"):
        t = int(ts.get("tests", 0)); fl = int(ts.get("failures", 0)) + int(ts.get("errors", 0))
        sk = int(ts.get("skipped", 0))
        passed += t - fl - sk; failed += fl; skipped += sk
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or passed == 0 else 0)
PYEOF
