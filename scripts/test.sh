#!/usr/bin/env bash
# Builds and runs the whole test suite: once with OpenMP, once without it (the library must work
# either way). Installs missing build dependencies first.
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
