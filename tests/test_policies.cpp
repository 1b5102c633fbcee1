// The seams of the fit: the compile-time policy checks (a user-written policy plugged in from
// outside the library is examples/hard_assignment.cpp, which checks itself) and the statistics as
// values (merge, serialise, combine).
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

TEST_CASE("graph statistics are bounded values: merging is exact and order-free while rows fit, serialisation round-trips",
          "[policies]") {
  using E = vmfa::GraphStatistics::Entry;
  const auto fixed = [](double v) { return static_cast<std::int64_t>(v * vmfa::GraphStatistics::kScale); };
  vmfa::GraphStatistics a(4, 3), b(4, 3);
  const E a1[] = {E{fixed(10), 1, 1}, E{fixed(5), 2, 2}};
  a.mergeRow(3, a1, 2);
  const E a2[] = {E{fixed(7), 1, 1}};
  a.mergeRow(3, a2, 1);  // the same candidate again: summed
  REQUIRE(a.rowSize(3) == 2);
  CHECK(a.row(3)[0].candidate == 1);
  CHECK(a.row(3)[0].sum == fixed(17));
  CHECK(a.row(3)[0].count == 2u);
  const E b1[] = {E{fixed(-4), 0, 2}, E{fixed(1), 2, 1}};
  b.mergeRow(3, b1, 2);
  const E b2[] = {E{fixed(3), 3, 3}};
  b.mergeRow(1, b2, 1);
  auto ab = a, ba = b;
  ab += b;
  ba += a;
  CHECK(ab.serialize() == ba.serialize());  // exact and order-free: no row is over capacity
  CHECK(ab.dropped() == 0u);
  REQUIRE(ab.rowSize(3) == 3);
  CHECK(ab.row(3)[2].sum == fixed(6));
  CHECK(ab.row(3)[2].count == 3u);
  CHECK(ab.size() == 4u);
  const auto flat = ab.serialize();
  CHECK(flat.size() == 3u + 4u + 3u * 4u);
  CHECK(vmfa::GraphStatistics::deserialize(flat.data(), flat.size()).serialize() == flat);
  CHECK_THROWS_WITH(vmfa::GraphStatistics::deserialize(flat.data(), 4),
                    "vmfa::GraphStatistics::deserialize: invalid header (C = 4, capacity = 3, dropped = 0) for a buffer "
                    "of 4 values");
  CHECK_THROWS_WITH(vmfa::GraphStatistics::deserialize(flat.data(), flat.size() - 1),
                    "vmfa::GraphStatistics::deserialize: buffer of 18 values, its header announces 19");
  auto bad = flat;
  bad[3 + 4 + 1] = 7;  // a candidate out of range
  CHECK_THROWS_WITH(vmfa::GraphStatistics::deserialize(bad.data(), bad.size()),
                    "vmfa::GraphStatistics::deserialize: row 1 entry 0 (candidate 7, count 3) is invalid for C = 4");
  bad = flat;
  bad[0] = std::int64_t(1) << 40;  // a huge C is refused before anything is allocated
  CHECK_THROWS_WITH(vmfa::GraphStatistics::deserialize(bad.data(), bad.size()),
                    Catch::Contains("invalid header (C = 1099511627776"));
  // a full row keeps the candidates with the smallest mean (ties: smaller index) and counts the others
  vmfa::GraphStatistics full(6, 2);
  const E many[] = {E{fixed(9), 0, 1}, E{fixed(2), 1, 1}, E{fixed(4), 2, 2}, E{fixed(2), 4, 1}, E{fixed(1), 5, 2}};
  full.mergeRow(3, many, 5);
  REQUIRE(full.rowSize(3) == 2);
  CHECK(full.row(3)[0].candidate == 1);  // mean 2, tied with candidates 2 and 4
  CHECK(full.row(3)[1].candidate == 5);  // mean 0.5
  CHECK(full.dropped() == 3u);
  // merged rows of different shapes are refused
  CHECK_THROWS_WITH(full += a, "vmfa::GraphStatistics::operator+=: statistics for C = 4 with capacity 3 cannot be merged "
                               "into C = 6 with capacity 2");
}

TEST_CASE("graph statistics: unordered merges (accumulateRow + sortRows) equal a brute-force bounded merge",
          "[policies][graph]") {
  using E = vmfa::GraphStatistics::Entry;
  // brute force: per merge, a map candidate -> (sum, count); over capacity, keep the smallest
  // (mean, candidate)
  const int C = 50, capacity = 6;
  std::map<std::int32_t, std::pair<std::int64_t, std::uint32_t>> ref;
  std::uint64_t refDropped = 0;
  vmfa::GraphStatistics sorted(C, capacity), unordered(C, capacity);
  vmfa::detail::Random rng(17);
  for (int chunk = 0; chunk < 40; ++chunk) {
    // a chunk's row: distinct candidates, in random order
    std::vector<E> in;
    std::vector<int> seen(C, 0);
    const int n = 1 + static_cast<int>(rng.below(12));
    while (static_cast<int>(in.size()) < n) {
      const auto cand = static_cast<std::int32_t>(rng.below(C));
      if (seen[static_cast<std::size_t>(cand)]++) continue;
      const auto count = static_cast<std::uint32_t>(1 + rng.below(4));
      in.push_back(E{static_cast<std::int64_t>(rng.below(1 << 20)) - (1 << 19), cand, count});
    }
    for (const E& e : in) {
      auto& r = ref[e.candidate];
      r.first += e.sum;
      r.second += e.count;
    }
    if (static_cast<int>(ref.size()) > capacity) {
      std::vector<std::pair<double, std::int32_t>> order;
      for (const auto& kv : ref)
        order.emplace_back(static_cast<double>(kv.second.first) / vmfa::GraphStatistics::kScale / kv.second.second, kv.first);
      std::sort(order.begin(), order.end());
      refDropped += order.size() - capacity;
      for (std::size_t i = capacity; i < order.size(); ++i) ref.erase(order[i].second);
    }
    unordered.accumulateRow(7, in.data(), static_cast<vmfa::Index>(in.size()));
    std::vector<E> byCandidate = in;
    std::sort(byCandidate.begin(), byCandidate.end(), [](const E& a, const E& b) { return a.candidate < b.candidate; });
    sorted.mergeRow(7, byCandidate.data(), static_cast<vmfa::Index>(byCandidate.size()));
  }
  unordered.sortRows();
  REQUIRE(refDropped > 0);  // the rows overflowed: the bounded path ran
  CHECK(unordered.serialize() == sorted.serialize());
  CHECK(sorted.dropped() == refDropped);
  REQUIRE(sorted.rowSize(7) == static_cast<vmfa::Index>(ref.size()));
  vmfa::Index i = 0;
  for (const auto& kv : ref) {
    CHECK(sorted.row(7)[i].candidate == kv.first);
    CHECK(sorted.row(7)[i].sum == kv.second.first);
    CHECK(sorted.row(7)[i].count == kv.second.second);
    ++i;
  }
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

TEST_CASE("graph statistics: a chunk's pairs reduce to the rows of a brute-force bucketing, in or out of order",
          "[policies][graph]") {
  using E = vmfa::GraphStatistics::Entry;
  const int C = 30;
  vmfa::detail::Random rng(23);
  for (const bool ordered : {true, false}) {
    // points: a best component and distinct candidates with values; an E-step reports them ordered
    // by best component, another caller may not
    struct Point {
      std::int32_t best;
      std::vector<std::pair<std::int32_t, double>> pairs;
    };
    std::vector<Point> points(200);
    for (auto& pt : points) {
      pt.best = static_cast<std::int32_t>(rng.below(12));
      std::vector<int> seen(C, 0);
      for (int k = 0; k < 5; ++k) {
        const auto cand = static_cast<std::int32_t>(rng.below(C));
        if (cand == pt.best || seen[static_cast<std::size_t>(cand)]++) continue;
        pt.pairs.emplace_back(cand, (rng.uniform() - 0.3) * 50.0);
      }
    }
    if (ordered)
      std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.best < b.best; });
    // brute force: bucket by best in arrival order, sum repeated candidates, first-met order
    std::map<std::int32_t, std::vector<E>> ref;
    for (const auto& pt : points)
      for (const auto& pc : pt.pairs) {
        auto& row = ref[pt.best];
        const std::int64_t q =
            std::llround(std::max(-vmfa::detail::ChunkAccumulator::kClamp, std::min(vmfa::detail::ChunkAccumulator::kClamp, pc.second)) *
                         vmfa::GraphStatistics::kScale);
        auto it = std::find_if(row.begin(), row.end(), [&](const E& e) { return e.candidate == pc.first; });
        if (it == row.end())
          row.push_back(E{q, pc.first, 1});
        else
          it->sum += q, ++it->count;
      }
    vmfa::detail::ChunkAccumulator acc;
    acc.reset(C);
    for (int round = 0; round < 2; ++round) {  // the accumulator starts clean after each reduce
      for (const auto& pt : points)
        for (const auto& pc : pt.pairs) acc.add(pt.best, pc.first, pc.second);
      const auto rows = acc.reduce();
      REQUIRE(rows.best.size() == ref.size());
      REQUIRE(rows.begin.size() == ref.size() + 1);
      std::size_t r = 0;
      for (const auto& kv : ref) {
        CHECK(rows.best[r] == kv.first);
        REQUIRE(rows.begin[r + 1] - rows.begin[r] == kv.second.size());
        for (std::size_t i = 0; i < kv.second.size(); ++i) {
          const E& e = rows.entries[rows.begin[r] + i];
          CHECK(e.candidate == kv.second[i].candidate);
          CHECK(e.sum == kv.second[i].sum);
          CHECK(e.count == kv.second[i].count);
        }
        ++r;
      }
    }
  }
}

TEMPLATE_TEST_CASE("the bounded graph statistics keep the fit's quality and do not depend on the thread count",
                   "[policies][graph]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(40, 8, 2, 31, 6.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 6000, 32);
  vmfa::Options o;
  o.numComponents = 40;
  o.latentDim = 2;
  o.maxIterations = 15;
  o.tolerance = 0.0;
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.chunkSize = 300;  // 20 chunks merged in order
  vmfa::KlNeighborGraph::Options tight, unbounded;
  tight.neighbors = unbounded.neighbors = 5;
  tight.statisticsCapacity = 5;  // rows overflow in every iteration
  unbounded.statisticsCapacity = 40;
  std::vector<double> energies;
  std::vector<std::vector<std::int32_t>> graphs;
  for (int threads : {1, 2, 3}) {
    o.numThreads = threads;
    vmfa::Model<S> m(o, vmfa::TruncatedEStep<S>(eo, tight));
    energies.push_back(m.fit(X).freeEnergy);
    graphs.push_back(m.estep().graph().saveState());
  }
  CHECK(energies[1] == energies[0]);
  CHECK(energies[2] == energies[0]);
  CHECK(graphs[1] == graphs[0]);
  CHECK(graphs[2] == graphs[0]);
  vmfa::Model<S> exact(o, vmfa::TruncatedEStep<S>(eo, unbounded));
  const double reference = exact.fit(X).freeEnergy;
  INFO("capacity 5: F = " << energies[0] << ", capacity 40 (exact statistics): F = " << reference);
  CHECK(energies[0] > reference - 0.01 * std::abs(reference));
}

TEMPLATE_TEST_CASE("M-step statistics of two halves of the data add up to those of the whole", "[policies]", float, double) {
  using S = TestType;
  const Index C = 5, D = 7, H = 2, N = 900;
  const auto p = randomMfa<S>(C, D, H, 8, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(p, N, 9);
  vmfa::Model<S> m;
  m.setParameters(p);
  const auto top = m.topResponsibilities(X, 3);  // truncated responsibilities, K = 3
  vmfa::ComponentCache<S> cache;
  cache.compute(p, 1);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  const Eigen::VectorXd none;
  vmfa::ClosedFormMStep<S> mstep;
  auto stats = [&](Index first, Index count) {
    const vmfa::FitContext<S> ctx(X.middleCols(first, count), none, o);  // a block: the context keeps it alive
    vmfa::Responsibilities<S> r;
    r.index = top.index.middleCols(first, count);
    r.prob = top.prob.middleCols(first, count);
    return mstep.accumulate(ctx, p, cache, r, 1, 3);  // components 1, 2, 3
  };
  const vmfa::MStepStatistics whole = stats(0, N);
  vmfa::MStepStatistics merged = stats(0, 400);
  merged += stats(400, N - 400);
  REQUIRE(merged.values().size() == whole.values().size());
  REQUIRE(whole.count() == 3);
  CHECK(whole.mass(2) > 10.0);
  for (std::size_t i = 0; i < whole.values().size(); ++i)
    CHECK(merged.values()[i] == Approx(whole.values()[i]).epsilon(sizeof(S) == 4 ? 1e-5 : 1e-12).margin(1e-9));
  CHECK_THROWS_AS(merged += vmfa::MStepStatistics(0, 3, D, H), vmfa::InvalidArgument);
}

TEMPLATE_TEST_CASE("M-step statistics match a dense double computation on every kernel path, H and D", "[policies][kernel]",
                   float, double) {
  using S = TestType;
  const Index C = 4, N = 700;
  for (const Index D : {7, 37, 150})
    for (const Index H : {1, 4, 8, 9}) {  // H = 9: past the SIMD paths (the portable code)
      if (H >= D) continue;
      const auto p = randomMfa<S>(C, D, H, 20 + static_cast<std::uint64_t>(D + H), 3.0);
      const vmfa::Matrix<S> X = sampleFrom(p, N, 21);
      vmfa::Model<S> m;
      m.setParameters(p);
      const auto top = m.topResponsibilities(X, 2);  // truncated, K = 2
      vmfa::Responsibilities<S> dense;               // dense: every component, C × N
      dense.prob = vmfa::Matrix<S>::Zero(C, N);
      for (Index n = 0; n < N; ++n)
        for (Index k = 0; k < 2; ++k) dense.prob(top.index(k, n), n) = top.prob(k, n);
      vmfa::ComponentCache<S> cache;
      cache.compute(p, 1);
      // the reference: z̄ = (I + ΛᵀΨ⁻¹Λ)⁻¹ΛᵀΨ⁻¹(x − μ) in double, then the sums one point at a time
      std::vector<Eigen::MatrixXd> YE(C, Eigen::MatrixXd::Zero(D, H + 1)), EE(C, Eigen::MatrixXd::Zero(H + 1, H + 1));
      std::vector<Eigen::VectorXd> syy(C, Eigen::VectorXd::Zero(D));
      for (Index c = 0; c < C; ++c) {
        const Eigen::MatrixXd L = p.loading(c).template cast<double>();
        const Eigen::VectorXd ip = p.noise.col(c).template cast<double>().cwiseInverse();
        const Eigen::LDLT<Eigen::MatrixXd> M(Eigen::MatrixXd::Identity(H, H) + L.transpose() * ip.asDiagonal() * L);
        for (Index n = 0; n < N; ++n) {
          const double w = static_cast<double>(dense.prob(c, n));
          if (w == 0.0) continue;
          const Eigen::VectorXd y = X.col(n).template cast<double>() - p.means.col(c).template cast<double>();
          Eigen::VectorXd z(H + 1);
          z.head(H) = M.solve(L.transpose() * ip.asDiagonal() * y);
          z(H) = 1.0;
          YE[c] += w * y * z.transpose();
          EE[c] += w * z * z.transpose();
          syy[c] += w * y.cwiseAbs2();
        }
      }
      vmfa::Options o;
      o.numComponents = C;
      o.latentDim = H;
      o.blockSize = 64;  // several blocks per component, and a short last one
      const Eigen::VectorXd none;
      const vmfa::FitContext<S> ctx(X, none, o);
      const vmfa::ClosedFormMStep<S> mstep;
      const double tol = sizeof(S) == 4 ? 2e-4 : 1e-10;
      auto near = [&](const auto& got, const auto& want) {  // relative to the largest entry
        return (got - want).cwiseAbs().maxCoeff() <= tol * std::max(1.0, want.cwiseAbs().maxCoeff());
      };
      for (const vmfa::KernelPath path : supportedKernelPaths()) {
        const KernelPathScope scope(path);
        const vmfa::Responsibilities<S>* both[] = {&top, &dense};
        for (const vmfa::Responsibilities<S>* r : both) {
          const vmfa::MStepStatistics st = mstep.accumulate(ctx, p, cache, *r, 0, C);
          for (Index c = 0; c < C; ++c) {
            INFO("path " << vmfa::kernelPathName(path) << ", " << (r == &top ? "truncated" : "dense") << ", D = " << D
                         << ", H = " << H << ", component " << c);
            CHECK(near(st.YE(c), YE[c]));
            CHECK(near(st.EE(c), EE[c]));
            CHECK(near(st.syy(c), syy[c]));
            CHECK(st.mass(c) == Approx(EE[c](H, H)).epsilon(sizeof(S) == 4 ? 1e-5 : 1e-12));
          }
        }
      }
    }
}

TEMPLATE_TEST_CASE("the combiner sees every statistic: two identical processes give the one-process model", "[policies]",
                   float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(8, 6, 2, 12, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1200, 13);
  vmfa::Options o;
  o.numComponents = 8;
  o.latentDim = 2;
  o.maxIterations = 6;
  o.tolerance = 0.0;
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

TEMPLATE_TEST_CASE("M-step statistics in several ranges of components give the same fit as one range", "[policies]",
                   float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(10, 6, 2, 21, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1500, 22);
  vmfa::Options o;
  o.numComponents = 10;
  o.latentDim = 2;
  o.maxIterations = 5;
  vmfa::Model<S> whole(o);
  typename vmfa::ClosedFormMStep<S>::Options mo;
  mo.statisticsBytes = 3 * 8 * static_cast<std::size_t>(vmfa::MStepStatistics(0, 0, 6, 2).stride());  // 3 components
  REQUIRE(vmfa::ClosedFormMStep<S>(mo).componentsPerPass(10, 6, 2) == 3);
  vmfa::Model<S> ranges(o, vmfa::TruncatedEStep<S>(), vmfa::ClosedFormMStep<S>(mo));
  const auto r1 = whole.fit(X);
  const auto r2 = ranges.fit(X);
  CHECK(r1.freeEnergy == r2.freeEnergy);
  CHECK(whole.parameters().loadings == ranges.parameters().loadings);
  CHECK(whole.parameters().noise == ranges.parameters().noise);
}

TEMPLATE_TEST_CASE("the M-step's fused accumulate-and-solve gives the parameters of accumulate then solve, bit for bit",
                   "[policies]", float, double) {
  using S = TestType;
  const Index C = 7, D = 9, H = 3, N = 1100;
  auto p = randomMfa<S>(C, D, H, 31, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(p, N, 32);
  p.means.col(6).array() += S(1e3);  // far from every point: no responsibility, a degenerate component
  vmfa::Model<S> m;
  m.setParameters(p);
  const auto resp = m.topResponsibilities(X, 2);
  vmfa::ComponentCache<S> cache;
  cache.compute(p, 1);
  const Eigen::VectorXd none;
  for (int threads : {1, 2, 3}) {
    vmfa::Options o;
    o.numComponents = C;
    o.latentDim = H;
    o.numThreads = threads;
    o.blockSize = 64;  // several blocks per component
    const vmfa::FitContext<S> ctx(X, none, o);
    const vmfa::ClosedFormMStep<S> mstep;
    vmfa::Parameters<S> split = p, fused = p;
    auto a = mstep.begin(ctx, split), b = mstep.begin(ctx, fused);
    for (Index first = 0; first < C; first += 3) {  // ranges of 3, 3 and 1 components
      const Index count = std::min<Index>(3, C - first);
      mstep.solve(ctx, mstep.accumulate(ctx, split, cache, resp, first, count), cache, split, a);
      mstep.accumulateAndSolve(ctx, fused, cache, resp, first, count, b);
    }
    INFO("threads = " << threads);
    CHECK(a.mass == b.mass);
    CHECK(a.degenerate == b.degenerate);
    CHECK(a.degenerate[6] == 1);
    CHECK(a.mass[2] > 10.0);
    CHECK(fused.means == split.means);
    CHECK(fused.loadings == split.loadings);
    CHECK(fused.noise == split.noise);
    CHECK(fused.means != p.means);  // the M-step did move them
  }
  // in a fit: a combiner that combines nothing takes the unfused path, and changes nothing
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 4;
  vmfa::Model<S> plain(o), combined(o);
  int calls = 0;
  combined.setCombiner({nullptr, [&](vmfa::MStepStatistics&) { ++calls; }});
  const auto r1 = plain.fit(X), r2 = combined.fit(X);
  CHECK(calls > 0);
  CHECK(r1.freeEnergy == r2.freeEnergy);
  CHECK(plain.parameters().loadings == combined.parameters().loadings);
  CHECK(plain.parameters().noise == combined.parameters().noise);
}
