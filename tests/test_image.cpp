// Image patches, merging and quality metrics (the building blocks of zero-shot denoising).
#include "catch.hpp"
#include "support.hpp"

#include <vmfa/image.hpp>

using vmfa::Image;
using vmfa::Index;

namespace {

Image randomImage(Index h, Index w, Index c, std::uint64_t seed) {
  vmfa::detail::Random rng(seed);
  Image img(h, w, c);
  for (float& v : img.pixels) v = static_cast<float>(rng.uniform());
  return img;
}

}  // namespace

TEMPLATE_TEST_CASE("patch extraction and merging invert each other exactly", "[image]", float, double) {
  using S = TestType;
  for (Index channels : {1, 3}) {
    const Image img = randomImage(13, 17, channels, 3 + static_cast<std::uint64_t>(channels));
    for (Index p : {1, 4, 8, 13}) {
      CAPTURE(channels, p);
      const vmfa::Matrix<S> X = vmfa::extractPatches<S>(img, p);
      CHECK(X.rows() == p * p * channels);
      CHECK(X.cols() == (13 - p + 1) * (17 - p + 1));
      // patch at top-left (2, 3), row 1, column 0, last channel
      if (p >= 2 && p <= 11) CHECK(X((1 * p + 0) * channels + channels - 1, 2 * (17 - p + 1) + 3) == static_cast<S>(img.at(3, 3, channels - 1)));
      for (auto mode : {vmfa::Merge::Mean, vmfa::Merge::Median}) {
        const Image back = vmfa::mergePatches(X, 13, 17, channels, p, mode);
        CHECK(back.pixels == img.pixels);
      }
    }
  }
}

TEST_CASE("patches on a grid with a stride and an offset", "[image]") {
  const Image img = randomImage(20, 15, 1, 2);
  const Eigen::MatrixXf X = vmfa::extractPatches(img, 4, 3, 1);  // corners 1, 4, 7, ... up to 16 (rows), 10 (cols)
  REQUIRE(X.cols() == 6 * 4);
  for (Index i = 0; i < 4; ++i)
    for (Index j = 0; j < 4; ++j) CHECK(X(i * 4 + j, 1 * 4 + 2) == img.at(1 + 3 + i, 1 + 6 + j));
  CHECK_THROWS_WITH(vmfa::extractPatches(img, 4, 0), "vmfa::extractPatches: stride 0 must be >= 1");
  CHECK_THROWS_WITH(vmfa::extractPatches(img, 4, 1, 12), "vmfa::extractPatches: offset 12 leaves no patch in the image");
}

TEST_CASE("merging takes the mean or the median of the covering estimates", "[image]") {
  // 3 x 3 image, p = 2: the centre pixel is covered by all 4 patches at 4 different offsets
  Eigen::MatrixXf est = Eigen::MatrixXf::Zero(4, 4);
  est(3, 0) = 1.0f;   // patch (0,0), offset (1,1)
  est(2, 1) = 2.0f;   // patch (0,1), offset (1,0)
  est(1, 2) = 4.0f;   // patch (1,0), offset (0,1)
  est(0, 3) = 10.0f;  // patch (1,1), offset (0,0)
  est(3, 3) = 7.0f;   // patch (1,1), offset (1,1): the bottom-right corner, covered by no other patch
  CHECK(vmfa::mergePatches(est, 3, 3, 1, 2, vmfa::Merge::Mean).at(1, 1) == Approx(17.0 / 4));
  CHECK(vmfa::mergePatches(est, 3, 3, 1, 2, vmfa::Merge::Median).at(1, 1) == Approx(3.0));  // (2 + 4) / 2
  // corners are covered by one patch each
  CHECK(vmfa::mergePatches(est, 3, 3, 1, 2, vmfa::Merge::Median).at(2, 2) == Approx(7.0));
}

TEST_CASE("PSNR and SSIM agree with hand-computed values", "[image]") {
  Image a(16, 16, 1, 0.0f), b = a;
  b.at(3, 4) = 0.1f;  // MSE = 0.01 / 256
  CHECK(vmfa::psnr(a, b) == Approx(10 * std::log10(256 / 0.01)));
  CHECK(vmfa::psnr(a, b, 255.0) == Approx(10 * std::log10(255.0 * 255.0 * 256 / 0.01)));
  CHECK(std::isinf(vmfa::psnr(a, a)));
  // constant images: variances vanish and SSIM = (2 μa μb + C1) / (μa² + μb² + C1)
  const Image c(16, 16, 1, 0.2f), d(16, 16, 1, 0.6f);
  const double c1 = 1e-4;
  CHECK(vmfa::ssim(c, d) == Approx((2 * 0.2 * 0.6 + c1) / (0.04 + 0.36 + c1)).epsilon(1e-6));
  const Image r = randomImage(20, 24, 3, 5);
  CHECK(vmfa::ssim(r, r) == Approx(1.0).epsilon(1e-12));
  // against a direct computation: 11 x 11 Gaussian window at one interior pixel per channel
  Image noisy = r;
  vmfa::detail::Random rng(8);
  for (float& v : noisy.pixels) v += static_cast<float>(0.1 * rng.normal());
  double g[11], gs = 0;
  for (int i = 0; i < 11; ++i) gs += g[i] = std::exp(-0.5 * (i - 5) * (i - 5) / 2.25);
  double expected = 0.0;
  for (Index k = 0; k < 3; ++k) {
    double sum = 0.0;
    for (Index y = 5; y < 15; ++y)
      for (Index x = 5; x < 19; ++x) {
        double ma = 0, mb = 0, aa = 0, bb = 0, ab = 0;
        for (int i = 0; i < 11; ++i)
          for (int j = 0; j < 11; ++j) {
            const double w = g[i] * g[j] / (gs * gs), p = r.at(y + i - 5, x + j - 5, k), q = noisy.at(y + i - 5, x + j - 5, k);
            ma += w * p;
            mb += w * q;
            aa += w * p * p;
            bb += w * q * q;
            ab += w * p * q;
          }
        const double va = aa - ma * ma, vb = bb - mb * mb, cov = ab - ma * mb, c2 = 9e-4;
        sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      }
    expected += sum / (10.0 * 14.0);
  }
  CHECK(vmfa::ssim(r, noisy) == Approx(expected / 3).epsilon(1e-9));
  CHECK(vmfa::ssim(r, noisy) < 0.99);
}

TEST_CASE("bad image arguments give clear errors", "[image][errors]") {
  const Image img(8, 10, 1);
  CHECK_THROWS_WITH(vmfa::extractPatches(img, 9), "vmfa::extractPatches: patch size p = 9 exceeds the image (8 x 10)");
  CHECK_THROWS_WITH(vmfa::extractPatches(img, 0), "vmfa::extractPatches: patch size p = 0 must be >= 1");
  CHECK_THROWS_WITH(vmfa::extractPatches(Image(8, 8, 4), 2), "vmfa::extractPatches: images need 1 or 3 channels, got 4");
  CHECK_THROWS_WITH(vmfa::mergePatches(Eigen::MatrixXf::Zero(4, 5), 8, 10, 1, 2),
                    "vmfa::mergePatches: got 4 x 5 estimates; a 8 x 10 image with 1 channels and p = 2 needs 4 x 63");
  CHECK_THROWS_WITH(vmfa::psnr(img, Image(8, 9, 1)), "vmfa::psnr: images differ in shape: 8 x 10 x 1 vs 8 x 9 x 1");
  CHECK_THROWS_WITH(vmfa::ssim(Image(8, 8, 1), Image(8, 8, 1)), "vmfa::ssim: images must be larger than 11 x 11, got 8 x 8");
}
