/// \file estep.hpp
/// \brief What E-steps produce (`EStepSummary`, `PointResults`, `PolicyState`) and the exact
/// E-step `ExactEStep` (em-MFA). The truncated E-step of v-MFA is in truncated_estep.hpp; the
/// members every E-step policy provides are listed in policies.hpp.
#pragma once

#include "context.hpp"
#include "kernel.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace vmfa {

/// \brief What one E-step reports to the model.
struct EStepSummary {
  double freeEnergy = 0.0;               ///< Σ_n w_n log Σ_{c ∈ K(n)} p(x_n, c)
  std::uint64_t logJointEvaluations = 0; ///< number of (point, component) log-joints evaluated
  double statisticsSeconds = 0.0;        ///< part of the E-step's time spent accumulating its statistics
};

/// \brief Per-point results of an E-step that the model and the M-step use.
struct PointResults {
  Eigen::VectorXd bound;           ///< N, log Σ_{c ∈ K(n)} p(x_n, c) (the exact log p(x_n) for exact EM)
  std::vector<std::int32_t> best;  ///< N, arg max_c log p(x_n, c) among the evaluated components
};

/// \brief The statistics of an E-step that accumulates none (exact EM): an empty value.
struct NoStatistics {
  NoStatistics& operator+=(const NoStatistics&) { return *this; }
};

/// \brief The internal state of a policy that a checkpoint must hold, as a table of `width`
/// integers per row (the neighbour graph: C rows of G components). Empty for stateless policies.
struct PolicyState {
  std::vector<std::int32_t> values;
  Index width = 0;
};

/// \brief Exact E-step: all C components for every point, dense responsibilities. Cost
/// O(N·C·D·H) time and N·C·sizeof(Scalar) memory for the responsibilities. This is em-MFA.
template <typename Scalar_>
class ExactEStep {
 public:
  using Scalar = Scalar_;
  /// The exact E-step has no options.
  struct Options {};
  /// It accumulates no statistics.
  using Statistics = NoStatistics;

  ExactEStep() = default;
  explicit ExactEStep(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }

  void checkOptions(Index /*C*/, const char* /*where*/) const {}
  void describe(OptionList& /*out*/) const {}  // no options
  int maxWarmupIterations() const { return 0; }
  /// Dense responsibilities: 0.
  Index truncation(Index /*C*/) const { return 0; }

  void initialize(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, const std::vector<Index>& /*seedPoints*/,
                  Responsibilities<Scalar>& resp) {
    resp.index.resize(0, 0);
    resp.prob.resize(p.numComponents(), ctx.numPoints());
  }

  EStepSummary run(const FitContext<Scalar>& ctx, int /*iteration*/, const Parameters<Scalar>& p,
                   const ComponentCache<Scalar>& cache, Responsibilities<Scalar>& resp, PointResults& points,
                   Statistics& /*statistics*/) {
    const Index N = ctx.numPoints(), C = p.numComponents();
    points.bound.resize(N);
    points.best.resize(static_cast<std::size_t>(N));
    const InterruptCheck stop = [&ctx] { return ctx.interrupted(); };
    forEachDenseBlock(p, cache, ctx.data, ctx.options.blockSize, ctx.threads,
                      [&](Index first, const Matrix<Scalar>& L, int) {
                        Vector<Scalar> post;
                        for (Index j = 0; j < L.cols(); ++j) {
                          Index arg = 0;
                          const Index n = first + j;
                          points.bound(n) = logSumExp(L.col(j), post, &arg);
                          points.best[static_cast<std::size_t>(n)] = static_cast<std::int32_t>(arg);
                          resp.prob.col(n) = post;
                        }
                      },
                      &ctx.options.stepCallback, &stop);
    EStepSummary r;
    for (Index n = 0; n < N; ++n) r.freeEnergy += ctx.weight(n) * points.bound(n);
    r.logJointEvaluations = static_cast<std::uint64_t>(N) * static_cast<std::uint64_t>(C);
    return r;
  }

  void finish(const FitContext<Scalar>& /*ctx*/, int /*iteration*/, const Parameters<Scalar>& /*p*/,
              const Statistics& /*statistics*/) {}

  PolicyState saveState() const { return {}; }
  void restoreState(Index /*C*/, const PolicyState& state, const char* where) {
    detail::require(state.values.empty(), where, "the exact E-step keeps no state, the checkpoint holds ", state.values.size(),
                    " values (a checkpoint of a v-MFA fit?)");
  }

 private:
  Options options_;
};

}  // namespace vmfa
