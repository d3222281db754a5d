#!/usr/bin/env bash
# The appliance's screen and remote commands, through the real board:
#  - first-start screen while the broker cannot be reached;
#  - remote commands on boards/<id>/cmd and boards/all/cmd: identify, dim,
#    page next, reload (a bad file keeps the settings and says why),
#    screenshot (a PNG published, at most one per 10 s); refused unsigned
#    (default), refused retained, refused unsigned when an ack key is set,
#    taken when signed with it (HMAC-SHA256, signed here with openssl),
#    refused when replayed;
#  - night: outside display.schedule the board dims (a fake backlight
#    through WB_SYSFS is written), a touch wakes it for a minute and does
#    nothing else, a firing breach keeps it awake, blank mode;
#  - rotation: 90 degrees lays out in portrait, the screenshot keeps the
#    panel's size, and a tap on the panel reaches the right row.
. "$(dirname "$0")/lib.sh"

# --- first start: nothing listens on the broker's port
port=$(free_port)
"$WB_BIN" --broker "127.0.0.1:$port" --assets "$WB_ASSETS" --board-id fs \
	--state-dir "$WORK" --size 640x400 --dump-state "$WORK/fs.json" \
	--screenshot "$WORK/fs.png" --screenshot-after 2.5 >"$WORK/fs.log" 2>&1
check "first start: shown while never connected" state_is fs .display.first_start true
check "first start: something written on it" \
	test "$("$WB_PROBE" "$WORK/fs.png" runs 0 60 640 300 20 | wc -l)" -ge 1

start_broker
complaint c-1 facebook "oldest" -7200
sla c-1 -600
complaint c-2 instagram "second" -7200
sla c-2 -300

# cmd BOARD PAYLOAD [TARGET]: publish a command, print the board's answer.
cmd() {
	local board=$1 payload=$2
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "wallboard/boards/$board/result" \
		-C 1 -W 5 >"$WORK/result" 2>/dev/null &
	local sub=$!
	sleep 0.3
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -t "wallboard/boards/${3:-$board}/cmd" \
		-m "$payload"
	wait "$sub"
	cat "$WORK/result"
}
# answer JQ: a test on the last answer
answer() { jq -e "$1" "$WORK/result" >/dev/null 2>&1; }
has_breaches() { state_is "$1" '.breached | length' "$2"; }

# --- a board that refuses unsigned commands (the default)
board strict --size 640x400
check "strict: has its data" wait_until 10 has_breaches strict 2
out=$(cmd strict "identify")
check "unsigned refused by default ($out)" answer '.ok == false and (.detail | test("allow_unsigned"))'
check "refused: nothing shown" state_is strict .display.identify false
kill "$BOARD_PID"

# --- a board that takes unsigned commands, with a fake backlight
mkdir -p "$WORK/sys/class/backlight/panel"
echo 255 >"$WORK/sys/class/backlight/panel/max_brightness"
echo 200 >"$WORK/sys/class/backlight/panel/brightness"
printf '[remote]\nallow_unsigned = true\n' >"$WORK/open.ini"
# A retained command waits for the board: it must not run at (every) start.
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -r -q 1 -t wallboard/boards/open/cmd -m "dim 5"
board open --config "$WORK/open.ini" --size 640x400
OPEN=$BOARD_PID
check "open: has its data" wait_until 10 has_breaches open 2
check "a retained command is not taken at start" bash -c "[ \"\$(jq .display.brightness '$WORK/open.json')\" = 100 ]"
out=$(cmd open "identify")
check "identify: answered ok ($out)" answer '.ok'
check "identify: shown" wait_until 3 state_is open .display.identify true
out=$(cmd open "dim 30")
check "dim 30: answered ok" answer '.ok'
check "dim 30: brightness 30" wait_until 3 state_is open .display.brightness 30
out=$(cmd open "dim 150")
check "dim 150 refused ($out)" answer '.ok == false'
out=$(cmd open "page next")
check "page next: answered ok" answer '.ok'
out=$(cmd open "identify" all)
check "boards/all/cmd reaches the board" answer '.ok and .cmd == "identify"'
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -r -q 1 -t wallboard/boards/open/cmd -n

# screenshot: a PNG on boards/<id>/screenshot, then refused within 10 s
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t wallboard/boards/open/screenshot -C 1 -W 8 \
	>"$WORK/remote.png" 2>/dev/null &
SUB=$!
sleep 0.3
out=$(cmd open "screenshot")
wait "$SUB"
check "screenshot: answered ok ($out)" answer '.ok and (.detail | test("PNG 640x400"))'
check "screenshot: a 640x400 PNG published" test "$("$WB_PROBE" "$WORK/remote.png" size 2>/dev/null)" = "640 400"
check "screenshot: not retained" retained_absent boards/open/screenshot
out=$(cmd open "screenshot")
check "screenshot: a second within 10 s refused" answer '.ok == false and (.detail | test("10 s"))'

# reload: a bad file keeps the old settings and says why; a good one applies
printf '[remote]\nallow_unsigned = true\n[display]\nnight_brightness = 250\n' >"$WORK/open.ini"
out=$(cmd open "reload")
check "reload of a bad file refused with FILE:LINE ($out)" answer '.ok == false and (.detail | test("open.ini:4"))'
check "the board still runs" kill -0 "$OPEN"
printf '[remote]\nallow_unsigned = true\n[board]\nsite = Reloaded floor\n' >"$WORK/open.ini"
out=$(cmd open "reload")
check "reload of a good file applied ($out)" answer '.ok'
printf '[board]\nsite = Locked\n' >"$WORK/open.ini"
out=$(cmd open "reload")
check "reload that turns allow_unsigned off: applied" answer '.ok'
out=$(cmd open "identify")
check "... and unsigned commands are refused after it ($out)" answer '.ok == false'
kill "$OPEN"

# --- signed commands with the site's ack key
"$WB_BIN" --make-ack-key "$WORK/ack.key" >/dev/null 2>&1
board signed --size 640x400 --set acks.key_file="$WORK/ack.key" --set remote.allow_unsigned=true
check "signed: has its data" wait_until 10 has_breaches signed 2
sign() { # TARGET CMD AT
	printf 'wallboard-cmd-v1\n%d:%s\n%d:%s\n%d:%s' "${#1}" "$1" "${#2}" "$2" "${#3}" "$3" |
		openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(xxd -p "$WORK/ack.key" | tr -d '\n')" |
		sed 's/.*= //'
}
out=$(cmd signed "dim 40")
check "key set: unsigned refused even with allow_unsigned ($out)" answer '.ok == false and (.detail | test("ack key"))'
at=$(date +%s)
signed_cmd=$(jq -cn --arg c "dim 40" --argjson at "$at" --arg s "$(sign signed "dim 40" "$at")" \
	'{cmd:$c, at:$at, sig:$s}')
out=$(cmd signed "$signed_cmd")
check "signed: taken ($out)" answer '.ok'
check "signed: brightness 40" wait_until 3 state_is signed .display.brightness 40
out=$(cmd signed "$signed_cmd")
check "signed, replayed: refused ($out)" answer '.ok == false and (.detail | test("replayed"))'
bad=$(jq -c '.cmd = "dim 0"' <<<"$signed_cmd")
out=$(cmd signed "$bad")
check "signature of another command: refused ($out)" answer '.ok == false and (.detail | test("signature"))'
kill "$BOARD_PID"

# --- night: a schedule whose day starts two hours from now
now_min=$((10#$(date +%H) * 60 + 10#$(date +%M)))
from=$(((now_min + 120) % 1440))
to=$(((now_min + 180) % 1440))
sched=$(printf '%02d:%02d-%02d:%02d' $((from / 60)) $((from % 60)) $((to / 60)) $((to % 60)))
for id in c-1 c-2; do pub_empty "complaints/$id"; pub_empty "sla/$id"; done
complaint n-1 facebook "due later" -60
sla n-1 3600
echo "4 tap 320 200" >"$WORK/night.script"
WB_SYSFS=$WORK/sys board night --size 640x400 --set display.schedule="$sched" \
	--set display.night_brightness=20 --input-script "$WORK/night.script"
NIGHT=$BOARD_PID
check "night: outside the schedule ($sched)" wait_until 5 state_is night .display.night true
check "night: brightness 20" state_is night .display.brightness 20
check "night: the backlight is written (20 % of 255)" wait_until 3 bash -c \
	"[ \"\$(cat '$WORK/sys/class/backlight/panel/brightness')\" = 51 ]"
check "night: a touch wakes it for a minute" wait_until 8 state_is night .display.night false
check "night: the waking touch did not open the keypad" state_is night .ui.keypad_open false
sla n-1 -5
check "a breach: awake with the alarm" wait_until 5 bash -c \
	"jq -e '.display.night == false and (.breached | length) == 1' '$WORK/night.json' >/dev/null"
kill "$NIGHT"
wait "$NIGHT" 2>/dev/null
check "night: the backlight restored on exit" test "$(cat "$WORK/sys/class/backlight/panel/brightness")" = 200

pub_empty complaints/n-1
pub_empty sla/n-1
complaint q-1 facebook "quiet" -60
sla q-1 3600
board blank --size 640x400 --set display.schedule="$sched" --set display.night=blank \
	--screenshot "$WORK/blank.png" --screenshot-after 3
wait "$BOARD_PID"
check "blank: the dump says so" state_is blank .display.blank true
check "blank: the screen is black" bash -c \
	"'$WB_PROBE' '$WORK/blank.png' mean 0 0 640 400 | awk '{ exit !(\$1 <= 2) }'"

# --- rotation: a 800x480 panel mounted portrait, turned 90 degrees
pub_empty complaints/q-1
pub_empty sla/q-1
complaint r-1 facebook "first row" -7200
sla r-1 -900
complaint r-2 whatsapp "second row" -7200
sla r-2 -300
hash=$(echo 471100 | "$WB_BIN" --hash-pin | sed 's/^pin_hash = //')
printf '[lead.dana]\npin_hash = %s\n' "$hash" >"$WORK/lead.ini"
chmod 600 "$WORK/lead.ini"
board rot --size 800x480 --set display.rotate=90 --config "$WORK/lead.ini" \
	--screenshot "$WORK/rot.png" --screenshot-after 3
wait "$BOARD_PID"
check "rotate 90: screenshot is the panel's 800x480" test "$("$WB_PROBE" "$WORK/rot.png" size)" = "800 480"
check "rotate 90: laid out in portrait 480x800" \
	jq -e '.display.width == 480 and .display.height == 800' "$WORK/rot.json"
check "rotate 90: rows laid out in the portrait width" \
	jq -e '[.rows[].row | .[0] + .[2]] | max <= 480' "$WORK/rot.json"
row2=$(jq -c '.rows[] | select(.id == "r-2") | .row' "$WORK/rot.json")
check "rotate 90: the second row is laid out ($row2)" test -n "$row2"
# content (cx, cy) shows at panel (W-1-cy, cx) when turned 90 degrees clockwise
cx=$(jq '.[0] + .[2] / 2 | floor' <<<"$row2")
cy=$(jq '.[1] + .[3] / 2 | floor' <<<"$row2")
echo "3 tap $((800 - 1 - cy)) $cx" >"$WORK/rot.script"
board rot2 --size 800x480 --set display.rotate=90 --config "$WORK/lead.ini" \
	--input-script "$WORK/rot.script"
check "rotate 90: a tap on the panel opens the keypad for r-2's row" \
	wait_until 8 state_is rot2 .ui.target breach:r-2

finish
