#!/usr/bin/env bash
# The crisis playbook checklist, shared by every board:
#  - nothing ticked after crisis.first_step_within: "Crisis: no step taken";
#  - a lead taps a step's box on board A and types the PIN: B shows the
#    tick (who, when) within a second; the tick is retained on the broker
#    with its crisis_since; the "no step" alarm clears;
#  - a wrong PIN ticks nothing;
#  - the tick survives a broker restart and a board restart;
#  - unticking takes the PIN too;
#  - when the crisis ends the retained ticks are removed and the report
#    says who did what; a new crisis starts unticked.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
HASH=$(echo 4711 | "$WB_BIN" --hash-pin | sed 's/^pin_hash = //')
printf '[crisis]\nfirst_step_within = 3s\n\n[lead.dana]\npin_hash = %s\n' "$HASH" >"$WORK/board.ini"
chmod 600 "$WORK/board.ini"
SINCE=$(at -1)
crisis_json() { # SINCE
	jq -cn --arg since "$1" '{active:true, level:2, title:"Payments down", since:$since,
		playbook:["Pause scheduled posts", "Post a holding statement", "Call the escalation list"]}'
}
pub crisis "$(crisis_json "$SINCE")"

# tap_script FILE STEP PIN: tap step STEP's box (from the dump of a board
# of the same size), type the PIN, OK.
tap_script() {
	local box x y
	box=$(state probe ".step_boxes[$(($2 - 1))]")
	x=$(jq -r '.[0] + (.[2] / 4 | floor)' <<<"$box")   # [x, y, w, h]
	y=$(jq -r '.[1] + (.[3] / 2 | floor)' <<<"$box")
	printf '2.5 tap %s %s\n3 type %s\n3.5 key Return\n' "$x" "$y" "$3" >"$1"
}

# Where the steps are on a 1280x720 board (every board here has that size).
board probe --config "$WORK/board.ini" --size 1280x720 --windowed
P=$BOARD_PID
check "the banner has a box per step" wait_until 10 state_is probe '.step_boxes | length' 3
check "nothing done yet" state_is probe .checklist.done 0
check "no step taken: an alarm after 3 s" wait_until 10 alarm_is probe crisis-steps state firing
check "its words" test "$(alarm probe crisis-steps label)" = "Crisis: no step taken"
tap_script "$WORK/tick2.script" 2 4711
tap_script "$WORK/wrong1.script" 1 9999
kill "$P"

# 1. A lead ticks step 2 on A; B sees it.
board b --config "$WORK/board.ini" --size 1280x720 --windowed
B=$BOARD_PID
check "B is in sync" wait_until 10 state_is b .synced true
board a --config "$WORK/board.ini" --size 1280x720 --windowed --input-script "$WORK/tick2.script"
A=$BOARD_PID
check "A: step 2 ticked by dana" wait_until 10 state_is a '.checklist.steps[1].by' dana
check "A: done" state_is a '.checklist.steps[1].done' true
check "B: shows the tick within a second" wait_until 1 state_is b '.checklist.steps[1].done' true
check "B: by dana, on board a" \
	test "$(state b '.checklist.steps[1] | "\(.by) \(.board)"')" = "dana a"
check "B: 1 of 3 done" state_is b .checklist.done 1
check "the tick is retained, with its crisis" \
	test "$(retained crisis/steps/2 | jq -r '"\(.step) \(.done) \(.by) \(.crisis_since)"')" \
	= "2 true dana $SINCE"
check "B: the no-step alarm cleared" wait_until 5 bash -c \
	"[ \"\$(jq -r '[.alarms[] | select(.id==\"crisis-steps\" and .state!=\"cleared\")] | length' '$WORK/b.json')\" = 0 ]"
SDL_VIDEODRIVER=dummy "$WB_BIN" --broker "127.0.0.1:$BROKER_PORT" --assets "$WB_ASSETS" \
	--board-id shot --state-dir "$WORK/shot" --config "$WORK/board.ini" --size 1280x720 \
	--screenshot "$WORK/checklist.png" --screenshot-after 2 >>"$WORK/shot.log" 2>&1
check "a screenshot of the checklist" test -s "$WORK/checklist.png"
kill "$A"

# 2. A wrong PIN ticks nothing.
board c --config "$WORK/board.ini" --size 1280x720 --windowed --input-script "$WORK/wrong1.script"
C=$BOARD_PID
check "C: wrong PIN refused" wait_until 10 state_is c .ui.refused 1
check "C: step 1 not done" state_is c '.checklist.steps[0].done' false
check "nothing retained for step 1" test -z "$(retained crisis/steps/1)"
kill "$C"

# 3. The broker and board B restart: the tick is still there.
kill "$B"
stop_broker
restart_broker
board b --config "$WORK/board.ini" --size 1280x720 --windowed
B=$BOARD_PID
check "after broker and board restarts B shows the tick" \
	wait_until 10 state_is b '.checklist.steps[1].by' dana

# 4. Unticking takes the PIN as well (the same tap on a ticked step).
board a --config "$WORK/board.ini" --size 1280x720 --windowed --input-script "$WORK/tick2.script"
A=$BOARD_PID
check "B: step 2 unticked" wait_until 10 state_is b '.checklist.steps[1].done' false
check "B: 0 of 3 done" state_is b .checklist.done 0
kill "$A"

# tick it again on A, then end the crisis
board a --config "$WORK/board.ini" --size 1280x720 --windowed --input-script "$WORK/tick2.script"
A=$BOARD_PID
check "B: step 2 done again" wait_until 10 state_is b '.checklist.steps[1].done' true
# -d, line-buffered: the subscriber says when its SUBACK came, so the
# report (not retained) cannot go out before it listens.
stdbuf -oL mosquitto_sub -d -h 127.0.0.1 -p "$BROKER_PORT" -t 'wallboard/crisis/reports/#' -C 1 -W 20 \
	>"$WORK/report.out" 2>&1 &
REP=$!
check "the report's subscriber is subscribed" wait_until 5 grep -q SUBACK "$WORK/report.out"
pub_empty crisis
wait "$REP"
grep '^{' "$WORK/report.out" >"$WORK/report.json"
check "the report: step 2 done by dana" \
	test "$(jq -r '.steps[1] | "\(.done) \(.by)"' "$WORK/report.json")" = "true dana"
check "the report: time to the first step" \
	test "$(jq -r '.first_step_after_s >= 0' "$WORK/report.json")" = true
check "the retained tick is removed when the crisis ends" \
	wait_until 5 bash -c "[ -z \"\$(mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT \
		-t wallboard/crisis/steps/2 -C 1 -W 1 --retained-only 2>/dev/null)\" ]"

# 5. A new crisis starts unticked.
pub crisis "$(crisis_json "$(at 0)")"
check "B: the new crisis has its boxes" wait_until 10 state_is b '.checklist.steps | length' 3
check "B: nothing done in the new crisis" state_is b .checklist.done 0
kill "$A" "$B"

finish
