#!/usr/bin/env bash
# Producers are not trusted: malformed JSON, invalid UTF-8, huge payloads,
# wrong types and unknown topics are each counted and logged, and change
# nothing already shown. The board keeps running.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
complaint c1 facebook "שלום, ההזמנה שלי 1234 לא הגיעה" -600
sla c1 -60
board a --size 800x480 --windowed
check "good complaint shown" wait_until 10 state_is a '.breached | join(",")' c1

printf '\xff\xfe{"id":"c2"}' >"$WORK/bad-utf8"
head -c 200000 /dev/zero | tr '\0' 'a' >"$WORK/huge"
N=0
bad() { "$@"; N=$((N + 1)); }
bad pub complaints/c2 '{"id":"c2", "channel": "x", '
bad pub_file complaints/c3 "$WORK/bad-utf8"
bad pub_file complaints/c4 "$WORK/huge"
bad pub complaints/c5 '{"channel":5,"text":"t","opened_at":"2026-11-23T09:00:00Z"}'
bad pub complaints/c6 '{"channel":"x","text":"t","opened_at":"yesterday"}'
bad pub complaints/c7 '[1,2,3]'
bad pub complaints/c8 '{"id":"not-c8","channel":"x","text":"t","opened_at":0}'
bad pub complaints/c9 '{"channel":"x","text":"t","opened_at":0,"priority":"urgent"}'
bad pub sla/c1 '{"due_at":"not a time"}'
bad pub sla/c1 '{"due_at":12.5}'
bad pub "complaints/$(printf 'x%.0s' $(seq 70))" '{"channel":"x","text":"id too long","opened_at":0}'
bad pub crisis '{"active":"yes"}'

check "every bad message counted ($N)" wait_until 10 state_is a .counters.rejected "$N"
check "the header says it is recent (amber)" state_is a .rejected_recent true
check "still one complaint" state_is a .complaints 1
check "c1 still breached (its timer was not replaced)" state_is a '.breached | join(",")' c1
check "no crisis from a bad crisis message" state_is a .crisis null
check "board still running" kill -0 "$BOARD_PID"
check "rejections logged with topic and reason" \
	grep -q 'rejected wallboard/complaints/c2' "$WORK/a.log"

# A crisis is never dropped for a detail: a word level and a number in the
# playbook are shown with what is valid, and the bad field is counted.
pub crisis '{"active":true,"level":"major","title":"Outage","playbook":["Post status",7,"Call Noa"],"contacts":[{"name":"Noa"}]}'
check "a crisis with a bad field is shown" wait_until 10 state_is a .crisis.title Outage
check "its word level is read" state_is a .crisis.level 2
check "its valid playbook steps are kept" state_is a .crisis.playbook 2
check "its contact without a phone is kept" state_is a .crisis.contacts 1
check "the bad field is counted" state_is a .counters.rejected_fields 1
check "the message itself is not rejected" state_is a .counters.rejected "$N"
check "the bad field is logged" grep -q 'playbook\[1\]": expected string, got number' "$WORK/a.log"

# The board goes on: a good message after all that is applied.
complaint c10 email "after the storm" -10
sla c10 3000
check "later good message applied" wait_until 10 state_is a .complaints 2

# A character no font has (U+E000, private use) is drawn as U+FFFD and
# counted; emoji are not missing (the colour emoji font draws them).
pub_empty crisis
complaint c11 instagram "$(printf 'emoji \U0001F600 and \uE000')" -9000
sla c11 -7200   # the most overdue: the list's first row
check "a character no font has is counted" wait_until 10 state_is a .counters.missing_glyphs 1

finish
