#!/usr/bin/env python3
"""Colour denoising: joint-colour patches (3p² values) in the opponent colour space (what vmfa-denoise
does with an RGB image by default: luminance (R+G+B)/√3 and the chroma differences (R−B)/√2,
(R−2G+B)/√6, an orthonormal transform as in BM3D's colour variant CBM3D, so white noise stays white
of the same sigma) against joint patches of the RGB values (`--colour rgb`) and against denoising
each channel on its own (RGB channels, and opponent channels), with one and with two stages, on
scikit-image's colour photographs (astronaut, chelsea, coffee; `apt-get install python3-skimage`),
white Gaussian noise of sigma (0-255 scale, seed 1, kept as float). PSNR on [0, 1] after clipping,
against the clean image; time is the whole run of vmfa-denoise (per channel: all three runs), file
I/O included. Every variant runs at one scale (the default for colour images; the per-channel runs
pass --scales 1).

    /usr/bin/python3 benchmarks/denoise_colour.py [--build build-native] [--sigma 25]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

# rows: luminance and the two chroma differences; orthonormal, so the inverse is the transpose
OPPONENT = np.array([[1, 1, 1], [1, 0, -1], [1, -2, 1]], dtype=np.float64)
OPPONENT /= np.linalg.norm(OPPONENT, axis=1, keepdims=True)


def psnr(a, b):
    return 10 * np.log10(1.0 / np.mean((np.clip(a, 0, 1) - b) ** 2))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build-native"))
    ap.add_argument("--sigma", type=float, default=25)
    args = ap.parse_args()
    tool = os.path.join(args.build, "examples", "vmfa-denoise")
    try:
        import skimage.data
        from PIL import Image
    except ImportError:
        sys.exit("denoise_colour.py: needs scikit-image and Pillow (apt-get install python3-skimage)")
    folder = os.path.dirname(skimage.data.__file__)
    columns = ["RGB joint, 1 stage", "RGB joint, 2 stages", "RGB per channel, 1 stage", "RGB per channel, 2 stages",
               "opponent joint, 1 stage", "opponent joint, 2 stages (default)", "opponent per channel, 2 stages"]
    print("| image | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    with tempfile.TemporaryDirectory() as tmp:

        def run(image, *flags):  # vmfa-denoise on an H x W (x 3) float array; returns (result, seconds)
            inp, out = os.path.join(tmp, "in.npy"), os.path.join(tmp, "out.npy")
            np.save(inp, np.ascontiguousarray(image, dtype=np.float32))
            t = time.time()
            subprocess.run([tool, inp, out, "--sigma", str(args.sigma), "--quiet", *flags], check=True, capture_output=True)
            return np.load(out).astype(np.float64), time.time() - t

        def per_channel(image, stages):
            # one scale, as the colour runs (a grey image would get three by default)
            parts = [run(image[:, :, c], "--stages", str(stages), "--scales", "1") for c in range(3)]
            return np.stack([p[0] for p in parts], axis=2), sum(p[1] for p in parts)

        for name in ["astronaut.png", "chelsea.png", "coffee.png"]:
            path = os.path.join(folder, name)
            clean = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255
            noisy_path = os.path.join(tmp, "noisy.npy")
            # the noise of `--add-noise --seed 1`, saved once and given to every variant; this run is cut
            # to one fit iteration and its output is not used
            subprocess.run([tool, path, os.path.join(tmp, "unused.npy"), "--sigma", str(args.sigma), "--add-noise", "--seed",
                            "1", "--noisy-out", noisy_path, "--stages", "1", "--max-iter", "1", "--quiet"], check=True,
                           capture_output=True)
            noisy = np.load(noisy_path).astype(np.float64)
            rotated = noisy @ OPPONENT.T
            cells = []
            for stages in (1, 2):
                cells.append(run(noisy, "--stages", str(stages), "--colour", "rgb"))
            for stages in (1, 2):
                cells.append(per_channel(noisy, stages))
            for stages in (1, 2):
                cells.append(run(noisy, "--stages", str(stages)))  # the default: opponent inside vmfa-denoise
            opp, seconds = per_channel(rotated, 2)
            cells.append((opp @ OPPONENT, seconds))
            h, w = clean.shape[:2]
            print("| %s (%d × %d) | %s |" % (name, h, w, " | ".join("%.2f dB, %.1f s" % (psnr(r, clean), s) for r, s in cells)),
                  flush=True)


if __name__ == "__main__":
    main()
