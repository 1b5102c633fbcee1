/// \file checks.hpp
/// \brief Validation of a model's inputs: data, sample weights and options, with messages that
/// name the function and the values.
#pragma once

#include "../errors.hpp"
#include "../options.hpp"
#include "../parameters.hpp"

#include <Eigen/Core>

#include <cmath>

namespace vmfa {
namespace detail {

/// Throws unless X has at least one point and every value is finite (naming the first bad value).
template <typename Scalar>
inline void checkFinite(const char* where, const Eigen::Ref<const Matrix<Scalar>>& X) {
  require(X.cols() > 0, where, "data is empty (0 points)");
  if (X.allFinite()) return;
  for (Index n = 0; n < X.cols(); ++n)
    for (Index d = 0; d < X.rows(); ++d)
      if (!std::isfinite(static_cast<double>(X(d, n))))
        fail(where, "data value (", d, ", ", n, ") is ", static_cast<double>(X(d, n)), ", must be finite");
}

/// Checks the data, the sample weights (empty: unit weights) and the model-level options of a fit.
template <typename Scalar>
inline void checkFitInput(const char* where, const Eigen::Ref<const Matrix<Scalar>>& X, const Eigen::VectorXd& w,
                          const Options& o) {
  require(X.rows() >= 1, where, "data has dimension 0");
  checkFinite<Scalar>(where, X);
  const Index D = X.rows(), N = X.cols();
  require(o.numComponents >= 1, where, "numComponents = ", o.numComponents, " must be >= 1");
  require(o.latentDim >= 0 && o.latentDim < D, where, "latentDim = ", o.latentDim, " must satisfy 0 <= latentDim < D = ", D);
  require(N >= o.numComponents, where, "numComponents = ", o.numComponents, " exceeds the number of points N = ", N);
  require(o.maxIterations >= 1, where, "maxIterations = ", o.maxIterations, " must be >= 1");
  require(std::isfinite(o.tolerance) && o.tolerance >= 0.0, where, "tolerance = ", o.tolerance, " must be finite and >= 0");
  require(o.varianceFloor > 0.0 && o.varianceFloor < 1.0, where, "varianceFloor = ", o.varianceFloor, " must be in (0, 1)");
  require(std::isfinite(o.minimumNoise) && o.minimumNoise >= 0.0, where, "minimumNoise = ", o.minimumNoise,
          " must be finite and >= 0");
  require(o.afkmc2ChainLength >= 1, where, "afkmc2ChainLength = ", o.afkmc2ChainLength, " must be >= 1");
  require(o.afkmc2IndexFrom >= 0, where, "afkmc2IndexFrom = ", o.afkmc2IndexFrom, " must be >= 0 (0: never)");
  require(std::isfinite(o.noiseInitScale) && o.noiseInitScale > 0.0, where, "noiseInitScale = ", o.noiseInitScale,
          " must be finite and > 0");
  require(o.numThreads >= 0, where, "numThreads = ", o.numThreads, " must be >= 0");
  require(o.blockSize >= 1, where, "blockSize = ", o.blockSize, " must be >= 1");
  if (w.size() > 0 || N == 0) {
    require(w.size() == N, where, "got ", w.size(), " sample weights for ", N, " points");
    Index positive = 0;
    double sum = 0.0;
    for (Index n = 0; n < N; ++n) {
      require(std::isfinite(w(n)) && w(n) >= 0.0, where, "sample weight ", n, " is ", w(n), ", must be finite and >= 0");
      positive += w(n) > 0.0;
      sum += w(n);
    }
    require(sum > 0.0, where, "sample weights sum to 0");
    require(positive >= o.numComponents, where, "numComponents = ", o.numComponents, " exceeds the ", positive,
            " points with positive weight");
  }
}

/// Checks active sets K(n) (K × N): every entry in range (entries counted column by column), no
/// component twice for one point.
inline void checkActiveSets(const char* where, const Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic>& sets,
                            Index C) {
  for (Index i = 0; i < sets.size(); ++i)
    require(sets.data()[i] >= 0 && sets.data()[i] < C, where, "active component ", sets.data()[i], " (entry ", i,
            ") is out of range [0, ", C, ")");
  for (Index n = 0; n < sets.cols(); ++n)
    for (Index k = 1; k < sets.rows(); ++k)
      for (Index j = 0; j < k; ++j)
        require(sets(j, n) != sets(k, n), where, "active component ", sets(k, n), " appears twice for point ", n);
}

}  // namespace detail
}  // namespace vmfa
