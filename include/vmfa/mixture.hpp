/// \file mixture.hpp
/// \brief `vmfa::Mixture`: the parameters of a mixture of factor analysers and exact inference
/// with them (log-likelihoods, labels, posteriors, latent means, samples, BIC/AIC), whatever
/// policies fitted them. `Model` is a `Mixture` that also fits itself.
#pragma once

#include "detail/checks.hpp"
#include "errors.hpp"
#include "inference.hpp"
#include "kernel.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <type_traits>

namespace vmfa {

/// \brief Points drawn from a model, with the component that generated each.
template <typename Scalar>
struct Samples {
  Matrix<Scalar> points;  ///< D × n
  Eigen::VectorXi labels; ///< n
};

/// \brief The parameters of a mixture of factor analysers, p(x) = Σ_c π_c N(x; μ_c, Λ_c Λ_cᵀ + Ψ_c),
/// with exact inference: every component is evaluated, in batches, OpenMP-parallel over points
/// (`Options::blockSize`, `Options::numThreads`). The base of `Model`, which sets the parameters;
/// error messages name `vmfa::Model`. Const methods may run concurrently.
template <typename Scalar_>
class Mixture {
 public:
  using Scalar = Scalar_;
  using DataRef = Eigen::Ref<const Matrix<Scalar>>;

  // ---------------------------------------------------------------------------------------------
  // Inference (exact: every component is evaluated)

  /// \brief Exact log p(x_n) for every column (log-sum-exp over all C components). O(N·C·D·H).
  template <typename Derived>
  Eigen::VectorXd logLikelihood(const Eigen::MatrixBase<Derived>& X) const {
    return inference::logLikelihood(params_, cache_, checked("vmfa::Model::logLikelihood", X), options_.blockSize,
                                    options_.numThreads);
  }

  /// \brief Mean exact log-likelihood per point.
  template <typename Derived>
  double score(const Eigen::MatrixBase<Derived>& X) const {
    return logLikelihood(X).mean();
  }

  /// \brief Index of the most probable component of every column (arg max_c log p(x_n, c)).
  template <typename Derived>
  Eigen::VectorXi predict(const Eigen::MatrixBase<Derived>& X) const {
    return inference::predict(params_, cache_, checked("vmfa::Model::predict", X), options_.blockSize, options_.numThreads);
  }

  /// \brief Dense posteriors p(c | x_n), C × N. Memory C·N·sizeof(Scalar).
  template <typename Derived>
  Matrix<Scalar> responsibilities(const Eigen::MatrixBase<Derived>& X) const {
    return inference::responsibilities(params_, cache_, checked("vmfa::Model::responsibilities", X), options_.blockSize,
                                       options_.numThreads);
  }

  /// \brief The k most probable components of every column and their posteriors p(c | x_n)
  /// (normalised over all C components, sorted in decreasing order). 1 <= k <= C.
  template <typename Derived>
  Responsibilities<Scalar> topResponsibilities(const Eigen::MatrixBase<Derived>& X, Index k) const {
    const char* where = "vmfa::Model::topResponsibilities";
    const DataRef Xr = checked(where, X);
    detail::require(k >= 1 && k <= numComponents(), where, "k = ", k, " must be in [1, C = ", numComponents(), "]");
    return inference::topResponsibilities(params_, cache_, Xr, k, options_.blockSize, options_.numThreads);
  }

  /// \brief Posterior latent means E[z | x_n, c] = L_c⁻¹ Λ_cᵀ Ψ_c⁻¹ (x_n − μ_c) for one component c (H × N).
  template <typename Derived>
  Matrix<Scalar> latentMean(const Eigen::MatrixBase<Derived>& X, Index c) const {
    const char* where = "vmfa::Model::latentMean";
    const DataRef Xr = checked(where, X);
    checkComponent(where, c);
    return inference::latentMeans(params_, cache_, Xr, c);
  }

  /// \brief Posterior latent means E[z | x_n, c_n] with one component per column (H × N).
  template <typename Derived>
  Matrix<Scalar> latentMean(const Eigen::MatrixBase<Derived>& X, const Eigen::VectorXi& components) const {
    const char* where = "vmfa::Model::latentMean";
    const DataRef Xr = checked(where, X);
    detail::require(components.size() == Xr.cols(), where, "got ", components.size(), " components for ", Xr.cols(),
                    " points");
    for (Index n = 0; n < components.size(); ++n) checkComponent(where, components(n), n);
    return inference::latentMeans(params_, cache_, Xr, components, options_.numThreads);
  }

  /// \brief Posterior covariance Cov[z | x, c] = (I + Λ_cᵀ Ψ_c⁻¹ Λ_c)⁻¹ (H × H), the same for every x.
  Eigen::MatrixXd latentCovariance(Index c) const {
    requireFitted("vmfa::Model::latentCovariance");
    checkComponent("vmfa::Model::latentCovariance", c);
    return cache_.posteriorCovariance(c);
  }

  /// \brief Draws n points: c ~ π, z ~ N(0, I), x = μ_c + Λ_c z + Ψ_c^{1/2} ε. The draws depend
  /// only on (seed, i), not on the thread count.
  Samples<Scalar> sample(Index n, std::uint64_t seed) const {
    requireFitted("vmfa::Model::sample");
    detail::require(n >= 0, "vmfa::Model::sample", "number of samples n = ", n, " must be >= 0");
    Samples<Scalar> out;
    inference::sample(params_, n, seed, options_.numThreads, out.points, out.labels);
    return out;
  }

  /// Number of free parameters (loadings counted modulo rotation: D·H − H(H−1)/2 per component).
  double numFreeParameters() const {
    requireFitted("vmfa::Model::numFreeParameters");
    return params_.numFreeParameters(options_.sharedNoise);
  }

  /// Bayesian information criterion −2 Σ_n log p(x_n) + p log N (lower is better).
  template <typename Derived>
  double bic(const Eigen::MatrixBase<Derived>& X) const {
    const Eigen::VectorXd ll = logLikelihood(X);
    return vmfa::bic(ll.sum(), ll.size(), numFreeParameters());
  }

  /// Akaike information criterion −2 Σ_n log p(x_n) + 2 p (lower is better).
  template <typename Derived>
  double aic(const Eigen::MatrixBase<Derived>& X) const {
    return vmfa::aic(logLikelihood(X).sum(), numFreeParameters());
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters

  bool isFitted() const { return !params_.empty(); }
  Index numComponents() const { return params_.numComponents(); }
  Index dim() const { return params_.dim(); }
  Index latentDim() const { return params_.latentDim; }
  const Parameters<Scalar>& parameters() const { return params_; }
  const Vector<Scalar>& weights() const { return params_.weights; }
  /// The means μ_c (D × C), origin added (`parameters().means` are relative to `parameters().origin`).
  Matrix<Scalar> means() const { return params_.absoluteMeans(); }
  const Matrix<Scalar>& loadings() const { return params_.loadings; }
  auto loading(Index c) const { return params_.loading(c); }
  const Matrix<Scalar>& noise() const { return params_.noise; }
  const Options& options() const { return options_; }

 protected:
  explicit Mixture(const Options& options) : options_(options) {}

  template <typename Derived>
  static constexpr void checkLayout() {
    static_assert(std::is_same<typename Derived::Scalar, Scalar>::value,
                  "vmfa::Model: the data's scalar type must be the model's (cast it first)");
    static_assert(Derived::ColsAtCompileTime == 1 || !(Derived::Flags & Eigen::RowMajorBit),
                  "vmfa::Model: data must be column-major D x N (one point per column); "
                  "a row-major N x D array is its transpose: pass X.transpose()");
  }

  void requireFitted(const char* where) const {
    if (!isFitted()) throw NotFitted(detail::concat(where, ": the model has no parameters (call fit or setParameters first)"));
  }

  /// The data as a checked reference: the model is fitted, the dimension matches, every value is finite.
  template <typename Derived>
  DataRef checked(const char* where, const Eigen::MatrixBase<Derived>& X) const {
    checkLayout<Derived>();
    requireFitted(where);
    DataRef Xr(X.derived());
    detail::require(Xr.rows() == dim(), where, "data has ", Xr.rows(), " rows but the model has dimension ", dim());
    detail::checkFinite<Scalar>(where, Xr);
    return Xr;
  }

  void checkComponent(const char* where, Index c, Index point = -1) const {
    if (c >= 0 && c < numComponents()) return;
    if (point < 0) detail::fail(where, "component ", c, " is out of range [0, ", numComponents(), ")");
    detail::fail(where, "component ", c, " of point ", point, " is out of range [0, ", numComponents(), ")");
  }

  Options options_;
  Parameters<Scalar> params_;
  ComponentCache<Scalar> cache_;
};

}  // namespace vmfa
