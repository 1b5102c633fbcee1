// The neighbour graph: the KL and Euclidean graphs a fit builds, and the graph statistics as a
// bounded value (merging, serialisation, the rows a distributed fit exchanges).
#include "catch.hpp"
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

using namespace vmfa_test;
using vmfa::Index;

namespace {

/// C clusters along a line in D dimensions, cluster c centred at c·spacing on every axis.
template <typename S>
vmfa::Parameters<S> chainMfa(Index C, Index D, Index H, double spacing) {
  auto p = randomMfa<S>(C, D, H, 5, 0.0);
  for (Index c = 0; c < C; ++c) p.means.col(c).setConstant(static_cast<S>(spacing * static_cast<double>(c)));
  p.loadings *= S(0.3);
  p.weights.setConstant(S(1) / static_cast<S>(C));
  return p;
}

}  // namespace

TEMPLATE_TEST_CASE("graph statistics stay within C x capacity whatever N, and the capacity is checked", "[graph]",
                   float, double) {
  using S = TestType;
  const Index C = 30, G = 4;
  const auto truth = randomMfa<S>(C, 6, 1, 41, 3.0);
  vmfa::Options o = fitOptions(C, 1, 3, 0.0);
  for (Index N : {600, 6000}) {
    const vmfa::Matrix<S> X = sampleFrom(truth, N, 42);
    auto m = vmfaModel<S>(o, 3, G, 2, 500, 4 * G);
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
  // the default: exact rows (C − 1) while C·(C − 1)·16 bytes fit 64 MiB, 4·G above
  vmfa::KlNeighborGraph::Options go;
  const vmfa::KlNeighborGraph automatic(go);
  CHECK(automatic.statisticsCapacity(30) == 29);
  CHECK(automatic.statisticsCapacity(2048) == 2047);
  CHECK(automatic.statisticsCapacity(2049) == 4 * 15);
  CHECK(automatic.statisticsCapacity(100000) == 4 * 15);
  go.statisticsCapacity = 0;
  vmfa::Model<S> bad(o, vmfa::TruncatedEStep<S>({}, go));
  CHECK_THROWS_WITH(bad.fit(sampleFrom(truth, 100, 1)),
                    "vmfa::Model::fit: statisticsCapacity = 0 must be in [1, 2^30]");
}

TEMPLATE_TEST_CASE("a component of weight 0 is never a neighbour", "[graph]", float, double) {
  using S = TestType;
  const Index C = 12, D = 5, H = 1;
  auto start = randomMfa<S>(C, D, H, 51, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(start, 3000, 52);
  start.weights(7) = S(0);  // reachable through setParameters and a warm start
  start.weights /= start.weights.sum();
  vmfa::Options o = fitOptions(C, H, 1, 0.0);
  o.warmStart = true;
  auto m = vmfaModel<S>(o, 2, 4, 1);
  m.setParameters(start);
  // warm-up E-steps only (no M-step yet: the weight stays 0) rebuild the graph from the statistics
  int calls = 0;
  o.callback = [&](const vmfa::IterationStats& s) { return s.warmup && ++calls < 3; };
  auto warm = vmfaModel<S>(o, 2, 4, 1);
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

TEST_CASE("graph statistics are bounded values: merging is exact and order-free while rows fit, serialisation round-trips",
          "[graph]") {
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
          "[graph]") {
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

TEST_CASE("graph statistics: a chunk's pairs reduce to the rows of a brute-force bucketing, in or out of order",
          "[graph]") {
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
                   "[graph]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(40, 8, 2, 31, 6.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 6000, 32);
  vmfa::Options o = fitOptions(40, 2, 15, 0.0);
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

TEMPLATE_TEST_CASE("the KL graph finds each cluster's neighbours along a chain", "[graph]", float, double) {
  using S = TestType;
  const Index C = 16, D = 6, H = 1;
  const auto truth = chainMfa<S>(C, D, H, 1.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 16 * 300, 4);
  vmfa::Options o = fitOptions(C, H, 10, 0.0);
  o.warmStart = true;
  auto m = vmfaModel<S>(o, 2, 3, 2);
  m.setParameters(truth);
  m.fit(X);
  int found = 0, expected = 0;
  for (Index c = 0; c < C; ++c) {
    const auto g = m.estep().graph().neighborList(c);
    REQUIRE(g.size() == 3u);
    CHECK(g[0] == c);
    const std::set<std::int32_t> s(g.begin(), g.end());
    REQUIRE(s.size() == 3u);  // distinct
    for (Index nb : {c - 1, c + 1})
      if (nb >= 0 && nb < C) {
        ++expected;
        found += s.count(static_cast<std::int32_t>(nb)) ? 1 : 0;
      }
  }
  CHECK(found == expected);
}

TEMPLATE_TEST_CASE("the Euclidean graph ablation runs through the same slots", "[graph]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(12, 6, 2, 9, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 2000, 4);
  vmfa::Options o = fitOptions(12, 2);
  vmfa::EuclideanGraphModel<S> m(o);
  const auto r = m.fit(X);
  CHECK(std::isfinite(r.freeEnergy));
  CHECK(r.freeEnergy <= m.score(X) + 1e-6 * std::abs(m.score(X)));
  CHECK(m.estep().graph().size() == 12);
}

TEST_CASE("blocks of graph-statistics rows (what the processes exchange): merged and set back exactly, and bad blocks are refused",
          "[graph][distributed]") {
  using E = vmfa::GraphStatistics::Entry;
  vmfa::GraphStatistics a(5, 3), b(5, 3);
  const E a1[] = {E{100, 1, 1}, E{50, 2, 2}}, a3[] = {E{-7, 0, 3}};
  a.mergeRow(1, a1, 2);
  a.mergeRow(3, a3, 1);
  const E b1[] = {E{30, 2, 1}, E{9, 4, 1}}, b2[] = {E{5, 3, 1}};
  b.mergeRow(1, b1, 2);
  b.mergeRow(2, b2, 1);
  // rows [1, 4) of a and of b, merged into a block that holds only those rows: what a += b holds there
  std::vector<std::int64_t> fromA, fromB;
  a.appendRows(1, 4, fromA);
  b.appendRows(1, 4, fromB);
  CHECK(fromA.size() == 3u + 3u * 3u);
  vmfa::GraphStatistics block(5, 3, 1, 4);
  CHECK(block.readRows(1, 4, fromA.data(), fromA.data() + fromA.size(), true, "merge", "process 0") ==
        fromA.data() + fromA.size());
  block.readRows(1, 4, fromB.data(), fromB.data() + fromB.size(), true, "merge", "process 1");
  auto sum = a;
  sum += b;
  std::vector<std::int64_t> merged, expected;
  block.appendRows(1, 4, merged);
  sum.appendRows(1, 4, expected);
  CHECK(merged == expected);
  // set back into whole statistics, the rows are those of the sum
  vmfa::GraphStatistics whole(5, 3);
  whole.readRows(1, 4, merged.data(), merged.data() + merged.size(), false, "assign", "process 0");
  for (vmfa::Index c = 1; c < 4; ++c) {
    REQUIRE(whole.rowSize(c) == sum.rowSize(c));
    for (vmfa::Index i = 0; i < whole.rowSize(c); ++i) CHECK(whole.row(c)[i].sum == sum.row(c)[i].sum);
  }
  // a block that ends early, a row longer than the capacity, a bad entry: refused, naming the sender
  vmfa::GraphStatistics target(5, 3, 1, 4);
  CHECK_THROWS_WITH(target.readRows(1, 4, fromA.data(), fromA.data() + 2, true, "vmfa::mpi::mergeAcross", "process 2"),
                    "vmfa::mpi::mergeAcross: process 2: a block of rows [1, 4) in 2 values is truncated");
  CHECK_THROWS_WITH(target.readRows(1, 4, fromA.data(), fromA.data() + fromA.size() - 1, true, "vmfa::mpi::mergeAcross",
                                    "process 2"),
                    "vmfa::mpi::mergeAcross: process 2: row 3 has 1 entries (capacity 3, 0 left in the buffer)");
  auto bad = fromA;
  bad[0] = 4;  // row 1 announces more entries than the capacity
  CHECK_THROWS_WITH(target.readRows(1, 4, bad.data(), bad.data() + bad.size(), true, "vmfa::mpi::mergeAcross", "process 2"),
                    "vmfa::mpi::mergeAcross: process 2: row 1 has 4 entries (capacity 3, 3 left in the buffer)");
  bad = fromA;
  bad[3 + 1] = 5;  // a candidate out of range
  CHECK_THROWS_WITH(target.readRows(1, 4, bad.data(), bad.data() + bad.size(), true, "vmfa::mpi::mergeAcross", "process 2"),
                    "vmfa::mpi::mergeAcross: process 2: row 1 entry 0 (candidate 5, count 1) is invalid for C = 5");
  bad = fromA;
  bad[3 + 2] = std::int64_t(1) << 32;  // a count past 2^32 - 1
  CHECK_THROWS_WITH(target.readRows(1, 4, bad.data(), bad.data() + bad.size(), true, "vmfa::mpi::mergeAcross", "process 2"),
                    "vmfa::mpi::mergeAcross: process 2: row 1 entry 0 (candidate 1, count 4294967296) is invalid for C = 5");
  CHECK_THROWS_WITH(target.readRows(0, 4, fromA.data(), fromA.data() + fromA.size(), true, "vmfa::mpi::mergeAcross", "process 2"),
                    Catch::Contains("a block of rows [0, 4)"));  // rows the statistics do not hold
}

TEST_CASE("the byte messages of a distributed fit are read with every length checked", "[graph][distributed]") {
  vmfa::detail::ByteWriter w;
  const double values[3] = {1.5, -2.0, 4.25};
  w.put(std::int64_t(7)).put(values, 3);
  const std::vector<char> bytes = w.take();
  CHECK(bytes.size() == 32u);
  vmfa::detail::ByteReader r(bytes, "where", "process 1");
  CHECK(r.records(16) == 2u);
  CHECK_THROWS_WITH(r.records(24), "where: process 1 sent 32 bytes, not a whole number of 24-byte records");
  CHECK(r.get<std::int64_t>() == 7);
  double back[3];
  r.get(back, 3);
  CHECK((back[0] == 1.5 && back[1] == -2.0 && back[2] == 4.25));
  CHECK(r.done());
  CHECK_THROWS_WITH(r.get<double>(), "where: process 1 sent a truncated message: 8 more bytes expected, 0 left");
}
