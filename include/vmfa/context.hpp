/// \file context.hpp
/// \brief `FitContext`: what every policy call of one fit sees — the data, the sample weights, the
/// data's variance, the options and the thread count. It is immutable: built once per fit (or
/// per search) by `Model`, read by the policies, never written.
#pragma once

#include "collective.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "detail/parallel.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace vmfa {

namespace detail {

/// Weighted per-dimension mean and variance of X, accumulated in double over fixed blocks (the
/// result does not depend on the thread count) and summed over the processes of `all`. Dimensions of zero variance get a tiny positive
/// variance relative to the largest one (or 1 if all are zero), so that floors stay positive.
struct DataMoments {
  Eigen::VectorXd mean, variance;
};

template <typename Scalar>
inline DataMoments dataMoments(const Eigen::Ref<const Matrix<Scalar>>& X, const Eigen::Ref<const Eigen::VectorXd>& w,
                               double totalWeight, Index blockSize, [[maybe_unused]] int threads,
                               const Collective& all = Collective::single()) {
  const Index D = X.rows(), N = X.cols();
  const Index numBlocks = (N + blockSize - 1) / blockSize;
  Eigen::MatrixXd partial(D, numBlocks);
  // pass 1: mean
  detail::ExceptionCapture meanErrors;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (Index b = 0; b < numBlocks; ++b) {
    meanErrors.run([&] {
      const Index first = b * blockSize, len = std::min(blockSize, N - first);
      Eigen::VectorXd s = Eigen::VectorXd::Zero(D);
      for (Index j = first; j < first + len; ++j) s += (w.size() ? w(j) : 1.0) * X.col(j).template cast<double>();
      partial.col(b) = s;
    });
  }
  meanErrors.rethrow();
  Eigen::VectorXd mean = partial.rowwise().sum();
  all.sum(mean.data(), static_cast<std::size_t>(D));
  mean /= totalWeight;
  // pass 2: centred second moment
  detail::ExceptionCapture varianceErrors;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (Index b = 0; b < numBlocks; ++b) {
    varianceErrors.run([&] {
      const Index first = b * blockSize, len = std::min(blockSize, N - first);
      Eigen::VectorXd s = Eigen::VectorXd::Zero(D);
      for (Index j = first; j < first + len; ++j)
        s += (w.size() ? w(j) : 1.0) * (X.col(j).template cast<double>() - mean).array().square().matrix();
      partial.col(b) = s;
    });
  }
  varianceErrors.rethrow();
  Eigen::VectorXd var = partial.rowwise().sum();
  all.sum(var.data(), static_cast<std::size_t>(D));
  var /= totalWeight;
  const double top = var.maxCoeff();
  const double minVar = top > 0.0 ? top * 1e-12 : 1.0;
  return {std::move(mean), var.cwiseMax(minVar)};
}

}  // namespace detail

/// \brief Read-only view of one fit, handed to every policy call. The data and the weights are
/// referenced (`Eigen::Ref`, held by value), not copied: an lvalue matrix or vector passed in must
/// outlive the context; an expression is evaluated once into storage the context owns.
template <typename Scalar>
struct FitContext {
  /// Whether the constructor computes the data's variance (a fit needs it; a search does not).
  enum class Moments { Compute, Skip };

  const Eigen::Ref<const Matrix<Scalar>> data;   ///< D × N, one point per column (this process's shard)
  const Eigen::Ref<const Eigen::VectorXd> sampleWeights;  ///< N sample weights, or empty for unit weights
  const Options& options;                        ///< the model's options
  const int threads;                             ///< resolved thread count of every parallel loop
  const Collective& collective;                  ///< the processes of the fit (one by default)
  const Index pointOffset;                       ///< global index of this shard's first point
  const Index totalPoints;                       ///< points over all processes
  const double totalWeight;                      ///< Σ_n w_n over all processes (N without weights)
  const detail::DataMoments moments_;            // computed once; the two members below copy it
  const Eigen::VectorXd dataVariance;            ///< D, weighted variance of the data (> 0); empty with Moments::Skip
  const Eigen::VectorXd dataMean;                ///< D, weighted mean of the data (the fit's origin); empty with Moments::Skip

  /// X: D × N data (a matrix, a block of one, or any expression of the model's Scalar); w: N
  /// sample weights or an empty vector.
  template <typename XDerived, typename WDerived>
  FitContext(const Eigen::MatrixBase<XDerived>& X, const Eigen::MatrixBase<WDerived>& w, const Options& o,
             Moments moments = Moments::Compute)
      : FitContext(X, w, o, Collective::single(), moments) {}

  /// The shard X (D × N_r) of this process among the processes of `all` (which the context
  /// references: it must outlive it); the weights, moments and point indices are global.
  template <typename XDerived, typename WDerived>
  FitContext(const Eigen::MatrixBase<XDerived>& X, const Eigen::MatrixBase<WDerived>& w, const Options& o,
             const Collective& all, Moments moments = Moments::Compute)
      : data(X.derived()),
        sampleWeights(w.derived()),
        options(o),
        threads(detail::resolveThreads(o.numThreads)),
        collective(all),
        pointOffset(offsetOf(all, data.cols())),
        totalPoints(all.sum(static_cast<std::int64_t>(data.cols()))),
        totalWeight(all.sum(sampleWeights.size() ? sampleWeights.sum() : static_cast<double>(data.cols()))),
        moments_(moments == Moments::Compute
                     ? detail::dataMoments<Scalar>(data, sampleWeights, totalWeight, o.blockSize, threads, all)
                     : detail::DataMoments()),
        dataVariance(moments_.variance),
        dataMean(moments_.mean) {}

  /// Not copyable: a copy of an `Eigen::Ref` that owns an evaluated expression would point into the original.
  FitContext(const FitContext&) = delete;
  FitContext& operator=(const FitContext&) = delete;

  /// Points of this process's shard.
  Index numPoints() const { return data.cols(); }
  /// Global index of local point n (the key of its random streams).
  Index globalIndex(Index n) const { return pointOffset + n; }
  /// Whether the fit spans more than one process.
  bool distributed() const { return collective.size() > 1; }
  Index dim() const { return data.rows(); }
  double weight(Index n) const { return sampleWeights.size() ? sampleWeights(n) : 1.0; }
  std::uint64_t seed() const { return options.seed; }

  /// \brief Whether `Options::interrupt` asked the fit to stop. Once it has, the answer stays
  /// true for the rest of the fit. Thread-safe and cheap enough to call once per chunk of points.
  bool interrupted() const {
    if (held_.load(std::memory_order_relaxed)) return false;  // see holdInterrupts
    if (stopped_.load(std::memory_order_relaxed)) return true;
    if (!options.interrupt || !options.interrupt()) return false;
    stopped_.store(true, std::memory_order_relaxed);
    return true;
  }

  /// Lower bound of every noise variance ψ_cd: max(options.varianceFloor × data variance of d,
  /// options.minimumNoise).
  Eigen::VectorXd noiseLowerBounds() const {
    return (options.varianceFloor * dataVariance).cwiseMax(options.minimumNoise);
  }

 private:
  static Index offsetOf(const Collective& all, Index n) {
    const auto counts = all.gatherValue(static_cast<std::int64_t>(n));
    Index offset = 0;
    for (int r = 0; r < all.rank(); ++r) offset += static_cast<Index>(counts[static_cast<std::size_t>(r)]);
    return offset;
  }

  mutable std::atomic<bool> stopped_{false};
  mutable std::atomic<bool> held_{false};

 public:
  /// \brief While `hold` is true, `interrupted()` answers false (the request is not lost: it is
  /// polled again once released). The fit loop holds interrupts during an M-step that it could not
  /// undo (a model too large to keep a copy of).
  void holdInterrupts(bool hold) const { held_.store(hold, std::memory_order_relaxed); }
};

}  // namespace vmfa
