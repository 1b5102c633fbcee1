/// \file seeding/loadings.hpp
/// \brief Initial loadings and noise: random draws at the data's scale (`LoadingInit`), or each
/// cluster's probabilistic PCA (`LoadingInit::Ppca`).
#pragma once

#include "../context.hpp"
#include "../detail/parallel.hpp"
#include "../detail/rng.hpp"
#include "interrupt.hpp"

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace vmfa {
namespace detail {

/// Draws the loadings of component c (`LoadingInit`: Small 0.1·σ_d·N(0, 1), Broad σ_d·U[0, 1],
/// Uniform U[0, 1]; Ppca, which needs a cluster, draws Small), keyed by (seed, c, salt).
template <typename Scalar>
inline void drawLoadings(Parameters<Scalar>& p, Index c, const Eigen::VectorXd& dataVariance, std::uint64_t seed,
                         std::uint64_t salt, LoadingInit kind = LoadingInit::Small) {
  const Index D = p.dim(), H = p.latentDim;
  Random rng(seed, key(Stream::Loadings), static_cast<std::uint64_t>(c), salt);
  for (Index h = 0; h < H; ++h)
    for (Index d = 0; d < D; ++d) {
      double v;
      switch (kind) {
        case LoadingInit::Broad: v = std::sqrt(dataVariance(d)) * rng.uniform(); break;
        case LoadingInit::Uniform: v = rng.uniform(); break;
        default: v = 0.1 * std::sqrt(dataVariance(d)) * rng.normal(); break;
      }
      p.loadings(d, c * H + h) = static_cast<Scalar>(v);
    }
}

/// The nearest mean of every point (squared Euclidean, exact): blocks of points against tiles of
/// means, one matrix product each. O(N·C·D).
template <typename Scalar>
inline std::vector<std::int32_t> nearestMeans(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p) {
  const Index N = ctx.numPoints(), C = p.numComponents(), B = 256, T = 2048;
  const Vector<Scalar> norms = p.means.colwise().squaredNorm().transpose();
  std::vector<std::int32_t> out(static_cast<std::size_t>(N));
  const Index numBlocks = (N + B - 1) / B;
  ExceptionCapture capture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
  for (Index blk = 0; blk < numBlocks; ++blk) {
    capture.run([&] {
      if (ctx.interrupted()) return;  // the caller polls (collectively) after the region
      const Index first = blk * B, b = std::min(B, N - first);
      Matrix<Scalar> Xb, G;
      p.relativeToOrigin(ctx.data.middleCols(first, b), Xb);
      Vector<Scalar> best = Vector<Scalar>::Constant(b, std::numeric_limits<Scalar>::infinity());
      for (Index t0 = 0; t0 < C; t0 += T) {
        const Index t = std::min(T, C - t0);
        // lazyProduct: a coefficient-wise product never runs Eigen's own threads, so the result does
        // not depend on the thread count (a one-thread OpenMP team would let Eigen's GEMM split it)
        G.noalias() = p.means.middleCols(t0, t).transpose().lazyProduct(Xb);  // t × b
        for (Index j = 0; j < b; ++j)
          for (Index i = 0; i < t; ++i) {
            const Scalar d = norms(t0 + i) - Scalar(2) * G(i, j);  // ‖μ‖² − 2μᵀx: ‖x‖² is the same for all
            if (d < best(j)) {
              best(j) = d;
              out[static_cast<std::size_t>(first + j)] = static_cast<std::int32_t>(t0 + i);
            }
          }
      }
    });
  }
  capture.rethrow();
  return out;
}

/// \brief `LoadingInit::Ppca`: two k-means steps from the seeded means, then each cluster's
/// probabilistic PCA (Tipping & Bishop 1999): with S the cluster's weighted covariance, its top H
/// eigenpairs (u_h, λ_h) and σ² the mean of the other D − H eigenvalues, Λ_c = [u_h √(λ_h − σ²)]
/// and ψ_cd = S_dd − Σ_h Λ_c(d, h)² (floored). μ_c becomes the cluster's mean. Clusters of at most H
/// points keep their seed with Small loadings. Each u_h has its largest entry positive. Deterministic
/// for any thread count (clusters are summed in point order). Across processes the clusters' weights, sums and (in blocks of at most
/// 2²³ values) covariances are summed over the processes, and every process solves every cluster:
/// O(C·D³) then, where one process solves a small cluster (n < D) through its n × n Gram matrix.
template <typename Scalar>
inline void ppcaInit(const FitContext<Scalar>& ctx, Parameters<Scalar>& p, const Eigen::VectorXd& floor) {
  const Index N = ctx.numPoints(), C = p.numComponents(), D = p.dim(), H = p.latentDim;
  const bool across = ctx.distributed();
  std::vector<Index> begin(static_cast<std::size_t>(C) + 1), order(static_cast<std::size_t>(N));
  Eigen::VectorXd W(C);
  Eigen::MatrixXd sums(D, C);
  std::vector<std::int64_t> counts(static_cast<std::size_t>(C));
  const auto relative = [&](Index j) {
    return p.hasOrigin() ? Eigen::VectorXd(ctx.data.col(j).template cast<double>() - p.origin)
                         : Eigen::VectorXd(ctx.data.col(j).template cast<double>());
  };
  // Λ_c and ψ_c from the top H eigenpairs (lambda, U) of S_c and its diagonal
  const auto setPpca = [&](Index c, const Eigen::MatrixXd& U, const Eigen::VectorXd& lambda, const Eigen::VectorXd& diag) {
    const double sigma2 = std::max(diag.sum() - lambda.sum(), 0.0) / static_cast<double>(D - H);
    Eigen::MatrixXd L = U * (lambda.array() - sigma2).cwiseMax(0.0).sqrt().matrix().asDiagonal();
    p.loading(c) = L.template cast<Scalar>();
    p.noise.col(c) = (diag - L.rowwise().squaredNorm()).cwiseMax(floor).template cast<Scalar>();
  };
  // an eigenvector's sign is arbitrary: its largest entry (the first of equals) is made positive, so
  // that the Gram route, the covariance route and any split of the points give the same loadings
  const auto withSign = [](Eigen::VectorXd u) {
    Index top = 0;
    u.cwiseAbs().maxCoeff(&top);
    if (u(top) < 0.0) u = -u;
    return u;
  };
  const auto topOf = [&](const Eigen::MatrixXd& S, Eigen::MatrixXd& U, Eigen::VectorXd& lambda) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(S);
    for (Index h = 0; h < H; ++h) {
      lambda(h) = eig.eigenvalues()(D - 1 - h);
      U.col(h) = withSign(eig.eigenvectors().col(D - 1 - h));
    }
  };
  for (int step = 0; step < 2; ++step) {
    pollInterrupt(ctx);
    const std::vector<std::int32_t> nearest = nearestMeans(ctx, p);
    pollInterrupt(ctx);  // nearestMeans skips its blocks once interrupted
    // counting sort of the points by cluster, point order kept within each
    std::fill(begin.begin(), begin.end(), 0);
    for (Index n = 0; n < N; ++n) ++begin[static_cast<std::size_t>(nearest[static_cast<std::size_t>(n)]) + 1];
    for (Index c = 0; c < C; ++c) begin[static_cast<std::size_t>(c) + 1] += begin[static_cast<std::size_t>(c)];
    std::vector<Index> fill(begin.begin(), begin.end() - 1);
    for (Index n = 0; n < N; ++n) order[static_cast<std::size_t>(fill[static_cast<std::size_t>(nearest[static_cast<std::size_t>(n)])]++)] = n;
    const bool last = step == 1;
    // each cluster's weight and weighted sum, by one thread in point order
    ExceptionCapture sumsCapture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 16)
    for (Index c = 0; c < C; ++c) {
      sumsCapture.run([&] {
        const Index b0 = begin[static_cast<std::size_t>(c)], n = begin[static_cast<std::size_t>(c) + 1] - b0;
        double w = 0.0;
        Eigen::VectorXd s = Eigen::VectorXd::Zero(D);
        for (Index i = 0; i < n; ++i) {
          const Index j = order[static_cast<std::size_t>(b0 + i)];
          w += ctx.weight(j);
          s += ctx.weight(j) * relative(j);
        }
        W(c) = w;
        sums.col(c) = s;
        counts[static_cast<std::size_t>(c)] = n;
      });
    }
    sumsCapture.rethrow();
    if (across) {
      ctx.collective.sum(W.data(), static_cast<std::size_t>(C));
      ctx.collective.sum(sums.data(), static_cast<std::size_t>(D * C));
      ctx.collective.sum(counts.data(), counts.size());
    }
    for (Index c = 0; c < C; ++c)  // an empty cluster keeps its seed (and Small loadings)
      if (W(c) > 0.0) p.means.col(c) = (sums.col(c) / W(c)).template cast<Scalar>();
    if (!last || H == 0) continue;
    const auto solvable = [&](Index c) { return W(c) > 0.0 && counts[static_cast<std::size_t>(c)] > H; };
    // this process's points i0 … i0 + len of cluster c as columns (x − mean)·√(w / W): S_c = Σ Y Yᵀ
    const auto scaledDeviations = [&](Index c, Index i0, Index len) {
      const Index b0 = begin[static_cast<std::size_t>(c)] + i0;
      const Eigen::VectorXd mean = sums.col(c) / W(c);
      Eigen::MatrixXd Y(D, len);
      for (Index i = 0; i < len; ++i) {
        const Index j = order[static_cast<std::size_t>(b0 + i)];
        Y.col(i) = (relative(j) - mean) * std::sqrt(ctx.weight(j) / W(c));
      }
      return Y;
    };
    const auto clusterSize = [&](Index c) { return begin[static_cast<std::size_t>(c) + 1] - begin[static_cast<std::size_t>(c)]; };
    // S_c of this process's points, streamed in blocks of 256 points: memory O(D² + 256·D) whatever
    // the cluster's size
    const auto scatterInto = [&](Index c, Eigen::Ref<Eigen::MatrixXd> S) {
      S.setZero();
      for (Index i0 = 0, n = clusterSize(c); i0 < n; i0 += 256) {
        const Eigen::MatrixXd Y = scaledDeviations(c, i0, std::min<Index>(256, n - i0));
        S.noalias() += Y.lazyProduct(Y.transpose());
      }
    };
    if (!across) {
      ExceptionCapture capture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 4)
      for (Index c = 0; c < C; ++c) {
        capture.run([&] {
          if (!solvable(c) || ctx.interrupted()) return;
          const Index n = clusterSize(c);
          Eigen::MatrixXd U(D, H);
          Eigen::VectorXd lambda(H);
          if (n >= D) {
            Eigen::MatrixXd S(D, D);
            scatterInto(c, S);
            topOf(S, U, lambda);
            setPpca(c, U, lambda, S.diagonal());
          } else {  // through the n × n Gram matrix (Y is D × n < D × D): S u = λ u with u = Y v / √λ
            const Eigen::MatrixXd Y = scaledDeviations(c, 0, n);
            Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(Y.transpose().lazyProduct(Y));
            for (Index h = 0; h < H; ++h) {
              lambda(h) = std::max(eig.eigenvalues()(n - 1 - h), 0.0);
              U.col(h) = lambda(h) > 0.0 ? withSign(Y * eig.eigenvectors().col(n - 1 - h) / std::sqrt(lambda(h)))
                                         : Eigen::VectorXd::Zero(D);
            }
            setPpca(c, U, lambda, Y.rowwise().squaredNorm());  // S_dd
          }
        });
      }
      capture.rethrow();
      pollInterrupt(ctx);
      continue;
    }
    // across processes: the covariances of blocks of clusters, summed over the processes
    const Index block = std::max<Index>(1, (Index(1) << 23) / std::max<Index>(1, D * D));
    Eigen::MatrixXd S;
    for (Index c0 = 0; c0 < C; c0 += block) {
      pollInterrupt(ctx);
      const Index c1 = std::min(C, c0 + block);
      S.setZero(D, D * (c1 - c0));
      ExceptionCapture scatter;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
      for (Index c = c0; c < c1; ++c) {
        scatter.run([&] {
          if (solvable(c)) scatterInto(c, S.middleCols((c - c0) * D, D));
        });
      }
      scatter.rethrow();
      ctx.collective.sum(S.data(), static_cast<std::size_t>(S.size()));
      ExceptionCapture capture;
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
      for (Index c = c0; c < c1; ++c) {
        capture.run([&] {
          if (!solvable(c)) return;
          const Eigen::MatrixXd Sc = S.middleCols((c - c0) * D, D);
          Eigen::MatrixXd U(D, H);
          Eigen::VectorXd lambda(H);
          topOf(Sc, U, lambda);
          setPpca(c, U, lambda, Sc.diagonal());
        });
      }
      capture.rethrow();
    }
  }
}

}  // namespace detail
}  // namespace vmfa
