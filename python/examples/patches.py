"""Image patches with vmfa.MFA, side by side with scikit-learn's GaussianMixture.

Fits 8x8 patches of data/camera.png (every second patch position: 64,009 patches, D = 64) with
  - vmfa.MFA (v-MFA, C components, H = 4 latent dimensions, float32), and
  - sklearn.mixture.GaussianMixture(covariance_type="diag") with the same C (float64: the only
    precision it has),
then scores held-out patches (camera's other patch positions, and all patches of data/gravel.png
and data/grass.png) and prints time and mean log-likelihood per patch, and draws six components'
means and principal loading directions to python/examples/patches.png.

    PYTHONPATH=build/python /usr/bin/python3 python/examples/patches.py [--components C] [--threads T]
"""

import argparse
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
from sklearn.mixture import GaussianMixture

import vmfa

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def grey(path):
    img = mpimg.imread(path).astype(np.float64)  # PNG: values in [0, 1]
    if img.ndim == 3:
        img = img[:, :, :3] @ np.array([0.299, 0.587, 0.114])
    return img


def patches(img, p=8, stride=1, offset=0):
    """All p x p patches whose top-left corner lies on a grid of `stride` (from `offset`), rows of p*p."""
    view = np.lib.stride_tricks.sliding_window_view(img, (p, p))[offset::stride, offset::stride]
    return view.reshape(-1, p * p)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--components", type=int, default=100)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(ROOT, "python", "examples", "patches.png"))
    args = ap.parse_args()

    camera = grey(os.path.join(ROOT, "data", "camera.png"))
    train = patches(camera, stride=2)
    held_out = {
        "camera, other positions": patches(camera, stride=2, offset=1),
        "gravel.png": patches(grey(os.path.join(ROOT, "data", "gravel.png")), stride=2),
        "grass.png": patches(grey(os.path.join(ROOT, "data", "grass.png")), stride=2),
    }
    C = args.components
    print(f"{train.shape[0]} training patches of 8x8 (D = {train.shape[1]}), C = {C}")

    mfa = vmfa.MFA(n_components=C, latent_dim=4, random_state=0, n_threads=args.threads)
    t0 = time.perf_counter()
    mfa.fit(train.astype(np.float32))
    t_mfa = time.perf_counter() - t0

    gmm = GaussianMixture(n_components=C, covariance_type="diag", random_state=0, max_iter=200, reg_covar=1e-6)
    t0 = time.perf_counter()
    gmm.fit(train)
    t_gmm = time.perf_counter() - t0

    rows = [("fit time (s)", f"{t_mfa:.1f}", f"{t_gmm:.1f}"),
            ("iterations", f"{mfa.n_iter_}", f"{gmm.n_iter_}"),
            ("train log-lik./patch", f"{mfa.score(train):.2f}", f"{gmm.score(train):.2f}")]
    for name, X in held_out.items():
        rows.append((f"held-out: {name}", f"{mfa.score(X):.2f}", f"{gmm.score(X):.2f}"))
    print(f"| | vmfa.MFA (v-MFA, H = 4, float32) | GaussianMixture (diag, float64) |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")

    # six components: those whose loadings span the most variance (edges and texture), each as its
    # mean and the principal directions of Λ_c Λ_cᵀ (left singular vectors scaled by the singular
    # values: Λ_c itself is defined only up to a rotation of the latent space)
    order = np.argsort(-np.linalg.norm(mfa.loadings_, axis=(1, 2)))[:6]
    H = mfa.loadings_.shape[2]
    fig, axes = plt.subplots(len(order), H + 1, figsize=(1.3 * (H + 1), 1.3 * len(order)))
    for i, c in enumerate(order):
        axes[i, 0].imshow(mfa.means_[c].reshape(8, 8), cmap="gray", vmin=0, vmax=1)
        axes[i, 0].set_ylabel(f"pi = {mfa.weights_[c]:.2g}", fontsize=7)
        u, sv, _ = np.linalg.svd(mfa.loadings_[c].astype(np.float64), full_matrices=False)
        for h in range(H):
            v = (u[:, h] * sv[h]).reshape(8, 8)
            s = np.abs(v).max() or 1.0
            axes[i, h + 1].imshow(v, cmap="RdBu_r", vmin=-s, vmax=s)
            axes[i, h + 1].set_xlabel(f"sd {sv[h]:.2f}", fontsize=6)
    axes[0, 0].set_title("mean", fontsize=8)
    for h in range(H):
        axes[0, h + 1].set_title(f"direction {h + 1}", fontsize=8)
    for a in axes.ravel():
        a.set_xticks([])
        a.set_yticks([])
    fig.suptitle(f"vmfa.MFA on 8x8 patches of camera.png: {len(order)} of C = {C} components", fontsize=9)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
