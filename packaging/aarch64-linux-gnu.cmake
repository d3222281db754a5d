# Cross-build for 64-bit ARM boards (Raspberry Pi 3/4/5) on an amd64
# Debian with gcc-aarch64-linux-gnu and the arm64 -dev packages installed
# side by side (dpkg --add-architecture arm64). scripts/package.sh arm64
# uses it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_STRIP aarch64-linux-gnu-strip)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Libraries and pkg-config files of the target only, never the host's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# Runs target programs at build time (wallboard --print-config). No -L:
# the loader and libc must both be the multiarch libc6:arm64 ones; the
# cross toolchain's ld.so with the multiarch libc.so.6 hangs
# (docs/kmsdrm.md).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
