#!/usr/bin/env bash
# The queue between the network thread and the main thread is bounded,
# in events and in bytes, and a main thread that stalls loses no ack: the
# board's own MQTT client (queue_stall.c, a queue of 40 events, then one
# of 24,000 bytes, whose owner takes nothing) gets an ack and then 200
# state updates, none retained, so nothing a resync replays could hide a
# loss. When the owner looks again:
#  - the queue never held more than its bound, but for the RESYNC it puts
#    at its head (a control event: never capped);
#  - every update was either kept or counted as dropped;
#  - the oldest state updates were dropped, the newest kept;
#  - the ack, the oldest message of all, is still there;
#  - MQTT_EV_RESYNC comes first: all after it is newer than the drops.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
for bound in events bytes; do
	out="$WORK/stall-$bound.out"
	"$WB_BUILD/tests/queue_stall" "$BROKER_PORT" "$bound" >"$out" 2>>"$WORK/stall.log"
	check "$bound: the stalled client ran" test $? -eq 0
	got() { awk -v k="$1" '$1 == k { print $2 }' "$out"; }
	cat "$out"
	most=$(got most_events) most_bytes=$(got most_bytes)
	check "$bound: never more events than its bound and the RESYNC ($most)" \
		test "${most:-0}" -gt 0 -a "${most:-0}" -le "$(($(got bound_events) + 1))"
	check "$bound: never more bytes than its bound and the RESYNC's node ($most_bytes)" \
		test "${most_bytes:-0}" -gt 0 -a \
		"${most_bytes:-0}" -le "$(($(got bound_bytes) + $(got control_bytes)))"
	kept=$(got updates) dropped=$(got dropped)
	check "$bound: some were dropped" test "${dropped:-0}" -gt 0
	check "$bound: each update kept or counted dropped: $kept + $dropped" \
		test "$((${kept:-0} + ${dropped:-0}))" -eq 200
	check "$bound: the newest state update was kept" test "$(got newest)" -eq 200
	check "$bound: the ack, queued first, was not dropped" test "$(got ack_at)" -ge 0
	check "$bound: a resync comes first" test "$(got first)" = resync
done
finish
