#!/usr/bin/env bash
# Quick start: install what is missing, build, and run the headline example on the bundled images.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target vmfa_quickstart
./build/examples/vmfa_quickstart "$@"
