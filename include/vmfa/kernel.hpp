/// \file kernel.hpp
/// \brief The per-component Woodbury factorisation and the batched O(D·H) log-joint kernel of a
/// mixture of factor analysers: the arithmetic every policy, scoring and denoising share.
///
/// With Σ_c = Λ_c Λ_cᵀ + Ψ_c, L_c = I + Λ_cᵀ Ψ_c⁻¹ Λ_c = R_c R_cᵀ (Cholesky) and, for d = x − μ_c,
/// t = Λ_cᵀ Ψ_c⁻¹ d, the Woodbury identity and the matrix determinant lemma give
///   dᵀ Σ_c⁻¹ d = Σ_i d_i² / ψ_ci − ‖R_c⁻¹ t‖²,   log|Σ_c| = log|L_c| + Σ_i log ψ_ci,
/// and E[z | x, c] = L_c⁻¹ t = R_c⁻ᵀ (R_c⁻¹ t), Cov[z | x, c] = L_c⁻¹. No D × D matrix is ever formed.
/// Per (point, component) pair the kernel costs 2·D·H + 4·D flops for dᵀΨ⁻¹d and t, plus H² + H
/// for ‖R⁻¹t‖². For H ≤ 8 (`detail::kMaxFusedLatent`) one fused pass per point reads x, μ_c, 1/ψ_c
/// and Λ_c side by side and forms both (`detail::fusedProjection`), with no set-up per batch, so short
/// batches add little per point; larger H use one (H × D)·(D × b) matrix product with the loadings per
/// batch. On x86-64 the fused pass (0 ≤ H ≤ 8) is the AVX-512 or AVX2 kernel of `detail/simd.hpp`,
/// chosen at run time from the processor (`kernelPath`): several points per pass share every load
/// of μ_c, 1/ψ_c and Λ_c and one transposing reduction of their sums, whatever the compiler flags.
/// Per component the kernel keeps only R_c⁻¹ (H × H) and 1/ψ_c besides the parameters: no D × H
/// matrix is cached.
#pragma once

#include "parameters.hpp"
#include "detail/buffers.hpp"
#include "detail/parallel.hpp"
#include "detail/simd.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace vmfa {

constexpr double kLog2Pi = 1.8378770664093454835606594728112;

namespace detail {

/// \brief The Woodbury factorisation of one component with loadings Λ (D × H) and inverse noise
/// variances 1/ψ (D): L = I + Λᵀ Ψ⁻¹ Λ and its Cholesky factorisation L = R Rᵀ, in double. Used by
/// `ComponentCache` (log-joints, latent posteriors) and by the patch estimators of denoising.
struct WoodburyFactor {
  Eigen::MatrixXd L;              ///< H × H
  Eigen::LLT<Eigen::MatrixXd> llt;
  bool ok = false;                ///< L is finite and positive definite

  WoodburyFactor(const Eigen::MatrixXd& lam, const Eigen::VectorXd& ipsi)
      : L(Eigen::MatrixXd::Identity(lam.cols(), lam.cols())) {
    L.noalias() += lam.transpose() * ipsi.asDiagonal() * lam;
    llt.compute(L);
    ok = llt.info() == Eigen::Success && L.allFinite();
  }
};

}  // namespace detail

/// \brief Per-component quantities of the Woodbury kernel, computed once per iteration in
/// O(C·(D·H² + H³)). Memory C·(D + H²)·sizeof(Scalar) + C·(H² + 1)·8 bytes.
template <typename Scalar>
struct ComponentCache {
  Index C = 0, D = 0, H = 0;
  Matrix<Scalar> invNoise;        ///< D × C, 1/ψ_c
  Matrix<Scalar> whiten;          ///< H × C·H, R_c⁻¹ (lower triangular) with L_c = R_c R_cᵀ
  Matrix<double> posteriorCov;    ///< H × C·H, L_c⁻¹ = Cov[z | x, c]
  Vector<double> logNorm;         ///< C, log π_c − ½ (D log 2π + log|Σ_c|)

  /// Fills the cache from `p`. Components whose quantities are not finite get logNorm = −∞
  /// (never selected).
  void compute(const Parameters<Scalar>& p, int threads) {
    C = p.numComponents();
    D = p.dim();
    H = p.latentDim;
    invNoise.resize(D, C);
    whiten.resize(H, C * H);
    posteriorCov.resize(H, C * H);
    logNorm.resize(C);
    [[maybe_unused]] const int nt = detail::resolveThreads(threads);
    detail::ExceptionCapture regionErrors;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (Index c = 0; c < C; ++c) regionErrors.run([&] { computeOne(p, c); });
    regionErrors.rethrow();
  }

  void computeOne(const Parameters<Scalar>& p, Index c) {
    const Eigen::VectorXd psi = p.noise.col(c).template cast<double>();
    const Eigen::VectorXd ipsi = psi.cwiseInverse();
    double logDet = psi.array().log().sum();
    bool ok = std::isfinite(logDet) && std::isfinite(static_cast<double>(p.weights(c)));
    invNoise.col(c) = ipsi.template cast<Scalar>();
    if (H > 0) {
      const detail::WoodburyFactor f(p.loading(c).template cast<double>(), ipsi);
      if (!f.ok) {
        ok = false;
        whiten.middleCols(H * c, H).setZero();
        posteriorCov.middleCols(H * c, H).setIdentity();
      } else {
        const Eigen::MatrixXd R = f.llt.matrixL();
        logDet += 2.0 * R.diagonal().array().log().sum();
        const Eigen::MatrixXd Rinv = R.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(H, H));
        whiten.middleCols(H * c, H) = Rinv.template cast<Scalar>();
        posteriorCov.middleCols(H * c, H) = Rinv.transpose() * Rinv;
      }
    }
    const double w = static_cast<double>(p.weights(c));
    logNorm(c) = ok ? std::log(w) - 0.5 * (static_cast<double>(D) * kLog2Pi + logDet)
                    : -std::numeric_limits<double>::infinity();
  }

  /// R_c⁻¹ (H × H, lower triangular): whitens t = Λ_cᵀ Ψ_c⁻¹ d.
  auto whitening(Index c) const { return whiten.middleCols(H * c, H); }
  /// L_c⁻¹ = Cov[z | x, c] (H × H).
  auto posteriorCovariance(Index c) const { return posteriorCov.middleCols(H * c, H); }

  /// \brief Posterior latent means E[z | x_j, c] = L_c⁻¹ Λ_cᵀ Ψ_c⁻¹ d_j for the columns d_j = x_j − μ_c
  /// of `centred` (D × b), H × b. Cost (2·D·H + D + 4·H²)·b.
  template <typename Derived>
  Matrix<Scalar> latentMeans(const Parameters<Scalar>& p, Index c, const Eigen::MatrixBase<Derived>& centred) const {
    Matrix<Scalar> t(H, centred.cols());
    if (H == 0) return t;
    t.noalias() = p.loading(c).transpose() * (centred.array().colwise() * invNoise.col(c).array()).matrix();
    const Matrix<Scalar> white = whitening(c) * t;
    t.noalias() = whitening(c).transpose() * white;
    return t;
  }
};

/// Per-thread scratch of the kernel, allocated once before a parallel loop. The D × b and H × b
/// buffers keep the largest b seen (the kernel works on their first b columns), so that batches
/// of varying size (the truncated E-step's, one per component met) allocate nothing.
template <typename Scalar>
struct KernelScratch {
  Matrix<Scalar> weighted;  ///< D × (at least b), Ψ_c⁻¹ (x − μ_c) (matrix-product path only)
  Matrix<Scalar> proj;      ///< H × (at least b), t = Λ_cᵀ Ψ_c⁻¹ (x − μ_c)
  Matrix<Scalar> white;     ///< H × (at least b), R_c⁻¹ t
  Vector<Scalar> maha;      ///< at least b
  Vector<Scalar> norm;      ///< at least b, ‖R_c⁻¹ t‖² (SIMD kernel paths)
  Vector<Scalar> values;    ///< at least b, the log-joints (SIMD kernel paths)
  std::vector<const Scalar*> columns;  ///< at least b: the points of a batch (SIMD kernel paths)
  std::vector<Index> refine;  ///< columns whose Woodbury form cancelled (see logJointColumns)
  Matrix<Scalar> latent;      ///< H × r, R⁻¹ t of the refined columns
  Matrix<Scalar> residual;    ///< D × r, x − μ − Λ z̄ of the refined columns

  /// Room for b columns with H latent dimensions (grows, never shrinks); `weighted`, needed only by
  /// the matrix-product path (H > 8, or H = 0), is sized there.
  void reserve(Index H, Index b) {
    detail::ensureColumns(proj, H, b);
    detail::ensureColumns(white, H, b);
    if (maha.size() < b) maha.resize(b);
    if (norm.size() < b) norm.resize(b);
  }
};

namespace detail {
/// \brief Recomputes dᵀ Σ⁻¹ d for the columns s.refine (pointers column(j) to D values) in the
/// residual form (d − Λ z̄)ᵀ Ψ⁻¹ (d − Λ z̄) + ‖z̄‖², z̄ = L⁻¹ t.
///
/// The Woodbury form dᵀΨ⁻¹d − ‖R⁻¹t‖² subtracts two numbers that are about λ/ψ times larger than
/// their difference when ψ is small and x lies near the component's subspace; in float it then
/// loses whole nats at high D. The residual form is the quadratic Q(z) = (d − Λz)ᵀΨ⁻¹(d − Λz) + ‖z‖²
/// at its minimiser z̄, so an error δ in z̄ (from the float t) changes it by δᵀ L δ only: second
/// order. The residuals are one batched product in Scalar; the weighted sum of their squares is
/// accumulated in double. Cost 2·D·H + 5·D flops per refined column.
template <typename Scalar, typename ColumnOf>
inline void refineResidual(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c, Index D,
                           ColumnOf&& column, KernelScratch<Scalar>& s) {
  const Index r = static_cast<Index>(s.refine.size()), H = cache.H;
  s.latent.resize(H, r);
  s.residual.resize(D, r);
  const auto mu = p.means.col(c);
  for (Index i = 0; i < r; ++i) {
    const Index j = s.refine[static_cast<std::size_t>(i)];
    s.latent.col(i) = s.white.col(j);
    s.residual.col(i) = Eigen::Map<const Vector<Scalar>>(column(j), D) - mu;
  }
  s.proj.leftCols(r).noalias() = cache.whitening(c).transpose() * s.latent;  // z̄ = R⁻ᵀ R⁻¹ t
  s.residual.noalias() -= p.loading(c) * s.proj.leftCols(r);
  const auto ip = cache.invNoise.col(c);
  for (Index i = 0; i < r; ++i) {
    double q = 0.0;  // vectorised partial sums of 64 terms, added in double
    for (Index d0 = 0; d0 < D; d0 += 64) {
      const Index len = std::min<Index>(64, D - d0);
      q += static_cast<double>((s.residual.col(i).segment(d0, len).array().square() * ip.segment(d0, len).array()).sum());
    }
    q += s.proj.col(i).template cast<double>().squaredNorm();
    s.maha(s.refine[static_cast<std::size_t>(i)]) = static_cast<Scalar>(q);
  }
}

/// Columns the fused pass fetches ahead of the one it evaluates; a caller that evaluates batch
/// after batch fetches the next batch's first ones itself (as `TruncatedEStep::run` does).
constexpr Index kPrefetchColumns = 2;

/// Largest latent dimension with a fused kernel (`fusedProjection`); larger H use Eigen's product.
constexpr Index kMaxFusedLatent = 8;

/// \brief The fused pass of the log-joint for one point: with d = x − μ and w = Ψ⁻¹ d, returns
/// dᵀΨ⁻¹d = d·w and writes t = Λᵀ w (H values), reading x, μ, 1/ψ and the H columns of Λ
/// (leading dimension D) once, side by side. Vectorised over D in lanes of 64 bytes (one AVX-512
/// register, two AVX ones, four SSE ones) with H + 1 accumulators; the lanes are summed in a fixed
/// order, so the result does not depend on anything but the inputs.
template <typename Scalar, int H>
inline Scalar fusedProjection(const Scalar* x, const Scalar* mu, const Scalar* ip, const Scalar* lam, Index D,
                              Scalar* t) {
  constexpr int L = 64 / static_cast<int>(sizeof(Scalar));
  using Lane = Eigen::Array<Scalar, L, 1>;
  using Load = Eigen::Map<const Lane>;
  Lane accM = Lane::Zero();
  Lane accT[H];
  for (int h = 0; h < H; ++h) accT[h].setZero();
  Index d0 = 0;
  for (; d0 + L <= D; d0 += L) {
    const Lane dv = Load(x + d0) - Load(mu + d0);
    const Lane w = dv * Load(ip + d0);
    accM += dv * w;
    for (int h = 0; h < H; ++h) accT[h] += Load(lam + h * D + d0) * w;
  }
  Scalar m = accM.sum(), tail[H > 0 ? H : 1] = {};
  for (Index d = d0; d < D; ++d) {  // D mod L remaining dimensions
    const Scalar dv = x[d] - mu[d], w = dv * ip[d];
    m += dv * w;
    for (int h = 0; h < H; ++h) tail[h] += lam[h * D + d] * w;
  }
  for (int h = 0; h < H; ++h) t[h] = accT[h].sum() + tail[h];
  return m;
}

/// a_j = dᵀΨ⁻¹d and R⁻¹t (into s.maha, s.white) for b columns with the fused pass, H known at
/// compile time.
template <int H, typename Scalar, typename ColumnOf>
inline void fusedColumns(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c, Index D, Index b,
                         ColumnOf& column, KernelScratch<Scalar>& s) {
  const Scalar* mu = p.means.col(c).data();
  const Scalar* ip = cache.invNoise.col(c).data();
  const Scalar* lam = p.loadings.col(c * H).data();
  const Scalar* R = cache.whiten.col(c * H).data();  // R⁻¹, H × H lower triangular, column-major
  for (Index j = 0; j < b; ++j) {
    if (j + kPrefetchColumns < b) prefetch(column(j + kPrefetchColumns), D);  // the columns may be scattered: fetch the next ones early
    Scalar t[H];
    s.maha(j) = fusedProjection<Scalar, H>(column(j), mu, ip, lam, D, t);
    Scalar* white = s.white.col(j).data();
    for (int i = 0; i < H; ++i) {
      Scalar v = 0;
      for (int k = 0; k <= i; ++k) v += R[k * H + i] * t[k];
      white[i] = v;
    }
  }
}

/// `fusedColumns` for the runtime H (1 ≤ H ≤ kMaxFusedLatent).
template <typename Scalar, typename ColumnOf>
inline void fusedColumnsDispatch(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c, Index D,
                                 Index b, ColumnOf& column, KernelScratch<Scalar>& s) {
  switch (cache.H) {
    case 1: fusedColumns<1>(p, cache, c, D, b, column, s); break;
    case 2: fusedColumns<2>(p, cache, c, D, b, column, s); break;
    case 3: fusedColumns<3>(p, cache, c, D, b, column, s); break;
    case 4: fusedColumns<4>(p, cache, c, D, b, column, s); break;
    case 5: fusedColumns<5>(p, cache, c, D, b, column, s); break;
    case 6: fusedColumns<6>(p, cache, c, D, b, column, s); break;
    case 7: fusedColumns<7>(p, cache, c, D, b, column, s); break;
    default: fusedColumns<8>(p, cache, c, D, b, column, s); break;
  }
}
}  // namespace detail

/// Asks the processor to fetch component c's parameters (μ_c, 1/ψ_c, Λ_c, R_c⁻¹) into cache, e.g.
/// one batch ahead of `logJointColumns`: at large C they live in main memory, and a short batch
/// would otherwise wait for them.
template <typename Scalar>
inline void prefetchComponent(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c) {
  const Index D = p.dim(), H = cache.H;
  detail::prefetch(p.means.col(c).data(), D);
  detail::prefetch(cache.invNoise.col(c).data(), D);
  if (H > 0) {
    detail::prefetch(p.loadings.col(c * H).data(), D * H);
    detail::prefetch(cache.whiten.col(c * H).data(), H * H);
  }
}

/// \brief log p(x_j, c) for b points x_j, each D contiguous values at column(j), written to
/// out[0..b). The points are relative to the parameters' origin (`Parameters::relativeToOrigin`),
/// like the means.
///
/// For 1 ≤ H ≤ 8 one fused pass per point (`detail::fusedProjection`) reads x, μ_c, 1/ψ_c and Λ_c
/// once and forms dᵀΨ⁻¹d and t = Λ_cᵀΨ_c⁻¹d together, then ‖R_c⁻¹t‖² (2·D·H + 4·D + H² + H flops):
/// no copy of the points, no packing of Λ_c, no set-up per component, so short batches (a large C)
/// add little per point. Larger H run w = Ψ_c⁻¹(x − μ_c) per column, then one
/// (H × D)·(D × b) product with the loadings (Eigen's), then R_c⁻¹t.
/// Columns where the Woodbury subtraction cancels and its error bound 8·ε·dᵀΨ⁻¹d exceeds 10⁻³·max(1,
/// dᵀΣ⁻¹d / D) are recomputed in the residual form (`detail::refineResidual`): in float these are
/// the points near a component's subspace with ψ near the variance floor, whose log-joints would
/// otherwise be off by up to several nats at high D (5 nats at D = 3072). Log-joints are then within
/// about 5·10⁻⁴ nats of a double dense-Σ computation (tested at D = 256, 1024, 3072).
template <typename Scalar, typename ColumnOf, typename OutType>
inline void logJointColumns(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c, Index D, Index b,
                            ColumnOf&& column, KernelScratch<Scalar>& s, OutType&& out) {
  const Index H = cache.H;
  s.reserve(H, b);
  const KernelPath path = kernelPath();
  if (path != KernelPath::Generic && H <= detail::kMaxFusedLatent) {
    const std::size_t nb = static_cast<std::size_t>(b);
    if (s.columns.size() < nb) s.columns.resize(nb);
    if (s.refine.size() < nb) s.refine.resize(nb);
    if (s.values.size() < b) s.values.resize(b);
    for (Index j = 0; j < b; ++j) s.columns[static_cast<std::size_t>(j)] = column(j);
    detail::simd::logJoints<Scalar>(path, static_cast<int>(H), s.columns.data(), b, D, p.means.col(c).data(),
                                    cache.invNoise.col(c).data(), H > 0 ? p.loadings.col(c * H).data() : nullptr,
                                    H > 0 ? cache.whiten.col(c * H).data() : nullptr,
                                    static_cast<Scalar>(cache.logNorm(c)), s.maha.data(), s.white.data(), s.norm.data(),
                                    s.refine.data(), s.values.data());
    out = s.values.head(b);
    return;
  } else if (H >= 1 && H <= detail::kMaxFusedLatent) {
    detail::fusedColumnsDispatch(p, cache, c, D, b, column, s);
  } else {
    // w = Ψ⁻¹ (x − μ) and Σ_i (x_i − μ_i)² / ψ_i = (x − μ)·w, one pass per column in cache
    const auto mu = p.means.col(c);
    const auto ip = cache.invNoise.col(c);
    detail::ensureColumns(s.weighted, D, b);
    auto weighted = s.weighted.leftCols(b);
    for (Index j = 0; j < b; ++j) {
      const Eigen::Map<const Vector<Scalar>> x(column(j), D);
      weighted.col(j) = (x - mu).cwiseProduct(ip);
      s.maha(j) = (x - mu).dot(weighted.col(j));
    }
    if (H > 0) {
      s.proj.leftCols(b).noalias() = p.loading(c).transpose() * weighted;
      s.white.leftCols(b).noalias() = cache.whitening(c) * s.proj.leftCols(b);
    }
  }
  if (H > 0) {
    // columns where the Woodbury subtraction cancels are recomputed (`detail::needsResidual`)
    s.refine.clear();
    for (Index j = 0; j < b; ++j) {
      const Scalar a = s.maha(j), w = s.white.col(j).squaredNorm();
      s.maha(j) = a - w;
      if (detail::needsResidual(a, w, s.maha(j), D)) s.refine.push_back(j);
    }
    if (!s.refine.empty()) detail::refineResidual(p, cache, c, D, column, s);
  }
  const Scalar norm = static_cast<Scalar>(cache.logNorm(c));
  out = (norm - Scalar(0.5) * s.maha.head(b).array()).matrix();
}

/// \brief log p(x_j, c) for every column x_j of X (D × b), written to out[0..b) (`logJointColumns`).
/// The columns are relative to the parameters' origin (`Parameters::relativeToOrigin`), like the
/// means.
template <typename Scalar, typename XType, typename OutType>
inline void logJointBlock(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c,
                          const Eigen::MatrixBase<XType>& X, KernelScratch<Scalar>& s, OutType&& out) {
  const Eigen::Ref<const Matrix<Scalar>> Xr(X.derived());  // no copy for matrices and their column blocks
  logJointColumns(p, cache, c, Xr.rows(), Xr.cols(), [&](Index j) { return Xr.col(j).data(); }, s,
                  std::forward<OutType>(out));
}

namespace detail {
/// Adds `count` finished points to `done` and, on thread 0 only, calls the progress callback.
inline void reportProgress(const StepProgressCallback& progress, std::atomic<Index>& done, Index count, Index total) {
  const Index now = done.fetch_add(count) + count;
  if (threadIndex() == 0) progress(now, total);
}
}  // namespace detail

/// \brief Calls fn(first, L, thread) for consecutive blocks of columns [first, first + b) of X, where
/// L (C × b) holds log p(x_j, c) for every component. Blocks run in parallel; `fn` must only write
/// to memory owned by its block. When `stop` is given, blocks that start after it returned true
/// are skipped (an interrupted fit).
template <typename Scalar, typename Fn>
inline void forEachDenseBlock(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache,
                              const Eigen::Ref<const Matrix<Scalar>>& X, Index blockSize, int threads, Fn&& fn,
                              const StepProgressCallback* progress = nullptr, const InterruptCheck* stop = nullptr) {
  const Index N = X.cols(), C = p.numComponents();
  const Index numBlocks = (N + blockSize - 1) / blockSize;
  [[maybe_unused]] const int nt = detail::resolveThreads(threads);
  std::vector<KernelScratch<Scalar>> scratch(static_cast<std::size_t>(nt));
  std::vector<Matrix<Scalar>> blocks(static_cast<std::size_t>(nt)), shifted(p.hasOrigin() ? static_cast<std::size_t>(nt) : 0);
  std::atomic<Index> done{0};
  detail::ExceptionCapture capture;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
  for (Index blk = 0; blk < numBlocks; ++blk) {
    capture.run([&] {
      if (stop && (*stop)()) return;
      const int t = detail::threadIndex();
      const Index first = blk * blockSize, b = std::min(blockSize, N - first);
      Matrix<Scalar>& L = blocks[static_cast<std::size_t>(t)];
      L.resize(C, b);
      auto& S = scratch[static_cast<std::size_t>(t)];
      if (p.hasOrigin()) {  // the means are relative to the origin: so are the points
        Matrix<Scalar>& Xb = shifted[static_cast<std::size_t>(t)];
        p.relativeToOrigin(X.middleCols(first, b), Xb);
        for (Index c = 0; c < C; ++c) logJointBlock(p, cache, c, Xb, S, L.row(c).transpose());
      } else {
        const auto Xb = X.middleCols(first, b);
        for (Index c = 0; c < C; ++c) logJointBlock(p, cache, c, Xb, S, L.row(c).transpose());
      }
      fn(first, static_cast<const Matrix<Scalar>&>(L), t);
      if (progress && *progress) detail::reportProgress(*progress, done, b, N);
    });
  }
  capture.rethrow();
}

/// Numerically stable log Σ_i exp(v_i) of a vector of log-joints, with the sum accumulated in
/// double; the posteriors exp(v_i − lse) (vectorised exponentials) are written to `post` and the
/// index of the largest v_i to `argMax` when given.
/// If every v_i is −∞ (or one is +∞/NaN) the result is that non-finite value and `post` is NaN.
template <typename VecType, typename Scalar>
inline double logSumExp(const VecType& v, Vector<Scalar>& post, Index* argMax = nullptr) {
  Index arg = 0;
  const Scalar m = v.maxCoeff(&arg);
  if (argMax) *argMax = arg;
  if (!std::isfinite(static_cast<double>(m))) {
    post.setConstant(v.size(), std::numeric_limits<Scalar>::quiet_NaN());
    return static_cast<double>(m);
  }
  post.resize(v.size());
  post.array() = (v.array() - m).exp();
  // vectorised and scalar exp paths disagree below the normal range: flush subnormals to zero so
  // that the posteriors keep the order of the log-joints
  post = (post.array() < std::numeric_limits<Scalar>::min()).select(Scalar(0), post);
  const double sum = post.template cast<double>().sum();
  post *= static_cast<Scalar>(1.0 / sum);
  return static_cast<double>(m) + std::log(sum);
}

}  // namespace vmfa
