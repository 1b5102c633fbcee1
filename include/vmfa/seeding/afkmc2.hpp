/// \file seeding/afkmc2.hpp
/// \brief The pieces of AFK-MC² seeding (Bachem, Lucic, Hassani, Krause 2016) that one process,
/// the seeding tree and the seeding across processes share: distances, the proposal, the
/// Metropolis–Hastings chain, and AFK-MC² within a set of points.
#pragma once

#include "../context.hpp"
#include "../detail/rng.hpp"
#include "../detail/sampling.hpp"
#include "interrupt.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>
#include <vector>

namespace vmfa {
namespace detail {

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

/// AFK-MC²'s proposal divided by the point's weight, q'(x) = ½·d(x, c₁)/Σ w·d + ½/Σ w, from the
/// squared distance d1 to the first seed and the sums over all points (all processes).
inline double afkmc2Proposal(double d1, double sumWD, double sumW) {
  return (sumWD > 0.0 ? 0.5 * d1 / sumWD : 0.0) + 0.5 / sumW;
}

/// One Metropolis–Hastings chain of AFK-MC², of length m: `draw()` proposes a point, `look(x)`
/// gives {d(x), q'(x)} (its squared distance to the seeds so far and its proposal weight). Returns
/// the point the chain ends on. One process and many draw through the same chain.
template <typename Draw, typename Look>
inline auto afkmc2Chain(int m, Random& rng, Draw&& draw, Look&& look) -> decltype(draw()) {
  auto x = draw();
  auto at = look(x);
  for (int j = 1; j < m; ++j) {
    const auto y = draw();
    auto to = look(y);
    if (acceptMove(at[0], to[0], at[1], to[1], rng)) {
      x = y;
      at = std::move(to);
    }
  }
  return x;
}

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
    qPrime[i] = afkmc2Proposal(qPrime[i], sumWD, sumW);
    q[i] = wp[i] * qPrime[i];
  }
  const auto cumQ = cumulative(q);
  const auto draw = [&] { return static_cast<std::size_t>(drawFromCumulative(cumQ, rng)); };
  const auto look = [&](std::size_t x) {
    return std::array<double, 2>{nearestSquaredDistance<Scalar>(X, P[x], centres), qPrime[x]};
  };
  for (Index c = 1; c < k; ++c) centres.push_back(P[afkmc2Chain(m, rng, draw, look)]);
  return centres;
}

}  // namespace detail
}  // namespace vmfa
