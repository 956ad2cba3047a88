# common.bash: the frame every proxy/probe/web integration test shares,
# sourced (not run: ctest takes tests/integration/*.sh only). It makes the
# scratch directory $T, kills and reaps the background processes the test
# appends to PIDS and removes $T on exit, counts checks (ok, bad, check:
# the script ends with its own "N passed, M failed" line and exit status),
# and picks free loopback ports.
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
# free_port: a TCP port on 127.0.0.1 that was free a moment ago (bind 0,
# read, release). A proxy started on it refuses to share it with another
# process (proxy/loop.c), so a rare collision fails loudly, never silently.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
