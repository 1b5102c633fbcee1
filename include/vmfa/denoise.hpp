/// \file denoise.hpp
/// \brief Zero-shot image denoising with v-MFA (docs/design.md, "Denoising"): fit a mixture of factor
/// analysers to the overlapping patches of the noisy image itself, estimate every clean patch
/// from its posterior over the components, and merge the overlapping estimates per pixel.
///
/// The estimators are in denoise/estimators.hpp, the options in denoise/options.hpp and the two
/// stages in denoise/stages.hpp; this header assembles them, at one or several scales.
#pragma once

#include "denoise/anscombe.hpp"
#include "denoise/colour.hpp"
#include "denoise/estimators.hpp"
#include "denoise/multiscale.hpp"
#include "denoise/noise_level.hpp"
#include "denoise/poisson_gaussian.hpp"
#include "denoise/options.hpp"
#include "denoise/stages.hpp"
#include "errors.hpp"
#include "image.hpp"
#include "model.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace vmfa {

namespace detail {
/// Whether a coarse scale of h × w pixels is used: at least o.minScaleSide on each side, and
/// patches for the fit and both stages (the checks `denoise` makes).
inline bool coarseScaleUsable(Index h, Index w, const DenoiseOptions& o) {
  if (std::min(h, w) < o.minScaleSide || o.patchSize > std::min(h, w)) return false;
  if (o.stages == 2 && o.second.patchSize > std::min(h, w)) return false;
  const Index gy = (h - o.patchSize) / o.trainStride + 1, gx = (w - o.patchSize) / o.trainStride + 1;
  return gy * gx >= o.fit.numComponents;
}
}  // namespace detail

/// \brief Denoises an image corrupted by additive white Gaussian noise of standard deviation
/// `sigma` (on the image's value scale, e.g. 25/255 for 8-bit data scaled to [0, 1]) without any
/// training data: fits v-MFA to the image's own patches and merges the patch estimates. A colour
/// image is denoised in `o.colourSpace` (by default the opponent space, `toOpponent`) and returned in
/// RGB, its first estimate too. With o.scales > 1 the image at half the resolution is denoised
/// first (recursively) and supplies the lowest frequencies of both stages' estimates (multiscale
/// denoising, after Pierazzo and Facciolo's multiscale DCT denoising; docs/design.md §7).
/// Deterministic for a given seed, whatever the thread count.
/// \throws InvalidArgument on σ <= 0, non-finite pixels, patches larger than the image, channels
/// other than 1 or 3, or options out of range (also those `Model::fit` rejects).
template <typename Scalar = float>
inline DenoiseResult denoise(const Image& noisy, double sigma, const DenoiseOptions& o = DenoiseOptions()) {
  const char* where = "vmfa::denoise";
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  const auto start = Clock::now();
  detail::require(std::isfinite(sigma) && sigma > 0.0, where, "sigma = ", sigma, " must be finite and > 0");
  detail::require(noisy.size() > 0 && static_cast<Index>(noisy.pixels.size()) == noisy.size(), where,
                  "the image is empty or its pixel buffer (", noisy.pixels.size(), ") does not match ", noisy.height,
                  " x ", noisy.width, " x ", noisy.channels);
  detail::checkPatchSize(where, noisy.height, noisy.width, noisy.channels, o.patchSize);
  for (std::size_t i = 0; i < noisy.pixels.size(); ++i)
    detail::require(std::isfinite(noisy.pixels[i]), where, "pixel value ", i, " is ", noisy.pixels[i], ", must be finite");
  detail::require(o.trainStride >= 1, where, "trainStride = ", o.trainStride, " must be >= 1");
  detail::require(o.stages == 1 || o.stages == 2, where, "stages = ", o.stages, " must be 1 or 2");
  if (o.stages == 2) detail::checkSecondStage(where, noisy, o.second);
  detail::require(o.scales >= 0 && o.minScaleSide >= 1, where, "scales = ", o.scales, " (>= 0) and minScaleSide = ",
                  o.minScaleSide, " (>= 1) are out of range");
  detail::require(o.scaleCutoff >= 0.0 && o.scaleCutoff <= 1.0, where, "scaleCutoff = ", o.scaleCutoff,
                  " must be in [0, 1]");
  detail::require(!o.fit.warmStart, where, "fit.warmStart must be false: the model is fitted afresh to the image");
  detail::require(o.coarseIterations >= 1, where, "coarseIterations = ", o.coarseIterations, " must be >= 1");
  if (noisy.channels == 3 && o.colourSpace == ColourSpace::Opponent) {
    // the same pipeline on the rotated image (the noise stays white of σ), rotated back
    DenoiseOptions rgb = o;
    rgb.colourSpace = ColourSpace::Rgb;
    DenoiseResult r = denoise<Scalar>(toOpponent(noisy), sigma, rgb);
    r.image = toOpponent(r.image, true);
    if (!r.firstStage.pixels.empty()) r.firstStage = toOpponent(r.firstStage, true);
    r.seconds = seconds(start);
    return r;
  }
  const Index p = o.patchSize, ny = noisy.height - p + 1, nx = noisy.width - p + 1;
  const Index gy = (ny - 1) / o.trainStride + 1, gx = (nx - 1) / o.trainStride + 1;
  detail::require(gy * gx >= o.fit.numComponents, where, "fit.numComponents = ", o.fit.numComponents, " exceeds the ", gy * gx,
                  " training patches (", ny, " x ", nx, " patches, trainStride ", o.trainStride, ")");

  DenoiseResult r;
  // the coarser scales first: the same pipeline on the image at half the resolution, noise about σ/2
  Image coarse;
  std::uint64_t coarseEvaluations = 0;
  const Index scales = o.scales > 0 ? o.scales : noisy.channels == 1 ? 3 : 1;
  if (scales > 1 && detail::coarseScaleUsable(noisy.height / 2, noisy.width / 2, o)) {
    auto t = Clock::now();
    DenoiseOptions oc = o;
    oc.scales = scales - 1;
    oc.fit.maxIterations = std::min(o.fit.maxIterations, o.coarseIterations);
    oc.fit.callback = nullptr;  // the callback follows the fit of the full-resolution image only
    // the noise there is white of σ·s (σ/2 for even sides)
    const double coarseSigma = sigma * downsampleScale(noisy.height, noisy.width);
    DenoiseResult rc = denoise<Scalar>(downsampleDct(noisy, o.fit.numThreads), coarseSigma, oc);
    coarse = std::move(rc.image);
    r.scalesUsed = rc.scalesUsed + 1;
    r.coarseSeconds = seconds(t);
    coarseEvaluations = rc.logJointEvaluations;
  }
  const Matrix<Scalar> X = extractPatches<Scalar>(noisy, p, 1, 0, o.fit.numThreads);
  r.numPatches = X.cols();
  Options mo = o.fit;
  mo.minimumNoise = o.noiseFloor * sigma * sigma;
  typename TruncatedEStep<Scalar>::Options eo;
  eo.activeComponents = std::min(o.activeComponents, o.fit.numComponents);
  eo.chunkSize = o.chunkSize;
  KlNeighborGraph::Options go;
  go.neighbors = std::min(o.neighbors, o.fit.numComponents);
  Model<Scalar> model(mo, TruncatedEStep<Scalar>(eo, go));

  Responsibilities<Scalar> resp = detail::fitAndAssign(model, X, ny, nx, o.trainStride, r);
  auto t = Clock::now();
  const auto estimators = PatchEstimators<Scalar>::make(model.parameters(), o.estimator, sigma, o.fit.numThreads);
  const Matrix<Scalar> estimates =
      estimatePatches(model.parameters(), estimators, X, resp, o.fit.numThreads, o.chunkSize, o.fit.blockSize);
  r.estimateSeconds = seconds(t);
  t = Clock::now();
  r.image = mergePatches(estimates, noisy.height, noisy.width, noisy.channels, p, o.merge, o.fit.numThreads);
  r.mergeSeconds = seconds(t);
  // the lowest frequencies of each stage's estimate come from the coarse scale's result (the second
  // stage then groups patches and estimates their statistics by the fused first estimate)
  const auto fuse = [&](Image& img) {
    if (coarse.pixels.empty()) return;
    const auto tf = Clock::now();
    img = fuseLowFrequencies(img, coarse, o.scaleCutoff, o.fit.numThreads);
    r.coarseSeconds += seconds(tf);
  };
  fuse(r.image);
  if (o.stages == 2) {
    t = Clock::now();
    r.firstStage = std::move(r.image);
    r.image = detail::collaborativeWiener<Scalar>(noisy, r.firstStage, sigma, o.second, o.fit.numThreads);
    r.secondStageSeconds = seconds(t);
    fuse(r.image);
  }
  r.logJointEvaluations += coarseEvaluations;
  r.noise = NoiseParameters{0.0, sigma};
  r.seconds = seconds(start);
  return r;
}

/// \brief Blind denoising of white Gaussian noise: σ is estimated from the image
/// (`estimateNoiseSigma` with `o.noiseEstimator`) and used exactly as a given σ would be.
/// \throws InvalidArgument as the other overload, or if the image shows no noise (estimated σ = 0).
template <typename Scalar = float>
inline DenoiseResult denoise(const Image& noisy, const DenoiseOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const double sigma = estimateNoiseSigma(noisy, o.noiseEstimator, o.fit.numThreads);
  const double estimateSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  detail::require(sigma > 0.0, "vmfa::denoise", "the estimated noise level is 0: the image shows no noise to remove");
  DenoiseResult r = denoise<Scalar>(noisy, sigma, o);
  r.noiseEstimated = true;
  r.noiseSeconds = estimateSeconds;
  r.seconds += estimateSeconds;
  return r;
}

/// \brief Denoising of Poisson–Gaussian noise, var(y) = gain·x + sigma²: the image goes through the
/// generalised Anscombe transform (noise then nearly white, `GeneralizedAnscombe::noiseSigma()`),
/// is denoised there, and comes back by the exact unbiased inverse (both stages' estimates). A NaN
/// gain or sigma is estimated from the image (`estimatePoissonGaussian`); gain = 0 is white noise
/// of sigma (the first overload). Colour images are transformed per RGB channel.
/// \throws InvalidArgument as the first overload, if gain or sigma is negative or infinite, or if
/// both are (or are estimated as) 0.
template <typename Scalar = float>
inline DenoiseResult denoise(const Image& noisy, const NoiseParameters& noise, const DenoiseOptions& o) {
  const char* where = "vmfa::denoise";
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const bool estimate = std::isnan(noise.gain) || std::isnan(noise.sigma);
  const NoiseParameters used = estimate ? estimatePoissonGaussian(noisy, noise, o.fit.numThreads) : noise;
  const double estimateSeconds = estimate ? std::chrono::duration<double>(Clock::now() - start).count() : 0.0;
  detail::require(std::isfinite(used.gain) && used.gain >= 0.0 && std::isfinite(used.sigma) && used.sigma >= 0.0, where,
                  "gain = ", used.gain, " and sigma = ", used.sigma, " must be finite and >= 0");
  detail::require(used.gain > 0.0 || used.sigma > 0.0, where, "gain and sigma are both 0",
                  estimate ? " (as estimated): the image shows no noise to remove" : ": there is no noise to remove");
  DenoiseResult r;
  if (used.gain == 0.0) {
    r = denoise<Scalar>(noisy, used.sigma, o);
  } else {
    const GeneralizedAnscombe gat(used, GeneralizedAnscombe::tableTop(noisy));
    r = denoise<Scalar>(gat.forward(noisy), gat.noiseSigma(), o);
    r.image = gat.inverse(r.image);
    if (!r.firstStage.pixels.empty()) r.firstStage = gat.inverse(r.firstStage);
  }
  r.noise = used;
  r.noiseEstimated = estimate;
  r.noiseSeconds = estimateSeconds;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

}  // namespace vmfa
