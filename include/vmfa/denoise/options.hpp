/// \file denoise/options.hpp
/// \brief The options of `denoise` and what it returns.
#pragma once

#include "../image.hpp"
#include "../options.hpp"
#include "estimators.hpp"
#include "noise_level.hpp"

#include <cstdint>

namespace vmfa {

/// \brief Options of the second stage of `denoise` (`detail::collaborativeWiener`): every reference
/// patch on a grid of step `step` gathers, within a `window` × `window` neighbourhood, the
/// `similar` patches closest to it in the first-stage estimate; their clean covariance is estimated
/// from the first-stage patches and the *noisy* patches are Wiener-filtered with it.
/// The defaults are the best of the settings compared in docs/benchmarks.md, "Denoising".
struct SecondStageOptions {
  Index patchSize = 10;  ///< p₂: patches are p₂ × p₂ (× channels); any size that fits the image
  Index similar = 60;    ///< k: patches per group (>= 2)
  Index window = 21;     ///< side of the search window around a reference patch (>= 1)
  Index step = 6;        ///< reference patches on a grid of this step, plus the last row and column (>= 1)
};

/// The colour space in which `denoise` works on a three-channel image.
enum class ColourSpace {
  /// Orthonormal opponent colour (as CBM3D): luminance (R+G+B)/√3 and the chroma differences
  /// (R−B)/√2 and (R−2G+B)/√6 (`toOpponent`). White noise of σ stays white of σ, and the chroma
  /// channels' small variance falls to the model's noise floor, where the estimator shrinks it.
  Opponent,
  Rgb,  ///< the channels as given
};

/// \brief The fit options `denoise` starts from: `Options` with the denoising defaults C = 100,
/// H = 6, 25 iterations, Small initial loadings (not `Options`' default Broad: Broad's better
/// held-out likelihood does not carry over to PSNR, and it is slower; docs/benchmarks.md,
/// "Denoising"), plain EM steps, a search in every E-step and a warm-up to the tolerance (the steps
/// of the fits the denoising tables record).
inline Options denoiseFitOptions() {
  Options o;
  o.numComponents = 100;
  o.latentDim = 6;
  o.maxIterations = 25;
  o.loadingInit = LoadingInit::Small;
  o.overRelaxation = 1.0;
  o.searchEvery = 1;
  o.warmupTolerance = -1.0;
  return o;
}

/// \brief Options of `denoise`. Every field has a documented default.
struct DenoiseOptions {
  Index patchSize = 8;           ///< p: patches are p × p (× channels)
  /// The model's fit (C, H, iterations, tolerance, seed, initialisation, threads, block size,
  /// progress callback; defaults from `denoiseFitOptions`). `numThreads` and `blockSize` serve the
  /// estimates and both stages too. `minimumNoise` is set from `noiseFloor` (any value here is
  /// replaced), and `warmStart` must stay false: the model is fitted afresh to each image.
  Options fit = denoiseFitOptions();
  Index activeComponents = 3;    ///< C': components kept per patch (at most C)
  Index neighbors = 15;          ///< G: neighbour-graph size (at most C)
  Estimator estimator = Estimator::NoiseAware;
  Merge merge = Merge::Mean;     ///< how overlapping estimates are merged per pixel
  /// Fit on the patches whose corners lie on a grid of this step (1: all patches); every patch is
  /// then assigned by one truncated E-step started from the nearest grid patch's components.
  Index trainStride = 2;
  /// Noise variances of the fitted model are kept >= noiseFloor · σ² (0 disables the bound).
  double noiseFloor = 1.0;
  Index chunkSize = 4096;        ///< patches per chunk of the E-step and of the estimates (>= 1)
  /// 1: the model's estimate (fit, estimate every patch, merge). 2 (default): then a second,
  /// collaborative Wiener stage that takes its statistics from the first estimate (`second`).
  int stages = 2;
  SecondStageOptions second;     ///< the second stage (used when stages == 2)
  /// Three-channel images are denoised in this space (joint patches of p²·3 values) and returned in
  /// RGB. Opponent (default) is the better of the two on colour photographs (docs/benchmarks.md).
  ColourSpace colourSpace = ColourSpace::Opponent;
  /// Multiscale denoising: with scales > 1, the image downsampled by `downsampleDct` (white noise of
  /// σ·`downsampleScale`, σ/2 for even sides) is denoised first, with these options and scales − 1,
  /// and the lowest frequencies of both stages' estimates are then taken from it
  /// (`fuseLowFrequencies` with `scaleCutoff`). A coarser scale is used only while the downsampled
  /// image is at least `minScaleSide` pixels on each side and holds patches for the fit
  /// (numComponents training patches) and both stages.
  /// 1: one scale. 0 (default): 3 for a grey image, 1 for a colour image, where more scales do not
  /// help (docs/benchmarks.md, "Denoising").
  Index scales = 0;
  double scaleCutoff = 0.2;  ///< fraction of the coarse scale's DCT band taken from it, in [0, 1]
  Index minScaleSide = 64;   ///< smallest side of a coarse scale (>= 1)
  /// Fit iterations at the coarser scales: at most this many (and at most maxIterations); more
  /// do not change the PSNR and cost time (docs/benchmarks.md, "Denoising").
  int coarseIterations = 10;
  /// How σ is estimated when it is not given (`denoise(noisy, options)`; denoise/noise_level.hpp).
  NoiseEstimator noiseEstimator = NoiseEstimator::Kurtosis;
};

/// \brief What `denoise` returns: the image and where the time went.
struct DenoiseResult {
  Image image;
  /// the first stage's estimate, its low frequencies from the coarse scale when one was used (empty
  /// when stages == 1: then it is `image`)
  Image firstStage;
  FitResult fit;
  Index numPatches = 0, numTrainingPatches = 0;
  std::uint64_t logJointEvaluations = 0;  ///< fit plus assignment of all patches
  double fitSeconds = 0.0, assignSeconds = 0.0, estimateSeconds = 0.0, mergeSeconds = 0.0;
  double secondStageSeconds = 0.0;  ///< the second stage (0 when stages == 1)
  Index scalesUsed = 1;             ///< scales denoised (1 when the image is too small for a coarser one)
  double coarseSeconds = 0.0;       ///< the coarser scales, all of them (0 with one scale)
  double seconds = 0.0;             ///< everything
  /// The noise the image was denoised for: given, or estimated from the image (then
  /// `noiseEstimated`, and `noiseSeconds` is the estimate's share of `seconds`).
  NoiseParameters noise;
  bool noiseEstimated = false;
  double noiseSeconds = 0.0;
};

}  // namespace vmfa
