#!/usr/bin/env bash
# No silent loss: a flood that overflows the board's MQTT queue makes the
# board resync (take the broker's retained state again); it says "not live"
# until that completes, and ends up holding exactly what the broker holds.
# The queue is made small (WB_QUEUE_MAX) and the board is paused (SIGSTOP)
# while the flood waits in its socket, so the overflow is certain.
# Then: a rejected retained update keeps the last good state through the
# resync of a reconnect.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
flood() { "$WB_FLOOD" "$BROKER_PORT"; }
json() { printf '{"channel":"web","text":"%s","opened_at":%d}' "$1" "$(($(date +%s) - 600))"; }

for i in $(seq 1 200); do echo "wallboard/complaints/c$i $(json "first $i")"; done | flood
export WB_QUEUE_MAX=600
board a --size 800x480 --windowed
A=$BOARD_PID
check "in sync with 200 complaints" wait_until 15 state_is a .complaints 200
check "live" wait_until 5 state_is a .live true
resyncs=$(state a .counters.resyncs)

# 10 rounds over 300 ids; in the last one c1..c150 are removed (empty
# retained payloads). The broker then holds c151..c300.
kill -STOP "$A"
for r in $(seq 1 10); do
	for i in $(seq 1 300); do
		if [ "$r" -eq 10 ] && [ "$i" -le 150 ]; then
			echo "wallboard/complaints/c$i "
		else
			echo "wallboard/complaints/c$i $(json "round $r $i")"
		fi
	done
done | flood
kill -CONT "$A"

check "the queue dropped messages" wait_until 10 \
	bash -c '[ "$(jq -r .counters.dropped "$0")" -gt 0 ]' "$WORK/a.json"
check "a resync followed" wait_until 20 \
	bash -c '[ "$(jq -r .counters.resyncs "$0")" -gt "$1" ]' "$WORK/a.json" "$resyncs"
check "the board holds what the broker holds: 150 complaints" wait_until 20 state_is a .complaints 150
check "live again" wait_until 5 state_is a .live true
grep -q "not live until the board has taken the broker's state again" "$WORK/a.log"
check "the drop was logged, with the resync" test $? -eq 0

# A rejected retained update (no channel) keeps the last good state, also
# through the resync of a reconnect, where the broker replays only the
# rejected version.
echo 'wallboard/complaints/c151 {"text":"no channel","opened_at":0}' | flood
check "the bad update is rejected" wait_until 5 \
	bash -c '[ "$(jq -r .counters.rejected "$0")" -ge 1 ]' "$WORK/a.json"
resyncs=$(state a .counters.resyncs)
stop_broker
restart_broker
check "reconnected and resynced" wait_until 20 \
	bash -c '[ "$(jq -r .counters.resyncs "$0")" -gt "$1" ]' "$WORK/a.json" "$resyncs"
check "c151 kept its last good state: still 150 complaints" state_is a .complaints 150
check "the board is still running" kill -0 "$A"
finish
