// vmfa._core: the Python binding of the header-only library (pybind11).
//
// Layout: a C-contiguous N × D numpy array is, byte for byte, the D × N column-major matrix the
// library works on, so arrays of the model's precision are mapped (Eigen::Map), never copied. The
// pure-Python estimator (vmfa/__init__.py) converts any other input once, with numpy, before it
// gets here. The GIL is released while the library runs; a SIGINT during a fit stops it through
// Options::interrupt and surfaces as KeyboardInterrupt.

#include <vmfa/vmfa.hpp>

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {

using vmfa::Index;

/// Read-only view of a C-contiguous (N, D) array of Scalar as the library's D × N matrix.
template <typename S>
using Points = Eigen::Map<const vmfa::Matrix<S>>;

template <typename S>
Points<S> pointsOf(const py::array_t<S, py::array::c_style>& X, const char* where) {
  if (X.ndim() != 2)
    throw vmfa::InvalidArgument(std::string(where) + ": X must have 2 dimensions (n_samples, n_features), got " +
                                std::to_string(X.ndim()));
  return Points<S>(X.data(), static_cast<Index>(X.shape(1)), static_cast<Index>(X.shape(0)));
}

/// (rows, cols) C-order array that owns a copy of a column-major cols × rows matrix (the transpose
/// view of the library's D × n layout is the numpy (n, D) layout: one memcpy).
template <typename S, typename M>
py::array_t<S> rowsOf(const M& m) {
  py::array_t<S> out({static_cast<py::ssize_t>(m.cols()), static_cast<py::ssize_t>(m.rows())});
  std::memcpy(out.mutable_data(), m.data(), sizeof(S) * static_cast<std::size_t>(m.size()));
  return out;
}

// ---- SIGINT during a fit: each fit has its own flag, which Options::interrupt polls

/// The flag of the fit that runs on the main thread, if any: the only fit that SIGINT stops
/// (Python delivers KeyboardInterrupt to the main thread; fits on other threads are never touched).
std::atomic<std::atomic<bool>*> gMainThreadFit{nullptr};
extern "C" void onSigint(int) {
  if (std::atomic<bool>* flag = gMainThreadFit.load()) flag->store(true);
}

/// For its lifetime, SIGINT sets `flag`: installed only on the main thread and only while Python's
/// own default handler is in place (a user's handler or SIG_IGN is left alone: the fit then runs
/// to its end, and the user's handler runs after it).
struct SigintGuard {
  bool installed = false;
  struct sigaction previous {};
  explicit SigintGuard(std::atomic<bool>& flag) {  // with the GIL held
    const py::module_ threading = py::module_::import("threading");
    if (!threading.attr("current_thread")().is(threading.attr("main_thread")())) return;
    const py::module_ signal = py::module_::import("signal");
    if (!signal.attr("getsignal")(signal.attr("SIGINT")).is(signal.attr("default_int_handler"))) return;
    gMainThreadFit.store(&flag);
    struct sigaction sa {};
    sa.sa_handler = onSigint;
    sigemptyset(&sa.sa_mask);
    installed = sigaction(SIGINT, &sa, &previous) == 0;
    if (!installed) gMainThreadFit.store(nullptr);
  }
  ~SigintGuard() {
    if (!installed) return;
    sigaction(SIGINT, &previous, nullptr);
    gMainThreadFit.store(nullptr);
  }
};

py::dict statsDict(const vmfa::IterationStats& s) {
  py::dict d;
  d["iteration"] = s.iteration;
  d["warmup"] = s.warmup;
  d["free_energy"] = s.freeEnergy;
  d["relative_change"] = s.relativeChange;
  d["seconds"] = s.seconds;
  d["estep_seconds"] = s.estepSeconds;
  d["graph_seconds"] = s.graphSeconds;
  d["mstep_seconds"] = s.mstepSeconds;
  d["step_size"] = s.stepSize;
  d["log_joint_evaluations"] = s.logJointEvaluations;
  d["mean_search_size"] = s.meanSearchSize;
  d["components_in_use"] = s.componentsInUse;
  d["reseeded_components"] = s.reseededComponents;
  return d;
}

/// "'a', 'b' or 'c'"
std::string quotedChoices(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + ("'" + names[i] + "'");
  return out;
}

/// The enum value named `s` (the library's names, as the CLI takes them), or ValueError naming the parameter.
template <typename Enum>
Enum enumOf(const std::string& s, const char* parameter, const std::vector<std::string>& names) {
  Enum value{};
  if (!vmfa::fromString(s, value))
    throw vmfa::InvalidArgument(std::string("vmfa.MFA: ") + parameter + " must be " + quotedChoices(names) + ", got '" + s + "'");
  return value;
}

/// What a fit needs besides the data (the estimator's parameters, already checked for type).
struct FitConfig {
  std::string algorithm = "vmfa";
  Index components = 1, latent = 4, truncation = 3, neighbors = 15, randomCandidates = 1;
  std::string init = "afkmc2", loadingInit = "broad";
  int maxIter = 200, threads = 0, maxWarmup = 20;
  double tol = 1e-4, varianceFloor = 1e-5, minNoise = 0.0, overRelaxation = 1.0;
  bool sharedNoise = false, warmStart = false;
  std::uint64_t seed = 5489;
};

/// A fitted (or empty) model of one precision: fit with v-MFA or exact EM, then score, predict,
/// sample, save and load through the library.
template <typename S>
class Core {
 public:
  bool fitted() const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return model_.isFitted();
  }

  /// Fits; returns the report. `callback(stats_dict)` runs after every iteration with the GIL held
  /// and stops the fit when it returns False.
  py::dict fit(const py::array_t<S, py::array::c_style>& X, const py::object& sampleWeight, const FitConfig& c,
               const py::object& callback) {
    const Points<S> data = pointsOf<S>(X, "vmfa.MFA.fit");
    Eigen::VectorXd w;
    if (!sampleWeight.is_none()) {
      const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(sampleWeight);
      if (!a || a.ndim() != 1 || a.shape(0) != X.shape(0))
        throw vmfa::InvalidArgument("vmfa.MFA.fit: sample_weight must have shape (" + std::to_string(X.shape(0)) + ",)");
      w = Eigen::Map<const Eigen::VectorXd>(a.data(), a.shape(0));
    }
    vmfa::Options o;
    o.numComponents = c.components;
    o.latentDim = c.latent;
    o.sharedNoise = c.sharedNoise;
    o.init = enumOf<vmfa::Init>(c.init, "init", vmfa::initNames());
    o.loadingInit = enumOf<vmfa::LoadingInit>(c.loadingInit, "loading_init", vmfa::loadingInitNames());
    o.seed = c.seed;
    o.maxIterations = c.maxIter;
    o.tolerance = c.tol;
    o.varianceFloor = c.varianceFloor;
    o.minimumNoise = c.minNoise;
    o.overRelaxation = c.overRelaxation;
    o.numThreads = c.threads;
    std::atomic<bool> interrupted{false};  // this fit's own flag (SigintGuard)
    o.interrupt = [&interrupted] { return interrupted.load(std::memory_order_relaxed); };
    std::string callbackError;
    if (!callback.is_none())
      o.callback = [&](const vmfa::IterationStats& s) {
        py::gil_scoped_acquire gil;
        try {
          return callback(statsDict(s)).template cast<bool>();
        } catch (py::error_already_set& e) {
          callbackError = e.what();
          return false;
        }
      };
    vmfa::FitResult r;
    vmfa::Parameters<S> params;
    {
      SigintGuard guard(interrupted);
      py::gil_scoped_release release;
      vmfa::Parameters<S> start;  // a warm start's parameters, read under the lock
      {
        std::shared_lock<std::shared_mutex> lock(mutex_);
        o.warmStart = c.warmStart && model_.isFitted();
        if (o.warmStart) start = model_.parameters();
      }
      if (c.algorithm == "em") {
        vmfa::ExactModel<S> m(o);
        if (o.warmStart) m.setParameters(start);
        r = w.size() ? m.fit(data, w) : m.fit(data);
        if (m.isFitted()) params = m.parameters();
      } else {
        typename vmfa::TruncatedEStep<S>::Options eo;
        eo.activeComponents = c.truncation;
        eo.randomCandidates = c.randomCandidates;
        eo.maxWarmupIterations = c.maxWarmup;
        vmfa::KlNeighborGraph::Options go;
        go.neighbors = c.neighbors;
        vmfa::Model<S> m(o, vmfa::TruncatedEStep<S>(eo, go));
        if (o.warmStart) m.setParameters(start);
        r = w.size() ? m.fit(data, w) : m.fit(data);
        if (m.isFitted()) params = m.parameters();
      }
    }
    if (!callbackError.empty()) throw std::runtime_error("vmfa.MFA.fit: the callback raised: " + callbackError);
    if (interrupted.load()) {
      PyErr_SetString(PyExc_KeyboardInterrupt, "vmfa.MFA.fit: interrupted (the estimator keeps its previous state)");
      throw py::error_already_set();
    }
    if (r.status == vmfa::FitStatus::NumericalIssue)
      throw std::runtime_error("vmfa.MFA.fit: " + r.message);
    {
      py::gil_scoped_release release;
      std::unique_lock<std::shared_mutex> lock(mutex_);
      model_.options().sharedNoise = c.sharedNoise;
      model_.options().numThreads = c.threads;
      model_.setParameters(params);
    }
    py::dict d;
    d["status"] = vmfa::toString(r.status);
    d["converged"] = r.converged();
    d["iterations"] = r.iterations;
    d["free_energy"] = r.freeEnergy;
    d["seconds"] = r.seconds;
    d["init_seconds"] = r.initSeconds;
    d["log_joint_evaluations"] = r.logJointEvaluations;
    d["reseeded_components"] = r.reseededComponents;
    d["noise_at_floor"] = r.noiseAtFloor;
    py::list history;
    for (const auto& s : r.history) history.append(statsDict(s));
    d["history"] = history;
    return d;
  }

  py::array_t<double> scoreSamples(const py::array_t<S, py::array::c_style>& X) const {
    const Points<S> data = pointsOf<S>(X, "vmfa.MFA.score_samples");
    Eigen::VectorXd ll;
    {
      py::gil_scoped_release release;
      std::shared_lock<std::shared_mutex> lock(mutex_);
      ll = model_.logLikelihood(data);
    }
    py::array_t<double> out(ll.size());
    std::memcpy(out.mutable_data(), ll.data(), sizeof(double) * static_cast<std::size_t>(ll.size()));
    return out;
  }

  py::array_t<std::int64_t> predict(const py::array_t<S, py::array::c_style>& X) const {
    const Points<S> data = pointsOf<S>(X, "vmfa.MFA.predict");
    Eigen::VectorXi labels;
    {
      py::gil_scoped_release release;
      std::shared_lock<std::shared_mutex> lock(mutex_);
      labels = model_.predict(data);
    }
    py::array_t<std::int64_t> out(labels.size());
    for (Index i = 0; i < labels.size(); ++i) out.mutable_data()[i] = labels(i);
    return out;
  }

  py::array_t<S> predictProba(const py::array_t<S, py::array::c_style>& X) const {
    const Points<S> data = pointsOf<S>(X, "vmfa.MFA.predict_proba");
    vmfa::Matrix<S> r;
    {
      py::gil_scoped_release release;
      std::shared_lock<std::shared_mutex> lock(mutex_);
      r = model_.responsibilities(data);  // C × N column-major = (N, C) C-order
    }
    return rowsOf<S>(r);
  }

  /// (indices (N, k) int64, probabilities (N, k)): the k most probable components of each point.
  py::tuple predictProbaTop(const py::array_t<S, py::array::c_style>& X, Index k) const {
    const Points<S> data = pointsOf<S>(X, "vmfa.MFA.predict_proba_top");
    vmfa::Responsibilities<S> r;
    {
      py::gil_scoped_release release;
      std::shared_lock<std::shared_mutex> lock(mutex_);
      r = model_.topResponsibilities(data, k);
    }
    const Index N = r.index.cols(), K = r.index.rows();
    py::array_t<std::int64_t> idx({static_cast<py::ssize_t>(N), static_cast<py::ssize_t>(K)});
    for (Index n = 0; n < N; ++n)
      for (Index j = 0; j < K; ++j) idx.mutable_data()[n * K + j] = r.index(j, n);
    return py::make_tuple(idx, rowsOf<S>(r.prob));
  }

  py::tuple sample(Index n, std::uint64_t seed) const {
    vmfa::Samples<S> s;
    {
      py::gil_scoped_release release;
      std::shared_lock<std::shared_mutex> lock(mutex_);
      s = model_.sample(n, seed);
    }
    py::array_t<std::int64_t> labels(s.labels.size());
    for (Index i = 0; i < s.labels.size(); ++i) labels.mutable_data()[i] = s.labels(i);
    return py::make_tuple(rowsOf<S>(s.points), labels);
  }

  double bic(const py::array_t<S, py::array::c_style>& X) const {
    const Points<S> data = pointsOf<S>(X, "vmfa.MFA.bic");
    py::gil_scoped_release release;
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return model_.bic(data);
  }
  double aic(const py::array_t<S, py::array::c_style>& X) const {
    const Points<S> data = pointsOf<S>(X, "vmfa.MFA.aic");
    py::gil_scoped_release release;
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return model_.aic(data);
  }

  // ---- fitted parameters, numpy layouts (each read under the shared lock)
  const vmfa::Parameters<S>& parameters() const {
    if (!model_.isFitted()) throw vmfa::NotFitted("vmfa.MFA: the model is not fitted");
    return model_.parameters();
  }
  py::array_t<S> weights() const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    const auto& p = parameters();
    py::array_t<S> out(p.weights.size());
    std::memcpy(out.mutable_data(), p.weights.data(), sizeof(S) * static_cast<std::size_t>(p.weights.size()));
    return out;
  }
  py::array_t<S> means() const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return rowsOf<S>(parameters().absoluteMeans());
  }
  /// (C, D, H): component c's loading is the D × H column-major block c of `loadings`.
  py::array_t<S> loadings() const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    const auto& p = parameters();
    const Index C = p.numComponents(), D = p.dim(), H = p.latentDim;
    py::array_t<S> out({static_cast<py::ssize_t>(C), static_cast<py::ssize_t>(D), static_cast<py::ssize_t>(H)});
    S* o = out.mutable_data();
    for (Index c = 0; c < C; ++c) {
      const auto L = p.loading(c);
      for (Index d = 0; d < D; ++d)
        for (Index h = 0; h < H; ++h) o[(c * D + d) * H + h] = L(d, h);
    }
    return out;
  }
  py::array_t<S> noise() const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return rowsOf<S>(parameters().noise);
  }
  bool sharedNoise() const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return model_.options().sharedNoise;
  }

  // ---- the library's model file, on disk or as bytes (pickling)
  void save(const std::string& path) const {
    py::gil_scoped_release release;
    std::shared_lock<std::shared_mutex> lock(mutex_);
    vmfa::saveModel(model_, path);
  }
  void load(const std::string& path) {
    py::gil_scoped_release release;
    vmfa::Model<S> loaded;  // read outside the lock, swapped in under it
    vmfa::loadModel(loaded, path);
    std::unique_lock<std::shared_mutex> lock(mutex_);
    model_.options().sharedNoise = loaded.options().sharedNoise;
    model_.setParameters(loaded.parameters());
  }
  py::bytes toBytes() const {
    std::vector<unsigned char> bytes;
    {
      std::shared_lock<std::shared_mutex> lock(mutex_);
      bytes = vmfa::encodeModel(parameters(), model_.options().sharedNoise);
    }
    return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  void fromBytes(const py::bytes& b) {
    const std::string s = b;
    py::gil_scoped_release release;
    vmfa::ModelFileInfo info;
    const auto p = vmfa::decodeModel<S>(reinterpret_cast<const unsigned char*>(s.data()), s.size(), "vmfa.MFA (pickle)", &info);
    std::unique_lock<std::shared_mutex> lock(mutex_);
    model_.setParameters(p);
    model_.options().sharedNoise = info.sharedNoise;
  }
  void setThreads(int threads) {
    py::gil_scoped_release release;
    std::unique_lock<std::shared_mutex> lock(mutex_);
    model_.options().numThreads = threads;
  }

 private:
  // One estimator may be used from several Python threads: the library runs with the GIL
  // released, so the model is guarded here. Readers (scoring, prediction, sampling, the
  // parameters) share the lock; writers (the end of a fit, load, unpickling, set_threads) hold it
  // alone. The GIL is never waited for while the lock is held.
  mutable std::shared_mutex mutex_;
  vmfa::Model<S> model_;
};

template <typename S>
void bindCore(py::module_& m, const char* name) {
  py::class_<Core<S>>(m, name)
      .def(py::init<>())
      .def_property_readonly("fitted", &Core<S>::fitted)
      .def("fit", &Core<S>::fit, py::arg("X").noconvert(), py::arg("sample_weight"), py::arg("config"),
           py::arg("callback"))
      .def("score_samples", &Core<S>::scoreSamples, py::arg("X").noconvert())
      .def("predict", &Core<S>::predict, py::arg("X").noconvert())
      .def("predict_proba", &Core<S>::predictProba, py::arg("X").noconvert())
      .def("predict_proba_top", &Core<S>::predictProbaTop, py::arg("X").noconvert(), py::arg("k"))
      .def("sample", &Core<S>::sample, py::arg("n"), py::arg("seed"))
      .def("bic", &Core<S>::bic, py::arg("X").noconvert())
      .def("aic", &Core<S>::aic, py::arg("X").noconvert())
      .def("weights", &Core<S>::weights)
      .def("means", &Core<S>::means)
      .def("loadings", &Core<S>::loadings)
      .def("noise", &Core<S>::noise)
      .def_property_readonly("shared_noise", &Core<S>::sharedNoise)
      .def("save", &Core<S>::save)
      .def("load", &Core<S>::load)
      .def("to_bytes", &Core<S>::toBytes)
      .def("from_bytes", &Core<S>::fromBytes)
      .def("set_threads", &Core<S>::setThreads);
}

/// A (height, width) or (height, width, channels) float array as a vmfa::Image (one copy).
vmfa::Image imageOf(const py::array_t<float, py::array::c_style | py::array::forcecast>& a, const char* where) {
  if (a.ndim() != 2 && a.ndim() != 3)
    throw vmfa::InvalidArgument(std::string(where) + ": the image must be (height, width) or (height, width, channels), got " +
                                std::to_string(a.ndim()) + " dimensions");
  vmfa::Image img(static_cast<Index>(a.shape(0)), static_cast<Index>(a.shape(1)), a.ndim() == 3 ? static_cast<Index>(a.shape(2)) : 1);
  std::memcpy(img.pixels.data(), a.data(), sizeof(float) * img.pixels.size());
  return img;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "vmfa's C++ core (header-only library), bound with pybind11";
  m.attr("__version__") = vmfa::version();

  static py::exception<vmfa::NotFitted> notFitted(m, "NotFittedCore", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const vmfa::FileError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const vmfa::InvalidArgument& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const vmfa::NotFitted& e) {
      notFitted(e.what());
    }
  });

  py::class_<FitConfig>(m, "FitConfig")
      .def(py::init<>())
      .def_readwrite("algorithm", &FitConfig::algorithm)
      .def_readwrite("components", &FitConfig::components)
      .def_readwrite("latent", &FitConfig::latent)
      .def_readwrite("truncation", &FitConfig::truncation)
      .def_readwrite("neighbors", &FitConfig::neighbors)
      .def_readwrite("random_candidates", &FitConfig::randomCandidates)
      .def_readwrite("init", &FitConfig::init)
      .def_readwrite("loading_init", &FitConfig::loadingInit)
      .def_readwrite("max_iter", &FitConfig::maxIter)
      .def_readwrite("max_warmup", &FitConfig::maxWarmup)
      .def_readwrite("threads", &FitConfig::threads)
      .def_readwrite("tol", &FitConfig::tol)
      .def_readwrite("variance_floor", &FitConfig::varianceFloor)
      .def_readwrite("min_noise", &FitConfig::minNoise)
      .def_readwrite("over_relaxation", &FitConfig::overRelaxation)
      .def_readwrite("shared_noise", &FitConfig::sharedNoise)
      .def_readwrite("warm_start", &FitConfig::warmStart)
      .def_readwrite("seed", &FitConfig::seed);

  m.def(
      "model_file_info",
      [](const std::string& path) {
        const vmfa::ModelFileInfo i = vmfa::readModelFileInfo(path);
        py::dict d;
        d["scalar_bytes"] = i.scalarBytes;
        d["shared_noise"] = i.sharedNoise;
        d["n_components"] = i.numComponents;
        d["n_features"] = i.dim;
        d["latent_dim"] = i.latentDim;
        return d;
      },
      py::arg("path"));

  bindCore<float>(m, "Core32");
  bindCore<double>(m, "Core64");

  m.def(
      "denoise",
      [](const py::array_t<float, py::array::c_style | py::array::forcecast>& noisy, double sigma, double gain,
         Index patch, Index components, Index latent, int maxIter, std::uint64_t seed, int threads, Index stride,
         int stages, const std::string& colour, Index scales, const std::string& estimator) {
        if (colour != "opponent" && colour != "rgb")
          throw vmfa::InvalidArgument("vmfa.denoise: colour = '" + colour + "' must be 'opponent' or 'rgb'");
        const vmfa::Image img = imageOf(noisy, "vmfa.denoise");
        vmfa::DenoiseOptions o;
        o.patchSize = patch;
        o.fit.numComponents = components;
        o.fit.latentDim = latent;
        o.fit.maxIterations = maxIter;
        o.fit.seed = seed;
        o.fit.numThreads = threads;
        o.trainStride = stride;
        o.stages = stages;
        o.colourSpace = colour == "opponent" ? vmfa::ColourSpace::Opponent : vmfa::ColourSpace::Rgb;
        o.scales = scales;
        if (!vmfa::fromString(estimator, o.noiseEstimator))
          throw vmfa::InvalidArgument("vmfa.denoise: noise_estimator = '" + estimator +
                                      "' must be 'kurtosis', 'weak-texture' or 'wavelet-mad'");
        // sigma NaN: estimated; gain 0: white noise, NaN: estimated, > 0: Poisson-Gaussian
        vmfa::DenoiseResult r;
        {
          py::gil_scoped_release release;
          if (gain == 0.0)
            r = std::isnan(sigma) ? vmfa::denoise<float>(img, o) : vmfa::denoise<float>(img, sigma, o);
          else
            r = vmfa::denoise<float>(img, vmfa::NoiseParameters{gain, sigma}, o);
        }
        std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(r.image.height), static_cast<py::ssize_t>(r.image.width)};
        if (noisy.ndim() == 3) shape.push_back(static_cast<py::ssize_t>(r.image.channels));
        py::array_t<float> out(shape);
        std::memcpy(out.mutable_data(), r.image.pixels.data(), sizeof(float) * r.image.pixels.size());
        py::dict report;
        report["status"] = vmfa::toString(r.fit.status);
        report["iterations"] = r.fit.iterations;
        report["free_energy"] = r.fit.freeEnergy;
        report["patches"] = r.numPatches;
        report["training_patches"] = r.numTrainingPatches;
        report["log_joint_evaluations"] = r.logJointEvaluations;
        report["fit_seconds"] = r.fitSeconds;
        report["assign_seconds"] = r.assignSeconds;
        report["estimate_seconds"] = r.estimateSeconds;
        report["merge_seconds"] = r.mergeSeconds;
        report["second_stage_seconds"] = r.secondStageSeconds;
        report["scales_used"] = r.scalesUsed;
        report["coarse_seconds"] = r.coarseSeconds;
        report["seconds"] = r.seconds;
        report["sigma"] = r.noise.sigma;
        report["gain"] = r.noise.gain;
        report["noise_estimated"] = r.noiseEstimated;
        report["noise_seconds"] = r.noiseSeconds;
        return py::make_tuple(out, report);
      },
      py::arg("noisy"), py::arg("sigma"), py::arg("gain"), py::arg("patch_size"), py::arg("n_components"), py::arg("latent_dim"),
      py::arg("max_iter"), py::arg("seed"), py::arg("n_threads"), py::arg("train_stride"), py::arg("stages"),
      py::arg("colour"), py::arg("scales"), py::arg("noise_estimator"));
  m.def(
      "estimate_noise",
      [](const py::array_t<float, py::array::c_style | py::array::forcecast>& noisy, const std::string& noise,
         const std::string& estimator, double gain, double sigma, int threads) {
        const vmfa::Image img = imageOf(noisy, "vmfa.estimate_noise");
        vmfa::NoiseEstimator e = vmfa::NoiseEstimator::Kurtosis;
        if (!vmfa::fromString(estimator, e))
          throw vmfa::InvalidArgument("vmfa.estimate_noise: estimator = '" + estimator +
                                      "' must be 'kurtosis', 'weak-texture' or 'wavelet-mad'");
        py::gil_scoped_release release;
        if (noise == "poisson-gaussian") {
          const vmfa::NoiseParameters p = vmfa::estimatePoissonGaussian(img, {gain, sigma}, threads);
          return std::make_pair(p.gain, p.sigma);
        }
        return std::make_pair(0.0, vmfa::estimateNoiseSigma(img, e, threads));
      },
      py::arg("noisy"), py::arg("noise"), py::arg("estimator"), py::arg("gain"), py::arg("sigma"), py::arg("n_threads"));
}
