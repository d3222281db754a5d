#!/usr/bin/env bash
# The fleet benchmark: prints figures, asserts nothing; not part of CI.
#   scripts/fleet.sh [BUILD_DIR] [N...]        (default: build 50 200 500)
# For each N: a mosquitto (persistence on, max_queued_messages 100000, as
# the tests and the shipped configuration) holding 10,000 open complaints
# and their timers from the simulator; N subscribers that take the
# retained replay as a board does (tools/fleet) and one real board,
# headless, among them. Then the broker is stopped and started again, and
# this prints how long until all N hold the full set again, the real
# board's own time to "in sync" with all 10,000, and the broker's CPU time
# and memory over the restart and replay. Lost links are retried as the
# board does (0.5 s doubling, +-25 %), so the times include that wait.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(50 200 500)
OPEN=${WB_FLEET_OPEN:-10000}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy} SDL_AUDIODRIVER=dummy
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
TICKS=$(getconf CLK_TCK)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null' EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # SECONDS COMMAND...
	local end=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
}
broker_start() {
	"$MOSQUITTO" -c "$WORK/mosquitto.conf" >>"$WORK/mosquitto.log" 2>&1 &
	BROKER=$!
	PIDS+=("$BROKER")
	wait_for 60 port_open "$PORT"
}
cpu_s() { awk -v hz="$TICKS" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
mem_mb() { awk -v k="$2" '$1 == k":" {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# The board took the replay again after the restart (a second resync, or
# more if its queue overflowed) and holds every complaint.
board_synced() {
	jq -e --argjson open "$OPEN" \
		'.counters.resyncs >= 2 and .synced and .complaints == $open' \
		"$WORK/board.json" >/dev/null 2>&1
}

echo "fleet: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mosquitto $("$MOSQUITTO" -h 2>/dev/null | head -1 | awk '{print $3}'), $OPEN open complaints"
for N in "${SIZES[@]}"; do
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/wb-fleet.XXXXXX")
	PORT=$((20000 + RANDOM % 12000))  # below the ephemeral range
	cat >"$WORK/mosquitto.conf" <<-CONF
		listener $PORT 127.0.0.1
		allow_anonymous true
		user $(id -un)
		persistence true
		persistence_location $WORK/
		autosave_interval 3600
		max_queued_messages 100000
	CONF
	broker_start
	"$BUILD/wallboard-sim" --broker "127.0.0.1:$PORT" --open "$OPEN" --duration 0 \
		--crisis off --seed 3 >"$WORK/sim.log" 2>&1
	# What a board's filters hold retained: the full set each must get.
	EXPECT=$(mosquitto_sub -h 127.0.0.1 -p "$PORT" -W 5 --retained-only \
		-t 'wallboard/producers/+/status' -t 'wallboard/complaints/+' -t 'wallboard/sla/+' \
		-t 'wallboard/crisis' -t 'wallboard/acks/+' 2>/dev/null | wc -l || true)
	"$BUILD/fleet" --broker "127.0.0.1:$PORT" --clients "$N" --expect "$EXPECT" \
		--rounds 2 >"$WORK/fleet.out" 2>"$WORK/fleet.err" &
	FLEET=$!
	PIDS+=("$FLEET")
	if ! wait_for 300 grep -q "^round 0" "$WORK/fleet.out"; then
		echo "N=$N: the first replay did not complete within 300 s"
		cat "$WORK/fleet.err"
		kill "$FLEET" "$BROKER" 2>/dev/null || true
		wait 2>/dev/null || true
		PIDS=()
		rm -rf "$WORK"
		continue
	fi
	"$BUILD/wallboard" --broker "127.0.0.1:$PORT" --windowed --size 1920x1080 \
		--state-dir "$WORK" --board-id fleet-board --dump-state "$WORK/board.json" \
		>"$WORK/board.log" 2>&1 &
	BOARD=$!
	PIDS+=("$BOARD")
	wait_for 120 jq -e '.synced' "$WORK/board.json" >/dev/null 2>&1 || true

	kill -TERM "$BROKER"
	wait "$BROKER" 2>/dev/null || true
	t0=$(now_ms)
	broker_start
	t_listen=$(now_ms)
	# The board and the fleet at once: the board's time is when its dump
	# first says so (written at most every 200 ms, polled every 50 ms).
	t_board=
	end=$(($(now_ms) + 600000))
	until grep -q "^round 1" "$WORK/fleet.out" && [ -n "$t_board" ]; do
		[ -n "$t_board" ] || ! board_synced || t_board=$(($(now_ms) - t0))
		[ "$(now_ms)" -lt "$end" ] || break
		sleep 0.05
	done
	grep -q "^round 1" "$WORK/fleet.out" || { echo "N=$N: fleet did not finish"; cat "$WORK/fleet.err"; }
	cpu=$(cpu_s "$BROKER")
	hwm=$(mem_mb "$BROKER" VmHWM)
	board_s="(not within 600 s)"
	[ -z "$t_board" ] || board_s=$(awk -v a="$t_board" 'BEGIN {printf "%.1f s", a / 1000}')
	done_at=$(sed -n 's/^round 1.*done_at=\([0-9]*\).*/\1/p' "$WORK/fleet.out")
	board_own=$(jq -r '"replay \(.counters.replay_ms) ms, resyncs \(.counters.resyncs)"' "$WORK/board.json" 2>/dev/null || true)
	echo "N=$N (+1 board): all $N hold the full set ($EXPECT retained) $(awk -v a="$t0" -v b="$done_at" 'BEGIN {printf "%.1f", (b - a) / 1000}') s after the broker started (listening after $(awk -v a="$t0" -v b="$t_listen" 'BEGIN {printf "%.1f", (b - a) / 1000}') s); the board in sync with $OPEN after $board_s ($board_own); broker CPU ${cpu} s, peak RSS ${hwm} MB"
	sed -n 's/^round 1: /  fleet: /p' "$WORK/fleet.out" | sed 's/; done_at=.*//'
	kill "$BOARD" "$FLEET" "$BROKER" 2>/dev/null || true
	wait 2>/dev/null || true
	PIDS=()
	rm -rf "$WORK"
done
