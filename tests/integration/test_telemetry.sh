#!/usr/bin/env bash
# The retained status JSON on <prefix>/boards/<id>/status: every field,
# published when live changes (not only every status_every), updated on
# its interval with counters that move, the SoC temperature from
# /sys/class/thermal (a fake one here, through WB_SYSFS), and the Last Will
# {"online":false} when the board is killed with SIGKILL.
. "$(dirname "$0")/lib.sh"

start_broker
complaint c-1 facebook "hello" -600
sla c-1 1200

mkdir -p "$WORK/sys/class/thermal/thermal_zone0"
echo 48312 >"$WORK/sys/class/thermal/thermal_zone0/temp"

status() { retained "boards/$1/status"; }
status_field() { status "$1" | jq -r "$2" 2>/dev/null; }
status_is() { [ "$(status_field "$1" "$2")" = "$3" ]; }

# status_every 30 s: the first full status comes from live turning true.
WB_SYSFS=$WORK/sys board tel --size 640x360 --set mqtt.keepalive=5s
TEL=$BOARD_PID
check "status published as soon as the board is live" wait_until 10 status_is tel .live true
status tel >"$WORK/s1.json"
for f in online board version started_at uptime_s live renderer video_driver \
	screen.width screen.height frame_ms_p50 frame_ms_p99 fps rss_kb \
	messages.received messages.rejected messages.dropped last_message_age_s \
	journal_pending soc_temp_c; do
	check "status has $f" test "$(jq -r ".$f | type" "$WORK/s1.json")" != null
done
check "online is true" test "$(jq -r .online "$WORK/s1.json")" = true
check "board id" test "$(jq -r .board "$WORK/s1.json")" = tel
check "video driver dummy" test "$(jq -r .video_driver "$WORK/s1.json")" = dummy
check "renderer named" test -n "$(jq -r .renderer "$WORK/s1.json")"
check "screen 640x360" test "$(jq -c .screen "$WORK/s1.json")" = '{"width":640,"height":360}'
check "SoC temperature 48.3 C" test "$(jq -r .soc_temp_c "$WORK/s1.json")" = 48.3
check "RSS in KiB, plausible" test "$(jq -r .rss_kb "$WORK/s1.json")" -gt 1000
check "received counts the retained messages" test "$(jq -r .messages.received "$WORK/s1.json")" -ge 2
check "started_at is RFC 3339" grep -qE '"started_at":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"' "$WORK/s1.json"
kill "$TEL"
wait "$TEL" 2>/dev/null
check "a clean stop says offline" wait_until 5 status_is tel .online false

# Every status_every (1 s here): uptime grows, a rejected message counts.
WB_SYSFS=$WORK/sys board tel2 --size 320x240 --set remote.status_every=1s \
	--set mqtt.keepalive=5s
TEL2=$BOARD_PID
check "tel2 live" wait_until 10 status_is tel2 .live true
up0=$(status_field tel2 .uptime_s)
uptime_beyond() { [ "$(status_field tel2 .uptime_s)" -gt "$1" ]; }
check "updated every second (uptime grows)" wait_until 5 uptime_beyond "$((up0 + 1))"
# Frame times: not in the first status, which live turning true sends and
# which can precede the first timed frame (in sync within the board's first
# second), but in a status once frames were drawn. p99 holds the first full
# frame; p50 may round to 0.0 ms (an unchanged frame draws in ~0.1 ms).
frames_timed() {
	status tel2 >"$WORK/s2.json"
	jq -e '.frame_ms_p99 > 0' "$WORK/s2.json" >/dev/null
}
check "frames: p99 > 0 once drawn" wait_until 5 frames_timed
check "frames: p99 >= p50 >= 0" jq -e '.frame_ms_p99 >= .frame_ms_p50 and .frame_ms_p50 >= 0' "$WORK/s2.json"
pub complaints/bad '{"channel": 7}'
check "a rejected message shows in the status" wait_until 5 status_is tel2 .messages.rejected 1
check "last message age counts from the bad one" wait_until 5 bash -c \
	"[ \"\$(mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -t wallboard/boards/tel2/status -C 1 -W 2 | jq .last_message_age_s)\" -le 2 ]"

# SIGKILL: nobody says goodbye; the broker publishes the Last Will.
kill -9 "$TEL2"
wait "$TEL2" 2>/dev/null
check "killed: the Last Will sets it offline (within 1.5 keepalives)" \
	wait_until 12 status_is tel2 .online false
check "the will names the board" status_is tel2 .board tel2

finish
