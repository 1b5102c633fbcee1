// Defaults that hold at very large C and the edge cases of issue 12: bounded neighbour-graph
// statistics, components of weight 0, repeated active components, the noise floor on every path,
// the status semantics, and indices past 32 bits.
#include "catch.hpp"
#include "support.hpp"

#include <cmath>
#include <limits>

using namespace vmfa_test;
using vmfa::Index;

TEMPLATE_TEST_CASE("graph statistics stay within C x capacity whatever N, and the capacity is checked", "[defaults][graph]",
                   float, double) {
  using S = TestType;
  const Index C = 30, G = 4;
  const auto truth = randomMfa<S>(C, 6, 1, 41, 3.0);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = 1;
  o.maxIterations = 3;
  o.tolerance = 0.0;
  for (Index N : {600, 6000}) {
    const vmfa::Matrix<S> X = sampleFrom(truth, N, 42);
    auto m = vmfaModel<S>(o, 3, G, 2, 500, 4 * G);
    std::size_t largest = 0;
    std::uint64_t dropped = 0;
    m.setCombiner({[&](vmfa::GraphStatistics& s) {
                     CHECK(s.numComponents() == C);
                     CHECK(s.capacity() == 4 * G);
                     for (Index c = 0; c < C; ++c) CHECK(s.rowSize(c) <= 4 * G);
                     largest = std::max(largest, s.size());
                     dropped += s.dropped();
                   },
                   nullptr});
    m.fit(X);
    CHECK(largest <= static_cast<std::size_t>(C * 4 * G));
    // with 3·4 + 2 candidates per point, 200 points per component meet more than 16 distinct
    // candidates: the bound is what holds the memory, not the data
    if (N == 6000) CHECK(dropped > 0u);
  }
  // the default: exact rows (C − 1) while C·(C − 1)·16 bytes fit 64 MiB, 4·G above
  vmfa::KlNeighborGraph::Options go;
  const vmfa::KlNeighborGraph automatic(go);
  CHECK(automatic.statisticsCapacity(30) == 29);
  CHECK(automatic.statisticsCapacity(2048) == 2047);
  CHECK(automatic.statisticsCapacity(2049) == 4 * 15);
  CHECK(automatic.statisticsCapacity(100000) == 4 * 15);
  go.statisticsCapacity = 0;
  vmfa::Model<S> bad(o, vmfa::TruncatedEStep<S>({}, go));
  CHECK_THROWS_WITH(bad.fit(sampleFrom(truth, 100, 1)),
                    "vmfa::Model::fit: statisticsCapacity = 0 must be in [1, 2^30]");
}

TEMPLATE_TEST_CASE("a component of weight 0 is never a neighbour", "[defaults][graph]", float, double) {
  using S = TestType;
  const Index C = 12, D = 5, H = 1;
  auto start = randomMfa<S>(C, D, H, 51, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(start, 3000, 52);
  start.weights(7) = S(0);  // reachable through setParameters and a warm start
  start.weights /= start.weights.sum();
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 1;
  o.tolerance = 0.0;
  o.warmStart = true;
  auto m = vmfaModel<S>(o, 2, 4, 1);
  m.setParameters(start);
  // warm-up E-steps only (no M-step yet: the weight stays 0) rebuild the graph from the statistics
  int calls = 0;
  o.callback = [&](const vmfa::IterationStats& s) { return s.warmup && ++calls < 3; };
  auto warm = vmfaModel<S>(o, 2, 4, 1);
  warm.setParameters(start);
  const auto r = warm.fit(X);
  REQUIRE(r.iterations == 3);
  for (const auto& s : r.history) REQUIRE(s.warmup);
  for (Index c = 0; c < C; ++c) {
    if (c == 7) continue;
    const auto g = warm.estep().graph().neighborList(c);
    CHECK(std::find(g.begin(), g.end(), 7) == g.end());
  }
  // with an M-step in between, the component is re-seeded or keeps weight 0; either way the fit is finite
  const auto r2 = m.fit(X);
  CHECK(std::isfinite(r2.freeEnergy));
}

TEMPLATE_TEST_CASE("repeated active components are refused by search and resume", "[defaults][errors]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(6, 4, 1, 61, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 400, 62);
  vmfa::Options o;
  o.numComponents = 6;
  o.latentDim = 1;
  o.maxIterations = 2;
  // G = 1, E = 0: the search space is K(n) itself, so a repeat would leave fewer than C' candidates
  auto m = vmfaModel<S>(o, 2, 1, 0);
  m.fit(X);
  vmfa::IndexMatrix sets = m.fittedResponsibilities().index;
  sets(1, 3) = sets(0, 3);
  CHECK_THROWS_WITH(m.searchResponsibilities(X, sets), "vmfa::Model::searchResponsibilities: active component " +
                                                           std::to_string(sets(0, 3)) + " appears twice for point 3");
  TempDir dir;
  int calls = 0;
  o.callback = [&](const vmfa::IterationStats&) { return ++calls < 2; };
  auto first = vmfaModel<S>(o, 2, 1, 0);
  first.setCheckpointHandler(0, [&](const vmfa::FitCheckpoint<S>& cp) { vmfa::saveCheckpoint(cp, dir.file("ck")); });
  first.fit(X);
  auto cp = vmfa::loadCheckpoint<S>(dir.file("ck"));
  cp.activeSets(0, 5) = cp.activeSets(1, 5);
  o.callback = nullptr;
  auto second = vmfaModel<S>(o, 2, 1, 0);
  CHECK_THROWS_WITH(second.resume(X, cp), "vmfa::Model::resume: active component " +
                                              std::to_string(cp.activeSets(1, 5)) + " appears twice for point 5");
  CHECK_FALSE(second.isFitted());
}

TEMPLATE_TEST_CASE("minimumNoise holds for re-seeded components and for shared noise without mass", "[defaults][robust]",
                   float, double) {
  using S = TestType;
  const Index C = 4, D = 6, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 9, 2.0);
  vmfa::Matrix<S> X = sampleFrom(truth, 1000, 1);
  X.row(2).setConstant(S(3));  // a constant feature: its data variance is 0
  const double floor = 0.05;
  auto start = truth;
  start.means.col(2).setConstant(S(1e4));  // no mass: re-seeded by the first M-step
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 1;
  o.tolerance = 0.0;
  o.warmStart = true;
  o.minimumNoise = floor;
  vmfa::ExactModel<S> m(o);
  m.setParameters(start);
  const auto r = m.fit(X);
  REQUIRE(r.reseededComponents >= 1);
  CHECK(m.noise().minCoeff() >= static_cast<S>(floor));
  CHECK(std::isfinite(r.freeEnergy));
  // shared noise, and a combiner that leaves no mass at all: every component is re-seeded
  o.sharedNoise = true;
  o.warmStart = false;
  vmfa::ExactModel<S> shared(o);
  shared.setCombiner({nullptr, [](vmfa::MStepStatistics& s) { std::fill(s.values().begin(), s.values().end(), 0.0); }});
  const auto rs = shared.fit(X);
  CHECK(rs.reseededComponents == C);
  CHECK(shared.noise().minCoeff() >= static_cast<S>(floor));
  // and the initial noise of a fresh fit (stopped after its first warm-up E-step: no M-step ran)
  o.sharedNoise = false;
  o.callback = [](const vmfa::IterationStats&) { return false; };
  vmfa::Model<S> fresh(o);
  const auto rf = fresh.fit(X);
  REQUIRE(rf.history.size() == 1u);
  REQUIRE(rf.history[0].warmup);
  CHECK(fresh.noise().minCoeff() >= static_cast<S>(floor));
}

TEMPLATE_TEST_CASE("the free energy of a stopped fit belongs to the parameters before its last M-step", "[defaults][em]",
                   float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(5, 6, 2, 71, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1500, 72);
  vmfa::Options o;
  o.numComponents = 5;
  o.latentDim = 2;
  o.tolerance = 0.0;
  o.maxIterations = 2;
  vmfa::ExactModel<S> limited(o);  // E+M, E+M, E: ends with an E-step
  const auto rl = limited.fit(X);
  REQUIRE(rl.status == vmfa::FitStatus::IterationLimit);
  CHECK(rl.freeEnergy == Approx(limited.score(X)).epsilon(sizeof(S) == 4 ? 1e-5 : 1e-12));
  int calls = 0;
  o.maxIterations = 10;
  o.callback = [&](const vmfa::IterationStats&) { return ++calls < 3; };
  vmfa::ExactModel<S> stopped(o);  // E+M three times, stopped after the third M-step
  const auto rs = stopped.fit(X);
  REQUIRE(rs.status == vmfa::FitStatus::StoppedByCallback);
  REQUIRE(rs.iterations == 3);
  CHECK(rs.freeEnergy == rl.freeEnergy);  // F of the parameters after two M-steps
  CHECK(stopped.score(X) >= rs.freeEnergy - 1e-6);  // the third M-step did not decrease it
  CHECK(stopped.score(X) != rs.freeEnergy);
}

TEMPLATE_TEST_CASE("patch estimates index past 2^31 (k * chunk + j) for dense responsibilities of C > 524,287",
                   "[defaults][denoise]", float, double) {
  using S = TestType;
  const Index C = 600000, D = 2, H = 1, N = 3;
  auto p = randomMfa<S>(C, D, H, 81, 1.0);
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(1, D, H, 82, 1.0), N, 83);
  const auto est = vmfa::PatchEstimators<S>::make(p, vmfa::Estimator::Projection, 1.0, 1);
  vmfa::Responsibilities<S> dense;
  dense.prob = vmfa::Matrix<S>::Zero(C, N);
  dense.prob.row(C - 1).setOnes();  // all mass on the last component: item (C − 1)·4096 + j
  vmfa::Responsibilities<S> one;
  one.index = vmfa::IndexMatrix::Constant(1, N, static_cast<std::int32_t>(C - 1));
  one.prob = vmfa::Matrix<S>::Ones(1, N);
  const vmfa::Matrix<S> a = vmfa::estimatePatches(p, est, X, dense, 1);
  const vmfa::Matrix<S> b = vmfa::estimatePatches(p, est, X, one, 1);
  CHECK(a.allFinite());
  CHECK((a.array() == b.array()).all());
}

TEST_CASE("float log-joints near a component's subspace with noise at the floor are within 1e-3 nats of a dense double "
          "reference at D = 256, 1024 and 3072",
          "[defaults][kernel]") {
  for (const auto& shape : {std::pair<Index, Index>{256, 4}, {1024, 8}, {3072, 8}}) {
    const Index D = shape.first, H = shape.second, N = 40;
    // one component with unit-scale loadings and ψ = 10⁻³ of the data variance (the default
    // relative floor); points drawn from it lie near its subspace, where dᵀΨ⁻¹d is ~400 times
    // dᵀΣ⁻¹d and the Woodbury subtraction cancels
    vmfa::detail::Random rng(static_cast<std::uint64_t>(D), 5);
    vmfa::Parameters<float> pf;
    pf.resize(1, D, H);
    for (Index i = 0; i < pf.loadings.size(); ++i) pf.loadings.data()[i] = static_cast<float>(rng.normal());
    for (Index d = 0; d < D; ++d) {
      pf.means(d, 0) = static_cast<float>(rng.normal());
      pf.noise(d, 0) = static_cast<float>(1e-3 * static_cast<double>(H));
    }
    pf.weights(0) = 1.0f;
    vmfa::Matrix<float> Xf(D, N);
    for (Index n = 0; n < N; ++n) {
      Eigen::VectorXd z(H);
      for (Index h = 0; h < H; ++h) z(h) = rng.normal();
      for (Index d = 0; d < D; ++d)
        Xf(d, n) = static_cast<float>(pf.means(d, 0) + pf.loadings.row(d).cast<double>().dot(z) +
                                      std::sqrt(static_cast<double>(pf.noise(d, 0))) * rng.normal());
    }
    // the reference: dense Σ = ΛΛᵀ + Ψ of the same (float) parameters and points, Cholesky in double
    Eigen::LLT<Eigen::MatrixXd> llt(denseCovariance(pf, 0));
    REQUIRE(llt.info() == Eigen::Success);
    const double logDet = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
    const Eigen::MatrixXd Y = llt.matrixL().solve(Xf.cast<double>().colwise() - pf.means.col(0).cast<double>());
    const Eigen::VectorXd ref =
        (-0.5 * (static_cast<double>(D) * std::log(2.0 * M_PI) + logDet + Y.colwise().squaredNorm().array())).transpose();
    const auto check = [&](auto scalar) {
      using S = decltype(scalar);
      vmfa::Parameters<S> p;
      p.resize(1, D, H);
      p.means = pf.means.cast<S>();
      p.loadings = pf.loadings.cast<S>();
      p.noise = pf.noise.cast<S>();
      p.weights = pf.weights.cast<S>();
      const vmfa::Matrix<S> X = Xf.cast<S>();
      vmfa::ComponentCache<S> cache;
      cache.compute(p, 1);
      vmfa::KernelScratch<S> s;
      vmfa::Vector<S> out(N);
      double kernelError = 0.0;  // the worst of the kernel paths this processor has
      for (const vmfa::KernelPath path : supportedKernelPaths()) {
        const KernelPathScope scope(path);
        vmfa::logJointBlock(p, cache, 0, X, s, out);
        kernelError = std::max(kernelError, (out.template cast<double>() - ref).cwiseAbs().maxCoeff());
      }
      // and through a model (the dense path of scoring and exact EM)
      vmfa::Options o;
      o.numComponents = 1;
      o.latentDim = H;
      vmfa::Model<S> m(o);
      m.setParameters(p);
      const double modelError = (m.logLikelihood(X) - ref).cwiseAbs().maxCoeff();
      INFO((sizeof(S) == 4 ? "float" : "double") << " D = " << D << ", H = " << H << ": kernel error " << kernelError
                                                  << " nats, model error " << modelError << " nats");
      CHECK(kernelError < (sizeof(S) == 4 ? 1e-3 : 1e-8));
      CHECK(modelError < (sizeof(S) == 4 ? 1e-3 : 1e-8));
    };
    check(0.0f);
    check(0.0);
  }
}

namespace {
/// The process's peak resident memory since the last resetPeakMemory(), in bytes (Linux: VmHWM).
std::size_t peakMemory() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return static_cast<std::size_t>(std::stoull(line.substr(6))) * 1024;
  return 0;
}
/// Resets VmHWM to the current resident memory (Linux >= 4.0); false where that is not allowed.
bool resetPeakMemory() {
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  f.flush();
  return static_cast<bool>(f);
}
}  // namespace

TEMPLATE_TEST_CASE("model files and checkpoints are streamed: a save holds O(1) memory beyond the model",
                   "[defaults][io]", float, double) {
  using S = TestType;
  const Index C = 4000, D = 256, H = 6;  // 32 MB (float) or 64 MB (double) of parameters
  const auto p = randomMfa<S>(C, D, H, 91, 1.0);
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  vmfa::Model<S> m(o);
  m.setParameters(p);
  const std::size_t bytes = static_cast<std::size_t>(vmfa::modelFileBytes<S>(C, D, H));
  TempDir dir;
  REQUIRE(resetPeakMemory());
  const std::size_t before = peakMemory();
  vmfa::saveModel(m, dir.file("m.vmfa"));
  const std::size_t grown = peakMemory() - before;
  INFO("model file " << bytes << " bytes, peak memory grew by " << grown << " bytes while saving it");
  CHECK(grown < bytes / 8);  // an encoding in memory would add the whole file
  // what was streamed loads back bit for bit
  vmfa::Model<S> back;
  vmfa::loadModel(back, dir.file("m.vmfa"));
  CHECK(back.parameters().loadings == p.loadings);
  const bool sameBytes =
      slurp(dir.file("m.vmfa")) == std::string(reinterpret_cast<const char*>(vmfa::encodeModel(p, false).data()), bytes);
  CHECK(sameBytes);  // streamed and in-memory encodings agree byte for byte
  // checkpoints too
  vmfa::FitCheckpoint<S> cp;
  cp.parameters = p;
  cp.numPoints = 10;
  REQUIRE(resetPeakMemory());
  const std::size_t before2 = peakMemory();
  vmfa::saveCheckpoint(cp, dir.file("ck"));
  CHECK(peakMemory() - before2 < bytes / 8);
  CHECK(vmfa::loadCheckpoint<S>(dir.file("ck")).parameters.means == p.means);
}

TEMPLATE_TEST_CASE("AFK-MC2 through the seeding tree seeds as well as exact AFK-MC2, for any thread count",
                   "[defaults][init]", float, double) {
  using S = TestType;
  const Index C = 300;
  const auto truth = randomMfa<S>(C, 8, 2, 7, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 30000, 8);
  // the k-means potential of the seeds: mean squared distance of a point to its nearest seed
  const auto potential = [&](const vmfa::Matrix<S>& M) {
    double s = 0.0;
    for (Index n = 0; n < X.cols(); ++n)
      s += static_cast<double>((M.colwise() - X.col(n)).colwise().squaredNorm().minCoeff());
    return s / static_cast<double>(X.cols());
  };
  const auto seeds = [&](Index indexFrom, int threads, vmfa::Init init) {
    vmfa::Options o;
    o.numComponents = C;
    o.latentDim = 2;
    o.init = init;
    o.seedingTreeFrom = indexFrom;
    o.numThreads = threads;
    o.callback = [](const vmfa::IterationStats&) { return false; };  // stop after the first (warm-up) E-step
    vmfa::Model<S> m(o);
    m.fit(X);
    return vmfa::Matrix<S>(m.means());
  };
  const auto exact = seeds(0, 2, vmfa::Init::AfkMc2), indexed = seeds(1, 2, vmfa::Init::AfkMc2);
  CHECK(seeds(1, 1, vmfa::Init::AfkMc2) == indexed);
  CHECK(seeds(1, 3, vmfa::Init::AfkMc2) == indexed);
  CHECK_FALSE(indexed == exact);  // the tree was used
  const double pe = potential(exact), pi = potential(indexed), pr = potential(seeds(0, 2, vmfa::Init::RandomPoints));
  INFO("k-means potential: exact AFK-MC2 " << pe << ", tree " << pi << ", random points " << pr);
  CHECK(pi < 1.05 * pe);
  CHECK(pi < 0.9 * pr);
  vmfa::Options bad;
  bad.numComponents = 3;
  bad.seedingTreeFrom = -1;
  vmfa::Model<S> m(bad);
  CHECK_THROWS_WITH(m.fit(X), "vmfa::Model::fit: seedingTreeFrom = -1 must be >= 0 (0: never)");
}

TEMPLATE_TEST_CASE("statisticsBytes at its extremes: SIZE_MAX holds every component at once, 1 one at a time",
                   "[defaults][mstep]", float, double) {
  using S = TestType;
  using MStep = vmfa::ClosedFormMStep<S>;
  typename MStep::Options huge, tiny;
  huge.statisticsBytes = std::numeric_limits<std::size_t>::max();
  tiny.statisticsBytes = 1;
  const Index C = 100000, D = 64, H = 4;
  CHECK(MStep(huge).componentsPerPass(C, D, H) == C);
  CHECK(MStep(tiny).componentsPerPass(C, D, H) == 1);
  const Index perPass = (Index(1) << 29) / (8 * (1 + D * (H + 1) + (H + 1) * (H + 1) + D));  // 512 MiB by default
  CHECK(MStep().componentsPerPass(10 * C, D, H) == perPass);
  // and a fit gives the same model whatever the pass size (exact EM: the statistics are combined per pass)
  const auto truth = randomMfa<S>(6, 5, 1, 61, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 600, 62);
  vmfa::Options o;
  o.numComponents = 6;
  o.latentDim = 1;
  o.maxIterations = 4;
  o.tolerance = 0.0;
  vmfa::Model<S, vmfa::ExactEStep<S>, MStep> a(o, {}, MStep(huge)), b(o, {}, MStep(tiny));
  a.fit(X);
  b.fit(X);
  CHECK((a.parameters().means.array() == b.parameters().means.array()).all());
  CHECK((a.parameters().noise.array() == b.parameters().noise.array()).all());
}

TEMPLATE_TEST_CASE("the seeding tree assigns points far from the origin to their nearest pivot", "[defaults][init][precision]",
                   float, double) {
  using S = TestType;
  // spread ±1 around an offset of 1e4: in float, ‖p‖² − 2pᵀx on raw values is rounding noise
  vmfa::detail::Random rng(81, 3);
  const Index D = 8, N = 2000, B = 40;
  vmfa::Matrix<S> X(D, N);
  for (Index n = 0; n < N; ++n)
    for (Index d = 0; d < D; ++d) X(d, n) = static_cast<S>(1e4 + 2.0 * rng.uniform() - 1.0);
  const vmfa::Matrix<S> pivots = X.leftCols(B);
  std::vector<Index> points(static_cast<std::size_t>(N));
  for (Index n = 0; n < N; ++n) points[static_cast<std::size_t>(n)] = n;
  const std::vector<double> w(static_cast<std::size_t>(N), 1.0);
  std::vector<std::int32_t> cell;
  std::vector<Index> count(static_cast<std::size_t>(B), 0);
  std::vector<double> potential(static_cast<std::size_t>(B), 0.0);
  vmfa::detail::assignToPivots<S>(X, w, points, pivots, cell, count, potential);
  // the nearest pivot in double, from the exact squared distances
  Index wrong = 0;
  double excess = 0.0, total = 0.0;
  for (Index n = 0; n < N; ++n) {
    double best = std::numeric_limits<double>::infinity();
    for (Index b = 0; b < B; ++b)
      best = std::min(best, (X.col(n).template cast<double>() - pivots.col(b).template cast<double>()).squaredNorm());
    const double got =
        (X.col(n).template cast<double>() - pivots.col(cell[static_cast<std::size_t>(n)]).template cast<double>()).squaredNorm();
    wrong += got > best * (1.0 + 1e-3);
    excess += got - best;
    total += best;
  }
  INFO(wrong << " of " << N << " points in a farther cell, excess distance " << excess / total);
  CHECK(wrong <= N / 200);
  CHECK(excess <= 1e-3 * total);
}

TEMPLATE_TEST_CASE("loading initialisations: Small, Broad and Uniform draw in their ranges; PPCA recovers each cluster's "
                   "covariance; all are thread-count independent and fit with a free energy that never decreases",
                   "[defaults][init]", float, double) {
  using S = TestType;
  const Index C = 3, D = 8, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 61, 12.0);  // far apart: clusters are the components
  const vmfa::Matrix<S> X = sampleFrom(truth, 6000, 62);
  const Eigen::Ref<const vmfa::Matrix<S>> Xr(X);
  const auto initial = [&](vmfa::LoadingInit kind, int threads, double noiseScale = 1.0) {
    vmfa::Options o;
    o.numComponents = C;
    o.latentDim = H;
    o.loadingInit = kind;
    o.noiseInitScale = noiseScale;
    o.numThreads = threads;
    const vmfa::FitContext<S> ctx(Xr, Eigen::VectorXd(), o);
    return std::make_pair(vmfa::initialParameters(ctx), ctx.dataVariance);
  };
  for (auto kind : {vmfa::LoadingInit::Small, vmfa::LoadingInit::Broad, vmfa::LoadingInit::Uniform, vmfa::LoadingInit::Ppca}) {
    const auto [p, var] = initial(kind, 2);
    const auto one = initial(kind, 1).first;
    CHECK(one.loadings == p.loadings);
    CHECK(one.noise == p.noise);
    CHECK(one.means == p.means);
    p.validate("test");
    for (Index c = 0; c < C; ++c)
      for (Index d = 0; d < D; ++d)
        for (Index h = 0; h < H; ++h) {
          const double v = static_cast<double>(p.loadings(d, c * H + h)), sd = std::sqrt(var(d));
          if (kind == vmfa::LoadingInit::Broad) CHECK((v >= 0.0 && v <= sd * (1 + 1e-6)));
          if (kind == vmfa::LoadingInit::Uniform) CHECK((v >= 0.0 && v <= 1.0));
          if (kind == vmfa::LoadingInit::Small) CHECK(std::abs(v) <= 0.1 * 6.0 * sd);
        }
    if (kind != vmfa::LoadingInit::Ppca)
      CHECK(p.noise.col(0).template cast<double>().isApprox(var.cwiseMax(1e-4 * var), 1e-6));
  }
  // ψ = noiseInitScale · σ²
  const auto [q, var] = initial(vmfa::LoadingInit::Small, 2, 0.1);
  CHECK(q.noise.col(1).template cast<double>().isApprox(0.1 * var, 1e-6));
  // PPCA: each component's mean and covariance ΛΛᵀ + Ψ match its cluster's (the true component's)
  const auto ppca = initial(vmfa::LoadingInit::Ppca, 2).first;
  for (Index c = 0; c < C; ++c) {
    Index match = 0;
    double best = std::numeric_limits<double>::infinity();
    for (Index k = 0; k < C; ++k) {
      const double dist = (ppca.absoluteMean(c) - truth.absoluteMean(k)).norm();
      if (dist < best) best = dist, match = k;
    }
    INFO("component " << c << ": mean off by " << best);
    CHECK(best < 0.3);
    const Eigen::MatrixXd got = denseCovariance(ppca, c), want = denseCovariance(truth, match);
    INFO("covariance off by " << (got - want).norm() / want.norm() << " relative");
    CHECK((got - want).norm() < 0.15 * want.norm());
  }
  // every kind fits, and exact EM's free energy never decreases
  for (auto kind : {vmfa::LoadingInit::Broad, vmfa::LoadingInit::Uniform, vmfa::LoadingInit::Ppca}) {
    vmfa::Options o;
    o.numComponents = C;
    o.latentDim = H;
    o.loadingInit = kind;
    o.maxIterations = 20;
    vmfa::ExactModel<S> m(o);
    const auto r = m.fit(X);
    CHECK(r.status != vmfa::FitStatus::NumericalIssue);
    for (std::size_t i = 1; i < r.history.size(); ++i)
      CHECK(r.history[i].freeEnergy >= r.history[i - 1].freeEnergy - 1e-5 * std::abs(r.history[i - 1].freeEnergy));
  }
  vmfa::Options bad;
  bad.numComponents = 3;
  bad.noiseInitScale = 0.0;
  vmfa::Model<S> m(bad);
  CHECK_THROWS_WITH(m.fit(X), "vmfa::Model::fit: noiseInitScale = 0 must be finite and > 0");
}
