// The Woodbury log-joint kernel and the inference methods, against dense-Σ computations.
#include "catch.hpp"
#include "support.hpp"

using namespace vmfa_test;
using vmfa::Index;

TEMPLATE_TEST_CASE("log-joints match a dense-covariance computation", "[kernel]", float, double) {
  using S = TestType;
  // H = 0, the fused pass (1 <= H <= 8; D below, at and past a multiple of its 64-byte lanes) and
  // the matrix-product path (H > 8)
  const std::vector<std::array<Index, 3>> shapes = {{{1, 1, 0}},  {{3, 5, 0}},   {{4, 7, 2}},  {{2, 16, 5}}, {{5, 33, 7}},
                                                    {{3, 64, 4}}, {{2, 50, 8}}, {{2, 40, 9}}, {{1, 20, 12}}};
  for (const vmfa::KernelPath path : supportedKernelPaths()) {
  const KernelPathScope scope(path);
  CAPTURE(vmfa::kernelPathName(path));
  std::uint64_t seed = 1;
  for (const auto& s : shapes) {
    const Index C = s[0], D = s[1], H = s[2];
    CAPTURE(C, D, H);
    const auto p = randomMfa<S>(C, D, H, ++seed, 2.0);
    vmfa::Model<S> m;
    m.setParameters(p);
    const vmfa::Matrix<S> X = sampleFrom(p, 300, seed);  // 300 > block size: several blocks
    const Eigen::VectorXd ll = m.logLikelihood(X);
    const vmfa::Matrix<S> R = m.responsibilities(X);
    const Eigen::VectorXi labels = m.predict(X);
    double worst = 0.0;
    for (Index n = 0; n < X.cols(); ++n) {
      Eigen::VectorXd lj(C);
      for (Index c = 0; c < C; ++c) lj(c) = denseLogJoint(p, c, X.col(n).template cast<double>());
      const double mx = lj.maxCoeff();
      const double ref = mx + std::log((lj.array() - mx).exp().sum());
      worst = std::max(worst, std::abs(ll(n) - ref) / std::max(1.0, std::abs(ref)));
      const Eigen::VectorXd post = (lj.array() - ref).exp();
      CHECK(relDiff(R.col(n), post) < 10 * tol<S>());
      Index arg;
      lj.maxCoeff(&arg);
      if (post(arg) > 0.6) CHECK(labels(n) == arg);  // ties are ambiguous in float
    }
    CHECK(worst < tol<S>() / 10);
  }
  }
}

TEMPLATE_TEST_CASE("every kernel path gives the portable path's log-joints to rounding, at every H and D past the "
                   "vector width",
                   "[kernel]", float, double) {
  using S = TestType;
  const auto paths = supportedKernelPaths();
  INFO("paths supported here: " << paths.size());
  std::uint64_t seed = 40;
  for (const Index D : {1, 3, 8, 15, 16, 17, 33, 64, 100}) {
    for (Index H = 0; H <= 9 && H < D; ++H) {
      CAPTURE(D, H);
      const auto p = randomMfa<S>(3, D, H, ++seed, 2.0);
      const vmfa::Matrix<S> X = sampleFrom(p, 37, seed);  // 37: blocks of points end short
      vmfa::ComponentCache<S> cache;
      cache.compute(p, 1);
      vmfa::KernelScratch<S> scratch;
      vmfa::Vector<S> out(X.cols());
      Eigen::MatrixXd reference(3, X.cols());
      {
        const KernelPathScope scope(vmfa::KernelPath::Generic);
        for (Index c = 0; c < 3; ++c) {
          vmfa::logJointBlock(p, cache, c, X, scratch, out);
          reference.row(c) = out.template cast<double>().transpose();
        }
      }
      for (const vmfa::KernelPath path : paths) {
        CAPTURE(vmfa::kernelPathName(path));
        const KernelPathScope scope(path);
        for (Index c = 0; c < 3; ++c) {
          vmfa::logJointBlock(p, cache, c, X, scratch, out);
          // rounding scale of the Woodbury form: ε·dᵀΨ⁻¹d (the terms it subtracts), in double
          const Eigen::MatrixXd d = X.template cast<double>().colwise() - p.means.col(c).template cast<double>();
          const Eigen::VectorXd a =
              (d.array().square().colwise() / p.noise.col(c).template cast<double>().array()).colwise().sum().transpose();
          const Eigen::VectorXd got = out.template cast<double>();
          const double worst = ((got - reference.row(c).transpose()).array().abs() / (1.0 + a.array())).maxCoeff();
          CHECK(worst < 8 * std::numeric_limits<S>::epsilon());
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("a point's log-joint does not depend on the other points of its batch, on every kernel path",
                   "[kernel]", float, double) {
  // The SIMD paths work on blocks of points and on tiles of several blocks (R⁻¹t is formed for a
  // register's width of points at once): every point must still get exactly what it gets alone.
  using S = TestType;
  std::uint64_t seed = 70;
  for (const vmfa::KernelPath path : supportedKernelPaths()) {
    const KernelPathScope scope(path);
    for (const Index D : {17, 64}) {
      for (Index H = 0; H <= vmfa::detail::kMaxFusedLatent; ++H) {  // larger H: Eigen's product, blocked by b
        CAPTURE(vmfa::kernelPathName(path), D, H);
        const auto p = randomMfa<S>(2, D, H, ++seed, 2.0);
        // 300 points: several tiles at every H, the last one short; a few near the subspace, where
        // the residual form takes over
        vmfa::Matrix<S> X = sampleFrom(p, 300, seed);
        for (Index j = 0; j < 300; j += 7) X.col(j) = p.means.col(1) + p.loading(1) * vmfa::Vector<S>::Ones(H);
        vmfa::ComponentCache<S> cache;
        cache.compute(p, 1);
        vmfa::KernelScratch<S> scratch;
        vmfa::Vector<S> batch(X.cols()), alone(1);
        for (Index c = 0; c < 2; ++c) {
          vmfa::logJointBlock(p, cache, c, X, scratch, batch);
          // bit for bit on the SIMD paths; the portable path refines the cancelled columns with one
          // Eigen product over all of them, whose summation order depends on how many there are
          const double tolerance =
              path == vmfa::KernelPath::Generic ? 64 * static_cast<double>(std::numeric_limits<S>::epsilon()) : 0.0;
          Index differ = 0;
          for (Index j = 0; j < X.cols(); ++j) {
            vmfa::logJointBlock(p, cache, c, X.col(j), scratch, alone);
            const double a = static_cast<double>(alone(0)), b = static_cast<double>(batch(j));
            differ += !(std::abs(a - b) <= tolerance * (1.0 + std::abs(b)));
          }
          CHECK(differ == 0);
        }
      }
    }
  }
}

TEST_CASE("setKernelPath refuses a path the processor lacks and keeps the current one", "[kernel][errors]") {
  const vmfa::KernelPath before = vmfa::kernelPath();
  for (auto p : {vmfa::KernelPath::Generic, vmfa::KernelPath::Avx2, vmfa::KernelPath::Avx512}) {
    if (vmfa::detail::kernelPathSupported(p)) continue;
    std::string message;
    try {
      vmfa::setKernelPath(p);
    } catch (const vmfa::InvalidArgument& e) {
      message = e.what();
    }
    CHECK(contains(message, "vmfa::setKernelPath"));
    CHECK(contains(message, vmfa::kernelPathName(p)));
    CHECK(vmfa::kernelPath() == before);
  }
  vmfa::setKernelPath(vmfa::KernelPath::Generic);  // always supported
  CHECK(vmfa::kernelPath() == vmfa::KernelPath::Generic);
  vmfa::setKernelPath(before);
}

TEMPLATE_TEST_CASE("top-k responsibilities are the k largest dense ones", "[kernel]", float, double) {
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

TEMPLATE_TEST_CASE("posterior latent mean and covariance match the dense formulas", "[kernel]", float, double) {
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

TEMPLATE_TEST_CASE("samples follow the model's moments and do not depend on the thread count", "[kernel]", float, double) {
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

TEMPLATE_TEST_CASE("BIC and AIC use the MFA parameter count", "[kernel]", float, double) {
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
