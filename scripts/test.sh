#!/usr/bin/env bash
# Builds and runs the whole test suite: with OpenMP, without it (the library must work either way),
# under AddressSanitizer + UndefinedBehaviorSanitizer, and the libFuzzer targets of every parser for
# VMFA_FUZZ_SECONDS each (default 60; scripts/fuzz.sh). Installs missing build dependencies first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

echo "== build with OpenMP (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== build without OpenMP (build-noomp/)"
cmake -S . -B build-noomp -DCMAKE_BUILD_TYPE=Release -DVMFA_USE_OPENMP=OFF -DVMFA_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-noomp -j"$jobs" --target vmfa_tests
(cd build-noomp && ctest --output-on-failure -j"$jobs" -E '^(package|example)\.')

echo "== AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DVMFA_SANITIZE=ON -DVMFA_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j"$jobs" --target vmfa_tests vmfa_cli vmfa_quickstart vmfa_hard_assignment
# The four statistical tests below repeat, on more data, code paths that the other tests run under
# the sanitizers; in the Release build they take 92 of the suite's 216 CPU-seconds.
heavy='^package\.|reaches the exact-EM free energy|fits badly scaled data|offsets 1e4 with a feature'
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs" -E "$heavy")

echo "== fuzzing the parsers (build-fuzz/), ${VMFA_FUZZ_SECONDS:-60} s per target"
bash scripts/fuzz.sh "${VMFA_FUZZ_SECONDS:-60}"
