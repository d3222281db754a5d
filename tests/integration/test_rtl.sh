#!/usr/bin/env bash
# Right to left, in pixels: in Hebrew and Persian the whole layout is
# mirrored. For the header, a tile, a list row and the alarm strip, a known label (a
# Latin word drawn the same in every language: the site name, a channel
# name, a customer name) is found as the widest word of ink in its box in
# the English screenshot; in he and fa the widest word of ink must have the
# same width and stand at the mirrored place of the mirrored box. The
# expected place comes from the English picture and the screen width, not
# from the Hebrew layout's own numbers. A mixed Hebrew/English line reads
# in bidi order in every language.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
W=1280
H=720
SITE=Wwwwwwwwwwww       # widest word of the header
CHAN=Wwwwwwwwwwwwwwwwwww # widest word of the facebook tile's name line and
                         # of the alarm strip (cut to its cell there)
CUST=Mmmmmmm            # widest word of row c1 (short enough not to be cut)
# Right to left: a long Hebrew word, a Latin run (wide, then narrow), a
# short Hebrew word. Visual order, left to right: short, wide, narrow, long.
MIXED='שלוםשלוםשלום     Wwwwww     abcd     אב'

custom() { # ID CHANNEL CUSTOMER TEXT OPENED_OFFSET
	pub "complaints/$1" "$(jq -cn --arg id "$1" --arg ch "$2" --arg cu "$3" --arg text "$4" \
		--arg at "$(at "$5")" \
		'{id:$id, channel:$ch, customer:$cu, text:$text, opened_at:$at,
		  priority:"normal", assignee:"Dana", status:"open"}')"
}
custom c1 facebook "$CUST" "Refund please" -7200
sla c1 -600
custom c2 x "Test customer" "$MIXED" -3000
sla c2 -300
# A second open facebook complaint: over channel_max_open, an alarm that
# has no row of its own, so the strip shows it.
custom c3 facebook "Test customer" "Later" -100
sla c3 3000

for l in en he fa; do
	board "$l" --lang "$l" --size "${W}x$H" --set "board.site=$SITE" \
		--set "channel.facebook.name=$CHAN" --set alarms.channel_max_open=1 \
		--screenshot "$WORK/$l.png" --screenshot-after 3
	wait "$BOARD_PID"
	check "$l: screenshot taken" test -s "$WORK/$l.png"
	check "$l: both complaints drawn as rows" \
		test "$(state "$l" '[.rows[] | select(.id=="c1" or .id=="c2")] | length')" -eq 2
done

# box LANG JQ: a box of the dump as "X Y W H".
box() {
	state "$1" "$2 | map(tostring) | join(\" \")"
}
# inset "X Y W H" N [TOP_FRACTION]: N px in from every side (borders and
# accent bars are not words); TOP_FRACTION keeps only the top part.
inset() {
	local x y w h
	read -r x y w h <<<"$1"
	h=$((h - 2 * $2))
	[ -n "${3:-}" ] && h=$((h * $3 / 100))
	echo "$((x + $2)) $(($2 + y)) $((w - 2 * $2)) $h"
}
mirror() { # "X Y W H" -> the same box mirrored across the screen
	local x y w h
	read -r x y w h <<<"$1"
	echo "$((W - x - w)) $y $w $h"
}
# widest PNG "X Y W H": the widest word of ink (gaps of 3+ px split words),
# as "FROM TO".
widest() {
	# shellcheck disable=SC2086
	"$WB_PROBE" "$1" runs $2 3 | awk '{ w = $2 - $1; if (w > best) { best = w; r = $0 } } END { print r }'
}
# mirrored_label WHAT LANG EN_BOX: the widest word in LANG's mirrored box
# has the English width (+-2 px) and stands at the mirrored place, within
# 2 % of the box's width (a Latin word in a right-to-left cell may sit at
# the other end of its cell; an unmirrored one is half a screen away).
mirrored_label() {
	local what=$1 l=$2 ebox=$3 mbox a b c d tol
	mbox=$(mirror "$ebox")
	tol=$(($(echo "$ebox" | cut -d' ' -f3) * ${4:-2} / 100))
	[ "$tol" -ge 4 ] || tol=4
	read -r a b <<<"$(widest "$WORK/en.png" "$ebox")"
	read -r c d <<<"$(widest "$WORK/$l.png" "$mbox")"
	local want_c=$((W - 1 - b)) want_d=$((W - 1 - a))
	local ok=0
	[ -n "$a" ] && [ -n "$c" ] && [ $(((d - c) - (b - a))) -ge -2 ] &&
		[ $(((d - c) - (b - a))) -le 2 ] && [ $((c - want_c)) -ge "-$tol" ] &&
		[ $((c - want_c)) -le "$tol" ] && ok=1
	check "$l: $what: en ink $a-$b, $l ink $c-$d, want $want_c-$want_d" test "$ok" = 1
}

EN_HEADER=$(box en .layout.header)
check "en: the dump has the header box" test -n "$EN_HEADER"
TILE_EN=$(box en '.layout.tile_boxes[] | select(.key=="facebook") | .box')
check "en: the dump has the facebook tile" test -n "$TILE_EN"
ROW_EN=$(box en '.rows[] | select(.id=="c1") | .row')
STRIP_EN=$(box en .layout.strip)
check "en: the strip shows the open:facebook alarm" state_is en '.strip | join(",")' open:facebook
for l in he fa; do
	mirrored_label "header: the site name" "$l" "$EN_HEADER"
	# The channel's name heads its tile: the top fifth, inside the border.
	mirrored_label "facebook tile: its name" "$l" "$(inset "$TILE_EN" 4 20)"
	check "$l: the dump's facebook tile is the mirrored box" test \
		"$(box "$l" '.layout.tile_boxes[] | select(.key=="facebook") | .box')" = "$(mirror "$TILE_EN")"
	# Inside the row's frame (a firing alarm outlines its row).
	mirrored_label "row c1: a Latin label" "$l" "$(inset "$ROW_EN" 5)"
	# The strip's channel column sits near the middle, its Latin name at
	# the far end of its cell in right-to-left: 3 % (unmirrored: 5 %).
	mirrored_label "alarm strip: the channel" "$l" "$(inset "$STRIP_EN" 4)" 3
done

# Bidi order of the mixed line, in each language's own row box.
for l in en he fa; do
	tb=$(box "$l" '.rows[] | select(.id=="c2") | .text_box')
	# words with gaps wider than a third of the line height
	# shellcheck disable=SC2086
	"$WB_PROBE" "$WORK/$l.png" runs $tb "$(($(echo "$tb" | cut -d' ' -f4) / 3))" >"$WORK/$l.words"
	check "$l: mixed line: four words, in bidi order (short he, wide en, narrow en, long he)" \
		awk '{ w[NR] = $2 - $1 } END {
			exit !(NR == 4 && w[4] > w[2] && w[2] > w[3] && w[3] > w[1]) }' "$WORK/$l.words"
done

finish
