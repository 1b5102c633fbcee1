/// \file checks.hpp
/// \brief Validation of a model's inputs: data, sample weights and options, with messages that
/// name the function and the values.
#pragma once

#include "../collective.hpp"
#include "../errors.hpp"
#include "../options.hpp"
#include "../parameters.hpp"

#include <Eigen/Core>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

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
                          const Options& o, const Collective& all = Collective::single()) {
  Index N = X.cols(), positive = N;
  double sum = static_cast<double>(N);
  bool weighted = w.size() > 0;
  std::string error;
  try {  // what each process can check alone
    require(X.rows() >= 1, where, "data has dimension 0");
    if (N > 0 || all.size() == 1) checkFinite<Scalar>(where, X);  // one process of several may hold no points
    const Index D = X.rows();
    require(o.numComponents >= 1, where, "numComponents = ", o.numComponents, " must be >= 1");
    require(o.latentDim >= 0 && o.latentDim < D, where, "latentDim = ", o.latentDim, " must satisfy 0 <= latentDim < D = ", D);
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
    if (weighted || (N == 0 && all.size() == 1)) {
      require(w.size() == N, where, "got ", w.size(), " sample weights for ", N, " points");
      positive = 0;
      sum = 0.0;
      for (Index n = 0; n < N; ++n) {
        require(std::isfinite(w(n)) && w(n) >= 0.0, where, "sample weight ", n, " is ", w(n), ", must be finite and >= 0");
        positive += w(n) > 0.0;
        sum += w(n);
      }
    }
  } catch (const std::invalid_argument& e) {
    if (all.size() == 1) throw;
    error = e.what();
  }
  if (all.size() > 1) {
    // every process learns every process's verdict, dimension and settings: all throw the same error
    std::ostringstream mine;
    mine << (error.empty() ? "ok" : "error") << '\n' << X.rows() << '\n' << (N == 0 ? "-" : weighted ? "1" : "0") << '\n' << o.numComponents << ' '
         << o.latentDim << ' ' << o.seed << ' ' << o.maxIterations << ' ' << static_cast<int>(o.init) << ' '
         << static_cast<int>(o.loadingInit) << ' ' << o.sharedNoise << ' ' << o.tolerance << '\n' << error;
    const std::string text = mine.str();
    const auto replies = all.gather(std::vector<char>(text.begin(), text.end()));
    std::vector<std::string> lines0;
    for (std::size_t r = 0; r < replies.size(); ++r) {
      std::istringstream in(std::string(replies[r].begin(), replies[r].end()));
      std::string verdict, dim, weights, settings, message;
      std::getline(in, verdict);
      std::getline(in, dim);
      std::getline(in, weights);
      std::getline(in, settings);
      std::getline(in, message, '\0');
      if (verdict != "ok") throw InvalidArgument(concat(message, " (on process ", r, " of ", replies.size(), ")"));
      if (r == 0) lines0 = {dim, "-", settings};
      if (lines0[1] == "-") lines0[1] = weights;  // the first process that holds points decides
      if (weights == "1") weighted = true;
      require(dim == lines0[0], where, "process ", r, " has data of dimension ", dim,
              ", process 0 of dimension ", lines0[0]);
      require(weights == "-" || weights == lines0[1], where, "process ", r, (weights == "1" ? " has" : " has no"),
              " sample weights, the first process with points", (lines0[1] == "1" ? " has" : " has none"));
      require(settings == lines0[2], where, "process ", r, " has other options than process 0 (C, H, seed, iterations, init, "
              "loading init, shared noise, tolerance: ", settings, " against ", lines0[2], ")");
    }
    N = all.sum(static_cast<std::int64_t>(N));
    positive = all.sum(static_cast<std::int64_t>(positive));
    sum = all.sum(sum);
  }
  require(N >= o.numComponents, where, "numComponents = ", o.numComponents, " exceeds the number of points N = ", N);
  if (weighted || N == 0) {
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
