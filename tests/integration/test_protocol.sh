#!/usr/bin/env bash
# mqtt.protocol fixed to one version, on the broker WB_BROKER names (this
# script runs as test_protocol on mosquitto and test_protocol_aedes on
# aedes, which speaks 3.1.1 only; auto is tested by every other test):
#  - 3.1.1 on either broker: connected, live, the dump says "3.1.1";
#  - 5 on mosquitto: live, "5"; 5 on aedes: refused, the log says to set
#    auto or 3.1.1, and the board never calls itself connected.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
complaint p1 facebook "over 3.1.1 or 5" -600
sla p1 600

board v3 --size 640x360 --windowed --set mqtt.protocol=3.1.1
check "3.1.1: live on $WB_BROKER" wait_until 10 state_is v3 .live true
check "3.1.1: the dump says 3.1.1" state_is v3 .protocol 3.1.1
check "3.1.1: the complaint is shown" state_is v3 .complaints 1
check "3.1.1: no fallback was needed" bash -c "! grep -q 'falling back' '$WORK/v3.log'"

board v5 --size 640x360 --windowed --set mqtt.protocol=5
if [ "$BROKER_PROTOCOL" = 5 ]; then
	check "5: live on $WB_BROKER" wait_until 10 state_is v5 .live true
	check "5: the dump says 5" state_is v5 .protocol 5
else
	check "5 on a 3.1.1 broker: the log says what to set" \
		wait_until 10 grep -q 'does not speak MQTT 5: set mqtt.protocol = auto or 3.1.1' "$WORK/v5.log"
	check "5 on a 3.1.1 broker: never connected (3 s)" \
		bash -c "for _ in \$(seq 30); do [ \"\$(jq -r .connected '$WORK/v5.json' 2>/dev/null)\" = true ] && exit 1; sleep 0.1; done"
	check "5 on a 3.1.1 broker: no fallback" bash -c "! grep -q 'falling back' '$WORK/v5.log'"
	check "5 on a 3.1.1 broker: not live" state_is v5 .live false
fi
finish
