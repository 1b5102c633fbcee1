// A user-written E-step policy, plugged into vmfa::Model from outside the library: hard
// assignments (classification EM, C' = 1). Every point is evaluated against every component and
// keeps only its most probable one, with q = 1. The objective Σ_n w_n max_c log p(x_n, c) never
// decreases: the E-step maximises it over the assignments, the closed-form M-step over the
// parameters. Used by examples/hard_assignment.cpp and tests/test_policies.cpp; the members are
// those listed in include/vmfa/policies.hpp.
#pragma once

#include <vmfa/vmfa.hpp>

#include <cstdint>
#include <vector>

template <typename Scalar_>
class HardAssignmentEStep {
 public:
  using Scalar = Scalar_;
  struct Options {};
  using Statistics = vmfa::NoStatistics;  // nothing to combine across processes

  HardAssignmentEStep() = default;
  explicit HardAssignmentEStep(const Options&) {}

  void checkOptions(vmfa::Index /*C*/, const char* /*where*/) const {}
  void describe(vmfa::OptionList& /*out*/) const {}  // no options: nothing for the processes of a distributed fit to compare
  int maxWarmupIterations() const { return 0; }
  vmfa::Index truncation(vmfa::Index /*C*/) const { return 1; }  // one component per point

  void initialize(const vmfa::FitContext<Scalar>& ctx, const vmfa::Parameters<Scalar>& /*p*/,
                  const std::vector<vmfa::Index>& /*seedPoints*/, vmfa::Responsibilities<Scalar>& resp) {
    resp.index.setZero(1, ctx.numPoints());
    resp.prob.setOnes(1, ctx.numPoints());
  }

  vmfa::EStepSummary run(const vmfa::FitContext<Scalar>& ctx, int /*iteration*/, const vmfa::Parameters<Scalar>& p,
                         const vmfa::ComponentCache<Scalar>& cache, vmfa::Responsibilities<Scalar>& resp,
                         vmfa::PointResults& points, Statistics& /*statistics*/) {
    const vmfa::Index N = ctx.numPoints();
    points.bound.resize(N);
    points.best.resize(static_cast<std::size_t>(N));
    // L (C × b) holds log p(x_j, c) for a block of points; blocks run in parallel
    vmfa::forEachDenseBlock(p, cache, ctx.data, ctx.options.blockSize, ctx.threads,
                            [&](vmfa::Index first, const vmfa::Matrix<Scalar>& L, int /*thread*/) {
                              for (vmfa::Index j = 0; j < L.cols(); ++j) {
                                vmfa::Index best = 0;
                                const Scalar top = L.col(j).maxCoeff(&best);
                                resp.index(0, first + j) = static_cast<std::int32_t>(best);
                                resp.prob(0, first + j) = Scalar(1);
                                points.best[static_cast<std::size_t>(first + j)] = static_cast<std::int32_t>(best);
                                points.bound(first + j) = static_cast<double>(top);
                              }
                            });
    vmfa::EStepSummary summary;
    for (vmfa::Index n = 0; n < N; ++n) summary.freeEnergy += ctx.weight(n) * points.bound(n);
    summary.logJointEvaluations = static_cast<std::uint64_t>(N) * static_cast<std::uint64_t>(p.numComponents());
    return summary;
  }

  void finish(const vmfa::FitContext<Scalar>&, int, const vmfa::Parameters<Scalar>&, const Statistics&) {}
  vmfa::PolicyState saveState() const { return {}; }
  void restoreState(vmfa::Index, const vmfa::PolicyState&, const char*) {}
};
