#!/usr/bin/env bash
# What the board publishes goes out only while it is of use, and only
# when the broker takes it:
#  - an escalation carries an MQTT 5 message-expiry-interval (escalate_after,
#    at least 60 s, at most an hour), so a broker holding it for a
#    subscriber who is away drops it once stale; mosquitto_sub -V mqttv5
#    prints it (%E);
#  - a broker with max_packet_size announces it in its CONNACK: the board
#    logs it, refuses a larger publish (a remote screenshot's PNG) with a
#    log line and a counter instead of handing it to libmosquitto, keeps
#    its link, and smaller publishes still go.
. "$(dirname "$0")/lib.sh"

BROKER_EXTRA="max_packet_size 20000" start_broker || exit 1
complaint c1 facebook "waiting for an answer" -7200
sla c1 -600

# the escalations as a v5 subscriber sees them: "<expiry> <topic>"
mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$BROKER_PORT" -t 'wallboard/escalations/#' \
	-F '%E %t' -W 60 >"$WORK/esc.txt" 2>"$WORK/esc.err" &
SUB=$!
PIDS+=("$SUB")
sub_ready() {
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -t wallboard/escalations/probe -m probe
	grep -q "escalations/probe" "$WORK/esc.txt"
}
check "escalation subscriber ready" wait_until 5 sub_ready

printf '[remote]\nallow_unsigned = true\n' >"$WORK/open.ini"
board e --config "$WORK/open.ini" --size 1280x720 --set alarms.escalate_after=2s
check "live" wait_until 10 state_is e .live true
check "the broker's maximum packet size is read from its CONNACK" \
	grep -q "the broker takes packets up to 20000 bytes" "$WORK/e.log"

# --- escalations expire -------------------------------------------------
check "the alarm escalates" wait_until 10 alarm_is e breach:c1 escalated true
check "the escalation is published" \
	wait_until 5 grep -q " wallboard/escalations/breach:c1$" "$WORK/esc.txt"
expiry=$(grep " wallboard/escalations/breach:c1$" "$WORK/esc.txt" | head -n 1 | cut -d' ' -f1)
check "it carries a message expiry of 60 s (escalate_after 2 s, at least 60; got '$expiry')" \
	bash -c "[ '$expiry' -ge 55 ] && [ '$expiry' -le 60 ]"
check "the probe (published without one) shows none: the check can fail" \
	grep -qx " wallboard/escalations/probe" "$WORK/esc.txt"

# --- a publish over the broker's maximum packet size -------------------------
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t wallboard/boards/e/result -C 1 -W 8 \
	>"$WORK/result" 2>/dev/null &
RES=$!
sleep 0.3
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -t wallboard/boards/e/cmd -m screenshot
wait "$RES"
check "screenshot over 20000 bytes: answered not ok ($(cat "$WORK/result"))" \
	jq -e '.ok == false' "$WORK/result"
check "counted: publish_too_big 1" wait_until 3 state_is e .counters.publish_too_big 1
check "logged with the sizes" grep -qE \
	"not published to wallboard/boards/e/screenshot: a [0-9]{5,}-byte packet, over the broker's maximum packet size \(20000\)" \
	"$WORK/e.log"
check "the link held: one connection, still live" \
	bash -c "[ \"\$(grep -c 'connected to 127.0.0.1' '$WORK/e.log')\" = 1 ]"
check "... and live" state_is e .live true
check "smaller publishes still go (the retained status)" \
	test "$(retained boards/e/status | jq -r .board)" = e
kill "$BOARD_PID"

finish
