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

from ._core import __version__
from ._denoise import denoise, estimate_noise
from ._estimator import MFA
from ._files import load

__all__ = ["MFA", "load", "denoise", "estimate_noise", "__version__"]
