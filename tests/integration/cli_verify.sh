#!/usr/bin/env bash
# cli_verify.sh: drives `mtlskit verify` end to end: exit codes 0/1/2, the
# text and JSON outputs, the options, and agreement with `openssl verify` on
# a few chains. The chains are the committed mTLS client cases of
# tests/limbo/client (certgen, fixed dates, validated at 2025-06-01).
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
CASES=${MTK_SOURCE_DIR:?}/tests/limbo/client/mtls-client.json
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
AT=2025-06-01T00:00:00Z
EPOCH=1748736000
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, expected $want"; sed 's/^/  | /' "$T/out" "$T/err" | head -8 >&2; fi
}
has() { if grep -q -- "$2" "$T/$1"; then ok; else bad "$3: '$2' not in $1"; fi; }

# extract ID: writes $T/ID.root.pem, ID.ica.pem (all intermediates), ID.leaf.pem, ID.crl.pem
extract() {
  python3 - "$CASES" "$1" "$T" <<'PY'
import json, sys
cases, want, out = sys.argv[1], sys.argv[2], sys.argv[3]
for t in json.load(open(cases))["testcases"]:
    if t["id"] == "mtls::" + want:
        open(f"{out}/{want}.root.pem", "w").write("".join(t["trusted_certs"]))
        open(f"{out}/{want}.ica.pem", "w").write("".join(t["untrusted_intermediates"]))
        open(f"{out}/{want}.leaf.pem", "w").write(t["peer_certificate"])
        open(f"{out}/{want}.crl.pem", "w").write("".join(t["crls"]))
PY
}
for c in valid-client-chain serverauth-only expired-client wrong-ca revoked-by-crl not-on-crl \
  nc-email-outside pathlen-0-exceeded missing-intermediate; do
  extract "$c" || { echo "cannot extract $c (python3 needed)"; exit 1; }
done
V=$T/valid-client-chain

# --- valid -----------------------------------------------------------------------
expect 0 "valid client chain" -- "$M" verify --at "$AT" --purpose client --ca "$V.root.pem" \
  --untrusted "$V.ica.pem" "$V.leaf.pem"
has out ": OK" "verdict line"
has out "anchor .*mTLS Test Root" "chain shown"
cat "$V.leaf.pem" "$V.ica.pem" >"$T/bundle.pem"
expect 0 "leaf file with its chain" -- "$M" verify --at "$AT" --purpose client --ca "$V.root.pem" "$T/bundle.pem"
expect 0 "expected e-mail identity" -- "$M" verify --at "$AT" --purpose client --email alice@example.com \
  --ca "$V.root.pem" "$T/bundle.pem"
expect 1 "wrong e-mail identity" -- "$M" verify --at "$AT" --purpose client --email bob@example.com \
  --ca "$V.root.pem" "$T/bundle.pem"
has out "MTK_ERR_CHAIN_NAME_MISMATCH" "name mismatch code"
expect 0 "JSON valid" -- "$M" verify --json --at "$AT" --ca "$V.root.pem" "$T/bundle.pem"
has out '"schema":"mtlskit.verify/1"' "JSON schema"
has out '"valid":true' "JSON valid"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/out" && ok || bad "JSON parses"
expect 0 "quiet" -- "$M" verify -q --at "$AT" --ca "$V.root.pem" "$T/bundle.pem"
if [ "$(wc -l <"$T/out")" -eq 1 ]; then ok; else bad "quiet prints one line"; fi

# --- invalid: exit 1 with reasons ----------------------------------------------------
expect 1 "serverAuth-only client" -- "$M" verify --at "$AT" --purpose client \
  --ca "$T/serverauth-only.root.pem" --untrusted "$T/serverauth-only.ica.pem" "$T/serverauth-only.leaf.pem"
has out "lacks clientAuth in extendedKeyUsage" "EKU reason"
has out "MTK_ERR_CHAIN_EKU" "EKU code"
expect 0 "serverAuth-only is fine as a server" -- "$M" verify --at "$AT" --purpose server \
  --ca "$T/serverauth-only.root.pem" --untrusted "$T/serverauth-only.ica.pem" "$T/serverauth-only.leaf.pem"
expect 1 "expired client" -- "$M" verify --at "$AT" --ca "$T/expired-client.root.pem" \
  --untrusted "$T/expired-client.ica.pem" "$T/expired-client.leaf.pem"
has out "expired on 2025-05-01T00:00:00Z (now 2025-06-01T00:00:00Z)" "expiry reason"
expect 1 "wrong CA" -- "$M" verify --at "$AT" --ca "$T/wrong-ca.root.pem" \
  --untrusted "$T/wrong-ca.ica.pem" "$T/wrong-ca.leaf.pem"
has out "MTK_ERR_CHAIN_NO_ISSUER" "no issuer code"
expect 1 "missing intermediate" -- "$M" verify --at "$AT" --ca "$V.root.pem" "$V.leaf.pem"
has out "candidate path 1 (incomplete)" "incomplete path shown"
expect 1 "revoked" -- "$M" verify --at "$AT" --ca "$T/revoked-by-crl.root.pem" \
  --crl "$T/revoked-by-crl.crl.pem" "$T/revoked-by-crl.leaf.pem"
has out "MTK_ERR_CHAIN_REVOKED" "revoked code"
expect 0 "not on the CRL" -- "$M" verify --at "$AT" --ca "$T/not-on-crl.root.pem" \
  --crl "$T/not-on-crl.crl.pem" "$T/not-on-crl.leaf.pem"
expect 1 "name constraints" -- "$M" verify --at "$AT" --ca "$T/nc-email-outside.root.pem" \
  --untrusted "$T/nc-email-outside.ica.pem" "$T/nc-email-outside.leaf.pem"
has out "does not permit email:bob@evil.example" "NC reason"
expect 1 "pathLen" -- "$M" verify --at "$AT" --ca "$T/pathlen-0-exceeded.root.pem" \
  --untrusted "$T/pathlen-0-exceeded.ica.pem" "$T/pathlen-0-exceeded.leaf.pem"
has out "MTK_ERR_CHAIN_PATHLEN" "pathlen code"
expect 1 "max depth 0" -- "$M" verify --at "$AT" --max-depth 0 --ca "$V.root.pem" "$T/bundle.pem"
has out "MTK_ERR_CHAIN_DEPTH" "depth code"
expect 1 "JSON invalid" -- "$M" verify --json --at "$AT" --ca "$T/expired-client.root.pem" \
  --untrusted "$T/expired-client.ica.pem" "$T/expired-client.leaf.pem"
has out '"valid":false' "JSON invalid"
has out '"name":"MTK_ERR_CHAIN_EXPIRED"' "JSON reason code"
expect 1 "webpki server: the client leaf has no serverAuth" -- "$M" verify --profile webpki \
  --purpose server --at "$AT" --ca "$V.root.pem" "$T/bundle.pem"
has out "lacks serverAuth" "webpki EKU reason"

# --- bad input: exit 2 --------------------------------------------------------------------
expect 2 "no --ca" -- "$M" verify --at "$AT" "$V.leaf.pem"
expect 2 "missing file" -- "$M" verify --ca "$V.root.pem" "$T/nope.pem"
echo "not a certificate" >"$T/junk.txt"
expect 2 "no certificate in the file" -- "$M" verify --ca "$V.root.pem" "$T/junk.txt"
expect 2 "bad --at" -- "$M" verify --at yesterday --ca "$V.root.pem" "$V.leaf.pem"
expect 2 "bad --purpose" -- "$M" verify --purpose both --ca "$V.root.pem" "$V.leaf.pem"
expect 2 "bad --ip" -- "$M" verify --at "$AT" --ip 010.0.0.1 --ca "$V.root.pem" "$T/bundle.pem"
expect 2 "bad --max-depth" -- "$M" verify --max-depth -1 --ca "$V.root.pem" "$V.leaf.pem"
expect 0 "--help" -- "$M" verify --help
has out "Exit status" "help has exit codes"
has out "--untrusted FILE" "help lists options"

# --- agreement with openssl verify ----------------------------------------------------------
agree() { # NAME EXPECTED-RC ARGS-FOR-BOTH...: same verdict from both tools
  local name=$1 want=$2 mt ot
  "$M" verify --at "$AT" --ca "$T/$name.root.pem" --untrusted "$T/$name.ica.pem" "$T/$name.leaf.pem" >/dev/null 2>&1
  mt=$?
  openssl verify -attime "$EPOCH" -x509_strict -CAfile "$T/$name.root.pem" -untrusted "$T/$name.ica.pem" \
    "$T/$name.leaf.pem" >/dev/null 2>&1
  ot=$?
  [ "$ot" -ne 0 ] && ot=1
  if [ "$mt" -eq "$want" ] && [ "$ot" -eq "$want" ]; then ok; else bad "openssl agreement on $name: mtlskit $mt, openssl $ot, expected $want"; fi
}
agree valid-client-chain 0
agree expired-client 1
agree wrong-ca 1
agree pathlen-0-exceeded 1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
