# Shared by scripts/dist-check.sh and scripts/dist-check-deb.sh (sourced):
# every check prints one "ok:", "FAIL:" or "SKIP:" line and never stops the
# script, so that every failure is reported and the clean-up always runs.

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
# free_port prints a loopback TCP port nobody listens on: the checks never
# assume 8686/8687 are free (another posbridge may hold them).
free_port() {
    local p
    for p in $(shuf -i 20000-59999 -n 100); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}
