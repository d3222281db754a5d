#!/usr/bin/env bash
# SIGTERM stops an idle board promptly whichever of its threads the
# kernel hands the signal to, and through the loop's usual end (drain,
# journal, status offline). systemd's stops and restarts (updates, the
# watchdog) wait on it.
#
# kill(2) given a thread's id sends a process signal that the kernel hands
# to that thread unless it blocks it: the test sends it to the board's
# other threads in turn (the PIN checker's, the network thread), as a
# plain kill of the process does at random when the kernel picks one.
#
# An idle board off X11/Wayland sleeps in poll() until its next deadline,
# the wall clock's whole or half second. A stop signal handled by another
# thread did not end the main thread's poll(): the board stopped at that
# deadline. Measured before the fix, signal sent 60 ms after the board
# woke (20 starts, 2-core VM): 441-443 ms for the 10 sent to the network
# thread, 140-146 ms for the 10 sent to the PIN checker's; with kill PID,
# scripts/bench.sh --restart saw 5-70 ms but 7 of 90 at 416-500 ms.
# After it: 4-8 ms for all 20.
#
# The bound, 250 ms, lies between: the old board exceeds it every other
# start here, while one that wakes at once leaves over 200 ms for a
# loaded machine (a stop otherwise takes under 10 ms).
. "$(dirname "$0")/lib.sh"

STARTS=20
BOUND_MS=250
start_broker

# the board's threads other than the main one
other_threads() {
	local t
	for t in /proc/"$1"/task/*; do
		[ "${t##*/}" = "$1" ] || echo "${t##*/}"
	done
}

# Sleeps until just after the idle board woke: it wakes on the wall
# clock's whole and half seconds (the clock's tick and the flash,
# KIT_WAKE_LATE_MS after them) and is then asleep for about 400 ms.
after_wake() {
	local ms=$((($(date +%s%N) / 1000000) % 500))
	local to=$(((ms < 60 ? 60 : 560) - ms))
	sleep "$(awk -v ms="$to" 'BEGIN { printf "%.3f", ms / 1000 }')"
}

slow=0
failed_stop=0
worst=0
for i in $(seq "$STARTS"); do
	rm -f "$WORK/b.json"
	board b --size 320x240 --windowed
	if ! wait_until 10 state_is b .live true; then
		failed_stop=$((failed_stop + 1))
		echo "# start $i: not live in 10 s"
		continue
	fi
	after_wake
	mapfile -t others < <(other_threads "$BOARD_PID")
	if [ "${#others[@]}" -eq 0 ]; then
		failed_stop=$((failed_stop + 1))
		echo "# start $i: the board has no thread but the main one"
		continue
	fi
	tid=${others[$((i % ${#others[@]}))]}
	t0=$(now_ms)
	kill -TERM "$tid"
	wait "$BOARD_PID"
	rc=$?
	ms=$(($(now_ms) - t0))
	[ "$ms" -gt "$worst" ] && worst=$ms
	[ "$ms" -gt "$BOUND_MS" ] && slow=$((slow + 1))
	[ "$rc" -eq 0 ] || failed_stop=$((failed_stop + 1))
	echo "# start $i: signal to thread $tid of ${#others[@]}, stopped in $ms ms (status $rc)"
done
check "every board started, took the signal and exited with status 0" \
	test "$failed_stop" -eq 0
check "every board stopped within $BOUND_MS ms of SIGTERM ($slow of $STARTS did not, worst $worst ms)" \
	test "$slow" -eq 0
offline() {
	[ "$(retained boards/b/status | jq -r .online)" = false ]
}
check "... having said it went offline (the quit's drain ran)" offline
check "... each through the loop's end (its figures logged)" \
	test "$(grep -c 'figures: RSS' "$WORK/b.log")" -eq "$STARTS"
finish
