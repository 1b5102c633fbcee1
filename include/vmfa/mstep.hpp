/// \file mstep.hpp
/// \brief The closed-form M-step of a mixture of factor analysers (Ghahramani & Hinton 1996, in
/// augmented form) for dense or truncated responsibilities; its statistics are in
/// mstep_statistics.hpp, the re-seeding of degenerate components in reseeding.hpp. The members
/// every M-step policy provides are listed in policies.hpp.
#pragma once

#include "context.hpp"
#include "detail/buffers.hpp"
#include "detail/rng.hpp"
#include "estep.hpp"
#include "groups.hpp"
#include "kernel.hpp"
#include "mstep_statistics.hpp"
#include "policy_types.hpp"
#include "reseeding.hpp"
#include "responsibilities.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

namespace vmfa {

/// \brief Closed-form M-step. For each component c, with y_n = x_n − μ_c (old mean, for
/// precision), z̄_n = E[z | x_n, c] and z̃_n = [z̄_n; 1], it accumulates in double
///   Q = Σ q w,  YE = Σ q w y z̃ᵀ,  EE = Σ q w z̃ z̃ᵀ,  s = Σ q w y∘y   (`accumulate`),
/// adds Q·blockdiag(L⁻¹, 0) to EE and solves [Λ, b] = YE EE⁻¹ (Cholesky, never an inverse),
/// μ ← μ + b, ψ ← max((s − rowsum([Λ, b] ∘ YE)) / Q, floor)   (`solve`), then π ← Q / Σ Q and
/// the shared noise, and re-seeds the degenerate components   (`finish`).
///
/// The model calls accumulate → combine → solve for consecutive ranges of components whose
/// statistics fit in `Options::statisticsBytes`, then finish once. Sums run over the points whose
/// active set holds c: O(N·K·D·H) for K responsibilities per point. Each component's sums are
/// formed by one thread in a fixed order, so the result does not depend on the thread count. A
/// component is degenerate when its mass Q is below 1e-8 of the mean mass per component, or its
/// statistics or solution are not finite, or EE is not positive definite; degenerate components
/// are re-seeded at the worst-explained points (lowest bound) and never dropped.
template <typename Scalar_>
class ClosedFormMStep {
 public:
  using Scalar = Scalar_;
  using Statistics = MStepStatistics;
  using Solution = ClosedFormSolution;

  struct Options {
    /// Upper bound of the statistics held at once (bytes, >= 1): the components are processed in
    /// ranges of at most this much statistics (at least one component per range).
    std::size_t statisticsBytes = std::size_t(1) << 29;
  };

  ClosedFormMStep() = default;
  explicit ClosedFormMStep(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }
  void checkOptions(Index /*C*/, const char* where) const {
    detail::require(options_.statisticsBytes >= 1, where, "statisticsBytes = ", options_.statisticsBytes, " must be >= 1");
  }

  /// Components per range of statistics.
  Index componentsPerPass(Index C, Index D, Index H) const {
    const Index perComponent = static_cast<Index>(sizeof(double)) * MStepStatistics(0, 0, D, H).stride();
    const std::size_t bytes = std::min<std::size_t>(options_.statisticsBytes, static_cast<std::size_t>(std::numeric_limits<Index>::max()));
    return std::max<Index>(1, std::min<Index>(C, static_cast<Index>(bytes) / perComponent));
  }
  void describe(OptionList& out) const { out.add("statisticsBytes", options_.statisticsBytes); }

  /// Empty solution for the components of `p`.
  Solution begin(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p) const {
    Solution s;
    s.mass.assign(static_cast<std::size_t>(p.numComponents()), 0.0);
    s.degenerate.assign(static_cast<std::size_t>(p.numComponents()), 0);
    if (ctx.options.sharedNoise) s.residual.setZero(p.dim(), p.numComponents());
    return s;
  }

  /// The statistics of components [first, first + count) over the points of `ctx`.
  Statistics accumulate(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache,
                        const Responsibilities<Scalar>& resp, Index first, Index count) const {
    const Index N = ctx.numPoints(), D = p.dim(), H = p.latentDim, B = ctx.options.blockSize, last = first + count;
    Statistics stats(first, count, D, H, ctx.threads);
    detail::ExceptionCapture capture;
    std::vector<Scratch> scratch(static_cast<std::size_t>(ctx.threads));

    if (resp.dense()) {
      // each task handles a group of components and streams the data once for the whole group
      // (block by block, in cache)
      const Matrix<Scalar> probT = resp.prob.middleRows(first, count).transpose();  // N × count
      const Index group = std::max<Index>(1, std::min<Index>(16, p.numComponents() / (4 * ctx.threads)));
      const Index numTasks = (count + group - 1) / group;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
      for (Index task = 0; task < numTasks; ++task) {
        capture.run([&] {
          Scratch& s = scratch[static_cast<std::size_t>(detail::threadIndex())];
          const Index c0 = first + task * group, c1 = std::min(last, c0 + group);
          for (Index b0 = 0; b0 < N; b0 += B) {
            if (ctx.interrupted()) return;  // the fit discards this M-step
            const Index b = std::min(B, N - b0);
            p.relativeToOrigin(ctx.data.middleCols(b0, b), s.gathered);
            for (Index c = c0; c < c1; ++c) {
              if (ctx.sampleWeights.size())
                s.w = (probT.col(c - first).segment(b0, b).template cast<double>().array() *
                       ctx.sampleWeights.segment(b0, b).array()).template cast<Scalar>().matrix();
              else
                s.w = probT.col(c - first).segment(b0, b);
              accumulateBlock(p, cache, c, s.gathered, s, stats);
            }
          }
        });
      }
      capture.rethrow();
      return stats;
    }

    // truncated: the (point, k) pairs of these components, grouped by component in point order
    const ComponentRanges groups(resp.index, first, count, ctx.threads);
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
    for (Index g = 0; g < count; ++g) {
      if (groups.size(g) == 0) continue;
      capture.run([&] {
        accumulateComponent(ctx, p, cache, resp, groups, g, first + g, scratch[static_cast<std::size_t>(detail::threadIndex())],
                            stats);
      });
    }
    capture.rethrow();
    return stats;
  }

  /// `accumulate` then `solve` for the components [first, first + count), when nothing is combined
  /// across processes: with truncated responsibilities each component's statistics are formed in
  /// a buffer of one component per thread (in cache) and solved at once, so no statistics of the
  /// whole range are written (C·(1 + D·(H+2) + (H+1)²)·8 bytes per M-step, with their page faults and
  /// cold misses). The same sums in the same order: the same parameters to the bit.
  void accumulateAndSolve(const FitContext<Scalar>& ctx, Parameters<Scalar>& p, const ComponentCache<Scalar>& cache,
                          const Responsibilities<Scalar>& resp, Index first, Index count, Solution& solution) const {
    if (resp.dense()) {
      solve(ctx, accumulate(ctx, p, cache, resp, first, count), cache, p, solution);
      return;
    }
    const Index D = p.dim(), H = p.latentDim;
    const Eigen::VectorXd floor = ctx.noiseLowerBounds();
    const double minMass = 1e-8 * ctx.totalWeight / static_cast<double>(p.numComponents());
    const ComponentRanges groups(resp.index, first, count, ctx.threads);
    std::vector<Scratch> scratch(static_cast<std::size_t>(ctx.threads));
    std::vector<Statistics> one(static_cast<std::size_t>(ctx.threads));
    detail::ExceptionCapture capture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
    for (Index g = 0; g < count; ++g) {
      capture.run([&] {
        const std::size_t thread = static_cast<std::size_t>(detail::threadIndex());
        Statistics& st = one[thread];
        if (st.count() == 0) st = Statistics(0, 1, D, H);
        const Index c = first + g;
        st.restart(c);
        accumulateComponent(ctx, p, cache, resp, groups, g, c, scratch[thread], st);
        if (ctx.interrupted()) return;  // partial sums: the fit discards this M-step
        // component c's parameters are read by this thread only (its own statistics, above)
        solution.degenerate[static_cast<std::size_t>(c)] = solveOne(ctx, p, cache, c, st, floor, minMass, solution.residual) ? 0 : 1;
        solution.mass[static_cast<std::size_t>(c)] = st.mass(c);
      });
    }
    capture.rethrow();
  }

  /// Solves the components of `stats` (combined over all points) into `p`, recording their mass
  /// and whether they are degenerate in `solution`.
  void solve(const FitContext<Scalar>& ctx, const Statistics& stats, const ComponentCache<Scalar>& cache,
             Parameters<Scalar>& p, Solution& solution) const {
    const Eigen::VectorXd floor = ctx.noiseLowerBounds();
    const double minMass = 1e-8 * ctx.totalWeight / static_cast<double>(p.numComponents());
    detail::ExceptionCapture regionErrors;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 16)
    for (Index c = stats.first(); c < stats.first() + stats.count(); ++c) {
      regionErrors.run([&] {
        solution.degenerate[static_cast<std::size_t>(c)] =
            solveOne(ctx, p, cache, c, stats, floor, minMass, solution.residual) ? 0 : 1;
        solution.mass[static_cast<std::size_t>(c)] = stats.mass(c);
      });
    }
    regionErrors.rethrow();
  }

  /// Shared noise, re-seeding of degenerate components and the new weights.
  MStepSummary finish(const FitContext<Scalar>& ctx, int iteration, Solution& solution, Parameters<Scalar>& p,
                      const PointResults& points) const {
    const Index C = p.numComponents(), D = p.dim();
    double totalMass = 0.0;
    Eigen::VectorXd sharedResidual = Eigen::VectorXd::Zero(D);
    for (Index c = 0; c < C; ++c) {
      if (solution.degenerate[static_cast<std::size_t>(c)]) continue;
      totalMass += solution.mass[static_cast<std::size_t>(c)];
      if (ctx.options.sharedNoise) sharedResidual += solution.residual.col(c);
    }
    if (ctx.options.sharedNoise) {
      const Eigen::VectorXd psi =
          (totalMass > 0.0 ? Eigen::VectorXd(sharedResidual / totalMass) : ctx.dataVariance).cwiseMax(ctx.noiseLowerBounds());
      for (Index c = 0; c < C; ++c) p.noise.col(c) = psi.template cast<Scalar>();
    }
    MStepSummary summary;
    summary.reseeded = reseed(ctx, iteration, p, points, solution, totalMass);
    if (totalMass <= 0.0) totalMass = 1.0;
    for (Index c = 0; c < C; ++c) p.weights(c) = static_cast<Scalar>(solution.mass[static_cast<std::size_t>(c)] / totalMass);
    const double sum = p.weights.template cast<double>().sum();
    p.weights = (p.weights.template cast<double>() / sum).template cast<Scalar>();
    return summary;
  }

 private:
  /// Per-thread buffers of `accumulateBlock`; they keep the largest block seen (its first b
  /// columns are used), so blocks of varying size allocate nothing.
  struct Scratch {
    Matrix<Scalar> gathered, y, yw, z, zw, t, white;
    Matrix<Scalar> ye;                    // D × (H + 1) sums of one block (SIMD kernel paths)
    Vector<Scalar> w, maha, sq;           // maha: 2·b scratch of the fused pass; sq: D sums (SIMD kernel paths)
    std::vector<const Scalar*> columns;  // the block's points (SIMD kernel paths)
  };

  /// Component c's sums over its pairs, group g of `groups` (`groups`, truncated responsibilities), block by block.
  static void accumulateComponent(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p,
                                  const ComponentCache<Scalar>& cache, const Responsibilities<Scalar>& resp,
                                  const ComponentRanges& groups, Index g, Index c, Scratch& s, Statistics& st) {
    const Index D = p.dim(), B = ctx.options.blockSize, K = resp.perPoint(), size = groups.size(g);
    const std::int64_t* items = groups.itemsOf(g);
    for (Index b0 = 0; b0 < size; b0 += B) {
      if (ctx.interrupted()) return;  // the fit discards this M-step
      const Index b = std::min(B, size - b0);
      detail::ensureColumns(s.gathered, D, b);
      auto Xg = s.gathered.leftCols(b);
      gatherColumnsInto<Scalar>(ctx.data, items + b0, b, [K](std::int64_t q) { return static_cast<Index>(q / K); }, Xg,
                                p.origin);
      if (s.w.size() < b) s.w.resize(b);
      for (Index j = 0; j < b; ++j) {
        const Index n = static_cast<Index>(items[b0 + j] / K), k = static_cast<Index>(items[b0 + j] % K);
        s.w(j) = static_cast<Scalar>(static_cast<double>(resp.prob(k, n)) * ctx.weight(n));
      }
      accumulateBlock(p, cache, c, Xg, s, st);
    }
  }

  /// One block of b points for component c with weights s.w: y = x − μ_old, z̃ = [E[z | x, c]; 1]
  /// (`ComponentCache::latentMeans`, in place), three products. On the SIMD kernel paths (H ≤ 8) the
  /// latent means come from the log-joint kernel's fused pass (`simd::whiten`) and the sums over
  /// the block from one pass over the points (`simd::moments`): the same sums in another order.
  template <typename XType>
  static void accumulateBlock(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c, const XType& Xb,
                              Scratch& s, Statistics& st) {
    const Index D = p.dim(), H = p.latentDim, b = Xb.cols();
    detail::ensureColumns(s.z, H + 1, b);
    detail::ensureColumns(s.zw, H + 1, b);
    auto z = s.z.leftCols(b);
    auto zw = s.zw.leftCols(b);
    const auto w = s.w.head(b);
    const KernelPath path = kernelPath();
    if (path != KernelPath::Generic && H >= 1 && H <= detail::kMaxFusedLatent) {
      // z̄ = R⁻ᵀ (R⁻¹ Λᵀ Ψ⁻¹ y) by the log-joint kernel's fused pass, then the sums in one pass
      detail::ensureColumns(s.white, H, b);
      auto white = s.white.leftCols(b);
      s.columns.resize(static_cast<std::size_t>(b));
      for (Index j = 0; j < b; ++j) s.columns[static_cast<std::size_t>(j)] = Xb.col(j).data();
      if (s.maha.size() < 2 * b) s.maha.resize(2 * b);
      detail::ensureColumns(s.ye, D, H + 1);
      if (s.sq.size() < D) s.sq.resize(D);
      if (detail::simd::whiten<Scalar>(path, static_cast<int>(H), s.columns.data(), b, D, p.means.col(c).data(),
                                       cache.invNoise.col(c).data(), p.loadings.col(c * H).data(),
                                       cache.whitening(c).data(), s.maha.data(), white.data(), s.maha.data() + b)) {
        z.topRows(H).noalias() = cache.whitening(c).transpose() * white;
        z.row(H).setOnes();
        zw = (z.array().rowwise() * w.transpose().array()).matrix();
        if (detail::simd::moments<Scalar>(path, static_cast<int>(H), s.columns.data(), b, D, p.means.col(c).data(),
                                          zw.data(), s.ye.data(), s.sq.data())) {
          st.YE(c) += s.ye.leftCols(H + 1).template cast<double>();
          st.EE(c) += (z * zw.transpose()).template cast<double>();
          st.syy(c) += s.sq.head(D).template cast<double>();
          st.mass(c) += static_cast<double>(w.sum());
          return;
        }
      }  // (both take every path but Generic at these H: the portable code below is only a safeguard)
    }
    detail::ensureColumns(s.y, D, b);  // the portable path's y = x − μ (the SIMD pass needs none)
    auto y = s.y.leftCols(b);
    y = Xb.colwise() - p.means.col(c);
    if (H > 0) {  // z̄ = R⁻ᵀ R⁻¹ Λᵀ Ψ⁻¹ y
      detail::ensureColumns(s.t, H, b);
      detail::ensureColumns(s.white, H, b);
      detail::ensureColumns(s.yw, D, b);
      auto t = s.t.leftCols(b);
      auto white = s.white.leftCols(b);
      auto yw = s.yw.leftCols(b);
      yw = (y.array().colwise() * cache.invNoise.col(c).array()).matrix();
      t.noalias() = p.loading(c).transpose() * yw;
      white.noalias() = cache.whitening(c) * t;
      t.noalias() = cache.whitening(c).transpose() * white;
      z.topRows(H) = t;
    }
    z.row(H).setOnes();
    zw = (z.array().rowwise() * w.transpose().array()).matrix();
    st.YE(c) += (y * zw.transpose()).template cast<double>();
    st.EE(c) += (z * zw.transpose()).template cast<double>();
    y.array() = y.array().square();
    st.syy(c) += (y * w).template cast<double>();
    st.mass(c) += static_cast<double>(w.sum());
  }

  /// Solves for component c's new parameters from its statistics; false if it is degenerate.
  static bool solveOne(const FitContext<Scalar>& ctx, Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, Index c,
                       const Statistics& st, const Eigen::VectorXd& floor, double minMass, Eigen::MatrixXd& residual) {
    const Index H = p.latentDim;
    const double Q = st.mass(c);
    if (!(Q > minMass) || !st.YE(c).allFinite() || !st.EE(c).allFinite() || !st.syy(c).allFinite()) return false;
    Eigen::MatrixXd EE = st.EE(c);
    if (H > 0) EE.topLeftCorner(H, H) += Q * cache.posteriorCovariance(c);
    Eigen::LLT<Eigen::MatrixXd> llt(EE);
    if (llt.info() != Eigen::Success) return false;
    const Eigen::MatrixXd W = llt.solve(st.YE(c).transpose()).transpose();  // D × (H+1) = [Λ, b]
    const Eigen::VectorXd r = st.syy(c) - (W.array() * st.YE(c).array()).rowwise().sum().matrix();
    if (!W.allFinite() || !r.allFinite()) return false;
    p.means.col(c) = (p.means.col(c).template cast<double>() + W.col(H)).template cast<Scalar>();
    if (H > 0) p.loading(c) = W.leftCols(H).template cast<Scalar>();
    if (ctx.options.sharedNoise)
      residual.col(c) = r.cwiseMax(0.0);
    else
      p.noise.col(c) = (r.cwiseMax(0.0) / Q).cwiseMax(floor).template cast<Scalar>();
    return true;
  }

  /// The degenerate components, re-seeded (`reseedComponents`).
  static std::vector<std::pair<std::int32_t, Index>> reseed(const FitContext<Scalar>& ctx, int iteration,
                                                            Parameters<Scalar>& p, const PointResults& points,
                                                            Solution& solution, double& totalMass) {
    std::vector<Index> bad;
    for (Index c = 0; c < p.numComponents(); ++c)
      if (solution.degenerate[static_cast<std::size_t>(c)]) bad.push_back(c);
    return reseedComponents(ctx, iteration, p, points, bad, solution.mass, totalMass);
  }

  Options options_;
};

}  // namespace vmfa
