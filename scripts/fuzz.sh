#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-14, ASan + UBSan) and runs each for SECONDS
# (default 60) from its seed corpus with its dictionary, two at a time. Any crash, sanitizer report,
# leak, timeout (> 10 s for one input) or excess memory (> 2 GB) fails the run; the input that
# caused it is kept as build-fuzz/findings/<target>/crash-* (replay: build-fuzz/tests/fuzz/fuzz_<target> FILE).
# New inputs go to build-fuzz/corpus/<target>, never into the repository's seed corpus.
#   bash scripts/fuzz.sh [SECONDS] [TARGET ...]      TARGET: npy model checkpoint image
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(npy model checkpoint image)

missing=()
for p in clang-14 libfuzzer-14-dev cmake libeigen3-dev libstb-dev; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 -DVMFA_BUILD_FUZZERS=ON \
  -DVMFA_USE_OPENMP=OFF -DVMFA_BUILD_TESTS=OFF -DVMFA_BUILD_EXAMPLES=OFF -DVMFA_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

run() {
  local t=$1 work=build-fuzz/corpus/$1 findings=build-fuzz/findings/$1
  mkdir -p "$work" "$findings"
  # new inputs go to $work (first folder); the seed corpus is only read
  if (cd "$findings" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "../../tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="../../../tests/fuzz/$t.dict" "../../corpus/$t" "../../../tests/fuzz/corpus/$t") >"build-fuzz/fuzz_$t.log" 2>&1; then
    local runs cov rate
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/fuzz_$t.log" | grep -o '[0-9]*$')
    rate=$((runs / seconds))
    cov=$(grep -o 'DONE *cov: [0-9]* ft: [0-9]*' "build-fuzz/fuzz_$t.log" | tail -1 | sed 's/DONE *//')
    echo "fuzz_$t: no finding in ${seconds} s: ${runs} inputs, ${rate} exec/s, ${cov}, corpus $(ls "$work" | wc -l) new + $(ls "tests/fuzz/corpus/$t" | wc -l) seeds"
  else
    echo "fuzz_$t: FINDING (see build-fuzz/fuzz_$t.log; reproducer in $findings)"
    tail -40 "build-fuzz/fuzz_$t.log"
    return 1
  fi
}

status=0
pids=()
for t in "${targets[@]}"; do
  run "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$(nproc)" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
