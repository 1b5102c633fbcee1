// v-MFA against exact EM (em-MFA) on real image patches, measured side by side in one run.
//
//   vmfa_bench_vmfa --benchmark_filter=Evaluations   # log-joint evaluations per point vs C
//   vmfa_bench_vmfa --benchmark_filter=FitPatches    # end-to-end fits to convergence
//
// Data: all overlapping 8x8 (D = 64) or 12x12 (D = 144) patches of the three bundled images,
// shuffled with a fixed seed; the first N train, the next 20,000 are held out. float, H = 4 (8x8)
// or H = 5 (12x12), v-MFA with the defaults C' = 3, G = 15, E = 1, tolerance 1e-4 for both.
#include "patches.hpp"

#include <vmfa/vmfa.hpp>

#include <benchmark/benchmark.h>

namespace {

enum Method { kExact = 0, kVmfaKl = 1, kVmfaEuclidean = 2 };

const char* methodName(int m) {
  return m == kExact ? "em-MFA" : m == kVmfaKl ? "v-MFA (KL graph)" : "v-MFA (Euclidean graph)";
}

struct Outcome {
  vmfa::FitResult result;
  double heldOut = 0.0;
};

template <typename ModelT>
Outcome fitAndScore(const vmfa::Options& o, const Eigen::MatrixXf& train, const Eigen::MatrixXf& test) {
  ModelT m(o);
  Outcome out;
  out.result = m.fit(train);
  out.heldOut = m.score(test);
  return out;
}

Outcome run(int method, const vmfa::Options& o, const Eigen::MatrixXf& train, const Eigen::MatrixXf& test) {
  switch (method) {
    case kExact: return fitAndScore<vmfa::ExactModel<float>>(o, train, test);
    case kVmfaKl: return fitAndScore<vmfa::Model<float>>(o, train, test);
    default: return fitAndScore<vmfa::EuclideanGraphModel<float>>(o, train, test);
  }
}

/// Log-joint evaluations per point per E+M iteration as C grows at fixed N = 20,000 (8x8 patches).
/// Means seeded at random points (AFK-MC²'s O(C²) seeding would dominate at C = 10,000); v-MFA runs
/// 5 E+M iterations after its warm-up, em-MFA 1.
void BM_EvaluationsPerPoint(benchmark::State& state) {
  const int method = static_cast<int>(state.range(0));
  const vmfa::Index C = state.range(1);
  const auto& data = vmfa_bench::patches(8, 20000, 1);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = 4;
  o.init = vmfa::Init::RandomPoints;
  o.tolerance = 0.0;
  o.maxIterations = method == kExact ? 1 : 5;
  double evalsPerPoint = 0.0, secondsPerIteration = 0.0;
  for (auto _ : state) {
    const auto out = run(method, o, data.train, data.test);
    double evals = 0.0, seconds = 0.0;
    int steps = 0;
    for (const auto& s : out.result.history)
      if (!s.warmup && s.mstepSeconds > 0.0) {
        evals += static_cast<double>(s.logJointEvaluations);
        seconds += s.seconds;
        ++steps;
      }
    evalsPerPoint = evals / steps / static_cast<double>(data.train.cols());
    secondsPerIteration = seconds / steps;
  }
  state.counters["evals/pt/iter"] = evalsPerPoint;
  state.counters["s/iter"] = secondsPerIteration;
  state.SetLabel(methodName(method));
}
BENCHMARK(BM_EvaluationsPerPoint)
    ->ArgNames({"method", "C"})
    ->ArgsProduct({{kVmfaKl}, {100, 1000, 10000}})
    ->ArgsProduct({{kExact}, {100, 1000, 10000}})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

/// End-to-end fit to convergence on N = 200,000 training patches; held-out log-likelihood on 20,000.
void BM_FitPatches(benchmark::State& state) {
  const int patch = static_cast<int>(state.range(0));
  const vmfa::Index C = state.range(1);
  const int method = static_cast<int>(state.range(2));
  const auto& data = vmfa_bench::patches(patch, 200000, 20000);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = patch == 8 ? 4 : 5;
  o.maxIterations = 300;
  Outcome out;
  for (auto _ : state) out = run(method, o, data.train, data.test);
  const auto& r = out.result;
  state.counters["fit_s"] = r.seconds;
  state.counters["iterations"] = r.iterations;
  state.counters["F"] = r.freeEnergy;
  state.counters["heldout_ll"] = out.heldOut;
  state.counters["evals/pt/iter"] =
      static_cast<double>(r.logJointEvaluations) / static_cast<double>(r.iterations) / static_cast<double>(data.train.cols());
  state.counters["converged"] = r.converged() ? 1 : 0;
  state.SetLabel(methodName(method));
}
BENCHMARK(BM_FitPatches)
    ->ArgNames({"patch", "C", "method"})
    ->ArgsProduct({{8, 12}, {100, 1000}, {kVmfaKl, kVmfaEuclidean, kExact}})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
