#!/usr/bin/env bash
# Throughput of whole v-MFA fits, side by side in one run: a default build (no -march flags: what
# `cmake --install` and distributions ship, the kernel chosen at run time) against a native build
# (-DVMFA_NATIVE=ON), float and double, alternating so that both see the same machine.
#
#   bash benchmarks/throughput.sh [DEFAULT_BUILD=build] [NATIVE_BUILD=build-native] [REPEATS=3]
#
# Data: all 255,025 overlapping 8x8 patches of camera.png (vmfa_make_patches --image camera.png
# --plain --patch 8); fit: C = 1000, H = 4, every other option at its default (C' = 3, G = 15,
# E = 1, AFK-MC² seeding, tolerance 1e-4), 2 threads. Reported per build and precision: the median
# over REPEATS of the fit's wall time (seeding included), its log-joint evaluations per second
# (evaluations / wall time), the E-step, graph and M-step seconds, iterations and free energy.
# Writes benchmarks/results/throughput.csv (one row per run).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
default_build="${1:-build}"
native_build="${2:-build-native}"
repeats="${3:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for b in "$default_build" "$native_build"; do
  [[ -x "$b/examples/vmfa" ]] || { echo "throughput.sh: $b/examples/vmfa not found (build it first)" >&2; exit 2; }
done
"$native_build/benchmarks/vmfa_make_patches" "$work/camera8.npy" --image camera.png --plain --patch 8

csv="$here/results/throughput.csv"
echo "build,precision,run,seconds,iterations,log_joint_evaluations,estep_seconds,graph_seconds,mstep_seconds,free_energy" > "$csv.tmp"
for run in $(seq 1 "$repeats"); do
  for precision in float double; do
    for b in "$default_build" "$native_build"; do
      name=$([[ "$b" == "$native_build" ]] && echo native || echo default)
      "$b/examples/vmfa" fit "$work/camera8.npy" -o "$work/model.vmfa" --components 1000 --latent 4 --threads 2 \
        --precision "$precision" --quiet --json > "$work/fit.json"
      python3 - "$work/fit.json" "$name" "$precision" "$run" >> "$csv.tmp" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
h = d["history"]
s = lambda k: sum(x[k] for x in h)
print(f"{sys.argv[2]},{sys.argv[3]},{sys.argv[4]},{d['seconds']:.3f},{d['iterations']},{d['log_joint_evaluations']},"
      f"{s('estep_seconds'):.3f},{s('graph_seconds'):.3f},{s('mstep_seconds'):.3f},{d['free_energy']:.10f}")
EOF
      tail -1 "$csv.tmp" >&2
    done
  done
done
mv "$csv.tmp" "$csv"

python3 - "$csv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| build | precision | fit time (median) | iterations | log-joints/s | E-step | graph | M-step | free energy |")
print("|---|---|---|---|---|---|---|---|---|")
rate = {}
for precision in ("float", "double"):
    for build in ("default", "native"):
        r = [x for x in rows if x["build"] == build and x["precision"] == precision]
        t = statistics.median(float(x["seconds"]) for x in r)
        ev = statistics.median(float(x["log_joint_evaluations"]) / float(x["seconds"]) for x in r)
        rate[build, precision] = ev
        med = lambda k: statistics.median(float(x[k]) for x in r)
        print(f"| {build} | {precision} | {t:.2f} s | {r[0]['iterations']} | {ev / 1e6:.1f} M | {med('estep_seconds'):.2f} s "
              f"| {med('graph_seconds'):.2f} s | {med('mstep_seconds'):.2f} s | {float(r[0]['free_energy']):.6f} |")
for precision in ("float", "double"):
    print(f"default / native log-joints per second, {precision}: {rate['default', precision] / rate['native', precision]:.3f}")
EOF
