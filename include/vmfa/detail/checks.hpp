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
#include <exception>
#include <sstream>
#include <utility>
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

/// The first line where `a` and `b` differ, as (a's line, b's line); empty when they are equal.
inline std::pair<std::string, std::string> firstDifference(const std::string& a, const std::string& b) {
  std::istringstream ia(a), ib(b);
  std::string la, lb;
  for (;;) {
    const bool ha = static_cast<bool>(std::getline(ia, la)), hb = static_cast<bool>(std::getline(ib, lb));
    if (!ha && !hb) return {};
    if (!ha) la = "(nothing)";
    if (!hb) lb = "(nothing)";
    if (!ha || !hb || la != lb) return {la, lb};
  }
}

/// Checks the data, the sample weights (empty: unit weights) and the model-level options of a fit;
/// `more` runs further checks of this process (the policies' options). `settings`: every option
/// that shapes the fit (`OptionList`), compared exactly between the processes of a distributed
/// fit. Collective: in a distributed fit every process throws the same `Agreed` error, naming
/// the process whose check failed.
template <typename Scalar, typename More>
inline void checkFitInput(const char* where, const Eigen::Ref<const Matrix<Scalar>>& X, const Eigen::VectorXd& w,
                          const Options& o, const Collective& all, const std::string& settings, More&& more) {
  Index N = X.cols(), positive = N;
  double sum = static_cast<double>(N);
  bool weighted = w.size() > 0;
  std::exception_ptr error;
  try {  // what each process can check alone
    require(X.rows() >= 1, where, "data has dimension 0");
    if (N > 0 || all.size() == 1) checkFinite<Scalar>(where, X);  // one process of several may hold no points
    const Index D = X.rows();
    require(o.numComponents >= 1, where, "numComponents = ", o.numComponents, " must be >= 1");
    require(o.latentDim >= 0 && o.latentDim < D, where, "latentDim = ", o.latentDim, " must satisfy 0 <= latentDim < D = ", D);
    require(o.maxIterations >= 1, where, "maxIterations = ", o.maxIterations, " must be >= 1");
    require(std::isfinite(o.tolerance) && o.tolerance >= 0.0, where, "tolerance = ", o.tolerance, " must be finite and >= 0");
    require(std::isfinite(o.warmupTolerance), where, "warmupTolerance = ", o.warmupTolerance,
            " must be finite (negative: tolerance)");
    require(o.searchEvery >= 1, where, "searchEvery = ", o.searchEvery, " must be >= 1");
    require(o.overRelaxation >= 1.0 && o.overRelaxation <= 1e3, where, "overRelaxation = ", o.overRelaxation,
            " must be in [1, 1000]");
    require(o.varianceFloor > 0.0 && o.varianceFloor < 1.0, where, "varianceFloor = ", o.varianceFloor, " must be in (0, 1)");
    require(std::isfinite(o.minimumNoise) && o.minimumNoise >= 0.0, where, "minimumNoise = ", o.minimumNoise,
            " must be finite and >= 0");
    require(o.afkmc2ChainLength >= 1, where, "afkmc2ChainLength = ", o.afkmc2ChainLength, " must be >= 1");
    require(o.seedingTreeFrom >= 0, where, "seedingTreeFrom = ", o.seedingTreeFrom, " must be >= 0 (0: never)");
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
    more();
  } catch (...) {
    error = std::current_exception();
  }
  all.agree(error);  // one process: rethrows its error; several: every process throws the first one's
  if (all.size() > 1) {
    // every process learns every process's dimension, weights and settings: all throw the same error
    const std::string text = concat(X.rows(), '\n', (N == 0 ? "-" : weighted ? "1" : "0"), '\n', settings);
    const auto replies = all.gather(std::vector<char>(text.begin(), text.end()));
    std::string dim0, weights0 = "-", settings0;
    const auto disagree = [&](auto&&... what) { throw Agreed<InvalidArgument>(concat(where, ": ", what...)); };
    for (std::size_t r = 0; r < replies.size(); ++r) {
      std::istringstream in(std::string(replies[r].begin(), replies[r].end()));
      std::string dim, weights, rest;
      std::getline(in, dim);
      std::getline(in, weights);
      std::getline(in, rest, '\0');
      if (r == 0) dim0 = dim, settings0 = rest;
      if (weights0 == "-") weights0 = weights;  // the first process that holds points decides
      if (weights == "1") weighted = true;
      if (dim != dim0) disagree("process ", r, " has data of dimension ", dim, ", process 0 of dimension ", dim0);
      if (weights != "-" && weights != weights0)
        disagree("process ", r, (weights == "1" ? " has" : " has no"), " sample weights, the first process with points",
                 (weights0 == "1" ? " has" : " has none"));
      const auto diff = firstDifference(rest, settings0);
      if (!diff.first.empty())
        disagree("process ", r, " has other options than process 0: ", diff.first, " against ", diff.second,
                 " (every option must be the same on every process)");
    }
    N = all.sum(static_cast<std::int64_t>(N));
    positive = all.sum(static_cast<std::int64_t>(positive));
    sum = all.sum(sum);
  }
  // from here on every process holds the same values: the errors are the same everywhere
  const auto fail = [&](auto&&... what) {
    if (all.size() > 1) throw Agreed<InvalidArgument>(concat(where, ": ", what...));
    detail::fail(where, what...);
  };
  if (N < o.numComponents) fail("numComponents = ", o.numComponents, " exceeds the number of points N = ", N);
  if (weighted || N == 0) {
    if (!(sum > 0.0)) fail("sample weights sum to 0");
    if (positive < o.numComponents)
      fail("numComponents = ", o.numComponents, " exceeds the ", positive, " points with positive weight");
  }
}

/// `checkFitInput` with the model-level options only (one process, or tests).
template <typename Scalar>
inline void checkFitInput(const char* where, const Eigen::Ref<const Matrix<Scalar>>& X, const Eigen::VectorXd& w,
                          const Options& o, const Collective& all = Collective::single()) {
  OptionList settings;
  describe(o, settings);
  checkFitInput<Scalar>(where, X, w, o, all, settings.str(), [] {});
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
