#!/usr/bin/python3
"""Time to a converged model: vmfa's default fit against the paper's E-steps and `--accelerate`.

    /usr/bin/python3 benchmarks/time_to_model.py [--build DIR] [--out DIR] [--seeds 5489,1,2]
                                                  [--threads 2] [--only NAME,...] [--baseline DIR]

Each row fits one training set and scores a held-out set (mean log-likelihood per patch,
`vmfa score`) three times per seed, back to back, in one session:
  paper         `--search-every 1 --warmup-tol 1e-4`: the paper's schedule, every point searching
                in every E-step and a warm-up to the tolerance
  default       vmfa's defaults: each point searches on every 3rd E-step, the points taking turns,
                and the warm-up ends at a relative change of 1e-3
  accelerated   `--accelerate` (over-relaxed M-steps, all points searching on every 4th E-step)
With `--baseline DIR` also a fourth time with the `vmfa` of another build at its own defaults
("baseline", e.g. an earlier commit's; rows whose flags that build lacks fail). Rows:

  reference  all 255,025 overlapping 8x8 patches of camera.png (pixels / 255), C = 1,000, H = 4,
             C' = 3, G = 15, E = 1, double, the reference implementation's initial loadings
             (U[0,1]) and absolute noise floor (psi >= 1e-3); held out: moon.png's patches
             (scikit-image's, `apt-get install python3-skimage`)
  defaults   the same data, every other option at its default (float, relative floor, Broad loadings)
  photos     100,000 8x8 patches of grass.png and gravel.png (random positions), C = 1,000,
             other options at their defaults; held out: 50,000 other patches of the two
  photos10k  the same at C = 10,000

Writes OUT/time_to_model.csv (one line per fit) and prints a Markdown table of the means over the
seeds (docs/benchmarks.md, "Time to a converged model").
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOON = "/usr/lib/python3/dist-packages/skimage/data/moon.png"
STEPS = [("paper", ["--search-every", "1", "--warmup-tol", "1e-4"]), ("default", []), ("accelerated", ["--accelerate"])]


def patches(path, p=8):
    img = np.asarray(Image.open(path).convert("L"), dtype=np.float64) / 255.0
    return np.lib.stride_tricks.sliding_window_view(img, (p, p)).reshape(-1, p * p)


def prepare(out):
    """Writes the data sets once; returns {name: (train, test)} paths."""
    files = {}
    camera, moon = os.path.join(out, "camera8.npy"), os.path.join(out, "moon8.npy")
    if not os.path.exists(camera):
        np.save(camera, np.ascontiguousarray(patches(os.path.join(ROOT, "data", "camera.png"))))
    if not os.path.exists(moon):
        if not os.path.exists(MOON):
            sys.exit(f"time_to_model.py: {MOON} not found: apt-get install python3-skimage")
        np.save(moon, np.ascontiguousarray(patches(MOON)))
    files["reference"] = files["defaults"] = (camera, moon)
    train, test = os.path.join(out, "photos_train.npy"), os.path.join(out, "photos_test.npy")
    if not os.path.exists(train):
        both = np.concatenate([patches(os.path.join(ROOT, "data", n)) for n in ("grass.png", "gravel.png")])
        order = np.random.default_rng(7).permutation(len(both))
        np.save(train, np.ascontiguousarray(both[order[:100000]]))
        np.save(test, np.ascontiguousarray(both[order[100000:150000]]))
    files["photos"] = files["photos10k"] = (train, test)
    return files


ROWS = {
    "reference": ["--components", "1000", "--latent", "4", "--precision", "double", "--loading-init", "uniform",
                  "--min-noise", "1e-3"],
    "defaults": ["--components", "1000", "--latent", "4"],
    "photos": ["--components", "1000", "--latent", "4"],
    "photos10k": ["--components", "10000", "--latent", "4"],
}


def fit(vmfa, train, test, model, flags, seed, threads):
    t0 = time.perf_counter()
    res = subprocess.run([vmfa, "fit", train, "-o", model, "--json", "--quiet", "--seed", str(seed), "--threads",
                          str(threads)] + flags, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    j = json.loads(res.stdout)
    heldout = float(subprocess.run([vmfa, "score", model, test, "--threads", str(threads)], check=True,
                                   capture_output=True, text=True).stdout)
    hist = j["history"]
    return {"seconds": j["seconds"], "wall": wall, "iterations": j["iterations"],
            "warmup": sum(1 for h in hist if h["warmup"]), "evaluations": j["log_joint_evaluations"],
            "train": j["free_energy"], "heldout": heldout, "status": j["status"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=os.path.join(ROOT, "time-to-model"))
    ap.add_argument("--seeds", default="5489,1,2")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default=",".join(ROWS))
    ap.add_argument("--baseline", help="build directory of another vmfa, fitted at its own defaults")
    a = ap.parse_args()
    vmfa = os.path.join(a.build, "examples", "vmfa")
    configs = [(name, vmfa, flags) for name, flags in STEPS]
    if a.baseline:
        configs.append(("baseline", os.path.join(a.baseline, "examples", "vmfa"), []))
    for _, binary, _ in configs:
        if not os.access(binary, os.X_OK):
            sys.exit(f"time_to_model.py: {binary} not found; build first (README, quick start)")
    os.makedirs(a.out, exist_ok=True)
    files = prepare(a.out)
    seeds = [int(s) for s in a.seeds.split(",")]
    rows = [r for r in a.only.split(",") if r]
    lines = []
    with open(os.path.join(a.out, "time_to_model.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["row", "steps", "seed", "seconds", "iterations", "warmup", "evaluations", "train", "heldout", "status"])
        for row in rows:
            train, test = files[row]
            for seed in seeds:
                for steps, binary, extra in configs:
                    try:
                        r = fit(binary, train, test, os.path.join(a.out, "model.vmfa"), ROWS[row] + extra, seed, a.threads)
                    except subprocess.CalledProcessError as e:
                        if steps != "baseline":
                            raise
                        print(f"{row:10s} baseline: skipped (vmfa fit exited with {e.returncode}: a flag of this row "
                              "that the baseline build lacks?)", file=sys.stderr)
                        continue
                    w.writerow([row, steps, seed, f"{r['seconds']:.3f}", r["iterations"], r["warmup"], r["evaluations"],
                                f"{r['train']:.4f}", f"{r['heldout']:.4f}", r["status"]])
                    f.flush()
                    lines.append((row, steps, seed, r))
                    print(f"{row:10s} {steps:12s} seed {seed:5d}: {r['seconds']:7.2f} s, {r['iterations']:3d} it "
                          f"({r['warmup']} warm-up), {r['evaluations']:.3g} log-joints, train {r['train']:.3f}, "
                          f"held-out {r['heldout']:.3f} ({r['status']})", file=sys.stderr, flush=True)
    print("| row | steps | seconds | iterations (warm-up) | log-joints | train F | held-out | time ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        mean = {}
        for steps, _, _ in configs:
            sel = [r for (rw, st, _, r) in lines if rw == row and st == steps]
            if not sel:
                continue
            mean[steps] = {k: float(np.mean([r[k] for r in sel])) for k in
                           ("seconds", "iterations", "warmup", "evaluations", "train", "heldout")}
        for steps in mean:
            m = mean[steps]
            ratio = m["seconds"] / mean[STEPS[0][0]]["seconds"]
            print(f"| {row} | {steps} | {m['seconds']:.2f} | {m['iterations']:.1f} ({m['warmup']:.1f}) | "
                  f"{m['evaluations']:.3g} | {m['train']:.3f} | {m['heldout']:.3f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
