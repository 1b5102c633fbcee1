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


