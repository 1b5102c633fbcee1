// Exact EM (em-MFA) against a plain dense reference: monotonicity, recovery, determinism, sample
// weights, numerical trouble as a status, the free energy a stopped fit reports, and float against
// double on badly scaled data.
#include "catch.hpp"
#include "support.hpp"

#include <limits>
#include <set>

using namespace vmfa_test;
using vmfa::Index;

TEMPLATE_TEST_CASE("one exact-EM iteration equals a dense reference EM step", "[em]", float, double) {
  using S = TestType;
  for (Index H : {0, 1, 3}) {
    CAPTURE(H);
    const Index C = 3, D = 6;
    const auto truth = randomMfa<double>(C, D, H, 100 + static_cast<std::uint64_t>(H), 3.0);
    const Eigen::MatrixXd X = sampleFrom(truth, 400, 1);
    const vmfa::Matrix<S> Xs = X.cast<S>();
    // start near the truth, so that every component keeps some mass (no re-seeding)
    auto start = randomMfa<S>(C, D, H, 200 + static_cast<std::uint64_t>(H), 1.0);
    start.means += truth.means.template cast<S>();
    start.weights.setConstant(S(1) / S(C));
    auto o = fitOptions(C, H, 1, 0.0);
    o.warmStart = true;
    vmfa::ExactModel<S> m(o);
    m.setParameters(start);
    const auto r = m.fit(Xs);
    REQUIRE(r.status == vmfa::FitStatus::IterationLimit);
    REQUIRE(r.history.size() == 2);  // E, M, E
    REQUIRE(r.reseededComponents == 0);
    // reference from the same starting point on the same (rounded) data
    const auto ref = denseEmStep(start, Xs.template cast<double>(), o.varianceFloor);
    CHECK(relDiff(m.weights(), ref.weights) < tol<S>());
    CHECK(relDiff(m.means(), ref.means) < tol<S>());
    CHECK(relDiff(m.noise(), ref.noise) < 5 * tol<S>());
    if (H > 0) {
      // loadings are identified up to nothing here: same start, same update
      CHECK(relDiff(m.loadings(), ref.loadings) < 5 * tol<S>());
    }
    // the first history entry is the exact log-likelihood of the starting parameters
    vmfa::ExactModel<S> s0;
    s0.setParameters(start);
    CHECK(r.history[0].freeEnergy == Approx(s0.score(Xs)).epsilon(tol<S>()));
    CHECK(r.history[1].freeEnergy == Approx(m.score(Xs)).epsilon(tol<S>()));
  }
}

TEMPLATE_TEST_CASE("exact EM never decreases the log-likelihood", "[em]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(5, 12, 3, 7, 2.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 3000, 2);
  for (auto init : {vmfa::Init::AfkMc2, vmfa::Init::KMeansPlusPlus, vmfa::Init::RandomPoints}) {
    auto o = fitOptions(5, 3, 40, 0.0);
    o.init = init;
    vmfa::ExactModel<S> m(o);
    const auto r = m.fit(X);
    REQUIRE(r.reseededComponents == 0);
    REQUIRE(r.history.size() == 41);
    for (std::size_t i = 1; i < r.history.size(); ++i) {
      const double prev = r.history[i - 1].freeEnergy, cur = r.history[i].freeEnergy;
      CHECK(cur >= prev - (sizeof(S) == 4 ? 2e-5 : 1e-10) * std::abs(prev));
    }
    CHECK(r.history.back().freeEnergy == Approx(m.score(X)).epsilon(tol<S>()));
  }
}

TEMPLATE_TEST_CASE("exact EM recovers a known MFA", "[em]", float, double) {
  using S = TestType;
  const Index C = 4, D = 8, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 31, 8.0);
  const vmfa::Matrix<S> train = sampleFrom(truth, 6000, 1), test = sampleFrom(truth, 6000, 2);
  vmfa::ExactModel<S> trueModel;
  trueModel.setParameters(truth);
  // EM finds a local optimum: like a user, keep the best training fit of three seeds.
  vmfa::Options o = fitOptions(C, H, vmfa::Options().maxIterations, 1e-6);
  o.maxIterations = 500;
  vmfa::ExactModel<S> m;
  double bestTrain = -std::numeric_limits<double>::infinity();
  for (std::uint64_t seed : {1, 2, 3}) {
    o.seed = seed;
    vmfa::ExactModel<S> candidate(o);
    const auto r = candidate.fit(train);
    CHECK(r.status == vmfa::FitStatus::Converged);
    if (r.freeEnergy > bestTrain) {
      bestTrain = r.freeEnergy;
      m = candidate;
    }
  }
  const double gap = trueModel.score(test) - m.score(test);
  INFO("held-out log-likelihood per point: true " << trueModel.score(test) << ", fitted " << m.score(test));
  CHECK(gap < 0.03);  // the fitted model is within 0.03 nats/point of the truth on held-out data
  CHECK(gap > -0.03);
}

TEMPLATE_TEST_CASE("the same seed gives the same model with 1 and 2 threads", "[em][determinism]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(6, 10, 2, 3, 2.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 2000, 4);
  for (auto init : {vmfa::Init::AfkMc2, vmfa::Init::KMeansPlusPlus, vmfa::Init::RandomPoints}) {
    auto o = fitOptions(6, 2, 8, 0.0);
    o.init = init;
    o.blockSize = 64;
    o.numThreads = 1;
    vmfa::ExactModel<S> a(o);
    a.fit(X);
    o.numThreads = 2;
    vmfa::ExactModel<S> b(o);
    b.fit(X);
    CHECK((a.means().array() == b.means().array()).all());
    CHECK((a.loadings().array() == b.loadings().array()).all());
    CHECK((a.noise().array() == b.noise().array()).all());
    CHECK((a.weights().array() == b.weights().array()).all());
    // a different seed gives a different model
    o.seed = 777;
    vmfa::ExactModel<S> c(o);
    c.fit(X);
    CHECK(!(a.means().array() == c.means().array()).all());
  }
}

TEMPLATE_TEST_CASE("sample weights equal integer repetition of points", "[em][weights]", float, double) {
  using S = TestType;
  const Index C = 3, D = 5, H = 2;
  const auto truth = randomMfa<S>(C, D, H, 5, 2.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 300, 6);
  Eigen::VectorXd w(X.cols());
  Index total = 0;
  for (Index n = 0; n < X.cols(); ++n) total += static_cast<Index>(w(n) = static_cast<double>(n % 4));  // 0, 1, 2, 3
  vmfa::Matrix<S> rep(D, total);
  for (Index n = 0, j = 0; n < X.cols(); ++n)
    for (int k = 0; k < static_cast<int>(w(n)); ++k) rep.col(j++) = X.col(n);
  const auto start = randomMfa<S>(C, D, H, 8, 2.0);
  auto o = fitOptions(C, H, 6, 0.0);
  o.warmStart = true;
  vmfa::ExactModel<S> a(o), b(o);
  a.setParameters(start);
  b.setParameters(start);
  const auto ra = a.fit(X, w);
  const auto rb = b.fit(rep);
  CHECK(ra.freeEnergy == Approx(rb.freeEnergy).epsilon(tol<S>()));
  CHECK(relDiff(a.means(), b.means()) < tol<S>());
  CHECK(relDiff(a.loadings(), b.loadings()) < 10 * tol<S>());
  CHECK(relDiff(a.noise(), b.noise()) < 10 * tol<S>());
  CHECK(relDiff(a.weights(), b.weights()) < tol<S>());
  // seeding honours weights too: zero-weight points are never chosen as seeds
  vmfa::Options so = fitOptions(C, H, 1);
  so.numComponents = 40;
  const Eigen::Ref<const vmfa::Matrix<S>> Xr(X);
  for (auto init : {vmfa::Init::AfkMc2, vmfa::Init::KMeansPlusPlus, vmfa::Init::RandomPoints}) {
    so.init = init;
    const vmfa::FitContext<S> ctx(Xr, w, so);
    const auto p0 = vmfa::initialParameters(ctx);
    std::set<Index> chosen;
    for (Index c = 0; c < so.numComponents; ++c)
      for (Index n = 0; n < X.cols(); ++n)
        if ((X.col(n).template cast<double>() - p0.absoluteMean(c)).norm() <=  // seeds are stored relative to the origin
            1e-6 * (1.0 + X.col(n).template cast<double>().norm())) {
          CHECK(w(n) > 0.0);
          chosen.insert(n);
        }
    if (init == vmfa::Init::RandomPoints) CHECK(chosen.size() == 40u);  // distinct points
    else CHECK(chosen.size() >= 30u);
  }
}

TEMPLATE_TEST_CASE("numerical trouble is a status, not a crash", "[em][robust]", float, double) {
  using S = TestType;
  vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(2, 4, 1, 3), 200, 1);
  X.row(0) *= static_cast<S>(sizeof(S) == 4 ? 1e30 : 1e300);  // squares overflow the scalar type
  vmfa::Options o = fitOptions(2, 1);
  vmfa::ExactModel<S> m(o);
  vmfa::FitResult r;
  REQUIRE_NOTHROW(r = m.fit(X));
  CHECK(r.status == vmfa::FitStatus::NumericalIssue);
  CHECK(r.message.find("free energy") != std::string::npos);
}

TEMPLATE_TEST_CASE("shared noise, callbacks and diagonal GMMs", "[em]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(3, 6, 2, 12, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1500, 3);
  auto o = fitOptions(3, 2, 10, 0.0);
  o.sharedNoise = true;
  vmfa::ExactModel<S> shared(o);
  shared.fit(X);
  for (Index c = 1; c < 3; ++c) CHECK((shared.noise().col(c).array() == shared.noise().col(0).array()).all());
  const double kShared = shared.numFreeParameters();
  o.sharedNoise = false;
  vmfa::ExactModel<S> own(o);
  own.fit(X);
  CHECK(own.numFreeParameters() - kShared == 2 * 6);

  int calls = 0;
  o.callback = [&](const vmfa::IterationStats& s) {
    ++calls;
    CHECK(s.iteration == calls - 1);
    CHECK(s.logJointEvaluations == 1500u * 3u);
    return s.iteration < 2;
  };
  vmfa::ExactModel<S> stopped(o);
  const auto r = stopped.fit(X);
  CHECK(r.status == vmfa::FitStatus::StoppedByCallback);
  CHECK(r.history.size() == 3);
  CHECK(calls == 3);

  o.callback = nullptr;
  o.latentDim = 0;
  vmfa::ExactModel<S> diag(o);
  const auto rd = diag.fit(X);
  CHECK(diag.loadings().size() == 0);
  CHECK(std::isfinite(rd.freeEnergy));
  CHECK(own.score(X) > diag.score(X));  // the latent factors explain the correlations
}

// ---- float as a first-class path: float storage and kernels with double accumulators must fit
// badly scaled data as well as double does.

namespace {

/// Points of a random MFA, then feature d shifted by 1e4 and scaled by 10^(smallest + d), up to
/// 1e3. Returned in float; the double fits see the same values.
Eigen::MatrixXf badlyScaled(Index N, std::uint64_t seed, int smallest) {
  const Index D = 4 - smallest;
  const auto truth = randomMfa<double>(3, D, 2, seed, 3.0);
  Eigen::MatrixXd X = sampleFrom(truth, N, seed + 1);
  for (Index d = 0; d < D; ++d)
    X.row(d) = (X.row(d).array() * std::pow(10.0, static_cast<double>(smallest + d)) + 1e4).matrix();
  return X.cast<float>();
}

/// Mean exact log-likelihood of X under the parameters of `p`, evaluated in double.
template <typename S>
double scoreInDouble(const vmfa::Parameters<S>& p, const Eigen::MatrixXd& X) {
  vmfa::Parameters<double> q;
  q.resize(p.numComponents(), p.dim(), p.latentDim);
  q.weights = p.weights.template cast<double>();
  q.means = p.means.template cast<double>();
  q.origin = p.origin;
  q.loadings = p.loadings.template cast<double>();
  q.noise = p.noise.template cast<double>();
  vmfa::Model<double> m;
  m.setParameters(q);
  return m.score(X);
}

template <template <typename> class ModelOf>
void compareFloatAndDouble(const char* name, int smallest, double tolerance) {
  const Eigen::MatrixXf Xf = badlyScaled(4000, 31, smallest);
  const Eigen::MatrixXd Xd = Xf.cast<double>();
  vmfa::Options o = fitOptions(3, 2, 150);
  o.tolerance = 0.0;  // the same number of iterations for both
  ModelOf<float> mf(o);
  ModelOf<double> md(o);
  const vmfa::FitResult rf = mf.fit(Xf), rd = md.fit(Xd);
  CHECK(rf.status == vmfa::FitStatus::IterationLimit);
  CHECK(rd.status == vmfa::FitStatus::IterationLimit);
  const double llf = scoreInDouble(mf.parameters(), Xd), lld = scoreInDouble(md.parameters(), Xd);
  INFO(name << ": float model " << llf << ", double model " << lld << " nats per point (float's own score "
            << mf.score(Xf) << ")");
  CHECK(std::abs(llf - lld) <= tolerance * std::abs(lld));
  // float's own evaluation of its log-likelihood agrees with the double evaluation
  CHECK(std::abs(mf.score(Xf) - llf) <= 1e-4 * std::abs(llf));
  // the free energy never decreased by more than float round-off in the float fit
  for (std::size_t i = 1; i < rf.history.size(); ++i)
    if (!rf.history[i].warmup && !rf.history[i - 1].warmup)
      CHECK(rf.history[i].freeEnergy >= rf.history[i - 1].freeEnergy - 1e-5 * std::abs(rf.history[i - 1].freeEnergy));
}

template <typename S>
using Exact = vmfa::ExactModel<S>;
template <typename S>
using Truncated = vmfa::Model<S>;

}  // namespace

// Around 1e4 floats are 9.8e-4 apart. The data are on that grid for both fits. Means stored as
// floats would be too: rounding a mean by up to 4.9e-4 costs about (4.9e-4 / σ)² / 6 nats per
// point in a dimension of spread σ, up to 1% for the σ ≈ 1.4e-3 of a feature of scale 1e-3 (1.3%
// measured before the means became relative to the data's mean, `Parameters::origin`).
TEST_CASE("float fits badly scaled data (offsets 1e4, scales 1e-2 to 1e3) as well as double", "[precision]") {
  compareFloatAndDouble<Exact>("exact EM", -2, 5e-4);
  compareFloatAndDouble<Truncated>("v-MFA", -2, 5e-4);
}

TEST_CASE("float on offsets 1e4 with a feature of scale 1e-3: within 2e-4 of double (means relative to an origin)",
          "[precision]") {
  compareFloatAndDouble<Exact>("exact EM", -3, 2e-4);
  compareFloatAndDouble<Truncated>("v-MFA", -3, 2e-4);
}

// The M-step's sums in float models: the products of one block of at most blockSize points are
// formed in float (the SIMD passes and Eigen's products), the blocks are added in double. ψ comes
// from syy − Σ W·YE, which cancels by λ²/ψ: the float error of the block sums is amplified by that
// ratio. This pins the precision that float models actually have there.
TEST_CASE("one exact M-step in float: the noise within 5e-4 relative of double's at lambda^2/psi = 1e3", "[precision][mstep]") {
  const Index D = 16, N = 20000;
  vmfa::Parameters<double> truth;
  truth.resize(1, D, 1);
  truth.weights(0) = 1.0;
  truth.means.setConstant(0.5);
  truth.loadings.setOnes();        // λ_d² = 1
  truth.noise.setConstant(1e-3);   // ψ_d = 1e-3: λ²/ψ = 1e3
  const vmfa::Matrix<float> Xf = sampleFrom(truth, N, 71).cast<float>();
  const vmfa::Matrix<double> Xd = Xf.cast<double>();  // the same values: only the arithmetic differs
  vmfa::Parameters<double> start = truth;
  start.loadings *= 0.9;
  start.noise *= 2.0;
  vmfa::Options o = fitOptions(1, 1, 1, 0.0);
  o.warmStart = true;
  vmfa::ExactModel<double> md(o);
  md.setParameters(start);
  md.fit(Xd);
  vmfa::ExactModel<float> mf(o);
  vmfa::Parameters<float> startf;
  startf.resize(1, D, 1);
  startf.weights = start.weights.cast<float>();
  startf.means = start.means.cast<float>();
  startf.loadings = start.loadings.cast<float>();
  startf.noise = start.noise.cast<float>();
  mf.setParameters(startf);
  mf.fit(Xf);
  const Eigen::ArrayXd psiD = md.noise().col(0).array(), psiF = mf.noise().col(0).cast<double>().array();
  const double worst = ((psiF - psiD).abs() / psiD).maxCoeff();
  INFO("largest relative difference of psi, float against double: " << worst);
  CHECK(worst < 5e-4);
  CHECK(((mf.loadings().cast<double>() - md.loadings()).array().abs() / md.loadings().array().abs()).maxCoeff() < 1e-5);
}

TEMPLATE_TEST_CASE("the free energy of a stopped fit belongs to the parameters before its last M-step", "[em]",
                   float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(5, 6, 2, 71, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1500, 72);
  vmfa::Options o = fitOptions(5, 2, vmfa::Options().maxIterations, 0.0);
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

