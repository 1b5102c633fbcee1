/// \file parameters.hpp
/// \brief The parameters of a mixture of factor analysers: p(x) = Σ_c π_c N(x; μ_c, Λ_c Λ_cᵀ + Ψ_c).
#pragma once

#include "errors.hpp"
#include "options.hpp"

#include <Eigen/Core>

#include <cmath>

namespace vmfa {

template <typename Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <typename Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

/// \brief Parameters of an MFA with C components, dimension D and latent dimension H.
///
/// Layout: `weights` (C), `means` (D × C, one column per component), `loadings` (D × C·H, the
/// D × H block of component c in columns [c·H, c·H + H)), `noise` (D × C diagonal variances ψ_c;
/// with shared noise all columns are equal).
///
/// The means are stored relative to `origin` (D values in double, or empty for 0): component c's
/// mean is μ_c = origin + means.col(c). A fit sets the origin to the data's mean, so that float
/// means keep their precision on data far from 0 (at 1e4 float's grid is 1e-3 apart; relative to
/// the data's mean it is as fine as the spread of the data). Everything that meets data computes
/// x − origin in double first (`relativeToOrigin`). `absoluteMean`/`absoluteMeans` give μ_c.
template <typename Scalar_>
struct Parameters {
  using Scalar = Scalar_;

  Vector<Scalar> weights;
  Matrix<Scalar> means;
  Matrix<Scalar> loadings;
  Matrix<Scalar> noise;
  Index latentDim = 0;
  Eigen::VectorXd origin;  ///< D, or empty: the means are relative to it

  bool hasOrigin() const { return origin.size() > 0; }

  /// μ_c = origin + means.col(c), in double.
  Eigen::VectorXd absoluteMean(Index c) const {
    Eigen::VectorXd m = means.col(c).template cast<double>();
    if (hasOrigin()) m += origin;
    return m;
  }

  /// All means μ_c (D × C) in Scalar.
  Matrix<Scalar> absoluteMeans() const {
    if (!hasOrigin()) return means;
    return (means.template cast<double>().colwise() + origin).template cast<Scalar>();
  }

  /// Moves the origin to `o` (D values, or empty for 0), keeping every μ_c (up to rounding).
  void setOrigin(const Eigen::VectorXd& o) {
    Eigen::MatrixXd m = means.template cast<double>();
    if (hasOrigin()) m.colwise() += origin;
    if (o.size() > 0) m.colwise() -= o;
    means = m.template cast<Scalar>();
    origin = o;
  }

  /// Writes the columns of X relative to the origin, x − origin computed in double, to `out`
  /// (resized; a copy when there is no origin).
  template <typename XType>
  void relativeToOrigin(const Eigen::MatrixBase<XType>& X, Matrix<Scalar>& out) const {
    if (!hasOrigin()) {
      out = X;
      return;
    }
    out.resize(X.rows(), X.cols());
    for (Index j = 0; j < X.cols(); ++j)
      out.col(j) = (X.col(j).template cast<double>() - origin).template cast<Scalar>();
  }

  /// x − μ_c for the columns of X (D × b), with x − origin computed in double.
  template <typename XType>
  Matrix<Scalar> centred(const Eigen::MatrixBase<XType>& X, Index c) const {
    Matrix<Scalar> out;
    relativeToOrigin(X, out);
    out.colwise() -= means.col(c);
    return out;
  }

  Index numComponents() const { return means.cols(); }
  Index dim() const { return means.rows(); }
  bool empty() const { return means.size() == 0; }

  /// D × H loading block of component c.
  auto loading(Index c) { return loadings.middleCols(c * latentDim, latentDim); }
  auto loading(Index c) const { return loadings.middleCols(c * latentDim, latentDim); }

  /// Allocates C components of dimension D and latent dimension H (values uninitialised).
  void resize(Index C, Index D, Index H) {
    latentDim = H;
    weights.resize(C);
    means.resize(D, C);
    loadings.resize(D, C * H);
    noise.resize(D, C);
  }

  /// Bytes the parameters take (weights, means, loadings, noise, origin).
  std::size_t bytes() const {
    return sizeof(Scalar) * static_cast<std::size_t>(weights.size() + means.size() + loadings.size() + noise.size()) +
           sizeof(double) * static_cast<std::size_t>(origin.size());
  }

  /// Number of free parameters: (C−1) weights, C·D means, C·(D·H − H(H−1)/2) loadings (counted
  /// modulo rotation of the latent space) and C·D noise variances (D when shared).
  double numFreeParameters(bool sharedNoise) const {
    const double C = static_cast<double>(numComponents()), D = static_cast<double>(dim()),
                 H = static_cast<double>(latentDim);
    return (C - 1.0) + C * D + C * (D * H - H * (H - 1.0) / 2.0) + (sharedNoise ? D : C * D);
  }

  /// Throws InvalidArgument unless the shapes agree and the values are valid (weights
  /// non-negative summing to 1 within 1e-3, noise positive, everything finite).
  void validate(const char* where) const {
    const Index C = means.cols(), D = means.rows(), H = latentDim;
    detail::require(C >= 1 && D >= 1, where, "parameters need C >= 1 and D >= 1, got C = ", C, ", D = ", D);
    detail::require(H >= 0 && H < D, where, "latent dimension H = ", H, " must satisfy 0 <= H < D = ", D);
    detail::require(weights.size() == C, where, "weights has ", weights.size(), " entries but means has ", C, " columns");
    detail::require(loadings.rows() == D && loadings.cols() == C * H, where, "loadings is ", loadings.rows(), " x ",
                    loadings.cols(), " but D x C*H = ", D, " x ", C * H);
    detail::require(noise.rows() == D && noise.cols() == C, where, "noise is ", noise.rows(), " x ", noise.cols(),
                    " but D x C = ", D, " x ", C);
    detail::require(means.allFinite() && loadings.allFinite(), where, "means and loadings must be finite");
    detail::require(origin.size() == 0 || origin.size() == D, where, "origin has ", origin.size(),
                    " entries, must have D = ", D, " (or none)");
    detail::require(origin.allFinite(), where, "origin must be finite");
    double sum = 0.0;
    for (Index c = 0; c < C; ++c) {
      const double w = static_cast<double>(weights(c));
      detail::require(std::isfinite(w) && w >= 0.0, where, "weight ", c, " is ", w, ", must be finite and >= 0");
      sum += w;
    }
    detail::require(std::abs(sum - 1.0) < 1e-3, where, "weights sum to ", sum, ", must sum to 1");
    for (Index c = 0; c < C; ++c)
      for (Index d = 0; d < D; ++d) {
        const double v = static_cast<double>(noise(d, c));
        detail::require(std::isfinite(v) && v > 0.0, where, "noise variance (", d, ", ", c, ") is ", v,
                        ", must be finite and > 0");
      }
  }
};

/// Bayesian information criterion −2 Σ_n log p(x_n) + k log N for a total log-likelihood over N
/// points and k free parameters (lower is better).
inline double bic(double totalLogLikelihood, Index numPoints, double numFreeParameters) {
  return -2.0 * totalLogLikelihood + numFreeParameters * std::log(static_cast<double>(numPoints));
}

/// Akaike information criterion −2 Σ_n log p(x_n) + 2 k (lower is better).
inline double aic(double totalLogLikelihood, double numFreeParameters) {
  return -2.0 * totalLogLikelihood + 2.0 * numFreeParameters;
}

}  // namespace vmfa
