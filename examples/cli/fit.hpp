// vmfa fit: one code path for one process and for the processes of vmfa-mpi.
#pragma once

#include "common.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

namespace vmfa_cli {

template <typename ModelT>
int fitWith(const Args& a, const Processes& procs, ModelT& model, const Eigen::Ref<const vmfa::Matrix<typename ModelT::Scalar>>& X,
            const Eigen::VectorXd& weights) {
  using S = typename ModelT::Scalar;
  const bool lead = procs.rank() == 0;  // the process that prints and writes the model
  const bool quiet = a.has("--quiet") || !lead;
  const std::string checkpointPath = procs.path(a.get("--checkpoint")), out = a.get("-o");
  const auto bytesSent = procs.distribute(model);
  const vmfa::Collective& all = model.collective();  // counts what these exchanges send too
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
    const std::string resumePath = procs.path(a.get("--resume"));
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
  if (!quiet && saved) {
    std::fprintf(stderr, "%s after %d iterations, %.3f s; free energy %.8e; model saved to %s\n", vmfa::toString(r.status),
                 r.iterations, r.seconds, r.freeEnergy, out.c_str());
    const long long total = static_cast<long long>(model.numComponents() * model.dim());
    std::fprintf(stderr, "noise variances at their floor: %lld of %lld (%.1f%%)\n", static_cast<long long>(r.noiseAtFloor),
                 total, 100.0 * static_cast<double>(r.noiseAtFloor) / static_cast<double>(total));
  }
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
                     .add("step_size", s.stepSize)
                     .add("log_joint_evaluations", static_cast<unsigned long long>(s.logJointEvaluations))
                     .str();
    Json j;
    j.add("status", vmfa::toString(r.status)).add("iterations", static_cast<long long>(r.iterations));
    j.add("free_energy", r.freeEnergy).add("seconds", r.seconds).add("init_seconds", r.initSeconds);
    j.raw("history", "[" + history + "]").add("log_joint_evaluations", static_cast<unsigned long long>(r.logJointEvaluations));
    j.add("reseeded_components", static_cast<long long>(r.reseededComponents));
    j.add("noise_at_floor", static_cast<long long>(r.noiseAtFloor));
    j.add("components", static_cast<long long>(model.numComponents())).add("dimension", static_cast<long long>(model.dim()));
    j.add("latent_dimension", static_cast<long long>(model.latentDim())).add("points", totalPoints);
    if (procs.mpi) {
      j.add("processes", static_cast<long long>(procs.size()));
      j.add("bytes_sent_by_process_0", static_cast<unsigned long long>(bytesSent ? bytesSent() : 0));
    }
    j.add("precision", sizeof(S) == 4 ? "float" : "double").add("algorithm", a.has("--exact") ? "em-MFA" : "v-MFA");
    if (saved) j.add("model", out);
    else j.raw("model", "null");
    if (!r.message.empty()) j.add("message", r.message);
    std::printf("%s\n", j.str().c_str());
  }
  return saved ? 0 : 1;
}

template <typename S>
int fitTyped(const Args& a, const Processes& procs) {
  vmfa::Options o;
  if (!a.has("--resume") && (!a.has("--components") || !a.has("--latent")))
    throw UsageError("--components and --latent are required");
  if (a.has("--components")) o.numComponents = toInt("--components", a.get("--components"), 1, 1LL << 31);
  if (a.has("--latent")) o.latentDim = toInt("--latent", a.get("--latent"), 0, 1LL << 31);
  o.seed = seedOf(a);
  o.numThreads = threadsOf(a);
  if (a.has("--max-iter")) o.maxIterations = static_cast<int>(toInt("--max-iter", a.get("--max-iter"), 1, 1 << 30));
  if (a.has("--tol")) o.tolerance = vmfa_examples::toDouble("--tol", a.get("--tol"));
  vmfa::fromString(vmfa_examples::toChoice("--init", a.get("--init", "afkmc2"), vmfa::initNames()), o.init);
  vmfa::fromString(vmfa_examples::toChoice("--loading-init", a.get("--loading-init", "broad"), vmfa::loadingInitNames()),
                   o.loadingInit);
  if (a.has("--noise-init")) o.noiseInitScale = vmfa_examples::toDouble("--noise-init", a.get("--noise-init"));
  if (a.has("--variance-floor")) {
    o.varianceFloor = vmfa_examples::toDouble("--variance-floor", a.get("--variance-floor"));
    if (!(o.varianceFloor > 0.0 && o.varianceFloor < 1.0))
      throw UsageError("--variance-floor must be in (0, 1), got " + a.get("--variance-floor"));
  }
  if (a.has("--min-noise")) {
    o.minimumNoise = vmfa_examples::toDouble("--min-noise", a.get("--min-noise"));
    if (!(o.minimumNoise >= 0.0 && std::isfinite(o.minimumNoise)))
      throw UsageError("--min-noise must be finite and >= 0, got " + a.get("--min-noise"));
  }
  if (a.has("--accelerate")) vmfa::accelerate(o);  // the flags below override its settings
  if (a.has("--warmup-tol")) {
    o.warmupTolerance = vmfa_examples::toDouble("--warmup-tol", a.get("--warmup-tol"));
    if (!(o.warmupTolerance >= 0.0 && std::isfinite(o.warmupTolerance)))
      throw UsageError("--warmup-tol must be finite and >= 0, got " + a.get("--warmup-tol"));
  }
  if (a.has("--search-every"))
    o.searchEvery = static_cast<int>(toInt("--search-every", a.get("--search-every"), 1, 1 << 30));
  if (a.has("--search-turns")) {
    const std::string v = a.get("--search-turns");
    if (v != "on" && v != "off") throw UsageError("--search-turns must be on or off, got " + v);
    o.searchInTurns = v == "on";
  }
  if (a.has("--over-relaxation")) {
    o.overRelaxation = vmfa_examples::toDouble("--over-relaxation", a.get("--over-relaxation"));
    if (!(o.overRelaxation >= 1.0 && o.overRelaxation <= 1e3))
      throw UsageError("--over-relaxation must be in [1, 1000], got " + a.get("--over-relaxation"));
  }
  if (a.has("--checkpoint-every") && !a.has("--checkpoint")) throw UsageError("--checkpoint-every needs --checkpoint");
  std::vector<std::pair<std::string, std::string>> outputs = {{"-o", a.get("-o")}};
  if (a.has("--checkpoint")) outputs.emplace_back("--checkpoint", a.get("--checkpoint"));
  checkOutputs(outputs);

  // this process's rows: [N·r/P, N·(r+1)/P) (all of them in one process); a memory-mapped file is
  // read only where they lie, a converted one converts only them
  const Index P = procs.size(), rank = procs.rank();
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
    return fitWith(a, procs, model, shard, weights);
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
  return fitWith(a, procs, model, shard, weights);
}

}  // namespace vmfa_cli
