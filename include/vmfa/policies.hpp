/// \file policies.hpp
/// \brief The policy contracts of `vmfa::Model`, member by member, and the compile-time checks
/// that name what a user-written policy is missing (e.g. "vmfa: E-step policy is missing: ...").
///
/// A fit is, per iteration: E-step → accumulate → combine → finish.
///   1. `estep.run` updates the responsibilities q_n from the parameters and accumulates the
///      E-step's statistics (for v-MFA: the neighbour-graph statistics); `combine` merges them
///      with those of other processes (nothing to do in one process); `estep.finish` uses them
///      (rebuilds the graph).
///   2. Unless the iteration is a warm-up E-step or the fit stops: for each range of components,
///      `mstep.accumulate` → `combine` → `mstep.solve`; then `mstep.finish` (weights, shared
///      noise, re-seeding).
/// Statistics are values: `a += b` merges those of other points, deterministically.
///
/// ## E-step policy (`ExactEStep`, `TruncatedEStep`; see also tests/test_policies.cpp)
/// \code
/// using Scalar;                          // float or double, the model's
/// struct Options;                        // and a constructor taking it
/// using Statistics;                      // a value with operator+=; NoStatistics when there are none
/// void checkOptions(Index C, const char* where) const;       // throws InvalidArgument naming `where`
/// int maxWarmupIterations() const;       // E-steps with the parameters fixed before the first M-step
/// Index truncation(Index C) const;       // K kept per point, or 0 for dense (C × N) responsibilities
/// void initialize(const FitContext<Scalar>&, const Parameters<Scalar>&,
///                 const std::vector<Index>& seedPoints,       // point that seeded each component (empty on a warm start)
///                 Responsibilities<Scalar>&);                 // sets K(n) (shape K × N) and the policy's own state
/// EStepSummary run(const FitContext<Scalar>&, int iteration, const Parameters<Scalar>&,
///                  const ComponentCache<Scalar>&, Responsibilities<Scalar>&,  // updated in place
///                  PointResults&,                             // bound and best component of every point
///                  Statistics&);                              // this process's statistics
/// void finish(const FitContext<Scalar>&, int iteration, const Parameters<Scalar>&, const Statistics&);
/// PolicyState saveState() const;         // what a checkpoint must hold of the policy
/// void restoreState(Index C, const PolicyState&, const char* where);
/// // optional: the options, compared between the processes of a distributed fit (required there)
/// void describe(OptionList&) const;
/// // optional: new parameters of C components were set (Model::setParameters, loadModel); state
/// // that depends on them (the truncated E-step's graph) starts again, so that a search is valid
/// void resetState(Index C, std::uint64_t seed);
/// // optional: whether the next E-steps search, or evaluate each point's K(n) alone (and leave their
/// // own state, e.g. a graph, as it is); with every > 1, only the point of global index i with
/// // (iteration + i) % every == 0 searches, the others evaluate K(n) alone. The fit loop calls it
/// // before every E-step (Options::searchEvery, searchInTurns) and sets it back to (true, 1) after
/// // the fit. An E-step with setSearch(bool) alone searches where the points would take turns; one
/// // without it searches every time.
/// void setSearch(bool search, int every = 1);
/// // optional: the same E-step from the sets in `from` into `to` (resized to K × N; may be `from`):
/// // with an interrupt check the fit then keeps the previous sets without copying them
/// EStepSummary run(const FitContext<Scalar>&, int iteration, const Parameters<Scalar>&,
///                  const ComponentCache<Scalar>&, const Responsibilities<Scalar>& from,
///                  Responsibilities<Scalar>& to, PointResults&, Statistics&);
/// \endcode
/// Random draws must be keyed by (ctx.seed(), iteration, point) (see detail/rng.hpp), never by
/// thread, so that the fit does not depend on the thread count. The free energy returned must never
/// decrease for fixed parameters if the model's convergence test is to mean anything.
///
/// ## M-step policy (`ClosedFormMStep`)
/// \code
/// using Scalar; struct Options;
/// using Statistics;                      // a value with operator+=
/// using Solution;                        // what solve() has decided so far in one M-step
/// void checkOptions(Index C, const char* where) const;
/// Index componentsPerPass(Index C, Index D, Index H) const;   // components whose statistics are held at once
/// Solution begin(const FitContext<Scalar>&, const Parameters<Scalar>&) const;
/// Statistics accumulate(const FitContext<Scalar>&, const Parameters<Scalar>&, const ComponentCache<Scalar>&,
///                       const Responsibilities<Scalar>&, Index first, Index count) const;
/// void solve(const FitContext<Scalar>&, const Statistics&, const ComponentCache<Scalar>&,
///            Parameters<Scalar>&, Solution&) const;            // the components of the statistics only
/// MStepSummary finish(const FitContext<Scalar>&, int iteration, Solution&, Parameters<Scalar>&,
///                     const PointResults&);                // may be const; may update the policy's state
/// // An M-step may stop early once ctx.interrupted() is true (its statistics and solution are then
/// // partial): the fit loop undoes it, restoring the parameters and the E-step's (and the M-step's)
/// // state as they were before the iteration.
/// // optional, for an M-step with state of its own (e.g. a schedule over the iterations): what a
/// // checkpoint keeps of it (the same on every process of a distributed fit), and its restoration
/// // on resume; an M-step without them keeps nothing in checkpoints:
/// PolicyState saveState() const;
/// void restoreState(Index C, const PolicyState&, const char* where);   // throws on a state it cannot use
/// // optional, used instead of accumulate → solve when nothing is combined across processes;
/// // must give the same parameters as accumulate then solve:
/// void accumulateAndSolve(const FitContext<Scalar>&, Parameters<Scalar>&, const ComponentCache<Scalar>&,
///                         const Responsibilities<Scalar>&, Index first, Index count, Solution&) const;
/// \endcode
///
/// ## Graph policy of `TruncatedEStep` (`KlNeighborGraph`, `EuclideanNeighborGraph`; checked by `checkGraphPolicy`)
/// \code
/// struct Options;  const Options& options() const;  void checkOptions(Index C, const char* where) const;
/// static Index resolve(Index requestedNeighbors, Index C);   // G for C components
/// void initialize(Index C, std::uint64_t seed);
/// Index size() const;                                  // G
/// const std::int32_t* neighbors(Index c) const;        // G components, the first is c
/// void beginUpdate(int threads, const Eigen::VectorXd& logWeights);
/// void accumulate(int thread, std::int32_t best, std::int32_t candidate, double ljBest, double ljCandidate);
/// void endChunk(int thread, Index chunk);             // chunks are numbered 0, 1, … in point order
/// GraphStatistics takeStatistics();
/// void finishUpdate(const GraphStatistics&, const Eigen::VectorXd& logWeights, std::uint64_t seed, int iteration);
/// std::vector<std::int32_t> saveState() const;  Index stateWidth() const;
/// void restoreState(Index C, Index G, const std::vector<std::int32_t>& table, const char* where);
/// \endcode
#pragma once

#include "context.hpp"
#include "graph_statistics.hpp"
#include "kernel.hpp"
#include "policy_types.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace vmfa {
namespace detail {

template <typename T>
T& lvalue();
template <typename P>
using S_ = typename P::Scalar;

// One trait per member, defined with the message that names it: `Trait<P>::value` is true when the
// expression compiles (the detection idiom); `requireTrait<P, Guard>()` fails to compile with the
// message when it does not, unless Guard is false (a more basic member is missing: only that one
// is reported).
#define VMFA_DETAIL_MEMBER(Trait, message, ...)                                  \
  template <typename P, typename = void>                                         \
  struct Trait : std::false_type {};                                             \
  template <typename P>                                                          \
  struct Trait<P, std::void_t<__VA_ARGS__>> : std::true_type {};                 \
  template <typename P, bool Guard = true>                                       \
  constexpr bool require##Trait() {                                              \
    static_assert(!Guard || Trait<P>::value, "vmfa: " message);                  \
    return Trait<P>::value;                                                      \
  }

template <typename R, typename Expected>
using Returns = std::enable_if_t<std::is_convertible<R, Expected>::value>;

VMFA_DETAIL_MEMBER(HasScalar, "policy is missing: using Scalar = float or double;", typename P::Scalar)
VMFA_DETAIL_MEMBER(HasOptions, "policy is missing: struct Options;", typename P::Options)
VMFA_DETAIL_MEMBER(HasStatistics, "policy is missing: using Statistics = ...; (NoStatistics when it has none)",
                   typename P::Statistics)
VMFA_DETAIL_MEMBER(HasSolution, "M-step policy is missing: using Solution = ...;", typename P::Solution)
VMFA_DETAIL_MEMBER(StatisticsMerge, "the policy's Statistics is missing: Statistics& operator+=(const Statistics&)",
                   decltype(lvalue<typename P::Statistics>() += std::declval<const typename P::Statistics&>()))
VMFA_DETAIL_MEMBER(HasCheckOptions, "policy is missing: void checkOptions(Index C, const char* where) const",
                   decltype(std::declval<const P&>().checkOptions(Index(), static_cast<const char*>(nullptr))))
VMFA_DETAIL_MEMBER(HasMaxWarmup, "E-step policy is missing: int maxWarmupIterations() const",
                   Returns<decltype(std::declval<const P&>().maxWarmupIterations()), int>)
VMFA_DETAIL_MEMBER(HasTruncation, "E-step policy is missing: Index truncation(Index C) const",
                   Returns<decltype(std::declval<const P&>().truncation(Index())), Index>)
VMFA_DETAIL_MEMBER(HasInitialize,
                   "E-step policy is missing: void initialize(const FitContext<Scalar>&, const Parameters<Scalar>&, "
                   "const std::vector<Index>& seedPoints, Responsibilities<Scalar>&)",
                   decltype(lvalue<P>().initialize(std::declval<const FitContext<S_<P>>&>(),
                                                   std::declval<const Parameters<S_<P>>&>(),
                                                   std::declval<const std::vector<Index>&>(),
                                                   lvalue<Responsibilities<S_<P>>>())))
VMFA_DETAIL_MEMBER(HasRun,
                   "E-step policy is missing: EStepSummary run(const FitContext<Scalar>&, int iteration, const "
                   "Parameters<Scalar>&, const ComponentCache<Scalar>&, Responsibilities<Scalar>&, PointResults&, "
                   "Statistics&)",
                   Returns<
                           decltype(lvalue<P>().run(std::declval<const FitContext<S_<P>>&>(), int(),
                                                    std::declval<const Parameters<S_<P>>&>(),
                                                    std::declval<const ComponentCache<S_<P>>&>(),
                                                    lvalue<Responsibilities<S_<P>>>(), lvalue<PointResults>(),
                                                    lvalue<typename P::Statistics>())),
                           EStepSummary>)
VMFA_DETAIL_MEMBER(HasEStepFinish,
                   "E-step policy is missing: void finish(const FitContext<Scalar>&, int iteration, const "
                   "Parameters<Scalar>&, const Statistics&)",
                   decltype(lvalue<P>().finish(std::declval<const FitContext<S_<P>>&>(), int(),
                                               std::declval<const Parameters<S_<P>>&>(),
                                               std::declval<const typename P::Statistics&>())))
VMFA_DETAIL_MEMBER(HasSaveState, "E-step policy is missing: PolicyState saveState() const",
                   Returns<decltype(std::declval<const P&>().saveState()), PolicyState>)
VMFA_DETAIL_MEMBER(HasRestoreState,
                   "E-step policy is missing: void restoreState(Index C, const PolicyState&, const char* where)",
                   decltype(lvalue<P>().restoreState(Index(), std::declval<const PolicyState&>(),
                                                     static_cast<const char*>(nullptr))))
VMFA_DETAIL_MEMBER(HasComponentsPerPass,
                   "M-step policy is missing: Index componentsPerPass(Index C, Index D, Index H) const",
                   Returns<decltype(std::declval<const P&>().componentsPerPass(Index(), Index(), Index())), Index>)
VMFA_DETAIL_MEMBER(HasBegin,
                   "M-step policy is missing: Solution begin(const FitContext<Scalar>&, const Parameters<Scalar>&) const",
                   std::enable_if_t<std::is_same<decltype(std::declval<const P&>().begin(
                                                     std::declval<const FitContext<S_<P>>&>(),
                                                     std::declval<const Parameters<S_<P>>&>())),
                                                 typename P::Solution>::value>)
VMFA_DETAIL_MEMBER(HasAccumulate,
                   "M-step policy is missing: Statistics accumulate(const FitContext<Scalar>&, const "
                   "Parameters<Scalar>&, const ComponentCache<Scalar>&, const Responsibilities<Scalar>&, Index first, "
                   "Index count) const",
                   std::enable_if_t<std::is_same<decltype(std::declval<const P&>().accumulate(
                                                     std::declval<const FitContext<S_<P>>&>(),
                                                     std::declval<const Parameters<S_<P>>&>(),
                                                     std::declval<const ComponentCache<S_<P>>&>(),
                                                     std::declval<const Responsibilities<S_<P>>&>(), Index(), Index())),
                                                 typename P::Statistics>::value>)
VMFA_DETAIL_MEMBER(HasSolve,
                   "M-step policy is missing: void solve(const FitContext<Scalar>&, const Statistics&, const "
                   "ComponentCache<Scalar>&, Parameters<Scalar>&, Solution&) const",
                   decltype(std::declval<const P&>().solve(std::declval<const FitContext<S_<P>>&>(),
                                                           std::declval<const typename P::Statistics&>(),
                                                           std::declval<const ComponentCache<S_<P>>&>(),
                                                           lvalue<Parameters<S_<P>>>(), lvalue<typename P::Solution>())))
VMFA_DETAIL_MEMBER(HasMStepFinish,
                   "M-step policy is missing: MStepSummary finish(const FitContext<Scalar>&, int iteration, "
                   "Solution&, Parameters<Scalar>&, const PointResults&)",
                   Returns<
                           decltype(lvalue<P>().finish(std::declval<const FitContext<S_<P>>&>(), int(),
                                                                    lvalue<typename P::Solution>(),
                                                                    lvalue<Parameters<S_<P>>>(),
                                                                    std::declval<const PointResults&>())),
                           MStepSummary>)
VMFA_DETAIL_MEMBER(HasGraphOptionsAccessor, "graph policy is missing: const Options& options() const",
                   Returns<decltype(std::declval<const P&>().options()), const typename P::Options&>)
VMFA_DETAIL_MEMBER(HasGraphResolve, "graph policy is missing: static Index resolve(Index requestedNeighbors, Index C)",
                   Returns<decltype(P::resolve(Index(), Index())), Index>)
VMFA_DETAIL_MEMBER(HasGraphInitialize, "graph policy is missing: void initialize(Index C, std::uint64_t seed)",
                   decltype(lvalue<P>().initialize(Index(), std::uint64_t())))
VMFA_DETAIL_MEMBER(HasGraphSize, "graph policy is missing: Index size() const",
                   Returns<decltype(std::declval<const P&>().size()), Index>)
VMFA_DETAIL_MEMBER(HasGraphNeighbors, "graph policy is missing: const std::int32_t* neighbors(Index c) const",
                   Returns<decltype(std::declval<const P&>().neighbors(Index())), const std::int32_t*>)
VMFA_DETAIL_MEMBER(HasGraphBeginUpdate,
                   "graph policy is missing: void beginUpdate(int threads, const Eigen::VectorXd& logWeights)",
                   decltype(lvalue<P>().beginUpdate(int(), std::declval<const Eigen::VectorXd&>())))
VMFA_DETAIL_MEMBER(HasGraphAccumulate,
                   "graph policy is missing: void accumulate(int thread, std::int32_t best, std::int32_t candidate, "
                   "double ljBest, double ljCandidate)",
                   decltype(lvalue<P>().accumulate(int(), std::int32_t(), std::int32_t(), double(), double())))
VMFA_DETAIL_MEMBER(HasGraphEndChunk, "graph policy is missing: void endChunk(int thread, Index chunk)",
                   decltype(lvalue<P>().endChunk(int(), Index())))
VMFA_DETAIL_MEMBER(HasGraphTakeStatistics, "graph policy is missing: GraphStatistics takeStatistics()",
                   Returns<decltype(lvalue<P>().takeStatistics()), GraphStatistics>)
VMFA_DETAIL_MEMBER(HasGraphFinishUpdate,
                   "graph policy is missing: void finishUpdate(const GraphStatistics&, const Eigen::VectorXd& "
                   "logWeights, std::uint64_t seed, int iteration)",
                   decltype(lvalue<P>().finishUpdate(std::declval<const GraphStatistics&>(),
                                                     std::declval<const Eigen::VectorXd&>(), std::uint64_t(), int())))
VMFA_DETAIL_MEMBER(HasGraphSaveState, "graph policy is missing: std::vector<std::int32_t> saveState() const",
                   Returns<decltype(std::declval<const P&>().saveState()), std::vector<std::int32_t>>)
VMFA_DETAIL_MEMBER(HasGraphStateWidth, "graph policy is missing: Index stateWidth() const",
                   Returns<decltype(std::declval<const P&>().stateWidth()), Index>)
VMFA_DETAIL_MEMBER(HasGraphRestoreState,
                   "graph policy is missing: void restoreState(Index C, Index G, const std::vector<std::int32_t>& "
                   "table, const char* where)",
                   decltype(lvalue<P>().restoreState(Index(), Index(), std::declval<const std::vector<std::int32_t>&>(),
                                                     static_cast<const char*>(nullptr))))
VMFA_DETAIL_MEMBER(HasDescribe,
                   "a policy in a distributed fit needs: void describe(OptionList&) const (its options, which every "
                   "process compares)",
                   decltype(std::declval<const P&>().describe(lvalue<OptionList>())))
#undef VMFA_DETAIL_MEMBER

template <typename P, typename = void>
struct HasResetState : std::false_type {};
template <typename P>
struct HasResetState<P, std::void_t<decltype(lvalue<P>().resetState(Index(), std::uint64_t()))>> : std::true_type {};

/// Calls a policy's `resetState(C, seed)` when it has one.
template <typename P>
void resetPolicyState(P& policy, Index C, std::uint64_t seed) {
  if constexpr (HasResetState<P>::value) policy.resetState(C, seed);
}

/// Adds a policy's options to `out` when it describes them (`describe(OptionList&) const`).
template <typename P>
void describePolicy(const P& policy, OptionList& out) {
  if constexpr (HasDescribe<P>::value) policy.describe(out);
}

/// The members every policy has; true when the later checks can be evaluated.
template <typename P, typename Scalar>
constexpr bool checkCommonMembers() {
  constexpr bool scalar = requireHasScalar<P>();
  constexpr bool same = [] {
    if constexpr (HasScalar<P>::value) return std::is_same<typename P::Scalar, Scalar>::value;
    else return true;
  }();
  static_assert(same, "vmfa: the policy's Scalar must be the model's");
  constexpr bool statistics = requireHasStatistics<P>();
  constexpr bool rest = requireHasOptions<P>() & requireHasCheckOptions<P>() & requireStatisticsMerge<P, statistics>();
  return scalar && statistics && rest;
}

}  // namespace detail

/// \brief Compile-time check of an E-step policy for `Scalar`: each missing member is named.
template <typename EStep, typename Scalar>
constexpr bool checkEStepPolicy() {
  using namespace detail;
  constexpr bool ok = checkCommonMembers<EStep, Scalar>();
  return requireHasMaxWarmup<EStep>() & requireHasTruncation<EStep>() & requireHasInitialize<EStep, ok>() &
         requireHasRun<EStep, ok>() & requireHasEStepFinish<EStep, ok>() & requireHasSaveState<EStep>() &
         requireHasRestoreState<EStep>();
}

/// \brief Compile-time check of a graph policy of `TruncatedEStep`: each missing member is named.
template <typename Graph>
constexpr bool checkGraphPolicy() {
  using namespace detail;
  constexpr bool options = requireHasOptions<Graph>();
  return options & requireHasGraphOptionsAccessor<Graph, options>() & requireHasCheckOptions<Graph>() &
         requireHasGraphResolve<Graph>() & requireHasGraphInitialize<Graph>() & requireHasGraphSize<Graph>() &
         requireHasGraphNeighbors<Graph>() & requireHasGraphBeginUpdate<Graph>() & requireHasGraphAccumulate<Graph>() &
         requireHasGraphEndChunk<Graph>() & requireHasGraphTakeStatistics<Graph>() &
         requireHasGraphFinishUpdate<Graph>() & requireHasGraphSaveState<Graph>() & requireHasGraphStateWidth<Graph>() &
         requireHasGraphRestoreState<Graph>();
}

/// \brief Compile-time check of an M-step policy for `Scalar`: each missing member is named.
template <typename MStep, typename Scalar>
constexpr bool checkMStepPolicy() {
  using namespace detail;
  constexpr bool ok = checkCommonMembers<MStep, Scalar>() && requireHasSolution<MStep>();
  static_assert(HasSaveState<MStep>::value == HasRestoreState<MStep>::value,
                "vmfa: an M-step policy with state has both PolicyState saveState() const and void restoreState(Index C, "
                "const PolicyState&, const char* where), or neither");
  return requireHasComponentsPerPass<MStep>() & requireHasBegin<MStep, ok>() & requireHasAccumulate<MStep, ok>() &
         requireHasSolve<MStep, ok>() & requireHasMStepFinish<MStep, ok>();
}

}  // namespace vmfa
