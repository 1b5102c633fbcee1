// The seams of the fit: the compile-time policy checks (a user-written policy plugged in from
// outside the library is examples/hard_assignment.cpp, which checks itself), the read-only
// FitContext, ranges of components, and the combiner that sees every statistic.
#include "catch.hpp"
#include "support.hpp"

#include <algorithm>
#include <map>

using namespace vmfa_test;
using vmfa::Index;

namespace {

// A policy that lacks run() and finish(): the checks must say so.
template <typename S>
struct Incomplete {
  using Scalar = S;
  struct Options {};
  using Statistics = vmfa::NoStatistics;
  void checkOptions(Index, const char*) const {}
  int maxWarmupIterations() const { return 0; }
  Index truncation(Index) const { return 1; }
};

static_assert(vmfa::detail::HasRun<vmfa::TruncatedEStep<float>>::value, "the library's E-step has run()");
static_assert(vmfa::detail::HasEStepFinish<vmfa::TruncatedEStep<double>>::value, "the library's E-step has finish()");
static_assert(!vmfa::detail::HasRun<Incomplete<float>>::value, "run() is detected as missing");
static_assert(!vmfa::detail::HasEStepFinish<Incomplete<float>>::value, "finish() is detected as missing");
static_assert(!vmfa::detail::HasSaveState<Incomplete<float>>::value, "saveState() is detected as missing");
static_assert(vmfa::detail::HasAccumulate<vmfa::ClosedFormMStep<float>>::value, "the M-step has accumulate()");
static_assert(!vmfa::detail::HasAccumulate<vmfa::TruncatedEStep<float>>::value, "an E-step is not an M-step");

}  // namespace

TEMPLATE_TEST_CASE("a FitContext keeps an expression's value alive and is read-only", "[policies]", float, double) {
  using S = TestType;
  const vmfa::Matrix<S> X = vmfa::Matrix<S>::Random(4, 50);
  vmfa::Options o;
  o.numThreads = 1;
  const vmfa::FitContext<S> ctx(X * S(2), Eigen::VectorXd::Constant(50, 0.5), o);  // two temporaries
  CHECK(ctx.data(3, 7) == S(2) * X(3, 7));
  CHECK(ctx.weight(49) == 0.5);
  CHECK(ctx.totalWeight == 25.0);
  CHECK(ctx.threads == 1);
  REQUIRE(ctx.dataVariance.size() == 4);
  const Eigen::VectorXd var = (S(2) * X).template cast<double>().array().square().rowwise().mean() -
                              (S(2) * X).template cast<double>().rowwise().mean().array().square();
  CHECK(relDiff(ctx.dataVariance, var) < 1e-5);
  static_assert(!std::is_copy_constructible<vmfa::FitContext<S>>::value, "a context is never copied");
}

TEST_CASE("ComponentRanges groups a range of components like ComponentGroups, for any thread count", "[policies]") {
  const Index N = 1000, K = 3, C = 40;
  vmfa::detail::Random rng(31);
  vmfa::IndexMatrix index(K, N);
  for (Index n = 0; n < N; ++n)
    for (Index k = 0; k < K; ++k) index(k, n) = static_cast<std::int32_t>(rng.below(C));
  const Index first = 7, count = 20;
  vmfa::ComponentGroups<std::int64_t> ref;
  ref.reset(C);
  for (int pass = 0; pass < 2; ++pass) {
    for (Index n = 0; n < N; ++n)
      for (Index k = 0; k < K; ++k) {
        const std::int32_t c = index(k, n);
        if (c < first || c >= first + count) continue;
        if (pass == 0)
          ref.count(c);
        else
          ref.place(c, n * K + k);
      }
    if (pass == 0) ref.layout();
  }
  for (int threads : {1, 2, 3}) {
    const vmfa::ComponentRanges ranges(index, first, count, threads);
    REQUIRE(ranges.items.size() == ref.numPairs());
    Index g = 0;
    for (Index r = 0; r < count; ++r) {
      if (ranges.size(r) == 0) continue;
      REQUIRE(g < ref.numGroups());
      CHECK(ref.component(g) == first + r);
      REQUIRE(ranges.size(r) == ref.size(g));
      for (Index i = 0; i < ranges.size(r); ++i) CHECK(ranges.itemsOf(r)[i] == ref.items(g)[i]);
      ++g;
    }
    CHECK(g == ref.numGroups());
  }
}

TEMPLATE_TEST_CASE("the combiner sees every statistic: two identical processes give the one-process model", "[policies]",
                   float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(8, 6, 2, 12, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1200, 13);
  vmfa::Options o = fitOptions(8, 2, 6, 0.0);
  // exact EM: a combiner that doubles the M-step statistics (as if a second process held the
  // same points) leaves the solution unchanged up to round-off
  vmfa::ExactModel<S> one(o), two(o), zeroed(o);
  one.fit(X);
  int calls = 0;
  two.setCombiner({nullptr, [&](vmfa::MStepStatistics& s) {
                     ++calls;
                     for (double& v : s.values()) v *= 2.0;
                   }});
  two.fit(X);
  CHECK(calls == 6);
  CHECK(relDiff(two.parameters().means, one.parameters().means) < (sizeof(S) == 4 ? 1e-4 : 1e-9));
  CHECK(relDiff(two.parameters().noise, one.parameters().noise) < (sizeof(S) == 4 ? 1e-4 : 1e-9));
  CHECK(relDiff(two.parameters().weights, one.parameters().weights) < (sizeof(S) == 4 ? 1e-5 : 1e-12));
  // ... and a combiner that drops the statistics does change the fit (it is really used)
  zeroed.setCombiner({nullptr, [](vmfa::MStepStatistics& s) { std::fill(s.values().begin(), s.values().end(), 0.0); }});
  const auto rz = zeroed.fit(X);
  CHECK(rz.reseededComponents > 0);
  // v-MFA: doubling the graph statistics (integers) changes nothing, bit for bit
  vmfa::Model<S> a(o), b(o);
  const auto ra = a.fit(X);
  int graphCalls = 0;
  b.setCombiner({[&](vmfa::GraphStatistics& s) {
                   ++graphCalls;
                   auto flat = s.serialize();
                   for (std::size_t i = 3 + static_cast<std::size_t>(flat[0]); i < flat.size(); i += 3)
                     flat[i] *= 2, flat[i + 2] *= 2;  // (sum, candidate, count): the means stay
                   s = vmfa::GraphStatistics::deserialize(flat.data(), flat.size());
                 },
                 nullptr});
  const auto rb = b.fit(X);
  CHECK(graphCalls == rb.iterations);
  CHECK(rb.freeEnergy == ra.freeEnergy);
  CHECK(b.parameters().means == a.parameters().means);
  for (Index c = 0; c < 8; ++c) CHECK(b.estep().graph().neighborList(c) == a.estep().graph().neighborList(c));
}


namespace {

/// An M-step with state of its own: the closed-form M-step, then every noise variance floored at
/// 0.1·σ_d²·2^−t after its t-th M-step (an annealed floor). Resuming gives the uninterrupted fit only
/// when the checkpoint brings t back.
template <typename S>
class AnnealedFloorMStep {
 public:
  using Scalar = S;
  using Statistics = vmfa::MStepStatistics;
  using Solution = vmfa::ClosedFormSolution;
  struct Options {};
  void checkOptions(Index C, const char* where) const { closed_.checkOptions(C, where); }
  void describe(vmfa::OptionList&) const {}
  Index componentsPerPass(Index C, Index D, Index H) const { return closed_.componentsPerPass(C, D, H); }
  Solution begin(const vmfa::FitContext<S>& ctx, const vmfa::Parameters<S>& p) const { return closed_.begin(ctx, p); }
  Statistics accumulate(const vmfa::FitContext<S>& ctx, const vmfa::Parameters<S>& p, const vmfa::ComponentCache<S>& cache,
                        const vmfa::Responsibilities<S>& resp, Index first, Index count) const {
    return closed_.accumulate(ctx, p, cache, resp, first, count);
  }
  void solve(const vmfa::FitContext<S>& ctx, const Statistics& st, const vmfa::ComponentCache<S>& cache,
             vmfa::Parameters<S>& p, Solution& solution) const {
    closed_.solve(ctx, st, cache, p, solution);
  }
  vmfa::MStepSummary finish(const vmfa::FitContext<S>& ctx, int iteration, Solution& solution, vmfa::Parameters<S>& p,
                            const vmfa::PointResults& points) {
    const vmfa::MStepSummary summary = closed_.finish(ctx, iteration, solution, p, points);
    ++steps_;
    const Eigen::VectorXd floor = 0.1 * std::pow(0.5, steps_) * ctx.dataVariance;
    for (Index c = 0; c < p.numComponents(); ++c)
      p.noise.col(c) = p.noise.col(c).template cast<double>().cwiseMax(floor).template cast<S>();
    return summary;
  }
  vmfa::PolicyState saveState() const { return {{steps_}, 1}; }
  void restoreState(Index, const vmfa::PolicyState& s, const char* where) {
    if (s.values.size() != 1 || s.values[0] < 0) throw vmfa::InvalidArgument(std::string(where) + ": bad annealing state");
    steps_ = s.values[0];
  }
  int steps() const { return steps_; }

 private:
  std::int32_t steps_ = 0;
  vmfa::ClosedFormMStep<S> closed_;
};

}  // namespace

TEMPLATE_TEST_CASE("an M-step with state of its own: checkpoints keep it, and a resumed fit is the uninterrupted one",
                   "[policies][checkpoint]", float, double) {
  using S = TestType;
  using Annealed = vmfa::Model<S, vmfa::TruncatedEStep<S>, AnnealedFloorMStep<S>>;
  static_assert(vmfa::checkMStepPolicy<AnnealedFloorMStep<S>, S>(), "a complete M-step policy");
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(6, 5, 2, 71, 3.0), 1500, 72);
  const vmfa::Options o = fitOptions(6, 2, 8, 0.0);
  Annealed full(o);
  std::vector<vmfa::FitCheckpoint<S>> checkpoints;
  full.setCheckpointHandler(3, [&](const vmfa::FitCheckpoint<S>& cp) { checkpoints.push_back(cp); });
  const vmfa::FitResult rf = full.fit(X);
  REQUIRE(!checkpoints.empty());
  const vmfa::FitCheckpoint<S>& cp = checkpoints.front();
  REQUIRE(cp.mstepState.values.size() == 1u);
  CHECK(cp.mstepState.values[0] == cp.mstepsDone);
  // written as format version 2 and read back whole
  const auto bytes = vmfa::encodeCheckpoint(cp);
  CHECK(vmfa::detail::getLE<std::uint32_t>(bytes.data() + 8) == 2u);
  const auto back = vmfa::decodeCheckpoint<S>(bytes.data(), bytes.size(), "test");
  CHECK(back.mstepState.values == cp.mstepState.values);
  CHECK(back.mstepState.width == 1);
  // resumed in a fresh model, the fit is the uninterrupted one, bit for bit
  Annealed resumed(o);
  const vmfa::FitResult rr = resumed.resume(X, back);
  CHECK(rr.freeEnergy == rf.freeEnergy);
  CHECK(resumed.mstep().steps() == full.mstep().steps());
  CHECK((resumed.parameters().noise.array() == full.parameters().noise.array()).all());
  CHECK((resumed.parameters().means.array() == full.parameters().means.array()).all());
  // the library's own M-step keeps no state: version 1, and it refuses a checkpoint that holds some
  vmfa::Model<S> plain(o);
  vmfa::FitCheckpoint<S> plainCp;
  plain.setCheckpointHandler(3, [&](const vmfa::FitCheckpoint<S>& c) { plainCp = c; });
  plain.fit(X);
  CHECK(plainCp.mstepState.values.empty());
  CHECK(vmfa::detail::getLE<std::uint32_t>(vmfa::encodeCheckpoint(plainCp).data() + 8) == 1u);
  vmfa::Model<S> other(o);
  CHECK_THROWS_WITH(other.resume(X, back),
                    "vmfa::Model::resume: the checkpoint holds M-step state (1 values), which this M-step policy does not keep");
  // a corrupt state is refused by the policy, and the model is left as it was
  auto corrupt = back;
  corrupt.mstepState.values[0] = -1;
  Annealed again(o);
  CHECK_THROWS_WITH(again.resume(X, corrupt), "vmfa::Model::resume: bad annealing state");
  CHECK(again.mstep().steps() == 0);
}
