/// \file estep.hpp
/// \brief The exact E-step `ExactEStep` (em-MFA); what E-steps produce is in policy_types.hpp. The truncated E-step of v-MFA is in truncated_estep.hpp; the
/// members every E-step policy provides are listed in policies.hpp.
#pragma once

#include "context.hpp"
#include "kernel.hpp"
#include "policy_types.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace vmfa {

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
