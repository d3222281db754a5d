#!/usr/bin/env bash
# A held owner sleeps through a stream, not through a change after a
# quiet spell nor through the stream's end: the board's own MQTT client
# (hold_quiet.c), held for 60 s with the board's pace and taking its
# queue only when woken, gets one message after a quiet spell, a stream
# of 150 messages 10 ms apart right behind it, a burst of 200 and one of
# 3,000 after quiet spells, then 800 ms of nothing and one message.
#  - the first message and the one after the quiet spell each wake it;
#  - the stream wakes it only when it stops (at most one more wake-up:
#    a stall of the machine may look like a quiet spell);
#  - every stream and burst reaches the owner whole long before it would
#    have looked by itself (it waits for them on state, at most 3 s of
#    the hold's 60): held from frame to frame with no wake-up at the
#    stream's stop, their last messages waited for the owner's next look;
#  - every message reaches the owner.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
"$WB_BUILD/tests/hold_quiet" "$BROKER_PORT" >"$WORK/hold.out" 2>>"$WORK/hold.log"
check "the held client ran" test $? -eq 0
got() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/hold.out"; }
cat "$WORK/hold.out"
check "a message after a quiet spell wakes the owner" test "$(got first)" -eq 1
check "a stream behind it wakes it at its end (at most twice)" \
	test "$(got stream)" -ge 1 -a "$(got stream)" -le 2
check "the stream's last messages reach the owner when it stops" test "$(got stream_all)" -eq 1
check "a small burst's last messages reach it when the burst stops" \
	test "$(got small_burst_all)" -eq 1
check "a big burst's last messages reach it when the burst stops" \
	test "$(got big_burst_all)" -eq 1
check "a message after 800 ms of nothing wakes it" test "$(got after_quiet)" -eq 1
check "every message reached the owner" test "$(got messages)" -eq 3352
finish
