/// \file denoise/anscombe.hpp
/// \brief The generalised Anscombe transform, which makes Poisson–Gaussian noise nearly white of
/// unit variance, and its exact unbiased inverse (Mäkitalo and Foi, IEEE TIP 2013).
///
/// In photon units (y' = y/gain, σ' = σ/gain) the transform is f(y) = 2·√(max(y' + 3/8 + σ'², 0)).
/// A denoiser of white noise estimates E[f(y) | x] rather than f(x), and the algebraic inverse of f
/// is biased at low counts (it darkens a dim image). The exact unbiased inverse maps D to the x whose
/// expected transform E[f(y) | x] is D. E[f(y) | x] is computed once per transform on a grid of
/// photon counts λ = x/gain: the Poisson sum Σ_k P(k; λ) E_n f(k + n) over k within λ ± 12√λ + 12,
/// the Gaussian expectation by 24-point Gauss–Hermite quadrature; the inverse interpolates it
/// linearly. The table covers 1.25 times the image's largest value plus 20 photons, at most 2,000
/// photons; above it the inverse is the asymptotic E[f] ≈ 2√m − 1/(4√m), m = λ + 3/8 + σ'²,
/// inverted in closed form (its error falls as m^(-3/2)).
#pragma once

#include "../errors.hpp"
#include "../image.hpp"

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vmfa {

/// \brief The generalised Anscombe transform for `NoiseParameters` with gain > 0, scaled so that
/// value 1 maps to 1: its noise is then white of standard deviation `noiseSigma()` (≈ 1/f(1)).
class GeneralizedAnscombe {
 public:
  /// Prepares the transform of noise `noise` (gain > 0) for clean values up to `maxValue` (the
  /// inverse table covers them; larger values use the asymptotic inverse). Cost O(2,048 · 24 ·
  /// √λ_max) once.
  /// \throws InvalidArgument unless gain > 0 and sigma >= 0 are finite and maxValue is finite.
  GeneralizedAnscombe(const NoiseParameters& noise, double maxValue = 1.0) : noise_(noise) {
    const char* where = "vmfa::GeneralizedAnscombe";
    detail::require(std::isfinite(noise.gain) && noise.gain > 0.0 && std::isfinite(noise.sigma) && noise.sigma >= 0.0 &&
                        std::isfinite(maxValue),
                    where, "gain = ", noise.gain, " (> 0), sigma = ", noise.sigma, " (>= 0) and maxValue = ", maxValue,
                    " must be finite");
    s2_ = (noise.sigma / noise.gain) * (noise.sigma / noise.gain);
    scale_ = 1.0 / normalised(1.0 / noise.gain);
    quadrature();
    const double top = std::min(std::max(maxValue, 1.0) / noise.gain * 1.25 + 20.0, kTableTop);
    const int n = 2048;
    lambda_.resize(n + 1);
    expected_.resize(n + 1);
    for (int j = 0; j <= n; ++j) {
      const double t = static_cast<double>(j) / n;
      lambda_[static_cast<std::size_t>(j)] = top * t * t;  // dense near 0, where E[f] bends most
      expected_[static_cast<std::size_t>(j)] = expectedNormalised(lambda_[static_cast<std::size_t>(j)]);
    }
  }

  /// The `maxValue` for transforming `img`: its largest finite value, at least 1.
  static double tableTop(const Image& img) {
    float top = 1.0f;
    for (float v : img.pixels)
      if (std::isfinite(v)) top = std::max(top, v);
    return top;
  }

  const NoiseParameters& noise() const { return noise_; }
  /// The standard deviation of the transformed noise on the transform's scale.
  double noiseSigma() const { return scale_; }
  /// f(y), scaled.
  double forward(double y) const { return scale_ * normalised(y / noise_.gain); }
  /// E[f(y) | x], scaled, computed directly (not from the table).
  double expectedForward(double x) const { return scale_ * expectedNormalised(std::max(x, 0.0) / noise_.gain); }
  /// The exact unbiased inverse: the clean value x >= 0 with E[f(y) | x] = d (0 below E[f(y) | 0]).
  double inverse(double d) const {
    const double D = d / scale_;
    if (!(D > expected_.front())) return 0.0;
    if (D >= expected_.back()) {  // beyond the table: the asymptotic inverse, 2r − 1/(4r) = D
      const double root = 0.25 * (D + std::sqrt(D * D + 2.0));
      return noise_.gain * std::max(root * root - 0.375 - s2_, 0.0);
    }
    const std::size_t k = static_cast<std::size_t>(std::upper_bound(expected_.begin(), expected_.end(), D) - expected_.begin());
    const double w = (D - expected_[k - 1]) / (expected_[k] - expected_[k - 1]);
    return noise_.gain * (lambda_[k - 1] + w * (lambda_[k] - lambda_[k - 1]));
  }

  /// Every pixel of `img` through `forward` (or `inverse`).
  Image forward(const Image& img) const { return map(img, [&](double v) { return forward(v); }); }
  Image inverse(const Image& img) const { return map(img, [&](double v) { return inverse(v); }); }

 private:
  static constexpr double kTableTop = 2000.0;  // photons; the asymptotic inverse above

  double normalised(double photons) const { return 2.0 * std::sqrt(std::max(photons + 0.375 + s2_, 0.0)); }

  double expectedNormalised(double lambda) const {
    const double spread = 12.0 * std::sqrt(lambda) + 12.0;
    const double first = std::max(0.0, std::floor(lambda - spread)), last = std::ceil(lambda + spread);
    const double logLambda = lambda > 0.0 ? std::log(lambda) : 0.0;
    double sum = 0.0;
    for (double k = first; k <= last; k += 1.0) {
      const double pk = lambda > 0.0 ? std::exp(k * logLambda - lambda - std::lgamma(k + 1.0)) : (k == 0.0 ? 1.0 : 0.0);
      if (pk == 0.0) continue;
      double e = 0.0;
      for (std::size_t q = 0; q < nodes_.size(); ++q) e += weights_[q] * normalised(k + nodes_[q]);
      sum += pk * e;
    }
    return sum;
  }

  /// Gauss–Hermite nodes and weights (Golub–Welsch) for E over N(0, σ'²); one node without Gaussian part.
  void quadrature() {
    if (s2_ == 0.0) {
      nodes_ = {0.0};
      weights_ = {1.0};
      return;
    }
    const int n = 24;
    Eigen::MatrixXd J = Eigen::MatrixXd::Zero(n, n);
    for (int i = 1; i < n; ++i) J(i, i - 1) = J(i - 1, i) = std::sqrt(0.5 * i);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(J);
    const double sd = std::sqrt(s2_);
    for (int i = 0; i < n; ++i) {
      nodes_.push_back(std::sqrt(2.0) * sd * es.eigenvalues()(i));
      weights_.push_back(es.eigenvectors()(0, i) * es.eigenvectors()(0, i));  // sums to 1
    }
  }

  template <typename F>
  static Image map(const Image& img, F f) {
    Image out = img;
    for (float& v : out.pixels) v = static_cast<float>(f(static_cast<double>(v)));
    return out;
  }

  NoiseParameters noise_;
  double s2_ = 0.0, scale_ = 1.0;
  std::vector<double> nodes_, weights_, lambda_, expected_;
};

}  // namespace vmfa
