#!/usr/bin/env bash
# A board that is still connecting to a host that drops its SYNs stops
# promptly on SIGTERM (it used to hang in connect() for 30 s and more),
# and gives up an attempt that gets no answer instead of waiting for TCP.
# The SYN-dropping host is a loopback listener that never accepts and
# whose accept queue is full: Linux then drops further SYNs
# (tcp_abort_on_overflow = 0, the default).
. "$(dirname "$0")/lib.sh"
command -v perl >/dev/null || { echo "perl missing"; exit 1; }
[ "$(cat /proc/sys/net/ipv4/tcp_abort_on_overflow)" = 0 ] ||
	{ echo "tcp_abort_on_overflow is set: SYNs would be answered"; exit 1; }

PORT=$(free_port)
# The listener fills its own accept queue (backlog 1) with connections to
# itself until one gets no answer within a second, keeps them, and says
# so. Filling it from here instead raced with anything else that connects
# (port_open's probe sat in the queue too): the shell's own connect then
# waited out TCP's SYN retries (about 130 s) before the test went on.
setsid perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:$ARGV[0]",
				      ReuseAddr => 1) or die "listen: $!";
	my @held;
	for (1 .. 16) {
		my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ARGV[0]", Timeout => 1)
			or last;
		push @held, $c;
	}
	open(my $f, ">", $ARGV[1]) or die "$ARGV[1]: $!";
	print $f scalar(@held), "\n";
	close $f;
	sleep 300;' "$PORT" "$WORK/full" &
PIDS+=($!)
check "the listener filled its accept queue" wait_until 10 test -s "$WORK/full"
echo "# $(cat "$WORK/full" 2>/dev/null) connections fill the queue"
check "the listener now drops SYNs (a connect does not finish in 2 s)" \
	bash -c '! timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$0" 2>/dev/null' "$PORT"

"$WB_BIN" --broker "127.0.0.1:$PORT" --assets "$WB_ASSETS" --board-id s \
	--state-dir "$WORK/s" --size 320x240 --windowed --dump-state "$WORK/s.json" \
	>"$WORK/s.log" 2>&1 &
S=$!
PIDS+=("$S")
check "the board runs (connecting)" wait_until 10 test -s "$WORK/s.json"
sleep 2
check "... and is not live" state_is s .live false
T0=$(now_ms)
kill -TERM "$S"
for _ in $(seq 50); do kill -0 "$S" 2>/dev/null || break; sleep 0.1; done
T=$(($(now_ms) - T0))
echo "# stopped ${T} ms after SIGTERM"
check "SIGTERM while connecting: gone within 3 s (${T} ms)" bash -c "! kill -0 $S 2>/dev/null"
wait "$S" 2>/dev/null
check "... with exit status 0" test $? -eq 0

# An attempt nobody answers is given up (the keepalive, 10 s), logged,
# and tried again.
"$WB_BIN" --broker "127.0.0.1:$PORT" --assets "$WB_ASSETS" --board-id t \
	--state-dir "$WORK/t" --size 320x240 --windowed >"$WORK/t.log" 2>&1 &
PIDS+=($!)
check "an unanswered attempt is given up and logged" \
	wait_until 20 grep -q "cannot connect to 127.0.0.1:$PORT" "$WORK/t.log"
finish
