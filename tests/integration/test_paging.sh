#!/usr/bin/env bash
# Every breach is seen: 37 breaches at 1920x1080 with page_seconds = 2. The
# list pages on its own, "first-last of 37" advances, the most overdue row
# (p01) is pinned on top of every page, every breached id is on the screen
# within one cycle of pages, and the pages wrap back to the first.
. "$(dirname "$0")/lib.sh"

start_broker || exit 1
CHANNELS=(facebook instagram x whatsapp webchat email)
for i in $(seq 1 37); do
	id=$(printf 'p%02d' "$i")
	complaint "$id" "${CHANNELS[$((i % 6))]}" "Complaint number $i" -40000 &
	p1=$!
	sla "$id" $((-36000 + i * 600)) &
	wait "$p1" "$!"
done

board a --size 1920x1080 --set board.page_seconds=2
check "A holds the 37 breaches" wait_until 10 state_is a .totals.breached 37
check "A is live (no band takes the list's room)" wait_until 10 state_is a .live true
check "the first page: 1-N of 37" wait_until 3 state_is a \
	'"\(.page.first) \(.page.total)"' "1 37"
PER=$(state a '[.rows[] | select(.kind=="breached")] | length')
check "a page holds at least 12 rows (the pinned one and 11): $PER" test "${PER:-0}" -ge 12

# From a page turn on, watch the dump for one cycle of pages (and a second
# to spare): which ids, which pages, which row is on top.
PAGES=$(( (36 + PER - 2) / (PER - 1) ))
check "the page turns by itself" wait_until 4 state_is a .page.first "$((PER + 1))"
declare -A SEEN=() FIRSTS=()
TOP_OK=1
DEADLINE=$(( $(now_ms) + PAGES * 2000 + 1000 ))
while [ "$(now_ms)" -lt "$DEADLINE" ]; do
	snap=$(state a '[.page.first, .rows[0].id, ([.rows[] | select(.kind=="breached") | .id] | join(" "))] | @tsv')
	IFS=$'\t' read -r first top ids <<<"$snap"
	[ -n "$first" ] || continue
	FIRSTS[$first]=1
	[ "$top" = p01 ] || TOP_OK=0
	for id in $ids; do SEEN[$id]=1; done
	sleep 0.2
done
check "pages advance: $PAGES pages seen (${!FIRSTS[*]})" test "${#FIRSTS[@]}" -eq "$PAGES"
check "every breached id shown within one cycle (${#SEEN[@]} of 37)" test "${#SEEN[@]}" -eq 37
check "the most overdue row pinned on top of every page" test "$TOP_OK" -eq 1
check "no breach in the strip" state_is a '[.strip[] | select(startswith("breach:"))] | length' 0

finish
