// Plugs a user-written E-step policy (hard assignments, examples/hard_estep.hpp) into vmfa::Model
// and compares it with v-MFA on data drawn from a known mixture: the fit, its objective per
// iteration and how well each recovers the true components.
//   vmfa_hard_assignment [N]
#include "hard_estep.hpp"

#include <vmfa/vmfa.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>

namespace {

/// Fraction of points whose predicted component is the one most of its true component's points get.
double purity(const Eigen::VectorXi& truth, const Eigen::VectorXi& predicted, int C) {
  std::map<std::pair<int, int>, int> counts;
  for (Eigen::Index n = 0; n < truth.size(); ++n) ++counts[{truth(n), predicted(n)}];
  std::vector<int> best(static_cast<std::size_t>(C), 0);
  for (const auto& [key, count] : counts) best[static_cast<std::size_t>(key.first)] = std::max(best[static_cast<std::size_t>(key.first)], count);
  int sum = 0;
  for (int b : best) sum += b;
  return static_cast<double>(sum) / static_cast<double>(truth.size());
}

}  // namespace

int main(int argc, char** argv) {
  const vmfa::Index N = argc > 1 ? std::atol(argv[1]) : 20000, C = 10, D = 20, H = 3;
  // a known mixture: means 8 apart, unit loadings, small noise
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
  vmfa::Model<double> source;
  source.setParameters(truth);
  const auto data = source.sample(N, 1);

  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = 30;
  vmfa::Model<double, HardAssignmentEStep<double>> hard(o);
  const vmfa::FitResult rh = hard.fit(data.points);
  vmfa::Model<double> soft(o);
  const vmfa::FitResult rs = soft.fit(data.points);

  std::printf("N = %ld points, C = %ld, D = %ld, H = %ld\n", static_cast<long>(N), static_cast<long>(C),
              static_cast<long>(D), static_cast<long>(H));
  std::printf("hard-assignment E-step (user policy): %s after %d iterations, objective %.4f, held-in log-likelihood %.4f, purity %.3f\n",
              vmfa::toString(rh.status), rh.iterations, rh.freeEnergy, hard.score(data.points),
              purity(data.labels, hard.predict(data.points), static_cast<int>(C)));
  std::printf("v-MFA (TruncatedEStep):               %s after %d iterations, free energy %.4f, held-in log-likelihood %.4f, purity %.3f\n",
              vmfa::toString(rs.status), rs.iterations, rs.freeEnergy, soft.score(data.points),
              purity(data.labels, soft.predict(data.points), static_cast<int>(C)));
  return rh.status == vmfa::FitStatus::NumericalIssue || rs.status == vmfa::FitStatus::NumericalIssue ? 1 : 0;
}
