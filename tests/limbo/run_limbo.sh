#!/usr/bin/env bash
# run_limbo.sh suite|client: the x509-limbo ctest (tests/limbo/README.md).
#
#   suite   runs $MTK_SOURCE_DIR/../shared/limbo/limbo-full.json.gz (every
#           case, or with MTK_LIMBO_SAMPLE=N every case outside bettertls::
#           and every Nth bettertls:: case) against baseline-full.txt
#   client  runs tests/limbo/client/*.json against baseline-client.txt
#
# Fails if the suite file is missing, if the harness fails, or if a case of
# the baseline (the committed list of cases known right) is now wrong.
# Newly right cases are listed so the baseline can be updated
# (mtlskit-limbo --write-baseline). Results go to $MTK_BINARY_DIR/limbo/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${MTK_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
bin=${MTK_BINARY_DIR:-$src/build}
harness=${MTK_LIMBO:-$bin/mtlskit-limbo}
sample=${MTK_LIMBO_SAMPLE:-1}
out=$bin/limbo
mkdir -p "$out"
what=${1:-suite}

if [ ! -x "$harness" ]; then
  echo "FAIL: harness $harness not built"
  exit 1
fi

case "$what" in
  suite)
    suite=$src/../shared/limbo/limbo-full.json.gz
    if [ ! -f "$suite" ]; then
      echo "FAIL: $suite not found (CI clones the repository with shared/ beside it)"
      exit 1
    fi
    args=()
    [ "$sample" -gt 1 ] && args=(--sample "$sample")
    start=$(date +%s)
    gzip -dc "$suite" | "$harness" --baseline "$here/baseline-full.txt" "${args[@]}" \
      > "$out/results-full.json" 2> "$out/report-full.txt"
    rc=$?
    end=$(date +%s)
    cat "$out/report-full.txt"
    echo "limbo suite (sample $sample): $((end - start)) s; results in $out/results-full.json"
    exit $rc
    ;;
  client)
    rc=0
    for f in "$here"/client/*.json; do
      name=$(basename "$f" .json)
      "$harness" --baseline "$here/baseline-client.txt" < "$f" \
        > "$out/results-client-$name.json" 2> "$out/report-client-$name.txt" || rc=1
      cat "$out/report-client-$name.txt"
    done
    exit $rc
    ;;
  *)
    echo "usage: run_limbo.sh suite|client"
    exit 2
    ;;
esac
