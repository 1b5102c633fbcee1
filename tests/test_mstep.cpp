// The M-step: its statistics as values (halves, ranges, kernel paths, fused pass), the noise floor
// and the re-seeding of degenerate components.
#include "catch.hpp"
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

using namespace vmfa_test;
using vmfa::Index;

TEMPLATE_TEST_CASE("minimumNoise holds for re-seeded components and for shared noise without mass", "[mstep][robust]",
                   float, double) {
  using S = TestType;
  const Index C = 4, D = 6, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 9, 2.0);
  vmfa::Matrix<S> X = sampleFrom(truth, 1000, 1);
  X.row(2).setConstant(S(3));  // a constant feature: its data variance is 0
  const double floor = 0.05;
  auto start = truth;
  start.means.col(2).setConstant(S(1e4));  // no mass: re-seeded by the first M-step
  vmfa::Options o = fitOptions(C, H, 1, 0.0);
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

TEMPLATE_TEST_CASE("statisticsBytes at its extremes: SIZE_MAX holds every component at once, 1 one at a time",
                   "[mstep]", float, double) {
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
  vmfa::Options o = fitOptions(6, 1, 4, 0.0);
  vmfa::Model<S, vmfa::ExactEStep<S>, MStep> a(o, {}, MStep(huge)), b(o, {}, MStep(tiny));
  a.fit(X);
  b.fit(X);
  CHECK((a.parameters().means.array() == b.parameters().means.array()).all());
  CHECK((a.parameters().noise.array() == b.parameters().noise.array()).all());
}

TEMPLATE_TEST_CASE("minimumNoise bounds every fitted noise variance from below", "[mstep]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(4, 6, 2, 5, 4.0);  // noise variances in [0.05, 0.15]
  const vmfa::Matrix<S> X = sampleFrom(truth, 2000, 1);
  vmfa::Options o = fitOptions(4, 2, 20);
  o.minimumNoise = 0.3;
  vmfa::Model<S> m(o);
  m.fit(X);
  CHECK(static_cast<double>(m.noise().minCoeff()) >= 0.3 * (1 - 1e-6));
  vmfa::Model<S> free(o);
  free.options().minimumNoise = 0.0;
  const vmfa::FitResult freeResult = free.fit(X);
  CHECK(static_cast<double>(free.noise().minCoeff()) < 0.2);  // without the bound the fit goes below it
  // FitResult counts the noise variances at their floor: none without the bound, those the bound holds with it
  CHECK(freeResult.noiseAtFloor == 0);
  const vmfa::FitResult bounded = m.fit(X);
  Index atBound = 0;
  for (Index i = 0; i < m.noise().size(); ++i) atBound += static_cast<double>(m.noise().data()[i]) <= 0.3 * (1 + 1e-6);
  CHECK(atBound > 0);
  CHECK(bounded.noiseAtFloor == atBound);
  o.minimumNoise = 100.0;  // above every dimension's variance: every ψ at the floor
  vmfa::Model<S> all(o);
  CHECK(all.fit(X).noiseAtFloor == 4 * 6);
  m.options().minimumNoise = -1.0;
  CHECK_THROWS_WITH(m.fit(X), "vmfa::Model::fit: minimumNoise = -1 must be finite and >= 0");
}

TEMPLATE_TEST_CASE("degenerate components are re-seeded, not dropped", "[em][robust]", float, double) {
  using S = TestType;
  const Index C = 4, D = 6, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 9, 2.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1000, 1);
  auto start = truth;
  start.means.col(2).setConstant(S(1e4));  // far from every point: no responsibility mass at all
  auto o = fitOptions(C, H, 5, 0.0);
  o.warmStart = true;
  vmfa::ExactModel<S> m(o);
  m.setParameters(start);
  const auto r = m.fit(X);
  CHECK(r.reseededComponents >= 1);
  CHECK(r.history[0].reseededComponents >= 1);
  CHECK(r.status == vmfa::FitStatus::IterationLimit);
  CHECK(m.numComponents() == C);
  CHECK(m.means().allFinite());
  CHECK(m.noise().allFinite());
  CHECK(m.weights()(2) > S(0));
  CHECK((m.means().col(2).array() < S(1e3)).all());  // moved onto the data
  CHECK(std::isfinite(m.score(X)));
}

TEMPLATE_TEST_CASE("M-step statistics of two halves of the data add up to those of the whole", "[mstep]", float, double) {
  using S = TestType;
  const Index C = 5, D = 7, H = 2, N = 900;
  const auto p = randomMfa<S>(C, D, H, 8, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(p, N, 9);
  vmfa::Model<S> m;
  m.setParameters(p);
  const auto top = m.topResponsibilities(X, 3);  // truncated responsibilities, K = 3
  vmfa::ComponentCache<S> cache;
  cache.compute(p, 1);
  vmfa::Options o = fitOptions(C, H);
  const Eigen::VectorXd none;
  vmfa::ClosedFormMStep<S> mstep;
  auto stats = [&](Index first, Index count) {
    const vmfa::FitContext<S> ctx(X.middleCols(first, count), none, o);  // a block: the context keeps it alive
    vmfa::Responsibilities<S> r;
    r.index = top.index.middleCols(first, count);
    r.prob = top.prob.middleCols(first, count);
    return mstep.accumulate(ctx, p, cache, r, 1, 3);  // components 1, 2, 3
  };
  const vmfa::MStepStatistics whole = stats(0, N);
  vmfa::MStepStatistics merged = stats(0, 400);
  merged += stats(400, N - 400);
  REQUIRE(merged.values().size() == whole.values().size());
  REQUIRE(whole.count() == 3);
  CHECK(whole.mass(2) > 10.0);
  for (std::size_t i = 0; i < whole.values().size(); ++i)
    CHECK(merged.values()[i] == Approx(whole.values()[i]).epsilon(sizeof(S) == 4 ? 1e-5 : 1e-12).margin(1e-9));
  CHECK_THROWS_AS(merged += vmfa::MStepStatistics(0, 3, D, H), vmfa::InvalidArgument);
}

TEMPLATE_TEST_CASE("M-step statistics match a dense double computation on every kernel path, H and D", "[mstep][kernel]",
                   float, double) {
  using S = TestType;
  const Index C = 4, N = 700;
  for (const Index D : {7, 37, 150})
    for (const Index H : {1, 4, 8, 9}) {  // H = 9: past the SIMD paths (the portable code)
      if (H >= D) continue;
      const auto p = randomMfa<S>(C, D, H, 20 + static_cast<std::uint64_t>(D + H), 3.0);
      const vmfa::Matrix<S> X = sampleFrom(p, N, 21);
      vmfa::Model<S> m;
      m.setParameters(p);
      const auto top = m.topResponsibilities(X, 2);  // truncated, K = 2
      vmfa::Responsibilities<S> dense;               // dense: every component, C × N
      dense.prob = vmfa::Matrix<S>::Zero(C, N);
      for (Index n = 0; n < N; ++n)
        for (Index k = 0; k < 2; ++k) dense.prob(top.index(k, n), n) = top.prob(k, n);
      vmfa::ComponentCache<S> cache;
      cache.compute(p, 1);
      // the reference: z̄ = (I + ΛᵀΨ⁻¹Λ)⁻¹ΛᵀΨ⁻¹(x − μ) in double, then the sums one point at a time
      std::vector<Eigen::MatrixXd> YE(C, Eigen::MatrixXd::Zero(D, H + 1)), EE(C, Eigen::MatrixXd::Zero(H + 1, H + 1));
      std::vector<Eigen::VectorXd> syy(C, Eigen::VectorXd::Zero(D));
      for (Index c = 0; c < C; ++c) {
        const Eigen::MatrixXd L = p.loading(c).template cast<double>();
        const Eigen::VectorXd ip = p.noise.col(c).template cast<double>().cwiseInverse();
        const Eigen::LDLT<Eigen::MatrixXd> M(Eigen::MatrixXd::Identity(H, H) + L.transpose() * ip.asDiagonal() * L);
        for (Index n = 0; n < N; ++n) {
          const double w = static_cast<double>(dense.prob(c, n));
          if (w == 0.0) continue;
          const Eigen::VectorXd y = X.col(n).template cast<double>() - p.means.col(c).template cast<double>();
          Eigen::VectorXd z(H + 1);
          z.head(H) = M.solve(L.transpose() * ip.asDiagonal() * y);
          z(H) = 1.0;
          YE[c] += w * y * z.transpose();
          EE[c] += w * z * z.transpose();
          syy[c] += w * y.cwiseAbs2();
        }
      }
      vmfa::Options o = fitOptions(C, H);
      o.blockSize = 64;  // several blocks per component, and a short last one
      const Eigen::VectorXd none;
      const vmfa::FitContext<S> ctx(X, none, o);
      const vmfa::ClosedFormMStep<S> mstep;
      const double tol = sizeof(S) == 4 ? 2e-4 : 1e-10;
      auto near = [&](const auto& got, const auto& want) {  // relative to the largest entry
        return (got - want).cwiseAbs().maxCoeff() <= tol * std::max(1.0, want.cwiseAbs().maxCoeff());
      };
      for (const vmfa::KernelPath path : supportedKernelPaths()) {
        const KernelPathScope scope(path);
        const vmfa::Responsibilities<S>* both[] = {&top, &dense};
        for (const vmfa::Responsibilities<S>* r : both) {
          const vmfa::MStepStatistics st = mstep.accumulate(ctx, p, cache, *r, 0, C);
          for (Index c = 0; c < C; ++c) {
            INFO("path " << vmfa::kernelPathName(path) << ", " << (r == &top ? "truncated" : "dense") << ", D = " << D
                         << ", H = " << H << ", component " << c);
            CHECK(near(st.YE(c), YE[c]));
            CHECK(near(st.EE(c), EE[c]));
            CHECK(near(st.syy(c), syy[c]));
            CHECK(st.mass(c) == Approx(EE[c](H, H)).epsilon(sizeof(S) == 4 ? 1e-5 : 1e-12));
          }
        }
      }
    }
}

TEMPLATE_TEST_CASE("M-step statistics in several ranges of components give the same fit as one range", "[mstep]",
                   float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(10, 6, 2, 21, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1500, 22);
  vmfa::Options o = fitOptions(10, 2, 5);
  vmfa::Model<S> whole(o);
  typename vmfa::ClosedFormMStep<S>::Options mo;
  mo.statisticsBytes = 3 * 8 * static_cast<std::size_t>(vmfa::MStepStatistics(0, 0, 6, 2).stride());  // 3 components
  REQUIRE(vmfa::ClosedFormMStep<S>(mo).componentsPerPass(10, 6, 2) == 3);
  vmfa::Model<S> ranges(o, vmfa::TruncatedEStep<S>(), vmfa::ClosedFormMStep<S>(mo));
  const auto r1 = whole.fit(X);
  const auto r2 = ranges.fit(X);
  CHECK(r1.freeEnergy == r2.freeEnergy);
  CHECK(whole.parameters().loadings == ranges.parameters().loadings);
  CHECK(whole.parameters().noise == ranges.parameters().noise);
}

TEMPLATE_TEST_CASE("the M-step's fused accumulate-and-solve gives the parameters of accumulate then solve, bit for bit",
                   "[mstep]", float, double) {
  using S = TestType;
  const Index C = 7, D = 9, H = 3, N = 1100;
  auto p = randomMfa<S>(C, D, H, 31, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(p, N, 32);
  p.means.col(6).array() += S(1e3);  // far from every point: no responsibility, a degenerate component
  vmfa::Model<S> m;
  m.setParameters(p);
  const auto resp = m.topResponsibilities(X, 2);
  vmfa::ComponentCache<S> cache;
  cache.compute(p, 1);
  const Eigen::VectorXd none;
  for (int threads : {1, 2, 3}) {
    vmfa::Options o = fitOptions(C, H);
    o.numThreads = threads;
    o.blockSize = 64;  // several blocks per component
    const vmfa::FitContext<S> ctx(X, none, o);
    const vmfa::ClosedFormMStep<S> mstep;
    vmfa::Parameters<S> split = p, fused = p;
    auto a = mstep.begin(ctx, split), b = mstep.begin(ctx, fused);
    for (Index first = 0; first < C; first += 3) {  // ranges of 3, 3 and 1 components
      const Index count = std::min<Index>(3, C - first);
      mstep.solve(ctx, mstep.accumulate(ctx, split, cache, resp, first, count), cache, split, a);
      mstep.accumulateAndSolve(ctx, fused, cache, resp, first, count, b);
    }
    INFO("threads = " << threads);
    CHECK(a.mass == b.mass);
    CHECK(a.degenerate == b.degenerate);
    CHECK(a.degenerate[6] == 1);
    CHECK(a.mass[2] > 10.0);
    CHECK(fused.means == split.means);
    CHECK(fused.loadings == split.loadings);
    CHECK(fused.noise == split.noise);
    CHECK(fused.means != p.means);  // the M-step did move them
  }
  // in a fit: a combiner that combines nothing takes the unfused path, and changes nothing
  vmfa::Options o = fitOptions(C, H, 4);
  vmfa::Model<S> plain(o), combined(o);
  int calls = 0;
  combined.setCombiner({nullptr, [&](vmfa::MStepStatistics&) { ++calls; }});
  const auto r1 = plain.fit(X), r2 = combined.fit(X);
  CHECK(calls > 0);
  CHECK(r1.freeEnergy == r2.freeEnergy);
  CHECK(plain.parameters().loadings == combined.parameters().loadings);
  CHECK(plain.parameters().noise == combined.parameters().noise);
}
