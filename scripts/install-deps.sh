#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages vmfa's build, tests, examples and benchmarks need, if missing.
# With --mpi also Open MPI (the distributed fit, vmfa-mpi and their tests), with --python what the
# Python package and its tests need (pybind11, numpy, scipy, scikit-learn, pytest, matplotlib for
# its example, venv); scripts/test.sh asks for both.
set -euo pipefail
packages=(cmake make g++ libeigen3-dev catch2 libstb-dev libbenchmark-dev)
for option in "$@"; do
  case "$option" in
    --mpi) packages+=(openmpi-bin libopenmpi-dev) ;;
    --python) packages+=(python3 python3-dev python3-venv python3-pip pybind11-dev python3-pybind11 python3-numpy
                         python3-scipy python3-sklearn python3-pytest python3-matplotlib python3-setuptools mypy) ;;
    *) echo "install-deps.sh: unknown option $option (--mpi, --python)" >&2; exit 2 ;;
  esac
done
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
