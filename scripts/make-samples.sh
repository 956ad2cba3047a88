#!/usr/bin/env bash
# make-samples.sh: regenerate the demo files in samples/ (see samples/README.md).
#
# Uses only bash and the openssl command line (3.0+). Every date is fixed
# (`openssl ca -startdate/-enddate`), so the samples never depend on the day
# they were made. Keys are generated in a throw-away directory and deleted,
# except samples/server-key.pem, a PUBLIC throw-away key kept for the `--key`
# demo; it is reused when present so that it keeps matching server.pem.
# Safe to run again: it rewrites every output (signatures are randomized, so
# the bytes change, the contents do not).
#
# Usage: scripts/make-samples.sh [OUTPUT_DIR]   (default: samples/)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../samples}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

ossl() { openssl "$@" 2>"$tmp/openssl.log" || { cat "$tmp/openssl.log" >&2; exit 1; }; }

# ---- a throw-away CA configuration ---------------------------------------
mkdir -p db
: > db/index.txt
cat > ca.cnf <<'CNF'
[ ca ]
default_ca = demo_ca

[ demo_ca ]
dir              = .
database         = $dir/db/index.txt
new_certs_dir    = $dir/db
serial           = $dir/db/serial
unique_subject   = no
email_in_dn      = no
policy           = policy_any
copy_extensions  = none
default_md       = sha256
default_days     = 365

[ policy_any ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = unused

[ ca_ext ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ server_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
subjectAltName         = DNS:api.example.com, DNS:www.example.com, IP:192.0.2.10
crlDistributionPoints  = URI:http://crl.example.com/issuing-ca.crl
authorityInfoAccess    = OCSP;URI:http://ocsp.example.com, caIssuers;URI:http://ca.example.com/issuing-ca.crt
certificatePolicies    = 2.23.140.1.2.1

[ weak_ext ]
basicConstraints       = CA:FALSE
CNF

# ---- the issuing CA: RSA 3072, pathlen 0, 2025-01-01 .. 2035-01-01 ---------
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out ca-key.pem
ossl req -config ca.cnf -new -key ca-key.pem -subj "/C=US/O=Example Inc/CN=Example Issuing CA" -out ca.csr
echo 3A41C0DE0000000000000001 > db/serial
ossl ca -config ca.cnf -batch -notext -preserveDN -selfsign -keyfile ca-key.pem -in ca.csr \
  -extensions ca_ext -startdate 20250101000000Z -enddate 20350101000000Z -out ca.pem

# ---- the server leaf: EC P-256, 398 days from 2026-04-01 ---------------------
if [[ -f "$out/server-key.pem" ]]; then
  cp "$out/server-key.pem" server-key.pem
else
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server-key.pem
fi
ossl req -config ca.cnf -new -key server-key.pem -subj "/C=US/O=Example Inc/CN=api.example.com" -out server.csr
echo 5E27B1A96C0F4D8E93A2C4B7D1E06F15 > db/serial
ossl ca -config ca.cnf -batch -notext -preserveDN -cert ca.pem -keyfile ca-key.pem -in server.csr \
  -extensions server_ext -startdate 20260401000000Z -enddate 20270504000000Z -out server.pem

# ---- a deliberately weak certificate ------------------------------------------
# RSA 1024, SHA-1, serial 0, CN only, no SAN, five years.
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out weak-key.pem
ossl req -config ca.cnf -new -key weak-key.pem -subj "/CN=legacy.example.com" -out weak.csr
echo 00 > db/serial
ossl ca -config ca.cnf -batch -notext -preserveDN -md sha1 -cert ca.pem -keyfile ca-key.pem -in weak.csr \
  -extensions weak_ext -startdate 20250601000000Z -enddate 20300601000000Z -out weak.pem

# ---- a client CSR: RSA 2048, SAN DNS + SPIFFE URI, clientAuth requested ------
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-key.pem
ossl req -config ca.cnf -new -key client-key.pem -subj "/CN=client.example.com" \
  -addext "subjectAltName=DNS:client.example.com,URI:spiffe://example.org/ns/prod/sa/billing" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=clientAuth" -out request.csr

# ---- outputs ----------------------------------------------------------------------
cp ca.pem server.pem weak.pem request.csr server-key.pem "$out/"
cat server.pem ca.pem > clean-chain.pem
ossl crl2pkcs7 -nocrl -certfile clean-chain.pem -outform DER -out "$out/bundle.p7b"

{
  cat <<'TXT'
From: ops@example.com
To: security@example.com
Subject: Re: new cert for api.example.com

Hi, here is the chain the vendor sent us, leaf first then the
issuing CA. Can you check it before we deploy on Friday?

TXT
  cat server.pem
  cat <<'TXT'

and the intermediate (they call it "Example Issuing CA"):

TXT
  cat ca.pem
  cat <<'TXT'

Thanks,
--
Ops
TXT
} > "$out/chain.pem"

echo "wrote: ca.pem server.pem server-key.pem chain.pem bundle.p7b request.csr weak.pem -> $out"
