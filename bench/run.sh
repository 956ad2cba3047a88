#!/usr/bin/env bash
# bench/run.sh: the parsing benchmarks, mtlskit against OpenSSL.
#
#   bench/run.sh [--quick] [-n CERTS] [BUNDLE]
#
# 1. Builds a Release tree in build-bench/ (parse_bench and the mtlskit CLI).
# 2. Runs parse_bench: in-process parsing + field extraction, interleaved
#    rounds, ratios OpenSSL/mtlskit (see bench/README.md).
# 3. Process level: `mtlskit decode --json FILE` against
#    `openssl x509 -text -noout -in FILE` over CERTS (default 100) certificates
#    of the bundle written to temporary files, one process per certificate,
#    with hyperfine if it is installed (Debian: apt-get install hyperfine),
#    else a loop timed with `date +%s%N`. Reports the ratio.
#
# Everything it writes outside build-bench/ goes to one mktemp directory,
# removed on exit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MTK_BENCH_BUILD:-$here/build-bench}
bundle=/etc/ssl/certs/ca-certificates.crt
ncerts=100
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    -n) ncerts=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) bundle=$1 ;;
  esac
  shift
done

echo "== machine: $(nproc) cores, $(uname -srm); $(openssl version)"

echo "== build (Release) in $build"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target parse_bench -j "$(nproc)" >/dev/null
cli_ok=1
cmake --build "$build" --target mtlskit -j "$(nproc)" >/dev/null 2>&1 || cli_ok=0

echo "== in-process: parse_bench"
if [ "$quick" = 1 ]; then
  "$build/parse_bench" -r 5 -t 20 "$bundle"
else
  "$build/parse_bench" -r 21 -t 50 "$bundle"
fi

echo "== process level: mtlskit decode --json vs openssl x509 -text -noout"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mtk-bench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

# One certificate per file, the first $ncerts of the bundle.
awk -v dir="$tmp" -v max="$ncerts" '
  /-----BEGIN CERTIFICATE-----/ { if (n >= max) exit; n++; f = sprintf("%s/c%03d.pem", dir, n); inblk = 1 }
  inblk { print > f }
  /-----END CERTIFICATE-----/ { if (inblk) close(f); inblk = 0 }
' "$bundle"
files=("$tmp"/c*.pem)
n=${#files[@]}
echo "$n certificates in $tmp"

mtk="$build/mtlskit"
if [ "$cli_ok" != 1 ] || [ ! -x "$mtk" ] ||
   ! "$mtk" decode --json "${files[0]}" >"$tmp/probe.json" 2>/dev/null ||
   ! head -c 1 "$tmp/probe.json" | grep -q '[[{]'; then
  echo "SKIPPED: '$mtk decode --json FILE' is not available (or does not print JSON) in this tree"
  exit 0
fi
for f in "${files[@]}"; do
  "$mtk" decode --json "$f" >/dev/null 2>&1 || { echo "mtlskit decode failed on $f" >&2; exit 1; }
done

printf '#!/bin/sh\nfor f in %s/c*.pem; do "%s" decode --json "$f" >/dev/null; done\n' "$tmp" "$mtk" >"$tmp/loop-mtk.sh"
printf '#!/bin/sh\nfor f in %s/c*.pem; do openssl x509 -text -noout -in "$f" >/dev/null; done\n' "$tmp" >"$tmp/loop-ossl.sh"

runs=10
[ "$quick" = 1 ] && runs=3
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 1 --runs "$runs" --export-csv "$tmp/h.csv" \
    -n "mtlskit decode --json (x$n)" "sh $tmp/loop-mtk.sh" \
    -n "openssl x509 -text -noout (x$n)" "sh $tmp/loop-ossl.sh"
  # CSV: command,mean,stddev,median,user,system,min,max (seconds)
  awk -F, -v n="$n" 'NR == 2 { m = $4 } NR == 3 { o = $4 }
    END { printf "per certificate (median): mtlskit %.2f ms, openssl %.2f ms; ratio openssl/mtlskit %.1fx\n",
          1000 * m / n, 1000 * o / n, o / m }' "$tmp/h.csv"
else
  echo "(hyperfine not installed: timing a loop with date +%s%N, $runs interleaved runs, median)"
  tm=() to=()
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N); sh "$tmp/loop-mtk.sh"; t1=$(date +%s%N); tm+=($((t1 - t0)))
    t0=$(date +%s%N); sh "$tmp/loop-ossl.sh"; t1=$(date +%s%N); to+=($((t1 - t0)))
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  m=$(med "${tm[@]}"); o=$(med "${to[@]}")
  awk -v m="$m" -v o="$o" -v n="$n" 'BEGIN {
    printf "per certificate (median): mtlskit %.2f ms, openssl %.2f ms; ratio openssl/mtlskit %.1fx\n",
           m / n / 1e6, o / n / 1e6, o / m }'
fi
