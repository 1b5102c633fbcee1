/// \file seeding/tree.hpp
/// \brief AFK-MC² for very large C in one process: a tree of small seedings.
#pragma once

#include "afkmc2.hpp"
#include "../detail/parallel.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace vmfa {
namespace detail {

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

}  // namespace detail
}  // namespace vmfa
