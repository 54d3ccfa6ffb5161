#!/usr/bin/env bash
# Builds every release artifact into dist/ (run through `make dist`):
#   posbridge_<ver>_linux_{amd64,arm64}, posbridge_<ver>_windows_{amd64,386}.exe
#   posbridge_<ver>_{amd64,arm64}.deb and .rpm (nfpm)
#   posbridge_<ver>_windows_{amd64,386}_setup.exe (NSIS installers, signed)
#   SHA256SUMS
# cgo is on (go-sqlite3): each target compiles SQLite once (~1 min on 2
# cores); two targets build at a time, one per core.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
COMMIT="${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
DATE="${DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
NFPM_VERSION=v2.45.2
TOOLS="${TOOLS:-$PWD/bin/tools}"
GO="${GO:-go}"

# Package managers need a version that starts with a digit; untagged builds
# become 0.0.0~git<date>.<commit>, which sorts before any release.
if [[ "$VERSION" =~ ^v?([0-9]+\.[0-9]+\.[0-9]+)(.*)$ ]]; then
    PKG_VERSION="${BASH_REMATCH[1]}$(tr -c 'A-Za-z0-9.+~\n' '~' <<<"${BASH_REMATCH[2]#-}" | sed 's/^\(.\)/~\1/')"
    VI_VERSION="${BASH_REMATCH[1]}.0"
else
    PKG_VERSION="0.0.0~git$(date -u +%Y%m%d).$(tr -c 'A-Za-z0-9\n' '.' <<<"$COMMIT")"
    VI_VERSION="0.0.0.0"
fi

# Every tool first: without them the cross builds fail one by one and the
# run ends far later in an unrelated OpenSSL error.
tools=(
    "gcc:gcc" "aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu" "x86_64-w64-mingw32-gcc:mingw-w64"
    "i686-w64-mingw32-gcc:mingw-w64" "makensis:nsis" "osslsigncode:osslsigncode" "openssl:openssl"
    "objdump:binutils" "gzip:gzip" "$GO:golang (Go 1.26)"
)
missing=() packages=()
for t in "${tools[@]}"; do
    if ! command -v "${t%%:*}" >/dev/null; then
        missing+=("${t%%:*}")
        [[ " ${packages[*]} " == *" ${t#*:} "* ]] || packages+=("${t#*:}")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "make dist: missing tool(s): ${missing[*]}" >&2
    echo "  install them with: sudo scripts/ci-deps.sh   (Debian packages: ${packages[*]})" >&2
    exit 1
fi

DIST=dist
BUILD="$DIST/build"
rm -rf "$DIST"
mkdir -p "$BUILD"
LDFLAGS="-s -w -X main.version=$VERSION -X main.commit=$COMMIT -X main.date=$DATE"

step() { printf '\n== %s (%ss)\n' "$*" "$SECONDS"; }

build() { # GOOS GOARCH CC [extra ldflags] [build mode]
    local os=$1 arch=$2 cc=$3 extra=${4:-} mode=${5:-exe} out
    out="$BUILD/${os}_${arch}/posbridge"
    [ "$os" = windows ] && out+=".exe"
    local start=$SECONDS
    CGO_ENABLED=1 GOOS=$os GOARCH=$arch CC=$cc \
        "$GO" build -trimpath -buildmode="$mode" -ldflags "$LDFLAGS $extra" -o "$out" ./cmd/posbridge
    echo "built $out in $((SECONDS - start))s"
}

# both waits for two background builds and fails when either failed (`wait
# -n && wait -n` let a failed build through: set -e ignores a && list).
both() {
    local status=0
    wait "$1" || status=1
    wait "$2" || status=1
    [ $status = 0 ] || { echo "make dist: a cross build failed (see above)" >&2; exit 1; }
}

step "cross builds"
# Static mingw runtime: the .exe must not need libgcc/winpthread DLLs.
winstatic='-extldflags=-static'
# Position-independent on Linux, as Debian's hardening expects.
build linux amd64 gcc "" pie &
a=$!
build linux arm64 aarch64-linux-gnu-gcc "" pie &
both $a $!
build windows amd64 x86_64-w64-mingw32-gcc "$winstatic" &
a=$!
build windows 386 i686-w64-mingw32-gcc "$winstatic" &
both $a $!

step "sign the Windows binaries"
packaging/windows/sign.sh "$BUILD"/windows_*/posbridge.exe

step "default configs"
# The example config in live mode (setup mode until the credentials are set:
# an installed service never runs the simulator), with the data folder each
# OS keeps state in: on Linux /var/lib/posbridge (the unit's StateDirectory),
# on Windows ./data next to the config in %ProgramData%\posbridge, with CRLF.
# config.InstalledYAML makes both; `service install` writes the same.
"$GO" run ./internal/tools/installedconfig linux >"$BUILD/posbridge.yaml"
"$GO" run ./internal/tools/installedconfig windows >"$BUILD/posbridge-windows.yaml"
grep -q '^data_dir: /var/lib/posbridge$' "$BUILD/posbridge.yaml"
grep -q '^  mode: live ' "$BUILD/posbridge.yaml"

step "nfpm $NFPM_VERSION"
# `go version -m` names the module version (nfpm --version says "dev" when go-installed).
if ! "$GO" version -m "$TOOLS/nfpm" 2>/dev/null | grep -qE "^\s+mod\s+github.com/goreleaser/nfpm/v2\s+$NFPM_VERSION\s"; then
    GOBIN="$TOOLS" "$GO" install "github.com/goreleaser/nfpm/v2/cmd/nfpm@$NFPM_VERSION"
fi

step "Linux packages"
printf 'posbridge (%s) stable; urgency=medium\n\n  * Build %s from commit %s.\n\n -- posbridge maintainers <maintainers@posbridge.invalid>  %s\n' \
    "$PKG_VERSION" "$VERSION" "$COMMIT" "$(date -u -R)" | gzip -9n >"$BUILD/changelog.Debian.gz"
for arch in amd64 arm64; do
    bin="$BUILD/linux_$arch/posbridge"
    # The oldest glibc the binary accepts, from its versioned symbols.
    glibc=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
    pkgbuild="$BUILD/pkg_$arch"
    mkdir -p "$pkgbuild"
    cp "$bin" "$pkgbuild/posbridge"
    cp "$BUILD/posbridge.yaml" "$BUILD/changelog.Debian.gz" "$pkgbuild/"
    sed -e "s|@ARCH@|$arch|" -e "s|@VERSION@|$PKG_VERSION|" -e "s|@GLIBC@|$glibc|" \
        -e "s|@BUILD@|$pkgbuild|" packaging/linux/nfpm.yaml >"$pkgbuild/nfpm.yaml"
    for format in deb rpm; do
        "$TOOLS/nfpm" package --config "$pkgbuild/nfpm.yaml" --packager "$format" --target "$DIST/" >/dev/null
    done
    cp "$bin" "$DIST/posbridge_${PKG_VERSION}_linux_$arch"
done

step "Windows installers"
for arch in amd64 386; do
    setup="$DIST/posbridge_${PKG_VERSION}_windows_${arch}_setup.exe"
    makensis -V2 -INPUTCHARSET UTF8 "-DARCH=$arch" \
        "-DVERSION=$PKG_VERSION" "-DVIVERSION=$VI_VERSION" "-DOUTFILE=$PWD/$setup" \
        "-DBIN=$PWD/$BUILD/windows_$arch/posbridge.exe" \
        "-DDEFAULT_CONFIG=$PWD/$BUILD/posbridge-windows.yaml" packaging/windows/posbridge.nsi
    packaging/windows/sign.sh "$setup"
    cp "$BUILD/windows_$arch/posbridge.exe" "$DIST/posbridge_${PKG_VERSION}_windows_$arch.exe"
done

step "checksums"
(cd "$DIST" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum >SHA256SUMS)
ls -l "$DIST"
echo "dist done in ${SECONDS}s (version $VERSION, packages $PKG_VERSION)"
