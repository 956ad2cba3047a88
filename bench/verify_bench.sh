#!/usr/bin/env bash
# verify_bench.sh: `mtlskit verify` against `openssl verify` on the same
# chains, in one run (hyperfine -N if installed, else an interleaved loop),
# and the ratio. Not run by ctest.
#
#   bench/verify_bench.sh [--quick] [BUILD_DIR]
#
# The chains are the committed mTLS client cases (tests/limbo/client, fixed
# dates, P-256): a valid root -> CA -> client chain, an expired client, and a
# wrong-CA chain (path building gives up). Both tools validate at the same
# time (2025-06-01) with the same roots and intermediates; openssl runs with
# -x509_strict. Each process does the whole job: read the files, parse, build
# and verify the chain.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
runs=30
if [ "${1:-}" = "--quick" ]; then runs=5; shift; fi
build=${1:-$src/build-bench}
if [ ! -x "$build/mtlskit" ]; then
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target mtlskit >/dev/null
fi
M=$build/mtlskit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$src/tests/limbo/client/mtls-client.json" "$tmp" <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))["testcases"]:
    name = t["id"].split("::")[1]
    if name in ("valid-client-chain", "expired-client", "wrong-ca"):
        open(f"{sys.argv[2]}/{name}.root.pem", "w").write("".join(t["trusted_certs"]))
        open(f"{sys.argv[2]}/{name}.ica.pem", "w").write("".join(t["untrusted_intermediates"]))
        open(f"{sys.argv[2]}/{name}.leaf.pem", "w").write(t["peer_certificate"])
PY
AT=2025-06-01T00:00:00Z
EPOCH=1748736000
echo "mtlskit verify vs openssl verify ($(openssl version | cut -d' ' -f1-2)), $runs runs each"
printf '%-22s %12s %12s %8s\n' chain "mtlskit ms" "openssl ms" ratio
for c in valid-client-chain expired-client wrong-ca; do
  m_cmd="$M verify -q --at $AT --purpose client --ca $tmp/$c.root.pem --untrusted $tmp/$c.ica.pem $tmp/$c.leaf.pem"
  o_cmd="openssl verify -attime $EPOCH -x509_strict -purpose sslclient -CAfile $tmp/$c.root.pem -untrusted $tmp/$c.ica.pem $tmp/$c.leaf.pem"
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N -i --warmup 2 --runs "$runs" --export-csv "$tmp/h.csv" "$m_cmd" "$o_cmd" >/dev/null 2>&1
    m=$(awk -F, 'NR==2{printf "%.2f", $2*1000}' "$tmp/h.csv")
    o=$(awk -F, 'NR==3{printf "%.2f", $2*1000}' "$tmp/h.csv")
  else
    t() { local s e; s=$(date +%s%N); for _ in $(seq "$runs"); do $1 >/dev/null 2>&1 || true; done; e=$(date +%s%N); echo "scale=2; ($e-$s)/1000000/$runs" | bc; }
    m=$(t "$m_cmd")
    o=$(t "$o_cmd")
  fi
  printf '%-22s %12s %12s %8s\n' "$c" "$m" "$o" "$(echo "scale=2; $m/$o" | bc)"
done
echo "(mean wall time per process; ratio = mtlskit / openssl, below 1 is faster)"
