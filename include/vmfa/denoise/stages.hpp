/// \file denoise/stages.hpp
/// \brief The stages of `denoise`: the fit to the patches and their assignment (first stage), and
/// the collaborative Wiener filter (second stage).
#pragma once

#include "../detail/parallel.hpp"
#include "../errors.hpp"
#include "../image.hpp"
#include "../model.hpp"
#include "options.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace vmfa {
namespace detail {
/// Fits `model` to the patches of X (all ny × nx of them, or those on a grid of step `stride`)
/// and returns the truncated responsibilities of every patch; times and counts go to `r`.
template <typename Scalar>
Responsibilities<Scalar> fitAndAssign(Model<Scalar>& model, const Matrix<Scalar>& X, Index ny, Index nx,
                                            Index stride, DenoiseResult& r) {
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  auto t = Clock::now();
  if (stride == 1) {
    r.fit = model.fit(X);
    r.numTrainingPatches = X.cols();
    r.fitSeconds = seconds(t);
    r.logJointEvaluations = r.fit.logJointEvaluations;
    return model.fittedResponsibilities();
  }
  const Index gy = (ny - 1) / stride + 1, gx = (nx - 1) / stride + 1;
  Matrix<Scalar> train(X.rows(), gy * gx);
  for (Index i = 0; i < gy; ++i)
    for (Index j = 0; j < gx; ++j) train.col(i * gx + j) = X.col(i * stride * nx + j * stride);
  r.numTrainingPatches = train.cols();
  r.fit = model.fit(train);
  r.fitSeconds = seconds(t);
  t = Clock::now();
  // every patch starts from the active components of the nearest training patch
  const IndexMatrix& trained = model.fittedResponsibilities().index;
  IndexMatrix initial(trained.rows(), X.cols());
  const auto nearest = [&](Index v, Index last) { return std::min((v + stride / 2) / stride, last); };
  for (Index y = 0; y < ny; ++y)
    for (Index x = 0; x < nx; ++x) initial.col(y * nx + x) = trained.col(nearest(y, gy - 1) * gx + nearest(x, gx - 1));
  std::uint64_t evaluations = 0;
  Responsibilities<Scalar> resp = model.searchResponsibilities(X, initial, 1, &evaluations);
  r.logJointEvaluations = r.fit.logJointEvaluations + evaluations;
  r.assignSeconds = seconds(t);
  return resp;
}
/// \throws InvalidArgument if the second stage's options do not fit `img` (shared by `denoise`, which
/// checks before the fit, and `collaborativeWiener`).
inline void checkSecondStage(const char* where, const Image& img, const SecondStageOptions& o) {
  checkPatchSize(where, img.height, img.width, img.channels, o.patchSize);
  require(o.similar >= 2 && o.window >= 1 && o.step >= 1, where, "second stage: similar = ", o.similar,
          " (>= 2), window = ", o.window, " (>= 1) and step = ", o.step, " (>= 1) are out of range");
}

/// \brief The second stage of `denoise`: collaborative Wiener filtering of `noisy` with statistics
/// from the first estimate `basic` (after the second step of NL-Bayes, Lebrun, Buades and Morel
/// 2013). For each reference patch (on a grid of step o.step, plus the last row and column), the
/// o.similar patches nearest to it in `basic` within the search window form a group (ties: the
/// lower patch index). With b̄ the mean of the group's first-stage patches and B (D × k) their
/// deviations from it, the group's clean covariance is S = B Bᵀ/(k − 1), and every noisy patch y of
/// the group is estimated as b̄ + S (S + σ² I)⁻¹ (y − b̄) = b̄ + B (BᵀB + (k − 1)σ² I)⁻¹ Bᵀ (y − b̄),
/// the right-hand form costing O(k²·D + k³) instead of O(D³). (Centring on the noisy patches' own
/// mean, as NL-Bayes does, was worse: docs/benchmarks.md, "Denoising".) Every estimate of a pixel is averaged; sums are kept in 64-bit fixed point (2⁻³²
/// per unit, coarser for pixel values so large that the sums could overflow) per thread, so the
/// result does not depend on the number of threads. Pixels that no group covers keep `basic`'s
/// value; a `basic` with a non-finite value is returned as it is. Cost O(R·(w²·D + k²·D + k³)) for R reference patches.
/// \throws InvalidArgument if the images differ in shape or an option is out of range.
template <typename Scalar>
Image collaborativeWiener(const Image& noisy, const Image& basic, double sigma, const SecondStageOptions& o,
                          int numThreads) {
  const char* where = "vmfa::denoise (second stage)";
  require(noisy.height == basic.height && noisy.width == basic.width && noisy.channels == basic.channels, where,
          "the first estimate is ", basic.height, " x ", basic.width, " x ", basic.channels, ", the image ", noisy.height,
          " x ", noisy.width, " x ", noisy.channels);
  checkSecondStage(where, noisy, o);
  const Index p = o.patchSize, ch = noisy.channels, W = noisy.width, row = p * ch, D = p * row;
  const Index ny = noisy.height - p + 1, nx = W - p + 1, half = o.window / 2;
  std::vector<Index> ry, rx;
  for (Index y = 0; y < ny; y += o.step) ry.push_back(y);
  if (ry.back() != ny - 1) ry.push_back(ny - 1);
  for (Index x = 0; x < nx; x += o.step) rx.push_back(x);
  if (rx.back() != nx - 1) rx.push_back(nx - 1);
  const Index numRefs = static_cast<Index>(ry.size() * rx.size());
  const Scalar reg = static_cast<Scalar>(sigma * sigma);
  double largest = 1.0;  // the largest |pixel| (noisy values are finite: denoise checks them)
  for (const Image* img : {&noisy, &basic})
    for (float v : img->pixels) {
      if (!std::isfinite(v)) return basic;  // a first estimate that is not finite: nothing to refine from
      largest = std::max(largest, std::abs(static_cast<double>(v)));
    }
  // Fixed point of 2^-32 per unit, coarser only if the sums could overflow: an estimate lies within
  // largest·(1 + 2√D) (the filter's eigenvalues are in [0, 1)), and a pixel collects at most numRefs·k of them.
  const double bound = largest * (1.0 + 2.0 * std::sqrt(static_cast<double>(D))) * static_cast<double>(numRefs) *
                       static_cast<double>(o.similar);
  const double kFixed = std::min(4294967296.0, std::ldexp(1.0, 61 - std::ilogb(bound)));
  const int nt = resolveThreads(numThreads);
  std::vector<std::vector<std::int64_t>> sums(static_cast<std::size_t>(nt));
  std::vector<std::vector<std::int64_t>> counts(static_cast<std::size_t>(nt));
  ExceptionCapture capture;
#pragma omp parallel num_threads(nt)
  {
    const int t = threadIndex();
    capture.run([&] {
      auto& sum = sums[static_cast<std::size_t>(t)];
      auto& count = counts[static_cast<std::size_t>(t)];
      sum.assign(noisy.pixels.size(), 0);
      count.assign(static_cast<std::size_t>(noisy.height * W), 0);
    });
    std::vector<std::pair<float, std::int32_t>> cand;
    Matrix<Scalar> B, Y, G, Z;
    Vector<Scalar> bMean;
#pragma omp for schedule(dynamic, 4)
    for (Index r = 0; r < numRefs; ++r) {
      capture.run([&] {
        const Index yr = ry[static_cast<std::size_t>(r) / rx.size()], xr = rx[static_cast<std::size_t>(r) % rx.size()];
        const Index y0 = std::max<Index>(0, yr - half), y1 = std::min(ny - 1, yr + half);
        const Index x0 = std::max<Index>(0, xr - half), x1 = std::min(nx - 1, xr + half);
        // the window's patches by their distance to the reference in the first estimate
        cand.clear();
        for (Index y = y0; y <= y1; ++y)
          for (Index x = x0; x <= x1; ++x) {
            float d = 0.0f;
            for (Index i = 0; i < p; ++i) {
              const float* a = basic.pixels.data() + ((yr + i) * W + xr) * ch;
              const float* b = basic.pixels.data() + ((y + i) * W + x) * ch;
              for (Index j = 0; j < row; ++j) {
                const float e = a[j] - b[j];
                d += e * e;
              }
            }
            cand.emplace_back(d, static_cast<std::int32_t>(y * nx + x));
          }
        const Index k = std::min<Index>(o.similar, static_cast<Index>(cand.size()));
        if (k < 2) return;
        std::nth_element(cand.begin(), cand.begin() + (k - 1), cand.end());  // (distance, index): a total order
        B.resize(D, k);
        Y.resize(D, k);
        for (Index j = 0; j < k; ++j) {
          const Index y = cand[static_cast<std::size_t>(j)].second / nx, x = cand[static_cast<std::size_t>(j)].second % nx;
          for (Index i = 0; i < p; ++i) {
            const float* b = basic.pixels.data() + ((y + i) * W + x) * ch;
            const float* v = noisy.pixels.data() + ((y + i) * W + x) * ch;
            for (Index q = 0; q < row; ++q) {
              B(i * row + q, j) = static_cast<Scalar>(b[q]);
              Y(i * row + q, j) = static_cast<Scalar>(v[q]);
            }
          }
        }
        bMean = B.rowwise().mean();
        B.colwise() -= bMean;
        Y.colwise() -= bMean;
        G.noalias() = B.transpose() * B;
        G.diagonal().array() += static_cast<Scalar>(k - 1) * reg;
        Z.noalias() = B.transpose() * Y;
        Eigen::LLT<Matrix<Scalar>> llt(G);
        llt.solveInPlace(Z);
        Y.noalias() = B * Z;  // the filtered deviations
        Y.colwise() += bMean;
        auto& sum = sums[static_cast<std::size_t>(t)];
        auto& count = counts[static_cast<std::size_t>(t)];
        for (Index j = 0; j < k; ++j) {
          const Index y = cand[static_cast<std::size_t>(j)].second / nx, x = cand[static_cast<std::size_t>(j)].second % nx;
          for (Index i = 0; i < p; ++i) {
            std::int64_t* s = sum.data() + ((y + i) * W + x) * ch;
            std::int64_t* c = count.data() + (y + i) * W + x;
            for (Index q = 0; q < row; ++q) s[q] += std::llround(static_cast<double>(Y(i * row + q, j)) * kFixed);
            for (Index q = 0; q < p; ++q) ++c[q];
          }
        }
      });
    }
  }
  capture.rethrow();
  Image out = basic;
  for (std::size_t v = 0; v < out.pixels.size(); ++v) {
    std::int64_t s = 0, c = 0;
    for (int t = 0; t < nt; ++t) {
      s += sums[static_cast<std::size_t>(t)][v];
      c += counts[static_cast<std::size_t>(t)][v / static_cast<std::size_t>(ch)];
    }
    if (c > 0) out.pixels[v] = static_cast<float>(static_cast<double>(s) / kFixed / static_cast<double>(c));
  }
  return out;
}
}  // namespace detail

}  // namespace vmfa
