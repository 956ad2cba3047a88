#!/usr/bin/env bash
# fuzz.sh: build the libFuzzer targets with clang and run each on a scratch
# copy of its committed corpus (the committed corpus is never written to).
#
#   scripts/fuzz.sh [SECONDS [JOBS [TARGET...]]]
#
# Defaults: 600 seconds per target, 2 targets at a time, every fuzz/fuzz_*.c.
# Prints one line per target: executions, coverage, and any crash files.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
jobs=${2:-2}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.c; do t=$(basename "$f" .c); targets+=("${t#fuzz_}"); done
fi
scripts/deps.sh clang libclang-rt-14-dev
cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DMTK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz $(printf -- '--target fuzz_%s ' "${targets[@]}") >/dev/null
work=$(mktemp -d /tmp/mtk-fuzz.XXXXXX)
echo "fuzz: ${#targets[@]} targets x ${secs}s, $jobs at a time, scratch in $work"
run_one() {
  local t=$1
  mkdir -p "$work/$t/corpus" "$work/$t/crashes"
  cp fuzz/corpus/"$t"/* "$work/$t/corpus/"
  ./build-fuzz/fuzz/fuzz_"$t" -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/$t/crashes/" "$work/$t/corpus" >"$work/$t.log" 2>&1 || true
  local execs cov crashes
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1 | grep -o '[0-9]*' || echo '?')
  crashes=$(ls "$work/$t/crashes" | wc -l)
  echo "fuzz_$t: ${execs} executions in ${secs}s, coverage ${cov} edges, ${crashes} crash/timeout/leak files"
}
export -f run_one
export work secs
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'
