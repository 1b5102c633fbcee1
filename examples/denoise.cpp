// vmfa-denoise: zero-shot denoising of one image with v-MFA (no training data).
//
//   vmfa-denoise IN OUT [--sigma S] [--noise gaussian|poisson-gaussian] [--peak P] [--blind]
//                [--noise-estimator E] [--add-noise [--seed N]] [--reference CLEAN] [--patch P] ...
//
// IN and OUT are PNG or JPEG (8/16-bit grey or RGB) or float .npy arrays (H x W or H x W x 3, values
// in [0, 1]). S is the standard deviation of white Gaussian noise on the 0-255 scale; without it the
// noise level is estimated from IN (blind denoising). --noise poisson-gaussian denoises signal-dependent
// noise, var = x/P + (S/255)^2 on the [0, 1] scale, estimating whichever of P and S is not given. With
// --add-noise, IN is taken as the clean image (and the reference), and the noise described by the
// flags is added first from --seed; --blind then has the noise estimated from the noisy image anyway.
//
// Exit codes: 0 success, 1 runtime error (unreadable file, invalid image), 2 usage error (including
// an output path that is not a regular file, has an unknown extension or is given twice). The
// outputs (OUT, --side-by-side, --noisy-out) are written all or none, each atomically.
#include "cli/args.hpp"
#include <vmfa/image_files.hpp>

#include <vmfa/vmfa.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

namespace {

using vmfa_examples::toInt;
using vmfa_examples::UsageError;

const vmfa_examples::Command kCommand = {
    "vmfa-denoise", "IN OUT", 2,
    "Denoises IN (PNG/JPEG, 8/16-bit grey or RGB, or a float .npy H x W or H x W x 3 in [0, 1]) by fitting\n"
    "a mixture of factor analysers to its own overlapping patches, and writes OUT (.png, .jpg or .npy).\n",
    {{"--sigma", 1, "S", "white noise standard deviation on the 0-255 scale (> 0; the Gaussian part, >= 0,\n"
                         "with --noise poisson-gaussian); without it, it is estimated from IN"},
     {"--noise", 1, "MODEL", "gaussian (default: white, of --sigma) or poisson-gaussian (var = x/P + (S/255)^2\n"
                            "on the [0, 1] scale: --peak P photons at white, --sigma S the Gaussian part)"},
     {"--peak", 1, "P", "poisson-gaussian: photons at white (> 0); without it, estimated from IN"},
     {"--blind", 0, "", "estimate the noise from the noisy image even where --sigma/--peak give it\n"
                       "(with --add-noise: they describe the noise added only)"},
     {"--noise-estimator", 1, "E", "how sigma is estimated: kurtosis (default), weak-texture or wavelet-mad"},
     {"--add-noise", 0, "", "add the noise of --sigma (and --peak) to IN first (IN is then the clean reference)"},
     {"--seed", 1, "N", "seed of the added noise and of the fit (default 5489)"},
     {"--reference", 1, "CLEAN", "clean image: print PSNR and SSIM of the noisy and the denoised image"},
     {"--patch", 1, "P", "patch size (default 8)"},
     {"--components", 1, "C", "mixture components (default 100)"},
     {"--latent", 1, "H", "latent dimension (default 6)"},
     {"--merge", 1, "M", "mean (default) or median of the overlapping patch estimates"},
     {"--estimator", 1, "E", "noise-aware (default, posterior mean for known sigma) or projection (paper)"},
     {"--colour", 1, "SPACE", "colour images: opponent (default; luminance and two chroma differences) or rgb"},
     {"--scales", 1, "N", "denoise the image at N scales, each half the previous resolution; the coarser\n"
                         "ones give the finer their lowest frequencies (default 3 for grey, 1 for colour)"},
     {"--scale-cutoff", 1, "F", "fraction of a coarse scale's frequency band taken from it (default 0.2)"},
     {"--coarse-iter", 1, "M", "fit iterations at the coarser scales, at most (default 10)"},
     {"--train-stride", 1, "S", "fit on the patches on a grid of step S, then assign all (default 2; 1 = all)"},
     {"--max-iter", 1, "M", "fit iterations (default 25)"},
     {"--noise-floor", 1, "F", "keep the fitted noise variances >= F sigma^2 (default 1; 0 disables)"},
     {"--stages", 1, "K", "1: the model's estimate; 2 (default): then collaborative Wiener filtering with\n"
                         "statistics from the first estimate"},
     {"--second-patch", 1, "P", "second stage: patch size (default 10)"},
     {"--second-similar", 1, "K", "second stage: patches per group (default 60, >= 2)"},
     {"--second-window", 1, "W", "second stage: side of the search window (default 21)"},
     {"--second-step", 1, "S", "second stage: step of the grid of reference patches (default 6)"},
     vmfa_examples::kThreadsFlag,
     vmfa_examples::kPrecisionFlag,
     {"--side-by-side", 1, "PNG", "write clean | noisy | denoised (noisy | denoised without a reference)"},
     {"--noisy-out", 1, "FILE", "also write the noisy input (useful with --add-noise; .npy keeps it unquantised)"},
     {"--quiet", 0, "", "print only the summary line"}}};

/// clean | noisy | denoised side by side with 4-pixel white gaps, clipped to [0, 1].
vmfa::Image sideBySide(const std::vector<const vmfa::Image*>& parts) {
  const vmfa::Index gap = 4, h = parts[0]->height, c = parts[0]->channels;
  vmfa::Index w = 0;
  for (const auto* p : parts) w += p->width;
  w += gap * static_cast<vmfa::Index>(parts.size() - 1);
  vmfa::Image out(h, w, c, 1.0f);
  vmfa::Index x0 = 0;
  for (const auto* p : parts) {
    for (vmfa::Index y = 0; y < h; ++y)
      for (vmfa::Index x = 0; x < p->width; ++x)
        for (vmfa::Index k = 0; k < c; ++k) out.at(y, x0 + x, k) = std::clamp(p->at(y, x, k), 0.0f, 1.0f);
    x0 += p->width + gap;
  }
  return out;
}

/// The noise in words: "sigma 25/255" or "Poisson-Gaussian noise, peak 10, sigma 2/255".
std::string describe(const vmfa::NoiseParameters& n, bool pending) {
  const auto number = [](double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return std::string(buf);
  };
  const std::string sigma = std::isnan(n.sigma) ? (pending ? "sigma estimated" : "sigma ?")
                                                : "sigma " + number(n.sigma * 255.0) + "/255";
  if (n.gain == 0.0) return sigma;
  const std::string peak = std::isnan(n.gain) ? "peak estimated" : "peak " + number(1.0 / n.gain);
  return "Poisson-Gaussian noise, " + peak + ", " + sigma;
}

}  // namespace

int main(int argc, char** argv) {
  vmfa_examples::Args a;
  vmfa::DenoiseOptions o;
  const double unknown = std::numeric_limits<double>::quiet_NaN();
  vmfa::NoiseParameters given{unknown, unknown};  // the noise described by the flags; NaN: not given
  bool poissonGaussian = false, blind = false;
  int precision = 4;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--help" || arg == "-h") {
        std::printf("%s", kCommand.help().c_str());
        return 0;
      }
    }
    a = vmfa_examples::parse(kCommand, argc, argv, 1);
    poissonGaussian = vmfa_examples::toChoice("--noise", a.get("--noise", "gaussian"), {"gaussian", "poisson-gaussian"}) ==
                      "poisson-gaussian";
    blind = a.has("--blind");
    if (a.has("--sigma")) {
      const double s = vmfa_examples::toDouble("--sigma", a.get("--sigma"));
      if (!(poissonGaussian ? s >= 0.0 : s > 0.0) || !std::isfinite(s))
        throw UsageError(std::string("--sigma must be finite and ") + (poissonGaussian ? ">= 0" : "> 0") + ", got " +
                         a.get("--sigma"));
      given.sigma = s / 255.0;
    }
    if (a.has("--peak")) {
      if (!poissonGaussian) throw UsageError("--peak needs --noise poisson-gaussian");
      const double peak = vmfa_examples::toDouble("--peak", a.get("--peak"));
      if (!(peak > 0.0) || !std::isfinite(peak)) throw UsageError("--peak must be finite and > 0, got " + a.get("--peak"));
      given.gain = 1.0 / peak;
    } else if (!poissonGaussian) {
      given.gain = 0.0;
    }
    if (a.has("--add-noise")) {
      if (poissonGaussian && !a.has("--peak")) throw UsageError("--add-noise with --noise poisson-gaussian needs --peak P");
      if (!poissonGaussian && !a.has("--sigma")) throw UsageError("--add-noise needs --sigma S (the noise to add)");
      if (std::isnan(given.sigma)) given.sigma = 0.0;
    }
    vmfa::fromString(vmfa_examples::toChoice("--noise-estimator", a.get("--noise-estimator", "kurtosis"),
                                             vmfa::noiseEstimatorNames()),
                     o.noiseEstimator);
    const long long big = std::numeric_limits<int>::max();
    o.fit.seed = static_cast<std::uint64_t>(toInt("--seed", a.get("--seed", "5489"), 0, std::numeric_limits<long long>::max()));
    o.patchSize = toInt("--patch", a.get("--patch", "8"), 1, 1 << 12);
    o.fit.numComponents = toInt("--components", a.get("--components", "100"), 1, big);
    o.fit.latentDim = toInt("--latent", a.get("--latent", "6"), 0, big);
    o.trainStride = toInt("--train-stride", a.get("--train-stride", "2"), 1, big);
    o.fit.maxIterations = static_cast<int>(toInt("--max-iter", a.get("--max-iter", "25"), 1, big));
    o.fit.numThreads = vmfa_examples::threadsOf(a);
    o.noiseFloor = vmfa_examples::toDouble("--noise-floor", a.get("--noise-floor", "1"));
    o.stages = static_cast<int>(toInt("--stages", a.get("--stages", "2"), 1, 2));
    o.second.patchSize = toInt("--second-patch", a.get("--second-patch", "10"), 1, 1 << 12);
    o.second.similar = toInt("--second-similar", a.get("--second-similar", "60"), 2, 1 << 20);
    o.second.window = toInt("--second-window", a.get("--second-window", "21"), 1, 1 << 20);
    o.second.step = toInt("--second-step", a.get("--second-step", "6"), 1, 1 << 20);
    if (o.noiseFloor < 0.0) throw UsageError("--noise-floor must be >= 0, got " + a.get("--noise-floor"));
    if (a.has("--scales")) o.scales = toInt("--scales", a.get("--scales"), 1, 64);
    o.scaleCutoff = vmfa_examples::toDouble("--scale-cutoff", a.get("--scale-cutoff", "0.2"));
    o.coarseIterations = static_cast<int>(toInt("--coarse-iter", a.get("--coarse-iter", "10"), 1, big));
    if (!(o.scaleCutoff >= 0.0 && o.scaleCutoff <= 1.0))
      throw UsageError("--scale-cutoff must be in [0, 1], got " + a.get("--scale-cutoff"));
    precision = vmfa_examples::toChoice("--precision", a.get("--precision", "float"), {"float", "double"}) == "float" ? 4 : 8;
    o.merge = vmfa_examples::toChoice("--merge", a.get("--merge", "mean"), {"mean", "median"}) == "mean" ? vmfa::Merge::Mean
                                                                                                  : vmfa::Merge::Median;
    o.estimator = vmfa_examples::toChoice("--estimator", a.get("--estimator", "noise-aware"), {"noise-aware", "projection"}) ==
                          "noise-aware"
                      ? vmfa::Estimator::NoiseAware
                      : vmfa::Estimator::Projection;
    o.colourSpace = vmfa_examples::toChoice("--colour", a.get("--colour", "opponent"), {"opponent", "rgb"}) == "opponent"
                        ? vmfa::ColourSpace::Opponent
                        : vmfa::ColourSpace::Rgb;
    std::vector<std::pair<std::string, std::string>> outputs = {{"OUT", a.positional[1]}};
    if (a.has("--side-by-side")) outputs.emplace_back("--side-by-side", a.get("--side-by-side"));
    if (a.has("--noisy-out")) outputs.emplace_back("--noisy-out", a.get("--noisy-out"));
    for (const auto& [flag, path] : outputs)
      if (!vmfa::isImagePath(path))
        throw UsageError(flag + " '" + path + "': unknown image type (use .png, .jpg or .npy)");
    vmfa_examples::checkOutputs(outputs);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "vmfa-denoise: %s\nusage: %s\n", e.what(), kCommand.synopsis().c_str());
    return 2;
  }
  const std::string in = a.positional[0], out = a.positional[1], reference = a.get("--reference"),
                    sideBySidePath = a.get("--side-by-side"), noisyOut = a.get("--noisy-out");
  const bool addNoise = a.has("--add-noise"), quiet = a.has("--quiet");
  try {
    vmfa::Image input = vmfa::loadImage(in);
    vmfa::Image clean;
    if (addNoise) clean = input;
    else if (!reference.empty()) clean = vmfa::loadImage(reference);
    const vmfa::Image noisy = addNoise ? vmfa::addNoise(input, given, o.fit.seed, o.fit.numThreads) : std::move(input);
    // what the denoiser is told: NaN fields are estimated from the image
    const vmfa::NoiseParameters told = blind ? vmfa::NoiseParameters{poissonGaussian ? unknown : 0.0, unknown} : given;
    if (!clean.pixels.empty() && (clean.height != noisy.height || clean.width != noisy.width ||
                                  clean.channels != noisy.channels))
      throw std::runtime_error("the reference is " + std::to_string(clean.height) + " x " + std::to_string(clean.width) +
                               " x " + std::to_string(clean.channels) + ", the image " + std::to_string(noisy.height) +
                               " x " + std::to_string(noisy.width) + " x " + std::to_string(noisy.channels));
    if (!quiet) {
      std::printf("vmfa-denoise: %s, %ld x %ld x %ld, %s; p = %ld, C = %ld, H = %ld, %s estimator, %s%s\n",
                  in.c_str(), static_cast<long>(noisy.height), static_cast<long>(noisy.width),
                  static_cast<long>(noisy.channels), describe(told, true).c_str(), static_cast<long>(o.patchSize),
                  static_cast<long>(o.fit.numComponents), static_cast<long>(o.fit.latentDim),
                  o.estimator == vmfa::Estimator::NoiseAware ? "noise-aware" : "projection",
                  precision == 4 ? "float" : "double",
                  noisy.channels != 3 ? ""
                  : o.colourSpace == vmfa::ColourSpace::Opponent ? ", opponent colour"
                                                                 : ", RGB");
      o.fit.callback = vmfa::progressPrinter(std::cout);
    }
    // the noise's missing parameters estimated from the image (the library's estimators, as the
    // blind `vmfa::denoise` overloads use them), printed before the fit starts
    vmfa::NoiseParameters noise = told;
    double noiseSeconds = 0.0;
    const bool estimated = std::isnan(told.gain) || std::isnan(told.sigma);
    if (estimated) {
      const auto t = std::chrono::steady_clock::now();
      noise = told.gain == 0.0
                  ? vmfa::NoiseParameters{0.0, vmfa::estimateNoiseSigma(noisy, o.noiseEstimator, o.fit.numThreads)}
                  : vmfa::estimatePoissonGaussian(noisy, told, o.fit.numThreads);
      noiseSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
      if (!quiet)
        std::printf("noise: %s, estimated (%s) in %.2f s\n", describe(noise, false).c_str(),
                    told.gain == 0.0 ? vmfa::toString(o.noiseEstimator) : "kurtosis in bins of intensity", noiseSeconds);
      if (noise.gain == 0.0 && noise.sigma == 0.0)
        throw std::runtime_error("the estimated noise level is 0: the image shows no noise to remove; nothing was written");
    }
    vmfa::DenoiseResult r = vmfa_examples::withPrecision(precision, [&](auto s) {
      using S = decltype(s);
      return noise.gain == 0.0 ? vmfa::denoise<S>(noisy, noise.sigma, o) : vmfa::denoise<S>(noisy, noise, o);
    });
    r.seconds += noiseSeconds;
    if (r.fit.status == vmfa::FitStatus::NumericalIssue)
      throw std::runtime_error("the fit ended in a numerical issue (" + r.fit.message + "); nothing was written");
    for (float v : r.image.pixels)
      if (!std::isfinite(v)) throw std::runtime_error("the denoised image holds non-finite values; nothing was written");
    // every output is encoded and written to a temporary file first: all of them appear, or none
    vmfa::detail::OutputFiles files("vmfa-denoise");
    files.add(out, vmfa::encodeImage(out, r.image));
    if (!noisyOut.empty()) files.add(noisyOut, vmfa::encodeImage(noisyOut, noisy));
    if (!sideBySidePath.empty()) {
      std::vector<const vmfa::Image*> parts;
      if (!clean.pixels.empty()) parts.push_back(&clean);
      parts.push_back(&noisy);
      parts.push_back(&r.image);
      files.add(sideBySidePath, vmfa::encodeImage(sideBySidePath, sideBySide(parts)));
    }
    files.commit();
    const double kpx = static_cast<double>(noisy.height * noisy.width) / 1000.0;
    if (!quiet) {
      std::printf("stage 1: fit %.2f s on %ld of %ld patches (%s, %d iterations), assign %.2f s, estimate %.2f s, merge %.2f s",
                  r.fitSeconds, static_cast<long>(r.numTrainingPatches), static_cast<long>(r.numPatches),
                  vmfa::toString(r.fit.status), r.fit.iterations, r.assignSeconds, r.estimateSeconds, r.mergeSeconds);
      if (!clean.pixels.empty() && o.stages == 2) std::printf("; PSNR %.2f dB", vmfa::psnr(clean, r.firstStage));
      std::printf("\n");
      if (o.stages == 2)
        std::printf("stage 2: %.2f s (p = %ld, %ld similar patches in %ld x %ld windows, references every %ld pixels)\n",
                    r.secondStageSeconds, static_cast<long>(o.second.patchSize), static_cast<long>(o.second.similar),
                    static_cast<long>(o.second.window), static_cast<long>(o.second.window), static_cast<long>(o.second.step));
      if (r.scalesUsed > 1)
        std::printf("coarser scales: %.2f s (%ld scales in all, lowest %.0f%% of each coarse band fused)\n",
                    r.coarseSeconds, static_cast<long>(r.scalesUsed), 100.0 * o.scaleCutoff);
    }
    std::printf("time %.2f s, %.1f kpx/s", r.seconds, kpx / r.seconds);
    if (estimated) std::printf("; %s estimated", describe(noise, false).c_str());
    if (!clean.pixels.empty())
      std::printf("; PSNR %.2f dB (noisy %.2f dB), SSIM %.4f (noisy %.4f)", vmfa::psnr(clean, r.image),
                  vmfa::psnr(clean, noisy), vmfa::ssim(clean, r.image), vmfa::ssim(clean, noisy));
    std::printf("\n");
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "vmfa-denoise: out of memory (the image is larger than this machine can hold)\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmfa-denoise: %s\n", e.what());
    return 1;
  }
  return 0;
}
