/// \file denoise/noise_level.hpp
/// \brief The standard deviation of white Gaussian noise estimated from the image alone
/// (`estimateNoiseSigma`), and the band statistics it rests on.
///
/// Three estimators of σ (docs/denoising.md, "Blind denoising", compares them on the bundled images):
/// - `NoiseEstimator::Kurtosis` (default), after Zoran and Weiss (ICCV 2009): the coefficients of
///   a band-pass filter applied to a natural image have nearly the same kurtosis κ in every band,
///   and independent Gaussian noise of variance σ² lowers the excess kurtosis of a band of
///   variance v_k to (κ − 3)(1 − σ²/v_k)². With the AC bands of the orthonormal 8 × 8 DCT of all
///   overlapping patches (58 of 63: `detail::kurtosisBand`), √(κ_k − 3) = √(κ − 3)·(1 − σ²/v_k) is
///   fitted in L1 over σ² (a grid refined twice) and √(κ − 3) (a weighted median). It holds on texture, where every band carries
///   signal, because it separates signal from noise by their shape rather than their frequency.
/// - `NoiseEstimator::WeakTexture`, after Chen, Zhu and Heng (ICCV 2015): the eigenvalues of the
///   covariance of all 8 × 8 patches, the smallest of which are the noise's: σ² is the mean of the
///   longest tail of eigenvalues whose mean does not exceed its median.
/// - `NoiseEstimator::WaveletMad`, Donoho and Johnstone's baseline: the median absolute finest
///   diagonal Haar coefficient over 0.6745.
/// A colour image's channels share σ: the kurtosis fit pools their bands, the others take the
/// median of the channels' estimates.
///
/// The two parameters of Poisson–Gaussian noise are estimated in denoise/poisson_gaussian.hpp.
#pragma once

#include "../detail/parallel.hpp"
#include "../errors.hpp"
#include "../image.hpp"
#include "multiscale.hpp"

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace vmfa {

/// How `estimateNoiseSigma` estimates σ (see the file's documentation).
enum class NoiseEstimator {
  Kurtosis,     ///< kurtosis across DCT bands (Zoran and Weiss), the default
  WeakTexture,  ///< smallest eigenvalues of the patch covariance (Chen, Zhu and Heng)
  WaveletMad,   ///< median absolute deviation of the finest diagonal wavelet band
};

inline const char* toString(NoiseEstimator e) {
  return e == NoiseEstimator::Kurtosis ? "kurtosis" : e == NoiseEstimator::WeakTexture ? "weak-texture" : "wavelet-mad";
}

/// The names of the noise estimators (`toString(NoiseEstimator)`), the default first: what
/// `vmfa-denoise --noise-estimator` and Python's noise_estimator= accept.
inline const std::vector<std::string>& noiseEstimatorNames() {
  static const std::vector<std::string> names{"kurtosis", "weak-texture", "wavelet-mad"};
  return names;
}

/// Sets `out` to the estimator named `name` (`noiseEstimatorNames`); false, `out` unchanged, when none is.
inline bool fromString(const std::string& name, NoiseEstimator& out) {
  for (NoiseEstimator e : {NoiseEstimator::Kurtosis, NoiseEstimator::WeakTexture, NoiseEstimator::WaveletMad})
    if (name == toString(e)) return out = e, true;
  return false;
}

namespace detail {

inline constexpr Index kNoisePatch = 8;  // the estimators' patch side
inline constexpr Index kNoiseBands = kNoisePatch * kNoisePatch - 1;

/// Whether the kurtosis fit uses AC band b (coefficient (u, v) = ((b + 1) / 8, (b + 1) % 8)): the
/// bands of u + v >= 3. The five coarsest bands see the image's large-scale edges, whose kurtosis
/// is not the fine scales'; with them the fit undershoots σ on texture (docs/denoising.md).
inline bool kurtosisBand(Index b) { return (b + 1) / kNoisePatch + (b + 1) % kNoisePatch >= 3; }

/// Moments Σy, Σy², Σy³, Σy⁴ of every AC band of the orthonormal 8 × 8 DCT of each overlapping
/// patch of one channel, per bin of the patch mean (`edges`: ascending inner bin edges; none: one
/// bin). Per patch row in double, then summed in row order: the same result on any thread count.
struct BandMoments {
  Index bins = 1;
  std::vector<double> count, meanSum, moments;  // moments: bins × bands × 4

  double variance(Index bin, Index band) const {
    const double n = count[static_cast<std::size_t>(bin)];
    const double* m = &moments[static_cast<std::size_t>((bin * kNoiseBands + band) * 4)];
    const double mu = m[0] / n;
    return m[1] / n - mu * mu;
  }
  double kurtosis(Index bin, Index band) const {
    const double n = count[static_cast<std::size_t>(bin)];
    const double* m = &moments[static_cast<std::size_t>((bin * kNoiseBands + band) * 4)];
    const double mu = m[0] / n, e2 = m[1] / n, e3 = m[2] / n, e4 = m[3] / n;
    const double v = e2 - mu * mu, c4 = e4 - 4.0 * mu * e3 + 6.0 * mu * mu * e2 - 3.0 * mu * mu * mu * mu;
    return v > 0.0 ? c4 / (v * v) : 3.0;
  }
};

inline BandMoments bandMoments(const Image& img, Index channel, const std::vector<double>& edges, int numThreads) {
  const Index p = kNoisePatch, ny = img.height - p + 1, nx = img.width - p + 1, bins = static_cast<Index>(edges.size()) + 1;
  const Index perRow = bins * (kNoiseBands * 4 + 2);
  std::vector<double> rows(static_cast<std::size_t>(ny * perRow), 0.0);
  const Eigen::MatrixXd M = dctRows(p, p);  // row u: the u-th basis vector
  [[maybe_unused]] const int nt = resolveThreads(numThreads);
  ExceptionCapture capture;
#pragma omp parallel num_threads(nt)
  {
    Eigen::MatrixXd V(p, img.width);  // vertical transforms of the p rows below y, per column
    double c[kNoisePatch * kNoisePatch];
#pragma omp for schedule(static)
    for (Index y = 0; y < ny; ++y) {
      capture.run([&] {
        for (Index x = 0; x < img.width; ++x)
          for (Index u = 0; u < p; ++u) {
            double s = 0.0;
            for (Index i = 0; i < p; ++i) s += M(u, i) * static_cast<double>(img.at(y + i, x, channel));
            V(u, x) = s;
          }
        double* row = &rows[static_cast<std::size_t>(y * perRow)];
        for (Index x = 0; x < nx; ++x) {
          for (Index u = 0; u < p; ++u)
            for (Index v = 0; v < p; ++v) {
              double s = 0.0;
              for (Index j = 0; j < p; ++j) s += V(u, x + j) * M(v, j);
              c[u * p + v] = s;
            }
          const double mean = c[0] / static_cast<double>(p);
          const Index bin = static_cast<Index>(std::upper_bound(edges.begin(), edges.end(), mean) - edges.begin());
          double* b = row + bin * (kNoiseBands * 4 + 2);
          b[0] += 1.0;
          b[1] += mean;
          for (Index k = 0; k < kNoiseBands; ++k) {
            const double y1 = c[k + 1], y2 = y1 * y1;
            b[2 + 4 * k] += y1;
            b[3 + 4 * k] += y2;
            b[4 + 4 * k] += y2 * y1;
            b[5 + 4 * k] += y2 * y2;
          }
        }
      });
    }
  }
  capture.rethrow();
  BandMoments m;
  m.bins = bins;
  m.count.assign(static_cast<std::size_t>(bins), 0.0);
  m.meanSum.assign(static_cast<std::size_t>(bins), 0.0);
  m.moments.assign(static_cast<std::size_t>(bins * kNoiseBands * 4), 0.0);
  for (Index y = 0; y < ny; ++y)
    for (Index bin = 0; bin < bins; ++bin) {
      const double* b = &rows[static_cast<std::size_t>(y * perRow + bin * (kNoiseBands * 4 + 2))];
      m.count[static_cast<std::size_t>(bin)] += b[0];
      m.meanSum[static_cast<std::size_t>(bin)] += b[1];
      for (Index k = 0; k < kNoiseBands * 4; ++k) m.moments[static_cast<std::size_t>(bin * kNoiseBands * 4 + k)] += b[2 + k];
    }
  return m;
}

/// Appends the variances and kurtoses of bin `bin`'s bands that the kurtosis fit uses (`kurtosisBand`).
inline void appendKurtosisBands(const BandMoments& m, Index bin, std::vector<double>& v, std::vector<double>& k) {
  for (Index b = 0; b < kNoiseBands; ++b)
    if (kurtosisBand(b)) {
      v.push_back(m.variance(bin, b));
      k.push_back(m.kurtosis(bin, b));
    }
}

/// Weighted median of values[i] with weights w[i] > 0 (the lower one on a tie).
inline double weightedMedian(std::vector<double> values, std::vector<double> w) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });
  const double half = 0.5 * std::accumulate(w.begin(), w.end(), 0.0);
  double acc = 0.0;
  for (std::size_t i : order) {
    acc += w[i];
    if (acc >= half) return values[i];
  }
  return values.empty() ? 0.0 : values[order.back()];
}

/// σ² of the kurtosis model fitted to bands of variances v and kurtoses k (see the file's
/// documentation). A band set without signal kurtosis (√(κ − 3) < 0.5: pure noise, or a flat or
/// smooth image plus noise) gives the lower quartile of the variances, which are then all σ².
inline double kurtosisNoiseVariance(const std::vector<double>& v, const std::vector<double>& k) {
  std::vector<double> root(v.size()), inv(v.size());
  double vmin = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < v.size(); ++i) {
    root[i] = std::sqrt(std::max(k[i] - 3.0, 0.0));
    inv[i] = 1.0 / v[i];
    vmin = std::min(vmin, v[i]);
  }
  if (!(vmin > 0.0) || !std::isfinite(vmin)) return 0.0;
  // L1 loss of σ² = s with its best √(κ − 3): Σ|r_i − a f_i|, f_i = 1 − s/v_i, a = weighted median of r_i/f_i
  std::vector<double> ratio(v.size()), f(v.size());
  const auto fitAt = [&](double s, double& a) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      f[i] = 1.0 - s * inv[i];
      ratio[i] = root[i] / f[i];
    }
    a = weightedMedian(ratio, f);
    double loss = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) loss += std::abs(root[i] - a * f[i]);
    return loss;
  };
  double lo = 0.0, hi = vmin * 0.999, best = 0.0, bestA = 0.0, bestLoss = std::numeric_limits<double>::infinity();
  for (int round = 0; round < 3; ++round) {
    const int steps = round == 0 ? 1000 : 100;
    for (int i = 0; i <= steps; ++i) {
      const double s = lo + (hi - lo) * static_cast<double>(i) / steps;
      double a = 0.0;
      const double loss = fitAt(s, a);
      if (loss < bestLoss) bestLoss = loss, best = s, bestA = a;
    }
    const double step = (hi - lo) / (round == 0 ? 1000 : 100);
    lo = std::max(0.0, best - step);
    hi = std::min(vmin * 0.999, best + step);
  }
  if (bestA < 0.5) {
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 4];
  }
  return best;
}

inline void checkNoiseImage(const char* where, const Image& img) {
  require(img.channels == 1 || img.channels == 3, where, "images need 1 or 3 channels, got ", img.channels);
  require(img.height >= kNoisePatch && img.width >= kNoisePatch, where, "the image (", img.height, " x ", img.width,
          ") is smaller than the estimator's ", kNoisePatch, " x ", kNoisePatch, " patches");
  require(static_cast<Index>(img.pixels.size()) == img.size(), where, "the pixel buffer (", img.pixels.size(),
          ") does not match ", img.height, " x ", img.width, " x ", img.channels);
  for (std::size_t i = 0; i < img.pixels.size(); ++i)
    require(std::isfinite(img.pixels[i]), where, "pixel value ", i, " is ", img.pixels[i], ", must be finite");
}

/// σ² by the eigenvalues of the covariance of all 8 × 8 patches of one channel (Chen, Zhu, Heng).
inline double weakTextureNoiseVariance(const Image& img, Index channel, int numThreads) {
  const Matrix<double> X = extractPatches<double>(img.channels == 1 ? img : [&] {
    Image g(img.height, img.width, 1);
    for (Index y = 0; y < img.height; ++y)
      for (Index x = 0; x < img.width; ++x) g.at(y, x) = img.at(y, x, channel);
    return g;
  }(), kNoisePatch, 1, 0, numThreads);
  const Eigen::VectorXd mean = X.rowwise().mean();
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(X.rows(), X.rows());
  const Index block = 4096;
  for (Index j = 0; j < X.cols(); j += block) {  // blocks in order: the same sum on any thread count
    const Eigen::MatrixXd centred = X.middleCols(j, std::min(block, X.cols() - j)).colwise() - mean;
    cov.noalias() += centred * centred.transpose();
  }
  cov /= static_cast<double>(X.cols());
  Eigen::VectorXd lambda = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(cov, Eigen::EigenvaluesOnly).eigenvalues();
  std::vector<double> l(lambda.data(), lambda.data() + lambda.size());  // ascending
  for (std::size_t start = 0; start < l.size(); ++start) {  // start: the largest eigenvalue left out
    const std::size_t n = l.size() - start;  // the n smallest
    const double mean_ = std::accumulate(l.begin(), l.begin() + static_cast<std::ptrdiff_t>(n), 0.0) / static_cast<double>(n);
    std::vector<double> tail(l.begin(), l.begin() + static_cast<std::ptrdiff_t>(n));
    std::nth_element(tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(n / 2), tail.end());
    if (mean_ <= tail[n / 2]) return std::max(mean_, 0.0);
  }
  return std::max(l.front(), 0.0);
}

/// σ by the median absolute finest diagonal Haar coefficient of one channel.
inline double waveletMadSigma(const Image& img, Index channel) {
  std::vector<double> hh;
  hh.reserve(static_cast<std::size_t>((img.height / 2) * (img.width / 2)));
  for (Index y = 0; y + 1 < img.height; y += 2)
    for (Index x = 0; x + 1 < img.width; x += 2)
      hh.push_back(std::abs(0.5 * (static_cast<double>(img.at(y, x, channel)) - img.at(y, x + 1, channel) -
                                   img.at(y + 1, x, channel) + img.at(y + 1, x + 1, channel))));
  std::nth_element(hh.begin(), hh.begin() + static_cast<std::ptrdiff_t>(hh.size() / 2), hh.end());
  return hh[hh.size() / 2] / 0.6744897501960817;
}

}  // namespace detail

/// \brief The standard deviation of white Gaussian noise in `noisy`, on its value scale, from the
/// image alone (see the file's documentation for the estimators). Deterministic on any thread count.
/// \throws InvalidArgument if the image has other than 1 or 3 channels, is smaller than 8 × 8 or
/// holds a non-finite value.
inline double estimateNoiseSigma(const Image& noisy, NoiseEstimator estimator = NoiseEstimator::Kurtosis,
                                 int numThreads = 0) {
  detail::checkNoiseImage("vmfa::estimateNoiseSigma", noisy);
  if (estimator == NoiseEstimator::Kurtosis) {
    std::vector<double> v, k;
    for (Index c = 0; c < noisy.channels; ++c) {
      detail::appendKurtosisBands(detail::bandMoments(noisy, c, {}, numThreads), 0, v, k);
    }
    return std::sqrt(detail::kurtosisNoiseVariance(v, k));
  }
  std::vector<double> s;
  for (Index c = 0; c < noisy.channels; ++c)
    s.push_back(estimator == NoiseEstimator::WeakTexture ? std::sqrt(detail::weakTextureNoiseVariance(noisy, c, numThreads))
                                                         : detail::waveletMadSigma(noisy, c));
  std::sort(s.begin(), s.end());
  return s[s.size() / 2];
}

}  // namespace vmfa
