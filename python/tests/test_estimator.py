"""Tests of the Python package: scikit-learn's estimator checks, the likelihood against an
independent numpy/scipy computation, equality with the CLI, zero copy, files, pickling, errors,
interrupts and denoising. Run with PYTHONPATH pointing at the built package (ctest does)."""

import os
import pickle
import signal
import subprocess
import threading
import tracemalloc

import numpy as np
import pytest
import scipy.sparse
from scipy.special import logsumexp
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

import vmfa

DTYPES = [np.float32, np.float64]


def mixture_data(n=1200, d=8, k=4, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=6.0, size=(k, d))
    loads = rng.normal(size=(k, d, 2))
    z = rng.integers(k, size=n)
    x = centres[z] + np.einsum("ndh,nh->nd", loads[z], rng.normal(size=(n, 2))) + 0.3 * rng.normal(size=(n, d))
    return x.astype(dtype)


@parametrize_with_checks([vmfa.MFA(n_components=2, latent_dim=1, random_state=0, max_iter=30)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_check_estimator_passes_as_a_whole():
    check_estimator(vmfa.MFA(n_components=2, latent_dim=1, random_state=0, max_iter=30, dtype=np.float64))


def reference_log_likelihood(model, X):
    """log p(x) from the fitted attributes alone: dense covariances, float64, scipy's logsumexp."""
    X = np.asarray(X, dtype=np.float64)
    C = model.weights_.shape[0]
    out = np.empty((X.shape[0], C))
    for c in range(C):
        L = model.loadings_[c].astype(np.float64)
        cov = L @ L.T + np.diag(model.noise_variances_[c].astype(np.float64))
        chol = np.linalg.cholesky(cov)
        diff = X - model.means_[c].astype(np.float64)
        sol = np.linalg.solve(chol, diff.T)
        out[:, c] = (
            np.log(float(model.weights_[c]))
            - 0.5 * np.sum(sol**2, axis=0)
            - np.sum(np.log(np.diag(chol)))
            - 0.5 * X.shape[1] * np.log(2 * np.pi)
        )
    return logsumexp(out, axis=1)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("algorithm", ["vmfa", "em"])
def test_score_samples_equals_a_dense_reference(dtype, algorithm):
    X = mixture_data(dtype=dtype)
    m = vmfa.MFA(n_components=4, latent_dim=2, algorithm=algorithm, dtype=dtype, random_state=3).fit(X)
    assert m.means_.dtype == dtype and m.loadings_.shape == (4, 8, 2) and m.noise_variances_.shape == (4, 8)
    got = m.score_samples(X)
    ref = reference_log_likelihood(m, X)
    rtol = 1e-10 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(got, ref, rtol=rtol)
    assert m.score(X) == pytest.approx(np.mean(ref), rel=rtol)
    # the fitted free energy is a lower bound of the mean log-likelihood (exact for EM)
    assert m.lower_bound_ <= np.mean(ref) + 1e-6 * abs(np.mean(ref))
    assert m.n_iter_ == len(m.history_) >= 1
    assert all("free_energy" in h and "log_joint_evaluations" in h for h in m.history_)
    proba = m.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(m.predict(X), np.argmax(proba, axis=1))
    top = m.predict_proba_top(X, 2)
    assert scipy.sparse.isspmatrix_csr(top) and top.shape == (X.shape[0], 4) and top.nnz == 2 * X.shape[0]
    dense = top.toarray()
    for n in range(0, X.shape[0], 97):  # the two largest posteriors, at their components
        best = np.argsort(-proba[n])[:2]
        np.testing.assert_allclose(dense[n, best], proba[n, best], rtol=1e-4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bic_aic_and_sampling(dtype):
    X = mixture_data(dtype=dtype)
    m = vmfa.MFA(n_components=4, latent_dim=2, dtype=dtype, random_state=1).fit(X)
    n, d = X.shape
    params = 4 * (d * 2 + 2 * d) + 3 - 4 * 1  # means, loadings, noise, weights, minus rotations H(H-1)/2 each
    ll = np.sum(m.score_samples(X))
    assert m.bic(X) == pytest.approx(-2 * ll + params * np.log(n), rel=1e-6)
    assert m.aic(X) == pytest.approx(-2 * ll + 2 * params, rel=1e-6)
    s, labels = m.sample(5000)
    assert s.shape == (5000, d) and s.dtype == dtype and labels.shape == (5000,)
    np.testing.assert_allclose(np.bincount(labels, minlength=4) / 5000, m.weights_, atol=0.03)
    s2, _ = m.sample(5000)
    np.testing.assert_array_equal(s, s2)  # random_state=1: the same draws


def cli_path():
    path = os.environ.get("VMFA_CLI")
    if not path:
        pytest.skip("VMFA_CLI is not set (ctest sets it to the built vmfa tool)")
    return path


@pytest.mark.parametrize("dtype", DTYPES)
def test_equals_the_cli_on_the_same_data_and_seed(tmp_path, dtype):
    X = mixture_data(seed=4, dtype=dtype)
    np.save(tmp_path / "x.npy", X)
    precision = "float" if dtype == np.float32 else "double"
    subprocess.run(
        [cli_path(), "fit", str(tmp_path / "x.npy"), "-o", str(tmp_path / "cli.vmfa"), "--components", "5",
         "--latent", "2", "--seed", "11", "--precision", precision, "--quiet"],
        check=True,
    )
    m = vmfa.MFA(n_components=5, latent_dim=2, random_state=11, dtype=dtype, n_threads=1).fit(X)
    cli = vmfa.load(tmp_path / "cli.vmfa")
    assert cli.means_.dtype == dtype
    for a in ("weights_", "means_", "loadings_", "noise_variances_"):
        np.testing.assert_array_equal(getattr(m, a), getattr(cli, a))  # bit for bit
    m.save(tmp_path / "py.vmfa")
    assert (tmp_path / "py.vmfa").read_bytes() == (tmp_path / "cli.vmfa").read_bytes()


def test_no_copy_of_a_c_contiguous_input():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(100_000, 32)).astype(np.float32)  # 12.8 MB
    m = vmfa.MFA(n_components=3, latent_dim=2, random_state=0, max_iter=2).fit(X[:2000])

    def peak(call):
        tracemalloc.start()
        call()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    # numpy reports its allocations to tracemalloc: a copy of X would show as >= 12.8 MB
    assert peak(lambda: m.score_samples(X)) < 2_000_000
    assert peak(lambda: m.fit(X)) < 2_000_000
    # the check sees copies: a float64 input to a float32 model is converted once
    assert peak(lambda: m.score_samples(X.astype(np.float64))) > X.nbytes
    assert peak(lambda: m.score_samples(np.asfortranarray(X))) >= X.nbytes
    # the binding itself refuses (never silently copies) an array of the wrong dtype or order
    with pytest.raises(TypeError):
        m._core.score_samples(X.astype(np.float64))
    with pytest.raises(TypeError):
        m._core.score_samples(np.asfortranarray(X))


@pytest.mark.parametrize("dtype", DTYPES)
def test_save_load_and_pickle_are_exact(tmp_path, dtype):
    X = mixture_data(dtype=dtype)
    m = vmfa.MFA(n_components=3, latent_dim=2, dtype=dtype, random_state=2, shared_noise=True).fit(X)
    m.save(tmp_path / "m.vmfa")
    back = vmfa.load(tmp_path / "m.vmfa")
    assert back.shared_noise and back.n_features_in_ == X.shape[1] and back.means_.dtype == dtype
    for a in ("weights_", "means_", "loadings_", "noise_variances_"):
        np.testing.assert_array_equal(getattr(m, a), getattr(back, a))
    np.testing.assert_array_equal(m.score_samples(X), back.score_samples(X))
    back.save(tmp_path / "again.vmfa")
    assert (tmp_path / "again.vmfa").read_bytes() == (tmp_path / "m.vmfa").read_bytes()
    p = pickle.loads(pickle.dumps(m))
    np.testing.assert_array_equal(p.score_samples(X), m.score_samples(X))
    assert p.history_ == m.history_ and p.get_params() == m.get_params()
    other = vmfa.load(tmp_path / "m.vmfa", dtype=np.float64 if dtype == np.float32 else np.float32)
    np.testing.assert_allclose(other.means_, m.means_, rtol=1e-6, atol=1e-6 * np.abs(m.means_).max())


def test_sample_weights_of_one_equal_no_weights():
    X = mixture_data(n=600)
    a = vmfa.MFA(n_components=3, latent_dim=2, random_state=5).fit(X)
    b = vmfa.MFA(n_components=3, latent_dim=2, random_state=5).fit(X, sample_weight=np.ones(len(X)))
    np.testing.assert_array_equal(a.means_, b.means_)
    c = vmfa.MFA(n_components=3, latent_dim=2, random_state=5).fit(X, sample_weight=np.full(len(X), 2.0))
    assert not np.array_equal(c.history_[0]["free_energy"], np.nan)
    with pytest.raises(ValueError, match="sample_weight"):
        vmfa.MFA(n_components=3, latent_dim=2).fit(X, sample_weight=np.ones(5))
    with pytest.raises(ValueError, match="sample weight 0 is -1, must be finite and >= 0"):
        vmfa.MFA(n_components=3, latent_dim=2).fit(X, sample_weight=-np.ones(len(X)))


def test_errors_name_the_problem(tmp_path):
    X = mixture_data(n=100)
    with pytest.raises(NotFittedError):
        vmfa.MFA().predict(X)
    with pytest.raises(ValueError, match="latent_dim = 8 must be < n_features = 8"):
        vmfa.MFA(n_components=2, latent_dim=8).fit(X)
    with pytest.raises(ValueError, match="n_components = 101 exceeds n_samples = 100"):
        vmfa.MFA(n_components=101, latent_dim=1).fit(X)
    with pytest.raises(ValueError, match="algorithm must be 'vmfa' or 'em'"):
        vmfa.MFA(algorithm="fast").fit(X)
    with pytest.raises(ValueError, match="init must be 'afkmc2', 'kmeans\\+\\+' or 'random', got 'kmeans'"):
        vmfa.MFA(n_components=2, latent_dim=1, init="kmeans").fit(X)
    with pytest.raises(ValueError, match="dtype must be numpy.float32 or numpy.float64"):
        vmfa.MFA(dtype=np.int32).fit(X)
    with pytest.raises(ValueError, match=r"varianceFloor = 2 must be in \(0, 1\)"):  # the library's check
        vmfa.MFA(n_components=2, latent_dim=1, variance_floor=2.0).fit(X)
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        vmfa.MFA(n_components=2, latent_dim=1).fit(bad)
    m = vmfa.MFA(n_components=2, latent_dim=1, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but MFA is expecting 8"):
        m.predict(X[:, :3])
    with pytest.raises(OSError, match="cannot open"):
        vmfa.load(tmp_path / "missing.vmfa")
    m.save(tmp_path / "m.vmfa")
    data = (tmp_path / "m.vmfa").read_bytes()
    (tmp_path / "cut.vmfa").write_bytes(data[:-10])
    with pytest.raises(OSError, match="truncated"):
        vmfa.load(tmp_path / "cut.vmfa")
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 4
    (tmp_path / "flipped.vmfa").write_bytes(bytes(flipped))
    with pytest.raises(OSError, match="checksum mismatch"):
        vmfa.load(tmp_path / "flipped.vmfa")


def test_ctrl_c_stops_a_fit_and_keeps_the_previous_state():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(20_000, 64)).astype(np.float32)
    m = vmfa.MFA(n_components=400, latent_dim=4, algorithm="em", max_iter=1000, tol=0.0, random_state=0)
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt, match="interrupted"):
            m.fit(X)
    finally:
        timer.cancel()
    assert not hasattr(m, "weights_")  # unfitted, as before the call
    with pytest.raises(NotFittedError):
        m.predict(X)
    # Python's own SIGINT handling is back
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _long_fit_interrupted_by(send):
    """A fit on the main thread that a SIGINT (sent by `send` on a timer) may stop: its outcome."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(20_000, 64)).astype(np.float32)
    m = vmfa.MFA(n_components=400, latent_dim=4, algorithm="em", max_iter=4, tol=0.0, random_state=0)
    timer = threading.Timer(0.3, send)  # the fit takes several seconds
    timer.start()
    try:
        m.fit(X)
        return "completed"
    except KeyboardInterrupt:
        return "interrupted"
    finally:
        timer.cancel()


def test_ctrl_c_respects_an_ignored_signal_and_a_users_handler():
    kill = lambda: os.kill(os.getpid(), signal.SIGINT)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert _long_fit_interrupted_by(kill) == "completed"  # ignored: the fit runs to its end
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        calls = []
        handler = lambda signum, frame: calls.append(signum)
        signal.signal(signal.SIGINT, handler)
        assert _long_fit_interrupted_by(kill) == "completed"  # the user's handler, not the fit, hears it
        assert calls == [signal.SIGINT]
        assert signal.getsignal(signal.SIGINT) is handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_reaches_the_main_thread_fit_while_other_threads_fit():
    rng = np.random.default_rng(8)
    small = rng.normal(size=(2_000, 8)).astype(np.float32)
    stop = threading.Event()

    def other_fits():  # each starts and ends a fit of its own, around the SIGINT
        while not stop.is_set():
            vmfa.MFA(n_components=4, latent_dim=1, max_iter=3, random_state=1).fit(small)

    workers = [threading.Thread(target=other_fits) for _ in range(2)]
    for w in workers:
        w.start()
    try:
        assert _long_fit_interrupted_by(lambda: os.kill(os.getpid(), signal.SIGINT)) == "interrupted"
    finally:
        stop.set()
        for w in workers:
            w.join()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_one_estimator_from_several_threads():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(3_000, 16)).astype(np.float32)
    Y = rng.normal(size=(200_000, 16)).astype(np.float32)
    a = vmfa.MFA(n_components=30, latent_dim=2, max_iter=5, random_state=0).fit(X)
    b = vmfa.MFA(n_components=30, latent_dim=2, max_iter=5, random_state=1).fit(X)
    expected = {a.score(Y), b.score(Y)}
    state_b = pickle.dumps(b)
    for writer in ("unpickle", "set_threads", "warm_start"):
        m = pickle.loads(pickle.dumps(a))
        scores = []
        reader = threading.Thread(target=lambda: scores.extend(m.score(Y) for _ in range(3)))
        reader.start()
        if writer == "unpickle":
            m.__setstate__(pickle.loads(state_b).__getstate__())
        elif writer == "set_threads":
            for t in (1, 2, 1):
                m.set_threads(t) if hasattr(m, "set_threads") else m._core.set_threads(t)
        else:
            m.set_params(warm_start=True, max_iter=2).fit(X)
            expected.add(m.score(Y))
        reader.join()
        # every score is that of one whole model, never of one being replaced
        assert all(s in expected for s in scores), (writer, scores, expected)


def test_verbose_and_warm_start(capsys):
    X = mixture_data(n=800)
    m = vmfa.MFA(n_components=4, latent_dim=2, random_state=0, max_iter=3, tol=0.0, verbose=1, warm_start=True)
    m.fit(X)
    first = m.lower_bound_
    out = capsys.readouterr().out
    assert out.count("\n") == m.n_iter_ and "F = " in out
    m.fit(X)  # continues from the previous parameters
    assert m.history_[0]["free_energy"] >= first - 1e-6 * abs(first)
    with pytest.raises(ValueError, match="warm_start"):
        m.set_params(n_components=5).fit(X)


def test_denoise_improves_a_noisy_image():
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:64, 0:64]
    clean = (0.5 + 0.3 * np.sin(xx / 5.0) * np.cos(yy / 7.0)).astype(np.float32)
    sigma = 0.1
    noisy = clean + sigma * rng.normal(size=clean.shape).astype(np.float32)
    out, report = vmfa.denoise(noisy, sigma, n_components=20, latent_dim=4, max_iter=10, return_report=True)
    assert out.shape == clean.shape and out.dtype == np.float32
    assert report["patches"] == 57 * 57 and report["iterations"] >= 1
    mse_before = np.mean((noisy - clean) ** 2)
    mse_after = np.mean((out - clean) ** 2)
    assert mse_after < 0.5 * mse_before
    one, report1 = vmfa.denoise(noisy, sigma, n_components=20, latent_dim=4, max_iter=10, stages=1,
                                 return_report=True)
    assert report["second_stage_seconds"] > 0 and report1["second_stage_seconds"] == 0
    assert mse_after < np.mean((one - clean) ** 2)  # the second stage gains
    with pytest.raises(ValueError, match="stages = 3 must be 1 or 2"):
        vmfa.denoise(noisy, sigma, stages=3)
    colour = np.repeat(noisy[:, :, None], 3, axis=2)
    out3 = vmfa.denoise(colour, sigma, n_components=10, latent_dim=4, max_iter=3)
    assert out3.shape == (64, 64, 3)
    # a grey picture in colour, independent noise per channel: in the opponent space (the default)
    # the chroma is pure noise, which the model shrinks
    clean3 = np.repeat(clean[:, :, None], 3, axis=2)
    noisy3 = clean3 + sigma * rng.normal(size=clean3.shape).astype(np.float32)
    opp3 = vmfa.denoise(noisy3, sigma, n_components=10, latent_dim=4, max_iter=5)
    rgb3 = vmfa.denoise(noisy3, sigma, n_components=10, latent_dim=4, max_iter=5, colour="rgb")
    assert np.mean((opp3 - clean3) ** 2) < np.mean((rgb3 - clean3) ** 2)
    with pytest.raises(ValueError, match="colour = 'yuv' must be 'opponent' or 'rgb'"):
        vmfa.denoise(colour, sigma, colour="yuv")
    with pytest.raises(ValueError, match="sigma"):
        vmfa.denoise(noisy, -1.0)
    # 64 x 64 is too small for a coarse scale (32 < 64 pixels): scales has no effect there
    assert report["scales_used"] == 1 and report["coarse_seconds"] == 0
    big = np.kron(noisy, np.ones((2, 2), dtype=np.float32))  # 128 x 128: one coarse scale of 64 x 64
    _, report2 = vmfa.denoise(big, sigma, n_components=20, latent_dim=4, max_iter=3, return_report=True)
    _, report3 = vmfa.denoise(big, sigma, n_components=20, latent_dim=4, max_iter=3, scales=1,
                               return_report=True)
    assert report2["scales_used"] == 2 and report2["coarse_seconds"] > 0 and report3["scales_used"] == 1
    with pytest.raises(ValueError, match=r"scales = -1 \(>= 0\) and minScaleSide = 64 \(>= 1\) are out of range"):
        vmfa.denoise(noisy, sigma, scales=-1)


def _textured(size=160):
    yy, xx = np.mgrid[0:size, 0:size]
    img = np.where((xx < size // 2) == (yy < size // 2), 0.3, 0.65)
    img = img + 0.1 * np.sin(0.7 * xx + 0.3 * yy) * (xx < size // 3)
    img[(xx - 110) ** 2 + (yy - 40) ** 2 < 400] = 0.9
    return img.astype(np.float32)


def test_blind_denoising_estimates_sigma_and_returns_the_image():
    rng = np.random.default_rng(3)
    clean = _textured()
    sigma = 20 / 255
    noisy = clean + sigma * rng.normal(size=clean.shape).astype(np.float32)
    est = vmfa.estimate_noise(noisy)["sigma"]
    assert abs(est / sigma - 1) < 0.05
    options = dict(n_components=20, latent_dim=3, max_iter=8)
    out = vmfa.denoise(noisy, **options)  # blind: the image alone, as scikit-image's denoisers return
    assert isinstance(out, np.ndarray) and out.shape == clean.shape
    same, report = vmfa.denoise(noisy, **options, return_report=True)
    assert np.array_equal(out, same)
    assert report["noise_estimated"] and report["sigma"] == pytest.approx(est) and report["gain"] == 0
    told = vmfa.denoise(noisy, est, **options)
    assert np.array_equal(out, told)  # the estimate is used exactly as a given sigma
    assert np.mean((out - clean) ** 2) < 0.3 * np.mean((noisy - clean) ** 2)
    mad = vmfa.estimate_noise(noisy, estimator="wavelet-mad")["sigma"]
    assert mad > 0 and mad != est
    with pytest.raises(ValueError, match="noise_estimator = 'median'"):
        vmfa.denoise(noisy, noise_estimator="median")
    with pytest.raises(ValueError, match="estimated noise level is 0"):
        vmfa.denoise(np.full((40, 40), 0.5, np.float32), n_components=5)


def test_poisson_gaussian_denoising():
    rng = np.random.default_rng(4)
    clean = _textured()
    peak = 20.0
    noisy = (rng.poisson(clean * peak) / peak).astype(np.float32)
    est = vmfa.estimate_noise(noisy, noise="poisson-gaussian")
    # the total variance at mid-grey is what the denoiser needs; the split into parts is less certain
    assert abs((0.5 / est["peak"] + est["sigma"] ** 2) / (0.5 / peak) - 1) < 0.15
    options = dict(n_components=20, latent_dim=3, max_iter=8)
    out, report = vmfa.denoise(noisy, noise="poisson-gaussian", peak=peak, sigma=0, **options, return_report=True)
    assert not report["noise_estimated"] and report["gain"] == pytest.approx(1 / peak)
    assert np.mean((out - clean) ** 2) < 0.3 * np.mean((noisy - clean) ** 2)
    blind, report = vmfa.denoise(noisy, noise="poisson-gaussian", **options, return_report=True)
    assert report["noise_estimated"] and report["gain"] > 0
    assert np.mean((blind - clean) ** 2) < 0.3 * np.mean((noisy - clean) ** 2)
    with pytest.raises(ValueError, match="peak needs noise='poisson-gaussian'"):
        vmfa.denoise(noisy, 0.1, peak=10)
    with pytest.raises(ValueError, match="peak = -1"):
        vmfa.denoise(noisy, noise="poisson-gaussian", peak=-1)
    with pytest.raises(ValueError, match="noise = 'poisson'"):
        vmfa.denoise(noisy, noise="poisson")


@pytest.mark.parametrize("dtype", DTYPES)
def test_min_noise_and_the_noise_at_floor_count(dtype):
    X = mixture_data(dtype=dtype)
    free = vmfa.MFA(n_components=4, latent_dim=2, random_state=0, max_iter=20, dtype=dtype).fit(X)
    assert free.fit_report_["noise_at_floor"] == 0
    floored = vmfa.MFA(n_components=4, latent_dim=2, random_state=0, max_iter=20, dtype=dtype, min_noise=0.5).fit(X)
    at_floor = int(np.sum(floored.noise_variances_ <= 0.5 * (1 + 1e-6)))
    assert at_floor > 0 and floored.fit_report_["noise_at_floor"] == at_floor


@pytest.mark.parametrize("dtype", DTYPES)
def test_over_relaxation(dtype):
    X = mixture_data(dtype=dtype)
    fast = vmfa.MFA(n_components=4, latent_dim=2, random_state=0, tol=0, max_iter=30, dtype=dtype,
                    over_relaxation=4).fit(X)
    steps = [h["step_size"] for h in fast.history_]
    assert max(steps) > 1.0 and max(steps) <= 4.0
    plain = vmfa.MFA(n_components=4, latent_dim=2, random_state=0, tol=0, max_iter=30, dtype=dtype).fit(X)
    assert all(h["step_size"] == 1.0 for h in plain.history_)
    with pytest.raises(ValueError, match="overRelaxation = 0.5 must be in"):
        vmfa.MFA(n_components=4, latent_dim=2, dtype=dtype, over_relaxation=0.5).fit(X)
