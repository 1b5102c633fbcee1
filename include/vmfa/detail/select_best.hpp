/// \file detail/select_best.hpp
/// \brief The K best candidates of one point's search space, in a fixed order (the truncated E-step's
/// selection of K(n)).
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace vmfa {
namespace detail {

/// ranked[0..K) = the K best (log-joint, component) pairs (lj[q], comp[q]) for q in [q0, q1), in
/// decreasing order of log-joint (ties: lower component first). The components are distinct, so
/// the order is total. Small K (the default 3): insertion into a sorted list of K in one pass;
/// larger K: partial_sort.
template <typename Scalar>
void selectBest(std::vector<std::pair<Scalar, std::int32_t>>& ranked, const std::vector<Scalar>& lj,
                const std::vector<std::int32_t>& comp, std::size_t q0, std::size_t q1, Eigen::Index K) {
  using Entry = std::pair<Scalar, std::int32_t>;
  const auto before = [](const Entry& a, const Entry& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  const std::size_t k = static_cast<std::size_t>(K);
  if (K > 16) {
    ranked.clear();
    for (std::size_t q = q0; q < q1; ++q) ranked.emplace_back(lj[q], comp[q]);
    std::partial_sort(ranked.begin(), ranked.begin() + K, ranked.end(), before);
    return;
  }
  if (ranked.size() < k) ranked.resize(k);
  Entry* top = ranked.data();
  std::size_t n = 0;
  for (std::size_t q = q0; q < q1; ++q) {
    const Entry e(lj[q], comp[q]);
    if (n == k && !before(e, top[k - 1])) continue;
    std::size_t i = n < k ? n++ : k - 1;  // the slot freed at the end, then shifted into place
    while (i > 0 && before(e, top[i - 1])) {
      top[i] = top[i - 1];
      --i;
    }
    top[i] = e;
  }
}

}  // namespace detail
}  // namespace vmfa
