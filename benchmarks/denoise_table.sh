#!/usr/bin/env bash
# Denoising benchmark: PSNR, SSIM and kilopixels per second of vmfa-denoise on the bundled images.
#
#   benchmarks/denoise_table.sh [--build DIR] [--out DIR] [--threads T] [--full]
#
# Noise: white Gaussian of sigma in {15, 25, 50} (0-255 scale), seed 1, added in-process, so the
# noisy input stays float (unquantised, unclipped). Default grid: the three images x three sigmas x
# {noise-aware estimator with 1 stage and with 2, both at 1 scale, then 2 stages at 3 scales (the
# default), projection with 1 stage at 1 scale} at the default settings (p = 8, C = 100), plus patch
# size 8/12 x C 100/400/1000 x both estimators on camera.png at sigma 25 (1 stage, 1 scale). --full
# runs the whole grid (every image and sigma with every p, C, estimator, both stage counts and 1 or
# 3 scales; about four hours on 2 cores).
# Writes OUT/denoise.csv and prints a Markdown table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-native"
out="$root/denoise-results"
threads=2
full=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --full) full=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "denoise_table.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
tool="$build/examples/vmfa-denoise"
if [ ! -x "$tool" ]; then
  echo "denoise_table.sh: $tool not found; build first, e.g." >&2
  echo "  cmake -S $root -B $build -DCMAKE_BUILD_TYPE=Release -DVMFA_NATIVE=ON && cmake --build $build -j2" >&2
  exit 1
fi
mkdir -p "$out"
csv="$out/denoise.csv"
echo "image,sigma,patch,components,estimator,stages,scales,psnr_db,ssim,noisy_psnr_db,seconds,kpx_per_s" > "$csv"

run() {  # image sigma patch components estimator stages scales
  local line
  line="$("$tool" "$root/data/$1" "$out/denoised.png" --sigma "$2" --add-noise --seed 1 --patch "$3" \
          --components "$4" --estimator "$5" --stages "$6" --scales "$7" --threads "$threads" --quiet)"
  # "time T s, K kpx/s; PSNR P dB (noisy Q dB), SSIM S (noisy R)"
  echo "$line" | sed -E "s/^time ([0-9.]+) s, ([0-9.]+) kpx\/s; PSNR ([0-9.]+) dB \(noisy ([0-9.]+) dB\), SSIM ([0-9.]+) .*/$1,$2,$3,$4,$5,$6,$7,\3,\5,\4,\1,\2/" >> "$csv"
  tail -n 1 "$csv" >&2
}

if [ "$full" = 1 ]; then
  for img in camera.png grass.png gravel.png; do for s in 15 25 50; do for p in 8 12; do for c in 100 400 1000; do
    for e in noise-aware projection; do for k in 1 2; do for m in 1 3; do run "$img" "$s" "$p" "$c" "$e" "$k" "$m"; done; done; done
  done; done; done; done
else
  for img in camera.png grass.png gravel.png; do for s in 15 25 50; do
    run "$img" "$s" 8 100 noise-aware 1 1
    run "$img" "$s" 8 100 noise-aware 2 1
    run "$img" "$s" 8 100 noise-aware 2 3
    run "$img" "$s" 8 100 projection 1 1
  done; done
  for p in 8 12; do for c in 100 400 1000; do for e in noise-aware projection; do
    [ "$p" = 8 ] && [ "$c" = 100 ] && continue
    run camera.png 25 "$p" "$c" "$e" 1 1
  done; done; done
fi

echo "| image | sigma | p | C | estimator | stages | scales | PSNR (dB) | SSIM | noisy PSNR | time (s) | kpx/s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
tail -n +2 "$csv" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s | %s | %.2f | %.4f | %.2f | %.2f | %.1f |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }'
