#!/usr/bin/env bash
# Crisis mode, through the real board and simulator:
#  - surge: the simulator bursts 23 new complaints on Instagram (usually 4
#    in 10 min): a surge alarm at once; Facebook, busy as usual (28 in
#    10 min, usually 30), raises none; a restart keeps the surge and does
#    not count the replayed complaints twice;
#  - drill: a drill crisis (from the simulator's --drill) is a drill alarm
#    that escalates on the board but is never published; a drill
#    complaint answered late leaves the on-time rate as it was;
#  - the report published when the crisis ends, with its fields;
#  - public breaches listed before private ones of the same minute.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1

# 1. Surge. The board has watched these channels for a day already: its
#    state dir holds the baselines (3 a minute on Facebook, 0.4 on
#    Instagram), in the format the board writes.
surge_seed s facebook=3 instagram=0.4
board s --size 1280x720 --windowed
S=$BOARD_PID
check "the board is in sync" wait_until 10 state_is s .synced true
"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 7 --open 0 --duration 0 --crisis-every 0 \
	--burst instagram:23:120 --burst facebook:28:480 >>"$WORK/sim.log" 2>&1
check "the simulator published its bursts" test $? -eq 0
check "surge on Instagram: an alarm within seconds" \
	wait_until 5 alarm_is s surge:instagram state firing
# The alarm fires at the 17th; a dump may show it before the last six.
check "its words" wait_until 5 alarm_is s surge:instagram label \
	"Surge on Instagram: 23 in 10 min, usually 4"
# Facebook's burst is published after Instagram's: the dump that first
# shows Instagram's alarm may be written before its last messages.
check "Facebook counted its 28" \
	wait_until 5 state_is s '.surge[] | select(.channel=="facebook") | .count' 28
check "Facebook, busy as usual: no surge" \
	state_is s '[.alarms[] | select(.id == "surge:facebook")] | length' 0
check "not a drill" alarm_is s surge:instagram drill false
kill "$S"
wait "$S" 2>/dev/null
check "the counts are saved on the way out" grep -q '^minute instagram' "$WORK/s/surge.state"
board s --size 1280x720 --windowed
S=$BOARD_PID
check "after a restart the surge is still there" \
	wait_until 10 alarm_is s surge:instagram state firing
check "and the replayed complaints were not counted twice" \
	wait_until 5 state_is s '.surge[] | select(.channel=="instagram") | .count' 23
kill "$S"

# 2. A drill: the simulator declares a practice crisis. The crisis alarm
#    is marked drill; it escalates on the board after 2 s, and nothing is
#    published for it.
"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 8 --open 0 --duration 0 --crisis-every 0 \
	--crisis now --drill >>"$WORK/sim.log" 2>&1
check "the simulator declared a drill crisis" test "$(retained crisis | jq -r .drill)" = true
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t 'wallboard/escalations/#' -W 60 \
	>"$WORK/escalations.txt" 2>/dev/null &
ESC=$!
# esc_marker WORD: publishes WORD beside the escalations and sees it come
# back: the subscription above is up, and holds all sent before WORD.
esc_marker() {
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -t wallboard/escalations/test-marker -m "$1" &&
		grep -qx "$1" "$WORK/escalations.txt"
}
check "the escalations are watched" wait_until 5 esc_marker watched
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t 'wallboard/crisis/reports/#' -C 1 -W 60 \
	>"$WORK/report.json" 2>/dev/null &
REP=$!
pub complaints/real "$(jq -cn --arg at "$(at -7200)" \
	'{channel:"webchat", text:"real", opened_at:$at}')"
# Answers within the last minutes: "today" for the on-time rate, as D runs
# at noon (noon_tz); in the machine's zone, within 90 s after midnight the
# answer at -90 was yesterday's and the rate 0/0.
pub sla/real "$(jq -cn --arg due "$(at -60)" --arg r "$(at -90)" \
	'{due_at:$due, responded_at:$r}')"
pub complaints/practice "$(jq -cn --arg at "$(at -7200)" \
	'{channel:"webchat", text:"practice", opened_at:$at, drill:true}')"
pub sla/practice "$(jq -cn --arg due "$(at -120)" --arg r "$(at -60)" \
	'{due_at:$due, responded_at:$r}')"
# breaches during the crisis: two on x fall due while it lasts
complaint x1 x "falls due during the crisis" -600
sla x1 4
complaint x2 x "falls due during the crisis" -600
sla x2 5
BOARD_WRAP=(env "TZ=$(noon_tz)")
board d --size 1280x720 --windowed --set alarms.escalate_after=2s
D=$BOARD_PID
BOARD_WRAP=()
check "D: the crisis is a drill" wait_until 10 state_is d .crisis.drill true
check "D: its alarm says drill" wait_until 5 alarm_is d crisis drill true
check "D: it escalates on the board" wait_until 10 alarm_is d crisis escalated true
# The board sends an escalation in the pass whose dump shows it: a marker
# published now arrives after it.
check "the escalations were watched past it" wait_until 5 esc_marker past
kill "$ESC"
wait "$ESC" 2>/dev/null
check "no escalation of the drill was published" \
	test "$(grep -c '"alarm":"crisis"' "$WORK/escalations.txt")" -eq 0
check "D: the drill complaint's late answer is not counted" \
	wait_until 3 state_is d '.attainment | "\(.answered)/\(.on_time)"' 1/1

# 3. The crisis ends: D publishes its report.
check "D: x1 and x2 breached during the crisis" wait_until 10 state_is d .totals.breached 2
since=$(retained crisis | jq -r .since)
pub_empty crisis
wait "$REP"
check "the report is published" test -s "$WORK/report.json"
check "report: since" test "$(jq -r .since "$WORK/report.json")" = "$since"
check "report: an end after its start" \
	test "$(jq -r '(.end | fromdate) >= (.since | fromdate)' "$WORK/report.json")" = true
check "report: a drill, by board d" \
	test "$(jq -r '"\(.drill) \(.board)"' "$WORK/report.json")" = "true d"
check "report: the playbook's four steps, none done" \
	test "$(jq -r '[.steps[] | select(.done == false)] | length' "$WORK/report.json")" = 4
check "report: breaches during it on x" \
	test "$(jq -r '.breaches[] | select(.channel=="x") | .began' "$WORK/report.json")" = 2
check "report: not retained" retained_absent "crisis/reports/$since"
kill "$D"

# 4. Public before private at the same overdue minute.
due_min=$(( ($(date +%s) / 60 - 5) * 60 ))
for v in a:private:10 b:public:40 c:private:5; do
	IFS=: read -r id vis off <<<"$v"
	pub "complaints/vis-$id" "$(jq -cn --arg at "$(at -7200)" --arg vis "$vis" \
		'{channel:"email", text:"visibility", opened_at:$at, visibility:$vis}')"
	pub "sla/vis-$id" "{\"due_at\": $((due_min + off))}"
done
board v --size 1280x720 --windowed
check "V: public first within the minute, then by due" wait_until 10 state_is v \
	'[.breached[] | select(startswith("vis-"))] | join(",")' "vis-b,vis-c,vis-a"
kill "$BOARD_PID"

finish
