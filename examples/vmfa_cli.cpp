// vmfa: the command-line tool. Fits, scores and samples mixtures of factor analysers stored in
// .npy files (N x D arrays, one point per row), with checkpoint and resume.
//
// Exit codes: 0 success, 1 runtime error (unreadable or invalid file, invalid data, numerical
// issue), 2 usage error (unknown flag, missing or malformed value), 130 interrupted by SIGINT or
// SIGTERM (after writing a checkpoint when --checkpoint was given).
#include "args.hpp"

#include <vmfa/vmfa.hpp>

#include <csignal>
#include <cstdio>
#include <limits>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using vmfa_examples::Args;
using vmfa_examples::Command;
using vmfa_examples::Json;
using vmfa_examples::toInt;
using vmfa_examples::UsageError;

volatile std::sig_atomic_t gInterrupted = 0;
void onSignal(int) { gInterrupted = 1; }

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
      {"--max-warmup", 1, "W", "at most W warm-up E-steps before the first M-step (default 20)"},
      {"--chunk", 1, "N", "points per chunk of the v-MFA E-step (default 4096; larger batches more\n"
                          "points per component when C is very large, at about chunk x 46 x 24 bytes per thread)"},
      {"--exact", 0, "", "exact EM (em-MFA) instead of v-MFA"},
      {"--init", 1, "METHOD", "afkmc2 (default), kmeans++ or random"},
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
     "Writes weights.npy (C), means.npy (C x D), loadings.npy (C x D x H) and noise.npy (C x D) to DIR.\n", {}},
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

int threadsOf(const Args& a) { return a.has("--threads") ? static_cast<int>(toInt("--threads", a.get("--threads"), 1, 4096)) : 0; }

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
  const bool quiet = a.has("--quiet");
  const std::string checkpointPath = a.get("--checkpoint"), out = a.get("-o");
  vmfa::Options& o = model.options();
  const bool tty = !quiet && ::isatty(2);
  if (tty) o.stepCallback = vmfa::progressBar(stderr);
  o.callback = [quiet, tty](const vmfa::IterationStats& s) {
    if (!quiet) std::fprintf(stderr, "%s%s\n", tty ? "\r\033[K" : "", vmfa::formatIteration(s).c_str());
    return gInterrupted == 0;
  };
  if (!checkpointPath.empty()) {
    const int every = static_cast<int>(toInt("--checkpoint-every", a.get("--checkpoint-every", "10"), 0, 1 << 30));
    model.setCheckpointHandler(every, [checkpointPath, quiet](const vmfa::FitCheckpoint<S>& cp) {
      vmfa::saveCheckpoint(cp, checkpointPath);
      if (!quiet) std::fprintf(stderr, "checkpoint written to %s (next iteration %d)\n", checkpointPath.c_str(), cp.nextIteration);
    });
  }
  vmfa::FitResult r;
  if (a.has("--resume")) {
    const auto cp = vmfa::loadCheckpoint<S>(a.get("--resume"));
    if (!quiet) std::fprintf(stderr, "resuming %s at iteration %d\n", a.get("--resume").c_str(), cp.nextIteration);
    r = weights.size() ? model.resume(X, weights, cp) : model.resume(X, cp);
  } else {
    r = weights.size() ? model.fit(X, weights) : model.fit(X);
  }
  if (r.status == vmfa::FitStatus::StoppedByCallback && gInterrupted) {
    std::fprintf(stderr, "vmfa fit: interrupted at iteration %d%s\n", r.iterations,
                 checkpointPath.empty() ? " (no --checkpoint given: the fit is lost)" : "; resume with --resume");
    return 130;
  }
  vmfa::saveModel(model, out);
  if (!quiet)
    std::fprintf(stderr, "%s after %d iterations, %.3f s; free energy %.8e; model saved to %s\n", vmfa::toString(r.status),
                 r.iterations, r.seconds, r.freeEnergy, out.c_str());
  if (a.has("--json")) {
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
    j.add("latent_dimension", static_cast<long long>(model.latentDim())).add("points", static_cast<long long>(X.cols()));
    j.add("precision", sizeof(S) == 4 ? "float" : "double").add("algorithm", a.has("--exact") ? "em-MFA" : "v-MFA");
    j.add("model", out);
    if (!r.message.empty()) j.add("message", r.message);
    std::printf("%s\n", j.str().c_str());
  }
  return r.status == vmfa::FitStatus::NumericalIssue ? 1 : 0;
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
  if (a.has("--checkpoint-every") && !a.has("--checkpoint")) throw UsageError("--checkpoint-every needs --checkpoint");

  const vmfa::npy::Points<S> data(a.positional[0], "vmfa fit");
  Eigen::VectorXd weights;
  if (a.has("--weights")) weights = vmfa::npy::readVector(a.get("--weights"), "vmfa fit --weights");
  if (!a.has("--quiet"))
    std::fprintf(stderr, "%s: %lld points of dimension %lld (%s)\n", a.positional[0].c_str(),
                 static_cast<long long>(data.numPoints()), static_cast<long long>(data.dim()),
                 data.mapped() ? "memory-mapped" : "converted");
  if (a.has("--exact")) {
    for (const char* f : {"--truncation", "--neighbors", "--random", "--max-warmup", "--chunk"})
      if (a.has(f)) throw UsageError(std::string(f) + " is a v-MFA option; it does not apply with --exact");
    vmfa::ExactModel<S> model(o);
    return fitWith(a, model, data.matrix(), weights);
  }
  typename vmfa::TruncatedEStep<S>::Options eo;
  vmfa::KlNeighborGraph::Options go;
  if (a.has("--truncation")) eo.activeComponents = toInt("--truncation", a.get("--truncation"), 1, 1LL << 31);
  if (a.has("--neighbors")) go.neighbors = toInt("--neighbors", a.get("--neighbors"), 1, 1LL << 31);
  if (a.has("--random")) eo.randomCandidates = toInt("--random", a.get("--random"), 0, 1 << 20);
  if (a.has("--max-warmup")) eo.maxWarmupIterations = static_cast<int>(toInt("--max-warmup", a.get("--max-warmup"), 0, kMaxInt));
  if (a.has("--chunk")) eo.chunkSize = toInt("--chunk", a.get("--chunk"), 1, 1LL << 31);
  vmfa::Model<S> model(o, vmfa::TruncatedEStep<S>(eo, go));
  return fitWith(a, model, data.matrix(), weights);
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

template <typename S>
int score(const Args& a) {
  const auto m = loadTyped<S>(a.positional[0], threadsOf(a));
  const auto data = loadData<S>(a.positional[1], m, "vmfa score");
  const Eigen::VectorXd ll = m.logLikelihood(data.matrix());
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

template <typename S>
int predict(const Args& a) {
  const auto m = loadTyped<S>(a.positional[0], threadsOf(a));
  const auto data = loadData<S>(a.positional[1], m, "vmfa predict");
  const Eigen::VectorXi labels = m.predict(data.matrix());
  const std::vector<std::int64_t> out(labels.data(), labels.data() + labels.size());
  vmfa::npy::write<std::int64_t>(a.get("-o"), out.data(), {labels.size()}, "vmfa predict");
  if (a.has("--proba-top")) {
    const auto& v = a.flags.at("--proba-top");
    const auto top = m.topResponsibilities(data.matrix(), toInt("--proba-top", v[0], 1, m.numComponents()));
    const Eigen::MatrixXd prob = top.prob.template cast<double>();  // K x N column-major = N x K C-order
    const std::vector<std::int64_t> comps(top.index.data(), top.index.data() + top.index.size());
    vmfa::npy::write<double>(v[1], prob.data(), {prob.cols(), prob.rows()}, "vmfa predict");
    std::string cpath = v[1];
    if (cpath.size() > 4 && cpath.compare(cpath.size() - 4, 4, ".npy") == 0) cpath.resize(cpath.size() - 4);
    vmfa::npy::write<std::int64_t>(cpath + "_components.npy", comps.data(), {prob.cols(), prob.rows()}, "vmfa predict");
  }
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
      const auto m = loadTyped<decltype(s)>(a.positional[0], 0);
      vmfa::npy::writePoints(a.get("-o"), m.sample(toInt("-n", a.get("-n"), 0, 1LL << 40), seedOf(a)).points);
      return 0;
    });
  if (name == "export")
    return withPrecision(fileBytes(), [&](auto s) {
      ::mkdir(a.positional[1].c_str(), 0755);
      vmfa::exportParameters(loadTyped<decltype(s)>(a.positional[0], 0).parameters(), a.positional[1]);
      return 0;
    });
  if (name == "import")
    return withPrecision(precisionOf(a), [&](auto s) {
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
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::printf("%s", cmd->help().c_str());
      return 0;
    }
  return dispatch(first, vmfa_examples::parse(*cmd, argc, argv, 2));
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  const std::string name = argc > 1 ? argv[1] : "";
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    const Command* cmd = findCommand(name);
    std::fprintf(stderr, "vmfa %s: %s\nusage: %s\n", name.c_str(), e.what(),
                 cmd ? cmd->synopsis().c_str() : "vmfa COMMAND ... (vmfa --help lists the commands)");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmfa %s: %s\n", name.c_str(), e.what());
    return 1;
  }
}
