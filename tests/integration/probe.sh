#!/usr/bin/env bash
# probe.sh: drives `mtlskit probe` against real servers on 127.0.0.1:
# (a) `mtlskit proxy server` with a dev PKI from `mtlskit pki`: an allowed
#     client (exit 0), then refused ones, each with exit 1 and its cause named
#     in text and in --json: no client certificate, a client from another CA,
#     an expired client certificate, one without clientAuth, an identity the
#     access rules do not allow;
# (b) `openssl s_server` configured to fail each way: a server name that does
#     not match, an untrusted chain, an expired server certificate, a server
#     that does not ask for a client certificate while one is given, -Verify
#     with a CA list that does not include ours, a TLS 1.2-only server (fine;
#     refused under --min-tls 1.3), a server that never answers the handshake;
# and a closed port, bad arguments (exit 2, the file named), --help.
# Every wait is bounded; everything is on 127.0.0.1.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
. "$(dirname "${BASH_SOURCE[0]}")/tools/common.bash"

# wait_port PORT: until something accepts on 127.0.0.1:PORT (bounded, 10 s).
wait_port() {
  local i
  for ((i = 0; i < 200; i++)); do
    python3 -c "import socket;socket.create_connection(('127.0.0.1',$1),1).close()" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
wait_for() {
  local i
  for ((i = 0; i < 200; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
# probe EXPECTED_RC NAME ARGS...: runs the probe twice (text, --json) with a
# hard bound; keeps $T/NAME.txt and $T/NAME.json; checks both exit codes.
probe() {
  local want=$1 name=$2
  shift 2
  timeout 30 "$M" probe "$@" >"$T/$name.txt" 2>"$T/$name.err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else bad "$name: exit $rc, want $want"; cat "$T/$name.txt" "$T/$name.err" >&2; fi
  timeout 30 "$M" probe "$@" --json >"$T/$name.json" 2>"$T/$name.jerr"
  rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else bad "$name --json: exit $rc, want $want"; fi
}
# jq-like: json NAME EXPR -> prints the Python expression over the document d
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$T/$1.json" 2>/dev/null; }
# has_problem NAME ID: the problem id is in the text and in the JSON problems
has_problem() {
  grep -q "\[$2\]" "$T/$1.txt" || { echo "  $1: [$2] not in the text output" >&2; return 1; }
  [ "$(json "$1" "any(p['id']=='$2' for p in d['problems'])")" = True ] ||
    { echo "  $1: $2 not in the JSON problems" >&2; return 1; }
}
# has_cause NAME CAUSE: the refusal cause in the text and the JSON
has_cause() {
  grep -q "likely cause $2" "$T/$1.txt" || { echo "  $1: cause $2 not in the text" >&2; return 1; }
  [ "$(json "$1" "d['client']['refusal']['cause']")" = "$2" ] ||
    { echo "  $1: JSON cause is $(json "$1" "d['client']['refusal']")" >&2; return 1; }
}

# ---- PKI ---------------------------------------------------------------------------------
P=$T/pki
Q=$T/other
"$M" pki init "$P" >/dev/null || { echo "pki init failed"; exit 1; }
"$M" pki init "$Q" >/dev/null || exit 1
"$M" pki issue "$P" --server --dns localhost --ip 127.0.0.1 >/dev/null || exit 1
"$M" pki issue "$P" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
"$M" pki issue "$P" db --client --uri spiffe://example.org/ns/prod/sa/db >/dev/null || exit 1
"$M" pki issue "$P" srvonly --server --dns client.example.org >/dev/null || exit 1
"$M" pki issue "$Q" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
"$M" pki issue "$Q" --server --dns localhost --ip 127.0.0.1 >/dev/null || exit 1
I=$P/issued

# Expired certificates (client and server) from `openssl ca` with this CA's key:
# `mtlskit pki` cannot back-date. Fixed past dates: they never start to pass.
C2=$T/ca2
mkdir -p "$C2"
cat >"$C2/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $C2/index.txt
new_certs_dir = $C2
certificate = $P/ca.pem
private_key = $P/ca-key.pem
serial = $C2/serial
default_md = sha256
policy = p
copy_extensions = none
unique_subject = no
[p]
commonName = supplied
[cli]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = URI:spiffe://example.org/ns/prod/sa/web
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[req]
distinguished_name = dn
prompt = no
[dn]
CN = web
CNF
: >"$C2/index.txt"
openssl rand -hex 16 >"$C2/serial"
ca2() { openssl ca -batch -config "$C2/ca.cnf" -notext "$@" >/dev/null 2>&1; }
if openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C2/k.pem" \
     -config "$C2/ca.cnf" -out "$C2/r.csr" >/dev/null 2>&1 &&
   ca2 -extensions cli -in "$C2/r.csr" -out "$C2/expired.pem" -startdate 20200101000000Z -enddate 20200201000000Z &&
   ca2 -extensions srv -in "$C2/r.csr" -out "$C2/srv-expired.pem" -startdate 20200101000000Z -enddate 20200201000000Z; then
  ok
else
  bad "openssl ca could not make the expired certificates"
fi

# ---- usage --------------------------------------------------------------------------------
"$M" probe --help >"$T/help" 2>&1
check [ $? -eq 0 ]
check grep -q "Exit status" "$T/help"
check grep -q -- "--servername SNI" "$T/help"
"$M" help probe >/dev/null 2>&1
check [ $? -eq 0 ]
usage2() { # NAME PATTERN ARGS...: exit 2 and PATTERN on stderr
  local name=$1 pat=$2
  shift 2
  timeout 10 "$M" probe "$@" >/dev/null 2>"$T/err"
  local rc=$?
  cat "$T/err" >>"$T/usage.err"
  if [ "$rc" -eq 2 ]; then ok; else bad "$name: exit $rc, want 2"; fi
  if grep -q -- "$pat" "$T/err"; then ok; else bad "$name: '$pat' not in: $(cat "$T/err")"; fi
}
usage2 "no target" "HOST:PORT"
usage2 "no port" "HOST:PORT" localhost
usage2 "bad port" "port" localhost:99999
usage2 "v6 without brackets" "brackets" ::1:443
usage2 "unknown option" "unknown option" 127.0.0.1:1 --frobnicate
usage2 "cert without key" "go together" 127.0.0.1:1 --cert "$I/web.pem"
usage2 "missing ca" "$T/nope.pem" 127.0.0.1:1 --ca "$T/nope.pem"
usage2 "missing cert" "$T/nope.pem" 127.0.0.1:1 --ca "$P/ca.pem" --cert "$T/nope.pem" --key "$I/web-key.pem"
echo "not a certificate" >"$T/garbage.pem"
usage2 "garbage ca" "$T/garbage.pem" 127.0.0.1:1 --ca "$T/garbage.pem"
usage2 "garbage cert" "$T/garbage.pem" 127.0.0.1:1 --ca "$P/ca.pem" --cert "$T/garbage.pem" --key "$I/web-key.pem"
usage2 "key mismatch" "does not match" 127.0.0.1:1 --ca "$P/ca.pem" --cert "$I/web.pem" --key "$I/db-key.pem"
usage2 "bad name" "--name" 127.0.0.1:1 --ca "$P/ca.pem" --name 'bad name!'
usage2 "bad ip" "--ip" 127.0.0.1:1 --ca "$P/ca.pem" --ip 300.1.1.1
usage2 "bad min-tls" "min-tls" 127.0.0.1:1 --min-tls 1.1
usage2 "bad timeout" "timeout" 127.0.0.1:1 --timeout -3
usage2 "bad settle" "settle" 127.0.0.1:1 --settle x

# ---- a closed port ---------------------------------------------------------------------------
CLOSED=$(free_port)
probe 1 closed "127.0.0.1:$CLOSED" --ca "$P/ca.pem"
check has_problem closed connect_failed
check grep -q "Connection refused" "$T/closed.txt"
check [ "$(json closed "d['stage']")" = connect ]

# ---- (a) mtlskit proxy server ---------------------------------------------------------------
cat >"$T/echo.py" <<'EOF'
import socketserver, sys
class H(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            d = self.request.recv(65536)
            if not d: break
            self.request.sendall(d)
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
EP=$(free_port)
python3 "$T/echo.py" "$EP" 2>/dev/null & PIDS+=($!)
check wait_port "$EP"
PP=$(free_port)
"$M" proxy server --listen "127.0.0.1:$PP" --target "127.0.0.1:$EP" --cert "$I/localhost.pem" \
  --key "$I/localhost-key.pem" --ca "$P/ca.pem" --allow-uri 'spiffe://example.org/ns/prod/sa/web' \
  --workers 1 2>"$T/proxy.log" &
PIDS+=($!)
check wait_for "$T/proxy.log" '"event":"start"'

probe 0 allowed "localhost:$PP" --ca "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem"
check grep -q "verdict: OK" "$T/allowed.txt"
check grep -q "TLSv1.3" "$T/allowed.txt"
check grep -q "matched by DNS:localhost" "$T/allowed.txt"
check grep -q "its issuer is in the server's CA list" "$T/allowed.txt"
check [ "$(json allowed "d['ok'], d['client']['requested'], d['client']['sent'], d['client']['accepted']")" = "True True True True" ]
check [ "$(json allowed "d['server']['verification']['valid'], d['server']['identity']['matched'], d['tls']['version']")" = "True True TLSv1.3" ]
check [ "$(json allowed "len(d['server']['chain']), d['server']['chain'][0]['issuer_matches_next']")" = "2 True" ]
check [ "$(json allowed "d['client']['ca_names'][0].startswith('CN=mtlskit development CA')")" = True ]
check [ "$(json allowed "d['schema'], d['problems']")" = "mtlskit.probe/1 []" ]
# an IP host is an IP reference
probe 0 allowed_ip "127.0.0.1:$PP" --ca "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem"
check grep -q "ip:127.0.0.1: OK, matched by IP:127.0.0.1" "$T/allowed_ip.txt"
probe 0 allowed_sni "localhost:$PP" --ca "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem" --servername localhost

probe 1 nocert "localhost:$PP" --ca "$P/ca.pem" --settle 10
check has_problem nocert client_cert_required
check has_cause nocert no_certificate_sent
check [ "$(json nocert "d['tls']['alert']['name']")" = certificate_required ]

probe 1 otherca "localhost:$PP" --ca "$P/ca.pem" --cert "$Q/issued/web.pem" --key "$Q/issued/web-key.pem" --settle 10
check has_problem otherca client_cert_refused
check has_cause otherca wrong_ca
check [ "$(json otherca "d['tls']['alert']['name']")" = unknown_ca ]
check grep -q "its issuer is NOT in the server's CA list" "$T/otherca.txt"
check [ "$(json otherca "d['client']['issuer_listed'], d['client']['accepted']")" = "False False" ]

if [ -s "$C2/expired.pem" ]; then
  probe 1 expired "localhost:$PP" --ca "$P/ca.pem" --cert "$C2/expired.pem" --key "$C2/k.pem" --settle 10
  check has_problem expired client_cert_refused
  check has_cause expired expired
check [ "$(json expired "d['tls']['alert']['name']")" = certificate_expired ]
  check [ "$(json expired "d['client']['certificate']['validity']")" = expired ]
fi

probe 1 noeku "localhost:$PP" --ca "$P/ca.pem" --cert "$I/srvonly.pem" --key "$I/srvonly-key.pem" --settle 10
check has_cause noeku missing_client_auth_eku
check [ "$(json noeku "d['tls']['alert']['name']")" = unsupported_certificate ]

# refusals come in TLS 1.3 after the handshake: a long --settle is cut short by the alert
# (each probe() runs twice)
start=$(date +%s)
probe 1 notallowed "localhost:$PP" --ca "$P/ca.pem" --cert "$I/db.pem" --key "$I/db-key.pem" --settle 10
end=$(date +%s)
if [ $((end - start)) -le 8 ]; then ok; else bad "refusal with --settle 10 took $((end - start)) s"; fi
check has_cause notallowed identity_not_allowed
check [ "$(json notallowed "d['client']['refusal']['alert'], d['client']['refusal']['ambiguous']")" = "handshake_failure True" ]

# a proxy whose backend is down: it completes the handshake, then closes
# without an alert: reported as a warning, accepted unknown
DEAD=$(free_port)
PD=$(free_port)
"$M" proxy server --listen "127.0.0.1:$PD" --target "127.0.0.1:$DEAD" --cert "$I/localhost.pem" \
  --key "$I/localhost-key.pem" --ca "$P/ca.pem" --allow-uri 'spiffe://example.org/ns/prod/sa/web' \
  --workers 1 2>"$T/proxy-dead.log" &
PDX=$!
PIDS+=($PDX)
check wait_for "$T/proxy-dead.log" '"event":"start"'
probe 0 deadbackend "localhost:$PD" --ca "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem"
check has_problem deadbackend closed_after_handshake
check [ "$(json deadbackend "d['client']['accepted'], d['problems'][0]['severity']")" = "None warning" ]
kill "$PDX" 2>/dev/null

# ---- (b) openssl s_server ----------------------------------------------------------------------
# s_server PORT ARGS...: starts one in the background and waits for it.
s_server() {
  local port=$1
  shift
  openssl s_server -accept "127.0.0.1:$port" -quiet "$@" </dev/null >/dev/null 2>&1 &
  SP=$!
  PIDS+=($SP)
  wait_port "$port" || bad "s_server $* did not start"
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
SRV=(-cert "$I/localhost.pem" -key "$I/localhost-key.pem")
WEB=(--cert "$I/web.pem" --key "$I/web-key.pem")

# requires our certificate (-Verify) from our CA: all good
port=$(free_port)
s_server "$port" "${SRV[@]}" -Verify 1 -verify_return_error -CAfile "$P/ca.pem"
probe 0 ss_ok "localhost:$port" --ca "$P/ca.pem" "${WEB[@]}"
# the name asked for is not in the server certificate
probe 1 ss_name "localhost:$port" --ca "$P/ca.pem" "${WEB[@]}" --name other.example.org
check has_problem ss_name server_name_mismatch
check grep -q "DNS:localhost: no match, different name" "$T/ss_name.txt"
check [ "$(json ss_name "d['server']['identity']['items'][0]['reason']")" = different_name ]
# an untrusted chain (we trust another CA)
probe 1 ss_untrusted "localhost:$port" --ca "$Q/ca.pem" "${WEB[@]}"
check has_problem ss_untrusted server_chain_untrusted
check [ "$(json ss_untrusted "d['server']['verification']['valid']")" = False ]
# without --ca: the system store, which does not know a dev CA
if [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  probe 1 ss_system "localhost:$port" "${WEB[@]}"
  check has_problem ss_system server_chain_untrusted
  check [ "$(json ss_system "d['server']['verification']['trust']")" = /etc/ssl/certs/ca-certificates.crt ]
fi
stop "$SP"

# an expired server certificate
if [ -s "$C2/srv-expired.pem" ]; then
  port=$(free_port)
  s_server "$port" -cert "$C2/srv-expired.pem" -key "$C2/k.pem"
  probe 1 ss_expired "localhost:$port" --ca "$P/ca.pem"
  check has_problem ss_expired server_cert_expired
  check [ "$(json ss_expired "d['server']['chain'][0]['validity']")" = expired ]
  stop "$SP"
fi

# a server that does not ask for a client certificate while we give one
port=$(free_port)
s_server "$port" "${SRV[@]}" -cert_chain "$P/ca.pem"
probe 1 ss_noreq "localhost:$port" --ca "$P/ca.pem" "${WEB[@]}"
check has_problem ss_noreq client_cert_not_requested
check [ "$(json ss_noreq "d['client']['requested'], d['client']['sent']")" = "False False" ]
# without --cert the same server is fine
probe 0 ss_plain "localhost:$port" --ca "$P/ca.pem"
stop "$SP"

# optional client certificates (-verify), none given: a warning, exit 0; and a
# chain sent out of order (an unrelated CA after the leaf): a warning
port=$(free_port)
s_server "$port" "${SRV[@]}" -verify 1 -CAfile "$P/ca.pem" -cert_chain "$Q/ca.pem"
probe 0 ss_optional "localhost:$port" --ca "$P/ca.pem"
check has_problem ss_optional client_cert_optional
check has_problem ss_optional server_chain_order
check [ "$(json ss_optional "d['client']['requested'], d['server']['chain'][0]['issuer_matches_next'], d['errors']")" = "True False 0" ]
stop "$SP"

# -Verify with a CA list that does not include ours
port=$(free_port)
s_server "$port" "${SRV[@]}" -Verify 1 -verify_return_error -CAfile "$Q/ca.pem"
probe 1 ss_wrongca "localhost:$port" --ca "$P/ca.pem" "${WEB[@]}" --settle 10
check has_cause ss_wrongca wrong_ca
check [ "$(json ss_wrongca "d['client']['issuer_listed']")" = False ]
stop "$SP"

# TLS 1.2 only: fine, and refused under --min-tls 1.3
port=$(free_port)
s_server "$port" "${SRV[@]}" -Verify 1 -verify_return_error -CAfile "$P/ca.pem" -tls1_2
probe 0 ss_tls12 "localhost:$port" --ca "$P/ca.pem" "${WEB[@]}"
check grep -q "TLSv1.2" "$T/ss_tls12.txt"
check [ "$(json ss_tls12 "d['tls']['version'], d['client']['accepted']")" = "TLSv1.2 True" ]
probe 1 ss_min13 "localhost:$port" --ca "$P/ca.pem" "${WEB[@]}" --min-tls 1.3
check has_problem ss_min13 handshake_refused
check [ "$(json ss_min13 "d['tls']['alert']['name']")" = protocol_version ]
# TLS 1.2 refusal inside the handshake: a client from another CA
probe 1 ss_tls12_other "localhost:$port" --ca "$P/ca.pem" --cert "$Q/issued/web.pem" --key "$Q/issued/web-key.pem"
check has_cause ss_tls12_other wrong_ca
check [ "$(json ss_tls12_other "d['tls']['handshake'], d['tls']['alert']['after_handshake']")" = "False False" ]
stop "$SP"

# a plaintext server (not TLS): the handshake fails with a clear message
port=$(free_port)
python3 -c "
import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1',$port)); s.listen(8); s.settimeout(1)
end=time.time()+30
while time.time()<end:
  try: c=s.accept()[0]
  except Exception: continue
  c.sendall(b'HTTP/1.0 400 Bad Request\\r\\n\\r\\n' + bytes(range(256))*4); c.close()" &
PL=$!
PIDS+=($PL)
check wait_port "$port"
probe 1 plaintext "127.0.0.1:$port" --ca "$P/ca.pem" --timeout 5
check has_problem plaintext handshake_failed
check [ "$(json plaintext "d['stage'], d['server']['chain'], d['client']['requested']")" = "handshake [] None" ]
check grep -q "wrong version number" "$T/plaintext.txt"
stop "$PL"

# a server that accepts TCP and never answers: bounded by --timeout
port=$(free_port)
python3 -c "
import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1',$port)); s.listen(8)
c=[]
end=time.time()+30
while time.time()<end:
  s.settimeout(1)
  try: c.append(s.accept()[0])
  except Exception: pass" &
SL=$!
PIDS+=($SL)
check wait_port "$port"
start=$(date +%s)
probe 1 silent "127.0.0.1:$port" --ca "$P/ca.pem" --timeout 1
end=$(date +%s)
check has_problem silent handshake_timeout
if [ $((end - start)) -le 8 ]; then ok; else bad "silent server: took $((end - start)) s"; fi
stop "$SL"

# no sanitizer report (ASan/UBSan builds) in any run
if grep -l "Sanitizer\|runtime error" "$T"/*.err "$T"/*.jerr >/dev/null 2>&1; then
  bad "sanitizer report: $(grep -l "Sanitizer\|runtime error" "$T"/*.err "$T"/*.jerr)"
else ok; fi
# every --json output is one valid JSON document with the schema
for f in "$T"/*.json; do
  if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['schema']=='mtlskit.probe/1'" "$f" 2>/dev/null; then ok; else bad "$f: not mtlskit.probe/1 JSON"; fi
done

echo "probe.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
