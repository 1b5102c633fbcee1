/// \file denoise/multiscale.hpp
/// \brief The scales of multiscale denoising: an image at half the resolution by its orthonormal 2-D
/// DCT (`downsampleDct`), and the lowest frequencies of a fine estimate taken from a coarse one
/// (`fuseLowFrequencies`). Products in blocks of fixed size: results do not depend on the thread
/// count.
#pragma once

#include "../detail/parallel.hpp"
#include "../errors.hpp"
#include "../image.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

namespace vmfa {

namespace detail {
/// The first m rows of the orthonormal DCT-II matrix of size n (m × n): row k is
/// √((k = 0 ? 1 : 2)/n)·cos(π(2i + 1)k/(2n)), the angle reduced exactly modulo 2π first.
inline Eigen::MatrixXd dctRows(Index n, Index m) {
  Eigen::MatrixXd rows(m, n);
  const double pi = 3.14159265358979323846;
  for (Index k = 0; k < m; ++k) {
    const double scale = std::sqrt((k == 0 ? 1.0 : 2.0) / static_cast<double>(n));
    for (Index i = 0; i < n; ++i)
      rows(k, i) = scale * std::cos(pi * static_cast<double>(((2 * i + 1) * k) % (4 * n)) / (2.0 * static_cast<double>(n)));
  }
  return rows;
}

/// A · B, computed in fixed blocks of 64 columns of B spread over the threads (each block one
/// single-threaded product), so the result does not depend on the thread count.
inline Eigen::MatrixXd productInBlocks(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, int numThreads) {
  Eigen::MatrixXd out(A.rows(), B.cols());
  constexpr Index kBlock = 64;
  const Index blocks = (B.cols() + kBlock - 1) / kBlock;
  [[maybe_unused]] const int nt = resolveThreads(numThreads);
  ExceptionCapture regionErrors;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (Index b = 0; b < blocks; ++b) {
    regionErrors.run([&] {
      const Index first = b * kBlock, len = std::min(kBlock, B.cols() - first);
      out.middleCols(first, len).noalias() = A * B.middleCols(first, len);
    });
  }
  regionErrors.rethrow();
  return out;
}

/// Channel `c` of `img` as a height × width matrix, in double.
inline Eigen::MatrixXd channelMatrix(const Image& img, Index c) {
  Eigen::MatrixXd m(img.height, img.width);
  for (Index y = 0; y < img.height; ++y)
    for (Index x = 0; x < img.width; ++x) m(y, x) = static_cast<double>(img.at(y, x, c));
  return m;
}
}  // namespace detail

/// \brief The factor √(h·w/(H·W)) by which `downsampleDct` scales an H × W image's coefficients
/// (h = ⌊H/2⌋, w = ⌊W/2⌋): 1/2 when both sides are even.
inline double downsampleScale(Index height, Index width) {
  return std::sqrt(static_cast<double>((height / 2) * (width / 2)) / static_cast<double>(height * width));
}

/// \brief `img` at half the resolution, h × w = ⌊height/2⌋ × ⌊width/2⌋, by its orthonormal 2-D DCT:
/// the lowest h × w coefficients of each channel, multiplied by s = `downsampleScale` and
/// transformed back at the smaller size. A constant image keeps its value, and white noise of
/// standard deviation σ becomes white noise of s·σ (σ/2 for even sides; the transforms are
/// orthonormal), so a coarse scale of a noisy image is a noisy image of known σ. The scale of
/// multiscale denoising (`DenoiseOptions::scales`).
/// Products in blocks: the result does not depend on the thread count. Cost O(H·W·(H + W)) for an
/// H × W image.
/// \throws InvalidArgument if the image is smaller than 2 × 2.
inline Image downsampleDct(const Image& img, int numThreads = 0) {
  const Index H = img.height, W = img.width, h = H / 2, w = W / 2;
  detail::require(h >= 1 && w >= 1, "vmfa::downsampleDct", "the image is ", H, " x ", W, ", smaller than 2 x 2");
  // DCT rows of the full size (the first h, w) and the whole DCTs of the coarse size
  const Eigen::MatrixXd fineRowsH = detail::dctRows(H, h), fineRowsW = detail::dctRows(W, w);
  const Eigen::MatrixXd coarseDctH = detail::dctRows(h, h), coarseDctW = detail::dctRows(w, w);
  const double scale = downsampleScale(H, W);
  Image out(h, w, img.channels);
  for (Index c = 0; c < img.channels; ++c) {
    // coefficients (h × w) = fineRowsH · X · fineRowsWᵀ; coarse = coarseDctHᵀ · coefficients · coarseDctW · s
    const Eigen::MatrixXd left = detail::productInBlocks(fineRowsH, detail::channelMatrix(img, c), numThreads);  // h × W
    const Eigen::MatrixXd coef = detail::productInBlocks(left, fineRowsW.transpose(), numThreads);              // h × w
    const Eigen::MatrixXd back = detail::productInBlocks(coarseDctH.transpose(), coef, numThreads);
    const Eigen::MatrixXd coarse = detail::productInBlocks(back, coarseDctW, numThreads);
    for (Index y = 0; y < h; ++y)
      for (Index x = 0; x < w; ++x) out.at(y, x, c) = static_cast<float>(scale * coarse(y, x));
  }
  return out;
}

/// \brief Replaces the lowest frequencies of `fine` by those of `coarse` (an estimate of
/// `downsampleDct(fine)`'s content): the 2-D DCT coefficients (k, l) with k < ⌊cutoff·h⌋ and
/// l < ⌊cutoff·w⌋ (h × w the coarse size) are taken from `coarse` (divided by `downsampleScale`,
/// the inverse of `downsampleDct`), all others kept. With coarse = downsampleDct(fine), `fine`
/// comes back unchanged (to rounding). Products in blocks: the result does not depend on the
/// thread count. Cost O(cutoff·H·W·(H + W)).
/// \throws InvalidArgument unless coarse is ⌊height/2⌋ × ⌊width/2⌋ with the same channels and
/// 0 <= cutoff <= 1.
inline Image fuseLowFrequencies(const Image& fine, const Image& coarse, double cutoff, int numThreads = 0) {
  const char* where = "vmfa::fuseLowFrequencies";
  const Index H = fine.height, W = fine.width, h = coarse.height, w = coarse.width;
  detail::require(h == H / 2 && w == W / 2 && h >= 1 && w >= 1 && coarse.channels == fine.channels, where,
                  "the coarse image is ", h, " x ", w, " x ", coarse.channels, ", not half of ", H, " x ", W, " x ",
                  fine.channels);
  detail::require(cutoff >= 0.0 && cutoff <= 1.0, where, "cutoff = ", cutoff, " must be in [0, 1]");
  const Index kh = static_cast<Index>(cutoff * static_cast<double>(h)), kw = static_cast<Index>(cutoff * static_cast<double>(w));
  Image out = fine;
  if (kh == 0 || kw == 0) return out;
  const Eigen::MatrixXd fineRowsH = detail::dctRows(H, kh), fineRowsW = detail::dctRows(W, kw);
  const Eigen::MatrixXd coarseRowsH = detail::dctRows(h, kh), coarseRowsW = detail::dctRows(w, kw);
  const double scale = downsampleScale(H, W);
  for (Index c = 0; c < fine.channels; ++c) {
    // the kh × kw low coefficients of both, and fine += fineRowsHᵀ · (coarse's / s − fine's) · fineRowsW
    const Eigen::MatrixXd f = detail::productInBlocks(
        detail::productInBlocks(fineRowsH, detail::channelMatrix(fine, c), numThreads), fineRowsW.transpose(), numThreads);
    const Eigen::MatrixXd g = detail::productInBlocks(
        detail::productInBlocks(coarseRowsH, detail::channelMatrix(coarse, c), numThreads), coarseRowsW.transpose(), numThreads);
    const Eigen::MatrixXd delta = g / scale - f;
    const Eigen::MatrixXd change =
        detail::productInBlocks(detail::productInBlocks(fineRowsH.transpose(), delta, numThreads), fineRowsW, numThreads);
    for (Index y = 0; y < H; ++y)
      for (Index x = 0; x < W; ++x)
        out.at(y, x, c) = static_cast<float>(static_cast<double>(fine.at(y, x, c)) + change(y, x));
  }
  return out;
}

}  // namespace vmfa
