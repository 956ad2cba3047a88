#!/usr/bin/env bash
# web_api.sh: `mtlskit web` over HTTP with curl, on a free 127.0.0.1 port,
# with certificates and a CSR made here (`mtlskit pki`, `mtlskit csr`).
# Checks: /api/decode and /api/check return exactly the CLI's --json
# document (same --at) and validate against docs/schema/decode-v1.schema.json;
# profile/private_pki parameters; DER and CSR bodies; /api/match equals
# `match --json` (match, no match, bad reference, bad certificate: 422 with
# the library's error and offset); garbage input: 422 with the error's
# offset; the security headers on every response (pages, API, errors); 413
# on an oversized body (Content-Length and chunked); 404; 405 with Allow;
# 400 on unknown or bad parameters; the Host header (DNS rebinding: 421,
# --allow-host) and cross-site POSTs (403); idle connections do not block
# others; nothing on stderr; SIGTERM exits 0; --help; bad options exit 2;
# a non-loopback --listen needs --unsafe-listen; a busy port exits 1.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
SRC=${MTK_SOURCE_DIR:?}
SCHEMA=$SRC/docs/schema/decode-v1.schema.json
. "$(dirname "${BASH_SOURCE[0]}")/tools/common.bash"
AT=2027-01-15T12:00:00Z

# start_web OUT ARGS...: starts `mtlskit web --listen 127.0.0.1:0 ARGS`,
# sets URL (bounded wait for its start line).
start_web() {
  local out=$1
  shift
  "$M" web --listen 127.0.0.1:0 "$@" >"$out" 2>"$out.err" &
  PIDS+=($!)
  LAST_PID=$!
  URL=
  for _ in $(seq 1 200); do
    URL=$(sed -n 's#^mtlskit web: serving \(http://127\.0\.0\.1:[0-9]*\)/.*#\1#p' "$out")
    [ -n "$URL" ] && return 0
    sleep 0.05
  done
  return 1
}

# req NAME CURL-ARGS...: response headers to $T/NAME.h, body to $T/NAME.b,
# status to $T/NAME.s (bounded by --max-time).
req() {
  local n=$1
  shift
  curl -sS --max-time 20 -D "$T/$n.h" -o "$T/$n.b" -w '%{http_code}' "$@" >"$T/$n.s" 2>"$T/$n.e"
}
status_is() { [ "$(cat "$T/$1.s")" = "$2" ] || { echo "status of $1: $(cat "$T/$1.s"), want $2" >&2; return 1; }; }
header_is() { # NAME HEADER VALUE (exact, case-insensitive name)
  local v
  v=$(grep -i "^$2:" "$T/$1.h" | head -1 | cut -d: -f2- | sed 's/^ //; s/\r$//')
  [ "$v" = "$3" ] || { echo "$1: header $2 is '$v', want '$3'" >&2; return 1; }
}
# jq_py NAME EXPR: evaluates python EXPR over d = the JSON body; true if truthy.
jq_py() {
  python3 - "$T/$1.b" "$2" <<'EOF' || { echo "$1: $2 is false" >&2; return 1; }
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}
valid_schema() {
  python3 - "$SCHEMA" "$T/$1.b" <<'EOF' || { echo "$1: does not validate" >&2; return 1; }
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
EOF
}
same_json() { # FILE FILE
  python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if a==b else 1)' "$1" "$2" ||
    { echo "JSON differs: $1 $2" >&2; diff <(python3 -m json.tool "$1") <(python3 -m json.tool "$2") | head -20 >&2; return 1; }
}
CSP="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
security_headers() {
  header_is "$1" Content-Security-Policy "$CSP" &&
    header_is "$1" X-Content-Type-Options nosniff &&
    header_is "$1" Referrer-Policy no-referrer &&
    header_is "$1" Cache-Control no-store &&
    header_is "$1" Cross-Origin-Opener-Policy same-origin &&
    header_is "$1" Cross-Origin-Resource-Policy same-origin
}

# ---- fixtures ----------------------------------------------------------------------------
P=$T/pki
"$M" pki init "$P" >/dev/null || { echo "pki init failed"; exit 1; }
"$M" pki issue "$P" --server --dns www.example.com --ip 127.0.0.1 >/dev/null || exit 1
"$M" pki issue "$P" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
cd "$T" || exit 1
cat "$P/issued/www.example.com.pem" "$P/ca.pem" >chain.pem
cp "$P/issued/www.example.com.pem" cert.pem
openssl x509 -in cert.pem -outform DER -out cert.der || exit 1
"$M" csr --new-key --dns a.example.com --out a.csr >/dev/null || exit 1
printf 'this is not a certificate\n' >garbage.txt
# valid armour around DER whose outer length runs past the end
python3 - <<'EOF' || exit 1
import base64
der = bytearray(open("cert.der", "rb").read())
der[1] = 0x84
b = base64.b64encode(bytes(der)).decode()
open("broken.pem", "w").write("-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i:i+64] for i in range(0, len(b), 64)) + "\n-----END CERTIFICATE-----\n")
EOF

# ---- usage -------------------------------------------------------------------------------
"$M" web --help >help.txt 2>&1
check [ $? -eq 0 ]
check grep -q -- '--listen ADDR' help.txt
check grep -q -- '--max-body' help.txt
check grep -q 'Exit status' help.txt
check grep -q 'POST /api/match' help.txt
for args in "--bogus" "--listen" "--max-body 0" "--max-body 12X" "--max-body 65M" "--max-conns 0" \
    "--timeout x" "--listen nonsense" "--listen 127.0.0.1:99999" "--allow-host a:b" "extra"; do
  # shellcheck disable=SC2086
  timeout 10 "$M" web $args >/dev/null 2>&1
  rc=$?
  [ $rc -eq 2 ] && ok || bad "web $args: exit $rc, want 2"
done
timeout 10 "$M" web --listen 0.0.0.0:0 >out.txt 2>err.txt
check [ $? -eq 2 ]
check grep -q 'not a loopback address.*--unsafe-listen' err.txt

# ---- the server --------------------------------------------------------------------------
start_web web.out --max-body 64K || { bad "mtlskit web did not start"; cat web.out web.out.err >&2; exit 1; }
WEB=$LAST_PID
check grep -q '^mtlskit web: serving http://127.0.0.1:[0-9]*/' web.out

# a second server on the same port: exit 1
PORT=${URL##*:}
timeout 10 "$M" web --listen "127.0.0.1:$PORT" >/dev/null 2>busy.err
rc=$?
check [ $rc -eq 1 ]
check grep -q 'cannot listen' busy.err || cat busy.err >&2

# the page
req page "$URL/"
check status_is page 200
check header_is page Content-Type "text/html; charset=utf-8"
check security_headers page
check grep -q '<script src="/app.js"' "$T/page.b"
check [ -z "$(grep -i '<script>' "$T/page.b")" ] # no inline script
check [ -z "$(grep -Ei '(src|href)="(https?:)?//' "$T/page.b")" ] # no third-party asset
req js "$URL/app.js"
check status_is js 200
check header_is js Content-Type "text/javascript; charset=utf-8"
check security_headers js
check [ -z "$(grep -n '\.innerHTML\|insertAdjacentHTML\|document\.write' "$T/js.b")" ]
req css "$URL/style.css"
check status_is css 200
check header_is css Content-Type "text/css; charset=utf-8"
req head -I "$URL/"
check status_is head 200

# /api/decode and /api/check: the CLI's documents
"$M" decode --json --at "$AT" chain.pem >cli-decode.json
req dec --data-binary @chain.pem "$URL/api/decode?at=$AT&name=chain.pem"
check status_is dec 200
check security_headers dec
check header_is dec Content-Type "application/json; charset=utf-8"
check header_is dec X-Mtlskit-Exit 0
check valid_schema dec
check same_json dec.b cli-decode.json
check jq_py dec 'd["command"] == "decode" and len(d["inputs"][0]["objects"]) == 2'
check jq_py dec 'd["inputs"][0]["objects"][0]["extensions"][5]["value"]["names"][0]["value"] == "www.example.com"'

"$M" check --json --at "$AT" chain.pem >cli-check.json
cli_rc=$?
req chk --data-binary @chain.pem "$URL/api/check?at=$AT&name=chain.pem"
check status_is chk 200
check header_is chk X-Mtlskit-Exit "$cli_rc"
check valid_schema chk
check same_json chk.b cli-check.json
check jq_py chk 'any(f["id"] == "e_server_no_revocation_info" for f in d["inputs"][0]["objects"][0]["findings"]["items"])'
"$M" check --json --at "$AT" --private-pki --profile client cert.pem >cli-check2.json
req chk2 --data-binary @cert.pem "$URL/api/check?at=$AT&name=cert.pem&private_pki=1&profile=client"
check same_json chk2.b cli-check2.json
req compact --data-binary @cert.pem "$URL/api/decode?compact=1"
check [ "$(wc -l <"$T/compact.b")" -eq 1 ]
# "now" is the clock of the request when no ?at=
req now --data-binary @cert.pem "$URL/api/decode"
check jq_py now "abs(__import__('calendar').timegm(__import__('time').strptime(d['now'], '%Y-%m-%dT%H:%M:%SZ')) - $(date +%s)) < 120"

# DER, a CSR
req der --data-binary @cert.der "$URL/api/decode"
check status_is der 200
check jq_py der 'd["inputs"][0]["objects"][0]["encoding"] == "DER"'
req csr --data-binary @a.csr "$URL/api/check"
check status_is csr 200
check valid_schema csr
check jq_py csr 'd["inputs"][0]["objects"][0]["kind"] == "csr" and d["inputs"][0]["objects"][0]["signature_check"]["verified"] is True'

# bad input: 422 and the library's error with its offset
req garbage --data-binary @garbage.txt "$URL/api/decode"
check status_is garbage 422
check security_headers garbage
check header_is garbage X-Mtlskit-Exit 2
check valid_schema garbage
# the text is 26 bytes: base64 fails at its last byte, offset 25
check jq_py garbage 'd["inputs"][0]["errors"][0]["code"] == "MTK_ERR_PEM_NOTHING" and d["inputs"][0]["errors"][0]["offset"] == 25 and "column 26" in d["inputs"][0]["errors"][0]["detail"]'
"$M" decode --json --at "$AT" broken.pem >cli-broken.json
req broken --data-binary @broken.pem "$URL/api/decode?at=$AT&name=broken.pem"
check status_is broken 422
check same_json broken.b cli-broken.json
check jq_py broken 'd["inputs"][0]["errors"][0]["code"].startswith("MTK_ERR_DER") and "offset" in d["inputs"][0]["errors"][0]'
req empty --data-binary @/dev/null "$URL/api/check"
check status_is empty 422
check jq_py empty 'd["summary"]["errors"] == 1'

# /api/match: `match --json`
"$M" match --json --dns www.example.com cert.pem >cli-match.json
req m1 --data-binary @cert.pem "$URL/api/match?dns=www.example.com&name=cert.pem"
check status_is m1 200
check header_is m1 X-Mtlskit-Exit 0
check same_json m1.b cli-match.json
"$M" match --json --dns nope.example.org --ip 127.0.0.1 --rfc6125 cert.pem >cli-match2.json
req m2 --data-binary @chain.pem "$URL/api/match?dns=nope.example.org&ip=127.0.0.1&rfc6125=1&name=cert.pem"
check same_json m2.b cli-match2.json
req m3 --data-binary @cert.der "$URL/api/match?dns=nope.example.org"
check status_is m3 200
check header_is m3 X-Mtlskit-Exit 1
check jq_py m3 'd["matched"] is False and d["presented"][0]["reason_id"]'
req m4 --data-binary @"$P/issued/web.pem" "$URL/api/match?uri=spiffe://example.org/ns/prod/sa/web"
check jq_py m4 'd["matched"] is True'
req m5 --data-binary @cert.pem "$URL/api/match?dns=bad..name"
check status_is m5 422
check jq_py m5 'd["schema"] == "mtlskit.match/1" and d["error"]["stage"] == "reference" and d["error"]["reference"] == 0 and d["error"]["code"].startswith("MTK_ERR")'
req m6 --data-binary @garbage.txt "$URL/api/match?dns=www.example.com"
check status_is m6 422
check jq_py m6 'd["error"]["stage"] == "certificate" and d["error"]["code"] == "MTK_ERR_PEM_NOTHING" and d["error"]["offset"] == 25'
req m7 --data-binary @broken.pem "$URL/api/match?dns=www.example.com"
check status_is m7 422
check jq_py m7 'd["error"]["code"].startswith("MTK_ERR_DER") and isinstance(d["error"]["offset"], int)'
req m8 --data-binary @a.csr "$URL/api/match?dns=a.example.com"
check status_is m8 422
req m9 --data-binary @cert.pem "$URL/api/match"
check status_is m9 400
req m10 --data-binary @cert.pem "$URL/api/match?dns=www.example.com%00.evil"
check status_is m10 400

# bad parameters: 400 naming them
req p1 --data-binary @cert.pem "$URL/api/decode?bogus=1"
check status_is p1 400
check jq_py p1 'd["error"]["parameter"] == "bogus"'
req p2 --data-binary @cert.pem "$URL/api/decode?at=yesterday"
check status_is p2 400
req p3 --data-binary @cert.pem "$URL/api/check?profile=nope"
check status_is p3 400
req p4 --data-binary @cert.pem "$URL/api/decode?profile=server" # check-only parameter
check status_is p4 400

# 404, 405
req nf "$URL/nope"
check status_is nf 404
check security_headers nf
req nf2 --data-binary @cert.pem "$URL/api/nope"
check status_is nf2 404
req na "$URL/api/decode"
check status_is na 405
check header_is na Allow POST
check security_headers na
req na2 --data-binary @cert.pem "$URL/"
check status_is na2 405
check header_is na2 Allow "GET, HEAD"
req na3 -X PUT --data-binary @cert.pem "$URL/api/check"
check status_is na3 405

# 413: over --max-body 64K, announced or chunked
head -c 65537 /dev/zero >big.bin
head -c 65536 /dev/zero >edge.bin
req big --data-binary @big.bin "$URL/api/decode"
check status_is big 413
check security_headers big
req big2 -H 'Transfer-Encoding: chunked' --data-binary @big.bin "$URL/api/decode"
check status_is big2 413
req edge --data-binary @edge.bin "$URL/api/decode"
check status_is edge 422 # exactly the cap: read and decoded (and refused as input)

# Host header (DNS rebinding) and cross-site POSTs
req h1 -H 'Host: evil.example' "$URL/"
check status_is h1 421
check security_headers h1
req h2 -H 'Host: evil.example:80' --data-binary @cert.pem "$URL/api/decode"
check status_is h2 421
req h3 -H 'Host: localhost:1234' "$URL/"
check status_is h3 200
req h4 -H 'Host: [::1]' "$URL/"
check status_is h4 200
req h5 -H 'Host: 127.0.0.1.evil.example' "$URL/"
check status_is h5 421
req o1 -H 'Origin: http://evil.example' --data-binary @cert.pem "$URL/api/decode"
check status_is o1 403
req o2 -H 'Origin: null' --data-binary @cert.pem "$URL/api/decode"
check status_is o2 403
req o3 -H "Origin: $URL" --data-binary @cert.pem "$URL/api/decode"
check status_is o3 200
req o4 -H 'Sec-Fetch-Site: cross-site' --data-binary @cert.pem "$URL/api/decode"
check status_is o4 403
req o5 -H 'Origin: http://localhost.evil.example' --data-binary @cert.pem "$URL/api/check"
check status_is o5 403

# idle connections (slowloris) do not stop others from being served
python3 - "${URL##*:}" <<'EOF' &
import socket, sys, time
s = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(5)]
for c in s: c.send(b"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc")
time.sleep(3)
EOF
SLOW=$!
sleep 0.3
req alive --data-binary @cert.pem "$URL/api/decode"
check status_is alive 200
wait "$SLOW"

# 30 requests in a row
n_ok=0
for i in $(seq 1 30); do
  req loop --data-binary @chain.pem "$URL/api/check"
  [ "$(cat "$T/loop.s")" = 200 ] && n_ok=$((n_ok + 1))
done
check [ "$n_ok" -eq 30 ]

# --allow-host: a name a proxy in front uses
start_web web2.out --allow-host decoder.internal || bad "second server did not start"
WEB2=$LAST_PID
req ah -H 'Host: decoder.internal:8443' "$URL/"
check status_is ah 200
req ah2 -H 'Origin: https://decoder.internal' --data-binary @cert.pem "$URL/api/decode"
check status_is ah2 200
req ah3 -H 'Host: other.internal' "$URL/"
check status_is ah3 421

# nothing logged; SIGTERM stops with 0
for p in "$WEB" "$WEB2"; do
  kill "$p"
  wait "$p"
  check [ $? -eq 0 ]
done
PIDS=()
check [ ! -s web.out.err ]
check [ ! -s web2.out.err ]
check [ -z "$(grep -c 'BEGIN' web.out | grep -v '^0$')" ]
check grep -q 'stopped (SIGTERM)' web.out
check [ -z "$(grep -i 'sanitizer\|runtime error' web.out.err web2.out.err)" ]

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
