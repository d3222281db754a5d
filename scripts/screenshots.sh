#!/usr/bin/env bash
# The README's screenshots: the board in English, Hebrew and Persian, calm
# and during a crisis, from the simulator with a fixed seed, headless.
#   scripts/screenshots.sh [BUILD_DIR] [OUT_DIR] [WxH]
# (defaults: build, docs/screenshots, 1280x720). Remake them after a change
# to the screen and commit the PNGs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
OUT=${2:-docs/screenshots}
SIZE=${3:-1280x720}
mkdir -p "$OUT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wallboard-shots.XXXXXX")
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
BROKER=
cleanup() {
	[ -n "$BROKER" ] && kill "$BROKER" 2>/dev/null && wait "$BROKER" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# A free loopback port (nothing answers there), and a broker on it.
for _ in $(seq 100); do
	PORT=$((20000 + RANDOM % 40000))
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || break
done
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\n' \
	"$PORT" >"$WORK/mosquitto.conf"
"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
BROKER=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

declare -A SITE=([en]="Support floor 3" [he]="מוקד שירות, קומה 3" [fa]="پشتیبانی مشتریان، طبقه ۳")

# sim MODE: the same backlog every time (seed 7), with or without a crisis.
sim() {
	local crisis=off
	[ "$1" = crisis ] && crisis=now
	"$BUILD/wallboard-sim" --broker "127.0.0.1:$PORT" --seed 7 --open 60 \
		--duration 0 --clear --status-every 0 --crisis "$crisis" >>"$WORK/sim.log" 2>&1
}

for mode in calm crisis; do
	sim "$mode"
	for lang in en he fa; do
		SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$BUILD/wallboard" \
			--broker "127.0.0.1:$PORT" --size "$SIZE" --lang "$lang" \
			--site "${SITE[$lang]}" --state-dir "$WORK/state-$lang" \
			--screenshot "$OUT/$lang-$mode.png" --screenshot-after 2.5 \
			>>"$WORK/board.log" 2>&1
		echo "$OUT/$lang-$mode.png"
	done
done
