// Kernel efficiency: GFLOP/s of the batched log-joint kernel and of the M-step accumulation, next to
// a plain Eigen matrix product of the same shape measured in the same run (the achievable rate).
//
//   vmfa_bench_kernel [--benchmark_filter=...]
//
// Counters (all rates over the benchmark's wall time):
// - GFLOPS_nominal: pairs × (4·D·H + 3·D), the flop count of the textbook Woodbury kernel
//   ([U V]ᵀ d, one 2H × D product per pair); the yardstick.
// - GFLOPS_actual: pairs × (2·D·H + 5·D + 2·H² + 2·H), what vmfa's kernel really executes (it
//   multiplies by Λ_cᵀ only and finishes with the H × H factor R_c⁻¹).
// - pairs/s: (point, component) log-joints per second.
// BM_Product: the kernel's own matrix product, Λ_cᵀ (H × D) times a D × 256 block, alone.
// BM_ProductWide: the textbook kernel's (2H × D)·(D × 256) product alone.
// BM_Kernel: logJointBlock on blocks of 256 points (component-major, as in the E-steps).
// BM_KernelByD: BM_Kernel over D = 16 … 256 at H = 4 and 6 (SIMD paths, float), for the fixed
//   cost per pair: fit ns/pair = 1e9 / pairs/s against D.
// BM_KernelTextbook: the textbook kernel ([U V] cached, one 2H × D product) for comparison.
// BM_KernelGathered: the same after gathering the 256 points from a larger data set (what a
//   truncated E-step does), to show the cost of the gather.
// BM_TruncatedEStep: one whole v-MFA E-step (search spaces, grouping, gather, kernel, top-C',
//   graph statistics), counted per evaluated pair.
// BM_MStep: the closed-form M-step on dense responsibilities; flops per pair 4·D·H + 8·D + 2·(H+1)².
// BM_FmaPeak: the machine's measured peak on one core for each kernel path (independent fused
//   multiply-adds in registers: AVX-512, AVX2 + FMA, or the portable code at the build's flags).
// The kernel benchmarks take a third argument, the path (0 generic, 1 AVX2, 2 AVX-512; `vmfa::
// KernelPath`), run only where the processor supports it, and report `of_peak`: their actual
// GFLOP/s over that path's FMA peak, measured in the same process.
#include <vmfa/vmfa.hpp>

#include "random_model.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <map>

namespace {

// ---- the FMA peak: 12 independent accumulators per register width, 2 flops per lane and FMA ----
constexpr int kPeakChains = 12;
constexpr long kPeakRounds = 20'000'000;

template <typename S>
double genericPeakFlops() {  // portable: Eigen's vectorisation at the build's flags
  using A = Eigen::Array<S, 16, 1>;
  A acc[kPeakChains];
  for (int i = 0; i < kPeakChains; ++i) acc[i].setConstant(static_cast<S>(i) * S(1e-3));
  const A m = A::Constant(S(0.999999)), a = A::Constant(S(1e-7));
  const long rounds = kPeakRounds / 8;
  const auto t0 = std::chrono::steady_clock::now();
  for (long r = 0; r < rounds; ++r)
    for (int i = 0; i < kPeakChains; ++i) acc[i] = acc[i] * m + a;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  S sum = 0;
  for (int i = 0; i < kPeakChains; ++i) sum += acc[i].sum();
  benchmark::DoNotOptimize(sum);
  return 2.0 * 16 * kPeakChains * static_cast<double>(rounds) / s;
}

#if VMFA_HAVE_X86_DISPATCH
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
template <typename S>
double avx512PeakFlops() {
  using L = vmfa::detail::simd::avx512::Lanes<S>;
  typename L::Vec acc[16];  // kPeakChains used; 16 = a whole number of reduction trees
  for (int i = 0; i < 16; ++i) acc[i] = L::zero();
  S mv[L::kWidth], av[L::kWidth];
  for (int i = 0; i < L::kWidth; ++i) mv[i] = S(0.999999), av[i] = S(1e-7);
  const auto m = L::load(mv), a = L::load(av);
  const auto t0 = std::chrono::steady_clock::now();
  for (long r = 0; r < kPeakRounds; ++r)
    for (int i = 0; i < kPeakChains; ++i) acc[i] = L::fma(acc[i], m, a);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  S out[16];
  for (int t = 0; t < 16; t += L::kWidth) L::reduce(acc + t, out + t);
  benchmark::DoNotOptimize(out[0]);
  return 2.0 * L::kWidth * kPeakChains * static_cast<double>(kPeakRounds) / s;
}
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx2,fma")
template <typename S>
double avx2PeakFlops() {
  using L = vmfa::detail::simd::avx2::Lanes<S>;
  typename L::Vec acc[16];  // kPeakChains used; 16 = a whole number of reduction trees
  for (int i = 0; i < 16; ++i) acc[i] = L::zero();
  S mv[L::kWidth], av[L::kWidth];
  for (int i = 0; i < L::kWidth; ++i) mv[i] = S(0.999999), av[i] = S(1e-7);
  const auto m = L::load(mv), a = L::load(av);
  const auto t0 = std::chrono::steady_clock::now();
  for (long r = 0; r < kPeakRounds; ++r)
    for (int i = 0; i < kPeakChains; ++i) acc[i] = L::fma(acc[i], m, a);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  S out[16];
  for (int t = 0; t < 16; t += L::kWidth) L::reduce(acc + t, out + t);
  benchmark::DoNotOptimize(out[0]);
  return 2.0 * L::kWidth * kPeakChains * static_cast<double>(kPeakRounds) / s;
}
#pragma GCC pop_options
#endif

/// The FMA peak (flop/s, one core) of `path` for S, measured once per process (best of 3).
template <typename S>
double peakFlops(vmfa::KernelPath path) {
  static std::map<int, double> cache;
  const auto it = cache.find(static_cast<int>(path));
  if (it != cache.end()) return it->second;
  double best = 0.0;
  for (int rep = 0; rep < 3; ++rep) {
    double f = 0.0;
#if VMFA_HAVE_X86_DISPATCH
    if (path == vmfa::KernelPath::Avx512) f = avx512PeakFlops<S>();
    else if (path == vmfa::KernelPath::Avx2) f = avx2PeakFlops<S>();
    else
#endif
      f = genericPeakFlops<S>();
    best = std::max(best, f);
  }
  return cache[static_cast<int>(path)] = best;
}

/// Switches the kernel to the benchmark's path (third argument); false (and the benchmark is
/// skipped) when the processor lacks it.
bool usePath(benchmark::State& state, vmfa::KernelPath& path) {
  path = static_cast<vmfa::KernelPath>(state.range(2));
  if (!vmfa::detail::kernelPathSupported(path)) {
    state.SkipWithError("the processor does not support this kernel path");
    return false;
  }
  vmfa::setKernelPath(path);
  return true;
}

const char* label(std::size_t bytes, vmfa::KernelPath path) {
  static std::string s;
  s = std::string(bytes == 4 ? "float " : "double ") + vmfa::kernelPathName(path);
  return s.c_str();
}

template <typename S>
void BM_FmaPeak(benchmark::State& state) {
  vmfa::KernelPath path;
  if (!usePath(state, path)) return;
  double flops = 0.0;
  for (auto _ : state) flops = peakFlops<S>(path);
  state.counters["GFLOPS"] = flops * 1e-9;
  state.SetLabel(label(sizeof(S), path));
}

using vmfa::Index;

using vmfa_bench::randomParameters;

template <typename S>
vmfa::Matrix<S> randomPoints(Index D, Index N, std::uint64_t seed) {
  vmfa::detail::Random rng(seed);
  vmfa::Matrix<S> X(D, N);
  for (Index i = 0; i < X.size(); ++i) X.data()[i] = static_cast<S>(rng.normal());
  return X;
}

constexpr Index kBlock = 256;
constexpr Index kComponents = 32;  // the kernel cycles through them, as an E-step does

void setCounters(benchmark::State& state, double pairs, double nominal, double actual) {
  const double n = pairs * static_cast<double>(state.iterations());
  state.counters["GFLOPS_nominal"] = benchmark::Counter(n * nominal * 1e-9, benchmark::Counter::kIsRate);
  state.counters["GFLOPS_actual"] = benchmark::Counter(n * actual * 1e-9, benchmark::Counter::kIsRate);
  state.counters["pairs/s"] = benchmark::Counter(n, benchmark::Counter::kIsRate);
}

/// `of_peak`: the actual flop rate over the FMA peak of `path` (one core), both from this run.
template <typename S>
void setPeakFraction(benchmark::State& state, double pairs, double actual, vmfa::KernelPath path) {
  const double n = pairs * static_cast<double>(state.iterations());
  state.counters["of_peak"] = benchmark::Counter(n * actual / peakFlops<S>(path), benchmark::Counter::kIsRate);
}

double nominalFlops(double D, double H) { return 4 * D * H + 3 * D; }
double actualFlops(double D, double H) { return 2 * D * H + 5 * D + 2 * H * H + 2 * H; }

template <typename S>
void BM_Product(benchmark::State& state) {
  const Index D = state.range(0), H = state.range(1);
  const auto p = randomParameters<S>(kComponents, D, H, 1);
  const vmfa::Matrix<S> X = randomPoints<S>(D, kBlock, 2);
  vmfa::Matrix<S> out(H, kBlock);
  for (auto _ : state)
    for (Index c = 0; c < kComponents; ++c) {
      out.noalias() = p.loading(c).transpose() * X;
      benchmark::DoNotOptimize(out.data());
    }
  const double pairs = static_cast<double>(kComponents * kBlock);
  setCounters(state, pairs, 2.0 * D * H, 2.0 * D * H);
  state.SetLabel(sizeof(S) == 4 ? "float" : "double");
}

template <typename S>
void BM_ProductWide(benchmark::State& state) {
  const Index D = state.range(0), H = state.range(1);
  const vmfa::Matrix<S> A = randomPoints<S>(D, 2 * H * kComponents, 1), X = randomPoints<S>(D, kBlock, 2);
  vmfa::Matrix<S> out(2 * H, kBlock);
  for (auto _ : state)
    for (Index c = 0; c < kComponents; ++c) {
      out.noalias() = A.middleCols(2 * H * c, 2 * H).transpose() * X;
      benchmark::DoNotOptimize(out.data());
    }
  const double pairs = static_cast<double>(kComponents * kBlock);
  setCounters(state, pairs, 4.0 * D * H, 4.0 * D * H);
  state.SetLabel(sizeof(S) == 4 ? "float" : "double");
}

template <typename S>
void BM_Kernel(benchmark::State& state) {
  vmfa::KernelPath path;
  if (!usePath(state, path)) return;
  const Index D = state.range(0), H = state.range(1);
  const auto p = randomParameters<S>(kComponents, D, H, 1);
  vmfa::ComponentCache<S> cache;
  cache.compute(p, 1);
  const vmfa::Matrix<S> X = randomPoints<S>(D, kBlock, 2);
  vmfa::KernelScratch<S> scratch;
  vmfa::Vector<S> out(kBlock);
  for (auto _ : state)
    for (Index c = 0; c < kComponents; ++c) {
      vmfa::logJointBlock(p, cache, c, X, scratch, out);
      benchmark::DoNotOptimize(out.data());
    }
  const double pairs = static_cast<double>(kComponents * kBlock);
  setCounters(state, pairs, nominalFlops(D, H), actualFlops(D, H));
  setPeakFraction<S>(state, pairs, actualFlops(D, H), path);
  state.SetLabel(label(sizeof(S), path));
}

/// The textbook Woodbury kernel, as vmfa had it before: [U_c V_c] (D × 2H, U = Ψ⁻¹Λ, V = U L⁻¹)
/// cached per component, one (2H × D)·(D × b) product, squares in place, a matrix-vector product
/// with 1/ψ, and the row-wise dot product of Uᵀd and Vᵀd. Kept here for comparison.
template <typename S>
void BM_KernelTextbook(benchmark::State& state) {
  const Index D = state.range(0), H = state.range(1);
  const auto p = randomParameters<S>(kComponents, D, H, 1);
  vmfa::ComponentCache<S> cache;
  cache.compute(p, 1);
  vmfa::Matrix<S> uv(D, 2 * H * kComponents);
  for (Index c = 0; c < kComponents; ++c) {
    const Eigen::MatrixXd lam = p.loading(c).template cast<double>();
    const Eigen::VectorXd ip = cache.invNoise.col(c).template cast<double>();
    const Eigen::MatrixXd U = ip.asDiagonal() * lam;
    const Eigen::MatrixXd V = U * cache.posteriorCovariance(c);
    uv.middleCols(2 * H * c, H) = U.cast<S>();
    uv.middleCols(2 * H * c + H, H) = V.cast<S>();
  }
  const vmfa::Matrix<S> X = randomPoints<S>(D, kBlock, 2);
  vmfa::Matrix<S> centred(D, kBlock), proj(2 * H, kBlock);
  vmfa::Vector<S> maha(kBlock), out(kBlock);
  for (auto _ : state)
    for (Index c = 0; c < kComponents; ++c) {
      centred.noalias() = X.colwise() - p.means.col(c);
      proj.noalias() = uv.middleCols(2 * H * c, 2 * H).transpose() * centred;
      centred.array() = centred.array().square();
      maha.noalias() = centred.transpose() * cache.invNoise.col(c);
      maha.array() -= (proj.topRows(H).array() * proj.bottomRows(H).array()).colwise().sum().transpose();
      out = (static_cast<S>(cache.logNorm(c)) - S(0.5) * maha.array()).matrix();
      benchmark::DoNotOptimize(out.data());
    }
  const double pairs = static_cast<double>(kComponents * kBlock);
  setCounters(state, pairs, nominalFlops(D, H), nominalFlops(D, H));
  state.SetLabel(sizeof(S) == 4 ? "float" : "double");
}

template <typename S>
void BM_KernelGathered(benchmark::State& state) {
  vmfa::KernelPath path;
  if (!usePath(state, path)) return;
  const Index D = state.range(0), H = state.range(1), N = 65536;
  const auto p = randomParameters<S>(kComponents, D, H, 1);
  vmfa::ComponentCache<S> cache;
  cache.compute(p, 1);
  const vmfa::Matrix<S> X = randomPoints<S>(D, N, 2);
  std::vector<Index> pick(static_cast<std::size_t>(kComponents * kBlock));
  vmfa::detail::Random rng(3);
  for (auto& i : pick) i = static_cast<Index>(rng.below(static_cast<std::uint64_t>(N)));
  vmfa::KernelScratch<S> scratch;
  vmfa::Matrix<S> gathered(D, kBlock);
  vmfa::Vector<S> out(kBlock);
  for (auto _ : state)
    for (Index c = 0; c < kComponents; ++c) {
      for (Index j = 0; j < kBlock; ++j) gathered.col(j) = X.col(pick[static_cast<std::size_t>(c * kBlock + j)]);
      vmfa::logJointBlock(p, cache, c, gathered, scratch, out);
      benchmark::DoNotOptimize(out.data());
    }
  const double pairs = static_cast<double>(kComponents * kBlock);
  setCounters(state, pairs, nominalFlops(D, H), actualFlops(D, H));
  setPeakFraction<S>(state, pairs, actualFlops(D, H), path);
  state.SetLabel(label(sizeof(S), path));
}

template <typename S>
void BM_TruncatedEStep(benchmark::State& state) {
  vmfa::KernelPath path;
  if (!usePath(state, path)) return;
  const Index D = state.range(0), H = state.range(1), C = 1000, N = 20000;
  vmfa::Model<S> truth;
  truth.setParameters(randomParameters<S>(C, D, H, 1));
  const vmfa::Matrix<S> X = truth.sample(N, 2).points;
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 2;
  o.numThreads = 1;
  o.init = vmfa::Init::RandomPoints;
  vmfa::Model<S> m(o);
  m.fit(X);
  const vmfa::IndexMatrix start = m.fittedResponsibilities().index;
  double pairs = 0.0;
  for (auto _ : state) {
    std::uint64_t evaluations = 0;
    benchmark::DoNotOptimize(m.searchResponsibilities(X, start, 1, &evaluations).prob.data());
    pairs = static_cast<double>(evaluations);
  }
  setCounters(state, pairs, nominalFlops(D, H), actualFlops(D, H));
  setPeakFraction<S>(state, pairs, actualFlops(D, H), path);
  state.SetLabel(label(sizeof(S), path));
}

template <typename S>
void BM_MStep(benchmark::State& state) {
  const Index D = state.range(0), H = state.range(1), C = 16, N = 4096;
  const auto p0 = randomParameters<S>(C, D, H, 1);
  const vmfa::Matrix<S> X = randomPoints<S>(D, N, 2);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.numThreads = 1;
  const Eigen::VectorXd none;
  const vmfa::FitContext<S> ctx(X, none, o);
  vmfa::ComponentCache<S> cache;
  cache.compute(p0, 1);
  vmfa::Responsibilities<S> resp;
  resp.prob.setConstant(C, N, static_cast<S>(1.0 / C));
  vmfa::PointResults out;
  out.bound.setZero(N);
  out.best.assign(static_cast<std::size_t>(N), 0);
  vmfa::ClosedFormMStep<S> mstep;
  for (auto _ : state) {  // accumulate → solve → finish, as the fit loop runs it in one process
    vmfa::Parameters<S> p = p0;
    auto solution = mstep.begin(ctx, p);
    mstep.solve(ctx, mstep.accumulate(ctx, p, cache, resp, 0, C), cache, p, solution);
    mstep.finish(ctx, 1, solution, p, out);
    benchmark::DoNotOptimize(p.means.data());
  }
  const double flops = 4.0 * D * H + 8.0 * D + 2.0 * (H + 1) * (H + 1);
  setCounters(state, static_cast<double>(C * N), flops, flops);
  state.SetLabel(sizeof(S) == 4 ? "float" : "double");
}

void shapes(benchmark::internal::Benchmark* b) {
  for (Index D : {64, 144, 256, 1024})
    for (Index H : {2, 4, 6, 8}) b->Args({D, H});
  b->ArgNames({"D", "H"});
}

/// The shapes on every kernel path (skipped where the processor lacks one).
void shapesAndPaths(benchmark::internal::Benchmark* b) {
  for (int path : {0, 1, 2})
    for (Index D : {64, 144, 256, 1024})
      for (Index H : {2, 4, 6, 8}) b->Args({D, H, path});
  b->ArgNames({"D", "H", "path"});
}

/// D from 16 to 256 at H = 4 and 6 on the SIMD paths: time per pair = a + b·D separates the pass
/// over D (b) from the fixed cost of a pair (a; docs/benchmarks.md, "Throughput").
void dimensionSweep(benchmark::internal::Benchmark* b) {
  for (int path : {1, 2})
    for (Index H : {4, 6})
      for (Index D : {16, 32, 48, 64, 96, 128, 192, 256}) b->Args({D, H, path});
  b->ArgNames({"D", "H", "path"});
}

void paths(benchmark::internal::Benchmark* b) {
  for (int path : {0, 1, 2}) b->Args({0, 0, path});
  b->ArgNames({"", "", "path"});
}

BENCHMARK_TEMPLATE(BM_FmaPeak, float)->Apply(paths)->Iterations(1);
BENCHMARK_TEMPLATE(BM_Product, float)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_ProductWide, float)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_Kernel, float)->Apply(shapesAndPaths);
BENCHMARK_TEMPLATE(BM_Kernel, float)->Name("BM_KernelByD<float>")->Apply(dimensionSweep);
BENCHMARK_TEMPLATE(BM_KernelTextbook, float)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_KernelGathered, float)->Apply(shapesAndPaths);
BENCHMARK_TEMPLATE(BM_TruncatedEStep, float)->Apply(shapesAndPaths)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_MStep, float)->Apply(shapes)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_FmaPeak, double)->Apply(paths)->Iterations(1);
BENCHMARK_TEMPLATE(BM_Product, double)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_ProductWide, double)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_Kernel, double)->Apply(shapesAndPaths);
BENCHMARK_TEMPLATE(BM_KernelTextbook, double)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_KernelGathered, double)->Apply(shapesAndPaths);
BENCHMARK_TEMPLATE(BM_TruncatedEStep, double)->Apply(shapesAndPaths)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_MStep, double)->Apply(shapes)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
