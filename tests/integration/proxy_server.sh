#!/usr/bin/env bash
# proxy_server.sh: drives `mtlskit proxy server` on 127.0.0.1 with real
# peers: a dev PKI from `mtlskit pki`, a python3 echo backend and an HTTP
# backend, `openssl s_client`, `curl --cert`, and a small python3 TLS client
# (written below) for bulk data and many connections. Checks: refusal to start
# without an access rule, --test-config, an allowed client (echo, HTTP), the
# refused ones (no certificate, untrusted CA, identity not allowed,
# serverAuth-only EKU, expired, not yet valid, revoked by CRL, TLS 1.1, TLS 1.2
# under --min-tls 1.3) each with its log reason, SHA-256 of 16 MiB echoed,
# garbage, a slow handshake, a client that resets mid-stream, a backend that
# refuses or resets, half-close both ways, --max-conns back-pressure, fd count
# after 200 connections, graceful drain on SIGTERM, the --status listener
# (/healthz, /metrics with the refusals exercised, 503 while draining), every
# log line valid JSON, --proxy-protocol (a python3 backend decodes the PROXY
# v2 header: addresses, CN, client certificate, identity; TCP and unix:
# clients), hot reload (SIGHUP and file change swap the certificate under a
# live connection; a broken file keeps the old one), --session-tickets
# (resumption on either worker; a reload or the lifetime voids tickets; the
# checks run again), a port in use refused, port 0, an RSA server and client
# (TLS 1.3 and 1.2), no sanitizer report.
# Every wait is bounded; everything is on 127.0.0.1.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
. "$(dirname "${BASH_SOURCE[0]}")/tools/common.bash"

# wait_for FILE PATTERN [SECONDS]: until PATTERN is in FILE (bounded).
wait_for() {
  local i n=$(( ${3:-10} * 20 ))
  for ((i = 0; i < n; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
# wait_more FILE PATTERN N: until PATTERN occurs more than N times (bounded).
wait_more() {
  local i
  for ((i = 0; i < 200; i++)); do
    [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -gt "$3" ] && return 0
    sleep 0.05
  done
  return 1
}
# log_count FILE PATTERN
log_count() { grep -c -- "$2" "$1" 2>/dev/null || true; }

# ---- PKI ------------------------------------------------------------------------------
P=$T/pki
Q=$T/other
"$M" pki init "$P" >/dev/null || { echo "pki init failed"; exit 1; }
"$M" pki init "$Q" >/dev/null || exit 1
"$M" pki issue "$P" --server --dns localhost --ip 127.0.0.1 >/dev/null || exit 1
"$M" pki issue "$P" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
"$M" pki issue "$P" db --client --uri spiffe://example.org/ns/prod/sa/db >/dev/null || exit 1
"$M" pki issue "$P" srvonly --server --dns client.example.org >/dev/null || exit 1
"$M" pki issue "$Q" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
I=$P/issued
# Expired, not-yet-valid and revoked client certificates come from `openssl
# ca` with this CA's key further down (`mtlskit pki` cannot back-date).

# ---- helpers: backends and a TLS client -------------------------------------------------
cat >"$T/echo.py" <<'EOF'
import socket, socketserver, sys
class H(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            d = self.request.recv(65536)
            if not d: break
            self.request.sendall(d)
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
cat >"$T/tlsc.py" <<'EOF'
import argparse, hashlib, select, socket, ssl, sys, time
ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("--ca"); ap.add_argument("--cert"); ap.add_argument("--key")
ap.add_argument("--file"); ap.add_argument("--msg", default="ping\n")
ap.add_argument("--count", type=int, default=1)
ap.add_argument("--pause", type=float, default=0)
ap.add_argument("--timeout", type=float, default=10)
a = ap.parse_args()
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(a.ca)
if a.cert: ctx.load_cert_chain(a.cert, a.key)
data = open(a.file, "rb").read() if a.file else a.msg.encode()
def recv_n(s, got, n):
    while len(got) < n:
        d = s.recv(65536)
        if not d: raise EOFError("eof")
        got += d
    return got
def one():
    raw = socket.create_connection(("127.0.0.1", a.port), timeout=a.timeout)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    if a.pause:
        h = len(data) // 2
        s.sendall(data[:h]); got = recv_n(s, b"", h)
        print("half", flush=True)
        time.sleep(a.pause); s.sendall(data[h:]); got = recv_n(s, got, len(data))
    else:
        s.setblocking(False); sent = 0; got = bytearray(); end = time.time() + a.timeout
        while len(got) < len(data):
            if time.time() > end: raise TimeoutError("timeout")
            r, w, _ = select.select([s], [s] if sent < len(data) else [], [], 0.5)
            if w:
                try: sent += s.send(data[sent:sent + 65536])
                except (ssl.SSLWantWriteError, ssl.SSLWantReadError): pass
            while True:
                try: d = s.recv(65536)
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError): break
                if not d: raise EOFError("eof")
                got += d
        s.setblocking(True)
    try: s.unwrap()
    except Exception: pass
    s.close()
    return bytes(got)
try:
    for _ in range(a.count): got = one()
except Exception as e:
    print("ERR", type(e).__name__, e); sys.exit(1)
print(hashlib.sha256(got).hexdigest())
EOF
tlsc() { timeout 30 python3 "$T/tlsc.py" "$@"; }

EP=$(free_port)
python3 "$T/echo.py" "$EP" 2>/dev/null & PIDS+=($!)
mkdir -p "$T/www"
echo "hello over mtls $RANDOM" >"$T/www/index.txt"
HP=$(free_port)
(cd "$T/www" && exec python3 -m http.server --bind 127.0.0.1 "$HP" >/dev/null 2>&1) & PIDS+=($!)

COMMON=(--cert "$I/localhost.pem" --key "$I/localhost-key.pem" --ca "$P/ca.pem")

# ---- configuration ------------------------------------------------------------------------
"$M" proxy server --listen 127.0.0.1:1 --target 127.0.0.1:2 "${COMMON[@]}" >"$T/out" 2>"$T/err"
check [ $? -eq 2 ]
check grep -q -- "--allow-any-verified" "$T/err"
"$M" proxy server --listen 127.0.0.1:1 --target 127.0.0.1:2 "${COMMON[@]}" --allow-uri 'spiffe://example.org/ns/*/sa/web' --test-config >"$T/out" 2>"$T/err"
check [ $? -eq 0 ]
check grep -q "config OK" "$T/out"
"$M" proxy server --listen 127.0.0.1:1 --target 127.0.0.1:2 "${COMMON[@]}" --allow-any-verified --min-tls 1.1 --test-config >/dev/null 2>&1
check [ $? -eq 2 ]
"$M" proxy server --listen 127.0.0.1:1 --target 127.0.0.1:2 "${COMMON[@]}" --allow-uri 'spiffe://bad/../x' --test-config >/dev/null 2>"$T/err"
check [ $? -eq 2 ]
"$M" proxy server --listen 127.0.0.1:1 --target 127.0.0.1:2 --cert "$I/localhost.pem" --key "$I/web-key.pem" --ca "$P/ca.pem" --allow-any-verified --test-config >/dev/null 2>"$T/err"
check [ $? -eq 2 ]

# ---- the proxy in front of the echo backend -------------------------------------------------
PP=$(free_port)
SP=$(free_port)
LOG=$T/proxy.log
"$M" proxy server --listen "127.0.0.1:$PP" --target "127.0.0.1:$EP" "${COMMON[@]}" \
  --allow-uri 'spiffe://example.org/ns/*/sa/web' --workers 2 --handshake-timeout 1 \
  --status "127.0.0.1:$SP" 2>"$LOG" &
PX=$!
PIDS+=($PX)
check wait_for "$LOG" '"event":"start"'
for ((i = 0; i < 50; i++)); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$EP),1)" 2>/dev/null && break; sleep 0.1; done
WEB=(--ca "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem")

# allowed: openssl s_client, echo roundtrip
(echo "hello through the proxy"; sleep 0.5) |
  timeout 10 openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$PP" -cert "$I/web.pem" \
    -key "$I/web-key.pem" -CAfile "$P/ca.pem" >"$T/out" 2>/dev/null
check grep -qx "hello through the proxy" "$T/out"
check wait_for "$LOG" '"verdict":"allowed"'
check wait_for "$LOG" '"identity":"spiffe://example.org/ns/prod/sa/web"'

# refused: each with its reason
refused() { # WHAT REASON tlsc-args...
  local what=$1 reason=$2
  shift 2
  local before
  before=$(log_count "$LOG" "\"reason\":\"$reason\"")
  if tlsc "$PP" "$@" >"$T/out" 2>&1; then bad "$what: got through"; else ok; fi
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(log_count "$LOG" "\"reason\":\"$reason\"")" -gt "$before" ] && break
    sleep 0.05
  done
  if [ "$i" -lt 100 ]; then ok; else bad "$what: no log line with reason $reason"; fi
}
refused "no certificate" no_client_cert --ca "$P/ca.pem"
refused "untrusted CA" untrusted --ca "$P/ca.pem" --cert "$Q/issued/web.pem" --key "$Q/issued/web-key.pem"
refused "identity not allowed" not_allowed --ca "$P/ca.pem" --cert "$I/db.pem" --key "$I/db-key.pem"
check grep -q '"identity":"spiffe://example.org/ns/prod/sa/db","verdict":"refused","reason":"not_allowed"' "$LOG"
refused "serverAuth-only" eku --ca "$P/ca.pem" --cert "$I/srvonly.pem" --key "$I/srvonly-key.pem"
# TLS 1.1 is never spoken
if timeout 10 openssl s_client -tls1_1 -connect "127.0.0.1:$PP" -cert "$I/web.pem" -key "$I/web-key.pem" -CAfile "$P/ca.pem" </dev/null >/dev/null 2>&1; then bad "TLS 1.1 accepted"; else ok; fi

# data integrity: 16 MiB each way
head -c 16777216 /dev/urandom >"$T/blob"
want=$(sha256sum <"$T/blob" | cut -d' ' -f1)
got=$(tlsc "$PP" "${WEB[@]}" --file "$T/blob" --timeout 25)
check [ "$got" = "$want" ]
check wait_for "$LOG" '"bytes_in":16777216,"bytes_out":16777216'

# garbage instead of a ClientHello: closed and logged
before=$(log_count "$LOG" '"reason":"tls_error"')
timeout 5 python3 -c "
import socket; s=socket.create_connection(('127.0.0.1',$PP),3); s.sendall(b'GET / HTTP/1.0\r\n\r\n'*3)
try:
  print(len(s.recv(100)))
except Exception as e: print(0)" >"$T/out" 2>&1
check wait_more "$LOG" '"reason":"tls_error"' "$before"
# no check refused it: the verdict is "failed", not "refused"
check grep -q '"verdict":"failed","reason":"tls_error"' "$LOG"

# a slow handshake: nothing sent, closed after --handshake-timeout 1
timeout 5 python3 -c "
import socket; s=socket.create_connection(('127.0.0.1',$PP),3); s.settimeout(4)
print('closed' if s.recv(10)==b'' else 'data')" >"$T/out" 2>&1
check grep -q closed "$T/out"
check wait_for "$LOG" '"verdict":"failed","reason":"handshake_timeout"'

# a client that vanishes mid-stream (RST) is logged and cleaned up
timeout 10 python3 - "$PP" "$P/ca.pem" "$I/web.pem" "$I/web-key.pem" <<'EOF'
import socket, ssl, struct, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.load_verify_locations(sys.argv[2])
ctx.load_cert_chain(sys.argv[3], sys.argv[4])
raw = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s = ctx.wrap_socket(raw, server_hostname="localhost")
s.sendall(b"x" * 100000)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
EOF
check wait_for "$LOG" '"reason":"client_\(reset\|closed\)"'

# fd count back to baseline after 200 sequential connections
sleep 0.2
fd0=$(ls "/proc/$PX/fd" | wc -l)
n0=$(log_count "$LOG" '"event":"conn"')
got=$(tlsc "$PP" "${WEB[@]}" --count 200 --timeout 20)
check [ "$got" = "$(printf 'ping\n' | sha256sum | cut -d' ' -f1)" ]
for ((i = 0; i < 100; i++)); do
  [ "$(log_count "$LOG" '"event":"conn"')" -ge $((n0 + 200)) ] && break
  sleep 0.05
done
fd1=$(ls "/proc/$PX/fd" | wc -l)
if [ "$fd1" -le "$fd0" ]; then ok; else bad "fd count $fd0 -> $fd1 after 200 connections"; fi

# --status: /healthz, and /metrics with what the tests above did
check [ "$(timeout 5 curl -sS "http://127.0.0.1:$SP/healthz")" = "ok" ]
timeout 5 curl -sS "http://127.0.0.1:$SP/metrics" >"$T/metrics" 2>&1
# metric NAME{LABELS} -> its value (0 when absent)
metric() { awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' "$T/metrics"; }
ge() { [ "$(metric "$1")" -ge "$2" ] 2>/dev/null || { echo "  $1 = $(metric "$1"), want >= $2" >&2; return 1; }; }
check grep -q '^# TYPE mtlskit_connections_total counter' "$T/metrics"
check ge mtlskit_connections_total 200
check ge 'mtlskit_handshakes_total{result="ok"}' 200
check ge 'mtlskit_handshakes_total{result="refused"}' 4
check ge 'mtlskit_handshakes_total{result="failed"}' 2
for r in identity no_cert untrusted eku garbage timeout; do
  check ge "mtlskit_refusals_total{reason=\"$r\"}" 1
done
check ge mtlskit_bytes_in_total 16777216
check ge mtlskit_bytes_out_total 16777216
check ge 'mtlskit_handshake_duration_seconds_bucket{le="+Inf"}' 200
check grep -q '^mtlskit_handshake_duration_seconds_sum ' "$T/metrics"
check grep -q '^mtlskit_connections_active ' "$T/metrics"
if timeout 5 curl -sS "http://127.0.0.1:$SP/nothing" -o /dev/null -w '%{http_code}' | grep -q 404; then ok; else bad "status: /nothing is not 404"; fi

# graceful drain: an in-flight connection finishes, new ones are refused, exit 0
: >"$T/drain.out"
tlsc "$PP" "${WEB[@]}" --msg "first half, second half" --pause 1 >"$T/drain.out" 2>&1 &
CL=$!
for ((i = 0; i < 100; i++)); do grep -q half "$T/drain.out" && break; sleep 0.05; done
kill -TERM "$PX"
sleep 0.3
if python3 -c "import socket;socket.create_connection(('127.0.0.1',$PP),1)" 2>/dev/null; then bad "accepting while draining"; else ok; fi
# /healthz says 503 while the in-flight connection drains (when still up)
code=$(timeout 5 curl -s -o "$T/hz" -w '%{http_code}' "http://127.0.0.1:$SP/healthz")
if grep -q '"event":"stop"' "$LOG"; then ok; # already gone: not observable
elif [ "$code" = 503 ] && grep -q draining "$T/hz"; then ok; else bad "healthz while draining: $code"; fi
check wait_for "$LOG" '"event":"drain","signal":"SIGTERM"'
wait "$CL"
check [ $? -eq 0 ]
check grep -q "$(printf 'first half, second half' | sha256sum | cut -d' ' -f1)" "$T/drain.out"
rc=0
for ((i = 0; i < 100; i++)); do kill -0 "$PX" 2>/dev/null || break; sleep 0.05; done
wait "$PX"
rc=$?
check [ "$rc" -eq 0 ]
check grep -q '"event":"stop"' "$LOG"

# ---- a backend that refuses, and --max-conns back-pressure -----------------------------------
DEAD=$(free_port)
PP2=$(free_port)
LOG2=$T/proxy2.log
"$M" proxy server --listen "127.0.0.1:$PP2" --target "127.0.0.1:$DEAD" "${COMMON[@]}" \
  --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 1 2>"$LOG2" &
PX2=$!
PIDS+=($PX2)
check wait_for "$LOG2" '"event":"start"'
if tlsc "$PP2" "${WEB[@]}" >/dev/null 2>&1; then bad "dead backend: data came back"; else ok; fi
check wait_for "$LOG2" '"reason":"backend_connect"'
kill -TERM "$PX2"
wait "$PX2"
check [ $? -eq 0 ]

PP3=$(free_port)
LOG3=$T/proxy3.log
"$M" proxy server --listen "127.0.0.1:$PP3" --target "127.0.0.1:$EP" "${COMMON[@]}" \
  --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 2 --max-conns 1 2>"$LOG3" &
PX3=$!
PIDS+=($PX3)
check wait_for "$LOG3" '"event":"start"'
: >"$T/hold.out"
tlsc "$PP3" "${WEB[@]}" --msg "hold on" --pause 2 >"$T/hold.out" 2>&1 &
H1=$!
for ((i = 0; i < 100; i++)); do grep -q half "$T/hold.out" && break; sleep 0.05; done
# the second connection waits (not accepted) while the first holds the only slot
if tlsc "$PP3" "${WEB[@]}" --timeout 1 >/dev/null 2>&1; then bad "max-conns: second connection served at once"; else ok; fi
wait "$H1"
check [ $? -eq 0 ]
got=$(tlsc "$PP3" "${WEB[@]}" --timeout 5)
check [ "$got" = "$(printf 'ping\n' | sha256sum | cut -d' ' -f1)" ]
kill -TERM "$PX3"
wait "$PX3"
check [ $? -eq 0 ]

# ---- curl through the proxy to an HTTP backend ----------------------------------------------
PP4=$(free_port)
LOG4=$T/proxy4.log
"$M" proxy server --listen "127.0.0.1:$PP4" --target "127.0.0.1:$HP" "${COMMON[@]}" \
  --allow-uri 'spiffe://example.org/ns/prod/sa/web' --min-tls 1.3 2>"$LOG4" &
PX4=$!
PIDS+=($PX4)
check wait_for "$LOG4" '"event":"start"'
timeout 10 curl -sS --cacert "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem" \
  "https://127.0.0.1:$PP4/index.txt" >"$T/out" 2>"$T/err"
check cmp -s "$T/out" "$T/www/index.txt"
if timeout 10 curl -sS --cacert "$P/ca.pem" --cert "$I/db.pem" --key "$I/db-key.pem" \
  "https://127.0.0.1:$PP4/index.txt" >/dev/null 2>&1; then bad "curl with a refused identity got through"; else ok; fi
check wait_for "$LOG4" '"reason":"not_allowed"'
if timeout 10 curl -sS --tls-max 1.2 --cacert "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem" \
  "https://127.0.0.1:$PP4/index.txt" >/dev/null 2>&1; then bad "--min-tls 1.3 accepted TLS 1.2"; else ok; fi
kill -TERM "$PX4"
wait "$PX4"
check [ $? -eq 0 ]

# ---- half-close both ways, and a backend that dies ------------------------------------------
cat >"$T/halfsrv.py" <<'PYEOF'
import socket, struct, sys, threading
mode = sys.argv[2]
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(16)
def h(c):
    if mode == "count":      # read to EOF, then answer with the count
        n = 0
        while True:
            d = c.recv(65536)
            if not d: break
            n += len(d)
        c.sendall(b"got %d\n" % n)
    elif mode == "banner":   # say bye and close at once
        c.sendall(b"bye\n")
    elif mode == "die":      # read a little, then reset
        c.recv(10)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
while True:
    c, _ = l.accept(); threading.Thread(target=h, args=(c,), daemon=True).start()
PYEOF
# the client sends close_notify and keeps reading: the backend sees EOF
cat >"$T/halfcli.py" <<'PYEOF'
import socket, ssl, sys, select
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.load_verify_locations(sys.argv[2])
ctx.load_cert_chain(sys.argv[3], sys.argv[4])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5), server_hostname="localhost")
s.sendall(b"z" * 100000)
s.setblocking(False)
try: s.unwrap()
except (ssl.SSLWantReadError, ssl.SSLWantWriteError): pass
got = b""
while True:
    select.select([s], [], [], 5)
    try: d = s.recv(65536)
    except ssl.SSLWantReadError: continue
    except ssl.SSLZeroReturnError: break
    if not d: break
    got += d
print(got.decode().strip())
PYEOF
half() { # MODE: starts a backend and a proxy in front of it; sets HPX, HLOG, HPP
  local bp i
  bp=$(free_port)
  python3 "$T/halfsrv.py" "$bp" "$1" 2>/dev/null & PIDS+=($!)
  HPP=$(free_port)
  HLOG=$T/half-$1.log
  "$M" proxy server --listen "127.0.0.1:$HPP" --target "127.0.0.1:$bp" "${COMMON[@]}" \
    --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 1 2>"$HLOG" &
  HPX=$!
  PIDS+=($HPX)
  check wait_for "$HLOG" '"event":"start"'
  for ((i = 0; i < 50; i++)); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$bp),1)" 2>/dev/null && break; sleep 0.1; done
}
stop_proxy() { kill -TERM "$1"; wait "$1"; check [ $? -eq 0 ]; }
half count
got=$(timeout 10 python3 "$T/halfcli.py" "$HPP" "$P/ca.pem" "$I/web.pem" "$I/web-key.pem" 2>&1)
check [ "$got" = "got 100000" ]
check wait_for "$HLOG" '"bytes_in":100000,"bytes_out":11,'
check wait_for "$HLOG" '"verdict":"allowed","reason":null'
stop_proxy "$HPX"
half banner
got=$(timeout 10 openssl s_client -quiet -connect "127.0.0.1:$HPP" -cert "$I/web.pem" -key "$I/web-key.pem" -CAfile "$P/ca.pem" </dev/null 2>/dev/null)
check [ "$got" = "bye" ]
check wait_for "$HLOG" '"bytes_out":4,'
stop_proxy "$HPX"
half die
if tlsc "$HPP" "${WEB[@]}" --msg 0123456789abcdefghij >/dev/null 2>&1; then bad "dying backend: echo came back"; else ok; fi
check wait_for "$HLOG" '"reason":"backend_reset"'
stop_proxy "$HPX"

# ---- expired, not yet valid, revoked (openssl ca with the mtlskit CA) ------------------------
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
crlnumber = $C2/crlnumber
default_md = sha256
policy = p
copy_extensions = none
unique_subject = no
default_crl_days = 7
crl_extensions = crlext
[p]
commonName = supplied
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = URI:spiffe://example.org/ns/prod/sa/web
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[crlext]
authorityKeyIdentifier = keyid
[req]
distinguished_name = dn
prompt = no
[dn]
CN = web
CNF
: >"$C2/index.txt"
openssl rand -hex 16 >"$C2/serial"
echo 01 >"$C2/crlnumber"
ca2() { openssl ca -batch -config "$C2/ca.cnf" -notext "$@" >/dev/null 2>&1; }
if openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C2/k.pem" \
     -config "$C2/ca.cnf" -out "$C2/r.csr" >/dev/null 2>&1 &&
   ca2 -extensions ext -in "$C2/r.csr" -out "$C2/expired.pem" -startdate 20200101000000Z -enddate 20200201000000Z &&
   ca2 -extensions ext -in "$C2/r.csr" -out "$C2/future.pem" -startdate 20400101000000Z -enddate 20400201000000Z &&
   ca2 -extensions ext -in "$C2/r.csr" -out "$C2/revoked.pem" -days 30 &&
   ca2 -revoke "$C2/revoked.pem" && ca2 -gencrl -out "$C2/crl.pem"; then
  ok
  PP5=$(free_port)
  LOG5=$T/proxy5.log
  "$M" proxy server --listen "127.0.0.1:$PP5" --target "127.0.0.1:$EP" "${COMMON[@]}" --crl "$C2/crl.pem" \
    --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 1 2>"$LOG5" &
  PX5=$!
  PIDS+=($PX5)
  check wait_for "$LOG5" '"event":"start"'
  got=$(tlsc "$PP5" "${WEB[@]}")
  check [ "$got" = "$(printf 'ping\n' | sha256sum | cut -d' ' -f1)" ]
  for c in expired:cert_expired future:cert_not_yet_valid revoked:cert_revoked; do
    if tlsc "$PP5" --ca "$P/ca.pem" --cert "$C2/${c%%:*}.pem" --key "$C2/k.pem" >/dev/null 2>&1; then
      bad "${c%%:*} client got through"
    else ok; fi
    check wait_for "$LOG5" "\"reason\":\"${c#*:}\""
  done
  stop_proxy "$PX5"
else
  bad "openssl ca could not make the expired/revoked certificates"
fi

# ---- --proxy-protocol: a backend that decodes the PROXY v2 header -------------------------
cat >"$T/ppsrv.py" <<'PYEOF'
# Reads the PROXY v2 header (HAProxy proxy-protocol.txt 2.2), answers with
# one line of what it found, then echoes.
import hashlib, socket, struct, sys, threading
SIG = b"\r\n\r\n\x00\r\nQUIT\n"
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(16)
def rd(c, n):
    b = b""
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d: raise EOFError
        b += d
    return b
def h(c):
    try:
        hd = rd(c, 16)
        assert hd[:12] == SIG, "signature"
        vc, fam, ln = hd[12], hd[13], struct.unpack("!H", hd[14:16])[0]
        body = rd(c, ln)
        out = {"cmd": "%02x" % vc, "fam": "%02x" % fam}
        if fam == 0x11:
            s, d, sp, dp = struct.unpack("!4s4sHH", body[:12]); off = 12
            out["src"] = "%s:%d" % (socket.inet_ntoa(s), sp)
            out["dst"] = "%s:%d" % (socket.inet_ntoa(d), dp)
        elif fam == 0x21: off = 36
        elif fam == 0x31:
            off = 216; out["dst"] = body[108:216].rstrip(b"\0").decode()
        else: off = 0
        while off < ln:
            t, n = body[off], struct.unpack("!H", body[off + 1:off + 3])[0]
            v = body[off + 3:off + 3 + n]; off += 3 + n
            if t == 0xE1: out["id"] = v.decode()
            elif t == 0x20:
                out["client"], out["verify"] = v[0], struct.unpack("!I", v[1:5])[0]
                o = 5
                while o < len(v):
                    st, sn = v[o], struct.unpack("!H", v[o + 1:o + 3])[0]
                    sv = v[o + 3:o + 3 + sn]; o += 3 + sn
                    if st == 0x21: out["ver"] = sv.decode()
                    elif st == 0x22: out["cn"] = sv.decode()
                    elif st == 0x23: out["cipher"] = sv.decode()
                    elif st == 0x28: out["cert"] = hashlib.sha256(sv).hexdigest()
        c.sendall(("PP " + " ".join("%s=%s" % kv for kv in sorted(out.items())) + "\n").encode())
        while True:
            d = c.recv(65536)
            if not d: break
            c.sendall(d)
    except Exception as e:
        c.sendall(("PPERR %r\n" % e).encode())
    c.close()
while True:
    c, _ = l.accept(); threading.Thread(target=h, args=(c,), daemon=True).start()
PYEOF
cat >"$T/ppcli.py" <<'PYEOF'
# ppcli.py ADDR CA CERT KEY: TLS over TCP (port) or a unix: socket, sends
# "echo me\n", prints every line until the echo came back.
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.load_verify_locations(sys.argv[2])
ctx.load_cert_chain(sys.argv[3], sys.argv[4])
if sys.argv[1].startswith("unix:"):
    raw = socket.socket(socket.AF_UNIX); raw.settimeout(5); raw.connect(sys.argv[1][5:])
else:
    raw = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s = ctx.wrap_socket(raw, server_hostname="localhost")
s.sendall(b"echo me\n")
got = b""
while b"echo me\n" not in got:
    d = s.recv(65536)
    if not d: break
    got += d
sys.stdout.write(got.decode())
try: s.unwrap()
except Exception: pass
PYEOF
PPB=$(free_port)
python3 "$T/ppsrv.py" "$PPB" 2>/dev/null & PIDS+=($!)
for ((i = 0; i < 50; i++)); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$PPB),1)" 2>/dev/null && break; sleep 0.1; done
PP6=$(free_port)
LOG6=$T/proxy6.log
"$M" proxy server --listen "127.0.0.1:$PP6" --target "127.0.0.1:$PPB" "${COMMON[@]}" \
  --allow-uri 'spiffe://example.org/ns/*/sa/web' --workers 1 --proxy-protocol 2>"$LOG6" &
PX6=$!
PIDS+=($PX6)
check wait_for "$LOG6" '"event":"start"'
certsha=$(openssl x509 -in "$I/web.pem" -outform DER | sha256sum | cut -d' ' -f1)
cn=$(openssl x509 -in "$I/web.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= *//p')
timeout 10 python3 "$T/ppcli.py" "$PP6" "$P/ca.pem" "$I/web.pem" "$I/web-key.pem" >"$T/pp.out" 2>&1
pp=$(grep '^PP' "$T/pp.out")
has() { case " $pp " in *" $1 "*) return 0 ;; esac; echo "  PROXY header: want $1 in: $pp" >&2; return 1; }
check has cmd=21
check has fam=11
check has "dst=127.0.0.1:$PP6"
check grep -q '^PP .*src=127\.0\.0\.1:[0-9]' "$T/pp.out"
check has "id=spiffe://example.org/ns/prod/sa/web"
check [ -n "$cn" ]
check has "cn=$cn"
check has "cert=$certsha"
check has verify=0
check has client=3
check has ver=TLSv1.3
check grep -qx "echo me" "$T/pp.out"
check wait_for "$LOG6" '"identity":"spiffe://example.org/ns/prod/sa/web","verdict":"allowed"'
# a refused client: the backend never hears of it
timeout 10 python3 "$T/ppcli.py" "$PP6" "$P/ca.pem" "$I/db.pem" "$I/db-key.pem" >"$T/pp.out" 2>&1
check [ -z "$(grep '^PP' "$T/pp.out")" ]
check wait_for "$LOG6" '"reason":"not_allowed"'
# a client certificate too big for the header buffer (16 KiB): the header
# goes without it, and the log line says so
{
  printf 'basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n'
  printf 'extendedKeyUsage = clientAuth\nsubjectAltName = URI:spiffe://example.org/ns/prod/sa/web'
  for ((i = 0; i < 500; i++)); do printf ',DNS:host-%03d.a-rather-long-name.example.org' "$i"; done
  printf '\n'
} >"$T/big.ext"
if openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/big-key.pem" \
     -subj /CN=big -out "$T/big.csr" >/dev/null 2>&1 &&
   openssl x509 -req -in "$T/big.csr" -CA "$P/ca.pem" -CAkey "$P/ca-key.pem" -CAcreateserial \
     -days 2 -sha256 -extfile "$T/big.ext" -out "$T/big.pem" >/dev/null 2>&1; then
  check [ "$(openssl x509 -in "$T/big.pem" -outform DER | wc -c)" -gt 16384 ]
  timeout 10 python3 "$T/ppcli.py" "$PP6" "$P/ca.pem" "$T/big.pem" "$T/big-key.pem" >"$T/pp.out" 2>&1
  pp=$(grep '^PP' "$T/pp.out")
  check has "id=spiffe://example.org/ns/prod/sa/web"
  check has cn=big
  case "$pp" in *cert=*) bad "big certificate sent in the header" ;; *) ok ;; esac
  check grep -qx "echo me" "$T/pp.out"
  check wait_for "$LOG6" '"detail":"proxy-protocol: the client certificate ([0-9]* octets) was left out'
else
  bad "openssl could not make the big client certificate"
fi
stop_proxy "$PX6"
# a unix: listener: family UNIX, dst is the socket path
US=$T/pp.sock
LOG7=$T/proxy7.log
"$M" proxy server --listen "unix:$US" --target "127.0.0.1:$PPB" "${COMMON[@]}" \
  --allow-uri 'spiffe://example.org/ns/*/sa/web' --workers 1 --proxy-protocol 2>"$LOG7" &
PX7=$!
PIDS+=($PX7)
check wait_for "$LOG7" '"event":"start"'
timeout 10 python3 "$T/ppcli.py" "unix:$US" "$P/ca.pem" "$I/web.pem" "$I/web-key.pem" >"$T/pp.out" 2>&1
pp=$(grep '^PP' "$T/pp.out")
check has fam=31
check has "dst=$US"
check has "cert=$certsha"
check has "id=spiffe://example.org/ns/prod/sa/web"
check wait_for "$LOG7" '"peer":"unix:'
stop_proxy "$PX7"

# ---- hot reload: SIGHUP and file change swap the server certificate, a live
# connection keeps going, a broken file keeps the old config
R=$T/rl
mkdir -p "$R"
"$M" pki issue "$P" srvb --server --dns localhost --ip 127.0.0.1 >/dev/null || bad "issue srvb"
"$M" pki issue "$P" srvc --server --dns localhost --ip 127.0.0.1 >/dev/null || bad "issue srvc"
cp "$I/localhost.pem" "$R/srv.pem"
cp "$I/localhost-key.pem" "$R/srv-key.pem"
swap_to() { # NAME: atomic rename-replace of the served cert and key
  cp "$I/$1.pem" "$R/srv.pem.new" && cp "$I/$1-key.pem" "$R/srv-key.pem.new" &&
    mv "$R/srv.pem.new" "$R/srv.pem" && mv "$R/srv-key.pem.new" "$R/srv-key.pem"
}
serial_of() { openssl x509 -in "$1" -noout -serial; }
served() {
  echo | timeout 5 openssl s_client -connect "127.0.0.1:$RP" -cert "$I/web.pem" -key "$I/web-key.pem" \
    -CAfile "$P/ca.pem" 2>/dev/null | openssl x509 -noout -serial 2>/dev/null
}
RP=$(free_port)
RSP=$(free_port)
RLOG=$T/reload.log
"$M" proxy server --listen "127.0.0.1:$RP" --target "127.0.0.1:$EP" --cert "$R/srv.pem" \
  --key "$R/srv-key.pem" --ca "$P/ca.pem" --allow-uri 'spiffe://example.org/ns/prod/sa/web' \
  --workers 2 --status "127.0.0.1:$RSP" 2>"$RLOG" &
RPX=$!
PIDS+=($RPX)
check wait_for "$RLOG" '"event":"start"'
check [ "$(served)" = "$(serial_of "$I/localhost.pem")" ]
msg="held across a reload $RANDOM"
want=$(printf '%s' "$msg" | sha256sum | cut -d' ' -f1)
tlsc "$RP" "${WEB[@]}" --msg "$msg" --pause 3 >"$T/held.out" 2>&1 &
HC=$!
for ((i = 0; i < 100; i++)); do grep -q half "$T/held.out" && break; sleep 0.05; done
check grep -q half "$T/held.out"
swap_to srvb
kill -HUP "$RPX"
check wait_for "$RLOG" '"event":"reload","result":"ok"'
check [ "$(served)" = "$(serial_of "$I/srvb.pem")" ]
wait "$HC"
check [ "$(tail -1 "$T/held.out")" = "$want" ]
# a broken certificate: reload failed with a reason, cert B still served
nf=$(log_count "$RLOG" '"result":"failed"')
echo "not a certificate" >"$R/srv.pem.new" && mv "$R/srv.pem.new" "$R/srv.pem"
kill -HUP "$RPX"
check wait_more "$RLOG" '"result":"failed"' "$nf"
check grep -q '"result":"failed","trigger":"SIGHUP","reason":"--cert ' "$RLOG"
check [ "$(served)" = "$(serial_of "$I/srvb.pem")" ]
check [ "$(tlsc "$RP" "${WEB[@]}" --msg x)" = "$(printf x | sha256sum | cut -d' ' -f1)" ]
# file change, no signal: the served serial changes within 5 s
swap_to srvc
want=$(serial_of "$I/srvc.pem")
for ((i = 0; i < 25; i++)); do [ "$(served)" = "$want" ] && break; sleep 0.2; done
check [ "$(served)" = "$want" ]
check grep -q '"result":"ok","trigger":"file_change"' "$RLOG"
timeout 5 curl -sS "http://127.0.0.1:$RSP/metrics" >"$T/metrics" 2>&1
check ge 'mtlskit_reloads_total{result="ok"}' 2
check ge 'mtlskit_reloads_total{result="failed"}' 1
stop_proxy "$RPX"

# ---- the strict profile of lib/verify on the client chain: a certificate
# OpenSSL accepts (serial number zero) is refused with reason cert_profile,
# with the words of `mtlskit verify`, and the client sees bad_certificate
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=URI:spiffe://example.org/ns/prod/sa/web\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >"$T/zero.ext"
if openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/zero-key.pem" \
     -subj /CN=zero -out "$T/zero.csr" >/dev/null 2>&1 &&
   openssl x509 -req -in "$T/zero.csr" -CA "$P/ca.pem" -CAkey "$P/ca-key.pem" -set_serial 0 -days 2 \
     -extfile "$T/zero.ext" -out "$T/zero.pem" >/dev/null 2>&1; then
  ZL=$T/zero-srv.log
  ZQ=$(free_port)
  "$M" proxy server --listen "127.0.0.1:$ZQ" --target "127.0.0.1:$EP" "${COMMON[@]}" \
    --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 1 2>"$ZL" &
  ZQX=$!
  PIDS+=($ZQX)
  check wait_for "$ZL" '"event":"start"'
  timeout 10 python3 - "$ZQ" "$P/ca.pem" "$T/zero.pem" "$T/zero-key.pem" >"$T/zero.out" 2>&1 <<'PYEOF'
import socket, ssl, sys
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
c.load_verify_locations(sys.argv[2]); c.load_cert_chain(sys.argv[3], sys.argv[4])
s = c.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5),
                  server_hostname="localhost")
try:  # read only: the alert follows the client's Finished (TLS 1.3)
    print("got", s.recv(10))
except ssl.SSLError as e:
    print("alert", e)
except OSError as e:
    print("error", e)
PYEOF
  check grep -q "^alert.*ALERT_BAD_CERTIFICATE" "$T/zero.out"
  check wait_for "$ZL" '"reason":"cert_profile","detail":"leaf (zero) has serial number zero (RFC 5280 4.1.2.2)"'
  stop_proxy "$ZQX"
else
  bad "openssl could not make the serial-zero client certificate"
fi

# ---- an RSA server key and an RSA client: TLS 1.3 and TLS 1.2 (ECDHE-RSA)
"$M" pki issue "$P" rsasrv --server --dns localhost --ip 127.0.0.1 --key-type rsa-2048 >/dev/null || bad "issue rsasrv"
"$M" pki issue "$P" rsaweb --client --uri spiffe://example.org/ns/prod/sa/web --key-type rsa-2048 >/dev/null || bad "issue rsaweb"
RQ=$(free_port)
RL=$T/rsa.log
"$M" proxy server --listen "127.0.0.1:$RQ" --target "127.0.0.1:$EP" --cert "$I/rsasrv.pem" \
  --key "$I/rsasrv-key.pem" --ca "$P/ca.pem" --allow-uri 'spiffe://example.org/ns/prod/sa/web' \
  --workers 1 2>"$RL" &
RQX=$!
PIDS+=($RQX)
check wait_for "$RL" '"event":"start"'
for v in -tls1_3 -tls1_2; do
  out=$( (echo rsa; sleep 0.5) | timeout 10 openssl s_client -quiet -no_ign_eof "$v" -connect "127.0.0.1:$RQ" \
    -cert "$I/rsaweb.pem" -key "$I/rsaweb-key.pem" -CAfile "$P/ca.pem" 2>/dev/null)
  check [ "$out" = rsa ]
done
check wait_for "$RL" '"tls":"TLSv1.2","cipher":"ECDHE-RSA-AES128-GCM-SHA256"'
check wait_for "$RL" '"tls":"TLSv1.3","cipher":"TLS_AES_128_GCM_SHA256"'
stop_proxy "$RQX"

# ---- the listening port: a second proxy on a port in use is refused (no
# silent SO_REUSEPORT sharing); --listen HOST:0 picks a port and logs it
Z=$T/zero.log
"$M" proxy server --listen 127.0.0.1:0 --target "127.0.0.1:$EP" "${COMMON[@]}" \
  --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 2 2>"$Z" &
ZPX=$!
PIDS+=($ZPX)
check wait_for "$Z" '"event":"start"'
ZP=$(grep -o '"port":[0-9]*' "$Z" | head -1 | cut -d: -f2)
check [ "${ZP:-0}" -gt 0 ]
check [ "$(tlsc "${ZP:-1}" "${WEB[@]}" --msg zero)" = "$(printf zero | sha256sum | cut -d' ' -f1)" ]
timeout 10 "$M" proxy server --listen "127.0.0.1:${ZP:-1}" --target "127.0.0.1:$EP" "${COMMON[@]}" \
  --allow-any-verified --workers 2 >/dev/null 2>"$T/dup.err"
check [ $? -eq 1 ]
check grep -q "Address already in use (another process listens there)" "$T/dup.err"
stop_proxy "$ZPX"

# ---- --session-tickets: a resumed session never skips the checks ----------------------
# One ticket per full handshake; tickets resume on either worker (shared
# keys); the log says "session resumed"; without the option nothing resumes;
# a reload (here: a CRL that revokes the client) voids every ticket, so the
# next attempt is a full handshake and is refused; a ticket past its
# lifetime is not taken.
ST=$T/st
mkdir -p "$ST"
sess() { # ARGS...: one s_client connection that stays a second for the ticket
  { sleep 1; echo; } | timeout 8 openssl s_client -connect "127.0.0.1:$SP" -tls1_3 \
    -cert "$C2/tick.pem" -key "$C2/k.pem" -CAfile "$P/ca.pem" "$@" 2>/dev/null |
    grep -o '^\(New\|Reused\), TLSv1.3' | head -1
}
nticks() { # the session tickets one connection receives
  { sleep 1; echo; } | timeout 8 openssl s_client -connect "127.0.0.1:$SP" -tls1_3 \
    -cert "$I/web.pem" -key "$I/web-key.pem" -CAfile "$P/ca.pem" 2>/dev/null |
    grep -c 'Post-Handshake New Session Ticket arrived'
}
if ca2 -extensions ext -in "$C2/r.csr" -out "$C2/tick.pem" -days 30 && ca2 -gencrl -out "$ST/crl.pem"; then
  SP=$(free_port)
  SLOG=$T/tickets.log
  "$M" proxy server --listen "127.0.0.1:$SP" --target "127.0.0.1:$EP" "${COMMON[@]}" \
    --crl "$ST/crl.pem" --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 2 \
    --session-tickets 300 2>"$SLOG" &
  SPX=$!
  PIDS+=($SPX)
  check wait_for "$SLOG" '"event":"start"'
  check [ "$(sess -sess_out "$ST/s1")" = "New, TLSv1.3" ]
  check [ -s "$ST/s1" ]
  check [ "$(nticks)" -eq 1 ]
  reused=0
  for ((i = 0; i < 4; i++)); do [ "$(sess -sess_in "$ST/s1")" = "Reused, TLSv1.3" ] && reused=$((reused + 1)); done
  check [ "$reused" -eq 4 ]
  check wait_for "$SLOG" '"identity":"spiffe://example.org/ns/prod/sa/web","verdict":"allowed","reason":null,"detail":"session resumed"'
  # revoke the client, reload: the old ticket no longer resumes, the full
  # handshake that follows is refused
  ca2 -revoke "$C2/tick.pem" && ca2 -gencrl -out "$ST/crl.new" && mv "$ST/crl.new" "$ST/crl.pem"
  kill -HUP "$SPX"
  check wait_for "$SLOG" '"event":"reload","result":"ok"'
  check [ "$(sess -sess_in "$ST/s1")" != "Reused, TLSv1.3" ]
  check wait_for "$SLOG" '"reason":"cert_revoked"'
  stop_proxy "$SPX"
  # a ticket older than the lifetime is not taken
  "$M" proxy server --listen "127.0.0.1:$SP" --target "127.0.0.1:$EP" "${COMMON[@]}" \
    --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 1 --session-tickets 1 2>"$SLOG.2" &
  SPX=$!
  PIDS+=($SPX)
  check wait_for "$SLOG.2" '"event":"start"'
  check [ "$(sess -sess_out "$ST/s2")" = "New, TLSv1.3" ]
  sleep 1.2
  check [ "$(sess -sess_in "$ST/s2")" = "New, TLSv1.3" ]
  stop_proxy "$SPX"
  # bad values
  for v in 0 604801 x; do
    "$M" proxy server --listen "127.0.0.1:$SP" --target "127.0.0.1:$EP" "${COMMON[@]}" \
      --allow-any-verified --session-tickets "$v" --test-config >/dev/null 2>&1
    check [ $? -eq 2 ]
  done
  # without --session-tickets nothing resumes
  "$M" proxy server --listen "127.0.0.1:$SP" --target "127.0.0.1:$EP" "${COMMON[@]}" \
    --allow-uri 'spiffe://example.org/ns/prod/sa/web' --workers 1 2>"$SLOG.3" &
  SPX=$!
  PIDS+=($SPX)
  check wait_for "$SLOG.3" '"event":"start"'
  check [ "$(nticks)" -eq 0 ]
  stop_proxy "$SPX"
else
  bad "openssl ca could not make the ticket client certificate"
fi

# every log line is one JSON object; connection lines carry verdict, reason, identity
cat "$T"/*.log >"$T/all.jsonl"
if python3 - "$T/all.jsonl" <<'PYEOF'
import json, sys
n = conns = 0
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.startswith("{"): continue
    o = json.loads(line); n += 1
    assert isinstance(o["ts"], str) and o["ts"].endswith("Z"), line
    if o["event"] == "conn":
        conns += 1
        assert o["verdict"] in ("allowed", "refused", "failed"), line
        assert "reason" in o and "identity" in o and "peer" in o, line
        assert o["verdict"] == "allowed" or o["reason"], line
assert n > 200 and conns > 200, (n, conns)
PYEOF
then ok; else bad "log lines are not all JSON"; fi

# no sanitizer report in any log (ASan/UBSan builds)
for f in "$T"/*.log; do
  if grep -q "Sanitizer\|runtime error" "$f"; then bad "sanitizer report in $f"; else ok; fi
done
[ -n "${MTK_KEEP_LOG:-}" ] && cp "$LOG" "$MTK_KEEP_LOG"

if [ "$fail" -ne 0 ]; then
  echo "--- proxy log" >&2
  tail -20 "$LOG" >&2
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
