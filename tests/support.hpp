// Helpers shared by the tests: random MFAs, sampling, and plain dense reference computations
// (dense D x D covariances, Cholesky, no Woodbury) that the library is checked against.
#pragma once

#include <vmfa/vmfa.hpp>

#include "catch.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vmfa_test {

using vmfa::Index;

/// A fresh temporary folder, removed with its files at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/vmfa_test_XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return path + "/" + name; }
};

/// The options a test fits with: C components of latent dimension H, at most `maxIterations` E+M
/// iterations, convergence at `tolerance` (0: every iteration runs); the rest at their defaults.
inline vmfa::Options fitOptions(Index C, Index H, int maxIterations = vmfa::Options().maxIterations,
                                double tolerance = vmfa::Options().tolerance) {
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = H;
  o.maxIterations = maxIterations;
  o.tolerance = tolerance;
  return o;
}

/// The whole content of a file ("" if it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

/// The bytes of a file (empty if it cannot be read).
inline std::vector<unsigned char> readBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

/// Writes `b` to `path` as it is (no atomic write: tests use it to plant corrupt files).
inline void writeBytes(const std::string& path, const std::vector<unsigned char>& b) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

/// The message of the vmfa::FileError that f() throws; another exception's message prefixed with
/// "other exception: "; "(no exception)" when it throws nothing.
template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const vmfa::FileError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("other exception: ") + e.what();
  }
  return "(no exception)";
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// Number of temporary files (names holding ".tmp.", as atomic writes make them) in `folder`,
/// removed first when `remove` is true (what a killed writer leaves behind).
inline int temporaryFiles(const std::string& folder, bool remove = false) {
  int count = 0;
  if (DIR* d = ::opendir(folder.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (!contains(name, ".tmp.")) continue;
      ++count;
      if (remove) ::unlink((folder + "/" + name).c_str());
    }
    ::closedir(d);
  }
  return count;
}

/// Exit code and output of a program run by `runProgram`.
struct Run {
  int code = -1;
  std::string out, err;
};

/// Runs `program ARGS` through the shell with stdin from /dev/null; captures the exit code, stdout
/// and stderr (through files in `dir`).
inline Run runProgram(const std::string& program, const TempDir& dir, const std::string& args) {
  const std::string cmd = "'" + program + "' " + args + " >'" + dir.file("stdout") + "' 2>'" + dir.file("stderr") +
                          "' </dev/null";
  const int status = std::system(cmd.c_str());
  Run r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir.file("stdout"));
  r.err = slurp(dir.file("stderr"));
  return r;
}

/// A random MFA with C components in D dimensions: means spread `separation` apart, loadings of
/// unit scale, noise in [0.05, 0.15].
template <typename S>
vmfa::Parameters<S> randomMfa(Index C, Index D, Index H, std::uint64_t seed, double separation = 6.0) {
  vmfa::detail::Random rng(seed, 99);
  vmfa::Parameters<S> p;
  p.resize(C, D, H);
  double sum = 0.0;
  for (Index c = 0; c < C; ++c) {
    for (Index d = 0; d < D; ++d) {
      p.means(d, c) = static_cast<S>(separation * rng.normal());
      p.noise(d, c) = static_cast<S>(0.05 + 0.1 * rng.uniform());
      for (Index h = 0; h < H; ++h) p.loadings(d, c * H + h) = static_cast<S>(rng.normal());
    }
    p.weights(c) = static_cast<S>(0.5 + rng.uniform());
    sum += static_cast<double>(p.weights(c));
  }
  p.weights = (p.weights.template cast<double>() / sum).template cast<S>();
  return p;
}

/// A v-MFA model (TruncatedEStep + KlNeighborGraph) with C' = active, G = neighbors, E = random,
/// the given chunk size and graph-statistics capacity.
template <typename S>
vmfa::Model<S> vmfaModel(const vmfa::Options& o, Index active, Index neighbors, Index random = 1, Index chunk = 4096,
                         Index capacity = vmfa::kAutomatic) {
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.activeComponents = active;
  eo.randomCandidates = random;
  eo.chunkSize = chunk;
  vmfa::KlNeighborGraph::Options go;
  go.neighbors = neighbors;
  go.statisticsCapacity = capacity;
  return vmfa::Model<S>(o, vmfa::TruncatedEStep<S>(eo, go));
}

/// The kernel paths this processor supports (`vmfa::KernelPath`), portable first.
inline std::vector<vmfa::KernelPath> supportedKernelPaths() {
  std::vector<vmfa::KernelPath> paths;
  for (auto p : {vmfa::KernelPath::Generic, vmfa::KernelPath::Avx2, vmfa::KernelPath::Avx512})
    if (vmfa::detail::kernelPathSupported(p)) paths.push_back(p);
  return paths;
}

/// Switches the kernel to `path` for a scope, then back to the path before.
struct KernelPathScope {
  vmfa::KernelPath before = vmfa::kernelPath();
  explicit KernelPathScope(vmfa::KernelPath path) { vmfa::setKernelPath(path); }
  ~KernelPathScope() { vmfa::setKernelPath(before); }
  KernelPathScope(const KernelPathScope&) = delete;
  KernelPathScope& operator=(const KernelPathScope&) = delete;
};

/// n points drawn from p.
template <typename S>
vmfa::Matrix<S> sampleFrom(const vmfa::Parameters<S>& p, Index n, std::uint64_t seed) {
  vmfa::Model<S> m;
  m.setParameters(p);
  return m.sample(n, seed).points;
}

/// Dense covariance Λ_c Λ_cᵀ + Ψ_c in double.
template <typename S>
Eigen::MatrixXd denseCovariance(const vmfa::Parameters<S>& p, Index c) {
  const Eigen::MatrixXd L = p.loading(c).template cast<double>();
  Eigen::MatrixXd Sigma = L * L.transpose();
  Sigma.diagonal() += p.noise.col(c).template cast<double>();
  return Sigma;
}

/// log π_c + log N(x; μ_c, Σ_c) with a dense Σ_c and its Cholesky factor, in double.
template <typename S>
double denseLogJoint(const vmfa::Parameters<S>& p, Index c, const Eigen::VectorXd& x) {
  const Eigen::MatrixXd Sigma = denseCovariance(p, c);
  Eigen::LLT<Eigen::MatrixXd> llt(Sigma);
  const Eigen::VectorXd d = x - p.absoluteMean(c);
  const Eigen::VectorXd y = llt.matrixL().solve(d);
  const double logDet = 2.0 * Eigen::MatrixXd(llt.matrixL()).diagonal().array().log().sum();
  return std::log(static_cast<double>(p.weights(c))) -
         0.5 * (static_cast<double>(x.size()) * std::log(2.0 * M_PI) + logDet + y.squaredNorm());
}

/// One exact EM iteration written plainly from Ghahramani & Hinton (1996) with dense Σ_c⁻¹,
/// uncentred data and explicit inverses (test-sized problems only). The variance floor is applied
/// as in the library: ψ ≥ floor · data variance.
template <typename S>
vmfa::Parameters<double> denseEmStep(const vmfa::Parameters<S>& old, const Eigen::MatrixXd& X, double floorRel) {
  const Index C = old.numComponents(), D = old.dim(), H = old.latentDim, N = X.cols();
  Eigen::MatrixXd logp(C, N);
  for (Index c = 0; c < C; ++c)
    for (Index n = 0; n < N; ++n) logp(c, n) = denseLogJoint(old, c, X.col(n));
  Eigen::MatrixXd r(C, N);
  for (Index n = 0; n < N; ++n) {
    const double m = logp.col(n).maxCoeff();
    const double lse = m + std::log((logp.col(n).array() - m).exp().sum());
    r.col(n) = (logp.col(n).array() - lse).exp();
  }
  const Eigen::VectorXd mean = X.rowwise().mean();
  const Eigen::VectorXd var = (X.colwise() - mean).array().square().rowwise().mean();
  vmfa::Parameters<double> p;
  p.resize(C, D, H);
  for (Index c = 0; c < C; ++c) {
    const Eigen::MatrixXd L = old.loading(c).template cast<double>();
    const Eigen::VectorXd mu = old.absoluteMean(c);
    const Eigen::MatrixXd SigmaInv = denseCovariance(old, c).inverse();
    const Eigen::MatrixXd beta = L.transpose() * SigmaInv;  // H x D
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(D, H + 1), B = Eigen::MatrixXd::Zero(H + 1, H + 1);
    Eigen::VectorXd xx = Eigen::VectorXd::Zero(D);
    double Q = 0.0;
    for (Index n = 0; n < N; ++n) {
      const Eigen::VectorXd x = X.col(n);
      const Eigen::VectorXd ez = beta * (x - mu);
      Eigen::MatrixXd ezz = Eigen::MatrixXd::Identity(H, H) - beta * L + ez * ez.transpose();
      Eigen::VectorXd et(H + 1);
      et << ez, 1.0;
      Eigen::MatrixXd ett(H + 1, H + 1);
      ett.topLeftCorner(H, H) = ezz;
      ett.col(H).head(H) = ez;
      ett.row(H).head(H) = ez.transpose();
      ett(H, H) = 1.0;
      A += r(c, n) * x * et.transpose();
      B += r(c, n) * ett;
      xx += r(c, n) * x.cwiseProduct(x);
      Q += r(c, n);
    }
    const Eigen::MatrixXd W = A * B.inverse();  // [Λ, μ]
    p.means.col(c) = W.col(H);
    p.loading(c) = W.leftCols(H);
    const Eigen::VectorXd psi = (xx - (W.cwiseProduct(A)).rowwise().sum()) / Q;
    p.noise.col(c) = psi.cwiseMax(floorRel * var);
    p.weights(c) = Q / static_cast<double>(N);
  }
  return p;
}

/// Largest absolute difference between two matrices, relative to max(1, largest magnitude).
template <typename A, typename B>
double relDiff(const A& a, const B& b) {
  const Eigen::MatrixXd x = a.template cast<double>(), y = b.template cast<double>();
  return (x - y).cwiseAbs().maxCoeff() / std::max(1.0, y.cwiseAbs().maxCoeff());
}

/// Checks that the fit `b` (result `rb`, e.g. resumed from a checkpoint) is the fit `a` (result `ra`)
/// bit for bit: status, history length, free energy, log-joints and parameters.
template <typename M>
void checkSameFit(const M& a, const vmfa::FitResult& ra, const M& b, const vmfa::FitResult& rb) {
  CHECK(rb.status == ra.status);
  CHECK(rb.history.size() == ra.history.size());
  CHECK(rb.freeEnergy == ra.freeEnergy);
  CHECK(rb.logJointEvaluations == ra.logJointEvaluations);
  CHECK((b.means().array() == a.means().array()).all());
  CHECK((b.loadings().array() == a.loadings().array()).all());
  CHECK((b.noise().array() == a.noise().array()).all());
  CHECK((b.weights().array() == a.weights().array()).all());
}

/// Round-off tolerance of a scalar type for comparisons against double references.
template <typename S>
constexpr double tol() {
  return sizeof(S) == 4 ? 2e-3 : 1e-8;
}

}  // namespace vmfa_test
