#!/usr/bin/env bash
# Builds dist/wallboard_<version>_<arch>.deb.
#
#   scripts/package.sh amd64     native release build
#   scripts/package.sh arm64     cross-built with gcc-aarch64-linux-gnu and
#                                the arm64 -dev packages (scripts/deps.sh
#                                --arm64 installs them)
#
# Environment: WB_PKG_BUILD=DIR packages an existing build directory of
# the host's architecture instead of building one (the tests do), WB_PKG_OUT=DIR
# writes the .deb there instead of dist/.
#
# The package: /usr/bin/wallboard and wallboard-sim, fonts and the example
# configuration in /usr/share/wallboard, the systemd unit, man pages, and
# /etc/wallboard/wallboard.ini as a conffile (0640 root:wallboard after
# postinst). Depends comes from the binaries' shared libraries
# (dpkg-shlibdeps); postinst makes the wallboard system user (groups video
# render input audio) and /var/lib/wallboard.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ARCH=${1:-}
case "$ARCH" in
amd64 | arm64) ;;
*)
	echo "usage: scripts/package.sh amd64|arm64" >&2
	exit 2
	;;
esac
VERSION=$(sed -n 's/^project(wallboard VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
OUT=${WB_PKG_OUT:-$ROOT/dist}
HOST_ARCH=$(dpkg --print-architecture)

if [ -n "${WB_PKG_BUILD:-}" ]; then
	[ "$ARCH" = "$HOST_ARCH" ] || { echo "package: WB_PKG_BUILD only for $HOST_ARCH" >&2; exit 2; }
	BUILD=$WB_PKG_BUILD
else
	BUILD=$ROOT/build-pkg-$ARCH
	CROSS=()
	if [ "$ARCH" != "$HOST_ARCH" ]; then
		CROSS=(-DCMAKE_TOOLCHAIN_FILE="$ROOT/packaging/aarch64-linux-gnu.cmake")
	fi
	cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
		-DBUILD_TESTING=OFF "${CROSS[@]}" >/dev/null
	cmake --build "$BUILD" -j"$(nproc)" --target wallboard wallboard-sim example_config
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/root
DESTDIR=$STAGE cmake --install "$BUILD" --prefix /usr --strip >/dev/null

# The example becomes the configuration file (a conffile: dpkg keeps an
# operator's edits across upgrades).
install -d -m 0755 "$STAGE/etc/wallboard"
install -m 0640 "$STAGE/usr/share/wallboard/wallboard.ini.example" "$STAGE/etc/wallboard/wallboard.ini"
gzip -9n "$STAGE"/usr/share/man/man1/*.1
install -m 0644 packaging/deb/copyright "$STAGE/usr/share/doc/wallboard/copyright"
rm -f "$STAGE/usr/share/doc/wallboard/fonts-OFL.txt"

# Depends from the shared libraries the binaries link.
mkdir -p "$WORK/src/debian" "$STAGE/DEBIAN"
printf 'Source: wallboard\n\nPackage: wallboard\nArchitecture: any\n' >"$WORK/src/debian/control"
DEPENDS=$(cd "$WORK/src" && DEB_HOST_ARCH=$ARCH dpkg-shlibdeps -O \
	-e"$STAGE/usr/bin/wallboard" -e"$STAGE/usr/bin/wallboard-sim" 2>"$WORK/shlibdeps.err" |
	sed -n 's/^shlibs:Depends=//p') || { cat "$WORK/shlibdeps.err" >&2; exit 1; }
[ -n "$DEPENDS" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" \
	-e "s/@DEPENDS@/$DEPENDS/" packaging/deb/control.in >"$STAGE/DEBIAN/control"
echo /etc/wallboard/wallboard.ini >"$STAGE/DEBIAN/conffiles"
install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm "$STAGE/DEBIAN/"

mkdir -p "$OUT"
DEB=$OUT/wallboard_${VERSION}_${ARCH}.deb
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "package: $DEB"
