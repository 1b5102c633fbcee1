/// \file progress.hpp
/// \brief A ready-made progress callback that prints one line per iteration.
#pragma once

#include "options.hpp"

#include <cstdio>
#include <ostream>

namespace vmfa {

/// \brief Returns a callback printing one line per iteration to `os`:
/// `iter   5  F -1.234567e+02  rel 3.1e-04  evals 4.6e+06 (46.0/pt)  in use 100  reseeded 0  0.41 s`.
/// Warm-up E-steps are marked with `w`.
inline ProgressCallback progressPrinter(std::ostream& os) {
  return [&os](const IterationStats& s) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "iter %4d%s F %.6e  rel %.1e  evals %.2e (%.1f/pt)  in use %ld  reseeded %ld  %.2f s\n",
                  s.iteration, s.warmup ? "w" : " ", s.freeEnergy, s.relativeChange,
                  static_cast<double>(s.logJointEvaluations), s.meanSearchSize, static_cast<long>(s.componentsInUse),
                  static_cast<long>(s.reseededComponents), s.seconds);
    os << line << std::flush;
    return true;
  };
}

}  // namespace vmfa
