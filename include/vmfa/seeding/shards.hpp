/// \file seeding/shards.hpp
/// \brief The points of all processes as one sequence, for seeding a distributed fit.
#pragma once

#include "../context.hpp"
#include "../detail/bytes.hpp"
#include "../detail/sampling.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vmfa {
namespace detail {

/// \brief The points of all processes as one global sequence, for the seeding of a distributed
/// fit (`FitContext::collective`): draws by global inverse CDF and fetches of single points. With
/// one process every operation is the plain one on the local data (the same bits).
template <typename Scalar>
struct Shards {
  const FitContext<Scalar>& ctx;
  std::vector<Index> begin;  // global index of each process's first point, and the total

  explicit Shards(const FitContext<Scalar>& c) : ctx(c) {
    const auto counts = ctx.collective.gatherValue(static_cast<std::int64_t>(ctx.numPoints()));
    begin.assign(counts.size() + 1, 0);
    for (std::size_t r = 0; r < counts.size(); ++r) begin[r + 1] = begin[r] + static_cast<Index>(counts[r]);
  }

  int owner(Index g) const {
    return static_cast<int>(std::upper_bound(begin.begin(), begin.end(), g) - begin.begin()) - 1;
  }
  bool mine(Index g) const { return owner(g) == ctx.collective.rank(); }

  /// Per-process totals of a local cumulative vector (its last entry, 0 when empty), in rank order.
  std::vector<double> totals(const std::vector<double>& cum) const {
    std::vector<double> t(static_cast<std::size_t>(ctx.collective.size()), 0.0);
    t[static_cast<std::size_t>(ctx.collective.rank())] = cum.empty() ? 0.0 : cum.back();
    ctx.collective.sum(t.data(), t.size());
    return t;
  }
  static double total(const std::vector<double>& t) {
    double s = 0.0;
    for (double v : t) s += v;
    return s;
  }

  /// A global index drawn with probability proportional to the increments of every process's
  /// `cum` (`drawFromCumulative` over the concatenation); every process draws the same uniform.
  /// Entry i of `cum` is local point i.
  Index draw(const std::vector<double>& cum, Random& rng) const {
    return draw(cum, rng, [](Index i) { return i; });
  }
  /// `draw` where entry i of `cum` is local point local(i) (e.g. the i-th point of a tree node).
  template <typename Local>
  Index draw(const std::vector<double>& cum, Random& rng, Local&& local) const {
    if (!ctx.distributed()) return ctx.globalIndex(local(drawFromCumulative(cum, rng)));
    const std::vector<double> t = totals(cum);
    const double u = rng.uniform() * total(t);
    std::size_t r = 0;
    double before = 0.0;
    std::size_t last = 0;  // the last process with a positive total
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t[i] > 0.0) last = i;
    for (r = 0; r < last; ++r) {
      if (t[r] > 0.0 && u < before + t[r]) break;
      before += t[r];
    }
    std::int64_t g = 0;
    if (static_cast<int>(r) == ctx.collective.rank())
      g = static_cast<std::int64_t>(ctx.globalIndex(local(indexInCumulative(cum, u - before))));
    return static_cast<Index>(broadcastValue(g, static_cast<int>(r)));
  }

  /// f(local index) of global point g, computed by its owner: k doubles on every process.
  template <typename F>
  std::vector<double> fetch(Index g, std::size_t k, F&& f) const {
    std::vector<double> v(k);
    if (!ctx.distributed()) {
      v = f(g);
      return v;
    }
    const int root = owner(g);
    ByteWriter out;
    if (root == ctx.collective.rank()) {
      v = f(g - ctx.pointOffset);
      out.put(v.data(), k);
    }
    std::vector<char> bytes = out.take();
    ctx.collective.broadcast(bytes, root);
    ByteReader in(bytes, "vmfa::detail::Shards::fetch", "process " + std::to_string(root));
    require(in.records(k * sizeof(double)) == 1, "vmfa::detail::Shards::fetch", "process ", root, " sent ", bytes.size(),
            " bytes, expected ", k * sizeof(double));
    in.get(v.data(), k);
    return v;
  }

  /// The coordinates of global points `g` (D × |g|), gathered from their owners in one exchange.
  Matrix<Scalar> points(const std::vector<Index>& g) const {
    const Index D = ctx.dim();
    Matrix<Scalar> out(D, static_cast<Index>(g.size()));
    if (!ctx.distributed()) {
      for (std::size_t i = 0; i < g.size(); ++i) out.col(static_cast<Index>(i)) = ctx.data.col(g[i]);
      return out;
    }
    ByteWriter mine;
    for (const Index gi : g)
      if (this->mine(gi)) mine.put(ctx.data.col(gi - ctx.pointOffset).data(), static_cast<std::size_t>(D));
    const auto all = ctx.collective.gather(mine.take());
    std::vector<ByteReader> from;
    for (std::size_t r = 0; r < all.size(); ++r)
      from.emplace_back(all[r], "vmfa::detail::Shards::points", "process " + std::to_string(r));
    for (std::size_t i = 0; i < g.size(); ++i)
      from[static_cast<std::size_t>(owner(g[i]))].get(out.col(static_cast<Index>(i)).data(), static_cast<std::size_t>(D));
    return out;
  }

  std::int64_t broadcastValue(std::int64_t v, int root) const {
    std::vector<char> bytes = ByteWriter().put(v).take();
    ctx.collective.broadcast(bytes, root);
    ByteReader in(bytes, "vmfa::detail::Shards::broadcastValue", "process " + std::to_string(root));
    require(in.records(sizeof v) == 1, "vmfa::detail::Shards::broadcastValue", "process ", root, " sent ", bytes.size(), " bytes");
    return in.get<std::int64_t>();
  }
};

}  // namespace detail
}  // namespace vmfa
