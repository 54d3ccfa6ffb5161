#!/usr/bin/env bash
# The .deb's install, run, upgrade, remove and purge, checked in a throwaway
# root: scripts/dist-check.sh runs this under `unshare --mount`, and it first
# lays an overlay over /etc, /var and /usr whose changes live in ROOT and
# vanish with the mount namespace. The package manager, the service user and
# /var/lib/posbridge of the machine itself are never touched: on a store PC a
# purge would erase its orders.
#
#   unshare --mount --propagation private -- scripts/dist-check-deb.sh DEB ROOT LOGS
set -uo pipefail
deb=$1 root=$2 logs=$3
# shellcheck source=scripts/dist-check-lib.sh
source "$(dirname "$0")/dist-check-lib.sh"
current="dpkg install, upgrade, remove"

for d in /etc /var /usr /lib /lib64 /bin /sbin /opt; do
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    mkdir -p "$root/upper$d" "$root/work$d"
    if ! mount -t overlay overlay -o "lowerdir=$d,upperdir=$root/upper$d,workdir=$root/work$d" "$d"; then
        fail "cannot lay a throwaway overlay over $d: refusing to install the package on this machine itself"
        exit 1
    fi
done
# Proof that the overlay holds before anything is installed: a file written
# in /etc here must not appear in the machine's /etc (checked by the caller
# through ROOT).
touch /etc/.posbridge-dist-check-throwaway && test -e "$root/upper/etc/.posbridge-dist-check-throwaway" ||
    { fail "the overlay over /etc does not take the writes: refusing to go on"; exit 1; }
ok "throwaway root: /etc, /var and /usr are overlaid; nothing reaches the machine"

svc=""
cleanup() { [ -n "$svc" ] && kill -KILL "$svc" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

# An installation visible in the overlay (the machine's own, if it has one)
# is purged here only: the overlay keeps the machine's untouched.
dpkg -P posbridge >/dev/null 2>&1 || true
rm -rf /var/lib/posbridge /etc/posbridge
if dpkg -i "$deb" >"$logs/dpkg.log" 2>&1; then ok "dpkg -i"; else fail "dpkg -i"; sed 's/^/    /' "$logs/dpkg.log"; fi
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
live_ok() { /usr/bin/posbridge config check --config /etc/posbridge/posbridge.yaml 2>/dev/null | grep -Eqx " *mode: live"; }
expect "packaged config is live mode (an installed service never runs the simulator)" live_ok
out=$(systemd-analyze verify /lib/systemd/system/posbridge.service 2>&1) && ! grep -q posbridge.service <<<"$out" &&
    ok "systemd-analyze verify" || { fail "systemd-analyze verify"; sed 's/^/    /' <<<"$out"; }

# Run it as systemd would (user posbridge, its groups, cwd /var/lib/posbridge);
# setpriv execs, so the SIGTERM below reaches posbridge itself. Free ports:
# another posbridge may hold 8686/8687 on this machine.
console_port=$(free_port) && push_port=$(free_port) || fail "no free port"
export POSBRIDGE_CONSOLE_LISTEN=127.0.0.1:$console_port POSBRIDGE_PUSH_LISTEN=127.0.0.1:$push_port
(cd /var/lib/posbridge && exec setpriv --reuid=posbridge --regid=posbridge --init-groups /usr/bin/posbridge service run) >"$logs/service.log" 2>&1 &
svc=$!
if wait_for 30 test -f /var/lib/posbridge/posbridge.db; then ok "the service user's daemon opened /var/lib/posbridge/posbridge.db"; else fail "no database after 30 s"; sed 's/^/    /' "$logs/service.log"; fi
setup_ok() { curl -fsS "http://127.0.0.1:$console_port/api/health" | grep -q '"setup":true'; }
expect "without credentials the packaged service runs in setup mode (console on a free port)" wait_for 20 setup_ok
no_push() { ! curl -s -o /dev/null "http://127.0.0.1:$push_port/kaigedian/push/health"; }
expect "setup mode opens no push receiver" no_push
doctor=$(/usr/bin/posbridge doctor 2>&1 || true)
expect "doctor: database passes quick_check" grep -q '^database  *OK' <<<"$doctor"
expect "doctor: data directory writable by the service user" grep -q '^data directory  *OK' <<<"$doctor"
expect "doctor: setup mode names the credentials to set" grep -q '^credentials  *FAIL  setup mode' <<<"$doctor"
expect "backup while it runs" /usr/bin/posbridge backup "$root/backup.db"
if kill -TERM "$svc" 2>/dev/null; then
    if wait "$svc"; then ok "graceful stop on SIGTERM"; else fail "exit status $? after SIGTERM"; sed 's/^/    /' "$logs/service.log"; fi
else
    fail "the service had already exited before the stop"
    sed 's/^/    /' "$logs/service.log"
fi
svc=""
expect "no file in the data directory belongs to root" test -z "$(find /var/lib/posbridge -user root)"

echo "# edited by dist-check" >>/etc/posbridge/posbridge.yaml
expect "dpkg -i again (upgrade)" dpkg -i "$deb"
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

[ ${#failures[@]} -eq 0 ]
