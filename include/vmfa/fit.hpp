/// \file fit.hpp
/// \brief The fit loop of `vmfa::Model`: per iteration E-step → accumulate → combine → finish,
/// the warm-up and convergence logic, and checkpoints. `Model` owns the state (parameters,
/// responsibilities, policies) and lends it to `detail::FitLoop` for the duration of one fit.
#pragma once

#include "detail/acceleration.hpp"
#include "checkpoint.hpp"
#include "context.hpp"
#include "estep.hpp"
#include "kernel.hpp"
#include "mstep.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "policies.hpp"
#include "responsibilities.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace vmfa {

/// \brief How the statistics of this process's points are combined with those of the other
/// processes of a distributed fit, before they are used. Empty members: one process, nothing to
/// combine. A combiner must leave every process with the same combined value (e.g. an
/// all-reduce of `MStepStatistics::values()`, an all-gather and `+=` of `GraphStatistics`).
template <typename EStatistics, typename MStatistics>
struct StatisticsCombiner {
  std::function<void(EStatistics&)> estep;  ///< the E-step's statistics (the neighbour-graph statistics)
  std::function<void(MStatistics&)> mstep;  ///< the M-step's statistics, one range of components at a time
};

namespace detail {

/// Whether statistics can be sent between processes: `std::vector<char> toBytes() const` and
/// `static S fromBytes(const std::vector<char>&)` (with `operator+=`, which every policy's
/// statistics have).
template <typename S, typename = void>
struct SerialisableStatistics : std::false_type {};
template <typename S>
struct SerialisableStatistics<S, std::void_t<decltype(std::declval<const S&>().toBytes()),
                                             decltype(S::fromBytes(std::declval<const std::vector<char>&>()))>>
    : std::true_type {};

/// Whether statistics of type S can be combined across processes (see `defaultCombiner`).
template <typename S>
constexpr bool combinable() {
  return std::is_same<S, NoStatistics>::value || std::is_same<S, MStepStatistics>::value || SerialisableStatistics<S>::value;
}

/// How `Model::distribute` combines statistics of type S over the processes of `all` when no
/// combiner is given: nothing for `NoStatistics`; an element-wise sum (in rank order) of
/// `MStepStatistics::values()`; otherwise every process's `toBytes()` gathered and merged in
/// rank order, s₀ += s₁ += …, so that every process holds the same value.
template <typename S>
std::function<void(S&)> defaultCombiner(const std::shared_ptr<const Collective>& all) {
  static_assert(combinable<S>(),
                "vmfa: a distributed fit combines the policies' statistics across processes: give Statistics "
                "std::vector<char> toBytes() const and static Statistics fromBytes(const std::vector<char>&) "
                "(or use NoStatistics)");
  if constexpr (std::is_same<S, NoStatistics>::value) {
    return {};
  } else if constexpr (std::is_same<S, MStepStatistics>::value) {
    return [all](S& s) { all->sum(s.values().data(), s.values().size()); };
  } else {
    return [all](S& s) {
      const auto parts = all->gather(s.toBytes());
      S merged = S::fromBytes(parts[0]);
      for (std::size_t r = 1; r < parts.size(); ++r) merged += S::fromBytes(parts[r]);
      s = std::move(merged);
    };
  }
}

using Clock = std::chrono::steady_clock;
inline double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// Where a fit loop stands between two iterations.
struct LoopState {
  int nextIteration = 0;
  int mstepsDone = 0;
  int warmupLeft = 0;
  double previous = std::numeric_limits<double>::quiet_NaN();
  double stepSize = 1.0;  ///< the over-relaxation η of the last M-step (1: a plain EM step)
  bool searchAll = false;  ///< the last E-step changed F by less than the tolerance: every point searches next
};

/// Components that are the best of at least one point (of any process).
inline Index countInUse(const std::vector<std::int32_t>& best, Index C, const Collective& all = Collective::single()) {
  std::vector<std::int64_t> seen(static_cast<std::size_t>(C), 0);
  for (auto c : best) seen[static_cast<std::size_t>(c)] = 1;
  all.sum(seen.data(), seen.size());
  return static_cast<Index>(C - std::count(seen.begin(), seen.end(), 0));
}

/// Whether an M-step policy has the optional `accumulateAndSolve` (see policies.hpp).
template <typename MStep, typename = void>
struct HasAccumulateAndSolve : std::false_type {};
template <typename MStep>
struct HasAccumulateAndSolve<
    MStep, std::void_t<decltype(std::declval<const MStep&>().accumulateAndSolve(
               std::declval<const FitContext<typename MStep::Scalar>&>(), std::declval<Parameters<typename MStep::Scalar>&>(),
               std::declval<const ComponentCache<typename MStep::Scalar>&>(),
               std::declval<const Responsibilities<typename MStep::Scalar>&>(), Index(), Index(),
               std::declval<typename MStep::Solution&>()))>> : std::true_type {};

/// Whether an E-step can write new active sets beside the old ones (TruncatedEStep's second `run`).
template <typename EStep, typename = void>
struct HasRunInto : std::false_type {};
template <typename EStep>
struct HasRunInto<
    EStep, std::void_t<decltype(std::declval<EStep&>().run(
               std::declval<const FitContext<typename EStep::Scalar>&>(), int(),
               std::declval<const Parameters<typename EStep::Scalar>&>(),
               std::declval<const ComponentCache<typename EStep::Scalar>&>(),
               std::declval<const Responsibilities<typename EStep::Scalar>&>(),
               std::declval<Responsibilities<typename EStep::Scalar>&>(), std::declval<PointResults&>(),
               std::declval<typename EStep::Statistics&>()))>> : std::true_type {};

/// Whether an M-step keeps state of its own in checkpoints (`saveState` and `restoreState`).
template <typename MStep>
constexpr bool kMStepHasState = HasSaveState<MStep>::value && HasRestoreState<MStep>::value;

/// The M-step's state for a checkpoint (empty for an M-step that keeps none).
template <typename MStep>
PolicyState mstepState(const MStep& mstep) {
  if constexpr (kMStepHasState<MStep>) return mstep.saveState();
  else return PolicyState();
}

/// Sets an M-step's state from a checkpoint. \throws InvalidArgument when the checkpoint holds
/// state that this M-step does not keep.
template <typename MStep>
void restoreMStepState(MStep& mstep, Index C, const PolicyState& state, const char* where) {
  if constexpr (kMStepHasState<MStep>)
    mstep.restoreState(C, state, where);
  else
    require(state.values.empty() && state.width == 0, where, "the checkpoint holds M-step state (",
            state.values.size(), " values), which this M-step policy does not keep");
}

/// One fit, run on state it borrows from the model.
template <typename Scalar, typename EStep, typename MStep>
struct FitLoop {
  using Combiner = StatisticsCombiner<typename EStep::Statistics, typename MStep::Statistics>;
  using CheckpointHandler = std::function<void(const FitCheckpoint<Scalar>&)>;

  /// Largest model whose M-step an interrupt stops (and undoes from a copy of the parameters).
  static constexpr std::size_t kMaxUndoBytes = std::size_t(1) << 30;

  const FitContext<Scalar>& ctx;
  EStep& estep;
  MStep& mstep;
  const Combiner& combiner;
  int checkpointEvery;
  const CheckpointHandler& checkpointHandler;

  /// Runs iterations from `loop` until convergence, the iteration limit, a numerical issue or the
  /// callback's stop; `params`, `resp` and `cache` hold the final state.
  FitResult run(Parameters<Scalar>& params, Responsibilities<Scalar>& resp, ComponentCache<Scalar>& cache, LoopState loop,
                FitResult result, Clock::time_point start) {
    const Options& options = ctx.options;
    cache.compute(params, ctx.threads);
    PointResults points;
    // With an interrupt check, `previous` holds K(n) and q of the last complete iteration while an
    // iteration runs, so that an interrupt can undo it: the E-step writes the new sets into it and
    // the two swap (an E-step without that second `run` works in place on a copy). Dense
    // responsibilities are recomputed whole by the next E-step and need no copy.
    Responsibilities<Scalar> previous;
    // An interrupt on one process stops every process, so every process keeps what undoing an
    // iteration takes as soon as any of them has an interrupt check.
    const bool undoable = ctx.collective.any(static_cast<bool>(options.interrupt));
    // however the fit ends (an exception too), the E-step searches again afterwards (Model::search)
    struct SearchAgain {
      EStep& e;
      ~SearchAgain() {
        if constexpr (HasSearchInTurns<EStep>::value) e.setSearch(true, 1);
        else if constexpr (HasSetSearch<EStep>::value) e.setSearch(true);
      }
    } searchAgain{estep};
    for (int it = loop.nextIteration;; ++it) {
      IterationStats st;
      st.iteration = it;
      const auto t0 = Clock::now();
      // E-step → accumulate → combine → finish
      const bool keepPrevious = undoable && !resp.dense();
      bool searched = true;  // every point searched S(n)
      if constexpr (HasSetSearch<EStep>::value) {
        const SearchPlan plan = searchPlan(options, loop.mstepsDone, loop.stepSize, loop.searchAll);
        if constexpr (HasSearchInTurns<EStep>::value) {
          estep.setSearch(plan.search, plan.every);
          searched = plan.all();
        } else {
          estep.setSearch(plan.search);  // an E-step without turns: all points search
          searched = plan.search;
        }
      }
      typename EStep::Statistics estats{};
      EStepSummary es = runEStep(it, params, cache, resp, previous, keepPrevious, points, estats);
      if (ctx.collective.any(ctx.interrupted())) {  // every process stops if one does
        // stopped inside the E-step: discard it (its statistics too), keep the last complete iteration
        if (keepPrevious) std::swap(resp, previous);
        else resp = Responsibilities<Scalar>();  // dense: partly overwritten, too large to keep a copy of
        result.status = FitStatus::StoppedByCallback;
        result.message = concat("interrupted during the E-step of iteration ", it);
        if (checkpointHandler) checkpointHandler(checkpoint(params, resp, loop, result, start));
        break;
      }
      if (ctx.distributed()) {
        es.freeEnergy = ctx.collective.sum(es.freeEnergy);
        es.logJointEvaluations =
            static_cast<std::uint64_t>(ctx.collective.sum(static_cast<std::int64_t>(es.logJointEvaluations)));
      }
      const double runSeconds = since(t0);
      const auto tf = Clock::now();
      if (combiner.estep) combiner.estep(estats);
      PolicyState stateBefore, mstepStateBefore;
      if (undoable) {
        stateBefore = estep.saveState();
        mstepStateBefore = mstepState(mstep);
      }
      estep.finish(ctx, it, params, estats);
      st.graphSeconds = es.statisticsSeconds + since(tf);
      st.estepSeconds = runSeconds - es.statisticsSeconds;
      st.freeEnergy = es.freeEnergy / ctx.totalWeight;
      st.logJointEvaluations = es.logJointEvaluations;
      st.meanSearchSize = static_cast<double>(es.logJointEvaluations) / static_cast<double>(ctx.totalPoints);
      st.componentsInUse = countInUse(points.best, params.numComponents(), ctx.collective);
      st.relativeChange = std::isfinite(loop.previous) ? std::abs(st.freeEnergy / loop.previous - 1.0)
                                                       : std::numeric_limits<double>::infinity();
      const LoopState loopBefore = loop;
      loop.previous = st.freeEnergy;
      loop.searchAll = st.relativeChange < options.tolerance;

      bool stop = false;
      if (!std::isfinite(st.freeEnergy)) {
        result.status = FitStatus::NumericalIssue;
        result.message = concat("the free energy became ", st.freeEnergy, " at iteration ", it,
                                " (data too large for the scalar type?)");
        stop = true;
      } else if (loop.warmupLeft > 0 &&
                 st.relativeChange > (options.warmupTolerance >= 0.0 ? options.warmupTolerance : options.tolerance)) {
        st.warmup = true;  // E-step only: K(n) and the graph settle with the parameters fixed
        --loop.warmupLeft;
      } else {
        loop.warmupLeft = 0;
        // an extrapolated step can change F little while far from convergence, and an E-step in
        // which not every point searched misses the gain of new active sets: only a plain step
        // followed by an E-step in which every point searched ends the fit
        const bool converged =
            loop.mstepsDone > 0 && st.relativeChange < options.tolerance && loop.stepSize == 1.0 && searched;
        if (converged) {
          result.status = FitStatus::Converged;
          stop = true;
        } else if (loop.mstepsDone >= options.maxIterations) {
          result.status = FitStatus::IterationLimit;
          stop = true;
        } else {
          const auto t1 = Clock::now();
          // an interrupt inside the M-step is undone from a copy of the parameters; a model of more
          // than kMaxUndoBytes completes its M-step instead (no second copy of a model that large)
          const bool mstepUndoable = undoable && params.bytes() <= kMaxUndoBytes;
          const double eta = nextStepSize(options, params.bytes() <= kMaxUndoBytes, loop.stepSize, loop.mstepsDone,
                                          st.freeEnergy, loopBefore.previous);
          Parameters<Scalar> paramsBefore;
          if (mstepUndoable || eta > 1.0) paramsBefore = params;
          ctx.holdInterrupts(!mstepUndoable);
          const bool completed =
              runMStep(it, params, resp, cache, points, st.reseededComponents, eta > 1.0 ? &paramsBefore : nullptr, eta);
          ctx.holdInterrupts(false);
          if (!completed) {
            // stopped inside the M-step: undo the whole iteration (the E-step's state and K(n)
            // too), so that the model and the checkpoint hold the last complete one
            params = std::move(paramsBefore);
            if (keepPrevious) std::swap(resp, previous);
            estep.restoreState(params.numComponents(), stateBefore, "vmfa::Model::fit");
            restoreMStepState(mstep, params.numComponents(), mstepStateBefore, "vmfa::Model::fit");
            loop = loopBefore;
            result.status = FitStatus::StoppedByCallback;
            result.message = concat("interrupted during the M-step of iteration ", it);
            if (checkpointHandler) checkpointHandler(checkpoint(params, resp, loop, result, start));
            break;
          }
          ++loop.mstepsDone;
          loop.stepSize = st.stepSize = eta;
          st.mstepSeconds = since(t1);
        }
      }
      st.seconds = since(t0);
      result.logJointEvaluations += st.logJointEvaluations;
      result.reseededComponents += st.reseededComponents;
      result.freeEnergy = st.freeEnergy;
      result.history.push_back(st);
      loop.nextIteration = it + 1;
      bool interrupted = false;
      const bool keepGoing = !options.callback || options.callback(st);
      if (ctx.collective.any(!stop && (!keepGoing || ctx.interrupted()))) {  // stop stops everywhere
        result.status = FitStatus::StoppedByCallback;
        stop = interrupted = true;
      }
      if (checkpointHandler && (interrupted || (!stop && checkpointEvery > 0 && (it + 1) % checkpointEvery == 0)))
        checkpointHandler(checkpoint(params, resp, loop, result, start));
      if (stop) break;
    }
    result.iterations = static_cast<int>(result.history.size());
    const Eigen::VectorXd floor = ctx.noiseLowerBounds();
    result.noiseAtFloor = 0;
    for (Index c = 0; c < params.numComponents(); ++c)
      for (Index d = 0; d < params.dim(); ++d)  // the M-step sets ψ = floor exactly; 1e-6 covers its cast to Scalar
        if (static_cast<double>(params.noise(d, c)) <= floor(d) * (1.0 + 1e-6)) ++result.noiseAtFloor;
    result.seconds = since(start);
    return result;
  }

  /// One E-step. With `keepPrevious`, `previous` holds the K(n) and q it started from and `resp`
  /// the new ones, also after an interrupt inside it (then swapping the two undoes it).
  EStepSummary runEStep(int it, const Parameters<Scalar>& params, const ComponentCache<Scalar>& cache,
                        Responsibilities<Scalar>& resp, Responsibilities<Scalar>& previous, bool keepPrevious,
                        PointResults& points, typename EStep::Statistics& estats) {
    if (!keepPrevious) return estep.run(ctx, it, params, cache, resp, points, estats);
    if constexpr (HasRunInto<EStep>::value) {
      std::swap(resp, previous);  // previous = the sets to start from, resp = the buffer to fill
      return estep.run(ctx, it, params, cache, previous, resp, points, estats);
    } else {
      previous = resp;
      return estep.run(ctx, it, params, cache, resp, points, estats);
    }
  }

  /// accumulate → combine → solve per range of components, then finish, then (with `before`, the
  /// parameters before the M-step) over-relaxation by `eta`; re-seeded components
  /// enter the active sets of their points, and `reseeded` gets their number. Returns false when
  /// the fit was interrupted (on any process) before the M-step completed: `params` are then
  /// partly updated and `cache` is that of the parameters before.
  bool runMStep(int iteration, Parameters<Scalar>& params, Responsibilities<Scalar>& resp, ComponentCache<Scalar>& cache,
                const PointResults& points, Index& reseeded, const Parameters<Scalar>* before, double eta) {
    const Index C = params.numComponents();
    const Index pass = mstep.componentsPerPass(C, params.dim(), params.latentDim);
    typename MStep::Solution solution = mstep.begin(ctx, params);
    for (Index first = 0; first < C; first += pass) {
      const Index count = std::min(pass, C - first);
      bool fused = false;
      if constexpr (HasAccumulateAndSolve<MStep>::value) {
        if (!combiner.mstep) {  // nothing to combine: the policy's fused form
          mstep.accumulateAndSolve(ctx, params, cache, resp, first, count, solution);
          fused = true;
        }
      }
      if (!fused) {
        typename MStep::Statistics stats = mstep.accumulate(ctx, params, cache, resp, first, count);
        if (ctx.collective.any(ctx.interrupted())) return false;  // before the exchange: every process stops
        if (combiner.mstep) combiner.mstep(stats);
        mstep.solve(ctx, stats, cache, params, solution);
      } else if (ctx.interrupted()) {
        return false;
      }
    }
    const MStepSummary summary = mstep.finish(ctx, iteration, solution, params, points);
    if (before) overRelax(*before, params, eta, summary.reseeded);
    for (const auto& r : summary.reseeded)  // global point indices: those of this process's shard
      if (r.second >= ctx.pointOffset && r.second < ctx.pointOffset + ctx.numPoints())
        resp.include(r.second - ctx.pointOffset, r.first);
    cache.compute(params, ctx.threads);
    reseeded = static_cast<Index>(summary.reseeded.size());
    return true;
  }

  FitCheckpoint<Scalar> checkpoint(const Parameters<Scalar>& params, const Responsibilities<Scalar>& resp,
                                   const LoopState& loop, const FitResult& result, Clock::time_point start) const {
    FitCheckpoint<Scalar> cp;
    cp.parameters = params;
    if (!resp.dense()) cp.activeSets = resp.index;
    cp.estepState = estep.saveState();
    cp.mstepState = mstepState(mstep);
    cp.numPoints = ctx.numPoints();
    cp.seed = ctx.seed();
    cp.sharedNoise = ctx.options.sharedNoise;
    cp.nextIteration = loop.nextIteration;
    cp.mstepsDone = loop.mstepsDone;
    cp.warmupLeft = loop.warmupLeft;
    cp.previousFreeEnergy = loop.previous;
    cp.result = result;
    cp.result.iterations = static_cast<int>(result.history.size());
    cp.result.seconds = since(start);
    return cp;
  }
};

}  // namespace detail
}  // namespace vmfa
