// Noise: the estimators of its level against synthetic noise of known level, Poisson–Gaussian noise
// and the generalised Anscombe transform against Monte Carlo means, and blind denoising.
#include "catch.hpp"
#include "support.hpp"

#include <vmfa/denoise.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace vmfa_test;
using vmfa::Image;
using vmfa::Index;

namespace {

/// A 160 × 160 picture with edges, a ramp, a disc and a fine oriented texture of varying contrast.
Image texturedPicture() {
  Image img(160, 160, 1);
  for (Index y = 0; y < img.height; ++y)
    for (Index x = 0; x < img.width; ++x) {
      double v = (x < 80) == (y < 80) ? 0.3 : 0.65;
      if ((x - 110) * (x - 110) + (y - 40) * (y - 40) < 400) v = 0.9;
      if (y >= 120) v = 0.1 + 0.005 * static_cast<double>(x);
      if (x < 60 && y >= 20 && y < 70) v += 0.1 * std::sin(0.7 * static_cast<double>(x) + 0.3 * static_cast<double>(y)) *
                                            (0.3 + 0.7 * std::sin(0.05 * static_cast<double>(y)) * std::sin(0.05 * static_cast<double>(y)));
      img.at(y, x) = static_cast<float>(v);
    }
  return img;
}

double mean(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

}  // namespace

TEST_CASE("the noise estimators recover white noise of known level on a flat image", "[noise]") {
  const Image flat(128, 128, 1, 0.5f);
  for (double sigma : {2.0 / 255, 10.0 / 255, 50.0 / 255}) {
    const Image noisy = vmfa::addNoise(flat, sigma, 3);
    for (auto e : {vmfa::NoiseEstimator::Kurtosis, vmfa::NoiseEstimator::WeakTexture, vmfa::NoiseEstimator::WaveletMad}) {
      INFO(vmfa::toString(e) << " at sigma " << sigma * 255);
      // the MAD of 64² Haar coefficients is the noisiest of the three: its own sampling error is ~1.5%
      CHECK(vmfa::estimateNoiseSigma(noisy, e) == Approx(sigma).epsilon(e == vmfa::NoiseEstimator::WaveletMad ? 0.05 : 0.02));
    }
  }
  // a noise-free image has none; the kurtosis fit stays within the noise
  CHECK(vmfa::estimateNoiseSigma(flat) == 0.0);
}

TEST_CASE("the kurtosis estimator holds on structure and texture, grey and colour", "[noise]") {
  const Image clean = texturedPicture();
  for (double sigma : {10.0 / 255, 25.0 / 255}) {
    const Image noisy = vmfa::addNoise(clean, sigma, 1);
    INFO("sigma " << sigma * 255);
    const double kurtosis = vmfa::estimateNoiseSigma(noisy);
    CHECK(kurtosis == Approx(sigma).epsilon(0.05));
    // the same image through the channels of a colour image: the same estimate within the pooling
    Image colour(clean.height, clean.width, 3);
    for (Index k = 0; k < 3; ++k) {
      const Image n = vmfa::addNoise(clean, sigma, static_cast<std::uint64_t>(10 + k));
      for (Index y = 0; y < clean.height; ++y)
        for (Index x = 0; x < clean.width; ++x) colour.at(y, x, k) = n.at(y, x);
    }
    CHECK(vmfa::estimateNoiseSigma(colour) == Approx(sigma).epsilon(0.05));
  }
}

TEST_CASE("noise estimates do not depend on the number of threads, and bad images are refused", "[noise][errors]") {
  const Image noisy = vmfa::addNoise(texturedPicture(), 0.05, 2);
  CHECK(vmfa::estimateNoiseSigma(noisy, vmfa::NoiseEstimator::Kurtosis, 1) ==
        vmfa::estimateNoiseSigma(noisy, vmfa::NoiseEstimator::Kurtosis, 2));
  CHECK(vmfa::estimateNoiseSigma(noisy, vmfa::NoiseEstimator::WeakTexture, 1) ==
        vmfa::estimateNoiseSigma(noisy, vmfa::NoiseEstimator::WeakTexture, 2));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto a = vmfa::estimatePoissonGaussian(noisy, {nan, nan}, 1), b = vmfa::estimatePoissonGaussian(noisy, {nan, nan}, 2);
  CHECK(a.gain == b.gain);
  CHECK(a.sigma == b.sigma);

  REQUIRE_THROWS_WITH(vmfa::estimateNoiseSigma(Image(6, 40, 1, 0.5f)),
                      Catch::Contains("vmfa::estimateNoiseSigma: the image (6 x 40) is smaller than the estimator's 8 x 8"));
  REQUIRE_THROWS_WITH(vmfa::estimateNoiseSigma(Image(16, 16, 2, 0.5f)),
                      Catch::Contains("vmfa::estimateNoiseSigma: images need 1 or 3 channels, got 2"));
  Image bad(16, 16, 1, 0.5f);
  bad.at(3, 4) = std::numeric_limits<float>::infinity();
  REQUIRE_THROWS_WITH(vmfa::estimateNoiseSigma(bad), Catch::Contains("pixel value 52 is inf, must be finite"));
  REQUIRE_THROWS_WITH(vmfa::estimatePoissonGaussian(noisy, {-1.0, nan}),
                      Catch::Contains("vmfa::estimatePoissonGaussian: gain = -1 and sigma = nan must be finite and >= 0"));
}

TEST_CASE("Poisson draws have the mean and variance of their rate, on both sides of the method switch", "[noise]") {
  for (double lambda : {0.0, 0.3, 4.0, 29.5, 30.5, 200.0, 1e4}) {
    vmfa::detail::Random rng(7, 1, static_cast<std::uint64_t>(lambda * 10));
    const int n = 40000;
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < n; ++i) {
      const double k = static_cast<double>(rng.poisson(lambda));
      s += k;
      s2 += k * k;
    }
    const double m = s / n, v = s2 / n - m * m;
    INFO("lambda " << lambda);
    CHECK(std::abs(m - lambda) <= 5.0 * std::sqrt(lambda / n) + 1e-12);
    CHECK(v == Approx(lambda).epsilon(0.05).margin(1e-12));
  }
}

TEST_CASE("Poisson-Gaussian noise: gain 0 is the white noise draw, and the variance is gain x + sigma^2", "[noise]") {
  const Image img = texturedPicture();
  const Image white = vmfa::addNoise(img, 0.03, 5), same = vmfa::addNoise(img, vmfa::NoiseParameters{0.0, 0.03}, 5);
  CHECK(white.pixels == same.pixels);
  for (double x : {0.05, 0.5}) {
    const Image flat(100, 100, 1, static_cast<float>(x));
    const vmfa::NoiseParameters noise{0.1, 0.02};
    const Image noisy = vmfa::addNoise(flat, noise, 9);
    double s = 0.0, s2 = 0.0;
    for (float v : noisy.pixels) s += v, s2 += static_cast<double>(v) * v;
    const double n = static_cast<double>(noisy.pixels.size()), m = s / n, var = s2 / n - m * m;
    INFO("x = " << x);
    CHECK(m == Approx(x).margin(4.0 * std::sqrt(0.1 * x / n)));
    CHECK(var == Approx(0.1 * x + 0.0004).epsilon(0.05));
    CHECK(vmfa::addNoise(flat, noise, 9, 1).pixels == vmfa::addNoise(flat, noise, 9, 2).pixels);
  }
  REQUIRE_THROWS_WITH(vmfa::addNoise(img, vmfa::NoiseParameters{-0.5, 0.0}, 1),
                      Catch::Contains("vmfa::addNoise: gain = -0.5 and sigma = 0 must be finite and >= 0"));
}

TEST_CASE("the generalised Anscombe transform: its expectation against Monte Carlo, the inverse against it", "[noise]") {
  for (const vmfa::NoiseParameters noise : {vmfa::NoiseParameters{0.2, 0.0}, vmfa::NoiseParameters{0.2, 0.05},
                                            vmfa::NoiseParameters{0.01, 0.01}}) {
    const vmfa::GeneralizedAnscombe gat(noise, 1.0);
    CHECK(gat.forward(1.0) == Approx(1.0));
    for (double x : {0.0, 0.02, 0.1, 0.3, 1.0}) {
      INFO("gain " << noise.gain << ", sigma " << noise.sigma << ", x " << x);
      const Image noisy = vmfa::addNoise(Image(200, 200, 1, static_cast<float>(x)), noise, 11);
      std::vector<double> f;
      for (float v : noisy.pixels) f.push_back(gat.forward(v));
      double m = mean(f), var = 0.0;
      for (double v : f) var += (v - m) * (v - m);
      var /= static_cast<double>(f.size());
      // E[f] computed by the transform against the sample mean of 40,000 transformed draws
      CHECK(gat.expectedForward(x) == Approx(m).margin(5.0 * std::sqrt(var / static_cast<double>(f.size()))));
      // the exact unbiased inverse undoes the expectation
      CHECK(gat.inverse(gat.expectedForward(x)) == Approx(x).margin(1e-4 * std::max(x, noise.gain)));
      // away from zero counts the transformed noise is close to white of noiseSigma()
      if (x / noise.gain >= 10.0) CHECK(std::sqrt(var) == Approx(gat.noiseSigma()).epsilon(0.05));
    }
    // beyond the table: the asymptotic inverse continues it
    CHECK(gat.inverse(gat.expectedForward(5.0)) == Approx(5.0).epsilon(1e-3));
  }
  REQUIRE_THROWS_WITH(vmfa::GeneralizedAnscombe(vmfa::NoiseParameters{0.0, 0.1}),
                      Catch::Contains("vmfa::GeneralizedAnscombe: gain = 0 (> 0)"));
}

TEMPLATE_TEST_CASE("Poisson-Gaussian denoising is unbiased on a flat patch at peak 5", "[noise][denoise]", float, double) {
  const double x = 0.3;
  const vmfa::NoiseParameters noise{1.0 / 5.0, 0.0};  // 1.5 photons on average
  const Image noisy = vmfa::addNoise(Image(96, 96, 1, static_cast<float>(x)), noise, 13);
  vmfa::DenoiseOptions o;
  o.fit.numComponents = 10;
  o.fit.latentDim = 3;
  o.neighbors = 5;
  o.fit.maxIterations = 10;
  o.scales = 1;
  const vmfa::DenoiseResult r = vmfa::denoise<TestType>(noisy, noise, o);
  double sum = 0.0;
  for (float v : r.image.pixels) sum += v;
  const double m = sum / static_cast<double>(r.image.pixels.size());
  CHECK(m == Approx(x).epsilon(0.005));
  // the algebraic inverse of the same transform is biased by far more than that
  const vmfa::GeneralizedAnscombe gat(noise, 1.0);
  const double d = gat.expectedForward(x) / gat.noiseSigma() / 2.0;
  CHECK(std::abs(noise.gain * (d * d - 0.375) - x) > 0.05 * x);
  CHECK(r.noise.gain == noise.gain);
  CHECK_FALSE(r.noiseEstimated);
}

TEST_CASE("the Poisson-Gaussian estimate recovers the gain of a smooth image and keeps given parameters", "[noise]") {
  Image ramp(256, 256, 1);
  for (Index y = 0; y < ramp.height; ++y)
    for (Index x = 0; x < ramp.width; ++x)
      ramp.at(y, x) = static_cast<float>(0.05 + 0.9 * static_cast<double>(x) / 255.0 +
                                         0.03 * std::sin(0.2 * static_cast<double>(y)));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double sigma : {0.0, 0.02}) {
    const Image noisy = vmfa::addNoise(ramp, vmfa::NoiseParameters{1.0 / 30.0, sigma}, 17);
    const vmfa::NoiseParameters e = vmfa::estimatePoissonGaussian(noisy, {nan, nan});
    INFO("sigma " << sigma << ": gain " << e.gain << ", sigma " << e.sigma);
    CHECK(e.gain == Approx(1.0 / 30.0).epsilon(0.1));
    CHECK(e.gain * 0.5 + e.sigma * e.sigma == Approx(0.5 / 30.0 + sigma * sigma).epsilon(0.1));
    const vmfa::NoiseParameters g = vmfa::estimatePoissonGaussian(noisy, {1.0 / 30.0, nan});
    CHECK(g.gain == 1.0 / 30.0);
    CHECK(g.sigma == Approx(sigma).margin(0.01));
  }
  // a colour image: the channels share the parameters, their bins are fitted together
  Image colour(ramp.height, ramp.width, 3);
  for (Index y = 0; y < ramp.height; ++y)
    for (Index x = 0; x < ramp.width; ++x)
      for (Index k = 0; k < 3; ++k) colour.at(y, x, k) = ramp.at(y, (x + 40 * k) % ramp.width);
  const vmfa::NoiseParameters c = vmfa::estimatePoissonGaussian(vmfa::addNoise(colour, vmfa::NoiseParameters{0.05, 0.0}, 3), {nan, nan});
  CHECK(c.gain == Approx(0.05).epsilon(0.1));
  // white noise only: no signal-dependent part worth the name
  const vmfa::NoiseParameters w = vmfa::estimatePoissonGaussian(vmfa::addNoise(ramp, 0.05, 3), {nan, nan});
  CHECK(w.gain * 0.5 < 0.2 * 0.05 * 0.05);
  CHECK(std::sqrt(w.gain * 0.5 + w.sigma * w.sigma) == Approx(0.05).epsilon(0.05));
}

TEMPLATE_TEST_CASE("blind denoising is denoising with the estimated sigma, bit for bit", "[noise][denoise]", float, double) {
  const Image clean = texturedPicture();
  const Image noisy = vmfa::addNoise(clean, 20.0 / 255, 4);
  vmfa::DenoiseOptions o;
  o.fit.numComponents = 20;
  o.fit.latentDim = 3;
  o.fit.maxIterations = 10;
  const vmfa::DenoiseResult blind = vmfa::denoise<TestType>(noisy, o);
  const double sigma = vmfa::estimateNoiseSigma(noisy);
  const vmfa::DenoiseResult told = vmfa::denoise<TestType>(noisy, sigma, o);
  CHECK(blind.image.pixels == told.image.pixels);
  CHECK(blind.noiseEstimated);
  CHECK_FALSE(told.noiseEstimated);
  CHECK(blind.noise.sigma == sigma);
  CHECK(blind.noise.gain == 0.0);
  CHECK(vmfa::psnr(clean, blind.image) > vmfa::psnr(clean, noisy) + 6.0);
  // the estimator is an option
  o.noiseEstimator = vmfa::NoiseEstimator::WaveletMad;
  CHECK(vmfa::denoise<TestType>(noisy, o).noise.sigma == vmfa::estimateNoiseSigma(noisy, vmfa::NoiseEstimator::WaveletMad));
  // an image without noise has nothing to remove
  REQUIRE_THROWS_WITH(vmfa::denoise<TestType>(Image(40, 40, 1, 0.5f), o),
                      Catch::Contains("vmfa::denoise: the estimated noise level is 0"));
}
