#!/usr/bin/env bash
# Nothing is lost silently on the way out:
#  - with the example ACL of assets/mosquitto (producers cannot write acks;
#    boards log in with their board_id), a producer's ack is refused;
#  - a board whose ack the broker refuses (here: the ACL does not yet let
#    it write acks) keeps it pending, says "ack not delivered: Not
#    authorized", and retries with backoff; once the ACL allows it (the
#    broker reloads it), the ack arrives and the warning goes;
#  - a board whose journal cannot be written says "acks not durable",
#    keeps running, and is durable again once the disk is.
. "$(dirname "$0")/lib.sh"

MQ=$(cd "$(dirname "$0")/../../assets/mosquitto" && pwd)
"$MQ/make-passwd.sh" "$WORK/passwd" producer floor3-east floor3-west >"$WORK/creds" ||
	exit 1
pw() { awk -v u="$1" '$1 == u { print $2 }' "$WORK/creds"; }
# At first floor3-east may only read acks.
sed '/^user floor3-east/,/^$/ s|topic readwrite wallboard/acks/#|topic read wallboard/acks/#|' \
	"$MQ/wallboard.acl" >"$WORK/acl"
check "the board's ack permission is cut for the first part" \
	grep -q "topic read wallboard/acks/#" "$WORK/acl"
BROKER_EXTRA="allow_anonymous false
password_file $WORK/passwd
acl_file $WORK/acl"
start_broker || exit 1
ppub() { # TOPIC JSON: as the producer
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u producer -P "$(pw producer)" \
		-q 1 -r -t "wallboard/$1" -m "$2"
}
rsub() { # TOPIC: the retained payload, read as a board
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u floor3-west -P "$(pw floor3-west)" \
		-t "wallboard/$1" -C 1 -W 2 --retained-only 2>/dev/null
}
# rsub_absent TOPIC: the broker answered the board's user and holds nothing
# retained there (exit 27: -W ran out with nothing received; a refused
# connection or subscription exits otherwise and does not count).
rsub_absent() {
	local out rc
	out=$(rsub "$1")
	rc=$?
	[ "$rc" -eq 27 ] && [ -z "$out" ]
}

ppub complaints/c1 "{\"channel\":\"web\",\"text\":\"late\",\"opened_at\":\"$(at -7200)\"}"
ppub sla/c1 "{\"due_at\":\"$(at -600)\"}"
# The producer tries to silence the alarm itself: the broker refuses.
mosquitto_pub -V 5 -h 127.0.0.1 -p "$BROKER_PORT" -u producer -P "$(pw producer)" -q 1 -r \
	-t wallboard/acks/breach:c1 -m '{"alarm":"breach:c1","by":"x","at":0}' -d \
	>"$WORK/producer-ack.log" 2>&1
check "a producer's ack: PUBACK 'not authorized' (135)" grep -q "RC:135" "$WORK/producer-ack.log"
check "... and nothing is retained" rsub_absent acks/breach:c1

HASH=$(echo 471147 | "$WB_BIN" --hash-pin | sed 's/^pin_hash = //')
printf '[mqtt]\nusername = floor3-east\npassword = %s\n\n[alarms]\nescalate_after = 1h\n\n[lead.dana]\npin_hash = %s\n' \
	"$(pw floor3-east)" "$HASH" >"$WORK/east.ini"
chmod 600 "$WORK/east.ini"
ack_script "$WORK/ack.script" "$WORK/ack.go" 471147
board floor3-east --config "$WORK/east.ini" --size 800x480 --windowed \
	--input-script "$WORK/ack.script"
E=$BOARD_PID
check "the board is live with its user and password" wait_until 10 state_is floor3-east .live true
check "... and lists c1's breach" wait_until 5 state_is floor3-east '.breached[0]' c1
touch "$WORK/ack.go"
check "a lead acknowledges" wait_until 10 alarm_is floor3-east breach:c1 by dana
check "the broker refuses it: ack not delivered, with the reason" \
	wait_until 5 state_is floor3-east .ack_not_delivered "Not authorized"
check "... still pending in the journal" state_is floor3-east .counters.journal_pending 1
check "... waiting for a retry" state_is floor3-east .counters.acks_undelivered 1
check "... nothing retained" rsub_absent acks/breach:c1
check "retried with backoff (2 s, 4 s): refused again" wait_until 10 \
	bash -c '[ "$(jq -r .counters.puback_refused "$0")" -ge 2 ]' "$WORK/floor3-east.json"
# The same journal replayed by another board process at its start (as
# after a restart) meets the same refusal, on screen too.
mkdir -p "$WORK/shot"
cp "$WORK/floor3-east/acks.journal" "$WORK/shot/"
"$WB_BIN" --config "$WORK/east.ini" --broker "127.0.0.1:$BROKER_PORT" --assets "$WB_ASSETS" \
	--board-id shot --state-dir "$WORK/shot" --size 800x480 --windowed \
	--dump-state "$WORK/shot.json" --screenshot "$WORK/refused.png" --screenshot-after 2 \
	>"$WORK/shot.log" 2>&1
check "a restarted board replays the journal: refused again, said so" \
	state_is shot .ack_not_delivered "Not authorized"

# The ACL is fixed; mosquitto reloads it on SIGHUP.
cp "$MQ/wallboard.acl" "$WORK/acl"
kill -HUP "$BROKER_PID"
check "after the ACL allows it, the retried ack arrives" wait_until 70 \
	state_is floor3-east .counters.journal_pending 0
check "... it is retained on the broker" test "$(rsub acks/breach:c1 | jq -r .by)" = dana
check "... and the warning is gone" state_is floor3-east .ack_not_delivered ""

# A journal that cannot be written: a file where the state dir should be.
: >"$WORK/nodir"
printf '3 key Down\n3.2 key Return\n3.4 type 471147\n3.6 key Return\n' >"$WORK/ack2.script"
printf '[mqtt]\nusername = floor3-west\npassword = %s\n\n[alarms]\nescalate_after = 1h\nsnooze = 2s\n\n[lead.dana]\npin_hash = %s\n' \
	"$(pw floor3-west)" "$HASH" >"$WORK/west.ini"
chmod 600 "$WORK/west.ini"
"$WB_BIN" --config "$WORK/west.ini" --broker "127.0.0.1:$BROKER_PORT" --assets "$WB_ASSETS" \
	--board-id floor3-west --state-dir "$WORK/nodir/state" --size 800x480 --windowed \
	--dump-state "$WORK/west.json" --input-script "$WORK/ack2.script" >"$WORK/west.log" 2>&1 &
W=$!
PIDS+=("$W")
check "unwritable journal: the board runs and says acks are not durable" \
	wait_until 10 state_is west .acks_durable false
check "the board still takes the retained ack of the first part" \
	wait_until 10 alarm_is west breach:c1 by dana
rm -f "$WORK/nodir"
check "the disk is back: durable again within seconds" wait_until 15 state_is west .acks_durable true
check "boards still running" kill -0 "$E" "$W"
finish
