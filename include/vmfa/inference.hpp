/// \file inference.hpp
/// \brief What a fitted model computes for given points, as functions of the parameters and their
/// `ComponentCache`: exact log-likelihoods, labels, dense and top-k posteriors, the truncated
/// search of new points, latent means, and sampling. `Model` validates the inputs and calls these.
#pragma once

#include "context.hpp"
#include "detail/parallel.hpp"
#include "detail/rng.hpp"
#include "detail/sampling.hpp"
#include "estep.hpp"
#include "kernel.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace vmfa {

/// Iterations of a search (`inference::search`, `Model::searchResponsibilities`) draw their random
/// candidates as iterations kSearchIterationBase, kSearchIterationBase + 1, ... so that they never
/// repeat a fit's draws (fits stop far below 2^24 iterations).
constexpr int kSearchIterationBase = 1 << 24;

namespace inference {

template <typename Scalar>
using DataRef = Eigen::Ref<const Matrix<Scalar>>;

/// Exact log p(x_n) of every column. O(N·C·D·H).
template <typename Scalar>
Eigen::VectorXd logLikelihood(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, const DataRef<Scalar>& X,
                              Index blockSize, int threads) {
  Eigen::VectorXd out(X.cols());
  forEachDenseBlock(p, cache, X, blockSize, threads, [&](Index first, const Matrix<Scalar>& L, int) {
    Vector<Scalar> post;
    for (Index j = 0; j < L.cols(); ++j) out(first + j) = logSumExp(L.col(j), post);
  });
  return out;
}

/// arg max_c log p(x_n, c) of every column.
template <typename Scalar>
Eigen::VectorXi predict(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, const DataRef<Scalar>& X,
                        Index blockSize, int threads) {
  Eigen::VectorXi out(X.cols());
  forEachDenseBlock(p, cache, X, blockSize, threads, [&](Index first, const Matrix<Scalar>& L, int) {
    for (Index j = 0; j < L.cols(); ++j) {
      Index arg = 0;
      L.col(j).maxCoeff(&arg);
      out(first + j) = static_cast<int>(arg);
    }
  });
  return out;
}

/// Dense posteriors p(c | x_n), C × N.
template <typename Scalar>
Matrix<Scalar> responsibilities(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, const DataRef<Scalar>& X,
                                Index blockSize, int threads) {
  Matrix<Scalar> out(p.numComponents(), X.cols());
  forEachDenseBlock(p, cache, X, blockSize, threads, [&](Index first, const Matrix<Scalar>& L, int) {
    Vector<Scalar> post;
    for (Index j = 0; j < L.cols(); ++j) {
      logSumExp(L.col(j), post);
      out.col(first + j) = post;
    }
  });
  return out;
}

/// The k most probable components of every column and their posteriors (over all C), in
/// decreasing order (ties: smaller index first).
template <typename Scalar>
Responsibilities<Scalar> topResponsibilities(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache,
                                             const DataRef<Scalar>& X, Index k, Index blockSize, int threads) {
  Responsibilities<Scalar> out;
  out.index.resize(k, X.cols());
  out.prob.resize(k, X.cols());
  forEachDenseBlock(p, cache, X, blockSize, threads, [&](Index first, const Matrix<Scalar>& L, int) {
    std::vector<std::int32_t> order(static_cast<std::size_t>(L.rows()));
    Vector<Scalar> post;
    for (Index j = 0; j < L.cols(); ++j) {
      logSumExp(L.col(j), post);
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](std::int32_t a, std::int32_t b) {
        return L(a, j) > L(b, j) || (L(a, j) == L(b, j) && a < b);
      });
      for (Index i = 0; i < k; ++i) {
        const auto c = order[static_cast<std::size_t>(i)];
        out.index(i, first + j) = c;
        out.prob(i, first + j) = post(c);
      }
    }
  });
  return out;
}

/// `steps` E-steps of `estep` (whose state, e.g. its graph, evolves) from the active sets
/// `initial` with the parameters fixed; the number of log-joints evaluated goes to `evaluations`.
template <typename EStep, typename Scalar>
Responsibilities<Scalar> search(EStep& estep, const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache,
                                const Options& options, const DataRef<Scalar>& X, const IndexMatrix& initial, int steps,
                                std::uint64_t* evaluations) {
  const Eigen::VectorXd none;
  const FitContext<Scalar> ctx(X, none, options, FitContext<Scalar>::Moments::Skip);
  Responsibilities<Scalar> resp =
      Responsibilities<Scalar>::startingFrom(initial, estep.truncation(p.numComponents()), p.numComponents(), X.cols());
  PointResults points;
  std::uint64_t count = 0;
  for (int s = 0; s < steps; ++s) {
    typename EStep::Statistics statistics{};
    count += estep.run(ctx, kSearchIterationBase + s, p, cache, resp, points, statistics).logJointEvaluations;
    if (resp.dense()) break;
    estep.finish(ctx, kSearchIterationBase + s, p, statistics);
  }
  if (evaluations) *evaluations = count;
  return resp;
}

/// E[z | x_n, c] for one component c and every column (H × N), as one batched product.
template <typename Scalar>
Matrix<Scalar> latentMeans(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, const DataRef<Scalar>& X,
                           Index c) {
  Matrix<Scalar> out(p.latentDim, X.cols());
  if (p.latentDim > 0) out = cache.latentMeans(p, c, p.centred(X, c));
  return out;
}

/// E[z | x_n, c_n] with one component per column (H × N).
template <typename Scalar>
Matrix<Scalar> latentMeans(const Parameters<Scalar>& p, const ComponentCache<Scalar>& cache, const DataRef<Scalar>& X,
                           const Eigen::VectorXi& components, int threads) {
  Matrix<Scalar> out(p.latentDim, X.cols());
  if (p.latentDim == 0) return out;
  [[maybe_unused]] const int nt = detail::resolveThreads(threads);
  detail::ExceptionCapture regionErrors;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (Index n = 0; n < X.cols(); ++n) {
    regionErrors.run([&] {
      const Index c = components(n);
      out.col(n) = cache.latentMeans(p, c, p.centred(X.col(n), c));
    });
  }
  regionErrors.rethrow();
  return out;
}

/// n draws c ~ π, z ~ N(0, I), x = μ_c + Λ_c z + Ψ_c^{1/2} ε into `points` (D × n) and `labels`;
/// draw i comes from the stream keyed by (seed, Sample, i).
template <typename Scalar>
void sample(const Parameters<Scalar>& p, Index n, std::uint64_t seed, int threads, Matrix<Scalar>& points,
            Eigen::VectorXi& labels) {
  const Index D = p.dim(), H = p.latentDim, C = p.numComponents();
  std::vector<double> cum(static_cast<std::size_t>(C));
  double s = 0.0;
  for (Index c = 0; c < C; ++c) cum[static_cast<std::size_t>(c)] = (s += static_cast<double>(p.weights(c)));
  points.resize(D, n);
  labels.resize(n);
  [[maybe_unused]] const int nt = detail::resolveThreads(threads);
  detail::ExceptionCapture regionErrors;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (Index i = 0; i < n; ++i) {
    regionErrors.run([&] {
      detail::Random rng(seed, detail::key(detail::Stream::Sample), static_cast<std::uint64_t>(i));
      const Index c = detail::drawFromCumulative(cum, rng);
      Eigen::VectorXd z(H), x(D);
      for (Index h = 0; h < H; ++h) z(h) = rng.normal();
      for (Index d = 0; d < D; ++d) x(d) = std::sqrt(static_cast<double>(p.noise(d, c))) * rng.normal();
      x += p.absoluteMean(c);
      if (H > 0) x += p.loading(c).template cast<double>() * z;
      points.col(i) = x.template cast<Scalar>();
      labels(i) = static_cast<int>(c);
    });
  }
  regionErrors.rethrow();
}

}  // namespace inference
}  // namespace vmfa
