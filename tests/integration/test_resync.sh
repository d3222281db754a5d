#!/usr/bin/env bash
# The board never lies about its data:
#  - a dropped link shows "not live" within seconds, and so does a silent
#    one (packets blackholed, TCP still open);
#  - after it reconnects the board shows exactly what the retained topics
#    hold now: a complaint removed while it was away disappears, one added
#    appears;
#  - a broker killed with SIGKILL and restarted is reconnected to by itself.
# The link runs through a socat proxy the test controls.
. "$(dirname "$0")/lib.sh"
# "Not live within 3 s": + 0.9 s for the board's 0.5 s liveness check, its
# 0.2 s dump interval and this script's polling (test_promises measures it).
NOT_LIVE_S=3.9
command -v socat >/dev/null || { echo "socat missing"; exit 1; }

start_broker || exit 1
PROXY_PORT=$(free_port)

# The board connects through the proxy; pub still goes straight to the broker.
board_via_proxy() {
	board "$1" --broker "127.0.0.1:$PROXY_PORT" --size 800x480 --windowed
}

complaint c1 facebook "first" -600
sla c1 -60
complaint c2 x "second, resolved while the board is away" -600
sla c2 600
proxy_up
board_via_proxy a
check "board shows both complaints" wait_until 10 state_is a .complaints 2
check "board is live" wait_until 5 state_is a .live true
status_mqtt_is() {
	[ "$(retained boards/a/status | jq -r .mqtt 2>/dev/null)" = "$1" ]
}
check "the retained status names the MQTT version ($BROKER_PROTOCOL with $WB_BROKER)" \
	wait_until 10 status_mqtt_is "$BROKER_PROTOCOL"
check "c1 breached" state_is a '.breached | join(",")' c1

# 1. The link drops: not live within seconds.
proxy TERM
T0=$SECONDS
check "dropped link: not live within 3 s (+0.9)" wait_until "$NOT_LIVE_S" state_is a .live false
echo "# not live after $((SECONDS - T0)) s"

# 2. While away: c2 is resolved (empty retained), c3 opens.
pub_empty complaints/c2
pub_empty sla/c2
complaint c3 webchat "opened while the board was away" -30
sla c3 1800
check "state kept while away (nothing lost, nothing invented)" state_is a .complaints 2

proxy_up
# A broker that was away is tried every 0.5-1 s: live again within 1 s +
# the connect, the replay and the first echo (2 s here, 5 with ASan).
check "reconnected and live again" wait_until 5 state_is a .live true
check "resync: c2 gone, c3 there" wait_until 5 state_is a '[.channels[] | select(.open > 0) | .key] | sort | join(",")' "facebook,webchat"
check "two complaints after resync" state_is a .complaints 2
check "a resync dropped c2" test "$(state a .counters.resync_dropped)" -ge 1

# 3. A silent link: the proxy stops forwarding but keeps TCP open.
proxy STOP
T0=$SECONDS
check "silent link: not live within 3 s (+0.9)" wait_until "$NOT_LIVE_S" state_is a .live false
echo "# silent link seen after $((SECONDS - T0)) s"
proxy CONT
check "link resumes: live again" wait_until 10 state_is a .live true

# 4. The broker is killed and restarted: the board reconnects by itself.
sleep 1.5 # let the broker autosave the retained state
kill -KILL "$BROKER_PID"
wait "$BROKER_PID" 2>/dev/null
check "broker killed: not live within 3 s (+0.9)" wait_until "$NOT_LIVE_S" state_is a .live false
restart_broker
check "broker back: live again (retried every 0.5-1 s)" wait_until 5 state_is a .live true
check "same complaints after the broker restart" wait_until 5 state_is a .complaints 2
check "board still running" kill -0 "$BOARD_PID"

finish
