#!/usr/bin/env bash
# Declaring a crisis from a surge alarm, with two boards and the simulator:
#  - the simulator bursts 23 new complaints on Instagram (usually 4 in
#    10 min): a surge alarm with a "Declare crisis" button;
#  - a wrong PIN on that button declares nothing: nothing on the crisis
#    topic;
#  - a lead's PIN on board A declares it: the crisis topic, retained and
#    QoS 1, carries the configured title, message, level, playbook and
#    contacts, declared_by, the board, the surge, and a signature that
#    verifies under the ack key;
#  - board B shows the banner: that crisis, its playbook boxes, declared
#    by dana; no declare button while a crisis is on;
#  - declared while the broker is down: shown on the board at once,
#    journaled, published when the broker is back;
#  - without a playbook the button is not offered, and the log says why.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
KEY=$WORK/ack.key
"$WB_BIN" --make-ack-key "$KEY" >/dev/null 2>&1
HASH=$(echo 4711 | "$WB_BIN" --hash-pin | sed 's/^pin_hash = //')
cat >"$WORK/board.ini" <<-INI
	[acks]
	key_file = $KEY

	[crisis]
	level = 3
	title = Instagram surge
	message = Complaints pour in on Instagram
	step1 = Pause scheduled posts
	step3 = Call the escalation list
	step2 = Post a holding statement

	[contact.1]
	role = On call
	name = Noa
	phone = +972 50 000 0000

	[contact.pr]
	role = PR
	name = Avi

	[lead.dana]
	pin_hash = $HASH
INI
chmod 600 "$WORK/board.ini"
# The same board without a playbook.
grep -v '^step' "$WORK/board.ini" >"$WORK/bare.ini"
chmod 600 "$WORK/bare.ini"

# seed NAME: the board has watched for a day already (0.4 a minute on
# Instagram is usual).
seed() { surge_seed "$1" instagram=0.4; }
# declare_script FILE PIN [AT]: tap the surge's "Declare crisis" (where
# the probe board of the same size drew it) AT seconds after the start
# (3), type the PIN, OK.
declare_script() {
	local t=${3:-3}
	printf '%s tap %s %s\n%s type %s\n%s key Return\n' "$t" "$X" "$Y" "$((t + 1))" "$2" \
		"$((t + 2))" >"$1"
}

"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 7 --open 0 --duration 0 --crisis-every 0 \
	--burst instagram:23:120 >>"$WORK/sim.log" 2>&1
check "the simulator published its burst" test $? -eq 0

# Where the button is on a 1920x1080 board (every board here has that size).
seed probe
board probe --config "$WORK/board.ini" --size 1920x1080 --windowed
P=$BOARD_PID
check "surge on Instagram" wait_until 10 alarm_is probe surge:instagram state firing
check "a Declare crisis button on its line" \
	wait_until 5 bash -c "jq -e '.declare_boxes[\"surge:instagram\"]' '$WORK/probe.json' >/dev/null"
check "declaring is offered" state_is probe .ui.declare_offered true
BOX=$(state probe '.declare_boxes["surge:instagram"]')
X=$(jq -r '.[0] + (.[2] / 2 | floor)' <<<"$BOX")
Y=$(jq -r '.[1] + (.[3] / 2 | floor)' <<<"$BOX")
declare_script "$WORK/right.script" 4711
declare_script "$WORK/wrong.script" 9999
declare_script "$WORK/offline.script" 4711 12
kill "$P"

# B watches.
seed b
board b --config "$WORK/board.ini" --size 1920x1080 --windowed
B=$BOARD_PID
check "B: the surge alarm" wait_until 10 alarm_is b surge:instagram state firing
check "B: no crisis" state_is b .crisis null

# 1. A wrong PIN declares nothing.
seed c
board c --config "$WORK/board.ini" --size 1920x1080 --windowed --input-script "$WORK/wrong.script"
C=$BOARD_PID
check "C: wrong PIN refused" wait_until 10 state_is c .ui.refused 1
check "C: the keypad was for declaring" state_is c .ui.target declare:surge:instagram
check "C: nothing declared" state_is c .ui.declares 0
check "C: no crisis shown" state_is c .crisis null
check "nothing on the crisis topic" retained_absent crisis
check "B: still no crisis" state_is b .crisis null
kill "$C"

# 2. The right PIN on A declares it.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t wallboard/crisis -C 1 -W 30 \
	-F '%q %p' >"$WORK/live.txt" 2>/dev/null &
SUB=$!
seed a
T0=$(date +%s)
board a --config "$WORK/board.ini" --size 1920x1080 --windowed --input-script "$WORK/right.script"
A=$BOARD_PID
check "A: declared by the lead" wait_until 10 state_is a .ui.declares 1
wait "$SUB"
check "published at QoS 1" test "$(cut -d' ' -f1 "$WORK/live.txt")" = 1
R=$(retained crisis)
printf '%s\n' "$R" >"$WORK/crisis.json"
check "retained on the broker" test -n "$R"
field() { jq -c "$1" <<<"$R"; }
check "active, level 3" test "$(field '[.active, .level]')" = '[true,3]'
check "the configured title and message" \
	test "$(field '[.title, .message]')" = '["Instagram surge","Complaints pour in on Instagram"]'
check "the configured playbook, in step order" test "$(field .playbook)" = \
	'["Pause scheduled posts","Post a holding statement","Call the escalation list"]'
check "the configured contacts, fields as set" test "$(field .contacts)" = \
	'[{"role":"On call","name":"Noa","phone":"+972 50 000 0000"},{"role":"PR","name":"Avi"}]'
check "declared_by the lead, on board a" test "$(field '[.declared_by, .board]')" = '["dana","a"]'
check "the surge that triggered it" test "$(field '.surge | [.alarm, .channel, .count, .usual]')" = \
	'["surge:instagram","instagram",23,4]'
check "not a drill" test "$(field .drill)" = false
SINCE=$(date -d "$(jq -r .since <<<"$R")" +%s)
check "since: the moment of the declaration" test "$SINCE" -ge "$T0" -a "$SINCE" -le "$(date +%s)"
# The acks' HMAC (acksig.h) over {crisis:<since>, by, board, at, until 0}.
hmac() {
	local alarm="crisis:$SINCE" at
	at=$(date -d "$(jq -r .at <<<"$R")" +%s)
	printf 'wallboard-ack-v1\n%d:%s\n%d:%s\n%d:%s\n%d:%s\n%d:%s' "${#alarm}" "$alarm" 4 dana 1 a \
		"${#at}" "$at" 1 0 |
		openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(od -An -v -tx1 "$KEY" | tr -d ' \n')" -r |
		cut -d' ' -f1
}
check "signed with the ack key" test "$(jq -r .sig <<<"$R")" = "$(hmac)"

check "B: shows the crisis banner" wait_until 5 state_is b .crisis.title "Instagram surge"
check "B: with the playbook and contacts" test "$(state b '.crisis | [.level, .playbook, .contacts]' | jq -c .)" = '[3,3,2]'
check "B: declared by dana" state_is b .crisis.declared_by dana
# (with two strip lines and the silent-feed band the banner has room for
# two of the three steps' boxes: the checklist's own layout)
check "B: the playbook's boxes on the banner" \
	wait_until 5 bash -c "jq -e '.step_boxes | length >= 2' '$WORK/b.json' >/dev/null"
check "B: the crisis alarm" wait_until 5 alarm_is b crisis state firing
check "B: no declare button while a crisis is on" \
	state_is b '.declare_boxes["surge:instagram"]' null
check "B: the declared crisis's line has End crisis instead" \
	state_is b '.declare_boxes | keys | join(",")' crisis
check "A: shows it too" state_is a .crisis.declared_by dana
check "A: the journal is done with it" wait_until 5 state_is a .counters.journal_pending 0
SDL_VIDEODRIVER=dummy "$WB_BIN" --broker "127.0.0.1:$BROKER_PORT" --assets "$WB_ASSETS" \
	--board-id shot --state-dir "$WORK/shot" --config "$WORK/board.ini" --size 1920x1080 \
	--screenshot "$WORK/banner.png" --screenshot-after 2 >>"$WORK/shot.log" 2>&1
check "a screenshot of the banner" test -s "$WORK/banner.png"
kill "$A"
wait "$A" 2>/dev/null

# 3. Declared while the broker is down: the board shows it at once,
#    keeps it in its journal and publishes it when the broker is back.
pub_empty crisis
check "B: the crisis cleared" wait_until 5 state_is b .crisis null
kill "$B"
seed a2
board a2 --config "$WORK/board.ini" --size 1920x1080 --windowed --input-script "$WORK/offline.script"
A=$BOARD_PID
check "A2: the surge alarm" wait_until 10 alarm_is a2 surge:instagram state firing
check "A2: in sync" wait_until 10 state_is a2 .synced true
stop_broker
check "offline: declared" wait_until 20 state_is a2 .ui.declares 1
check "offline: shown at once" state_is a2 .crisis.declared_by dana
check "offline: waiting in the journal" state_is a2 .counters.journal_pending 1
check "offline: the journal on disk holds it" grep -q '"topic":"wallboard/crisis"' "$WORK/a2/acks.journal"
restart_broker
check "the broker has it once it is back" \
	wait_until 20 bash -c "mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -t wallboard/crisis -C 1 \
		-W 2 --retained-only 2>/dev/null | jq -e '.declared_by == \"dana\" and .board == \"a2\"' >/dev/null"
check "A2: confirmed" wait_until 10 state_is a2 .counters.journal_pending 0
kill "$A"
pub_empty crisis

# 4. Without a playbook there is nothing to declare with.
seed d
board d --config "$WORK/bare.ini" --size 1920x1080 --windowed
D=$BOARD_PID
check "D: the surge alarm" wait_until 10 alarm_is d surge:instagram state firing
check "D: declaring not offered" state_is d .ui.declare_offered false
check "D: no button" state_is d '.declare_boxes | length' 0
check "D: the log says why" grep -q 'no playbook' "$WORK/d.log"
kill "$D"

finish
