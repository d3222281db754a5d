#!/usr/bin/env bash
# Builds wallboard and runs every test:
#  1. a release build with -Werror (optimised builds warn differently);
#  2. the whole suite (unit + integration against real mosquitto brokers)
#     built with AddressSanitizer and UndefinedBehaviorSanitizer;
#  3. each libFuzzer target for a short run (clang);
#  4. the amd64 Debian package (dist/), from its own release build;
#  5. the arm64 package, cross-built and run under qemu-user
#     (scripts/arm64-check.sh; its first run installs the cross
#     toolchain and arm64 libraries, about 5 minutes of apt).
# Exits non-zero on the first failure. Nothing is skipped quietly: a
# missing tool fails the run (scripts/deps.sh installs them all); only
# WB_SKIP_FUZZ=1 leaves the fuzzers out, and the summary line says so.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)
START=$SECONDS

need=(cmake mosquitto_pub mosquitto_sub jq socat dpkg)
[ "${WB_SKIP_FUZZ:-0}" = 1 ] || need+=(clang)
missing=()
for t in "${need[@]}"; do
	command -v "$t" >/dev/null || missing+=("$t")
done
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || missing+=(mosquitto)
if [ ${#missing[@]} -gt 0 ]; then
	echo "check: FAILED: missing ${missing[*]} (run scripts/deps.sh)" >&2
	exit 1
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$JOBS"

cmake -S . -B build-asan -DWB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$JOBS"
# No leak suppressions: every leak LeakSanitizer finds fails the suite.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# CI runs scripts/deps.sh first, which installs the aedes broker: an aedes
# test variant that finds it missing fails instead of skipping.
export WB_REQUIRE_AEDES=1
ctest --test-dir build-asan --output-on-failure -j2

skipped=""
if [ "${WB_SKIP_FUZZ:-0}" = 1 ]; then
	skipped=" SKIPPED: fuzzers (WB_SKIP_FUZZ=1)"
else
	FUZZERS=(fuzz_decode fuzz_config fuzz_ack fuzz_journal)
	CC=clang cmake -S . -B build-fuzz -DWB_FUZZ=ON -DBUILD_TESTING=ON >/dev/null
	cmake --build build-fuzz -j"$JOBS" --target "${FUZZERS[@]}"
	for f in "${FUZZERS[@]}"; do
		mkdir -p "build-fuzz/corpus-$f"
		"build-fuzz/tests/$f" -max_total_time="${WB_FUZZ_SECONDS:-30}" \
			"build-fuzz/corpus-$f" tests/fuzz/"${f#fuzz_}" 2>&1 | tail -n 2
	done
fi
scripts/package.sh "$(dpkg --print-architecture)"
[ "$(dpkg --print-architecture)" != amd64 ] || scripts/arm64-check.sh
echo "check: all passed in $((SECONDS - START)) s;${skipped:- nothing skipped}"
