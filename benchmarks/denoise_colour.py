#!/usr/bin/env python3
"""Colour denoising: joint-colour patches (3p² values, what vmfa-denoise does with an RGB image)
against denoising each channel on its own, with one and with two stages, on scikit-image's colour
photographs (astronaut, chelsea, coffee; `apt-get install python3-skimage`), white Gaussian noise of
sigma (0-255 scale, seed 1, kept as float). PSNR on [0, 1] after clipping, against the clean image;
time is the whole run of vmfa-denoise (per channel: all three runs), file I/O included.

    /usr/bin/python3 benchmarks/denoise_colour.py [--build build-native] [--sigma 25]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


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
    print("| image | joint, 1 stage | joint, 2 stages | per channel, 1 stage | per channel, 2 stages |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ["astronaut.png", "chelsea.png", "coffee.png"]:
            path = os.path.join(folder, name)
            clean = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255
            cells = []
            noisy_path = os.path.join(tmp, "noisy.npy")
            for stages in (1, 2):
                out = os.path.join(tmp, "joint.npy")
                t = time.time()
                subprocess.run([tool, path, out, "--sigma", str(args.sigma), "--add-noise", "--seed", "1", "--noisy-out",
                                noisy_path, "--stages", str(stages), "--quiet"], check=True, capture_output=True)
                cells.append((psnr(np.load(out), clean), time.time() - t))
            noisy = np.load(noisy_path).astype(np.float32)
            for stages in (1, 2):
                result = np.zeros_like(noisy)
                t = time.time()
                for c in range(3):
                    channel, out = os.path.join(tmp, "channel.npy"), os.path.join(tmp, "channel_out.npy")
                    np.save(channel, np.ascontiguousarray(noisy[:, :, c]))
                    subprocess.run([tool, channel, out, "--sigma", str(args.sigma), "--stages", str(stages), "--quiet"],
                                   check=True, capture_output=True)
                    result[:, :, c] = np.load(out)
                cells.append((psnr(result, clean), time.time() - t))
            h, w = clean.shape[:2]
            print("| %s (%d × %d) | %s |" % (name, h, w, " | ".join("%.2f dB, %.1f s" % c for c in cells)), flush=True)


if __name__ == "__main__":
    main()
