#!/usr/bin/env bash
# Retained complaints and timers in a real broker -> the board's state and
# its screenshot: counts per channel, breach order, crisis, and that a
# Hebrew line reads right to left, an English one left to right, and a
# Persian word is drawn joined.
. "$(dirname "$0")/lib.sh"
# Four of its messages come from MQTT.js: without it the test is skipped
# whole (77), not failed half-run (pub_js's own check exits only its pipe).
need_node

start_broker || exit 1

# Hebrew: a long first word, a wide gap, a short last word. Right to left,
# the long word must stand at the right.
HE='שלוםשלוםשלום     אב'
EN='Helloworldhello     ab'
# Persian letters that all join: shaped as one word this is one blot of
# ink; unshaped, it falls apart into separate letters.
FA='بیشتر'

complaint c-he facebook "$HE" -7200 vip
sla c-he -3600
complaint c-fa instagram "$FA" -3000
sla c-fa -600
complaint c-en email "$EN" -1000
sla c-en -120
# These four come from an MQTT.js producer (one connection, 3.1.1).
printf '%s\t%s\n' \
	complaints/c-risk "$(complaint_json c-risk webchat "Where is my refund?" -1000)" \
	sla/c-risk "$(sla_json c-risk 300)" \
	complaints/c-ok "$(complaint_json c-ok x "All good here" -100)" \
	sla/c-ok "$(sla_json c-ok 7200)" | pub_js
check "MQTT.js producer published its four messages" test "${PIPESTATUS[1]}" -eq 0
complaint c-shabbat whatsapp "סגור בשבת" -90000
sla c-shabbat -100 true
CRISIS='{"active":true,"level":2,"title":"Outage: payments","message":"Pause scheduled posts","playbook":["Pause scheduled posts","Answer where the customer wrote"],"contacts":[{"role":"On call","name":"Noa","phone":"+972 50 000 0000"}]}'

board a --size 1920x1080 --screenshot "$WORK/a.png" --screenshot-after 3
wait "$BOARD_PID"
check "board exits 0 after the screenshot" test $? -eq 0
check "screenshot is 1920x1080" test "$("$WB_PROBE" "$WORK/a.png" size)" = "1920 1080"

check "board synced with the broker" state_is a .synced true
check "board speaks MQTT $BROKER_PROTOCOL with $WB_BROKER" state_is a .protocol "$BROKER_PROTOCOL"
if [ "$BROKER_PROTOCOL" = 3.1.1 ]; then
	check "the log says the board fell back to 3.1.1" \
		grep -q "refused MQTT 5 .*falling back to MQTT 3.1.1" "$WORK/a.log"
fi
# The sync marker came after the whole retained replay (aedes streams it
# after its SUBACK; a marker sent on the SUBACK overtook it).
check "in sync only once all six complaints were held" \
	grep -q "in sync with the broker: 6 complaints held" "$WORK/a.log"
check "the log names the version in use" \
	grep -q "connected to .* (MQTT $BROKER_PROTOCOL)" "$WORK/a.log"
check "six complaints held" state_is a .complaints 6
check "three breached, most overdue first" state_is a '.breached | join(",")' "c-he,c-fa,c-en"
check "one at risk" state_is a '.at_risk | join(",")' "c-risk"
check "paused timer counts as paused, not breached" state_is a '.totals.paused' 1
check "facebook tile: 1 open, 1 breached" state_is a \
	'.channels[] | select(.key=="facebook") | "\(.open) \(.breached)"' "1 1"
check "no crisis yet" state_is a '.crisis' null
check "nothing rejected" state_is a '.counters.rejected' 0

# box NAME ID: the text box of a complaint's row, as "X Y W H".
box() {
	state "$1" ".rows[] | select(.id==\"$2\") | .text_box | map(tostring) | join(\" \")"
}
# words ID [GAP]: ink runs in that box, merging gaps narrower than GAP
# (default a third of the box height: wider than letter spacing, narrower
# than the five spaces between the test lines' words).
words() {
	local b
	b=$(box a "$1")
	[ -n "$b" ] || return 1
	set -- "$1" "${2:-$(($(echo "$b" | cut -d' ' -f4) / 3))}"
	# shellcheck disable=SC2086
	"$WB_PROBE" "$WORK/a.png" runs $b "$2"
}
# widest_is FIRST|LAST ID: the widest word is the leftmost or rightmost.
widest_is() {
	words "$2" | awk -v want="$1" '
		{ w = $2 - $1; n++; if (w > best) { best = w; at = n } }
		END { exit !(n >= 2 && ((want == "last" && at == n) || (want == "first" && at == 1))) }'
}
check "Hebrew row has a text box" test -n "$(box a c-he)"
check "Hebrew: first logical word at the right" widest_is last c-he
check "English: first logical word at the left" widest_is first c-en
check "Persian word drawn joined (one run of ink)" test "$(words c-fa 2 | wc -l)" -eq 1

# The crisis banner: on screen and in the state; its area is loud (red).
pub crisis "$CRISIS"
board b --size 1280x720 --screenshot "$WORK/b.png" --screenshot-after 3
wait "$BOARD_PID"
check "crisis screenshot is 1280x720" test "$("$WB_PROBE" "$WORK/b.png" size)" = "1280 720"
check "crisis shown" state_is b '.crisis.title' "Outage: payments"
check "crisis keeps the breach list in the state" state_is b '.breached | join(",")' "c-he,c-fa,c-en"
pub_empty crisis
board c --size 1280x720 --screenshot "$WORK/c.png" --screenshot-after 3
wait "$BOARD_PID"
check "an empty retained crisis clears it" state_is c '.crisis' null

finish
