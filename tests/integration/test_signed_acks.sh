#!/usr/bin/env bash
# Only a lead can silence an alarm: with an ack key, boards sign the acks
# they publish and refuse every other one.
#  - --make-ack-key writes a 0600 key and never overwrites one; a key that
#    others may read stops the board (exit 2);
#  - a lead's ack on board A (PIN on the keypad) is signed and shown on B;
#  - an unsigned ack published by anyone, e.g. a producer, silences nothing:
#    refused, counted, logged once per topic;
#  - a replayed old ack, correctly signed with the site's key (made here
#    with the openssl command line, which also shows the documented
#    signature format is what the board checks), is refused: made before
#    the crisis began;
#  - a fresh ack signed by the same recipe is accepted;
#  - an empty retained payload on an ack topic only makes an alarm loud
#    again, never quiet.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
KEY=$WORK/ack.key
check "--make-ack-key writes a key" "$WB_BIN" --make-ack-key "$KEY"
check "the key is 0600" test "$(stat -c %a "$KEY")" = 600
check "the key is 64 hex digits" grep -qxE '[0-9a-f]{64}' "$KEY"
check "--make-ack-key refuses to overwrite" \
	bash -c '! "$0" --make-ack-key "$1" 2>/dev/null' "$WB_BIN" "$KEY"

HASH=$(echo 471147 | "$WB_BIN" --hash-pin | sed 's/^pin_hash = //')
printf '[alarms]\nsnooze = 1h\nescalate_after = 1h\n\n[acks]\nkey_file = %s\n\n[lead.dana]\npin_hash = %s\n' \
	"$KEY" "$HASH" >"$WORK/board.ini"
chmod 600 "$WORK/board.ini"

# A key others can read is refused at start.
cp "$KEY" "$WORK/open.key"
chmod 644 "$WORK/open.key"
"$WB_BIN" --broker "127.0.0.1:$BROKER_PORT" --assets "$WB_ASSETS" --state-dir "$WORK/x" \
	--set acks.key_file="$WORK/open.key" --screenshot "$WORK/x.png" >"$WORK/open.log" 2>&1
check "a key readable by others: exit 2" test $? -eq 2
check "... with a clear reason" grep -q "lets others read" "$WORK/open.log"

complaint c1 facebook "first complaint" -7200
sla c1 -600
pub crisis "$(jq -cn --arg since "$(at -60)" \
	'{active:true, level:2, title:"Outage: payments", since:$since}')"

# Down walks the list's rows first (c1's breach), then the strip (the
# crisis): the second Down selects the crisis.
ack_script "$WORK/a.script" "$WORK/a.go" 471147 2
board a --config "$WORK/board.ini" --size 1280x720 --windowed --input-script "$WORK/a.script"
A=$BOARD_PID
check "A: the crisis fires" wait_until 10 alarm_is a crisis state firing
check "A: c1's breach is listed" wait_until 5 state_is a '.breached[0]' c1
touch "$WORK/a.go"
board b --config "$WORK/board.ini" --size 800x480 --windowed
B=$BOARD_PID
check "B: the crisis fires" wait_until 10 alarm_is b crisis state firing

# 1. A lead's ack: signed, shown on B.
check "A: a lead acknowledged the crisis" wait_until 10 alarm_is a crisis by dana
check "B: shows the signed ack" wait_until 2 alarm_is b crisis state acked
check "the retained ack carries a signature" \
	bash -c '[[ $(mosquitto_sub -h 127.0.0.1 -p '"$BROKER_PORT"' -t wallboard/acks/crisis -C 1 -W 2 --retained-only | jq -r .sig) =~ ^[0-9a-f]{64}$ ]]'
check "B: nothing refused so far" state_is b .counters.acks_refused 0

# 2. Withdrawn by an empty payload: loud again, never quieter.
pub_empty acks/crisis
check "B: an empty ack payload makes the crisis fire again" wait_until 5 alarm_is b crisis state firing

# 3. Forged, unsigned: refused, counted, logged once for the topic.
for i in 1 2 3; do
	pub acks/crisis "{\"alarm\":\"crisis\",\"by\":\"mallory\",\"at\":\"$(at 0)\",\"until\":0}"
done
check "B: forged acks counted" wait_until 5 state_is b .counters.acks_refused 3
check "B: the crisis still fires" alarm_is b crisis state firing
check "B: refused acks logged once for the topic" \
	test "$(grep -c 'ack of crisis .*refused: unsigned' "$WORK/b.log")" -eq 1

# sign_ack ALARM BY BOARD AT UNTIL: an ack signed with the site's key by
# the recipe in the README (HMAC-SHA256 of length-prefixed fields).
sign_ack() {
	local msg sig
	msg=$(printf 'wallboard-ack-v1\n%d:%s\n%d:%s\n%d:%s\n%d:%s\n%d:%s' \
		${#1} "$1" ${#2} "$2" ${#3} "$3" ${#4} "$4" ${#5} "$5")
	sig=$(printf '%s' "$msg" | openssl dgst -sha256 -mac HMAC \
		-macopt "hexkey:$(od -An -v -tx1 "$KEY" | tr -d ' \n')" | sed 's/.*= //')
	jq -cn --arg a "$1" --arg by "$2" --arg b "$3" --argjson at "$4" \
		--argjson u "$5" --arg sig "$sig" \
		'{alarm:$a, by:$by, board:$b, at:$at, until:$u, sig:$sig}'
}
NOW=$(date +%s)

# 4. A replay: signed with the right key, but made ten minutes before this
#    crisis began (and still within its snooze).
before=$(state b .counters.acks_refused)
pub acks/crisis "$(sign_ack crisis dana old-board $((NOW - 600)) $((NOW + 3000)))"
check "B: the replayed old ack is refused" wait_until 5 state_is b .counters.acks_refused $((before + 1))
check "B: the crisis still fires" alarm_is b crisis state firing

# 5. The same recipe, fresh: taken.
pub acks/crisis "$(sign_ack crisis noa hall-board "$NOW" $((NOW + 3600)))"
check "B: a fresh signed ack is taken" wait_until 5 alarm_is b crisis by noa
check "A: too" wait_until 5 alarm_is a crisis by noa
check "boards still running" kill -0 "$A" "$B"

finish
