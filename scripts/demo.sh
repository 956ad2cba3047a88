#!/usr/bin/env bash
# demo.sh: the main job. Builds mtlskit (installing missing Debian packages
# first, see deps.sh), then decodes and checks the bundled samples: a server
# certificate with its CA, a pasted e-mail with the chain, a PKCS#7 bundle, a
# CSR for an mTLS client, and a deliberately weak certificate. Then
# `mtlskit demo`: the mTLS proxy story on 127.0.0.1 (cli/cmd_demo.c).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
if [ ! -x build/mtlskit ] || [ -n "$(find lib cli include proxy -newer build/mtlskit -print -quit 2>/dev/null)" ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target mtlskit >/dev/null
fi
M=build/mtlskit
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}" || true; }

step "Decode a server certificate (and say whether a key belongs to it)" \
  $M decode --key samples/server-key.pem samples/server.pem
step "Decode a CSR for an mTLS client (its own signature is verified)" \
  $M decode samples/request.csr
step "Check a chain pasted in an e-mail, as a private PKI would" \
  $M check --private-pki --quiet samples/chain.pem
step "Check the same chain by the public Web PKI rules" \
  $M check --quiet samples/chain.pem
step "Check a weak certificate" \
  $M check --quiet samples/weak.pem
step "The same, as JSON (first lines)" \
  sh -c "$M check --json samples/weak.pem | head -n 25"
# the demo's exit status is the script's: 0 when every step behaved as expected
printf '\n\033[1m== %s\033[0m\n$ %s\n' "The mTLS proxy story on 127.0.0.1: dev PKI, proxy, allowed and refused clients" "$M demo"
demo_rc=0
$M demo || demo_rc=$?
printf '\nmtlskit decode --help, mtlskit check --help and mtlskit demo --help list every option.\n'
exit "$demo_rc"
