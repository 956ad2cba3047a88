#!/usr/bin/env bash
# proxy_client.sh: drives `mtlskit proxy client` on 127.0.0.1, chained in
# front of `mtlskit proxy server` in front of a python3 echo backend:
#   plaintext client -> proxy client -(mTLS)-> proxy server -> echo backend
# A dev PKI from `mtlskit pki`. Checks: --listen not loopback refused (exit 2)
# unless --unsafe-listen, --test-config, an echo through (server identity by
# IP from the target, by DNS from the target, by --server-name/--server-ip,
# any one of several), the client certificate reaches the server (its log
# shows the client's SPIFFE ID), half-close, SHA-256 of 16 MiB through both
# proxies, and the refused upstreams, each with its log reason: the server
# certificate does not name the target (wrong --server-name or --server-uri),
# a chain from another CA, a server certificate without serverAuth, one
# the strict profile of lib/verify refuses (serial number zero), a server
# that refuses our client identity, an upstream that is down; no fd leak
# after 200 connections; drain on SIGTERM; no sanitizer report. Client-mode
# parity with server mode: --status (/healthz, /metrics named
# mtlskit_client_*, exact counters after a good upstream and after each
# refused one, 503 while draining), hot reload (SIGHUP swaps the client
# certificate to one the upstream's --allow rule refuses, then a file change
# swaps it back; a live connection survives both; a broken file keeps the
# old config with a log line; reload counters), --crl for the server's chain
# (reloaded on change: a CRL that revokes the server certificate takes
# effect for new connections), --session-resumption against openssl
# s_server (tickets on): off by default; on, a worker resumes the sessions it
# verified, and never one from before a reload (the new client certificate
# is what the server sees). Every wait is bounded.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
. "$(dirname "${BASH_SOURCE[0]}")/tools/common.bash"

wait_for() { # FILE PATTERN [SECONDS]
  local i n=$(( ${3:-10} * 20 ))
  for ((i = 0; i < n; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
wait_port() { # PORT: until something accepts on 127.0.0.1:PORT (bounded)
  local i
  for ((i = 0; i < 100; i++)); do
    python3 -c "import socket;socket.create_connection(('127.0.0.1',$1),1)" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# ---- PKI --------------------------------------------------------------------------------
P=$T/pki
Q=$T/other
"$M" pki init "$P" >/dev/null || { echo "pki init failed"; exit 1; }
"$M" pki init "$Q" >/dev/null || exit 1
"$M" pki issue "$P" --server --dns localhost --ip 127.0.0.1 >/dev/null || exit 1
"$M" pki issue "$P" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
"$M" pki issue "$P" clionly --client --dns localhost --ip 127.0.0.1 >/dev/null || exit 1
"$M" pki issue "$Q" --server --dns localhost --ip 127.0.0.1 >/dev/null || exit 1
I=$P/issued

# ---- the echo backend, a plaintext client --------------------------------------------------
cat >"$T/echo.py" <<'EOF'
import socket, socketserver, sys
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
# pc.py PORT [FILE|-m MSG]: send, half-close, read to EOF (or a reset);
# prints "LEN SHA256" of what came back.
cat >"$T/pc.py" <<'EOF'
import hashlib, socket, sys, threading
port = int(sys.argv[1])
data = sys.argv[3].encode() if sys.argv[2] == "-m" else open(sys.argv[2], "rb").read()
s = socket.create_connection(("127.0.0.1", port), timeout=25)
def send():
    try:
        s.sendall(data); s.shutdown(socket.SHUT_WR)
    except OSError: pass
th = threading.Thread(target=send); th.start()
h = hashlib.sha256(); n = 0
try:
    while True:
        d = s.recv(65536)
        if not d: break
        h.update(d); n += len(d)
except ConnectionResetError:
    pass  # a refused upstream: unread input makes the close a reset
except OSError as e:
    print("ERR", e); sys.exit(1)
th.join()
print(n, h.hexdigest())
EOF
pc() { timeout 30 python3 "$T/pc.py" "$@"; }
# held.py PORT GOFILE: sends "one", reads it back, prints "half", waits
# (at most 20 s) for GOFILE, sends "two", half-closes, reads to EOF and
# prints what came back in all.
cat >"$T/held.py" <<'EOF'
import os, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=25)
s.sendall(b"one")
got = b""
while len(got) < 3:
    d = s.recv(16)
    if not d: break
    got += d
print("half", flush=True)
for _ in range(400):
    if os.path.exists(sys.argv[2]): break
    time.sleep(0.05)
s.sendall(b"two"); s.shutdown(socket.SHUT_WR)
while True:
    d = s.recv(16)
    if not d: break
    got += d
print(got.decode(errors="replace"), flush=True)
EOF
# status_port LOG: the --status port from the start line (--status 127.0.0.1:0)
status_port() { grep -o '"status_port":[0-9]*' "$1" | head -1 | cut -d: -f2; }
# scrape PORT FILE: GET /metrics
scrape() { timeout 5 curl -sS "http://127.0.0.1:$1/metrics" >"$2" 2>&1; }
# metric FILE NAME{LABELS} -> its value (0 when absent)
metric() { awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' "$1"; }
is() { # FILE NAME VALUE
  [ "$(metric "$1" "$2")" = "$3" ] || { echo "  $2 = $(metric "$1" "$2"), want $3" >&2; return 1; }
}
ge() { # FILE NAME VALUE
  [ "$(metric "$1" "$2")" -ge "$3" ] 2>/dev/null || { echo "  $2 = $(metric "$1" "$2"), want >= $3" >&2; return 1; }
}
sha_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

EP=$(free_port)
python3 "$T/echo.py" "$EP" 2>/dev/null & PIDS+=($!)

# ---- upstream mTLS servers ------------------------------------------------------------------
start_server() { # PORT LOG CERT KEY
  "$M" proxy server --listen "127.0.0.1:$1" --target "127.0.0.1:$EP" --cert "$3" --key "$4" \
    --ca "$P/ca.pem" --allow-uri 'spiffe://example.org/ns/*/sa/web' --workers 2 2>"$2" &
  PIDS+=($!)
  wait_for "$2" '"event":"start"'
}
SP=$(free_port); SLOG=$T/server.log
check start_server "$SP" "$SLOG" "$I/localhost.pem" "$I/localhost-key.pem"
SQ=$(free_port); SQLOG=$T/server-other-ca.log
check start_server "$SQ" "$SQLOG" "$Q/issued/localhost.pem" "$Q/issued/localhost-key.pem"
SE=$(free_port); SELOG=$T/server-no-serverauth.log
check start_server "$SE" "$SELOG" "$I/clionly.pem" "$I/clionly-key.pem"
check wait_port "$EP"

CL=(--cert "$I/web.pem" --key "$I/web-key.pem" --ca "$P/ca.pem")

# ---- configuration ---------------------------------------------------------------------------
"$M" proxy client --listen "0.0.0.0:$(free_port)" --target "127.0.0.1:$SP" "${CL[@]}" --test-config >"$T/out" 2>"$T/err"
check [ $? -eq 2 ]
check grep -q "not a loopback address" "$T/err"
check grep -q -- "--unsafe-listen" "$T/err"
"$M" proxy client --listen ":$(free_port)" --target "127.0.0.1:$SP" "${CL[@]}" --test-config >/dev/null 2>&1
check [ $? -eq 2 ]
"$M" proxy client --listen "0.0.0.0:$(free_port)" --target "127.0.0.1:$SP" "${CL[@]}" --unsafe-listen --test-config >"$T/out" 2>&1
check [ $? -eq 0 ]
"$M" proxy client --listen "[::1]:$(free_port)" --target "127.0.0.1:$SP" "${CL[@]}" --test-config >"$T/out" 2>&1
check [ $? -eq 0 ]
"$M" proxy client --listen "unix:$T/c.sock" --target "127.0.0.1:$SP" "${CL[@]}" --test-config >"$T/out" 2>&1
check [ $? -eq 0 ]
check grep -q "config OK" "$T/out"
"$M" proxy client --listen "127.0.0.1:1" --target "127.0.0.1:$SP" "${CL[@]}" --server-name 'bad name' --test-config >/dev/null 2>"$T/err"
check [ $? -eq 2 ]
"$M" proxy client --listen "127.0.0.1:1" --target "127.0.0.1:$SP" "${CL[@]}" --min-tls 1.1 --test-config >/dev/null 2>&1
check [ $? -eq 2 ]
"$M" proxy client --listen "127.0.0.1:1" --target "127.0.0.1:$SP" --cert "$I/web.pem" --key "$I/localhost-key.pem" --ca "$P/ca.pem" --test-config >/dev/null 2>&1
check [ $? -eq 2 ]

# --help: the status listener, reload and CRLs are documented
"$M" proxy client --help >"$T/help" 2>&1
check [ $? -eq 0 ]
for w in --status --crl SIGHUP /healthz /metrics mtlskit_client_ "broken file keeps the old"; do
  if grep -q -- "$w" "$T/help"; then ok; else bad "proxy client --help does not mention '$w'"; fi
done
"$M" proxy client --listen "127.0.0.1:$(free_port)" --target "127.0.0.1:$SP" "${CL[@]}" \
  --status nonsense 2>"$T/err"
check [ $? -eq 1 ]
check grep -q -- "--status nonsense: expected" "$T/err"

# ---- client proxies ---------------------------------------------------------------------------
start_client() { # PORT LOG ARGS...
  local port=$1 log=$2
  shift 2
  "$M" proxy client --listen "127.0.0.1:$port" "${CL[@]}" --workers 2 --handshake-timeout 5 "$@" 2>"$log" &
  PIDS+=($!)
  wait_for "$log" '"event":"start"'
}
# by IP: the target's host 127.0.0.1 is an IP-ID reference
CP=$(free_port); CLOG=$T/client.log
check start_client "$CP" "$CLOG" --target "127.0.0.1:$SP" --status 127.0.0.1:0
CPX=${PIDS[-1]}
CSP=$(status_port "$CLOG")
check [ "${CSP:-0}" -gt 0 ]
check grep -q '"event":"start","mode":"client"' "$CLOG"
if [ "$(timeout 5 curl -sS "http://127.0.0.1:$CSP/healthz")" = "ok" ]; then ok; else bad "client /healthz is not ok"; fi
scrape "$CSP" "$T/m0"
check is "$T/m0" mtlskit_client_connections_total 0
check is "$T/m0" 'mtlskit_client_reloads_total{result="ok"}' 0
msg="hello through both proxies $RANDOM"
check [ "$(pc "$CP" -m "$msg")" = "${#msg} $(sha_of "$msg")" ]
check wait_for "$CLOG" '"verdict":"allowed"'
check wait_for "$CLOG" '"identity":"127.0.0.1"'
# /metrics after one good upstream: exact counters, client-mode names only
scrape "$CSP" "$T/m1"
check grep -q '^# TYPE mtlskit_client_connections_total counter' "$T/m1"
check grep -q '^# TYPE mtlskit_client_handshake_duration_seconds histogram' "$T/m1"
check [ "$(grep -c '^mtlskit_client_' "$T/m1")" -gt 20 ]
check [ "$(grep -c '^mtlskit_client_' "$T/m1")" -eq "$(grep -c '^mtlskit' "$T/m1")" ]
check is "$T/m1" mtlskit_client_connections_total 1
check is "$T/m1" mtlskit_client_connections_active 0
check is "$T/m1" 'mtlskit_client_handshakes_total{result="ok"}' 1
check is "$T/m1" 'mtlskit_client_handshakes_total{result="refused"}' 0
check is "$T/m1" 'mtlskit_client_handshakes_total{result="failed"}' 0
check is "$T/m1" mtlskit_client_bytes_in_total "${#msg}"
check is "$T/m1" mtlskit_client_bytes_out_total "${#msg}"
check is "$T/m1" mtlskit_client_handshake_duration_seconds_count 1
check is "$T/m1" 'mtlskit_client_handshake_duration_seconds_bucket{le="+Inf"}' 1
check [ "$(awk '/^mtlskit_client_refusals_total/ {s += $2} END {print s + 0}' "$T/m1")" -eq 0 ]
# the client certificate reached the server
check wait_for "$SLOG" '"identity":"spiffe://example.org/ns/prod/sa/web"'
check wait_for "$SLOG" '"verdict":"allowed"'

# by DNS: the target's host localhost is a DNS-ID reference (and the SNI)
CP2=$(free_port); CLOG2=$T/client-dns.log
check start_client "$CP2" "$CLOG2" --target "localhost:$SP"
check [ "$(pc "$CP2" -m "$msg")" = "${#msg} $(sha_of "$msg")" ]
check wait_for "$CLOG2" '"identity":"localhost"'
check grep -q '"sni":"localhost"' "$CLOG2"

# any one of several references suffices
CP3=$(free_port); CLOG3=$T/client-any.log
check start_client "$CP3" "$CLOG3" --target "127.0.0.1:$SP" --server-name wrong.example.org --server-ip 127.0.0.1
check [ "$(pc "$CP3" -m "$msg")" = "${#msg} $(sha_of "$msg")" ]
check wait_for "$CLOG3" '"verdict":"allowed"'

# data integrity: 16 MiB through both proxies, half-close at the end
head -c 16777216 /dev/urandom >"$T/blob"
want="16777216 $(sha256sum <"$T/blob" | cut -d' ' -f1)"
check [ "$(pc "$CP" "$T/blob")" = "$want" ]
check wait_for "$CLOG" '"bytes_in":16777216,"bytes_out":16777216'
check wait_for "$SLOG" '"bytes_in":16777216,"bytes_out":16777216'

# ---- refused upstreams: the local client gets nothing, the log says why ------------------------
# refused WHAT LOG REASON RESULT:LABEL ARGS...: one connection; the log
# reason, and in /metrics that handshake result and refusal label, once.
refused() {
  local what=$1 log=$2 reason=$3 rl=$4
  shift 4
  local port
  port=$(free_port)
  if ! start_client "$port" "$log" --status 127.0.0.1:0 "$@"; then bad "$what: client proxy did not start"; return; fi
  local got
  got=$(pc "$port" -m "secret data")
  if [ "$got" = "0 $(sha_of "")" ]; then ok; else bad "$what: got '$got'"; fi
  if wait_for "$log" "\"reason\":\"$reason\""; then ok; else bad "$what: no log line with reason $reason"; grep '"conn"' "$log" >&2; fi
  # the verdict follows the handshake result: refused (a check said no) or failed
  if grep -q "\"verdict\":\"${rl%%:*}\"" "$log"; then ok; else bad "$what: no ${rl%%:*} verdict"; fi
  local m=$log.metrics
  scrape "$(status_port "$log")" "$m"
  check is "$m" mtlskit_client_connections_total 1
  check is "$m" mtlskit_client_connections_active 0
  check is "$m" "mtlskit_client_handshakes_total{result=\"${rl%%:*}\"}" 1
  check is "$m" 'mtlskit_client_handshakes_total{result="ok"}' 0
  check is "$m" "mtlskit_client_refusals_total{reason=\"${rl#*:}\"}" 1
  check [ "$(awk '/^mtlskit_client_refusals_total/ {s += $2} END {print s + 0}' "$m")" -eq 1 ]
  check is "$m" mtlskit_client_bytes_out_total 0
  check is "$m" mtlskit_client_handshake_duration_seconds_count 1
}
refused "server cert does not name the target" "$T/client-wrongname.log" server_identity \
  refused:identity --target "127.0.0.1:$SP" --server-name wrong.example.org
check grep -q 'does not name dns:wrong.example.org' "$T/client-wrongname.log"
refused "wrong --server-uri" "$T/client-wronguri.log" server_identity refused:identity \
  --target "127.0.0.1:$SP" --server-uri https://wrong.example.org/
refused "server chain from another CA" "$T/client-otherca.log" untrusted refused:untrusted \
  --target "127.0.0.1:$SQ"
refused "server cert without serverAuth" "$T/client-eku.log" eku refused:eku --target "127.0.0.1:$SE"
# the strict profile of lib/verify on the server's chain: a certificate
# OpenSSL accepts (serial number zero) is refused with reason cert_profile
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >"$T/zero.ext"
if openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/zero-key.pem" \
     -subj /CN=zero -out "$T/zero.csr" >/dev/null 2>&1 &&
   openssl x509 -req -in "$T/zero.csr" -CA "$P/ca.pem" -CAkey "$P/ca-key.pem" -set_serial 0 -days 2 \
     -extfile "$T/zero.ext" -out "$T/zero.pem" >/dev/null 2>&1; then
  SZ=$(free_port)
  openssl s_server -accept "127.0.0.1:$SZ" -cert "$T/zero.pem" -key "$T/zero-key.pem" -quiet \
    </dev/null >/dev/null 2>&1 &
  PIDS+=($!)
  for ((i = 0; i < 100; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$SZ") 2>/dev/null && break; sleep 0.05; done
  refused "server cert with serial number zero" "$T/client-zero.log" cert_profile refused:untrusted \
    --target "127.0.0.1:$SZ"
  check grep -q '"detail":"leaf (zero) has serial number zero (RFC 5280 4.1.2.2)"' "$T/client-zero.log"
else
  bad "openssl could not make the serial-zero server certificate"
fi
"$M" pki issue "$P" db --client --uri spiffe://example.org/ns/prod/sa/db >/dev/null || bad "pki issue db"
CL=(--cert "$I/db.pem" --key "$I/db-key.pem" --ca "$P/ca.pem")
refused "the server refuses our identity" "$T/client-notallowed.log" upstream_refused \
  failed:tls_error --target "127.0.0.1:$SP"
check wait_for "$SLOG" '"identity":"spiffe://example.org/ns/prod/sa/db","verdict":"refused","reason":"not_allowed"'
CL=(--cert "$I/web.pem" --key "$I/web-key.pem" --ca "$P/ca.pem")
DOWN=$(free_port)
refused "upstream down" "$T/client-down.log" upstream_connect failed:backend_refused \
  --target "127.0.0.1:$DOWN"
# the server never saw data from the refused connections
check [ "$(grep -c '"bytes_in":11,' "$SLOG" "$SQLOG" "$SELOG" | awk -F: '{s+=$2} END {print s+0}')" -eq 0 ]

# ---- hot reload of the client certificate: SIGHUP, file change, broken files -------------
R=$T/rl
mkdir -p "$R"
cp "$I/web.pem" "$R/cli.pem" && cp "$I/web-key.pem" "$R/cli-key.pem" || bad "copy cli cert"
swap_to() { # NAME: rename-replace our client certificate and key
  cp "$I/$1.pem" "$R/cli.pem.new" && cp "$I/$1-key.pem" "$R/cli-key.pem.new" &&
    mv "$R/cli.pem.new" "$R/cli.pem" && mv "$R/cli-key.pem.new" "$R/cli-key.pem"
}
RP=$(free_port)
RLOG=$T/client-reload.log
"$M" proxy client --listen "127.0.0.1:$RP" --target "127.0.0.1:$SP" --cert "$R/cli.pem" \
  --key "$R/cli-key.pem" --ca "$P/ca.pem" --workers 2 --handshake-timeout 5 \
  --status 127.0.0.1:0 2>"$RLOG" &
RPX=$!
PIDS+=($RPX)
check wait_for "$RLOG" '"event":"start"'
RSP=$(status_port "$RLOG")
through() { [ "$(pc "$RP" -m "$1")" = "${#1} $(sha_of "$1")" ]; }
stopped() { [ "$(pc "$RP" -m "$1")" = "0 $(sha_of "")" ]; }
n_db() { grep -c '"identity":"spiffe://example.org/ns/prod/sa/db","verdict":"refused"' "$SLOG"; }
check through "as web $RANDOM"
# a live connection (as web), held open across every reload below
timeout 40 python3 "$T/held.py" "$RP" "$T/go1" >"$T/held1.out" 2>&1 &
HC=$!
for ((i = 0; i < 100; i++)); do grep -q half "$T/held1.out" 2>/dev/null && break; sleep 0.05; done
check grep -q half "$T/held1.out"
# SIGHUP: now we are db, which the upstream's --allow-uri rule refuses
db0=$(n_db)
swap_to db
kill -HUP "$RPX"
check wait_for "$RLOG" '"event":"reload","mode":"client","result":"ok","trigger":"SIGHUP"'
check stopped "as db"
check wait_for "$RLOG" '"reason":"upstream_refused"'
for ((i = 0; i < 100; i++)); do [ "$(n_db)" -gt "$db0" ] && break; sleep 0.05; done
check [ "$(n_db)" -gt "$db0" ]
# a file change alone (no signal) makes us web again
swap_to web
for ((i = 0; i < 50; i++)); do grep -q '"trigger":"file_change"' "$RLOG" && break; sleep 0.2; done
check grep -q '"event":"reload","mode":"client","result":"ok","trigger":"file_change"' "$RLOG"
check through "as web again"
# broken files: the reload fails with the reason, the old config (web) stays
echo "not a certificate" >"$R/cli.pem.new" && mv "$R/cli.pem.new" "$R/cli.pem"
kill -HUP "$RPX"
check wait_for "$RLOG" '"result":"failed","trigger":"[A-Za-z_]*","reason":"--cert '
check through "still web"
cp "$I/web.pem" "$R/cli.pem.new" && mv "$R/cli.pem.new" "$R/cli.pem"
cp "$I/db-key.pem" "$R/cli-key.pem.new" && mv "$R/cli-key.pem.new" "$R/cli-key.pem"
kill -HUP "$RPX"
check wait_for "$RLOG" '"result":"failed","trigger":"SIGHUP","reason":"--key [^"]*key values mismatch'
check through "still web, key checked"
# the live connection went on, as web, through all of it
touch "$T/go1"
wait "$HC"
check [ "$(tail -1 "$T/held1.out")" = "onetwo" ]
check wait_for "$SLOG" '"identity":"spiffe://example.org/ns/prod/sa/web","verdict":"allowed","reason":null,"tls":"TLSv1.3","cipher":"[A-Z0-9_]*","bytes_in":6,"bytes_out":6'
scrape "$RSP" "$T/mr"
check is "$T/mr" 'mtlskit_client_reloads_total{result="ok"}' 2
check ge "$T/mr" 'mtlskit_client_reloads_total{result="failed"}' 2
check is "$T/mr" 'mtlskit_client_handshakes_total{result="ok"}' 5
check is "$T/mr" 'mtlskit_client_handshakes_total{result="failed"}' 1
check is "$T/mr" 'mtlskit_client_refusals_total{reason="tls_error"}' 1
check is "$T/mr" mtlskit_client_connections_total 6
# drain: /healthz says 503 while a connection is still open, then exit 0
timeout 40 python3 "$T/held.py" "$RP" "$T/go2" >"$T/held2.out" 2>&1 &
HC=$!
for ((i = 0; i < 100; i++)); do grep -q half "$T/held2.out" 2>/dev/null && break; sleep 0.05; done
check grep -q half "$T/held2.out"
kill -TERM "$RPX"
check wait_for "$RLOG" '"event":"drain","mode":"client","signal":"SIGTERM","active":1'
code=$(timeout 5 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RSP/healthz")
check [ "$code" = 503 ]
touch "$T/go2"
wait "$HC"
check [ "$(tail -1 "$T/held2.out")" = "onetwo" ]
for ((i = 0; i < 100; i++)); do kill -0 "$RPX" 2>/dev/null || break; sleep 0.05; done
wait "$RPX"
check [ $? -eq 0 ]

# ---- --crl: revocation of the server's chain, reloaded on change -------------------------------
C2=$T/crlca
mkdir -p "$C2"
cat >"$C2/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $C2/index.txt
new_certs_dir = $C2
certificate = $P/ca.pem
private_key = $P/ca-key.pem
crlnumber = $C2/crlnumber
default_md = sha256
default_crl_days = 7
crl_extensions = crlext
[crlext]
authorityKeyIdentifier = keyid
CNF
: >"$C2/index.txt"
echo 01 >"$C2/crlnumber"
ca2() { openssl ca -batch -config "$C2/ca.cnf" "$@" >/dev/null 2>&1; }
if ca2 -gencrl -out "$C2/empty.pem" && ca2 -revoke "$I/localhost.pem" &&
   ca2 -gencrl -out "$C2/revoked.pem"; then
  ok
  "$M" proxy client --listen "127.0.0.1:1" --target "127.0.0.1:$SP" "${CL[@]}" --crl "$T/blob" \
    --test-config >/dev/null 2>"$T/err"
  check [ $? -eq 2 ]
  check grep -q -- "--crl $T/blob" "$T/err"
  cp "$C2/empty.pem" "$R/crl.pem"
  VP=$(free_port)
  VLOG=$T/client-crl.log
  check start_client "$VP" "$VLOG" --target "127.0.0.1:$SP" --crl "$R/crl.pem" --status 127.0.0.1:0
  VPX=${PIDS[-1]}
  check [ "$(pc "$VP" -m "not revoked")" = "11 $(sha_of "not revoked")" ]
  cp "$C2/revoked.pem" "$R/crl.pem.new" && mv "$R/crl.pem.new" "$R/crl.pem"
  kill -HUP "$VPX"
  check wait_for "$VLOG" '"event":"reload","mode":"client","result":"ok"'
  check [ "$(pc "$VP" -m "revoked")" = "0 $(sha_of "")" ]
  check wait_for "$VLOG" '"reason":"cert_revoked"'
  scrape "$(status_port "$VLOG")" "$T/mv"
  check is "$T/mv" 'mtlskit_client_refusals_total{reason="revoked"}' 1
  check is "$T/mv" 'mtlskit_client_handshakes_total{result="refused"}' 1
  kill -TERM "$VPX"
  for ((i = 0; i < 100; i++)); do kill -0 "$VPX" 2>/dev/null || break; sleep 0.05; done
  wait "$VPX"
  check [ $? -eq 0 ]
else
  bad "openssl ca could not make the CRLs"
fi

# ---- --session-resumption, against openssl s_server (which issues tickets) ------------------
OSP=$(free_port)
OSLOG=$T/s_server.out
openssl s_server -accept "127.0.0.1:$OSP" -cert "$I/localhost.pem" -key "$I/localhost-key.pem" \
  -CAfile "$P/ca.pem" -Verify 2 -rev >"$OSLOG" 2>&1 &
PIDS+=($!)
check wait_for "$OSLOG" ACCEPT
# rev PORT LINE: one connection through a client proxy; prints the reply line
rev() {
  timeout 10 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=8)
s.sendall(sys.argv[2].encode() + b"\n")
got = b""
while not got.endswith(b"\n"):
    d = s.recv(100)
    if not d: break
    got += d
print(got.decode().strip())' "$1" "$2"
}
fulls() { grep -c '^depth=0' "$OSLOG"; } # full handshakes: the server verified a client chain
n_resumed() { grep -c '"detail":"session resumed"' "$1"; }
# off (the default): every connection is a full handshake
OP=$(free_port)
OLOG=$T/client-noresume.log
check start_client "$OP" "$OLOG" --target "127.0.0.1:$OSP" --workers 1
f0=$(fulls)
for i in 1 2 3; do check [ "$(rev "$OP" "abc$i")" = "${i}cba" ]; done
check [ "$(fulls)" -eq $((f0 + 3)) ]
check [ "$(n_resumed "$OLOG")" -eq 0 ]
kill -TERM "${PIDS[-1]}"
# on: the first connection is full, the next ones resume its sessions
cp "$I/web.pem" "$R/res.pem" && cp "$I/web-key.pem" "$R/res-key.pem" || bad "copy res cert"
EP2=$(free_port)
ELOG=$T/client-resume.log
"$M" proxy client --listen "127.0.0.1:$EP2" --target "127.0.0.1:$OSP" --cert "$R/res.pem" \
  --key "$R/res-key.pem" --ca "$P/ca.pem" --workers 1 --session-resumption 2>"$ELOG" &
EPX=$!
PIDS+=($EPX)
check wait_for "$ELOG" '"event":"start"'
f0=$(fulls)
for i in 1 2 3; do check [ "$(rev "$EP2" "abc$i")" = "${i}cba" ]; done
check [ "$(fulls)" -eq $((f0 + 1)) ]
check wait_for "$ELOG" '"detail":"session resumed"'
check [ "$(n_resumed "$ELOG")" -eq 2 ]
check [ "$(grep -c '"identity":"127.0.0.1","verdict":"allowed"' "$ELOG")" -eq 3 ]
# a reload (another client certificate): the cached session is not used;
# the server sees the new certificate, then its sessions are resumed
cp "$I/clionly.pem" "$R/res.pem.new" && cp "$I/clionly-key.pem" "$R/res-key.pem.new" &&
  mv "$R/res.pem.new" "$R/res.pem" && mv "$R/res-key.pem.new" "$R/res-key.pem"
kill -HUP "$EPX"
check wait_for "$ELOG" '"event":"reload","mode":"client","result":"ok"'
f0=$(fulls)
check [ "$(rev "$EP2" "after reload")" = "daoler retfa" ]
check [ "$(fulls)" -eq $((f0 + 1)) ]
check [ "$(n_resumed "$ELOG")" -eq 2 ]
check [ "$(grep '^Peer certificate:' "$OSLOG" | tail -1)" = "Peer certificate: $(openssl x509 -in "$I/clionly.pem" -noout -subject -nameopt oneline | sed 's/^subject=//')" ]
check [ "$(rev "$EP2" "resumed again")" = "niaga demuser" ]
check [ "$(fulls)" -eq $((f0 + 1)) ]
check [ "$(n_resumed "$ELOG")" -eq 3 ]
kill -TERM "$EPX"
for ((i = 0; i < 100; i++)); do kill -0 "$EPX" 2>/dev/null || break; sleep 0.05; done
wait "$EPX"
check [ $? -eq 0 ]

# ---- no fd leak after 200 connections (some cut short by the local client) -----------------------
fds_before=$(ls /proc/"$CPX"/fd 2>/dev/null | wc -l)
timeout 60 python3 - "$CP" <<'EOF2' >"$T/many.out" 2>&1
import socket, sys
port = int(sys.argv[1]); good = 0
for i in range(200):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if i % 4 == 3:
        s.close(); continue  # gone before the upstream is verified
    s.sendall(b"x%d\n" % i); s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        d = s.recv(4096)
        if not d: break
        got += d
    good += got == b"x%d\n" % i
    s.close()
print(good)
EOF2
check [ "$(cat "$T/many.out")" = "150" ]
for ((i = 0; i < 100; i++)); do
  [ "$(ls /proc/"$CPX"/fd 2>/dev/null | wc -l)" -le "$fds_before" ] && break
  sleep 0.05
done
check [ "$(ls /proc/"$CPX"/fd 2>/dev/null | wc -l)" -le "$fds_before" ]

# ---- drain on SIGTERM -------------------------------------------------------------------------------
if kill -0 "$CPX" 2>/dev/null; then
  kill -TERM "$CPX"
  for ((i = 0; i < 100; i++)); do kill -0 "$CPX" 2>/dev/null || break; sleep 0.05; done
  wait "$CPX" 2>/dev/null
  rc=$?
  check [ "$rc" -eq 0 ]
  check wait_for "$CLOG" '"event":"stop"'
else
  bad "client proxy process not found"
fi

# no sanitizer report in any log (ASan/UBSan builds)
for f in "$T"/*.log; do
  if grep -q "Sanitizer\|runtime error" "$f"; then bad "sanitizer report in $f"; else ok; fi
done

if [ "$fail" -ne 0 ]; then
  for f in "$CLOG" "$SLOG"; do
    echo "--- $f" >&2
    tail -10 "$f" >&2
  done
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
