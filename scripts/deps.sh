#!/usr/bin/env bash
# deps.sh: make sure the Debian 12 packages mtlskit needs are installed.
# Installs what is missing with apt-get when run as root; otherwise prints
# the exact command to run and exits 1.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libssl-dev openssl ca-certificates
  libjansson-dev libidn2-dev libmicrohttpd-dev libgoogle-perftools-dev
  python3 python3-jsonschema curl
  chromium
)
# The browser test of `mtlskit web` (tests/integration/web_browser.sh) runs
# playwright-core on node: Debian's nodejs and npm, unless a node and an npm
# are already installed (from another source).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi
# Optional extras: pass them as arguments (e.g. clang libclang-rt-14-dev for fuzzing).
PACKAGES+=("$@")

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "mtlskit needs these Debian packages. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
