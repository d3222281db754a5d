#!/usr/bin/env bash
# A remote "reload" applies every setting, through the real board:
#  - a change the board reads at each frame (the site name) applies in
#    place: no restart, the process keeps its counters;
#  - a change taken at start (the topic prefix) makes the board close the
#    journal and the link and run again as the same process (same PID, so
#    systemd's watchdog and notify socket stay valid), with no descriptor
#    left over, holding the data of the new prefix and answering commands
#    there.
. "$(dirname "$0")/lib.sh"

start_broker
complaint c-1 facebook "first floor, oldest" -7200
sla c-1 -600
complaint c-2 instagram "first floor, second" -7200
sla c-2 -300
# floor2: one complaint, copied from the first floor's retained c-1
for t in complaints/c-1 sla/c-1; do
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -r -t "floor2/$t" \
		-m "$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "wallboard/$t" -C 1 -W 3)"
done

# cmd PREFIX PAYLOAD: a command to board rl, prints its answer
cmd() {
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "$1/boards/rl/result" \
		-C 1 -W 8 >"$WORK/result" 2>/dev/null &
	local sub=$!
	sleep 0.3
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -t "$1/boards/rl/cmd" -m "$2"
	wait "$sub"
	cat "$WORK/result"
}
answer() { jq -e "$1" "$WORK/result" >/dev/null 2>&1; }
fds() { find "/proc/$RL/fd" -mindepth 1 -maxdepth 1 | wc -l; }
live_with() { state_is rl .live true && state_is rl .complaints "$1"; }

printf '[remote]\nallow_unsigned = true\n' >"$WORK/rl.ini"
board rl --config "$WORK/rl.ini" --size 640x400
RL=$BOARD_PID
check "board live with the first floor's 2 complaints" wait_until 10 live_with 2
fds_before=$(fds)
# the board logs its video driver once per start
starts() { grep -c 'video driver' "$WORK/rl.log"; }

printf '[remote]\nallow_unsigned = true\n[board]\nsite = Second name\n' >"$WORK/rl.ini"
out=$(cmd wallboard reload)
check "site changed: applied in place ($out)" answer '.ok and (.detail | test("without a restart"))'
check "... without starting again" test "$(starts)" -eq 1

printf '[remote]\nallow_unsigned = true\n[mqtt]\nprefix = floor2\n' >"$WORK/rl.ini"
out=$(cmd wallboard reload)
check "prefix changed: the board restarts to apply it ($out)" \
	answer '.ok and (.detail | test("restarting"))'
check "restarted as the same process" kill -0 "$RL"
started_twice() { [ "$(starts)" -eq 2 ]; }
check "... which started once more" wait_until 5 started_twice
check "... and holds floor2's one complaint" wait_until 10 live_with 1
check "... the breach of floor2" state_is rl '.breached[0]' c-1
check "... with as many descriptors as before ($fds_before)" test "$(fds)" -eq "$fds_before"
out=$(cmd floor2 identify)
check "commands are taken on the new prefix ($out)" answer '.ok'
check "the restart said why in the log" grep -q "restarting to apply" "$WORK/rl.log"

finish
