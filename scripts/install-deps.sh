#!/usr/bin/env bash
# Installs what ringtrace needs to build, run and be tested on Debian 12.
# The real LTTng 2.13 is installed too: the interop tests and benchmarks compare against it.
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends \
	gcc clang meson ninja-build pkg-config \
	liburcu-dev libxml2-dev libcmocka-dev \
	babeltrace2 python3 python3-bt2 python3-pytest python3-pytest-xdist \
	groff-base man-db \
	lttng-tools liblttng-ust-dev libclang-rt-14-dev >/dev/null
