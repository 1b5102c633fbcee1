/// \file context.hpp
/// \brief What the policies of one fit share: the data, the sample weights, the data's moments,
/// the options and the iteration counter.
#pragma once

#include "../options.hpp"
#include "../parameters.hpp"
#include "parallel.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vmfa {

/// \brief Read-only view of one fit, handed to every policy call.
template <typename Scalar>
struct FitContext {
  const Eigen::Ref<const Matrix<Scalar>>& data;  ///< D × N, one point per column
  const Eigen::VectorXd& sampleWeights;          ///< N sample weights, or empty for unit weights
  double totalWeight = 0.0;                      ///< Σ_n w_n (N without weights)
  Eigen::VectorXd dataMean;                      ///< D, weighted mean of the data
  Eigen::VectorXd dataVariance;                  ///< D, weighted variance of the data (> 0)
  const Options& options;
  int threads = 1;      ///< resolved thread count
  int iteration = 0;    ///< index of the current iteration (warm-up included)
  std::vector<Index> seedPoints;  ///< point that seeded each component (empty on a warm start)

  FitContext(const Eigen::Ref<const Matrix<Scalar>>& X, const Eigen::VectorXd& w, const Options& o)
      : data(X), sampleWeights(w), options(o), threads(detail::resolveThreads(o.numThreads)) {}

  Index numPoints() const { return data.cols(); }
  Index dim() const { return data.rows(); }
  double weight(Index n) const { return sampleWeights.size() ? sampleWeights(n) : 1.0; }
  std::uint64_t seed() const { return options.seed; }

  /// Variance floor of each dimension: max(options.varianceFloor × data variance, options.minimumNoise).
  Eigen::VectorXd noiseFloor() const { return (options.varianceFloor * dataVariance).cwiseMax(options.minimumNoise); }
};

namespace detail {

/// Weighted per-dimension mean and variance of X, accumulated in double over fixed blocks (the
/// result does not depend on the thread count). Dimensions of zero variance get a tiny positive
/// variance relative to the largest one (or 1 if all are zero), so that floors stay positive.
template <typename Scalar>
inline void dataMoments(const Eigen::Ref<const Matrix<Scalar>>& X, const Eigen::VectorXd& w, double totalWeight,
                        Index blockSize, [[maybe_unused]] int threads, Eigen::VectorXd& mean, Eigen::VectorXd& var) {
  const Index D = X.rows(), N = X.cols();
  const Index numBlocks = (N + blockSize - 1) / blockSize;
  Eigen::MatrixXd partial(D, numBlocks);
  // pass 1: mean
#pragma omp parallel for num_threads(threads) schedule(static)
  for (Index b = 0; b < numBlocks; ++b) {
    const Index first = b * blockSize, len = std::min(blockSize, N - first);
    Eigen::VectorXd s = Eigen::VectorXd::Zero(D);
    for (Index j = first; j < first + len; ++j)
      s += (w.size() ? w(j) : 1.0) * X.col(j).template cast<double>();
    partial.col(b) = s;
  }
  mean = partial.rowwise().sum() / totalWeight;
  // pass 2: centred second moment
#pragma omp parallel for num_threads(threads) schedule(static)
  for (Index b = 0; b < numBlocks; ++b) {
    const Index first = b * blockSize, len = std::min(blockSize, N - first);
    Eigen::VectorXd s = Eigen::VectorXd::Zero(D);
    for (Index j = first; j < first + len; ++j)
      s += (w.size() ? w(j) : 1.0) * (X.col(j).template cast<double>() - mean).array().square().matrix();
    partial.col(b) = s;
  }
  var = partial.rowwise().sum() / totalWeight;
  const double top = var.maxCoeff();
  const double minVar = top > 0.0 ? top * 1e-12 : 1.0;
  var = var.cwiseMax(minVar);
}

}  // namespace detail
}  // namespace vmfa
