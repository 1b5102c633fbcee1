/// \file denoise/poisson_gaussian.hpp
/// \brief The two parameters of Poisson–Gaussian noise, var(y) = a·x + b, estimated from the image
/// alone (`estimatePoissonGaussian`).
///
/// The patches are put into up to 12 bins of equal count by their mean, the kurtosis estimator
/// (denoise/noise_level.hpp) gives each bin's noise variance v_j at its mean intensity m_j, and
/// v = a·m + b is fitted to the bins in relative L1 (|log v_j − log(a·m_j + b)|, weighted by the
/// bins' patches), which a bin whose estimate failed does not pull away (after Foi et al. 2008,
/// who fit the same relation to local means and variances of smooth regions). The bins' estimates
/// share a bias (the noise within a bin is a mixture of levels, which the kurtosis fit partly takes
/// for signal), so the fit is then corrected on the generalised Anscombe transform of the image,
/// whose noise is white of the transform's own level where the parameters are right: with both
/// estimated, the pair is scaled by the one factor V that the transformed noise's relative variance
/// shows (parameters 1/V of the truth leave V); with one given, the other is moved until the
/// transformed noise has the transform's level (`detail::refineOnTransform`).
#pragma once

#include "../errors.hpp"
#include "../image.hpp"
#include "anscombe.hpp"
#include "noise_level.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace vmfa {

namespace detail {
/// The transformed noise level relative to the transform's own, on the patches of at least 4 photons
/// on average (below, the transform's variance falls short of 1), and the mean value of those pixels:
/// (0, 0) where there are too few such patches.
inline std::pair<double, double> transformedLevel(const Image& noisy, const NoiseParameters& noise, int numThreads) {
  const GeneralizedAnscombe gat(noise, GeneralizedAnscombe::tableTop(noisy));
  const Image transformed = gat.forward(noisy);
  const double bright = 4.0 * noise.gain;
  const std::vector<double> edges = {gat.forward(bright)};
  std::vector<double> v, k;
  for (Index c = 0; c < noisy.channels; ++c) {
    const BandMoments m = bandMoments(transformed, c, edges, numThreads);
    if (m.count[1] < 400.0) continue;
    appendKurtosisBands(m, 1, v, k);
  }
  if (v.empty()) return {0.0, 0.0};
  double sum = 0.0, n = 0.0;
  for (float y : noisy.pixels)
    if (y >= bright) sum += y, n += 1.0;
  return {std::sqrt(kurtosisNoiseVariance(v, k)) / gat.noiseSigma(), n > 0.0 ? sum / n : 0.0};
}

/// Corrects Poisson–Gaussian parameters fitted to bins by the level of the noise after their
/// transform, which is 1 (relative) where they are right: with both estimated, both are scaled by
/// one factor V (parameters 1/V of the truth leave noise of relative variance V); with one given,
/// the other is moved three times so that a·x̄ + b, at the bright pixels' mean x̄, becomes V times
/// what it was: the unknown part is set to V·(a·x̄ + b) − (the given part).
inline NoiseParameters refineOnTransform(const Image& noisy, NoiseParameters out, bool gainKnown, bool sigmaKnown,
                                         int numThreads) {
  for (int round = 0; round < (gainKnown || sigmaKnown ? 3 : 1); ++round) {
    const auto [level, xbar] = transformedLevel(noisy, out, numThreads);
    if (!(level > 0.0)) break;
    const double v = level * level, total = out.gain * xbar + out.sigma * out.sigma;
    if (!gainKnown && !sigmaKnown) {
      out.gain *= v;
      out.sigma *= level;
    } else if (gainKnown) {
      out.sigma = std::sqrt(std::max(v * total - out.gain * xbar, 0.0));
    } else if (xbar > 0.0) {
      const double gain = (v * total - out.sigma * out.sigma) / xbar;
      if (!(gain > 0.0)) break;
      out.gain = gain;
    }
  }
  return out;
}
}  // namespace detail

/// \brief The parameters of Poisson–Gaussian noise in `noisy` from the image alone (see the file's
/// documentation). Fields of `known` that are not NaN are taken as given and only the others are
/// estimated. Deterministic on any thread count.
/// \throws InvalidArgument as `estimateNoiseSigma`, or if a given parameter is negative or infinite.
inline NoiseParameters estimatePoissonGaussian(const Image& noisy, NoiseParameters known = {std::nan(""), std::nan("")},
                                               int numThreads = 0) {
  const char* where = "vmfa::estimatePoissonGaussian";
  detail::checkNoiseImage(where, noisy);
  const bool gainKnown = !std::isnan(known.gain), sigmaKnown = !std::isnan(known.sigma);
  detail::require((!gainKnown || (std::isfinite(known.gain) && known.gain >= 0.0)) &&
                      (!sigmaKnown || (std::isfinite(known.sigma) && known.sigma >= 0.0)),
                  where, "gain = ", known.gain, " and sigma = ", known.sigma, " must be finite and >= 0 (or NaN: estimate)");
  if (gainKnown && sigmaKnown) return known;
  // bins of equal count by the patch mean, per channel
  const Index p = detail::kNoisePatch;
  // bins of at least 500 patches, 12 where there are patches enough
  const Index patches = (noisy.height - p + 1) * (noisy.width - p + 1);
  const Index bins = std::max<Index>(1, std::min<Index>(12, patches / 500));
  std::vector<double> means, variances, weights;
  for (Index c = 0; c < noisy.channels; ++c) {
    std::vector<double> pm;
    pm.reserve(static_cast<std::size_t>(patches));
    for (Index y = 0; y + p <= noisy.height; ++y)
      for (Index x = 0; x + p <= noisy.width; ++x) {
        double s = 0.0;
        for (Index i = 0; i < p; ++i)
          for (Index j = 0; j < p; ++j) s += noisy.at(y + i, x + j, c);
        pm.push_back(s / static_cast<double>(p * p));
      }
    std::sort(pm.begin(), pm.end());
    std::vector<double> edges;
    for (Index b = 1; b < bins; ++b) edges.push_back(pm[static_cast<std::size_t>(b) * pm.size() / static_cast<std::size_t>(bins)]);
    const detail::BandMoments m = detail::bandMoments(noisy, c, edges, numThreads);
    for (Index b = 0; b < bins; ++b) {
      if (m.count[static_cast<std::size_t>(b)] < 400.0) continue;  // too few patches for a kurtosis
      std::vector<double> v, k;
      detail::appendKurtosisBands(m, b, v, k);
      const double var = detail::kurtosisNoiseVariance(v, k);
      if (!(var > 0.0)) continue;  // a failed fit
      means.push_back(m.meanSum[static_cast<std::size_t>(b)] / m.count[static_cast<std::size_t>(b)]);
      variances.push_back(var);
      weights.push_back(m.count[static_cast<std::size_t>(b)]);
    }
  }
  NoiseParameters out = known;
  if (variances.empty()) {  // no bin gave an estimate: white noise over the whole image, if any
    if (!gainKnown) out.gain = 0.0;
    if (!sigmaKnown) out.sigma = estimateNoiseSigma(noisy, NoiseEstimator::Kurtosis, numThreads);
    return out;
  }
  // relative L1 of v_j against gain·m_j + sigma²
  const auto loss = [&](double a, double b2) {
    double l = 0.0;
    for (std::size_t j = 0; j < variances.size(); ++j) {
      const double model = a * means[j] + b2;
      l += weights[j] * (model > 0.0 ? std::abs(std::log(variances[j] / model)) : 1e300);
    }
    return l;
  };
  const auto gainFor = [&](double shift, double fixedB2) {  // the best gain for v = gain·(m + shift) + fixedB2
    std::vector<double> lr, w;
    for (std::size_t j = 0; j < variances.size(); ++j)
      if (means[j] + shift > 0.0 && variances[j] > fixedB2) {
        lr.push_back(std::log((variances[j] - fixedB2) / (means[j] + shift)));
        w.push_back(weights[j]);
      }
    return lr.empty() ? 0.0 : std::exp(detail::weightedMedian(lr, w));
  };
  if (gainKnown) {
    std::vector<double> r(variances.size());
    for (std::size_t j = 0; j < r.size(); ++j) r[j] = variances[j] - known.gain * means[j];
    out.sigma = std::sqrt(std::max(detail::weightedMedian(r, weights), 0.0));
  } else if (sigmaKnown) {
    out.gain = gainFor(0.0, known.sigma * known.sigma);
  } else {
    // gain = 0 (white noise) against gain > 0 with shift c = sigma²/gain in {0} and a log grid
    out.gain = 0.0;
    out.sigma = std::sqrt(detail::weightedMedian(variances, weights));
    double bestLoss = loss(0.0, out.sigma * out.sigma);
    for (int i = -1; i <= 300; ++i) {
      const double shift = i < 0 ? 0.0 : std::pow(10.0, -5.0 + 8.0 * i / 300.0);
      const double a = gainFor(shift, 0.0);
      const double l = loss(a, a * shift);
      if (a > 0.0 && l < bestLoss) bestLoss = l, out.gain = a, out.sigma = std::sqrt(a * shift);
    }
  }
  if (out.gain == 0.0) return out;
  return detail::refineOnTransform(noisy, out, gainKnown, sigmaKnown, numThreads);
}

}  // namespace vmfa
