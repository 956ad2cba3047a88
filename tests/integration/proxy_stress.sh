#!/usr/bin/env bash
# proxy_stress.sh: the heavy tests of `mtlskit proxy server` and `proxy
# client` (issue 4, "Proof"), beside the functional ones in proxy_server.sh
# and proxy_client.sh. The peers and load generators are
# tests/integration/tools/stress.py (python3, stdlib only). Cases:
#  1. fd and memory stable after 10,000 full mTLS connections (500 to warm
#     up, then 10,000 with 50 at once): the proxy's fd count back to the
#     baseline exactly, VmRSS growth below 8 MiB, /metrics adds up, one clean
#     log line per connection;
#  2. reload under load: 4 clients in a loop and one long-lived connection
#     while the server cert/key (new ones from the same CA, a broken file, a
#     cert/key mismatch) and the CA bundle are rewritten with SIGHUP between:
#     no failed connection, every connection begun after a reload sees the
#     new certificate (the old one after a refused reload), the long-lived
#     connection keeps working, a client of the CA added by the reload gets in;
#  3. 256 MiB each way, SHA-256 checked at both ends, through `proxy client`
#     and `proxy server` chained; half-close both ways (the last MiB of one
#     side only goes after it saw the other side's EOF);
#  4. slowloris: 200 connections dribbling a ClientHello one octet at a time
#     are closed at --handshake-timeout 2 (plus slack), each logged as
#     handshake_timeout, while good clients get through quickly;
#  5. garbage flood: 2,000 connections with random octets, an HTTP request, a
#     TLS 1.0 ClientHello, an oversized record, an SSLv2 hello, nothing: each
#     closed by the proxy with its reason and detail in the log, the fd count
#     back to baseline, a good client afterwards;
#  6. vanishing peers: clients reset during the handshake and mid-stream, a
#     backend that resets or closes mid-stream, a backend that refuses: each
#     logged with its reason, no fd leak.
# Drain (SIGTERM) ends every proxy with exit 0; no sanitizer report. Under a
# sanitizer build (MTK_SANITIZE set, or libasan/libtsan in the binary) the
# counts are scaled down and RSS is only reported (ASan's quarantine holds
# freed memory).
# Everything on 127.0.0.1; every loop and wait is bounded.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
ST="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tools/stress.py"
. "$(dirname "${BASH_SOURCE[0]}")/tools/common.bash"
say() { echo "== $*"; }

wait_for() { # FILE PATTERN [SECONDS]
  local i n=$(( ${3:-10} * 20 ))
  for ((i = 0; i < n; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
wait_port() { # PORT
  local i
  for ((i = 0; i < 100; i++)); do
    python3 -c "import socket;socket.create_connection(('127.0.0.1',$1),1)" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
log_count() { grep -c -- "$2" "$1" 2>/dev/null || true; }
# wait_count FILE PATTERN N [SECONDS]: until PATTERN occurs at least N times
wait_count() {
  local i n=$(( ${4:-30} * 20 ))
  for ((i = 0; i < n; i++)); do
    [ "$(log_count "$1" "$2")" -ge "$3" ] && return 0
    sleep 0.05
  done
  return 1
}
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# fd_back PID WANT: the fd count returns to WANT within 5 s
fd_back() {
  local i n
  for ((i = 0; i < 100; i++)); do
    n=$(fds "$1")
    [ "$n" -eq "$2" ] && return 0
    sleep 0.05
  done
  echo "  fd count of $1: $n, baseline $2" >&2
  ls -l "/proc/$1/fd" >&2
  return 1
}
# json FILE KEY: a top-level value of the JSON object in FILE
json() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print("null" if v is None else v)' "$1" "$2"; }
mono() { python3 -c 'import time; print(time.monotonic())'; }
scrape() { timeout 5 curl -sS "http://127.0.0.1:$1/metrics" >"$2" 2>&1; }
metric() { awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' "$1"; }
# eq WHAT GOT WANT
eq() { [ "$2" = "$3" ] || { echo "  $1: $2, want $3" >&2; return 1; }; }
le() { [ "$2" -le "$3" ] 2>/dev/null || { echo "  $1: $2, want <= $3" >&2; return 1; }; }
ge() { [ "$2" -ge "$3" ] 2>/dev/null || { echo "  $1: $2, want >= $3" >&2; return 1; }; }
# fle WHAT GOT BOUND: float GOT <= BOUND
fle() { python3 -c "import sys; sys.exit(0 if float('$2') <= float('$3') else 1)" 2>/dev/null ||
  { echo "  $1: $2, want <= $3" >&2; return 1; }; }
stop_proxy() { # PID: SIGTERM, drained, exit 0
  kill -TERM "$1"
  local i
  for ((i = 0; i < 200; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  wait "$1"
  check eq "proxy exit status after SIGTERM" $? 0
}

# ---- scale --------------------------------------------------------------------------------
SAN=
if [ -n "${MTK_SANITIZE:-}" ] || { ldd "$M" 2>/dev/null | grep -q 'lib[at]san'; } ||
   { nm "$M" 2>/dev/null | grep -q '__[at]san_init'; }; then
  SAN=1
fi
N_WARM=500 N_MAIN=10000 N_GARB=2000 N_SLOW=200 N_VAN=400 N_REFUSED=100
BULK=$((256 << 20))
RSS_BOUND_KB=8192 SLOW_SLACK=1.0 GOOD_MS=1000 CLOSE_WITHIN=5
if [ -n "$SAN" ]; then
  N_WARM=200 N_MAIN=2000 N_GARB=500 N_SLOW=100 N_VAN=200 N_REFUSED=50
  BULK=$((64 << 20))
  SLOW_SLACK=2.5 GOOD_MS=3000 CLOSE_WITHIN=10
  say "sanitizer build: counts scaled down ($N_MAIN connections, $N_GARB garbage, $N_SLOW slowloris, $((BULK >> 20)) MiB each way); RSS reported, not bounded"
fi

# ---- PKI ----------------------------------------------------------------------------------
P=$T/pki
Q=$T/other
"$M" pki init "$P" >/dev/null || { echo "pki init failed"; exit 1; }
"$M" pki init "$Q" >/dev/null || exit 1
"$M" pki issue "$P" --server --dns localhost --ip 127.0.0.1 >/dev/null || exit 1
for s in srv2 srv3 srv4; do "$M" pki issue "$P" "$s" --server --dns localhost --ip 127.0.0.1 >/dev/null || exit 1; done
"$M" pki issue "$P" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
"$M" pki issue "$Q" web --client --uri spiffe://example.org/ns/prod/sa/web >/dev/null || exit 1
I=$P/issued
WEB=(--ca "$P/ca.pem" --cert "$I/web.pem" --key "$I/web-key.pem")
COMMON=(--cert "$I/localhost.pem" --key "$I/localhost-key.pem" --ca "$P/ca.pem"
        --allow-uri 'spiffe://example.org/ns/prod/sa/web')

EP=$(free_port)
python3 "$ST" echo "$EP" 2>"$T/echo.err" & PIDS+=("$!")
check wait_port "$EP"

# ---- 1. fd and memory stable after N_MAIN connections --------------------------------------
PP=$(free_port)
SP=$(free_port)
LOG=$T/proxy.log
"$M" proxy server --listen "127.0.0.1:$PP" --target "127.0.0.1:$EP" "${COMMON[@]}" --workers 2 \
  --handshake-timeout 2 --status "127.0.0.1:$SP" 2>"$LOG" &
PX=$!
PIDS+=("$PX")
check wait_for "$LOG" '"event":"start"'
say "1. $N_WARM connections to warm up, then $N_MAIN (50 at once)"
python3 "$ST" burst "$PP" "${WEB[@]}" --n "$N_WARM" --conc 50 --procs 2 --seed 1 >"$T/warm.json"
check eq "warm-up connections ok" "$(json "$T/warm.json" ok)" "$N_WARM"
check wait_count "$LOG" '"event":"conn"' "$N_WARM"
scrape "$SP" "$T/m0" # the status listener has served once before the baseline
sleep 0.3
fd0=$(fds "$PX")
rss0=$(rss_kb "$PX")
python3 "$ST" burst "$PP" "${WEB[@]}" --n "$N_MAIN" --conc 50 --procs 2 --seed 2 --timeout 150 >"$T/main.json"
cat "$T/main.json"
check eq "connections ok" "$(json "$T/main.json" ok)" "$N_MAIN"
check eq "connections failed" "$(json "$T/main.json" fail)" 0
NT=$((N_WARM + N_MAIN))
check wait_count "$LOG" '"event":"conn"' "$NT"
check fd_back "$PX" "$fd0"
fd1=$(fds "$PX")
rss1=$(rss_kb "$PX")
say "1. $N_MAIN connections in $(json "$T/main.json" seconds) s ($(json "$T/main.json" per_second)/s, slowest $(json "$T/main.json" max_ms) ms); fds $fd0 -> $fd1; VmRSS $rss0 -> $rss1 kB (+$((rss1 - rss0)) kB, bound $RSS_BOUND_KB kB${SAN:+, not asserted})"
[ -z "$SAN" ] && check le "VmRSS growth (kB)" $((rss1 - rss0)) "$RSS_BOUND_KB"
check eq "clean log lines" "$(log_count "$LOG" '"verdict":"allowed","reason":null,"tls":"TLSv1.3"')" "$NT"
check eq "conn log lines" "$(log_count "$LOG" '"event":"conn"')" "$NT"
scrape "$SP" "$T/m1"
check eq connections_total "$(metric "$T/m1" mtlskit_connections_total)" "$NT"
check eq 'handshakes ok' "$(metric "$T/m1" 'mtlskit_handshakes_total{result="ok"}')" "$NT"
check eq 'handshakes failed' "$(metric "$T/m1" 'mtlskit_handshakes_total{result="failed"}')" 0
check eq 'handshakes refused' "$(metric "$T/m1" 'mtlskit_handshakes_total{result="refused"}')" 0
check eq connections_active "$(metric "$T/m1" mtlskit_connections_active)" 0
check eq bytes_in_total "$(metric "$T/m1" mtlskit_bytes_in_total)" $((NT * 64))
check eq bytes_out_total "$(metric "$T/m1" mtlskit_bytes_out_total)" $((NT * 64))
check eq 'handshake histogram count' "$(metric "$T/m1" mtlskit_handshake_duration_seconds_count)" "$NT"
check eq 'handshake histogram +Inf' "$(metric "$T/m1" 'mtlskit_handshake_duration_seconds_bucket{le="+Inf"}')" "$NT"

# ---- 5. garbage flood ------------------------------------------------------------------------
say "5. $N_GARB connections with garbage instead of a ClientHello"
off=$(stat -c %s "$LOG")
n0=$(log_count "$LOG" '"event":"conn"')
python3 "$ST" garbage "$PP" --n "$N_GARB" --conc 50 --close-within "$CLOSE_WITHIN" --ports "$T/garbage.ports" >"$T/garbage.json"
cat "$T/garbage.json"
check eq "garbage connections done" "$(json "$T/garbage.json" "done")" "$N_GARB"
check eq "garbage connections closed by the proxy" "$(json "$T/garbage.json" closed_by_proxy)" "$N_GARB"
check wait_count "$LOG" '"event":"conn"' $((n0 + N_GARB))
python3 "$ST" logcheck --log "$LOG" --from "$off" --ports "$T/garbage.ports" \
  --expect 'random=tls_error~wrong version number' --expect 'http=tls_error~http request' \
  --expect 'tls10=tls_error~unsupported protocol' --expect 'oversize=tls_error~packet length too long' \
  --expect 'sslv2=tls_error~unsupported protocol' --expect 'empty=client_closed' >"$T/garbage.check"
check eq "garbage log lines (logcheck)" $? 0
cat "$T/garbage.check"
check fd_back "$PX" "$fd0"
scrape "$SP" "$T/m2"
check eq 'handshakes failed after garbage' "$(metric "$T/m2" 'mtlskit_handshakes_total{result="failed"}')" "$N_GARB"
g=$(( $(metric "$T/m2" 'mtlskit_refusals_total{reason="garbage"}') + $(metric "$T/m2" 'mtlskit_refusals_total{reason="tls_error"}') ))
# all but the empty ones (every 6th, from the 6th on) count as garbage or tls_error
check eq 'refusals garbage + tls_error' "$g" $((N_GARB - (N_GARB + 1) / 6))
python3 "$ST" burst "$PP" "${WEB[@]}" --n 20 --conc 2 --procs 1 >"$T/after.json"
check eq "good clients after the garbage" "$(json "$T/after.json" ok)" 20

# ---- 4. slowloris ----------------------------------------------------------------------------
say "4. slowloris: $N_SLOW connections dribbling a ClientHello, --handshake-timeout 2"
off=$(stat -c %s "$LOG")
n0=$(log_count "$LOG" '"event":"conn"')
python3 "$ST" slowloris "$PP" "${WEB[@]}" --n "$N_SLOW" --interval 0.1 --spread 0.5 --max-seconds 10 \
  --ports "$T/slow.ports" >"$T/slow.json"
cat "$T/slow.json"
check eq "slowloris connections closed by the proxy" "$(json "$T/slow.json" closed_by_proxy)" "$N_SLOW"
check fle "slowloris: longest open (s)" "$(json "$T/slow.json" open_s_max)" "$(python3 -c "print(2 + $SLOW_SLACK)")"
check fle "slowloris: closed before the timeout (s)" 1.9 "$(json "$T/slow.json" open_s_min)"
python3 - "$T/slow.json" "$GOOD_MS" <<'EOF'
import json, sys
g = json.load(open(sys.argv[1]))["good"]
ok = g["count"] >= 5 and not g["errors"] and g["max_ms"] is not None and g["max_ms"] <= float(sys.argv[2])
print("== 4. good clients during the flood: %d, median %s ms, slowest %s ms (bound %s ms), errors %s"
      % (g["count"], g["median_ms"], g["max_ms"], sys.argv[2], g["errors"]))
sys.exit(0 if ok else 1)
EOF
check eq "good clients during the slowloris flood" $? 0
n_good=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["good"]["count"])' "$T/slow.json")
check wait_count "$LOG" '"event":"conn"' $((n0 + N_SLOW + n_good))
python3 "$ST" logcheck --log "$LOG" --from "$off" --ports "$T/slow.ports" \
  --expect 'slowloris=handshake_timeout' >"$T/slow.check"
check eq "slowloris log lines (logcheck)" $? 0
cat "$T/slow.check"
check fd_back "$PX" "$fd0"
scrape "$SP" "$T/m3"
check eq 'refusals timeout' "$(metric "$T/m3" 'mtlskit_refusals_total{reason="timeout"}')" "$N_SLOW"

# ---- 6. vanishing peers ------------------------------------------------------------------------
say "6. vanishing peers: $N_VAN connections (client resets, backend resets or closes mid-stream)"
off=$(stat -c %s "$LOG")
n0=$(log_count "$LOG" '"event":"conn"')
python3 "$ST" vanish "$PP" "${WEB[@]}" --n "$N_VAN" --conc 20 --close-within "$CLOSE_WITHIN" \
  --ports "$T/vanish.ports" >"$T/vanish.json"
cat "$T/vanish.json"
check eq "vanish connections done" "$(json "$T/vanish.json" "done")" "$N_VAN"
# the client sees the proxy close when the backend goes away (never a timeout)
check eq "closed after the backend went" "$(python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["how"]
print(sum(v for k, v in h.items() if k.startswith("backend_") and not k.endswith((":eof", ":reset"))))' "$T/vanish.json")" 0
check wait_count "$LOG" '"event":"conn"' $((n0 + N_VAN))
python3 "$ST" logcheck --log "$LOG" --from "$off" --ports "$T/vanish.ports" \
  --expect 'client_rst_handshake=client_reset' --expect 'client_rst_stream=client_reset' \
  --expect 'backend_rst=backend_reset' --expect 'backend_fin=client_eof_without_close_notify' >"$T/vanish.check"
check eq "vanish log lines (logcheck)" $? 0
cat "$T/vanish.check"
check fd_back "$PX" "$fd0"
# a backend that refuses: every client closed, logged, no fd kept
DEAD=$(free_port)
PP2=$(free_port)
LOG2=$T/proxy-dead.log
"$M" proxy server --listen "127.0.0.1:$PP2" --target "127.0.0.1:$DEAD" "${COMMON[@]}" --workers 2 2>"$LOG2" &
PX2=$!
PIDS+=("$PX2")
check wait_for "$LOG2" '"event":"start"'
sleep 0.2
fd2=$(fds "$PX2")
python3 "$ST" burst "$PP2" "${WEB[@]}" --n "$N_REFUSED" --conc 10 --procs 1 --timeout 60 >"$T/dead.json"
check eq "refused backend: no data came back" "$(json "$T/dead.json" ok)" 0
check eq "refused backend: all closed" "$(json "$T/dead.json" fail)" "$N_REFUSED"
check wait_count "$LOG2" '"reason":"backend_connect"' "$N_REFUSED"
check fd_back "$PX2" "$fd2"
stop_proxy "$PX2"

# ---- 2. reload under load ----------------------------------------------------------------------
say "2. reload under load"
R=$T/rl
mkdir -p "$R"
cp "$I/localhost.pem" "$R/srv.pem"
cp "$I/localhost-key.pem" "$R/srv-key.pem"
cp "$P/ca.pem" "$R/ca.pem"
put() { # SRC DEST: atomic rename-replace
  cp "$1" "$2.new" && mv "$2.new" "$2"
}
RP=$(free_port)
RLOG=$T/reload.log
"$M" proxy server --listen "127.0.0.1:$RP" --target "127.0.0.1:$EP" --cert "$R/srv.pem" \
  --key "$R/srv-key.pem" --ca "$R/ca.pem" --allow-uri 'spiffe://example.org/ns/prod/sa/web' \
  --workers 2 2>"$RLOG" &
RPX=$!
PIDS+=("$RPX")
check wait_for "$RLOG" '"event":"start"'
# the other CA's client is refused before the CA bundle grows
OTHER=(--ca "$P/ca.pem" --cert "$Q/issued/web.pem" --key "$Q/issued/web-key.pem")
python3 "$ST" burst "$RP" "${OTHER[@]}" --n 1 --procs 1 >"$T/other0.json"
check eq "other CA before the CA reload" "$(json "$T/other0.json" ok)" 0
python3 "$ST" reload-load "$RP" "${WEB[@]}" --clients 4 --stop-file "$T/rl.stop" \
  --long-ready "$T/rl.ready" --records "$T/rl.json" --max-seconds 60 \
  --known "localhost=$I/localhost.pem" --known "srv2=$I/srv2.pem" --known "srv3=$I/srv3.pem" \
  --known "srv4=$I/srv4.pem" >"$T/rl.out" &
RL=$!
PIDS+=("$RL")
check wait_for "$T/rl.ready" ready 10
sleep 0.5
echo "0 0 localhost" >"$T/markers"
# reload EXPECT-RESULT NAME-SERVED-AFTER: SIGHUP, wait for the result line;
# a marker line "BEFORE-HUP AFTER-RESULT NAME" for reload-check
reload() {
  local n pre
  n=$(log_count "$RLOG" "\"result\":\"$1\",\"trigger\":\"SIGHUP\"")
  pre=$(mono)
  kill -HUP "$RPX"
  check wait_count "$RLOG" "\"result\":\"$1\",\"trigger\":\"SIGHUP\"" $((n + 1)) 10
  echo "$pre $(mono) $2" >>"$T/markers"
  sleep 0.8
}
put "$I/srv2.pem" "$R/srv.pem" && put "$I/srv2-key.pem" "$R/srv-key.pem"
reload ok srv2
echo "not a certificate" >"$R/srv.pem.new" && mv "$R/srv.pem.new" "$R/srv.pem"
reload failed srv2
check grep -q '"result":"failed","trigger":"SIGHUP","reason":"--cert ' "$RLOG"
put "$I/srv3.pem" "$R/srv.pem" && put "$I/srv3-key.pem" "$R/srv-key.pem"
reload ok srv3
put "$I/srv4.pem" "$R/srv.pem" # srv4's certificate with srv3's key
reload failed srv3
put "$I/srv4-key.pem" "$R/srv-key.pem"
reload ok srv4
cat "$Q/ca.pem" "$P/ca.pem" >"$R/ca.pem.new" && mv "$R/ca.pem.new" "$R/ca.pem"
reload ok srv4
python3 "$ST" burst "$RP" "${OTHER[@]}" --n 1 --procs 1 >"$T/other1.json"
check eq "other CA after the CA reload" "$(json "$T/other1.json" ok)" 1
touch "$T/rl.stop"
wait "$RL"
cat "$T/rl.out"
python3 "$ST" reload-check --records "$T/rl.json" --markers "$T/markers" --min-per-window 5 >"$T/rl.check"
check eq "reload under load (reload-check)" $? 0
cat "$T/rl.check"
check eq "long-lived connection: certificate" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["long"]["cert"])' "$T/rl.check")" localhost
grep '"event":"reload"' "$RLOG"
stop_proxy "$RPX"

# ---- 3. 256 MiB each way through proxy client and proxy server -----------------------------------
say "3. $((BULK >> 20)) MiB each way: client -> proxy client -> proxy server -> backend"
BP=$(free_port)
SPP=$(free_port)
CPP=$(free_port)
SLOG=$T/chain-server.log
CLOG=$T/chain-client.log
"$M" proxy server --listen "127.0.0.1:$SPP" --target "127.0.0.1:$BP" "${COMMON[@]}" --workers 2 2>"$SLOG" &
SPX=$!
PIDS+=("$SPX")
"$M" proxy client --listen "127.0.0.1:$CPP" --target "127.0.0.1:$SPP" --cert "$I/web.pem" \
  --key "$I/web-key.pem" --ca "$P/ca.pem" --workers 2 2>"$CLOG" &
CPX=$!
PIDS+=("$CPX")
check wait_for "$SLOG" '"event":"start"'
check wait_for "$CLOG" '"event":"start"'
# bulk ROUND HOLD-SIDE SIZE: one transfer; HOLD-SIDE sends its last MiB only after the other's EOF
bulk() {
  local bargs=() cargs=()
  [ "$2" = backend ] && bargs=(--hold-tail)
  [ "$2" = client ] && cargs=(--hold-tail)
  python3 "$ST" bulk-backend "$BP" --size "$3" --seed $((10 + $1)) --timeout 120 --ready "$T/bb$1.ready" \
    "${bargs[@]}" >"$T/bb$1.json" &
  local bb=$!
  check wait_for "$T/bb$1.ready" ready
  python3 "$ST" bulk-client "$CPP" --size "$3" --seed $((20 + $1)) --timeout 120 "${cargs[@]}" >"$T/bc$1.json"
  wait "$bb"
  echo "  client:  $(cat "$T/bc$1.json")"
  echo "  backend: $(cat "$T/bb$1.json")"
  check eq "client sent" "$(json "$T/bc$1.json" sent)" "$3"
  check eq "backend sent" "$(json "$T/bb$1.json" sent)" "$3"
  check eq "backend received" "$(json "$T/bb$1.json" received)" "$3"
  check eq "client received" "$(json "$T/bc$1.json" received)" "$3"
  check eq "SHA-256 client -> backend" "$(json "$T/bb$1.json" recv_sha256)" "$(json "$T/bc$1.json" sent_sha256)"
  check eq "SHA-256 backend -> client" "$(json "$T/bc$1.json" recv_sha256)" "$(json "$T/bb$1.json" sent_sha256)"
  check eq "backend saw EOF" "$(json "$T/bb$1.json" eof)" True
  check eq "client saw EOF" "$(json "$T/bc$1.json" eof)" True
  local s
  for s in bb bc; do
    check eq "$s send error" "$(json "$T/$s$1.json" sent_error)" null
    check eq "$s receive error" "$(json "$T/$s$1.json" recv_error)" null
  done
  [ "$2" = backend ] && check eq "backend's last MiB after the client's EOF" "$(json "$T/bb$1.json" tail_after_peer_eof)" True
  [ "$2" = client ] && check eq "client's last MiB after the backend's EOF" "$(json "$T/bc$1.json" tail_after_peer_eof)" True
}
bulk 1 backend "$BULK"
check wait_for "$SLOG" "\"verdict\":\"allowed\",\"reason\":null,.*\"bytes_in\":$BULK,\"bytes_out\":$BULK,"
check wait_for "$CLOG" "\"verdict\":\"allowed\",\"reason\":null,.*\"bytes_in\":$BULK,\"bytes_out\":$BULK,"
bulk 2 client $((16 << 20))
stop_proxy "$CPX"
stop_proxy "$SPX"

# ---- the end: the abused proxy drains and exits 0 -----------------------------------------------
stop_proxy "$PX"
check grep -q '"event":"stop"' "$LOG"
for f in "$T"/*.log "$T/echo.err"; do
  if grep -q "Sanitizer\|runtime error" "$f"; then bad "sanitizer report in $f"; grep -m5 -A5 Sanitizer "$f" >&2; else ok; fi
done
if [ "$fail" -ne 0 ]; then
  echo "--- proxy log (last lines)" >&2
  tail -5 "$LOG" >&2
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
