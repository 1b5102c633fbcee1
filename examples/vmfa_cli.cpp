// vmfa: the command-line tool. Fits, scores and samples mixtures of factor analysers stored in
// .npy files (N x D arrays, one point per row), with checkpoint and resume.
//
// Exit codes: 0 success, 1 runtime error (unreadable or invalid file, invalid data, numerical
// issue), 2 usage error (unknown flag, missing or malformed value), 130 interrupted by SIGINT or
// SIGTERM (after writing a checkpoint when --checkpoint was given).
#include <vmfa/vmfa.hpp>

#include <cctype>
#include <chrono>
#include <memory>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <limits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

volatile std::sig_atomic_t gInterrupted = 0;
void onSignal(int) { gInterrupted = 1; }

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const std::map<std::string, std::string> kUsage = {
    {"fit",
     "vmfa fit DATA.npy -o MODEL --components C --latent H [--truncation C'] [--neighbors G] [--random E]\n"
     "         [--max-warmup W] [--chunk N] [--exact] [--init afkmc2|kmeans++|random] [--seed S] [--threads T] [--precision float|double]\n"
     "         [--max-iter M] [--tol EPS] [--weights W.npy] [--checkpoint FILE --checkpoint-every K]\n"
     "         [--resume FILE] [--quiet] [--json]"},
    {"score", "vmfa score MODEL DATA.npy [--per-point OUT.npy] [--threads T] [--json]"},
    {"predict", "vmfa predict MODEL DATA.npy -o LABELS.npy [--proba-top K PROBA.npy] [--threads T]"},
    {"sample", "vmfa sample MODEL -n N [--seed S] -o OUT.npy"},
    {"export", "vmfa export MODEL DIR"},
    {"import", "vmfa import DIR -o MODEL [--precision float|double] [--shared-noise]"},
    {"info", "vmfa info MODEL [--json]"},
};

const std::map<std::string, std::string> kHelp = {
    {"fit",
     "Fits an MFA to DATA.npy (float32/float64, N x D) and saves it to MODEL.\n"
     "  --components C      number of components (required unless --resume)\n"
     "  --latent H          latent dimension, 0 <= H < D (required unless --resume)\n"
     "  --truncation C'     active components per point for v-MFA (default min(3, C))\n"
     "  --neighbors G       neighbour-graph size for v-MFA (default min(15, C))\n"
     "  --random E          random candidates per point and E-step (default 1)\n"
     "  --max-warmup W      at most W warm-up E-steps before the first M-step (default 20)\n"
     "  --chunk N           points per chunk of the v-MFA E-step (default 4096; larger batches more\n"
     "                      points per component when C is very large, at chunk x 46 x 24 bytes per thread)\n"
     "  --exact             exact EM (em-MFA) instead of v-MFA\n"
     "  --init METHOD       afkmc2 (default), kmeans++ or random\n"
     "  --seed S            random seed (default 5489); results do not depend on --threads\n"
     "  --threads T         OpenMP threads (default: all cores)\n"
     "  --precision P       float (default) or double\n"
     "  --max-iter M        maximum E+M iterations (default 200)\n"
     "  --tol EPS           stop when |F_t/F_t-1 - 1| < EPS (default 1e-4)\n"
     "  --weights W.npy     per-point sample weights (N values >= 0)\n"
     "  --checkpoint FILE   write the fit state to FILE every K iterations and on SIGINT/SIGTERM\n"
     "  --checkpoint-every K  (default 10 when --checkpoint is given)\n"
     "  --resume FILE       continue from a checkpoint (same data, options and seed)\n"
     "  --quiet             no progress output\n"
     "  --json              print a JSON summary to stdout at the end\n"},
    {"score", "Prints the mean exact log-likelihood per point of DATA.npy; --per-point writes all N values.\n"},
    {"predict",
     "Writes the most probable component of every point (int64) to LABELS.npy; --proba-top K FILE also\n"
     "writes the K largest posteriors (N x K float64) to FILE and their components (int64) to\n"
     "FILE with '.npy' replaced by '_components.npy'.\n"},
    {"sample", "Draws N points from MODEL and writes them (N x D) to OUT.npy.\n"},
    {"export", "Writes weights.npy (C), means.npy (C x D), loadings.npy (C x D x H) and noise.npy (C x D) to DIR.\n"},
    {"import", "Reads the files written by 'vmfa export' from DIR and saves them as a model file.\n"},
    {"info", "Prints what a model file holds.\n"},
};

/// Parsed command line of one subcommand: positionals and --flag values.
struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> flags;

  bool has(const std::string& f) const { return flags.count(f) > 0; }
  std::string get(const std::string& f, const std::string& fallback = "") const {
    auto it = flags.find(f);
    return it == flags.end() ? fallback : it->second.at(0);
  }
};

/// Parses argv[2...]: `spec` maps each allowed flag to its number of values.
Args parse(const std::string& command, int argc, char** argv, const std::map<std::string, int>& spec,
           std::size_t positionals) {
  Args a;
  a.command = command;
  for (int i = 2; i < argc; ++i) {
    const std::string s = argv[i];
    if (s.size() > 1 && s[0] == '-' && !(s.size() > 1 && (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.'))) {
      auto it = spec.find(s);
      if (it == spec.end()) throw UsageError("unknown option " + s);
      std::vector<std::string> values;
      for (int k = 0; k < it->second; ++k) {
        if (i + 1 >= argc) throw UsageError(s + " needs " + (it->second == 1 ? "a value" : std::to_string(it->second) + " values"));
        values.push_back(argv[++i]);
      }
      if (a.flags.count(s)) throw UsageError(s + " given twice");
      a.flags[s] = values;
    } else {
      a.positional.push_back(s);
    }
  }
  if (a.positional.size() != positionals)
    throw UsageError("expected " + std::to_string(positionals) + " argument" + (positionals == 1 ? "" : "s") + ", got " +
                     std::to_string(a.positional.size()));
  return a;
}

long long toInt(const std::string& flag, const std::string& v, long long lo, long long hi) {
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno != 0) throw UsageError(flag + " needs an integer, got '" + v + "'");
  if (x < lo || x > hi)
    throw UsageError(flag + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v);
  return x;
}

double toDouble(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || errno != 0 || !std::isfinite(x)) throw UsageError(flag + " needs a number, got '" + v + "'");
  return x;
}

std::string jsonEscape(const std::string& s) {
  std::string o;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') o += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", ch);
      o += buf;
    } else {
      o += ch;
    }
  }
  return o;
}

std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Scalar size stored in a model file (4 or 8), read from its header.
int modelPrecision(const std::string& path) {
  const vmfa::detail::MappedFile f(path, "vmfa");
  if (f.size() < 16 || std::memcmp(f.data(), "VMFAMDL", 8) != 0)
    throw vmfa::FileError("'" + path + "' is not a vmfa model file (bad magic or too short)");
  const auto s = vmfa::detail::getLE<std::uint32_t>(f.data() + 12);
  if (s != 4 && s != 8) throw vmfa::FileError("'" + path + "': scalar size " + std::to_string(s) + " is not 4 or 8");
  return static_cast<int>(s);
}

// ------------------------------------------------------------------------------------------------
// fit

/// A live progress bar with an ETA for long E-steps (stderr is a terminal). Redraws at most every
/// 0.2 s and only for E-steps that have run for more than a second.
struct ProgressBar {
  struct State {
    std::chrono::steady_clock::time_point start, last;
    vmfa::Index previous = 0;
  };
  std::shared_ptr<State> st = std::make_shared<State>();

  void operator()(vmfa::Index done, vmfa::Index total) const {
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
    std::fprintf(stderr, "\r  E-step [%.*s%*s] %3.0f%%  ETA %.0f s ", filled, "##############################",
                 width - filled, "", 100.0 * frac, elapsed * (1.0 - frac) / std::max(frac, 1e-9));
    std::fflush(stderr);
  }
};

template <typename ModelT>
int fitWith(const Args& a, ModelT& model, const Eigen::Ref<const vmfa::Matrix<typename ModelT::Scalar>>& X,
            const Eigen::VectorXd& weights) {
  using S = typename ModelT::Scalar;
  const bool quiet = a.has("--quiet"), json = a.has("--json");
  const std::string checkpointPath = a.get("--checkpoint");
  vmfa::Options& o = model.options();
  const bool tty = !quiet && ::isatty(2);
  if (tty) o.stepCallback = ProgressBar();
  o.callback = [quiet, tty](const vmfa::IterationStats& s) {
    if (!quiet) {
      if (tty) std::fputs("\r\033[K", stderr);  // clear the progress bar
      std::fprintf(stderr, "iter %4d%s  F %.8e  rel %.2e  evals %.3e  %.2f s\n", s.iteration, s.warmup ? " (warm-up)" : "",
                   s.freeEnergy, s.relativeChange, static_cast<double>(s.logJointEvaluations), s.seconds);
    }
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
  vmfa::saveModel(model, a.get("-o"));
  if (!quiet)
    std::fprintf(stderr, "%s after %d iterations, %.3f s; free energy %.8e; model saved to %s\n", vmfa::toString(r.status),
                 r.iterations, r.seconds, r.freeEnergy, a.get("-o").c_str());
  if (json) {
    std::string history;
    for (const auto& s : r.history)
      history += vmfa::detail::concat(history.empty() ? "" : ", ", "{\"iteration\": ", s.iteration,
                                      ", \"warmup\": ", s.warmup ? "true" : "false", ", \"free_energy\": ",
                                      num(s.freeEnergy), ", \"seconds\": ", num(s.seconds), ", \"estep_seconds\": ",
                                      num(s.estepSeconds), ", \"graph_seconds\": ", num(s.graphSeconds),
                                      ", \"mstep_seconds\": ", num(s.mstepSeconds), ", \"log_joint_evaluations\": ",
                                      s.logJointEvaluations, "}");
    std::printf(
        "{\"status\": \"%s\", \"iterations\": %d, \"free_energy\": %s, \"seconds\": %s, \"init_seconds\": %s, "
        "\"history\": [%s], \"log_joint_evaluations\": %llu, "
        "\"reseeded_components\": %lld, \"components\": %lld, \"dimension\": %lld, \"latent_dimension\": %lld, "
        "\"points\": %lld, \"precision\": \"%s\", \"algorithm\": \"%s\", \"model\": \"%s\"%s}\n",
        vmfa::toString(r.status), r.iterations, num(r.freeEnergy).c_str(), num(r.seconds).c_str(),
        num(r.initSeconds).c_str(), history.c_str(), static_cast<unsigned long long>(r.logJointEvaluations), static_cast<long long>(r.reseededComponents),
        static_cast<long long>(model.numComponents()), static_cast<long long>(model.dim()),
        static_cast<long long>(model.latentDim()), static_cast<long long>(X.cols()), sizeof(S) == 4 ? "float" : "double",
        a.has("--exact") ? "em-MFA" : "v-MFA", jsonEscape(a.get("-o")).c_str(),
        r.message.empty() ? "" : (", \"message\": \"" + jsonEscape(r.message) + "\"").c_str());
  }
  return r.status == vmfa::FitStatus::NumericalIssue ? 1 : 0;
}

template <typename S>
int fitTyped(const Args& a) {
  vmfa::Options o;
  const bool resume = a.has("--resume");
  if (!resume && (!a.has("--components") || !a.has("--latent"))) throw UsageError("--components and --latent are required");
  if (a.has("--components")) o.numComponents = toInt("--components", a.get("--components"), 1, 1LL << 31);
  if (a.has("--latent")) o.latentDim = toInt("--latent", a.get("--latent"), 0, 1LL << 31);
  if (a.has("--seed")) o.seed = static_cast<std::uint64_t>(toInt("--seed", a.get("--seed"), 0, std::numeric_limits<long long>::max()));
  if (a.has("--threads")) o.numThreads = static_cast<int>(toInt("--threads", a.get("--threads"), 1, 4096));
  if (a.has("--max-iter")) o.maxIterations = static_cast<int>(toInt("--max-iter", a.get("--max-iter"), 1, 1 << 30));
  if (a.has("--tol")) o.tolerance = toDouble("--tol", a.get("--tol"));
  if (a.has("--init")) {
    const std::string m = a.get("--init");
    if (m == "afkmc2") o.init = vmfa::Init::AfkMc2;
    else if (m == "kmeans++") o.init = vmfa::Init::KMeansPlusPlus;
    else if (m == "random") o.init = vmfa::Init::RandomPoints;
    else throw UsageError("--init must be afkmc2, kmeans++ or random, got '" + m + "'");
  }
  if (a.has("--checkpoint-every") && !a.has("--checkpoint")) throw UsageError("--checkpoint-every needs --checkpoint");
  if (!a.has("-o")) throw UsageError("-o MODEL is required");

  const vmfa::npy::Points<S> data(a.positional[0], "vmfa fit");
  Eigen::VectorXd weights;
  if (a.has("--weights")) weights = vmfa::npy::readVector(a.get("--weights"), "vmfa fit --weights");
  if (!a.has("--quiet"))
    std::fprintf(stderr, "%s: %lld points of dimension %lld (%s)\n", a.positional[0].c_str(),
                 static_cast<long long>(data.numPoints()), static_cast<long long>(data.dim()),
                 data.mapped() ? "memory-mapped" : "converted");
  if (a.has("--exact")) {
    if (a.has("--truncation") || a.has("--neighbors") || a.has("--random") || a.has("--max-warmup") || a.has("--chunk"))
      throw UsageError("--truncation, --neighbors, --random, --max-warmup and --chunk are v-MFA options; they do not "
                       "apply with --exact");
    vmfa::ExactModel<S> model(o);
    return fitWith(a, model, data.matrix(), weights);
  }
  typename vmfa::TruncatedEStep<S>::Options eo;
  vmfa::KlNeighborGraph::Options go;
  if (a.has("--truncation")) eo.activeComponents = toInt("--truncation", a.get("--truncation"), 1, 1LL << 31);
  if (a.has("--neighbors")) go.neighbors = toInt("--neighbors", a.get("--neighbors"), 1, 1LL << 31);
  if (a.has("--random")) eo.randomCandidates = toInt("--random", a.get("--random"), 0, 1 << 20);
  if (a.has("--max-warmup")) eo.maxWarmupIterations = static_cast<int>(toInt("--max-warmup", a.get("--max-warmup"), 0, 1 << 30));
  if (a.has("--chunk")) eo.chunkSize = toInt("--chunk", a.get("--chunk"), 1, 1LL << 31);
  vmfa::Model<S> model(o, vmfa::TruncatedEStep<S>(eo, go));
  return fitWith(a, model, data.matrix(), weights);
}

int cmdFit(int argc, char** argv) {
  const Args a = parse("fit", argc, argv,
                       {{"-o", 1}, {"--components", 1}, {"--latent", 1}, {"--truncation", 1}, {"--neighbors", 1},
                        {"--random", 1}, {"--max-warmup", 1}, {"--chunk", 1}, {"--exact", 0}, {"--init", 1}, {"--seed", 1}, {"--threads", 1},
                        {"--precision", 1}, {"--max-iter", 1}, {"--tol", 1}, {"--weights", 1}, {"--checkpoint", 1},
                        {"--checkpoint-every", 1}, {"--resume", 1}, {"--quiet", 0}, {"--json", 0}},
                       1);
  const std::string p = a.get("--precision", "float");
  if (p == "float") return fitTyped<float>(a);
  if (p == "double") return fitTyped<double>(a);
  throw UsageError("--precision must be float or double, got '" + p + "'");
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
int scoreTyped(const Args& a, int threads) {
  const auto m = loadTyped<S>(a.positional[0], threads);
  const auto data = loadData<S>(a.positional[1], m, "vmfa score");
  const Eigen::VectorXd ll = m.logLikelihood(data.matrix());
  if (a.has("--per-point")) vmfa::npy::write<double>(a.get("--per-point"), ll.data(), {ll.size()}, "vmfa score");
  if (a.has("--json"))
    std::printf("{\"mean_log_likelihood\": %s, \"points\": %lld, \"bic\": %s, \"aic\": %s}\n", num(ll.mean()).c_str(),
                static_cast<long long>(ll.size()),
                num(-2 * ll.sum() + m.numFreeParameters() * std::log(static_cast<double>(ll.size()))).c_str(),
                num(-2 * ll.sum() + 2 * m.numFreeParameters()).c_str());
  else
    std::printf("%.10g\n", ll.mean());
  return 0;
}

template <typename S>
int predictTyped(const Args& a, int threads) {
  const auto m = loadTyped<S>(a.positional[0], threads);
  const auto data = loadData<S>(a.positional[1], m, "vmfa predict");
  const Eigen::VectorXi labels = m.predict(data.matrix());
  const std::vector<std::int64_t> out(labels.data(), labels.data() + labels.size());
  vmfa::npy::write<std::int64_t>(a.get("-o"), out.data(), {labels.size()}, "vmfa predict");
  if (a.has("--proba-top")) {
    const auto& v = a.flags.at("--proba-top");
    const vmfa::Index k = toInt("--proba-top", v[0], 1, m.numComponents());
    const auto top = m.topResponsibilities(data.matrix(), k);
    const Eigen::MatrixXd prob = top.prob.template cast<double>();  // K x N column-major = N x K C-order
    std::vector<std::int64_t> comps(top.index.data(), top.index.data() + top.index.size());
    vmfa::npy::write<double>(v[1], prob.data(), {prob.cols(), prob.rows()}, "vmfa predict");
    std::string cpath = v[1];
    if (cpath.size() > 4 && cpath.compare(cpath.size() - 4, 4, ".npy") == 0) cpath.resize(cpath.size() - 4);
    vmfa::npy::write<std::int64_t>(cpath + "_components.npy", comps.data(), {prob.cols(), prob.rows()}, "vmfa predict");
  }
  return 0;
}

template <typename S>
int sampleTyped(const Args& a) {
  const auto m = loadTyped<S>(a.positional[0], 0);
  const auto n = toInt("-n", a.get("-n"), 0, 1LL << 40);
  const std::uint64_t seed = a.has("--seed") ? static_cast<std::uint64_t>(toInt("--seed", a.get("--seed"), 0, std::numeric_limits<long long>::max())) : 5489;
  vmfa::npy::writePoints(a.get("-o"), m.sample(n, seed).points);
  return 0;
}

template <typename S>
int importTyped(const Args& a) {
  vmfa::Model<S> m;
  m.setParameters(vmfa::importParameters<S>(a.positional[0]));
  m.options().sharedNoise = a.has("--shared-noise");
  vmfa::saveModel(m, a.get("-o"));
  return 0;
}

int cmdInfo(const Args& a) {
  const vmfa::detail::MappedFile f(a.positional[0], "vmfa info");
  vmfa::ModelFileInfo info;
  const auto p = vmfa::decodeModel<double>(f.data(), f.size(), "vmfa info: '" + a.positional[0] + "'", &info);
  const double k = p.numFreeParameters(info.sharedNoise);
  const double stored = static_cast<double>(p.numComponents()) * (1.0 + static_cast<double>(p.dim()) * (p.latentDim + 2.0));
  if (a.has("--json")) {
    std::printf("{\"format_version\": %u, \"precision\": \"%s\", \"components\": %lld, \"dimension\": %lld, "
                "\"latent_dimension\": %lld, \"shared_noise\": %s, \"stored_values\": %.0f, \"free_parameters\": %.0f, "
                "\"bytes\": %zu}\n",
                info.version, info.scalarBytes == 4 ? "float" : "double", static_cast<long long>(p.numComponents()),
                static_cast<long long>(p.dim()), static_cast<long long>(p.latentDim), info.sharedNoise ? "true" : "false",
                stored, k, f.size());
  } else {
    std::printf("vmfa model file, format version %u, %s\n", info.version, info.scalarBytes == 4 ? "float" : "double");
    std::printf("components C = %lld, dimension D = %lld, latent dimension H = %lld, %s noise\n",
                static_cast<long long>(p.numComponents()), static_cast<long long>(p.dim()),
                static_cast<long long>(p.latentDim), info.sharedNoise ? "shared" : "per-component");
    std::printf("%.0f stored values, %.0f free parameters, %zu bytes\n", stored, k, f.size());
  }
  return 0;
}

int run(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::printf("vmfa %s: mixtures of factor analysers by sublinear variational EM\nusage:\n", vmfa::version());
    for (const auto& u : kUsage) std::printf("  %s\n", u.second.c_str());
    std::printf("'vmfa COMMAND --help' describes a command. Exit codes: 0 ok, 1 runtime error, 2 usage error,\n"
                "130 interrupted.\n");
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  if (cmd == "--version") {
    std::printf("vmfa %s\n", vmfa::version());
    return 0;
  }
  if (!kUsage.count(cmd)) throw UsageError("unknown command '" + cmd + "'");
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::printf("usage: %s\n%s", kUsage.at(cmd).c_str(), kHelp.at(cmd).c_str());
      return 0;
    }
  if (cmd == "fit") return cmdFit(argc, argv);
  if (cmd == "score" || cmd == "predict") {
    const Args a = cmd == "score" ? parse(cmd, argc, argv, {{"--per-point", 1}, {"--threads", 1}, {"--json", 0}}, 2)
                                  : parse(cmd, argc, argv, {{"-o", 1}, {"--proba-top", 2}, {"--threads", 1}}, 2);
    if (cmd == "predict" && !a.has("-o")) throw UsageError("-o LABELS.npy is required");
    const int threads = a.has("--threads") ? static_cast<int>(toInt("--threads", a.get("--threads"), 1, 4096)) : 0;
    const bool single = modelPrecision(a.positional[0]) == 4;
    if (cmd == "score") return single ? scoreTyped<float>(a, threads) : scoreTyped<double>(a, threads);
    return single ? predictTyped<float>(a, threads) : predictTyped<double>(a, threads);
  }
  if (cmd == "sample") {
    const Args a = parse(cmd, argc, argv, {{"-n", 1}, {"--seed", 1}, {"-o", 1}}, 1);
    if (!a.has("-n") || !a.has("-o")) throw UsageError("-n N and -o OUT.npy are required");
    return modelPrecision(a.positional[0]) == 4 ? sampleTyped<float>(a) : sampleTyped<double>(a);
  }
  if (cmd == "export") {
    const Args a = parse(cmd, argc, argv, {}, 2);
    ::mkdir(a.positional[1].c_str(), 0755);
    if (modelPrecision(a.positional[0]) == 4) vmfa::exportParameters(loadTyped<float>(a.positional[0], 0).parameters(), a.positional[1]);
    else vmfa::exportParameters(loadTyped<double>(a.positional[0], 0).parameters(), a.positional[1]);
    return 0;
  }
  if (cmd == "import") {
    const Args a = parse(cmd, argc, argv, {{"-o", 1}, {"--precision", 1}, {"--shared-noise", 0}}, 1);
    if (!a.has("-o")) throw UsageError("-o MODEL is required");
    const std::string p = a.get("--precision", "float");
    if (p != "float" && p != "double") throw UsageError("--precision must be float or double, got '" + p + "'");
    return p == "float" ? importTyped<float>(a) : importTyped<double>(a);
  }
  return cmdInfo(parse(cmd, argc, argv, {{"--json", 0}}, 1));
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "vmfa %s: %s\nusage: %s\n", cmd.c_str(), e.what(),
                 kUsage.count(cmd) ? kUsage.at(cmd).c_str() : "vmfa COMMAND ... (vmfa --help lists the commands)");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmfa %s: %s\n", cmd.c_str(), e.what());
    return 1;
  }
}
