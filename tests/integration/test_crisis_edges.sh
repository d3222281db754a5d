#!/usr/bin/env bash
# The crisis screens on small and portrait boards, in en, he and fa: at
# 1080x1920 and 800x480 the board's dump lists the texts its last frame
# had to cut to fit (`cut`), and none of these may be among them:
#  - a surge line with "Declare crisis": nothing on it is cut (in portrait
#    Acknowledge was cut to "Ack...", in English the count and the channel
#    to "23 i..." and "Instagra...": the count now gives way to a shorter
#    form, "23 in 10 min" or "23");
#  - a drill's surge line (with its DRILL pill): the count still drawn,
#    whole (the dump's strip_labels says what the line laid out, its cut
#    that none of it was cut or given no room);
#  - the keypad opened from it: its title says what and where ("Declare
#    crisis: Surge · Instagram: 23 in 10 min, usually 4"), not the badge's
#    "Limit", and is drawn whole (smaller rather than cut);
#  - a crisis a lead declared on a board: its line offers "End crisis"
#    (whole, beside a whole Acknowledge; the arrows reach it right after
#    the crisis alarm); a wrong PIN ends nothing; the
#    lead's PIN clears the crisis topic (retained, with ended_by, board,
#    at and since) and every board ends it; ended while the broker is
#    down, it ends at once, waits in the journal and reaches the broker
#    and every board once it is back; a crisis nobody declared on a
#    board (a producer runs it) offers no End crisis; on a board with no
#    playbook, beside other lines and "+N", End crisis and Acknowledge
#    both whole too, and in portrait (End crisis before the duration)
#    the durations in one column and the other lines' channels whole;
#  - open-count limit lines ("Too many open 7"), firing and acknowledged:
#    nothing on them cut (in portrait the label and both counts were:
#    the label now takes the room its Acknowledge does not need, and
#    gives way to the tiles' word, "Open 7", before its count would).
#  - wait-limit lines ("Long wait > 6:40") below "+N": nothing on them cut
#    (their kind gives way to a short word, "Wait > 6:40").
#  - an acknowledged line beside a firing one in portrait: their
#    durations in one column, the "✓" as far from its duration as
#    Acknowledge from its own; under "+N" nothing on it cut (its
#    ", until HH:MM", then its time give way), but a name too long.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
HASH=$(echo 4711 | "$WB_BIN" --hash-pin | sed 's/^pin_hash = //')
cat >"$WORK/board.ini" <<-INI
	[crisis]
	title = Instagram surge
	message = Complaints pour in on Instagram
	step1 = Pause scheduled posts
	step2 = Post a holding statement
	step3 = Call the escalation list

	[contact.1]
	role = On call
	name = Noa
	phone = +972 50 000 0000

	[lead.dana]
	pin_hash = $HASH
INI
chmod 600 "$WORK/board.ini"

# seed NAME: the board has watched for a day already (0.4 a minute on
# Instagram is usual).
seed() { surge_seed "$1" instagram=0.4; }

# The words, as i18n.c has them.
declare -A ACK=([en]="Acknowledge" [he]="אישור התראה" [fa]="تأیید هشدار")
declare -A DECLARE=([en]="Declare crisis" [he]="הכרזה על משבר" [fa]="اعلام بحران")
declare -A SURGE=([en]="Surge" [he]="גל פניות" [fa]="هجوم پیام")
declare -A END=([en]="End crisis" [he]="סיום משבר" [fa]="پایان بحران")
declare -A LIMIT=([en]="Limit" [he]="חריגת סף" [fa]="عبور از حد")
declare -A INSTAGRAM=([en]="Instagram" [he]="אינסטגרם" [fa]="اینستاگرام")
# The surge's count in the digits the board's tiles write (Persian in fa).
declare -A C23=([en]="23" [he]="23" [fa]="۲۳")
SIZES=(1080x1920 800x480)
LANGS=(en he fa)
P=()

# start_all PREFIX SEED ARGS...: a board PREFIX-SIZE-LANG at each size in
# each language, windowed, with ARGS (in which "{}" stands for SIZE-LANG);
# seeded (seed) when SEED is 1. Their pids in P.
start_all() {
	local prefix=$1 seeded=$2 size lang
	shift 2
	for size in "${SIZES[@]}"; do
		for lang in "${LANGS[@]}"; do
			if [ "$seeded" = 1 ]; then seed "$prefix-$size-$lang"; fi
			board "$prefix-$size-$lang" --size "$size" --lang "$lang" --windowed \
				"${@//"{}"/"$size-$lang"}"
			P[${#P[@]}]=$BOARD_PID
		done
	done
}
# shots PREFIX ARGS...: a 1080x1920 board PREFIX-LANG in each language
# with ARGS that saves its screen to $WORK/PREFIX-LANG.png after 3 s and
# exits; returns when all have.
shots() {
	local prefix=$1 lang
	shift
	for lang in "${LANGS[@]}"; do
		board "$prefix-$lang" --size 1080x1920 --lang "$lang" "$@" \
			--screenshot "$WORK/$prefix-$lang.png" --screenshot-after 3
		P[${#P[@]}]=$BOARD_PID
	done
	wait "${P[@]}"
	P=()
}
# stop_all: the boards of start_all.
stop_all() {
	kill "${P[@]}"
	wait "${P[@]}" 2>/dev/null
	P=()
}

# cut_has NAME TEXT: the board's last frame cut TEXT (or a text starting
# with it).
cut_has() {
	jq -e --arg t "$2" '.cut.texts | any(startswith($t))' "$WORK/$1.json" >/dev/null
}
# whole NAME TEXT: the dump lists what was cut, all of it, and not TEXT.
whole() {
	state_is "$1" .cut.more 0 && ! cut_has "$1" "$2"
}
# count_whole NAME LANG: the surge's line laid out its count (its words,
# the dump's strip_labels, begin with 23: "23", "23 in 10 min" or "23 in
# 10 min, usually 4", in LANG's digits as drawn, read as a number by the
# dump's strip_counts) and the count was drawn whole (a text squeezed out
# or given no room is cut: the label is compared with the cut texts as
# drawn, so in fa too).
count_whole() {
	local l
	l=$(state "$1" '.strip_labels["surge:instagram"] // ""')
	test "${l#"${C23[$2]}"}" != "$l" &&
		state_is "$1" '.strip_counts["surge:instagram"]' 23 && whole "$1" "$l"
}

"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 7 --open 0 --duration 0 --crisis-every 0 \
	--burst instagram:23:120 >>"$WORK/sim.log" 2>&1
check "the simulator published its burst" test $? -eq 0

# 1. A surge line offering "Declare crisis", on every size and language.
start_all s 1 --config "$WORK/board.ini"
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="s-$size-$lang"
		check "$n: a Declare crisis button on the surge's line" wait_until 10 state_has "$n" \
			'.declare_boxes["surge:instagram"]'
		check "$n: the dump lists the cut texts" state_is "$n" '.cut.texts | type' array
		check "$n: \"${DECLARE[$lang]}\" whole" whole "$n" "${DECLARE[$lang]}"
		check "$n: \"${ACK[$lang]}\" whole" whole "$n" "${ACK[$lang]}"
		check "$n: \"${INSTAGRAM[$lang]}\" whole" whole "$n" "${INSTAGRAM[$lang]}"
		check "$n: nothing cut, the surge's count neither" \
			state_is "$n" '.cut | [(.texts | length), .more] | join(",")' 0,0
		check "$n: the count drawn ($(state "$n" '.strip_labels["surge:instagram"]'))" \
			count_whole "$n" "$lang"
		BOX=$(state "$n" '.declare_boxes["surge:instagram"]')
		printf '1 tap %s %s\n' "$(jq -r '.[0] + (.[2] / 2 | floor)' <<<"$BOX")" \
			"$(jq -r '.[1] + (.[3] / 2 | floor)' <<<"$BOX")" >"$WORK/tap-$size-$lang.script"
	done
done
stop_all

# 1b. A drill's surge (under a prefix of its own): its line has a DRILL
#     pill too, and the count is still drawn, whole (count_whole: laid out
#     on the line, and not cut, squeezed out nor given no room).
"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --prefix drill --drill --seed 7 --open 0 \
	--duration 0 --crisis-every 0 --burst instagram:23:120 >>"$WORK/sim.log" 2>&1
check "the simulator published its drill's burst" test $? -eq 0
start_all d 1 --config "$WORK/board.ini" --set mqtt.prefix=drill
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="d-$size-$lang"
		check "$n: the drill's surge alarm" wait_until 10 state_has "$n" \
			'.alarms[] | select(.id == "surge:instagram" and .drill)'
		check "$n: its Declare crisis button" wait_until 10 state_has "$n" \
			'.declare_boxes["surge:instagram"]'
		check "$n: the count drawn whole ($(state "$n" '.strip_labels["surge:instagram"]'))" \
			count_whole "$n" "$lang"
		check "$n: \"${ACK[$lang]}\" whole" whole "$n" "${ACK[$lang]}"
	done
done
stop_all

# 1c. Open-count limit alarms (no surge: not seeded): 7 open on Facebook
#     and the burst's 23 on Instagram, over a limit of 5. In portrait the
#     label ("Too many open") and both counts were cut; now nothing on
#     either line is, and each count is laid out (strip_labels) and whole.
for i in 1 2 3 4 5 6 7; do
	complaint "open$i" facebook "Where is my order" $((-100 * i))
	sla "open$i" 3000
done
declare -A C7=([en]="7" [he]="7" [fa]="۷")
# open_whole NAME ID COUNT: the line ID laid out COUNT as its label, whole.
open_whole() {
	state_is "$1" ".strip_labels[\"$2\"]" "$3" && whole "$1" "$3"
}
start_all o 0 --config "$WORK/board.ini" --set alarms.channel_max_open=5
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="o-$size-$lang"
		check "$n: both open-count alarms on the strip" wait_until 10 state_has "$n" \
			'.strip | index("open:facebook") and index("open:instagram")'
		check "$n: nothing cut ($(state "$n" '.cut.texts | join(" | ")'))" \
			state_is "$n" '.cut | [(.texts | length), .more] | join(",")' 0,0
		check "$n: Facebook's count drawn whole" \
			open_whole "$n" open:facebook "${C7[$lang]}"
		check "$n: Instagram's count drawn whole" \
			open_whole "$n" open:instagram "${C23[$lang]}"
	done
done
# Acknowledged (by another board): "✓ dana 21:40, until 21:55" takes
# more of its line than Acknowledge did, and still nothing is cut.
pub acks/open:instagram "$(jq -cn --arg at "$(at -5)" --arg until "$(at 900)" \
	'{alarm: "open:instagram", by: "dana", at: $at, board: "x", until: $until}')"
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="o-$size-$lang"
		check "$n: Instagram's alarm acknowledged" \
			wait_until 10 alarm_is "$n" open:instagram state acked
		check "$n: acknowledged, nothing cut ($(state "$n" '.cut.texts | join(" | ")'))" \
			wait_until 5 state_is "$n" '.cut | [(.texts | length), .more] | join(",")' 0,0
		check "$n: acknowledged, its count drawn whole" \
			open_whole "$n" open:instagram "${C23[$lang]}"
	done
done
stop_all
pub_empty acks/open:instagram

# 1d. In portrait a line that fits its columns ("Long wait > 6:40" on
#     Phone) beside one that does not ("Too many open 23" on Instagram),
#     no playbook (with one the channel's column is narrower and the wait
#     does not fit either): both end in Acknowledge, so both take the room
#     it does not need and their durations stand in one column (in en
#     they stood 146 px apart when only the second took it).
for i in 1 2 3 4 5 6 7; do
	pub_empty "complaints/open$i"
	pub_empty "sla/open$i"
done
complaint wait1 phone "Still waiting" -500
sla wait1 3000
# dur_edge NAME ROW LANG: the x where line ROW's duration ends toward its
# end cell (the last ink left of that cell in en, the first right of it
# in he and fa), from the screenshot.
dur_edge() {
	local x y w h rh
	read -r x y w h <<<"$(state "$1" '.layout.strip | map(tostring) | join(" ")')"
	rh=$((h / 2))
	set -- "$WORK/$1.png" $((y + $2 * rh + rh / 3)) $((rh / 3)) "$3"
	if [ "$4" = en ]; then
		"$WB_PROBE" "$1" runs "$x" "$2" $((w * 3 / 4)) "$3" 12 | tail -1 | cut -d' ' -f2
	else
		"$WB_PROBE" "$1" runs $((x + w / 4)) "$2" $((w * 3 / 4)) "$3" 12 | head -1 | cut -d' ' -f1
	fi
}
# end_gap NAME ROW LANG: "EDGE GAP", line ROW's duration's edge toward its
# end cell (as dur_edge) and the blank between it and the end cell's ink
# (Acknowledge, "✓ dana ..."), from the screenshot: runs of ink closer
# than 20 columns are one (words, a pill; 30 in he and fa, whose pill
# holds its word 22 columns from its edge, and whose duration stands
# 75 or more from its end cell), the duration and the end cell's are
# the last two in en, the first two (the end cell first) in he and fa.
# X W: the part of the strip to look at (beside_more), all of it if none.
end_gap() {
	local x y w h rh runs merge=30
	read -r x y w h <<<"$(state "$1" '.layout.strip | map(tostring) | join(" ")')"
	if [ $# -ge 5 ]; then x=$4 w=$5; fi
	rh=$((h / 2))
	if [ "$3" = en ]; then merge=20; fi
	runs=$("$WB_PROBE" "$WORK/$1.png" runs "$x" $((y + $2 * rh + rh / 3)) "$w" $((rh / 3)) $merge)
	if [ "$3" = en ]; then
		tail -2 <<<"$runs" | tr '\n' ' ' | awk '{ print $2, $3 - $2 }'
	else
		head -2 <<<"$runs" | tr '\n' ' ' | awk '{ print $3, $3 - $2 }'
	fi
}
declare -A PILL_GAP
shots w --set alarms.channel_max_open=5 --set alarms.channel_max_wait=400
for lang in "${LANGS[@]}"; do
	n="w-$lang"
	check "$n: the wait and the open count on the strip" \
		state_is "$n" '.strip | sort | join(" ")' "open:instagram wait:phone"
	a=$(dur_edge "$n" 0 "$lang")
	b=$(dur_edge "$n" 1 "$lang")
	check "$n: the durations in one column ($a, $b)" \
		test "${a:-0}" -gt 0 -a "${b:-0}" -gt 0 -a $((a - b)) -le 4 -a $((b - a)) -le 4
	read -r a PILL_GAP[$lang] <<<"$(end_gap "$n" 0 "$lang")"
done

# 1e. In portrait, more wait-limit alarms than lines: "+N" takes its
#     column from every line, and their kind and channel were cut (he
#     "המתנה ארו...", "פיי..." and "P...", en "Face..."): the kind now gives
#     way to its short word ("Wait"), and nothing on the lines is cut.
complaint wait2 facebook "Still waiting" -600
sla wait2 3000
complaint wait3 instagram "Still waiting" -700
sla wait3 3000
shots m --set alarms.channel_max_wait=400
for lang in "${LANGS[@]}"; do
	n="m-$lang"
	check "$n: three wait alarms, two lines and \"+1\"" state_is "$n" \
		'[(.alarms | map(.id) | sort | join(" ")), (.strip | length)] | join(",")' \
		"wait:facebook wait:instagram wait:phone,2"
	check "$n: nothing cut ($(state "$n" '.cut.texts | join(" | ")'))" \
		state_is "$n" '.cut | [(.texts | length), .more] | join(",")' 0,0
done

# 1f. In portrait an acknowledged line beside a firing one: its duration
#     stood left of the firing line's (142 px in en: it took only what its
#     "✓ dana ..." did not need) and its "✓" closer to it than Acknowledge
#     stands to its own (in 1d) by a column's gap. Now both lines give
#     their labels the least their end cells spare, so the durations stand
#     in one column, and the "✓" keeps that gap. Durations of one width
#     (M:SS), so they line up in he and fa too.
pub_empty complaints/wait1
pub_empty sla/wait1
complaint wait2 facebook "Still waiting" -500
complaint wait3 instagram "Still waiting" -520
pub acks/wait:instagram "$(jq -cn --arg at "$(at -5)" --arg until "$(at 900)" \
	'{alarm: "wait:instagram", by: "dana", at: $at, board: "x", until: $until}')"
shots f --set alarms.channel_max_wait=400
for lang in "${LANGS[@]}"; do
	n="f-$lang"
	check "$n: Facebook's wait firing, Instagram's acknowledged" state_is "$n" \
		'[.alarms[] | "\(.id)=\(.state)"] | sort | join(" ")' \
		"wait:facebook=firing wait:instagram=acked"
	acked=$(state "$n" '.strip | index("wait:instagram")')
	read -r a g <<<"$(end_gap "$n" "$acked" "$lang")"
	read -r b _ <<<"$(end_gap "$n" $((1 - acked)) "$lang")"
	check "$n: the durations in one column ($a, $b)" \
		test "${a:-0}" -gt 0 -a "${b:-0}" -gt 0 -a $((a - b)) -le 4 -a $((b - a)) -le 4
	# the "✓" glyph's bearing (up to 6 px) is blank the pill's edge has not
	check "$n: \"✓\" as far from the duration as Acknowledge in 1d (${g:-?}, ${PILL_GAP[$lang]})" \
		test "${g:-0}" -ge $((PILL_GAP[$lang] - 2)) -a "${g:-0}" -le $((PILL_GAP[$lang] + 8))
done

# 1g. The acknowledged line beside a firing one under "+N": its "✓ dana
#     21:40, until 21:55" was cut ("dana" squeezed out, "21:40, unt...")
#     and in he the channel too. Now ", until 21:55" gives way, then the
#     time, before the channel or the name would: nothing is cut. Only a
#     name too long for the line alone is cut, and nothing else.
complaint wait1 phone "Still waiting" -480
shots g --set alarms.channel_max_wait=400
LONG="Alexandra Konstantinopoulou-Papadimitriou"
pub acks/wait:instagram "$(jq -cn --arg at "$(at -5)" --arg until "$(at 900)" --arg by "$LONG" \
	'{alarm: "wait:instagram", by: $by, at: $at, board: "x", until: $until}')"
shots h --set alarms.channel_max_wait=400
for lang in "${LANGS[@]}"; do
	for n in "g-$lang" "h-$lang"; do
		check "$n: three wait alarms, two lines and \"+1\", Instagram's acknowledged" \
			state_is "$n" '[(.alarms | length), (.strip | length),
			(.strip | index("wait:instagram") != null)] | join(",")' 3,2,true
	done
	check "g-$lang: nothing cut ($(state "g-$lang" '.cut.texts | join(" | ")'))" \
		state_is "g-$lang" '.cut | [(.texts | length), .more] | join(",")' 0,0
	check "h-$lang: only the long name cut ($(state "h-$lang" '.cut.texts | join(" | ")'))" \
		state_is "h-$lang" '[.cut.texts[], .cut.more] | join(",")' "$LONG,0"
done
pub_empty acks/wait:instagram
pub_empty complaints/wait1

# 2. Its keypad: what and where, whole.
start_all k 1 --config "$WORK/board.ini" --input-script "$WORK/tap-{}.script"
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="k-$size-$lang"
		check "$n: the keypad opens for declaring" wait_until 10 state_is "$n" \
			.ui.target declare:surge:instagram
		check "$n: its title drawn" wait_until 5 state_has "$n" \
			'.ui.keypad_title != ""'
		T=$(state "$n" .ui.keypad_title)
		check "$n: titled \"${DECLARE[$lang]}: ${SURGE[$lang]} · ${INSTAGRAM[$lang]}: ...\" ($T)" \
			test "${T#"${DECLARE[$lang]}: ${SURGE[$lang]} · ${INSTAGRAM[$lang]}: "}" != "$T"
		check "$n: not by the badge's \"${LIMIT[$lang]}\"" test "${T/"${LIMIT[$lang]}"/}" = "$T"
		check "$n: the title whole" whole "$n" "$T"
	done
done
stop_all

# 3. A crisis lead dana declared on a board: "End crisis" on its line.
SINCE=$(at -120)
pub crisis "$(jq -cn --arg s "$SINCE" '{active: true, level: 2, title: "Instagram surge",
	since: $s, playbook: ["Pause scheduled posts"], declared_by: "dana", board: "x"}')"
start_all e 0 --config "$WORK/board.ini"
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="e-$size-$lang"
		check "$n: an End crisis button on the crisis line" wait_until 10 state_has "$n" \
			.declare_boxes.crisis
		check "$n: \"${END[$lang]}\" whole" whole "$n" "${END[$lang]}"
		check "$n: \"${ACK[$lang]}\" whole" whole "$n" "${ACK[$lang]}"
	done
done
BOX=$(state e-1080x1920-en '.declare_boxes.crisis')
X=$(jq -r '.[0] + (.[2] / 2 | floor)' <<<"$BOX")
Y=$(jq -r '.[1] + (.[3] / 2 | floor)' <<<"$BOX")
stop_all
# end_script FILE PIN: tap End crisis at second 2, the PIN, OK.
end_script() {
	printf '2 tap %s %s\n3 type %s\n4 key Return\n' "$X" "$Y" "$2" >"$1"
}
end_script "$WORK/wrong.script" 9999
end_script "$WORK/right.script" 4711
# With the keys: Down to the crisis alarm, Down to its End crisis, Enter.
printf '0 wait %s\n0.3 key Down\n0.6 key Down\n0.9 key Return\n' "$WORK/keys.go" \
	>"$WORK/keys.script"
board keys --size 800x480 --windowed --config "$WORK/board.ini" --input-script "$WORK/keys.script"
check "keys: the crisis alarm" wait_until 10 alarm_is keys crisis state firing
touch "$WORK/keys.go"
check "keys: End crisis comes right after the crisis alarm" \
	wait_until 10 state_is keys .ui.target end:crisis
kill "$BOARD_PID"
# ... and a Down more, the playbook's first step (Enter on a selected
# step or button once opened a keypad for nothing).
printf '0 wait %s\n0.3 key Down\n0.6 key Down\n0.9 key Down\n1.2 key Return\n' \
	"$WORK/step.go" >"$WORK/step.script"
board step --size 800x480 --windowed --config "$WORK/board.ini" --input-script "$WORK/step.script"
check "step: the crisis alarm" wait_until 10 alarm_is step crisis state firing
touch "$WORK/step.go"
check "step: the keys reach step 1, Enter opens its keypad" \
	wait_until 10 state_is step .ui.target step:1
kill "$BOARD_PID"
board w --size 1080x1920 --windowed --config "$WORK/board.ini"
W=$BOARD_PID
check "W: the crisis shown" wait_until 10 state_is w .crisis.declared_by dana
board wrong --size 1080x1920 --windowed --config "$WORK/board.ini" \
	--input-script "$WORK/wrong.script"
check "wrong PIN: refused" wait_until 10 state_is wrong .ui.refused 1
check "wrong PIN: the keypad was for ending" state_is wrong .ui.target end:crisis
check "wrong PIN: nothing ended" state_is wrong .ui.ends 0
check "the keypad titled \"End crisis: ...\"" state_has wrong \
	'.ui.keypad_title | startswith("End crisis: ")'
check "wrong PIN: the crisis still on the broker" \
	test "$(retained crisis | jq -c '[.active, .declared_by]')" = '[true,"dana"]'
kill "$BOARD_PID"
board right --size 1080x1920 --windowed --config "$WORK/board.ini" \
	--input-script "$WORK/right.script"
check "the lead's PIN: ended" wait_until 10 state_is right .ui.ends 1
check "ended here at once" wait_until 5 state_is right .crisis null
R=$(retained crisis)
check "the crisis topic cleared, retained: ended_by dana on board right" \
	test "$(jq -c '[.active, .ended_by, .board]' <<<"$R")" = '[false,"dana","right"]'
check "it names the crisis it ended" test "$(jq -r .since <<<"$R")" = "$SINCE"
check "and when" test "$(date -d "$(jq -r .at <<<"$R")" +%s)" -ge "$(($(date +%s) - 30))"
check "W: the crisis ended there too" wait_until 5 state_is w .crisis null
check "the journal is done with it" wait_until 5 state_is right .counters.journal_pending 0
kill "$BOARD_PID" "$W"

# 3b. Ended while the broker is down: the board ends it at once, keeps
#     the end in its journal, and publishes it when the broker is back;
#     the broker's replay of the crisis it still holds does not bring the
#     crisis back, and the other boards end it too.
SINCE=$(at -60)
pub crisis "$(jq -cn --arg s "$SINCE" '{active: true, level: 2, title: "Instagram surge",
	since: $s, playbook: ["Pause scheduled posts"], declared_by: "dana", board: "x"}')"
printf '0 wait %s\n0.5 tap %s %s\n1.5 type 4711\n2.5 key Return\n' "$WORK/off.go" "$X" "$Y" \
	>"$WORK/off.script"
board w2 --size 1080x1920 --windowed --config "$WORK/board.ini"
W=$BOARD_PID
board off --size 1080x1920 --windowed --config "$WORK/board.ini" --input-script "$WORK/off.script"
OFF=$BOARD_PID
SINCE_S=$(date -d "$SINCE" +%s)
check "off: the crisis shown" wait_until 10 state_is off .crisis.since "$SINCE_S"
check "off: its End crisis button" wait_until 5 state_has off .declare_boxes.crisis
check "W2: the crisis shown" wait_until 10 state_is w2 .crisis.since "$SINCE_S"
stop_broker
check "off: the link is down" wait_until 10 state_is off .connected false
touch "$WORK/off.go"
check "offline: ended with the lead's PIN" wait_until 10 state_is off .ui.ends 1
check "offline: ended here at once" wait_until 5 state_is off .crisis null
check "offline: the end and the crisis's report wait in the journal" \
	wait_until 5 state_is off .counters.journal_pending 2
check "offline: the journal on disk holds the end" \
	grep -q '"topic":"wallboard/crisis","qos":1,"retain":true,"payload":"{\\"active\\":false' \
	"$WORK/off/acks.journal"
check "offline: ... and the report" grep -q '"topic":"wallboard/crisis/reports/' \
	"$WORK/off/acks.journal"
restart_broker
check "back: the crisis topic cleared, retained: ended_by dana on board off" \
	wait_until 20 bash -c "mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -t wallboard/crisis \
		-C 1 -W 2 --retained-only 2>/dev/null | jq -e '[.active, .ended_by, .board, .since]
		== [false, \"dana\", \"off\", \"$SINCE\"]' >/dev/null"
check "back: the journal is done with both" \
	wait_until 10 state_is off .counters.journal_pending 0
check "back: in sync again" wait_until 10 state_is off .synced true
check "back: the replay did not bring the crisis back" state_is off .crisis null
check "W2: the crisis ended there too" wait_until 10 state_is w2 .crisis null
kill "$OFF" "$W"

# 4. A crisis a producer runs: ending it is the producer's, no button.
pub crisis "$(jq -cn --arg s "$(at -60)" '{active: true, level: 2, title: "Payments down",
	since: $s}')"
board p --size 1080x1920 --windowed --config "$WORK/board.ini"
check "P: the crisis alarm on its line" wait_until 10 alarm_is p crisis state firing
check "P: no End crisis" state_is p '.declare_boxes | length' 0
kill "$BOARD_PID"

# 5. A crisis declared on a board beside wait-limit lines and "+N", on a
#    board with no playbook: the columns reserved room for "End crisis"
#    beside Acknowledge only where a playbook is configured, so in
#    portrait Acknowledge was cut to "A..." (he and fa too). The crisis
#    line's label now gives way to both buttons, whole.
pub crisis "$(jq -cn --arg s "$(at -120)" '{active: true, level: 2, title: "Instagram surge",
	since: $s, playbook: ["Pause scheduled posts"], declared_by: "dana", board: "x"}')"
complaint wait1 phone "Still waiting" -500
start_all n 0 --set alarms.channel_max_wait=400
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="n-$size-$lang"
		check "$n: an End crisis button on the crisis line" wait_until 10 state_has "$n" \
			.declare_boxes.crisis
		check "$n: no playbook, four alarms, two lines and \"+2\"" state_is "$n" \
			'[.ui.declare_offered, (.alarms | length), (.strip | length)] | join(",")' \
			false,4,2
		check "$n: \"${END[$lang]}\" whole" whole "$n" "${END[$lang]}"
		check "$n: \"${ACK[$lang]}\" whole" whole "$n" "${ACK[$lang]}"
	done
done
stop_all

# 5b. The same in portrait, from the screenshot: End crisis stood in the
#     crisis line's end cell beside its Acknowledge, so that line alone
#     gave its label up for it and its duration stood left of the wait
#     line's (182 px in en and fa, 187 in he), and counted in what the lines
#     share it kept the wait line's label at its least, so in he its
#     channel was cut ("אינסטג..."). The crisis has no channel: its End
#     crisis now stands in that cell, before its duration. Durations of
#     one width (M:SS). Only the crisis's title is cut (it is on the
#     banner).
# beside_more NAME LANG: "X W", the part of the strip its two lines take
# beside "+N", from the screenshot: in the gap between the lines only the
# "+N" box has ink (its edges, its digits: one run when merged).
beside_more() {
	local x y w h from to
	read -r x y w h <<<"$(state "$1" '.layout.strip | map(tostring) | join(" ")')"
	read -r from to <<<"$("$WB_PROBE" "$WORK/$1.png" runs "$x" $((y + h / 2 - 1)) "$w" 1 "$w")"
	if [ "$2" = en ]; then
		echo "$x $((from - x))"
	else
		echo "$((to + 1)) $((x + w - to - 1))"
	fi
}
shots c --set alarms.channel_max_wait=400
for lang in "${LANGS[@]}"; do
	n="c-$lang"
	check "$n: four alarms, the crisis's line and a wait line, End crisis" state_is "$n" \
		'[(.alarms | length), (.strip | index("crisis")), (.declare_boxes | keys)[]]
		| join(",")' 4,0,crisis
	read -r x w <<<"$(beside_more "$n" "$lang")"
	read -r a _ <<<"$(end_gap "$n" 0 "$lang" "$x" "$w")"
	read -r b _ <<<"$(end_gap "$n" 1 "$lang" "$x" "$w")"
	check "$n: the durations in one column ($a, $b)" \
		test "${a:-0}" -gt 0 -a "${b:-0}" -gt 0 -a $((a - b)) -le 4 -a $((b - a)) -le 4
	check "$n: nothing cut but the crisis's title ($(state "$n" '.cut.texts | join(" | ")'))" \
		state_is "$n" '[.cut.texts[], .cut.more] | join(",")' "Instagram surge,0"
done

finish
