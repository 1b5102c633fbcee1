/// \file image.hpp
/// \brief Images as patch data: extraction of all overlapping p × p patches, merging of per-patch
/// estimates back into an image (per-pixel mean or median), white noise, and the PSNR and SSIM
/// quality metrics. The opponent colour transform and the DCT scales of multiscale denoising are
/// in denoise/colour.hpp and denoise/multiscale.hpp.
///
/// These are the building blocks of zero-shot denoising with v-MFA (docs/design.md, "Denoising").
/// Every parallel loop runs on `numThreads` threads (0: OpenMP's default).
#pragma once

#include "detail/parallel.hpp"
#include "detail/rng.hpp"
#include "errors.hpp"
#include "parameters.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace vmfa {

/// \brief A height × width image with `channels` interleaved channels (1 = grey, 3 = colour),
/// stored row by row as floats (typically in [0, 1]).
struct Image {
  Index height = 0, width = 0, channels = 1;
  std::vector<float> pixels;

  Image() = default;
  Image(Index h, Index w, Index c = 1, float value = 0.0f)
      : height(h), width(w), channels(c), pixels(static_cast<std::size_t>(h * w * c), value) {}

  float& at(Index y, Index x, Index c = 0) { return pixels[static_cast<std::size_t>((y * width + x) * channels + c)]; }
  float at(Index y, Index x, Index c = 0) const {
    return pixels[static_cast<std::size_t>((y * width + x) * channels + c)];
  }
  Index size() const { return height * width * channels; }
};

/// How overlapping patch estimates are combined into one pixel value.
enum class Merge {
  Mean,    ///< average of the estimates covering the pixel
  Median,  ///< median of the estimates covering the pixel (robust to outlying patches)
};

namespace detail {
inline void checkPatchSize(const char* where, Index height, Index width, Index channels, Index p) {
  require(channels == 1 || channels == 3, where, "images need 1 or 3 channels, got ", channels);
  require(p >= 1, where, "patch size p = ", p, " must be >= 1");
  require(p <= height && p <= width, where, "patch size p = ", p, " exceeds the image (", height, " x ", width, ")");
}
}  // namespace detail

/// \brief The p × p patches whose top-left corners lie on a grid of step `stride` starting at
/// (offset, offset), as columns of a (p·p·channels) × N matrix. With the defaults (stride 1, offset
/// 0) these are all overlapping patches, N = (height − p + 1)(width − p + 1), and column n is the
/// patch at (n / (width − p + 1), n % (width − p + 1)). Within a patch, row i, column j, channel k
/// is entry (i·p + j)·channels + k. \throws InvalidArgument if p, stride or offset is out of range
/// or channels is not 1 or 3.
template <typename Scalar = float>
inline Matrix<Scalar> extractPatches(const Image& img, Index p, Index stride = 1, Index offset = 0, int numThreads = 0) {
  const char* where = "vmfa::extractPatches";
  detail::checkPatchSize(where, img.height, img.width, img.channels, p);
  detail::require(stride >= 1, where, "stride ", stride, " must be >= 1");
  detail::require(offset >= 0 && offset + p <= std::min(img.height, img.width), where, "offset ", offset,
                  " leaves no patch in the image");
  const Index ny = (img.height - p - offset) / stride + 1, nx = (img.width - p - offset) / stride + 1, C = img.channels;
  Matrix<Scalar> X(p * p * C, ny * nx);
  [[maybe_unused]] const int nt = detail::resolveThreads(numThreads);
#pragma omp parallel for num_threads(nt) schedule(static)
  for (Index y = 0; y < ny; ++y)
    for (Index x = 0; x < nx; ++x) {
      Scalar* col = X.col(y * nx + x).data();
      const Index y0 = offset + y * stride, x0 = offset + x * stride;
      for (Index i = 0; i < p; ++i)
        for (Index j = 0; j < p; ++j)
          for (Index k = 0; k < C; ++k) col[(i * p + j) * C + k] = static_cast<Scalar>(img.at(y0 + i, x0 + j, k));
    }
  return X;
}

/// \brief Merges per-patch estimates (laid out as by extractPatches) into an image: every pixel
/// becomes the mean or the median of the estimates of the up to p² patches that cover it.
/// Merging the patches of an image returns that image exactly (both modes).
template <typename Derived>
inline Image mergePatches(const Eigen::MatrixBase<Derived>& patches, Index height, Index width, Index channels, Index p,
                          Merge mode = Merge::Median, int numThreads = 0) {
  const char* where = "vmfa::mergePatches";
  detail::checkPatchSize(where, height, width, channels, p);
  const Index ny = height - p + 1, nx = width - p + 1;
  detail::require(patches.rows() == p * p * channels && patches.cols() == ny * nx, where, "got ", patches.rows(), " x ",
                  patches.cols(), " estimates; a ", height, " x ", width, " image with ", channels,
                  " channels and p = ", p, " needs ", p * p * channels, " x ", ny * nx);
  Image out(height, width, channels);
  [[maybe_unused]] const int nt = detail::resolveThreads(numThreads);
  detail::ExceptionCapture regionErrors;
#pragma omp parallel num_threads(nt)
  {
    std::vector<double> values;
#pragma omp for schedule(static)
    for (Index y = 0; y < height; ++y)
      regionErrors.run([&] {
        for (Index x = 0; x < width; ++x)
          for (Index k = 0; k < channels; ++k) {
            values.clear();
            // patches with top-left (y − i, x − j) cover (y, x) at offset (i, j)
            for (Index i = std::max<Index>(0, y - ny + 1); i <= std::min(p - 1, y); ++i)
              for (Index j = std::max<Index>(0, x - nx + 1); j <= std::min(p - 1, x); ++j)
                values.push_back(static_cast<double>(patches((i * p + j) * channels + k, (y - i) * nx + (x - j))));
            double v;
            if (mode == Merge::Mean) {
              double s = 0.0;
              for (double e : values) s += e;
              v = s / static_cast<double>(values.size());
            } else {
              const std::size_t mid = values.size() / 2;
              std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
              v = values[mid];
              if (values.size() % 2 == 0) {
                const double below = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
                v = 0.5 * (v + below);
              }
            }
            out.at(y, x, k) = static_cast<float>(v);
          }
      });
  }
  regionErrors.rethrow();
  return out;
}

/// \brief The image plus white Gaussian noise of standard deviation `sigma` (same value scale),
/// not clipped. Row y draws from a random stream keyed by (seed, y), so the noise depends only on
/// the seed, not on the thread count. \throws InvalidArgument if σ is negative or not finite.
inline Image addNoise(const Image& clean, double sigma, std::uint64_t seed, int numThreads = 0) {
  detail::require(std::isfinite(sigma) && sigma >= 0.0, "vmfa::addNoise", "sigma = ", sigma, " must be finite and >= 0");
  Image out = clean;
  const Index row = clean.width * clean.channels;
  [[maybe_unused]] const int nt = detail::resolveThreads(numThreads);
#pragma omp parallel for num_threads(nt) schedule(static)
  for (Index y = 0; y < clean.height; ++y) {
    detail::Random rng(seed, detail::key(detail::Stream::ImageNoise), static_cast<std::uint64_t>(y));
    for (Index i = 0; i < row; ++i) {
      float& v = out.pixels[static_cast<std::size_t>(y * row + i)];
      v = static_cast<float>(static_cast<double>(v) + sigma * rng.normal());
    }
  }
  return out;
}

/// \brief Parameters of Poisson–Gaussian noise on the image's value scale: a pixel of clean value x
/// is observed as y = gain·k + n, k ~ Poisson(x/gain), n ~ N(0, sigma²), so that E[y] = x and
/// var(y) = gain·x + sigma². gain = 1/P for P photons at value 1; gain = 0 is white Gaussian noise.
struct NoiseParameters {
  double gain = 0.0;
  double sigma = 0.0;
};

/// \brief `clean` with Poisson–Gaussian noise of `noise` (negative clean values count as 0 photons).
/// The Gaussian part is the draw of `addNoise(clean, noise.sigma, seed)`, so gain = 0 gives that
/// image exactly. Deterministic for a seed, whatever the thread count.
/// \throws InvalidArgument unless gain and sigma are finite and >= 0, or on a non-finite pixel.
inline Image addNoise(const Image& clean, const NoiseParameters& noise, std::uint64_t seed, int numThreads = 0) {
  detail::require(std::isfinite(noise.gain) && noise.gain >= 0.0 && std::isfinite(noise.sigma) && noise.sigma >= 0.0,
                  "vmfa::addNoise", "gain = ", noise.gain, " and sigma = ", noise.sigma, " must be finite and >= 0");
  if (noise.gain == 0.0) return addNoise(clean, noise.sigma, seed, numThreads);
  for (std::size_t i = 0; i < clean.pixels.size(); ++i)
    detail::require(std::isfinite(clean.pixels[i]) && clean.pixels[i] / noise.gain <= 1e15, "vmfa::addNoise", "pixel value ",
                    i, " is ", clean.pixels[i], ": must be finite and at most 1e15 photons (gain = ", noise.gain, ")");
  Image out = clean;
  const Index row = clean.width * clean.channels;
  [[maybe_unused]] const int nt = detail::resolveThreads(numThreads);
#pragma omp parallel for num_threads(nt) schedule(static)
  for (Index y = 0; y < clean.height; ++y) {
    detail::Random gauss(seed, detail::key(detail::Stream::ImageNoise), static_cast<std::uint64_t>(y));
    detail::Random poisson(seed, detail::key(detail::Stream::ImagePoisson), static_cast<std::uint64_t>(y));
    for (Index i = 0; i < row; ++i) {
      float& v = out.pixels[static_cast<std::size_t>(y * row + i)];
      const double photons = static_cast<double>(poisson.poisson(std::max(static_cast<double>(v), 0.0) / noise.gain));
      v = static_cast<float>(noise.gain * photons + noise.sigma * gauss.normal());
    }
  }
  return out;
}

namespace detail {
inline void checkSameShape(const char* where, const Image& a, const Image& b) {
  require(a.height == b.height && a.width == b.width && a.channels == b.channels && a.size() > 0, where,
          "images differ in shape: ", a.height, " x ", a.width, " x ", a.channels, " vs ", b.height, " x ", b.width,
          " x ", b.channels);
}
}  // namespace detail

/// \brief Peak signal-to-noise ratio 10 log10(range² / MSE) in dB (+∞ for identical images).
inline double psnr(const Image& reference, const Image& test, double dataRange = 1.0) {
  detail::checkSameShape("vmfa::psnr", reference, test);
  detail::require(dataRange > 0.0, "vmfa::psnr", "data range ", dataRange, " must be > 0");
  double se = 0.0;
  for (std::size_t i = 0; i < reference.pixels.size(); ++i) {
    const double d = static_cast<double>(reference.pixels[i]) - static_cast<double>(test.pixels[i]);
    se += d * d;
  }
  const double mse = se / static_cast<double>(reference.pixels.size());
  return 10.0 * std::log10(dataRange * dataRange / mse);
}

/// \brief Structural similarity (Wang et al. 2004) with a Gaussian window of σ = 1.5 (11 × 11,
/// truncated at 3.5σ), K1 = 0.01, K2 = 0.03, population covariances, reflected borders, averaged
/// over the pixels at least 5 from the border and over the channels: the values of
/// scikit-image's `structural_similarity(..., gaussian_weights=True, sigma=1.5,
/// use_sample_covariance=False, data_range=range)`.
inline double ssim(const Image& reference, const Image& test, double dataRange = 1.0) {
  const char* where = "vmfa::ssim";
  detail::checkSameShape(where, reference, test);
  detail::require(dataRange > 0.0, where, "data range ", dataRange, " must be > 0");
  const int radius = 5;
  detail::require(reference.height > 2 * radius && reference.width > 2 * radius, where,
                  "images must be larger than 11 x 11, got ", reference.height, " x ", reference.width);
  std::vector<double> g(2 * radius + 1);
  double gs = 0.0;
  for (int i = -radius; i <= radius; ++i) gs += g[static_cast<std::size_t>(i + radius)] = std::exp(-0.5 * i * i / 2.25);
  for (double& v : g) v /= gs;
  const Index H = reference.height, W = reference.width;
  auto reflect = [](Index i, Index n) {  // scipy 'reflect': d c b a | a b c d | d c b a
    while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1;
    return i;
  };
  auto blur = [&](const Eigen::MatrixXd& a) {  // separable Gaussian filter
    Eigen::MatrixXd tmp(H, W), out(H, W);
    for (Index y = 0; y < H; ++y)
      for (Index x = 0; x < W; ++x) {
        double s = 0.0;
        for (int i = -radius; i <= radius; ++i) s += g[static_cast<std::size_t>(i + radius)] * a(y, reflect(x + i, W));
        tmp(y, x) = s;
      }
    for (Index y = 0; y < H; ++y)
      for (Index x = 0; x < W; ++x) {
        double s = 0.0;
        for (int i = -radius; i <= radius; ++i) s += g[static_cast<std::size_t>(i + radius)] * tmp(reflect(y + i, H), x);
        out(y, x) = s;
      }
    return out;
  };
  const double c1 = std::pow(0.01 * dataRange, 2), c2 = std::pow(0.03 * dataRange, 2);
  double total = 0.0;
  for (Index k = 0; k < reference.channels; ++k) {
    Eigen::MatrixXd a(H, W), b(H, W);
    for (Index y = 0; y < H; ++y)
      for (Index x = 0; x < W; ++x) {
        a(y, x) = reference.at(y, x, k);
        b(y, x) = test.at(y, x, k);
      }
    const Eigen::MatrixXd ma = blur(a), mb = blur(b);
    const Eigen::MatrixXd va = blur(a.cwiseProduct(a)) - ma.cwiseProduct(ma);
    const Eigen::MatrixXd vb = blur(b.cwiseProduct(b)) - mb.cwiseProduct(mb);
    const Eigen::MatrixXd cov = blur(a.cwiseProduct(b)) - ma.cwiseProduct(mb);
    double sum = 0.0;
    for (Index y = radius; y < H - radius; ++y)
      for (Index x = radius; x < W - radius; ++x)
        sum += ((2 * ma(y, x) * mb(y, x) + c1) * (2 * cov(y, x) + c2)) /
               ((ma(y, x) * ma(y, x) + mb(y, x) * mb(y, x) + c1) * (va(y, x) + vb(y, x) + c2));
    total += sum / static_cast<double>((H - 2 * radius) * (W - 2 * radius));
  }
  return total / static_cast<double>(reference.channels);
}

}  // namespace vmfa
