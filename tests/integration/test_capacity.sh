#!/usr/bin/env bash
# The wall shows every breach: with six channels and more breaches than fit,
# at every output size, with and without a crisis (4 steps, 2 contacts), in
# en, he and fa, at least the promised number of breached rows is visible
# (README "The screen"), their text is big enough, no breach is both a row
# and a strip line, and the strip keeps at most two lines.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1

# 40 breaches over six channels, most overdue first: b01 (10 h) ... b40.
CHANNELS=(facebook instagram x whatsapp webchat email)
for i in $(seq 1 40); do
	id=$(printf 'b%02d' "$i")
	ch=${CHANNELS[$((i % 6))]}
	pr=normal
	[ $((i % 7)) -eq 0 ] && pr=vip
	case $((i % 3)) in
	0) text="ההזמנה $i לא הגיעה, הבטחתם משלוח תוך 3 ימים" ;;
	1) text="سفارش $i من هنوز نرسیده و کسی جواب نمی‌دهد" ;;
	*) text="Order #$i still hasn't arrived, you promised 3 days" ;;
	esac
	complaint "$id" "$ch" "$text" -40000 "$pr" &
	p1=$!
	sla "$id" $((-36000 + i * 600)) &
	wait "$p1" "$!"
done
CRISIS=$(jq -cn --arg since "$(at -600)" '{active:true, level:2,
	title:"Outage: payments", since:$since,
	message:"Card payments fail since 09:00. Pause scheduled posts.",
	playbook:["Pause scheduled posts","Answer on the channel the customer used",
	          "Move details to a private conversation","Call the escalation list"],
	contacts:[{role:"On call",name:"Noa",phone:"+972 50 000 0000"},
	          {role:"PR",name:"Dana Levi",phone:"+972 52 555 0199"}]}')

# size no-crisis crisis minimum text px of a row
SIZES=("1920x1080 12 7 28" "1280x720 8 5 18" "800x480 5 3 15"
	"1080x1920 20 12 28" "3840x2160 12 7 56")

# shoot TAG SIZE LANG: one frame and its state.
shoot() {
	board "$1" --size "$2" --lang "$3" --screenshot "$WORK/$1.png" --screenshot-after 2.5
}

run_all() {
	local mode=$1 pids=()
	for s in "${SIZES[@]}"; do
		set -- $s
		for lang in en he fa; do
			shoot "$mode-$1-$lang" "$1" "$lang"
			pids+=("$BOARD_PID")
		done
		wait "${pids[@]}"
		pids=()
	done
}

# check_all MODE COLUMN: the promised rows (column 2: no crisis, 3: crisis).
check_all() {
	local mode=$1 col=$2
	for s in "${SIZES[@]}"; do
		set -- $s
		local want=${!col} px=$4
		for lang in en he fa; do
			local t="$mode-$1-$lang" n
			n=$(state "$t" '[.rows[] | select(.kind=="breached")] | length')
			check "$t: $n breached rows visible (>= $want)" test "${n:-0}" -ge "$want"
			check "$t: rows in most-overdue order from b01" \
				state_is "$t" '.rows[0].id' b01
			check "$t: row text >= $px px" state_is "$t" \
				"[.rows[] | select(.text_px < $px)] | length" 0
			check "$t: no breach both a row and a strip line" state_is "$t" \
				'[.strip[] | select(startswith("breach:"))] | length' 0
			check "$t: the strip has at most two lines" test \
				"$(state "$t" '.strip | length')" -le 2
			check "$t: the page says 1-$n of 40" state_is "$t" \
				'"\(.page.first)-\(.page.last) of \(.page.total)"' "1-$n of 40"
		done
	done
}

check "the breaches are in" true
run_all calm
check_all calm 2
pub crisis "$CRISIS"
run_all crisis
check "the crisis is shown" state_is crisis-1920x1080-en '.crisis.playbook' 4
check_all crisis 3
check "the crisis has its strip line" state_is crisis-1920x1080-en '.strip[0]' crisis

finish
