#!/usr/bin/env bash
# cli_pki.sh: drives `mtlskit pki init/issue/sign` and `mtlskit csr` in a
# temporary directory: file modes (0600 keys whatever the umask), refusal to
# overwrite (exit 2, the message names the file), `mtlskit check
# --private-pki` clean (exit 0, no warning) on everything issued,
# `openssl verify -x509_strict` for the purposes, `mtlskit verify` when it
# exists, CSR policy refusals, and real mutual-TLS handshakes between
# `openssl s_server -Verify` and `openssl s_client` on loopback.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
T=$(mktemp -d)
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
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
  if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, expected $want"; sed 's/^/  | /' "$T/err" "$T/out" | head -8 >&2; fi
}
has() { if grep -q -- "$2" "$T/$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
hasnt() { if grep -q -- "$2" "$T/$1"; then bad "$3: '$2' unexpectedly in $1"; else ok; fi; }
mode_is() { local m; m=$(stat -c %a "$1"); if [ "$m" = "$2" ]; then ok; else bad "$1: mode $m, expected $2"; fi; }
count_certs() { grep -c -- "-----BEGIN CERTIFICATE-----" "$1"; }

# clean FILE...: `mtlskit check --private-pki` passes with no warning and no error.
clean() {
  local f
  for f in "$@"; do
    expect 0 "check --private-pki $f" -- "$M" check --private-pki "$f"
    hasnt out "^  warning" "no warning for $f"
    hasnt out "^  error" "no error for $f"
    if grep "^Findings:" "$T/out" | grep -qv " 0 errors, 0 warnings"; then bad "$f: findings line"; else ok; fi
  done
}

# ossl_verify PURPOSE CAFILE [UNTRUSTED] CERT
ossl_verify() {
  local purpose=$1 ca=$2 cert untrusted=()
  if [ $# -eq 4 ]; then untrusted=(-untrusted "$3"); cert=$4; else cert=$3; fi
  if openssl verify -x509_strict -purpose "$purpose" -CAfile "$ca" "${untrusted[@]}" "$cert" >"$T/v" 2>&1 &&
    grep -q ": OK$" "$T/v"; then ok; else bad "openssl verify -purpose $purpose $cert"; sed 's/^/  | /' "$T/v" >&2; fi
}

# mtk_verify PURPOSE CAFILE [UNTRUSTED] CERT, when `mtlskit verify` exists.
HAVE_VERIFY=0
"$M" verify --help >/dev/null 2>&1 && HAVE_VERIFY=1
mtk_verify() {
  [ "$HAVE_VERIFY" = 1 ] || return 0
  local purpose=$1 ca=$2 cert args=()
  if [ $# -eq 4 ]; then args=(--untrusted "$3"); cert=$4; else cert=$3; fi
  expect 0 "mtlskit verify --purpose $purpose $cert" -- "$M" verify --ca "$ca" "${args[@]}" --purpose "$purpose" "$cert"
}

P=$T/pki
# --- pki init ----------------------------------------------------------------------
expect 0 "pki init" -- "$M" pki init "$P"
has out "root CA" "init summary"
for f in ca.pem ca-key.pem; do [ -f "$P/$f" ] && ok || bad "missing $P/$f"; done
mode_is "$P/ca-key.pem" 600
mode_is "$P/ca.pem" 644
mode_is "$P" 700
clean "$P/ca.pem"
openssl x509 -in "$P/ca.pem" -noout -text >"$T/x" 2>&1
if grep -q "CA:TRUE, pathlen:0" "$T/x" && grep -q "Certificate Sign, CRL Sign" "$T/x"; then ok; else bad "root extensions"; fi

cp "$P/ca-key.pem" "$T/ca-key.before"
expect 2 "pki init refuses an existing CA" -- "$M" pki init "$P"
has err "$P/ca.pem" "refusal names the file"
has err "not overwritten" "refusal says so"
if cmp -s "$P/ca-key.pem" "$T/ca-key.before"; then ok; else bad "CA key changed by a refused init"; fi

expect 0 "pki init --force" -- "$M" pki init --force --key-type ec-p384 --name "Test Dev Root" "$P"
if cmp -s "$P/ca-key.pem" "$T/ca-key.before"; then bad "--force kept the old key"; else ok; fi
mode_is "$P/ca-key.pem" 600
openssl x509 -in "$P/ca.pem" -noout -subject >"$T/x"
has x "Test Dev Root" "--name"

# --- pki issue ---------------------------------------------------------------------------
# A permissive umask must not leak the keys.
expect 0 "issue server" -- sh -c "umask 000; '$M' pki issue '$P' --server --dns localhost --ip 127.0.0.1 --ip ::1"
has out "server certificate: CN=localhost" "server summary"
has out "DNS:localhost, IP:127.0.0.1, IP:::1" "server names"
has out "(90 days)" "90-day default"
mode_is "$P/issued/localhost-key.pem" 600
mode_is "$P/issued/localhost.pem" 644
clean "$P/issued/localhost.pem"
ossl_verify sslserver "$P/ca.pem" "$P/issued/localhost.pem"
mtk_verify server "$P/ca.pem" "$P/issued/localhost.pem"
if openssl verify -x509_strict -purpose sslclient -CAfile "$P/ca.pem" "$P/issued/localhost.pem" >/dev/null 2>&1; then
  bad "a server-only certificate verified as a client"; else ok; fi
# The public-CA rules: errors without --private-pki, notices with it (docs/pki.md).
expect 1 "check without --private-pki" -- "$M" check "$P/issued/localhost.pem"
has out "e_server_no_revocation_info" "public rule reported"
expect 0 "check --private-pki" -- "$M" check --private-pki "$P/issued/localhost.pem"
has out "notice   e_server_no_revocation_info" "public rule as a notice"

cp "$P/issued/localhost-key.pem" "$T/key.before"
expect 2 "issue refuses to overwrite" -- "$M" pki issue "$P" --server --dns localhost
has err "$P/issued/localhost.pem" "refusal names the certificate file"
if cmp -s "$P/issued/localhost-key.pem" "$T/key.before"; then ok; else bad "key overwritten"; fi
expect 0 "issue --force" -- "$M" pki issue "$P" --server --dns localhost --force
if cmp -s "$P/issued/localhost-key.pem" "$T/key.before"; then bad "--force kept the key"; else ok; fi
mode_is "$P/issued/localhost-key.pem" 600

expect 0 "issue client SPIFFE" -- "$M" pki issue "$P" client --client --uri spiffe://example.org/ns/test/sa/client --email client@example.org
has out "CN=spiffe://example.org/ns/test/sa/client" "client CN is the SPIFFE ID"
has out "usage      clientAuth" "client usage"
mode_is "$P/issued/client-key.pem" 600
clean "$P/issued/client.pem"
ossl_verify sslclient "$P/ca.pem" "$P/issued/client.pem"
mtk_verify client "$P/ca.pem" "$P/issued/client.pem"
expect 0 "client certificate: no finding at all, even as a public one" -- "$M" check "$P/issued/client.pem"
has out "Findings: 0 errors, 0 warnings, 0 notices" "client without --private-pki"

expect 0 "issue RSA server" -- "$M" pki issue "$P" rsa --server --dns rsa.test --key-type rsa-2048 --days 30
has out "(30 days)" "--days"
openssl x509 -in "$P/issued/rsa.pem" -noout -text >"$T/x"
if grep -q "Digital Signature, Key Encipherment" "$T/x"; then ok; else bad "RSA server key usage"; fi
clean "$P/issued/rsa.pem"
ossl_verify sslserver "$P/ca.pem" "$P/issued/rsa.pem"

expect 0 "issue Ed25519 peer" -- "$M" pki issue "$P" peer --server --client --dns peer.test --key-type ed25519
has out "usage      serverAuth, clientAuth" "both usages"
clean "$P/issued/peer.pem"
ossl_verify sslserver "$P/ca.pem" "$P/issued/peer.pem"
ossl_verify sslclient "$P/ca.pem" "$P/issued/peer.pem"

expect 0 "issue --out" -- "$M" pki issue "$P" --client --dns out.test --out "$T/elsewhere"
mode_is "$T/elsewhere-key.pem" 600
clean "$T/elsewhere.pem"

# Refusals of the command line.
expect 2 "issue without --server/--client" -- "$M" pki issue "$P" --dns x.test
has err "--server, --client" "usage named"
expect 2 "issue server without DNS/IP" -- "$M" pki issue "$P" --server --uri spiffe://example.org/x
has err "needs at least one --dns or --ip" "why"
expect 2 "bad DNS name" -- "$M" pki issue "$P" --server --dns under_score.test
has err "'_' is not allowed" "underscore refused"
expect 2 "bad SPIFFE ID" -- "$M" pki issue "$P" --client --uri spiffe://Example.org/x
has err "trust domain" "SPIFFE trust domain refused"
expect 2 "server --days 399" -- "$M" pki issue "$P" --server --dns x.test --days 399
expect 2 "bad key type" -- "$M" pki issue "$P" --server --dns x.test --key-type rsa-1024
expect 2 "bad NAME" -- "$M" pki issue "$P" ../evil --server --dns x.test
expect 2 "no CA" -- "$M" pki issue "$T/nothing" --server --dns x.test
has err "no CA here" "missing CA named"

n=$(wc -l <"$P/index.txt")
if [ "$n" -ge 6 ] && grep -q "^V	[0-9]*Z		[0-9A-F]*	unknown	/CN=localhost$" "$P/index.txt"; then ok; else bad "index.txt ($n lines)"; fi

# --- mtlskit csr ------------------------------------------------------------------------------
expect 0 "csr --new-key" -- sh -c "umask 000; '$M' csr --new-key --dns api.test --ip 10.1.2.3 --server --out '$T/api.csr'"
mode_is "$T/api-key.pem" 600
expect 0 "check CSR" -- "$M" check "$T/api.csr"
has out "Findings: 0 errors, 0 warnings, 0 notices" "CSR is clean even as a public one"
clean "$T/api.csr"
expect 2 "csr refuses to overwrite" -- "$M" csr --new-key --dns api.test --out "$T/api.csr"
has err "$T/api.csr" "refusal names the CSR"
expect 0 "csr --key to stdout" -- "$M" csr --key "$T/api-key.pem" --dns api.test --subject "CN=api.test,O=Example\\, Inc.,C=DE"
has out "BEGIN CERTIFICATE REQUEST" "CSR on stdout"
cp "$T/out" "$T/api2.csr"
clean "$T/api2.csr"
openssl req -in "$T/api2.csr" -noout -verify -subject >"$T/x" 2>&1
has x "C = DE, O = \"Example, Inc.\", CN = api.test" "RFC 4514 subject order"
has x "verify OK" "OpenSSL verifies the CSR"
expect 2 "csr CN not among the names" -- "$M" csr --key "$T/api-key.pem" --dns api.test --subject "CN=other.test"
has err "is not one of the --dns or --ip names" "why"
expect 2 "csr --new-key needs --out" -- "$M" csr --new-key --dns api.test
expect 0 "csr SPIFFE Ed25519" -- "$M" csr --new-key --key-type ed25519 --uri spiffe://example.org/w --client --out "$T/w.csr"
clean "$T/w.csr"

# --- pki sign ---------------------------------------------------------------------------------
expect 0 "sign" -- "$M" pki sign "$P" "$T/api.csr"
has out "issued: CN=api.test" "sign summary"
has out "usage      serverAuth" "usage from the CSR"
clean "$P/issued/api.test.pem"
ossl_verify sslserver "$P/ca.pem" "$P/issued/api.test.pem"
mtk_verify server "$P/ca.pem" "$P/issued/api.test.pem"
expect 2 "sign refuses to overwrite" -- "$M" pki sign "$P" "$T/api.csr"
has err "$P/issued/api.test.pem" "refusal names the file"
expect 0 "sign --client --name" -- "$M" pki sign "$P" "$T/w.csr" --name w
clean "$P/issued/w.pem"
ossl_verify sslclient "$P/ca.pem" "$P/issued/w.pem"

# CSRs made by OpenSSL that the policy refuses (exit 1, with the reason).
openssl req -new -newkey rsa:1024 -nodes -keyout "$T/weak-key.pem" -subj /CN=weak.test -addext subjectAltName=DNS:weak.test -addext extendedKeyUsage=serverAuth -out "$T/weak.csr" 2>/dev/null
expect 1 "sign RSA-1024" -- "$M" pki sign "$P" "$T/weak.csr"
has err "RSA-1024" "weak key named"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca2-key.pem" -subj /CN=ca.test -addext subjectAltName=DNS:ca.test -addext basicConstraints=critical,CA:TRUE -addext extendedKeyUsage=serverAuth -out "$T/ca2.csr" 2>/dev/null
expect 1 "sign CA:TRUE" -- "$M" pki sign "$P" "$T/ca2.csr"
has err "cA TRUE" "CA request named"
openssl req -new -key "$T/ca2-key.pem" -subj /CN=nosan.test -addext extendedKeyUsage=serverAuth -out "$T/nosan.csr" 2>/dev/null
expect 1 "sign without SAN" -- "$M" pki sign "$P" "$T/nosan.csr"
openssl req -new -key "$T/ca2-key.pem" -subj /CN=evil.test -addext subjectAltName=DNS:good.test -addext extendedKeyUsage=serverAuth -out "$T/cn.csr" 2>/dev/null
expect 1 "sign CN not in SAN" -- "$M" pki sign "$P" "$T/cn.csr"
openssl req -in "$T/api.csr" -outform DER -out "$T/api.der" 2>/dev/null
python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[-1]^=1; open(sys.argv[2],"wb").write(b)' "$T/api.der" "$T/badsig.der"
expect 1 "sign bad signature" -- "$M" pki sign "$P" "$T/badsig.der" --name badsig
has err "does not verify" "bad signature named"
[ -e "$P/issued/badsig.pem" ] && bad "a refused CSR left a file" || ok
expect 2 "sign a non-CSR" -- "$M" pki sign "$P" "$P/ca.pem"

# --- an intermediate --------------------------------------------------------------------------
Q=$T/pki2
expect 0 "pki init --intermediate" -- "$M" pki init "$Q" --intermediate
mode_is "$Q/intermediate-key.pem" 600
clean "$Q/ca.pem" "$Q/intermediate.pem"
ossl_verify any "$Q/ca.pem" "$Q/intermediate.pem"
expect 0 "issue via intermediate (server)" -- "$M" pki issue "$Q" server --server --dns localhost --ip 127.0.0.1
expect 0 "issue via intermediate (client)" -- "$M" pki issue "$Q" client --client --uri spiffe://example.org/c
for f in server client; do
  [ "$(count_certs "$Q/issued/$f.pem")" -eq 2 ] && ok || bad "$f.pem holds the leaf and the intermediate"
  clean "$Q/issued/$f.pem"
done
ossl_verify sslserver "$Q/ca.pem" "$Q/intermediate.pem" "$Q/issued/server.pem"
ossl_verify sslclient "$Q/ca.pem" "$Q/intermediate.pem" "$Q/issued/client.pem"
mtk_verify server "$Q/ca.pem" "$Q/intermediate.pem" "$Q/issued/server.pem"
mtk_verify client "$Q/ca.pem" "$Q/intermediate.pem" "$Q/issued/client.pem"
if openssl verify -x509_strict -purpose sslserver -CAfile "$Q/ca.pem" "$Q/issued/server.pem" >/dev/null 2>&1; then
  bad "verified without the intermediate"; else ok; fi

# --- mutual TLS handshakes on loopback --------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# handshake NAME WANT CAFILE SERVER_CERT SERVER_KEY CLIENT_CERT CLIENT_KEY [HOST]
handshake() {
  local what=$1 want=$2 ca=$3 scert=$4 skey=$5 ccert=$6 ckey=$7 host=${8:-localhost} port i attempt
  # Start the server on a free port; retry if another process took the port first.
  for attempt in 1 2 3; do
    port=$(free_port)
    timeout 30 openssl s_server -accept "127.0.0.1:$port" -naccept 1 -cert "$scert" -cert_chain "$scert" -key "$skey" \
      -CAfile "$ca" -Verify 1 -verify_return_error -www >"$T/srv" 2>&1 &
    SERVER_PID=$!
    for i in $(seq 1 100); do grep -q ACCEPT "$T/srv" && break; kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    grep -q ACCEPT "$T/srv" && break
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
  done
  if [ -z "$SERVER_PID" ]; then bad "handshake $what: s_server did not start"; sed 's/^/  | /' "$T/srv" | head -3 >&2; return; fi
  echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername "$host" -verify_hostname "$host" \
    -cert "$ccert" -cert_chain "$ccert" -key "$ckey" -CAfile "$ca" -verify_return_error >"$T/cli" 2>&1
  local rc=$?
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=
  if [ "$want" = ok ]; then
    if [ $rc -eq 0 ] && grep -q "Verify return code: 0 (ok)" "$T/cli" && ! grep -qi "verify error" "$T/srv"; then ok
    else bad "handshake $what (exit $rc)"; sed 's/^/  | /' "$T/srv" "$T/cli" | grep -i "error\|verify\|alert" | head -6 >&2; fi
  else
    if [ $rc -ne 0 ] || grep -qi "verify error\|alert" "$T/srv"; then ok; else bad "handshake $what should fail"; fi
  fi
}

handshake "root-issued" ok "$P/ca.pem" "$P/issued/localhost.pem" "$P/issued/localhost-key.pem" "$P/issued/client.pem" "$P/issued/client-key.pem"
handshake "via intermediate" ok "$Q/ca.pem" "$Q/issued/server.pem" "$Q/issued/server-key.pem" "$Q/issued/client.pem" "$Q/issued/client-key.pem"
handshake "RSA server, Ed25519 client" ok "$P/ca.pem" "$P/issued/rsa.pem" "$P/issued/rsa-key.pem" "$P/issued/peer.pem" "$P/issued/peer-key.pem" rsa.test
# A server-only certificate cannot authenticate a client; another CA's client is refused.
handshake "server cert as client" fail "$P/ca.pem" "$P/issued/localhost.pem" "$P/issued/localhost-key.pem" "$P/issued/rsa.pem" "$P/issued/rsa-key.pem"
handshake "client of another CA" fail "$P/ca.pem" "$P/issued/localhost.pem" "$P/issued/localhost-key.pem" "$Q/issued/client.pem" "$Q/issued/client-key.pem"

# --- help ----------------------------------------------------------------------------------------
expect 0 "pki --help" -- "$M" pki --help
has out "pki init DIR" "subcommands listed"
for c in init issue sign; do
  expect 0 "pki $c --help" -- "$M" pki "$c" --help
  has out "usage: mtlskit pki $c" "pki $c usage line"
  has out "Exit status" "pki $c exit codes"
done
expect 0 "pki issue --help" -- "$M" pki issue --help
has out "2027-03-15" "clientAuth note"
expect 0 "csr --help" -- "$M" csr --help
has out "Exit status" "csr exit codes"
expect 2 "pki unknown subcommand" -- "$M" pki frobnicate
expect 2 "pki without subcommand" -- "$M" pki
expect 0 "main help lists pki and csr" -- "$M" --help
has out "  pki " "pki in the command list"
has out "  csr " "csr in the command list"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
