#!/usr/bin/env bash
# Blind denoising against the same pipeline given the true noise: PSNR and wall time of
# vmfa-denoise on the bundled images, each noisy image denoised twice (--add-noise --seed 1, the
# flags describing the noise added; then once told it, once with --blind), in one session.
#
#   benchmarks/denoise_blind.sh [--build DIR] [--out DIR] [--threads T]
#
# Rows: white Gaussian noise of sigma in {15, 25, 50} (the README's table settings), and
# Poisson-Gaussian noise of peak 10 and 30 with Gaussian parts 0 and 2 (0-255 scale).
# Writes OUT/blind.csv and prints a Markdown table (docs/denoising.md, "Blind denoising").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
out="$root/denoise-results"
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "denoise_blind.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
tool="$build/examples/vmfa-denoise"
if [ ! -x "$tool" ]; then
  echo "denoise_blind.sh: $tool not found; build first: cmake -S $root -B $build -DCMAKE_BUILD_TYPE=Release && cmake --build $build -j2" >&2
  exit 1
fi
mkdir -p "$out"
csv="$out/blind.csv"
echo "image,noise,known_psnr_db,known_s,blind_psnr_db,blind_s,estimate" > "$csv"
field() { sed -nE "s|.*$1.*|\\1|p"; }
run() {  # image label flags...
  local img="$1" label="$2"; shift 2
  local known blind
  known="$("$tool" "$root/data/$img" "$out/known.png" --add-noise --seed 1 --threads "$threads" --quiet "$@")"
  blind="$("$tool" "$root/data/$img" "$out/blind.png" --add-noise --seed 1 --threads "$threads" --quiet --blind "$@")"
  # "time T s, K kpx/s[; NOISE estimated]; PSNR P dB (noisy ...)"
  echo "$img,$label,$(echo "$known" | field 'PSNR ([0-9.]+) dB \(noisy'),$(echo "$known" | field '^time ([0-9.]+) s'),$(echo "$blind" | field 'PSNR ([0-9.]+) dB \(noisy'),$(echo "$blind" | field '^time ([0-9.]+) s'),\"$(echo "$blind" | field 'kpx/s; (.*) estimated')\"" >> "$csv"
  tail -n 1 "$csv" >&2
}
for img in camera.png grass.png gravel.png; do
  for s in 15 25 50; do run "$img" "gaussian sigma $s" --sigma "$s"; done
  for p in 10 30; do for s in 0 2; do
    run "$img" "poisson-gaussian peak $p sigma $s" --noise poisson-gaussian --peak "$p" --sigma "$s"
  done; done
done
python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| image | noise | estimate | known PSNR | blind PSNR | loss dB | known s | blind s | time ratio |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    k, b = float(r["known_psnr_db"]), float(r["blind_psnr_db"])
    ks, bs = float(r["known_s"]), float(r["blind_s"])
    print(f"| {r['image']} | {r['noise']} | {r['estimate']} | {k:.2f} | {b:.2f} | {k - b:+.2f} | {ks:.2f} | {bs:.2f} | {bs / ks:.3f} |")
for kind in ("gaussian", "poisson-gaussian"):
    sel = [r for r in rows if r["noise"].startswith(kind + " ")]
    if sel:
        loss = sum(float(r["known_psnr_db"]) - float(r["blind_psnr_db"]) for r in sel) / len(sel)
        ratio = sum(float(r["blind_s"]) for r in sel) / sum(float(r["known_s"]) for r in sel)
        print(f"\n{kind}: mean PSNR loss {loss:.3f} dB over {len(sel)} rows, blind/known time {ratio:.3f}")
PY
