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
# a chain from another CA, a server certificate without serverAuth, a server
# that refuses our client identity, an upstream that is down; no fd leak
# after 200 connections; drain on SIGTERM; no sanitizer report. Every wait
# is bounded.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
T=$(mktemp -d)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if "$@"; then ok; else bad "$*"; fi; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
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
check start_client "$CP" "$CLOG" --target "127.0.0.1:$SP"
CPX=${PIDS[-1]}
msg="hello through both proxies $RANDOM"
check [ "$(pc "$CP" -m "$msg")" = "${#msg} $(sha_of "$msg")" ]
check wait_for "$CLOG" '"verdict":"allowed"'
check wait_for "$CLOG" '"identity":"127.0.0.1"'
# the client certificate reached the server
check wait_for "$SLOG" '"identity":"spiffe://example.org/ns/prod/sa/web"'
check wait_for "$SLOG" '"verdict":"allowed"'

# by DNS: the target's host localhost is a DNS-ID reference (and the SNI)
CP2=$(free_port); CLOG2=$T/client-dns.log
check start_client "$CP2" "$CLOG2" --target "localhost:$SP"
check [ "$(pc "$CP2" -m "$msg")" = "${#msg} $(sha_of "$msg")" ]
check wait_for "$CLOG2" '"identity":"localhost"'
check grep -q 'sni localhost' "$CLOG2"

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
refused() { # WHAT LOG REASON ARGS...
  local what=$1 log=$2 reason=$3
  shift 3
  local port
  port=$(free_port)
  if ! start_client "$port" "$log" "$@"; then bad "$what: client proxy did not start"; return; fi
  local got
  got=$(pc "$port" -m "secret data")
  if [ "$got" = "0 $(sha_of "")" ]; then ok; else bad "$what: got '$got'"; fi
  if wait_for "$log" "\"reason\":\"$reason\""; then ok; else bad "$what: no log line with reason $reason"; grep '"conn"' "$log" >&2; fi
  if grep -q '"verdict":"refused"' "$log"; then ok; else bad "$what: no refused verdict"; fi
}
refused "server cert does not name the target" "$T/client-wrongname.log" server_identity \
  --target "127.0.0.1:$SP" --server-name wrong.example.org
check grep -q 'does not name dns:wrong.example.org' "$T/client-wrongname.log"
refused "wrong --server-uri" "$T/client-wronguri.log" server_identity \
  --target "127.0.0.1:$SP" --server-uri https://wrong.example.org/
refused "server chain from another CA" "$T/client-otherca.log" untrusted --target "127.0.0.1:$SQ"
refused "server cert without serverAuth" "$T/client-eku.log" eku --target "127.0.0.1:$SE"
"$M" pki issue "$P" db --client --uri spiffe://example.org/ns/prod/sa/db >/dev/null || bad "pki issue db"
CL=(--cert "$I/db.pem" --key "$I/db-key.pem" --ca "$P/ca.pem")
refused "the server refuses our identity" "$T/client-notallowed.log" upstream_refused --target "127.0.0.1:$SP"
check wait_for "$SLOG" '"identity":"spiffe://example.org/ns/prod/sa/db","verdict":"refused","reason":"not_allowed"'
CL=(--cert "$I/web.pem" --key "$I/web-key.pem" --ca "$P/ca.pem")
DOWN=$(free_port)
refused "upstream down" "$T/client-down.log" upstream_connect --target "127.0.0.1:$DOWN"
# the server never saw data from the refused connections
check [ "$(grep -c '"bytes_in":11,' "$SLOG" "$SQLOG" "$SELOG" | awk -F: '{s+=$2} END {print s+0}')" -eq 0 ]

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
