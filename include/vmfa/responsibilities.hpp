/// \file responsibilities.hpp
/// \brief Sparse (top-K per point) responsibilities, the state a truncated E-step keeps per point.
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
/// When `index` is empty the responsibilities are dense: K = C and row k belongs to component k
/// (exact EM keeps this form). Otherwise `index` is K × N. Memory: N·K·(4 + sizeof(Scalar)) bytes.
template <typename Scalar_>
struct SparseResponsibilities {
  using Scalar = Scalar_;
  IndexMatrix index;    ///< K × N component indices, or empty for dense responsibilities
  Matrix<Scalar> prob;  ///< K × N probabilities

  Index perPoint() const { return prob.rows(); }
  Index numPoints() const { return prob.cols(); }
  bool dense() const { return index.size() == 0; }
  std::int32_t component(Index k, Index n) const {
    return dense() ? static_cast<std::int32_t>(k) : index(k, n);
  }
};

}  // namespace vmfa
