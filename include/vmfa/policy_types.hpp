/// \file policy_types.hpp
/// \brief The values that policies hand to the fit loop: what an E-step and an M-step report
/// (`EStepSummary`, `PointResults`, `MStepSummary`), empty statistics (`NoStatistics`) and the
/// state a checkpoint holds of a policy (`PolicyState`). No implementation: a policy of one's own
/// needs this header, policies.hpp (the contracts) and the types they name.
#pragma once

#include "options.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <utility>
#include <vector>

namespace vmfa {

/// \brief What one E-step reports to the model.
struct EStepSummary {
  double freeEnergy = 0.0;               ///< Σ_n w_n log Σ_{c ∈ K(n)} p(x_n, c)
  std::uint64_t logJointEvaluations = 0; ///< number of (point, component) log-joints evaluated
  double statisticsSeconds = 0.0;        ///< part of the E-step's time spent accumulating its statistics
};

/// \brief Per-point results of an E-step that the model and the M-step use.
struct PointResults {
  Eigen::VectorXd bound;           ///< N, log Σ_{c ∈ K(n)} p(x_n, c) (the exact log p(x_n) for exact EM)
  std::vector<std::int32_t> best;  ///< N, arg max_c log p(x_n, c) among the evaluated components
};

/// \brief The statistics of an E-step that accumulates none (exact EM): an empty value.
struct NoStatistics {
  NoStatistics& operator+=(const NoStatistics&) { return *this; }
};

/// \brief The internal state of a policy that a checkpoint must hold, as a table of `width`
/// integers per row (the neighbour graph: C rows of G components). Empty for stateless policies.
struct PolicyState {
  std::vector<std::int32_t> values;
  Index width = 0;
};

/// \brief What an M-step reports to the model.
struct MStepSummary {
  /// Degenerate components re-seeded, each with the point it was re-seeded at (its global index,
  /// `FitContext::globalIndex`): the model makes the next E-step evaluate the component there
  /// (`Responsibilities::include`, on the process that holds the point).
  std::vector<std::pair<std::int32_t, Index>> reseeded;
};

}  // namespace vmfa
