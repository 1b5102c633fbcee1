"""Zero-shot image denoising with a v-MFA fitted to the image's own patches."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _core
from ._validation import seed_of


def denoise(
    noisy: ArrayLike,
    sigma: float,
    *,
    patch_size: int = 8,
    n_components: int = 100,
    latent_dim: int = 6,
    max_iter: int = 25,
    random_state: Any = 5489,
    n_threads: int = 0,
    train_stride: int = 2,
    stages: int = 2,
    colour: str = "opponent",
    scales: int = 0,
) -> Tuple[NDArray[np.float32], Dict[str, Any]]:
    """Zero-shot denoising of one image with a v-MFA fitted to its own patches.

    noisy: float array (height, width) or (height, width, channels), values typically in [0, 1];
    sigma: the noise's standard deviation in the same units; stages: 1 (the model's estimate) or 2
    (default: then collaborative Wiener filtering with statistics from the first estimate); colour:
    the space a three-channel image is denoised in, "opponent" (default: luminance and two chroma
    differences, an orthonormal transform) or "rgb" (the channels as given); scales: 1, or N > 1 to
    denoise the image at half the resolution first (with N - 1 scales, while it is at least 64
    pixels a side) and take the lowest frequencies of the estimates from it; 0 (default): 3 for a
    grey image, 1 for a colour one. Returns
    (image (float32, the shape of noisy), report dict: fit status, iterations, patches, log-joint
    evaluations, seconds per stage and in all)."""
    image = np.ascontiguousarray(noisy, dtype=np.float32)
    if not np.isfinite(sigma) or sigma < 0:
        raise ValueError(f"sigma = {sigma!r} must be finite and >= 0")
    return _core.denoise(image, float(sigma), patch_size, n_components, latent_dim, max_iter,
                         seed_of(random_state), n_threads, train_stride, stages, colour, scales)
