#!/usr/bin/env bash
# demo.sh: the main job. Builds mtlskit (installing missing Debian packages
# first, see deps.sh), then decodes and checks the bundled samples: a server
# certificate with its CA, a pasted e-mail with the chain, a PKCS#7 bundle, a
# CSR for an mTLS client, and a deliberately weak certificate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
if [ ! -x build/mtlskit ] || [ -n "$(find lib cli include -newer build/mtlskit -print -quit 2>/dev/null)" ]; then
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
printf '\nmtlskit decode --help and mtlskit check --help list every option.\n'
