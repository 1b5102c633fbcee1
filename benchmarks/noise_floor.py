#!/usr/bin/python3
"""Which noise floor generalises: held-out log-likelihood of `vmfa fit` under several floors, on
several kinds of data.

    /usr/bin/python3 benchmarks/noise_floor.py [--build DIR] [--out DIR] [--seeds 5489,1]
                                               [--threads 2] [--only NAME,...] [--floors NAME,...]
    /usr/bin/python3 benchmarks/noise_floor.py --table CSV...   # the table of earlier runs' CSVs

Every noise variance is kept at or above a floor. The floors compared:

  rel1e-6  1e-6 x the data variance of its own dimension (`--variance-floor 1e-6`)
  rel1e-5  1e-5 x the same (vmfa's default)
  rel1e-4  1e-4 x the same (the default until this study)
  rel1e-3  1e-3 x the same
  rel1e-2  1e-2 x the same
  avg1e-4  1e-4 x the mean data variance over the dimensions, the same for every dimension
           (`--min-noise` set to it, `--variance-floor 1e-12`)
  avg1e-3  1e-3 x the mean data variance
  avg1e-2  1e-2 x the mean data variance

Data sets (train / held out; pixels scaled to [0, 1]):

  camera     all 255,025 overlapping 8x8 patches of camera.png / moon.png's (scikit-image's,
             `apt-get install python3-skimage`), C = 1,000, H = 4
  photos     100,000 random 8x8 patches of grass.png and gravel.png / 50,000 others, C = 1,000, H = 4
  digits     scikit-learn's 8x8 digits as whole images (1,797; 3 pixels constant), dequantised
             (pixel + U[0,1)) / 17; 1,347 / 450, C = 10 and 50, H = 4
  canvas     whole 28x28 images (D = 784) built from the digits: each digit upscaled to 20x20
             (bilinear), placed at a random offset in a 28x28 canvas whose border stays empty, 8
             copies per digit; dequantised (value·255 + U[0,1)) / 256: 10,776 / 3,600 images (the
             test images from digits not in training), C = 100 and 300, H = 10
  faces      scikit-image's lfw_subset: 200 whole images of 25x25 (D = 625), 150 / 50, C = 2, H = 4
  synthetic  100,000 / 20,000 points of a random MFA (C = 50, D = 40, H = 3, 4 dimensions of
             noise 1e-6 and no loading), fitted with C = 50, H = 3

All other options at vmfa's defaults. Writes OUT/noise_floor.csv (one line per fit: train and
held-out mean log-likelihood, `vmfa score`; noise variances at their floor) and prints a Markdown
table of the means over the seeds (docs/benchmarks.md, "Which noise floor"); `--table` prints it
from the CSVs of earlier runs (e.g. one run per floor), without fitting.
"""
import argparse
import csv
import json
import os
import subprocess
import sys

import numpy as np
from PIL import Image

from time_to_model import patches  # all overlapping p x p patches of an image, pixels / 255

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"


def need(path):
    if not os.path.exists(path):
        sys.exit(f"noise_floor.py: {path} not found: apt-get install python3-skimage")
    return path


def canvas(images, copies, rng):
    """28x28 images: each 8x8 digit (values in [0, 1]) upscaled to 20x20 at a random offset."""
    out = np.zeros((len(images) * copies, 28, 28))
    for i, img in enumerate(images):
        big = np.asarray(Image.fromarray((img * 255).astype(np.uint8)).resize((20, 20), Image.BILINEAR),
                         dtype=np.float64) / 255.0
        for k in range(copies):
            dy, dx = rng.integers(2, 7, size=2)  # 2..6: the border of two pixels stays empty
            out[i * copies + k, dy:dy + 20, dx:dx + 20] = big
    return out.reshape(len(out), -1)


def synthetic(rng, n):
    C, D, H = 50, 40, 3
    mrng = np.random.default_rng(11)  # the same model for train and test
    mu = mrng.normal(0, 3, (C, D))
    lam = mrng.normal(0, 1, (C, D, H))
    psi = mrng.uniform(0.05, 0.5, (C, D))
    lam[:, :4, :] = 0.0
    psi[:, :4] = 1e-6
    mu[:, :4] = mrng.normal(0, 1, 4)  # the 4 quiet dimensions carry no cluster information
    c = rng.integers(0, C, n)
    z = rng.normal(size=(n, H))
    return mu[c] + np.einsum("ndh,nh->nd", lam[c], z) + rng.normal(size=(n, D)) * np.sqrt(psi[c])


def prepare(out, names):
    files = {}
    rng = np.random.default_rng(7)

    def save(name, train, test):
        a, b = os.path.join(out, f"{name}_train.npy"), os.path.join(out, f"{name}_test.npy")
        np.save(a, np.ascontiguousarray(train))
        np.save(b, np.ascontiguousarray(test))
        files[name] = (a, b)

    for name in names:
        a, b = os.path.join(out, f"{name}_train.npy"), os.path.join(out, f"{name}_test.npy")
        if os.path.exists(a) and os.path.exists(b):
            files[name] = (a, b)
            continue
        if name == "camera":
            save(name, patches(os.path.join(ROOT, "data", "camera.png")), patches(need(os.path.join(SKIMAGE, "moon.png"))))
        elif name == "photos":
            both = np.concatenate([patches(os.path.join(ROOT, "data", n)) for n in ("grass.png", "gravel.png")])
            order = rng.permutation(len(both))
            save(name, both[order[:100000]], both[order[100000:150000]])
        elif name in ("digits", "canvas"):
            from sklearn.datasets import load_digits
            x = load_digits().data
            order = np.random.default_rng(3).permutation(len(x))
            tr, te = x[order[:1347]], x[order[1347:]]
            if name == "digits":
                save(name, (tr + rng.random(tr.shape)) / 17.0, (te + rng.random(te.shape)) / 17.0)
            else:
                ctr, cte = canvas(tr / 16.0, 8, rng), canvas(te / 16.0, 8, rng)
                save(name, (np.round(ctr * 255) + rng.random(ctr.shape)) / 256.0,
                     (np.round(cte * 255) + rng.random(cte.shape)) / 256.0)
        elif name == "faces":
            x = np.load(need(os.path.join(SKIMAGE, "lfw_subset.npy"))).reshape(200, -1)
            order = rng.permutation(200)
            save(name, x[order[:150]], x[order[150:]])
        elif name == "synthetic":
            save(name, synthetic(rng, 100000), synthetic(rng, 20000))
    return files


# (data set, components, latent dimensions)
ROWS = [("camera", 1000, 4), ("photos", 1000, 4), ("digits", 10, 4), ("digits", 50, 4), ("canvas", 100, 10),
        ("canvas", 300, 10), ("faces", 2, 4), ("synthetic", 50, 3)]
FLOORS = ["rel1e-6", "rel1e-5", "rel1e-4", "rel1e-3", "rel1e-2", "avg1e-4", "avg1e-3", "avg1e-2"]


def floor_flags(name, train):
    kind, value = name[:3], name[3:]
    if kind == "rel":
        return ["--variance-floor", value]
    mean = float(np.load(train, mmap_mode="r").var(axis=0).mean())
    return ["--variance-floor", "1e-12", "--min-noise", repr(float(value) * mean)]


def score(vmfa, model, data, threads):
    return float(subprocess.run([vmfa, "score", model, data, "--threads", str(threads)], check=True,
                                capture_output=True, text=True).stdout)


def fit(vmfa, train, test, model, flags, seed, threads):
    res = subprocess.run([vmfa, "fit", train, "-o", model, "--json", "--quiet", "--seed", str(seed), "--threads",
                          str(threads)] + flags, check=True, capture_output=True, text=True)
    j = json.loads(res.stdout)
    return {"seconds": j["seconds"], "iterations": j["iterations"], "atFloor": j["noise_at_floor"],
            "train": score(vmfa, model, train, threads), "heldout": score(vmfa, model, test, threads),
            "status": j["status"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=os.path.join(ROOT, "noise-floor"))
    ap.add_argument("--seeds", default="5489,1")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="", help="data sets (default: all)")
    ap.add_argument("--floors", default=",".join(FLOORS))
    ap.add_argument("--table", nargs="+", metavar="CSV", help="print the table of these CSVs and exit")
    a = ap.parse_args()
    if a.table:
        return read_table(a.table)
    vmfa = os.path.join(a.build, "examples", "vmfa")
    if not os.access(vmfa, os.X_OK):
        sys.exit(f"noise_floor.py: {vmfa} not found; build first (README, quick start)")
    os.makedirs(a.out, exist_ok=True)
    rows = [r for r in ROWS if not a.only or r[0] in a.only.split(",")]
    files = prepare(a.out, sorted({r[0] for r in rows}))
    seeds = [int(s) for s in a.seeds.split(",")]
    floors = [f for f in a.floors.split(",") if f]
    results = []
    with open(os.path.join(a.out, "noise_floor.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["data", "components", "latent", "dim", "floor", "seed", "seconds", "iterations", "at_floor", "train",
                    "heldout", "status"])
        for data, C, H in rows:
            train, test = files[data]
            D = np.load(train, mmap_mode="r").shape[1]
            for floor in floors:
                for seed in seeds:
                    flags = ["--components", str(C), "--latent", str(H)] + floor_flags(floor, train)
                    r = fit(vmfa, train, test, os.path.join(a.out, "model.vmfa"), flags, seed, a.threads)
                    w.writerow([data, C, H, D, floor, seed, f"{r['seconds']:.2f}", r["iterations"], r["atFloor"],
                                f"{r['train']:.4f}", f"{r['heldout']:.4f}", r["status"]])
                    f.flush()
                    results.append((data, C, D, floor, r))
                    print(f"{data:9s} C={C:5d} {floor:8s} seed {seed:5d}: train {r['train']:10.3f} held-out "
                          f"{r['heldout']:10.3f} at floor {r['atFloor']:7d} {r['seconds']:6.1f} s ({r['status']})",
                          file=sys.stderr, flush=True)
    table(results, floors)


def table(results, floors):
    """results: (data, C, D, floor, {"heldout", "train", "atFloor"}) per fit."""
    rows = list(dict.fromkeys((d, c, D) for (d, c, D, _, _) in results))
    floors = [f for f in floors if any(fl == f for (_, _, _, fl, _) in results)]
    print("| data | C | D | " + " | ".join(floors) + " |")
    print("|---|---:|---:|" + "---:|" * len(floors))
    for data, C, D in rows:
        cells = []
        for floor in floors:
            sel = [r for (d, c, _, fl, r) in results if d == data and c == C and fl == floor]
            if not sel:
                cells.append("")
                continue
            held, train = np.mean([r["heldout"] for r in sel]), np.mean([r["train"] for r in sel])
            share = np.mean([r["atFloor"] for r in sel]) / (C * D)
            cells.append(f"{held:.2f} ({train - held:+.1f}; {100 * share:.0f}%)")
        print(f"| {data} | {C} | {D} | " + " | ".join(cells) + " |")
    print("\nCells: held-out mean log-likelihood per point (train minus held-out; share of noise variances at "
          "the floor), means over the seeds.")


def read_table(paths):
    results = []
    for path in paths:
        with open(path) as f:
            for r in csv.DictReader(f):
                results.append((r["data"], int(r["components"]), int(r["dim"]), r["floor"],
                                {"heldout": float(r["heldout"]), "train": float(r["train"]), "atFloor": int(r["at_floor"])}))
    table(results, FLOORS)


if __name__ == "__main__":
    main()
