#!/usr/bin/env bash
# bench/proxy_bench.sh: mtlskit proxy server beside stunnel, HAProxy and nginx,
# all doing the same mTLS job, measured in one run with interleaved repetitions.
#
#   bench/proxy_bench.sh [--quick] [--reps N] [--peers LIST] [--mtlskit PATH] [options]
#
# Every peer: TLS 1.3, a P-256 server certificate, client certificate required
# and verified against the test CA, plaintext forwarded to bench/mtk_backend.
# The generator (bench/mtk_load) offers only P-256 and TLS_AES_128_GCM_SHA256,
# never resumes, and verifies the server certificate. Servers run in the
# foreground from configs in a temp dir and are stopped by PID; no system
# service is touched. Everything listens on 127.0.0.1 only.
#
# Measured per peer and repetition (peer order rotates every repetition):
#   hs    handshakes/s with --hs-conns concurrent full mTLS handshakes, and the
#         proxy's CPU time per handshake (utime+stime of the proxy process and
#         all its descendants, from /proc, at both ends of the window)
#   tput  MB/s with --tput-conns connections pulling --tput-bytes each, and the
#         proxy's CPU seconds per GB
#   idle  resident memory per idle mTLS connection: (sum of VmRSS of all the
#         proxy's processes with --idle-conns connections held) minus (the same
#         after a short warm-up with none), divided by the connections held
# Before measuring, each peer must enforce mTLS: a good certificate works, no
# certificate and a certificate from another CA are refused.
#
# Results: $BENCH_OUT/<UTC time>/ (default BENCH_OUT=/tmp/mtk-bench): summary.md
# (the table, also printed), raw.txt (one line per run), checks.txt, env.txt,
# logs/. bench/README.md explains the columns and how to read the ratios.
#
# Exit status: 0 done; 1 a peer or tool could not start, or a prerequisite is
# missing (the apt-get line is printed); 2 bad usage.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${MTK_BENCH_BUILD:-$SRC/build-bench}
OUT_BASE=${BENCH_OUT:-/tmp/mtk-bench}
HOST=127.0.0.1
ALL_PEERS=mtlskit,stunnel,haproxy,nginx
PEERS=$ALL_PEERS
REPS=3
QUICK=0
MTLSKIT=""
HS_CONNS=32
HS_SECS=10
HS_WARMUP=1
TPUT_CONNS=8
TPUT_BYTES=$((256 << 20))
IDLE_CONNS=10000
IDLE_REPS=1
WORKERS=2
GEN_THREADS=2
BASE_PORT=31400
SUMMARIZE_ONLY=""

usage() {
  cat <<EOF
usage: bench/proxy_bench.sh [options]

Runs mtlskit proxy server, stunnel4, HAProxy and nginx (stream) side by side
for the same mTLS job on 127.0.0.1 and prints a Markdown table: handshakes/s,
proxy CPU per handshake, MB/s, proxy CPU per GB, bytes per idle connection,
session tickets sent, each with its ratio to the best peer ("x best").

Options:
  --reps N            interleaved repetitions, peer order rotated (default $REPS)
  --quick             smoke test: 1 rep, short windows, 2000 idle connections
                      (under 2 minutes)
  --peers LIST        comma-separated subset of: $ALL_PEERS (default: all)
  --mtlskit PATH      the mtlskit binary to measure (default: build it in
                      \$MTK_BENCH_BUILD, default build-bench/)
  --hs-conns N        concurrent connections in the handshake test (default $HS_CONNS)
  --hs-secs S         measured window of the handshake test (default $HS_SECS)
  --tput-conns N      connections in the throughput test (default $TPUT_CONNS)
  --tput-bytes B      bytes each of them pulls (default $TPUT_BYTES)
  --idle-conns N      idle connections held for the memory test (default $IDLE_CONNS;
                      lowered, with a note, when the open-file limit cannot hold them)
  --idle-reps N       repetitions that also run the idle test (default $IDLE_REPS, 0: none;
                      the figure is steady, and 10,000 handshakes per peer take time)
  --workers N         proxy workers/threads/processes where configurable (default $WORKERS)
  --gen-threads N     load generator threads (default $GEN_THREADS)
  --base-port P       backend on P, peers on P+1... (default $BASE_PORT)
  --summarize DIR     rebuild summary.md of an earlier results directory and print it
  -h, --help          this help

Environment: BENCH_OUT (results, default /tmp/mtk-bench), MTK_BENCH_BUILD.
Prerequisites (Debian 12): apt-get install stunnel4 haproxy nginx libnginx-mod-stream
Exit status: 0 done; 1 a prerequisite is missing or a tool could not start; 2 bad usage.
EOF
}

die_usage() { echo "proxy_bench.sh: $*; see bench/proxy_bench.sh --help" >&2; exit 2; }
num() { [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] || die_usage "$1 needs a positive integer, got '$2'"; }
num0() { [[ $2 =~ ^[0-9]+$ ]] || die_usage "$1 needs an integer >= 0, got '$2'"; }

while [ $# -gt 0 ]; do
  case $1 in
    --reps) num "$1" "${2-}"; REPS=$2; shift ;;
    --quick) QUICK=1 ;;
    --peers) PEERS=${2-}; shift ;;
    --mtlskit) MTLSKIT=${2-}; shift ;;
    --hs-conns) num "$1" "${2-}"; HS_CONNS=$2; shift ;;
    --hs-secs) num "$1" "${2-}"; HS_SECS=$2; shift ;;
    --tput-conns) num "$1" "${2-}"; TPUT_CONNS=$2; shift ;;
    --tput-bytes) num "$1" "${2-}"; TPUT_BYTES=$2; shift ;;
    --idle-conns) num "$1" "${2-}"; IDLE_CONNS=$2; shift ;;
    --idle-reps) num0 "$1" "${2-}"; IDLE_REPS=$2; shift ;;
    --workers) num "$1" "${2-}"; WORKERS=$2; shift ;;
    --gen-threads) num "$1" "${2-}"; GEN_THREADS=$2; shift ;;
    --base-port) num "$1" "${2-}"; BASE_PORT=$2; shift ;;
    --summarize) SUMMARIZE_ONLY=${2-}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  REPS=1; HS_SECS=3; HS_WARMUP=0.5; TPUT_CONNS=4; TPUT_BYTES=$((64 << 20)); IDLE_CONNS=2000
fi

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- summary
# summarize DIR: reads DIR/raw.txt and DIR/checks.txt, writes DIR/summary.md.
# Medians over repetitions; "x best" = this peer's median / the best peer's
# median for that metric (CPU and memory: lower is better, so the best is
# 1.00x and others are above; rates: higher is better, others are below).
summarize() {
  local dir=$1
  awk -v note_file="$dir/note.txt" '
    function kv(line, key,   n, i, a, f) {
      n = split(line, f, " ")
      for (i = 1; i <= n; i++) { split(f[i], a, "="); if (a[1] == key) return substr(f[i], length(key) + 2) }
      return ""
    }
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      if (n == 0 || list == "") return ""
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function add(arr, p, v) { if (v == "") return; arr[p] = (arr[p] == "" ? v : arr[p] " " v) }
    function ratio(v, best) { if (v == "" || best == "" || best + 0 == 0) return "-"; return sprintf("%.2fx", v / best) }
    function fmt(v, f) { return v == "" ? "-" : sprintf(f, v) }
    FILENAME ~ /checks.txt$/ {
      p = kv($0, "peer"); enforced[p] = kv($0, "enforced"); tick[p] = kv($0, "tickets_per_conn")
      if (!(p in seen)) { seen[p] = 1; order[++np] = p }
      next
    }
    /^RUN / {
      p = kv($0, "peer"); ph = kv($0, "phase"); acc = kv($0, "accounted_pct")
      if (!(p in seen)) { seen[p] = 1; order[++np] = p }
      if (ph == "hs") {
        add(hs, p, kv($0, "hs_per_s")); add(cpuhs, p, kv($0, "proxy_cpu_us_per_hs"))
        add(p50, p, kv($0, "hs_p50_us")); add(p99, p, kv($0, "hs_p99_us"))
        errs[p] += kv($0, "errors"); add(tickrun, p, kv($0, "tickets_per_conn"))
      } else if (ph == "tput") {
        add(mbs, p, kv($0, "mb_per_s")); add(cpugb, p, kv($0, "proxy_cpu_s_per_gb")); errs[p] += kv($0, "errors")
      }
      if (ph == "hs" || ph == "tput") {
        if (!(p in accmin) || acc + 0 < accmin[p] + 0) accmin[p] = acc
        if (allmin == "" || acc + 0 < allmin + 0) allmin = acc
        busysum += kv($0, "machine_busy_pct"); nbusy++
        if (acc + 0 < 80) disturbed++
        nruns++
      }
      next
    }
    /^IDLE / {
      p = kv($0, "peer")
      if (!(p in seen)) { seen[p] = 1; order[++np] = p }
      add(mem, p, kv($0, "bytes_per_conn"))
      h = kv($0, "held"); n = kv($0, "conns")
      if (!(p in heldmin) || h + 0 < heldmin[p] + 0) heldmin[p] = h
      idle_n[p] = n; idle_drop[p] += kv($0, "dropped"); idle_err[p] += kv($0, "errors")
      next
    }
    END {
      for (i = 1; i <= np; i++) {
        p = order[i]
        m_hs[p] = median(hs[p]); m_cpuhs[p] = median(cpuhs[p]); m_mbs[p] = median(mbs[p])
        m_cpugb[p] = median(cpugb[p]); m_mem[p] = median(mem[p])
        m_p50[p] = median(p50[p]); m_p99[p] = median(p99[p])
        if (m_hs[p] != "" && (b_hs == "" || m_hs[p] + 0 > b_hs + 0)) b_hs = m_hs[p]
        if (m_mbs[p] != "" && (b_mbs == "" || m_mbs[p] + 0 > b_mbs + 0)) b_mbs = m_mbs[p]
        if (m_cpuhs[p] != "" && (b_cpuhs == "" || m_cpuhs[p] + 0 < b_cpuhs + 0)) b_cpuhs = m_cpuhs[p]
        if (m_cpugb[p] != "" && (b_cpugb == "" || m_cpugb[p] + 0 < b_cpugb + 0)) b_cpugb = m_cpugb[p]
        if (m_mem[p] != "" && m_mem[p] + 0 > 0 && (b_mem == "" || m_mem[p] + 0 < b_mem + 0)) b_mem = m_mem[p]
      }
      print "| peer | mTLS enforced | tickets/conn | handshakes/s | x best | proxy CPU us/hs | x best | hs p50 / p99 ms | MB/s | x best | proxy CPU s/GB | x best | idle conns held | bytes/idle conn | x best | errors | accounted % (min) |"
      print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (i = 1; i <= np; i++) {
        p = order[i]
        t = tick[p]; if (t == "") t = median(tickrun[p])
        held = (p in heldmin) ? heldmin[p] "/" idle_n[p] : "-"
        if ((p in idle_drop) && idle_drop[p] > 0) held = held " (" idle_drop[p] " dropped)"
        lat = (m_p50[p] == "") ? "-" : sprintf("%.1f / %.1f", m_p50[p] / 1000, m_p99[p] / 1000)
        acc = (p in accmin) ? accmin[p] (accmin[p] + 0 < 80 ? " *" : "") : "-"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", \
          p, (enforced[p] == "" ? "?" : enforced[p]), fmt(t, "%.2f"), \
          fmt(m_hs[p], "%.0f"), ratio(m_hs[p], b_hs), fmt(m_cpuhs[p], "%.0f"), ratio(m_cpuhs[p], b_cpuhs), lat, \
          fmt(m_mbs[p], "%.0f"), ratio(m_mbs[p], b_mbs), fmt(m_cpugb[p], "%.3f"), ratio(m_cpugb[p], b_cpugb), \
          held, fmt(m_mem[p], "%.0f"), ratio(m_mem[p], b_mem), errs[p] + idle_err[p], acc
      }
      print ""
      printf "Medians over repetitions. \"x best\" = the peer'"'"'s median divided by the best peer'"'"'s median for that column: for CPU and memory (lower is better) the best peer is 1.00x and 1.25x means 25%% more; for handshakes/s and MB/s (higher is better) the best is 1.00x and 0.80x means 20%% less.\n"
      if (nbusy > 0)
        printf "\nMachine load: the machine was on average %.0f%% busy (of all cores) during the measured windows; proxy + generator + backend accounted for at least %s%% of that busy CPU (min over %d runs; below 80%% = other work disturbed the run, marked *; %d such runs).\n", busysum / nbusy, allmin, nruns, disturbed
      while ((getline line < note_file) > 0) print "\n" line
    }
  ' "$dir/checks.txt" "$dir/raw.txt" > "$dir/summary.md"
}

if [ -n "$SUMMARIZE_ONLY" ]; then
  [ -f "$SUMMARIZE_ONLY/raw.txt" ] || { echo "proxy_bench.sh: no raw.txt in $SUMMARIZE_ONLY" >&2; exit 2; }
  summarize "$SUMMARIZE_ONLY"
  cat "$SUMMARIZE_ONLY/summary.md"
  exit 0
fi

# ---------------------------------------------------------- prerequisites
IFS=, read -ra NAMES <<< "$PEERS"
[ "${#NAMES[@]}" -gt 0 ] || die_usage "--peers is empty"
missing=()
for p in "${NAMES[@]}"; do
  case $p in
    mtlskit) ;;
    stunnel) command -v stunnel4 >/dev/null || missing+=(stunnel4) ;;
    haproxy) command -v haproxy >/dev/null || missing+=(haproxy) ;;
    nginx)
      command -v nginx >/dev/null || missing+=(nginx)
      [ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream) ;;
    *) die_usage "unknown peer '$p' (known: $ALL_PEERS)" ;;
  esac
done
for t in openssl ss awk cmake; do command -v $t >/dev/null || missing+=("$t") ; done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "proxy_bench.sh: missing: ${missing[*]}. On Debian 12:" >&2
  echo "  apt-get install stunnel4 haproxy nginx libnginx-mod-stream iproute2 cmake" >&2
  exit 1
fi

log "building mtk_load, mtk_backend${MTLSKIT:+ }${MTLSKIT:-, mtlskit} (Release) in $BUILD"
targets=(mtk_load mtk_backend)
[ -n "$MTLSKIT" ] || targets+=(mtlskit)
if ! { cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
       cmake --build "$BUILD" --target "${targets[@]}" -j 2 >/dev/null; }; then
  echo "proxy_bench.sh: build failed (run: cmake --build $BUILD --target ${targets[*]})" >&2
  exit 1
fi
LOAD=$BUILD/mtk_load
BACKEND=$BUILD/mtk_backend
MTLSKIT=${MTLSKIT:-$BUILD/mtlskit}
[ -x "$MTLSKIT" ] || { echo "proxy_bench.sh: --mtlskit $MTLSKIT is not executable" >&2; exit 1; }

# Idle connections: a single-process proxy needs two descriptors per
# connection (client and backend side), and stunnel caps its clients at about
# 125/256 of the descriptor limit. Raise the soft limit to the hard one and
# lower the count if even that cannot hold them.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
IDLE_NOTE=""
if [ "$FD_LIMIT" != unlimited ]; then
  cap=$(( FD_LIMIT * 125 / 256 - 250 ))
  if [ "$IDLE_CONNS" -gt "$cap" ]; then
    IDLE_NOTE="Idle test: $IDLE_CONNS connections asked, $cap held: the open-file limit here is $FD_LIMIT (hard limit; it cannot be raised in this environment), a single-process proxy needs 2 descriptors per connection, and stunnel allows about 125/256 of the limit. The per-connection figure does not depend on the count."
    IDLE_CONNS=$cap
    log "open-file limit $FD_LIMIT: idle test with $IDLE_CONNS connections"
  fi
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$OUT_BASE/$STAMP
mkdir -p "$OUT/logs"
TMP=$(mktemp -d /tmp/mtk-proxy-bench.XXXXXX)
PIDS_TO_STOP=()
cleanup() {
  local p
  for p in "${PIDS_TO_STOP[@]}"; do stop_pid "$p"; done
  rm -rf "$TMP"
}

descendants() { # PID: all descendant PIDs
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { ppid[$1] = $2; pids[NR] = $1 }
    END { want[root] = 1; changed = 1
          while (changed) { changed = 0
            for (i in pids) { p = pids[i]; if (!(p in want) && (ppid[p] in want)) { want[p] = 1; changed = 1 } } }
          for (p in want) if (p != root) print p }'
}
rss_kb() { # PID: sum of VmRSS (kB) of PID and its descendants
  local total=0 p v
  for p in "$1" $(descendants "$1"); do
    v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
nprocs() { echo $(( 1 + $(descendants "$1" | wc -l) )); }
stop_pid() { # PID: TERM, wait up to 5 s, then KILL it and the descendants seen before
  local pid=$1 kids k i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kids=$(descendants "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  for k in $kids; do kill -0 "$k" 2>/dev/null && kill -KILL "$k" 2>/dev/null; done
  wait "$pid" 2>/dev/null || true
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q LISTEN; }
wait_listen() { # PID PORT: up to 10 s
  local i
  for i in $(seq 200); do
    kill -0 "$1" 2>/dev/null || return 1
    listening "$2" && return 0
    sleep 0.05
  done
  return 1
}
established() { # count of established TCP connections with local port $1 (sport) or remote port (dport)
  ss -Htn state established "( $1 = :$2 )" 2>/dev/null | wc -l
}

# -------------------------------------------------------------------- PKI
PKI=$TMP/pki
log "PKI with $MTLSKIT pki (P-256)"
{
  "$MTLSKIT" pki init "$PKI/ca" --name "proxy bench CA" &&
  "$MTLSKIT" pki issue "$PKI/ca" server --server --dns localhost --ip $HOST &&
  "$MTLSKIT" pki issue "$PKI/ca" client --client --uri spiffe://bench.test/client &&
  "$MTLSKIT" pki init "$PKI/rogue" --name "rogue CA" &&
  "$MTLSKIT" pki issue "$PKI/rogue" client --client --uri spiffe://bench.test/client
} > "$OUT/logs/pki.log" 2>&1 || { echo "proxy_bench.sh: mtlskit pki failed, see $OUT/logs/pki.log" >&2; exit 1; }
CA=$PKI/ca/ca.pem
SCERT=$PKI/ca/issued/server.pem
SKEY=$PKI/ca/issued/server-key.pem
SPEM=$PKI/server-combined.pem
cat "$SCERT" "$SKEY" > "$SPEM"
chmod 600 "$SPEM"
CCERT=$PKI/ca/issued/client.pem
CKEY=$PKI/ca/issued/client-key.pem
RCERT=$PKI/rogue/issued/client.pem
RKEY=$PKI/rogue/issued/client-key.pem

{
  echo "date=$STAMP host=$(uname -srm) cores=$(nproc) fd_limit=$FD_LIMIT"
  echo "openssl=$(openssl version)"
  echo "mtlskit=$("$MTLSKIT" --version 2>&1 | head -1) path=$MTLSKIT"
  command -v stunnel4 >/dev/null && echo "stunnel=$(stunnel4 -version 2>&1 | grep -m1 '^stunnel' | cut -d' ' -f1-2)"
  command -v haproxy >/dev/null && echo "haproxy=$(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3)"
  command -v nginx >/dev/null && echo "nginx=$(nginx -v 2>&1 | cut -d' ' -f3)"
  echo "settings reps=$REPS idle_reps=$IDLE_REPS quick=$QUICK peers=$PEERS hs_conns=$HS_CONNS hs_warmup=$HS_WARMUP hs_secs=$HS_SECS tput_conns=$TPUT_CONNS tput_bytes=$TPUT_BYTES idle_conns=$IDLE_CONNS workers=$WORKERS gen_threads=$GEN_THREADS"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/env.txt"
: > "$OUT/raw.txt"
: > "$OUT/checks.txt"
printf '%s\n' "$IDLE_NOTE" | grep . > "$OUT/note.txt" || true

BPORT=$BASE_PORT
"$BACKEND" -l $HOST -p "$BPORT" -t 1 > "$OUT/logs/backend.log" 2>&1 &
BACKEND_PID=$!
PIDS_TO_STOP+=("$BACKEND_PID")
wait_listen "$BACKEND_PID" "$BPORT" || { echo "proxy_bench.sh: backend did not start on $HOST:$BPORT (port busy?)" >&2; exit 1; }

declare -A PORT=()
i=1
for p in "${NAMES[@]}"; do
  PORT[$p]=$((BASE_PORT + i)); i=$((i + 1))
  if listening "${PORT[$p]}"; then echo "proxy_bench.sh: port ${PORT[$p]} for $p is in use" >&2; exit 1; fi
done

# ------------------------------------------------------------------ peers
# start_peer NAME TAG: config in $TMP/NAME, stderr to logs/NAME-TAG.log; sets PEER_PID
PEER_PID=""
start_peer() {
  local name=$1 tag=$2 port=${PORT[$1]} d=$TMP/$1
  local logf=$OUT/logs/$name-$tag.log
  rm -rf "$d"; mkdir -p "$d"
  # haproxy refuses to start when 2 x maxconn (+ ~50) exceeds the fd limit
  local HAPROXY_MAXCONN=$((IDLE_CONNS + 500))
  if [ "$FD_LIMIT" != unlimited ] && [ "$HAPROXY_MAXCONN" -gt $(( (FD_LIMIT - 100) / 2 )) ]; then
    HAPROXY_MAXCONN=$(( (FD_LIMIT - 100) / 2 ))
  fi
  case $name in
    mtlskit)
      "$MTLSKIT" proxy server --listen $HOST:"$port" --target $HOST:"$BPORT" \
        --cert "$SCERT" --key "$SKEY" --ca "$CA" --allow-any-verified \
        --min-tls 1.3 --workers "$WORKERS" --max-conns 0 >"$logf" 2>&1 &
      ;;
    stunnel)
      # thread per connection; no worker setting; TIMEOUTidle default 12 h
      cat > "$d/stunnel.conf" <<EOF
foreground = yes
pid =
syslog = no
debug = 3
output = $d/stunnel.log
[mtls]
accept = $HOST:$port
connect = $HOST:$BPORT
cert = $SCERT
key = $SKEY
CAfile = $CA
verifyChain = yes
requireCert = yes
sslVersionMin = TLSv1.3
sslVersionMax = TLSv1.3
EOF
      stunnel4 "$d/stunnel.conf" >"$logf" 2>&1 &
      ;;
    haproxy)
      cat > "$d/haproxy.cfg" <<EOF
global
    nbthread $WORKERS
    maxconn $HAPROXY_MAXCONN
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
frontend fe_mtls
    bind $HOST:$port ssl crt $SPEM ca-file $CA verify required ssl-min-ver TLSv1.3
    default_backend be_plain
backend be_plain
    server s1 $HOST:$BPORT
EOF
      haproxy -db -f "$d/haproxy.cfg" >"$logf" 2>&1 &
      ;;
    nginx)
      # one listener per worker (reuseport), like mtlskit's workers
      cat > "$d/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off;
master_process on;
worker_processes $WORKERS;
worker_rlimit_nofile $FD_LIMIT;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections $((FD_LIMIT - 100)); }
stream {
    server {
        listen $HOST:$port ssl reuseport;
        ssl_certificate $SCERT;
        ssl_certificate_key $SKEY;
        ssl_client_certificate $CA;
        ssl_verify_client on;
        ssl_protocols TLSv1.3;
        proxy_pass $HOST:$BPORT;
    }
}
EOF
      nginx -c "$d/nginx.conf" -p "$d/" -e "$d/error.log" >"$logf" 2>&1 &
      ;;
  esac
  PEER_PID=$!
  PIDS_TO_STOP+=("$PEER_PID")
  if ! wait_listen "$PEER_PID" "$port"; then
    log "$name did not start on $HOST:$port; its log: $logf"
    stop_pid "$PEER_PID"; PEER_PID=""
    return 1
  fi
  sleep 0.2 # nginx: let the workers come up
  return 0
}
stop_peer() { stop_pid "$PEER_PID"; PEER_PID=""; }

# load ARGS...: runs mtk_load against the current peer, prints its RESULT line
load() {
  local port=$1; shift
  timeout 300 "$LOAD" -p "$port" -C "$CA" -a $HOST "$@" 2>>"$OUT/logs/load.log" | grep '^RESULT' || true
}

# ------------------------------------------------------- mTLS enforcement
declare -A MTLS=()
RUN=()
for p in "${NAMES[@]}"; do
  port=${PORT[$p]}
  if ! start_peer "$p" check; then
    MTLS[$p]=no-start
    echo "mtls peer=$p enforced=no-start" >> "$OUT/checks.txt"
    continue
  fi
  good=$(load "$port" -m hs -N 10 -n 2 -t 1 -c "$CCERT" -k "$CKEY" -L "$p-good")
  nocert=$(load "$port" -m hs -N 4 -n 2 -t 1 --no-cert -L "$p-nocert")
  rogue=$(load "$port" -m hs -N 4 -n 2 -t 1 -c "$RCERT" -k "$RKEY" -L "$p-rogue")
  stop_peer
  kv() { printf '%s\n' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
  g_ok=$(kv "$good" ok); n_ok=$(kv "$nocert" ok); r_ok=$(kv "$rogue" ok)
  tix=$(kv "$good" tickets_per_conn)
  if [ "${g_ok:-0}" != 10 ] || [ "$(kv "$good" errors)" != 0 ]; then
    MTLS[$p]=broken
  elif [ "${n_ok:-1}" = 0 ] && [ "${r_ok:-1}" = 0 ]; then
    MTLS[$p]=yes; RUN+=("$p")
  else
    MTLS[$p]=NO; RUN+=("$p")
  fi
  echo "mtls peer=$p enforced=${MTLS[$p]} good_ok=${g_ok:-?}/10 nocert_ok=${n_ok:-?}/4 rogue_ok=${r_ok:-?}/4 tickets_per_conn=${tix:-?} resumed=$(kv "$good" resumed)" >> "$OUT/checks.txt"
  log "check $p: mTLS enforced=${MTLS[$p]} (good $g_ok/10, no cert $n_ok/4 accepted, other CA $r_ok/4 accepted), tickets/conn ${tix:-?}"
done
[ "${#RUN[@]}" -gt 0 ] || { echo "proxy_bench.sh: no peer passed the checks" >&2; exit 1; }

# ------------------------------------------------------------ measuring
measure_idle() { # PEER REP
  local p=$1 rep=$2 port=${PORT[$1]} lf=$TMP/idle.out rss0 rss1 held_c held_b lpid res up i procs
  start_peer "$p" "idle-rep$rep" || return 0
  load "$port" -m hs -N 20 -n 2 -t 1 -c "$CCERT" -k "$CKEY" -L "$p-warm" > /dev/null
  sleep 0.5
  rss0=$(rss_kb "$PEER_PID")
  : > "$lf"
  timeout 300 "$LOAD" -m idle -p "$port" -a $HOST -C "$CA" -c "$CCERT" -k "$CKEY" -n "$IDLE_CONNS" \
    -t "$GEN_THREADS" -i 64 -T 120 -H 200 -L "$p" > "$lf" 2>>"$OUT/logs/load.log" &
  lpid=$!
  PIDS_TO_STOP+=("$lpid")
  for i in $(seq 1300); do grep -q '^READY' "$lf" && break; kill -0 "$lpid" 2>/dev/null || break; sleep 0.1; done
  sleep 1 # let the proxies settle (buffers released after the last read)
  rss1=$(rss_kb "$PEER_PID")
  procs=$(nprocs "$PEER_PID")
  held_c=$(established sport "$port")
  held_b=$(established dport "$BPORT")
  stop_pid "$lpid"
  res=$(grep '^RESULT' "$lf" || true)
  up=$(printf '%s\n' "$res" | tr ' ' '\n' | awk -F= '$1 == "up" { print $2 }')
  local held=$held_c
  [ "$held_b" -lt "$held" ] && held=$held_b
  [ "${up:-0}" -lt "$held" ] && held=${up:-0}
  local per=0
  [ "$held" -gt 0 ] && per=$(( (rss1 - rss0) * 1024 / held ))
  echo "IDLE rep=$rep peer=$p conns=$IDLE_CONNS held=$held held_client_side=$held_c held_backend_side=$held_b rss0_kb=$rss0 rss1_kb=$rss1 procs=$procs bytes_per_conn=$per ${res#RESULT }" >> "$OUT/raw.txt"
  log "  idle $p: $held of $IDLE_CONNS held (client side $held_c, backend side $held_b), RSS $rss0 -> $rss1 kB in $procs process(es): $per bytes/conn"
  stop_peer
}

T_START=$(date +%s)
n=${#RUN[@]}
for rep in $(seq "$REPS"); do
  for k in $(seq 0 $((n - 1))); do
    p=${RUN[$(( (k + rep - 1) % n ))]}
    port=${PORT[$p]}
    log "rep $rep/$REPS: $p"
    if start_peer "$p" "rep$rep"; then
      r=$(load "$port" -m hs -n "$HS_CONNS" -t "$GEN_THREADS" -w "$HS_WARMUP" -d "$HS_SECS" \
            -c "$CCERT" -k "$CKEY" -P "$PEER_PID" -B "$BACKEND_PID" -L "$p")
      echo "RUN rep=$rep peer=$p phase=hs ${r#RESULT }" >> "$OUT/raw.txt"
      log "  hs   $p: $(printf '%s\n' "$r" | tr ' ' '\n' | grep -E '^(hs_per_s|proxy_cpu_us_per_hs|errors|tickets_per_conn|accounted_pct)=' | tr '\n' ' ')"
      r=$(load "$port" -m tput -n "$TPUT_CONNS" -t "$GEN_THREADS" -b "$TPUT_BYTES" -T 120 \
            -c "$CCERT" -k "$CKEY" -P "$PEER_PID" -B "$BACKEND_PID" -L "$p")
      echo "RUN rep=$rep peer=$p phase=tput ${r#RESULT }" >> "$OUT/raw.txt"
      log "  tput $p: $(printf '%s\n' "$r" | tr ' ' '\n' | grep -E '^(mb_per_s|proxy_cpu_s_per_gb|errors|accounted_pct)=' | tr '\n' ' ')"
      stop_peer
    fi
    if [ "$rep" -le "$IDLE_REPS" ]; then measure_idle "$p" "$rep"; fi
  done
done
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg) elapsed_s=$(( $(date +%s) - T_START ))" >> "$OUT/env.txt"
# mtlskit logs one JSON line per connection: count verdicts and reasons per run
for f in "$OUT"/logs/mtlskit-*.log; do
  [ -f "$f" ] || continue
  echo "$(basename "$f"):"
  grep -o '"verdict":"[a-z_]*","reason":[^,]*' "$f" | sort | uniq -c | sed 's/^/  /' || true
done > "$OUT/mtlskit-verdicts.txt"

summarize "$OUT"
echo
cat "$OUT/summary.md"
echo
echo "Results: $OUT (raw.txt, checks.txt, env.txt, mtlskit-verdicts.txt, logs/); took $(( $(date +%s) - T_START )) s after the checks."
