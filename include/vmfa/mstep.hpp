/// \file mstep.hpp
/// \brief The closed-form M-step of a mixture of factor analysers (Ghahramani & Hinton 1996, in
/// augmented form) for dense or truncated responsibilities.
///
/// An M-step policy provides `struct Options`, `checkOptions(C, where)` and
/// `MStepReport run(const FitContext&, Parameters&, const ComponentCache&, SparseResponsibilities&,
/// const EStepOutput&)`, which replaces the parameters in place.
#pragma once

#include "detail/context.hpp"
#include "detail/rng.hpp"
#include "detail/woodbury.hpp"
#include "estep.hpp"
#include "init.hpp"
#include "responsibilities.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vmfa {

/// \brief What an M-step reports to the model.
struct MStepReport {
  Index reseededComponents = 0;  ///< degenerate components re-seeded from poorly explained points
};

/// \brief Closed-form M-step. For each component c, with y_n = x_n − μ_c (old mean, for
/// precision), z̄_n = E[z | x_n, c] and z̃_n = [z̄_n; 1], it accumulates in double
///   Q = Σ q w,  YE = Σ q w y z̃ᵀ,  EE = Σ q w z̃ z̃ᵀ + Q·blockdiag(L⁻¹, 0),  s = Σ q w y∘y,
/// and solves [Λ, b] = YE EE⁻¹ (Cholesky, never an inverse), μ ← μ + b,
/// ψ ← max((s − rowsum([Λ, b] ∘ YE)) / Q, floor), π ← Q / Σ Q.
///
/// Sums run over the points whose active set holds c: O(N·K·D·H) for K responsibilities per point.
/// Each component is computed by one thread in a fixed order, so the result does not depend on
/// the thread count. A component is degenerate when its mass Q is below 1e-8 of the mean mass
/// per component, or its statistics or solution are not finite, or EE is not positive definite;
/// degenerate components are re-seeded at the worst-explained points (lowest bound), counted in
/// the report, and never dropped.
template <typename Scalar_>
class ClosedFormMStep {
 public:
  using Scalar = Scalar_;
  /// The closed-form M-step has no options (the variance floor is `vmfa::Options::varianceFloor`).
  struct Options {};

  ClosedFormMStep() = default;
  explicit ClosedFormMStep(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }
  void checkOptions(Index /*C*/, const char* /*where*/) const {}

  MStepReport run(const FitContext<Scalar>& ctx, Parameters<Scalar>& p, const detail::ComponentCache<Scalar>& cache,
                  SparseResponsibilities<Scalar>& state, const EStepOutput& estep) {
    const Index N = ctx.numPoints(), C = p.numComponents(), D = p.dim(), H = p.latentDim;
    const Index B = ctx.options.blockSize;
    const bool dense = state.dense();

    // Group the (point, weight) pairs by component (counting sort, in point order).
    std::vector<Index> offsets;
    std::vector<std::int32_t> pairPoint;
    std::vector<Scalar> pairWeight;
    Matrix<Scalar> denseProbT;  // N × C: each component's responsibilities contiguous
    if (dense) denseProbT = state.prob.transpose();
    if (!dense) {
      const Index K = state.perPoint();
      offsets.assign(static_cast<std::size_t>(C + 1), 0);
      for (Index n = 0; n < N; ++n)
        for (Index k = 0; k < K; ++k) ++offsets[static_cast<std::size_t>(state.index(k, n)) + 1];
      for (Index c = 0; c < C; ++c) offsets[static_cast<std::size_t>(c + 1)] += offsets[static_cast<std::size_t>(c)];
      std::vector<Index> fill(offsets.begin(), offsets.end() - 1);
      pairPoint.resize(static_cast<std::size_t>(N * K));
      pairWeight.resize(static_cast<std::size_t>(N * K));
      for (Index n = 0; n < N; ++n)
        for (Index k = 0; k < K; ++k) {
          const auto slot = static_cast<std::size_t>(fill[static_cast<std::size_t>(state.index(k, n))]++);
          pairPoint[slot] = static_cast<std::int32_t>(n);
          pairWeight[slot] = static_cast<Scalar>(static_cast<double>(state.prob(k, n)) * ctx.weight(n));
        }
    }

    const Eigen::VectorXd floor = ctx.noiseFloor();
    std::vector<double> mass(static_cast<std::size_t>(C), 0.0);
    std::vector<unsigned char> degenerate(static_cast<std::size_t>(C), 0);
    Eigen::MatrixXd residual;  // unnormalised noise per component, shared noise only
    if (ctx.options.sharedNoise) residual.setZero(D, C);
    const double minMass = 1e-8 * ctx.totalWeight / static_cast<double>(C);

    struct Scratch {
      Matrix<Scalar> gathered, y, z, zw;
      Vector<Scalar> w;
    };
    std::vector<Scratch> scratch(static_cast<std::size_t>(ctx.threads));
    detail::ExceptionCapture capture;

    // Dense responsibilities: each task handles a group of components and streams the data once for
    // the whole group (block by block, in cache); sparse: one component per task over its own points.
    // Either way each component's sums are formed by one thread in a fixed order.
    const Index group = dense ? std::max<Index>(1, std::min<Index>(16, C / (4 * ctx.threads))) : 1;
    const Index numTasks = (C + group - 1) / group;

#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
    for (Index task = 0; task < numTasks; ++task) {
      capture.run([&] {
        Scratch& s = scratch[static_cast<std::size_t>(detail::threadIndex())];
        const Index c0 = task * group, c1 = std::min(C, c0 + group);
        std::vector<Stats> stats(static_cast<std::size_t>(c1 - c0), Stats(D, H));

        // One block of b points for component c: y = x − μ_old, z̃ = [V_cᵀ y; 1], three products.
        auto accumulate = [&](Index c, const auto& Xb) {
          Stats& st = stats[static_cast<std::size_t>(c - c0)];
          const Index b = Xb.cols();
          s.y.resize(D, b);
          s.y.noalias() = Xb.colwise() - p.means.col(c);
          s.z.resize(H + 1, b);
          if (H > 0) s.z.topRows(H) = cache.latentMeans(p, c, s.y);
          s.z.row(H).setOnes();
          s.zw.resize(H + 1, b);
          s.zw.noalias() = (s.z.array().rowwise() * s.w.transpose().array()).matrix();
          st.YE += (s.y * s.zw.transpose()).template cast<double>();
          st.EE += (s.z * s.zw.transpose()).template cast<double>();
          s.y.array() = s.y.array().square();
          st.syy += (s.y * s.w).template cast<double>();
          st.Q += static_cast<double>(s.w.sum());
        };

        if (dense) {
          for (Index first = 0; first < N; first += B) {
            const Index b = std::min(B, N - first);
            const auto Xb = ctx.data.middleCols(first, b);
            for (Index c = c0; c < c1; ++c) {
              if (ctx.sampleWeights.size())
                s.w = (denseProbT.col(c).segment(first, b).template cast<double>().array() *
                       ctx.sampleWeights.segment(first, b).array()).template cast<Scalar>().matrix();
              else
                s.w = denseProbT.col(c).segment(first, b);
              accumulate(c, Xb);
            }
          }
        } else {
          const Index begin = offsets[static_cast<std::size_t>(c0)], end = offsets[static_cast<std::size_t>(c0 + 1)];
          for (Index first = begin; first < end; first += B) {
            const Index b = std::min(B, end - first);
            s.gathered.resize(D, b);
            s.w.resize(b);
            for (Index j = 0; j < b; ++j) {
              s.gathered.col(j) = ctx.data.col(pairPoint[static_cast<std::size_t>(first + j)]);
              s.w(j) = pairWeight[static_cast<std::size_t>(first + j)];
            }
            accumulate(c0, s.gathered);
          }
        }
        for (Index c = c0; c < c1; ++c)
          degenerate[static_cast<std::size_t>(c)] =
              update(ctx, p, cache, c, stats[static_cast<std::size_t>(c - c0)], floor, minMass, residual) ? 0 : 1;
        for (Index c = c0; c < c1; ++c) mass[static_cast<std::size_t>(c)] = stats[static_cast<std::size_t>(c - c0)].Q;
      });
    }
    capture.rethrow();

    double totalMass = 0.0;
    Eigen::VectorXd sharedResidual = Eigen::VectorXd::Zero(D);
    for (Index c = 0; c < C; ++c) {
      if (degenerate[static_cast<std::size_t>(c)]) continue;
      totalMass += mass[static_cast<std::size_t>(c)];
      if (ctx.options.sharedNoise) sharedResidual += residual.col(c);
    }
    if (ctx.options.sharedNoise) {
      const Eigen::VectorXd psi =
          totalMass > 0.0 ? Eigen::VectorXd((sharedResidual / totalMass).cwiseMax(floor)) : ctx.dataVariance;
      for (Index c = 0; c < C; ++c) p.noise.col(c) = psi.template cast<Scalar>();
    }

    MStepReport report;
    report.reseededComponents = reseed(ctx, p, state, estep, degenerate, mass, totalMass);
    if (totalMass <= 0.0) totalMass = 1.0;
    for (Index c = 0; c < C; ++c)
      p.weights(c) = static_cast<Scalar>(mass[static_cast<std::size_t>(c)] / totalMass);
    const double sum = p.weights.template cast<double>().sum();
    p.weights = (p.weights.template cast<double>() / sum).template cast<Scalar>();
    return report;
  }

 private:
  /// Sufficient statistics of one component, in double.
  struct Stats {
    Eigen::MatrixXd YE, EE;
    Eigen::VectorXd syy;
    double Q = 0.0;
    Stats(Index D, Index H)
        : YE(Eigen::MatrixXd::Zero(D, H + 1)), EE(Eigen::MatrixXd::Zero(H + 1, H + 1)), syy(Eigen::VectorXd::Zero(D)) {}
  };

  /// Solves for component c's new parameters from its statistics; false if it is degenerate.
  static bool update(const FitContext<Scalar>& ctx, Parameters<Scalar>& p, const detail::ComponentCache<Scalar>& cache,
                     Index c, Stats& st, const Eigen::VectorXd& floor, double minMass, Eigen::MatrixXd& residual) {
    const Index H = p.latentDim;
    if (!(st.Q > minMass) || !st.YE.allFinite() || !st.EE.allFinite() || !st.syy.allFinite()) return false;
    if (H > 0) st.EE.topLeftCorner(H, H) += st.Q * cache.posteriorCov.middleCols(H * c, H);
    Eigen::LLT<Eigen::MatrixXd> llt(st.EE);
    if (llt.info() != Eigen::Success) return false;
    const Eigen::MatrixXd W = llt.solve(st.YE.transpose()).transpose();  // D × (H+1) = [Λ, b]
    const Eigen::VectorXd r = st.syy - (W.array() * st.YE.array()).rowwise().sum().matrix();
    if (!W.allFinite() || !r.allFinite()) return false;
    p.means.col(c) = (p.means.col(c).template cast<double>() + W.col(H)).template cast<Scalar>();
    if (H > 0) p.loading(c) = W.leftCols(H).template cast<Scalar>();
    if (ctx.options.sharedNoise)
      residual.col(c) = r.cwiseMax(0.0);
    else
      p.noise.col(c) = (r.cwiseMax(0.0) / st.Q).cwiseMax(floor).template cast<Scalar>();
    return true;
  }

  /// Re-seeds every degenerate component at one of the points with the lowest bound (distinct
  /// points, lowest first), with fresh loadings and the data variance as noise. Its mass becomes
  /// that point's weight; with truncated responsibilities the component replaces the least probable
  /// entry of that point's active set so that the next E-step evaluates it.
  Index reseed(const FitContext<Scalar>& ctx, Parameters<Scalar>& p, SparseResponsibilities<Scalar>& state,
               const EStepOutput& estep, const std::vector<unsigned char>& degenerate, std::vector<double>& mass,
               double& totalMass) const {
    std::vector<Index> bad;
    for (Index c = 0; c < p.numComponents(); ++c)
      if (degenerate[static_cast<std::size_t>(c)]) bad.push_back(c);
    if (bad.empty()) return 0;
    const Index N = ctx.numPoints();
    std::vector<std::pair<double, Index>> order;
    order.reserve(static_cast<std::size_t>(N));
    for (Index n = 0; n < N; ++n)
      if (ctx.weight(n) > 0.0) {
        const double b = estep.bound(n);
        order.emplace_back(std::isfinite(b) ? b : -std::numeric_limits<double>::infinity(), n);
      }
    const std::size_t take = std::min(order.size(), bad.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end());
    for (std::size_t i = 0; i < bad.size(); ++i) {
      const Index c = bad[i];
      const Index n = order[i % std::max<std::size_t>(take, 1)].second;
      p.means.col(c) = ctx.data.col(n);
      p.noise.col(c) = (ctx.options.sharedNoise ? p.noise.col(c).template cast<double>() : ctx.dataVariance)
                           .template cast<Scalar>();
      detail::drawLoadings(p, c, ctx.dataVariance, ctx.seed(), static_cast<std::uint64_t>(ctx.iteration) + 1);
      mass[static_cast<std::size_t>(c)] = ctx.weight(n);
      totalMass += ctx.weight(n);
      if (!state.dense()) {
        bool present = false;
        Index weakest = 0;
        for (Index k = 0; k < state.perPoint(); ++k) {
          if (state.index(k, n) == c) present = true;
          if (state.prob(k, n) < state.prob(weakest, n)) weakest = k;
        }
        if (!present) {
          state.index(weakest, n) = static_cast<std::int32_t>(c);
          state.prob(weakest, n) = Scalar(0);
        }
      }
    }
    return static_cast<Index>(bad.size());
  }

  Options options_;
};

}  // namespace vmfa
