/// \file truncated_estep.hpp
/// \brief `TruncatedEStep`: the truncated variational E-step of v-MFA (Salwig et al. 2025), which
/// owns the neighbour graph it searches.
#pragma once

#include "context.hpp"
#include "detail/rng.hpp"
#include "detail/select_best.hpp"
#include "estep.hpp"
#include "graph.hpp"
#include "groups.hpp"
#include "kernel.hpp"
#include "policies.hpp"
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

/// \brief Truncated variational E-step of v-MFA (Salwig et al. 2025).
///
/// Each point n keeps a set K(n) of C' active components. One E-step builds the search space
/// S(n) = ∪_{c ∈ K(n)} g_c ∪ R(n) (R(n): E components drawn uniformly at random), evaluates
/// log p(x_n, c) for every c in S(n), keeps the C' best as the new K(n) (since c ∈ g_c,
/// K(n) ⊆ S(n) and the free energy never decreases), sets q_n(c) ∝ p(x_n, c) on K(n), and hands
/// the evaluated log-joints to the neighbour graph as statistics; `finish` rebuilds the graph from
/// them (after the model has combined them with those of other processes, if any).
///
/// The E-step owns its graph: `initialize` builds it, `finish` updates it, `saveState` /
/// `restoreState` checkpoint it.
///
/// Log-joints are evaluated component-major: the (point, component) pairs of a chunk of points are
/// grouped by component (`ComponentGroups`) and each group is one batched kernel call
/// (`logJointColumns`), which reads the points where they lie in the chunk's buffer (copied once,
/// relative to the origin). The points are visited grouped by their best component of the previous
/// E-step, so that points sharing g_best share a chunk; their other active components differ, so at
/// large C a chunk still meets many components with few points each (docs/design.md §3), which the
/// fused kernel and `prefetchComponent` keep cheap. S(n) is de-duplicated with
/// per-thread generation counters. Random candidates come from streams keyed by (seed, iteration,
/// point), so the result does not depend on the thread count.
///
/// Cost per E-step: O(N·|S|·D·H) with |S| ≤ C'·G + E, independent of C.
/// Memory (the whole fit's, with the fit loop's second K(n) and q, is in docs/design.md §3.1): K(n) and
/// q, N·C'·(4 + sizeof(Scalar)) bytes, and each point's bound and best component, N·12 bytes, held by the
/// caller; the order of the points, N·8 + C·20 bytes
/// (`byBest_`, kept between E-steps), and the graph (C·G·4); per
/// thread a chunk working set of about chunkSize·|S|·(16 + 2·sizeof(Scalar)) bytes (the pairs) plus the
/// points of one evaluation block (`evaluationBlock`, D·sizeof(Scalar) bytes each), 20·C bytes of counters (and, for H > 8, the kernel's D × blockSize buffer);
/// the graph statistics, at most C·capacity·16 bytes (`statisticsCapacity`; by default C·(C − 1)·16 up to 64 MiB, C·4G·16 above) whatever N, plus the
/// pairs of the chunks being merged (16 bytes per pair). Never an N × C array.
///
/// \tparam Scalar_ float or double
/// \tparam Graph_  neighbour-graph policy (`KlNeighborGraph`, or `EuclideanNeighborGraph` for the ablation)
template <typename Scalar_, typename Graph_ = KlNeighborGraph>
class TruncatedEStep {
 public:
  using Scalar = Scalar_;
  using Graph = Graph_;
  using GraphOptions = typename Graph::Options;
  using Statistics = GraphStatistics;
  static_assert(checkGraphPolicy<Graph_>(), "vmfa: see the graph policy contract in policies.hpp");

  struct Options {
    /// C': active components per point (1 <= C' <= C). `kAutomatic`: min(3, C).
    Index activeComponents = kAutomatic;
    /// E: components drawn at random into each point's search space per E-step (>= 0).
    Index randomCandidates = 1;
    /// Maximum warm-up E-steps (parameters fixed) before the first M-step (>= 0).
    int maxWarmupIterations = 20;
    /// Points per chunk of the component-major evaluation (>= 1): a larger chunk gives each
    /// component it meets more points per batch, a smaller one keeps the chunk's points in cache.
    /// `kAutomatic`: the chunk's points take
    /// 32 MiB, 32 MiB / (D·sizeof(Scalar)) points, at most N / 8, clamped to [4096, 65536] (32,768 at
    /// D = 256 in float). The chunk is evaluated in blocks that fit in a core's cache
    /// (`evaluationBlock`); its graph statistics are merged as a whole.
    Index chunkSize = kAutomatic;
  };

  TruncatedEStep() = default;
  explicit TruncatedEStep(const Options& o) : options_(o) {}
  TruncatedEStep(const Options& o, const GraphOptions& g) : options_(o), graph_(g) {}
  const Options& options() const { return options_; }
  /// The neighbour graph (valid after a fit, a resume or setParameters + search).
  const Graph& graph() const { return graph_; }

  /// C' for C components.
  static Index resolve(Index requested, Index C) {
    return requested == kAutomatic ? std::min<Index>(3, C) : requested;
  }
  Index truncation(Index C) const { return resolve(options_.activeComponents, C); }

  void checkOptions(Index C, const char* where) const {
    detail::require(options_.activeComponents >= 1 || options_.activeComponents == kAutomatic, where,
                    "activeComponents C' = ", options_.activeComponents, " must be >= 1");
    detail::require(options_.activeComponents <= C, where, "activeComponents C' = ", options_.activeComponents,
                    " exceeds the number of components C = ", C);
    detail::require(options_.randomCandidates >= 0 && options_.randomCandidates <= C, where, "randomCandidates E = ",
                    options_.randomCandidates, " must be in [0, C = ", C, "]");
    detail::require(options_.maxWarmupIterations >= 0, where, "maxWarmupIterations = ", options_.maxWarmupIterations,
                    " must be >= 0");
    detail::require(options_.chunkSize >= 1 || options_.chunkSize == kAutomatic, where, "chunkSize = ",
                    options_.chunkSize, " must be >= 1");
    graph_.checkOptions(C, where);
    // pairs of a chunk are numbered with 32-bit integers
    const Index search = truncation(C) * Graph::resolve(graph_.options().neighbors, C) + options_.randomCandidates;
    const Index chunk = options_.chunkSize == kAutomatic ? kMaxAutomaticChunk : options_.chunkSize;
    detail::require(chunk <= (Index(1) << 31) / std::max<Index>(search, 1), where, "chunkSize = ", chunk,
                    " times the search space C'·G + E = ", search, " must be below 2^31");
  }

  int maxWarmupIterations() const { return options_.maxWarmupIterations; }

  void describe(OptionList& out) const {
    out.add("activeComponents", options_.activeComponents).add("randomCandidates", options_.randomCandidates);
    out.add("maxWarmupIterations", options_.maxWarmupIterations).add("chunkSize", options_.chunkSize);
    graph_.describe(out);
  }

  static constexpr Index kMaxAutomaticChunk = 65536;
  /// Points ahead whose active components the search-space loop fetches early.
  static constexpr Index kPointsAhead = 8;

  /// Points per chunk for N points of dimension D (resolves `kAutomatic`; at least 8 chunks when
  /// N >= 32768, so that the threads share the work). Chunks are the unit of parallel work and of the
  /// graph statistics' merge.
  Index chunkSize(Index N, Index D) const {
    if (options_.chunkSize != kAutomatic) return options_.chunkSize;
    const Index fit = (Index(32) << 20) / std::max<Index>(1, D * static_cast<Index>(sizeof(Scalar)));
    return std::max<Index>(4096, std::min({kMaxAutomaticChunk, fit, N / 8}));
  }

  /// Points per evaluation block of a chunk (at most `chunk`): the larger of 512 KiB of points (so
  /// that the block's points, which every batch reads again, stay in a core's cache) and
  /// 32·C / (C'·G + E) points (so that each component met still gets about 32 points per batch when
  /// the points spread evenly): 2048 at D = 64 in float with C = 1000, the whole chunk at large C.
  /// The results do not depend on it.
  Index evaluationBlock(Index chunk, Index D, Index C) const {
    const Index fit = (Index(512) << 10) / std::max<Index>(1, D * static_cast<Index>(sizeof(Scalar)));
    const Index search = std::max<Index>(
        1, truncation(C) * Graph::resolve(graph_.options().neighbors, C) + options_.randomCandidates);
    return std::max<Index>(1, std::min(chunk, std::max(fit, 32 * C / search)));
  }

  /// K(n): C' distinct random components; the seed point of component c (a global index) holds
  /// c. Graph: random.
  void initialize(const FitContext<Scalar>& ctx, const Parameters<Scalar>& p, const std::vector<Index>& seedPoints,
                  Responsibilities<Scalar>& resp) {
    const Index N = ctx.numPoints(), C = p.numComponents(), K = truncation(C);
    resp.index.resize(K, N);
    resp.prob.setConstant(K, N, static_cast<Scalar>(1.0 / static_cast<double>(K)));
    std::vector<std::int32_t> chosen(static_cast<std::size_t>(K));
#pragma omp parallel for num_threads(ctx.threads) schedule(static) firstprivate(chosen)
    for (Index n = 0; n < N; ++n) {
      detail::Random rng(ctx.seed(), detail::key(detail::Stream::Assignment), 0,
                         static_cast<std::uint64_t>(ctx.globalIndex(n)));
      for (Index k = 0; k < K;) {  // K <= C distinct draws; K is small, linear search suffices
        const auto c = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(C)));
        if (std::find(chosen.begin(), chosen.begin() + k, c) != chosen.begin() + k) continue;
        chosen[static_cast<std::size_t>(k++)] = c;
      }
      for (Index k = 0; k < K; ++k) resp.index(k, n) = chosen[static_cast<std::size_t>(k)];
    }
    for (std::size_t c = 0; c < seedPoints.size(); ++c) {  // global indices: those of this shard
      const Index n = seedPoints[c] - ctx.pointOffset;
      if (n < 0 || n >= N) continue;
      bool present = false;
      for (Index k = 0; k < K; ++k) present = present || resp.index(k, n) == static_cast<std::int32_t>(c);
      if (!present) resp.index(0, n) = static_cast<std::int32_t>(c);
    }
    graph_.initialize(C, ctx.seed());
  }

  /// One E-step: new K(n) and q_n for every point, their bounds and best components, and the
  /// graph statistics of the log-joints evaluated.
  EStepSummary run(const FitContext<Scalar>& ctx, int iteration, const Parameters<Scalar>& p,
                   const ComponentCache<Scalar>& cache, Responsibilities<Scalar>& resp, PointResults& points,
                   Statistics& statistics) {
    return run(ctx, iteration, p, cache, resp, resp, points, statistics);
  }

  /// The same E-step from the active sets in `from` to new ones in `to` (resized to K × N), which
  /// may be `from` itself: point n reads only its own K(n), before it writes it. The fit loop uses
  /// it to keep the previous K(n) and q for undoing an interrupted iteration without copying them.
  EStepSummary run(const FitContext<Scalar>& ctx, int iteration, const Parameters<Scalar>& p,
                   const ComponentCache<Scalar>& cache, const Responsibilities<Scalar>& from,
                   Responsibilities<Scalar>& to, PointResults& points, Statistics& statistics) {
    const Index N = ctx.numPoints(), C = p.numComponents(), K = from.perPoint(), G = graph_.size();
    if (&to != &from) {
      to.index.resize(K, N);  // no reallocation when `to` held the previous-but-one iteration
      to.prob.resize(K, N);
    }
    const Index E = search_ ? options_.randomCandidates : 0, chunk = chunkSize(N, ctx.dim()), B = ctx.options.blockSize;
    const Index block = evaluationBlock(chunk, ctx.dim(), C);
    const Index numChunks = (N + chunk - 1) / chunk;
    points.bound.resize(N);
    points.best.resize(static_cast<std::size_t>(N));
    std::vector<std::uint64_t> chunkEvaluations(static_cast<std::size_t>(numChunks), 0);
    std::vector<double> chunkGraphSeconds(static_cast<std::size_t>(numChunks), 0.0);
    std::vector<Workspace> ws(static_cast<std::size_t>(ctx.threads));
    for (auto& w : ws) w.reset(C);
    graph_.beginUpdate(ctx.threads, p.weights.template cast<double>().array().log().matrix());
    orderByBest(from, C);
    std::atomic<Index> done{0};
    detail::ExceptionCapture capture;

#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
    for (Index ch = 0; ch < numChunks; ++ch) {
      capture.run([&] {
        if (ctx.interrupted()) return;  // the fit discards this E-step
        const int t = detail::threadIndex();
        Workspace& w = ws[static_cast<std::size_t>(t)];
        const Index first = ch * chunk, len = std::min(chunk, N - first);
        const Index* pts = byBest_.items(0) + first;  // the chunk's points, grouped by best component

        // Steps 1–5 run on blocks of the chunk small enough for the block's points to stay in a
        // core's cache (every batch of step 4 reads them again); step 6 runs on the whole chunk,
        // so the graph statistics, merged chunk by chunk, do not depend on the block size.
        w.offsets.resize(static_cast<std::size_t>(len + 1));
        w.comp.clear();
        w.bestLj.resize(static_cast<std::size_t>(len));
        const Index D = ctx.dim();
        if (w.values.size() < B) w.values.resize(B);  // one allocation per thread and E-step
        for (Index s0 = 0; s0 < len; s0 += block) {
          const Index s1 = std::min(len, s0 + block);
          // 1. search spaces S(n), de-duplicated with generation counters
          const std::size_t first = w.comp.size();
          for (Index j = s0; j < s1; ++j) {
            const Index n = pts[j];
            if (j + kPointsAhead < len) detail::prefetch(&from.index(0, pts[j + kPointsAhead]), K);  // scattered: fetch early
            w.offsets[static_cast<std::size_t>(j)] = w.comp.size();
            const std::uint32_t gen = w.nextGeneration();
            if (!searches(iteration, ctx.globalIndex(n))) {  // K(n) alone
              for (Index k = 0; k < K; ++k) w.push(from.index(k, n), gen);
              continue;
            }
            for (Index k = 0; k < K; ++k) {
              const std::int32_t* g = graph_.neighbors(from.index(k, n));
              for (Index i = 0; i < G; ++i) w.push(g[i], gen);
            }
            if (E > 0) {
              detail::Random rng(ctx.seed(), detail::key(detail::Stream::Candidates), static_cast<std::uint64_t>(iteration),
                                 static_cast<std::uint64_t>(ctx.globalIndex(n)));
              for (Index e = 0; e < E; ++e) w.push(static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(C))), gen);
            }
          }
          w.offsets[static_cast<std::size_t>(s1)] = w.comp.size();
          const std::size_t last = w.comp.size();

          // 2. the block's points, relative to the origin, side by side in cache (read from the data once)
          gatherColumns<Scalar>(ctx.data, pts + s0, s1 - s0, [](Index n) { return n; }, w.points, p.origin);

          // 3. group the block's pairs by component, 4. one batched kernel call per (component, batch of its points)
          for (std::size_t q = first; q < last; ++q) w.groups.count(w.comp[q]);
          w.groups.layout();
          for (Index j = s0; j < s1; ++j)
            for (std::size_t q = w.offsets[static_cast<std::size_t>(j)]; q < w.offsets[static_cast<std::size_t>(j + 1)]; ++q)
              w.groups.place(w.comp[q], Pair{static_cast<std::int32_t>(q), static_cast<std::int32_t>(j - s0)});
          w.lj.resize(last);
          for (Index g = 0, numGroups = w.groups.numGroups(); g < numGroups; ++g) {
            if (g + 1 < numGroups) {  // one component ahead: its parameters and its first points
              prefetchComponent(p, cache, w.groups.component(g + 1));
              const Pair* next = w.groups.items(g + 1);
              for (Index i = 0, n = std::min(detail::kPrefetchColumns, w.groups.size(g + 1)); i < n; ++i)
                detail::prefetch(w.points.col(next[i].point).data(), D);
            }
            const std::int32_t c = w.groups.component(g);
            for (Index b0 = 0, size = w.groups.size(g); b0 < size; b0 += B) {
              const Index b = std::min(B, size - b0);
              const Pair* pairs = w.groups.items(g) + b0;
              auto values = w.values.head(b);
              logJointColumns(p, cache, c, D, b, [&](Index i) { return w.points.col(pairs[i].point).data(); }, w.kernel,
                              values);
              for (Index i = 0; i < b; ++i) w.lj[static_cast<std::size_t>(pairs[i].index)] = values(i);
            }
          }
          w.groups.clear();

          // 5. per point: the best C' become K(n), q over K(n), bound
          for (Index j = s0; j < s1; ++j) {
            const Index n = pts[j];
            const std::size_t q0 = w.offsets[static_cast<std::size_t>(j)];
            const std::size_t q1 = w.offsets[static_cast<std::size_t>(j + 1)];
            detail::selectBest(w.ranked, w.lj, w.comp, q0, q1, K);
            const double top = static_cast<double>(w.ranked[0].first);
            double sum = 0.0;
            for (Index k = 0; k < K; ++k) sum += std::exp(static_cast<double>(w.ranked[static_cast<std::size_t>(k)].first) - top);
            const double lse = std::isfinite(top) ? top + std::log(sum) : top;
            for (Index k = 0; k < K; ++k) {
              to.index(k, n) = w.ranked[static_cast<std::size_t>(k)].second;
              to.prob(k, n) = static_cast<Scalar>(std::exp(static_cast<double>(w.ranked[static_cast<std::size_t>(k)].first) - lse));
            }
            points.bound(n) = lse;
            points.best[static_cast<std::size_t>(n)] = w.ranked[0].second;
            w.bestLj[static_cast<std::size_t>(j)] = w.ranked[0].first;
          }
        }
        chunkEvaluations[static_cast<std::size_t>(ch)] = w.comp.size();

        // 6. graph statistics from the log-joints just evaluated (no extra evaluations), the
        // points ordered by their new best component (so that each forms one run of pairs); an
        // E-step on K(n) alone gathers none and leaves the graph as it is
        const auto g0 = std::chrono::steady_clock::now();
        if (search_) {
          for (Index j = 0; j < len; ++j) w.byBest.count(points.best[static_cast<std::size_t>(pts[j])]);
          w.byBest.layout();
          for (Index j = 0; j < len; ++j)
            w.byBest.place(points.best[static_cast<std::size_t>(pts[j])], static_cast<std::int32_t>(j));
          for (Index g = 0; g < w.byBest.numGroups(); ++g) {
            const std::int32_t best = w.byBest.component(g);
            for (Index i = 0, size = w.byBest.size(g); i < size; ++i) {
              const std::size_t j = static_cast<std::size_t>(w.byBest.items(g)[i]);
              const std::size_t q0 = w.offsets[j], q1 = w.offsets[j + 1];
              const double top = static_cast<double>(w.bestLj[j]);
              for (std::size_t q = q0; q < q1; ++q)
                if (w.comp[q] != best) graph_.accumulate(t, best, w.comp[q], top, static_cast<double>(w.lj[q]));
            }
          }
          w.byBest.clear();
        }
        graph_.endChunk(t, ch);
        chunkGraphSeconds[static_cast<std::size_t>(ch)] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
        if (ctx.options.stepCallback) detail::reportProgress(ctx.options.stepCallback, done, len, N);
      });
    }
    capture.rethrow();

    EStepSummary r;
    for (Index n = 0; n < N; ++n) r.freeEnergy += ctx.weight(n) * points.bound(n);
    for (auto e : chunkEvaluations) r.logJointEvaluations += e;
    const auto u0 = std::chrono::steady_clock::now();
    statistics = graph_.takeStatistics();
    double accumulation = 0.0;
    for (auto s : chunkGraphSeconds) accumulation += s;
    // the accumulation ran in parallel inside the chunks: count its share of the wall time
    r.statisticsSeconds = accumulation / static_cast<double>(ctx.threads) +
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - u0).count();
    return r;
  }

  /// Rebuilds the graph from the (combined) statistics of this iteration (not after an E-step on
  /// K(n) alone, which gathered none).
  void finish(const FitContext<Scalar>& ctx, int iteration, const Parameters<Scalar>& p, const Statistics& statistics) {
    if (!search_) return;
    const Eigen::VectorXd logWeights = p.weights.template cast<double>().array().log().matrix();
    graph_.finishUpdate(statistics, logWeights, ctx.seed(), iteration);
  }

  /// Whether the next E-steps search S(n) (the default) or evaluate only K(n): C' log-joints per
  /// point, no random candidates, which keeps the E-step exact for the sets it has, so the free
  /// energy still never decreases. With `every` > 1 the points take turns: the point of global index
  /// i searches in the E-step of iteration t when (t + i) mod every = 0, the others evaluate K(n)
  /// alone, and the graph is updated from the log-joints evaluated. Without search (`search` false)
  /// no point searches and the graph stays as it is. The fit loop chooses (`Options::searchEvery`).
  void setSearch(bool search, int every = 1) {
    search_ = search;
    every_ = std::max(1, every);
  }

  /// New parameters of C components were set (`Model::setParameters`, `loadModel`): the graph
  /// starts again as at the start of a fit (random; a search's steps and a fit rebuild it).
  void resetState(Index C, std::uint64_t seed) { graph_.initialize(C, seed); }

  /// The graph, C rows of G components.
  PolicyState saveState() const { return {graph_.saveState(), graph_.stateWidth()}; }
  /// Restores a graph saved by saveState(). \throws InvalidArgument if it does not fit C and the options.
  void restoreState(Index C, const PolicyState& state, const char* where) {
    graph_.restoreState(C, state.width, state.values, where);
  }

 private:
  /// A (point, candidate) pair of a chunk: its index in the chunk's pair arrays and its point's
  /// column in the chunk's buffer.
  struct Pair {
    std::int32_t index, point;
  };

  struct Workspace {
    std::vector<std::uint32_t> stamp;   // C, generation of the last point that added the component
    std::uint32_t generation = 0;
    ComponentGroups<Pair> groups;
    ComponentGroups<std::int32_t> byBest;  // the chunk's points (their index in it) by new best component
    std::vector<std::size_t> offsets;  // len + 1: the pairs of point j are [offsets[j], offsets[j+1])
    std::vector<std::int32_t> comp;
    Matrix<Scalar> points;              // D × chunk: the chunk's points, relative to the origin
    std::vector<Scalar> lj, bestLj;
    std::vector<std::pair<Scalar, std::int32_t>> ranked;
    Vector<Scalar> values;  // blockSize: the log-joints of one batch (its first b entries)
    KernelScratch<Scalar> kernel;

    void reset(Index C) {
      stamp.assign(static_cast<std::size_t>(C), 0);
      groups.reset(C);
      byBest.reset(C);
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

  /// byBest_ = the points grouped by their first active component (the best of the previous
  /// E-step), in increasing component order, by index within a component (a stable counting sort,
  /// O(N + C)). Chunks are ranges of this order, so points with the same g_best share a chunk.
  void orderByBest(const Responsibilities<Scalar>& resp, Index C) {
    const Index N = resp.numPoints();
    byBest_.reset(C);
    for (Index n = 0; n < N; ++n) byBest_.count(resp.index(0, n));
    byBest_.layout();
    for (Index n = 0; n < N; ++n) byBest_.place(resp.index(0, n), n);
  }

  /// Whether the point of global index `point` searches S(n) in the E-step of `iteration`.
  bool searches(int iteration, Index point) const {
    return search_ && (every_ == 1 || (static_cast<std::uint64_t>(iteration) + static_cast<std::uint64_t>(point)) %
                                              static_cast<std::uint64_t>(every_) == 0);
  }

  Options options_;
  Graph graph_;
  bool search_ = true;
  int every_ = 1;  // with search_: each point searches on every every_-th E-step, in turns (setSearch)
  ComponentGroups<Index> byBest_;  // the order in which one E-step visits the points (orderByBest)
};

}  // namespace vmfa
