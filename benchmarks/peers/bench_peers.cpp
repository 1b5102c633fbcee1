// vmfa against its peers, side by side in one run, on the same real patch data: Armadillo's
// gmm_diag and gmm_full (EM with k-means initialisation), vmfa exact EM (em-MFA) and vmfa v-MFA.
//
//   vmfa_bench_peers [--components C] [--train N] [--test M] [--methods LIST] [--max-iter K[,METHOD=K...]]
//                    [--step S] [--threads T] [--csv FILE]
//
// Data: 8x8 patches (D = 64) of the three bundled images, shuffled with a fixed seed; N training
// patches (default 200,000), M held out (default 20,000). Every method runs up to K EM iterations
// (default 100; METHOD=K caps one method, e.g. --max-iter 100,full=20), S at a time (default 5);
// after each S the held-out mean log-likelihood is measured outside the timed region, so each method gets a curve of (fit seconds, held-out
// log-likelihood). The table reports each method's final time and held-out log-likelihood and the
// time each needed to first reach the target: the final held-out log-likelihood of gmm_diag (or
// of the first method run). vmfa: float, H = 4, tolerance 1e-4 (it may stop before K); Armadillo:
// double (its default eT), maha_dist, random_subset seeding, 10 k-means iterations (timed),
// var_floor 1e-6. LIST is a comma-separated subset of diag,full,em,vmfa (default all four).
#include "patches.hpp"

#include <vmfa/vmfa.hpp>

#include <armadillo>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Point {
  int iterations;
  double seconds, heldOut;
};

struct Curve {
  std::string method;
  std::vector<Point> points;
  double initSeconds = 0.0;
};

template <typename Gmm>
Curve armadillo(const char* name, const arma::mat& train, const arma::mat& test, arma::uword C, int maxIter, int step) {
  Curve curve;
  curve.method = name;
  Gmm model;
  auto t = Clock::now();
  // k-means seeding and 10 k-means iterations, no EM yet
  if (!model.learn(train, C, arma::maha_dist, arma::random_subset, 10, 0, 1e-6, false))
    throw std::runtime_error(std::string(name) + ": k-means initialisation failed");
  double fitSeconds = curve.initSeconds = since(t);
  for (int it = 0; it < maxIter; it += step) {
    t = Clock::now();
    if (!model.learn(train, C, arma::maha_dist, arma::keep_existing, 0, static_cast<arma::uword>(step), 1e-6, false))
      throw std::runtime_error(std::string(name) + ": EM failed");
    fitSeconds += since(t);
    curve.points.push_back({it + step, fitSeconds, model.avg_log_p(test)});
    std::fprintf(stderr, "  %s: %3d iterations, %8.2f s, held-out %.4f\n", name, it + step, fitSeconds,
                 curve.points.back().heldOut);
  }
  return curve;
}

template <typename ModelT>
Curve vmfaCurve(const char* name, const Eigen::MatrixXf& train, const Eigen::MatrixXf& test, vmfa::Index C,
                int maxIter, int step, int threads) {
  Curve curve;
  curve.method = name;
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = 4;
  o.maxIterations = maxIter;
  o.numThreads = threads;
  ModelT model(o);
  double excluded = 0.0;  // time spent scoring the held-out set inside the fit, not counted
  const auto start = Clock::now();
  const auto record = [&](const vmfa::Parameters<float>& p, int iterations) {
    const auto t = Clock::now();
    vmfa::Model<float> scorer;
    scorer.setParameters(p);
    curve.points.push_back({iterations, since(start) - excluded, scorer.score(test)});
    excluded += since(t);
    std::fprintf(stderr, "  %s: %3d iterations, %8.2f s, held-out %.4f\n", name, iterations,
                 curve.points.back().seconds, curve.points.back().heldOut);
  };
  // a checkpoint every `step` iterations (warm-up E-steps included) carries the current parameters
  model.setCheckpointHandler(step, [&](const vmfa::FitCheckpoint<float>& cp) { record(cp.parameters, cp.mstepsDone); });
  const vmfa::FitResult r = model.fit(train);
  record(model.parameters(), static_cast<int>(std::count_if(r.history.begin(), r.history.end(),
                                                            [](const vmfa::IterationStats& s) { return s.mstepSeconds > 0.0; })));
  curve.initSeconds = r.initSeconds;
  std::fprintf(stderr, "  %s: %s\n", name, vmfa::toString(r.status));
  return curve;
}

double timeToReach(const Curve& c, double target) {
  for (const auto& p : c.points)
    if (p.heldOut >= target) return p.seconds;
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

int main(int argc, char** argv) {
  vmfa::Index C = 1000, nTrain = 200000, nTest = 20000;
  int maxIter = 100, step = 5, threads = 0;
  std::map<std::string, int> maxIterOf;  // per-method caps, e.g. --max-iter 100,full=20
  std::string methods = "diag,full,em,vmfa", csvPath;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "vmfa_bench_peers: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--components") C = std::stol(value());
    else if (a == "--train") nTrain = std::stol(value());
    else if (a == "--test") nTest = std::stol(value());
    else if (a == "--methods") methods = value();
    else if (a == "--max-iter") {
      std::stringstream items(value());
      std::string item;
      while (std::getline(items, item, ',')) {
        const auto eq = item.find('=');
        if (eq == std::string::npos) maxIter = std::stoi(item);
        else maxIterOf[item.substr(0, eq)] = std::stoi(item.substr(eq + 1));
      }
    }
    else if (a == "--step") step = std::stoi(value());
    else if (a == "--threads") threads = std::stoi(value());
    else if (a == "--csv") csvPath = value();
    else {
      std::fprintf(stderr, "usage: vmfa_bench_peers [--components C] [--train N] [--test M] [--methods diag,full,em,vmfa]\n"
                           "                        [--max-iter K] [--step S] [--threads T] [--csv FILE]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  const auto& data = vmfa_bench::patches(8, nTrain, nTest);
  const arma::mat trainA = arma::conv_to<arma::mat>::from(arma::fmat(const_cast<float*>(data.train.data()),
                                                                     data.train.rows(), data.train.cols(), false, true));
  const arma::mat testA = arma::conv_to<arma::mat>::from(arma::fmat(const_cast<float*>(data.test.data()),
                                                                    data.test.rows(), data.test.cols(), false, true));
  std::fprintf(stderr, "peers: C = %ld, %ld training / %ld held-out 8x8 patches, up to %d iterations\n",
               static_cast<long>(C), static_cast<long>(nTrain), static_cast<long>(nTest), maxIter);
  std::vector<Curve> curves;
  std::stringstream list(methods);
  std::string m;
  while (std::getline(list, m, ',')) {
    const int cap = maxIterOf.count(m) ? maxIterOf[m] : maxIter;
    if (m == "diag") curves.push_back(armadillo<arma::gmm_diag>("Armadillo gmm_diag", trainA, testA, C, cap, step));
    else if (m == "full") curves.push_back(armadillo<arma::gmm_full>("Armadillo gmm_full", trainA, testA, C, cap, step));
    else if (m == "em") curves.push_back(vmfaCurve<vmfa::ExactModel<float>>("vmfa em-MFA", data.train, data.test, C, cap, step, threads));
    else if (m == "vmfa") curves.push_back(vmfaCurve<vmfa::Model<float>>("vmfa v-MFA", data.train, data.test, C, cap, step, threads));
    else {
      std::fprintf(stderr, "vmfa_bench_peers: unknown method '%s'\n", m.c_str());
      return 2;
    }
  }
  if (curves.empty()) return 2;
  double target = curves.front().points.back().heldOut;
  for (const auto& c : curves)
    if (c.method == "Armadillo gmm_diag") target = c.points.back().heldOut;
  std::printf("C = %ld; target = %.4f (held-out log-likelihood of %s)\n", static_cast<long>(C), target,
              curves.front().method.c_str());
  std::printf("| method | iterations | fit time (s) | held-out log-likelihood | time to reach %.2f (s) |\n", target);
  std::printf("|---|---|---|---|---|\n");
  for (const auto& c : curves) {
    const auto& last = c.points.back();
    std::printf("| %s | %d | %.1f | %.4f | %.1f |\n", c.method.c_str(), last.iterations, last.seconds, last.heldOut,
                timeToReach(c, target));
  }
  if (!csvPath.empty()) {
    std::ofstream f(csvPath);
    f << "method,components,iterations,seconds,heldout\n";
    for (const auto& c : curves)
      for (const auto& p : c.points) f << c.method << ',' << C << ',' << p.iterations << ',' << p.seconds << ',' << p.heldOut << '\n';
  }
  return 0;
}
