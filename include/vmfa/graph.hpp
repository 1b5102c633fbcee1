/// \file graph.hpp
/// \brief Neighbour-graph policies: for each component c a set g_c = {c, G−1 similar components}
/// that a truncated E-step searches.
///
/// The members a graph policy provides are listed, with their signatures, in policies.hpp
/// ("Graph policy"); `KlNeighborGraph` is the reference implementation. The graph is owned by the
/// E-step that searches it (`TruncatedEStep<Scalar, Graph>`): initialised, updated and
/// checkpointed there.
///
/// An update is accumulate → combine → finish: during an E-step the graph collects, per thread,
/// statistics of the log-joints the E-step has already evaluated (no extra evaluations);
/// `takeStatistics()` merges them into a `GraphStatistics` value, which can be merged with the
/// values of other processes (`+=`) and serialised; `finishUpdate` rebuilds the graph from it.
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

/// What a ranked graph does with a component that was the best of no point in an iteration.
enum class EmptyNeighborhood {
  Keep,    ///< keep its previous neighbours (default)
  Refill,  ///< replace them by G−1 components drawn at random
};

/// \brief The statistics of one graph update, as a value: for every distinct (best, candidate)
/// pair, the fixed-point sum of the criterion over the points whose best component is `best` and
/// that evaluated `candidate`, and their number. Entries are sorted by key and unique. Merging
/// (`+=`) adds integers, so it is associative and exact: the merged value does not depend on how
/// the points were split between threads or processes. Memory 24 bytes per entry.
class GraphStatistics {
 public:
  struct Entry {
    std::uint64_t key;   ///< best << 32 | candidate
    std::int64_t sum;    ///< Σ criterion · 2^16, rounded per point
    std::int64_t count;  ///< number of points
  };

  /// Entries sorted by key, one per distinct pair.
  const std::vector<Entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

  /// Builds the value from entries in any order, with repeated keys (summed).
  static GraphStatistics fromEntries(std::vector<Entry> all) {
    std::sort(all.begin(), all.end(), [](const Entry& x, const Entry& y) { return x.key < y.key; });
    GraphStatistics s;
    s.entries_.reserve(all.size());
    for (const Entry& e : all) {
      if (!s.entries_.empty() && s.entries_.back().key == e.key) {
        s.entries_.back().sum += e.sum;
        s.entries_.back().count += e.count;
      } else {
        s.entries_.push_back(e);
      }
    }
    return s;
  }

  /// Merges the statistics of other points (another thread's or another process's).
  GraphStatistics& operator+=(const GraphStatistics& other) {
    std::vector<Entry> all;
    all.reserve(entries_.size() + other.entries_.size());
    all.insert(all.end(), entries_.begin(), entries_.end());
    all.insert(all.end(), other.entries_.begin(), other.entries_.end());
    *this = fromEntries(std::move(all));
    return *this;
  }

  /// Flat buffer of 3 × size() integers (key, sum, count per entry), e.g. to send to other processes.
  std::vector<std::int64_t> serialize() const {
    std::vector<std::int64_t> out;
    out.reserve(3 * entries_.size());
    for (const Entry& e : entries_) {
      out.push_back(static_cast<std::int64_t>(e.key));
      out.push_back(e.sum);
      out.push_back(e.count);
    }
    return out;
  }

  /// Inverse of serialize(). \throws InvalidArgument if the buffer's length is not a multiple of 3.
  static GraphStatistics deserialize(const std::int64_t* data, std::size_t n) {
    detail::require(n % 3 == 0, "vmfa::GraphStatistics::deserialize", "buffer of ", n, " values is not a multiple of 3");
    std::vector<Entry> all(n / 3);
    for (std::size_t i = 0; i < all.size(); ++i)
      all[i] = Entry{static_cast<std::uint64_t>(data[3 * i]), data[3 * i + 1], data[3 * i + 2]};
    return fromEntries(std::move(all));
  }

 private:
  std::vector<Entry> entries_;
};

namespace detail {

/// Open-addressing hash map from a (best, candidate) pair to a fixed-point sum and a count: one
/// thread's part of a `GraphStatistics`.
class PairAccumulator {
 public:
  using Entry = GraphStatistics::Entry;
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

  /// Records that a point whose best component is `best` also evaluated `candidate` (thread
  /// `thread` of those given to beginUpdate).
  void accumulate(int thread, std::int32_t best, std::int32_t candidate, double ljBest, double ljCandidate) {
    const std::uint64_t k = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(best)) << 32) |
                            static_cast<std::uint32_t>(candidate);
    acc_[static_cast<std::size_t>(thread)].add(k, Criterion::value(ljBest, ljCandidate));
  }

  /// Merges the statistics accumulated since beginUpdate into one value and clears them.
  GraphStatistics takeStatistics() {
    std::vector<PairAccumulator::Entry> all;
    std::size_t total = 0;
    for (const auto& a : acc_) total += a.size();
    all.reserve(total);
    for (const auto& a : acc_) a.forEach([&](const PairAccumulator::Entry& e) { all.push_back(e); });
    for (auto& a : acc_) a.clear();
    return GraphStatistics::fromEntries(std::move(all));
  }

  /// New g_c = {c} ∪ the G−1 candidates with the smallest mean criterion (ties: smaller index);
  /// short lists are completed with the previous neighbours, then at random. O(P log G) for P
  /// distinct (best, candidate) pairs.
  void finishUpdate(const GraphStatistics& statistics, const Eigen::VectorXd& logWeights, std::uint64_t seed,
                    int iteration) {
    const std::vector<GraphStatistics::Entry>& all = statistics.entries();
    std::vector<std::uint32_t> stamp(static_cast<std::size_t>(C_), 0);
    std::uint32_t generation = 0;
    std::vector<std::pair<double, std::int32_t>> ranked;
    std::vector<std::int32_t> previous(static_cast<std::size_t>(G_));
    std::vector<unsigned char> seen(static_cast<std::size_t>(C_), 0);
    std::size_t i = 0;
    while (i < all.size()) {
      const auto c = static_cast<std::int32_t>(all[i].key >> 32);
      detail::require(c >= 0 && c < C_, "vmfa::RankedNeighborGraph::finishUpdate", "statistics name component ", c,
                      ", the graph has C = ", C_);
      seen[static_cast<std::size_t>(c)] = 1;
      ranked.clear();
      for (; i < all.size() && static_cast<std::int32_t>(all[i].key >> 32) == c; ++i) {
        const auto cand = static_cast<std::int32_t>(all[i].key & 0xffffffffu);
        detail::require(cand >= 0 && cand < C_ && all[i].count > 0, "vmfa::RankedNeighborGraph::finishUpdate",
                        "invalid statistics entry (candidate ", cand, ", count ", all[i].count, ") for C = ", C_);
        const double mean =
            static_cast<double>(all[i].sum) / PairAccumulator::kScale / static_cast<double>(all[i].count);
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
