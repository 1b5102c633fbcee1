/// \file graph.hpp
/// \brief Neighbour-graph policies: for each component c a set g_c = {c, G−1 similar components}
/// that a truncated E-step searches.
///
/// A graph policy used by `TruncatedEStep` provides `struct Options`, `checkOptions(C, where)`,
/// `initialize(C, seed)`, `size()` (G), `neighbors(c)` (G indices, the first is c), and the
/// accumulation interface `beginUpdate(threads)`, `accumulate(thread, best, candidate, ljBest,
/// ljCandidate)`, `finishUpdate(logWeights, seed, iteration)` through which the E-step hands it the
/// log-joints it has already evaluated (no extra evaluations).
#pragma once

#include "detail/rng.hpp"
#include "errors.hpp"
#include "options.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace vmfa {

/// \brief The graph policy of E-steps that need no graph (exact EM): holds nothing, costs nothing.
struct NoNeighborGraph {
  struct Options {};
  NoNeighborGraph() = default;
  explicit NoNeighborGraph(const Options&) {}
  void checkOptions(Index /*C*/, const char* /*where*/) const {}
  std::vector<std::int32_t> saveState() const { return {}; }
  Index stateWidth() const { return 0; }
  void restoreState(Index /*C*/, Index /*G*/, const std::vector<std::int32_t>& /*table*/, const char* /*where*/) {}
};

/// What a ranked graph does with a component that was the best of no point in an iteration.
enum class EmptyNeighborhood {
  Keep,    ///< keep its previous neighbours (default)
  Refill,  ///< replace them by G−1 components drawn at random
};

namespace detail {

/// Open-addressing hash map from a (best, candidate) pair to a fixed-point sum and a count.
/// Fixed-point integer sums are associative, so the merged totals do not depend on which thread
/// saw which point: the graph is the same for any thread count.
class PairAccumulator {
 public:
  struct Entry {
    std::uint64_t key;
    std::int64_t sum;
    std::int64_t count;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);
  static constexpr double kScale = 65536.0;          // 2^-16 nats resolution
  static constexpr double kClamp = 16777216.0;       // |value| <= 2^24 nats: no overflow for N < 2^23 per pair

  void clear() {
    table_.assign(64, Entry{kEmpty, 0, 0});
    used_ = 0;
  }

  void add(std::uint64_t key, double value) {
    if ((used_ + 1) * 2 > table_.size()) grow();
    const double v = std::max(-kClamp, std::min(kClamp, value));
    Entry& e = find(key);
    if (e.key == kEmpty) {
      e.key = key;
      ++used_;
    }
    e.sum += static_cast<std::int64_t>(std::llround(v * kScale));
    ++e.count;
  }

  template <typename F>
  void forEach(F&& f) const {
    for (const Entry& e : table_)
      if (e.key != kEmpty) f(e);
  }

  std::size_t size() const { return used_; }

 private:
  Entry& find(std::uint64_t key) {
    const std::size_t mask = table_.size() - 1;
    std::size_t i = static_cast<std::size_t>(mix64(key)) & mask;
    while (table_[i].key != kEmpty && table_[i].key != key) i = (i + 1) & mask;
    return table_[i];
  }
  void grow() {
    std::vector<Entry> old;
    old.swap(table_);
    table_.assign(old.size() * 2, Entry{kEmpty, 0, 0});
    for (const Entry& e : old)
      if (e.key != kEmpty) find(e.key) = e;
  }

  std::vector<Entry> table_ = std::vector<Entry>(64, Entry{kEmpty, 0, 0});
  std::size_t used_ = 0;
};

/// \brief Neighbour graph ranked by a per-pair mean over the points a component explains best.
///
/// `Criterion` provides `static double value(double ljBest, double ljCandidate)` (what is averaged)
/// and `static double offset(double logPiBest, double logPiCandidate)` (added to the mean).
template <typename Criterion>
class RankedNeighborGraph {
 public:
  /// Options of the graph.
  struct Options {
    /// G: neighbours per component including itself (1 <= G <= C). `kAutomatic`: min(15, C).
    Index neighbors = kAutomatic;
    /// What happens to the neighbours of a component that explained no point best.
    EmptyNeighborhood empty = EmptyNeighborhood::Keep;
  };

  RankedNeighborGraph() = default;
  explicit RankedNeighborGraph(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }

  void checkOptions(Index C, const char* where) const {
    detail::require(options_.neighbors >= 1 || options_.neighbors == kAutomatic, where, "neighbors G = ",
                    options_.neighbors, " must be >= 1");
    detail::require(options_.neighbors <= C, where, "neighbors G = ", options_.neighbors,
                    " exceeds the number of components C = ", C);
  }

  /// G for C components.
  static Index resolve(Index requested, Index C) {
    return requested == kAutomatic ? std::min<Index>(15, C) : requested;
  }

  /// g_c = {c} plus G−1 distinct components drawn at random. O(C·G).
  void initialize(Index C, std::uint64_t seed) {
    C_ = C;
    G_ = resolve(options_.neighbors, C);
    table_.assign(static_cast<std::size_t>(C_ * G_), 0);
    std::vector<std::uint32_t> stamp(static_cast<std::size_t>(C_), 0);
    for (Index c = 0; c < C_; ++c) {
      Random rng(seed, key(Stream::Graph), 0, static_cast<std::uint64_t>(c));
      std::int32_t* g = row(c);
      g[0] = static_cast<std::int32_t>(c);
      stamp[static_cast<std::size_t>(c)] = static_cast<std::uint32_t>(c + 1);
      fillRandom(g, 1, rng, stamp, static_cast<std::uint32_t>(c + 1));
    }
  }

  Index size() const { return G_; }
  Index numComponents() const { return C_; }
  /// The G neighbours of component c; the first is c itself.
  const std::int32_t* neighbors(Index c) const { return table_.data() + c * G_; }
  /// The neighbours of c as a vector (for inspection).
  std::vector<std::int32_t> neighborList(Index c) const { return {neighbors(c), neighbors(c) + G_}; }

  /// The graph as C × G indices, row by row (for checkpoints).
  std::vector<std::int32_t> saveState() const { return table_; }
  Index stateWidth() const { return G_; }
  /// Restores a graph saved by saveState(); throws InvalidArgument if it does not fit C and the options.
  void restoreState(Index C, Index G, const std::vector<std::int32_t>& table, const char* where) {
    detail::require(G == resolve(options_.neighbors, C) && static_cast<Index>(table.size()) == C * G, where,
                    "the checkpoint's graph has G = ", G, " (", table.size(), " entries) but the options give G = ",
                    resolve(options_.neighbors, C), " for C = ", C);
    for (Index c = 0; c < C; ++c) {
      detail::require(table[static_cast<std::size_t>(c * G)] == c, where, "graph row ", c, " does not start with ", c);
      for (Index i = 0; i < G; ++i) {
        const auto v = table[static_cast<std::size_t>(c * G + i)];
        detail::require(v >= 0 && v < C, where, "graph entry ", v, " is out of range [0, ", C, ")");
      }
    }
    C_ = C;
    G_ = G;
    table_ = table;
  }

  void beginUpdate(int threads) {
    acc_.resize(static_cast<std::size_t>(threads));
    for (auto& a : acc_) a.clear();
  }

  /// Records that a point whose best component is `best` also evaluated `candidate`.
  void accumulate(int thread, std::int32_t best, std::int32_t candidate, double ljBest, double ljCandidate) {
    const std::uint64_t k = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(best)) << 32) |
                            static_cast<std::uint32_t>(candidate);
    acc_[static_cast<std::size_t>(thread)].add(k, Criterion::value(ljBest, ljCandidate));
  }

  /// New g_c = {c} ∪ the G−1 candidates with the smallest mean criterion (ties: smaller index);
  /// short lists are completed with the previous neighbours, then at random. O(P log P) for P
  /// distinct (best, candidate) pairs.
  void finishUpdate(const Eigen::VectorXd& logWeights, std::uint64_t seed, int iteration) {
    std::vector<PairAccumulator::Entry> all;
    std::size_t total = 0;
    for (const auto& a : acc_) total += a.size();
    all.reserve(total);
    for (const auto& a : acc_) a.forEach([&](const PairAccumulator::Entry& e) { all.push_back(e); });
    std::sort(all.begin(), all.end(),
              [](const PairAccumulator::Entry& x, const PairAccumulator::Entry& y) { return x.key < y.key; });
    std::vector<std::uint32_t> stamp(static_cast<std::size_t>(C_), 0);
    std::uint32_t generation = 0;
    std::vector<std::pair<double, std::int32_t>> ranked;
    std::vector<std::int32_t> previous(static_cast<std::size_t>(G_));
    std::vector<unsigned char> seen(static_cast<std::size_t>(C_), 0);
    std::size_t i = 0;
    while (i < all.size()) {
      const auto c = static_cast<std::int32_t>(all[i].key >> 32);
      seen[static_cast<std::size_t>(c)] = 1;
      ranked.clear();
      while (i < all.size() && static_cast<std::int32_t>(all[i].key >> 32) == c) {
        // combine the entries of the same pair coming from different threads
        const std::uint64_t k = all[i].key;
        std::int64_t sum = 0, count = 0;
        for (; i < all.size() && all[i].key == k; ++i) {
          sum += all[i].sum;
          count += all[i].count;
        }
        const auto cand = static_cast<std::int32_t>(k & 0xffffffffu);
        const double mean = static_cast<double>(sum) / PairAccumulator::kScale / static_cast<double>(count);
        ranked.emplace_back(mean + Criterion::offset(logWeights(c), logWeights(cand)), cand);
      }
      const std::size_t keep = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(G_ - 1));
      std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end());
      std::int32_t* g = row(c);
      std::copy(g, g + G_, previous.begin());
      ++generation;
      g[0] = c;
      stamp[static_cast<std::size_t>(c)] = generation;
      Index filled = 1;
      for (std::size_t r = 0; r < keep; ++r) {
        g[filled++] = ranked[r].second;
        stamp[static_cast<std::size_t>(ranked[r].second)] = generation;
      }
      for (Index r = 1; r < G_ && filled < G_; ++r) {
        const std::int32_t p = previous[static_cast<std::size_t>(r)];
        if (stamp[static_cast<std::size_t>(p)] != generation) {
          g[filled++] = p;
          stamp[static_cast<std::size_t>(p)] = generation;
        }
      }
      if (filled < G_) {
        Random rng(seed, key(Stream::Graph), static_cast<std::uint64_t>(iteration) + 1, static_cast<std::uint64_t>(c));
        fillRandom(g, filled, rng, stamp, generation);
      }
    }
    if (options_.empty == EmptyNeighborhood::Refill) {
      for (Index c = 0; c < C_; ++c) {
        if (seen[static_cast<std::size_t>(c)]) continue;
        ++generation;
        stamp[static_cast<std::size_t>(c)] = generation;
        Random rng(seed, key(Stream::Graph), static_cast<std::uint64_t>(iteration) + 1, static_cast<std::uint64_t>(c));
        fillRandom(row(c), 1, rng, stamp, generation);
      }
    }
    for (auto& a : acc_) a.clear();
  }

 private:
  std::int32_t* row(Index c) { return table_.data() + c * G_; }

  /// Fills g[from, G) with distinct random components not stamped with `generation`.
  void fillRandom(std::int32_t* g, Index from, Random& rng, std::vector<std::uint32_t>& stamp,
                  std::uint32_t generation) const {
    for (Index i = from; i < G_;) {
      const auto c = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(C_)));
      if (stamp[static_cast<std::size_t>(c)] == generation) continue;
      stamp[static_cast<std::size_t>(c)] = generation;
      g[i++] = c;
    }
  }

  Options options_;
  Index C_ = 0, G_ = 0;
  std::vector<std::int32_t> table_;
  std::vector<PairAccumulator> acc_;
};

/// D̂(c → c̃) = mean over the points that c explains best of [log p(x, c) − log p(x, c̃)]
/// + log π_c̃ − log π_c: a Monte-Carlo estimate of KL(p(x|c) ‖ p(x|c̃)).
struct KlCriterion {
  static double value(double ljBest, double ljCandidate) { return ljBest - ljCandidate; }
  static double offset(double logPiBest, double logPiCandidate) { return logPiCandidate - logPiBest; }
};

/// The "Euclidean" ablation of the older var-GMM-S: rank by mean −log p(x, c̃).
struct EuclideanCriterion {
  static double value(double /*ljBest*/, double ljCandidate) { return -ljCandidate; }
  static double offset(double, double) { return 0.0; }
};

}  // namespace detail

/// \brief The v-MFA neighbour graph: g_c holds c and the G−1 components with the smallest
/// estimated KL divergence KL(p(x|c) ‖ p(x|c̃)), estimated from the log-joints the E-step already
/// evaluated for the points that c explains best. Memory C·G indices plus the distinct
/// (component, candidate) pairs of one iteration.
class KlNeighborGraph : public detail::RankedNeighborGraph<detail::KlCriterion> {
 public:
  using RankedNeighborGraph::RankedNeighborGraph;
};

/// \brief Ablation: ranks candidates by mean −log p(x, c̃) over the points c explains best.
class EuclideanNeighborGraph : public detail::RankedNeighborGraph<detail::EuclideanCriterion> {
 public:
  using RankedNeighborGraph::RankedNeighborGraph;
};

}  // namespace vmfa
