// The Woodbury log-joint kernel against dense-Σ computations: every kernel path, batch
// independence, float accuracy near a component's subspace.
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

TEST_CASE("float log-joints near a component's subspace with noise at the floor are within 1e-3 nats of a dense double "
          "reference at D = 256, 1024 and 3072",
          "[kernel][precision]") {
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
      vmfa::Options o = fitOptions(1, H);
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

