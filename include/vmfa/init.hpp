/// \file init.hpp
/// \brief Seeding of the component means (AFK-MC², k-means++, random points) and of the other
/// parameters at the data's scale.
#pragma once

#include "context.hpp"
#include "detail/rng.hpp"
#include "errors.hpp"

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cstring>
#include <cstdint>
#include <limits>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

namespace vmfa {
namespace detail {

/// Thrown by the seeding when `Options::interrupt` asks the fit to stop; `Model` catches it.
struct InitialisationInterrupted {};

/// Throws InitialisationInterrupted when the fit has been asked to stop, on every process if on
/// any (a collective call: every process polls at the same points).
template <typename Scalar>
inline void pollInterrupt(const FitContext<Scalar>& ctx) {
  if (ctx.collective.any(ctx.interrupted())) throw InitialisationInterrupted{};
}

/// Cumulative sums of a non-negative vector, for inverse-CDF sampling.
inline std::vector<double> cumulative(const std::vector<double>& p) {
  std::vector<double> cum(p.size());
  double s = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) cum[i] = (s += p[i]);
  return cum;
}

/// The index whose increment of `cum` holds u (u in [0, cum.back())).
inline Index indexInCumulative(const std::vector<double>& cum, double u) {
  const auto it = std::upper_bound(cum.begin(), cum.end(), u);
  Index i = static_cast<Index>(it - cum.begin());
  if (i >= static_cast<Index>(cum.size())) i = static_cast<Index>(cum.size()) - 1;
  // skip zero-probability entries that share the cumulative value (possible when u == cum[i])
  while (i > 0 && cum[static_cast<std::size_t>(i)] == cum[static_cast<std::size_t>(i - 1)]) --i;
  return i;
}

/// Draws an index with probability proportional to the increments of `cum` (whose last entry is > 0).
inline Index drawFromCumulative(const std::vector<double>& cum, Random& rng) {
  return indexInCumulative(cum, rng.uniform() * cum.back());
}

template <typename Scalar>
inline double squaredDistance(const Eigen::Ref<const Matrix<Scalar>>& X, Index a, Index b) {
  return (X.col(a).template cast<double>() - X.col(b).template cast<double>()).squaredNorm();
}

/// Squared distance of point n to the nearest of `centres`.
template <typename Scalar>
inline double nearestSquaredDistance(const Eigen::Ref<const Matrix<Scalar>>& X, Index n,
                                     const std::vector<Index>& centres) {
  double best = std::numeric_limits<double>::infinity();
  for (Index c : centres) best = std::min(best, squaredDistance<Scalar>(X, n, c));
  return best;
}

/// The Metropolis-Hastings step of AFK-MC²: move from x to y with probability
/// min(1, d(y)·q'(x) / (d(x)·q'(y))). Draws a uniform only when d(x)·q'(y) > 0.
inline bool acceptMove(double dx, double dy, double qx, double qy, Random& rng) {
  const double num = dy * qx, den = dx * qy;
  return den <= 0.0 ? num > 0.0 : rng.uniform() * den < num;
}

/// AFK-MC² restricted to the points `P` (positive weights w): k seeds, chains of length m. The
/// proposal is ½·w·d(x, first seed)/Σ w·d + ½·w/Σ w over P. O(|P|·D + m·k²·D).
template <typename Scalar>
inline std::vector<Index> afkmc2Within(const Eigen::Ref<const Matrix<Scalar>>& X, const std::vector<double>& w,
                                       const std::vector<Index>& P, Index k, int m, Random& rng) {
  std::vector<Index> centres;
  const std::size_t n = P.size();
  std::vector<double> wp(n);
  for (std::size_t i = 0; i < n; ++i) wp[i] = w[static_cast<std::size_t>(P[i])];
  const auto cumW = cumulative(wp);
  centres.push_back(P[static_cast<std::size_t>(drawFromCumulative(cumW, rng))]);
  if (k <= 1) return centres;
  std::vector<double> qPrime(n), q(n);
  double sumWD = 0.0, sumW = cumW.back();
  for (std::size_t i = 0; i < n; ++i) {
    qPrime[i] = squaredDistance<Scalar>(X, P[i], centres[0]);
    sumWD += wp[i] * qPrime[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    qPrime[i] = (sumWD > 0.0 ? 0.5 * qPrime[i] / sumWD : 0.0) + 0.5 / sumW;
    q[i] = wp[i] * qPrime[i];
  }
  const auto cumQ = cumulative(q);
  for (Index c = 1; c < k; ++c) {
    std::size_t x = static_cast<std::size_t>(drawFromCumulative(cumQ, rng));
    double dx = nearestSquaredDistance<Scalar>(X, P[x], centres);
    for (int j = 1; j < m; ++j) {
      const std::size_t y = static_cast<std::size_t>(drawFromCumulative(cumQ, rng));
      const double dy = nearestSquaredDistance<Scalar>(X, P[y], centres);
      if (acceptMove(dx, dy, qPrime[x], qPrime[y], rng)) {
        x = y;
        dx = dy;
      }
    }
    centres.push_back(P[x]);
  }
  return centres;
}

/// \brief Seeding for very large C: a tree of AFK-MC² seedings. A node holding points P and a
/// budget of k seeds either seeds them by AFK-MC² within P (k <= kLeaf), or seeds B = min(64, √k)
/// pivots by AFK-MC² within P, splits P by nearest pivot (one matrix product per block of points),
/// and shares its k seeds among the cells in proportion to each cell's potential Σ w·d²(x, pivot)
/// (the k-means++ distribution, one seed per non-empty cell at least, never more seeds than
/// points). Cost O(N·B·D·depth + m·C·kLeaf·D) with depth = log_B(C / kLeaf), against
/// O(m·C^1.5·D) for a single level of √(2C) pivots. Each node draws from its own stream, keyed by its position in the
/// breadth-first order, so the seeds do not depend on the thread count.
/// A node of the seeding tree: points (indices into the data the tree runs on, increasing) and
/// the number of seeds to draw among them.
struct SeedNode {
  std::vector<Index> points;
  Index budget;
};

/// The seeds of a node of `n` points shared among its cells (`count` points, `potential`
/// Σ w·d² each): one per non-empty cell, the rest in proportion to the potentials (largest
/// remainders), never more than a cell's points.
template <typename Count>
inline std::vector<Index> allocateSeeds(Index budget, Index n, const std::vector<Count>& count,
                                        const std::vector<double>& potential) {
  // budget: one seed per non-empty cell, the rest in proportion to the potentials (largest
  // remainders), never more than a cell's points
  const Index B = static_cast<Index>(count.size());
  std::vector<Index> alloc(static_cast<std::size_t>(B), 0);
  Index left = budget;
  for (Index b = 0; b < B; ++b)
    if (count[static_cast<std::size_t>(b)] > 0 && left > 0) alloc[static_cast<std::size_t>(b)] = 1, --left;
  while (left > 0) {
    double total = 0.0;
    for (Index b = 0; b < B; ++b)
      if (alloc[static_cast<std::size_t>(b)] < count[static_cast<std::size_t>(b)]) total += potential[static_cast<std::size_t>(b)];
    std::vector<std::pair<double, Index>> frac;
    Index given = 0;
    for (Index b = 0; b < B; ++b) {
      const auto sb = static_cast<std::size_t>(b);
      const Index room = count[sb] - alloc[sb];
      if (room <= 0) continue;
      // cells without potential (all points on the pivot) share what is left by size
      const double share = total > 0.0 ? static_cast<double>(left) * potential[sb] / total
                                       : static_cast<double>(left) * static_cast<double>(room) /
                                             static_cast<double>(n);
      const Index whole = std::min<Index>(room, static_cast<Index>(std::floor(share)));
      alloc[sb] += whole;
      given += whole;
      if (alloc[sb] < count[sb]) frac.emplace_back(share - std::floor(share), b);
    }
    left -= given;
    std::sort(frac.begin(), frac.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    for (const auto& f : frac) {
      if (left == 0) break;
      ++alloc[static_cast<std::size_t>(f.second)];
      --left;
    }
  }
  return alloc;
}

/// Assigns each of `points` (columns of X) to its nearest column of Pv (smallest ‖p‖² − 2 pᵀx, the
/// first of equals), in blocks of 256 points: cell[j] for points[j], and per pivot the number of
/// points and Σ w·‖x − p‖² (in double) added to `count` and `potential`. Points and pivots are
/// first centred on the pivots' mean in double (as `nearestMeans` centres on the origin): raw data
/// far from 0 would otherwise lose its spread to rounding in ‖p‖² − 2 pᵀx.
template <typename Scalar, typename Count>
inline void assignToPivots(const Eigen::Ref<const Matrix<Scalar>>& X, const std::vector<double>& w,
                           const std::vector<Index>& points, const Matrix<Scalar>& pivots, std::vector<std::int32_t>& cell,
                           std::vector<Count>& count, std::vector<double>& potential) {
  const std::size_t n = points.size();
  const Index B = pivots.cols();
  const Eigen::VectorXd origin = pivots.template cast<double>().rowwise().mean();
  const Matrix<Scalar> Pv = (pivots.template cast<double>().colwise() - origin).template cast<Scalar>();
  const Vector<Scalar> norms = Pv.colwise().squaredNorm().transpose();
  cell.resize(n);
  Matrix<Scalar> Xb, G;
  for (std::size_t b0 = 0; b0 < n; b0 += 256) {
    const Index len = static_cast<Index>(std::min<std::size_t>(256, n - b0));
    Xb.resize(X.rows(), len);
    for (Index j = 0; j < len; ++j)
      Xb.col(j) = (X.col(points[b0 + static_cast<std::size_t>(j)]).template cast<double>() - origin).template cast<Scalar>();
    G.noalias() = Pv.transpose().lazyProduct(Xb);  // no Eigen threads: see nearestMeans
    for (Index j = 0; j < len; ++j) {
      Index best = 0;
      Scalar bd = norms(0) - Scalar(2) * G(0, j);
      for (Index b = 1; b < B; ++b) {
        const Scalar d = norms(b) - Scalar(2) * G(b, j);
        if (d < bd) bd = d, best = b;
      }
      const Index pt = points[b0 + static_cast<std::size_t>(j)];
      cell[b0 + static_cast<std::size_t>(j)] = static_cast<std::int32_t>(best);
      ++count[static_cast<std::size_t>(best)];
      potential[static_cast<std::size_t>(best)] +=
          w[static_cast<std::size_t>(pt)] *
          (X.col(pt).template cast<double>() - pivots.col(best).template cast<double>()).squaredNorm();
    }
  }
}

/// One node of the seeding tree (`treeSeeds`): either its seeds (`leafSeeds`, a leaf) or its
/// children (`children`, the cells of its pivots with their budgets), drawn from `rng`.
template <typename Scalar>
inline void seedNode(const Eigen::Ref<const Matrix<Scalar>>& X, const std::vector<double>& w, const SeedNode& node, int m,
                     Random& rng, std::vector<Index>& leafSeeds, std::vector<SeedNode>& children) {
  using Node = SeedNode;
  constexpr Index kBranch = 64, kLeaf = 64;  // at most 64 pivots per node; leaves of at most 64 seeds
  const Index n = static_cast<Index>(node.points.size());
  if (node.budget >= n) {  // every point is a seed (the budget never exceeds the points)
    leafSeeds = node.points;
    return;
  }
  if (node.budget <= kLeaf) {
    leafSeeds = afkmc2Within<Scalar>(X, w, node.points, node.budget, m, rng);
    return;
  }
  // √k pivots (at most 64): small trees split into few large cells, closer to exact AFK-MC²
  const Index branch = std::min<Index>(kBranch, static_cast<Index>(std::ceil(std::sqrt(static_cast<double>(node.budget)))));
  const std::vector<Index> pivots = afkmc2Within<Scalar>(X, w, node.points, branch, m, rng);
  const Index B = static_cast<Index>(pivots.size());
  Matrix<Scalar> Pv(X.rows(), B);
  for (Index b = 0; b < B; ++b) Pv.col(b) = X.col(pivots[static_cast<std::size_t>(b)]);
  std::vector<std::int32_t> cell;
  std::vector<double> potential(static_cast<std::size_t>(B), 0.0);
  std::vector<Index> count(static_cast<std::size_t>(B), 0);
  assignToPivots<Scalar>(X, w, node.points, Pv, cell, count, potential);
  const std::vector<Index> alloc = allocateSeeds(node.budget, n, count, potential);
  std::vector<Node>& out = children;
  out.resize(static_cast<std::size_t>(B));
  for (Index b = 0; b < B; ++b) {
    out[static_cast<std::size_t>(b)].budget = alloc[static_cast<std::size_t>(b)];
    out[static_cast<std::size_t>(b)].points.reserve(static_cast<std::size_t>(count[static_cast<std::size_t>(b)]));
  }
  for (Index j = 0; j < n; ++j)
    out[static_cast<std::size_t>(cell[static_cast<std::size_t>(j)])].points.push_back(node.points[static_cast<std::size_t>(j)]);
  std::vector<Node> kept;
  for (auto& child : out)
    if (child.budget > 0) kept.push_back(std::move(child));
  out = std::move(kept);
}

template <typename Scalar>
inline std::vector<Index> treeSeeds(const FitContext<Scalar>& ctx, const std::vector<double>& w, Index C) {
  const auto& X = ctx.data;
  const int m = ctx.options.afkmc2ChainLength;
  using Node = SeedNode;
  std::vector<Node> level;
  {
    Node root;
    for (Index n = 0; n < X.cols(); ++n)
      if (w[static_cast<std::size_t>(n)] > 0.0) root.points.push_back(n);
    root.budget = C;
    level.push_back(std::move(root));
  }
  std::vector<Index> seeds;
  seeds.reserve(static_cast<std::size_t>(C));
  std::uint64_t nodeId = 0;
  while (!level.empty()) {
    pollInterrupt(ctx);
    std::vector<std::vector<Index>> leafSeeds(level.size());
    std::vector<std::vector<Node>> children(level.size());
    const std::uint64_t firstId = nodeId;
    nodeId += level.size();
    ExceptionCapture capture;
    // nodes in parallel: each has its own stream; inner work is sequential
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
    for (std::size_t i = 0; i < level.size(); ++i) {
      capture.run([&] {
        Random rng(ctx.seed(), key(Stream::Init), firstId + i + 1, 1);
        seedNode<Scalar>(X, w, level[i], m, rng, leafSeeds[i], children[i]);
        std::vector<Index>().swap(level[i].points);  // free the parent's list
      });
    }
    capture.rethrow();
    std::vector<Node> next;
    for (std::size_t i = 0; i < level.size(); ++i) {
      seeds.insert(seeds.end(), leafSeeds[i].begin(), leafSeeds[i].end());
      for (auto& child : children[i]) next.push_back(std::move(child));
    }
    level = std::move(next);
  }
  return seeds;
}

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
    std::vector<char> bytes;
    if (root == ctx.collective.rank()) {
      v = f(g - ctx.pointOffset);
      bytes.resize(k * sizeof(double));
      std::memcpy(bytes.data(), v.data(), bytes.size());
    }
    ctx.collective.broadcast(bytes, root);
    require(bytes.size() == k * sizeof(double), "vmfa::detail::Shards::fetch", "process ", root, " sent ", bytes.size(),
            " bytes, expected ", k * sizeof(double));
    std::memcpy(v.data(), bytes.data(), bytes.size());
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
    const std::size_t column = static_cast<std::size_t>(D) * sizeof(Scalar);
    std::vector<char> mine;
    for (std::size_t i = 0; i < g.size(); ++i)
      if (this->mine(g[i])) {
        mine.resize(mine.size() + column);
        std::memcpy(mine.data() + mine.size() - column, ctx.data.col(g[i] - ctx.pointOffset).data(), column);
      }
    const auto all = ctx.collective.gather(mine);
    std::vector<std::size_t> read(all.size(), 0);
    for (std::size_t i = 0; i < g.size(); ++i) {
      const auto r = static_cast<std::size_t>(owner(g[i]));
      require(read[r] + column <= all[r].size(), "vmfa::detail::Shards::points", "process ", r, " sent too few points");
      std::memcpy(out.col(static_cast<Index>(i)).data(), all[r].data() + read[r], column);
      read[r] += column;
    }
    return out;
  }

  std::int64_t broadcastValue(std::int64_t v, int root) const {
    std::vector<char> bytes(sizeof v);
    std::memcpy(bytes.data(), &v, sizeof v);
    ctx.collective.broadcast(bytes, root);
    require(bytes.size() == sizeof v, "vmfa::detail::Shards::broadcastValue", "process ", root, " sent ", bytes.size(),
            " bytes");
    std::memcpy(&v, bytes.data(), sizeof v);
    return v;
  }
};

/// `treeSeeds` over the points of all processes: the same tree, node by node (processes cannot
/// share a node's work between threads). A node whose points take at most `gatherBytes` is
/// gathered (its points in global order) and seeded as one process does, to the bit; a larger one
/// draws its pivots by AFK-MC² across the processes (`Shards`), assigns its points to cells where
/// they lie and sums the cells' counts and potentials over the processes. Returns global indices.
template <typename Scalar>
inline std::vector<Index> treeSeedsAcross(const FitContext<Scalar>& ctx, const std::vector<double>& w, Index C,
                                          std::size_t gatherBytes = std::size_t(64) << 20) {
  const auto& X = ctx.data;
  const Index D = X.rows();
  const int m = ctx.options.afkmc2ChainLength;
  const Shards<Scalar> shards(ctx);
  const Collective& all = ctx.collective;
  constexpr Index kBranch = 64, kLeaf = 64;
  std::vector<SeedNode> level(1);  // local points (indices into this shard), global budget
  for (Index n = 0; n < X.cols(); ++n)
    if (w[static_cast<std::size_t>(n)] > 0.0) level[0].points.push_back(n);
  level[0].budget = C;
  std::vector<Index> seeds;
  std::uint64_t nodeId = 0;
  const std::size_t column = static_cast<std::size_t>(D) * sizeof(Scalar);
  while (!level.empty()) {
    pollInterrupt(ctx);
    const std::uint64_t firstId = nodeId;
    nodeId += level.size();
    std::vector<SeedNode> next;
    for (std::size_t i = 0; i < level.size(); ++i) {
      SeedNode& node = level[i];
      Random rng(ctx.seed(), key(Stream::Init), firstId + i + 1, 1);
      const Index total = static_cast<Index>(all.sum(static_cast<std::int64_t>(node.points.size())));
      const bool small = static_cast<std::size_t>(total) * (column + 16) <= gatherBytes;
      if (node.budget >= total || small) {
        // gather the node: global index, weight and (unless every point is a seed) coordinates
        const bool withPoints = node.budget < total;
        const std::size_t record = 16 + (withPoints ? column : 0);
        std::vector<char> mine(node.points.size() * record);
        for (std::size_t j = 0; j < node.points.size(); ++j) {
          const Index n = node.points[j];
          const std::int64_t g = ctx.globalIndex(n);
          char* r = mine.data() + j * record;
          std::memcpy(r, &g, 8);
          std::memcpy(r + 8, &w[static_cast<std::size_t>(n)], 8);
          if (withPoints) std::memcpy(r + 16, X.col(n).data(), column);
        }
        const auto parts = all.gather(mine);
        std::vector<char>().swap(mine);
        std::vector<Index> global;
        std::vector<double> wg;
        Matrix<Scalar> Xg(D, withPoints ? total : 0);
        for (const auto& part : parts)
          for (std::size_t off = 0; off + record <= part.size(); off += record) {
            std::int64_t g;
            double wn;
            std::memcpy(&g, part.data() + off, 8);
            std::memcpy(&wn, part.data() + off + 8, 8);
            if (withPoints) std::memcpy(Xg.col(static_cast<Index>(global.size())).data(), part.data() + off + 16, column);
            global.push_back(static_cast<Index>(g));
            wg.push_back(wn);
          }
        if (!withPoints) {
          seeds.insert(seeds.end(), global.begin(), global.end());
          continue;
        }
        SeedNode local;
        local.budget = node.budget;
        for (Index j = 0; j < total; ++j) local.points.push_back(j);
        std::vector<Index> leaf;
        std::vector<SeedNode> children;
        seedNode<Scalar>(Xg, wg, local, m, rng, leaf, children);
        for (Index s : leaf) seeds.push_back(global[static_cast<std::size_t>(s)]);
        for (auto& child : children) {  // back to this shard's points
          SeedNode c;
          c.budget = child.budget;
          for (Index j : child.points) {
            const Index n = global[static_cast<std::size_t>(j)] - ctx.pointOffset;
            if (n >= 0 && n < X.cols()) c.points.push_back(n);
          }
          next.push_back(std::move(c));
        }
        continue;
      }
      // a large node: pivots by AFK-MC² over its points on every process (afkmc2Within's draws)
      const std::size_t n = node.points.size();
      const Index branch =
          node.budget <= kLeaf ? node.budget
                               : std::min<Index>(kBranch, static_cast<Index>(std::ceil(std::sqrt(static_cast<double>(node.budget)))));
      std::vector<double> wp(n);
      for (std::size_t j = 0; j < n; ++j) wp[j] = w[static_cast<std::size_t>(node.points[j])];
      // draws by global index of the node's points: entry i of a cumulative is the node's i-th point
      const auto drawNode = [&](const std::vector<double>& cum) {
        return shards.draw(cum, rng, [&](Index i) { return node.points[static_cast<std::size_t>(i)]; });
      };
      Matrix<Scalar> Pv(D, branch);
      const auto cumW = cumulative(wp);
      std::vector<Index> pivotIds = {drawNode(cumW)};
      Pv.col(0) = shards.points(pivotIds).col(0);
      const auto distanceTo = [&](Index local, Index upTo) {
        double best = std::numeric_limits<double>::infinity();
        for (Index c = 0; c < upTo; ++c)
          best = std::min(best, (X.col(local).template cast<double>() - Pv.col(c).template cast<double>()).squaredNorm());
        return best;
      };
      std::vector<double> qPrime(n), q(n);
      double sumWD = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        qPrime[j] = distanceTo(node.points[j], 1);
        sumWD += wp[j] * qPrime[j];
      }
      sumWD = all.sum(sumWD);
      const double sumW = all.sum(cumW.empty() ? 0.0 : cumW.back());
      for (std::size_t j = 0; j < n; ++j) {
        qPrime[j] = (sumWD > 0.0 ? 0.5 * qPrime[j] / sumWD : 0.0) + 0.5 / sumW;
        q[j] = wp[j] * qPrime[j];
      }
      const auto cumQ = cumulative(q);
      // qPrime by global index, for the owner's answer
      const auto look = [&](Index upTo) {
        return [&, upTo](Index local) {
          const auto at = std::lower_bound(node.points.begin(), node.points.end(), local) - node.points.begin();
          return std::vector<double>{distanceTo(local, upTo), qPrime[static_cast<std::size_t>(at)]};
        };
      };
      for (Index c = 1; c < branch; ++c) {
        Index x = drawNode(cumQ);
        std::vector<double> at = shards.fetch(x, 2, look(c));
        for (int j = 1; j < m; ++j) {
          const Index y = drawNode(cumQ);
          const std::vector<double> to = shards.fetch(y, 2, look(c));
          if (acceptMove(at[0], to[0], at[1], to[1], rng)) {
            x = y;
            at = to;
          }
        }
        Pv.col(c) = shards.points({x}).col(0);
        pivotIds.push_back(x);
      }
      if (node.budget <= kLeaf) {  // a leaf: its seeds are these draws (afkmc2Within's)
        seeds.insert(seeds.end(), pivotIds.begin(), pivotIds.end());
        std::vector<Index>().swap(node.points);
        continue;
      }
      // cells: nearest pivot (as seedNode computes it), counts and potentials over the processes
      const Index B = branch;
      std::vector<std::int32_t> cell;
      std::vector<double> potential(static_cast<std::size_t>(B), 0.0);
      std::vector<std::int64_t> count(static_cast<std::size_t>(B), 0);
      assignToPivots<Scalar>(X, w, node.points, Pv, cell, count, potential);
      all.sum(count.data(), count.size());
      all.sum(potential.data(), potential.size());
      const std::vector<Index> alloc = allocateSeeds(node.budget, total, count, potential);
      std::vector<SeedNode> out(static_cast<std::size_t>(B));
      for (Index b = 0; b < B; ++b) out[static_cast<std::size_t>(b)].budget = alloc[static_cast<std::size_t>(b)];
      for (std::size_t j = 0; j < n; ++j) out[static_cast<std::size_t>(cell[j])].points.push_back(node.points[j]);
      for (auto& child : out)
        if (child.budget > 0) next.push_back(std::move(child));
      std::vector<Index>().swap(node.points);
    }
    level = std::move(next);
  }
  return seeds;
}

/// Global indices of C seed points chosen by `Options::init` (sample weights scale every
/// probability), and their coordinates in `coords` (D × C). Over several processes the draws come
/// from the same streams through `Shards`, so the seeds are those one process draws over all the
/// points (up to the rounding of the per-process totals); in one process every `Shards` operation
/// is the plain one. From C = `Options::afkmc2IndexFrom`, AFK-MC² runs as a tree of seedings
/// (`treeSeeds`, `treeSeedsAcross`).
template <typename Scalar>
inline std::vector<Index> seedPoints(const FitContext<Scalar>& ctx, Index C, Matrix<Scalar>& coords) {
  const char* where = "vmfa::initialParameters";
  const auto& X = ctx.data;
  const Index N = X.cols(), D = X.rows();
  const Shards<Scalar> shards(ctx);
  require(ctx.totalPoints >= C, where, "C = ", C, " exceeds the ", ctx.totalPoints, " points of all processes");
  Random rng(ctx.seed(), key(Stream::Init));
  std::vector<double> w(static_cast<std::size_t>(N));
  for (Index n = 0; n < N; ++n) w[static_cast<std::size_t>(n)] = ctx.weight(n);
  std::vector<Index> centres;
  if (ctx.options.init == Init::RandomPoints) {
    // the keys of `seedPoints`: point n's key is the (n+1)-th draw of the stream
    Random mine = rng;
    mine.skip(static_cast<std::uint64_t>(ctx.pointOffset));
    std::vector<std::pair<double, Index>> keys(static_cast<std::size_t>(N));
    for (Index n = 0; n < N; ++n) {
      const double wn = w[static_cast<std::size_t>(n)];
      const double u = mine.uniformOpen();
      keys[static_cast<std::size_t>(n)] = {wn > 0.0 ? std::log(u) / wn : -std::numeric_limits<double>::infinity(),
                                           ctx.globalIndex(n)};
    }
    auto larger = [](const std::pair<double, Index>& a, const std::pair<double, Index>& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    };
    const std::size_t take = std::min<std::size_t>(keys.size(), static_cast<std::size_t>(C));
    std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(take), keys.end(), larger);
    std::vector<char> bytes(take * 16);  // (key, global index) as 8 + 8 bytes
    for (std::size_t i = 0; i < take; ++i) {
      const std::int64_t g = keys[i].second;
      std::memcpy(bytes.data() + 16 * i, &keys[i].first, 8);
      std::memcpy(bytes.data() + 16 * i + 8, &g, 8);
    }
    std::vector<std::pair<double, Index>> all;
    for (const auto& b : ctx.collective.gather(bytes))
      for (std::size_t off = 0; off + 16 <= b.size(); off += 16) {
        double key;
        std::int64_t g;
        std::memcpy(&key, b.data() + off, 8);
        std::memcpy(&g, b.data() + off + 8, 8);
        all.emplace_back(key, static_cast<Index>(g));
      }
    std::partial_sort(all.begin(), all.begin() + C, all.end(), larger);
    for (Index i = 0; i < C; ++i) centres.push_back(all[static_cast<std::size_t>(i)].second);
    coords = shards.points(centres);
    return centres;
  }
  if (ctx.options.init == Init::AfkMc2 && ctx.options.afkmc2IndexFrom > 0 && C >= ctx.options.afkmc2IndexFrom) {
    // at very large C, AFK-MC² over all seeds costs O(m·C²·D): a tree of small seedings instead
    centres = ctx.distributed() ? treeSeedsAcross(ctx, w, C) : treeSeeds(ctx, w, C);
    coords = shards.points(centres);
    return centres;
  }
  coords.resize(D, C);
  const auto distance = [&](Index n, Index upTo) {  // to the nearest of the first upTo seeds
    double best = std::numeric_limits<double>::infinity();
    for (Index c = 0; c < upTo; ++c)
      best = std::min(best, (X.col(n).template cast<double>() - coords.col(c).template cast<double>()).squaredNorm());
    return best;
  };
  const auto cumW = cumulative(w);
  centres.push_back(shards.draw(cumW, rng));
  coords.col(0) = shards.points({centres[0]}).col(0);
  if (C == 1) return centres;
  if (ctx.options.init == Init::KMeansPlusPlus) {
    std::vector<double> d2(static_cast<std::size_t>(N));
    for (Index i = 1; i < C; ++i) {
      pollInterrupt(ctx);
#pragma omp parallel for num_threads(ctx.threads) schedule(static)
      for (Index n = 0; n < N; ++n) {
        const double d = (X.col(n).template cast<double>() - coords.col(i - 1).template cast<double>()).squaredNorm();
        double& cur = d2[static_cast<std::size_t>(n)];
        cur = (i == 1) ? d : std::min(cur, d);
      }
      std::vector<double> p(static_cast<std::size_t>(N));
      for (std::size_t n = 0; n < p.size(); ++n) p[n] = w[n] * d2[n];
      const auto cum = cumulative(p);
      centres.push_back(Shards<Scalar>::total(shards.totals(cum)) > 0.0 ? shards.draw(cum, rng) : shards.draw(cumW, rng));
      coords.col(i) = shards.points({centres.back()}).col(0);
    }
    return centres;
  }
  // AFK-MC² (Bachem, Lucic, Hassani, Krause 2016): proposal q(x) = ½ w d(x, c1)/Σ w d + ½ w/Σ w,
  // Metropolis-Hastings chains of length m towards the k-means++ distribution ∝ w d(x, centres).
  std::vector<double> qPrime(static_cast<std::size_t>(N));  // q(x) / w(x)
  {
    std::vector<double> d1(static_cast<std::size_t>(N));
#pragma omp parallel for num_threads(ctx.threads) schedule(static)
    for (Index n = 0; n < N; ++n) d1[static_cast<std::size_t>(n)] = distance(n, 1);
    double sumWD = 0.0;
    for (std::size_t n = 0; n < d1.size(); ++n) sumWD += w[n] * d1[n];
    sumWD = ctx.collective.sum(sumWD);
    for (std::size_t n = 0; n < d1.size(); ++n)
      qPrime[n] = (sumWD > 0.0 ? 0.5 * d1[n] / sumWD : 0.0) + 0.5 / ctx.totalWeight;
  }
  std::vector<double> q(static_cast<std::size_t>(N));
  for (std::size_t n = 0; n < q.size(); ++n) q[n] = w[n] * qPrime[n];
  const auto cumQ = cumulative(q);
  const int m = ctx.options.afkmc2ChainLength;
  for (Index i = 1; i < C; ++i) {
    pollInterrupt(ctx);
    const auto look = [&](Index n) { return std::vector<double>{distance(n, i), qPrime[static_cast<std::size_t>(n)]}; };
    Index x = shards.draw(cumQ, rng);
    std::vector<double> at = shards.fetch(x, 2, look);
    for (int j = 1; j < m; ++j) {
      const Index y = shards.draw(cumQ, rng);
      const std::vector<double> to = shards.fetch(y, 2, look);
      if (acceptMove(at[0], to[0], at[1], to[1], rng)) {
        x = y;
        at = to;
      }
    }
    centres.push_back(x);
    coords.col(i) = shards.points({x}).col(0);
  }
  return centres;
}

/// Draws the loadings of component c (`LoadingInit`: Small 0.1·σ_d·N(0, 1), Broad σ_d·U[0, 1],
/// Uniform U[0, 1]; Ppca, which needs a cluster, draws Small), keyed by (seed, c, salt).
template <typename Scalar>
inline void drawLoadings(Parameters<Scalar>& p, Index c, const Eigen::VectorXd& dataVariance, std::uint64_t seed,
                         std::uint64_t salt, LoadingInit kind = LoadingInit::Small) {
  const Index D = p.dim(), H = p.latentDim;
  Random rng(seed, key(Stream::Loadings), static_cast<std::uint64_t>(c), salt);
  for (Index h = 0; h < H; ++h)
    for (Index d = 0; d < D; ++d) {
      double v;
      switch (kind) {
        case LoadingInit::Broad: v = std::sqrt(dataVariance(d)) * rng.uniform(); break;
        case LoadingInit::Uniform: v = rng.uniform(); break;
        default: v = 0.1 * std::sqrt(dataVariance(d)) * rng.normal(); break;
      }
      p.loadings(d, c * H + h) = static_cast<Scalar>(v);
    }
}

/// The nearest mean of every point (squared Euclidean, exact): blocks of points against tiles of
/// means, one matrix product each. O(N·C·D).
template <typename Scalar>
inline std::vector<std::int32_t> nearestMeans(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p) {
  const Index N = ctx.numPoints(), C = p.numComponents(), B = 256, T = 2048;
  const Vector<Scalar> norms = p.means.colwise().squaredNorm().transpose();
  std::vector<std::int32_t> out(static_cast<std::size_t>(N));
  const Index numBlocks = (N + B - 1) / B;
  ExceptionCapture capture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
  for (Index blk = 0; blk < numBlocks; ++blk) {
    capture.run([&] {
      if (ctx.interrupted()) return;  // the caller polls (collectively) after the region
      const Index first = blk * B, b = std::min(B, N - first);
      Matrix<Scalar> Xb, G;
      p.relativeToOrigin(ctx.data.middleCols(first, b), Xb);
      Vector<Scalar> best = Vector<Scalar>::Constant(b, std::numeric_limits<Scalar>::infinity());
      for (Index t0 = 0; t0 < C; t0 += T) {
        const Index t = std::min(T, C - t0);
        // lazyProduct: a coefficient-wise product never runs Eigen's own threads, so the result does
        // not depend on the thread count (a one-thread OpenMP team would let Eigen's GEMM split it)
        G.noalias() = p.means.middleCols(t0, t).transpose().lazyProduct(Xb);  // t × b
        for (Index j = 0; j < b; ++j)
          for (Index i = 0; i < t; ++i) {
            const Scalar d = norms(t0 + i) - Scalar(2) * G(i, j);  // ‖μ‖² − 2μᵀx: ‖x‖² is the same for all
            if (d < best(j)) {
              best(j) = d;
              out[static_cast<std::size_t>(first + j)] = static_cast<std::int32_t>(t0 + i);
            }
          }
      }
    });
  }
  capture.rethrow();
  return out;
}

/// \brief `LoadingInit::Ppca`: two k-means steps from the seeded means, then each cluster's
/// probabilistic PCA (Tipping & Bishop 1999): with S the cluster's weighted covariance, its top H
/// eigenpairs (u_h, λ_h) and σ² the mean of the other D − H eigenvalues, Λ_c = [u_h √(λ_h − σ²)]
/// and ψ_cd = S_dd − Σ_h Λ_c(d, h)² (floored). μ_c becomes the cluster's mean. Clusters of at most H
/// points keep their seed with Small loadings. Each u_h has its largest entry positive. Deterministic
/// for any thread count (clusters are summed in point order). Across processes the clusters' weights, sums and (in blocks of at most
/// 2²³ values) covariances are summed over the processes, and every process solves every cluster:
/// O(C·D³) then, where one process solves a small cluster (n < D) through its n × n Gram matrix.
template <typename Scalar>
inline void ppcaInit(const FitContext<Scalar>& ctx, Parameters<Scalar>& p, const Eigen::VectorXd& floor) {
  const Index N = ctx.numPoints(), C = p.numComponents(), D = p.dim(), H = p.latentDim;
  const bool across = ctx.distributed();
  std::vector<Index> begin(static_cast<std::size_t>(C) + 1), order(static_cast<std::size_t>(N));
  Eigen::VectorXd W(C);
  Eigen::MatrixXd sums(D, C);
  std::vector<std::int64_t> counts(static_cast<std::size_t>(C));
  const auto relative = [&](Index j) {
    return p.hasOrigin() ? Eigen::VectorXd(ctx.data.col(j).template cast<double>() - p.origin)
                         : Eigen::VectorXd(ctx.data.col(j).template cast<double>());
  };
  // Λ_c and ψ_c from the top H eigenpairs (lambda, U) of S_c and its diagonal
  const auto setPpca = [&](Index c, const Eigen::MatrixXd& U, const Eigen::VectorXd& lambda, const Eigen::VectorXd& diag) {
    const double sigma2 = std::max(diag.sum() - lambda.sum(), 0.0) / static_cast<double>(D - H);
    Eigen::MatrixXd L = U * (lambda.array() - sigma2).cwiseMax(0.0).sqrt().matrix().asDiagonal();
    p.loading(c) = L.template cast<Scalar>();
    p.noise.col(c) = (diag - L.rowwise().squaredNorm()).cwiseMax(floor).template cast<Scalar>();
  };
  // an eigenvector's sign is arbitrary: its largest entry (the first of equals) is made positive, so
  // that the Gram route, the covariance route and any split of the points give the same loadings
  const auto withSign = [](Eigen::VectorXd u) {
    Index top = 0;
    u.cwiseAbs().maxCoeff(&top);
    if (u(top) < 0.0) u = -u;
    return u;
  };
  const auto topOf = [&](const Eigen::MatrixXd& S, Eigen::MatrixXd& U, Eigen::VectorXd& lambda) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(S);
    for (Index h = 0; h < H; ++h) {
      lambda(h) = eig.eigenvalues()(D - 1 - h);
      U.col(h) = withSign(eig.eigenvectors().col(D - 1 - h));
    }
  };
  for (int step = 0; step < 2; ++step) {
    pollInterrupt(ctx);
    const std::vector<std::int32_t> nearest = nearestMeans(ctx, p);
    pollInterrupt(ctx);  // nearestMeans skips its blocks once interrupted
    // counting sort of the points by cluster, point order kept within each
    std::fill(begin.begin(), begin.end(), 0);
    for (Index n = 0; n < N; ++n) ++begin[static_cast<std::size_t>(nearest[static_cast<std::size_t>(n)]) + 1];
    for (Index c = 0; c < C; ++c) begin[static_cast<std::size_t>(c) + 1] += begin[static_cast<std::size_t>(c)];
    std::vector<Index> fill(begin.begin(), begin.end() - 1);
    for (Index n = 0; n < N; ++n) order[static_cast<std::size_t>(fill[static_cast<std::size_t>(nearest[static_cast<std::size_t>(n)])]++)] = n;
    const bool last = step == 1;
    // each cluster's weight and weighted sum, by one thread in point order
    ExceptionCapture sumsCapture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 16)
    for (Index c = 0; c < C; ++c) {
      sumsCapture.run([&] {
        const Index b0 = begin[static_cast<std::size_t>(c)], n = begin[static_cast<std::size_t>(c) + 1] - b0;
        double w = 0.0;
        Eigen::VectorXd s = Eigen::VectorXd::Zero(D);
        for (Index i = 0; i < n; ++i) {
          const Index j = order[static_cast<std::size_t>(b0 + i)];
          w += ctx.weight(j);
          s += ctx.weight(j) * relative(j);
        }
        W(c) = w;
        sums.col(c) = s;
        counts[static_cast<std::size_t>(c)] = n;
      });
    }
    sumsCapture.rethrow();
    if (across) {
      ctx.collective.sum(W.data(), static_cast<std::size_t>(C));
      ctx.collective.sum(sums.data(), static_cast<std::size_t>(D * C));
      ctx.collective.sum(counts.data(), counts.size());
    }
    for (Index c = 0; c < C; ++c)  // an empty cluster keeps its seed (and Small loadings)
      if (W(c) > 0.0) p.means.col(c) = (sums.col(c) / W(c)).template cast<Scalar>();
    if (!last || H == 0) continue;
    const auto solvable = [&](Index c) { return W(c) > 0.0 && counts[static_cast<std::size_t>(c)] > H; };
    // this process's points i0 … i0 + len of cluster c as columns (x − mean)·√(w / W): S_c = Σ Y Yᵀ
    const auto scaledDeviations = [&](Index c, Index i0, Index len) {
      const Index b0 = begin[static_cast<std::size_t>(c)] + i0;
      const Eigen::VectorXd mean = sums.col(c) / W(c);
      Eigen::MatrixXd Y(D, len);
      for (Index i = 0; i < len; ++i) {
        const Index j = order[static_cast<std::size_t>(b0 + i)];
        Y.col(i) = (relative(j) - mean) * std::sqrt(ctx.weight(j) / W(c));
      }
      return Y;
    };
    const auto clusterSize = [&](Index c) { return begin[static_cast<std::size_t>(c) + 1] - begin[static_cast<std::size_t>(c)]; };
    // S_c of this process's points, streamed in blocks of 256 points: memory O(D² + 256·D) whatever
    // the cluster's size
    const auto scatterInto = [&](Index c, Eigen::Ref<Eigen::MatrixXd> S) {
      S.setZero();
      for (Index i0 = 0, n = clusterSize(c); i0 < n; i0 += 256) {
        const Eigen::MatrixXd Y = scaledDeviations(c, i0, std::min<Index>(256, n - i0));
        S.noalias() += Y.lazyProduct(Y.transpose());
      }
    };
    if (!across) {
      ExceptionCapture capture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 4)
      for (Index c = 0; c < C; ++c) {
        capture.run([&] {
          if (!solvable(c) || ctx.interrupted()) return;
          const Index n = clusterSize(c);
          Eigen::MatrixXd U(D, H);
          Eigen::VectorXd lambda(H);
          if (n >= D) {
            Eigen::MatrixXd S(D, D);
            scatterInto(c, S);
            topOf(S, U, lambda);
            setPpca(c, U, lambda, S.diagonal());
          } else {  // through the n × n Gram matrix (Y is D × n < D × D): S u = λ u with u = Y v / √λ
            const Eigen::MatrixXd Y = scaledDeviations(c, 0, n);
            Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(Y.transpose().lazyProduct(Y));
            for (Index h = 0; h < H; ++h) {
              lambda(h) = std::max(eig.eigenvalues()(n - 1 - h), 0.0);
              U.col(h) = lambda(h) > 0.0 ? withSign(Y * eig.eigenvectors().col(n - 1 - h) / std::sqrt(lambda(h)))
                                         : Eigen::VectorXd::Zero(D);
            }
            setPpca(c, U, lambda, Y.rowwise().squaredNorm());  // S_dd
          }
        });
      }
      capture.rethrow();
      pollInterrupt(ctx);
      continue;
    }
    // across processes: the covariances of blocks of clusters, summed over the processes
    const Index block = std::max<Index>(1, (Index(1) << 23) / std::max<Index>(1, D * D));
    Eigen::MatrixXd S;
    for (Index c0 = 0; c0 < C; c0 += block) {
      pollInterrupt(ctx);
      const Index c1 = std::min(C, c0 + block);
      S.setZero(D, D * (c1 - c0));
      ExceptionCapture scatter;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
      for (Index c = c0; c < c1; ++c) {
        scatter.run([&] {
          if (solvable(c)) scatterInto(c, S.middleCols((c - c0) * D, D));
        });
      }
      scatter.rethrow();
      ctx.collective.sum(S.data(), static_cast<std::size_t>(S.size()));
      ExceptionCapture capture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
      for (Index c = c0; c < c1; ++c) {
        capture.run([&] {
          if (!solvable(c)) return;
          const Eigen::MatrixXd Sc = S.middleCols((c - c0) * D, D);
          Eigen::MatrixXd U(D, H);
          Eigen::VectorXd lambda(H);
          topOf(Sc, U, lambda);
          setPpca(c, U, lambda, Sc.diagonal());
        });
      }
      capture.rethrow();
    }
  }
}

}  // namespace detail

/// \brief Initial parameters: seeded means (relative to the data's mean, the origin), loadings by
/// `Options::loadingInit` (default entries 0.1·σ_d·N(0,1), σ_d² the data variance of dimension d),
/// noise ψ_cd = noiseInitScale·σ_d² (Ppca: each cluster's residual variance), weights 1/C.
///
/// Cost: AFK-MC² O(N·D + m·C²·D), or from C = `Options::afkmc2IndexFrom` on a tree of AFK-MC²
/// seedings (`detail::treeSeeds`) O(N·64·D·log₆₄(C/64) + m·64·C·D); k-means++ O(N·C·D), random
/// points O(N log C).
/// \throws detail::InitialisationInterrupted when `Options::interrupt` stops the fit.
template <typename Scalar>
inline Parameters<Scalar> initialParameters(const FitContext<Scalar>& ctx, std::vector<Index>* seedsOut = nullptr) {
  const Index C = ctx.options.numComponents, D = ctx.dim(), H = ctx.options.latentDim;
  Parameters<Scalar> p;
  p.resize(C, D, H);
  Matrix<Scalar> coords;  // the seeds' coordinates (the points may be spread over processes)
  const std::vector<Index> seeds = detail::seedPoints(ctx, C, coords);
  const Eigen::VectorXd floor = ctx.noiseLowerBounds();
  const Eigen::VectorXd noise = (ctx.options.noiseInitScale * ctx.dataVariance).cwiseMax(floor);
  p.origin = ctx.dataMean;  // the means are relative to the data's mean (see Parameters)
  for (Index c = 0; c < C; ++c) {
    p.means.col(c) = (coords.col(c).template cast<double>() - p.origin).template cast<Scalar>();
    p.noise.col(c) = noise.template cast<Scalar>();
    detail::drawLoadings(p, c, ctx.dataVariance, ctx.seed(), 0, ctx.options.loadingInit);
  }
  if (ctx.options.loadingInit == LoadingInit::Ppca) detail::ppcaInit(ctx, p, floor);
  p.weights.setConstant(static_cast<Scalar>(1.0 / static_cast<double>(C)));
  if (seedsOut) *seedsOut = seeds;
  return p;
}

}  // namespace vmfa
