#!/usr/bin/env bash
# The demo: a mosquitto broker on loopback, the simulator feeding it, and
# the board on screen. Ctrl+Q (or closing the window) ends it all.
#   scripts/demo.sh [BUILD_DIR] [extra wallboard flags...]
# e.g. scripts/demo.sh build --lang he     (Hebrew, mirrored layout)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wallboard-demo.XXXXXX")
PORT=${WB_DEMO_PORT:-18830}
cat >"$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
# a board's retained replay is one burst of two messages per complaint
max_queued_messages 100000
CONF
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
BROKER=$!
trap 'kill $SIM $BROKER 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

"$BUILD/wallboard-sim" --broker "127.0.0.1:$PORT" --open 40 --rate 1 \
	--crisis-every 120 >"$WORK/sim.log" 2>&1 &
SIM=$!

WINDOW=(--windowed --size 1280x720)
[ -n "${WB_DEMO_FULLSCREEN:-}" ] && WINDOW=()
"$BUILD/wallboard" --broker "127.0.0.1:$PORT" --site "Demo support floor" \
	--state-dir "$WORK/state" "${WINDOW[@]}" "$@"
