/// \file denoise.hpp
/// \brief Zero-shot image denoising with v-MFA (docs/design.md, "Denoising"): fit a mixture of factor
/// analysers to the overlapping patches of the noisy image itself, estimate every clean patch
/// from its posterior over the components, and merge the overlapping estimates per pixel.
///
/// Two per-component estimators, both linear in the patch and both evaluated in O(D·H) per
/// (patch, component) pair through the same batched products as the log-joint kernel:
/// - `Estimator::NoiseAware` (default): the posterior mean of the clean patch under additive
///   white noise of known σ, x̂_c = x − σ² Σ̃_c⁻¹ (x − μ_c), where Σ̃_c = Λ_c Λ_cᵀ + Ψ̃_c and
///   Ψ̃_c = max(Ψ_c, σ²) (the model of the noisy patches must hold at least the noise; where a
///   fitted variance falls below σ² that dimension is shrunk to the component's subspace).
///   Σ̃_c⁻¹ d = Ψ̃_c⁻¹ d − Ũ_c Ṽ_cᵀ d by the Woodbury identity.
/// - `Estimator::Projection`: the paper's x̂_c = μ_c + Λ_c E[z | x, c], which treats all of Ψ_c
///   as noise and needs no σ.
/// The patch estimate is x̂ = Σ_{c ∈ K(n)} q_n(c) x̂_c.
///
/// The noise-aware estimator is the default because it is the Bayes estimate of the clean patch
/// under the fitted model and the known noise: it keeps the detail that the component explains
/// beyond σ² in Ψ_c, which the projection throws away (docs/benchmarks.md, "Denoising", compares them).
#pragma once

#include "errors.hpp"
#include "groups.hpp"
#include "image.hpp"
#include "kernel.hpp"
#include "model.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace vmfa {

/// How a clean patch is estimated from one component (see the file's documentation).
enum class Estimator {
  NoiseAware,  ///< posterior mean of the clean patch for known σ (Wiener filter per component)
  Projection,  ///< μ_c + Λ_c E[z | x, c] (the reference implementation's estimator)
};

/// \brief Per-component linear patch estimators x̂_c = x − a_c ∘ (x − μ_c) + B_c A_cᵀ (x − μ_c),
/// the form both estimators share. Memory D·C·(2H + 1) scalars.
template <typename Scalar>
struct PatchEstimators {
  Matrix<Scalar> shrink;   ///< D × C, a_c
  Matrix<Scalar> factors;  ///< D × C·2H, [A_c B_c] in columns [2H c, 2H c + 2H)
  Index latentDim = 0;

  /// Builds the estimators of `p` for noise standard deviation σ (ignored by Projection), on
  /// `numThreads` threads (0: OpenMP's default). Cost O(C·D·H²).
  /// \throws InvalidArgument if NoiseAware and σ is not finite and > 0.
  static PatchEstimators make(const Parameters<Scalar>& p, Estimator kind, double sigma, int numThreads = 0) {
    const char* where = "vmfa::PatchEstimators::make";
    detail::require(kind == Estimator::Projection || (std::isfinite(sigma) && sigma > 0.0), where, "sigma = ", sigma,
                    " must be finite and > 0");
    const Index D = p.dim(), C = p.numComponents(), H = p.latentDim;
    PatchEstimators e;
    e.latentDim = H;
    e.shrink.resize(D, C);
    e.factors.resize(D, C * 2 * H);
    const double s2 = sigma * sigma;
    [[maybe_unused]] const int nt = detail::resolveThreads(numThreads);
    detail::ExceptionCapture regionErrors;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (Index c = 0; c < C; ++c) {
      regionErrors.run([&] {
        const Eigen::MatrixXd lam = p.loading(c).template cast<double>();
        Eigen::VectorXd psi = p.noise.col(c).template cast<double>();
        if (kind == Estimator::NoiseAware) psi = psi.cwiseMax(s2);
        const Eigen::VectorXd ipsi = psi.cwiseInverse();
        const Eigen::MatrixXd U = ipsi.asDiagonal() * lam;
        const detail::WoodburyFactor f(lam, ipsi);
        const Eigen::MatrixXd V = f.llt.solve(U.transpose()).transpose();  // U L⁻¹
        if (kind == Estimator::NoiseAware) {
          e.shrink.col(c) = (s2 * psi.cwiseInverse()).template cast<Scalar>();
          e.factors.middleCols(2 * H * c, H) = V.template cast<Scalar>();
          e.factors.middleCols(2 * H * c + H, H) = (s2 * U).template cast<Scalar>();
        } else {
          e.shrink.col(c).setOnes();
          e.factors.middleCols(2 * H * c, H) = V.template cast<Scalar>();
          e.factors.middleCols(2 * H * c + H, H) = lam.template cast<Scalar>();
        }
      });
    }
    regionErrors.rethrow();
    return e;
  }
};

/// \brief Clean-patch estimates x̂_n = Σ_k q_n(k) x̂_{c_k}(x_n) for the columns of X (D × N),
/// given their responsibilities (truncated K × N, or dense C × N) under the model with parameters
/// `p`. Pairs with q = 0 are skipped. Cost O(N·K·D·H), in parallel over chunks of `chunkSize`
/// points on `numThreads` threads, grouped by component (`ComponentGroups`) so that each block of
/// at most `blockSize` points of one component is a matrix product.
/// \throws InvalidArgument on mismatched shapes or sizes < 1.
template <typename Scalar>
inline Matrix<Scalar> estimatePatches(const Parameters<Scalar>& p, const PatchEstimators<Scalar>& est,
                                      const Eigen::Ref<const Matrix<std::common_type_t<Scalar>>>& X,
                                      const Responsibilities<Scalar>& resp, int numThreads = 0, Index chunkSize = 4096,
                                      Index blockSize = 256) {
  const char* where = "vmfa::estimatePatches";
  const Index D = p.dim(), C = p.numComponents(), H = p.latentDim, N = X.cols(), K = resp.perPoint();
  detail::require(X.rows() == D, where, "patches have dimension ", X.rows(), ", the model ", D);
  detail::require(resp.numPoints() == N && (resp.dense() ? K == C : resp.index.rows() == K && resp.index.cols() == N),
                  where, "responsibilities are ", K, " x ", resp.numPoints(), " for ", N, " patches and C = ", C);
  detail::require(est.shrink.rows() == D && est.shrink.cols() == C && est.latentDim == H, where,
                  "the estimators do not match the model");
  detail::require(chunkSize >= 1 && blockSize >= 1, where, "chunkSize = ", chunkSize, " and blockSize = ", blockSize,
                  " must be >= 1");
  Matrix<Scalar> out = Matrix<Scalar>::Zero(D, N);
  const Index chunk = chunkSize, numChunks = (N + chunk - 1) / chunk;
  [[maybe_unused]] const int nt = detail::resolveThreads(numThreads);
  detail::ExceptionCapture capture;
#pragma omp parallel num_threads(nt)
  {
    ComponentGroups<std::int64_t> groups;  // items k·chunk + j, in that order within a component
    capture.run([&] { groups.reset(C); });  // on failure every later chunk is skipped
    Matrix<Scalar> gathered, centred, latent, estimate;
#pragma omp for schedule(dynamic, 1)
    for (Index ch = 0; ch < numChunks; ++ch) {
      capture.run([&] {
        const Index first = ch * chunk, len = std::min(chunk, N - first);
        for (Index k = 0; k < K; ++k)
          for (Index j = 0; j < len; ++j) {
            const std::int32_t c = resp.component(k, first + j);
            detail::require(c >= 0 && c < C, where, "component ", c, " of patch ", first + j, " is out of range");
            if (resp.prob(k, first + j) > Scalar(0)) groups.count(c);
          }
        groups.layout();
        for (Index k = 0; k < K; ++k)
          for (Index j = 0; j < len; ++j)
            if (resp.prob(k, first + j) > Scalar(0)) groups.place(resp.component(k, first + j), k * chunk + j);
        groups.forEachBlock(blockSize, [&](std::int32_t c, const std::int64_t* items, Index b) {
          // relative to the model's origin; it is added back below, once per patch
          gatherColumns(X, items, b, [&](std::int64_t code) { return first + code % chunk; }, gathered, p.origin);
          centred.noalias() = gathered.colwise() - p.means.col(c);
          estimate = gathered - (centred.array().colwise() * est.shrink.col(c).array()).matrix();
          if (H > 0) {
            latent.noalias() = est.factors.middleCols(2 * H * c, H).transpose() * centred;
            estimate.noalias() += est.factors.middleCols(2 * H * c + H, H) * latent;
          }
          for (Index i = 0; i < b; ++i) {
            const Index j = items[i] % chunk, k = items[i] / chunk;
            out.col(first + j) += resp.prob(k, first + j) * estimate.col(i);
          }
        });
        groups.clear();
        if (p.hasOrigin())
          for (Index j = 0; j < len; ++j) {
            double mass = 0.0;
            for (Index k = 0; k < K; ++k) mass += static_cast<double>(resp.prob(k, first + j));
            out.col(first + j) = (out.col(first + j).template cast<double>() + mass * p.origin).template cast<Scalar>();
          }
      });
    }
  }
  capture.rethrow();
  return out;
}

/// \brief Options of the second stage of `denoise` (`detail::collaborativeWiener`): every reference
/// patch on a grid of step `step` gathers, within a `window` × `window` neighbourhood, the
/// `similar` patches closest to it in the first-stage estimate; their clean covariance is estimated
/// from the first-stage patches and the *noisy* patches are Wiener-filtered with it.
/// The defaults are the best of the settings compared in docs/benchmarks.md, "Denoising".
struct SecondStageOptions {
  Index patchSize = 10;  ///< p₂: patches are p₂ × p₂ (× channels); any size that fits the image
  Index similar = 60;    ///< k: patches per group (>= 2)
  Index window = 21;     ///< side of the search window around a reference patch (>= 1)
  Index step = 6;        ///< reference patches on a grid of this step, plus the last row and column (>= 1)
};

/// The colour space in which `denoise` works on a three-channel image.
enum class ColourSpace {
  /// Orthonormal opponent colour (as CBM3D): luminance (R+G+B)/√3 and the chroma differences
  /// (R−B)/√2 and (R−2G+B)/√6 (`toOpponent`). White noise of σ stays white of σ, and the chroma
  /// channels' small variance falls to the model's noise floor, where the estimator shrinks it.
  Opponent,
  Rgb,  ///< the channels as given
};

/// \brief Options of `denoise`. Every field has a documented default.
struct DenoiseOptions {
  Index patchSize = 8;           ///< p: patches are p × p (× channels)
  Index numComponents = 100;     ///< C
  Index latentDim = 6;           ///< H (< p²·channels)
  Index activeComponents = 3;    ///< C': components kept per patch
  Index neighbors = 15;          ///< G: neighbour-graph size (<= C)
  Estimator estimator = Estimator::NoiseAware;
  Merge merge = Merge::Mean;     ///< how overlapping estimates are merged per pixel
  /// Fit on the patches whose corners lie on a grid of this step (1: all patches); every patch is
  /// then assigned by one truncated E-step started from the nearest grid patch's components.
  Index trainStride = 2;
  int maxIterations = 25;        ///< E+M iterations of the fit
  /// Initial loadings of the fit. Small, not `Options`' default Broad: Broad's better held-out
  /// likelihood does not carry over to PSNR, and it is slower (docs/benchmarks.md, "Denoising").
  LoadingInit loadingInit = LoadingInit::Small;
  /// Noise variances of the fitted model are kept >= noiseFloor · σ² (0 disables the bound).
  double noiseFloor = 1.0;
  double tolerance = 1e-4;       ///< relative free-energy change that ends the fit
  std::uint64_t seed = 5489;
  int numThreads = 0;            ///< threads of every parallel loop (0: all cores, OpenMP's default)
  Index chunkSize = 4096;        ///< patches per chunk of the E-step and of the estimates (>= 1)
  Index blockSize = 256;         ///< patches per batched product (>= 1)
  ProgressCallback callback;     ///< per fit iteration (may stop the fit)
  /// 1: the model's estimate (fit, estimate every patch, merge). 2 (default): then a second,
  /// collaborative Wiener stage that takes its statistics from the first estimate (`second`).
  int stages = 2;
  SecondStageOptions second;     ///< the second stage (used when stages == 2)
  /// Three-channel images are denoised in this space (joint patches of p²·3 values) and returned in
  /// RGB. Opponent (default) is the better of the two on colour photographs (docs/benchmarks.md).
  ColourSpace colourSpace = ColourSpace::Opponent;
  /// Multiscale denoising: with scales > 1, the image downsampled by `downsampleDct` (white noise of
  /// σ·`downsampleScale`, σ/2 for even sides) is denoised first, with these options and scales − 1,
  /// and the lowest frequencies of both stages' estimates are then taken from it
  /// (`fuseLowFrequencies` with `scaleCutoff`). A coarser scale is used only while the downsampled
  /// image is at least `minScaleSide` pixels on each side and holds patches for the fit
  /// (numComponents training patches) and both stages.
  /// 1: one scale. 0 (default): 3 for a grey image, 1 for a colour image, where more scales do not
  /// help (docs/benchmarks.md, "Denoising").
  Index scales = 0;
  double scaleCutoff = 0.2;  ///< fraction of the coarse scale's DCT band taken from it, in [0, 1]
  Index minScaleSide = 64;   ///< smallest side of a coarse scale (>= 1)
  /// Fit iterations at the coarser scales: at most this many (and at most maxIterations); more
  /// do not change the PSNR and cost time (docs/benchmarks.md, "Denoising").
  int coarseIterations = 10;
};

/// \brief What `denoise` returns: the image and where the time went.
struct DenoiseResult {
  Image image;
  /// the first stage's estimate, its low frequencies from the coarse scale when one was used (empty
  /// when stages == 1: then it is `image`)
  Image firstStage;
  FitResult fit;
  Index numPatches = 0, numTrainingPatches = 0;
  std::uint64_t logJointEvaluations = 0;  ///< fit plus assignment of all patches
  double fitSeconds = 0.0, assignSeconds = 0.0, estimateSeconds = 0.0, mergeSeconds = 0.0;
  double secondStageSeconds = 0.0;  ///< the second stage (0 when stages == 1)
  Index scalesUsed = 1;             ///< scales denoised (1 when the image is too small for a coarser one)
  double coarseSeconds = 0.0;       ///< the coarser scales, all of them (0 with one scale)
  double seconds = 0.0;             ///< everything
};

namespace detail {
/// Fits `model` to the patches of X (all ny × nx of them, or those on a grid of step `stride`)
/// and returns the truncated responsibilities of every patch; times and counts go to `r`.
template <typename Scalar>
Responsibilities<Scalar> fitAndAssign(Model<Scalar>& model, const Matrix<Scalar>& X, Index ny, Index nx,
                                            Index stride, DenoiseResult& r) {
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  auto t = Clock::now();
  if (stride == 1) {
    r.fit = model.fit(X);
    r.numTrainingPatches = X.cols();
    r.fitSeconds = seconds(t);
    r.logJointEvaluations = r.fit.logJointEvaluations;
    return model.fittedResponsibilities();
  }
  const Index gy = (ny - 1) / stride + 1, gx = (nx - 1) / stride + 1;
  Matrix<Scalar> train(X.rows(), gy * gx);
  for (Index i = 0; i < gy; ++i)
    for (Index j = 0; j < gx; ++j) train.col(i * gx + j) = X.col(i * stride * nx + j * stride);
  r.numTrainingPatches = train.cols();
  r.fit = model.fit(train);
  r.fitSeconds = seconds(t);
  t = Clock::now();
  // every patch starts from the active components of the nearest training patch
  const IndexMatrix& trained = model.fittedResponsibilities().index;
  IndexMatrix initial(trained.rows(), X.cols());
  const auto nearest = [&](Index v, Index last) { return std::min((v + stride / 2) / stride, last); };
  for (Index y = 0; y < ny; ++y)
    for (Index x = 0; x < nx; ++x) initial.col(y * nx + x) = trained.col(nearest(y, gy - 1) * gx + nearest(x, gx - 1));
  std::uint64_t evaluations = 0;
  Responsibilities<Scalar> resp = model.searchResponsibilities(X, initial, 1, &evaluations);
  r.logJointEvaluations = r.fit.logJointEvaluations + evaluations;
  r.assignSeconds = seconds(t);
  return resp;
}
/// \throws InvalidArgument if the second stage's options do not fit `img` (shared by `denoise`, which
/// checks before the fit, and `collaborativeWiener`).
inline void checkSecondStage(const char* where, const Image& img, const SecondStageOptions& o) {
  checkPatchSize(where, img.height, img.width, img.channels, o.patchSize);
  require(o.similar >= 2 && o.window >= 1 && o.step >= 1, where, "second stage: similar = ", o.similar,
          " (>= 2), window = ", o.window, " (>= 1) and step = ", o.step, " (>= 1) are out of range");
}

/// \brief The second stage of `denoise`: collaborative Wiener filtering of `noisy` with statistics
/// from the first estimate `basic` (after the second step of NL-Bayes, Lebrun, Buades and Morel
/// 2013). For each reference patch (on a grid of step o.step, plus the last row and column), the
/// o.similar patches nearest to it in `basic` within the search window form a group (ties: the
/// lower patch index). With b̄ the mean of the group's first-stage patches and B (D × k) their
/// deviations from it, the group's clean covariance is S = B Bᵀ/(k − 1), and every noisy patch y of
/// the group is estimated as b̄ + S (S + σ² I)⁻¹ (y − b̄) = b̄ + B (BᵀB + (k − 1)σ² I)⁻¹ Bᵀ (y − b̄),
/// the right-hand form costing O(k²·D + k³) instead of O(D³). (Centring on the noisy patches' own
/// mean, as NL-Bayes does, was worse: docs/benchmarks.md, "Denoising".) Every estimate of a pixel is averaged; sums are kept in 64-bit fixed point (2⁻³²
/// per unit, coarser for pixel values so large that the sums could overflow) per thread, so the
/// result does not depend on the number of threads. Pixels that no group covers keep `basic`'s
/// value; a `basic` with a non-finite value is returned as it is. Cost O(R·(w²·D + k²·D + k³)) for R reference patches.
/// \throws InvalidArgument if the images differ in shape or an option is out of range.
template <typename Scalar>
Image collaborativeWiener(const Image& noisy, const Image& basic, double sigma, const SecondStageOptions& o,
                          int numThreads) {
  const char* where = "vmfa::denoise (second stage)";
  require(noisy.height == basic.height && noisy.width == basic.width && noisy.channels == basic.channels, where,
          "the first estimate is ", basic.height, " x ", basic.width, " x ", basic.channels, ", the image ", noisy.height,
          " x ", noisy.width, " x ", noisy.channels);
  checkSecondStage(where, noisy, o);
  const Index p = o.patchSize, ch = noisy.channels, W = noisy.width, row = p * ch, D = p * row;
  const Index ny = noisy.height - p + 1, nx = W - p + 1, half = o.window / 2;
  std::vector<Index> ry, rx;
  for (Index y = 0; y < ny; y += o.step) ry.push_back(y);
  if (ry.back() != ny - 1) ry.push_back(ny - 1);
  for (Index x = 0; x < nx; x += o.step) rx.push_back(x);
  if (rx.back() != nx - 1) rx.push_back(nx - 1);
  const Index numRefs = static_cast<Index>(ry.size() * rx.size());
  const Scalar reg = static_cast<Scalar>(sigma * sigma);
  double largest = 1.0;  // the largest |pixel| (noisy values are finite: denoise checks them)
  for (const Image* img : {&noisy, &basic})
    for (float v : img->pixels) {
      if (!std::isfinite(v)) return basic;  // a first estimate that is not finite: nothing to refine from
      largest = std::max(largest, std::abs(static_cast<double>(v)));
    }
  // Fixed point of 2^-32 per unit, coarser only if the sums could overflow: an estimate lies within
  // largest·(1 + 2√D) (the filter's eigenvalues are in [0, 1)), and a pixel collects at most numRefs·k of them.
  const double bound = largest * (1.0 + 2.0 * std::sqrt(static_cast<double>(D))) * static_cast<double>(numRefs) *
                       static_cast<double>(o.similar);
  const double kFixed = std::min(4294967296.0, std::ldexp(1.0, 61 - std::ilogb(bound)));
  const int nt = resolveThreads(numThreads);
  std::vector<std::vector<std::int64_t>> sums(static_cast<std::size_t>(nt));
  std::vector<std::vector<std::int64_t>> counts(static_cast<std::size_t>(nt));
  ExceptionCapture capture;
#pragma omp parallel num_threads(nt)
  {
    const int t = threadIndex();
    capture.run([&] {
      auto& sum = sums[static_cast<std::size_t>(t)];
      auto& count = counts[static_cast<std::size_t>(t)];
      sum.assign(noisy.pixels.size(), 0);
      count.assign(static_cast<std::size_t>(noisy.height * W), 0);
    });
    std::vector<std::pair<float, std::int32_t>> cand;
    Matrix<Scalar> B, Y, G, Z;
    Vector<Scalar> bMean;
#pragma omp for schedule(dynamic, 4)
    for (Index r = 0; r < numRefs; ++r) {
      capture.run([&] {
        const Index yr = ry[static_cast<std::size_t>(r) / rx.size()], xr = rx[static_cast<std::size_t>(r) % rx.size()];
        const Index y0 = std::max<Index>(0, yr - half), y1 = std::min(ny - 1, yr + half);
        const Index x0 = std::max<Index>(0, xr - half), x1 = std::min(nx - 1, xr + half);
        // the window's patches by their distance to the reference in the first estimate
        cand.clear();
        for (Index y = y0; y <= y1; ++y)
          for (Index x = x0; x <= x1; ++x) {
            float d = 0.0f;
            for (Index i = 0; i < p; ++i) {
              const float* a = basic.pixels.data() + ((yr + i) * W + xr) * ch;
              const float* b = basic.pixels.data() + ((y + i) * W + x) * ch;
              for (Index j = 0; j < row; ++j) {
                const float e = a[j] - b[j];
                d += e * e;
              }
            }
            cand.emplace_back(d, static_cast<std::int32_t>(y * nx + x));
          }
        const Index k = std::min<Index>(o.similar, static_cast<Index>(cand.size()));
        if (k < 2) return;
        std::nth_element(cand.begin(), cand.begin() + (k - 1), cand.end());  // (distance, index): a total order
        B.resize(D, k);
        Y.resize(D, k);
        for (Index j = 0; j < k; ++j) {
          const Index y = cand[static_cast<std::size_t>(j)].second / nx, x = cand[static_cast<std::size_t>(j)].second % nx;
          for (Index i = 0; i < p; ++i) {
            const float* b = basic.pixels.data() + ((y + i) * W + x) * ch;
            const float* v = noisy.pixels.data() + ((y + i) * W + x) * ch;
            for (Index q = 0; q < row; ++q) {
              B(i * row + q, j) = static_cast<Scalar>(b[q]);
              Y(i * row + q, j) = static_cast<Scalar>(v[q]);
            }
          }
        }
        bMean = B.rowwise().mean();
        B.colwise() -= bMean;
        Y.colwise() -= bMean;
        G.noalias() = B.transpose() * B;
        G.diagonal().array() += static_cast<Scalar>(k - 1) * reg;
        Z.noalias() = B.transpose() * Y;
        Eigen::LLT<Matrix<Scalar>> llt(G);
        llt.solveInPlace(Z);
        Y.noalias() = B * Z;  // the filtered deviations
        Y.colwise() += bMean;
        auto& sum = sums[static_cast<std::size_t>(t)];
        auto& count = counts[static_cast<std::size_t>(t)];
        for (Index j = 0; j < k; ++j) {
          const Index y = cand[static_cast<std::size_t>(j)].second / nx, x = cand[static_cast<std::size_t>(j)].second % nx;
          for (Index i = 0; i < p; ++i) {
            std::int64_t* s = sum.data() + ((y + i) * W + x) * ch;
            std::int64_t* c = count.data() + (y + i) * W + x;
            for (Index q = 0; q < row; ++q) s[q] += std::llround(static_cast<double>(Y(i * row + q, j)) * kFixed);
            for (Index q = 0; q < p; ++q) ++c[q];
          }
        }
      });
    }
  }
  capture.rethrow();
  Image out = basic;
  for (std::size_t v = 0; v < out.pixels.size(); ++v) {
    std::int64_t s = 0, c = 0;
    for (int t = 0; t < nt; ++t) {
      s += sums[static_cast<std::size_t>(t)][v];
      c += counts[static_cast<std::size_t>(t)][v / static_cast<std::size_t>(ch)];
    }
    if (c > 0) out.pixels[v] = static_cast<float>(static_cast<double>(s) / kFixed / static_cast<double>(c));
  }
  return out;
}
}  // namespace detail

namespace detail {
/// Whether a coarse scale of h × w pixels is used: at least o.minScaleSide on each side, and
/// patches for the fit and both stages (the checks `denoise` makes).
inline bool coarseScaleFits(Index h, Index w, const DenoiseOptions& o) {
  if (std::min(h, w) < o.minScaleSide || o.patchSize > std::min(h, w)) return false;
  if (o.stages == 2 && o.second.patchSize > std::min(h, w)) return false;
  const Index gy = (h - o.patchSize) / o.trainStride + 1, gx = (w - o.patchSize) / o.trainStride + 1;
  return gy * gx >= o.numComponents;
}
}  // namespace detail

/// \brief Denoises an image corrupted by additive white Gaussian noise of standard deviation
/// `sigma` (on the image's value scale, e.g. 25/255 for 8-bit data scaled to [0, 1]) without any
/// training data: fits v-MFA to the image's own patches and merges the patch estimates. A colour
/// image is denoised in `o.colourSpace` (by default the opponent space, `toOpponent`) and returned in
/// RGB, its first estimate too. With o.scales > 1 the image at half the resolution is denoised
/// first (recursively) and supplies the lowest frequencies of both stages' estimates (multiscale
/// denoising, after Pierazzo and Facciolo's multiscale DCT denoising; docs/design.md §7).
/// Deterministic for a given seed, whatever the thread count.
/// \throws InvalidArgument on σ <= 0, non-finite pixels, patches larger than the image, channels
/// other than 1 or 3, or options out of range (also those `Model::fit` rejects).
template <typename Scalar = float>
inline DenoiseResult denoise(const Image& noisy, double sigma, const DenoiseOptions& o = DenoiseOptions()) {
  const char* where = "vmfa::denoise";
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  const auto start = Clock::now();
  detail::require(std::isfinite(sigma) && sigma > 0.0, where, "sigma = ", sigma, " must be finite and > 0");
  detail::require(noisy.size() > 0 && static_cast<Index>(noisy.pixels.size()) == noisy.size(), where,
                  "the image is empty or its pixel buffer (", noisy.pixels.size(), ") does not match ", noisy.height,
                  " x ", noisy.width, " x ", noisy.channels);
  detail::checkPatchSize(where, noisy.height, noisy.width, noisy.channels, o.patchSize);
  for (std::size_t i = 0; i < noisy.pixels.size(); ++i)
    detail::require(std::isfinite(noisy.pixels[i]), where, "pixel value ", i, " is ", noisy.pixels[i], ", must be finite");
  detail::require(o.trainStride >= 1, where, "trainStride = ", o.trainStride, " must be >= 1");
  detail::require(o.stages == 1 || o.stages == 2, where, "stages = ", o.stages, " must be 1 or 2");
  if (o.stages == 2) detail::checkSecondStage(where, noisy, o.second);
  detail::require(o.scales >= 0 && o.minScaleSide >= 1, where, "scales = ", o.scales, " (>= 0) and minScaleSide = ",
                  o.minScaleSide, " (>= 1) are out of range");
  detail::require(o.scaleCutoff >= 0.0 && o.scaleCutoff <= 1.0, where, "scaleCutoff = ", o.scaleCutoff,
                  " must be in [0, 1]");
  detail::require(o.coarseIterations >= 1, where, "coarseIterations = ", o.coarseIterations, " must be >= 1");
  if (noisy.channels == 3 && o.colourSpace == ColourSpace::Opponent) {
    // the same pipeline on the rotated image (the noise stays white of σ), rotated back
    DenoiseOptions rgb = o;
    rgb.colourSpace = ColourSpace::Rgb;
    DenoiseResult r = denoise<Scalar>(toOpponent(noisy), sigma, rgb);
    r.image = toOpponent(r.image, true);
    if (!r.firstStage.pixels.empty()) r.firstStage = toOpponent(r.firstStage, true);
    r.seconds = seconds(start);
    return r;
  }
  const Index p = o.patchSize, ny = noisy.height - p + 1, nx = noisy.width - p + 1;
  const Index gy = (ny - 1) / o.trainStride + 1, gx = (nx - 1) / o.trainStride + 1;
  detail::require(gy * gx >= o.numComponents, where, "numComponents = ", o.numComponents, " exceeds the ", gy * gx,
                  " training patches (", ny, " x ", nx, " patches, trainStride ", o.trainStride, ")");

  DenoiseResult r;
  // the coarser scales first: the same pipeline on the image at half the resolution, noise about σ/2
  Image coarse;
  std::uint64_t coarseEvaluations = 0;
  const Index scales = o.scales > 0 ? o.scales : noisy.channels == 1 ? 3 : 1;
  if (scales > 1 && detail::coarseScaleFits(noisy.height / 2, noisy.width / 2, o)) {
    auto t = Clock::now();
    DenoiseOptions oc = o;
    oc.scales = scales - 1;
    oc.maxIterations = std::min(o.maxIterations, o.coarseIterations);
    oc.callback = nullptr;  // the callback follows the fit of the full-resolution image only
    // the noise there is white of σ·s (σ/2 for even sides)
    const double coarseSigma = sigma * downsampleScale(noisy.height, noisy.width);
    DenoiseResult rc = denoise<Scalar>(downsampleDct(noisy, o.numThreads), coarseSigma, oc);
    coarse = std::move(rc.image);
    r.scalesUsed = rc.scalesUsed + 1;
    r.coarseSeconds = seconds(t);
    coarseEvaluations = rc.logJointEvaluations;
  }
  const Matrix<Scalar> X = extractPatches<Scalar>(noisy, p, 1, 0, o.numThreads);
  r.numPatches = X.cols();
  Options mo;
  mo.numComponents = o.numComponents;
  mo.latentDim = o.latentDim;
  mo.maxIterations = o.maxIterations;
  mo.tolerance = o.tolerance;
  mo.seed = o.seed;
  mo.loadingInit = o.loadingInit;
  mo.minimumNoise = o.noiseFloor * sigma * sigma;
  mo.numThreads = o.numThreads;
  mo.blockSize = o.blockSize;
  mo.callback = o.callback;
  typename TruncatedEStep<Scalar>::Options eo;
  eo.activeComponents = std::min(o.activeComponents, o.numComponents);
  eo.chunkSize = o.chunkSize;
  KlNeighborGraph::Options go;
  go.neighbors = std::min(o.neighbors, o.numComponents);
  Model<Scalar> model(mo, TruncatedEStep<Scalar>(eo, go));

  Responsibilities<Scalar> resp = detail::fitAndAssign(model, X, ny, nx, o.trainStride, r);
  auto t = Clock::now();
  const auto estimators = PatchEstimators<Scalar>::make(model.parameters(), o.estimator, sigma, o.numThreads);
  const Matrix<Scalar> estimates =
      estimatePatches(model.parameters(), estimators, X, resp, o.numThreads, o.chunkSize, o.blockSize);
  r.estimateSeconds = seconds(t);
  t = Clock::now();
  r.image = mergePatches(estimates, noisy.height, noisy.width, noisy.channels, p, o.merge, o.numThreads);
  r.mergeSeconds = seconds(t);
  // the lowest frequencies of each stage's estimate come from the coarse scale's result (the second
  // stage then groups patches and estimates their statistics by the fused first estimate)
  const auto fuse = [&](Image& img) {
    if (coarse.pixels.empty()) return;
    const auto tf = Clock::now();
    img = fuseLowFrequencies(img, coarse, o.scaleCutoff, o.numThreads);
    r.coarseSeconds += seconds(tf);
  };
  fuse(r.image);
  if (o.stages == 2) {
    t = Clock::now();
    r.firstStage = std::move(r.image);
    r.image = detail::collaborativeWiener<Scalar>(noisy, r.firstStage, sigma, o.second, o.numThreads);
    r.secondStageSeconds = seconds(t);
    fuse(r.image);
  }
  r.logJointEvaluations += coarseEvaluations;
  r.seconds = seconds(start);
  return r;
}

}  // namespace vmfa
