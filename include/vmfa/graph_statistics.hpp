/// \file graph_statistics.hpp
/// \brief The statistics of a neighbour-graph update as a value (`GraphStatistics`: merged across
/// threads and processes with `+=`, serialised for sending) and one thread's accumulator of them.
#pragma once

#include "detail/bytes.hpp"
#include "errors.hpp"
#include "options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace vmfa {

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
  /// `GraphStatistics`, e.g. received from another process). \throws InvalidArgument when n
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

  /// Flat buffer of integers, e.g. to send to other processes: C, capacity, dropped, then the rows
  /// in `appendRows`' layout. Length 3 + C + 3·size().
  std::vector<std::int64_t> serialize() const {
    detail::require(first_ == 0 && lastRow() == C_, "vmfa::GraphStatistics::serialize", "statistics of rows [", first_, ", ",
                    lastRow(), ") of C = ", C_, " are not a whole");
    std::vector<std::int64_t> out;
    out.reserve(3 + static_cast<std::size_t>(C_) + 3 * size());
    out.push_back(C_);
    out.push_back(capacity_);
    out.push_back(static_cast<std::int64_t>(dropped_));
    appendRows(0, C_, out);
    return out;
  }

  /// Appends rows [first, last) to `out`: their sizes, then (sum, candidate, count) per entry, row
  /// after row. The layout of `serialize` after its header, and the blocks of rows the processes
  /// of a distributed fit exchange (`mpi::mergeAcross`); `readRows` reads it back.
  void appendRows(Index first, Index last, std::vector<std::int64_t>& out) const {
    for (Index c = first; c < last; ++c) out.push_back(rowSize(c));
    for (Index c = first; c < last; ++c)
      for (Index i = 0; i < rowSize(c); ++i) {
        const Entry& e = row(c)[i];
        out.push_back(e.sum);
        out.push_back(e.candidate);
        out.push_back(e.count);
      }
  }

  /// Reads rows [first, last) in `appendRows`' layout from [data, end) and sets these rows to them
  /// (`assignRow`: each row sorted by candidate) or, with `merge`, merges them into the rows held
  /// (`mergeRow`). Returns the end of the rows read. Reads nothing outside [data, end).
  /// 	hrows InvalidArgument, naming `where` and `source` (who sent the rows), when the buffer ends
  /// early, a row is longer than the capacity, or an entry is invalid (candidate out of range,
  /// count 0 or past 2³² − 1; when assigning, candidates not increasing).
  const std::int64_t* readRows(Index first, Index last, const std::int64_t* data, const std::int64_t* end, bool merge,
                               const char* where, const std::string& source) {
    detail::require(first >= first_ && first <= last && last <= lastRow() && end - data >= last - first, where, source,
                    ": a block of rows [", first, ", ", last, ") in ", end - data, " values is truncated");
    const std::int64_t* sizes = data;
    data += last - first;
    std::vector<Entry> entries;
    for (Index c = first; c < last; ++c) {
      const std::int64_t n = sizes[c - first];
      detail::require(n >= 0 && n <= capacity_ && n <= (end - data) / 3, where, source, ": row ", c, " has ", n,
                      " entries (capacity ", capacity_, ", ", (end - data) / 3, " left in the buffer)");
      if (!merge) {
        assignRow(c, data, static_cast<Index>(n), where);
      } else if (n > 0) {
        entries.resize(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
          const std::int64_t* e = data + 3 * i;
          detail::require(e[1] >= 0 && e[1] < C_ && e[2] > 0 && e[2] <= std::numeric_limits<std::uint32_t>::max(), where,
                          source, ": row ", c, " entry ", i, " (candidate ", e[1], ", count ", e[2],
                          ") is invalid for C = ", C_);
          entries[static_cast<std::size_t>(i)] = Entry{e[0], static_cast<std::int32_t>(e[1]), static_cast<std::uint32_t>(e[2])};
        }
        mergeRow(c, entries.data(), static_cast<Index>(n));
      }
      data += 3 * n;
    }
    return data;
  }

  /// serialize() as bytes (what a distributed fit sends; see `detail::defaultCombiner`).
  std::vector<char> toBytes() const {
    const std::vector<std::int64_t> flat = serialize();
    return detail::ByteWriter(flat.size() * sizeof(std::int64_t)).put(flat.data(), flat.size()).take();
  }
  /// Inverse of toBytes(). \throws InvalidArgument as deserialize() does.
  static GraphStatistics fromBytes(const std::vector<char>& bytes) {
    detail::ByteReader in(bytes, "vmfa::GraphStatistics::fromBytes", "the buffer");
    std::vector<std::int64_t> flat(in.records(sizeof(std::int64_t)));
    in.get(flat.data(), flat.size());
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
    s.readRows(0, static_cast<Index>(C), data + 3, data + n, false, where, "the buffer");
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

}  // namespace detail
}  // namespace vmfa
