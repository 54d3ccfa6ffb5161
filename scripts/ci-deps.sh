#!/usr/bin/env bash
# Installs (as root, with apt) every tool the tests and the dist checks use.
# Idempotent and quick when all are present: apt runs only for missing ones.
#
#   scripts/ci-deps.sh
set -euo pipefail

packages=(
    gcc libc6-dev binutils file curl openssl     # cgo build, checks
    gcc-aarch64-linux-gnu libc6-dev-arm64-cross  # linux/arm64 cross build
    mingw-w64                                    # windows/amd64 and 386 cross builds, Wine shim
    nsis osslsigncode                            # Windows installer and Authenticode signing
    lintian rpm systemd                          # package checks, systemd-analyze verify
    wine wine64                                  # runs posbridge.exe and the installer
    socat                                        # pty pairs standing in for serial devices
    chromium                                     # console tests
    zbar-tools                                   # barcode decoding in printer tests
    msitools                                     # wixl, an alternative Windows installer
    iproute2 util-linux                          # ip and unshare: the LAN console test's own network namespace
)

if [ "$(id -u)" != 0 ]; then
    echo "ci-deps: not root, installing nothing (tests that need a missing tool skip outside CI)"
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "ci-deps: all ${#packages[@]} packages present"
    exit 0
fi
echo "ci-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "ci-deps: done"
