#!/usr/bin/env bash
# Installs the Debian packages wallboard needs to build, test and run the
# demo, but only those missing (apt-get update runs only if something is).
set -euo pipefail

PKGS=(
	build-essential cmake pkg-config
	libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
	libmosquitto-dev libcjson-dev libfribidi-dev libinih-dev libcrypt-dev
	libssl-dev                        # libcrypto: HMAC of signed acks
	mosquitto mosquitto-clients
	clang libclang-rt-14-dev          # libFuzzer targets
	jq socat                          # integration tests
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
$SUDO apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
