#!/usr/bin/env bash
# scripts/package.sh amd64 (on the build under test): the .deb's fields,
# files, modes and conffiles; unpacked with dpkg -x into a throwaway root,
# its board runs a headless screenshot from outside the checkout with the
# fonts of the package.
. "$(dirname "$0")/lib.sh"

ARCH=$(dpkg --print-architecture)
WB_PKG_BUILD=$WB_BUILD WB_PKG_OUT=$WORK "$WB_SRC/scripts/package.sh" "$ARCH" \
	>"$WORK/package.log" 2>&1
check "package.sh succeeds" test $? -eq 0
DEB=$(ls "$WORK"/wallboard_*_"$ARCH".deb 2>/dev/null)
check "dist name wallboard_<version>_$ARCH.deb" test -s "$DEB"

field() { dpkg-deb -f "$DEB" "$1"; }
check "Package: wallboard" test "$(field Package)" = wallboard
check "Architecture: $ARCH" test "$(field Architecture)" = "$ARCH"
check "Version from CMakeLists" grep -q "project(wallboard VERSION $(field Version)" "$WB_SRC/CMakeLists.txt"
for dep in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libpng16-16 libmosquitto1 \
	libcjson1 libfribidi0 libinih1 libcrypt1 libsystemd0 libc6 adduser; do
	check "Depends on $dep" grep -qE "(^|, )$dep( |,|$)" <<<"$(field Depends)"
done
# screenshots are written with libpng: SDL2_image (and what it loads) stays out
check "no dependency on SDL2_image" bash -c "! grep -q libsdl2-image <<<'$(field Depends)'"
check "Installed-Size set" test "$(field Installed-Size)" -gt 100

dpkg-deb -e "$DEB" "$WORK/control"
check "conffiles: exactly /etc/wallboard/wallboard.ini" \
	test "$(cat "$WORK/control/conffiles")" = /etc/wallboard/wallboard.ini
for s in postinst prerm postrm; do
	check "$s is an executable, valid sh script" bash -c \
		"test -x '$WORK/control/$s' && sh -n '$WORK/control/$s'"
done
check "postinst makes the wallboard system user" \
	grep -q "adduser --system --group .*wallboard" "$WORK/control/postinst"
check "postinst adds it to video render input audio" \
	grep -q "for g in video render input audio" "$WORK/control/postinst"
check "postinst makes /var/lib/wallboard for it" \
	grep -q "install -d -o wallboard -g wallboard -m 0750 /var/lib/wallboard" "$WORK/control/postinst"
check "postinst gives the config to group wallboard, 0640" \
	grep -q "chgrp wallboard /etc/wallboard/wallboard.ini" "$WORK/control/postinst"

dpkg-deb -c "$DEB" >"$WORK/contents"
has() { grep -qE "^$1 +root/root .* \./$2$" "$WORK/contents"; }
check "config 0640 in the package" has -rw-r----- etc/wallboard/wallboard.ini
check "/usr/bin/wallboard" has -rwxr-xr-x usr/bin/wallboard
check "/usr/bin/wallboard-sim" has -rwxr-xr-x usr/bin/wallboard-sim
check "fonts" has -rw-r--r-- usr/share/wallboard/fonts/NotoSansHebrew-Bold.ttf
check "example config" has -rw-r--r-- usr/share/wallboard/wallboard.ini.example
check "broker settings" has -rw-r--r-- usr/share/wallboard/mosquitto/wallboard-broker.conf
check "systemd unit" has -rw-r--r-- usr/lib/systemd/system/wallboard.service
check "man pages" has -rw-r--r-- usr/share/man/man1/wallboard.1.gz
check "man page of the simulator" has -rw-r--r-- usr/share/man/man1/wallboard-sim.1.gz
check "copyright" has -rw-r--r-- usr/share/doc/wallboard/copyright
check "nothing from the build tree in the package" bash -c \
	"! grep -qE 'CMake|\.o$|/build' '$WORK/contents'"

ROOT=$WORK/root
dpkg -x "$DEB" "$ROOT"
check "unit runs /usr/bin/wallboard" grep -q "^ExecStart=/usr/bin/wallboard " \
	"$ROOT/usr/lib/systemd/system/wallboard.service"
check "the binary is for $ARCH" bash -c "file -L '$ROOT/usr/bin/wallboard' | grep -q \
	\"$(case $ARCH in amd64) echo x86-64 ;; arm64) echo aarch64 ;; esac)\""

start_broker
complaint c-9 whatsapp "from the package" -7200
sla c-9 -30
run_installed pkg 640x400 "$ROOT/usr/bin/wallboard" --config "$ROOT/etc/wallboard/wallboard.ini"
rc=$?
check "unpacked board: screenshot, exit 0" test "$rc" -eq 0
check "unpacked board: fonts of the package" \
	grep -q "fonts from $ROOT/usr/bin/../share/wallboard/fonts" "$WORK/pkg.log"
check "unpacked board: PNG 640x400" test "$("$WB_PROBE" "$WORK/pkg.png" size 2>/dev/null)" = "640 400"
check "unpacked board: the complaint breached" state_is pkg '.breached[0]' c-9
"$ROOT/usr/bin/wallboard" --version >"$WORK/version" 2>&1
check "--version names the package version" grep -q "$(field Version)" "$WORK/version"

finish
