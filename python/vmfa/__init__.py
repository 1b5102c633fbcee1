"""vmfa: mixtures of factor analysers fitted by sublinear truncated variational EM (v-MFA).

A scikit-learn estimator over vmfa's header-only C++ library::

    import numpy as np, vmfa
    X = np.random.default_rng(0).normal(size=(10000, 64)).astype(np.float32)
    model = vmfa.MFA(n_components=100, latent_dim=4, random_state=0).fit(X)
    model.score(X)             # mean log-likelihood per sample
    labels = model.predict(X)  # most probable component
    model.save("model.vmfa")   # the library's file format: the vmfa CLI and C++ read it
    same = vmfa.load("model.vmfa")

Data layout: a C-contiguous (n_samples, n_features) array of the estimator's ``dtype`` (float32 by
default) is handed to the library without a copy; any other array (another dtype, Fortran order, a
strided view, a list) is converted once by scikit-learn's ``check_array`` before the call. The GIL is
released while the library runs.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from . import _core

__version__ = _core.__version__
__all__ = ["MFA", "load", "denoise", "__version__"]

_DTYPES = {np.dtype(np.float32): _core.Core32, np.dtype(np.float64): _core.Core64}


def _seed_of(random_state):
    """The library's 64-bit seed: an int is used as is (so results equal the CLI's ``--seed``),
    None or a RandomState draws one."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"random_state = {random_state} must be >= 0")
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


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
        Stop when the relative change of the free energy falls below ``tol``.
    variance_floor : float, default=1e-4
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

    def __init__(
        self,
        n_components=1,
        *,
        latent_dim=4,
        algorithm="vmfa",
        truncation=3,
        neighbors=15,
        random_candidates=1,
        init="afkmc2",
        loading_init="broad",
        max_iter=200,
        tol=1e-4,
        variance_floor=1e-4,
        min_noise=0.0,
        shared_noise=False,
        dtype=np.float32,
        n_threads=0,
        random_state=None,
        verbose=0,
        warm_start=False,
    ):
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
        for name in ("tol", "variance_floor", "min_noise"):
            v = getattr(self, name)
            if not isinstance(v, numbers.Real) or isinstance(v, bool):
                raise ValueError(f"{name} = {v!r} must be a number")
        c.tol = float(self.tol)
        c.variance_floor = float(self.variance_floor)
        c.min_noise = float(self.min_noise)
        c.shared_noise = bool(self.shared_noise)
        c.warm_start = bool(self.warm_start)
        c.seed = _seed_of(self.random_state)
        return dt, c

    def _check_X(self, X, reset):
        return self._validate_data(X, reset=reset, dtype=self._dtype() if reset else self._core_dtype(), order="C")

    def _core_dtype(self):
        return np.dtype(np.float32) if isinstance(self._core, _core.Core32) else np.dtype(np.float64)

    # ---- fitting

    def fit(self, X, y=None, sample_weight=None):
        """Fits the mixture to X (n_samples, n_features). Returns self."""
        self._fit(X, sample_weight)
        return self

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fits, then returns the most probable component of every sample."""
        return self._fit(X, sample_weight).predict(X)

    def _fit(self, X, sample_weight):
        dt = self._dtype()
        X = self._validate_data(X, dtype=dt, order="C")
        dt, config = self._config(X.shape[0], X.shape[1])
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
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

    def _ready(self, X):
        check_is_fitted(self, "weights_")
        self._core.set_threads(self._int("n_threads", 0))
        return self._check_X(X, reset=False)

    def score_samples(self, X):
        """Exact log p(x) of every sample (log-sum-exp over all components), float64."""
        X = self._ready(X)
        return self._core.score_samples(X)

    def score(self, X, y=None):
        """Mean log-likelihood per sample."""
        return float(np.mean(self.score_samples(X)))

    def predict(self, X):
        """Most probable component of every sample (int64)."""
        X = self._ready(X)
        return self._core.predict(X)

    def predict_proba(self, X):
        """Posteriors p(c | x), dense (n_samples, n_components)."""
        X = self._ready(X)
        return self._core.predict_proba(X)

    def predict_proba_top(self, X, k):
        """The k most probable components of every sample and their posteriors, as a
        scipy.sparse CSR matrix (n_samples, n_components) with k entries per row."""
        import scipy.sparse

        X = self._ready(X)
        if not isinstance(k, numbers.Integral) or not 1 <= k <= self.weights_.shape[0]:
            raise ValueError(f"k = {k!r} must be an integer in [1, n_components = {self.weights_.shape[0]}]")
        idx, prob = self._core.predict_proba_top(X, int(k))
        n = X.shape[0]
        indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
        return scipy.sparse.csr_matrix((prob.ravel(), idx.ravel(), indptr), shape=(n, self.weights_.shape[0]))

    def sample(self, n_samples=1):
        """Draws n_samples points: returns (X (n_samples, n_features), component labels)."""
        check_is_fitted(self, "weights_")
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples = {n_samples!r} must be an integer >= 1")
        return self._core.sample(int(n_samples), _seed_of(self.random_state))

    def bic(self, X):
        """Bayesian information criterion on X (lower is better)."""
        X = self._ready(X)
        return self._core.bic(X)

    def aic(self, X):
        """Akaike information criterion on X (lower is better)."""
        X = self._ready(X)
        return self._core.aic(X)

    # ---- files and pickling

    def save(self, path):
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


def load(path, dtype=None):
    """Loads a model file written by ``MFA.save``, the CLI or C++ ``vmfa::saveModel`` into a fitted
    ``MFA`` (in the file's precision unless ``dtype`` is given). Raises OSError for a missing,
    truncated or corrupt file."""
    path = str(path)
    info = _core.model_file_info(path)
    dt = np.dtype(dtype if dtype is not None else (np.float32 if info["scalar_bytes"] == 4 else np.float64))
    if dt not in _DTYPES:
        raise ValueError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}")
    core = _DTYPES[dt]()
    core.load(path)
    m = MFA(n_components=info["n_components"], latent_dim=info["latent_dim"], shared_noise=info["shared_noise"],
            dtype=dt.type)
    m._core = core
    m.n_features_in_ = info["n_features"]
    m._set_attributes(None)
    return m


def denoise(noisy, sigma, *, patch_size=8, n_components=100, latent_dim=6, max_iter=25, random_state=5489,
            n_threads=0, train_stride=2, stages=2, colour="opponent", scales=0):
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
    noisy = np.ascontiguousarray(noisy, dtype=np.float32)
    if not np.isfinite(sigma) or sigma < 0:
        raise ValueError(f"sigma = {sigma!r} must be finite and >= 0")
    return _core.denoise(noisy, float(sigma), patch_size, n_components, latent_dim, max_iter,
                         _seed_of(random_state), n_threads, train_stride, stages, colour, scales)
