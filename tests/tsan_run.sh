#!/usr/bin/env bash
# tsan_run.sh COMMAND [ARGS...]: runs one ctest test of an MTK_TSAN=ON build
# (tests/CMakeLists.txt wraps the tests labelled "threads" with it) and fails
# it if ThreadSanitizer reported anything in ANY process the test started.
#
# Why a wrapper: the proxy integration tests run the proxy in the background
# (and `mtlskit demo` starts proxies of its own whose logs it deletes), so
# neither a report on stderr nor TSan's exit code reliably reaches the test's
# verdict. Here every instrumented process writes its reports to
# log_path=<private dir>/report.<pid>; after the test, any such file is
# printed and the test fails (exit 66, ThreadSanitizer's exit code), whatever
# the test itself returned.
#
# Options: halt_on_error=1 second_deadlock_stack=1 exitcode=66 and the
# suppressions in tests/tsan.supp, then whatever TSAN_OPTIONS already holds
# (later options win), then log_path (always ours).
#
# gcc's libtsan maps its shadow memory at fixed addresses and aborts with
# "FATAL: ThreadSanitizer: unexpected memory mapping" when the kernel places
# the binary elsewhere (vm.mmap_rnd_bits > 28 on newer kernels); the test then
# runs under `setarch <arch> -R` (no address randomisation), which avoids it.
set -u
src=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/mtk-tsan.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
opts="halt_on_error=1:second_deadlock_stack=1:exitcode=66:suppressions=$src/tsan.supp"
if [ -n "${TSAN_OPTIONS:-}" ]; then opts="$opts:$TSAN_OPTIONS"; fi
run=("$@")
if [ "${MTK_TSAN_SETARCH:-auto}" = auto ]; then
  # Probe with the instrumented mtlskit binary (MTK_TSAN_PROBE, set by
  # tests/CMakeLists.txt): `--help` starts the runtime and does nothing else.
  MTK_TSAN_SETARCH=off
  if [ -n "${MTK_TSAN_PROBE:-}" ] && command -v setarch >/dev/null &&
     TSAN_OPTIONS=$opts "$MTK_TSAN_PROBE" --help 2>&1 >/dev/null | grep -q 'unexpected memory mapping'; then
    MTK_TSAN_SETARCH=on
  fi
fi
if [ "$MTK_TSAN_SETARCH" = on ]; then run=(setarch "$(uname -m)" -R "$@"); fi

export TSAN_OPTIONS="$opts:log_path=$dir/report"

"${run[@]}"
rc=$?
shopt -s nullglob
reports=("$dir"/report.*)
if [ ${#reports[@]} -gt 0 ]; then
  for f in "${reports[@]}"; do echo "==== $f"; cat "$f"; done >&2
  echo "tsan_run.sh: ThreadSanitizer reported in ${#reports[@]} process(es) (test exit $rc)" >&2
  exit 66
fi
exit "$rc"
