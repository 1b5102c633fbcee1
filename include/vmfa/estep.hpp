/// \file estep.hpp
/// \brief E-step policies. `ExactEStep` evaluates every point against every component (em-MFA).
///
/// An E-step policy provides (see `ExactEStep` for the reference implementation):
/// - `struct Options`, and a constructor taking it;
/// - `void checkOptions(Index C, const char* where) const`: throws InvalidArgument on bad options;
/// - `int maxWarmupIterations() const`: E-steps run with the parameters fixed before the first M-step;
/// - `template <class Graph> void initialize(const FitContext&, const Parameters&, SparseResponsibilities&, Graph&)`;
/// - `template <class Graph> EStepReport run(const FitContext&, const Parameters&, const ComponentCache&,
///    SparseResponsibilities&, Graph&, EStepOutput&)`: updates the responsibilities from the
///    current parameters and returns the free energy (summed with the sample weights).
#pragma once

#include "detail/context.hpp"
#include "detail/rng.hpp"
#include "detail/woodbury.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace vmfa {

/// \brief What an E-step reports to the model.
struct EStepReport {
  double freeEnergy = 0.0;              ///< Σ_n w_n log Σ_{c ∈ K(n)} p(x_n, c)
  std::uint64_t logJointEvaluations = 0;///< number of (point, component) log-joints evaluated
  double graphSeconds = 0.0;            ///< part of the E-step's time spent updating the graph
};

/// \brief Per-point by-products of an E-step that the model and the M-step use.
struct EStepOutput {
  Eigen::VectorXd bound;           ///< N, log Σ_{c ∈ K(n)} p(x_n, c) (the exact log p(x_n) for exact EM)
  std::vector<std::int32_t> best;  ///< N, arg max_c log p(x_n, c) among the evaluated components
};

/// \brief Exact E-step: all C components for every point, dense responsibilities. Cost
/// O(N·C·D·H) time and N·C·sizeof(Scalar) memory for the responsibilities. This is em-MFA.
template <typename Scalar_>
class ExactEStep {
 public:
  using Scalar = Scalar_;
  /// The exact E-step has no options.
  struct Options {};

  ExactEStep() = default;
  explicit ExactEStep(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }

  void checkOptions(Index /*C*/, const char* /*where*/) const {}
  int maxWarmupIterations() const { return 0; }

  template <typename Graph>
  void initialize(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, SparseResponsibilities<Scalar>& state,
                  Graph& /*graph*/) {
    state.index.resize(0, 0);
    state.prob.resize(p.numComponents(), ctx.numPoints());
  }

  template <typename Graph>
  EStepReport run(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, const detail::ComponentCache<Scalar>& cache,
                  SparseResponsibilities<Scalar>& state, Graph& /*graph*/, EStepOutput& out) {
    const Index N = ctx.numPoints(), C = p.numComponents();
    out.bound.resize(N);
    out.best.resize(static_cast<std::size_t>(N));
    detail::forEachDenseBlock(p, cache, ctx.data, ctx.options.blockSize, ctx.threads,
                              [&](Index first, const Matrix<Scalar>& L, int) {
                                Vector<Scalar> post;
                                for (Index j = 0; j < L.cols(); ++j) {
                                  Index arg = 0;
                                  const Index n = first + j;
                                  out.bound(n) = detail::logSumExp(L.col(j), post, &arg);
                                  out.best[static_cast<std::size_t>(n)] = static_cast<std::int32_t>(arg);
                                  state.prob.col(n) = post;
                                }
                              },
                              &ctx.options.stepCallback);
    EStepReport r;
    for (Index n = 0; n < N; ++n) r.freeEnergy += ctx.weight(n) * out.bound(n);
    r.logJointEvaluations = static_cast<std::uint64_t>(N) * static_cast<std::uint64_t>(C);
    return r;
  }

 private:
  Options options_;
};

/// \brief Truncated variational E-step of v-MFA (Salwig et al. 2025).
///
/// Each point n keeps a set K(n) of C' active components. One E-step builds the search space
/// S(n) = ∪_{c ∈ K(n)} g_c ∪ R(n) (R(n): E components drawn uniformly at random), evaluates
/// log p(x_n, c) for every c in S(n), keeps the C' best as the new K(n) (since c ∈ g_c,
/// K(n) ⊆ S(n) and the free energy never decreases), sets q_n(c) ∝ p(x_n, c) on K(n), and hands
/// the evaluated log-joints to the neighbour graph.
///
/// Log-joints are evaluated component-major: the points of a chunk are grouped by the components
/// of their search spaces and each group is one batched Woodbury kernel call (a matrix product).
/// S(n) is de-duplicated with per-thread generation counters. Random candidates come from streams
/// keyed by (seed, iteration, point), so the result does not depend on the thread count.
///
/// Cost per E-step: O(N·|S|·D·H) with |S| ≤ C'·G + E, independent of C.
/// Memory: persistent N·C'·(4 + sizeof(Scalar)) bytes for K(n) and q, plus N·(8 + 4) for the per-point
/// bound and best component; per thread a chunk working set of chunkSize·(C'·G + E)·(8 + sizeof(Scalar))
/// bytes, 4·C bytes of counters and a D × blockSize gather buffer. Never an N × C array.
template <typename Scalar_>
class TruncatedEStep {
 public:
  using Scalar = Scalar_;
  struct Options {
    /// C': active components per point (1 <= C' <= C). `kAutomatic`: min(3, C).
    Index activeComponents = kAutomatic;
    /// E: components drawn at random into each point's search space per E-step (>= 0).
    Index randomCandidates = 1;
    /// Maximum warm-up E-steps (parameters fixed) before the first M-step (>= 0).
    int maxWarmupIterations = 20;
    /// Points per chunk of the component-major evaluation (>= 1).
    Index chunkSize = 4096;
  };

  TruncatedEStep() = default;
  explicit TruncatedEStep(const Options& o) : options_(o) {}
  const Options& options() const { return options_; }

  /// C' for C components.
  static Index resolve(Index requested, Index C) {
    return requested == kAutomatic ? std::min<Index>(3, C) : requested;
  }

  void checkOptions(Index C, const char* where) const {
    detail::require(options_.activeComponents >= 1 || options_.activeComponents == kAutomatic, where,
                    "activeComponents C' = ", options_.activeComponents, " must be >= 1");
    detail::require(options_.activeComponents <= C, where, "activeComponents C' = ", options_.activeComponents,
                    " exceeds the number of components C = ", C);
    detail::require(options_.randomCandidates >= 0, where, "randomCandidates E = ", options_.randomCandidates,
                    " must be >= 0");
    detail::require(options_.maxWarmupIterations >= 0, where, "maxWarmupIterations = ", options_.maxWarmupIterations,
                    " must be >= 0");
    detail::require(options_.chunkSize >= 1, where, "chunkSize = ", options_.chunkSize, " must be >= 1");
  }

  int maxWarmupIterations() const { return options_.maxWarmupIterations; }

  /// K(n): C' distinct random components; the seed point of component c holds c. Graph: random.
  template <typename Graph>
  void initialize(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, SparseResponsibilities<Scalar>& state,
                  Graph& graph) {
    const Index N = ctx.numPoints(), C = p.numComponents(), K = resolve(options_.activeComponents, C);
    state.index.resize(K, N);
    state.prob.setConstant(K, N, static_cast<Scalar>(1.0 / static_cast<double>(K)));
    std::vector<std::int32_t> chosen(static_cast<std::size_t>(K));
#pragma omp parallel for num_threads(ctx.threads) schedule(static) firstprivate(chosen)
    for (Index n = 0; n < N; ++n) {
      detail::Random rng(ctx.seed(), detail::key(detail::Stream::Assignment), 0, static_cast<std::uint64_t>(n));
      for (Index k = 0; k < K;) {  // K <= C distinct draws; K is small, linear search suffices
        const auto c = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(C)));
        if (std::find(chosen.begin(), chosen.begin() + k, c) != chosen.begin() + k) continue;
        chosen[static_cast<std::size_t>(k++)] = c;
      }
      for (Index k = 0; k < K; ++k) state.index(k, n) = chosen[static_cast<std::size_t>(k)];
    }
    for (std::size_t c = 0; c < ctx.seedPoints.size(); ++c) {
      const Index n = ctx.seedPoints[c];
      bool present = false;
      for (Index k = 0; k < K; ++k) present = present || state.index(k, n) == static_cast<std::int32_t>(c);
      if (!present) state.index(0, n) = static_cast<std::int32_t>(c);
    }
    graph.initialize(C, ctx.seed());
  }

  template <typename Graph>
  EStepReport run(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, const detail::ComponentCache<Scalar>& cache,
                  SparseResponsibilities<Scalar>& state, Graph& graph, EStepOutput& out) {
    const Index N = ctx.numPoints(), C = p.numComponents(), K = state.perPoint(), G = graph.size();
    const Index E = options_.randomCandidates, chunk = options_.chunkSize, B = ctx.options.blockSize;
    const Index numChunks = (N + chunk - 1) / chunk;
    out.bound.resize(N);
    out.best.resize(static_cast<std::size_t>(N));
    std::vector<std::uint64_t> chunkEvaluations(static_cast<std::size_t>(numChunks), 0);
    std::vector<double> chunkGraphSeconds(static_cast<std::size_t>(numChunks), 0.0);
    std::vector<Workspace> ws(static_cast<std::size_t>(ctx.threads));
    for (auto& w : ws) w.reset(C);
    graph.beginUpdate(ctx.threads);
    std::atomic<Index> done{0};
    detail::ExceptionCapture capture;

#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
    for (Index ch = 0; ch < numChunks; ++ch) {
      capture.run([&] {
        const int t = detail::threadIndex();
        Workspace& w = ws[static_cast<std::size_t>(t)];
        const Index first = ch * chunk, len = std::min(chunk, N - first);

        // 1. search spaces S(n), de-duplicated with generation counters
        w.offsets.resize(static_cast<std::size_t>(len + 1));
        w.comp.clear();
        for (Index j = 0; j < len; ++j) {
          const Index n = first + j;
          w.offsets[static_cast<std::size_t>(j)] = static_cast<std::int32_t>(w.comp.size());
          const std::uint32_t gen = w.nextGeneration();
          for (Index k = 0; k < K; ++k) {
            const std::int32_t* g = graph.neighbors(state.index(k, n));
            for (Index i = 0; i < G; ++i) w.push(g[i], gen);
          }
          if (E > 0) {
            detail::Random rng(ctx.seed(), detail::key(detail::Stream::Candidates),
                               static_cast<std::uint64_t>(ctx.iteration), static_cast<std::uint64_t>(n));
            for (Index e = 0; e < E; ++e) w.push(static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(C))), gen);
          }
        }
        w.offsets[static_cast<std::size_t>(len)] = static_cast<std::int32_t>(w.comp.size());
        const std::size_t P = w.comp.size();
        chunkEvaluations[static_cast<std::size_t>(ch)] = P;

        // 2. group the pairs by component (counting sort over the touched components only)
        w.touched.clear();
        for (std::size_t q = 0; q < P; ++q) {
          const auto c = static_cast<std::size_t>(w.comp[q]);
          if (w.count[c]++ == 0) w.touched.push_back(w.comp[q]);
        }
        std::sort(w.touched.begin(), w.touched.end());
        std::int32_t running = 0;
        for (auto c : w.touched) {
          const std::int32_t n = w.count[static_cast<std::size_t>(c)];
          w.count[static_cast<std::size_t>(c)] = running;  // becomes the fill position
          running += n;
        }
        w.order.resize(P);
        w.pointOf.resize(P);
        for (Index j = 0; j < len; ++j)
          for (auto q = w.offsets[static_cast<std::size_t>(j)]; q < w.offsets[static_cast<std::size_t>(j + 1)]; ++q) {
            w.pointOf[static_cast<std::size_t>(q)] = static_cast<std::int32_t>(j);
            w.order[static_cast<std::size_t>(w.count[static_cast<std::size_t>(w.comp[static_cast<std::size_t>(q)])]++)] =
                static_cast<std::int32_t>(q);
          }

        // 3. one batched kernel call per (component, block of its points)
        w.lj.resize(P);
        std::size_t pos = 0;
        for (auto c : w.touched) {
          const std::size_t end = static_cast<std::size_t>(w.count[static_cast<std::size_t>(c)]);
          w.count[static_cast<std::size_t>(c)] = 0;  // reset for the next chunk
          for (std::size_t b0 = pos; b0 < end; b0 += static_cast<std::size_t>(B)) {
            const Index b = static_cast<Index>(std::min(end - b0, static_cast<std::size_t>(B)));
            w.gathered.resize(p.dim(), b);
            for (Index i = 0; i < b; ++i)
              w.gathered.col(i) =
                  ctx.data.col(first + w.pointOf[static_cast<std::size_t>(w.order[b0 + static_cast<std::size_t>(i)])]);
            w.values.resize(b);
            detail::logJointBlock(p, cache, c, w.gathered, w.kernel, w.values);
            for (Index i = 0; i < b; ++i) w.lj[static_cast<std::size_t>(w.order[b0 + static_cast<std::size_t>(i)])] = w.values(i);
          }
          pos = end;
        }

        // 4. per point: the best C' become K(n), q over K(n), bound
        w.bestLj.resize(static_cast<std::size_t>(len));
        for (Index j = 0; j < len; ++j) {
          const Index n = first + j;
          const auto q0 = static_cast<std::size_t>(w.offsets[static_cast<std::size_t>(j)]);
          const auto q1 = static_cast<std::size_t>(w.offsets[static_cast<std::size_t>(j + 1)]);
          w.ranked.clear();
          for (std::size_t q = q0; q < q1; ++q) w.ranked.emplace_back(w.lj[q], w.comp[q]);
          std::partial_sort(w.ranked.begin(), w.ranked.begin() + K, w.ranked.end(),
                            [](const std::pair<Scalar, std::int32_t>& a, const std::pair<Scalar, std::int32_t>& b) {
                              return a.first > b.first || (a.first == b.first && a.second < b.second);
                            });
          const double top = static_cast<double>(w.ranked[0].first);
          double sum = 0.0;
          for (Index k = 0; k < K; ++k) sum += std::exp(static_cast<double>(w.ranked[static_cast<std::size_t>(k)].first) - top);
          const double lse = std::isfinite(top) ? top + std::log(sum) : top;
          for (Index k = 0; k < K; ++k) {
            state.index(k, n) = w.ranked[static_cast<std::size_t>(k)].second;
            state.prob(k, n) = static_cast<Scalar>(std::exp(static_cast<double>(w.ranked[static_cast<std::size_t>(k)].first) - lse));
          }
          out.bound(n) = lse;
          out.best[static_cast<std::size_t>(n)] = w.ranked[0].second;
          w.bestLj[static_cast<std::size_t>(j)] = w.ranked[0].first;
        }

        // 5. graph statistics from the log-joints just evaluated (no extra evaluations)
        const auto g0 = std::chrono::steady_clock::now();
        for (Index j = 0; j < len; ++j) {
          const auto q0 = static_cast<std::size_t>(w.offsets[static_cast<std::size_t>(j)]);
          const auto q1 = static_cast<std::size_t>(w.offsets[static_cast<std::size_t>(j + 1)]);
          const std::int32_t best = out.best[static_cast<std::size_t>(first + j)];
          const double top = static_cast<double>(w.bestLj[static_cast<std::size_t>(j)]);
          for (std::size_t q = q0; q < q1; ++q)
            if (w.comp[q] != best) graph.accumulate(t, best, w.comp[q], top, static_cast<double>(w.lj[q]));
        }
        const double graphSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
        chunkGraphSeconds[static_cast<std::size_t>(ch)] = graphSeconds;
        if (ctx.options.stepCallback) detail::reportProgress(ctx.options.stepCallback, done, len, N);
      });
    }
    capture.rethrow();

    EStepReport r;
    for (Index n = 0; n < N; ++n) r.freeEnergy += ctx.weight(n) * out.bound(n);
    for (auto e : chunkEvaluations) r.logJointEvaluations += e;
    const auto u0 = std::chrono::steady_clock::now();
    Eigen::VectorXd logWeights = p.weights.template cast<double>().array().log().matrix();
    graph.finishUpdate(logWeights, ctx.seed(), ctx.iteration);
    r.graphSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - u0).count();
    double accumulation = 0.0;
    for (auto s : chunkGraphSeconds) accumulation += s;
    // the accumulation ran in parallel inside the chunks: count its share of the wall time
    r.graphSeconds += accumulation / static_cast<double>(ctx.threads);
    return r;
  }

 private:
  struct Workspace {
    std::vector<std::uint32_t> stamp;   // C, generation of the last point that added the component
    std::uint32_t generation = 0;
    std::vector<std::int32_t> count;    // C, pairs per component in the chunk (reset after use)
    std::vector<std::int32_t> touched;  // components present in the chunk
    std::vector<std::int32_t> offsets, comp, order, pointOf;
    std::vector<Scalar> lj, bestLj;
    std::vector<std::pair<Scalar, std::int32_t>> ranked;
    Matrix<Scalar> gathered;
    Vector<Scalar> values;
    detail::KernelScratch<Scalar> kernel;

    void reset(Index C) {
      stamp.assign(static_cast<std::size_t>(C), 0);
      count.assign(static_cast<std::size_t>(C), 0);
      generation = 0;
    }
    std::uint32_t nextGeneration() {
      if (++generation == 0) {  // wrapped: clear the stamps once every 2^32 points
        std::fill(stamp.begin(), stamp.end(), 0);
        generation = 1;
      }
      return generation;
    }
    void push(std::int32_t c, std::uint32_t gen) {
      if (stamp[static_cast<std::size_t>(c)] == gen) return;
      stamp[static_cast<std::size_t>(c)] = gen;
      comp.push_back(c);
    }
  };

  Options options_;
};

}  // namespace vmfa
