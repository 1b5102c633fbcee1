/// \file responsibilities.hpp
/// \brief `Responsibilities`: the posteriors q_n(c) a fit keeps per point, truncated (top-K
/// components per point) or dense (all C).
#pragma once

#include "parameters.hpp"

#include <Eigen/Core>

#include <cstdint>

namespace vmfa {

/// Integer matrix type of component indices.
using IndexMatrix = Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic>;

/// \brief K responsibilities per point: `prob(k, n)` is the posterior of component
/// `component(k, n)` for point n.
///
/// Truncated form: `index` is K × N (the active set K(n) of each point). Dense form: `index` is
/// empty, K = C and row k belongs to component k (exact EM keeps this form). Memory:
/// N·K·(4 + sizeof(Scalar)) bytes truncated, N·C·sizeof(Scalar) dense.
template <typename Scalar_>
struct Responsibilities {
  using Scalar = Scalar_;
  IndexMatrix index;    ///< K × N component indices, or empty for dense responsibilities
  Matrix<Scalar> prob;  ///< K × N probabilities

  Index perPoint() const { return prob.rows(); }
  Index numPoints() const { return prob.cols(); }
  bool dense() const { return index.rows() == 0; }  // truncated sets of no points (an empty shard) are K × 0
  std::int32_t component(Index k, Index n) const {
    return dense() ? static_cast<std::int32_t>(k) : index(k, n);
  }

  /// Responsibilities that start from the active sets `sets` (K × N) with uniform q, or dense
  /// C × N (values unset) when K = 0: the state a fit resumes from or a search starts from.
  static Responsibilities startingFrom(const IndexMatrix& sets, Index K, Index C, Index N) {
    Responsibilities r;
    if (K == 0) {
      r.prob.resize(C, N);
    } else {
      r.index = sets;
      r.prob.setConstant(K, N, static_cast<Scalar>(1.0 / static_cast<double>(K)));
    }
    return r;
  }

  /// Makes sure the next truncated E-step evaluates component c for point n: unless c is in
  /// K(n) already, it replaces the least probable entry (the first of equals), with q = 0.
  /// Dense responsibilities hold every component: nothing to do.
  void include(Index n, std::int32_t c) {
    if (dense()) return;
    Index weakest = 0;
    for (Index k = 0; k < perPoint(); ++k) {
      if (index(k, n) == c) return;
      if (prob(k, n) < prob(weakest, n)) weakest = k;
    }
    index(weakest, n) = c;
    prob(weakest, n) = Scalar(0);
  }
};

}  // namespace vmfa
