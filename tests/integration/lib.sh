# lib.sh - shared by the integration tests (sourced, not run).
#
# Every test starts its own mosquitto broker on a free loopback port, runs
# the real wallboard binary headless (SDL_VIDEODRIVER=dummy), talks to it
# through the broker with mosquitto_pub, and reads what it shows through
# --dump-state (JSON) and --screenshot (PNG, examined by png_probe).
# Everything it starts is stopped by PID on exit.
#
# Environment (set by ctest): WB_BIN WB_SIM WB_PROBE MOSQUITTO WB_ASSETS,
# and for the broker: WB_BROKER=mosquitto (default) or aedes (the Node.js
# broker in tests/brokers, WB_BROKERS_DIR; its test variants are named
# *_aedes). Without Node.js >= 18 and tests/brokers/node_modules (made by
# scripts/deps.sh) an aedes variant is skipped (exit 77), unless
# WB_REQUIRE_AEDES is set (scripts/check.sh sets it): then it fails.

set -u
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
export SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wb-test.XXXXXX")
PASSED=0
FAILED=0
PIDS=()

cleanup() {
	for pid in "${PIDS[@]}"; do
		kill -CONT "$pid" 2>/dev/null
		kill "$pid" 2>/dev/null
		# process groups started with setsid (the test's proxies)
		kill -CONT -- "-$pid" 2>/dev/null
		kill -- "-$pid" 2>/dev/null
	done
	wait 2>/dev/null
	if [ "$FAILED" -eq 0 ] && [ -z "${WB_KEEP:-}" ]; then
		rm -rf "$WORK"
	else
		echo "# files kept in $WORK"
	fi
}
trap cleanup EXIT

# check DESCRIPTION COMMAND...: runs COMMAND, counts a pass or a failure.
check() {
	local desc=$1
	shift
	if "$@"; then
		PASSED=$((PASSED + 1))
		echo "ok - $desc"
	else
		FAILED=$((FAILED + 1))
		echo "not ok - $desc"
	fi
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# A port nobody listens on. The broker may still lose a race for it:
# start_broker retries. Below the kernel's ephemeral range (32768-60999 on
# Debian): a port in it can become the local end of any outgoing
# connection at any moment (a proxy then failed to bind, and a probe of
# the port connected to itself and said it was open).
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s; SECONDS may
# have a fraction (0.5, 1.5).
wait_until() {
	local deadline=$(($(now_ms) + $(awk -v s="$1" 'BEGIN { printf "%d", s * 1000 }')))
	shift
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

WB_BROKER=${WB_BROKER:-mosquitto}
WB_BROKERS_DIR=${WB_BROKERS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../brokers" && pwd)}

# need_node: exits 77 (skipped) or 1 when the Node.js side is missing.
need_node() {
	local why=
	if ! command -v node >/dev/null; then
		why="node not installed"
	elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
		why="node $(node --version) is older than 18 (Debian 12's)"
	elif [ ! -d "$WB_BROKERS_DIR/node_modules/aedes" ]; then
		why="no $WB_BROKERS_DIR/node_modules: run scripts/deps.sh"
	fi
	[ -z "$why" ] && return 0
	if [ -n "${WB_REQUIRE_AEDES:-}" ]; then
		echo "not ok - $why"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "# SKIP: $why"
	exit 77
}
[ "$WB_BROKER" = mosquitto ] || need_node

# start_broker [PORT]: sets BROKER_PORT and BROKER_PID, starting the broker
# WB_BROKER names, and BROKER_PROTOCOL: the MQTT version a board on auto
# should end up speaking with it. Retained messages persist across a restart on the same
# port (restart_broker), even after SIGKILL once a second has passed.
# mosquitto only: BROKER_EXTRA (lines) is appended to its configuration
# (password_file, acl_file...).
start_broker() {
	case $WB_BROKER in
	mosquitto) BROKER_PROTOCOL=5; start_mosquitto "$@" ;;
	aedes) BROKER_PROTOCOL=3.1.1; start_aedes "$@" ;;
	*) echo "WB_BROKER=$WB_BROKER: expected mosquitto or aedes" >&2; return 1 ;;
	esac
}

# waits for a broker just started as BROKER_PID on $1; false if it died
broker_listens() {
	wait_until 10 port_open "$1" && kill -0 "$BROKER_PID" 2>/dev/null
}

# aedes keeps its retained messages in $WORK/aedes-retained.json (see
# tests/brokers/aedes-broker.mjs: aedes alone would forget them).
start_aedes() {
	local port=${1:-}
	for _ in 1 2 3 4 5; do
		[ -n "$port" ] || port=$(free_port)
		node "$WB_BROKERS_DIR/aedes-broker.mjs" "$port" "$WORK/aedes-retained.json" \
			>>"$WORK/aedes.log" 2>&1 &
		BROKER_PID=$!
		PIDS+=("$BROKER_PID")
		BROKER_PORT=$port
		broker_listens "$port" && return 0
		kill "$BROKER_PID" 2>/dev/null
		port=
	done
	echo "could not start aedes" >&2
	return 1
}

# `user`: run as root, mosquitto would switch to user mosquitto, which
# cannot write its database into our private directory. Two mosquittos in
# one test (a bridge) need names: BROKER_NAME (default mosquitto) names the
# config, log and database; BROKER_CONF, a file, is appended to the config.
start_mosquitto() {
	local port=${1:-} name=${BROKER_NAME:-mosquitto} dir=$WORK/
	[ "$name" = mosquitto ] || dir=$WORK/$name/
	mkdir -p "$dir"
	for _ in 1 2 3 4 5; do
		[ -n "$port" ] || port=$(free_port)
		cat >"$WORK/$name.conf" <<-EOF
			listener $port 127.0.0.1
			allow_anonymous true
			user $(id -un)
			persistence true
			persistence_location $dir
			autosave_interval 1
			max_queued_messages 100000
			${BROKER_EXTRA:-}
		EOF
		[ -z "${BROKER_CONF:-}" ] || cat "$BROKER_CONF" >>"$WORK/$name.conf"
		"$MOSQUITTO" -c "$WORK/$name.conf" >>"$WORK/$name.log" 2>&1 &
		BROKER_PID=$!
		PIDS+=("$BROKER_PID")
		BROKER_PORT=$port
		if wait_until 5 port_open "$port"; then
			return 0
		fi
		kill "$BROKER_PID" 2>/dev/null
		port=
	done
	echo "could not start mosquitto" >&2
	return 1
}

# plain_broker default|shipped: a fresh broker without persistence (large
# retained sets, nothing to keep), with mosquitto's default queue limits
# or those of the shipped assets/mosquitto/wallboard-broker.conf; sets
# BROKER_PORT and BROKER_PID. stop_plain_broker ends it.
plain_broker() {
	local port root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	for _ in 1 2 3 4 5; do
		port=$(free_port)
		{
			echo "listener $port 127.0.0.1"
			echo "allow_anonymous true"
			[ "$1" = shipped ] && grep -E '^max_queued_(messages|bytes) ' \
				"$root/assets/mosquitto/wallboard-broker.conf"
		} >"$WORK/mosquitto-$1.conf"
		"$MOSQUITTO" -c "$WORK/mosquitto-$1.conf" >>"$WORK/mosquitto.log" 2>&1 &
		BROKER_PID=$!
		PIDS+=("$BROKER_PID")
		BROKER_PORT=$port
		wait_until 5 port_open "$port" && return 0
		kill "$BROKER_PID" 2>/dev/null
	done
	echo "could not start mosquitto" >&2
	return 1
}

stop_plain_broker() {
	kill "$BROKER_PID" 2>/dev/null
	wait "$BROKER_PID" 2>/dev/null
}

# run_installed NAME WxH COMMAND...: an installed board (COMMAND is its
# binary with any flags, or an emulator and the binary) started from /, so
# nothing of the checkout is at hand, against the test broker: one
# screenshot after 2 s to $WORK/NAME.png, its state to $WORK/NAME.json, its
# log to $WORK/NAME.log. Returns the board's exit status.
run_installed() {
	local name=$1 size=$2
	shift 2
	mkdir -p "$WORK/$name-state"
	(cd / && "$@" --broker "127.0.0.1:$BROKER_PORT" --board-id "$name" \
		--state-dir "$WORK/$name-state" --size "$size" --screenshot "$WORK/$name.png" \
		--screenshot-after 2 --dump-state "$WORK/$name.json" >"$WORK/$name.log" 2>&1)
}

# ack_script FILE GO PIN [ROW]: once the file GO exists (the test creates
# it when the board's state shows the alarm), select the ROWth row of the
# breach list (default 1: the most overdue) with Down, open the keypad on it
# with Return, type the PIN and Return.
ack_script() {
	local i
	printf '0 wait %s\n' "$2" >"$1"
	for i in $(seq "${4:-1}"); do printf '0.2 key Down\n'; done >>"$1"
	printf '0.4 key Return\n0.6 type %s\n0.8 key Return\n' "$3" >>"$1"
}
# stop_broker: a clean stop, so retained messages are saved.
stop_broker() {
	kill -TERM "$BROKER_PID" 2>/dev/null
	wait "$BROKER_PID" 2>/dev/null
}

restart_broker() {
	start_broker "$BROKER_PORT"
}

# pub TOPIC JSON: retained, QoS 1, under the default prefix.
pub() {
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -r -t "wallboard/$1" -m "$2"
}

# pub_empty TOPIC: clears a retained topic.
pub_empty() {
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -r -t "wallboard/$1" -n
}

# pub_js < LINES: "TOPIC<tab>JSON" lines (TOPIC under the default
# prefix), published retained with QoS 1 by MQTT.js, as Node.js producers
# do, over one connection.
pub_js() {
	need_node
	sed 's|^|wallboard/|' | node "$WB_BROKERS_DIR/publish.mjs" "$BROKER_PORT"
}

# pub_file TOPIC FILE: payload from a file (binary, invalid UTF-8, huge).
pub_file() {
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -r -t "wallboard/$1" -f "$2"
}

# RFC 3339 UTC time, SECONDS from now (negative: in the past).
at() {
	date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ
}

# noon_tz: a POSIX TZ in which it is now between 12:00 and 13:00. A board
# run in it (TZ=$(noon_tz)) counts what happened minutes ago in today's
# figures whatever hour the test runs at; in the machine's zone, just after
# midnight, it would be yesterday's. POSIX counts hours west of UTC.
noon_tz() {
	local east=$(((12 - 10#$(date -u +%H) + 24) % 24))
	[ "$east" -le 12 ] || east=$((east - 24))
	echo "NOON$((-east))"
}

# complaint_json ID CHANNEL TEXT OPENED_OFFSET [PRIORITY]
complaint_json() {
	jq -cn --arg id "$1" --arg ch "$2" --arg text "$3" \
		--arg at "$(at "$4")" --arg pr "${5:-normal}" \
		'{id:$id, channel:$ch, customer:"Test customer", text:$text,
		  opened_at:$at, priority:$pr, assignee:"Dana", status:"open"}'
}

# sla_json ID DUE_OFFSET [PAUSED]
sla_json() {
	jq -cn --arg id "$1" --arg due "$(at "$2")" --argjson paused "${3:-false}" \
		'{id:$id, target_s:3600, due_at:$due, paused:$paused}'
}

# complaint ID CHANNEL TEXT OPENED_OFFSET [PRIORITY]
complaint() {
	pub "complaints/$1" "$(complaint_json "$@")"
}

# sla ID DUE_OFFSET [PAUSED]
sla() {
	pub "sla/$1" "$(sla_json "$@")"
}

# board NAME ARGS...: runs a board in the background, writing its state
# to $WORK/NAME.json; sets BOARD_PID. A --broker in ARGS (a proxy, a
# second broker) overrides the test broker: the last one given counts.
# BOARD_WRAP: a command (and its arguments) the next boards run under.
BOARD_WRAP=()
board() {
	local name=$1
	shift
	mkdir -p "$WORK/$name"
	"${BOARD_WRAP[@]}" "$WB_BIN" --broker "127.0.0.1:$BROKER_PORT" --assets "$WB_ASSETS" \
		--set display.orbit=false --board-id "$name" --state-dir "$WORK/$name" \
		--dump-state "$WORK/$name.json" "$@" >>"$WORK/$name.log" 2>&1 &
	BOARD_PID=$!
	PIDS+=("$BOARD_PID")
}

# surge_seed NAME CHANNEL=RATE...: board NAME has watched these channels
# for a day already: its state dir holds their usual new complaints a
# minute (the baselines a surge is measured against), in the format the
# board writes, last counted ten minutes ago.
surge_seed() {
	local name=$1 minute now kv
	shift
	now=$(date +%s)
	minute=$((now / 60))
	mkdir -p "$WORK/$name"
	{
		printf 'wallboard-surge 1\nsaved %s\n' "$now"
		for kv in "$@"; do
			printf 'channel %s %s 1440 %s\n' "${kv%%=*}" "${kv#*=}" $((minute - 10))
		done
	} >"$WORK/$name/surge.state"
}

# alarm NAME ID FIELD: a field of one alarm in the board's state.
alarm() {
	state "$1" ".alarms[] | select(.id==\"$2\") | .$3"
}

alarm_is() {
	[ "$(alarm "$1" "$2" "$3")" = "$4" ]
}

# retained TOPIC: the retained payload of a topic, "" when none.
retained() {
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "wallboard/$1" -C 1 -W 2 \
		--retained-only 2>/dev/null
}

# retained_absent TOPIC: the broker answered and holds no retained message
# there. mosquitto_sub exits 27 when -W times out with nothing received; a
# failed connection or subscription exits otherwise and is not "absent".
retained_absent() {
	local out rc
	out=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "wallboard/$1" -C 1 -W 2 \
		--retained-only 2>"$WORK/retained.err")
	rc=$?
	[ "$rc" -eq 27 ] && [ -z "$out" ]
}

# state NAME JQ: a value from the board's latest state dump.
state() {
	jq -r "$2" "$WORK/$1.json" 2>/dev/null
}

# state_is NAME JQ EXPECTED: for wait_until.
state_is() {
	[ "$(state "$1" "$2")" = "$3" ]
}

# state_has NAME JQ: JQ holds (neither false nor null) on the board's
# latest state dump; for wait_until.
state_has() {
	jq -e "$2" "$WORK/$1.json" >/dev/null 2>&1
}

# A TCP proxy in front of the broker, for link faults: proxy_up starts it
# on PROXY_PORT (set PROXY_PORT first) in a process group of its own
# (setsid), so "proxy STOP|CONT|KILL" reaches the connections it forked too.
proxy_up() {
	setsid socat "TCP-LISTEN:$PROXY_PORT,bind=127.0.0.1,reuseaddr,fork" \
		"TCP:127.0.0.1:$BROKER_PORT" 2>>"$WORK/socat.log" &
	PROXY_PID=$!
	PIDS+=("$PROXY_PID")
	wait_until 5 port_open "$PROXY_PORT"
}
proxy() {
	kill "-$1" -- "-$PROXY_PID" 2>/dev/null
}
