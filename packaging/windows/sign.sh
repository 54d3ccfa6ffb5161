#!/usr/bin/env bash
# Authenticode-sign Windows executables in place with osslsigncode.
#
#   packaging/windows/sign.sh FILE.exe...
#
# The real certificate comes from the environment:
#   POSBRIDGE_SIGN_PKCS12      a .pfx/.p12 file, or
#   POSBRIDGE_SIGN_CERT and POSBRIDGE_SIGN_KEY   PEM (or DER) certificate chain and key
#   POSBRIDGE_SIGN_PASSWORD    password of the .pfx or the key (optional)
#   POSBRIDGE_SIGN_TIMESTAMP   RFC 3161 timestamp server URL (optional, real certificate only)
# Without them a throw-away test certificate is made with openssl in
# $POSBRIDGE_SIGN_TESTDIR (default dist/build/testcert) so that every build
# exercises the signing step; such binaries are marked "TEST SIGNED".
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 FILE.exe..." >&2; exit 2; }

args=()
if [ -n "${POSBRIDGE_SIGN_PKCS12:-}" ]; then
    args=(-pkcs12 "$POSBRIDGE_SIGN_PKCS12")
elif [ -n "${POSBRIDGE_SIGN_CERT:-}" ] && [ -n "${POSBRIDGE_SIGN_KEY:-}" ]; then
    args=(-certs "$POSBRIDGE_SIGN_CERT" -key "$POSBRIDGE_SIGN_KEY")
else
    dir="${POSBRIDGE_SIGN_TESTDIR:-dist/build/testcert}"
    if [ ! -f "$dir/cert.pem" ]; then
        mkdir -p "$dir"
        openssl req -x509 -newkey rsa:3072 -sha256 -days 30 -nodes \
            -keyout "$dir/key.pem" -out "$dir/cert.pem" \
            -subj "/CN=posbridge TEST SIGNED (not trusted)/O=posbridge" \
            -addext "keyUsage=critical,digitalSignature" \
            -addext "extendedKeyUsage=codeSigning" 2>/dev/null
        chmod 600 "$dir/key.pem"
    fi
    args=(-certs "$dir/cert.pem" -key "$dir/key.pem")
    echo "sign.sh: no POSBRIDGE_SIGN_* certificate given: signing with the test certificate $dir/cert.pem" >&2
fi
if [ -n "${POSBRIDGE_SIGN_PASSWORD:-}" ]; then
    # From a private file, not the command line where `ps` would show it.
    passfile=$(mktemp)
    trap 'rm -f "$passfile"' EXIT
    chmod 600 "$passfile"
    printf '%s' "$POSBRIDGE_SIGN_PASSWORD" >"$passfile"
    args+=(-readpass "$passfile")
fi
if [ -n "${POSBRIDGE_SIGN_TIMESTAMP:-}" ]; then
    args+=(-ts "$POSBRIDGE_SIGN_TIMESTAMP")
fi

for f in "$@"; do
    osslsigncode sign "${args[@]}" -h sha256 -n "posbridge" -i "https://github.com/posbridge/posbridge" \
        -in "$f" -out "$f.signed" >/dev/null
    mv "$f.signed" "$f"
    echo "signed $f"
done
