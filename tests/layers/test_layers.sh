#!/usr/bin/env bash
# The layer guard bites: an include of SDL or mosquitto planted where its
# layer may not have it makes the check fail and name the file; allowed
# includes and the tree as it is pass. Runs the build's own check
# (cmake/check_layers.cmake) on copies of src/ in a temporary directory.
set -euo pipefail
SRC=${WB_SOURCE_DIR:?set WB_SOURCE_DIR to the source tree}
CHECK=$SRC/cmake/check_layers.cmake
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect pass|fail, layer, file name, the line planted in it
try() {
	local expect=$1 layer=$2 name=$3 line=$4 root rc=0
	root=$tmp/$passed-$failed
	rm -rf "$root" && mkdir -p "$root" && cp -r "$SRC/src" "$root/"
	[ -z "$name" ] || printf '/* planted */\n%s\nint planted;\n' "$line" >"$root/src/$layer/$name"
	cmake -DROOT="$root" -P "$CHECK" >"$tmp/out" 2>&1 || rc=$?
	local what="src/$layer/${name:-(tree as it is)}: ${line:-}"
	if [ "$expect" = pass ] && [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
	elif [ "$expect" = fail ] && [ "$rc" -ne 0 ] && grep -q "src/$layer/$name" "$tmp/out"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: expected $expect (rc=$rc): $what"
		sed 's/^/    /' "$tmp/out"
	fi
	rm -rf "$root"
}

try pass core "" ""
try fail core planted.c '#include <SDL.h>'
try fail core planted.h '#include <SDL2/SDL_ttf.h>'
try fail core planted.c '  #  include "SDL_image.h"'
try fail core planted.c '#include <mosquitto.h>'
try fail core planted.c '#include <mqtt_protocol.h>'
try fail net planted.c '#include <SDL.h>'
try fail ui planted.c '#include <mosquitto.h>'
try pass core planted.c '#include <cjson/cJSON.h>'
try pass core planted.c '/* not an include: #include <SDL.h> */'
try pass ui planted.c '#include <SDL.h>'
try pass net planted.c '#include <mosquitto.h>'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
