#!/usr/bin/env bash
# The transport: TLS with a client certificate, TLS 1.2 at least, the
# password from a file, and no password in clear text across a network.
#  - a broker that requires client certificates (TLS 1.2+): a board with
#    mqtt.cafile, certfile and keyfile is live; one without a certificate
#    never is;
#  - mqtt.tls_version other than tlsv1.2/tlsv1.3, a certfile without its
#    keyfile: exit 2;
#  - a password towards a host off this machine without TLS: exit 2, unless
#    mqtt.insecure = true (no packet leaves the machine: see below);
#  - mqtt.password_file readable by others: exit 2; 0600: taken.
. "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || { echo "openssl missing"; exit 1; }

# A CA, the broker's certificate (127.0.0.1, localhost) and a board's.
cd "$WORK" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca \
	-keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout broker.key \
	-out broker.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
	-extfile san.ext -out broker.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=board-a -keyout board.key \
	-out board.csr 2>/dev/null
openssl x509 -req -in board.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
	-out board.crt 2>/dev/null
cd - >/dev/null || exit 1
check "certificates made" test -s "$WORK/board.crt" -a -s "$WORK/broker.crt"

BROKER_EXTRA="cafile $WORK/ca.crt
certfile $WORK/broker.crt
keyfile $WORK/broker.key
require_certificate true
tls_version tlsv1.2"
start_broker || exit 1

board a --size 800x480 --windowed --set mqtt.cafile="$WORK/ca.crt" \
	--set mqtt.certfile="$WORK/board.crt" --set mqtt.keyfile="$WORK/board.key"
A=$BOARD_PID
check "TLS with a client certificate: live" wait_until 10 state_is a .live true
board b --size 800x480 --windowed --set mqtt.cafile="$WORK/ca.crt"
check "without a client certificate: never live" bash -c '! (
	for _ in $(seq 30); do [ "$(jq -r .live "$0" 2>/dev/null)" = true ] && exit 0; sleep 0.2; done
	exit 1)' "$WORK/b.json"

# shot ARGS...: a headless start that draws one frame and exits; its
# status is what the test looks at.
shot() {
	"$WB_BIN" --assets "$WB_ASSETS" --state-dir "$WORK/shot" --size 320x240 \
		--screenshot "$WORK/shot.png" --screenshot-after 0.2 "$@" >"$WORK/shot.log" 2>&1
}
shot --set mqtt.tls_version=tlsv1.1
check "tls_version tlsv1.1: exit 2" test $? -eq 2
shot --set mqtt.certfile="$WORK/board.crt"
check "certfile without keyfile: exit 2" test $? -eq 2
shot --broker 192.0.2.1 --set mqtt.username=u --set mqtt.password=secret
check "a password to 192.0.2.1 without TLS: exit 2" test $? -eq 2
check "... saying why" grep -q "clear text" "$WORK/shot.log"
# The starts that are allowed do connect: to 0.0.0.0 (not a loopback name
# to the check, but Linux connects it locally), on a port nobody uses, so
# no packet leaves this machine.
NOBODY=$(free_port)
shot --broker "0.0.0.0:$NOBODY" --set mqtt.username=u --set mqtt.password=secret
check "a password to 0.0.0.0 without TLS: exit 2 too" test $? -eq 2
shot --broker "0.0.0.0:$NOBODY" --set mqtt.username=u --set mqtt.password=secret \
	--set mqtt.insecure=true
check "... unless mqtt.insecure = true" test $? -eq 0
shot --broker "0.0.0.0:$NOBODY" --set mqtt.username=u --set mqtt.password=secret \
	--set mqtt.tls=true
check "... or with TLS (the system CA store)" test $? -eq 0
printf 'secret\n' >"$WORK/pw"
chmod 644 "$WORK/pw"
shot --set mqtt.username=u --set mqtt.password_file="$WORK/pw"
check "a password file others may read: exit 2" test $? -eq 2
chmod 600 "$WORK/pw"
shot --set mqtt.username=u --set mqtt.password_file="$WORK/pw"
check "a 0600 password file is taken" test $? -eq 0
check "board a still running" kill -0 "$A"
finish
