#!/usr/bin/env bash
# The benchmark: prints figures, asserts nothing.
#   scripts/bench.sh [BUILD_DIR]              the figures (about 3 minutes)
#   scripts/bench.sh --soak MINUTES [BUILD]   the accelerated soak only
#   scripts/bench.sh --restart [BUILD]        the restart figures only
#   --cold (with either of the last two or none): the page cache dropped
#   before each restart (needs root; said so and warm otherwise)
# Environment: WB_LOAD_SECONDS (60) the window at 100 msg/s, WB_IDLE_SECONDS
# (30) the idle window, WB_INPROC=0 skips the in-process bench, WB_RATE
# (100) messages a second of the load, WB_RESTARTS (3) restarts, 0 none.
#
# Needs the default build (wallboard, wallboard-sim, bench, tests/mqtt_flood)
# and mosquitto_sub.
# 1. bench (tools/bench, in process): frame time with 10,000 open
#    complaints, messages/s into the model and through mosquitto;
# 2. the real board (headless, 1920x1080, SDL's software renderer) against
#    a real mosquitto, fed by the simulator:
#    - 10,000 retained complaints, their timers and a crisis published
#      while the board runs: publish start to the first frame holding all
#      of them (the board's --verbose frame lines: "shown at" wall-clock
#      ms), beside the same publish into a broker with no subscriber, and
#      the board's share: that frame from its read of the last message,
#      with the main thread's CPU for it (robust on a shared machine);
#    - idle (nothing arriving; timers tick, the crisis flashes);
#    - 100 msg/s of mixed updates on the 10,000 open (new complaints,
#      updates, SLA pauses, answers, resolutions): the board's and
#      mosquitto's CPU over the same window (utime + stime from
#      /proc/PID/stat) and their ratio; PSS (/proc/PID/smaps_rollup),
#      and PSS with the board's own library pages counted whole
#      (/proc/PID/smaps: what it is when no other board shares them);
#    - isolated changes (one every 1.25 s): change to screen, from the
#      board's own figures logged at exit (read off the socket by the
#      network thread to SDL_RenderPresent returned), and the frame times.
# 3. --soak: 1,000 msg/s, a crisis every minute (lasting 15-30 s), the
#    breach list paging: RSS every 10 s (printed every 30 s), at the
#    start and the end, and the slope (least squares) in KB a minute, also
#    of each minute's lowest RSS (while a crisis shows, its banner's two
#    pictures add 3.6 MB that go when it ends); beside it the C heap in use
#    (mallinfo2) from the board's retained status (every 30 s), so a
#    growing RSS reads as the program's (heap grows too) or the
#    allocator's (heap flat).
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK='' RESTART_ONLY='' COLD=''
while [ $# -gt 0 ]; do
	case $1 in
	--soak) SOAK=${2:?--soak MINUTES}; shift 2 ;;
	--restart) RESTART_ONLY=1; shift ;;
	--cold) COLD=1; shift ;;
	*) break ;;
	esac
done
BUILD=${1:-build}
RESTARTS=${WB_RESTARTS:-3}
LOAD_S=${WB_LOAD_SECONDS:-60}
IDLE_S=${WB_IDLE_SECONDS:-30}
RATE=${WB_RATE:-100}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy} SDL_AUDIODRIVER=dummy
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wb-bench.XXXXXX")
PORT=$((20000 + RANDOM % 40000))
# broker_conf PORT: mosquitto's default queue settings, only the port
# differs (the spare brokers below take them too).
broker_conf() { printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$1"; }
broker_conf "$PORT" >"$WORK/mosquitto.conf"
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
BROKER=$!
BOARD='' SIM='' STATUS_SUB=''
# spare.pids: what spare_broker_start (below) runs, from a command
# substitution whose variables this trap cannot see
trap 'kill $SIM $BOARD $STATUS_SUB $BROKER $(cat "$WORK/spare.pids" 2>/dev/null) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

TICKS=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now() { date +%s.%N; }
pss_mb() { awk '/^Pss:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/smaps_rollup"; }
# PSS as it would be with no other board on the machine: PSS shares a
# library's pages among the processes mapping them, so boards (or other
# programs using SDL) running beside this one lower its PSS. Here a
# file-backed mapping counts its resident pages whole (Rss), except the
# C library and the dynamic loader, which every process maps (their PSS);
# anonymous memory counts as PSS (its own, but for pages shared after a
# fork).
pss_alone_mb() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { file = $6 ~ /^\// && $6 !~ /\/(libc\.so|ld-linux)/; next }
	     /^Rss:/ { rss = $2 }
	     /^Pss:/ { kb += file ? rss : $2 }
	     END { printf "%.1f", kb / 1024 }' "/proc/$1/smaps"
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
pct() { awk -v c="$1" -v hz="$TICKS" -v s="$2" 'BEGIN { printf "%.2f", 100 * c / hz / s }'; }
SIM_ARGS=(--broker "127.0.0.1:$PORT" --prefix bench)

# launch_board LOG: the board headless at 1920x1080, --verbose for its
# frame lines (every start the same command: the restarts below).
launch_board() {
	BOARD_LOG=$1
	: >"$BOARD_LOG"
	"$BUILD/wallboard" --broker "127.0.0.1:$PORT" --prefix bench --windowed \
		--size 1920x1080 --state-dir "$WORK" --verbose >"$BOARD_LOG" 2>&1 &
	BOARD=$!
}

# start_board LOG: launch_board, and return when it is in sync with the
# broker.
start_board() {
	launch_board "$1"
	for _ in $(seq 600); do
		grep -q "in sync with the broker" "$1" && return 0
		sleep 0.05
	done
	echo "the board did not get in sync" >&2
	return 1
}

# stop_board: SIGTERM, and the board logs its figures on the way out.
stop_board() {
	kill "$BOARD"
	wait "$BOARD" 2>/dev/null || true
	BOARD=
}

# The frame that holds every complaint, every timer and the crisis of
# the retained set below (its last message), from the board's frame
# lines; they end with the wall-clock time it was shown.
all_re="frame [0-9]+: 10000 complaints held, 10000 timers, a crisis"
# wait_all_shown: until the board's log holds that frame, at most 10 s
# (never an error: the figures that need it then say n/a).
wait_all_shown() {
	for _ in $(seq 200); do
		grep -q -E "$all_re" "$BOARD_LOG" && return 0
		sleep 0.05
	done
	return 0
}

# make_retained: 10,000 complaints, their 10,000 timers and a crisis as
# "topic payload" lines in $WORK/retained.txt, for mqtt_flood: the
# simulator writes them under another prefix, mosquitto_sub reads them
# back (the crisis last).
make_retained() {
	"$BUILD/wallboard-sim" --broker "127.0.0.1:$PORT" --prefix gen --open 10000 --duration 0 \
		--crisis now --crisis-every 0 --seed 3 >"$WORK/sim-retained.log" 2>&1
	mosquitto_sub -h 127.0.0.1 -p "$PORT" -t 'gen/#' -v --retained-only -W 3 2>/dev/null |
		sed 's#^gen/#bench/#' >"$WORK/retained.txt" || true
}

# drop_page_cache: true when the kernel dropped its clean page cache
# (root only), so the next start reads the board's binary, libraries,
# fonts and state from the disk, as after a power-on.
drop_page_cache() {
	[ -w /proc/sys/vm/drop_caches ] && sync && { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null
}

# restart_read LOG: "FIRST WHAT ALL N WAIT" once the log holds them: when
# the first frame was shown and what it held, and when the first frame
# holding the whole retained set after the board said its data is live
# (in sync with the broker, the echo fresh) was shown, its number and
# how long its changes waited in the board before the main thread took
# them (while a replay runs it takes the queue in batches: drain.c).
# Frames holding it all before then carry the "DATA NOT LIVE" band.
restart_read() {
	awk -v re="$all_re" '
		/ frame [0-9]+: / && first == "" {
			first = $NF
			what = $0; sub(/.* frame [0-9]+: /, "", what); sub(/ complaints held, /, "/", what)
			sub(/ timers, .*/, "", what)
		}
		/ data is live$/ { live = 1 }
		live && $0 ~ re { n = $0; sub(/.* frame /, "", n); sub(/:.*/, "", n)
			w = $0; sub(/.* taken up to /, "", w); sub(/ .*/, "", w)
			print first, what, $NF, n, w; exit }' "$1"
}

# restart_once I: SIGTERM the board, wait for it, optionally drop the
# page cache, start the same command again, and print the figures of
# restart I from its exec (bash forks and execs right after t0).
restart_once() {
	local t_stop t0 r="" c flt io
	t_stop=$EPOCHREALTIME
	stop_board
	t_stop=$(awk -v a="$t_stop" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", 1000 * (b - a) }')
	[ -z "$COLD" ] || drop_page_cache
	t0=$EPOCHREALTIME
	launch_board "$WORK/restart-$1.log"
	for _ in $(seq 300); do
		r=$(restart_read "$BOARD_LOG")
		[ -n "$r" ] && break
		sleep 0.05
	done
	# from its exec: the process's own CPU, major faults and disk reads
	c=$(cpu "$BOARD")
	flt=$(awk '{ print $12 }' "/proc/$BOARD/stat")
	io=$(awk '/^read_bytes:/ { printf "%.1f", $2 / 1048576 }' "/proc/$BOARD/io" 2>/dev/null || echo n/a)
	if [ -z "$r" ]; then
		echo "restart $1: no frame holding them all while live in 15 s (the old board stopped in $t_stop ms)"
		return 0
	fi
	# shellcheck disable=SC2086 # r is five words
	set -- "$1" $r
	# the figures (ms) for the ranges, then the line
	awk -v t0="$t0" -v f="$2" -v a="$4" -v c=$((c * 1000 / TICKS)) \
		'BEGIN { printf "%.0f %.0f %d\n", 1000 * (f - t0), 1000 * (a - t0), c }' >>"$WORK/restarts"
	awk -v i="$1" -v what="$3" -v n="$5" -v w="$6" -v flt="$flt" -v io="$io" -v st="$t_stop" '
		END { printf "restart %d: first frame %d ms (%s complaints/timers held), all shown and live %d ms (frame %d, its changes taken up to %d ms after they came); board CPU %d ms, %d major faults, %s MB read from disk; the old board stopped in %d ms\n",
		      i, $1, what, $2, n, w, $3, flt, io, st }' "$WORK/restarts"
}

# restarts: WB_RESTARTS restarts of the board holding the retained set,
# a second apart (a settled board is what restarts), then their ranges.
# The last board started runs on.
restarts() {
	[ "$RESTARTS" -gt 0 ] || return 0
	local how=warm
	if [ -n "$COLD" ]; then
		if drop_page_cache; then
			how="cold (the page cache dropped before each start)"
		else
			echo "cold: n/a (needs root to drop the page cache)"
			COLD=
		fi
	fi
	echo "== restart, $how: SIGTERM, then the same command, $RESTARTS times; load $(cut -d' ' -f1-3 /proc/loadavg)"
	local i
	: >"$WORK/restarts"
	for i in $(seq "$RESTARTS"); do
		sleep 1
		restart_once "$i"
	done
	awk -v how="${how%% *}" '
		function lo(a, b) { return NR == 1 || b < a ? b : a }
		function hi(a, b) { return NR == 1 || b > a ? b : a }
		{ f0 = lo(f0, $1); f1 = hi(f1, $1); a0 = lo(a0, $2); a1 = hi(a1, $2); c0 = lo(c0, $3); c1 = hi(c1, $3) }
		END { if (NR) printf "restart (%s), %d runs: first frame %d-%d ms, all shown and live %d-%d ms, board CPU %d-%d ms\n",
			how, NR, f0, f1, a0, a1, c0, c1 }' "$WORK/restarts"
}

if [ -n "$SOAK" ]; then
	echo "== soak: $SOAK min at 1,000 msg/s, 10,000 open, a crisis every minute, paging"
	start_board "$WORK/board.log"
	mosquitto_sub -h 127.0.0.1 -p "$PORT" -t 'bench/boards/+/status' >"$WORK/status" 2>/dev/null &
	STATUS_SUB=$!
	"$BUILD/wallboard-sim" "${SIM_ARGS[@]}" --open 10000 --duration 0 --crisis off --seed 5 >"$WORK/sim0.log" 2>&1
	"$BUILD/wallboard-sim" "${SIM_ARGS[@]}" --open 10000 --rate 1000 --crisis-every 60 --seed 5 \
		--duration $((SOAK * 60 + 60)) >"$WORK/sim.log" 2>&1 &
	SIM=$!
	sleep 30
	t_start=$(now)
	: >"$WORK/rss"
	for i in $(seq 0 $((SOAK * 6))); do
		[ "$i" -gt 0 ] && sleep 10
		heap=$(tail -1 "$WORK/status" | grep -o '"heap_kb":[0-9]*' | cut -d: -f2 || true)
		echo "$(awk -v a="$t_start" -v b="$(now)" 'BEGIN { print (b - a) / 60 }') $(rss_kb "$BOARD") ${heap:-0}" >>"$WORK/rss"
	done
	# the slope over all samples, and over the second half alone: a
	# cache filling to its cap rises first, then stays flat
	awk '{ t[NR] = $1; r[NR] = $2; hp[NR] = $3 }
	     function slope(x, y, a, b,   i, n, sx, sy, sxx, sxy) {
		for (i = a; i <= b; i++) { n++; sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i] }
		return n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0 }
	     function series(label, y,   i) {
		printf "%s", label; for (i = 1; i <= NR; i += 3) printf " %.1f", y[i] / 1024; printf "\n" }
	     END { series("RSS (MB) every 30 s:", r)
		   series("heap in use (MB, the status at most 30 s old):", hp)
		   for (i = 1; i <= NR; i++) { m = int(t[i]); k[m]++; if (!(m in lo) || r[i] < lo[m]) lo[m] = r[i] }
		   # whole minutes only: the last sample alone may fall in a crisis
		   nm = 0; for (m = 0; (m in lo) && k[m] >= 3; m++) { mt[++nm] = m; ml[nm] = lo[m] }
		   h = int((NR + 1) / 2)
		   printf "RSS: start %.1f MB, end %.1f MB after %.0f min; slope %+.1f KB/min (%d samples), second half %+.1f KB/min\n",
			  r[1] / 1024, r[NR] / 1024, t[NR], slope(t, r, 1, NR), NR, slope(t, r, h, NR)
		   printf "RSS, lowest of each minute: %.1f -> %.1f MB; slope %+.1f KB/min, second half %+.1f KB/min\n",
			  ml[1] / 1024, ml[nm] / 1024, slope(mt, ml, 1, nm), slope(mt, ml, int((nm + 1) / 2), nm)
		   printf "heap in use: start %.1f MB, end %.1f MB; slope %+.1f KB/min, second half %+.1f KB/min\n",
			  hp[1] / 1024, hp[NR] / 1024, slope(t, hp, 1, NR), slope(t, hp, h, NR) }' "$WORK/rss"
	grep -E 'VmHWM' "/proc/$BOARD/status" | awk '{printf "board VmHWM %.1f MB\n", $2 / 1024}'
	echo "PSS $(pss_mb "$BOARD") MB ($(pss_alone_mb "$BOARD") MB with its libraries counted whole)"
	kill "$SIM"; wait "$SIM" 2>/dev/null || true; SIM=
	kill "$STATUS_SUB"; wait "$STATUS_SUB" 2>/dev/null || true; STATUS_SUB=
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
	stop_board
	grep -o "figures: .*" "$WORK/board.log"
	exit 0
fi

if [ -n "$RESTART_ONLY" ]; then
	echo "== restart only: the board headless 1920x1080; $(nproc) cores"
	start_board "$WORK/board.log"
	make_retained
	"$BUILD/tests/mqtt_flood" "$PORT" 1 <"$WORK/retained.txt"
	wait_all_shown
	restarts
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
	stop_board
	exit 0
fi

if [ "${WB_INPROC:-1}" != 0 ]; then
	echo "== in process (bench)"
	WB_ASSETS=$PWD/assets "$BUILD/bench" --broker "127.0.0.1:$PORT"
fi

echo "== the board, headless 1920x1080; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
start_board "$WORK/board.log"
grep -o "renderer .*" "$BOARD_LOG" | head -1

# 10,000 retained complaints, their 10,000 timers and a crisis, published
# while the board runs, as fast as mosquitto takes them: mqtt_flood
# (tests/integration) publishes them all on one connection, QoS 1, in
# that order (the crisis last), like a service that publishes in
# batches: many PUBLISH packets a write(), the acknowledgements read as
# they come (its time counts from its start, connecting included).
make_retained
n_msgs=$(wc -l <"$WORK/retained.txt")

# spare_broker_start: a mosquitto of its own (broker_conf's settings)
# on a free loopback port, SPARE_PORT, pid SPARE_PID, for the floors
# under the burst below; spare_broker_stop ends it.
spare_broker_start() {
	for _ in $(seq 100); do # a free loopback port: nothing answers there
		SPARE_PORT=$((20000 + RANDOM % 40000))
		(exec 3<>"/dev/tcp/127.0.0.1/$SPARE_PORT") 2>/dev/null || break
	done
	broker_conf "$SPARE_PORT" >"$WORK/spare.conf"
	"$MOSQUITTO" -c "$WORK/spare.conf" >"$WORK/spare.log" 2>&1 &
	SPARE_PID=$!
	echo "$SPARE_PID" >"$WORK/spare.pids"
	for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$SPARE_PORT") 2>/dev/null && break; sleep 0.05; done
}
spare_broker_stop() {
	kill "$SPARE_PID" 2>/dev/null || true
	wait "$SPARE_PID" 2>/dev/null || true
	rm -f "$WORK/spare.pids"
}

# The same publish into a mosquitto of its own with nobody subscribed:
# what the broker and the publisher take without any board.
broker_alone_ms() {
	local t_a t_b c_a c_b ok=0
	spare_broker_start
	c_a=$(cpu "$SPARE_PID")
	t_a=$(now)
	"$BUILD/tests/mqtt_flood" "$SPARE_PORT" 1 <"$WORK/retained.txt" || ok=1
	t_b=$(now)
	c_b=$(cpu "$SPARE_PID")
	spare_broker_stop
	[ "$ok" = 0 ] && awk -v a="$t_a" -v b="$t_b" -v c=$(((c_b - c_a) * 1000 / TICKS)) \
		'BEGIN { printf "%.0f ms (mosquitto %d ms of CPU)", 1000 * (b - a), c }' ||
		echo "n/a (the publish failed)"
}
alone=$(broker_alone_ms)

# And with one bare mosquitto_sub subscribed to it all at QoS 0, the
# board's (SUB_QOS, src/net/mqtt.c): what any subscriber waits for, the
# floor under "all shown" below. Prints "MS CPU_MS", from the
# publisher's start to the subscriber printing the last message (-F %U,
# the time it printed it) and mosquitto's CPU meanwhile, or "n/a (why)".
bare_sub_ms() {
	local sub t_a c_a c_b got last
	spare_broker_start
	# a retained probe: the subscriber prints it once its subscription
	# is in, so the publish starts with it subscribed
	echo "bench/probe 1" | "$BUILD/tests/mqtt_flood" "$SPARE_PORT" 1 || true
	mosquitto_sub -h 127.0.0.1 -p "$SPARE_PORT" -t 'bench/#' -q 0 -C $((n_msgs + 1)) -W 10 -F %U \
		>"$WORK/bare.out" 2>/dev/null &
	sub=$!
	echo "$sub" >>"$WORK/spare.pids"
	for _ in $(seq 250); do [ -s "$WORK/bare.out" ] && break; sleep 0.02; done
	if [ ! -s "$WORK/bare.out" ]; then
		kill "$sub" 2>/dev/null || true
		wait "$sub" 2>/dev/null || true
		spare_broker_stop
		echo "n/a (the subscriber had not subscribed after 5 s)"
		return 0
	fi
	c_a=$(cpu "$SPARE_PID")
	t_a=$(now)
	"$BUILD/tests/mqtt_flood" "$SPARE_PORT" 1 <"$WORK/retained.txt" || true
	wait "$sub" 2>/dev/null || true # all received, or its 10 s are up
	c_b=$(cpu "$SPARE_PID")
	spare_broker_stop
	got=$(($(wc -l <"$WORK/bare.out") - 1))
	last=$(tail -1 "$WORK/bare.out")
	[ "$got" = "$n_msgs" ] && awk -v a="$t_a" -v b="$last" -v c=$(((c_b - c_a) * 1000 / TICKS)) \
		'BEGIN { printf "%.0f %d", 1000 * (b - a), c }' ||
		echo "n/a (the subscriber received $got of $n_msgs)"
}
bare=$(bare_sub_ms)
bare_ms='' bare_txt=$bare
case $bare in
[0-9]*) bare_ms=${bare% *} bare_txt="all $n_msgs received in $bare_ms ms (mosquitto ${bare#* } ms of CPU)" ;;
esac
bare_txt="a bare mosquitto_sub subscribed (QoS 0, like the board; a mosquitto of its own): $bare_txt"

cb0=$(cpu "$BOARD"); cm0=$(cpu "$BROKER")
t0=$(now)
# the publisher's own CPU (user + system), bash's time keyword
{ TIMEFORMAT='%U %S'; time "$BUILD/tests/mqtt_flood" "$PORT" 1 <"$WORK/retained.txt"; } 2>"$WORK/pub.time"
t_sim=$(now)
pub_cpu=$(tail -1 "$WORK/pub.time" | awk '{ printf "%.0f", 1000 * ($1 + $2) }')
# All shown: the first frame holding every complaint, every timer and the
# crisis (the last message published), from the board's frame lines.
wait_all_shown
shown_at() { sed -E 's/.*shown at ([0-9.]+).*/\1/'; }
shown=$(grep -m1 -E "$all_re" "$BOARD_LOG" | shown_at || true)
# CPU time is robust where latency is not (a shared machine): what the
# board and mosquitto spent from the publish to all shown (and a bit)
cb1=$(cpu "$BOARD"); cm1=$(cpu "$BROKER")
# the first frame of the burst is drawn as soon as its first message is in
first=$(grep -E "frame [0-9]+: [0-9]+ complaints held" "$BOARD_LOG" |
	awk -v a="$t0" '{ t = $NF; if (t + 0 >= a + 0) { print t; exit } }' || true)
[ -n "$shown" ] && awk -v a="$t0" -v b="$shown" -v s="$t_sim" -v f="$first" -v n="$n_msgs" \
	-v alone="$alone" -v bare="$bare_txt" -v bare_ms="$bare_ms" 'BEGIN {
	printf "publish %d retained (10,000 complaints, their timers, a crisis) -> all shown: %.0f ms from the publisher'"'"'s start (%.0f ms from the first on screen)\n",
	       n, 1000 * (b - a), 1000 * (b - f)
	printf "  the publisher took %.0f ms to have them all acknowledged; with no board subscribed (a mosquitto of its own): %s; %s; all shown %+.0f ms after the last acknowledgement; the board'"'"'s all shown minus the bare subscriber'"'"'s all received: %s\n",
	       1000 * (s - a), alone, bare, 1000 * (b - s),
	       bare_ms == "" ? "n/a" : sprintf("%+.0f ms", 1000 * (b - a) - bare_ms) }' &&
	echo "  CPU over the burst: board $(((cb1 - cb0) * 1000 / TICKS)) ms, mosquitto $(((cm1 - cm0) * 1000 / TICKS)) ms, the publisher ${pub_cpu} ms" &&
	grep -m1 -E "$all_re" "$BOARD_LOG" | sed -E 's/.*drawn in ([0-9.]+) ms \(([0-9.]+) ms of CPU.* ([0-9]+) lines rasterised\), its changes taken up to ([0-9]+) ms after they came, the last (-?[0-9]+) ms before it began.*/  the board'"'"'s share: that frame'"'"'s changes taken from the queue up to \4 ms after they came, the last \5 ms before it began; drawn and shown in \1 ms (\2 ms of its CPU), \3 lines laid out/' ||
	echo "publish $n_msgs retained -> all shown: n/a (no frame holding them all in the board's log); with no board subscribed: $alone; $bare_txt"

# Restarts with those retained (the board that runs on is the last one
# started: the figures below are its own).
restarts

# Idle: nothing arriving; the crisis banner flashes, timers tick.
sleep 3
c0=$(cpu "$BOARD"); t1=$(now)
sleep "$IDLE_S"
c1=$(cpu "$BOARD"); t2=$(now)
span=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
echo "idle CPU: $(pct $((c1 - c0)) "$span")% of a core over ${IDLE_S} s (crisis on, timers tick)"

# Load: the same 10,000 again (the same seed), then mixed updates.
"$BUILD/wallboard-sim" "${SIM_ARGS[@]}" --open 10000 --rate "$RATE" --crisis-every 0 --seed 3 --duration $((LOAD_S + 20)) \
	>"$WORK/sim-load.log" 2>&1 &
SIM=$!
sleep 10
f0=$(grep -c "frame [0-9]*:" "$BOARD_LOG" || true)
b0=$(cpu "$BOARD"); m0=$(cpu "$BROKER"); s0=$(cpu "$SIM"); t1=$(now)
sleep "$LOAD_S"
b1=$(cpu "$BOARD"); m1=$(cpu "$BROKER"); s1=$(cpu "$SIM"); t2=$(now)
f1=$(grep -c "frame [0-9]*:" "$BOARD_LOG" || true)
span=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
bp=$(pct $((b1 - b0)) "$span"); mp=$(pct $((m1 - m0)) "$span")
echo "load, $RATE msg/s over ${LOAD_S} s: board $bp% of a core, mosquitto $mp%, simulator $(pct $((s1 - s0)) "$span")%"
awk -v b="$bp" -v m="$mp" -v f=$((f1 - f0)) -v s="$span" 'BEGIN {
	r = m > 0 ? b / m : 0
	printf "board / mosquitto: %.1fx; frames %.1f a second\n", r, f / s }'
echo "PSS: board $(pss_mb "$BOARD") MB ($(pss_alone_mb "$BOARD") MB with its libraries counted whole, as when no other board runs), mosquitto $(pss_mb "$BROKER") MB"
grep -E 'VmHWM' "/proc/$BOARD/status" | awk '{printf "board VmHWM %.1f MB\n", $2 / 1024}'
wait "$SIM" 2>/dev/null || true
SIM=

# Isolated changes: one every 1.25 s, after the backlog is in again.
"$BUILD/wallboard-sim" "${SIM_ARGS[@]}" --open 10000 --rate 0.8 --crisis-every 0 --seed 3 --duration 45 \
	>"$WORK/sim-isolated.log" 2>&1
stop_board
grep -o "figures: .*" "$BOARD_LOG"
