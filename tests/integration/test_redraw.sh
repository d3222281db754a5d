#!/usr/bin/env bash
# Draw only what changed (src/ui/scene.h): a message that changes no
# visible pixel draws no frame; a count change redraws only the header and
# the channel's tile. Counted by the board itself (--dump-state: frames,
# frames_unchanged, redraw.rects), never timed. No breach, nothing due
# soon, no crisis: only the header clock and the tile's ages change by
# themselves; a check that straddled a minute is run again. Then a
# flashing crisis banner, kept as two pictures (scene_layer_begin).
. "$(dirname "$0")/lib.sh"

start_broker
for i in 1 2 3; do
	complaint "q$i" whatsapp "Order $i late" -60
	sla "q$i" 7200
done
board b --windowed --size 1280x720
counter() { state b ".counters.$1"; }
# at_least NAME JQ N: for wait_until (the dump is read at each try)
at_least() {
	[ "$(state "$1" "$2")" -ge "$3" ] 2>/dev/null
}
wait_until 20 state_is b '.counters.applied' 6
check "board applied the six messages" state_is b '.counters.applied' 6
# Live only once its echo came back, which may be after the replay (a
# check on the half-second grid sees it): until then the "not live" band
# pushes the body down, and the frame that drops it redraws everything
# under the header. A change drawn in that frame redrew 0 86 1280 634
# (1 run in 30; 4 starts in 10 dumped all six applied while not live).
check "board is live (no band moves the body)" wait_until 10 state_is b .live true

# A change to a complaint that is neither in a list nor counted anew: the
# frame it asks for is recorded and found unchanged (frames that tick, in
# the tile's ages, always draw something). Twice if a tick's frame took
# the change with it.
below_fold() {
	local u0 a0
	u0=$(counter frames_unchanged); a0=$(counter applied)
	complaint q2 whatsapp "Order 2 late, customer wrote again $1" -60
	wait_until 10 state_is b '.counters.applied' $((a0 + 1)) || return 1
	wait_until 5 at_least b .counters.frames_unchanged $((u0 + 1))
}
below_fold 1 || below_fold 2
check "an unseen change: a frame recorded, nothing drawn" test $? -eq 0

# A new complaint: the header's open count and its tile's, nothing else.
within() { # X Y W H inside any of the rects in $REGIONS (lines "x y w h")
	local x y w h
	while read -r x y w h; do
		[ "$1" -ge "$x" ] && [ "$2" -ge "$y" ] && [ $(($1 + $3)) -le $((x + w)) ] &&
			[ $(($2 + $4)) -le $((y + h)) ] && return 0
	done <<<"$REGIONS"
	return 1
}
count_change() {
	local f0 a0 m0
	f0=$(counter frames); a0=$(counter applied); m0=$(date +%H%M)
	complaint "n$1" whatsapp "New one $1" -30
	sla "n$1" 7200
	wait_until 10 state_is b '.counters.applied' $((a0 + 2)) || return 1
	# the frame that drew the change, not the last: a tick often follows
	# it before the dump is read, and half the runs checked that instead
	wait_until 5 at_least b .redraw.by_message.frame $((f0 + 1)) || return 1
	[ "$(date +%H%M)" = "$m0" ] || return 2
	REGIONS=$(state b '[.redraw.header] + .redraw.tiles | .[] | @sh' | tr -d "'")
	RECTS=$(state b '.redraw.by_message.rects[] | @sh' | tr -d "'")
	[ -n "$RECTS" ] || return 1
	local n=0 area=0
	while read -r x y w h; do
		within "$x" "$y" "$w" "$h" || { echo "# redrawn outside header and tiles: $x $y $w $h"; return 1; }
		n=$((n + 1)); area=$((area + w * h))
	done <<<"$RECTS"
	echo "# $n rects, $area px redrawn"
	[ "$area" -lt $((1280 * 720 / 10)) ]
}
count_change 1; rc=$?
[ "$rc" -eq 2 ] && { count_change 2; rc=$?; }
check "a count change redraws only the header and the tile" test "$rc" -eq 0

# A flashing crisis banner is one layer: its two phases are kept as
# pictures and copied. The screenshot (drawn whole, the banner from its
# picture once kept) holds the banner's words where a board drawing
# whole every frame has them; with the orbit on, shifted by its offset.
"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 4 --open 0 --duration 0 --crisis now \
	--crisis-every 0 >>"$WORK/sim.log" 2>&1
shot() { # NAME ARGS...: a board that takes its screenshot after 4 s and exits
	local name=$1
	shift
	board "$name" --windowed --size 1280x720 --screenshot "$WORK/$name.png" \
		--screenshot-after 4 "$@"
	wait "$BOARD_PID"
}
shot kept
shot whole --set display.redraw=whole
shot orbit --set display.orbit=true
check "flash frames copy the banner's kept pictures" \
	test "$(state kept .counters.layers_copied)" -gt 0
check "drawn whole, nothing is copied" test "$(state whole .counters.layers_copied)" -eq 0
read -r bx by bw bh <<<"$(state whole '.layout.banner | @sh' | tr -d "'")"
words() { "$WB_PROBE" "$WORK/$1.png" runs $(($2 + bx)) $(($3 + by)) "$bw" "$((bh / 2))" 12; }
W=$(words whole 0 0)
check "the banner has words" test -n "$W"
check "copied banner = banner drawn whole" test "$(words kept 0 0)" = "$W"
read -r dx dy <<<"$(state orbit '[.display.dx, .display.dy] | @sh')"
shifted=$(words orbit "${dx:-0}" "${dy:-0}" | awk -v d="${dx:-0}" '{ print $1 - d, $2 - d }')
check "orbit: the banner is drawn shifted by ($dx, $dy)" test "$shifted" = "$W"

# Every frame drawn from its damage is the frame drawn whole: with
# display.redraw = check each frame is compared with the same operations
# drawn whole, without the kept pictures, and one that differs is counted.
# A busy screen: breached rows ticking, the crisis flashing, alarm strip
# lines flashing while their timers tick (two pictures and a live number),
# the list paging every 2 s; mirrored, and at the smallest size.
"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 4 --open 300 --duration 0 --crisis now \
	--crisis-every 0 >>"$WORK/sim.log" 2>&1
checked() { # NAME LANG SIZE: twelve frames or more compared, none differs
	board "$1" --windowed --size "$3" --lang "$2" --set display.redraw=check \
		--set board.page_seconds=2
	wait_until 30 at_least "$1" .counters.redraw_checked 12
	local pid=$BOARD_PID n bad copied
	n=$(state "$1" .counters.redraw_checked); bad=$(state "$1" .counters.redraw_mismatched)
	copied=$(state "$1" .counters.layers_copied)
	kill "$pid"; wait "$pid" 2>/dev/null
	echo "# $1: $n frames checked, $bad differ, $copied layers copied"
	grep -m3 "differs from a whole redraw" "$WORK/$1.log"
	[ "${n:-0}" -ge 12 ] && [ "$bad" = 0 ] && [ "${copied:-0}" -gt 0 ]
}
check "1280x720 en: every frame = the frame drawn whole" checked chk_en en 1280x720
check "800x480 he: every frame = the frame drawn whole" checked chk_he he 800x480
check "1920x1080 fa: every frame = the frame drawn whole" checked chk_fa fa 1920x1080

finish
