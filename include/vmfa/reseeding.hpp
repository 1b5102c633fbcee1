/// \file reseeding.hpp
/// \brief Re-seeding of degenerate components at the worst-explained points, for any M-step.
#pragma once

#include "context.hpp"
#include "policy_types.hpp"
#include "detail/bytes.hpp"
#include "seeding/loadings.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace vmfa {

/// \brief A point a degenerate component may be re-seeded at.
template <typename Scalar>
struct ReseedCandidate {
  double bound;
  Index point;  // global index
  double weight;
  Vector<Scalar> x;
};

/// \brief The `count` points of positive weight with the lowest bound over all processes (lowest
/// first, ties by global index), with their weights and coordinates.
template <typename Scalar>
inline std::vector<ReseedCandidate<Scalar>> worstPoints(const FitContext<Scalar>& ctx, const PointResults& points, std::size_t count) {
  const Index N = ctx.numPoints();
  std::vector<std::pair<double, Index>> order;
  order.reserve(static_cast<std::size_t>(N));
  for (Index n = 0; n < N; ++n)
    if (ctx.weight(n) > 0.0) {
      const double b = points.bound(n);
      order.emplace_back(std::isfinite(b) ? b : -std::numeric_limits<double>::infinity(), ctx.globalIndex(n));
    }
  const std::size_t take = std::min(order.size(), count);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end());
  std::vector<ReseedCandidate<Scalar>> local;
  for (std::size_t i = 0; i < take; ++i) {
    const Index n = order[i].second - ctx.pointOffset;
    local.push_back({order[i].first, order[i].second, ctx.weight(n), Vector<Scalar>(ctx.data.col(n))});
  }
  if (!ctx.distributed()) return local;
  // every process's lowest `count`, exchanged; all processes pick the same lowest `count` of those
  const Index D = ctx.dim();
  const std::size_t record = 2 * sizeof(double) + sizeof(std::int64_t) + static_cast<std::size_t>(D) * sizeof(Scalar);
  detail::ByteWriter mine(local.size() * record);
  for (const auto& cand : local)
    mine.put(cand.bound).put(static_cast<std::int64_t>(cand.point)).put(cand.weight).put(cand.x.data(), static_cast<std::size_t>(D));
  std::vector<ReseedCandidate<Scalar>> all;
  const auto parts = ctx.collective.gather(mine.take());
  for (std::size_t r = 0; r < parts.size(); ++r) {
    detail::ByteReader in(parts[r], "vmfa::worstPoints", "process " + std::to_string(r));
    for (std::size_t k = in.records(record); k > 0; --k) {
      ReseedCandidate<Scalar> cand{0.0, 0, 0.0, Vector<Scalar>(D)};
      cand.bound = in.get<double>();
      cand.point = static_cast<Index>(in.get<std::int64_t>());
      cand.weight = in.get<double>();
      in.get(cand.x.data(), static_cast<std::size_t>(D));
      all.push_back(std::move(cand));
    }
  }
  std::sort(all.begin(), all.end(), [](const ReseedCandidate<Scalar>& a, const ReseedCandidate<Scalar>& b) {
    return a.bound < b.bound || (a.bound == b.bound && a.point < b.point);
  });
  if (all.size() > count) all.resize(count);
  return all;
}

/// \brief Re-seeds the components `bad` (the same list on every process) at the points with the
/// lowest bound over all processes (distinct points, lowest first; `worstPoints`), with fresh
/// loadings (`Options::loadingInit`, keyed by the iteration) and the data variance as noise (or
/// the shared noise), floored like every other noise variance (`FitContext::noiseLowerBounds`).
/// A component's mass (`mass[c]`, C entries) becomes its point's weight, added to `totalMass`.
/// Returns the (component, point) pairs, which the model uses to make the next E-step evaluate
/// each component at its point. Any M-step policy may call it from its `finish`.
template <typename Scalar>
inline std::vector<std::pair<std::int32_t, Index>> reseedComponents(const FitContext<Scalar>& ctx, int iteration,
                                                                    Parameters<Scalar>& p, const PointResults& points,
                                                                    const std::vector<Index>& bad,
                                                                    std::vector<double>& mass, double& totalMass) {
  std::vector<std::pair<std::int32_t, Index>> out;
  if (bad.empty()) return out;  // the same on every process when `bad` is
  const Eigen::VectorXd floor = ctx.noiseLowerBounds();
  const std::vector<ReseedCandidate<Scalar>> order = worstPoints(ctx, points, bad.size());
  const std::size_t take = order.size();
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const Index c = bad[i];
    const ReseedCandidate<Scalar>& at = order[i % std::max<std::size_t>(take, 1)];
    p.means.col(c) = p.hasOrigin() ? (at.x.template cast<double>() - p.origin).template cast<Scalar>() : at.x;
    p.noise.col(c) = (ctx.options.sharedNoise ? p.noise.col(c).template cast<double>() : ctx.dataVariance)
                         .cwiseMax(floor)
                         .template cast<Scalar>();
    detail::drawLoadings(p, c, ctx.dataVariance, ctx.seed(), static_cast<std::uint64_t>(iteration) + 1,
                         ctx.options.loadingInit);
    mass[static_cast<std::size_t>(c)] = at.weight;
    totalMass += at.weight;
    out.emplace_back(static_cast<std::int32_t>(c), at.point);
  }
  return out;
}

}  // namespace vmfa
