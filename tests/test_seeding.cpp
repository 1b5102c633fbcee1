// The initial parameters: AFK-MC² through the seeding tree, its numerical behaviour far from the
// origin, the loading initialisations and their names.
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

TEMPLATE_TEST_CASE("AFK-MC2 through the seeding tree seeds as well as exact AFK-MC2, for any thread count",
                   "[seeding]", float, double) {
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
    vmfa::Options o = fitOptions(C, 2);
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
  // the former name still works, and wins where a program sets it
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
  {
    vmfa::Options o = fitOptions(C, 2);
    o.seedingTreeFrom = 0;
    o.afkmc2IndexFrom = 1;
    o.numThreads = 2;
    o.callback = [](const vmfa::IterationStats&) { return false; };
    vmfa::Model<S> m(o);
    m.fit(X);
    CHECK(vmfa::Matrix<S>(m.means()) == indexed);
  }
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
  CHECK(vmfa::detail::seedingTreeFrom(vmfa::Options()) == 4096);
  vmfa::Options bad;
  bad.numComponents = 3;
  bad.seedingTreeFrom = -1;
  vmfa::Model<S> m(bad);
  CHECK_THROWS_WITH(m.fit(X), "vmfa::Model::fit: seedingTreeFrom = -1 must be >= 0 (0: never)");
}

TEMPLATE_TEST_CASE("the seeding tree assigns points far from the origin to their nearest pivot", "[seeding][precision]",
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
                   "[seeding]", float, double) {
  using S = TestType;
  const Index C = 3, D = 8, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 61, 12.0);  // far apart: clusters are the components
  const vmfa::Matrix<S> X = sampleFrom(truth, 6000, 62);
  const Eigen::Ref<const vmfa::Matrix<S>> Xr(X);
  const auto initial = [&](vmfa::LoadingInit kind, int threads, double noiseScale = 1.0) {
    vmfa::Options o = fitOptions(C, H);
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
    vmfa::Options o = fitOptions(C, H);
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

TEST_CASE("the names of the initialisations: every name parses to the enum whose name it is, others do not", "[seeding][errors]") {
  REQUIRE(vmfa::initNames().size() == 3);
  REQUIRE(vmfa::loadingInitNames().size() == 4);
  CHECK(vmfa::initNames().front() == vmfa::toString(vmfa::Options().init));  // the default first
  CHECK(vmfa::loadingInitNames().front() == vmfa::toString(vmfa::Options().loadingInit));
  for (const std::string& name : vmfa::initNames()) {
    vmfa::Init i = vmfa::Init::RandomPoints;
    REQUIRE(vmfa::fromString(name, i));
    CHECK(name == vmfa::toString(i));
  }
  for (const std::string& name : vmfa::loadingInitNames()) {
    vmfa::LoadingInit l = vmfa::LoadingInit::Ppca;
    REQUIRE(vmfa::fromString(name, l));
    CHECK(name == vmfa::toString(l));
  }
  vmfa::Init i = vmfa::Init::KMeansPlusPlus;
  CHECK_FALSE(vmfa::fromString("kmeans", i));
  CHECK(i == vmfa::Init::KMeansPlusPlus);  // unchanged
  vmfa::LoadingInit l = vmfa::LoadingInit::Small;
  CHECK_FALSE(vmfa::fromString("pca", l));
  CHECK_FALSE(vmfa::fromString("", l));
  CHECK(l == vmfa::LoadingInit::Small);
}
