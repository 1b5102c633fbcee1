/// \file model.hpp
/// \brief `vmfa::Model`: a mixture of factor analysers that fits itself to data (its parameters and
/// exact inference: `Mixture`, mixture.hpp). The fit loop is in fit.hpp, checkpoints in
/// checkpoint.hpp, the policy contracts in policies.hpp.
#pragma once

#include "checkpoint.hpp"
#include "context.hpp"
#include "detail/checks.hpp"
#include "detail/parallel.hpp"
#include "detail/rng.hpp"
#include "errors.hpp"
#include "estep.hpp"
#include "fit.hpp"
#include "graph.hpp"
#include "inference.hpp"
#include "init.hpp"
#include "kernel.hpp"
#include "mixture.hpp"
#include "mstep.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "policies.hpp"
#include "responsibilities.hpp"
#include "truncated_estep.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

namespace vmfa {

/// \brief A mixture of factor analysers, p(x) = Σ_c π_c N(x; μ_c, Λ_c Λ_cᵀ + Ψ_c).
///
/// \tparam Scalar_ float or double: storage and kernels. Log-sum-exp, the per-component
///         precomputation and the sums of the M-step's statistics over blocks of points run in
///         double either way; within one block (at most `Options::blockSize` points) the products
///         are formed in Scalar, so a float model's noise ψ carries float rounding amplified by
///         λ²/ψ (the cancellation in ψ = syy − Σ W·YE; tests/test_em.cpp pins the bound).
/// \tparam EStep_  E-step policy: `TruncatedEStep` (v-MFA with its neighbour graph, default) or
///         `ExactEStep` (em-MFA), or your own (policies.hpp lists the members it needs).
/// \tparam MStep_  M-step policy (`ClosedFormMStep`).
///
/// Data are D × N Eigen matrices, column-major, one point per column (a C-order N × D numpy
/// array maps onto this without a copy). Every public method validates its input and throws
/// `InvalidArgument` naming the method and the values; numerical trouble during a fit is reported
/// in `FitResult::status`.
///
/// The model owns all state of a fit: the parameters, the responsibilities of the training points
/// and the policies (the truncated E-step owns its neighbour graph).
///
/// Thread safety: const methods may run concurrently; `fit` and `setParameters` must not run
/// concurrently with anything else on the same model. Parallelism is inside each call (OpenMP).
///
/// \code
/// Eigen::MatrixXf X = ...;                 // D x N
/// vmfa::Options opt;
/// opt.numComponents = 100;
/// opt.latentDim = 4;
/// vmfa::Model<float> model(opt);         // v-MFA; vmfa::ExactModel<float> for exact EM
/// vmfa::FitResult r = model.fit(X);
/// double ll = model.score(X);              // mean log-likelihood per point
/// Eigen::VectorXi labels = model.predict(X);
/// \endcode
template <typename Scalar_, typename EStep_ = TruncatedEStep<Scalar_>, typename MStep_ = ClosedFormMStep<Scalar_>>
class Model : public Mixture<Scalar_> {
  using Base = Mixture<Scalar_>;

 public:
  using Scalar = Scalar_;
  using EStep = EStep_;
  using MStep = MStep_;
  using DataRef = typename Base::DataRef;
  using Base::dim;
  using Base::isFitted;
  using Base::latentDim;
  using Base::numComponents;
  using Base::options;
  /// Combines statistics across processes (see `StatisticsCombiner`); empty in one process.
  using Combiner = StatisticsCombiner<typename EStep::Statistics, typename MStep::Statistics>;

  static_assert(std::is_same<Scalar, float>::value || std::is_same<Scalar, double>::value,
                "vmfa::Model supports float and double");
  static_assert(checkEStepPolicy<EStep, Scalar>(), "vmfa: see the E-step policy contract in policies.hpp");
  static_assert(checkMStepPolicy<MStep, Scalar>(), "vmfa: see the M-step policy contract in policies.hpp");

  /// Creates an unfitted model. Options are checked by `fit`.
  explicit Model(const Options& options = Options(), const EStep& estep = EStep(), const MStep& mstep = MStep())
      : Base(options), estep_(estep), mstep_(mstep) {}

  // ---------------------------------------------------------------------------------------------
  // Fitting

  /// \brief Fits the model to the columns of X (D × N) from a fresh initialisation.
  /// \throws InvalidArgument on bad shapes, non-finite data, N < C, H >= D or options out of range.
  /// Cost per iteration: that of the E-step policy plus O(N·K·D·H) for the M-step.
  template <typename Derived>
  FitResult fit(const Eigen::MatrixBase<Derived>& X) {
    Base::template checkLayout<Derived>();
    const Eigen::VectorXd none;
    return fitImpl(DataRef(X.derived()), none);
  }

  /// \brief Fits with non-negative per-point sample weights (a weight of k is k copies of the point).
  template <typename Derived, typename WDerived>
  FitResult fit(const Eigen::MatrixBase<Derived>& X, const Eigen::MatrixBase<WDerived>& sampleWeights) {
    Base::template checkLayout<Derived>();
    const Eigen::VectorXd w = sampleWeights.derived().template cast<double>();
    detail::require(sampleWeights.cols() == 1 || sampleWeights.rows() == 1, "vmfa::Model::fit",
                    "sample weights must be a vector, got ", sampleWeights.rows(), " x ", sampleWeights.cols());
    return fitImpl(DataRef(X.derived()), w);
  }

  /// Receives a checkpoint (see `setCheckpointHandler`).
  using CheckpointHandler = std::function<void(const FitCheckpoint<Scalar>&)>;

  /// \brief Calls `handler` with the fit's state after every `every`-th iteration (0: never) and
  /// when the progress callback stops the fit. The handler typically saves it with
  /// `vmfa::saveCheckpoint`. Cost: a copy of the parameters and of K(n) per call.
  void setCheckpointHandler(int every, CheckpointHandler handler) {
    detail::require(every >= 0, "vmfa::Model::setCheckpointHandler", "every = ", every, " must be >= 0");
    checkpointEvery_ = every;
    checkpointHandler_ = std::move(handler);
  }

  /// \brief Makes this model's fits span the processes of `all` (`Collective`; `vmfa/mpi.hpp` for
  /// MPI): `fit` and `resume` then take this process's shard of the points, and every process of
  /// `all` must make the same calls. The statistics of both policies are combined over the
  /// processes by `combiner`; its empty members get `detail::defaultCombiner` (a sum of
  /// `MStepStatistics`, a gather and `+=` in rank order of statistics with `toBytes`/`fromBytes`).
  /// Does not compile for policies whose statistics cannot be combined or whose options cannot be
  /// compared (`describe`; see policies.hpp). Null `all`: one process again.
  void distribute(std::shared_ptr<const Collective> all, Combiner combiner = Combiner()) {
    static_assert(detail::requireHasDescribe<EStep>() && detail::requireHasDescribe<MStep>(),
                  "vmfa: see the policy contract in policies.hpp");
    if (!all) {
      collective_.reset();
      combiner_ = Combiner();
      return;
    }
    if (!combiner.estep) combiner.estep = detail::defaultCombiner<typename EStep::Statistics>(all);
    if (!combiner.mstep) combiner.mstep = detail::defaultCombiner<typename MStep::Statistics>(all);
    collective_ = std::move(all);
    combiner_ = std::move(combiner);
  }
  const Collective& collective() const { return collective_ ? *collective_ : Collective::single(); }

  /// \brief Replaces how the statistics of this process are combined before they are used (one
  /// process: a hook that sees or alters them, e.g. in tests; a distributed fit sets its combiner
  /// with `distribute`).
  void setCombiner(Combiner combiner) { combiner_ = std::move(combiner); }

  /// \brief Continues a fit from a checkpoint on the same data (and sample weights). The seed is
  /// the checkpoint's. \throws InvalidArgument when the checkpoint does not match the data or the
  /// model's options and policies; the model is then unchanged.
  template <typename Derived>
  FitResult resume(const Eigen::MatrixBase<Derived>& X, const FitCheckpoint<Scalar>& checkpoint) {
    Base::template checkLayout<Derived>();
    const Eigen::VectorXd none;
    return resumeImpl(DataRef(X.derived()), none, checkpoint);
  }

  /// \brief Continues a weighted fit from a checkpoint.
  template <typename Derived, typename WDerived>
  FitResult resume(const Eigen::MatrixBase<Derived>& X, const Eigen::MatrixBase<WDerived>& sampleWeights,
                   const FitCheckpoint<Scalar>& checkpoint) {
    Base::template checkLayout<Derived>();
    const Eigen::VectorXd w = sampleWeights.derived().template cast<double>();
    return resumeImpl(DataRef(X.derived()), w, checkpoint);
  }

  /// \brief Truncated posteriors of (new) points found by the fit's own search, with the
  /// parameters fixed: starting from the active sets `initial` (K × N component indices, K = the
  /// E-step's C'; e.g. those of nearby training points), runs `steps` E-steps, each of which
  /// evaluates the neighbour graph of the current K(n) plus E random components and keeps the C'
  /// best. Cost O(steps·N·(C'·G + E)·D·H) instead of O(N·C·D·H) for `topResponsibilities`. The
  /// model, its graph included, is not changed (the search updates a copy of the E-step). With an
  /// exact E-step policy the result is the dense C × N posterior and `initial` is only checked for
  /// its number of columns. `evaluations`, when given, receives the number of log-joints evaluated.
  template <typename Derived>
  Responsibilities<Scalar> searchResponsibilities(const Eigen::MatrixBase<Derived>& X, const IndexMatrix& initial,
                                                  int steps = 1, std::uint64_t* evaluations = nullptr) const {
    const char* where = "vmfa::Model::searchResponsibilities";
    const DataRef Xr = checked(where, X);
    detail::require(steps >= 1, where, "steps = ", steps, " must be >= 1");
    detail::require(initial.cols() == Xr.cols(), where, "got active sets for ", initial.cols(), " points, the data has ",
                    Xr.cols());
    const Index K = estep_.truncation(numComponents());
    detail::require(K == 0 || initial.rows() == K, where, "got ", initial.rows(),
                    " active components per point, the E-step keeps C' = ", K);
    if (K > 0) detail::checkActiveSets(where, initial, numComponents());
    EStep copy = estep_;
    return inference::search(copy, params_, cache_, options_, Xr, initial, steps, evaluations);
  }

  // ---------------------------------------------------------------------------------------------
  // Policies and state (the parameters and exact inference: `Mixture`)

  Options& options() { return options_; }
  const EStep& estep() const { return estep_; }
  const MStep& mstep() const { return mstep_; }

  /// The responsibilities of the training points kept by the last fit (top-C' per point for a
  /// truncated E-step; dense C × N for the exact one).
  const Responsibilities<Scalar>& fittedResponsibilities() const { return resp_; }

  /// \brief Replaces the parameters (validated), e.g. to score a known model or continue a fit.
  void setParameters(const Parameters<Scalar>& p) {
    p.validate("vmfa::Model::setParameters");
    params_ = p;
    options_.numComponents = p.numComponents();
    options_.latentDim = p.latentDim;
    cache_.compute(params_, options_.numThreads);
    resp_ = Responsibilities<Scalar>();
    detail::resetPolicyState(estep_, p.numComponents(), options_.seed);  // e.g. the graph, for searches
  }

 private:
  using Base::cache_;
  using Base::checkComponent;
  using Base::checked;
  using Base::options_;
  using Base::params_;
  using Base::requireFitted;

  /// Every option that shapes a fit, the policies' included: what the processes of a
  /// distributed fit compare.
  std::string settings() const {
    OptionList out;
    describe(options_, out);
    detail::describePolicy(estep_, out.prefix("estep."));
    detail::describePolicy(mstep_, out.prefix("mstep."));
    return out.str();
  }

  /// Collective: every process passes, or every process throws the same error.
  void checkFit(const char* where, const DataRef& X, const Eigen::VectorXd& w) const {
    detail::checkFitInput<Scalar>(where, X, w, options_, collective(), settings(), [&] {
      estep_.checkOptions(options_.numComponents, where);
      mstep_.checkOptions(options_.numComponents, where);
    });
  }

  using Loop = detail::FitLoop<Scalar, EStep, MStep>;

  /// Runs the loop on the model's own state and keeps the result.
  FitResult runLoop(const FitContext<Scalar>& ctx, Parameters<Scalar> params, Responsibilities<Scalar> resp,
                    const detail::LoopState& loop, FitResult result, detail::Clock::time_point start) {
    ComponentCache<Scalar> cache;
    Loop fitLoop{ctx, estep_, mstep_, combiner_, checkpointEvery_, checkpointHandler_};
    result = fitLoop.run(params, resp, cache, loop, std::move(result), start);
    collective().agree();  // a process that failed after the last exchange stops them all
    params_ = std::move(params);
    cache_ = std::move(cache);
    resp_ = std::move(resp);
    return result;
  }

  /// A fit or resume on one process, or on every process of a distributed fit: an exception
  /// raised on some processes only becomes the same exception on every process
  /// (`Collective::agree`), never a process left waiting for the others.
  template <typename F>
  FitResult collectively(F&& f) {
    try {
      return f();
    } catch (...) {
      collective().agree(std::current_exception());
      throw;  // not reached: agree throws
    }
  }

  FitResult fitImpl(const DataRef& X, const Eigen::VectorXd& w) {
    return collectively([&] { return fitOnce(X, w); });
  }

  FitResult fitOnce(const DataRef& X, const Eigen::VectorXd& w) {
    const char* where = "vmfa::Model::fit";
    checkFit(where, X, w);
    collective().agreeOn([&] {
      if (options_.warmStart)
        detail::require(isFitted() && numComponents() == options_.numComponents && latentDim() == options_.latentDim &&
                            dim() == X.rows(),
                        where, "warmStart needs parameters with C = ", options_.numComponents, ", H = ",
                        options_.latentDim, ", D = ", X.rows(), "; the model has C = ", numComponents(), ", H = ",
                        latentDim(), ", D = ", dim());
    });
    const auto start = detail::Clock::now();
    const FitContext<Scalar> ctx(X, w, options_, collective());
    Parameters<Scalar> params;
    std::vector<Index> seeds;  // the point that seeded each component
    if (options_.warmStart) {
      params = params_;
    } else {
      try {
        params = initialParameters(ctx, &seeds);
      } catch (const detail::InitialisationInterrupted&) {
        FitResult stopped;  // the model is left as it was
        stopped.status = FitStatus::StoppedByCallback;
        stopped.message = "interrupted during the initialisation";
        stopped.initSeconds = stopped.seconds = detail::since(start);
        return stopped;
      }
    }
    Responsibilities<Scalar> resp;
    estep_.initialize(ctx, params, seeds, resp);
    detail::LoopState loop;
    loop.warmupLeft = estep_.maxWarmupIterations();
    FitResult result;
    result.initSeconds = detail::since(start);
    return runLoop(ctx, std::move(params), std::move(resp), loop, std::move(result), start);
  }

  FitResult resumeImpl(const DataRef& X, const Eigen::VectorXd& w, const FitCheckpoint<Scalar>& cp) {
    return collectively([&] { return resumeOnce(X, w, cp); });
  }

  FitResult resumeOnce(const DataRef& X, const Eigen::VectorXd& w, const FitCheckpoint<Scalar>& cp) {
    const char* where = "vmfa::Model::resume";
    const auto start = detail::Clock::now();
    const Options saved = options_;
    const EStep savedEStep = estep_;
    const MStep savedMStep = mstep_;
    options_.numComponents = cp.parameters.numComponents();
    options_.latentDim = cp.parameters.latentDim;
    options_.sharedNoise = cp.sharedNoise;
    options_.seed = cp.seed;
    Responsibilities<Scalar> resp;
    try {
      checkFit(where, X, w);
      collective().agreeOn([&] {  // this process's own checks, agreed by all
        cp.parameters.validate(where);
        detail::require(cp.parameters.dim() == X.rows() && cp.numPoints == X.cols(), where, "the checkpoint is for N = ",
                        cp.numPoints, " points of dimension ", cp.parameters.dim(), ", the data has N = ", X.cols(),
                        " points of dimension ", X.rows());
        detail::require(cp.mstepsDone >= 0 && cp.warmupLeft >= 0 && cp.nextIteration >= 0, where,
                        "invalid loop state in the checkpoint (next iteration ", cp.nextIteration, ", M-steps ",
                        cp.mstepsDone, ", warm-up left ", cp.warmupLeft, ")");
        const Index C = cp.parameters.numComponents(), K = estep_.truncation(C);
        // (a process without points saves no active sets, whatever K)
        detail::require(X.cols() == 0 ? cp.activeSets.size() == 0
                                      : cp.activeSets.rows() == K && (K == 0 || cp.activeSets.cols() == X.cols()),
                        where, "the checkpoint has ", cp.activeSets.rows(), " active components per point, the E-step uses ", K);
        if (K > 0) detail::checkActiveSets(where, cp.activeSets, C);
        resp = Responsibilities<Scalar>::startingFrom(X.cols() == 0 ? IndexMatrix(K, 0) : cp.activeSets, K, C, X.cols());
        estep_.restoreState(C, cp.estepState, where);
        detail::restoreMStepState(mstep_, C, cp.mstepState, where);
        // every process must resume the same fit at the same iteration
        checkpointDigest_ = detail::digestOf(cp);
      });
      const auto digests = collective().gatherValue(static_cast<std::int64_t>(checkpointDigest_));
      for (std::size_t r = 1; r < digests.size(); ++r)
        if (digests[r] != digests[0])
          throw Agreed<InvalidArgument>(detail::concat(where, ": the checkpoint of process ", r, " is not from the same fit "
                                                       "and iteration as process 0's (parameters, graph, seed or loop state differ)"));
    } catch (...) {
      options_ = saved;  // a rejected checkpoint leaves the model as it was
      estep_ = savedEStep;
      mstep_ = savedMStep;
      throw;
    }
    const FitContext<Scalar> ctx(X, w, options_, collective());
    detail::LoopState loop;
    loop.nextIteration = cp.nextIteration;
    loop.mstepsDone = cp.mstepsDone;
    loop.warmupLeft = cp.warmupLeft;
    loop.previous = cp.previousFreeEnergy;
    FitResult result = cp.result;
    loop.searchAll = !result.history.empty() && result.history.back().relativeChange < options_.tolerance;
    loop.stepSize = detail::replayStepSizes(
        options_, cp.parameters.bytes() <= detail::FitLoop<Scalar, EStep, MStep>::kMaxUndoBytes, result.history);
    result.initSeconds += detail::since(start);
    const auto resumedStart =
        start - std::chrono::duration_cast<detail::Clock::duration>(std::chrono::duration<double>(cp.result.seconds));
    return runLoop(ctx, cp.parameters, std::move(resp), loop, std::move(result), resumedStart);
  }

  EStep estep_;
  MStep mstep_;
  Combiner combiner_;
  std::shared_ptr<const Collective> collective_;
  Responsibilities<Scalar> resp_;
  int checkpointEvery_ = 0;
  CheckpointHandler checkpointHandler_;
  std::uint64_t checkpointDigest_ = 0;  // of the checkpoint being resumed
};

/// Exact EM (em-MFA): every point against every component, dense responsibilities.
template <typename Scalar>
using ExactModel = Model<Scalar, ExactEStep<Scalar>, ClosedFormMStep<Scalar>>;

/// v-MFA with the "Euclidean" neighbour-graph ablation instead of the KL graph.
template <typename Scalar>
using EuclideanGraphModel = Model<Scalar, TruncatedEStep<Scalar, EuclideanNeighborGraph>, ClosedFormMStep<Scalar>>;

}  // namespace vmfa
