#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages vmfa's build, tests, examples and benchmarks need, if missing.
# With --mpi also Open MPI (the distributed fit, vmfa-mpi and their tests; scripts/test.sh asks for it).
set -euo pipefail
packages=(cmake make g++ libeigen3-dev catch2 libstb-dev libbenchmark-dev)
[ "${1:-}" = "--mpi" ] && packages+=(openmpi-bin libopenmpi-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
