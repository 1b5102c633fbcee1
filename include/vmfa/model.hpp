/// \file model.hpp
/// \brief `vmfa::Model`: a mixture of factor analysers with fit / score / predict / sample.
#pragma once

#include "detail/context.hpp"
#include "detail/parallel.hpp"
#include "detail/rng.hpp"
#include "detail/woodbury.hpp"
#include "errors.hpp"
#include "estep.hpp"
#include "graph.hpp"
#include "init.hpp"
#include "mstep.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "responsibilities.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

namespace vmfa {

/// \brief The complete state of a fit between two iterations. Resuming from it (`Model::resume`)
/// on the same data with the same options and policies gives the same model, bit for bit, as the
/// uninterrupted fit: every random draw is keyed by (seed, iteration, point).
template <typename Scalar>
struct FitCheckpoint {
  Parameters<Scalar> parameters;
  IndexMatrix activeSets;                 ///< K(n) of a truncated E-step (K × N); empty for exact EM
  std::vector<std::int32_t> graph;        ///< the neighbour graph, C × G row by row; empty without a graph
  Index graphSize = 0;                    ///< G
  Index numPoints = 0;                    ///< N of the data being fitted
  std::uint64_t seed = 0;                 ///< the fit's seed
  bool sharedNoise = false;
  int nextIteration = 0;                  ///< index of the iteration to run next
  int mstepsDone = 0;                     ///< M-steps done so far
  int warmupLeft = 0;                     ///< warm-up E-steps still allowed
  double previousFreeEnergy = 0.0;        ///< objective of the last iteration
  FitResult result;                       ///< history and totals so far
};

/// \brief Points drawn from a model, with the component that generated each.
template <typename Scalar>
struct Samples {
  Matrix<Scalar> points;  ///< D × n
  Eigen::VectorXi labels; ///< n
};

/// \brief A mixture of factor analysers, p(x) = Σ_c π_c N(x; μ_c, Λ_c Λ_cᵀ + Ψ_c).
///
/// \tparam Scalar_ float or double: storage and kernels. Sufficient statistics, log-sum-exp and
///         the per-component precomputation run in double either way.
/// \tparam EStep_  E-step policy: `TruncatedEStep` (v-MFA, default) or `ExactEStep` (em-MFA).
/// \tparam Graph_  neighbour-graph policy used by truncated E-steps.
/// \tparam MStep_  M-step policy (`ClosedFormMStep`).
///
/// Data are D × N Eigen matrices, column-major, one point per column (a C-order N × D numpy
/// array maps onto this without a copy). Every public method validates its input and throws
/// `InvalidArgument` naming the method and the values; numerical trouble during a fit is reported
/// in `FitResult::status`.
///
/// Thread safety: const methods may run concurrently; `fit` and `setParameters` must not run
/// concurrently with anything else on the same model. Parallelism is inside each call (OpenMP).
///
/// \code
/// Eigen::MatrixXf X = ...;                 // D x N
/// vmfa::Options opt;
/// opt.numComponents = 100;
/// opt.latentDim = 4;
/// vmfa::Model<float> model(opt);         // v-MFA; vmfa::ExactModel<float> for exact EM
/// vmfa::FitResult r = model.fit(X);
/// double ll = model.score(X);              // mean log-likelihood per point
/// Eigen::VectorXi labels = model.predict(X);
/// \endcode
template <typename Scalar_, typename EStep_ = TruncatedEStep<Scalar_>, typename Graph_ = KlNeighborGraph,
          typename MStep_ = ClosedFormMStep<Scalar_>>
class Model {
 public:
  using Scalar = Scalar_;
  using EStep = EStep_;
  using Graph = Graph_;
  using MStep = MStep_;
  using DataRef = Eigen::Ref<const Matrix<Scalar>>;

  static_assert(std::is_same<Scalar, float>::value || std::is_same<Scalar, double>::value,
                "vmfa::Model supports float and double");
  static_assert(std::is_same<typename EStep::Scalar, Scalar>::value, "the E-step policy must use the model's Scalar");
  static_assert(std::is_same<typename MStep::Scalar, Scalar>::value, "the M-step policy must use the model's Scalar");

  /// Creates an unfitted model. Options are checked by `fit`.
  explicit Model(const Options& options = Options(), const EStep& estep = EStep(), const Graph& graph = Graph(),
                 const MStep& mstep = MStep())
      : options_(options), estep_(estep), graph_(graph), mstep_(mstep) {}

  // ---------------------------------------------------------------------------------------------
  // Fitting

  /// \brief Fits the model to the columns of X (D × N) from a fresh initialisation.
  /// \throws InvalidArgument on bad shapes, non-finite data, N < C, H >= D or options out of range.
  /// Cost per iteration: that of the E-step policy plus O(N·K·D·H) for the M-step.
  template <typename Derived>
  FitResult fit(const Eigen::MatrixBase<Derived>& X) {
    checkLayout<Derived>();
    const Eigen::VectorXd none;
    return fitImpl(DataRef(X.derived()), none);
  }

  /// \brief Fits with non-negative per-point sample weights (a weight of k is k copies of the point).
  template <typename Derived, typename WDerived>
  FitResult fit(const Eigen::MatrixBase<Derived>& X, const Eigen::MatrixBase<WDerived>& sampleWeights) {
    checkLayout<Derived>();
    const Eigen::VectorXd w = sampleWeights.derived().template cast<double>();
    detail::require(sampleWeights.cols() == 1 || sampleWeights.rows() == 1, "vmfa::Model::fit",
                    "sample weights must be a vector, got ", sampleWeights.rows(), " x ", sampleWeights.cols());
    return fitImpl(DataRef(X.derived()), w);
  }

  /// Receives a checkpoint (see `setCheckpointHandler`).
  using CheckpointHandler = std::function<void(const FitCheckpoint<Scalar>&)>;

  /// \brief Calls `handler` with the fit's state after every `every`-th iteration (0: never) and
  /// when the progress callback stops the fit. The handler typically saves it with
  /// `vmfa::saveCheckpoint`. Cost: a copy of the parameters and of K(n) per call.
  void setCheckpointHandler(int every, CheckpointHandler handler) {
    detail::require(every >= 0, "vmfa::Model::setCheckpointHandler", "every = ", every, " must be >= 0");
    checkpointEvery_ = every;
    checkpointHandler_ = std::move(handler);
  }

  /// \brief Continues a fit from a checkpoint on the same data (and sample weights). The seed is
  /// the checkpoint's. \throws InvalidArgument when the checkpoint does not match the data or the
  /// model's options and policies.
  template <typename Derived>
  FitResult resume(const Eigen::MatrixBase<Derived>& X, const FitCheckpoint<Scalar>& checkpoint) {
    checkLayout<Derived>();
    const Eigen::VectorXd none;
    return resumeImpl(DataRef(X.derived()), none, checkpoint);
  }

  /// \brief Continues a weighted fit from a checkpoint.
  template <typename Derived, typename WDerived>
  FitResult resume(const Eigen::MatrixBase<Derived>& X, const Eigen::MatrixBase<WDerived>& sampleWeights,
                   const FitCheckpoint<Scalar>& checkpoint) {
    checkLayout<Derived>();
    const Eigen::VectorXd w = sampleWeights.derived().template cast<double>();
    return resumeImpl(DataRef(X.derived()), w, checkpoint);
  }

  // ---------------------------------------------------------------------------------------------
  // Inference (exact: every component is evaluated)

  /// \brief Exact log p(x_n) for every column (log-sum-exp over all C components). O(N·C·D·H).
  template <typename Derived>
  Eigen::VectorXd logLikelihood(const Eigen::MatrixBase<Derived>& X) const {
    checkLayout<Derived>();
    const DataRef Xr(X.derived());
    checkData("vmfa::Model::logLikelihood", Xr);
    Eigen::VectorXd out(Xr.cols());
    detail::forEachDenseBlock(params_, cache_, Xr, options_.blockSize, options_.numThreads,
                              [&](Index first, const Matrix<Scalar>& L, int) {
                                Vector<Scalar> post;
                                for (Index j = 0; j < L.cols(); ++j) out(first + j) = detail::logSumExp(L.col(j), post);
                              });
    return out;
  }

  /// \brief Mean exact log-likelihood per point.
  template <typename Derived>
  double score(const Eigen::MatrixBase<Derived>& X) const {
    return logLikelihood(X).mean();
  }

  /// \brief Index of the most probable component of every column (arg max_c log p(x_n, c)).
  template <typename Derived>
  Eigen::VectorXi predict(const Eigen::MatrixBase<Derived>& X) const {
    checkLayout<Derived>();
    const DataRef Xr(X.derived());
    checkData("vmfa::Model::predict", Xr);
    Eigen::VectorXi out(Xr.cols());
    detail::forEachDenseBlock(params_, cache_, Xr, options_.blockSize, options_.numThreads,
                              [&](Index first, const Matrix<Scalar>& L, int) {
                                for (Index j = 0; j < L.cols(); ++j) {
                                  Index arg = 0;
                                  L.col(j).maxCoeff(&arg);
                                  out(first + j) = static_cast<int>(arg);
                                }
                              });
    return out;
  }

  /// \brief Dense posteriors p(c | x_n), C × N. Memory C·N·sizeof(Scalar).
  template <typename Derived>
  Matrix<Scalar> responsibilities(const Eigen::MatrixBase<Derived>& X) const {
    checkLayout<Derived>();
    const DataRef Xr(X.derived());
    checkData("vmfa::Model::responsibilities", Xr);
    Matrix<Scalar> out(numComponents(), Xr.cols());
    detail::forEachDenseBlock(params_, cache_, Xr, options_.blockSize, options_.numThreads,
                              [&](Index first, const Matrix<Scalar>& L, int) {
                                Vector<Scalar> post;
                                for (Index j = 0; j < L.cols(); ++j) {
                                  detail::logSumExp(L.col(j), post);
                                  out.col(first + j) = post;
                                }
                              });
    return out;
  }

  /// \brief The k most probable components of every column and their posteriors p(c | x_n)
  /// (normalised over all C components, sorted in decreasing order). 1 <= k <= C.
  template <typename Derived>
  SparseResponsibilities<Scalar> topResponsibilities(const Eigen::MatrixBase<Derived>& X, Index k) const {
    checkLayout<Derived>();
    const DataRef Xr(X.derived());
    checkData("vmfa::Model::topResponsibilities", Xr);
    detail::require(k >= 1 && k <= numComponents(), "vmfa::Model::topResponsibilities", "k = ", k,
                    " must be in [1, C = ", numComponents(), "]");
    SparseResponsibilities<Scalar> out;
    out.index.resize(k, Xr.cols());
    out.prob.resize(k, Xr.cols());
    detail::forEachDenseBlock(params_, cache_, Xr, options_.blockSize, options_.numThreads,
                              [&](Index first, const Matrix<Scalar>& L, int) {
                                std::vector<std::int32_t> order(static_cast<std::size_t>(L.rows()));
                                Vector<Scalar> post;
                                for (Index j = 0; j < L.cols(); ++j) {
                                  detail::logSumExp(L.col(j), post);
                                  std::iota(order.begin(), order.end(), 0);
                                  std::partial_sort(order.begin(), order.begin() + k, order.end(),
                                                    [&](std::int32_t a, std::int32_t b) {
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

  /// \brief Truncated posteriors of (new) points found by the fit's own search, with the
  /// parameters fixed: starting from the active sets `initial` (K × N component indices, K = the
  /// E-step's C'; e.g. those of nearby training points), runs `steps` E-steps, each of which
  /// evaluates the neighbour graph of the current K(n) plus E random components and keeps the C'
  /// best. Cost O(steps·N·(C'·G + E)·D·H) instead of O(N·C·D·H) for `topResponsibilities`. The
  /// model, its graph included, is not changed. With an exact E-step policy the result is the
  /// dense C × N posterior and `initial` is only checked for its number of columns.
  /// `evaluations`, when given, receives the number of log-joints evaluated.
  template <typename Derived>
  SparseResponsibilities<Scalar> searchResponsibilities(const Eigen::MatrixBase<Derived>& X, const IndexMatrix& initial,
                                                        int steps = 1, std::uint64_t* evaluations = nullptr) const {
    checkLayout<Derived>();
    const char* where = "vmfa::Model::searchResponsibilities";
    const DataRef Xr(X.derived());
    checkData(where, Xr);
    detail::require(steps >= 1, where, "steps = ", steps, " must be >= 1");
    detail::require(initial.cols() == Xr.cols(), where, "got active sets for ", initial.cols(), " points, the data has ",
                    Xr.cols());
    const Eigen::VectorXd none;
    FitContext<Scalar> ctx(Xr, none, options_);
    ctx.totalWeight = static_cast<double>(Xr.cols());
    EStep estep = estep_;
    Graph graph = graph_;
    Graph discarded = graph_;  // initialize() resets the graph it is given
    SparseResponsibilities<Scalar> state;
    estep.initialize(ctx, params_, state, discarded);
    if (!state.dense()) {
      detail::require(initial.rows() == state.perPoint(), where, "got ", initial.rows(),
                      " active components per point, the E-step keeps C' = ", state.perPoint());
      for (Index i = 0; i < initial.size(); ++i)
        detail::require(initial.data()[i] >= 0 && initial.data()[i] < numComponents(), where, "active component ",
                        initial.data()[i], " (entry ", i, ") is out of range [0, ", numComponents(), ")");
      state.index = initial;
    }
    EStepOutput out;
    std::uint64_t count = 0;
    for (int s = 0; s < steps; ++s) {
      ctx.iteration = (1 << 24) + s;  // random candidates independent of those of the fit
      count += estep.run(ctx, params_, cache_, state, graph, out).logJointEvaluations;
      if (state.dense()) break;
    }
    if (evaluations) *evaluations = count;
    return state;
  }

  /// \brief Posterior latent means E[z | x_n, c] = L_c⁻¹ Λ_cᵀ Ψ_c⁻¹ (x_n − μ_c) for one component c (H × N).
  template <typename Derived>
  Matrix<Scalar> latentMean(const Eigen::MatrixBase<Derived>& X, Index c) const {
    checkLayout<Derived>();
    const DataRef Xr(X.derived());
    checkData("vmfa::Model::latentMean", Xr);
    detail::require(c >= 0 && c < numComponents(), "vmfa::Model::latentMean", "component ", c,
                    " is out of range [0, ", numComponents(), ")");
    Matrix<Scalar> out(latentDim(), Xr.cols());
    if (latentDim() > 0)
      out = cache_.latentMeans(params_, c, Xr.colwise() - params_.means.col(c));
    return out;
  }

  /// \brief Posterior latent means E[z | x_n, c_n] with one component per column (H × N).
  template <typename Derived>
  Matrix<Scalar> latentMean(const Eigen::MatrixBase<Derived>& X, const Eigen::VectorXi& components) const {
    checkLayout<Derived>();
    const DataRef Xr(X.derived());
    checkData("vmfa::Model::latentMean", Xr);
    detail::require(components.size() == Xr.cols(), "vmfa::Model::latentMean", "got ", components.size(),
                    " components for ", Xr.cols(), " points");
    for (Index n = 0; n < components.size(); ++n)
      detail::require(components(n) >= 0 && components(n) < numComponents(), "vmfa::Model::latentMean",
                      "component ", components(n), " of point ", n, " is out of range [0, ", numComponents(), ")");
    Matrix<Scalar> out(latentDim(), Xr.cols());
    if (latentDim() == 0) return out;
    [[maybe_unused]] const int nt = detail::resolveThreads(options_.numThreads);
#pragma omp parallel for num_threads(nt) schedule(static)
    for (Index n = 0; n < Xr.cols(); ++n) {
      const Index c = components(n);
      out.col(n) = cache_.latentMeans(params_, c, Xr.col(n) - params_.means.col(c));
    }
    return out;
  }

  /// \brief Posterior covariance Cov[z | x, c] = (I + Λ_cᵀ Ψ_c⁻¹ Λ_c)⁻¹ (H × H), the same for every x.
  Eigen::MatrixXd latentCovariance(Index c) const {
    requireFitted("vmfa::Model::latentCovariance");
    detail::require(c >= 0 && c < numComponents(), "vmfa::Model::latentCovariance", "component ", c,
                    " is out of range [0, ", numComponents(), ")");
    return cache_.posteriorCov.middleCols(latentDim() * c, latentDim());
  }

  /// \brief Draws n points: c ~ π, z ~ N(0, I), x = μ_c + Λ_c z + Ψ_c^{1/2} ε. The draws depend
  /// only on (seed, i), not on the thread count.
  Samples<Scalar> sample(Index n, std::uint64_t seed) const {
    requireFitted("vmfa::Model::sample");
    detail::require(n >= 0, "vmfa::Model::sample", "number of samples n = ", n, " must be >= 0");
    const Index D = dim(), H = latentDim(), C = numComponents();
    std::vector<double> cum(static_cast<std::size_t>(C));
    double s = 0.0;
    for (Index c = 0; c < C; ++c) cum[static_cast<std::size_t>(c)] = (s += static_cast<double>(params_.weights(c)));
    Samples<Scalar> out;
    out.points.resize(D, n);
    out.labels.resize(n);
    [[maybe_unused]] const int nt = detail::resolveThreads(options_.numThreads);
#pragma omp parallel for num_threads(nt) schedule(static)
    for (Index i = 0; i < n; ++i) {
      detail::Random rng(seed, detail::key(detail::Stream::Sample), static_cast<std::uint64_t>(i));
      const Index c = detail::drawFromCumulative(cum, rng);
      Eigen::VectorXd z(H), x(D);
      for (Index h = 0; h < H; ++h) z(h) = rng.normal();
      for (Index d = 0; d < D; ++d) x(d) = std::sqrt(static_cast<double>(params_.noise(d, c))) * rng.normal();
      x += params_.means.col(c).template cast<double>();
      if (H > 0) x += params_.loading(c).template cast<double>() * z;
      out.points.col(i) = x.template cast<Scalar>();
      out.labels(i) = static_cast<int>(c);
    }
    return out;
  }

  /// Number of free parameters (loadings counted modulo rotation: D·H − H(H−1)/2 per component).
  double numFreeParameters() const {
    requireFitted("vmfa::Model::numFreeParameters");
    return params_.numFreeParameters(options_.sharedNoise);
  }

  /// Bayesian information criterion −2 Σ_n log p(x_n) + p log N (lower is better).
  template <typename Derived>
  double bic(const Eigen::MatrixBase<Derived>& X) const {
    const Eigen::VectorXd ll = logLikelihood(X);
    return -2.0 * ll.sum() + numFreeParameters() * std::log(static_cast<double>(ll.size()));
  }

  /// Akaike information criterion −2 Σ_n log p(x_n) + 2 p (lower is better).
  template <typename Derived>
  double aic(const Eigen::MatrixBase<Derived>& X) const {
    return -2.0 * logLikelihood(X).sum() + 2.0 * numFreeParameters();
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters and state

  bool isFitted() const { return !params_.empty(); }
  Index numComponents() const { return params_.numComponents(); }
  Index dim() const { return params_.dim(); }
  Index latentDim() const { return params_.latentDim; }
  const Parameters<Scalar>& parameters() const { return params_; }
  const Vector<Scalar>& weights() const { return params_.weights; }
  const Matrix<Scalar>& means() const { return params_.means; }
  const Matrix<Scalar>& loadings() const { return params_.loadings; }
  auto loading(Index c) const { return params_.loading(c); }
  const Matrix<Scalar>& noise() const { return params_.noise; }
  const Options& options() const { return options_; }
  Options& options() { return options_; }
  const EStep& estep() const { return estep_; }
  const Graph& graph() const { return graph_; }
  const MStep& mstep() const { return mstep_; }

  /// The responsibilities of the training points kept by the last fit (top-C' per point for a
  /// truncated E-step; dense C × N for the exact one).
  const SparseResponsibilities<Scalar>& fittedResponsibilities() const { return state_; }

  /// \brief Replaces the parameters (validated), e.g. to score a known model or continue a fit.
  void setParameters(const Parameters<Scalar>& p) {
    p.validate("vmfa::Model::setParameters");
    params_ = p;
    options_.numComponents = p.numComponents();
    options_.latentDim = p.latentDim;
    cache_.compute(params_, options_.numThreads);
    state_ = SparseResponsibilities<Scalar>();
  }

 private:
  template <typename Derived>
  static constexpr void checkLayout() {
    static_assert(std::is_same<typename Derived::Scalar, Scalar>::value,
                  "vmfa::Model: the data's scalar type must be the model's (cast it first)");
    static_assert(Derived::ColsAtCompileTime == 1 || !(Derived::Flags & Eigen::RowMajorBit),
                  "vmfa::Model: data must be column-major D x N (one point per column); "
                  "a row-major N x D array is its transpose: pass X.transpose()");
  }

  void requireFitted(const char* where) const {
    if (!isFitted()) throw NotFitted(detail::concat(where, ": the model has no parameters (call fit or setParameters first)"));
  }

  void checkData(const char* where, const DataRef& X) const {
    requireFitted(where);
    detail::require(X.rows() == dim(), where, "data has ", X.rows(), " rows but the model has dimension ", dim());
    checkFinite(where, X);
  }

  static void checkFinite(const char* where, const DataRef& X) {
    detail::require(X.cols() > 0, where, "data is empty (0 points)");
    if (X.allFinite()) return;
    for (Index n = 0; n < X.cols(); ++n)
      for (Index d = 0; d < X.rows(); ++d)
        if (!std::isfinite(static_cast<double>(X(d, n))))
          detail::fail(where, "data value (", d, ", ", n, ") is ", static_cast<double>(X(d, n)), ", must be finite");
  }

  void checkFit(const DataRef& X, const Eigen::VectorXd& w) const {
    const char* where = "vmfa::Model::fit";
    const Options& o = options_;
    detail::require(X.rows() >= 1, where, "data has dimension 0");
    checkFinite(where, X);
    const Index D = X.rows(), N = X.cols();
    detail::require(o.numComponents >= 1, where, "numComponents = ", o.numComponents, " must be >= 1");
    detail::require(o.latentDim >= 0 && o.latentDim < D, where, "latentDim = ", o.latentDim,
                    " must satisfy 0 <= latentDim < D = ", D);
    detail::require(N >= o.numComponents, where, "numComponents = ", o.numComponents, " exceeds the number of points N = ", N);
    detail::require(o.maxIterations >= 1, where, "maxIterations = ", o.maxIterations, " must be >= 1");
    detail::require(std::isfinite(o.tolerance) && o.tolerance >= 0.0, where, "tolerance = ", o.tolerance,
                    " must be finite and >= 0");
    detail::require(o.varianceFloor > 0.0 && o.varianceFloor < 1.0, where, "varianceFloor = ", o.varianceFloor,
                    " must be in (0, 1)");
    detail::require(std::isfinite(o.minimumNoise) && o.minimumNoise >= 0.0, where, "minimumNoise = ", o.minimumNoise,
                    " must be finite and >= 0");
    detail::require(o.afkmc2ChainLength >= 1, where, "afkmc2ChainLength = ", o.afkmc2ChainLength, " must be >= 1");
    detail::require(o.numThreads >= 0, where, "numThreads = ", o.numThreads, " must be >= 0");
    detail::require(o.blockSize >= 1, where, "blockSize = ", o.blockSize, " must be >= 1");
    if (w.size() > 0 || N == 0) {
      detail::require(w.size() == N, where, "got ", w.size(), " sample weights for ", N, " points");
      Index positive = 0;
      double sum = 0.0;
      for (Index n = 0; n < N; ++n) {
        detail::require(std::isfinite(w(n)) && w(n) >= 0.0, where, "sample weight ", n, " is ", w(n),
                        ", must be finite and >= 0");
        positive += w(n) > 0.0;
        sum += w(n);
      }
      detail::require(sum > 0.0, where, "sample weights sum to 0");
      detail::require(positive >= o.numComponents, where, "numComponents = ", o.numComponents, " exceeds the ",
                      positive, " points with positive weight");
    }
    estep_.checkOptions(o.numComponents, where);
    graph_.checkOptions(o.numComponents, where);
    mstep_.checkOptions(o.numComponents, where);
  }

  using Clock = std::chrono::steady_clock;
  static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

  /// Where a fit loop stands between two iterations.
  struct LoopState {
    int nextIteration = 0;
    int mstepsDone = 0;
    int warmupLeft = 0;
    double previous = std::numeric_limits<double>::quiet_NaN();
  };

  /// Context with the data's moments (the same for a fresh fit and a resumed one).
  FitContext<Scalar> makeContext(const DataRef& X, const Eigen::VectorXd& w) const {
    FitContext<Scalar> ctx(X, w, options_);
    ctx.totalWeight = w.size() ? w.sum() : static_cast<double>(X.cols());
    detail::dataMoments<Scalar>(X, w, ctx.totalWeight, options_.blockSize, ctx.threads, ctx.dataMean, ctx.dataVariance);
    return ctx;
  }

  FitResult fitImpl(const DataRef& X, const Eigen::VectorXd& w) {
    checkFit(X, w);
    const auto start = Clock::now();
    FitContext<Scalar> ctx = makeContext(X, w);
    Parameters<Scalar> params;
    if (options_.warmStart) {
      detail::require(isFitted() && numComponents() == options_.numComponents && latentDim() == options_.latentDim &&
                          dim() == X.rows(),
                      "vmfa::Model::fit", "warmStart needs parameters with C = ", options_.numComponents,
                      ", H = ", options_.latentDim, ", D = ", X.rows(), "; the model has C = ", numComponents(),
                      ", H = ", latentDim(), ", D = ", dim());
      params = params_;
    } else {
      params = initialParameters(ctx, &ctx.seedPoints);
    }
    SparseResponsibilities<Scalar> state;
    estep_.initialize(ctx, params, state, graph_);
    LoopState loop;
    loop.warmupLeft = estep_.maxWarmupIterations();
    FitResult result;
    result.initSeconds = since(start);
    return runLoop(ctx, std::move(params), std::move(state), loop, std::move(result), start);
  }

  FitResult resumeImpl(const DataRef& X, const Eigen::VectorXd& w, const FitCheckpoint<Scalar>& cp) {
    const char* where = "vmfa::Model::resume";
    const auto start = Clock::now();
    const Options saved = options_;
    options_.numComponents = cp.parameters.numComponents();
    options_.latentDim = cp.parameters.latentDim;
    options_.sharedNoise = cp.sharedNoise;
    options_.seed = cp.seed;
    const Graph savedGraph = graph_;
    try {
      checkFit(X, w);
      cp.parameters.validate(where);
      detail::require(cp.parameters.dim() == X.rows() && cp.numPoints == X.cols(), where, "the checkpoint is for N = ",
                      cp.numPoints, " points of dimension ", cp.parameters.dim(), ", the data has N = ", X.cols(),
                      " points of dimension ", X.rows());
      return resumeChecked(X, w, cp, start);
    } catch (const std::invalid_argument&) {
      options_ = saved;  // a rejected checkpoint leaves the model as it was
      graph_ = savedGraph;
      throw;
    }
  }

  FitResult resumeChecked(const DataRef& X, const Eigen::VectorXd& w, const FitCheckpoint<Scalar>& cp,
                          Clock::time_point start) {
    const char* where = "vmfa::Model::resume";
    FitContext<Scalar> ctx = makeContext(X, w);
    SparseResponsibilities<Scalar> state;
    estep_.initialize(ctx, cp.parameters, state, graph_);  // shapes; then the saved state replaces it
    detail::require(cp.activeSets.rows() == (state.dense() ? 0 : state.perPoint()) &&
                        (state.dense() || cp.activeSets.cols() == X.cols()),
                    where, "the checkpoint has ", cp.activeSets.rows(), " active components per point, the E-step uses ",
                    state.dense() ? 0 : state.perPoint());
    if (!state.dense()) {
      for (Index i = 0; i < cp.activeSets.size(); ++i)
        detail::require(cp.activeSets.data()[i] >= 0 && cp.activeSets.data()[i] < cp.parameters.numComponents(), where,
                        "active component index ", cp.activeSets.data()[i], " is out of range");
      state.index = cp.activeSets;
    }
    graph_.restoreState(cp.parameters.numComponents(), cp.graphSize, cp.graph, where);
    LoopState loop;
    loop.nextIteration = cp.nextIteration;
    loop.mstepsDone = cp.mstepsDone;
    loop.warmupLeft = cp.warmupLeft;
    loop.previous = cp.previousFreeEnergy;
    FitResult result = cp.result;
    result.initSeconds += since(start);
    return runLoop(ctx, cp.parameters, std::move(state), loop, std::move(result), start - secondsToDuration(cp.result.seconds));
  }

  static Clock::duration secondsToDuration(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  FitCheckpoint<Scalar> makeCheckpoint(const FitContext<Scalar>& ctx, const Parameters<Scalar>& params,
                                       const SparseResponsibilities<Scalar>& state, const LoopState& loop,
                                       const FitResult& result, Clock::time_point start) const {
    FitCheckpoint<Scalar> cp;
    cp.parameters = params;
    if (!state.dense()) cp.activeSets = state.index;
    cp.graph = graph_.saveState();
    cp.graphSize = graph_.stateWidth();
    cp.numPoints = ctx.numPoints();
    cp.seed = options_.seed;
    cp.sharedNoise = options_.sharedNoise;
    cp.nextIteration = loop.nextIteration;
    cp.mstepsDone = loop.mstepsDone;
    cp.warmupLeft = loop.warmupLeft;
    cp.previousFreeEnergy = loop.previous;
    cp.result = result;
    cp.result.iterations = static_cast<int>(result.history.size());
    cp.result.seconds = since(start);
    return cp;
  }

  FitResult runLoop(FitContext<Scalar>& ctx, Parameters<Scalar> params, SparseResponsibilities<Scalar> state,
                    LoopState loop, FitResult result, Clock::time_point start) {
    const Index N = ctx.numPoints();
    detail::ComponentCache<Scalar> cache;
    cache.compute(params, ctx.threads);
    EStepOutput out;
    for (int it = loop.nextIteration;; ++it) {
      ctx.iteration = it;
      IterationStats st;
      st.iteration = it;
      const auto t0 = Clock::now();
      const EStepReport er = estep_.run(ctx, params, cache, state, graph_, out);
      st.estepSeconds = since(t0) - er.graphSeconds;
      st.graphSeconds = er.graphSeconds;
      st.freeEnergy = er.freeEnergy / ctx.totalWeight;
      st.logJointEvaluations = er.logJointEvaluations;
      st.meanSearchSize = static_cast<double>(er.logJointEvaluations) / static_cast<double>(N);
      st.activeComponents = countActive(out.best, params.numComponents());
      st.relativeChange = std::isfinite(loop.previous) ? std::abs(st.freeEnergy / loop.previous - 1.0)
                                                       : std::numeric_limits<double>::infinity();
      loop.previous = st.freeEnergy;

      bool stop = false;
      if (!std::isfinite(st.freeEnergy)) {
        result.status = FitStatus::NumericalIssue;
        result.message = detail::concat("the free energy became ", st.freeEnergy, " at iteration ", it,
                                        " (data too large for the scalar type?)");
        stop = true;
      } else if (loop.warmupLeft > 0 && st.relativeChange > options_.tolerance) {
        st.warmup = true;  // E-step only: K(n) and the graph settle with the parameters fixed
        --loop.warmupLeft;
      } else {
        loop.warmupLeft = 0;
        const bool converged = loop.mstepsDone > 0 && st.relativeChange < options_.tolerance;
        if (converged) {
          result.status = FitStatus::Converged;
          stop = true;
        } else if (loop.mstepsDone >= options_.maxIterations) {
          result.status = FitStatus::IterationLimit;
          stop = true;
        } else {
          const auto t1 = Clock::now();
          const MStepReport mr = mstep_.run(ctx, params, cache, state, out);
          cache.compute(params, ctx.threads);
          ++loop.mstepsDone;
          st.reseededComponents = mr.reseededComponents;
          st.mstepSeconds = since(t1);
        }
      }
      st.seconds = since(t0);
      result.logJointEvaluations += st.logJointEvaluations;
      result.reseededComponents += st.reseededComponents;
      result.freeEnergy = st.freeEnergy;
      result.history.push_back(st);
      loop.nextIteration = it + 1;
      bool interrupted = false;
      if (options_.callback && !options_.callback(st) && !stop) {
        result.status = FitStatus::StoppedByCallback;
        stop = interrupted = true;
      }
      if (checkpointHandler_ && (interrupted || (!stop && checkpointEvery_ > 0 && (it + 1) % checkpointEvery_ == 0)))
        checkpointHandler_(makeCheckpoint(ctx, params, state, loop, result, start));
      if (stop) break;
    }
    result.iterations = static_cast<int>(result.history.size());
    params_ = std::move(params);
    cache_ = std::move(cache);
    state_ = std::move(state);
    result.seconds = since(start);
    return result;
  }

  static Index countActive(const std::vector<std::int32_t>& best, Index C) {
    std::vector<unsigned char> seen(static_cast<std::size_t>(C), 0);
    for (auto c : best) seen[static_cast<std::size_t>(c)] = 1;
    return static_cast<Index>(std::count(seen.begin(), seen.end(), 1));
  }

  Options options_;
  EStep estep_;
  Graph graph_;
  MStep mstep_;
  Parameters<Scalar> params_;
  detail::ComponentCache<Scalar> cache_;
  SparseResponsibilities<Scalar> state_;
  int checkpointEvery_ = 0;
  CheckpointHandler checkpointHandler_;
};

/// Exact EM (em-MFA): every point against every component, dense responsibilities.
template <typename Scalar>
using ExactModel = Model<Scalar, ExactEStep<Scalar>, NoNeighborGraph, ClosedFormMStep<Scalar>>;

/// v-MFA with the "Euclidean" neighbour-graph ablation instead of the KL graph.
template <typename Scalar>
using EuclideanGraphModel = Model<Scalar, TruncatedEStep<Scalar>, EuclideanNeighborGraph, ClosedFormMStep<Scalar>>;

}  // namespace vmfa
