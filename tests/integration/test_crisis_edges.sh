#!/usr/bin/env bash
# The crisis screens on small and portrait boards, in en, he and fa: at
# 1080x1920 and 800x480 the board's dump lists the texts its last frame
# had to cut to fit (`cut`), and none of these may be among them:
#  - a surge line with "Declare crisis": that button's word and
#    Acknowledge's (in portrait Acknowledge was cut to "Ack...");
#  - the keypad opened from it: its title says what and where ("Declare
#    crisis: Surge · Instagram: 23 in 10 min, usually 4"), not the badge's
#    "Limit", and is drawn whole (smaller rather than cut).
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

# seed NAME: the board has watched for a day (0.4 a minute on Instagram is
# usual), as in test_declare_crisis.
seed() {
	mkdir -p "$WORK/$1"
	local minute=$(($(date +%s) / 60))
	printf 'wallboard-surge 1\nsaved %s\nchannel instagram 0.4 1440 %s\n' \
		"$(date +%s)" $((minute - 10)) >"$WORK/$1/surge.state"
}

# The words, as i18n.c has them.
declare -A ACK=([en]="Acknowledge" [he]="אישור התראה" [fa]="تأیید هشدار")
declare -A DECLARE=([en]="Declare crisis" [he]="הכרזה על משבר" [fa]="اعلام بحران")
declare -A SURGE=([en]="Surge" [he]="גל פניות" [fa]="هجوم پیام")
declare -A LIMIT=([en]="Limit" [he]="חריגת סף" [fa]="عبور از حد")
declare -A INSTAGRAM=([en]="Instagram" [he]="אינסטגרם" [fa]="اینستاگرام")
SIZES=(1080x1920 800x480)
LANGS=(en he fa)
P=()

# cut_has NAME TEXT: the board's last frame cut TEXT (or a text starting
# with it).
cut_has() {
	jq -e --arg t "$2" '.cut.texts | any(startswith($t))' "$WORK/$1.json" >/dev/null
}
# whole NAME TEXT: the dump lists what was cut, all of it, and not TEXT.
whole() {
	state_is "$1" .cut.more 0 && ! cut_has "$1" "$2"
}

"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 7 --open 0 --duration 0 --crisis-every 0 \
	--burst instagram:23:120 >>"$WORK/sim.log" 2>&1
check "the simulator published its burst" test $? -eq 0

# 1. A surge line offering "Declare crisis", on every size and language.
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		seed "s-$size-$lang"
		board "s-$size-$lang" --config "$WORK/board.ini" --size "$size" --lang "$lang" --windowed
		P[${#P[@]}]=$BOARD_PID
	done
done
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="s-$size-$lang"
		check "$n: a Declare crisis button on the surge's line" wait_until 10 bash -c \
			"jq -e '.declare_boxes[\"surge:instagram\"]' '$WORK/$n.json' >/dev/null"
		check "$n: the dump lists the cut texts" state_is "$n" '.cut.texts | type' array
		check "$n: \"${DECLARE[$lang]}\" whole" whole "$n" "${DECLARE[$lang]}"
		check "$n: \"${ACK[$lang]}\" whole" whole "$n" "${ACK[$lang]}"
		BOX=$(state "$n" '.declare_boxes["surge:instagram"]')
		printf '1 tap %s %s\n' "$(jq -r '.[0] + (.[2] / 2 | floor)' <<<"$BOX")" \
			"$(jq -r '.[1] + (.[3] / 2 | floor)' <<<"$BOX")" >"$WORK/tap-$size-$lang.script"
	done
done
kill "${P[@]}"
wait "${P[@]}" 2>/dev/null
P=()

# 2. Its keypad: what and where, whole.
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		seed "k-$size-$lang"
		board "k-$size-$lang" --config "$WORK/board.ini" --size "$size" --lang "$lang" \
			--windowed --input-script "$WORK/tap-$size-$lang.script"
		P[${#P[@]}]=$BOARD_PID
	done
done
for size in "${SIZES[@]}"; do
	for lang in "${LANGS[@]}"; do
		n="k-$size-$lang"
		check "$n: the keypad opens for declaring" wait_until 10 state_is "$n" \
			.ui.target declare:surge:instagram
		check "$n: its title drawn" wait_until 5 bash -c \
			"jq -e '.ui.keypad_title != \"\"' '$WORK/$n.json' >/dev/null"
		T=$(state "$n" .ui.keypad_title)
		check "$n: titled \"${DECLARE[$lang]}: ${SURGE[$lang]} · ${INSTAGRAM[$lang]}: ...\" ($T)" \
			test "${T#"${DECLARE[$lang]}: ${SURGE[$lang]} · ${INSTAGRAM[$lang]}: "}" != "$T"
		check "$n: not by the badge's \"${LIMIT[$lang]}\"" test "${T/"${LIMIT[$lang]}"/}" = "$T"
		check "$n: the title whole" whole "$n" "$T"
	done
done
kill "${P[@]}"
wait "${P[@]}" 2>/dev/null

finish
