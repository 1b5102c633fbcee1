/// \file progress.hpp
/// \brief Ready-made progress reporting: one line per iteration (`formatIteration`,
/// `progressPrinter`) and a live bar with an ETA inside long E-steps (`progressBar`).
#pragma once

#include "options.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>

namespace vmfa {

/// \brief One line describing an iteration, e.g.
/// `iter    5  F -1.23456789e+02  rel 3.10e-04  evals 4.600e+06 (46.0/pt)  in use 100  reseeded 0  0.41 s`;
/// warm-up E-steps are marked `(warm-up)`, and an over-relaxed M-step ends with `step η`.
inline std::string formatIteration(const IterationStats& s) {
  char line[256];
  std::snprintf(line, sizeof line, "iter %4d%s  F %.8e  rel %.2e  evals %.3e (%.1f/pt)  in use %ld  reseeded %ld  %.2f s",
                s.iteration, s.warmup ? " (warm-up)" : "", s.freeEnergy, s.relativeChange,
                static_cast<double>(s.logJointEvaluations), s.meanSearchSize, static_cast<long>(s.componentsInUse),
                static_cast<long>(s.reseededComponents), s.seconds);
  std::string out = line;
  if (s.stepSize > 1.0) {  // an over-relaxed M-step (Options::overRelaxation)
    std::snprintf(line, sizeof line, "  step %.2f", s.stepSize);
    out += line;
  }
  return out;
}

/// \brief A callback printing `formatIteration` to `os`, one line per iteration (never stops the fit).
inline ProgressCallback progressPrinter(std::ostream& os) {
  return [&os](const IterationStats& s) {
    os << formatIteration(s) << '\n' << std::flush;
    return true;
  };
}

/// \brief A step callback drawing `  E-step [#####     ]  42%  ETA 12 s` on `out` (a terminal), redrawn
/// at most every 0.2 s and only for E-steps that have run for more than a second. Erase it with
/// "\r\033[K" before printing the iteration's line.
inline StepProgressCallback progressBar(std::FILE* out) {
  struct State {
    std::chrono::steady_clock::time_point start, last;
    Index previous = 0;
  };
  auto st = std::make_shared<State>();
  return [st, out](Index done, Index total) {
    const auto now = std::chrono::steady_clock::now();
    if (done <= st->previous || st->previous == 0) {  // a new E-step
      st->start = now;
      st->last = now;
    }
    st->previous = done >= total ? 0 : done;
    const double elapsed = std::chrono::duration<double>(now - st->start).count();
    if (elapsed < 1.0 || std::chrono::duration<double>(now - st->last).count() < 0.2 || done >= total) return;
    st->last = now;
    const double frac = static_cast<double>(done) / static_cast<double>(total);
    const int width = 30, filled = static_cast<int>(frac * width);
    std::fprintf(out, "\r  E-step [%.*s%*s] %3.0f%%  ETA %.0f s ", filled, "##############################", width - filled,
                 "", 100.0 * frac, elapsed * (1.0 - frac) / std::max(frac, 1e-9));
    std::fflush(out);
  };
}

}  // namespace vmfa
