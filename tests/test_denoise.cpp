// Zero-shot denoising: the per-component estimators and the second stage against dense formulas,
// colour and multiscale denoising, and end-to-end behaviour on small synthetic images.
#include "catch.hpp"
#include "support.hpp"

#include <vmfa/denoise.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>
#include <vector>

using namespace vmfa_test;
using vmfa::Image;
using vmfa::Index;

namespace {

/// A 40 × 40 image of flat blocks, a ramp and a disc: structure that patches can model.
Image syntheticImage(Index channels = 1) {
  Image img(40, 40, channels);
  for (Index y = 0; y < 40; ++y)
    for (Index x = 0; x < 40; ++x)
      for (Index k = 0; k < channels; ++k) {
        double v = (x < 20) == (y < 20) ? 0.25 : 0.7;
        if ((x - 28) * (x - 28) + (y - 12) * (y - 12) < 36) v = 0.95;
        if (y >= 30) v = 0.1 + 0.02 * static_cast<double>(x);
        img.at(y, x, k) = static_cast<float>(v - 0.05 * static_cast<double>(k));
      }
  return img;
}

vmfa::DenoiseOptions smallOptions() {
  vmfa::DenoiseOptions o;
  o.patchSize = 5;
  o.fit.numComponents = 10;
  o.fit.latentDim = 3;
  o.neighbors = 5;
  o.fit.maxIterations = 15;
  return o;
}

/// The second stage written plainly: the same groups (every window position, sorted by (distance,
/// index), the first k), the clean covariance S = B Bᵀ/(k − 1) as a dense D × D matrix, and
/// b̄ + (S + σ² I)⁻¹ S (y − b̄) by a dense solve, all in double.
Image referenceSecondStage(const Image& noisy, const Image& basic, double sigma, const vmfa::SecondStageOptions& o) {
  const Index p = o.patchSize, ch = noisy.channels, ny = noisy.height - p + 1, nx = noisy.width - p + 1, D = p * p * ch;
  const Index half = o.window / 2;
  std::vector<Index> ry, rx;
  for (Index y = 0; y < ny; y += o.step) ry.push_back(y);
  if (ry.back() != ny - 1) ry.push_back(ny - 1);
  for (Index x = 0; x < nx; x += o.step) rx.push_back(x);
  if (rx.back() != nx - 1) rx.push_back(nx - 1);
  const auto patch = [&](const Image& img, Index y, Index x) {
    Eigen::VectorXd v(D);
    for (Index i = 0; i < p; ++i)
      for (Index j = 0; j < p; ++j)
        for (Index c = 0; c < ch; ++c) v((i * p + j) * ch + c) = img.at(y + i, x + j, c);
    return v;
  };
  std::vector<double> sum(noisy.pixels.size(), 0.0);
  std::vector<int> count(static_cast<std::size_t>(noisy.height * noisy.width), 0);
  for (Index yr : ry)
    for (Index xr : rx) {
      std::vector<std::pair<float, Index>> cand;
      for (Index y = std::max<Index>(0, yr - half); y <= std::min(ny - 1, yr + half); ++y)
        for (Index x = std::max<Index>(0, xr - half); x <= std::min(nx - 1, xr + half); ++x) {
          float d = 0.0f;  // float, in the library's order, so that near-ties break alike
          for (Index i = 0; i < p; ++i)
            for (Index j = 0; j < p; ++j)
              for (Index c = 0; c < ch; ++c) {
                const float e = basic.at(yr + i, xr + j, c) - basic.at(y + i, x + j, c);
                d += e * e;
              }
          cand.emplace_back(d, y * nx + x);
        }
      std::sort(cand.begin(), cand.end());
      const Index k = std::min<Index>(o.similar, static_cast<Index>(cand.size()));
      Eigen::MatrixXd B(D, k), Y(D, k);
      for (Index j = 0; j < k; ++j) {
        const auto at = cand[static_cast<std::size_t>(j)].second;
        B.col(j) = patch(basic, at / nx, at % nx);
        Y.col(j) = patch(noisy, at / nx, at % nx);
      }
      const Eigen::VectorXd mean = B.rowwise().mean();
      const Eigen::MatrixXd centred = B.colwise() - mean;
      const Eigen::MatrixXd S = centred * centred.transpose() / static_cast<double>(k - 1);
      const Eigen::MatrixXd F = (S + sigma * sigma * Eigen::MatrixXd::Identity(D, D)).ldlt().solve(S);
      const Eigen::MatrixXd est = (F * (Y.colwise() - mean)).colwise() + mean;
      for (Index j = 0; j < k; ++j) {
        const auto at = cand[static_cast<std::size_t>(j)].second;
        const Index y = at / nx, x = at % nx;
        for (Index i = 0; i < p; ++i)
          for (Index jj = 0; jj < p; ++jj) {
            ++count[static_cast<std::size_t>((y + i) * noisy.width + x + jj)];
            for (Index c = 0; c < ch; ++c)
              sum[static_cast<std::size_t>(((y + i) * noisy.width + x + jj) * ch + c)] += est((i * p + jj) * ch + c, j);
          }
      }
    }
  Image out = basic;
  for (std::size_t v = 0; v < out.pixels.size(); ++v) {
    const int c = count[v / static_cast<std::size_t>(ch)];
    if (c > 0) out.pixels[v] = static_cast<float>(sum[v] / c);
  }
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("patch estimators match the dense Wiener filter and the projection", "[denoise]", float, double) {
  using S = TestType;
  const Index C = 3, D = 7, H = 2;
  auto p = randomMfa<S>(C, D, H, 11, 2.0);
  p.noise(0, 1) = static_cast<S>(0.01);  // below σ²: the noise-aware filter clamps it
  const vmfa::Matrix<S> X = sampleFrom(p, 20, 3);
  const double sigma = 0.2;
  // one component per point, probability 1
  vmfa::Responsibilities<S> resp;
  resp.index.resize(1, X.cols());
  resp.prob.setOnes(1, X.cols());
  for (Index n = 0; n < X.cols(); ++n) resp.index(0, n) = static_cast<std::int32_t>(n % C);

  const auto aware = vmfa::PatchEstimators<S>::make(p, vmfa::Estimator::NoiseAware, sigma);
  const auto proj = vmfa::PatchEstimators<S>::make(p, vmfa::Estimator::Projection, sigma);
  const vmfa::Matrix<S> ea = vmfa::estimatePatches(p, aware, X, resp, 2);
  const vmfa::Matrix<S> ep = vmfa::estimatePatches(p, proj, X, resp, 1);
  for (Index n = 0; n < X.cols(); ++n) {
    const Index c = n % C;
    const Eigen::MatrixXd L = p.loading(c).template cast<double>();
    const Eigen::VectorXd psi = p.noise.col(c).template cast<double>();
    const Eigen::VectorXd mu = p.means.col(c).template cast<double>(), x = X.col(n).template cast<double>();
    Eigen::MatrixXd Sigma = L * L.transpose();
    Sigma.diagonal() += psi.cwiseMax(sigma * sigma);
    const Eigen::VectorXd wiener = x - sigma * sigma * Sigma.inverse() * (x - mu);
    Eigen::MatrixXd Full = L * L.transpose();
    Full.diagonal() += psi;
    const Eigen::VectorXd ez = L.transpose() * Full.inverse() * (x - mu);  // E[z | x, c]
    const Eigen::VectorXd projection = mu + L * ez;
    CHECK(relDiff(ea.col(n), wiener) < 10 * tol<S>());
    CHECK(relDiff(ep.col(n), projection) < 10 * tol<S>());
  }

  // dense responsibilities: the estimate is the q-weighted sum of the per-component ones
  vmfa::Responsibilities<S> dense;
  dense.prob.setConstant(C, X.cols(), static_cast<S>(1.0 / C));
  vmfa::Matrix<S> sum = vmfa::Matrix<S>::Zero(D, X.cols());
  for (Index c = 0; c < C; ++c) {
    vmfa::Responsibilities<S> one;
    one.index.setConstant(1, X.cols(), static_cast<std::int32_t>(c));
    one.prob.setOnes(1, X.cols());
    sum += vmfa::estimatePatches(p, aware, X, one) / static_cast<S>(C);
  }
  CHECK(relDiff(vmfa::estimatePatches(p, aware, X, dense), sum) < 10 * tol<S>());

  CHECK_THROWS_WITH(vmfa::PatchEstimators<S>::make(p, vmfa::Estimator::NoiseAware, 0.0),
                    "vmfa::PatchEstimators::make: sigma = 0 must be finite and > 0");
  resp.index(0, 4) = 9;
  CHECK_THROWS_WITH(vmfa::estimatePatches(p, aware, X, resp), "vmfa::estimatePatches: component 9 of patch 4 is out of range");
}

TEMPLATE_TEST_CASE("a constant image denoises to itself", "[denoise]", float, double) {
  const Image flat(20, 24, 1, 0.4f);
  for (auto estimator : {vmfa::Estimator::NoiseAware, vmfa::Estimator::Projection}) {
    vmfa::DenoiseOptions o = smallOptions();
    o.estimator = estimator;
    const auto r = vmfa::denoise<TestType>(flat, 0.1, o);
    REQUIRE(r.image.height == 20);
    REQUIRE(r.image.width == 24);
    for (float v : r.image.pixels) REQUIRE(v == Approx(0.4).margin(1e-5));
  }
}

TEMPLATE_TEST_CASE("denoising a synthetic image beats the noisy input by a wide margin", "[denoise]", float, double) {
  const double sigma = 0.1;
  for (Index channels : {1, 3}) {
    const Image clean = syntheticImage(channels);
    const Image noisy = vmfa::addNoise(clean, sigma, 7);
    const double before = vmfa::psnr(clean, noisy);
    CHECK(before == Approx(20.0).margin(0.5));  // σ = 0.1 on a unit range: 20 dB
    vmfa::DenoiseOptions o = smallOptions();
    const auto aware = vmfa::denoise<TestType>(noisy, sigma, o);
    o.estimator = vmfa::Estimator::Projection;
    o.merge = vmfa::Merge::Median;
    const auto proj = vmfa::denoise<TestType>(noisy, sigma, o);
    INFO("channels " << channels << ": noisy " << before << " dB, noise-aware " << vmfa::psnr(clean, aware.image)
                     << " dB, projection " << vmfa::psnr(clean, proj.image) << " dB");
    // on this piecewise-constant image the projection (which removes everything outside the
    // components' subspaces) does better than the noise-aware filter; both gain over 6 dB
    CHECK(vmfa::psnr(clean, aware.image) > before + 6.0);
    CHECK(vmfa::psnr(clean, proj.image) > before + 6.0);
    CHECK(vmfa::ssim(clean, aware.image) > vmfa::ssim(clean, noisy) + 0.3);
    CHECK(aware.numPatches == 36 * 36);
    CHECK(aware.numTrainingPatches == 18 * 18);  // stride 2
    CHECK(aware.logJointEvaluations > 0);
  }
}

TEST_CASE("the opponent colour transform is orthonormal and maps grey to luminance", "[denoise][image]") {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double dot = 0.0;
      for (int k = 0; k < 3; ++k) dot += vmfa::kOpponent[i][k] * vmfa::kOpponent[j][k];
      CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-15));
    }
  Image img(2, 3, 3);
  const float values[18] = {0.5f, 0.5f, 0.5f, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2f, -0.3f, 2.0f, 0, 0, 0};
  std::copy(values, values + 18, img.pixels.begin());
  const Image o = vmfa::toOpponent(img);
  CHECK(o.at(0, 0, 0) == Approx(0.5 * std::sqrt(3.0)).epsilon(1e-7));  // grey: luminance only
  CHECK(o.at(0, 0, 1) == Approx(0.0).margin(1e-7));
  CHECK(o.at(0, 0, 2) == Approx(0.0).margin(1e-7));
  CHECK(o.at(0, 1, 1) == Approx(std::sqrt(0.5)).epsilon(1e-7));   // red: (R − B)/√2
  CHECK(o.at(0, 2, 2) == Approx(-std::sqrt(2.0 / 3.0)).epsilon(1e-7));  // green: (R − 2G + B)/√6
  const Image back = vmfa::toOpponent(o, true);
  for (std::size_t v = 0; v < img.pixels.size(); ++v) CHECK(back.pixels[v] == Approx(img.pixels[v]).margin(1e-6));
  CHECK_THROWS_WITH(vmfa::toOpponent(Image(2, 2, 1)), Catch::Contains("vmfa::toOpponent") && Catch::Contains("1 channels"));
}

TEMPLATE_TEST_CASE("colour images are denoised in the opponent space by default, which wins on correlated channels",
                   "[denoise]", float, double) {
  const double sigma = 0.1;
  const Image clean = syntheticImage(3);
  const Image noisy = vmfa::addNoise(clean, sigma, 7);
  vmfa::DenoiseOptions o = smallOptions();
  REQUIRE(o.colourSpace == vmfa::ColourSpace::Opponent);  // the default
  const auto opponent = vmfa::denoise<TestType>(noisy, sigma, o);
  o.colourSpace = vmfa::ColourSpace::Rgb;
  const auto rgb = vmfa::denoise<TestType>(noisy, sigma, o);
  // the default is exactly: rotate, denoise the channels as given, rotate back (both stages)
  const auto rotated = vmfa::denoise<TestType>(vmfa::toOpponent(noisy), sigma, o);
  CHECK(opponent.image.pixels == vmfa::toOpponent(rotated.image, true).pixels);
  CHECK(opponent.firstStage.pixels == vmfa::toOpponent(rotated.firstStage, true).pixels);
  CHECK(opponent.numPatches == rgb.numPatches);
  INFO("opponent " << vmfa::psnr(clean, opponent.image) << " dB, RGB " << vmfa::psnr(clean, rgb.image) << " dB");
  // the channels differ by constants: the chroma carries no structure, and the model shrinks it
  // (measured: 31.49 against 31.37 dB in float and double)
  CHECK(vmfa::psnr(clean, opponent.image) > vmfa::psnr(clean, rgb.image) + 0.05);
  // a grey image ignores the option
  const Image grey = vmfa::addNoise(syntheticImage(1), sigma, 7);
  const auto g1 = vmfa::denoise<TestType>(grey, sigma, o);
  o.colourSpace = vmfa::ColourSpace::Opponent;
  const auto g2 = vmfa::denoise<TestType>(grey, sigma, o);
  CHECK(g1.image.pixels == g2.image.pixels);
}

TEST_CASE("denoising is deterministic whatever the number of threads", "[denoise]") {
  const Image noisy = vmfa::addNoise(syntheticImage(), 0.1, 3);
  vmfa::DenoiseOptions o = smallOptions();
  o.fit.numThreads = 1;
  const auto one = vmfa::denoise<float>(noisy, 0.1, o);
  o.fit.numThreads = 2;
  const auto two = vmfa::denoise<float>(noisy, 0.1, o);
  CHECK(one.image.pixels == two.image.pixels);
  o.trainStride = 1;  // all patches, no assignment step
  const auto all = vmfa::denoise<float>(noisy, 0.1, o);
  CHECK(all.numTrainingPatches == all.numPatches);
  CHECK(all.assignSeconds == 0.0);
  CHECK(vmfa::psnr(syntheticImage(), all.image) > vmfa::psnr(syntheticImage(), noisy) + 6.0);
}

TEST_CASE("addNoise draws white noise of the given deviation from the seed", "[denoise][image]") {
  const Image zero(64, 64, 1, 0.0f);
  const Image a = vmfa::addNoise(zero, 0.5, 1), b = vmfa::addNoise(zero, 0.5, 1), c = vmfa::addNoise(zero, 0.5, 2);
  CHECK(a.pixels == b.pixels);
  CHECK(a.pixels != c.pixels);
  double s = 0.0, s2 = 0.0;
  for (float v : a.pixels) {
    s += v;
    s2 += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(a.pixels.size());
  CHECK(s / n == Approx(0.0).margin(0.03));
  CHECK(std::sqrt(s2 / n) == Approx(0.5).epsilon(0.03));
  CHECK_THROWS_WITH(vmfa::addNoise(zero, -1.0, 1), "vmfa::addNoise: sigma = -1 must be finite and >= 0");
}

TEST_CASE("bad denoising arguments give clear errors", "[denoise][errors]") {
  const Image img = syntheticImage();
  const auto o = smallOptions();
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.0, o), "vmfa::denoise: sigma = 0 must be finite and > 0");
  CHECK_THROWS_WITH(vmfa::denoise(img, -0.5, o), "vmfa::denoise: sigma = -0.5 must be finite and > 0");
  auto big = o;
  big.patchSize = 41;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, big), "vmfa::denoise: patch size p = 41 exceeds the image (40 x 40)");
  CHECK_THROWS_WITH(vmfa::denoise(Image(40, 40, 4), 0.1, o), "vmfa::denoise: images need 1 or 3 channels, got 4");
  auto many = o;
  many.fit.numComponents = 400;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, many),
                    "vmfa::denoise: fit.numComponents = 400 exceeds the 324 training patches (36 x 36 patches, trainStride 2)");
  auto warm = o;
  warm.fit.warmStart = true;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, warm), "vmfa::denoise: fit.warmStart must be false: the model is fitted afresh to the image");
  auto latent = o;
  latent.fit.latentDim = 25;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, latent), "vmfa::Model::fit: latentDim = 25 must satisfy 0 <= latentDim < D = 25");
  Image nan = img;
  nan.pixels[17] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(vmfa::denoise(nan, 0.1, o), "vmfa::denoise: pixel value 17 is nan, must be finite");
  auto stages = o;
  stages.stages = 3;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, stages), "vmfa::denoise: stages = 3 must be 1 or 2");
  auto second = o;
  second.second.patchSize = 41;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, second), "vmfa::denoise: patch size p = 41 exceeds the image (40 x 40)");
  second = o;
  second.second.similar = 1;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, second),
                    "vmfa::denoise: second stage: similar = 1 (>= 2), window = 21 (>= 1) and step = 6 (>= 1) are out of range");
  CHECK_THROWS_WITH(vmfa::detail::collaborativeWiener<float>(img, Image(40, 41, 1), 0.1, vmfa::SecondStageOptions(), 1),
                    "vmfa::denoise (second stage): the first estimate is 40 x 41 x 1, the image 40 x 40 x 1");
  auto scales = o;
  scales.scales = 0;
  scales.scales = -1;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, scales),
                    "vmfa::denoise: scales = -1 (>= 0) and minScaleSide = 64 (>= 1) are out of range");
  scales = o;
  scales.scaleCutoff = 1.5;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, scales), "vmfa::denoise: scaleCutoff = 1.5 must be in [0, 1]");
  scales = o;
  scales.coarseIterations = 0;
  CHECK_THROWS_WITH(vmfa::denoise(img, 0.1, scales), "vmfa::denoise: coarseIterations = 0 must be >= 1");
}

/// A smooth image with edges, large enough for one coarse scale (160 → 80 → 40 < 64).
Image multiscaleImage(Index channels = 1) {
  Image img(160, 160, channels);
  for (Index y = 0; y < 160; ++y)
    for (Index x = 0; x < 160; ++x)
      for (Index k = 0; k < channels; ++k) {
        double v = 0.5 + 0.3 * std::sin(0.05 * static_cast<double>(x)) * std::cos(0.035 * static_cast<double>(y));
        if ((x - 100) * (x - 100) + (y - 60) * (y - 60) < 900) v += 0.2;
        if (y > 120 && x < 70) v = 0.15;
        img.at(y, x, k) = static_cast<float>(v - 0.1 * static_cast<double>(k));
      }
  return img;
}

TEMPLATE_TEST_CASE("multiscale denoising: the fine scale's fit is unchanged, the coarse scale supplies the low frequencies",
                   "[denoise]", float, double) {
  const double sigma = 0.2;
  const Image clean = multiscaleImage();
  const Image noisy = vmfa::addNoise(clean, sigma, 11);
  vmfa::DenoiseOptions o = smallOptions();
  REQUIRE(o.scales == 0);  // the default: 3 scales for a grey image, 1 for a colour one
  const auto multi = vmfa::denoise<TestType>(noisy, sigma, o);
  CHECK(multi.scalesUsed == 2);  // 80 x 80 is used, 40 x 40 is below minScaleSide = 64
  const Image colour = vmfa::addNoise(multiscaleImage(3), sigma, 11);
  CHECK(vmfa::denoise<TestType>(colour, sigma, o).scalesUsed == 1);
  o.scales = 2;
  CHECK(vmfa::denoise<TestType>(colour, sigma, o).scalesUsed == 2);
  CHECK(multi.coarseSeconds > 0.0);
  o.scales = 1;
  const auto single = vmfa::denoise<TestType>(noisy, sigma, o);
  CHECK(single.scalesUsed == 1);
  CHECK(single.coarseSeconds == 0.0);
  // the full-resolution fit is the same; the coarse scale's evaluations are added
  CHECK(multi.fit.freeEnergy == single.fit.freeEnergy);
  CHECK(multi.logJointEvaluations > single.logJointEvaluations);
  // a scale too small for minScaleSide is skipped: exactly the one-scale result
  o.scales = 3;
  o.minScaleSide = 81;
  const auto skipped = vmfa::denoise<TestType>(noisy, sigma, o);
  CHECK(skipped.scalesUsed == 1);
  CHECK(skipped.image.pixels == single.image.pixels);
  // the result is the one-scale pipeline with both estimates' low frequencies from the coarse scale:
  // the coarse result, denoised at σ/2, is what fuseLowFrequencies put there
  o.minScaleSide = 64;
  o.scales = 2;
  const int fineIterations = o.fit.maxIterations;
  o.fit.maxIterations = std::min(o.fit.maxIterations, o.coarseIterations);  // 10 of 15: the coarse scale's fit
  const auto coarse = vmfa::denoise<TestType>(vmfa::downsampleDct(noisy), sigma / 2, o);  // even sides: σ/2
  o.fit.maxIterations = fineIterations;
  CHECK(coarse.scalesUsed == 1);
  const Image expected = vmfa::fuseLowFrequencies(
      vmfa::detail::collaborativeWiener<TestType>(noisy, multi.firstStage, sigma, o.second, 0), coarse.image, o.scaleCutoff);
  CHECK(multi.image.pixels == expected.pixels);
  INFO("one scale " << vmfa::psnr(clean, single.image) << " dB, two scales " << vmfa::psnr(clean, multi.image) << " dB");
  // the smooth background's low frequencies gain the most
  CHECK(vmfa::psnr(clean, multi.image) > vmfa::psnr(clean, single.image) + 0.3);
  // deterministic whatever the thread count
  o.scales = 3;
  o.fit.numThreads = 1;
  const auto one = vmfa::denoise<TestType>(noisy, sigma, o);
  o.fit.numThreads = 2;
  const auto two = vmfa::denoise<TestType>(noisy, sigma, o);
  CHECK(one.image.pixels == two.image.pixels);
  CHECK(one.image.pixels == multi.image.pixels);
}

/// The orthonormal 2-D DCT-II coefficient (k, l) of an h × w array, summed directly.
double directDct(const Image& img, Index k, Index l) {
  const double pi = 3.14159265358979323846, h = static_cast<double>(img.height), w = static_cast<double>(img.width);
  double s = 0.0;
  for (Index y = 0; y < img.height; ++y)
    for (Index x = 0; x < img.width; ++x)
      s += static_cast<double>(img.at(y, x)) * std::cos(pi * (2.0 * static_cast<double>(y) + 1.0) * static_cast<double>(k) / (2.0 * h)) *
           std::cos(pi * (2.0 * static_cast<double>(x) + 1.0) * static_cast<double>(l) / (2.0 * w));
  return s * std::sqrt((k == 0 ? 1.0 : 2.0) / h) * std::sqrt((l == 0 ? 1.0 : 2.0) / w);
}

TEST_CASE("downsampleDct and fuseLowFrequencies against direct DCT sums", "[denoise][image]") {
  // an odd-sized random image: the half-size image's DCT is the full one's low block, halved
  const Image img = vmfa::addNoise(Image(9, 14, 1, 0.3f), 0.2, 5);
  const Image small = vmfa::downsampleDct(img);
  REQUIRE(small.height == 4);
  REQUIRE(small.width == 7);
  const double s = vmfa::downsampleScale(9, 14);
  CHECK(s == Approx(std::sqrt(28.0 / 126.0)).epsilon(1e-15));
  CHECK(vmfa::downsampleScale(512, 300) == 0.5);
  for (Index k = 0; k < 4; ++k)
    for (Index l = 0; l < 7; ++l) CHECK(directDct(small, k, l) == Approx(directDct(img, k, l) * s).margin(1e-6));
  // a constant keeps its value (odd sides too); white noise of σ becomes white noise of σ/2
  for (float v : vmfa::downsampleDct(Image(33, 20, 3, 0.4f)).pixels) CHECK(v == Approx(0.4).margin(1e-6));
  const Image noise = vmfa::downsampleDct(vmfa::addNoise(Image(256, 256, 1, 0.0f), 0.2, 9));
  double s2 = 0.0;
  for (float v : noise.pixels) s2 += static_cast<double>(v) * v;
  CHECK(std::sqrt(s2 / static_cast<double>(noise.pixels.size())) == Approx(0.1).epsilon(0.02));
  // fusing: the low kh × kw coefficients come from 2·coarse's, all others stay
  const Image coarse = vmfa::addNoise(Image(4, 7, 1, 0.6f), 0.1, 6);
  const Image fused = vmfa::fuseLowFrequencies(img, coarse, 0.5);  // kh = 2, kw = 3
  for (Index k = 0; k < 9; ++k)
    for (Index l = 0; l < 14; ++l) {
      CAPTURE(k, l);
      const double expected = k < 2 && l < 3 ? directDct(coarse, k, l) / s : directDct(img, k, l);
      CHECK(directDct(fused, k, l) == Approx(expected).margin(1e-5));
    }
  // with its own downsampling as the coarse image nothing changes; cutoff 0 changes nothing at all
  for (double cutoff : {0.2, 1.0}) {
    const Image same = vmfa::fuseLowFrequencies(img, vmfa::downsampleDct(img), cutoff);
    for (std::size_t v = 0; v < img.pixels.size(); ++v) CHECK(same.pixels[v] == Approx(img.pixels[v]).margin(1e-5));
  }
  CHECK(vmfa::fuseLowFrequencies(img, coarse, 0.0).pixels == img.pixels);
  // channels are transformed one by one; the thread count does not change a bit
  const Image colour = vmfa::addNoise(Image(150, 230, 3, 0.5f), 0.2, 8);
  const Image c1 = vmfa::downsampleDct(colour, 1), c2 = vmfa::downsampleDct(colour, 2);
  CHECK(c1.pixels == c2.pixels);
  CHECK(vmfa::fuseLowFrequencies(colour, c1, 0.3, 1).pixels == vmfa::fuseLowFrequencies(colour, c1, 0.3, 2).pixels);
  CHECK_THROWS_WITH(vmfa::downsampleDct(Image(1, 5, 1)), "vmfa::downsampleDct: the image is 1 x 5, smaller than 2 x 2");
  CHECK_THROWS_WITH(vmfa::fuseLowFrequencies(img, Image(4, 6, 1), 0.2),
                    "vmfa::fuseLowFrequencies: the coarse image is 4 x 6 x 1, not half of 9 x 14 x 1");
  CHECK_THROWS_WITH(vmfa::fuseLowFrequencies(img, coarse, 1.5), "vmfa::fuseLowFrequencies: cutoff = 1.5 must be in [0, 1]");
}

TEMPLATE_TEST_CASE("the second stage matches a dense collaborative Wiener filter", "[denoise]", float, double) {
  const double sigma = 0.1;
  for (Index channels : {1, 3}) {
    const Image clean = syntheticImage(channels);
    const Image noisy = vmfa::addNoise(clean, sigma, 11);
    const Image basic = vmfa::addNoise(clean, 0.03, 12);  // any first estimate will do
    vmfa::SecondStageOptions o;
    o.patchSize = 4;
    o.similar = 7;
    o.window = 5;  // 3 x 3 candidates in the corners: fewer than k
    o.step = 3;    // 37 patch positions: the last row and column are added to the grid
    const Image expected = referenceSecondStage(noisy, basic, sigma, o);
    for (int threads : {1, 2}) {
      const Image got = vmfa::detail::collaborativeWiener<TestType>(noisy, basic, sigma, o, threads);
      REQUIRE(got.pixels.size() == expected.pixels.size());
      double worst = 0.0;
      for (std::size_t v = 0; v < got.pixels.size(); ++v)
        worst = std::max(worst, std::abs(static_cast<double>(got.pixels[v]) - static_cast<double>(expected.pixels[v])));
      INFO("channels " << channels << ", threads " << threads << ": largest difference " << worst);
      CHECK(worst < (std::is_same<TestType, float>::value ? 2e-5 : 1e-6));
    }
    CHECK(vmfa::psnr(clean, expected) > vmfa::psnr(clean, noisy) + 3.0);  // and it denoises
  }
}

TEMPLATE_TEST_CASE("the second stage improves on the first, which is the one-stage result", "[denoise]", float,
                   double) {
  const double sigma = 0.1;
  for (Index channels : {1, 3}) {
    const Image clean = syntheticImage(channels);
    const Image noisy = vmfa::addNoise(clean, sigma, 7);
    vmfa::DenoiseOptions o = smallOptions();
    REQUIRE(o.stages == 2);  // the default
    const auto two = vmfa::denoise<TestType>(noisy, sigma, o);
    o.stages = 1;
    const auto one = vmfa::denoise<TestType>(noisy, sigma, o);
    CHECK(one.firstStage.pixels.empty());
    CHECK(one.secondStageSeconds == 0.0);
    CHECK(two.firstStage.pixels == one.image.pixels);
    CHECK(two.secondStageSeconds > 0.0);
    INFO("channels " << channels << ": stage 1 " << vmfa::psnr(clean, one.image) << " dB, stage 2 "
                     << vmfa::psnr(clean, two.image) << " dB");
    CHECK(vmfa::psnr(clean, two.image) > vmfa::psnr(clean, one.image) + 0.3);
  }
}

TEST_CASE("the second stage's fixed-point sums hold at any pixel scale, and a non-finite first estimate is kept",
          "[denoise][errors]") {
  const Image clean = syntheticImage();
  const Image noisy = vmfa::addNoise(clean, 0.1, 11), basic = vmfa::addNoise(clean, 0.03, 12);
  vmfa::SecondStageOptions o;
  o.patchSize = 4;
  o.similar = 7;
  o.window = 5;
  o.step = 3;
  const Image unit = vmfa::detail::collaborativeWiener<double>(noisy, basic, 0.1, o, 2);
  const double scale = 1e15;  // 2^32 per unit would overflow 64-bit sums by far
  Image bigNoisy = noisy, bigBasic = basic;
  for (float& v : bigNoisy.pixels) v = static_cast<float>(v * scale);
  for (float& v : bigBasic.pixels) v = static_cast<float>(v * scale);
  const Image big = vmfa::detail::collaborativeWiener<double>(bigNoisy, bigBasic, 0.1 * scale, o, 2);
  double worst = 0.0;
  for (std::size_t v = 0; v < big.pixels.size(); ++v)
    worst = std::max(worst, std::abs(static_cast<double>(big.pixels[v]) / scale - static_cast<double>(unit.pixels[v])));
  CHECK(worst < 1e-5);
  Image broken = basic;
  broken.pixels[5] = std::numeric_limits<float>::infinity();
  const Image kept = vmfa::detail::collaborativeWiener<float>(noisy, broken, 0.1, o, 1);
  CHECK(kept.pixels[5] == std::numeric_limits<float>::infinity());
  CHECK(kept.pixels[6] == broken.pixels[6]);
}

TEMPLATE_TEST_CASE("patch estimates index past 2^31 (k * chunk + j) for dense responsibilities of C > 524,287",
                   "[denoise]", float, double) {
  using S = TestType;
  const Index C = 600000, D = 2, H = 1, N = 3;
  auto p = randomMfa<S>(C, D, H, 81, 1.0);
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(1, D, H, 82, 1.0), N, 83);
  const auto est = vmfa::PatchEstimators<S>::make(p, vmfa::Estimator::Projection, 1.0, 1);
  vmfa::Responsibilities<S> dense;
  dense.prob = vmfa::Matrix<S>::Zero(C, N);
  dense.prob.row(C - 1).setOnes();  // all mass on the last component: item (C − 1)·4096 + j
  vmfa::Responsibilities<S> one;
  one.index = vmfa::IndexMatrix::Constant(1, N, static_cast<std::int32_t>(C - 1));
  one.prob = vmfa::Matrix<S>::Ones(1, N);
  const vmfa::Matrix<S> a = vmfa::estimatePatches(p, est, X, dense, 1);
  const vmfa::Matrix<S> b = vmfa::estimatePatches(p, est, X, one, 1);
  CHECK(a.allFinite());
  CHECK((a.array() == b.array()).all());
}

