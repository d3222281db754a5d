#!/usr/bin/env bash
# The benchmark: prints figures, asserts nothing.
#   scripts/bench.sh [BUILD_DIR]
# 1. bench (tools/bench, in process): frame time with 10,000 open complaints,
#    messages/s into the model, messages/s end to end through mosquitto;
# 2. the real board, headless at 1920x1080, fed 10,000 retained complaints
#    by the simulator: CPU while idle (nothing arriving) and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy} SDL_AUDIODRIVER=dummy
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wb-bench.XXXXXX")
PORT=$((20000 + RANDOM % 40000))
cat >"$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
max_queued_messages 1000000
CONF
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
BROKER=$!
BOARD=
trap 'kill $BOARD $BROKER 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

echo "== in process (bench)"
WB_ASSETS=$PWD/assets "$BUILD/bench" --broker "127.0.0.1:$PORT"

# As on a wall: no --dump-state (a test aid that rewrites a JSON file on
# every change); the board's own log says when the retained replay is in.
echo "== the board, 10,000 open complaints, headless 1920x1080"
"$BUILD/wallboard-sim" --broker "127.0.0.1:$PORT" --prefix bench --open 10000 \
	--duration 0 --crisis off --seed 3 >"$WORK/sim.log" 2>&1
t_start=$(date +%s.%N)
"$BUILD/wallboard" --broker "127.0.0.1:$PORT" --prefix bench --windowed \
	--size 1920x1080 --state-dir "$WORK" >"$WORK/board.log" 2>&1 &
BOARD=$!
for _ in $(seq 600); do
	grep -q "in sync with the broker" "$WORK/board.log" && break
	sleep 0.05
done
t_sync=$(date +%s.%N)
grep -o "in sync with the broker: [0-9]* complaints held" "$WORK/board.log"
awk -v a="$t_start" -v b="$t_sync" 'BEGIN { printf "start to in sync: %.1f s\n", b - a }'
sleep 3
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$BOARD/stat"; }
c0=$(cpu); t0=$(date +%s.%N)
sleep "${WB_IDLE_SECONDS:-30}"
c1=$(cpu); t1=$(date +%s.%N)
awk -v c="$((c1 - c0))" -v hz="$ticks" -v a="$t0" -v b="$t1" \
	'BEGIN { printf "idle CPU: %.2f%% of one core over %.0f s (nothing arriving; breach timers tick, unacknowledged alarms flash at 1 Hz)\n", 100 * c / hz / (b - a), b - a }'
grep -E 'VmHWM|VmRSS' "/proc/$BOARD/status" | awk '{printf "board %s %.1f MB\n", $1, $2 / 1024}'
