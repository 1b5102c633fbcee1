// vmfa: the command-line tool. Fits, scores and samples mixtures of factor analysers stored in
// .npy files (N x D arrays, one point per row), with checkpoint and resume.
//
// Exit codes: 0 success, 1 runtime error (unreadable or invalid file, invalid data, numerical
// issue, a non-finite result), 2 usage error (unknown flag, missing or malformed value, an output
// path that is not a regular file or is given twice), 130 interrupted by SIGINT or SIGTERM (after
// writing a checkpoint when --checkpoint was given; a second signal ends the process at once).
//
// Outputs are written atomically and all or none: a failed command leaves every output as it was.
//
// Built with VMFA_WITH_MPI this is `vmfa-mpi` (`mpirun -np P vmfa-mpi fit DATA.npy ...`): the same
// `fit` over P processes, each reading its own row range of the memory-mapped DATA.npy. Process 0
// prints the progress and writes the model; with --checkpoint PATH process r writes PATH.rank<r>
// (the parameters and its points' active sets), and --resume PATH reads them back (same P).
#include "args.hpp"

#include <vmfa/vmfa.hpp>
#ifdef VMFA_WITH_MPI
#include <vmfa/mpi.hpp>
#endif

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <limits>
#include <new>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using vmfa_examples::Args;
using vmfa_examples::Command;
using vmfa_examples::Json;
using vmfa::Index;
using vmfa_examples::checkOutputs;
using vmfa_examples::threadsOf;
using vmfa_examples::toInt;
using vmfa_examples::UsageError;

#ifdef VMFA_WITH_MPI
int processRank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int processCount() {
  int p = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &p);
  return p;
}
/// This process's file for a checkpoint PATH: PATH.rank<r>.
std::string processPath(const std::string& path) { return path.empty() ? path : path + ".rank" + std::to_string(processRank()); }
#else
int processRank() { return 0; }
int processCount() { return 1; }
std::string processPath(const std::string& path) { return path; }
#endif

volatile std::sig_atomic_t gInterrupted = 0;
void onSignal(int) { gInterrupted = 1; }

/// SIGINT and SIGTERM ask a fit to stop (within one chunk of points; a checkpoint is written when
/// --checkpoint is given); the handler is reset, so a second signal ends the process at once.
/// SIGXFSZ is ignored so that a file-size limit makes a write fail with a message instead.
void installSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

/// Throws unless every value is finite: a non-finite result is an error, never a printed nan.
void requireFinite(const Eigen::Ref<const Eigen::VectorXd>& values, const char* what, const char* precision) {
  for (Eigen::Index n = 0; n < values.size(); ++n)
    if (!std::isfinite(values(n)))
      throw std::runtime_error(vmfa::detail::concat("the ", what, " of point ", n, " is ", values(n),
                                                    ": the data or the model exceed the range of the model's precision (",
                                                    precision, ")"));
}

const long long kMaxInt = std::numeric_limits<int>::max();
using vmfa_examples::kPrecisionFlag;
using vmfa_examples::kThreadsFlag;

/// Every command: its positionals, flags and help, from which usage, --help and parsing come.
const std::vector<Command> kCommands = {
    {"vmfa fit", "DATA.npy", 1, "Fits an MFA to DATA.npy (float32/float64, N x D) and saves it to MODEL.\n",
     {{"-o", 1, "MODEL", "where to save the model", true},
      {"--components", 1, "C", "number of components (required unless --resume)"},
      {"--latent", 1, "H", "latent dimension, 0 <= H < D (required unless --resume)"},
      {"--truncation", 1, "C'", "active components per point for v-MFA (default min(3, C))"},
      {"--neighbors", 1, "G", "neighbour-graph size for v-MFA (default min(15, C))"},
      {"--random", 1, "E", "random candidates per point and E-step (default 1)"},
      {"--graph-capacity", 1, "K", "candidates whose graph statistics an update keeps per component (default 4 x G;\n"
                                   "memory C x K x 16 bytes)"},
      {"--max-warmup", 1, "W", "at most W warm-up E-steps before the first M-step (default 20)"},
      {"--chunk", 1, "N", "points per chunk of the v-MFA E-step (default 32 MiB of points: 32768 at\n"
                          "D = 256 in float, within [4096, 65536]; memory about chunk x (46 x 40 + D x 4) bytes per thread)"},
      {"--exact", 0, "", "exact EM (em-MFA) instead of v-MFA"},
      {"--init", 1, "METHOD", "seeding of the means: afkmc2 (default), kmeans++ or random"},
      {"--loading-init", 1, "KIND", "initial loadings: broad (default, sd U[0,1]), small (0.1 sd N(0,1)),\n"
                                    "uniform (U[0,1], the reference code's) or ppca (2 k-means steps, then each cluster's PPCA)"},
      {"--noise-init", 1, "SCALE", "initial noise = SCALE x the data variance (default 1; ppca uses the clusters')"},
      {"--seed", 1, "S", "random seed (default 5489); results do not depend on --threads"},
      kThreadsFlag,
      kPrecisionFlag,
      {"--max-iter", 1, "M", "maximum E+M iterations (default 200)"},
      {"--tol", 1, "EPS", "stop when |F_t/F_t-1 - 1| < EPS (default 1e-4)"},
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

const Command* findCommand(const std::string& name) {
  for (const Command& c : kCommands)
    if (c.program == "vmfa " + name) return &c;
  return nullptr;
}

std::uint64_t seedOf(const Args& a) {
  return a.has("--seed") ? static_cast<std::uint64_t>(toInt("--seed", a.get("--seed"), 0, std::numeric_limits<long long>::max()))
                         : 5489;
}

int precisionOf(const Args& a) {
  return vmfa_examples::toChoice("--precision", a.get("--precision", "float"), {"float", "double"}) == "float" ? 4 : 8;
}

// ------------------------------------------------------------------------------------------------
// fit

template <typename ModelT>
int fitWith(const Args& a, ModelT& model, const Eigen::Ref<const vmfa::Matrix<typename ModelT::Scalar>>& X,
            const Eigen::VectorXd& weights) {
  using S = typename ModelT::Scalar;
  const bool lead = processRank() == 0;  // the process that prints and writes the model
  const bool quiet = a.has("--quiet") || !lead;
  const std::string checkpointPath = processPath(a.get("--checkpoint")), out = a.get("-o");
#ifdef VMFA_WITH_MPI
  const auto communicator = vmfa::mpi::distribute(model, MPI_COMM_WORLD);
  const vmfa::Collective& all = *communicator;
#else
  const vmfa::Collective& all = vmfa::Collective::single();
#endif
  // every exchange goes through `all`, so that an error on one process reaches the others
  const long long totalPoints = all.sum(static_cast<std::int64_t>(X.cols()));
  vmfa::Options& o = model.options();
  const bool tty = !quiet && ::isatty(2);
  if (tty) o.stepCallback = vmfa::progressBar(stderr);
  o.callback = [quiet, tty](const vmfa::IterationStats& s) {
    if (!quiet) std::fprintf(stderr, "%s%s\n", tty ? "\r\033[K" : "", vmfa::formatIteration(s).c_str());
    return gInterrupted == 0;
  };
  o.interrupt = [] { return gInterrupted != 0; };
  if (!checkpointPath.empty()) {
    const int every = static_cast<int>(toInt("--checkpoint-every", a.get("--checkpoint-every", "10"), 0, 1 << 30));
    model.setCheckpointHandler(every, [checkpointPath, quiet](const vmfa::FitCheckpoint<S>& cp) {
      vmfa::saveCheckpoint(cp, checkpointPath);
      if (!quiet) std::fprintf(stderr, "checkpoint written to %s (next iteration %d)\n", checkpointPath.c_str(), cp.nextIteration);
    });
  }
  vmfa::FitResult r;
  if (a.has("--resume")) {
    const std::string resumePath = processPath(a.get("--resume"));
    const auto cp = vmfa::loadCheckpoint<S>(resumePath);
    // every process's file must be from the same iteration (Model::resume also compares the rest)
    const auto iterations = all.gatherValue(cp.nextIteration);
    const auto [lowest, highest] = std::minmax_element(iterations.begin(), iterations.end());
    if (*lowest != *highest)
      throw vmfa::Agreed<std::runtime_error>("the checkpoint files " + a.get("--resume") + ".rank* are from different iterations (" +
                                             std::to_string(*lowest) + " to " + std::to_string(*highest) +
                                             "): a fit stopped while they were written; resume from an earlier set");
    if (!quiet) std::fprintf(stderr, "resuming %s at iteration %d\n", resumePath.c_str(), cp.nextIteration);
    r = weights.size() ? model.resume(X, weights, cp) : model.resume(X, cp);
  } else {
    r = weights.size() ? model.fit(X, weights) : model.fit(X);
  }
  const bool interrupted = all.any(gInterrupted != 0);  // the fit stopped everywhere if any process was signalled
  if (r.status == vmfa::FitStatus::StoppedByCallback && interrupted) {
    if (!lead) return 130;
    if (tty) std::fprintf(stderr, "\r\033[K");
    if (!model.isFitted() || r.iterations == 0)
      std::fprintf(stderr, "vmfa fit: interrupted during the initialisation; nothing was saved\n");
    else
      std::fprintf(stderr, "vmfa fit: interrupted after %d complete iterations%s\n", r.iterations,
                   checkpointPath.empty() ? " (no --checkpoint given: the fit is lost)" : "; continue with --resume");
    return 130;
  }
  // a fit that ended in a numerical issue holds parameters that cannot be loaded: -o keeps what it
  // held (the last --checkpoint, if any, holds the last good state)
  const bool saved = r.status != vmfa::FitStatus::NumericalIssue;
  if (!saved) {
    if (lead)
      std::fprintf(stderr, "vmfa fit: numerical issue: %s; the model was not saved ('%s' is left as it was)\n",
                   r.message.c_str(), out.c_str());
  } else if (lead) {
    vmfa::saveModel(model, out);
  }
  if (!quiet && saved)
    std::fprintf(stderr, "%s after %d iterations, %.3f s; free energy %.8e; model saved to %s\n", vmfa::toString(r.status),
                 r.iterations, r.seconds, r.freeEnergy, out.c_str());
  if (a.has("--json") && lead) {
    std::string history;
    for (const auto& s : r.history)
      history += (history.empty() ? "" : ", ") +
                 Json()
                     .add("iteration", static_cast<long long>(s.iteration))
                     .add("warmup", s.warmup)
                     .add("free_energy", s.freeEnergy)
                     .add("seconds", s.seconds)
                     .add("estep_seconds", s.estepSeconds)
                     .add("graph_seconds", s.graphSeconds)
                     .add("mstep_seconds", s.mstepSeconds)
                     .add("log_joint_evaluations", static_cast<unsigned long long>(s.logJointEvaluations))
                     .str();
    Json j;
    j.add("status", vmfa::toString(r.status)).add("iterations", static_cast<long long>(r.iterations));
    j.add("free_energy", r.freeEnergy).add("seconds", r.seconds).add("init_seconds", r.initSeconds);
    j.raw("history", "[" + history + "]").add("log_joint_evaluations", static_cast<unsigned long long>(r.logJointEvaluations));
    j.add("reseeded_components", static_cast<long long>(r.reseededComponents));
    j.add("components", static_cast<long long>(model.numComponents())).add("dimension", static_cast<long long>(model.dim()));
    j.add("latent_dimension", static_cast<long long>(model.latentDim())).add("points", totalPoints);
#ifdef VMFA_WITH_MPI
    j.add("processes", static_cast<long long>(processCount()));
    j.add("bytes_sent_by_process_0", static_cast<unsigned long long>(communicator->bytesSent()));
#endif
    j.add("precision", sizeof(S) == 4 ? "float" : "double").add("algorithm", a.has("--exact") ? "em-MFA" : "v-MFA");
    if (saved) j.add("model", out);
    else j.raw("model", "null");
    if (!r.message.empty()) j.add("message", r.message);
    std::printf("%s\n", j.str().c_str());
  }
  return saved ? 0 : 1;
}

template <typename S>
int fitTyped(const Args& a) {
  vmfa::Options o;
  if (!a.has("--resume") && (!a.has("--components") || !a.has("--latent")))
    throw UsageError("--components and --latent are required");
  if (a.has("--components")) o.numComponents = toInt("--components", a.get("--components"), 1, 1LL << 31);
  if (a.has("--latent")) o.latentDim = toInt("--latent", a.get("--latent"), 0, 1LL << 31);
  o.seed = seedOf(a);
  o.numThreads = threadsOf(a);
  if (a.has("--max-iter")) o.maxIterations = static_cast<int>(toInt("--max-iter", a.get("--max-iter"), 1, 1 << 30));
  if (a.has("--tol")) o.tolerance = vmfa_examples::toDouble("--tol", a.get("--tol"));
  const std::string init = vmfa_examples::toChoice("--init", a.get("--init", "afkmc2"), {"afkmc2", "kmeans++", "random"});
  o.init = init == "afkmc2" ? vmfa::Init::AfkMc2 : init == "kmeans++" ? vmfa::Init::KMeansPlusPlus : vmfa::Init::RandomPoints;
  const std::string loading =
      vmfa_examples::toChoice("--loading-init", a.get("--loading-init", "broad"), {"broad", "small", "uniform", "ppca"});
  o.loadingInit = loading == "small"     ? vmfa::LoadingInit::Small
                  : loading == "broad"   ? vmfa::LoadingInit::Broad
                  : loading == "uniform" ? vmfa::LoadingInit::Uniform
                                         : vmfa::LoadingInit::Ppca;
  if (a.has("--noise-init")) o.noiseInitScale = vmfa_examples::toDouble("--noise-init", a.get("--noise-init"));
  if (a.has("--checkpoint-every") && !a.has("--checkpoint")) throw UsageError("--checkpoint-every needs --checkpoint");
  std::vector<std::pair<std::string, std::string>> outputs = {{"-o", a.get("-o")}};
  if (a.has("--checkpoint")) outputs.emplace_back("--checkpoint", a.get("--checkpoint"));
  checkOutputs(outputs);

  // this process's rows: [N·r/P, N·(r+1)/P) (all of them in one process); a memory-mapped file is
  // read only where they lie, a converted one converts only them
  const Index P = processCount(), rank = processRank();
  const vmfa::npy::Points<S> data(a.positional[0], "vmfa fit", rank, P);
  Eigen::VectorXd weights;
  if (a.has("--weights")) weights = vmfa::npy::readVector(a.get("--weights"), "--weights");
  const Index N = data.totalPoints(), first = data.firstRow(), count = data.numPoints();
  if (weights.size() && weights.size() != N)
    throw std::invalid_argument("vmfa fit: got " + std::to_string(weights.size()) + " sample weights for " +
                                std::to_string(N) + " points");
  if (weights.size()) weights = Eigen::VectorXd(weights.segment(first, count));
  if (!a.has("--quiet") && rank == 0)
    std::fprintf(stderr, "%s: %lld points of dimension %lld (%s)%s\n", a.positional[0].c_str(),
                 static_cast<long long>(N), static_cast<long long>(data.dim()),
                 data.mapped() ? "memory-mapped" : "converted",
                 P > 1 ? (", " + std::to_string(P) + " processes of about " + std::to_string(N / P) + " points").c_str() : "");
  const auto shard = data.matrix();
  if (a.has("--exact")) {
    for (const char* f : {"--truncation", "--neighbors", "--random", "--graph-capacity", "--max-warmup", "--chunk"})
      if (a.has(f)) throw UsageError(std::string(f) + " is a v-MFA option; it does not apply with --exact");
    vmfa::ExactModel<S> model(o);
    return fitWith(a, model, shard, weights);
  }
  typename vmfa::TruncatedEStep<S>::Options eo;
  vmfa::KlNeighborGraph::Options go;
  if (a.has("--truncation")) eo.activeComponents = toInt("--truncation", a.get("--truncation"), 1, 1LL << 31);
  if (a.has("--neighbors")) go.neighbors = toInt("--neighbors", a.get("--neighbors"), 1, 1LL << 31);
  if (a.has("--graph-capacity"))
    go.statisticsCapacity = toInt("--graph-capacity", a.get("--graph-capacity"), 1, 1LL << 30);
  if (a.has("--random")) eo.randomCandidates = toInt("--random", a.get("--random"), 0, 1 << 20);
  if (a.has("--components") && eo.randomCandidates > o.numComponents)
    throw UsageError("--random " + a.get("--random") + " exceeds --components " + a.get("--components") +
                     " (random candidates are drawn among the components)");
  if (a.has("--max-warmup")) eo.maxWarmupIterations = static_cast<int>(toInt("--max-warmup", a.get("--max-warmup"), 0, kMaxInt));
  if (a.has("--chunk")) eo.chunkSize = toInt("--chunk", a.get("--chunk"), 1, 1LL << 31);
  vmfa::Model<S> model(o, vmfa::TruncatedEStep<S>(eo, go));
  return fitWith(a, model, shard, weights);
}

// ------------------------------------------------------------------------------------------------
// score, predict, sample, export, import, info

template <typename S>
vmfa::Model<S> loadTyped(const std::string& path, int threads) {
  vmfa::Options o;
  o.numThreads = threads;
  vmfa::Model<S> m(o);
  vmfa::loadModel(m, path);
  return m;
}

template <typename S>
vmfa::npy::Points<S> loadData(const std::string& path, const vmfa::Model<S>& m, const char* where) {
  vmfa::npy::Points<S> data(path, where);
  if (data.dim() != m.dim())
    throw vmfa::InvalidArgument(std::string(where) + ": '" + path + "' has points of dimension " + std::to_string(data.dim()) +
                                " but the model has dimension " + std::to_string(m.dim()));
  return data;
}

const char* precisionName(int bytes) { return bytes == 4 ? "float" : "double"; }

template <typename S>
int score(const Args& a) {
  if (a.has("--per-point")) checkOutputs({{"--per-point", a.get("--per-point")}});
  const auto m = loadTyped<S>(a.positional[0], threadsOf(a));
  const auto data = loadData<S>(a.positional[1], m, "vmfa score");
  const Eigen::VectorXd ll = m.logLikelihood(data.matrix());
  requireFinite(ll, "log-likelihood", precisionName(sizeof(S)));
  if (a.has("--per-point")) vmfa::npy::write<double>(a.get("--per-point"), ll.data(), {ll.size()}, "vmfa score");
  if (a.has("--json"))
    std::printf("%s\n", Json()
                            .add("mean_log_likelihood", ll.mean())
                            .add("points", static_cast<long long>(ll.size()))
                            .add("bic", vmfa::bic(ll.sum(), ll.size(), m.numFreeParameters()))
                            .add("aic", vmfa::aic(ll.sum(), m.numFreeParameters()))
                            .str()
                            .c_str());
  else
    std::printf("%.10g\n", ll.mean());
  return 0;
}

/// FILE of --proba-top with '.npy' replaced by '_components.npy'.
std::string componentsPath(std::string proba) {
  if (proba.size() > 4 && proba.compare(proba.size() - 4, 4, ".npy") == 0) proba.resize(proba.size() - 4);
  return proba + "_components.npy";
}

template <typename S>
int predict(const Args& a) {
  std::vector<std::pair<std::string, std::string>> outputs = {{"-o", a.get("-o")}};
  const bool proba = a.has("--proba-top");
  if (proba) {
    const auto& v = a.flags.at("--proba-top");
    outputs.emplace_back("--proba-top", v[1]);
    outputs.emplace_back("--proba-top (components)", componentsPath(v[1]));
  }
  checkOutputs(outputs);
  const auto m = loadTyped<S>(a.positional[0], threadsOf(a));
  const auto data = loadData<S>(a.positional[1], m, "vmfa predict");
  const Index k = proba ? toInt("--proba-top", a.flags.at("--proba-top")[0], 1, m.numComponents()) : 1;
  // one pass: the labels are the first of the k most probable components
  const auto top = m.topResponsibilities(data.matrix(), k);
  const Eigen::MatrixXd prob = top.prob.template cast<double>();  // k x N column-major = N x k C-order
  requireFinite(prob.row(0).transpose(), "largest posterior", precisionName(sizeof(S)));
  std::vector<std::int64_t> labels(static_cast<std::size_t>(top.index.cols()));
  for (Index n = 0; n < top.index.cols(); ++n) labels[static_cast<std::size_t>(n)] = top.index(0, n);
  vmfa::detail::OutputFiles files("vmfa predict");
  files.add(a.get("-o"), vmfa::npy::encode<std::int64_t>(labels.data(), {top.index.cols()}));
  if (proba) {
    const std::vector<std::int64_t> comps(top.index.data(), top.index.data() + top.index.size());
    files.add(outputs[1].second, vmfa::npy::encode<double>(prob.data(), {prob.cols(), prob.rows()}));
    files.add(outputs[2].second, vmfa::npy::encode<std::int64_t>(comps.data(), {prob.cols(), prob.rows()}));
  }
  files.commit();
  return 0;
}

int info(const Args& a) {
  const vmfa::Model<double> m = loadTyped<double>(a.positional[0], 0);  // checks the whole file
  const vmfa::ModelFileInfo f = vmfa::readModelFileInfo(a.positional[0]);
  const double stored = static_cast<double>(m.numComponents()) * (1.0 + static_cast<double>(m.dim()) * (m.latentDim() + 2.0));
  struct stat st {};
  ::stat(a.positional[0].c_str(), &st);
  const char* precision = f.scalarBytes == 4 ? "float" : "double";
  if (a.has("--json")) {
    Json j;
    j.add("format_version", static_cast<long long>(f.version)).add("precision", precision);
    j.add("components", static_cast<long long>(f.numComponents)).add("dimension", static_cast<long long>(f.dim));
    j.add("latent_dimension", static_cast<long long>(f.latentDim)).add("shared_noise", f.sharedNoise);
    j.add("stored_values", stored).add("free_parameters", m.numFreeParameters()).add("bytes", static_cast<long long>(st.st_size));
    std::printf("%s\n", j.str().c_str());
  } else {
    std::printf("vmfa model file, format version %u, %s\n", f.version, precision);
    std::printf("components C = %lld, dimension D = %lld, latent dimension H = %lld, %s noise\n",
                static_cast<long long>(f.numComponents), static_cast<long long>(f.dim), static_cast<long long>(f.latentDim),
                f.sharedNoise ? "shared" : "per-component");
    std::printf("%.0f stored values, %.0f free parameters, %lld bytes\n", stored, m.numFreeParameters(),
                static_cast<long long>(st.st_size));
  }
  return 0;
}

/// Runs one command on its parsed arguments.
int dispatch(const std::string& name, const Args& a) {
  using vmfa_examples::withPrecision;
  auto fileBytes = [&] { return vmfa::readModelFileInfo(a.positional[0]).scalarBytes; };
  if (name == "fit") return withPrecision(precisionOf(a), [&](auto s) { return fitTyped<decltype(s)>(a); });
  if (name == "score") return withPrecision(fileBytes(), [&](auto s) { return score<decltype(s)>(a); });
  if (name == "predict") return withPrecision(fileBytes(), [&](auto s) { return predict<decltype(s)>(a); });
  if (name == "sample")
    return withPrecision(fileBytes(), [&](auto s) {
      checkOutputs({{"-o", a.get("-o")}});
      const long long n = toInt("-n", a.get("-n"), 0, 1LL << 40);
      const auto m = loadTyped<decltype(s)>(a.positional[0], 0);
      const double bytes = static_cast<double>(n) * static_cast<double>(m.dim()) * sizeof(decltype(s));
      const double memory = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
      if (bytes > memory) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "-n %lld points of dimension %lld need %.3g GB, more than this machine's memory (%.3g GB)",
                      n, static_cast<long long>(m.dim()), bytes / 1e9, memory / 1e9);
        throw std::runtime_error(msg);
      }
      vmfa::npy::writePoints(a.get("-o"), m.sample(n, seedOf(a)).points);
      return 0;
    });
  if (name == "export")
    return withPrecision(fileBytes(), [&](auto s) {
      const std::string dir = a.positional[1];
      struct stat st {};
      if (::stat(dir.c_str(), &st) == 0 ? !S_ISDIR(st.st_mode) : ::mkdir(dir.c_str(), 0755) != 0)
        throw UsageError("DIR '" + dir + "' is not a folder and cannot be created");
      std::vector<std::pair<std::string, std::string>> outputs;
      for (const char* f : {"weights.npy", "means.npy", "loadings.npy", "noise.npy"}) outputs.emplace_back("DIR", dir + "/" + f);
      checkOutputs(outputs);
      vmfa::exportParameters(loadTyped<decltype(s)>(a.positional[0], 0).parameters(), dir);
      return 0;
    });
  if (name == "import")
    return withPrecision(precisionOf(a), [&](auto s) {
      checkOutputs({{"-o", a.get("-o")}});
      vmfa::Model<decltype(s)> m;
      m.setParameters(vmfa::importParameters<decltype(s)>(a.positional[0]));
      m.options().sharedNoise = a.has("--shared-noise");
      vmfa::saveModel(m, a.get("-o"));
      return 0;
    });
  return info(a);
}

int run(int argc, char** argv) {
  const std::string first = argc > 1 ? argv[1] : "";
  if (argc < 2 || first == "--help" || first == "-h") {
    std::printf("vmfa %s: mixtures of factor analysers by sublinear variational EM\nusage:\n", vmfa::version());
    for (const Command& c : kCommands) std::printf("  %s\n", c.synopsis().c_str());
    std::printf("'vmfa COMMAND --help' describes a command. Exit codes: 0 ok, 1 runtime error, 2 usage error,\n"
                "130 interrupted.\n");
    return argc < 2 ? 2 : 0;
  }
  if (first == "--version") {
    std::printf("vmfa %s\n", vmfa::version());
    return 0;
  }
  const Command* cmd = findCommand(first);
  if (!cmd) throw UsageError("unknown command '" + first + "'");
#ifdef VMFA_WITH_MPI
  if (first != "fit") throw UsageError("vmfa-mpi runs 'fit' only; the other commands are vmfa's ('vmfa " + first + "')");
#endif
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::printf("%s", cmd->help().c_str());
      return 0;
    }
  return dispatch(first, vmfa_examples::parse(*cmd, argc, argv, 2));
}

}  // namespace

int runMain(int argc, char** argv, const vmfa::Collective& all);

int main(int argc, char** argv) {
#ifdef VMFA_WITH_MPI
  MPI_Init(&argc, &argv);
  int code = 1;
  {
    const vmfa::mpi::Communicator world(MPI_COMM_WORLD);
    code = runMain(argc, argv, world);
  }
  MPI_Finalize();
  return code;
#else
  return runMain(argc, argv, vmfa::Collective::single());
#endif
}

/// Runs the command; every failure, on any process, ends every process with a non-zero exit code.
/// In a distributed run an error agreed by all (`vmfa::Collective::agree`) is reported once, by
/// process 0, and every process exits with the failing process's code: a process that fails alone
/// joins the others at their next exchange (or at the final agreement below), so none waits for it.
int runMain(int argc, char** argv, const vmfa::Collective& all) {
  installSignalHandlers();
  const std::string name = argc > 1 ? argv[1] : "";
  int code = 1;
  std::string message;
  try {
    try {
      code = run(argc, argv);
      all.agree();  // a process that failed after the last exchange
      return code;
    } catch (const UsageError&) {
      code = 2;
      throw;
    } catch (const std::bad_alloc& e) {
      if (std::string(e.what()) == "std::bad_alloc") throw vmfa::OutOfMemory("out of memory");
      throw;
    }
  } catch (...) {
    try {
      all.agree(std::current_exception());  // the same error on every process (rethrown as it is in one)
    } catch (const std::bad_alloc& e) {
      message = std::string(e.what()) + " (the input or the requested output is larger than this machine can hold)";
    } catch (const std::exception& e) {
      message = e.what();
    }
  }
  const auto codes = all.gatherValue(code);  // every process is here: the error was agreed
  code = static_cast<int>(*std::max_element(codes.begin(), codes.end()));
  if (all.rank() == 0) {
    // "vmfa NAME: message", without repeating the prefix when the message already starts with it
    const std::string prefix = "vmfa " + name + ": ";
    std::fprintf(stderr, "%s%s\n", message.rfind(prefix, 0) == 0 ? "" : prefix.c_str(), message.c_str());
    const Command* cmd = findCommand(name);
    if (code == 2)
      std::fprintf(stderr, "usage: %s\n", cmd ? cmd->synopsis().c_str() : "vmfa COMMAND ... (vmfa --help lists the commands)");
  }
  return code;
}
