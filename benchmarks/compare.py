#!/usr/bin/env python3
"""Runs the same Google Benchmark programs of two builds side by side, alternating base and new
`--rounds` times so that both see the same machine load, and prints per benchmark the median time
of each and their ratio (new / base; < 1 is faster).

    python3 benchmarks/compare.py BASE_BUILD_DIR NEW_BUILD_DIR [--rounds 2] [--program NAME=FILTER ...]

Default programs and filters cover the log-joint kernel, the truncated E-step, the M-step, an
exact-EM iteration and whole v-MFA / em-MFA fits on image patches.
"""
import argparse
import json
import statistics
import subprocess
import sys

DEFAULTS = [
    ("vmfa_bench_kernel", r"BM_(Kernel|KernelGathered|TruncatedEStep|MStep)<float>/D:(64|256)/H:(2|8)$"),
    ("vmfa_bench_em", r"."),
    ("vmfa_bench_vmfa", r"BM_FitPatches/patch:8/C:(100/method:0|1000/method:1)/"),
]


def run(binary, pattern):
    out = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    times = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type", "iteration") == "iteration":
            times[b["name"]] = b["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--program", action="append", help="NAME=FILTER (repeatable)")
    args = ap.parse_args()
    programs = [tuple(p.split("=", 1)) for p in args.program] if args.program else DEFAULTS
    print(f"| benchmark | base (s) | new (s) | new / base |\n|---|---|---|---|")
    for name, pattern in programs:
        samples = {"base": {}, "new": {}}
        for _ in range(args.rounds):
            for which, root in (("base", args.base), ("new", args.new)):
                for k, v in run(f"{root}/benchmarks/{name}", pattern).items():
                    samples[which].setdefault(k, []).append(v)
        for k in samples["base"]:
            if k not in samples["new"]:
                continue
            b, n = statistics.median(samples["base"][k]), statistics.median(samples["new"][k])
            print(f"| {name} {k} | {b:.4g} | {n:.4g} | {n / b:.3f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
