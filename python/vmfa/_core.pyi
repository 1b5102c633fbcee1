"""Types of vmfa's compiled core (python/src/core.cpp, pybind11). Arrays are C-contiguous
(n_samples, n_features) of the core's precision; the binding never copies them."""

from typing import Any, Callable, Dict, Optional, Tuple

import numpy as np
from numpy.typing import NDArray

__version__: str

class NotFittedCore(ValueError): ...

class FitConfig:
    algorithm: str
    components: int
    latent: int
    truncation: int
    neighbors: int
    random_candidates: int
    init: str
    loading_init: str
    max_iter: int
    max_warmup: int
    threads: int
    tol: float
    variance_floor: float
    min_noise: float
    over_relaxation: float
    shared_noise: bool
    warm_start: bool
    seed: int
    def __init__(self) -> None: ...

class _Core:
    def __init__(self) -> None: ...
    @property
    def fitted(self) -> bool: ...
    @property
    def shared_noise(self) -> bool: ...
    def fit(
        self,
        X: NDArray[Any],
        sample_weight: Optional[NDArray[np.float64]],
        config: FitConfig,
        callback: Optional[Callable[[Dict[str, Any]], bool]],
    ) -> Dict[str, Any]: ...
    def score_samples(self, X: NDArray[Any]) -> NDArray[np.float64]: ...
    def predict(self, X: NDArray[Any]) -> NDArray[np.int64]: ...
    def predict_proba(self, X: NDArray[Any]) -> NDArray[Any]: ...
    def predict_proba_top(self, X: NDArray[Any], k: int) -> Tuple[NDArray[np.int64], NDArray[Any]]: ...
    def sample(self, n: int, seed: int) -> Tuple[NDArray[Any], NDArray[np.int64]]: ...
    def bic(self, X: NDArray[Any]) -> float: ...
    def aic(self, X: NDArray[Any]) -> float: ...
    def weights(self) -> NDArray[Any]: ...
    def means(self) -> NDArray[Any]: ...
    def loadings(self) -> NDArray[Any]: ...
    def noise(self) -> NDArray[Any]: ...
    def save(self, path: str) -> None: ...
    def load(self, path: str) -> None: ...
    def to_bytes(self) -> bytes: ...
    def from_bytes(self, data: bytes) -> None: ...
    def set_threads(self, threads: int) -> None: ...

class Core32(_Core): ...
class Core64(_Core): ...

def model_file_info(path: str) -> Dict[str, Any]: ...
def denoise(
    noisy: NDArray[np.float32],
    sigma: float,
    gain: float,
    patch_size: int,
    n_components: int,
    latent_dim: int,
    max_iter: int,
    seed: int,
    n_threads: int,
    train_stride: int,
    stages: int,
    colour: str,
    scales: int,
    noise_estimator: str,
) -> Tuple[NDArray[np.float32], Dict[str, Any]]: ...
def estimate_noise(
    noisy: NDArray[np.float32],
    noise: str,
    estimator: str,
    gain: float,
    sigma: float,
    n_threads: int,
) -> Tuple[float, float]: ...
