/// \file mstep.hpp
/// \brief The closed-form M-step of a mixture of factor analysers (Ghahramani & Hinton 1996, in
/// augmented form) for dense or truncated responsibilities, and its statistics as a value
/// (`MStepStatistics`). The members every M-step policy provides are listed in policies.hpp.
#pragma once

#include "context.hpp"
#include "detail/buffers.hpp"
#include "detail/rng.hpp"
#include "estep.hpp"
#include "groups.hpp"
#include "init.hpp"
#include "kernel.hpp"
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

/// \brief What an M-step reports to the model.
struct MStepSummary {
  /// Degenerate components re-seeded, each with the point it was re-seeded at (its global index,
  /// `FitContext::globalIndex`): the model makes the next E-step evaluate the component there
  /// (`Responsibilities::include`, on the process that holds the point).
  std::vector<std::pair<std::int32_t, Index>> reseeded;
};

/// \brief The sufficient statistics of the closed-form M-step for the components [first, first +
/// count), in double, as one flat buffer: per component Q = Σ q w, YE = Σ q w y z̃ᵀ (D × (H+1)),
/// EE = Σ q w z̃ z̃ᵀ ((H+1) × (H+1)) and s = Σ q w y∘y (D), with y = x − μ_c (old mean).
///
/// A value: statistics accumulated on different points (threads, processes) add up with `+=`
/// (element-wise; the order of the additions is the caller's, which fixes the rounding), and
/// `values()` is the buffer to send or reduce (e.g. with MPI_Allreduce). Memory
/// count·(1 + D·(H+2) + (H+1)²)·8 bytes.
class MStepStatistics {
 public:
  /// The flat buffer's type: a `std::vector<double>` whose growth does not write zeros.
  using Buffer = std::vector<double, detail::DefaultInitAllocator<double>>;

  MStepStatistics() = default;
  /// Zero statistics for the components [first, first + count), written by `threads` threads
  /// (a buffer of hundreds of MB costs its page faults where it is first written).
  MStepStatistics(Index first, Index count, Index D, Index H, int threads = 1)
      : first_(first), count_(count), D_(D), H_(H) {
    values_.resize(static_cast<std::size_t>(count * stride()));
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(values_.size()), piece = std::ptrdiff_t(1) << 16;
    double* v = values_.data();
    (void)threads;  // without OpenMP
#pragma omp parallel for num_threads(std::max(1, threads)) schedule(static)
    for (std::ptrdiff_t i = 0; i < n; i += piece) std::fill(v + i, v + std::min(n, i + piece), 0.0);
  }

  Index first() const { return first_; }
  Index count() const { return count_; }
  Index dim() const { return D_; }
  Index latentDim() const { return H_; }
  /// Doubles per component.
  Index stride() const { return 1 + D_ * (H_ + 1) + (H_ + 1) * (H_ + 1) + D_; }

  double& mass(Index c) { return values_[offset(c)]; }
  double mass(Index c) const { return values_[offset(c)]; }
  Eigen::Map<Eigen::MatrixXd> YE(Index c) { return {values_.data() + offset(c) + 1, D_, H_ + 1}; }
  Eigen::Map<const Eigen::MatrixXd> YE(Index c) const { return {values_.data() + offset(c) + 1, D_, H_ + 1}; }
  Eigen::Map<Eigen::MatrixXd> EE(Index c) { return {values_.data() + offset(c) + 1 + D_ * (H_ + 1), H_ + 1, H_ + 1}; }
  Eigen::Map<const Eigen::MatrixXd> EE(Index c) const {
    return {values_.data() + offset(c) + 1 + D_ * (H_ + 1), H_ + 1, H_ + 1};
  }
  Eigen::Map<Eigen::VectorXd> syy(Index c) { return {values_.data() + offset(c) + stride() - D_, D_}; }
  Eigen::Map<const Eigen::VectorXd> syy(Index c) const { return {values_.data() + offset(c) + stride() - D_, D_}; }

  /// Zeroes the statistics and moves them to the components [first, first + count()) (a buffer
  /// reused for one component after another).
  void restart(Index first) {
    first_ = first;
    std::fill(values_.begin(), values_.end(), 0.0);
  }

  /// The flat buffer (count × stride doubles), for reductions and serialisation.
  Buffer& values() { return values_; }
  const Buffer& values() const { return values_; }

  /// Adds the statistics of other points for the same components. \throws InvalidArgument on a shape mismatch.
  MStepStatistics& operator+=(const MStepStatistics& o) {
    detail::require(o.first_ == first_ && o.count_ == count_ && o.D_ == D_ && o.H_ == H_, "vmfa::MStepStatistics::operator+=",
                    "components [", o.first_, ", +", o.count_, ") of D = ", o.D_, ", H = ", o.H_, " do not match [", first_,
                    ", +", count_, ") of D = ", D_, ", H = ", H_);
    for (std::size_t i = 0; i < values_.size(); ++i) values_[i] += o.values_[i];
    return *this;
  }

 private:
  std::size_t offset(Index c) const { return static_cast<std::size_t>((c - first_) * stride()); }
  Index first_ = 0, count_ = 0, D_ = 0, H_ = 0;
  Buffer values_;
};

/// \brief What the closed-form M-step has solved so far in one M-step (all components): their
/// masses, which are degenerate, and the residuals of shared noise. Memory C·9 bytes (+ D·C·8
/// with shared noise).
struct ClosedFormSolution {
  std::vector<double> mass;                ///< C, Q_c
  std::vector<unsigned char> degenerate;   ///< C, 1 where the solve failed or the mass vanished
  Eigen::MatrixXd residual;                ///< D × C unnormalised noise (shared noise only)
};

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

  /// Re-seeds every degenerate component at one of the points with the lowest bound (distinct
  /// points, lowest first), with fresh loadings and the data variance as noise (or the shared
  /// noise), floored like every other noise variance (`FitContext::noiseLowerBounds`). Its mass becomes that point's weight. Returns the (component, point) pairs.
  static std::vector<std::pair<std::int32_t, Index>> reseed(const FitContext<Scalar>& ctx, int iteration,
                                                            Parameters<Scalar>& p, const PointResults& points,
                                                            Solution& solution, double& totalMass) {
    std::vector<std::pair<std::int32_t, Index>> out;
    std::vector<Index> bad;
    for (Index c = 0; c < p.numComponents(); ++c)
      if (solution.degenerate[static_cast<std::size_t>(c)]) bad.push_back(c);
    if (bad.empty()) return out;  // the same on every process: the solution is global
    const Eigen::VectorXd floor = ctx.noiseLowerBounds();
    const std::vector<Candidate> order = worstPoints(ctx, points, bad.size());
    const std::size_t take = order.size();
    for (std::size_t i = 0; i < bad.size(); ++i) {
      const Index c = bad[i];
      const Candidate& at = order[i % std::max<std::size_t>(take, 1)];
      p.means.col(c) = p.hasOrigin() ? (at.x.template cast<double>() - p.origin).template cast<Scalar>() : at.x;
      p.noise.col(c) = (ctx.options.sharedNoise ? p.noise.col(c).template cast<double>() : ctx.dataVariance)
                           .cwiseMax(floor)
                           .template cast<Scalar>();
      detail::drawLoadings(p, c, ctx.dataVariance, ctx.seed(), static_cast<std::uint64_t>(iteration) + 1,
                           ctx.options.loadingInit);
      solution.mass[static_cast<std::size_t>(c)] = at.weight;
      totalMass += at.weight;
      out.emplace_back(static_cast<std::int32_t>(c), at.point);
    }
    return out;
  }

  /// A point a degenerate component may be re-seeded at.
  struct Candidate {
    double bound;
    Index point;  // global index
    double weight;
    Vector<Scalar> x;
  };

  /// The `count` points of positive weight with the lowest bound over all processes (lowest
  /// first, ties by global index), with their weights and coordinates.
  static std::vector<Candidate> worstPoints(const FitContext<Scalar>& ctx, const PointResults& points, std::size_t count) {
    const Index N = ctx.numPoints();
    std::vector<std::pair<double, Index>> order;
    order.reserve(static_cast<std::size_t>(N));
    for (Index n = 0; n < N; ++n)
      if (ctx.weight(n) > 0.0) {
        const double b = points.bound(n);
        order.emplace_back(std::isfinite(b) ? b : -std::numeric_limits<double>::infinity(), ctx.globalIndex(n));
      }
    const std::size_t take = std::min(order.size(), count);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end());
    std::vector<Candidate> local;
    for (std::size_t i = 0; i < take; ++i) {
      const Index n = order[i].second - ctx.pointOffset;
      local.push_back({order[i].first, order[i].second, ctx.weight(n), Vector<Scalar>(ctx.data.col(n))});
    }
    if (!ctx.distributed()) return local;
    // every process's lowest `count`, exchanged; all processes pick the same lowest `count` of those
    const Index D = ctx.dim();
    const std::size_t record = 2 * sizeof(double) + sizeof(std::int64_t) + static_cast<std::size_t>(D) * sizeof(Scalar);
    std::vector<char> mine(local.size() * record);
    for (std::size_t i = 0; i < local.size(); ++i) {
      char* r = mine.data() + i * record;
      const std::int64_t point = local[i].point;
      std::memcpy(r, &local[i].bound, sizeof(double));
      std::memcpy(r + sizeof(double), &point, sizeof point);
      std::memcpy(r + sizeof(double) + sizeof point, &local[i].weight, sizeof(double));
      std::memcpy(r + 2 * sizeof(double) + sizeof point, local[i].x.data(), static_cast<std::size_t>(D) * sizeof(Scalar));
    }
    std::vector<Candidate> all;
    for (const auto& bytes : ctx.collective.gather(mine))
      for (std::size_t off = 0; off + record <= bytes.size(); off += record) {
        Candidate cand{0.0, 0, 0.0, Vector<Scalar>(D)};
        std::int64_t point = 0;
        std::memcpy(&cand.bound, bytes.data() + off, sizeof(double));
        std::memcpy(&point, bytes.data() + off + sizeof(double), sizeof point);
        std::memcpy(&cand.weight, bytes.data() + off + sizeof(double) + sizeof point, sizeof(double));
        std::memcpy(cand.x.data(), bytes.data() + off + 2 * sizeof(double) + sizeof point,
                    static_cast<std::size_t>(D) * sizeof(Scalar));
        cand.point = static_cast<Index>(point);
        all.push_back(std::move(cand));
      }
    std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
      return a.bound < b.bound || (a.bound == b.bound && a.point < b.point);
    });
    if (all.size() > count) all.resize(count);
    return all;
  }

  Options options_;
};

}  // namespace vmfa
