#!/usr/bin/env bash
# The command line: --help documents everything, bad flags and bad config
# files are refused with a clear message and exit status 2.
. "$(dirname "$0")/lib.sh"

out=$("$WB_BIN" --help 2>&1); rc=$?
check "--help exits 0" test "$rc" -eq 0
for flag in --broker --prefix --size --windowed --screenshot --screenshot-after \
	--dump-state --config --lang --set; do
	check "--help documents $flag" grep -q -- "$flag" <<<"$out"
done

# The example config --print-config writes is a valid config file: a board
# started with it gets as far as --hash-pin (which runs after the config).
"$WB_BIN" --print-config >"$WORK/example.ini"; rc=$?
check "--print-config exits 0" test "$rc" -eq 0
check "--print-config has [alarms]" grep -qx '\[alarms\]' "$WORK/example.ini"
echo 471147 | "$WB_BIN" --config "$WORK/example.ini" --hash-pin >"$WORK/out" 2>"$WORK/err"; rc=$?
check "the printed example loads" test "$rc" -eq 0
check "the printed example loads silently" test ! -s "$WORK/err"

"$WB_BIN" --no-such-flag >/dev/null 2>"$WORK/err"; rc=$?
check "unknown flag: exit 2" test "$rc" -eq 2
check "unknown flag: says which" grep -q -- "no-such-flag" "$WORK/err"

"$WB_BIN" --size banana >/dev/null 2>"$WORK/err"; rc=$?
check "bad --size: exit 2" test "$rc" -eq 2
check "bad --size: names the flag" grep -q -- "--size" "$WORK/err"

printf '[board]\nsite = Floor 3\n\n[mqtt]\nport = seventy\n' >"$WORK/bad.ini"
"$WB_BIN" --config "$WORK/bad.ini" >/dev/null 2>"$WORK/err"; rc=$?
check "bad config value: exit 2" test "$rc" -eq 2
check "bad config value: file and line" grep -q "bad.ini:5" "$WORK/err"

printf '[board]\ncolour = red\n' >"$WORK/bad2.ini"
"$WB_BIN" --config "$WORK/bad2.ini" >/dev/null 2>"$WORK/err"; rc=$?
check "unknown config key: exit 2" test "$rc" -eq 2
check "unknown config key: file and line" grep -q "bad2.ini:2" "$WORK/err"

"$WB_BIN" --config "$WORK/missing.ini" >/dev/null 2>"$WORK/err"; rc=$?
check "missing config file: exit 2" test "$rc" -eq 2

finish
