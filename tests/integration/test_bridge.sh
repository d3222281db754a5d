#!/usr/bin/env bash
# Two mosquittos: a site broker (its boards, a local producer) bridged to a
# central broker (a central producer: complaints, a crisis), with the
# bridge configuration shipped in assets/mosquitto/site-bridge.conf; the
# bridge runs through a proxy the test can cut.
#  - bridged: site boards hold central and local complaints; an ack made
#    on a site board reaches a central board;
#  - cut: the site boards stay live on local data, and say that the
#    central producer's feed is silent (its heartbeat stops), while the
#    local producer's is not; the central side goes on (a crisis, a
#    complaint resolved, one opened, an ack); so does the site (a local
#    breach, acknowledged on a site board);
#  - restored: the site boards converge to the central state (the crisis,
#    the resolved complaint gone, the new one there) and the acks made
#    during the cut on either side reach both brokers.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || { echo "socat missing"; exit 1; }
SRC=$(cd "$(dirname "$0")/../.." && pwd)

# on PORT COMMAND...: runs a lib.sh command (pub, board, retained...)
# against the broker on PORT.
on() {
	local BROKER_PORT=$1
	shift
	"$@"
}

BROKER_NAME=central start_broker || exit 1
CENTRAL=$BROKER_PORT
# The bridge goes through lib.sh's proxy, in front of the central broker.
PROXY_PORT=$(free_port)
proxy_down() {
	proxy TERM
	wait "$PROXY_PID" 2>/dev/null
}

# The shipped bridge, pointed at the proxy, without TLS.
on "$CENTRAL" proxy_up || { echo "could not start the proxy"; exit 1; }
sed -e "s/^address .*/address 127.0.0.1:$PROXY_PORT/" \
	"$SRC/assets/mosquitto/site-bridge.conf" >"$WORK/bridge.conf"
BROKER_NAME=site BROKER_CONF=$WORK/bridge.conf start_broker || exit 1
SITE=$BROKER_PORT

# heartbeat NAME PORT: a producer's status every second (interval 1 s:
# silent after two missed), for at most five minutes.
heartbeat() {
	(for _ in $(seq 1 300); do
		mosquitto_pub -h 127.0.0.1 -p "$2" -q 1 -r -t "wallboard/producers/$1/status" \
			-m "{\"online\":true,\"interval_s\":1,\"at\":\"$(at 0)\"}" 2>/dev/null
		sleep 1
	done) &
	PIDS+=("$!")
}
heartbeat central "$CENTRAL"
heartbeat local "$SITE"

HASH=$(echo 4711 | "$WB_BIN" --hash-pin | sed 's/^pin_hash = //')
printf '[alarms]\nsnooze = 1h\nescalate_after = 1h\n\n[lead.dana]\npin_hash = %s\n' \
	"$HASH" >"$WORK/board.ini"
chmod 600 "$WORK/board.ini" # it holds a PIN hash: the board refuses it readable by others
# ack_board PORT NAME DOWNS: a board that, after 4 s, presses Down DOWNS
# times (Down walks the list's rows, then the alarm strip) and acknowledges
# what it selected.
ack_board() {
	{
		for i in $(seq 1 "$3"); do echo "4.$i key Down"; done
		printf '5 key Return\n5.2 type 4711\n5.4 key Return\n'
	} >"$WORK/$2.script"
	on "$1" board "$2" --config "$WORK/board.ini" --size 800x480 --windowed \
		--input-script "$WORK/$2.script"
}
board_at() {
	on "$1" board "$2" --config "$WORK/board.ini" --size 800x480 --windowed
}
# ids_are BOARD LIST: the channels with open complaints, sorted.
ids_are() {
	state_is "$1" '[.channels[] | select(.open > 0) | .key] | sort | join(",")' "$2"
}
# silent_is BOARD PRODUCER true|false
silent_is() {
	state_is "$1" ".producers[] | select(.name==\"$2\") | .silent" "$3"
}
# acked_by PORT ALARM: who the ack retained on that broker is by.
acked_by() {
	[ "$(on "$1" retained "acks/$2" | jq -r .by 2>/dev/null)" = "$3" ]
}

# 1. Bridged. The central producer: a breached VIP complaint and one not
#    due; the local producer: one not due.
on "$CENTRAL" complaint cv facebook "Central VIP, breached" -7200 vip
on "$CENTRAL" sla cv -600
on "$CENTRAL" complaint cx x "Central, resolved during the cut" -600
on "$CENTRAL" sla cx 3600
on "$SITE" complaint l1 webchat "Local, not due" -600
on "$SITE" sla l1 3600
board_at "$SITE" s1
board_at "$CENTRAL" c1
check "site board holds central and local complaints" wait_until 20 state_is s1 .complaints 3
check "central board holds the central ones" wait_until 10 state_is c1 .complaints 2
check "site board: no feed silent while bridged" wait_until 10 state_is s1 '.band | index("feed_silent")' null
check "site board: the central producer heard" silent_is s1 central false
ack_board "$SITE" s2 1   # the list: cv
check "site ack: s2 acknowledged the central VIP breach" wait_until 15 alarm_is s2 breach:cv by dana
check "the site ack reaches the central board" wait_until 10 alarm_is c1 breach:cv by dana
check "and is retained on the central broker" acked_by "$CENTRAL" breach:cv dana
kill "$BOARD_PID"

# 2. The bridge is cut.
proxy_down
check "site board: the central feed goes silent" wait_until 10 silent_is s1 central true
check "site board: the band says a feed is silent" state_is s1 '.band | index("feed_silent") != null' true
check "site board: the local feed is not silent" silent_is s1 local false
check "site board stays live on local data" state_is s1 .live true
on "$CENTRAL" pub crisis '{"active":true,"level":3,"title":"Outage: payments","message":"Pause scheduled posts"}'
on "$CENTRAL" pub_empty complaints/cx
on "$CENTRAL" pub_empty sla/cx
on "$CENTRAL" complaint cy email "Central, opened during the cut" -60
on "$CENTRAL" sla cy 1800
on "$SITE" complaint l2 whatsapp "Local, breached during the cut" -9000 vip
on "$SITE" sla l2 -1200
check "site board: the local breach shows during the cut" wait_until 10 state_is s1 .complaints 4
check "site board: the central crisis does not (the link is cut)" state_is s1 .crisis null
check "site board: still live" state_is s1 .live true
ack_board "$CENTRAL" c2 2   # the list: cv; the strip: the crisis
check "central ack during the cut: c2 acknowledged the crisis" wait_until 15 alarm_is c2 crisis by dana
kill "$BOARD_PID"
ack_board "$SITE" s3 1   # the list: l2 (most overdue), cv
check "site ack during the cut: s3 acknowledged the local breach" wait_until 15 alarm_is s3 breach:l2 by dana
kill "$BOARD_PID"
check "the central broker has not got it yet" test -z "$(on "$CENTRAL" retained acks/breach:l2)"

# 3. The bridge is back: the site converges to the central state.
check "the proxy is back" on "$CENTRAL" proxy_up
check "site board: the crisis arrives" wait_until 30 state_is s1 .crisis.title "Outage: payments"
check "site board: cx resolved during the cut is gone, cy is there" \
	wait_until 10 ids_are s1 "email,facebook,webchat,whatsapp"
check "site board: four complaints (two central, two local)" state_is s1 .complaints 4
check "site board: the central crisis ack made during the cut" wait_until 10 alarm_is s1 crisis by dana
check "central broker: the site ack made during the cut" \
	wait_until 10 acked_by "$CENTRAL" breach:l2 dana
check "central board: the crisis acked, cv acked" test "$(alarm c1 crisis by)/$(alarm c1 breach:cv by)" = dana/dana
check "site board: the central feed is heard again" wait_until 10 silent_is s1 central false
check "site board: live" state_is s1 .live true
check "central board: still two complaints (local ones stay at the site)" state_is c1 .complaints 2

finish
