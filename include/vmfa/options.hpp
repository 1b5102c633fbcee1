/// \file options.hpp
/// \brief The options of a fit, the per-iteration statistics and the result of a fit.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace vmfa {

using Index = Eigen::Index;

/// Value of a size option that the library chooses from the problem (documented per option).
constexpr Index kAutomatic = -1;

/// \brief How the component means are seeded before the first iteration.
enum class Init {
  AfkMc2,          ///< AFK-MC² (Bachem et al. 2016): k-means++-like seeding in O(m C² D), independent of N.
  KMeansPlusPlus,  ///< exact k-means++ (Arthur & Vassilvitskii 2007): O(N C D).
  RandomPoints,    ///< C distinct data points drawn uniformly (weighted by the sample weights).
};

/// \brief How the loadings Λ_c (and, for Ppca, the noise) are initialised after the means are seeded.
/// σ_d² is the data's variance in dimension d. `benchmarks/init_heldout.sh` compares them by held-out
/// log-likelihood (docs/benchmarks.md, "Choosing the initialisation").
enum class LoadingInit {
  Small,    ///< entries 0.1·σ_d·N(0, 1): nearly diagonal components
  Broad,    ///< entries σ_d·U[0, 1]: every factor spans the data's spread in all dimensions at once
  Uniform,  ///< entries U[0, 1], not scaled to the data (the reference implementation's init)
  Ppca,     ///< two k-means steps from the seeds, then each cluster's probabilistic PCA (Λ and ψ);
            ///< the assignments are exact, O(N·C·D) per step
};

/// \brief Why a fit ended.
enum class FitStatus {
  Converged,          ///< the relative change of the objective fell below `Options::tolerance`
  IterationLimit,     ///< `Options::maxIterations` E+M iterations ran without convergence
  /// The progress callback returned false, or `Options::interrupt` returned true. The parameters
  /// are those after the last complete iteration (its M-step included); `FitResult::freeEnergy`
  /// and `Model::fittedResponsibilities()` come from that iteration's E-step, i.e. they belong to
  /// the parameters *before* its M-step (as in every EM loop: F is known only after the next E-step).
  StoppedByCallback,
  /// The free energy of an E-step was not finite. The parameters are those that E-step evaluated
  /// (the output of the previous M-step, or the initial ones): no further M-step ran, but they are
  /// not a "last good" state. `history` keeps every finite iteration before; a checkpoint of an
  /// earlier iteration (`Model::setCheckpointHandler`) is the way back to one.
  NumericalIssue,
};

/// Name of a status, e.g. "converged".
inline const char* toString(FitStatus s) {
  switch (s) {
    case FitStatus::Converged: return "converged";
    case FitStatus::IterationLimit: return "iteration limit";
    case FitStatus::StoppedByCallback: return "stopped by callback";
    case FitStatus::NumericalIssue: return "numerical issue";
  }
  return "unknown";
}

/// Name of an initialisation method, e.g. "afkmc2".
inline const char* toString(Init i) {
  switch (i) {
    case Init::AfkMc2: return "afkmc2";
    case Init::KMeansPlusPlus: return "kmeans++";
    case Init::RandomPoints: return "random";
  }
  return "unknown";
}

/// Name of a loading initialisation, e.g. "broad".
inline const char* toString(LoadingInit l) {
  switch (l) {
    case LoadingInit::Small: return "small";
    case LoadingInit::Broad: return "broad";
    case LoadingInit::Uniform: return "uniform";
    case LoadingInit::Ppca: return "ppca";
  }
  return "unknown";
}

/// The names of the seedings (`toString(Init)`), the default first: what the CLI's --init,
/// Python's init= and the benchmarks accept.
inline const std::vector<std::string>& initNames() {
  static const std::vector<std::string> names{"afkmc2", "kmeans++", "random"};
  return names;
}

/// The names of the loading initialisations (`toString(LoadingInit)`), the default first.
inline const std::vector<std::string>& loadingInitNames() {
  static const std::vector<std::string> names{"broad", "small", "uniform", "ppca"};
  return names;
}

/// Sets `out` to the seeding named `name` (`initNames`); false, `out` unchanged, when none is.
inline bool fromString(const std::string& name, Init& out) {
  for (Init i : {Init::AfkMc2, Init::KMeansPlusPlus, Init::RandomPoints})
    if (name == toString(i)) return out = i, true;
  return false;
}

/// Sets `out` to the loading initialisation named `name` (`loadingInitNames`); false when none is.
inline bool fromString(const std::string& name, LoadingInit& out) {
  for (LoadingInit l : {LoadingInit::Small, LoadingInit::Broad, LoadingInit::Uniform, LoadingInit::Ppca})
    if (name == toString(l)) return out = l, true;
  return false;
}

/// \brief Statistics of one iteration, passed to the progress callback and kept in `FitResult`.
struct IterationStats {
  int iteration = 0;            ///< 0-based count over warm-up and E+M iterations together
  bool warmup = false;          ///< true for an E-step without M-step (truncated E-steps only)
  double freeEnergy = 0.0;      ///< objective per unit of sample weight (the log-likelihood for exact EM)
  double relativeChange = 0.0;  ///< |F_t / F_{t-1} - 1|; +inf on the first iteration
  double seconds = 0.0;         ///< wall time of the whole iteration
  double estepSeconds = 0.0;    ///< wall time of the E-step (log-joints, selection, posteriors)
  double graphSeconds = 0.0;    ///< wall time of the neighbour-graph update
  double mstepSeconds = 0.0;    ///< wall time of the M-step and of the per-component precomputation
  std::uint64_t logJointEvaluations = 0;  ///< number of (point, component) log-joints evaluated
  double meanSearchSize = 0.0;  ///< logJointEvaluations / N
  Index componentsInUse = 0;    ///< components that are the best of at least one point
  Index reseededComponents = 0; ///< degenerate components re-seeded by this iteration's M-step
  /// Over-relaxation η of this iteration's M-step (`Options::overRelaxation`): 1 for a plain EM
  /// step, for a warm-up E-step and for the last iteration, which has no M-step.
  double stepSize = 1.0;
};

/// \brief The outcome of `Model::fit`.
struct FitResult {
  FitStatus status = FitStatus::IterationLimit;
  int iterations = 0;          ///< number of entries in `history`
  double freeEnergy = 0.0;     ///< final objective per unit of sample weight
  double seconds = 0.0;        ///< wall time of the fit, initialisation included
  double initSeconds = 0.0;    ///< wall time of the initialisation
  std::uint64_t logJointEvaluations = 0;  ///< summed over all iterations (initialisation excluded)
  Index reseededComponents = 0;           ///< summed over all iterations
  /// Noise variances ψ_cd at their lower bound (`varianceFloor`, `minimumNoise`) in the final
  /// parameters, of C·D: many of them say the floor, not the data, sets the model's noise.
  Index noiseAtFloor = 0;
  std::string message;                    ///< human-readable detail for NumericalIssue
  std::vector<IterationStats> history;

  bool converged() const { return status == FitStatus::Converged; }
};

/// Called after every iteration; return false to stop the fit (status `StoppedByCallback`).
using ProgressCallback = std::function<bool(const IterationStats&)>;

/// Polled during a fit, possibly from several threads at once; returns true to stop the fit as
/// soon as possible (e.g. it reads a flag that a signal handler sets). Must be cheap and thread-safe.
using InterruptCheck = std::function<bool()>;

/// Called during an E-step with (points done, total points), from one thread at a time: for
/// progress bars inside long E-steps. Must be cheap; it runs on a worker thread.
using StepProgressCallback = std::function<void(Index done, Index total)>;

/// \brief Options that shape a model and its fit. Every field has a documented default.
///
/// Policy-specific options (the truncation C', the graph size G, ...) live in the nested `Options`
/// of each policy class.
// The implicit copies and moves of Options copy the deprecated field without a warning; a
// program that names it gets one.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
struct Options {
  /// Number of mixture components C (>= 1, <= number of data points).
  Index numComponents = 8;
  /// Latent dimension H of each factor analyser (0 <= H < D). 0 gives a diagonal GMM.
  Index latentDim = 4;
  /// One diagonal noise Ψ shared by all components instead of one per component.
  bool sharedNoise = false;
  /// Seeding of the component means.
  Init init = Init::AfkMc2;
  /// Markov-chain length m of AFK-MC² (>= 1). Larger is closer to k-means++ and slower (O(m C² D)).
  int afkmc2ChainLength = 10;
  /// From this number of components on (>= 1; 0: never), AFK-MC² seeds through a tree
  /// (`detail::treeSeeds`): 64 pivots split the points by nearest pivot, each cell gets seeds in
  /// proportion to its potential and is split again, and cells with at most 64 seeds run exact
  /// AFK-MC². O(N·64·D·depth + m·64·C·D) instead of O(m·C²·D). Below it the seeding is exact AFK-MC².
  Index seedingTreeFrom = 4096;
  /// The former name of `seedingTreeFrom`; when set (>= 0) it is used in its place.
  [[deprecated("renamed Options::seedingTreeFrom")]] Index afkmc2IndexFrom = -1;
  /// Initial loadings (and noise, for Ppca): see `LoadingInit`. Broad has the best held-out
  /// log-likelihood at the same fit time (docs/benchmarks.md, "Choosing the initialisation").
  LoadingInit loadingInit = LoadingInit::Broad;
  /// Initial noise ψ_cd = noiseInitScale·σ_d² (> 0; floored like every noise variance). Ppca sets ψ
  /// from each cluster's residual variance instead.
  double noiseInitScale = 1.0;
  /// Seed of every random draw of the fit. The same seed gives the same model for any thread count.
  std::uint64_t seed = 5489;
  /// Maximum number of E+M iterations (>= 1).
  int maxIterations = 200;
  /// Convergence: stop when |F_t / F_{t-1} - 1| < tolerance (>= 0; 0 runs to maxIterations) after
  /// a plain EM step (see `overRelaxation`).
  double tolerance = 1e-4;
  /// Warm-up: E-steps with the initial parameters fixed (at most the E-step policy's
  /// `maxWarmupIterations`) until the relative change of F falls below this; negative:
  /// `tolerance`. They settle K(n) and the graph before the first M-step. The default ends them
  /// at 1e-3, about half as many as at `tolerance`, with an equal or higher held-out likelihood on
  /// the image-patch benchmarks (docs/benchmarks.md, "Time to a converged model").
  double warmupTolerance = 1e-3;
  /// How often a point searches (v-MFA's truncated E-step): after the second M-step, each point
  /// builds and evaluates its search space S(n) on every `searchEvery`-th E-step (>= 1; 1: every
  /// E-step); on the others it evaluates only its C' active components K(n), exactly, so the free
  /// energy still never decreases. Late in a fit few points change their active sets, and such a
  /// point costs C' log-joints instead of up to C'·G + E. `searchInTurns` says which points search
  /// when. The fit converges only on an E-step in which every point searched. docs/benchmarks.md,
  /// "Time to a converged model", says where each schedule gains and loses.
  int searchEvery = 3;
  /// With `searchEvery` > 1: whether the points take turns (the default), the point of global
  /// index i searching on the E-steps t with (t + i) mod searchEvery = 0, so that every E-step
  /// searches a 1/searchEvery share of the points and updates the graph from them, and every point
  /// searches in the E-step after one that changed F by less than the tolerance; or whether all
  /// points search on the same E-steps, every `searchEvery`-th M-step and after every plain step of
  /// an over-relaxed fit, the E-steps between leaving the graph as it is (`accelerate`). The turns
  /// follow global indices: the same for any thread and process count.
  bool searchInTurns = true;
  /// Largest over-relaxation η of an M-step (>= 1; 1: plain EM). Adaptive over-relaxed EM
  /// (Salakhutdinov & Roweis 2003): each M-step moves the means and loadings η times as far as EM
  /// would, θ_before + η (θ_EM − θ_before) (the noise and the weights take EM's step); η starts at 1,
  /// grows by 1.5 after every M-step that raised the free energy, and falls back to 1 after one
  /// that lowered it. The free energy may therefore fall once after an extrapolated step (the
  /// next step is plain EM); the fit converges only on a plain step. Models whose parameters
  /// take more than 2³⁰ bytes (the copy the step needs) fit with plain EM. The extrapolation
  /// applies to whatever the M-step policy computes. Off by default (1; 4 with `accelerate`).
  double overRelaxation = 1.0;
  /// Lower bound of every noise variance ψ_cd, relative to the data variance of dimension d
  /// (> 0, < 1). Guards against components collapsing onto a subspace. The default is the floor
  /// with the best held-out likelihood over image patches, whole images and synthetic data
  /// (`benchmarks/noise_floor.py`, docs/benchmarks.md): higher floors fit components with few
  /// points more smoothly but hold every quiet dimension's noise above its own.
  double varianceFloor = 1e-5;
  /// Absolute lower bound of every noise variance ψ_cd (>= 0, finite), applied together with
  /// `varianceFloor`. Set it to the known measurement-noise variance (e.g. σ² when denoising):
  /// then Σ_c − σ²I stays positive semi-definite and the clean-signal model is well defined.
  double minimumNoise = 0.0;
  /// Start `fit` from the model's current parameters (from `setParameters` or a previous fit)
  /// instead of a fresh initialisation; their C, D and H must match the options and the data.
  bool warmStart = false;
  /// Threads of the OpenMP loops (0 = OpenMP's default, usually one per core; more than 4 per
  /// processor are capped at that). Results do not depend on it.
  int numThreads = 0;
  /// Points per block of the batched log-joint kernel (>= 1). 256 suits D up to a few hundred.
  Index blockSize = 256;
  /// Called after every iteration (may be empty).
  ProgressCallback callback;
  /// Called inside E-steps as blocks of points complete (may be empty).
  StepProgressCallback stepCallback;
  /// Polled between chunks of points in the E-step, between blocks of points (`blockSize`) in the
  /// M-step's sums, and between seeds and blocks of points in the initialisation (may be empty).
  /// When it returns true the fit stops within one chunk or block per thread (one seed of the
  /// seeding) with `FitStatus::StoppedByCallback`; the unfinished iteration is discarded (its
  /// E-step, the graph update and a started M-step alike; a model whose parameters take more
  /// than 2³⁰ bytes completes a started M-step first, rather than keep a copy to undo it from),
  /// so the model (and the checkpoint handed
  /// to the checkpoint handler) hold the state after the last complete iteration, and resuming
  /// from it repeats the fit bit for bit. Stopped during the initialisation, the fit returns after
  /// 0 iterations and leaves the model as it was.
  InterruptCheck interrupt;
};
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace detail {
/// `Options::seedingTreeFrom`, or the deprecated `afkmc2IndexFrom` where a program set it.
inline Index seedingTreeFrom(const Options& o) {
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
  return o.afkmc2IndexFrom >= 0 ? o.afkmc2IndexFrom : o.seedingTreeFrom;
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
}
}  // namespace detail

/// \brief The options of a fit as "name = value" lines, values exact (doubles to 17 digits):
/// what the processes of a distributed fit compare before they start. Policies describe their
/// own options into it (`describe(OptionList&) const`, see policies.hpp).
class OptionList {
 public:
  template <typename T>
  OptionList& add(const std::string& name, const T& value) {
    std::ostringstream os;
    os.precision(17);
    if constexpr (std::is_enum<T>::value) os << static_cast<long long>(value);
    else if constexpr (std::is_same<T, bool>::value) os << (value ? "true" : "false");
    else os << value;
    text_ += prefix_ + name + " = " + os.str() + '\n';
    return *this;
  }
  /// Names added from now on start with `prefix` (e.g. "estep.").
  OptionList& prefix(std::string prefix) {
    prefix_ = std::move(prefix);
    return *this;
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_, prefix_;
};

/// Sets the accelerations of a fit: over-relaxed M-steps up to η = 4, all points searching
/// together on every 4th E-step, and a warm-up to a relative change of 1e-3 (the default's)
/// (`vmfa fit --accelerate`). They reach a
/// converged model sooner, but in another optimum than plain EM: on image patches mostly a better
/// one, on synthetic clusters a worse one (docs/benchmarks.md, "Time to a converged model").
/// The step sizes follow comparisons of free energies: the same seed gives the same model for any
/// thread count, and in double for any number of MPI processes (to rounding). In float, another
/// number of processes (or zero-weight copies of points) changes the free energies at float
/// rounding, which those comparisons can turn into another path. Returns `o`.
inline Options& accelerate(Options& o) {
  o.overRelaxation = 4.0;
  o.searchEvery = 4;
  o.searchInTurns = false;
  o.warmupTolerance = 1e-3;
  return o;
}

/// Every field of `o` that shapes the model (not the callbacks and not `numThreads`: results do
/// not depend on them).
inline void describe(const Options& o, OptionList& out) {
  out.add("numComponents", o.numComponents).add("latentDim", o.latentDim).add("sharedNoise", o.sharedNoise);
  out.add("init", o.init).add("afkmc2ChainLength", o.afkmc2ChainLength).add("seedingTreeFrom", detail::seedingTreeFrom(o));
  out.add("loadingInit", o.loadingInit).add("noiseInitScale", o.noiseInitScale).add("seed", o.seed);
  out.add("maxIterations", o.maxIterations).add("tolerance", o.tolerance).add("varianceFloor", o.varianceFloor);
  out.add("minimumNoise", o.minimumNoise).add("warmStart", o.warmStart).add("blockSize", o.blockSize);
  out.add("warmupTolerance", o.warmupTolerance).add("searchEvery", o.searchEvery).add("overRelaxation", o.overRelaxation);
  out.add("searchInTurns", o.searchInTurns);
}

}  // namespace vmfa
