"""Zero-shot image denoising with a v-MFA fitted to the image's own patches."""

from __future__ import annotations

import math
from typing import Any, Dict, Optional, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _core
from ._validation import seed_of

_NOISE_MODELS = ("gaussian", "poisson-gaussian")


def _noise_parameters(noise: str, sigma: Optional[float], peak: Optional[float]) -> Tuple[float, float]:
    """(gain, sigma) for the core: NaN where the parameter is to be estimated."""
    if noise not in _NOISE_MODELS:
        raise ValueError(f"noise = {noise!r} must be 'gaussian' or 'poisson-gaussian'")
    if sigma is not None and (not math.isfinite(sigma) or sigma < 0 or (noise == "gaussian" and sigma == 0)):
        raise ValueError(f"sigma = {sigma!r} must be finite and {'> 0' if noise == 'gaussian' else '>= 0'}")
    if peak is not None:
        if noise != "poisson-gaussian":
            raise ValueError("peak needs noise='poisson-gaussian'")
        if not math.isfinite(peak) or peak <= 0:
            raise ValueError(f"peak = {peak!r} must be finite and > 0")
    gain = 0.0 if noise == "gaussian" else (math.nan if peak is None else 1.0 / peak)
    return gain, (math.nan if sigma is None else float(sigma))


def denoise(
    noisy: ArrayLike,
    sigma: Optional[float] = None,
    *,
    noise: str = "gaussian",
    peak: Optional[float] = None,
    noise_estimator: str = "kurtosis",
    return_report: bool = False,
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
) -> Union[NDArray[np.float32], Tuple[NDArray[np.float32], Dict[str, Any]]]:
    """Zero-shot denoising of one image with a v-MFA fitted to its own patches.

    noisy: float array (height, width) or (height, width, channels), values typically in [0, 1].
    The noise: with noise="gaussian" (default), white Gaussian noise of standard deviation sigma in
    the image's units, estimated from the image when sigma is None (blind denoising; noise_estimator
    "kurtosis" (default), "weak-texture" or "wavelet-mad"). With noise="poisson-gaussian", noise of
    variance x / peak + sigma**2 (peak photons at value 1, sigma the Gaussian part, 0 allowed),
    removed through the generalised Anscombe transform and its exact unbiased inverse; whichever of
    peak and sigma is None is estimated from the image.

    stages: 1 (the model's estimate) or 2 (default: then collaborative Wiener filtering with
    statistics from the first estimate); colour: the space a three-channel image is denoised in,
    "opponent" (default: luminance and two chroma differences, an orthonormal transform) or "rgb"
    (the channels as given); scales: 1, or N > 1 to denoise the image at half the resolution first
    (with N - 1 scales, while it is at least 64 pixels a side) and take the lowest frequencies of the
    estimates from it; 0 (default): 3 for a grey image, 1 for a colour one.

    Returns the denoised image (float32, the shape of noisy), as scikit-image's denoisers do; with
    return_report=True the pair (image, report dict: the noise used ("sigma", "gain", whether
    "noise_estimated", "noise_seconds"), fit status, iterations, patches, log-joint evaluations,
    seconds per stage and in all)."""
    image = np.ascontiguousarray(noisy, dtype=np.float32)
    gain, s = _noise_parameters(noise, sigma, peak)
    out, report = _core.denoise(image, s, gain, patch_size, n_components, latent_dim, max_iter,
                                seed_of(random_state), n_threads, train_stride, stages, colour, scales,
                                noise_estimator)
    return (out, report) if return_report else out


def estimate_noise(
    noisy: ArrayLike,
    *,
    noise: str = "gaussian",
    estimator: str = "kurtosis",
    sigma: Optional[float] = None,
    peak: Optional[float] = None,
    n_threads: int = 0,
) -> Dict[str, float]:
    """The noise of one image estimated from the image alone, as denoise(noisy) estimates it.

    noise="gaussian": {"sigma": the standard deviation of white Gaussian noise} by `estimator`
    ("kurtosis" (default), "weak-texture" or "wavelet-mad"). noise="poisson-gaussian": {"peak",
    "sigma"} with variance x / peak + sigma**2, keeping whichever of peak and sigma is given ("peak"
    is inf when no signal-dependent part is found)."""
    image = np.ascontiguousarray(noisy, dtype=np.float32)
    gain, s = _noise_parameters(noise, sigma, peak)
    if noise == "gaussian":
        if sigma is not None:
            raise ValueError("sigma is estimated here; give it only with noise='poisson-gaussian'")
        return {"sigma": _core.estimate_noise(image, noise, estimator, 0.0, math.nan, n_threads)[1]}
    g, est = _core.estimate_noise(image, noise, estimator, gain, s, n_threads)
    return {"peak": 1.0 / g if g > 0 else math.inf, "sigma": est}
