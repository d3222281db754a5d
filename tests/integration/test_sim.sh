#!/usr/bin/env bash
# The simulator feeds a real broker; the board shows what it published:
# a backlog across channels and languages, some of it already breached.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
"$WB_SIM" --broker "127.0.0.1:$BROKER_PORT" --seed 7 --open 30 --duration 0 \
	>"$WORK/sim.log" 2>&1
check "simulator published its backlog and exited 0" test $? -eq 0

board a --size 1920x1080 --screenshot "$WORK/a.png" --screenshot-after 3
wait "$BOARD_PID"
check "board shows the 30 open complaints" state_is a .complaints 30
check "several channels" test "$(state a '[.channels[] | select(.open > 0)] | length')" -ge 4
check "some breached" test "$(state a '.breached | length')" -ge 1
check "nothing rejected: the simulator keeps the contract" state_is a .counters.rejected 0
check "rows drawn for the breach list" test "$(state a '.rows | length')" -ge 1

finish
