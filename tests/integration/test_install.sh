#!/usr/bin/env bash
# cmake --install: the installed board runs from outside the checkout and
# finds its fonts beside its executable; the example configuration
# is the board's own --print-config and valid; the systemd unit passes
# systemd-analyze verify; the man pages render without warnings. Under
# systemd the board says READY=1 after its first frame, WATCHDOG=1 every
# half WatchdogSec and STATUS= live or not; its log lines carry syslog
# priorities when stderr is the journal.
. "$(dirname "$0")/lib.sh"

PREFIX=$WORK/usr
cmake --install "$WB_BUILD" --prefix "$PREFIX" >"$WORK/install.log" 2>&1
check "cmake --install succeeds" test $? -eq 0
for f in bin/wallboard bin/wallboard-sim share/wallboard/wallboard.ini.example \
	share/wallboard/fonts/NotoSans-Regular.ttf share/wallboard/fonts/NotoSansHebrew-Regular.ttf \
	share/wallboard/fonts/NotoSansArabic-Regular.ttf share/wallboard/fonts/OFL.txt \
	lib/systemd/system/wallboard.service share/man/man1/wallboard.1 \
	share/man/man1/wallboard-sim.1; do
	check "installed: $f" test -s "$PREFIX/$f"
done
check "unit runs the installed binary" \
	grep -qx "ExecStart=$PREFIX/bin/wallboard --config /etc/wallboard/wallboard.ini --state-dir /var/lib/wallboard" \
	"$PREFIX/lib/systemd/system/wallboard.service"

# systemd-analyze prints what it dislikes and still exits 0: both count.
out=$(cd / && MANPATH=$PREFIX/share/man systemd-analyze verify \
	"$PREFIX/lib/systemd/system/wallboard.service" 2>&1); rc=$?
check "systemd-analyze verify: exit 0" test "$rc" -eq 0
check "systemd-analyze verify: no complaint ($out)" test -z "$out"
for key in Type=notify WatchdogSec= ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes \
	PrivateTmp=yes StateDirectory=wallboard "SupplementaryGroups=video render input audio"; do
	check "unit has $key" grep -q "^$key" "$PREFIX/lib/systemd/system/wallboard.service"
done
check "unit keeps devices reachable (no PrivateDevices)" \
	bash -c "! grep -q '^PrivateDevices=yes\|^DevicePolicy=closed' '$PREFIX/lib/systemd/system/wallboard.service'"

for page in wallboard wallboard-sim; do
	warn=$(MANWIDTH=80 man --warnings -l "$PREFIX/share/man/man1/$page.1" 2>&1 >/dev/null)
	check "man page $page.1 renders without warnings ($warn)" test -z "$warn"
	check "man page $page.1 has a synopsis" bash -c \
		"MANWIDTH=80 man -l '$PREFIX/share/man/man1/$page.1' 2>/dev/null | grep -q SYNOPSIS"
done

start_broker
complaint c-1 facebook "installed board" -7200
sla c-1 -60

# From / and without --assets: the fonts come from $PREFIX/share/wallboard.
run_installed inst 800x480 "$PREFIX/bin/wallboard" \
	--config "$PREFIX/share/wallboard/wallboard.ini.example"
rc=$?
check "installed board: screenshot, exit 0" test "$rc" -eq 0
check "installed board: fonts from beside the executable" \
	grep -q "fonts from $PREFIX/bin/../share/wallboard/fonts" "$WORK/inst.log"
check "installed board: PNG written" test -s "$WORK/inst.png"
check "installed board: the complaint is shown as breached" state_is inst '.breached[0]' c-1

# The example is the board's own --print-config: every key, current.
"$PREFIX/bin/wallboard" --print-config >"$WORK/print-config.ini"
check "the example is wallboard --print-config" \
	cmp -s "$WORK/print-config.ini" "$PREFIX/share/wallboard/wallboard.ini.example"
check "the example sets keys" \
	test "$(grep -cE '^[a-z_]+ = ' "$PREFIX/share/wallboard/wallboard.ini.example")" -ge 18

# sd_notify: a datagram socket standing in for systemd.
mkdir -p "$WORK/state"
socat -u UNIX-RECV:"$WORK/notify" OPEN:"$WORK/notify.out",creat,append &
PIDS+=($!)
wait_until 5 test -S "$WORK/notify"
NOTIFY_SOCKET=$WORK/notify WATCHDOG_USEC=1000000 "$PREFIX/bin/wallboard" \
	--broker "127.0.0.1:$BROKER_PORT" --board-id svc --state-dir "$WORK/state" \
	--size 800x480 --dump-state "$WORK/svc.json" >"$WORK/svc.log" 2>&1 &
SVC=$!
PIDS+=("$SVC")
check "READY=1 after the first frame" wait_until 10 grep -q "READY=1" "$WORK/notify.out"
check "STATUS= says live with the counts" wait_until 10 \
	grep -q "STATUS=live; 1 open, 1 breached" "$WORK/notify.out"
kicks() { grep -o "WATCHDOG=1" "$WORK/notify.out" | wc -l; }
kicks_at_least() { [ "$(kicks)" -ge "$1" ]; }
k0=$(kicks)
check "WATCHDOG=1 keeps coming (every 0.5 s)" wait_until 5 kicks_at_least $((k0 + 4))
# A stopped loop stops kicking: that is what lets systemd restart it.
kill -STOP "$SVC"
k1=$(kicks)
sleep 1.5
check "a stopped board sends no WATCHDOG=1" test "$(kicks)" -eq "$k1"
kill -CONT "$SVC"
stop_broker
check "STATUS= says NOT live when the broker is gone" wait_until 10 \
	grep -q "STATUS=NOT live since" "$WORK/notify.out"
kill -TERM "$SVC"
wait "$SVC"
check "STOPPING=1 on the way out" grep -q "STOPPING=1" "$WORK/notify.out"

# Journal priorities: stderr is "the journal" when JOURNAL_STREAM names it.
: >"$WORK/journal.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$WORK/journal.log") "$PREFIX/bin/wallboard" \
	--broker "127.0.0.1:1" --board-id jr --state-dir "$WORK/state" --size 320x240 \
	--screenshot "$WORK/jr.png" --screenshot-after 1 2>>"$WORK/journal.log"
check "journal: info lines start with <6>" grep -q '^<6>info \[app\]' "$WORK/journal.log"
check "journal: warnings start with <4>" grep -q '^<4>warn \[mqtt\] cannot connect' "$WORK/journal.log"
check "journal: no timestamps (the journal has its own)" \
	bash -c "! grep -qE '^[0-9]{4}-' '$WORK/journal.log'"
check "not the journal: timestamps as usual" grep -qE '^[0-9]{4}-.* info \[app\]' "$WORK/inst.log"

finish
