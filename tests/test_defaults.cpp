// Defaults that hold at very large C and the edge cases of issue 12: bounded neighbour-graph
// statistics, components of weight 0, repeated active components, the noise floor on every path,
// the status semantics, and indices past 32 bits.
#include "catch.hpp"
#include "support.hpp"

#include <cmath>
#include <limits>

using namespace vmfa_test;
using vmfa::Index;

namespace {

template <typename S>
vmfa::Model<S> truncatedModel(const vmfa::Options& o, Index active, Index neighbors, Index random,
                              Index capacity = vmfa::kAutomatic, Index chunk = 4096) {
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.activeComponents = active;
  eo.randomCandidates = random;
  eo.chunkSize = chunk;
  vmfa::KlNeighborGraph::Options go;
  go.neighbors = neighbors;
  go.statisticsCapacity = capacity;
  return vmfa::Model<S>(o, vmfa::TruncatedEStep<S>(eo, go));
}

}  // namespace

TEMPLATE_TEST_CASE("graph statistics stay within C x capacity whatever N, and the capacity is checked", "[defaults][graph]",
                   float, double) {
  using S = TestType;
  const Index C = 30, G = 4;
  const auto truth = randomMfa<S>(C, 6, 1, 41, 3.0);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = 1;
  o.maxIterations = 3;
  o.tolerance = 0.0;
  for (Index N : {600, 6000}) {
    const vmfa::Matrix<S> X = sampleFrom(truth, N, 42);
    auto m = truncatedModel<S>(o, 3, G, 2, vmfa::kAutomatic, 500);
    std::size_t largest = 0;
    std::uint64_t dropped = 0;
    m.setCombiner({[&](vmfa::GraphStatistics& s) {
                     CHECK(s.numComponents() == C);
                     CHECK(s.capacity() == 4 * G);
                     for (Index c = 0; c < C; ++c) CHECK(s.rowSize(c) <= 4 * G);
                     largest = std::max(largest, s.size());
                     dropped += s.dropped();
                   },
                   nullptr});
    m.fit(X);
    CHECK(largest <= static_cast<std::size_t>(C * 4 * G));
    // with 3·4 + 2 candidates per point, 200 points per component meet more than 16 distinct
    // candidates: the bound is what holds the memory, not the data
    if (N == 6000) CHECK(dropped > 0u);
  }
  vmfa::KlNeighborGraph::Options go;
  go.statisticsCapacity = 0;
  vmfa::Model<S> bad(o, vmfa::TruncatedEStep<S>({}, go));
  CHECK_THROWS_WITH(bad.fit(sampleFrom(truth, 100, 1)),
                    "vmfa::Model::fit: statisticsCapacity = 0 must be in [1, 2^30]");
}

TEMPLATE_TEST_CASE("a component of weight 0 is never a neighbour", "[defaults][graph]", float, double) {
  using S = TestType;
  const Index C = 12, D = 5, H = 1;
  auto start = randomMfa<S>(C, D, H, 51, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(start, 3000, 52);
  start.weights(7) = S(0);  // reachable through setParameters and a warm start
  start.weights /= start.weights.sum();
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 1;
  o.tolerance = 0.0;
  o.warmStart = true;
  auto m = truncatedModel<S>(o, 2, 4, 1);
  m.setParameters(start);
  // warm-up E-steps only (no M-step yet: the weight stays 0) rebuild the graph from the statistics
  int calls = 0;
  o.callback = [&](const vmfa::IterationStats& s) { return s.warmup && ++calls < 3; };
  auto warm = truncatedModel<S>(o, 2, 4, 1);
  warm.setParameters(start);
  const auto r = warm.fit(X);
  REQUIRE(r.iterations == 3);
  for (const auto& s : r.history) REQUIRE(s.warmup);
  for (Index c = 0; c < C; ++c) {
    if (c == 7) continue;
    const auto g = warm.estep().graph().neighborList(c);
    CHECK(std::find(g.begin(), g.end(), 7) == g.end());
  }
  // with an M-step in between, the component is re-seeded or keeps weight 0; either way the fit is finite
  const auto r2 = m.fit(X);
  CHECK(std::isfinite(r2.freeEnergy));
}

TEMPLATE_TEST_CASE("repeated active components are refused by search and resume", "[defaults][errors]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(6, 4, 1, 61, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 400, 62);
  vmfa::Options o;
  o.numComponents = 6;
  o.latentDim = 1;
  o.maxIterations = 2;
  // G = 1, E = 0: the search space is K(n) itself, so a repeat would leave fewer than C' candidates
  auto m = truncatedModel<S>(o, 2, 1, 0);
  m.fit(X);
  vmfa::IndexMatrix sets = m.fittedResponsibilities().index;
  sets(1, 3) = sets(0, 3);
  CHECK_THROWS_WITH(m.searchResponsibilities(X, sets), "vmfa::Model::searchResponsibilities: active component " +
                                                           std::to_string(sets(0, 3)) + " appears twice for point 3");
  TempDir dir;
  int calls = 0;
  o.callback = [&](const vmfa::IterationStats&) { return ++calls < 2; };
  auto first = truncatedModel<S>(o, 2, 1, 0);
  first.setCheckpointHandler(0, [&](const vmfa::FitCheckpoint<S>& cp) { vmfa::saveCheckpoint(cp, dir.file("ck")); });
  first.fit(X);
  auto cp = vmfa::loadCheckpoint<S>(dir.file("ck"));
  cp.activeSets(0, 5) = cp.activeSets(1, 5);
  o.callback = nullptr;
  auto second = truncatedModel<S>(o, 2, 1, 0);
  CHECK_THROWS_WITH(second.resume(X, cp), "vmfa::Model::resume: active component " +
                                              std::to_string(cp.activeSets(1, 5)) + " appears twice for point 5");
  CHECK_FALSE(second.isFitted());
}

TEMPLATE_TEST_CASE("minimumNoise holds for re-seeded components and for shared noise without mass", "[defaults][robust]",
                   float, double) {
  using S = TestType;
  const Index C = 4, D = 6, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 9, 2.0);
  vmfa::Matrix<S> X = sampleFrom(truth, 1000, 1);
  X.row(2).setConstant(S(3));  // a constant feature: its data variance is 0
  const double floor = 0.05;
  auto start = truth;
  start.means.col(2).setConstant(S(1e4));  // no mass: re-seeded by the first M-step
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 1;
  o.tolerance = 0.0;
  o.warmStart = true;
  o.minimumNoise = floor;
  vmfa::ExactModel<S> m(o);
  m.setParameters(start);
  const auto r = m.fit(X);
  REQUIRE(r.reseededComponents >= 1);
  CHECK(m.noise().minCoeff() >= static_cast<S>(floor));
  CHECK(std::isfinite(r.freeEnergy));
  // shared noise, and a combiner that leaves no mass at all: every component is re-seeded
  o.sharedNoise = true;
  o.warmStart = false;
  vmfa::ExactModel<S> shared(o);
  shared.setCombiner({nullptr, [](vmfa::MStepStatistics& s) { std::fill(s.values().begin(), s.values().end(), 0.0); }});
  const auto rs = shared.fit(X);
  CHECK(rs.reseededComponents == C);
  CHECK(shared.noise().minCoeff() >= static_cast<S>(floor));
  // and the initial noise of a fresh fit (stopped after its first warm-up E-step: no M-step ran)
  o.sharedNoise = false;
  o.callback = [](const vmfa::IterationStats&) { return false; };
  vmfa::Model<S> fresh(o);
  const auto rf = fresh.fit(X);
  REQUIRE(rf.history.size() == 1u);
  REQUIRE(rf.history[0].warmup);
  CHECK(fresh.noise().minCoeff() >= static_cast<S>(floor));
}

TEMPLATE_TEST_CASE("the free energy of a stopped fit belongs to the parameters before its last M-step", "[defaults][em]",
                   float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(5, 6, 2, 71, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1500, 72);
  vmfa::Options o;
  o.numComponents = 5;
  o.latentDim = 2;
  o.tolerance = 0.0;
  o.maxIterations = 2;
  vmfa::ExactModel<S> limited(o);  // E+M, E+M, E: ends with an E-step
  const auto rl = limited.fit(X);
  REQUIRE(rl.status == vmfa::FitStatus::IterationLimit);
  CHECK(rl.freeEnergy == Approx(limited.score(X)).epsilon(sizeof(S) == 4 ? 1e-5 : 1e-12));
  int calls = 0;
  o.maxIterations = 10;
  o.callback = [&](const vmfa::IterationStats&) { return ++calls < 3; };
  vmfa::ExactModel<S> stopped(o);  // E+M three times, stopped after the third M-step
  const auto rs = stopped.fit(X);
  REQUIRE(rs.status == vmfa::FitStatus::StoppedByCallback);
  REQUIRE(rs.iterations == 3);
  CHECK(rs.freeEnergy == rl.freeEnergy);  // F of the parameters after two M-steps
  CHECK(stopped.score(X) >= rs.freeEnergy - 1e-6);  // the third M-step did not decrease it
  CHECK(stopped.score(X) != rs.freeEnergy);
}

TEMPLATE_TEST_CASE("patch estimates index past 2^31 (k * chunk + j) for dense responsibilities of C > 524,287",
                   "[defaults][denoise]", float, double) {
  using S = TestType;
  const Index C = 600000, D = 2, H = 1, N = 3;
  auto p = randomMfa<S>(C, D, H, 81, 1.0);
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(1, D, H, 82, 1.0), N, 83);
  const auto est = vmfa::PatchEstimators<S>::make(p, vmfa::Estimator::Projection, 1.0, 1);
  vmfa::Responsibilities<S> dense;
  dense.prob = vmfa::Matrix<S>::Zero(C, N);
  dense.prob.row(C - 1).setOnes();  // all mass on the last component: item (C − 1)·4096 + j
  vmfa::Responsibilities<S> one;
  one.index = vmfa::IndexMatrix::Constant(1, N, static_cast<std::int32_t>(C - 1));
  one.prob = vmfa::Matrix<S>::Ones(1, N);
  const vmfa::Matrix<S> a = vmfa::estimatePatches(p, est, X, dense, 1);
  const vmfa::Matrix<S> b = vmfa::estimatePatches(p, est, X, one, 1);
  CHECK(a.allFinite());
  CHECK((a.array() == b.array()).all());
}
