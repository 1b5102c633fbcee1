#!/usr/bin/env bash
# Shows that a change leaves every output of the library bit-identical: builds tests/identical/digest.cpp
# against the headers of a base revision (default: HEAD) and against the working tree, runs both with
# 1 and 2 threads on the same fixtures, and compares the digests line by line (float and double: fits,
# scores, predictions, posteriors, samples, model files, checkpoints, resumed fits, denoised images).
#   bash scripts/check-identical.sh [BASE_REVISION]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD}
work=$(mktemp -d /tmp/vmfa_identical_XXXXXX)
trap 'rm -rf "$work"' EXIT
# the image reader was examples/image.hpp before it became vmfa/image_files.hpp
extra=()
git cat-file -e "$base:examples/image.hpp" 2>/dev/null && extra+=(examples/image.hpp)
git archive "$base" include "${extra[@]}" | tar -x -C "$work" --one-top-level=base
flags=(-std=c++17 -O3 -DNDEBUG -fopenmp -I/usr/include/eigen3 -Wno-deprecated-declarations)
newdefs=()
[ -f include/vmfa/checkpoint.hpp ] && newdefs+=(-DVMFA_ESTEP_OWNS_GRAPH)
basedefs=()
[ -f "$work/base/include/vmfa/checkpoint.hpp" ] && basedefs+=(-DVMFA_ESTEP_OWNS_GRAPH)
# DenoiseOptions holds the fit's vmfa::Options (fit.numComponents, ...) instead of copies of its fields
grep -qs "Options fit" include/vmfa/denoise/options.hpp && newdefs+=(-DVMFA_DENOISE_FIT_OPTIONS)
grep -qs "Options fit" "$work/base/include/vmfa/denoise/options.hpp" && basedefs+=(-DVMFA_DENOISE_FIT_OPTIONS)
[ -f include/vmfa/image_files.hpp ] && newdefs+=(-DVMFA_IMAGE_FILES)
[ -f "$work/base/include/vmfa/image_files.hpp" ] && basedefs+=(-DVMFA_IMAGE_FILES)
g++ "${flags[@]}" "${basedefs[@]}" -I"$work/base/include" -I"$work/base/examples" tests/identical/digest.cpp -lstb \
  -o "$work/digest-base" &
g++ "${flags[@]}" "${newdefs[@]}" -Iinclude -Iexamples tests/identical/digest.cpp -lstb -o "$work/digest-new"
wait
status=0
for threads in 1 2; do
  mkdir -p "$work/t$threads-base" "$work/t$threads-new"
  "$work/digest-base" "$threads" data/camera.png "$work/t$threads-base" >"$work/base-$threads.txt"
  "$work/digest-new" "$threads" data/camera.png "$work/t$threads-new" >"$work/new-$threads.txt"
  if diff -u "$work/base-$threads.txt" "$work/new-$threads.txt"; then
    echo "threads $threads: $(wc -l <"$work/new-$threads.txt") digests identical to $base"
  else
    status=1
  fi
done
cmp -s "$work/new-1.txt" "$work/new-2.txt" && echo "1 and 2 threads: identical" || { echo "1 and 2 threads differ"; status=1; }
exit $status
