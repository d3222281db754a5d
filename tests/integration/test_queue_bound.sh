#!/usr/bin/env bash
# The queue between the network thread and the main thread is bounded,
# and a main thread that stalls loses no ack: the board's own MQTT client
# (queue_stall.c, a queue of 40 events whose owner takes nothing) gets an
# ack and then 200 state updates, none retained, so nothing a resync
# replays could hide a loss. When the owner looks again:
#  - the queue held no more than its bound, and said how many it dropped;
#  - the oldest state updates were dropped, the newest kept;
#  - the ack, the oldest message of all, is still there;
#  - MQTT_EV_RESYNC comes first: all after it is newer than the drops.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
"$WB_BUILD/tests/queue_stall" "$BROKER_PORT" >"$WORK/stall.out" 2>>"$WORK/stall.log"
check "the stalled client ran" test $? -eq 0
got() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/stall.out"; }
cat "$WORK/stall.out"
check "the queue stayed within its 40 events (an ack may exceed it)" \
	test "$(got queued_at_most)" -le 41
check "the drops were counted: at least 200 + 1 - 41" test "$(got dropped)" -ge 160
check "the newest state update was kept" test "$(got newest)" -eq 200
check "no more state updates than the queue holds" test "$(got updates)" -le 40
check "the ack, queued first, was not dropped" test "$(got ack_at)" -ge 0
check "a resync comes first" test "$(got first)" = resync
finish
