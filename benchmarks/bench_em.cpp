// Exact EM (em-MFA) seconds per E+M iteration, float vs double, measured side by side.
//
//   vmfa_bench_em [--benchmark_filter=...]
//
// Data: N points drawn from a random MFA with C components (D, H as in the case name), so the
// fit works on realistic responsibilities. Each benchmark iteration runs two E+M iterations from
// the same starting parameters (warm start) and reports the mean wall time of one E+M iteration.
#include <vmfa/vmfa.hpp>

#include "random_model.hpp"

#include <benchmark/benchmark.h>

#include <map>
#include <tuple>

namespace {

using vmfa_bench::randomParameters;

template <typename S>
const vmfa::Matrix<S>& dataset(vmfa::Index N, vmfa::Index D, vmfa::Index C, vmfa::Index H) {
  static std::map<std::tuple<vmfa::Index, vmfa::Index, vmfa::Index, vmfa::Index>, vmfa::Matrix<S>> cache;
  auto& X = cache[{N, D, C, H}];
  if (X.size() == 0) {
    vmfa::Model<S> truth;
    truth.setParameters(randomParameters<S>(C, D, H, 1, 1.0));
    X = truth.sample(N, 2).points;
  }
  return X;
}

template <typename S>
void BM_ExactEmIteration(benchmark::State& state) {
  const vmfa::Index N = state.range(0), D = state.range(1), C = state.range(2), H = state.range(3);
  const auto& X = dataset<S>(N, D, C, H);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 2;
  o.tolerance = 0.0;
  o.warmStart = true;
  const auto start = randomParameters<S>(C, D, H, 3, 1.0);
  double evals = 0.0, iterations = 0.0;
  for (auto _ : state) {
    vmfa::ExactModel<S> m(o);
    m.setParameters(start);
    const vmfa::FitResult r = m.fit(X);
    double seconds = 0.0;
    int steps = 0;
    for (const auto& s : r.history)
      if (s.mstepSeconds > 0.0) {
        seconds += s.seconds;
        evals += static_cast<double>(s.logJointEvaluations);
        ++steps;
      }
    iterations += steps;
    state.SetIterationTime(seconds / steps);
  }
  state.counters["points/s"] = benchmark::Counter(static_cast<double>(N) * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
  state.counters["evals/pt"] = evals / iterations / static_cast<double>(N);
  state.SetLabel(sizeof(S) == 4 ? "float" : "double");
}

// The foundation issue's reference point: N = 100,000, D = 64, C = 100, H = 4.
BENCHMARK_TEMPLATE(BM_ExactEmIteration, float)->Args({100000, 64, 100, 4})->UseManualTime()->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_TEMPLATE(BM_ExactEmIteration, double)->Args({100000, 64, 100, 4})->UseManualTime()->Unit(benchmark::kSecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
