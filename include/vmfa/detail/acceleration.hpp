/// \file detail/acceleration.hpp
/// \brief The two accelerations of the fit loop (docs/guide.md, "How v-MFA fits"): over-relaxed
/// M-steps (`Options::overRelaxation`), whose step size η follows from the free energies alone, and
/// E-steps in which not every point searches S(n) (`Options::searchEvery`).
#pragma once

#include "../options.hpp"
#include "../parameters.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

namespace vmfa {
namespace detail {

/// Factor by which the over-relaxation η grows after every M-step that raised the free energy.
constexpr double kStepGrowth = 1.5;

/// The over-relaxation η of the M-step that follows an E-step of free energy `F` (per unit of
/// weight), after one of `previous` and an M-step of η `last` (adaptive over-relaxed EM,
/// Salakhutdinov & Roweis 2003). η grows by `kStepGrowth` up to `Options::overRelaxation` while F
/// rises; after a fall (the extrapolation overshot) and after a relative change below the tolerance
/// the next M-step is a plain EM step, so that convergence is only ever judged on a plain step.
/// `allowed`: false for models too large to keep the copy of the parameters the step needs.
inline double nextStepSize(const Options& o, bool allowed, double last, int mstepsDone, double F, double previous) {
  if (!allowed || !(o.overRelaxation > 1.0) || mstepsDone == 0 || !std::isfinite(previous) || !(F >= previous)) return 1.0;
  if (last > 1.0 && std::abs(F / previous - 1.0) < o.tolerance) return 1.0;
  return std::min(std::max(last, 1.0) * kStepGrowth, o.overRelaxation);
}

/// Replays `nextStepSize` over the history of a fit (a checkpoint's): sets each E+M iteration's
/// `stepSize` and returns the last one, the η a resumed fit continues from.
inline double replayStepSizes(const Options& o, bool allowed, std::vector<IterationStats>& history) {
  double last = 1.0, previous = std::numeric_limits<double>::quiet_NaN();
  int msteps = 0;
  for (auto& s : history) {
    if (!s.warmup) {
      s.stepSize = last = nextStepSize(o, allowed, last, msteps, s.freeEnergy, previous);
      ++msteps;
    }
    previous = s.freeEnergy;
  }
  return last;
}

/// Over-relaxes an M-step: θ = θ_before + η (θ_EM − θ_before) for the means and loadings. The noise
/// variances and weights keep their EM values: extrapolated, they drive components to the noise
/// floor or to weight 0, where they need re-seeding, and the fit ends in worse optima.
/// Components re-seeded by this M-step (`skip`) keep their EM values too.
template <typename Scalar>
void overRelax(const Parameters<Scalar>& before, Parameters<Scalar>& p, double eta,
               const std::vector<std::pair<std::int32_t, Index>>& skip) {
  std::vector<char> keep(static_cast<std::size_t>(p.numComponents()), 0);
  for (const auto& r : skip) keep[static_cast<std::size_t>(r.first)] = 1;
  const Scalar e = static_cast<Scalar>(eta);
  for (Index c = 0; c < p.numComponents(); ++c) {
    if (keep[static_cast<std::size_t>(c)] || !(before.weights(c) > 0) || !(p.weights(c) > 0)) continue;
    p.means.col(c) = before.means.col(c) + e * (p.means.col(c) - before.means.col(c));
    if (p.latentDim > 0) p.loading(c) = before.loading(c) + e * (p.loading(c) - before.loading(c));
  }
}

/// Whether an E-step can be told to skip its search (TruncatedEStep's `setSearch`).
template <typename EStep, typename = void>
struct HasSetSearch : std::false_type {};
template <typename EStep>
struct HasSetSearch<EStep, std::void_t<decltype(std::declval<EStep&>().setSearch(true))>> : std::true_type {};

/// Whether an E-step can be told that only some points search (TruncatedEStep's two-argument `setSearch`).
template <typename EStep, typename = void>
struct HasSearchInTurns : std::false_type {};
template <typename EStep>
struct HasSearchInTurns<EStep, std::void_t<decltype(std::declval<EStep&>().setSearch(true, 2))>> : std::true_type {};

/// Which points of the next E-step search S(n) (`Options::searchEvery`, `searchInTurns`): none
/// (`search` false: K(n) alone), all (`every` = 1) or those whose turn it is (`every` > 1).
struct SearchPlan {
  bool search = true;
  int every = 1;
  /// Whether every point searches: the E-steps on which a fit may converge.
  bool all() const { return search && every == 1; }
};

/// The plan of the E-step after `mstepsDone` M-steps, the last of η `lastStep`; `searchAll`: the
/// last E-step changed F by less than the tolerance. Every point searches before the second
/// M-step; then the points take turns, all of them searching after `searchAll`, or all search on
/// every `searchEvery`-th M-step and after a plain step of an over-relaxed fit.
inline SearchPlan searchPlan(const Options& o, int mstepsDone, double lastStep, bool searchAll) {
  if (o.searchEvery <= 1 || mstepsDone < 2) return {};
  if (o.searchInTurns) return searchAll ? SearchPlan{} : SearchPlan{true, o.searchEvery};
  return {mstepsDone % o.searchEvery == 0 || (o.overRelaxation > 1.0 && lastStep == 1.0), 1};
}

}  // namespace detail
}  // namespace vmfa
