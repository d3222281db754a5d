#!/usr/bin/env bash
# An incomplete board says so beyond its own screen, and never calls the
# floor calm when it holds only part of it:
#  - the retained status JSON (boards/<id>/status) carries "completeness"
#    and, while incomplete, {held, announced, held_timers,
#    announced_timers, reason}; the reason is the board's own
#    limits.max_complaints when it refused ids, else the broker's queue
#    limit (test_complete checks that on a replay mosquitto really cut);
#  - with nothing breached among what it holds, the breach list says
#    "No breached complaints among 5 held — 300 announced", not "No
#    breached complaints" (dump: page.empty), in English and Hebrew; once
#    complete it says "No breached complaints" again, and nothing at all
#    once the board is not live.
# Small counts (300 complaints) so it runs in seconds; test_complete does
# the large sets.
. "$(dirname "$0")/lib.sh"

status() { retained "boards/$1/status"; }
status_is() { [ "$(status "$1" | jq -r "$2" 2>/dev/null)" = "$3" ]; }

# a fresh broker each part: nothing retained from the one before
fresh_broker() {
	[ -n "${BROKER_PID:-}" ] && stop_broker
	rm -f "$WORK/mosquitto.db"
	start_broker
}

# sim N: the simulator publishes N complaints and announces them.
sim() {
	"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --crisis-every 0 --status-every 2 \
		--rate 0.01 --seed 7 --open "$1" >>"$WORK/sim.log" 2>&1 &
	SIM_PID=$!
	PIDS+=("$SIM_PID")
}
sim_announced() {
	[ "$(retained producers/sim/status | jq -r .open 2>/dev/null)" = "$1" ]
}
stop_sim() {
	kill "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
}

# --- the board's own cap: reason limits.max_complaints ---------------------
fresh_broker || exit 1
sim 300
check "simulator announced 300" wait_until 30 sim_announced 300
board capped --set limits.max_complaints=100
check "capped: status says incomplete" wait_until 20 status_is capped .completeness incomplete
status capped >"$WORK/st-capped.json"
check "capped: held 100 of 300 announced" \
	test "$(jq -c '[.incomplete.held, .incomplete.announced]' "$WORK/st-capped.json")" = "[100,300]"
check "capped: the reason is the board's own limit" \
	test "$(jq -r .incomplete.reason "$WORK/st-capped.json")" = limits.max_complaints
check "capped: timers in the status too" \
	test "$(jq -r '.incomplete.announced_timers' "$WORK/st-capped.json")" = 300
check "capped: the status agrees with the dump" \
	test "$(jq -r .incomplete.held "$WORK/st-capped.json")" = "$(state capped .incomplete.held)"
check "capped: the dump (and the band) name the board's own limit" \
	state_is capped .incomplete.reason limits.max_complaints
kill "$BOARD_PID"
stop_sim

# --- nothing breached among what is held -------------------------------------
fresh_broker || exit 1
for i in 1 2 3 4 5; do
	complaint "c-$i" facebook "question $i" -300
	sla "c-$i" 7200
done
# a producer announcing far more than the broker holds (as after a cut)
announce() {
	pub producers/crm/status "{\"online\":true,\"interval_s\":600,\"at\":\"$(at 0)\",\"open\":$1,\"sla\":$1}"
}
announce 300
for l in en he; do
	board "calm-$l" --lang "$l" --size 1920x1080 --screenshot "$WORK/calm-$l.png" \
		--screenshot-after 4
	check "$l: incomplete" wait_until 10 state_is "calm-$l" .completeness incomplete
	check "$l: nothing breached" state_is "calm-$l" .totals.breached 0
	check "$l: the list says none among what is held" \
		wait_until 5 state_is "calm-$l" .page.empty none_among_held
	check "$l: status incomplete, held 5 of 300" wait_until 3 status_is "calm-$l" \
		'"\(.completeness) \(.incomplete.held) \(.incomplete.announced)"' "incomplete 5 300"
	check "$l: status reason: the broker's queue (the board refused nothing)" \
		status_is "calm-$l" .incomplete.reason broker_queue_limit
	check "$l: the dump (and the band) name the broker's queue" \
		state_is "calm-$l" .incomplete.reason broker_queue_limit
	check "$l: the facebook tile says Partial, not OK" wait_until 3 state_is "calm-$l" \
		'.layout.tile_boxes[] | select(.key == "facebook") | .state' partial
	wait "$BOARD_PID"
	check "$l: screenshot written" test -s "$WORK/calm-$l.png"
done

# the counts agree again: complete, and calm may be said
board agree --set remote.status_every=1s
check "agree: incomplete first" wait_until 10 state_is agree .completeness incomplete
announce 5
check "agree: complete once the producer announces what is held" \
	wait_until 10 state_is agree .completeness complete
check "agree: the list says No breached complaints" \
	wait_until 5 state_is agree .page.empty no_breaches
check "agree: the facebook tile says OK again" wait_until 3 state_is agree \
	'.layout.tile_boxes[] | select(.key == "facebook") | .state' ok
check "agree: the status says complete, incomplete null" \
	wait_until 5 status_is agree '"\(.completeness) \(.incomplete)"' "complete null"
# not live: the list claims nothing at all
stop_broker
check "broker gone: not live" wait_until 6 state_is agree .live false
check "not live: the list says nothing (page.empty null)" \
	wait_until 3 state_is agree .page.empty null
kill "$BOARD_PID"

finish
