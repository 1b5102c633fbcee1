#!/usr/bin/env bash
# Quick start: install what is missing, build the examples (optimised for this CPU), and run the
# headline example: zero-shot denoising of the bundled photograph data/camera.png at sigma = 25.
# Writes out/camera_sigma25.png (denoised) and out/camera_sigma25_side_by_side.png
# (clean | noisy | denoised). Extra arguments go to vmfa-denoise (see vmfa-denoise --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build-native -DCMAKE_BUILD_TYPE=Release -DVMFA_NATIVE=ON -DVMFA_BUILD_TESTS=OFF \
  -DVMFA_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-native -j"$(nproc)" --target vmfa_denoise vmfa_quickstart vmfa_cli
mkdir -p out
./build-native/examples/vmfa-denoise data/camera.png out/camera_sigma25.png --sigma 25 --add-noise --seed 1 \
  --side-by-side out/camera_sigma25_side_by_side.png "$@"
echo "wrote out/camera_sigma25.png and out/camera_sigma25_side_by_side.png (clean | noisy | denoised)"
