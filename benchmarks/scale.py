#!/usr/bin/env python3
"""Scale benchmark: v-MFA fits of growing N and C on flipped and rotated 16x16 image patches
(D = 256, H = 6, float) read from a memory-mapped .npy, each under /usr/bin/time -v.

    python3 benchmarks/scale.py trend   [--build DIR] [--work DIR] [--iterations K]
    python3 benchmarks/scale.py billion [--build DIR] [--work DIR] [--iterations K] [--components C]
                                        [--truncation C'] [--neighbors G]
    python3 benchmarks/scale.py plot    [--work DIR]

trend:   seconds per iteration and peak RSS vs N (--ns, default 1e4 ... 5.9e6 at C = 1,000) and vs C
         (--cs, default 1e4 and 1e5 at N = 5.9e6, with the N sweep's C = 1e3 point; the billion run
         adds C = 5e5), K E+M iterations each (default 2, after at most 2 warm-up E-steps); writes
         WORK/scale.csv and WORK/scale.png (matplotlib, if installed).
plot:    redraws WORK/scale.png from WORK/scale.csv and WORK/billion.csv (its latest row; earlier rows are history); every point is labelled with
         its settings and the code it ran (the `code` column: commit, '+changes' if the tree was dirty).
billion: one fit of C components (default 500,000: C·(D·(H+2)+1) = 1.02e9 parameters) to all
         5,928,216 patches, K E+M iterations (default 3) after at most 2 warm-up E-steps, progress on
         stderr; prints wall time (init and save included), peak RSS, iterations, log-joints per point
         and the final free energy, and appends them to WORK/billion.csv.

Every fit runs at the library's defaults (C' = 3, G = 15, E = 1, AFK-MC² seeding, automatic chunk
size, float) unless --truncation / --neighbors / --init say otherwise; the settings are recorded
in each row and printed next to each point of the plot.

Needs the native build with benchmarks (vmfa_make_patches, the vmfa tool) and /usr/bin/time
(Debian package `time`). The data file (6.1 GB) is written once to WORK/patches16.npy.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D, H = 256, 6
TOTAL = 5928216


def settings_of(args):
    """The non-iteration settings of a fit, as passed to `vmfa fit` and as recorded in the CSV."""
    flags = []
    for flag, value in (("--truncation", args.truncation), ("--neighbors", args.neighbors), ("--init", args.init)):
        if value is not None:
            flags += [flag, str(value)]
    text = "C'=%s G=%s E=1 init=%s" % (args.truncation or 3, args.neighbors or 15, args.init or "afkmc2")
    return flags, text


def code_version():
    """The commit the tool was built from, as far as the tree says: short hash, '+changes' if dirty."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_fit(args, data, n, c, iterations, warmup, label):
    """Runs `vmfa fit` on the first n rows of data; returns a dict of measurements."""
    tool = os.path.join(args.build, "examples", "vmfa")
    if n < TOTAL:
        view = os.path.join(args.work, f"patches16_{n}.npy")
        if not os.path.exists(view):
            subprocess.run([os.path.join(args.build, "benchmarks", "vmfa_make_patches"), view, "--count", str(n)],
                           check=True)
        data = view
    model = os.path.join(args.work, "model.vmfa")
    flags, settings = settings_of(args)
    cmd = ["/usr/bin/time", "-v", tool, "fit", data, "-o", model, "--components", str(c), "--latent", str(H),
           "--max-iter", str(iterations), "--max-warmup", str(warmup), "--json"] + flags
    print(f"[{label}] N = {n}, C = {c}: {' '.join(cmd[2:])}", file=sys.stderr, flush=True)
    start = time.time()
    # stream the fit's progress lines (stderr) while keeping them for /usr/bin/time's report
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = []
    for line in p.stderr:
        err.append(line)
        if line.startswith("iter") or "after" in line:
            print("   " + line.rstrip(), file=sys.stderr, flush=True)
    out = p.stdout.read()
    p.wait()
    wall = time.time() - start
    stderr = "".join(err)
    if p.returncode != 0:
        print(stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"vmfa fit failed with exit code {p.returncode}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr).group(1))
    summary = json.loads(out.strip().splitlines()[-1])
    hist = summary["history"]
    em = [h for h in hist if not h["warmup"] and h["mstep_seconds"] > 0]
    per_iter = sum(h["seconds"] for h in em) / max(1, len(em))
    return {
        "label": label, "settings": settings, "code": code_version(), "N": n, "C": c, "D": D, "H": H,
        "parameters": c * (D * (H + 2) + 1),
        "iterations": len(hist), "em_iterations": len(em),
        "seconds_per_iteration": round(per_iter, 3),
        "estep_seconds": round(sum(h["estep_seconds"] + h["graph_seconds"] for h in em) / max(1, len(em)), 3),
        "mstep_seconds": round(sum(h["mstep_seconds"] for h in em) / max(1, len(em)), 3),
        "log_joints_per_point": round(sum(h["log_joint_evaluations"] for h in em) / max(1, len(em)) / n, 2),
        "init_seconds": round(summary["init_seconds"], 2),
        "fit_seconds": round(summary["seconds"], 2),
        "wall_seconds": round(wall, 1),
        "peak_rss_gib": round(rss_kb / 2**20, 3),
        "free_energy": summary["free_energy"],
        "status": summary["status"],
    }


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed (apt-get install python3-matplotlib): no plot", file=sys.stderr)
        return
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    for col, (label, key) in enumerate([("vs N", "N"), ("vs C", "C")]):
        # the C sweep runs at N = all patches; it shares the largest run of the N sweep and the billion run
        sel = [r for r in rows if r["label"] == label or
               (label == "vs C" and int(r["N"]) == TOTAL and r["label"] in ("vs N", "billion"))]
        # one point per x: the latest row (billion.csv keeps earlier runs as history)
        latest = {}
        for r in sel:
            latest[int(r[key])] = r
        sel = sorted(latest.values(), key=lambda r: int(r[key]))
        if not sel:
            continue
        x = [int(r[key]) for r in sel]
        axes[0][col].loglog(x, [float(r["seconds_per_iteration"]) for r in sel], "o-", label="E+M iteration")
        axes[0][col].loglog(x, [float(r["estep_seconds"]) for r in sel], "s--", label="E-step")
        axes[0][col].loglog(x, [float(r["mstep_seconds"]) for r in sel], "^--", label="M-step")
        axes[0][col].set_ylabel("seconds")
        axes[0][col].legend()
        axes[1][col].loglog(x, [float(r["peak_rss_gib"]) for r in sel], "o-")
        for r, xv in zip(sel, x):  # every point says how it was run
            note = r.get("settings", "C'=3 G=15 E=1 init=random (before issue 12)") + ", code " + r.get("code", "not recorded")
            axes[0][col].annotate(note, (xv, float(r["seconds_per_iteration"])), fontsize=6, rotation=20,
                                  textcoords="offset points", xytext=(3, 4))
            axes[1][col].annotate(note, (xv, float(r["peak_rss_gib"])), fontsize=6, rotation=20,
                                  textcoords="offset points", xytext=(3, 4))
        axes[1][col].set_ylabel("peak RSS (GiB)")
        fixed = "C = %d" % int(sel[0]["C"]) if key == "N" else "N = %d" % int(sel[0]["N"])
        axes[0][col].set_title(f"v-MFA, D = {D}, H = {H}, float, {fixed}")
        axes[1][col].set_xlabel(key)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"wrote {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["trend", "billion", "plot"])
    ap.add_argument("--build", default=os.path.join(ROOT, "build-native"))
    ap.add_argument("--work", default=os.path.join(ROOT, "scale-results"))
    ap.add_argument("--iterations", type=int)
    ap.add_argument("--components", type=int, default=500000)
    ap.add_argument("--truncation", type=int, help="C' (default: the library's, 3)")
    ap.add_argument("--neighbors", type=int, help="G (default: the library's, 15)")
    ap.add_argument("--init", choices=["afkmc2", "kmeans++", "random"], help="seeding (default: the library's, afkmc2)")
    ap.add_argument("--ns", default="10000,100000,1000000,5928216")
    ap.add_argument("--cs", default="10000,100000")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    data = os.path.join(args.work, "patches16.npy")
    if args.mode == "plot":
        rows = []
        for name in ("scale.csv", "billion.csv"):
            path = os.path.join(args.work, name)
            if os.path.exists(path):
                with open(path) as f:
                    rows += list(csv.DictReader(f))
        plot(rows, os.path.join(args.work, "scale.png"))
        return
    if not os.path.exists(data):
        subprocess.run([os.path.join(args.build, "benchmarks", "vmfa_make_patches"), data], check=True)
    if args.mode == "trend":
        k = args.iterations or 2
        rows = []
        for n in [int(v) for v in args.ns.split(",")]:
            rows.append(run_fit(args, data, n, 1000, k, 2, "vs N"))
            write_csv(os.path.join(args.work, "scale.csv"), rows)
        for c in [int(v) for v in args.cs.split(",")]:
            rows.append(run_fit(args, data, TOTAL, c, k, 2, "vs C"))
            write_csv(os.path.join(args.work, "scale.csv"), rows)
        plot(rows, os.path.join(args.work, "scale.png"))
        for r in rows:
            print(r)
    else:
        k = args.iterations or 3
        r = run_fit(args, data, TOTAL, args.components, k, 2, "billion")
        path = os.path.join(args.work, "billion.csv")
        if os.path.exists(path):
            with open(path) as f:
                if f.readline().strip() != ",".join(r.keys()):  # written by an older scale.py
                    os.replace(path, path + ".old")
                    print(f"moved {path} (other columns) to {path}.old", file=sys.stderr)
        new = not os.path.exists(path)
        with open(path, "a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(r.keys()))
            if new:
                w.writeheader()
            w.writerow(r)
        print(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
