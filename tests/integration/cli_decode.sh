#!/usr/bin/env bash
# cli_decode.sh: drives `mtlskit decode` and `mtlskit check` end to end on the
# bundled samples and on inputs made here, checking exit codes and output.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
S=${MTK_SOURCE_DIR:?}/samples
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
AT=2026-11-27T00:00:00Z
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect RC DESCRIPTION -- COMMAND...: runs COMMAND, output in $T/out, $T/err
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, expected $want"; sed 's/^/  | /' "$T/err" | head -5 >&2; fi
}
has() { if grep -q -- "$2" "$T/$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
hasnt() { if grep -q -- "$2" "$T/$1"; then bad "$3: '$2' unexpectedly in $1"; else ok; fi; }
count() { local n; n=$(grep -c -- "$2" "$T/$1"); if [ "$n" -eq "$3" ]; then ok; else bad "$4: $n x '$2', expected $3"; fi; }

# --- decode: forms of input ---------------------------------------------------
expect 0 "decode PEM" -- "$M" decode --at "$AT" "$S/server.pem"
has out "api.example.com" "decode PEM"
has out "192.0.2.10" "decode PEM IP SAN"
has out "expires in 158 days" "relative expiry"
has out "sha256//" "curl pin"

expect 0 "decode bundle in an e-mail" -- "$M" decode "$S/chain.pem"
count out "^Certificate:" 2 "two certificates in chain.pem"

expect 0 "decode PKCS#7 DER" -- "$M" decode "$S/bundle.p7b"
count out "^Certificate:" 2 "two certificates in bundle.p7b"

openssl crl2pkcs7 -nocrl -certfile "$S/chain.pem" -out "$T/b.p7c" 2>/dev/null
expect 0 "decode PKCS#7 PEM" -- "$M" decode "$T/b.p7c"
count out "^Certificate:" 2 "two certificates in PEM PKCS#7"

openssl x509 -in "$S/server.pem" -outform DER -out "$T/s.der"
expect 0 "decode DER" -- "$M" decode "$T/s.der"
has out "api.example.com" "decode DER"

base64 -w 76 "$T/s.der" >"$T/s.b64"
expect 0 "decode bare base64" -- "$M" decode "$T/s.b64"
has out "api.example.com" "decode base64"

sed 's/$/\r/' "$S/server.pem" >"$T/crlf.pem"
expect 0 "decode CRLF" -- "$M" decode "$T/crlf.pem"

expect 0 "decode stdin" -- sh -c "'$M' decode - <'$S/request.csr'"
has out "client.example.com" "CSR subject via stdin"
has out "spiffe://" "CSR SPIFFE URI"

# --- JSON ---------------------------------------------------------------------
expect 0 "decode --json" -- "$M" decode --json --at "$AT" "$S/chain.pem" "$S/request.csr"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="mtlskit.decode/1"; assert len(d["inputs"])==2; assert len(d["inputs"][0]["objects"])==2' "$T/out"; then ok; else bad "JSON document shape"; fi
if [ -f "${MTK_SOURCE_DIR}/docs/schema/decode-v1.schema.json" ]; then
  if python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' "$T/out" "${MTK_SOURCE_DIR}/docs/schema/decode-v1.schema.json"; then ok; else bad "JSON validates against the schema"; fi
fi

# --- private keys -----------------------------------------------------------------
expect 0 "a private key is recognised" -- "$M" decode "$S/server-key.pem"
has out "not shown" "private key not shown"
keyline=$(sed -n 2p "$S/server-key.pem")
hasnt out "${keyline:0:40}" "private key bytes never printed"

expect 0 "--key matches" -- "$M" decode --key "$S/server-key.pem" "$S/server.pem"
has out "matches this public key" "--key match"
expect 0 "--key does not match" -- "$M" decode --key "$S/server-key.pem" "$S/ca.pem"
has out "DOES NOT MATCH" "--key mismatch"

# a certificate and a CSR made from one key belong together
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k.pem" 2>/dev/null
openssl req -new -key "$T/k.pem" -subj /CN=pair.example -out "$T/p.csr" 2>/dev/null
openssl req -x509 -key "$T/k.pem" -subj /CN=pair.example -days 1 -out "$T/p.pem" 2>/dev/null
expect 0 "pairing" -- "$M" decode "$T/p.csr" "$T/p.pem"
has out "Pairing: same public key" "CSR and certificate paired"
cat "$T/p.pem" "$T/k.pem" >"$T/pk.pem"
expect 0 "key in the same bundle" -- "$M" decode "$T/pk.pem"
has out "matches this public key" "bundled key matched"

# --- bad input ------------------------------------------------------------------------
expect 2 "missing file" -- "$M" decode "$T/nope.pem"
has err "nope.pem" "error names the file"
: >"$T/empty"
expect 2 "empty file" -- "$M" decode "$T/empty"
printf 'hello, this is not a certificate\n' >"$T/junk"
expect 2 "junk" -- "$M" decode "$T/junk"
head -c 500 "$T/s.der" >"$T/trunc.der"
expect 2 "truncated DER" -- "$M" decode "$T/trunc.der"
has err "offset 0x" "error names the offset"
has err "MTK_ERR_DER_TRUNCATED" "error names the rule"
sed '5s/A/!/' "$S/server.pem" >"$T/badb64.pem"
expect 2 "bad base64" -- "$M" decode "$T/badb64.pem"
has err "line 5" "base64 error names the line"
head -n 10 "$S/server.pem" >"$T/unterminated.pem"
expect 2 "PEM without END" -- "$M" decode "$T/unterminated.pem"
has err "MTK_ERR_PEM_UNTERMINATED" "unterminated PEM"
python3 -c 'import sys; n=10000; sys.stdout.buffer.write(b"".join([b"\x30\x84"+(4*(n-1-i)).to_bytes(4,"big") for i in range(n)]))' >"$T/deep.der"
expect 2 "10,000-deep nesting" -- "$M" decode "$T/deep.der"
truncate -s 1G "$T/huge.bin"
expect 2 "1 GiB input" -- timeout 60 "$M" decode "$T/huge.bin"
has err "limit" "size limit named"
expect 2 "bad --at" -- "$M" decode --at yesterday "$S/server.pem"
expect 2 "unknown option" -- "$M" decode --frobnicate "$S/server.pem"
expect 2 "no input" -- "$M" decode
# a bad object does not hide the good ones, but the exit status says so
cat "$S/server.pem" "$T/badb64.pem" >"$T/mixed.pem"
expect 2 "good then bad" -- "$M" decode "$T/mixed.pem"
has out "api.example.com" "good object still shown"

# --- check -------------------------------------------------------------------------------
expect 1 "check weak certificate" -- "$M" check --at "$AT" "$S/weak.pem"
has out "e_rsa_modulus_too_small" "weak key found"
has out "e_signature_sha1" "SHA-1 found"
has out "e_serial_zero" "zero serial found"
has out "FAIL:" "verdict line"
expect 1 "check server over 200 days" -- "$M" check --at "$AT" "$S/server.pem"
has out "e_server_validity_too_long" "BR validity limit"
expect 0 "check --private-pki" -- "$M" check --private-pki --at "$AT" "$S/server.pem"
has out "PASS:" "private PKI verdict"
expect 0 "check CSR" -- "$M" check --at "$AT" "$S/request.csr"
expect 1 "check expired" -- "$M" check --private-pki --at 2040-01-01 "$S/ca.pem"
has out "expired" "expiry found"
expect 0 "check --json" -- "$M" check --json --at "$AT" "$S/request.csr"
expect 2 "bad --profile" -- "$M" check --profile browser "$S/server.pem"

# --- help and version ----------------------------------------------------------------------
for c in decode check; do
  expect 0 "$c --help" -- "$M" "$c" --help
  has out "usage: mtlskit $c" "$c usage line"
  has out "Exit status" "$c exit codes documented"
done
expect 0 "--help" -- "$M" --help
expect 0 "--version" -- "$M" --version
expect 2 "unknown command" -- "$M" frobnicate

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
