#!/usr/bin/env bash
# demo.sh: `mtlskit demo` runs the whole mTLS story on 127.0.0.1 (dev PKI,
# backend, proxy server and client, curl, refused clients) and cleans up.
# Checks: exit 0 within 120 s, the key lines (the allowed identity, two
# refusals, the identity reason, the decoder page served over mTLS), numbered steps, no file left in TMPDIR,
# no child left running; --keep DIR keeps the files; --help; a bad option
# is exit 2. Every wait is bounded.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if "$@"; then ok; else bad "$*"; fi; }
has() { grep -q -- "$1" "$T/out" || { echo "missing: $1" >&2; return 1; }; }

mkdir "$T/tmp"
TMPDIR=$T/tmp LANG=C.UTF-8 LC_ALL= timeout 120 "$M" demo >"$T/out" 2>"$T/err"
rc=$?
check [ "$rc" -eq 0 ]
check has "spiffe://demo.example/ns/prod/sa/web"
check [ "$(grep -c 'refused' "$T/out")" -ge 2 ]
check has "refused: spiffe://demo.example/ns/prod/sa/intruder"
check has "refused: a client from another CA"
check has '"reason":"not_allowed"'
check has 'reason not_allowed (identity)'
check has '"reason":"untrusted"'
check has '"verdict":"allowed"'
check has 'hello from the backend'
check has '1\. '
check has 'proxies stopped'
if command -v curl >/dev/null; then
  check has 'allowed: curl'
  # the decoder page (`mtlskit web`) behind `mtlskit proxy server`, over mTLS
  check has 'the decoder page served over mTLS'
  check has 'GET / -> the page, POST /api/decode server.pem -> mtlskit.decode/1'
fi
check grep -q '^demo OK' "$T/out"
check [ -z "$(grep '✗' "$T/out")" ]
check [ -z "$(ls -A "$T/tmp")" ]
check [ -z "$(grep -i 'sanitizer\|runtime error' "$T/err" "$T/out")" ]
# no child left behind (proxies, backend)
check [ -z "$(pgrep -f "$T/tmp" 2>/dev/null)" ]
if [ "$rc" -ne 0 ]; then cat "$T/out" "$T/err" >&2; fi

# --keep DIR: the files stay; ASCII marks without a UTF-8 locale
LANG=C LC_ALL=C timeout 120 "$M" demo --keep "$T/kept" >"$T/out" 2>&1
check [ $? -eq 0 ]
check [ -f "$T/kept/pki/ca.pem" ]
check [ -f "$T/kept/proxy-server.log" ]
check grep -q '"event":"stop"' "$T/kept/proxy-server.log"
check has '\[ok\] 1\. '

timeout 10 "$M" demo --help >"$T/out" 2>&1
check [ $? -eq 0 ]
check has "--keep"
timeout 10 "$M" demo --bogus >/dev/null 2>&1
check [ $? -eq 2 ]

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
