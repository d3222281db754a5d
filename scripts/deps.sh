#!/usr/bin/env bash
# Installs the Debian packages wallboard needs to build, test and run the
# demo, but only those missing (apt-get update runs only if something is).
#   scripts/deps.sh --arm64   also what cross-building the arm64 package and
#                             running it under qemu needs (adds the arm64
#                             architecture to dpkg: multiarch -dev packages)
set -euo pipefail

PKGS=(
	build-essential cmake pkg-config
	libsdl2-dev libsdl2-ttf-dev
	libpng-dev                        # screenshots (src/app/pngfile.c)
	libharfbuzz-dev libfreetype-dev   # text runs shaped and drawn (src/ui/fontrun.c)
	libsdl2-image-dev                 # the tests read screenshots back
	libmosquitto-dev libcjson-dev libfribidi-dev libinih-dev libcrypt-dev
	libssl-dev                        # libcrypto: HMAC of signed acks
	libsystemd-dev                    # sd_notify: READY, WATCHDOG, STATUS
	fonts-noto-color-emoji            # colour emoji (a 10 MB bitmap font, not shipped)
	mosquitto mosquitto-clients
	clang libclang-rt-14-dev          # libFuzzer targets
	jq socat                          # integration tests
	openssl                           # test_declare_crisis checks a signature
	libegl-mesa0 libgl1-mesa-dri      # test_renderer: OpenGL on llvmpipe (SDL offscreen)
	file man-db                       # package and install tests
	shellcheck adduser                # the package's maintainer scripts
	dpkg-dev                          # dpkg-shlibdeps (scripts/package.sh)
)

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ "${1:-}" = --arm64 ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		$SUDO apt-get update -q
	fi
	PKGS+=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user-static
	       libsdl2-dev:arm64 libsdl2-ttf-dev:arm64 libpng-dev:arm64
	       libharfbuzz-dev:arm64 libfreetype-dev:arm64
	       libmosquitto-dev:arm64 libcjson-dev:arm64 libfribidi-dev:arm64
	       libinih-dev:arm64 libcrypt-dev:arm64 libsystemd-dev:arm64 libssl-dev:arm64)
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
# Node.js runs the second test broker (aedes) and an MQTT.js producer. A
# node already on the machine (any packaging) is kept; else Debian's.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	$SUDO apt-get update -q
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# tests/brokers: aedes and MQTT.js at the versions package-lock.json pins,
# installed again only when the lock file changed (node_modules/ is ignored
# by git). aedes 1.x declares Node.js >= 20 but runs on Debian 12's 18.20
# (the aedes tests pass with it; npm only warns).
cd "$(dirname "$0")/../tests/brokers"
if [ ! -f node_modules/.package-lock.json ] ||
	[ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "deps: npm ci in tests/brokers"
	npm ci --no-audit --no-fund --loglevel=error
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
	echo "deps: warning: node $(node --version) < 18: the aedes tests will be skipped" >&2
fi
