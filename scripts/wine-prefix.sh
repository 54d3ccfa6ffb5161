#!/usr/bin/env bash
# Prepares a Wine prefix that runs current Go binaries.
#
#   scripts/wine-prefix.sh PREFIX
#
# Debian's Wine 8 lacks ProcessPrng in bcryptprimitives.dll, which Go 1.24+
# calls at start-up: this builds packaging/wine-shim with mingw-w64 and puts
# it in the prefix, with a native-first DLL override in the prefix's registry
# (so that services started by Wine's service manager get it too). The prefix
# reports Windows 10, as store PCs must run (Debian's Wine 8 says Windows 7).
# Run Wine afterwards with WINEPREFIX=PREFIX.
set -euo pipefail
prefix=$(realpath -m "${1:?usage: $0 PREFIX}")
repo=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX="$prefix" WINEDEBUG=-all

if [ ! -f "$prefix/system.reg" ]; then
    mkdir -p "$prefix"
    wineboot --init >/dev/null 2>&1
    wineserver -w
fi

shim="$repo/packaging/wine-shim"
build_shim() { # CC DEST
    "$1" -shared -O2 -s -Wall -Wextra -o "$2" "$shim/processprng.c" "$shim/bcryptprimitives.def" -Wl,--kill-at -ladvapi32
}
build_shim x86_64-w64-mingw32-gcc "$prefix/drive_c/windows/system32/bcryptprimitives.dll"
# 32-bit programs on a 64-bit prefix load from syswow64 (needs wine32).
if [ -d "$prefix/drive_c/windows/syswow64" ]; then
    build_shim i686-w64-mingw32-gcc "$prefix/drive_c/windows/syswow64/bcryptprimitives.dll"
fi
wine reg add 'HKCU\Software\Wine\DllOverrides' /v bcryptprimitives /d native,builtin /f >/dev/null
wine winecfg -v win10
wineserver -w
echo "wine prefix ready: WINEPREFIX=$prefix"
