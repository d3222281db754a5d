#!/usr/bin/env bash
# The package's maintainer scripts (postinst, prerm, postrm), run for real
# by dpkg: install, upgrade, remove and purge of the amd64 .deb in a
# throwaway copy of this system. The test runs in a mount namespace of its
# own (unshare -m) where / is an overlay with a tmpfs on top, chroots into
# it and calls dpkg there: the wallboard user, /var/lib/wallboard and
# dpkg's database change in the tmpfs only, which goes with the namespace.
# systemd is stood in for by a systemctl on PATH (in the overlay only)
# that records its calls and answers is-active as told.
#
# Needs root (CAP_SYS_ADMIN for the namespace, as CI runs); fails saying
# so otherwise (nothing is skipped quietly).
if [ -z "${WB_IN_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "not ok - needs root for unshare -m and the overlay"; exit 1; }
	exec unshare --mount --propagation private env WB_IN_NS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v shellcheck >/dev/null || { echo "not ok - shellcheck missing (scripts/deps.sh)"; exit 1; }

for s in postinst prerm postrm; do
	check "shellcheck -s sh $s" shellcheck -s sh "$WB_SRC/packaging/deb/$s"
done

ARCH=$(dpkg --print-architecture)
WB_PKG_BUILD=$WB_BUILD WB_PKG_OUT=$WORK "$WB_SRC/scripts/package.sh" "$ARCH" \
	>"$WORK/package.log" 2>&1
DEB=$(ls "$WORK"/wallboard_*_"$ARCH".deb 2>/dev/null)
check "package built" test -s "$DEB"
[ -s "$DEB" ] || finish

# What the host has before: compared at the end.
host_before="$(getent passwd wallboard)|$(ls -ld /var/lib/wallboard 2>&1)|$(dpkg-query -W wallboard 2>&1)"

# The sandbox: / as the lower layer of an overlay, writes to a tmpfs.
SB=$WORK/sb
M=$SB/root
mkdir -p "$SB"
mount -t tmpfs tmpfs "$SB"
mkdir -p "$SB/upper" "$SB/work" "$M"
mount -t overlay overlay -o "lowerdir=/,upperdir=$SB/upper,workdir=$SB/work" "$M"
mount -t proc proc "$M/proc"
mount --rbind /dev "$M/dev"
# lib.sh removes $WORK on exit: take the sandbox down first (lazily, so
# nothing under it is ever walked).
trap 'umount -R -l "$M" 2>/dev/null; umount -l "$SB" 2>/dev/null; cleanup' EXIT

# in_root CMD...: runs CMD in the sandbox.
in_root() { chroot "$M" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
export -f in_root
export M
check "sandbox: a root of its own (a file made there is not on the host)" \
	bash -c "touch '$M/wb-sandbox-probe' && [ ! -e /wb-sandbox-probe ]"

# No wallboard here before (a host that has one keeps it: only the overlay
# forgets it).
in_root sh -c 'dpkg --purge wallboard; deluser --system wallboard; delgroup --system wallboard;
	rm -rf /var/lib/wallboard /etc/wallboard' >"$WORK/reset.log" 2>&1
check "sandbox: no wallboard user before the install" bash -c "! in_root getent passwd wallboard"
# Both branches of postinst's group loop, whatever the host has: render
# exists here, input does not.
in_root getent group render >/dev/null || in_root groupadd --system render
in_root getent group input >/dev/null && in_root groupdel input
check "sandbox: group render present, input absent" \
	bash -c "in_root getent group render >/dev/null && ! in_root getent group input"

# systemd stand-in: the scripts look for /run/systemd/system.
mkdir -p "$M/run/systemd/system" "$M/usr/local/sbin"
cat >"$M/usr/local/sbin/systemctl" <<'EOF'
#!/bin/sh
echo "$*" >>/var/log/systemctl.calls
case "$*" in *is-active*) exit "$(cat /var/log/systemctl.active 2>/dev/null || echo 3)" ;; esac
exit 0
EOF
chmod 0755 "$M/usr/local/sbin/systemctl"
calls() { cat "$M/var/log/systemctl.calls" 2>/dev/null; }
called() { calls | grep -qx "$1"; }
cp "$DEB" "$M/tmp/wallboard.deb"

# --- a fresh install ---------------------------------------------------------
in_root dpkg -i /tmp/wallboard.deb >"$WORK/install.log" 2>&1
check "dpkg -i: installed, postinst ran without error" test $? -eq 0
check "dpkg: wallboard is installed and configured" \
	test "$(in_root dpkg-query -W -f '${Status}' wallboard)" = "install ok installed"
IFS=: read -r _ _ uid gid _ home shell < <(in_root getent passwd wallboard)
check "the wallboard user exists, a system user (uid $uid)" \
	bash -c "[ -n '$uid' ] && [ '$uid' -lt 1000 ]"
check "its home is /var/lib/wallboard" test "$home" = /var/lib/wallboard
check "it cannot log in ($shell)" bash -c "case '$shell' in */nologin|*/false) ;; *) exit 1 ;; esac"
check "its own group wallboard" test "$(in_root getent group wallboard | cut -d: -f3)" = "$gid"
for g in video render audio; do
	in_root getent group "$g" >/dev/null || continue
	check "member of $g" bash -c "in_root id -nG wallboard | tr ' ' '\n' | grep -qx $g"
done
check "no group input on this system: skipped by postinst, the install went on" \
	bash -c "! in_root id -nG wallboard | tr ' ' '\n' | grep -qx input"
check "/var/lib/wallboard: wallboard:wallboard 0750" \
	test "$(in_root stat -c '%U:%G %a' /var/lib/wallboard)" = "wallboard:wallboard 750"
check "/etc/wallboard/wallboard.ini: root:wallboard 0640" \
	test "$(in_root stat -c '%U:%G %a' /etc/wallboard/wallboard.ini)" = "root:wallboard 640"
check "the user can read its config, others cannot" bash -c \
	"in_root setpriv --reuid=wallboard --regid=wallboard --init-groups cat /etc/wallboard/wallboard.ini >/dev/null &&
	 ! in_root setpriv --reuid=nobody --regid=nogroup --clear-groups cat /etc/wallboard/wallboard.ini 2>/dev/null"
check "systemd told: daemon-reload" called daemon-reload
check "a fresh install starts nothing (the operator edits the ini first)" \
	bash -c "! grep -q restart '$M/var/log/systemctl.calls'"

# --- an upgrade (the same package again) ---------------------------------------
uid0=$uid
in_root chgrp adm /etc/wallboard/wallboard.ini   # the operator's own choice
in_root chmod 0600 /etc/wallboard/wallboard.ini
echo 0 >"$M/var/log/systemctl.active"            # the board is running
: >"$M/var/log/systemctl.calls"
in_root dpkg -i /tmp/wallboard.deb >"$WORK/upgrade.log" 2>&1
check "upgrade: dpkg -i again succeeds" test $? -eq 0
check "upgrade: the user is kept, same uid" \
	test "$(in_root getent passwd wallboard | cut -d: -f3)" = "$uid0"
check "upgrade: the operator's group and mode on the config are kept" \
	test "$(in_root stat -c '%G %a' /etc/wallboard/wallboard.ini)" = "adm 600"
check "upgrade: a running board is restarted" called "restart wallboard.service"

# --- remove, then purge --------------------------------------------------------
echo "# the journal" >"$M/var/lib/wallboard/journal"
: >"$M/var/log/systemctl.calls"
in_root dpkg --remove wallboard >"$WORK/remove.log" 2>&1
check "remove: succeeds" test $? -eq 0
check "remove: prerm stops the service" called "stop wallboard.service"
check "remove: prerm disables it" called "disable wallboard.service"
check "remove: the binary is gone" test ! -e "$M/usr/bin/wallboard"
check "remove: the ack journal stays" test -f "$M/var/lib/wallboard/journal"
check "remove: the config (a conffile) stays" test -f "$M/etc/wallboard/wallboard.ini"
in_root dpkg --purge wallboard >"$WORK/purge.log" 2>&1
check "purge: succeeds" test $? -eq 0
check "purge: postrm removes /var/lib/wallboard" test ! -e "$M/var/lib/wallboard"
check "purge: the config is gone" test ! -e "$M/etc/wallboard/wallboard.ini"
check "purge: the user stays (files it owned may remain)" \
	bash -c "in_root getent passwd wallboard >/dev/null"
check "purge: dpkg forgot the package" bash -c "! in_root dpkg-query -W wallboard 2>/dev/null"

host_after="$(getent passwd wallboard)|$(ls -ld /var/lib/wallboard 2>&1)|$(dpkg-query -W wallboard 2>&1)"
check "the host is untouched (user, /var/lib/wallboard, dpkg's record)" \
	test "$host_after" = "$host_before"
finish
