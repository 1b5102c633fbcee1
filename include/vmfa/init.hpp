/// \file init.hpp
/// \brief Initial parameters of a fit: the seeding of the component means (AFK-MC², k-means++,
/// random points; `seeding/`) and the loadings and noise at the data's scale.
#pragma once

#include "context.hpp"
#include "seeding/loadings.hpp"
#include "seeding/seed_points.hpp"

#include <Eigen/Core>

#include <vector>

namespace vmfa {

/// \brief Initial parameters: seeded means (relative to the data's mean, the origin), loadings by
/// `Options::loadingInit` (default entries 0.1·σ_d·N(0,1), σ_d² the data variance of dimension d),
/// noise ψ_cd = noiseInitScale·σ_d² (Ppca: each cluster's residual variance), weights 1/C.
///
/// Cost: AFK-MC² O(N·D + m·C²·D), or from C = `Options::seedingTreeFrom` on a tree of AFK-MC²
/// seedings (`detail::treeSeeds`) O(N·64·D·log₆₄(C/64) + m·64·C·D); k-means++ O(N·C·D), random
/// points O(N log C).
/// \throws detail::InitialisationInterrupted when `Options::interrupt` stops the fit.
template <typename Scalar>
inline Parameters<Scalar> initialParameters(const FitContext<Scalar>& ctx, std::vector<Index>* seedsOut = nullptr) {
  const Index C = ctx.options.numComponents, D = ctx.dim(), H = ctx.options.latentDim;
  Parameters<Scalar> p;
  p.resize(C, D, H);
  Matrix<Scalar> coords;  // the seeds' coordinates (the points may be spread over processes)
  const std::vector<Index> seeds = detail::seedPoints(ctx, C, coords);
  const Eigen::VectorXd floor = ctx.noiseLowerBounds();
  const Eigen::VectorXd noise = (ctx.options.noiseInitScale * ctx.dataVariance).cwiseMax(floor);
  p.origin = ctx.dataMean;  // the means are relative to the data's mean (see Parameters)
  for (Index c = 0; c < C; ++c) {
    p.means.col(c) = (coords.col(c).template cast<double>() - p.origin).template cast<Scalar>();
    p.noise.col(c) = noise.template cast<Scalar>();
    detail::drawLoadings(p, c, ctx.dataVariance, ctx.seed(), 0, ctx.options.loadingInit);
  }
  if (ctx.options.loadingInit == LoadingInit::Ppca) detail::ppcaInit(ctx, p, floor);
  p.weights.setConstant(static_cast<Scalar>(1.0 / static_cast<double>(C)));
  if (seedsOut) *seedsOut = seeds;
  return p;
}

}  // namespace vmfa
