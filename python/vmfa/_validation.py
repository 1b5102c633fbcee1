"""Input checks shared by the estimator and the functions: seeds, sample weights, data."""

from __future__ import annotations

import numbers
from typing import Any, Optional

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_array, check_random_state

try:  # scikit-learn >= 1.6: the public function
    from sklearn.utils.validation import validate_data as _validate_data_function
except ImportError:  # older scikit-learn: the estimator's own method (its documented API then)
    _validate_data_function = None


def seed_of(random_state: Any) -> int:
    """The library's 64-bit seed: an int is used as is (so results equal the CLI's ``--seed``),
    None or a RandomState draws one."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"random_state = {random_state} must be >= 0")
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def validate_data(estimator: Any, X: ArrayLike, **kwargs: Any) -> NDArray[Any]:
    """scikit-learn's validation of X for `estimator` (n_features_in_, dtype, order, finiteness)."""
    if _validate_data_function is not None:
        return _validate_data_function(estimator, X, **kwargs)
    return estimator._validate_data(X, **kwargs)


def check_sample_weight(sample_weight: Optional[ArrayLike], n_samples: int) -> Optional[NDArray[np.float64]]:
    """None, or the sample weights as a C-contiguous float64 vector of length n_samples (a scalar
    is repeated). Raises ValueError for another shape or non-finite values; the library checks
    that they are non-negative and not all zero."""
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Number):
        return np.full(n_samples, float(sample_weight), dtype=np.float64)  # type: ignore[arg-type]
    w = check_array(sample_weight, ensure_2d=False, dtype=np.float64, order="C")
    if w.ndim != 1:
        raise ValueError(f"sample_weight must be a 1-D array or a scalar, got {w.ndim} dimensions")
    if w.shape != (n_samples,):
        raise ValueError(f"sample_weight.shape == {w.shape}, expected {(n_samples,)}!")
    return w
