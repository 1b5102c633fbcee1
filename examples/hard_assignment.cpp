// A user-written E-step policy plugged into vmfa::Model from outside the library: hard
// assignments (classification EM, C' = 1). Every point is evaluated against every component and
// keeps only its most probable one, with q = 1. The objective sum_n w_n max_c log p(x_n, c) never
// decreases: the E-step maximises it over the assignments, the closed-form M-step over the
// parameters. The members are those listed in include/vmfa/policies.hpp.
//
// The program fits data drawn from a known mixture with it, in float and double, and checks what
// a user of such a policy relies on: the objective never decreases, the fitted assignments are the
// arg max under the final parameters, the components are recovered, every log-joint is counted,
// and a fit resumed from a checkpoint is the uninterrupted one, bit for bit. It then compares the
// fit with v-MFA's. Exit status 1 when a check fails.
//   vmfa_hard_assignment [N]
#include <vmfa/vmfa.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>
#include <vector>

template <typename Scalar_>
class HardAssignmentEStep {
 public:
  using Scalar = Scalar_;
  struct Options {};
  using Statistics = vmfa::NoStatistics;  // nothing to combine across processes

  HardAssignmentEStep() = default;
  explicit HardAssignmentEStep(const Options&) {}

  void checkOptions(vmfa::Index /*C*/, const char* /*where*/) const {}
  void describe(vmfa::OptionList& /*out*/) const {}  // no options: nothing for the processes of a distributed fit to compare
  int maxWarmupIterations() const { return 0; }
  vmfa::Index truncation(vmfa::Index /*C*/) const { return 1; }  // one component per point

  void initialize(const vmfa::FitContext<Scalar>& ctx, const vmfa::Parameters<Scalar>& /*p*/,
                  const std::vector<vmfa::Index>& /*seedPoints*/, vmfa::Responsibilities<Scalar>& resp) {
    resp.index.setZero(1, ctx.numPoints());
    resp.prob.setOnes(1, ctx.numPoints());
  }

  vmfa::EStepSummary run(const vmfa::FitContext<Scalar>& ctx, int /*iteration*/, const vmfa::Parameters<Scalar>& p,
                         const vmfa::ComponentCache<Scalar>& cache, vmfa::Responsibilities<Scalar>& resp,
                         vmfa::PointResults& points, Statistics& /*statistics*/) {
    const vmfa::Index N = ctx.numPoints();
    points.bound.resize(N);
    points.best.resize(static_cast<std::size_t>(N));
    // L (C × b) holds log p(x_j, c) for a block of points; blocks run in parallel
    vmfa::forEachDenseBlock(p, cache, ctx.data, ctx.options.blockSize, ctx.threads,
                            [&](vmfa::Index first, const vmfa::Matrix<Scalar>& L, int /*thread*/) {
                              for (vmfa::Index j = 0; j < L.cols(); ++j) {
                                vmfa::Index best = 0;
                                const Scalar top = L.col(j).maxCoeff(&best);
                                resp.index(0, first + j) = static_cast<std::int32_t>(best);
                                resp.prob(0, first + j) = Scalar(1);
                                points.best[static_cast<std::size_t>(first + j)] = static_cast<std::int32_t>(best);
                                points.bound(first + j) = static_cast<double>(top);
                              }
                            });
    vmfa::EStepSummary summary;
    for (vmfa::Index n = 0; n < N; ++n) summary.freeEnergy += ctx.weight(n) * points.bound(n);
    summary.logJointEvaluations = static_cast<std::uint64_t>(N) * static_cast<std::uint64_t>(p.numComponents());
    return summary;
  }

  void finish(const vmfa::FitContext<Scalar>&, int, const vmfa::Parameters<Scalar>&, const Statistics&) {}
  vmfa::PolicyState saveState() const { return {}; }
  void restoreState(vmfa::Index, const vmfa::PolicyState&, const char*) {}
};

namespace {

/// Fraction of points whose predicted component is the one most points of their true component get.
double purity(const Eigen::VectorXi& truth, const Eigen::VectorXi& predicted) {
  std::map<std::pair<int, int>, int> counts;
  std::map<int, int> best;
  for (Eigen::Index n = 0; n < truth.size(); ++n) {
    const int c = ++counts[{truth(n), predicted(n)}];
    best[truth(n)] = std::max(best[truth(n)], c);
  }
  int sum = 0;
  for (const auto& b : best) sum += b.second;
  return static_cast<double>(sum) / static_cast<double>(truth.size());
}

/// A known mixture: C components in D dimensions, means 8 apart, unit loadings, noise 0.1.
vmfa::Parameters<double> knownMixture(vmfa::Index C, vmfa::Index D, vmfa::Index H) {
  vmfa::detail::Random rng(7);
  vmfa::Parameters<double> truth;
  truth.resize(C, D, H);
  for (vmfa::Index c = 0; c < C; ++c) {
    for (vmfa::Index d = 0; d < D; ++d) {
      truth.means(d, c) = 8.0 * rng.normal();
      truth.noise(d, c) = 0.1;
      for (vmfa::Index h = 0; h < H; ++h) truth.loadings(d, c * H + h) = rng.normal();
    }
    truth.weights(c) = 1.0 / static_cast<double>(C);
  }
  return truth;
}

int failures = 0;
void check(bool ok, const char* precision, const char* what) {
  if (ok) return;
  std::printf("FAILED (%s): %s\n", precision, what);
  ++failures;
}

/// Fits `m` (built with the policy in precision S) and checks the policy's claims.
template <typename S>
vmfa::FitResult fitAndCheck(vmfa::Model<S, HardAssignmentEStep<S>>& m, const vmfa::Matrix<S>& X,
                            const Eigen::VectorXi& labels, const vmfa::Options& o, const char* precision) {
  std::vector<vmfa::FitCheckpoint<S>> checkpoints;
  m.setCheckpointHandler(3, [&](const vmfa::FitCheckpoint<S>& cp) { checkpoints.push_back(cp); });
  const vmfa::FitResult r = m.fit(X);
  check(r.status != vmfa::FitStatus::NumericalIssue, precision, "the fit ends without numerical trouble");
  for (std::size_t i = 1; i < r.history.size(); ++i)
    check(r.history[i].freeEnergy >= r.history[i - 1].freeEnergy - 1e-6 * std::abs(r.history[i - 1].freeEnergy), precision,
          "the objective never decreases");
  const auto& resp = m.fittedResponsibilities();
  check(resp.perPoint() == 1 && resp.prob.minCoeff() == S(1), precision, "one component per point, with q = 1");
  const Eigen::VectorXi predicted = m.predict(X);
  bool agree = true;
  for (vmfa::Index n = 0; n < predicted.size(); ++n) agree = agree && resp.index(0, n) == predicted(n);
  check(agree, precision, "the last E-step's assignments are the arg max under the final parameters");
  check(purity(labels, predicted) > 0.9, precision, "the components are recovered (purity > 0.9)");
  check(r.logJointEvaluations ==
            static_cast<std::uint64_t>(r.iterations) * static_cast<std::uint64_t>(X.cols() * o.numComponents),
        precision, "every point is evaluated against every component in every iteration");
  check(!checkpoints.empty(), precision, "the fit wrote checkpoints");
  if (!checkpoints.empty()) {
    vmfa::Model<S, HardAssignmentEStep<S>> again(o);
    const vmfa::FitResult rr = again.resume(X, checkpoints.front());
    check(rr.freeEnergy == r.freeEnergy && again.parameters().means == m.parameters().means, precision,
          "a fit resumed from a checkpoint equals the uninterrupted one, bit for bit");
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const vmfa::Index N = argc > 1 ? std::atol(argv[1]) : 20000, C = 10, D = 20, H = 3;
  vmfa::Model<double> source;
  source.setParameters(knownMixture(C, D, H));
  const auto data = source.sample(N, 1);

  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 30;
  vmfa::Model<float, HardAssignmentEStep<float>> hardFloat(o);
  fitAndCheck<float>(hardFloat, data.points.cast<float>(), data.labels, o, "float");
  vmfa::Model<double, HardAssignmentEStep<double>> hard(o);
  const vmfa::FitResult rh = fitAndCheck<double>(hard, data.points, data.labels, o, "double");
  vmfa::Model<double> soft(o);
  const vmfa::FitResult rs = soft.fit(data.points);

  std::printf("N = %ld points, C = %ld, D = %ld, H = %ld\n", static_cast<long>(N), static_cast<long>(C),
              static_cast<long>(D), static_cast<long>(H));
  std::printf("hard-assignment E-step (user policy): %s after %d iterations, objective %.4f, held-in log-likelihood %.4f, purity %.3f\n",
              vmfa::toString(rh.status), rh.iterations, rh.freeEnergy, hard.score(data.points),
              purity(data.labels, hard.predict(data.points)));
  std::printf("v-MFA (TruncatedEStep):               %s after %d iterations, free energy %.4f, held-in log-likelihood %.4f, purity %.3f\n",
              vmfa::toString(rs.status), rs.iterations, rs.freeEnergy, soft.score(data.points),
              purity(data.labels, soft.predict(data.points)));
  if (failures > 0) std::printf("%d checks failed\n", failures);
  return failures > 0 || rs.status == vmfa::FitStatus::NumericalIssue ? 1 : 0;
}
