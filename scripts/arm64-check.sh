#!/usr/bin/env bash
# The arm64 package, checked on this amd64 machine: installs the cross
# toolchain, multiarch -dev packages and qemu-user (scripts/deps.sh
# --arm64), builds dist/wallboard_<version>_arm64.deb (scripts/package.sh
# arm64), unpacks it with dpkg -x into a throwaway root and checks:
#   - the binaries are aarch64 ELF, Depends names the arm64 libraries;
#   - under qemu-aarch64-static: --version, --print-config (equal to the
#     packaged example), --hash-pin;
#   - a headless --screenshot against a local mosquitto, and its state
#     dump (the board drew the complaint it was sent).
# qemu runs without -L: the arm64 libraries and their loader come from
# the multiarch libc6:arm64 (/lib/ld-linux-aarch64.so.1). With -L
# /usr/aarch64-linux-gnu the cross toolchain's older ld.so is paired with
# the newer multiarch libc.so.6, and the program spins in pthread_create
# (docs/kmsdrm.md).
# Not part of scripts/check.sh (CI): it adds the arm64 architecture to
# dpkg and about 160 packages. Takes about 4 minutes on a fresh machine
# (apt), 1.5 minutes once they are installed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
scripts/deps.sh --arm64 || exit 1
scripts/package.sh arm64 || exit 1
VERSION=$(sed -n 's/^project(wallboard VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
DEB=$ROOT/dist/wallboard_${VERSION}_arm64.deb

export MOSQUITTO=${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}
. tests/integration/lib.sh
QEMU=(qemu-aarch64-static)
R=$WORK/root
dpkg -x "$DEB" "$R"
BIN=$R/usr/bin/wallboard

check "Architecture: arm64" test "$(dpkg-deb -f "$DEB" Architecture)" = arm64
check "Depends from the arm64 libraries" bash -c "dpkg-deb -f '$DEB' Depends | grep -q 'libsdl2-2.0-0'"
check "wallboard is aarch64" bash -c "file -L '$BIN' | grep -q 'ARM aarch64'"
check "wallboard-sim is aarch64" bash -c "file -L '$R/usr/bin/wallboard-sim' | grep -q 'ARM aarch64'"
check "--version under qemu" bash -c "${QEMU[*]} '$BIN' --version | grep -qx 'wallboard $VERSION'"
"${QEMU[@]}" "$BIN" --print-config >"$WORK/print-config.ini" 2>/dev/null
check "--print-config under qemu equals the packaged example" \
	cmp -s "$WORK/print-config.ini" "$R/etc/wallboard/wallboard.ini"
check "--hash-pin under qemu" bash -c \
	"echo 123456 | ${QEMU[*]} '$BIN' --hash-pin | grep -q '^pin_hash = \\\$y\\\$'"

start_broker
complaint a-1 facebook "arm64" -7200
sla a-1 -60
start=$(date +%s)
run_installed arm 640x400 timeout -s KILL "${WB_ARM64_SHOT_S:-60}" "${QEMU[@]}" "$BIN"
rc=$?
echo "# screenshot under qemu: exit $rc after $(($(date +%s) - start)) s"
check "headless screenshot under qemu" test "$rc" -eq 0 -a -s "$WORK/arm.png"
check "the arm64 board drew the breached complaint" \
	bash -c "grep -q '\"a-1\"' '$WORK/arm.json'"

finish
