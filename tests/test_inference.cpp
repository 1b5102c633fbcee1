// Inference on a fitted model against dense computations: responsibilities, the truncated search
// for new points, posterior latents, samples and information criteria.
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

TEMPLATE_TEST_CASE("repeated active components are refused by search and resume", "[inference][errors]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(6, 4, 1, 61, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 400, 62);
  vmfa::Options o = fitOptions(6, 1, 2);
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

TEMPLATE_TEST_CASE("searchResponsibilities finds the best components of new points without changing the model",
                   "[inference]", float, double) {
  using S = TestType;
  const auto truth = randomMfa<S>(12, 8, 2, 21, 5.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 3000, 1), Y = sampleFrom(truth, 1000, 2);
  vmfa::Options o = fitOptions(12, 2);
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.activeComponents = 2;
  vmfa::KlNeighborGraph::Options go;
  go.neighbors = 6;
  vmfa::Model<S> m(o, vmfa::TruncatedEStep<S>(eo, go));
  m.fit(X);
  const auto before = m.parameters();
  const auto graphBefore = m.estep().graph().saveState();

  // start every new point from the same (arbitrary) pair of components
  vmfa::IndexMatrix initial(2, Y.cols());
  initial.row(0).setConstant(0);
  initial.row(1).setConstant(1);
  std::uint64_t evaluations = 0;
  const auto r = m.searchResponsibilities(Y, initial, 5, &evaluations);
  REQUIRE(r.index.rows() == 2);
  REQUIRE(r.index.cols() == Y.cols());
  const Eigen::VectorXi best = m.predict(Y);
  Index found = 0;
  for (Index n = 0; n < Y.cols(); ++n) {
    found += r.index(0, n) == best(n);
    CHECK(r.prob(0, n) >= r.prob(1, n));
    CHECK(static_cast<double>(r.prob.col(n).sum()) == Approx(1.0).epsilon(1e-5));
  }
  INFO("best component found for " << found << " of " << Y.cols() << " points");
  CHECK(found >= Y.cols() * 99 / 100);  // five graph steps reach the best component
  CHECK(evaluations > 0);
  CHECK(evaluations <= static_cast<std::uint64_t>(5 * Y.cols() * (2 * 6 + 1)));
  // started from the exact top two, the search keeps them
  const auto top = m.topResponsibilities(Y, 2);
  const auto again = m.searchResponsibilities(Y, top.index);
  CHECK(again.index == top.index);
  CHECK(relDiff(again.prob.row(0), top.prob.row(0)) < 0.05);  // renormalised over two components
  CHECK(relDiff(m.parameters().means, before.means) == 0.0);
  CHECK(m.estep().graph().saveState() == graphBefore);

  CHECK_THROWS_WITH(m.searchResponsibilities(Y, vmfa::IndexMatrix::Zero(3, Y.cols())),
                    "vmfa::Model::searchResponsibilities: got 3 active components per point, the E-step keeps C' = 2");
  CHECK_THROWS_WITH(m.searchResponsibilities(Y, vmfa::IndexMatrix::Constant(2, Y.cols(), 12)),
                    "vmfa::Model::searchResponsibilities: active component 12 (entry 0) is out of range [0, 12)");
  vmfa::IndexMatrix repeated = initial;
  repeated(1, 5) = repeated(0, 5);
  CHECK_THROWS_WITH(m.searchResponsibilities(Y, repeated),
                    "vmfa::Model::searchResponsibilities: active component " + std::to_string(repeated(0, 5)) +
                        " appears twice for point 5");
  CHECK_THROWS_WITH(m.searchResponsibilities(Y, initial, 0), "vmfa::Model::searchResponsibilities: steps = 0 must be >= 1");
}

TEMPLATE_TEST_CASE("a search after setParameters or loadModel is valid, whatever the model held before",
                   "[inference][errors]", float, double) {
  using S = TestType;
  const auto small = randomMfa<S>(4, 6, 1, 23, 5.0), large = randomMfa<S>(8, 6, 1, 24, 5.0);
  const vmfa::Matrix<S> Y = sampleFrom(large, 400, 3);
  vmfa::Options o = fitOptions(4, 1);
  vmfa::Model<S> fitted(o);
  fitted.fit(sampleFrom(small, 500, 4));  // its graph has C = 4 rows
  vmfa::Model<S> fresh;                   // no graph at all
  TempDir dir;
  vmfa::Model<S> written;
  written.setParameters(large);
  vmfa::saveModel(written, dir.file("large.vmfa"));
  vmfa::Model<S> loaded(o);
  loaded.fit(sampleFrom(small, 500, 5));
  vmfa::loadModel(loaded, dir.file("large.vmfa"));
  fitted.setParameters(large);  // now C = 8
  fresh.setParameters(large);
  const vmfa::Responsibilities<S> exact = fresh.topResponsibilities(Y, 3);
  for (vmfa::Model<S>* m : {&fitted, &fresh, &loaded}) {
    REQUIRE(m->numComponents() == 8);
    vmfa::IndexMatrix initial(3, Y.cols());
    for (Index n = 0; n < Y.cols(); ++n)
      for (Index k = 0; k < 3; ++k) initial(k, n) = static_cast<std::int32_t>((n + 3 * k) % 8);
    const auto r = m->searchResponsibilities(Y, initial, 4);
    REQUIRE(m->estep().graph().numComponents() == 8);
    Index best = 0;
    for (Index n = 0; n < Y.cols(); ++n) {
      for (Index k = 0; k < 3; ++k) {
        CHECK(r.index(k, n) >= 0);
        CHECK(r.index(k, n) < 8);
        for (Index j = 0; j < k; ++j) CHECK(r.index(j, n) != r.index(k, n));
      }
      CHECK(static_cast<double>(r.prob.col(n).sum()) == Approx(1.0).epsilon(1e-5));
      CHECK(r.prob(0, n) > S(0));
      best += r.index(0, n) == exact.index(0, n);
    }
    CHECK(best >= Y.cols() * 95 / 100);  // four steps through a graph that starts random
  }
}

TEMPLATE_TEST_CASE("top-k responsibilities are the k largest dense ones", "[inference]", float, double) {
  using S = TestType;
  const auto p = randomMfa<S>(6, 10, 3, 7, 1.0);
  vmfa::Model<S> m;
  m.setParameters(p);
  const vmfa::Matrix<S> X = sampleFrom(p, 200, 3);
  const vmfa::Matrix<S> R = m.responsibilities(X);
  const auto top = m.topResponsibilities(X, 3);
  REQUIRE(top.perPoint() == 3);
  for (Index n = 0; n < X.cols(); ++n) {
    for (Index k = 0; k < 3; ++k) {
      CHECK(std::abs(static_cast<double>(top.prob(k, n)) - static_cast<double>(R(top.index(k, n), n))) < 1e-5);
      if (k > 0) CHECK(top.prob(k, n) <= top.prob(k - 1, n));
    }
    // nothing outside the top 3 beats the third
    std::vector<double> col(R.col(n).data(), R.col(n).data() + R.rows());
    std::sort(col.begin(), col.end(), std::greater<double>());
    CHECK(std::abs(col[2] - static_cast<double>(top.prob(2, n))) < 1e-5);
    CHECK(std::abs(R.col(n).template cast<double>().sum() - 1.0) < 10 * tol<S>());
  }
}

TEMPLATE_TEST_CASE("posterior latent mean and covariance match the dense formulas", "[inference]", float, double) {
  using S = TestType;
  const Index C = 3, D = 9, H = 3;
  const auto p = randomMfa<S>(C, D, H, 11);
  vmfa::Model<S> m;
  m.setParameters(p);
  const vmfa::Matrix<S> X = sampleFrom(p, 50, 5);
  Eigen::VectorXi comps(X.cols());
  for (Index n = 0; n < X.cols(); ++n) comps(n) = static_cast<int>(n % C);
  const vmfa::Matrix<S> Zmixed = m.latentMean(X, comps);
  for (Index c = 0; c < C; ++c) {
    const Eigen::MatrixXd L = p.loading(c).template cast<double>();
    const Eigen::MatrixXd beta = L.transpose() * denseCovariance(p, c).inverse();  // E[z|x] = β (x − μ)
    const Eigen::MatrixXd cov = Eigen::MatrixXd::Identity(H, H) - beta * L;       // Cov[z|x]
    CHECK(relDiff(m.latentCovariance(c), cov) < 1e-8);
    const vmfa::Matrix<S> Z = m.latentMean(X, c);
    const Eigen::MatrixXd ref = beta * (X.template cast<double>().colwise() - p.means.col(c).template cast<double>());
    CHECK(relDiff(Z, ref) < tol<S>());
    for (Index n = c; n < X.cols(); n += C) CHECK(relDiff(Zmixed.col(n), ref.col(n)) < tol<S>());
  }
}

TEMPLATE_TEST_CASE("samples follow the model's moments and do not depend on the thread count", "[inference]", float, double) {
  using S = TestType;
  const Index C = 2, D = 4, H = 2;
  auto p = randomMfa<S>(C, D, H, 21);
  vmfa::Model<S> m;
  m.setParameters(p);
  const auto s = m.sample(40000, 9);
  // mixture mean and weights
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(D);
  for (Index c = 0; c < C; ++c) mean += static_cast<double>(p.weights(c)) * p.means.col(c).template cast<double>();
  const Eigen::VectorXd sampleMean = s.points.template cast<double>().rowwise().mean();
  CHECK((sampleMean - mean).cwiseAbs().maxCoeff() < 0.15);
  const double frac0 = static_cast<double>((s.labels.array() == 0).count()) / 40000.0;
  CHECK(std::abs(frac0 - static_cast<double>(p.weights(0))) < 0.01);
  // covariance of component 0's samples
  Eigen::MatrixXd X0(D, (s.labels.array() == 0).count());
  for (Index n = 0, j = 0; n < s.labels.size(); ++n)
    if (s.labels(n) == 0) X0.col(j++) = s.points.col(n).template cast<double>();
  const Eigen::MatrixXd centred = X0.colwise() - X0.rowwise().mean();
  const Eigen::MatrixXd cov = centred * centred.transpose() / static_cast<double>(X0.cols());
  CHECK(relDiff(cov, denseCovariance(p, 0)) < 0.1);
  // thread-count independence
  vmfa::Options o1;
  o1.numThreads = 1;
  vmfa::Model<S> m1(o1);
  m1.setParameters(p);
  CHECK((m1.sample(1000, 9).points.array() == m.sample(1000, 9).points.array()).all());
}

TEMPLATE_TEST_CASE("BIC and AIC use the MFA parameter count", "[inference]", float, double) {
  using S = TestType;
  const Index C = 3, D = 6, H = 2;
  const auto p = randomMfa<S>(C, D, H, 4);
  vmfa::Model<S> m;
  m.setParameters(p);
  const double k = (C - 1) + C * D + C * (D * H - H * (H - 1) / 2) + C * D;
  CHECK(m.numFreeParameters() == k);
  const vmfa::Matrix<S> X = sampleFrom(p, 100, 2);
  const double ll = m.logLikelihood(X).sum();
  CHECK(m.bic(X) == Approx(-2 * ll + k * std::log(100.0)));
  CHECK(m.aic(X) == Approx(-2 * ll + 2 * k));
  CHECK(m.score(X) == Approx(ll / 100));
}
