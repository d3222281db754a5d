#!/usr/bin/env bash
# make-passwd.sh FILE USER... - writes a mosquitto password_file for the
# users given (boards: their board_id; producers; escalations), with a new
# random password each, printed once so you can put it into each board's
# [mqtt] password_file. mosquitto stores only salted hashes.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 FILE USER..." >&2; exit 2; }
file=$1
shift
umask 077
: >"$file"
for user in "$@"; do
	pw=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
	mosquitto_passwd -b "$file" "$user" "$pw"
	printf '%s %s\n' "$user" "$pw"
done
