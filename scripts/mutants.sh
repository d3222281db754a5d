#!/usr/bin/env bash
# Plants small deliberate bugs, one at a time, in a temporary copy of the
# tree, builds it and runs the tests that should notice; prints each as
# "caught" or "MISSED", then the counts and the time taken. Run it before a
# release: every planted bug must be caught. Not part of check.sh (about
# 7 1/2 minutes on a 2-core machine: README, Tests).
#
#   scripts/mutants.sh [ID...]     all mutants, or only those named
#
# Each mutant: an id, a file, a Perl substitution that must change exactly
# one place, and the ctest regex of the tests that must fail. A mutant that
# no longer applies (the code moved) or no longer builds is reported as
# STALE and fails the run: update its line.
set -uo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
JOBS=$(nproc)
[ "$JOBS" -le 2 ] || JOBS=2

MUTANTS=(
	# id @@ file @@ substitution @@ tests that must fail (a ctest regex)
	# -- the promises --
	"live-before-replay@@src/app/drain.c@@s/liveness_connected\(&app->live\);/liveness_connected(&app->live); liveness_synced(&app->live);/@@test_promises"
	"live-ignores-sync@@src/core/liveness.c@@s/l->connected && l->synced && echo_fresh/l->connected \&\& echo_fresh/@@test_liveness|test_promises"
	"window-4.5s@@src/core/liveness.h@@s/LIVENESS_WINDOW_MS 3000/LIVENESS_WINDOW_MS 4500/@@test_liveness|test_promises"
	"stale-marker@@src/core/liveness.c@@s/n == seq;/n <= seq;/@@test_liveness|test_promises"
	"backoff-uncapped@@src/core/backoff.c@@s/step >= cap \/ 2 \? cap : step \* 2/step >= cap \/ 2 ? step * 2 : step * 2/@@test_backoff"
	"backoff-no-jitter@@src/core/backoff.c@@s/\(int64_t\)\(random % \(uint64_t\)\(step \/ 2 \+ 1\)\)/(int64_t)(random % 1) + step \/ 4/@@test_backoff"
	"away-slow@@src/core/backoff.c@@s/if \(!b->refused\)\n\t\tb->step_ms = BACKOFF_FIRST_MS;//@@test_backoff"
	"rtl-not-mirrored@@src/ui/kit.c@@s/a.x = k->w - a.x - a.w;/a.x = a.x;/@@test_rtl"
	"fa-not-rtl@@src/core/i18n.c@@s/lang == LANG_HE \|\| lang == LANG_FA/lang == LANG_HE/@@test_rtl|test_i18n|test_render"
	"glyphs-every-frame@@src/ui/text.c@@s/if \(key_match\(e, k\)\)\n\t\t\treturn e;/if (key_match(e, k) \&\& !e->tex)\n\t\t\treturn e;/@@test_text|test_promises"
	"loop-spins@@src/app/loopwait.c@@s/#define INPUT_POLL_IDLE_MS 50/#define INPUT_POLL_IDLE_MS 1/@@test_promises"
	"queue-unbounded@@src/net/mqtt.c@@s/return q->stats.queued >= q->max_events \|\|/return false \&\&/@@test_promises|test_queue_resync"
	"quiet-overnight@@src/core/quiet.c@@s/return minute >= from_min \|\| minute < to_min;/return minute >= from_min \&\& minute < to_min;/@@test_quiet"
	"puback-refused-done@@src/net/delivery.c@@s/if \(reason < 0x80\) \{/if (reason < 0x100) {/@@test_delivery|test_ack_refused"
	# -- every module --
	"decode-id-mismatch@@src/core/decode.c@@s/if \(strcmp\(id, topic_id\) != 0\)/if (strcmp(id, topic_id) != 0 \&\& strlen(id) > 9999)/@@test_decode|test_bad_input"
	"decode-utf8@@src/core/decode.c@@s/if \(bad < len\)\n\t\treturn fail\(&d, \"payload is not valid UTF-8/if (0)\n\t\treturn fail(\&d, \"payload is not valid UTF-8/@@test_decode|test_bad_input"
	"decode-size@@src/core/decode.c@@s/if \(len > MSG_PAYLOAD_MAX\)/if (len > 2 * MSG_PAYLOAD_MAX)/@@test_decode|test_bad_input"
	"model-breach-late@@src/core/model.c@@s/size_t breached = index_rank\(due, now\);/size_t breached = index_rank(due, now - 1);/@@test_model"
	"alarms-snooze-forever@@src/core/alarms.c@@s/al->ack.until && now >= al->ack.until\)/al->ack.until \&\& now >= al->ack.until + 3600)/@@test_alarms"
	"journal-done-lost@@src/core/journal.c@@s/\treturn append\(j, line, \(size_t\)n, 1\);\n\}/\t(void)line; (void)n; return true;\n}/@@test_journal|test_delivery"
	"pin-no-lockout@@src/core/pin.c@@s/if \(g->failures >= PIN_GUARD_FREE_TRIES\)/if (0)/@@test_pinguard|test_ackui"
	"config-quiet-swapped@@src/core/config.c@@s/cfg->quiet_from_min = from;\n\tcfg->quiet_to_min = to;/cfg->quiet_from_min = to;\n\tcfg->quiet_to_min = from;/@@test_config"
	"mqtt-echo-lost@@src/net/mqtt.c@@s/q->last_echo_ms = util_mono_ms\(\);/q->last_echo_ms = 1;/@@test_promises"
)

want=("$@")
selected() {
	[ ${#want[@]} -eq 0 ] && return 0
	local w
	for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done
	return 1
}

START=$SECONDS
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wb-mutants.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
echo "mutants: copying the tree to $TMP and building it (release)"
git ls-files -z | tar -C "$SRC" --null -T - -cf - | tar -C "$TMP" -xf -
if ! cmake -S "$TMP" -B "$TMP/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$TMP/cmake.log" 2>&1 ||
	! cmake --build "$TMP/build" -j"$JOBS" >"$TMP/build.log" 2>&1; then
	echo "mutants: the unmodified tree does not build" >&2
	tail -20 "$TMP/build.log" >&2
	exit 2
fi

caught=0 missed=0 stale=0 total=0
missed_ids=() stale_ids=()
for m in "${MUTANTS[@]}"; do
	id=${m%%@@*}
	rest=${m#*@@}
	file=${rest%%@@*}
	rest=${rest#*@@}
	subst=${rest%%@@*}
	tests=${rest#*@@}
	selected "$id" || continue
	total=$((total + 1))
	t0=$SECONDS
	cp "$TMP/$file" "$TMP/orig"
	n=$(perl -0777 -i -pe "\$n = ($subst); END { print STDERR \$n + 0 }" \
		"$TMP/$file" 2>&1 >/dev/null)
	if [ "$n" != 1 ] || cmp -s "$TMP/orig" "$TMP/$file"; then
		echo "STALE   $id: the substitution matched ${n:-0} places in $file"
		stale=$((stale + 1))
		stale_ids+=("$id")
		cp "$TMP/orig" "$TMP/$file"
		continue
	fi
	if ! cmake --build "$TMP/build" -j"$JOBS" >"$TMP/build.log" 2>&1; then
		echo "STALE   $id: does not build"
		stale=$((stale + 1))
		stale_ids+=("$id")
	elif (cd "$TMP/build" && ctest -R "^($tests)\$" -j2 --timeout 240 >"$TMP/ctest.log" 2>&1); then
		echo "MISSED  $id ($file; ran $tests) $((SECONDS - t0)) s"
		missed=$((missed + 1))
		missed_ids+=("$id")
	else
		why=$(grep -E "not ok|FAIL|FAILED" "$TMP"/build/Testing/Temporary/LastTest.log 2>/dev/null |
			head -n 1 | cut -c1-100)
		echo "caught  $id ($file) $((SECONDS - t0)) s: ${why:-a test failed}"
		caught=$((caught + 1))
	fi
	cp "$TMP/orig" "$TMP/$file"
	touch "$TMP/$file"
done
# Leave the copy's build consistent for a rerun (and prove it still passes).
cmake --build "$TMP/build" -j"$JOBS" >"$TMP/build.log" 2>&1

echo "mutants: $caught caught, $missed missed, $stale stale of $total in $((SECONDS - START)) s"
[ $missed -eq 0 ] || echo "mutants: MISSED ${missed_ids[*]}"
[ $stale -eq 0 ] || echo "mutants: STALE ${stale_ids[*]}"
[ $missed -eq 0 ] && [ $stale -eq 0 ]
