#!/usr/bin/env bash
# Checks the release artifacts: builds them (`make dist`), then
#   - SHA256SUMS, .deb/.rpm contents and metadata, lintian (no errors)
#   - installs the .deb with dpkg, runs it as the service user, upgrades and
#     removes it (data kept), purges it (data still kept)
#   - Authenticode signatures of the Windows files
#   - under Wine: posbridge.exe version and config check, the installer
#     (refuses Windows 7, installs, registers and starts the service, which
#     opens its SQLite database; doctor and backup; upgrade keeps the config;
#     uninstall keeps the data) and a short sandbox run.
# Kept out of `go test`: the cross builds compile SQLite once per target.
#
# Environment:
#   CI=true              a missing tool is a failure, not a skip
#   DIST_CHECK_REUSE=1   check the existing dist/ instead of rebuilding it
#   DIST_CHECK_DPKG=1    allow dpkg -i on this machine (always on under CI=true)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

failures=()
skips=()
current=""

step() { current=$1; printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
ok() { echo "  ok: $*"; }
fail() { echo "  FAIL: $*"; failures+=("$current: $*"); }
skip() { echo "  SKIP: $*"; skips+=("$current: $*"); }
# expect DESCRIPTION COMMAND...: a check that must succeed.
expect() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else fail "$what"; fi; }
# have TOOL...: true when every tool exists; under CI=true a missing one fails.
have() {
    local t missing=()
    for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "${CI:-}" = true ]; then
        fail "missing tool(s): ${missing[*]} (scripts/ci-deps.sh installs them)"
    else
        skip "missing tool(s): ${missing[*]}"
    fi
    return 1
}
wait_for() { # SECONDS COMMAND...: poll until the command succeeds
    local limit=$1; shift
    local end=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.5
    done
}

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

step "build"
if [ "${DIST_CHECK_REUSE:-}" = 1 ] && [ -f dist/SHA256SUMS ]; then
    ok "reusing dist/"
else
    start=$SECONDS
    make dist >"$logs/dist.log" 2>&1 || { tail -50 "$logs/dist.log"; echo "make dist failed"; exit 1; }
    ok "make dist in $((SECONDS - start))s"
fi
ls -l dist | sed 's/^/  /'
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

step "dpkg install, upgrade, remove"
if [ "${CI:-}" != true ] && [ "${DIST_CHECK_DPKG:-}" != 1 ]; then
    skip "installs a package on this machine: set DIST_CHECK_DPKG=1 (always on under CI=true)"
elif have dpkg systemd-analyze setpriv; then
    dpkg -P posbridge >/dev/null 2>&1 || true
    rm -rf /var/lib/posbridge /etc/posbridge
    if dpkg -i "$deb_amd64" >"$logs/dpkg.log" 2>&1; then ok "dpkg -i"; else fail "dpkg -i"; sed 's/^/    /' "$logs/dpkg.log"; fi
    expect "user posbridge exists" id posbridge
    groups_ok() { [ "$(id -nG posbridge | tr ' ' '\n' | grep -cx -e dialout -e lp)" = 2 ]; }
    expect "posbridge is in groups dialout and lp" groups_ok
    expect "/etc/posbridge is root:posbridge 750" test "$(stat -c '%U:%G %a' /etc/posbridge)" = "root:posbridge 750"
    expect "config is root:posbridge 640" test "$(stat -c '%U:%G %a' /etc/posbridge/posbridge.yaml)" = "root:posbridge 640"
    expect "/var/lib/posbridge is posbridge's" test "$(stat -c '%U:%G %a' /var/lib/posbridge)" = "posbridge:posbridge 750"
    version_ok() { /usr/bin/posbridge version | grep -q "linux/amd64"; }
    expect "posbridge version" version_ok
    expect "config check of the packaged config" /usr/bin/posbridge config check --config /etc/posbridge/posbridge.yaml
    data_dir_ok() { /usr/bin/posbridge config check --config /etc/posbridge/posbridge.yaml 2>/dev/null | grep -qx "data_dir: /var/lib/posbridge"; }
    expect "packaged config keeps data in /var/lib/posbridge" data_dir_ok
    out=$(systemd-analyze verify /lib/systemd/system/posbridge.service 2>&1) && ! grep -q posbridge.service <<<"$out" &&
        ok "systemd-analyze verify" || { fail "systemd-analyze verify"; sed 's/^/    /' <<<"$out"; }

    # Run it as systemd would (user posbridge, its groups, cwd /var/lib/posbridge);
    # setpriv execs, so the SIGTERM below reaches posbridge itself.
    (cd /var/lib/posbridge && exec setpriv --reuid=posbridge --regid=posbridge --init-groups /usr/bin/posbridge service run) >"$logs/service.log" 2>&1 &
    svc=$!
    if wait_for 30 test -f /var/lib/posbridge/posbridge.db; then ok "the service user's daemon opened /var/lib/posbridge/posbridge.db"; else fail "no database after 30 s"; sed 's/^/    /' "$logs/service.log"; fi
    doctor=$(/usr/bin/posbridge doctor 2>&1 || true)
    expect "doctor: database passes quick_check" grep -q '^database  *OK' <<<"$doctor"
    expect "doctor: data directory writable by the service user" grep -q '^data directory  *OK' <<<"$doctor"
    expect "backup while it runs" /usr/bin/posbridge backup /tmp/posbridge-dist-check-backup.db
    rm -f /tmp/posbridge-dist-check-backup.db
    kill -TERM $svc
    if wait $svc; then ok "graceful stop on SIGTERM"; else fail "exit status $? after SIGTERM"; sed 's/^/    /' "$logs/service.log"; fi
    expect "no file in the data directory belongs to root" test -z "$(find /var/lib/posbridge -user root)"

    echo "# edited by dist-check" >>/etc/posbridge/posbridge.yaml
    expect "dpkg -i again (upgrade)" dpkg -i "$deb_amd64"
    expect "upgrade kept the edited config" grep -q 'edited by dist-check' /etc/posbridge/posbridge.yaml
    expect "upgrade kept the database" test -f /var/lib/posbridge/posbridge.db
    expect "dpkg -r" dpkg -r posbridge
    expect "binary removed" test ! -e /usr/bin/posbridge
    expect "unit removed" test ! -e /lib/systemd/system/posbridge.service
    expect "remove kept the database" test -f /var/lib/posbridge/posbridge.db
    expect "remove kept the config" test -f /etc/posbridge/posbridge.yaml
    expect "dpkg -P" dpkg -P posbridge
    expect "purge removed the config" test ! -e /etc/posbridge/posbridge.yaml
    expect "purge kept the database" test -f /var/lib/posbridge/posbridge.db
    rm -rf /var/lib/posbridge /etc/posbridge
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
    (cd "$sandbox" && exec wine "$repo/$exe_amd64" run) >"$logs/sandbox.log" 2>&1 &
    run=$!
    if wait_for 30 test -f "$sandbox/posbridge-sandbox/posbridge.db"; then
        ok "sandbox run opened posbridge-sandbox/posbridge.db"
        expect "sandbox console answers on 127.0.0.1:8686" wait_for 20 curl -fsS -o /dev/null http://127.0.0.1:8686/api/health
        orders_flow() { curl -fsS http://127.0.0.1:8686/api/orders | grep -q '"total":[1-9]'; }
        expect "simulated orders reach the database under Wine" wait_for 40 orders_flow
    else
        fail "sandbox run made no database"
        sed 's/^/    /' "$logs/sandbox.log"
    fi
    kill $run 2>/dev/null || true
    wineserver -k || true
    wait $run 2>/dev/null || true

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
    expect "service running" wait_for 20 wine "$pb" service status
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

    wineserver -k || true
    rm -rf "$sandbox"
fi

printf '\n== done in %ss: %d failure(s), %d skip(s)\n' "$SECONDS" "${#failures[@]}" "${#skips[@]}"
for f in "${failures[@]}"; do echo "  FAIL $f"; done
for s in "${skips[@]}"; do echo "  SKIP $s"; done
[ ${#failures[@]} -eq 0 ]
