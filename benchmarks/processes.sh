#!/usr/bin/env bash
# One model for any number of processes, at the defaults: `vmfa fit` (1 process) against
# `mpirun -np 3 vmfa-mpi fit` on the same data, and what the default exact graph statistics cost
# against the bounded rows of earlier versions (--graph-capacity 60 = 4·G), side by side in one run.
#
#   bash benchmarks/processes.sh [BUILD=build] [BENCH_BUILD=build-bench] [REPEATS=3]
#
# Data: the first 120,000 8x8 patches of vmfa_make_patches (the three bundled images, flips and
# rotations, mixed order): 100,000 to fit, 20,000 held out. Fits: double, H = 4, 15 E+M iterations
# (--tol 0), every other option at its default, 2 threads per process (1 under mpirun: 3 processes
# on this 2-core machine). Reported per setting: the free energy F, the held-out mean
# log-likelihood and the fit's wall time (median of REPEATS runs, the settings alternating within
# each repeat). Writes benchmarks/results/processes.csv (one row per run).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build}"
bench_build="${2:-build-bench}"
repeats="${3:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for program in "$build/examples/vmfa" "$build/examples/vmfa-mpi" "$bench_build/benchmarks/vmfa_make_patches"; do
  [[ -x "$program" ]] || { echo "processes.sh: $program not found (build it first)" >&2; exit 2; }
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
py=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c "import numpy" 2>/dev/null; then py=$candidate; break; fi
done
[[ -n "$py" ]] || { echo "processes.sh: needs a python3 with numpy (scripts/install-deps.sh --python)" >&2; exit 2; }
"$bench_build/benchmarks/vmfa_make_patches" "$work/all.npy" --patch 8 --count 120000
"$py" - "$work" <<'EOF'
import sys, numpy as np
w = sys.argv[1]
x = np.load(w + "/all.npy")
np.save(w + "/train.npy", np.ascontiguousarray(x[:100000], dtype=np.float64))
np.save(w + "/test.npy", np.ascontiguousarray(x[100000:], dtype=np.float64))
EOF

csv="$here/results/processes.csv"
echo "run,components,setting,processes,graph_capacity,free_energy,heldout,seconds" > "$csv.tmp"
run() {  # run C NAME P CAPACITY
  local C=$1 name=$2 P=$3 capacity=$4 extra=()
  [[ "$capacity" == default ]] || extra=(--graph-capacity "$capacity")
  local args=(fit "$work/train.npy" -o "$work/$name.vmfa" --components "$C" --latent 4 --precision double --max-iter 15
              --tol 0 --quiet --json "${extra[@]}")
  if [[ "$P" == 1 ]]; then
    "$build/examples/vmfa" "${args[@]}" --threads 2 > "$work/$name.json"
  else
    mpirun -np "$P" --oversubscribe "$build/examples/vmfa-mpi" "${args[@]}" --threads 1 > "$work/$name.json"
  fi
  "$build/examples/vmfa" score "$work/$name.vmfa" "$work/test.npy" --json > "$work/$name.score.json"
  "$py" - "$work/$name.json" "$work/$name.score.json" "$C" "$name" "$P" "$capacity" "$rep" >> "$csv.tmp" <<'EOF'
import json, sys
fit, score = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
heldout = score.get("mean_log_likelihood", score.get("score"))
print(f"{sys.argv[7]},{sys.argv[3]},{sys.argv[4]},{sys.argv[5]},{sys.argv[6]},{fit['free_energy']:.17g},{heldout:.17g},{fit['seconds']:.3f}")
EOF
}
for rep in $(seq 1 "$repeats"); do
  for C in 100 1000 2000; do
    run "$C" "c$C-one" 1 default
    [[ "$C" == 2000 ]] || run "$C" "c$C-three" 3 default
    run "$C" "c$C-one-bounded" 1 60
  done
done
mv "$csv.tmp" "$csv"
"$py" - "$csv" <<'EOF'
import csv, sys
import statistics
rows = list(csv.DictReader(open(sys.argv[1])))
groups = {}
for r in rows:
    groups.setdefault((r["components"], r["setting"]), []).append(r)
by = {}
for key, rs in groups.items():
    assert len({r["free_energy"] for r in rs}) == 1, f"{key}: runs differ"
    by[key] = dict(rs[0], seconds=statistics.median(float(r["seconds"]) for r in rs))
print(f"{'C':>5} {'setting':<18} {'F':>22} {'held-out':>22} {'median s':>9}")
for (C, name), r in by.items():
    print(f"{C:>5} {name:<18} {float(r['free_energy']):>22.15f} {float(r['heldout']):>22.15f} {r['seconds']:>9.2f}")
for C in ("100", "1000"):
    one, three = by[(C, f"c{C}-one")], by[(C, f"c{C}-three")]
    for k in ("free_energy", "heldout"):
        a, b = float(one[k]), float(three[k])
        print(f"C = {C}: {k} relative difference, 3 processes vs 1: {abs(a - b) / abs(a):.2e}")
for C in ("100", "1000", "2000"):
    e, b = by[(C, f"c{C}-one")], by[(C, f"c{C}-one-bounded")]
    print(f"C = {C}: exact vs bounded (60) statistics: time x{e['seconds'] / b['seconds']:.3f}, "
          f"F {float(e['free_energy']) - float(b['free_energy']):+.4f}, held-out {float(e['heldout']) - float(b['heldout']):+.4f}")
EOF
