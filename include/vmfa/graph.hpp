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

/// \brief The statistics of one graph update, as a value: for every component c (as the best
/// component of some points) at most `capacity()` candidates c̃, each with the fixed-point sum of
/// the criterion over the points whose best component is c and that evaluated c̃, and their number.
///
/// Memory is bounded by C·capacity·16 bytes whatever the number of points: when a row would
/// exceed its capacity, it keeps the candidates with the smallest mean criterion (ties: the smaller
/// index) and drops the others (`dropped()` counts them). While no row overflows, merging (`+=`)
/// adds integers and is exact and order-free; once rows overflow, the result depends on the order
/// of the merges, so the E-step merges its chunks of points in a fixed order (the same for any
/// number of threads).
class GraphStatistics {
 public:
  struct Entry {
    std::int64_t sum;         ///< Σ criterion · 2^16, rounded per point
    std::int32_t candidate;   ///< c̃
    std::uint32_t count;      ///< number of points
  };
  static constexpr double kScale = 65536.0;  ///< 2^-16 nats resolution of the sums

  GraphStatistics() = default;
  /// Empty statistics for C components with room for `capacity` candidates per component.
  GraphStatistics(Index C, Index capacity) : GraphStatistics(C, capacity, 0, C) {}
  /// Empty statistics of the rows [firstRow, lastRow) only, for C components (candidates range
  /// over all C): what one process merges of a distributed fit's statistics. Memory
  /// (lastRow − firstRow)·capacity·16 bytes.
  GraphStatistics(Index C, Index capacity, Index firstRow, Index lastRow) : C_(C), capacity_(capacity), first_(firstRow) {
    detail::require(C >= 0 && capacity >= 1 && capacity <= (Index(1) << 30) && firstRow >= 0 && firstRow <= lastRow &&
                        lastRow <= C,
                    "vmfa::GraphStatistics", "C = ", C, ", capacity = ", capacity, " and rows [", firstRow, ", ", lastRow,
                    ") must satisfy C >= 0, capacity in [1, 2^30], 0 <= first <= last <= C");
    sizes_.assign(static_cast<std::size_t>(lastRow - firstRow), 0);
    entries_.resize(static_cast<std::size_t>((lastRow - firstRow) * capacity));
  }

  Index numComponents() const { return C_; }
  Index capacity() const { return capacity_; }
  /// The rows held: [firstRow(), lastRow()) (all C unless constructed for a range).
  Index firstRow() const { return first_; }
  Index lastRow() const { return first_ + static_cast<Index>(sizes_.size()); }
  /// Candidates of component c, sorted by index (unless rows were merged with `accumulateRow`
  /// since the last `sortRows`).
  const Entry* row(Index c) const { return entries_.data() + (c - first_) * capacity_; }
  Index rowSize(Index c) const { return static_cast<Index>(sizes_[static_cast<std::size_t>(c - first_)]); }
  /// Sets row c to the `n` entries `in`, which must be sorted by candidate (a row of another
  /// `GraphStatistics`, e.g. received from another process). 	hrows InvalidArgument when n
  /// exceeds the capacity or an entry is invalid (candidate out of range or not increasing, count 0).
  void assignRow(Index c, const std::int64_t* in, Index n, const char* where = "vmfa::GraphStatistics::assignRow") {
    detail::require(c >= first_ && c < lastRow() && n >= 0 && n <= capacity_, where, "row ", c, " of [", first_, ", ",
                    lastRow(), ") with ", n, " entries (capacity ", capacity_, ")");
    Entry* r = entries_.data() + (c - first_) * capacity_;
    for (Index i = 0; i < n; ++i, in += 3) {
      detail::require(in[1] >= 0 && in[1] < C_ && (i == 0 || in[1] > r[i - 1].candidate) && in[2] > 0 &&
                          in[2] <= std::numeric_limits<std::uint32_t>::max(),
                      where, "row ", c, " entry ", i, " (candidate ", in[1], ", count ", in[2], ") is invalid for C = ", C_);
      r[i] = Entry{in[0], static_cast<std::int32_t>(in[1]), static_cast<std::uint32_t>(in[2])};
    }
    sizes_[static_cast<std::size_t>(c - first_)] = static_cast<std::uint32_t>(n);
  }
  /// Adds to the dropped count (entries dropped elsewhere, e.g. on other processes).
  void addDropped(std::uint64_t n) { dropped_ += n; }
  /// Total number of (component, candidate) entries.
  std::size_t size() const {
    std::size_t n = 0;
    for (auto s : sizes_) n += s;
    return n;
  }
  /// Entries dropped because their row was full (0: the statistics are exact).
  std::uint64_t dropped() const { return dropped_; }
  /// The mean criterion of an entry.
  static double mean(const Entry& e) { return static_cast<double>(e.sum) / kScale / static_cast<double>(e.count); }

  /// Merges `n` entries for component c, distinct candidates in any order (another chunk's,
  /// thread's or process's statistics of the same component); the row stays sorted by candidate.
  void mergeRow(Index c, const Entry* in, Index n) {
    accumulateRow(c, in, n);
    sortRow(c);
  }

  /// `mergeRow` without ordering the row (O(n + row) instead of a sort per merge): rows merged
  /// this way are in an unspecified (but deterministic) order until `sortRows()`. The neighbour
  /// graph merges every chunk of an E-step like this and sorts once at the end.
  void accumulateRow(Index c, const Entry* in, Index n) {
    if (slot_.size() != static_cast<std::size_t>(C_)) slot_.assign(static_cast<std::size_t>(C_), -1);
    const std::size_t have = sizes_[static_cast<std::size_t>(c - first_)];
    Entry* r = entries_.data() + (c - first_) * capacity_;
    merged_.assign(r, r + have);
    for (std::size_t i = 0; i < have; ++i) slot_[static_cast<std::size_t>(r[i].candidate)] = static_cast<std::int32_t>(i);
    for (Index j = 0; j < n; ++j) {
      std::int32_t& s = slot_[static_cast<std::size_t>(in[j].candidate)];
      if (s >= 0) {
        merged_[static_cast<std::size_t>(s)] = add(merged_[static_cast<std::size_t>(s)], in[j]);
      } else {
        s = static_cast<std::int32_t>(merged_.size());
        merged_.push_back(in[j]);
      }
    }
    for (const Entry& e : merged_) slot_[static_cast<std::size_t>(e.candidate)] = -1;
    if (merged_.size() > static_cast<std::size_t>(capacity_)) {
      // keep the `capacity` smallest by (mean, candidate): a total order, so the kept set does not
      // depend on the order of the entries. When the row was full, a new candidate that sorts
      // after the largest of its (updated) entries cannot be kept: `capacity` entries precede it.
      dropped_ += merged_.size() - static_cast<std::size_t>(capacity_);
      const auto less = [](const Key& a, const Key& b) {
        return a.mean < b.mean || (a.mean == b.mean && a.candidate < b.candidate);
      };
      keys_.clear();
      const auto key = [&](std::size_t i) { return Key{mean(merged_[i]), merged_[i].candidate, static_cast<std::uint32_t>(i)}; };
      for (std::size_t i = 0; i < have; ++i) keys_.push_back(key(i));
      const bool full = have == static_cast<std::size_t>(capacity_);
      const Key top = full ? *std::max_element(keys_.begin(), keys_.end(), less) : Key{};
      for (std::size_t i = have; i < merged_.size(); ++i)
        if (!full || less(key(i), top)) keys_.push_back(key(i));
      if (keys_.size() > static_cast<std::size_t>(capacity_))
        std::nth_element(keys_.begin(), keys_.begin() + capacity_ - 1, keys_.end(), less);
      for (Index i = 0; i < capacity_; ++i) r[i] = merged_[keys_[static_cast<std::size_t>(i)].index];
      sizes_[static_cast<std::size_t>(c - first_)] = static_cast<std::uint32_t>(capacity_);
    } else {
      std::copy(merged_.begin(), merged_.end(), r);
      sizes_[static_cast<std::size_t>(c - first_)] = static_cast<std::uint32_t>(merged_.size());
    }
  }

  /// Orders every row by candidate (after `accumulateRow`), on `threads` threads.
  void sortRows(int threads = 1) {
    (void)threads;  // without OpenMP
#pragma omp parallel for num_threads(std::max(1, threads)) schedule(static, 1024)
    for (Index c = first_; c < lastRow(); ++c) sortRow(c);
  }

  /// Merges the statistics of other points, row by row in order of c.
  /// \throws InvalidArgument if the two have different C or capacity.
  GraphStatistics& operator+=(const GraphStatistics& other) {
    const auto rows = [](const GraphStatistics& s) {
      return s.first_ == 0 && s.lastRow() == s.C_ ? std::string() : detail::concat(" (rows [", s.first_, ", ", s.lastRow(), "))");
    };
    detail::require(other.C_ == C_ && other.capacity_ == capacity_ && other.first_ == first_ && other.lastRow() == lastRow(),
                    "vmfa::GraphStatistics::operator+=", "statistics for C = ", other.C_, " with capacity ",
                    other.capacity_, rows(other), " cannot be merged into C = ", C_, " with capacity ", capacity_, rows(*this));
    for (Index c = first_; c < lastRow(); ++c)
      if (other.rowSize(c) > 0) mergeRow(c, other.row(c), other.rowSize(c));
    dropped_ += other.dropped_;
    return *this;
  }

  /// Flat buffer of integers, e.g. to send to other processes: C, capacity, dropped, the C row
  /// sizes, then (sum, candidate, count) per entry, row after row. Length 3 + C + 3·size().
  std::vector<std::int64_t> serialize() const {
    detail::require(first_ == 0 && lastRow() == C_, "vmfa::GraphStatistics::serialize", "statistics of rows [", first_, ", ",
                    lastRow(), ") of C = ", C_, " are not a whole");
    std::vector<std::int64_t> out;
    out.reserve(3 + static_cast<std::size_t>(C_) + 3 * size());
    out.push_back(C_);
    out.push_back(capacity_);
    out.push_back(static_cast<std::int64_t>(dropped_));
    for (auto s : sizes_) out.push_back(s);
    for (Index c = 0; c < C_; ++c)
      for (Index i = 0; i < rowSize(c); ++i) {
        const Entry& e = row(c)[i];
        out.push_back(e.sum);
        out.push_back(e.candidate);
        out.push_back(e.count);
      }
    return out;
  }

  /// serialize() as bytes (what a distributed fit sends; see `detail::defaultCombiner`).
  std::vector<char> toBytes() const {
    const std::vector<std::int64_t> flat = serialize();
    std::vector<char> out(flat.size() * sizeof(std::int64_t));
    std::memcpy(out.data(), flat.data(), out.size());
    return out;
  }
  /// Inverse of toBytes(). \throws InvalidArgument as deserialize() does.
  static GraphStatistics fromBytes(const std::vector<char>& bytes) {
    detail::require(bytes.size() % sizeof(std::int64_t) == 0, "vmfa::GraphStatistics::fromBytes", "buffer of ", bytes.size(),
                    " bytes is not a whole number of integers");
    std::vector<std::int64_t> flat(bytes.size() / sizeof(std::int64_t));
    std::memcpy(flat.data(), bytes.data(), bytes.size());
    return deserialize(flat.data(), flat.size());
  }

  /// Inverse of serialize(). \throws InvalidArgument if the buffer is not a valid serialisation
  /// (wrong length, a row longer than the capacity, candidates out of range or not increasing,
  /// a zero count); nothing is allocated beyond what the buffer's length allows.
  static GraphStatistics deserialize(const std::int64_t* data, std::size_t n) {
    const char* where = "vmfa::GraphStatistics::deserialize";
    detail::require(n >= 3, where, "buffer of ", n, " values is shorter than its header (3)");
    const std::int64_t C = data[0], capacity = data[1];
    detail::require(C >= 0 && static_cast<std::uint64_t>(C) <= n - 3 && capacity >= 1 && capacity <= (1 << 30) &&
                        data[2] >= 0,
                    where, "invalid header (C = ", C, ", capacity = ", capacity, ", dropped = ", data[2], ") for a buffer of ",
                    n, " values");
    std::size_t total = 0;
    for (std::int64_t c = 0; c < C; ++c) {
      const std::int64_t s = data[3 + c];
      detail::require(s >= 0 && s <= capacity && s < std::max<std::int64_t>(C, 1), where, "row ", c, " has ", s,
                      " entries, more than the capacity ", capacity, " or C = ", C);
      total += static_cast<std::size_t>(s);
    }
    detail::require(n == 3 + static_cast<std::size_t>(C) + 3 * total, where, "buffer of ", n, " values, its header announces ",
                    3 + static_cast<std::size_t>(C) + 3 * total);
    GraphStatistics s(static_cast<Index>(C), static_cast<Index>(capacity));
    s.dropped_ = static_cast<std::uint64_t>(data[2]);
    const std::int64_t* p = data + 3 + C;
    for (Index c = 0; c < static_cast<Index>(C); ++c) {
      s.assignRow(c, p, static_cast<Index>(data[3 + c]), where);
      p += 3 * data[3 + c];
    }
    return s;
  }

 private:
  /// The sums of two entries of the same candidate. A count past 2^32 − 1 or a sum past the
  /// int64 range halves both (the mean is kept).
  static Entry add(Entry a, const Entry& b) {
    std::int64_t x = a.sum, y = b.sum, sum = 0;
    std::uint64_t count = static_cast<std::uint64_t>(a.count) + b.count;
    while (__builtin_add_overflow(x, y, &sum) || count > std::numeric_limits<std::uint32_t>::max()) {
      x /= 2;
      y /= 2;
      count >>= 1;
    }
    a.sum = sum;
    a.count = static_cast<std::uint32_t>(count);
    return a;
  }

  void sortRow(Index c) {
    Entry* r = entries_.data() + (c - first_) * capacity_;
    std::sort(r, r + sizes_[static_cast<std::size_t>(c - first_)], [](const Entry& a, const Entry& b) { return a.candidate < b.candidate; });
  }

  struct Key {  // 16 bytes: a row holds fewer than 2^32 entries (capacity <= 2^30, a chunk's pairs < 2^31)
    double mean;
    std::int32_t candidate;
    std::uint32_t index;
  };

  Index C_ = 0, capacity_ = 1, first_ = 0;
  std::uint64_t dropped_ = 0;
  std::vector<std::uint32_t> sizes_;
  std::vector<Entry> entries_;
  // scratch of accumulateRow
  std::vector<Entry> merged_;
  std::vector<Key> keys_;
  std::vector<std::int32_t> slot_;  // C: position of a candidate in merged_, or -1
};

namespace detail {

/// A mutex that a copy does not share (a copied graph starts with a fresh one).
struct CopyableMutex {
  std::mutex m;
  CopyableMutex() = default;
  CopyableMutex(const CopyableMutex&) {}
  CopyableMutex& operator=(const CopyableMutex&) { return *this; }
};

/// \brief One thread's graph statistics of one chunk of points, built row by row as the pairs
/// arrive: the pairs of one best component that arrive together (a run) sum into one row, each
/// candidate once, in the order first met, through a per-candidate stamp array. The E-step
/// reports a chunk's points ordered by best component, so each best component forms one run and
/// `reduce` has nothing left to do; runs of a best component met before (another caller's order)
/// are merged at `reduce`, in the order they arrived. Either way the rows come out in increasing
/// order of best component and equal those of the pairs bucketed by best component in arrival
/// order. O(pairs) (+ R log R for R runs out of order).
class ChunkAccumulator {
 public:
  using Entry = GraphStatistics::Entry;
  static constexpr double kClamp = 1048576.0;  // |value| <= 2^20 nats per point

  /// Rows of one reduced chunk: component best[r] has entries [begin[r], begin[r+1]).
  struct Rows {
    std::vector<std::int32_t> best;
    std::vector<std::size_t> begin;
    std::vector<Entry> entries;
  };

  void reset(Index C) {
    entryOf_.assign(static_cast<std::size_t>(C), -1);
    runs_ = Rows{};
    open_ = -1;
  }

  /// std::llround for |x| < 2^53 (here |x| <= 2^36), without its library call: truncate, then
  /// step away from zero when the (exact) remainder is at least one half.
  static std::int64_t roundHalfAway(double x) {
    const std::int64_t t = static_cast<std::int64_t>(x);
    const double r = x - static_cast<double>(t);
    return t + static_cast<std::int64_t>(r >= 0.5) - static_cast<std::int64_t>(r <= -0.5);  // no branch to mispredict
  }

  void add(std::int32_t best, std::int32_t candidate, double value) {
    if (best != open_) openRun(best);
    const double v = std::max(-kClamp, std::min(kClamp, value));
    const std::int64_t q = roundHalfAway(v * GraphStatistics::kScale);
    std::int32_t& s = entryOf_[static_cast<std::size_t>(candidate)];
    if (s >= 0) {
      Entry& e = runs_.entries[runs_.begin.back() + static_cast<std::size_t>(s)];
      e.sum += q;
      ++e.count;
    } else {
      s = static_cast<std::int32_t>(runs_.entries.size() - runs_.begin.back());
      runs_.entries.push_back(Entry{q, candidate, 1});
    }
  }

  /// The chunk's rows (best components in increasing order); starts the next chunk.
  Rows reduce() {
    closeRun();
    runs_.begin.push_back(runs_.entries.size());
    bool ordered = true;
    for (std::size_t r = 1; r < runs_.best.size() && ordered; ++r) ordered = runs_.best[r - 1] < runs_.best[r];
    Rows out;
    if (ordered) {
      out = std::move(runs_);
    } else {
      std::vector<std::size_t> order(runs_.best.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return runs_.best[x] < runs_.best[y]; });
      out.entries.reserve(runs_.entries.size());
      for (std::size_t k = 0; k < order.size();) {
        const std::int32_t best = runs_.best[order[k]];
        const std::size_t first = out.entries.size();
        out.best.push_back(best);
        out.begin.push_back(first);
        for (; k < order.size() && runs_.best[order[k]] == best; ++k)
          for (std::size_t q = runs_.begin[order[k]]; q < runs_.begin[order[k] + 1]; ++q) {
            const Entry& in = runs_.entries[q];
            std::int32_t& s = entryOf_[static_cast<std::size_t>(in.candidate)];
            if (s >= 0) {
              Entry& e = out.entries[first + static_cast<std::size_t>(s)];
              e.sum += in.sum;
              e.count += in.count;
            } else {
              s = static_cast<std::int32_t>(out.entries.size() - first);
              out.entries.push_back(in);
            }
          }
        for (std::size_t q = first; q < out.entries.size(); ++q) entryOf_[static_cast<std::size_t>(out.entries[q].candidate)] = -1;
      }
      out.begin.push_back(out.entries.size());
    }
    runs_ = Rows{};
    runs_.entries.reserve(out.entries.size());  // the next chunk is likely as large: one allocation
    open_ = -1;
    return out;
  }

 private:
  void openRun(std::int32_t best) {
    closeRun();
    runs_.best.push_back(best);
    runs_.begin.push_back(runs_.entries.size());
    open_ = best;
  }
  void closeRun() {  // clears the stamps of the open run's candidates
    if (open_ < 0) return;
    for (std::size_t q = runs_.begin.back(); q < runs_.entries.size(); ++q)
      entryOf_[static_cast<std::size_t>(runs_.entries[q].candidate)] = -1;
    open_ = -1;
  }

  std::vector<std::int32_t> entryOf_;  // C: entry of a candidate in the open run (or row), or -1
  Rows runs_;                          // the runs so far (begin without its final entry)
  std::int32_t open_ = -1;             // best component of the open run, or -1
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
