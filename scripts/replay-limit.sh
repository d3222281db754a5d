#!/usr/bin/env bash
# replay-limit.sh - how large a retained set does a board receive whole?
#
#   scripts/replay-limit.sh BUILD_DIR [SIZES] [RUNS] [CONFIGS]
#   e.g. scripts/replay-limit.sh build "10000 25000 50000 100000 200000" 3
#   (CONFIGS: "default shipped", the default, or one of them)
#
# For each broker configuration - mosquitto's defaults, and the shipped
# assets/mosquitto/wallboard-broker.conf - and each number of open
# complaints, it starts a fresh mosquitto on a free loopback port, lets the
# simulator publish that many complaints with their SLA timers (two
# retained messages each, QoS 1, every one acknowledged), then starts a
# board headless and reads its state dump when it says it is in sync:
# complaints and timers held, how long the retained replay took (connected
# to in sync), and its completeness verdict. mosquitto_sub at QoS 0 takes
# the same retained set for comparison. Prints a Markdown table; figures,
# not a test.
set -u
BUILD=${1:?usage: replay-limit.sh BUILD_DIR [SIZES] [RUNS]}
SIZES=${2:-10000 25000 50000 100000 200000}
RUNS=${3:-1}
CONFIGS=${4:-default shipped}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$BUILD/wallboard
SIM=$BUILD/wallboard-sim
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
# The test suite's helpers: WORK (removed at exit), PIDS stopped at exit,
# free_port, now_ms, plain_broker.
. "$ROOT/tests/integration/lib.sh"

# board: prints "complaints timers replay_ms completeness" at its first sync
# (its own cap on complaints raised out of the way: the broker is measured)
board() {
	local dump=$WORK/board.json
	rm -f "$dump"
	"$BIN" --broker "127.0.0.1:$PORT" --assets "$ROOT/assets" --board-id replay-limit \
		--state-dir "$WORK" --dump-state "$dump" --size 800x480 \
		--set limits.max_complaints=10000000 >"$WORK/board.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	local deadline=$(($(now_ms) + 120000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		if [ "$(jq -r .synced "$dump" 2>/dev/null)" = true ]; then
			sleep 0.3   # one more dump: the verdict follows the sync
			jq -r '"\(.complaints) \(.timers) \(.counters.replay_ms) \(.completeness)"' "$dump"
			kill "$pid"
			wait "$pid" 2>/dev/null
			return 0
		fi
		sleep 0.05
	done
	echo "0 0 - no-sync"
	kill "$pid"
}

# mosquitto_sub at QoS 0: retained messages received within 5 s of quiet
sub_count() {
	mosquitto_sub -h 127.0.0.1 -p "$PORT" -q 0 -t 'wallboard/complaints/+' \
		-t 'wallboard/sla/+' --retained-only -W 8 2>/dev/null | wc -l
}

echo "| broker | complaints | retained msgs | board: complaints / timers held | whole | replay | board's verdict | mosquitto_sub (QoS 0) |"
echo "|---|---|---|---|---|---|---|---|"
for conf in $CONFIGS; do
	for n in $SIZES; do
		for run in $(seq 1 "$RUNS"); do
			plain_broker "$conf" || exit 1
			PORT=$BROKER_PORT
			if ! "$SIM" --broker "127.0.0.1:$PORT" --open "$n" --duration 0 --seed "$run" \
				--crisis-every 0 >"$WORK/sim.log" 2>&1; then
				echo "simulator failed: $(tail -1 "$WORK/sim.log")" >&2
			fi
			read -r c t ms verdict < <(board)
			s=$(sub_count)
			whole=no
			[ "$c" -ge "$n" ] && [ "$t" -ge "$n" ] && whole=yes
			printf "| %s | %s | %s | %s / %s | %s | %s ms | %s | %s |\n" "$conf" "$n" \
				"$((2 * n))" "$c" "$t" "$whole" "$ms" "$verdict" "$s"
			stop_plain_broker
		done
	done
done
