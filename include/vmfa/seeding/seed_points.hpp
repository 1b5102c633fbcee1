/// \file seeding/seed_points.hpp
/// \brief The seed points of the component means: AFK-MC², k-means++ or random points, in one
/// process or across several.
#pragma once

#include "afkmc2.hpp"
#include "shards.hpp"
#include "tree.hpp"
#include "tree_across.hpp"
#include "../detail/bytes.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace vmfa {
namespace detail {

/// Global indices of C seed points chosen by `Options::init` (sample weights scale every
/// probability), and their coordinates in `coords` (D × C). Over several processes the draws come
/// from the same streams through `Shards`, so the seeds are those one process draws over all the
/// points (up to the rounding of the per-process totals); in one process every `Shards` operation
/// is the plain one. From C = `Options::seedingTreeFrom`, AFK-MC² runs as a tree of seedings
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
    ByteWriter bytes(take * 16);  // (key, global index)
    for (std::size_t i = 0; i < take; ++i) bytes.put(keys[i].first).put(static_cast<std::int64_t>(keys[i].second));
    std::vector<std::pair<double, Index>> all;
    const auto parts = ctx.collective.gather(bytes.take());
    for (std::size_t r = 0; r < parts.size(); ++r) {
      ByteReader in(parts[r], "vmfa::detail::seedPoints", "process " + std::to_string(r));
      for (std::size_t k = in.records(16); k > 0; --k) {
        const double key = in.get<double>();
        all.emplace_back(key, static_cast<Index>(in.get<std::int64_t>()));
      }
    }
    require(all.size() >= static_cast<std::size_t>(C), "vmfa::detail::seedPoints", "the processes sent ", all.size(),
            " candidate points for ", C, " seeds");
    std::partial_sort(all.begin(), all.begin() + C, all.end(), larger);
    for (Index i = 0; i < C; ++i) centres.push_back(all[static_cast<std::size_t>(i)].second);
    coords = shards.points(centres);
    return centres;
  }
  if (ctx.options.init == Init::AfkMc2 && detail::seedingTreeFrom(ctx.options) > 0 && C >= detail::seedingTreeFrom(ctx.options)) {
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
      qPrime[n] = afkmc2Proposal(d1[n], sumWD, ctx.totalWeight);
  }
  std::vector<double> q(static_cast<std::size_t>(N));
  for (std::size_t n = 0; n < q.size(); ++n) q[n] = w[n] * qPrime[n];
  const auto cumQ = cumulative(q);
  const int m = ctx.options.afkmc2ChainLength;
  for (Index i = 1; i < C; ++i) {
    pollInterrupt(ctx);
    const auto look = [&](Index n) { return std::vector<double>{distance(n, i), qPrime[static_cast<std::size_t>(n)]}; };
    const Index x = afkmc2Chain(m, rng, [&] { return shards.draw(cumQ, rng); }, [&](Index g) { return shards.fetch(g, 2, look); });
    centres.push_back(x);
    coords.col(i) = shards.points({x}).col(0);
  }
  return centres;
}

}  // namespace detail
}  // namespace vmfa
