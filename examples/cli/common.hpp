// The vmfa tool's shared pieces: the processes it runs on, its command table, signal handling and
// small helpers.
#pragma once

#include "args.hpp"

#include <vmfa/vmfa.hpp>

#include <cmath>
#include <csignal>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace vmfa_cli {

using vmfa_examples::Args;
using vmfa_examples::Command;
using vmfa_examples::Json;
using vmfa::Index;
using vmfa_examples::checkOutputs;
using vmfa_examples::threadsOf;
using vmfa_examples::toInt;
using vmfa_examples::UsageError;

inline volatile std::sig_atomic_t gInterrupted = 0;
inline void onSignal(int) { gInterrupted = 1; }

/// SIGINT and SIGTERM ask a fit to stop (within one chunk of points; a checkpoint is written when
/// --checkpoint is given); the handler is reset, so a second signal ends the process at once.
/// SIGXFSZ is ignored so that a file-size limit makes a write fail with a message instead.
inline void installSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

/// Throws unless every value is finite: a non-finite result is an error, never a printed nan.
inline void requireFinite(const Eigen::Ref<const Eigen::VectorXd>& values, const char* what, const char* precision) {
  for (Eigen::Index n = 0; n < values.size(); ++n)
    if (!std::isfinite(values(n)))
      throw std::runtime_error(vmfa::detail::concat("the ", what, " of point ", n, " is ", values(n),
                                                    ": the data or the model exceed the range of the model's precision (",
                                                    precision, ")"));
}

/// The processes a run spans and how a model's fits are spread over them: one process for `vmfa`,
/// the MPI world for `vmfa-mpi` (examples/vmfa_mpi_cli.cpp, the only code that calls MPI).
struct Processes {
  Processes(const vmfa::Collective& processes, bool viaMpi) : all(processes), mpi(viaMpi) {}

  const vmfa::Collective& all;
  bool mpi;  ///< vmfa-mpi: checkpoints are per process (PATH.rank<r>), only `fit` runs
  /// Make a model's fits span the processes (empty in one process); each returns the bytes the
  /// model's exchanges have sent so far, as a function.
  std::function<std::function<std::uint64_t()>(vmfa::Model<float>&)> distributeFloat;
  std::function<std::function<std::uint64_t()>(vmfa::Model<double>&)> distributeDouble;
  std::function<std::function<std::uint64_t()>(vmfa::ExactModel<float>&)> distributeExactFloat;
  std::function<std::function<std::uint64_t()>(vmfa::ExactModel<double>&)> distributeExactDouble;

  /// One process (vmfa).
  static Processes single() { return Processes(vmfa::Collective::single(), false); }
  /// The processes of `all`, whose models `distribute(model)` spreads (a generic callable; vmfa-mpi).
  template <typename F>
  static Processes spread(const vmfa::Collective& all, F distribute) {
    Processes p(all, true);
    p.distributeFloat = distribute;
    p.distributeDouble = distribute;
    p.distributeExactFloat = distribute;
    p.distributeExactDouble = distribute;
    return p;
  }

  int rank() const { return all.rank(); }
  int size() const { return all.size(); }
  /// This process's file for a checkpoint PATH: PATH.rank<r> in vmfa-mpi.
  std::string path(const std::string& p) const { return !mpi || p.empty() ? p : p + ".rank" + std::to_string(rank()); }

  /// Spreads `model`'s fits over the processes; returns the bytes sent so far, as a function
  /// (empty in one process).
  template <typename ModelT>
  std::function<std::uint64_t()> distribute(ModelT& model) const {
    using S = typename ModelT::Scalar;
    constexpr bool exact = std::is_same<ModelT, vmfa::ExactModel<S>>::value, single = std::is_same<S, float>::value;
    if constexpr (exact && single) return distributeExactFloat ? distributeExactFloat(model) : nullptr;
    else if constexpr (exact) return distributeExactDouble ? distributeExactDouble(model) : nullptr;
    else if constexpr (single) return distributeFloat ? distributeFloat(model) : nullptr;
    else return distributeDouble ? distributeDouble(model) : nullptr;
  }
};

inline const long long kMaxInt = std::numeric_limits<int>::max();
using vmfa_examples::kPrecisionFlag;
using vmfa_examples::kThreadsFlag;

/// Every command: its positionals, flags and help, from which usage, --help and parsing come.
inline const std::vector<Command> kCommands = {
    {"vmfa fit", "DATA.npy", 1, "Fits an MFA to DATA.npy (float32/float64, N x D) and saves it to MODEL.\n",
     {{"-o", 1, "MODEL", "where to save the model", true},
      {"--components", 1, "C", "number of components (required unless --resume)"},
      {"--latent", 1, "H", "latent dimension, 0 <= H < D (required unless --resume)"},
      {"--truncation", 1, "C'", "active components per point for v-MFA (default min(3, C))"},
      {"--neighbors", 1, "G", "neighbour-graph size for v-MFA (default min(15, C))"},
      {"--random", 1, "E", "random candidates per point and E-step (default 1)"},
      {"--graph-capacity", 1, "K", "candidates whose graph statistics an update keeps per component (default C - 1,\n"
                                   "exact, while C x (C - 1) x 16 bytes <= 64 MiB, else 4 x G; memory C x K x 16 bytes)"},
      {"--max-warmup", 1, "W", "at most W warm-up E-steps before the first M-step (default 20)"},
      {"--warmup-tol", 1, "EPS", "warm-up E-steps until |F_t/F_t-1 - 1| < EPS (default 1e-3)"},
      {"--chunk", 1, "N", "points per chunk of the v-MFA E-step (default 32 MiB of points: 32768 at\n"
                          "D = 256 in float, within [4096, 65536]; memory about chunk x (46 x 40 + D x 4) bytes per thread)"},
      {"--exact", 0, "", "exact EM (em-MFA) instead of v-MFA"},
      {"--init", 1, "METHOD", "seeding of the means: afkmc2 (default), kmeans++ or random"},
      {"--loading-init", 1, "KIND", "initial loadings: broad (default, sd U[0,1]), small (0.1 sd N(0,1)),\n"
                                    "uniform (U[0,1], the reference code's) or ppca (2 k-means steps, then each cluster's PPCA)"},
      {"--noise-init", 1, "SCALE", "initial noise = SCALE x the data variance (default 1; ppca uses the clusters')"},
      {"--variance-floor", 1, "F", "keep every noise variance >= F x its dimension's data variance (relative,\n"
                                   "0 < F < 1; default 1e-5)"},
      {"--min-noise", 1, "V", "keep every noise variance >= V (absolute, >= 0, with --variance-floor; default 0):\n"
                              "e.g. a known measurement noise, or scikit-learn's reg_covar for a like-for-like fit"},
      {"--seed", 1, "S", "random seed (default 5489); results do not depend on --threads"},
      kThreadsFlag,
      kPrecisionFlag,
      {"--max-iter", 1, "M", "maximum E+M iterations (default 200)"},
      {"--tol", 1, "EPS", "stop when |F_t/F_t-1 - 1| < EPS after a plain EM step (default 1e-4)"},
      {"--accelerate", 0, "", "--over-relaxation 4 --search-every 4 --search-turns off: a converged model\n"
                              "sooner, in another optimum than plain EM (docs/benchmarks.md)"},
      {"--search-every", 1, "K", "v-MFA: each point searches S(n) on every K-th E-step after the second (default 3;\n"
                                 "1: every E-step); on the others it evaluates only its C' active components"},
      {"--search-turns", 1, "on|off", "on (default): the points take turns, a 1/K share searching in each E-step;\n"
                                      "off: all points search on the same E-steps, every K-th"},
      {"--over-relaxation", 1, "ETA", "largest over-relaxed M-step, >= 1 (default 1: plain EM): each M-step moves\n"
                                      "the means and loadings up to ETA times as far as EM, growing while F rises"},
      {"--weights", 1, "W.npy", "per-point sample weights (N values >= 0)"},
      {"--checkpoint", 1, "FILE", "write the fit state to FILE every K iterations and on SIGINT/SIGTERM"},
      {"--checkpoint-every", 1, "K", "(default 10 when --checkpoint is given)"},
      {"--resume", 1, "FILE", "continue from a checkpoint (same data, options and seed)"},
      {"--quiet", 0, "", "no progress output"},
      {"--json", 0, "", "print a JSON summary to stdout at the end"}}},
    {"vmfa score", "MODEL DATA.npy", 2, "Prints the mean exact log-likelihood per point of DATA.npy.\n",
     {{"--per-point", 1, "OUT.npy", "also write all N log-likelihoods (float64)"},
      kThreadsFlag,
      {"--json", 0, "", "print the mean, N, BIC and AIC as JSON"}}},
    {"vmfa predict", "MODEL DATA.npy", 2, "Writes the most probable component of every point (int64) to LABELS.npy.\n",
     {{"-o", 1, "LABELS.npy", "where to write the labels", true},
      {"--proba-top", 2, "K FILE", "also write the K largest posteriors (N x K float64) to FILE and their\n"
                                   "components (int64) to FILE with '.npy' replaced by '_components.npy'"},
      kThreadsFlag}},
    {"vmfa sample", "MODEL", 1, "Draws N points from MODEL and writes them (N x D) to OUT.npy.\n",
     {{"-n", 1, "N", "number of points", true},
      {"--seed", 1, "S", "random seed (default 5489)"},
      {"-o", 1, "OUT.npy", "where to write the points", true}}},
    {"vmfa export", "MODEL DIR", 2,
     "Writes weights.npy (C), means.npy (C x D), loadings.npy (C x D x H) and noise.npy (C x D) to DIR,\n"
     "and for a model with an origin (every fitted one) origin.npy (D) and relative_means.npy (C x D).\n", {}},
    {"vmfa import", "DIR", 1, "Reads the files written by 'vmfa export' from DIR and saves them as a model file.\n",
     {{"-o", 1, "MODEL", "where to save the model", true},
      kPrecisionFlag,
      {"--shared-noise", 0, "", "mark the model as having one noise shared by all components"}}},
    {"vmfa info", "MODEL", 1, "Prints what a model file holds.\n", {{"--json", 0, "", "as JSON"}}},
};

inline const Command* findCommand(const std::string& name) {
  for (const Command& c : kCommands)
    if (c.program == "vmfa " + name) return &c;
  return nullptr;
}

inline std::uint64_t seedOf(const Args& a) {
  return a.has("--seed") ? static_cast<std::uint64_t>(toInt("--seed", a.get("--seed"), 0, std::numeric_limits<long long>::max()))
                         : 5489;
}

inline int precisionOf(const Args& a) {
  return vmfa_examples::toChoice("--precision", a.get("--precision", "float"), {"float", "double"}) == "float" ? 4 : 8;
}

}  // namespace vmfa_cli
