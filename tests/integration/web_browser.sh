#!/usr/bin/env bash
# web_browser.sh: the `mtlskit web` page in a real browser. Makes a dev PKI
# and a CSR with this binary, starts `mtlskit web` on a free 127.0.0.1
# port, installs playwright-core (tests/browser/package-lock.json, `npm ci`)
# into a cache under the build directory (skipped when the installed copy
# matches the lock file, so it runs offline once installed), and runs
# tests/browser/web.test.mjs with headless Debian chromium. The screenshot
# web.png goes to $MTK_BINARY_DIR/artifacts/ (kept as the CI artifact).
# Needs node, npm and chromium (scripts/deps.sh installs them); without
# them it fails, unless MTK_SKIP_BROWSER=1 says to skip.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
SRC=${MTK_SOURCE_DIR:?}
BIN=${MTK_BINARY_DIR:?}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
T=$(mktemp -d)
WEB_PID=
cleanup() {
  if [ -n "$WEB_PID" ]; then
    kill "$WEB_PID" 2>/dev/null
    wait "$WEB_PID" 2>/dev/null
  fi
  rm -rf "$T"
}
trap cleanup EXIT

missing=
command -v node >/dev/null || missing="$missing node"
command -v npm >/dev/null || missing="$missing npm"
[ -x "$CHROMIUM" ] || missing="$missing $CHROMIUM"
if [ -n "$missing" ]; then
  if [ "${MTK_SKIP_BROWSER:-0}" = 1 ]; then
    echo "SKIP: missing$missing (MTK_SKIP_BROWSER=1)"
    exit 0
  fi
  echo "FAIL: missing$missing: run scripts/deps.sh (or set MTK_SKIP_BROWSER=1 to skip)" >&2
  exit 1
fi

# ---- playwright-core, pinned by the lock file, cached in the build dir --------------
CACHE=$BIN/browser-deps
mkdir -p "$CACHE"
want=$(sha256sum "$SRC/tests/browser/package-lock.json" | cut -d' ' -f1)
have=$(cat "$CACHE/.lock-sha256" 2>/dev/null || true)
if [ "$want" != "$have" ] || [ ! -f "$CACHE/node_modules/playwright-core/package.json" ]; then
  cp "$SRC/tests/browser/package.json" "$SRC/tests/browser/package-lock.json" "$CACHE/"
  if ! (cd "$CACHE" && timeout 300 npm ci --no-audit --no-fund --prefer-offline \
          --cache "$CACHE/.npm" >"$T/npm.log" 2>&1); then
    cat "$T/npm.log" >&2
    echo "FAIL: npm ci (playwright-core) failed" >&2
    exit 1
  fi
  echo "$want" >"$CACHE/.lock-sha256"
fi

# ---- fixtures, made here ------------------------------------------------------------
P=$T/pki
"$M" pki init "$P" >/dev/null || { echo "FAIL: pki init" >&2; exit 1; }
"$M" pki issue "$P" --server --dns www.example.com --ip 127.0.0.1 >/dev/null || exit 1
cat "$P/issued/www.example.com.pem" "$P/ca.pem" >"$T/chain.pem"
openssl x509 -in "$P/issued/www.example.com.pem" -outform DER -out "$T/server.der" || exit 1
"$M" csr --new-key --dns a.example.com --out "$T/a.csr" >/dev/null || { echo "FAIL: csr" >&2; exit 1; }

# ---- the server -----------------------------------------------------------------------
"$M" web --listen 127.0.0.1:0 >"$T/web.out" 2>"$T/web.err" &
WEB_PID=$!
URL=
for _ in $(seq 1 200); do
  URL=$(sed -n 's#^mtlskit web: serving \(http://127\.0\.0\.1:[0-9]*/\).*#\1#p' "$T/web.out")
  [ -n "$URL" ] && break
  sleep 0.05
done
if [ -z "$URL" ]; then
  echo "FAIL: mtlskit web did not start" >&2
  cat "$T/web.out" "$T/web.err" >&2
  exit 1
fi

# ---- the browser test ---------------------------------------------------------------------
mkdir -p "$BIN/artifacts"
WEB_URL=$URL PW_MODULES=$CACHE/node_modules FIX_CHAIN=$T/chain.pem FIX_CSR=$T/a.csr \
  FIX_CERT_DER=$T/server.der ARTIFACT_DIR=$BIN/artifacts CHROMIUM=$CHROMIUM HOME=$T \
  timeout 300 node "$SRC/tests/browser/web.test.mjs"
rc=$?

# the server logged nothing about the requests, and stops cleanly on SIGTERM
kill "$WEB_PID"
wait "$WEB_PID"
src=$?
WEB_PID=
fail=0
[ "$rc" -eq 0 ] || fail=1
if [ "$src" -ne 0 ]; then echo "FAIL: mtlskit web exit $src on SIGTERM" >&2; fail=1; fi
if [ -s "$T/web.err" ]; then echo "FAIL: mtlskit web wrote to stderr:" >&2; cat "$T/web.err" >&2; fail=1; fi
if [ ! -s "$BIN/artifacts/web.png" ]; then echo "FAIL: no screenshot" >&2; fail=1; fi
[ "$fail" -eq 0 ] && echo "web_browser: OK (screenshot $BIN/artifacts/web.png)"
exit "$fail"
