#!/usr/bin/env bash
# "Rejected messages N" in the header is amber while bad input is recent,
# muted after: one bad message must not keep a wall that runs for months
# warning forever. board.rejected_recent (10 min unless set) is 3 s here,
# so the turn is seen without waiting ten minutes; no complaint, so
# nothing on the board ticks and the turn is drawn for itself. The count
# since start stays (the dump's counters, the telemetry).
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
board a --size 800x480 --windowed --set board.rejected_recent=3s
check "board is live" wait_until 10 state_is a .live true
check "nothing rejected: calm" state_is a .rejected_recent false

pub complaints/c1 '[1,2,3]'
check "a bad message is counted" wait_until 10 state_is a .counters.rejected 1
check "... and is recent: amber" state_is a .rejected_recent true
f0=$(state a .counters.frames)
check "3 s on it is old: muted" wait_until 10 state_is a .rejected_recent false
check "... drawn in a frame (nothing else changed)" test "$(state a .counters.frames)" -gt "$f0"
check "the count since start stays" state_is a .counters.rejected 1

pub complaints/c2 '{"channel":"x","text":"t","opened_at":"yesterday"}'
check "a new bad message is counted" wait_until 10 state_is a .counters.rejected 2
check "... and is recent again" state_is a .rejected_recent true
check "board still running" kill -0 "$BOARD_PID"
check "rejections logged" grep -q 'rejected wallboard/complaints/c2' "$WORK/a.log"

finish
