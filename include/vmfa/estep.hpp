/// \file estep.hpp
/// \brief E-step policies. `ExactEStep` evaluates every point against every component (em-MFA).
///
/// An E-step policy provides (see `ExactEStep` for the reference implementation):
/// - `struct Options`, and a constructor taking it;
/// - `void checkOptions(Index C, const char* where) const`: throws InvalidArgument on bad options;
/// - `int maxWarmupIterations() const`: E-steps run with the parameters fixed before the first M-step;
/// - `template <class Graph> void initialize(const FitContext&, const Parameters&, SparseResponsibilities&, Graph&)`;
/// - `template <class Graph> EStepReport run(const FitContext&, const Parameters&, const ComponentCache&,
///    SparseResponsibilities&, Graph&, EStepOutput&)`: updates the responsibilities from the
///    current parameters and returns the free energy (summed with the sample weights).
#pragma once

#include "detail/context.hpp"
#include "detail/woodbury.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace vmfa {

/// \brief What an E-step reports to the model.
struct EStepReport {
  double freeEnergy = 0.0;              ///< Σ_n w_n log Σ_{c ∈ K(n)} p(x_n, c)
  std::uint64_t logJointEvaluations = 0;///< number of (point, component) log-joints evaluated
  double graphSeconds = 0.0;            ///< part of the E-step's time spent updating the graph
};

/// \brief Per-point by-products of an E-step that the model and the M-step use.
struct EStepOutput {
  Eigen::VectorXd bound;           ///< N, log Σ_{c ∈ K(n)} p(x_n, c) (the exact log p(x_n) for exact EM)
  std::vector<std::int32_t> best;  ///< N, arg max_c log p(x_n, c) among the evaluated components
};

/// \brief Exact E-step: all C components for every point, dense responsibilities. Cost
/// O(N·C·D·H) time and N·C·sizeof(Scalar) memory for the responsibilities. This is em-MFA.
template <typename Scalar_>
class ExactEStep {
 public:
  using Scalar = Scalar_;
  /// The exact E-step has no options.
  struct Options {};

  ExactEStep() = default;
  explicit ExactEStep(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }

  void checkOptions(Index /*C*/, const char* /*where*/) const {}
  int maxWarmupIterations() const { return 0; }

  template <typename Graph>
  void initialize(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, SparseResponsibilities<Scalar>& state,
                  Graph& /*graph*/) {
    state.index.resize(0, 0);
    state.prob.resize(p.numComponents(), ctx.numPoints());
  }

  template <typename Graph>
  EStepReport run(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, const detail::ComponentCache<Scalar>& cache,
                  SparseResponsibilities<Scalar>& state, Graph& /*graph*/, EStepOutput& out) {
    const Index N = ctx.numPoints(), C = p.numComponents();
    out.bound.resize(N);
    out.best.resize(static_cast<std::size_t>(N));
    detail::forEachDenseBlock(p, cache, ctx.data, ctx.options.blockSize, ctx.threads,
                              [&](Index first, const Matrix<Scalar>& L, int) {
                                for (Index j = 0; j < L.cols(); ++j) {
                                  Index arg = 0;
                                  L.col(j).maxCoeff(&arg);
                                  const double lse = detail::logSumExp(L.col(j));
                                  const Index n = first + j;
                                  out.bound(n) = lse;
                                  out.best[static_cast<std::size_t>(n)] = static_cast<std::int32_t>(arg);
                                  state.prob.col(n) =
                                      (L.col(j).template cast<double>().array() - lse).exp().template cast<Scalar>();
                                }
                              });
    EStepReport r;
    for (Index n = 0; n < N; ++n) r.freeEnergy += ctx.weight(n) * out.bound(n);
    r.logJointEvaluations = static_cast<std::uint64_t>(N) * static_cast<std::uint64_t>(C);
    return r;
  }

 private:
  Options options_;
};

}  // namespace vmfa
