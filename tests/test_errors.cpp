// Every bad input throws vmfa::InvalidArgument (a std::invalid_argument) with a pinned message,
// and a failed call leaves the model as it was.
#include "catch.hpp"
#include "support.hpp"

#include <limits>

using namespace vmfa_test;
using vmfa::Index;

namespace {

template <typename S>
vmfa::Matrix<S> smallData(Index D = 3, Index N = 20) {
  return sampleFrom(randomMfa<S>(2, D, 1, 1), N, 1);
}

template <typename S>
std::string fitError(vmfa::Options o, const vmfa::Matrix<S>& X) {
  vmfa::Model<S> m(o);
  try {
    m.fit(X);
  } catch (const vmfa::InvalidArgument& e) {
    return e.what();
  }
  return "(no exception)";
}

template <typename S>
std::string weightedFitError(vmfa::Options o, const vmfa::Matrix<S>& X, const Eigen::VectorXd& w) {
  vmfa::Model<S> m(o);
  try {
    m.fit(X, w);
  } catch (const vmfa::InvalidArgument& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace

TEMPLATE_TEST_CASE("fit rejects bad data and options with clear messages", "[errors]", float, double) {
  using S = TestType;
  vmfa::Options o = fitOptions(2, 1);
  const vmfa::Matrix<S> X = smallData<S>();

  CHECK(fitError<S>(o, vmfa::Matrix<S>(3, 0)) == "vmfa::Model::fit: data is empty (0 points)");
  CHECK(fitError<S>(o, vmfa::Matrix<S>(0, 5)) == "vmfa::Model::fit: data has dimension 0");
  vmfa::Matrix<S> bad = X;
  bad(1, 2) = std::numeric_limits<S>::quiet_NaN();
  CHECK(fitError<S>(o, bad) == "vmfa::Model::fit: data value (1, 2) is nan, must be finite");
  bad(1, 2) = -std::numeric_limits<S>::infinity();
  CHECK(fitError<S>(o, bad) == "vmfa::Model::fit: data value (1, 2) is -inf, must be finite");

  auto with = [&](auto change) {
    vmfa::Options c = o;
    change(c);
    return fitError<S>(c, X);
  };
  CHECK(with([](vmfa::Options& c) { c.numComponents = 0; }) == "vmfa::Model::fit: numComponents = 0 must be >= 1");
  CHECK(with([](vmfa::Options& c) { c.numComponents = 21; }) ==
        "vmfa::Model::fit: numComponents = 21 exceeds the number of points N = 20");
  CHECK(with([](vmfa::Options& c) { c.latentDim = 3; }) ==
        "vmfa::Model::fit: latentDim = 3 must satisfy 0 <= latentDim < D = 3");
  CHECK(with([](vmfa::Options& c) { c.latentDim = -1; }) ==
        "vmfa::Model::fit: latentDim = -1 must satisfy 0 <= latentDim < D = 3");
  CHECK(with([](vmfa::Options& c) { c.maxIterations = 0; }) == "vmfa::Model::fit: maxIterations = 0 must be >= 1");
  CHECK(with([](vmfa::Options& c) { c.tolerance = -1e-3; }) ==
        "vmfa::Model::fit: tolerance = -0.001 must be finite and >= 0");
  CHECK(with([](vmfa::Options& c) { c.tolerance = std::numeric_limits<double>::quiet_NaN(); }) ==
        "vmfa::Model::fit: tolerance = nan must be finite and >= 0");
  CHECK(with([](vmfa::Options& c) { c.warmupTolerance = std::numeric_limits<double>::infinity(); }) ==
        "vmfa::Model::fit: warmupTolerance = inf must be finite (negative: tolerance)");
  CHECK(with([](vmfa::Options& c) { c.searchEvery = 0; }) == "vmfa::Model::fit: searchEvery = 0 must be >= 1");
  CHECK(with([](vmfa::Options& c) { c.overRelaxation = 0.5; }) ==
        "vmfa::Model::fit: overRelaxation = 0.5 must be in [1, 1000]");
  CHECK(with([](vmfa::Options& c) { c.overRelaxation = std::numeric_limits<double>::quiet_NaN(); }) ==
        "vmfa::Model::fit: overRelaxation = nan must be in [1, 1000]");
  CHECK(with([](vmfa::Options& c) { c.varianceFloor = 0.0; }) ==
        "vmfa::Model::fit: varianceFloor = 0 must be in (0, 1)");
  CHECK(with([](vmfa::Options& c) { c.varianceFloor = 1.0; }) ==
        "vmfa::Model::fit: varianceFloor = 1 must be in (0, 1)");
  CHECK(with([](vmfa::Options& c) { c.afkmc2ChainLength = 0; }) ==
        "vmfa::Model::fit: afkmc2ChainLength = 0 must be >= 1");
  CHECK(with([](vmfa::Options& c) { c.numThreads = -2; }) == "vmfa::Model::fit: numThreads = -2 must be >= 0");
  CHECK(with([](vmfa::Options& c) { c.blockSize = 0; }) == "vmfa::Model::fit: blockSize = 0 must be >= 1");
  CHECK(with([](vmfa::Options& c) { c.warmStart = true; }) ==
        "vmfa::Model::fit: warmStart needs parameters with C = 2, H = 1, D = 3; the model has C = 0, H = 0, D = 0");

  Eigen::VectorXd w = Eigen::VectorXd::Ones(20);
  CHECK(weightedFitError<S>(o, X, Eigen::VectorXd::Ones(3)) == "vmfa::Model::fit: got 3 sample weights for 20 points");
  w(4) = -1.0;
  CHECK(weightedFitError<S>(o, X, w) == "vmfa::Model::fit: sample weight 4 is -1, must be finite and >= 0");
  w(4) = std::numeric_limits<double>::infinity();
  CHECK(weightedFitError<S>(o, X, w) == "vmfa::Model::fit: sample weight 4 is inf, must be finite and >= 0");
  CHECK(weightedFitError<S>(o, X, Eigen::VectorXd::Zero(20)) == "vmfa::Model::fit: sample weights sum to 0");
  w.setZero();
  w(3) = 1.0;
  CHECK(weightedFitError<S>(o, X, w) ==
        "vmfa::Model::fit: numComponents = 2 exceeds the 1 points with positive weight");

  // the exception type is a std::invalid_argument
  vmfa::Model<S> m(o);
  CHECK_THROWS_AS(m.fit(vmfa::Matrix<S>(3, 0)), std::invalid_argument);
}

TEMPLATE_TEST_CASE("inference rejects bad input and unfitted models", "[errors]", float, double) {
  using S = TestType;
  vmfa::Model<S> empty;
  const vmfa::Matrix<S> X = smallData<S>();
  CHECK_THROWS_AS(empty.score(X), vmfa::NotFitted);
  CHECK_THROWS_WITH(empty.logLikelihood(X),
                    "vmfa::Model::logLikelihood: the model has no parameters (call fit or setParameters first)");
  CHECK_THROWS_AS(empty.sample(3, 1), std::logic_error);

  vmfa::Model<S> m;
  m.setParameters(randomMfa<S>(2, 3, 1, 1));
  CHECK_THROWS_WITH(m.logLikelihood(smallData<S>(4)),
                    "vmfa::Model::logLikelihood: data has 4 rows but the model has dimension 3");
  CHECK_THROWS_WITH(m.predict(vmfa::Matrix<S>(3, 0)), "vmfa::Model::predict: data is empty (0 points)");
  vmfa::Matrix<S> bad = X;
  bad(0, 7) = std::numeric_limits<S>::infinity();
  CHECK_THROWS_WITH(m.responsibilities(bad), "vmfa::Model::responsibilities: data value (0, 7) is inf, must be finite");
  CHECK_THROWS_WITH(m.topResponsibilities(X, 0), "vmfa::Model::topResponsibilities: k = 0 must be in [1, C = 2]");
  CHECK_THROWS_WITH(m.topResponsibilities(X, 3), "vmfa::Model::topResponsibilities: k = 3 must be in [1, C = 2]");
  CHECK_THROWS_WITH(m.latentMean(X, 2), "vmfa::Model::latentMean: component 2 is out of range [0, 2)");
  CHECK_THROWS_WITH(m.latentMean(X, Eigen::VectorXi::Zero(3)), "vmfa::Model::latentMean: got 3 components for 20 points");
  CHECK_THROWS_WITH(m.latentCovariance(-1), "vmfa::Model::latentCovariance: component -1 is out of range [0, 2)");
  CHECK_THROWS_WITH(m.sample(-1, 0), "vmfa::Model::sample: number of samples n = -1 must be >= 0");
}

TEMPLATE_TEST_CASE("setParameters validates shapes and values", "[errors]", float, double) {
  using S = TestType;
  vmfa::Model<S> m;
  const auto good = randomMfa<S>(2, 3, 1, 1);
  auto p = good;
  p.weights(0) = S(0.75);
  p.weights(1) = S(0.5);
  CHECK_THROWS_WITH(m.setParameters(p), "vmfa::Model::setParameters: weights sum to 1.25, must sum to 1");
  p = good;
  p.noise(1, 1) = S(0);
  CHECK_THROWS_WITH(m.setParameters(p),
                    "vmfa::Model::setParameters: noise variance (1, 1) is 0, must be finite and > 0");
  p = good;
  p.loadings.resize(3, 5);
  CHECK_THROWS_WITH(m.setParameters(p), "vmfa::Model::setParameters: loadings is 3 x 5 but D x C*H = 3 x 2");
  p = good;
  p.latentDim = 3;
  CHECK_THROWS_WITH(m.setParameters(p), "vmfa::Model::setParameters: latent dimension H = 3 must satisfy 0 <= H < D = 3");
  p = good;
  p.means(0, 0) = std::numeric_limits<S>::quiet_NaN();
  CHECK_THROWS_WITH(m.setParameters(p), "vmfa::Model::setParameters: means and loadings must be finite");
  CHECK_FALSE(m.isFitted());  // nothing was set by the failed calls
}

TEMPLATE_TEST_CASE("a failed fit leaves a fitted model unchanged", "[errors]", float, double) {
  using S = TestType;
  vmfa::Options o = fitOptions(2, 1);
  const vmfa::Matrix<S> X = smallData<S>(3, 200);
  vmfa::Model<S> m(o);
  m.fit(X);
  const auto before = m.parameters();
  const double score = m.score(X);
  vmfa::Matrix<S> bad = X;
  bad(2, 100) = std::numeric_limits<S>::quiet_NaN();
  CHECK_THROWS_AS(m.fit(bad), vmfa::InvalidArgument);
  CHECK((m.means().array() == before.absoluteMeans().array()).all());
  CHECK(m.score(X) == score);
}

