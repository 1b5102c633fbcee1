/// \file groups.hpp
/// \brief `ComponentGroups`: (point, component) pairs grouped by component, so that the work on
/// each component is one batched matrix product over its points. The E-step (log-joints) and
/// denoising (patch estimates) go through it; the M-step groups a dense range of components of
/// the responsibilities on all threads with `ComponentRanges`.
#pragma once

#include "detail/parallel.hpp"
#include "parameters.hpp"
#include "detail/buffers.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace vmfa {

/// \brief A counting sort of pairs by component, in two passes over the same pairs in the same
/// order: `count(c)` for each pair, `layout()`, then `place(c, item)` for each pair. Afterwards the
/// groups are the touched components in increasing order, and each group lists its items in the
/// order they were placed (the sort is stable).
///
/// `Item` is whatever identifies a pair for the caller (a point index, a pair index). Cost O(P +
/// T log T) for P pairs over T distinct components, after an O(C) `reset` that is done once: a
/// group set reused across chunks (`clear()`) costs nothing per component that a chunk does not touch.
/// Memory 8·C bytes of counters plus P·sizeof(Item) + 12·T.
template <typename Item = std::int32_t>
class ComponentGroups {
 public:
  /// Prepares for components in [0, C).
  void reset(Index C) {
    position_.assign(static_cast<std::size_t>(C), 0);
    touched_.clear();
    begin_.clear();
    items_.clear();
  }

  /// Pass 1: one pair of component c.
  void count(std::int32_t c) {
    if (position_[static_cast<std::size_t>(c)]++ == 0) touched_.push_back(c);
  }

  /// Between the passes: orders the touched components and reserves each its run of items.
  void layout() {
    std::sort(touched_.begin(), touched_.end());
    begin_.resize(touched_.size() + 1);
    std::size_t running = 0;
    for (std::size_t g = 0; g < touched_.size(); ++g) {
      auto& pos = position_[static_cast<std::size_t>(touched_[g])];
      begin_[g] = running;
      const std::size_t n = static_cast<std::size_t>(pos);
      pos = static_cast<std::int64_t>(running);  // becomes the fill position
      running += n;
    }
    begin_[touched_.size()] = running;
    items_.resize(running);
  }

  /// Pass 2: the item of one pair of component c (the same pairs as pass 1, in the same order).
  void place(std::int32_t c, Item item) {
    items_[static_cast<std::size_t>(position_[static_cast<std::size_t>(c)]++)] = item;
  }

  /// Resets the counters of the touched components for the next use (O(T)).
  void clear() {
    for (auto c : touched_) position_[static_cast<std::size_t>(c)] = 0;
    touched_.clear();
    begin_.clear();
    items_.clear();
  }

  Index numGroups() const { return static_cast<Index>(touched_.size()); }
  std::int32_t component(Index g) const { return touched_[static_cast<std::size_t>(g)]; }
  Index size(Index g) const {
    return static_cast<Index>(begin_[static_cast<std::size_t>(g) + 1] - begin_[static_cast<std::size_t>(g)]);
  }
  const Item* items(Index g) const { return items_.data() + begin_[static_cast<std::size_t>(g)]; }
  std::size_t numPairs() const { return items_.size(); }

  /// Calls fn(c, items, b) for every group in order, split into blocks of at most `blockSize` items.
  template <typename Fn>
  void forEachBlock(Index blockSize, Fn&& fn) const {
    for (Index g = 0; g < numGroups(); ++g) {
      const Item* it = items(g);
      for (Index b0 = 0, n = size(g); b0 < n; b0 += blockSize) fn(component(g), it + b0, std::min(blockSize, n - b0));
    }
  }

 private:
  std::vector<std::int64_t> position_;  // C: counts in pass 1, fill positions in pass 2
  std::vector<std::int32_t> touched_;
  std::vector<std::size_t> begin_;
  std::vector<Item> items_;
};

/// \brief The pairs (n, k) of N × K component indices `index(k, n)` whose component lies in
/// [first, first + count), grouped by component in point order: component first + g has the items
/// n·K + k in [begin[g], begin[g + 1]) of `items`. The same grouping as `ComponentGroups` over all
/// the pairs, for a dense range of components, built on `threads` threads (each counts and places
/// the pairs of one range of points; the result does not depend on the thread count).
/// Memory (count + 1)·8 + P·8 bytes for P pairs, plus threads·count·8 while it is built.
struct ComponentRanges {
  std::vector<std::int64_t> begin, items;

  template <typename IndexMatrix>
  ComponentRanges(const IndexMatrix& index, Index first, Index count, int threads) {
    const Index K = index.rows(), N = index.cols(), last = first + count;
    const int T = std::max(1, threads);
    const auto pointsOf = [N, T](int t) { return std::make_pair(N * t / T, N * (t + 1) / T); };
    std::vector<std::vector<std::int64_t>> position(static_cast<std::size_t>(T));
    detail::ExceptionCapture countErrors;
#pragma omp parallel for num_threads(T) schedule(static, 1)
    for (int t = 0; t < T; ++t) {  // pass 1: counts per thread
      countErrors.run([&] {
        auto& cnt = position[static_cast<std::size_t>(t)];
        cnt.assign(static_cast<std::size_t>(count), 0);
        const auto range = pointsOf(t);
        for (Index n = range.first; n < range.second; ++n)
          for (Index k = 0; k < K; ++k) {
            const Index c = index(k, n);
            if (c >= first && c < last) ++cnt[static_cast<std::size_t>(c - first)];
          }
      });
    }
    countErrors.rethrow();
    // component g's items start at begin[g]; thread t's part of them after those of threads < t
    begin.assign(static_cast<std::size_t>(count) + 1, 0);
    for (Index g = 0; g < count; ++g) {
      std::int64_t running = begin[static_cast<std::size_t>(g)];
      for (auto& cnt : position) {
        const std::int64_t n = cnt[static_cast<std::size_t>(g)];
        cnt[static_cast<std::size_t>(g)] = running;
        running += n;
      }
      begin[static_cast<std::size_t>(g) + 1] = running;
    }
    items.resize(static_cast<std::size_t>(begin.back()));
    detail::ExceptionCapture placeErrors;
#pragma omp parallel for num_threads(T) schedule(static, 1)
    for (int t = 0; t < T; ++t) {  // pass 2: each thread places its pairs
      placeErrors.run([&] {
        auto& pos = position[static_cast<std::size_t>(t)];
        const auto range = pointsOf(t);
        for (Index n = range.first; n < range.second; ++n)
          for (Index k = 0; k < K; ++k) {
            const Index c = index(k, n);
            if (c >= first && c < last) items[static_cast<std::size_t>(pos[static_cast<std::size_t>(c - first)]++)] = n * K + k;
          }
      });
    }
    placeErrors.rethrow();
  }

  Index size(Index g) const {
    return static_cast<Index>(begin[static_cast<std::size_t>(g) + 1] - begin[static_cast<std::size_t>(g)]);
  }
  const std::int64_t* itemsOf(Index g) const { return items.data() + begin[static_cast<std::size_t>(g)]; }
};

/// Copies the columns pointOf(items[i]) of X, i < b, into the D × b matrix or block `out` (no
/// allocation), relative to `origin` (x − origin computed in double) unless it is empty.
template <typename Scalar, typename Item, typename PointOf, typename Out>
inline void gatherColumnsInto(const Eigen::Ref<const Matrix<Scalar>>& X, const Item* items, Index b, PointOf&& pointOf,
                              Out&& out, const Eigen::VectorXd& origin = Eigen::VectorXd()) {
  // the columns are scattered (cache misses): fetch the next ones while copying this one
  constexpr Index kAhead = 2;
  const bool shift = origin.size() != 0;
  for (Index i = 0; i < b; ++i) {
    if (i + kAhead < b) detail::prefetch(X.col(pointOf(items[i + kAhead])).data(), X.rows());
    if (shift)
      out.col(i) = (X.col(pointOf(items[i])).template cast<double>() - origin).template cast<Scalar>();
    else
      out.col(i) = X.col(pointOf(items[i]));
  }
}

/// `gatherColumnsInto` a matrix resized to D × b.
template <typename Scalar, typename Item, typename PointOf>
inline void gatherColumns(const Eigen::Ref<const Matrix<Scalar>>& X, const Item* items, Index b, PointOf&& pointOf,
                          Matrix<Scalar>& out, const Eigen::VectorXd& origin = Eigen::VectorXd()) {
  out.resize(X.rows(), b);
  gatherColumnsInto<Scalar>(X, items, b, std::forward<PointOf>(pointOf), out, origin);
}

}  // namespace vmfa
