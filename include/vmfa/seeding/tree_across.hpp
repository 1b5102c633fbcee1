/// \file seeding/tree_across.hpp
/// \brief The seeding tree over the points of several processes: the same seeds as one process.
#pragma once

#include "afkmc2.hpp"
#include "shards.hpp"
#include "tree.hpp"
#include "../detail/bytes.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace vmfa {
namespace detail {

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
        ByteWriter mine(node.points.size() * record);
        for (const Index n : node.points) {
          mine.put(static_cast<std::int64_t>(ctx.globalIndex(n))).put(w[static_cast<std::size_t>(n)]);
          if (withPoints) mine.put(X.col(n).data(), static_cast<std::size_t>(D));
        }
        const auto parts = all.gather(mine.take());
        std::vector<Index> global;
        std::vector<double> wg;
        Matrix<Scalar> Xg(D, withPoints ? total : 0);
        for (std::size_t r = 0; r < parts.size(); ++r) {
          ByteReader in(parts[r], "vmfa::detail::treeSeedsAcross", "process " + std::to_string(r));
          for (std::size_t k = in.records(record); k > 0; --k) {
            require(static_cast<Index>(global.size()) < total, "vmfa::detail::treeSeedsAcross", "the processes sent more than the ",
                    total, " points of the node");
            global.push_back(static_cast<Index>(in.get<std::int64_t>()));
            wg.push_back(in.get<double>());
            if (withPoints) in.get(Xg.col(static_cast<Index>(global.size()) - 1).data(), static_cast<std::size_t>(D));
          }
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
        qPrime[j] = afkmc2Proposal(qPrime[j], sumWD, sumW);
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
        const Index x = afkmc2Chain(m, rng, [&] { return drawNode(cumQ); }, [&](Index g) { return shards.fetch(g, 2, look(c)); });
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

}  // namespace detail
}  // namespace vmfa
