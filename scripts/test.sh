#!/usr/bin/env bash
# test.sh: build mtlskit and run the whole test suite (the README's test
# command). Installs missing Debian packages first (see deps.sh).
#
#   scripts/test.sh           Release build in build/, then ctest
#   scripts/test.sh --asan    ASan+UBSan build in build-asan/, then ctest
#   scripts/test.sh --tsan    ThreadSanitizer build in build-tsan/, then the
#                             tests whose processes run threads (ctest label
#                             "threads": proxy integration tests, demo, web
#                             API, metrics and status unit tests); any report
#                             fails the test (tests/tsan_run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=release
for a in "$@"; do
  case "$a" in
    --asan) mode=asan ;;
    --tsan) mode=tsan ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

scripts/deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
if [ "$mode" = asan ]; then
  dir=build-asan
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMTK_SANITIZE=ON >/dev/null
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
elif [ "$mode" = tsan ]; then
  dir=build-tsan
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMTK_TSAN=ON >/dev/null
  # tests/tsan_run.sh adds exitcode=66, the suppressions (tests/tsan.supp)
  # and a private log_path per test, and runs the test under `setarch -R`
  # when gcc's runtime cannot map its shadow memory on this kernel.
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  # Only what the "threads" tests run: mtlskit, and the binaries of the
  # unit.NAME / tsan.NAME tests labelled so (target NAME).
  targets=(mtlskit)
  while read -r t; do targets+=("$t"); done < <(
    ctest --test-dir "$dir" -N -L threads | sed -n 's/^ *Test *#[0-9]*: \(unit\|tsan\)\.//p')
  cmake --build "$dir" -j "$jobs" --target "${targets[@]}"
  ctest --test-dir "$dir" -j "$jobs" -L threads --output-on-failure --timeout 900
  exit
else
  dir=build
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$dir" -j "$jobs"
ctest --test-dir "$dir" -j "$jobs" --output-on-failure --timeout 900
