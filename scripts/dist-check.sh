#!/usr/bin/env bash
# Checks the release artifacts: builds them (`make dist`), then
#   - SHA256SUMS, .deb/.rpm contents and metadata, lintian (no errors)
#   - in a throwaway root (scripts/dist-check-deb.sh: a mount namespace with
#     /etc, /var and /usr overlaid, so this machine's packages, users and
#     /var/lib/posbridge are never touched): installs the .deb with dpkg,
#     runs it as the service user (setup mode: the packaged config has no
#     credentials), upgrades and removes it (data kept), purges it (data
#     still kept)
#   - Authenticode signatures of the Windows files
#   - under Wine: posbridge.exe version and config check, the installer
#     (refuses Windows 7, installs, registers and starts the service, which
#     opens its SQLite database; doctor and backup; upgrade keeps the config;
#     uninstall keeps the data) and a short sandbox run.
# Every daemon it starts listens on free ports (another posbridge may hold
# 8686/8687); every failure is one FAIL line; the clean-up always runs.
# Kept out of `go test`: the cross builds compile SQLite once per target.
#
# Environment:
#   CI=true              a missing tool is a failure, not a skip
#   DIST_CHECK_REUSE=1   check the existing dist/ instead of rebuilding it
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
repo=$PWD
# shellcheck source=scripts/dist-check-lib.sh
source scripts/dist-check-lib.sh

logs=$(mktemp -d)
throwaway=""
background=()
cleanup() {
    local pid
    for pid in "${background[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    if [ -n "${WINEPREFIX:-}" ] && command -v wineserver >/dev/null; then wineserver -k 2>/dev/null; fi
    [ -n "$throwaway" ] && rm -rf "$throwaway"
    rm -rf "$logs" "${sandbox:-}"
}
trap cleanup EXIT

step "build"
if [ "${DIST_CHECK_REUSE:-}" = 1 ] && [ -f dist/SHA256SUMS ]; then
    ok "reusing dist/"
else
    start=$SECONDS
    if ! make dist >"$logs/dist.log" 2>&1; then
        tail -50 "$logs/dist.log"
        echo "  FAIL: make dist failed: nothing to check"
        exit 1
    fi
    ok "make dist in $((SECONDS - start))s"
fi
ls -l dist | sed 's/^/  /'
if ! ls dist/posbridge_*_linux_amd64 dist/posbridge_*_amd64.deb dist/posbridge_*_arm64.deb >/dev/null 2>&1; then
    echo "  FAIL: dist/ lacks the Linux binary or packages: nothing to check"
    exit 1
fi
pkgver=$(basename dist/posbridge_*_linux_amd64 | sed 's/^posbridge_\(.*\)_linux_amd64$/\1/')
deb_amd64=$(ls dist/posbridge_*_amd64.deb)
deb_arm64=$(ls dist/posbridge_*_arm64.deb)
exe_amd64=dist/posbridge_${pkgver}_windows_amd64.exe
setup_amd64=dist/posbridge_${pkgver}_windows_amd64_setup.exe

step "checksums"
expect "SHA256SUMS matches every artifact" bash -c 'cd dist && sha256sum --check --quiet SHA256SUMS'
listed() { diff <(find dist -maxdepth 1 -type f ! -name SHA256SUMS -printf '%P\n' | sort) <(awk '{print $2}' dist/SHA256SUMS | sort); }
expect "SHA256SUMS lists every artifact" listed
expect "10 artifacts (2 deb, 2 rpm, 2 Linux and 2 Windows binaries, 2 installers)" test "$(wc -l <dist/SHA256SUMS)" -eq 10

step "deb contents"
if have dpkg-deb; then
    for deb in "$deb_amd64" "$deb_arm64"; do
        arch=$(dpkg-deb -f "$deb" Architecture)
        listing=$(dpkg-deb -c "$deb")
        for path in ./usr/bin/posbridge ./lib/systemd/system/posbridge.service ./etc/posbridge/posbridge.yaml \
            ./usr/share/doc/posbridge/copyright ./usr/share/doc/posbridge/changelog.Debian.gz; do
            if grep -q " $path\$" <<<"$listing"; then ok "$arch: $path"; else fail "$arch: $path missing"; fi
        done
        if grep -q -- '-rw-r----- root/root .* ./etc/posbridge/posbridge.yaml$' <<<"$listing"; then
            ok "$arch: config mode 0640"
        else
            fail "$arch: config is not 0640"
        fi
        info=$(dpkg-deb -I "$deb")
        expect "$arch: conffile /etc/posbridge/posbridge.yaml" grep -qx ' /etc/posbridge/posbridge.yaml' <(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | sed 's/^/ /')
        expect "$arch: depends on libc6" grep -q 'Depends: libc6 (>= ' <<<"$info"
        expect "$arch: postinst, prerm, postrm" bash -c "dpkg-deb --ctrl-tarfile '$deb' | tar -t | grep -c -E '^./(postinst|prerm|postrm)$' | grep -qx 3"
        unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/posbridge.service)
        expect "$arch: packaged unit is the tested one" test "$unit" = "$(cat packaging/linux/posbridge.service)"
    done
    file_arch=$(dpkg-deb --fsys-tarfile "$deb_arm64" | tar -xO ./usr/bin/posbridge | file -)
    expect "arm64 binary is aarch64" grep -q 'ARM aarch64' <<<"$file_arch"
fi

step "lintian"
if have lintian; then
    for deb in "$deb_amd64" "$deb_arm64"; do
        out=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) && ok "$(basename "$deb"): no errors" ||
            fail "$(basename "$deb"): lintian errors"
        grep -E '^[EW]:' <<<"$out" | sed 's/^/    /' || true
    done
fi

step "rpm contents"
if have rpm; then
    for rpmfile in dist/*.rpm; do
        list=$(rpm -qp --list "$rpmfile" 2>/dev/null)
        expect "$(basename "$rpmfile"): /usr/bin/posbridge" grep -qx /usr/bin/posbridge <<<"$list"
        expect "$(basename "$rpmfile"): unit in /usr/lib/systemd/system" grep -qx /usr/lib/systemd/system/posbridge.service <<<"$list"
        expect "$(basename "$rpmfile"): config is %config(noreplace)" grep -qx /etc/posbridge/posbridge.yaml <(rpm -qp --configfiles "$rpmfile" 2>/dev/null)
        expect "$(basename "$rpmfile"): scripts" grep -q 'useradd --system' <(rpm -qp --scripts "$rpmfile" 2>/dev/null)
    done
fi

step "dpkg install, upgrade, remove (in a throwaway root)"
if [ "$(id -u)" != 0 ]; then
    if [ "${CI:-}" = true ]; then fail "needs root (for the throwaway root's mounts)"; else skip "needs root (for the throwaway root's mounts)"; fi
elif have dpkg systemd-analyze setpriv unshare curl; then
    throwaway=$(mktemp -d /tmp/posbridge-dist-check-root.XXXXXX)
    deb_status=0
    while IFS= read -r line; do
        echo "$line"
        case $line in
            "  FAIL: "*) failures+=("$current: ${line#  FAIL: }") ;;
            "  SKIP: "*) skips+=("$current: ${line#  SKIP: }") ;;
            "exit status "*) deb_status=${line#exit status } ;;
        esac
    done < <(unshare --mount --propagation private -- bash scripts/dist-check-deb.sh "$deb_amd64" "$throwaway" "$logs" 2>&1; echo "exit status $?")
    if [ "$deb_status" != 0 ] && ! printf '%s\n' "${failures[@]}" | grep -q "^$current: "; then
        fail "the throwaway-root check ended with exit status $deb_status"
    fi
    expect "nothing of the check reached this machine's /etc" test ! -e /etc/.posbridge-dist-check-throwaway
    rm -rf "$throwaway"
    throwaway=""
fi

step "Authenticode signatures"
if have osslsigncode; then
    ca=()
    [ -f dist/build/testcert/cert.pem ] && ca=(-CAfile dist/build/testcert/cert.pem)
    for f in dist/*.exe; do
        if osslsigncode verify "${ca[@]}" -in "$f" 2>&1 | grep -q 'Signature verification: ok'; then
            ok "$(basename "$f") signed"
        else
            fail "$(basename "$f") signature does not verify"
        fi
    done
fi

step "Windows binary and installer under Wine"
if have wine wineserver winepath x86_64-w64-mingw32-gcc curl; then
    export WINEPREFIX="$repo/dist/build/wine" WINEDEBUG=-all
    scripts/wine-prefix.sh "$WINEPREFIX" >/dev/null 2>&1 || fail "preparing the Wine prefix"
    c="$WINEPREFIX/drive_c"
    svckey='HKLM\System\CurrentControlSet\Services\posbridge'
    # A prefix kept from an earlier run starts clean: no install, no data.
    wine reg delete "$svckey" /f >/dev/null 2>&1 || true
    rm -rf "$c/Program Files/posbridge" "$c/ProgramData/posbridge" "$c/posbridge-backup.db" \
        "$c/ProgramData/Microsoft/Windows/Start Menu/Programs/posbridge"
    version_ok() { wine "$exe_amd64" version | grep -q "windows/amd64"; }
    expect "posbridge.exe version" version_ok
    wincfg=$(winepath -w "$repo/dist/build/posbridge-windows.yaml")
    expect "posbridge.exe config check of the installer's default config" wine "$exe_amd64" config check --config "$wincfg"

    # A short sandbox run: `posbridge run` with no config anywhere (before the
    # installer writes one to ProgramData), the embedded simulator.
    sandbox=$(mktemp -d)
    sandbox_console=$(free_port) && sandbox_push=$(free_port) || fail "no free port"
    (cd "$sandbox" && POSBRIDGE_CONSOLE_LISTEN=127.0.0.1:$sandbox_console POSBRIDGE_PUSH_LISTEN=127.0.0.1:$sandbox_push \
        exec wine "$repo/$exe_amd64" run) >"$logs/sandbox.log" 2>&1 &
    run=$!
    background+=("$run")
    if wait_for 30 test -f "$sandbox/posbridge-sandbox/posbridge.db"; then
        ok "sandbox run opened posbridge-sandbox/posbridge.db"
        expect "sandbox console answers on a free port" wait_for 20 curl -fsS -o /dev/null "http://127.0.0.1:$sandbox_console/api/health"
        orders_flow() { curl -fsS "http://127.0.0.1:$sandbox_console/api/orders" | grep -q '"total":[1-9]'; }
        expect "simulated orders reach the database under Wine" wait_for 40 orders_flow
    else
        fail "sandbox run made no database"
        sed 's/^/    /' "$logs/sandbox.log"
    fi
    kill "$run" 2>/dev/null
    wineserver -k
    wait "$run" 2>/dev/null

    wine winecfg -v win7
    wine "$setup_amd64" /S && rc=0 || rc=$?
    wineserver -w
    expect "installer refuses Windows 7 (exit 3)" test "$rc" = 3
    expect "nothing installed on Windows 7" test ! -e "$c/Program Files/posbridge"
    wine winecfg -v win10

    expect "installer /S" wine "$setup_amd64" /S
    wineserver -w
    expect "posbridge.exe in Program Files" test -f "$c/Program Files/posbridge/posbridge.exe"
    expect "uninstaller in Program Files" test -f "$c/Program Files/posbridge/uninstall.exe"
    expect "default config in ProgramData" test -f "$c/ProgramData/posbridge/posbridge.yaml"
    expect "Start-menu link to the console" grep -q 'URL=http://127.0.0.1:8686' "$c/ProgramData/Microsoft/Windows/Start Menu/Programs/posbridge/posbridge 控制台.url"
    image_path() { wine reg query "$svckey" /v ImagePath | grep -qF 'service run --config C:\ProgramData\posbridge\posbridge.yaml'; }
    expect "service registered with the config pinned" image_path
    pb='C:\Program Files\posbridge\posbridge.exe'
    same_default() { diff -q <(tr -d '\r' <"$c/ProgramData/posbridge/posbridge.yaml") <(tr -d '\r' <dist/build/posbridge-windows.yaml); }
    expect "the default config is the packaged one (live mode: setup mode until the credentials are set)" same_default
    # The service listens on a free port: another posbridge may hold 8686.
    service_port=$(free_port) || fail "no free port"
    wine "$pb" service stop >/dev/null 2>&1
    sed -i "s/127\.0\.0\.1:8686/127.0.0.1:$service_port/" "$c/ProgramData/posbridge/posbridge.yaml"
    expect "service start on a free port" wine "$pb" service start
    expect "service running" wait_for 20 wine "$pb" service status
    setup_ok() { curl -fsS "http://127.0.0.1:$service_port/api/health" | grep -q '"setup":true'; }
    expect "the Windows service without credentials runs in setup mode" wait_for 20 setup_ok
    if wait_for 30 test -f "$c/ProgramData/posbridge/data/posbridge.db"; then
        ok "the Windows service opened its SQLite database"
    else
        fail "no database from the Windows service"
    fi
    expect "service log in ProgramData" grep -q 'posbridge service starting' "$c/ProgramData/posbridge/logs/posbridge.log"
    doctor=$(wine "$pb" doctor 2>&1 | tr -d '\r' || true)
    expect "doctor under Wine: database passes quick_check" grep -q '^database  *OK' <<<"$doctor"
    expect "backup under Wine" wine "$pb" backup 'C:\posbridge-backup.db'
    expect "backup file written" test -s "$c/posbridge-backup.db"

    echo "# edited by dist-check" >>"$c/ProgramData/posbridge/posbridge.yaml"
    expect "installer again (upgrade)" wine "$setup_amd64" /S
    wineserver -w
    expect "upgrade kept the edited config" grep -q 'edited by dist-check' "$c/ProgramData/posbridge/posbridge.yaml"
    expect "service running after upgrade" wait_for 20 wine "$pb" service status

    expect "uninstaller /S" wine "$c/Program Files/posbridge/uninstall.exe" /S
    wineserver -w
    expect "posbridge.exe removed" wait_for 20 test ! -e "$c/Program Files/posbridge/posbridge.exe"
    service_gone() { ! wine reg query "$svckey" >/dev/null 2>&1; }
    expect "service removed" service_gone
    expect "uninstall kept the config" test -f "$c/ProgramData/posbridge/posbridge.yaml"
    expect "uninstall kept the database" test -f "$c/ProgramData/posbridge/data/posbridge.db"

    wineserver -k
fi

printf '\n== done in %ss: %d failure(s), %d skip(s)\n' "$SECONDS" "${#failures[@]}" "${#skips[@]}"
for f in "${failures[@]}"; do echo "  FAIL $f"; done
for s in "${skips[@]}"; do echo "  SKIP $s"; done
[ ${#failures[@]} -eq 0 ]
