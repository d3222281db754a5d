#!/usr/bin/env bash
# ThreadSanitizer run of the tests that exercise threads: the MQTT network
# thread against the main loop (resync, drops, reconnects, faults), the
# PIN check thread (ackui), delivery. A separate job from scripts/check.sh
# (which stays within CI's time): about 5 minutes on 2 cores.
#   scripts/tsan.sh [CTEST_REGEX]
# Every report goes to build-tsan/tsan-reports/ (the boards' own stderr is
# kept only for failing tests); any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
REGEX=${1:-'test_(ackui|pinguard|journal|resync|queue_resync|ack_refused|acks|fault_campaign|stop_connecting|signed_acks)$'}
cmake -S . -B build-tsan -DWB_TSAN=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-tsan -j"$(nproc)"
REPORTS=$PWD/build-tsan/tsan-reports
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 log_path=$REPORTS/report"
ctest --test-dir build-tsan -R "$REGEX" -j2 --output-on-failure
if compgen -G "$REPORTS/report.*" >/dev/null; then
	echo "tsan: reports in $REPORTS:"
	head -n 40 "$REPORTS"/report.*
	exit 1
fi
echo "tsan: clean"
