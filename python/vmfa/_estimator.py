"""The scikit-learn estimator `MFA` over the library's `Model`."""

from __future__ import annotations

import numbers
import os

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.utils.validation import check_is_fitted

from typing import Any, Dict, List, Optional, Tuple, Union

from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix

from . import _core
from ._validation import check_sample_weight, seed_of, validate_data

_DTYPES = {np.dtype(np.float32): _core.Core32, np.dtype(np.float64): _core.Core64}


class MFA(DensityMixin, BaseEstimator):
    """Mixture of factor analysers: p(x) = sum_c pi_c N(x; mu_c, Lambda_c Lambda_c^T + Psi_c).

    Fitted by v-MFA (``algorithm="vmfa"``: truncated variational EM whose cost per iteration does
    not depend on the number of components) or exact EM (``algorithm="em"``).

    Parameters
    ----------
    n_components : int, default=1
        Number of components C (<= n_samples).
    latent_dim : int, default=4
        Latent dimension H of each factor analyser (0 <= H < n_features; 0 is a diagonal GMM).
    algorithm : {"vmfa", "em"}, default="vmfa"
    truncation : int, default=3
        v-MFA: components kept per sample (C'), at most n_components.
    neighbors : int, default=15
        v-MFA: size G of each component's neighbour set, at most n_components.
    random_candidates : int, default=1
        v-MFA: components drawn at random per sample and E-step (E).
    init : {"afkmc2", "kmeans++", "random"}, default="afkmc2"
        Seeding of the means.
    loading_init : {"broad", "small", "uniform", "ppca"}, default="broad"
        Initial loadings (see the C++ ``LoadingInit``).
    max_iter : int, default=200
        Maximum number of E+M iterations.
    tol : float, default=1e-4
        Stop when the relative change of the free energy falls below ``tol`` after a plain EM step.
    over_relaxation : float, default=1.0
        Largest over-relaxed M-step (>= 1; 1: plain EM): each M-step moves the means and loadings
        up to this many times as far as EM would, growing while the free energy rises (the C++
        ``Options::overRelaxation``; 4 reaches a converged model sooner, in another optimum).
    variance_floor : float, default=1e-5
        Noise variances are kept >= variance_floor x the data variance of their dimension.
    min_noise : float, default=0.0
        Absolute lower bound of every noise variance.
    shared_noise : bool, default=False
        One diagonal noise shared by all components.
    dtype : numpy.float32 or numpy.float64, default=numpy.float32
        Precision of the data, the parameters and the kernels.
    n_threads : int, default=0
        OpenMP threads (0: one per core). Results do not depend on it.
    random_state : int, RandomState or None, default=None
        An int is the library's seed (the CLI's ``--seed``).
    verbose : int, default=0
        1: one line per iteration on stdout.
    warm_start : bool, default=False
        Start the next ``fit`` from the current parameters (same C, H and n_features).

    Attributes
    ----------
    weights_ : (n_components,) mixing weights pi_c
    means_ : (n_components, n_features)
    loadings_ : (n_components, n_features, latent_dim)
    noise_variances_ : (n_components, n_features) diagonals of Psi_c
    n_iter_ : int, iterations of the last fit (warm-up E-steps included)
    converged_ : bool
    lower_bound_ : float, final free energy per unit of sample weight (the log-likelihood for EM)
    history_ : list of dict, one per iteration (free energy, times, log-joint evaluations, ...)
    fit_report_ : dict, the library's report (status, seconds, log-joint evaluations, ...)
    n_features_in_ : int

    Interrupting a fit (Ctrl-C) raises KeyboardInterrupt and leaves the estimator as it was before
    the call (unfitted, or with its previous fit).
    """

    _core: _core._Core
    weights_: NDArray[Any]
    means_: NDArray[Any]
    loadings_: NDArray[Any]
    noise_variances_: NDArray[Any]
    fit_report_: Dict[str, Any]
    history_: List[Dict[str, Any]]
    n_iter_: int
    converged_: bool
    lower_bound_: float
    n_features_in_: int

    def __init__(
        self,
        n_components: int = 1,
        *,
        latent_dim: int = 4,
        algorithm: str = "vmfa",
        truncation: int = 3,
        neighbors: int = 15,
        random_candidates: int = 1,
        init: str = "afkmc2",
        loading_init: str = "broad",
        max_iter: int = 200,
        tol: float = 1e-4,
        over_relaxation: float = 1.0,
        variance_floor: float = 1e-5,
        min_noise: float = 0.0,
        shared_noise: bool = False,
        dtype: Any = np.float32,
        n_threads: int = 0,
        random_state: Any = None,
        verbose: int = 0,
        warm_start: bool = False,
    ) -> None:
        self.n_components = n_components
        self.latent_dim = latent_dim
        self.algorithm = algorithm
        self.truncation = truncation
        self.neighbors = neighbors
        self.random_candidates = random_candidates
        self.init = init
        self.loading_init = loading_init
        self.max_iter = max_iter
        self.tol = tol
        self.over_relaxation = over_relaxation
        self.variance_floor = variance_floor
        self.min_noise = min_noise
        self.shared_noise = shared_noise
        self.dtype = dtype
        self.n_threads = n_threads
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    # ---- checks

    def _dtype(self):
        try:
            dt = np.dtype(self.dtype)
        except TypeError:
            dt = None
        if dt not in _DTYPES:
            raise ValueError(f"dtype must be numpy.float32 or numpy.float64, got {self.dtype!r}")
        return dt

    def _int(self, name, low, high=None):
        v = getattr(self, name)
        if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < low or (high is not None and v > high):
            bound = f">= {low}" if high is None else f"in [{low}, {high}]"
            raise ValueError(f"{name} = {v!r} must be an integer {bound}")
        return int(v)

    def _config(self, n_samples, n_features):
        dt = self._dtype()
        if self.algorithm not in ("vmfa", "em"):
            raise ValueError(f"algorithm must be 'vmfa' or 'em', got {self.algorithm!r}")
        c = _core.FitConfig()
        c.algorithm = self.algorithm
        c.components = self._int("n_components", 1)
        c.latent = self._int("latent_dim", 0)
        if n_samples < 2:
            raise ValueError(f"MFA needs at least 2 samples, got n_samples = {n_samples}")
        if c.components > n_samples:
            raise ValueError(f"n_components = {c.components} exceeds n_samples = {n_samples}")
        if c.latent >= n_features:
            raise ValueError(f"latent_dim = {c.latent} must be < n_features = {n_features}")
        c.truncation = min(self._int("truncation", 1), c.components)
        c.neighbors = min(self._int("neighbors", 1), c.components)
        c.random_candidates = self._int("random_candidates", 0, c.components)
        c.init = self.init
        c.loading_init = self.loading_init
        c.max_iter = self._int("max_iter", 1)
        c.threads = self._int("n_threads", 0)
        for name in ("tol", "variance_floor", "min_noise", "over_relaxation"):
            v = getattr(self, name)
            if not isinstance(v, numbers.Real) or isinstance(v, bool):
                raise ValueError(f"{name} = {v!r} must be a number")
        c.tol = float(self.tol)
        c.variance_floor = float(self.variance_floor)
        c.min_noise = float(self.min_noise)
        c.over_relaxation = float(self.over_relaxation)
        c.shared_noise = bool(self.shared_noise)
        c.warm_start = bool(self.warm_start)
        c.seed = seed_of(self.random_state)
        return dt, c

    def _check_X(self, X, reset):
        return validate_data(self, X, reset=reset, dtype=self._dtype() if reset else self._core_dtype(), order="C")

    def _core_dtype(self):
        return np.dtype(np.float32) if isinstance(self._core, _core.Core32) else np.dtype(np.float64)

    # ---- fitting

    def fit(self, X: ArrayLike, y: Any = None, sample_weight: Optional[ArrayLike] = None) -> "MFA":
        """Fits the mixture to X (n_samples, n_features). Returns self."""
        self._fit(X, sample_weight)
        return self

    def fit_predict(self, X: ArrayLike, y: Any = None, sample_weight: Optional[ArrayLike] = None) -> NDArray[np.int64]:
        """Fits, then returns the most probable component of every sample."""
        return self._fit(X, sample_weight).predict(X)

    def _fit(self, X: ArrayLike, sample_weight: Optional[ArrayLike]) -> "MFA":
        dt = self._dtype()
        X = validate_data(self, X, dtype=dt, order="C")
        dt, config = self._config(X.shape[0], X.shape[1])
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X.shape[0])
        warm = self.warm_start and hasattr(self, "_core") and self._core_dtype() == dt
        core = self._core if warm else _DTYPES[dt]()
        if warm:
            C, D, H = self.loadings_.shape
            if (C, D, H) != (config.components, X.shape[1], config.latent):
                raise ValueError(
                    f"warm_start: the fitted model has (n_components, n_features, latent_dim) = {(C, D, H)}, "
                    f"the estimator and data ask for {(config.components, X.shape[1], config.latent)}"
                )
            previous = core.to_bytes()
        config.warm_start = warm
        callback = None
        if self.verbose:

            def callback(s):
                phase = "warm-up" if s["warmup"] else "E+M"
                print(
                    f"iter {s['iteration']:4d} ({phase}) F = {s['free_energy']:.6f} "
                    f"change = {s['relative_change']:.3e} {s['seconds']:.2f} s",
                    flush=True,
                )
                return True

        try:
            report = core.fit(X, sample_weight, config, callback)
        except BaseException:
            if warm:  # the estimator keeps its previous fit
                core.from_bytes(previous)
            raise
        self._core = core
        self._set_attributes(report)
        return self

    def _set_attributes(self, report):
        c = self._core
        self.weights_ = c.weights()
        self.means_ = c.means()
        self.loadings_ = c.loadings()
        self.noise_variances_ = c.noise()
        self.fit_report_ = {k: v for k, v in report.items() if k != "history"} if report else {}
        self.history_ = list(report["history"]) if report else []
        self.n_iter_ = int(report["iterations"]) if report else 0
        self.converged_ = bool(report["converged"]) if report else False
        self.lower_bound_ = float(report["free_energy"]) if report else float("nan")

    # ---- using a fitted model

    def _ready(self, X: ArrayLike) -> NDArray[Any]:
        check_is_fitted(self, "weights_")
        self._core.set_threads(self._int("n_threads", 0))
        return self._check_X(X, reset=False)

    def score_samples(self, X: ArrayLike) -> NDArray[np.float64]:
        """Exact log p(x) of every sample (log-sum-exp over all components), float64."""
        data = self._ready(X)
        return self._core.score_samples(data)

    def score(self, X: ArrayLike, y: Any = None) -> float:
        """Mean log-likelihood per sample."""
        return float(np.mean(self.score_samples(X)))

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """Most probable component of every sample (int64)."""
        data = self._ready(X)
        return self._core.predict(data)

    def predict_proba(self, X: ArrayLike) -> NDArray[Any]:
        """Posteriors p(c | x), dense (n_samples, n_components)."""
        data = self._ready(X)
        return self._core.predict_proba(data)

    def predict_proba_top(self, X: ArrayLike, k: int) -> csr_matrix:
        """The k most probable components of every sample and their posteriors, as a
        scipy.sparse CSR matrix (n_samples, n_components) with k entries per row."""
        data = self._ready(X)
        if not isinstance(k, numbers.Integral) or not 1 <= int(k) <= self.weights_.shape[0]:
            raise ValueError(f"k = {k!r} must be an integer in [1, n_components = {self.weights_.shape[0]}]")
        idx, prob = self._core.predict_proba_top(data, int(k))
        n = data.shape[0]
        indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
        return csr_matrix((prob.ravel(), idx.ravel(), indptr), shape=(n, self.weights_.shape[0]))

    def sample(self, n_samples: int = 1) -> Tuple[NDArray[Any], NDArray[np.int64]]:
        """Draws n_samples points: returns (X (n_samples, n_features), component labels)."""
        check_is_fitted(self, "weights_")
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples = {n_samples!r} must be an integer >= 1")
        return self._core.sample(int(n_samples), seed_of(self.random_state))

    def bic(self, X: ArrayLike) -> float:
        """Bayesian information criterion on X (lower is better)."""
        data = self._ready(X)
        return self._core.bic(data)

    def aic(self, X: ArrayLike) -> float:
        """Akaike information criterion on X (lower is better)."""
        data = self._ready(X)
        return self._core.aic(data)

    # ---- files and pickling

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Saves the model in the library's file format (atomic; the CLI and C++ read it)."""
        check_is_fitted(self, "weights_")
        self._core.save(str(path))

    def __getstate__(self):
        state = self.__dict__.copy()
        if "_core" in state:
            state["_core"] = (self._core_dtype().name, self._core.to_bytes())
        return state

    def __setstate__(self, state):
        core = state.get("_core")
        if core is not None:
            dtype, data = core
            c = _DTYPES[np.dtype(dtype)]()
            c.from_bytes(data)
            state["_core"] = c
        self.__dict__.update(state)
