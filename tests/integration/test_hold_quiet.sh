#!/usr/bin/env bash
# A held owner sleeps through a stream, not through a change after a
# quiet spell: the board's own MQTT client (hold_quiet.c), held for 20 s
# with the board's quiet gap (250 ms) and taking its queue only when
# woken, gets one message after a quiet spell, a stream of 150 messages
# 10 ms apart right behind it, then 800 ms of nothing and one message.
#  - the first message and the one after the quiet spell each wake it;
#  - the stream does not (at most one wake-up: a timer may read a
#    message that came just after a quiet point of the stream);
#  - every message reaches the owner.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
"$WB_BUILD/tests/hold_quiet" "$BROKER_PORT" >"$WORK/hold.out" 2>>"$WORK/hold.log"
check "the held client ran" test $? -eq 0
got() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/hold.out"; }
cat "$WORK/hold.out"
check "a message after a quiet spell wakes the owner" test "$(got first)" -eq 1
check "a stream behind it does not (at most once)" test "$(got stream)" -le 1
check "a message after 800 ms of nothing wakes it" test "$(got after_quiet)" -eq 1
check "every message reached the owner" test "$(got messages)" -eq 152
finish
