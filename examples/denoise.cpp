// vmfa-denoise: zero-shot denoising of one image with v-MFA (no training data).
//
//   vmfa-denoise IN OUT --sigma S [--add-noise [--seed N]] [--reference CLEAN] [--patch P]
//                [--components C] [--latent H] [--merge mean|median] [--estimator noise-aware|projection]
//                [--train-stride S] [--max-iter M] [--threads T] [--precision float|double]
//                [--side-by-side PNG] [--noisy-out FILE] [--quiet]
//
// IN and OUT are PNG or JPEG (8/16-bit grey or RGB) or float .npy arrays (H x W or H x W x 3, values
// in [0, 1]). S is the noise standard deviation on the 0-255 scale. With --add-noise, IN is taken as
// the clean image (and the reference), and white Gaussian noise of S from --seed is added first.
//
// Exit codes: 0 success, 1 runtime error (unreadable file, invalid image), 2 usage error.
#include "image.hpp"

#include <vmfa/denoise.hpp>
#include <vmfa/vmfa.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>

namespace {

const char* kUsage =
    "usage: vmfa-denoise IN OUT --sigma S [--add-noise [--seed N]] [--reference CLEAN] [--patch P]\n"
    "                    [--components C] [--latent H] [--merge mean|median] [--estimator noise-aware|projection]\n"
    "                    [--train-stride S] [--max-iter M] [--threads T] [--precision float|double]\n"
    "                    [--side-by-side PNG] [--noisy-out FILE] [--quiet]\n";

const char* kHelp =
    "Denoises IN (PNG/JPEG, 8/16-bit grey or RGB, or a float .npy H x W or H x W x 3 in [0, 1]) by fitting\n"
    "a mixture of factor analysers to its own overlapping patches, and writes OUT (.png, .jpg or .npy).\n"
    "  --sigma S           noise standard deviation on the 0-255 scale (required, > 0)\n"
    "  --add-noise         add white Gaussian noise of S to IN first (IN is then the clean reference)\n"
    "  --seed N            seed of the added noise and of the fit (default 5489)\n"
    "  --reference CLEAN   clean image: print PSNR and SSIM of the noisy and the denoised image\n"
    "  --patch P           patch size (default 8)\n"
    "  --components C      mixture components (default 100)\n"
    "  --latent H          latent dimension (default 6)\n"
    "  --merge M           mean (default) or median of the overlapping patch estimates\n"
    "  --estimator E       noise-aware (default, posterior mean for known sigma) or projection (paper)\n"
    "  --train-stride S    fit on the patches on a grid of step S, then assign all (default 2; 1 = all)\n"
    "  --max-iter M        fit iterations (default 25)\n"
    "  --noise-floor F     keep the fitted noise variances >= F sigma^2 (default 1; 0 disables)\n"
    "  --threads T         OpenMP threads (default: all cores); results do not depend on it\n"
    "  --precision P       float (default) or double\n"
    "  --side-by-side PNG  write clean | noisy | denoised (noisy | denoised without a reference)\n"
    "  --noisy-out FILE    also write the noisy input (useful with --add-noise; .npy keeps it unquantised)\n"
    "  --quiet             print only the summary line\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

long toInteger(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  errno = 0;
  const long x = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno) throw UsageError(flag + " needs an integer, got '" + v + "'");
  return x;
}

double toNumber(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || errno) throw UsageError(flag + " needs a number, got '" + v + "'");
  return x;
}

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

}  // namespace

int main(int argc, char** argv) {
  std::string in, out, reference, sideBySidePath, noisyOut, precision = "float";
  double sigma255 = std::numeric_limits<double>::quiet_NaN();
  bool addNoise = false, quiet = false;
  std::uint64_t seed = 5489;
  vmfa::DenoiseOptions o;
  try {
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw UsageError(a + " needs a value");
        return argv[++i];
      };
      if (a == "--help" || a == "-h") {
        std::printf("%s\n%s", kUsage, kHelp);
        return 0;
      } else if (a == "--sigma") sigma255 = toNumber(a, value());
      else if (a == "--add-noise") addNoise = true;
      else if (a == "--seed") seed = static_cast<std::uint64_t>(toInteger(a, value()));
      else if (a == "--reference") reference = value();
      else if (a == "--patch") o.patchSize = toInteger(a, value());
      else if (a == "--components") o.numComponents = toInteger(a, value());
      else if (a == "--latent") o.latentDim = toInteger(a, value());
      else if (a == "--train-stride") o.trainStride = toInteger(a, value());
      else if (a == "--max-iter") o.maxIterations = static_cast<int>(toInteger(a, value()));
      else if (a == "--noise-floor") o.noiseFloor = toNumber(a, value());
      else if (a == "--threads") o.numThreads = static_cast<int>(toInteger(a, value()));
      else if (a == "--side-by-side") sideBySidePath = value();
      else if (a == "--noisy-out") noisyOut = value();
      else if (a == "--quiet") quiet = true;
      else if (a == "--precision") {
        precision = value();
        if (precision != "float" && precision != "double") throw UsageError("--precision must be float or double");
      } else if (a == "--merge") {
        const std::string m = value();
        if (m == "mean") o.merge = vmfa::Merge::Mean;
        else if (m == "median") o.merge = vmfa::Merge::Median;
        else throw UsageError("--merge must be mean or median, got '" + m + "'");
      } else if (a == "--estimator") {
        const std::string e = value();
        if (e == "noise-aware") o.estimator = vmfa::Estimator::NoiseAware;
        else if (e == "projection") o.estimator = vmfa::Estimator::Projection;
        else throw UsageError("--estimator must be noise-aware or projection, got '" + e + "'");
      } else if (!a.empty() && a[0] == '-') throw UsageError("unknown option " + a);
      else positional.push_back(a);
    }
    if (positional.size() != 2) throw UsageError("expected IN and OUT");
    in = positional[0];
    out = positional[1];
    if (!(sigma255 > 0.0) || !std::isfinite(sigma255))
      throw UsageError("--sigma S (> 0, on the 0-255 scale) is required");
    if (o.numThreads < 0) throw UsageError("--threads must be >= 0");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "vmfa-denoise: %s\n%s", e.what(), kUsage);
    return 2;
  }

  try {
    const double sigma = sigma255 / 255.0;
    vmfa::Image input = vmfa_examples::loadImage(in);
    vmfa::Image clean;
    if (addNoise) clean = input;
    else if (!reference.empty()) clean = vmfa_examples::loadImage(reference);
    const vmfa::Image noisy = addNoise ? vmfa::addNoise(input, sigma, seed) : std::move(input);
    if (!clean.pixels.empty() && (clean.height != noisy.height || clean.width != noisy.width ||
                                  clean.channels != noisy.channels))
      throw std::runtime_error("the reference is " + std::to_string(clean.height) + " x " + std::to_string(clean.width) +
                               " x " + std::to_string(clean.channels) + ", the image " + std::to_string(noisy.height) +
                               " x " + std::to_string(noisy.width) + " x " + std::to_string(noisy.channels));
    if (!noisyOut.empty()) vmfa_examples::saveImage(noisyOut, noisy);
    o.seed = seed;
    if (!quiet) {
      std::printf("vmfa-denoise: %s, %ld x %ld x %ld, sigma %.4g/255; p = %ld, C = %ld, H = %ld, %s estimator, %s\n",
                  in.c_str(), static_cast<long>(noisy.height), static_cast<long>(noisy.width),
                  static_cast<long>(noisy.channels), sigma255, static_cast<long>(o.patchSize),
                  static_cast<long>(o.numComponents), static_cast<long>(o.latentDim),
                  o.estimator == vmfa::Estimator::NoiseAware ? "noise-aware" : "projection", precision.c_str());
      o.callback = vmfa::progressPrinter(std::cout);
    }
    const vmfa::DenoiseResult r =
        precision == "float" ? vmfa::denoise<float>(noisy, sigma, o) : vmfa::denoise<double>(noisy, sigma, o);
    vmfa_examples::saveImage(out, r.image);
    const double kpx = static_cast<double>(noisy.height * noisy.width) / 1000.0;
    if (!quiet)
      std::printf("fit %.2f s on %ld of %ld patches (%s, %d iterations), assign %.2f s, estimate %.2f s, merge %.2f s\n",
                  r.fitSeconds, static_cast<long>(r.numTrainingPatches), static_cast<long>(r.numPatches),
                  vmfa::toString(r.fit.status), r.fit.iterations, r.assignSeconds, r.estimateSeconds, r.mergeSeconds);
    std::printf("time %.2f s, %.1f kpx/s", r.seconds, kpx / r.seconds);
    if (!clean.pixels.empty())
      std::printf("; PSNR %.2f dB (noisy %.2f dB), SSIM %.4f (noisy %.4f)", vmfa::psnr(clean, r.image),
                  vmfa::psnr(clean, noisy), vmfa::ssim(clean, r.image), vmfa::ssim(clean, noisy));
    std::printf("\n");
    if (!sideBySidePath.empty()) {
      std::vector<const vmfa::Image*> parts;
      if (!clean.pixels.empty()) parts.push_back(&clean);
      parts.push_back(&noisy);
      parts.push_back(&r.image);
      vmfa_examples::saveImage(sideBySidePath, sideBySide(parts));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmfa-denoise: %s\n", e.what());
    return 1;
  }
  return 0;
}
