#!/usr/bin/env bash
# The alert sound's device is let go during an outage too:
#  - a live board looks for the device and closes it (quiet: no audio
#    thread);
#  - the broker stops; a breach whose SLA timer runs out offline fires
#    and sounds (the timer is the board's own clock, no message needed);
#  - once the pattern has played, the device is closed again although
#    the board is not live: an open device wakes SDL's audio thread ~47
#    times a second, and an outage may last hours.
# The sound plays once (alarms.repeat=0): a repeat would open it again.
. "$(dirname "$0")/lib.sh"

# sound_closed_after_one NAME: the board's dump says the device is closed
# and counts one play (no second one to confuse what "closed" means).
sound_closed_after_one() {
	state_is "$1" .sound_device closed && state_is "$1" .counters.sound_plays 1
}

start_broker || exit 1
complaint c1 whatsapp "Order never arrived" -1800
# Due after the board is live and the broker stopped, so it breaches
# offline; and before the board's 10th second, after which a board not
# live lets the device go whatever its link (SOUNDWAIT_LATE_MS): this
# checks the outage's own rule, not that one.
sla c1 5

board s --size 800x480 --windowed --set alarms.repeat=0
check "live, with c1's timer" wait_until 10 state_has s '.live and .timers == 1'
check "live and quiet: the device looked for, then closed" \
	wait_until 5 state_is s .sound_device closed

stop_broker
check "the broker gone: not connected" wait_until 5 state_is s .connected false
check "c1 not breached yet when the broker went" state_is s .counters.sound_plays 0

check "offline, c1's timer runs out: the breach alarm fires" \
	wait_until 10 alarm_is s breach:c1 state firing
check "offline, the breach alarm sounded" wait_until 5 state_is s .counters.sound_plays 1
check "still offline" state_is s .connected false
# The pattern lasts 1.1 s; the late rule would close it ~5 s after.
check "offline, the device closed after the pattern" \
	wait_until 3 sound_closed_after_one s
check "still offline when it closed" state_is s .live false
finish
