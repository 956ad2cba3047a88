#!/usr/bin/env bash
# test.sh: build mtlskit and run the whole test suite (the README's test
# command). Installs missing Debian packages first (see deps.sh).
#
#   scripts/test.sh           Release build in build/, then ctest
#   scripts/test.sh --asan    ASan+UBSan build in build-asan/, then ctest
set -euo pipefail
cd "$(dirname "$0")/.."

mode=release
for a in "$@"; do
  case "$a" in
    --asan) mode=asan ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
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
else
  dir=build
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$dir" -j "$jobs"
ctest --test-dir "$dir" -j "$jobs" --output-on-failure --timeout 900
