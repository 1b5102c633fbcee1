/// \file detail/sampling.hpp
/// \brief Inverse-CDF draws from cumulative sums: the seeding's and `Model::sample`'s sampler.
#pragma once

#include "../options.hpp"
#include "rng.hpp"

#include <algorithm>
#include <vector>

namespace vmfa {
namespace detail {

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

}  // namespace detail
}  // namespace vmfa
