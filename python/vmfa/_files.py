"""Model files: reading the library's format into a fitted estimator."""

from __future__ import annotations

import os
from typing import Any, Union

import numpy as np

from . import _core
from ._estimator import _DTYPES, MFA


def load(path: Union[str, "os.PathLike[str]"], dtype: Any = None) -> MFA:
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
