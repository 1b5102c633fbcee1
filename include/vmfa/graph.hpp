/// \file graph.hpp
/// \brief Neighbour-graph policies: for each component c a set g_c of similar components that
/// a truncated E-step searches.
#pragma once

#include "options.hpp"

namespace vmfa {

/// \brief The graph policy of E-steps that need no graph (exact EM): holds nothing, costs nothing.
struct NoNeighborGraph {
  struct Options {};
  NoNeighborGraph() = default;
  explicit NoNeighborGraph(const Options&) {}
  void checkOptions(Index /*C*/, const char* /*where*/) const {}
};

}  // namespace vmfa
