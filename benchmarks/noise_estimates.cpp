// The noise estimators against synthetic noise of known level on the bundled images: each
// estimator's estimate and relative error for white Gaussian noise of sigma in {5, 10, 15, 25, 50,
// 75} (0-255 scale), and its estimate on the clean image (sigma 0: what the image itself holds), and the Poisson-Gaussian estimate at peak 10 and 30 with Gaussian parts 0 and 2,
// the noise drawn with seed 1 as `vmfa-denoise --add-noise --seed 1` draws it.
//
//   vmfa_noise_estimates [--data DIR] [--threads T]
//
// The fourth column is the fitted model's own noise: the weighted mean noise variance of the
// denoiser's model (C = 100, H = 6, 25 iterations, Small loadings, on the patches on a grid of step 2)
// fitted without a noise floor.
// Prints Markdown tables (docs/denoising.md, "Blind denoising").
#include <vmfa/image_files.hpp>
#include <vmfa/vmfa.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  std::string data = VMFA_DATA_DIR;
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--data")) data = argv[i + 1];
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: vmfa_noise_estimates [--data DIR] [--threads T]\n");
      return 2;
    }
  }
  const char* images[] = {"camera", "grass", "gravel"};
  const vmfa::NoiseEstimator estimators[] = {vmfa::NoiseEstimator::Kurtosis, vmfa::NoiseEstimator::WeakTexture,
                                             vmfa::NoiseEstimator::WaveletMad};
  std::printf("| image | sigma | kurtosis | weak-texture | wavelet-mad | model noise |\n|---|---:|---:|---:|---:|---:|\n");
  // the denoiser's model of the noisy patches, without a floor: sqrt of its weighted mean noise variance
  const auto modelNoise = [&](const vmfa::Image& noisy) {
    vmfa::Options o = vmfa::denoiseFitOptions();
    o.numThreads = threads;
    o.minimumNoise = 0.0;
    vmfa::TruncatedEStep<float>::Options eo;
    vmfa::KlNeighborGraph::Options go;
    go.neighbors = 15;
    vmfa::Model<float> model(o, vmfa::TruncatedEStep<float>(eo, go));
    model.fit(vmfa::extractPatches<float>(noisy, 8, 2, 0, threads));
    const auto& p = model.parameters();
    double v = 0.0;
    for (vmfa::Index c = 0; c < p.numComponents(); ++c) v += p.weights(c) * p.noise.col(c).cast<double>().mean();
    return std::sqrt(v);
  };
  double seconds[3] = {0, 0, 0};
  int runs = 0;
  for (const char* name : images) {
    const vmfa::Image clean = vmfa::loadImage(data + "/" + name + ".png");
    for (double s : {0.0, 5.0, 10.0, 15.0, 25.0, 50.0, 75.0}) {
      const vmfa::Image noisy = s > 0.0 ? vmfa::addNoise(clean, s / 255.0, 1, threads) : clean;
      std::printf("| %s | %g |", name, s);
      for (int e = 0; e < 3; ++e) {
        const auto t = std::chrono::steady_clock::now();
        const double est = 255.0 * vmfa::estimateNoiseSigma(noisy, estimators[e], threads);
        seconds[e] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        if (s > 0.0) std::printf(" %.2f (%+.1f%%) |", est, 100.0 * (est / s - 1.0));
        else std::printf(" %.2f |", est);
      }
      const double m = 255.0 * modelNoise(noisy);
      if (s > 0.0) std::printf(" %.2f (%+.1f%%) |\n", m, 100.0 * (m / s - 1.0));
      else std::printf(" %.2f |\n", m);
      ++runs;
    }
  }
  std::printf("\nmean seconds per estimate: kurtosis %.3f, weak-texture %.3f, wavelet-mad %.3f\n\n", seconds[0] / runs,
              seconds[1] / runs, seconds[2] / runs);
  std::printf("| image | peak | sigma | estimated peak | estimated sigma | seconds |\n|---|---:|---:|---:|---:|---:|\n");
  for (const char* name : images) {
    const vmfa::Image clean = vmfa::loadImage(data + "/" + name + ".png");
    for (double peak : {10.0, 30.0})
      for (double s : {0.0, 2.0}) {
        const vmfa::Image noisy = vmfa::addNoise(clean, vmfa::NoiseParameters{1.0 / peak, s / 255.0}, 1, threads);
        const auto t = std::chrono::steady_clock::now();
        const vmfa::NoiseParameters est = vmfa::estimatePoissonGaussian(noisy, {std::nan(""), std::nan("")}, threads);
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        std::printf("| %s | %g | %g | %.2f (%+.1f%%) | %.2f | %.3f |\n", name, peak, s,
                    est.gain > 0 ? 1.0 / est.gain : INFINITY, est.gain > 0 ? 100.0 * (1.0 / est.gain / peak - 1.0) : INFINITY,
                    255.0 * est.sigma, sec);
      }
  }
  return 0;
}
