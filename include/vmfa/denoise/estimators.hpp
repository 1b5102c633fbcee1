/// \file denoise/estimators.hpp
/// \brief The clean-patch estimators of denoising: per-component linear estimators
/// (`PatchEstimators`) and the posterior-weighted estimate of every patch (`estimatePatches`).
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

#include "../detail/parallel.hpp"
#include "../errors.hpp"
#include "../groups.hpp"
#include "../kernel.hpp"
#include "../parameters.hpp"
#include "../responsibilities.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
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

}  // namespace vmfa
