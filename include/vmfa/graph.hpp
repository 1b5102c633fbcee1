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
#include "graph_statistics.hpp"
#include "options.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <vector>

namespace vmfa {

/// What a ranked graph does with a component that was the best of no point in an iteration.
enum class EmptyNeighborhood {
  Keep,    ///< keep its previous neighbours (default)
  Refill,  ///< replace them by G−1 components drawn at random
};

namespace detail {

/// A mutex that a copy does not share (a copied graph starts with a fresh one).
struct CopyableMutex {
  std::mutex m;
  CopyableMutex() = default;
  CopyableMutex(const CopyableMutex&) {}
  CopyableMutex& operator=(const CopyableMutex&) { return *this; }
};

/// \brief Neighbour graph ranked by a per-pair mean over the points a component explains best.
///
/// `Criterion` provides `static double value(double ljBest, double ljCandidate, double logPiBest,
/// double logPiCandidate)`: what is averaged per point (smaller = closer).
template <typename Criterion>
class RankedNeighborGraph {
 public:
  /// Options of the graph.
  struct Options {
    /// G: neighbours per component including itself (1 <= G <= C). `kAutomatic`: min(15, C).
    Index neighbors = kAutomatic;
    /// What happens to the neighbours of a component that explained no point best.
    EmptyNeighborhood empty = EmptyNeighborhood::Keep;
    /// Candidates whose statistics are kept per component during an update (>= 1). Bounds the
    /// statistics' memory by C·capacity·16 bytes, whatever N; when a row is full, the candidates
    /// with the smallest mean criterion so far are kept, and the result then depends on the order
    /// of the merges (of chunks, and of processes in a distributed fit). `kAutomatic`: exact
    /// statistics (C − 1, no row can overflow) while they take at most `kExactStatisticsBytes`
    /// (64 MiB: up to C = 2,048), so that a fit is the same for any number of processes; 4·G above.
    Index statisticsCapacity = kAutomatic;
  };

  RankedNeighborGraph() = default;
  explicit RankedNeighborGraph(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }

  void checkOptions(Index C, const char* where) const {
    detail::require(options_.neighbors >= 1 || options_.neighbors == kAutomatic, where, "neighbors G = ",
                    options_.neighbors, " must be >= 1");
    detail::require(options_.neighbors <= C, where, "neighbors G = ", options_.neighbors,
                    " exceeds the number of components C = ", C);
    detail::require((options_.statisticsCapacity >= 1 && options_.statisticsCapacity <= (Index(1) << 30)) ||
                        options_.statisticsCapacity == kAutomatic,
                    where, "statisticsCapacity = ", options_.statisticsCapacity, " must be in [1, 2^30]");
  }

  void describe(OptionList& out) const {
    out.add("graph.neighbors", options_.neighbors).add("graph.empty", options_.empty);
    out.add("graph.statisticsCapacity", options_.statisticsCapacity);
  }

  /// G for C components.
  static Index resolve(Index requested, Index C) {
    return requested == kAutomatic ? std::min<Index>(15, C) : requested;
  }
  /// Largest exact statistics (C·(C − 1)·16 bytes) that `kAutomatic` chooses.
  static constexpr Index kExactStatisticsBytes = Index(64) << 20;

  /// Candidates kept per component for C components: at most C − 1 can occur.
  Index statisticsCapacity(Index C) const {
    Index want = options_.statisticsCapacity;
    if (want == kAutomatic)
      want = C * (C - 1) * static_cast<Index>(sizeof(GraphStatistics::Entry)) <= kExactStatisticsBytes
                 ? C - 1
                 : 4 * resolve(options_.neighbors, C);
    return std::max<Index>(1, std::min(want, C - 1));
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
      fillRandom(g, 1, rng, stamp, static_cast<std::uint32_t>(c + 1), nullptr);
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

  /// Starts collecting statistics for an E-step of `threads` threads with the log-weights of the
  /// parameters it evaluates. Allocates the bounded statistics (C·capacity·16 bytes).
  void beginUpdate(int threads, const Eigen::VectorXd& logWeights) {
    logWeights_ = logWeights;
    acc_.resize(static_cast<std::size_t>(threads));
    for (auto& a : acc_) a.reset(C_);
    statistics_ = GraphStatistics(C_, statisticsCapacity(C_));
    pending_.clear();
    nextChunk_ = 0;
    merging_ = false;
  }

  /// Records that a point whose best component is `best` also evaluated `candidate`, in the chunk
  /// that thread `thread` is working on. Components of weight 0 are never candidates.
  void accumulate(int thread, std::int32_t best, std::int32_t candidate, double ljBest, double ljCandidate) {
    const double lb = logWeights_(best), lc = logWeights_(candidate);
    if (!std::isfinite(lb) || !std::isfinite(lc)) return;
    acc_[static_cast<std::size_t>(thread)].add(best, candidate, Criterion::value(ljBest, ljCandidate, lb, lc));
  }

  /// Ends thread `thread`'s chunk number `chunk`: its statistics are merged into the update's in
  /// the order of the chunks (0, 1, 2, …), whichever thread finished first, so that the bounded
  /// statistics do not depend on the thread count. Thread-safe.
  void endChunk(int thread, Index chunk) {
    ChunkAccumulator::Rows rows = acc_[static_cast<std::size_t>(thread)].reduce();
    {
      std::lock_guard<std::mutex> lock(mutex_.m);
      pending_.emplace(chunk, std::move(rows));
      if (merging_) return;  // the thread that is merging will take it
      merging_ = true;
    }
    for (;;) {
      ChunkAccumulator::Rows next;
      {
        std::lock_guard<std::mutex> lock(mutex_.m);
        const auto it = pending_.find(nextChunk_);
        if (it == pending_.end()) {
          merging_ = false;
          return;
        }
        next = std::move(it->second);
        pending_.erase(it);
        ++nextChunk_;
      }
      for (std::size_t r = 0; r < next.best.size(); ++r)
        statistics_.accumulateRow(next.best[r], next.entries.data() + next.begin[r],
                                  static_cast<Index>(next.begin[r + 1] - next.begin[r]));
    }
  }

  /// The statistics merged since beginUpdate (the graph keeps none).
  GraphStatistics takeStatistics() {
    for (auto& a : acc_) a.reset(0);
    pending_.clear();
    statistics_.sortRows(static_cast<int>(acc_.size()));
    return std::move(statistics_);
  }

  /// New g_c = {c} ∪ the G−1 candidates with the smallest mean criterion (ties: smaller index);
  /// short lists are completed with the previous neighbours, then at random. Components of
  /// weight 0 are never neighbours. O(C·capacity·log G).
  void finishUpdate(const GraphStatistics& statistics, const Eigen::VectorXd& logWeights, std::uint64_t seed,
                    int iteration) {
    detail::require(statistics.numComponents() == C_, "vmfa::RankedNeighborGraph::finishUpdate", "statistics for C = ",
                    statistics.numComponents(), ", the graph has C = ", C_);
    std::vector<unsigned char> eligible(static_cast<std::size_t>(C_), 0);
    Index numEligible = 0;
    for (Index c = 0; c < C_; ++c) {
      eligible[static_cast<std::size_t>(c)] = std::isfinite(logWeights(c)) ? 1 : 0;
      numEligible += eligible[static_cast<std::size_t>(c)];
    }
    // random fills skip weight-0 components when there are enough others
    const unsigned char* allowed = numEligible >= G_ ? eligible.data() : nullptr;
    std::vector<std::uint32_t> stamp(static_cast<std::size_t>(C_), 0);
    std::uint32_t generation = 0;
    std::vector<std::pair<double, std::int32_t>> ranked;
    std::vector<std::int32_t> previous(static_cast<std::size_t>(G_));
    for (Index c = 0; c < C_; ++c) {
      const Index n = statistics.rowSize(c);
      const bool empty = n == 0 || !eligible[static_cast<std::size_t>(c)];
      if (empty && options_.empty == EmptyNeighborhood::Keep) continue;
      ranked.clear();
      if (!empty)
        for (Index i = 0; i < n; ++i) {
          const GraphStatistics::Entry& e = statistics.row(c)[i];
          if (e.candidate == c || !eligible[static_cast<std::size_t>(e.candidate)]) continue;
          ranked.emplace_back(GraphStatistics::mean(e), e.candidate);
        }
      const std::size_t keep = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(G_ - 1));
      std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end());
      std::int32_t* g = row(c);
      std::copy(g, g + G_, previous.begin());
      ++generation;
      g[0] = static_cast<std::int32_t>(c);
      stamp[static_cast<std::size_t>(c)] = generation;
      Index filled = 1;
      for (std::size_t r = 0; r < keep; ++r) {
        g[filled++] = ranked[r].second;
        stamp[static_cast<std::size_t>(ranked[r].second)] = generation;
      }
      for (Index r = 1; !empty && r < G_ && filled < G_; ++r) {
        const std::int32_t p = previous[static_cast<std::size_t>(r)];
        if (stamp[static_cast<std::size_t>(p)] != generation && (!allowed || allowed[p])) {
          g[filled++] = p;
          stamp[static_cast<std::size_t>(p)] = generation;
        }
      }
      if (filled < G_) {
        Random rng(seed, key(Stream::Graph), static_cast<std::uint64_t>(iteration) + 1, static_cast<std::uint64_t>(c));
        fillRandom(g, filled, rng, stamp, generation, allowed);
      }
    }
  }

 private:
  std::int32_t* row(Index c) { return table_.data() + c * G_; }

  /// Fills g[from, G) with distinct random components not stamped with `generation` (and, when
  /// `allowed` is given, allowed).
  void fillRandom(std::int32_t* g, Index from, Random& rng, std::vector<std::uint32_t>& stamp, std::uint32_t generation,
                  const unsigned char* allowed) const {
    for (Index i = from; i < G_;) {
      const auto c = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(C_)));
      if (stamp[static_cast<std::size_t>(c)] == generation || (allowed && !allowed[c])) continue;
      stamp[static_cast<std::size_t>(c)] = generation;
      g[i++] = c;
    }
  }

  Options options_;
  Index C_ = 0, G_ = 0;
  std::vector<std::int32_t> table_;
  // one update
  Eigen::VectorXd logWeights_;
  std::vector<ChunkAccumulator> acc_;
  GraphStatistics statistics_;
  detail::CopyableMutex mutex_;
  std::map<Index, ChunkAccumulator::Rows> pending_;
  Index nextChunk_ = 0;
  bool merging_ = false;
};

/// D̂(c → c̃) = mean over the points that c explains best of [log p(x | c) − log p(x | c̃)]
/// = [log p(x, c) − log π_c] − [log p(x, c̃) − log π_c̃]: a Monte-Carlo estimate of
/// KL(p(x|c) ‖ p(x|c̃)).
struct KlCriterion {
  static double value(double ljBest, double ljCandidate, double logPiBest, double logPiCandidate) {
    return (ljBest - logPiBest) - (ljCandidate - logPiCandidate);
  }
};

/// The "Euclidean" ablation of the older var-GMM-S: rank by mean −log p(x, c̃).
struct EuclideanCriterion {
  static double value(double /*ljBest*/, double ljCandidate, double, double) { return -ljCandidate; }
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
