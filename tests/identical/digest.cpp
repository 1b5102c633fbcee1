// vmfa-digest: prints one FNV-1a digest per output of the library (fits, scores, predictions,
// posteriors, samples, model files, checkpoints, resumed fits, denoised images) on fixed
// fixtures, for float and double. Two builds of vmfa that print the same lines produce
// bit-identical results: scripts/check-identical.sh compares a base revision with the working
// tree this way. Usage: vmfa-digest THREADS IMAGE.png
#include <vmfa/vmfa.hpp>
#ifdef VMFA_IMAGE_FILES
#include <vmfa/image_files.hpp>
namespace files = vmfa;
#else
#include "image.hpp"  // the image reader before it became vmfa/image_files.hpp
namespace files = vmfa_examples;
#endif

#include <cstdio>
#include <string>
#include <vector>

namespace {

std::uint64_t digestBytes(const void* p, std::size_t n) {
  return vmfa::detail::fnv1a(static_cast<const unsigned char*>(p), n);
}
template <typename M>
std::uint64_t digest(const M& m) {
  return digestBytes(m.data(), sizeof(typename M::Scalar) * static_cast<std::size_t>(m.size()));
}
template <typename S>
std::uint64_t digest(const vmfa::Parameters<S>& p) {
  return digest(p.weights) ^ (digest(p.means) * 3) ^ (digest(p.loadings) * 5) ^ (digest(p.noise) * 7);
}
void line(const std::string& name, std::uint64_t h) { std::printf("%-44s %016llx\n", name.c_str(), static_cast<unsigned long long>(h)); }

// A fixed MFA to draw the fixture data from (the library's own sampler, keyed by seed).
template <typename S>
vmfa::Parameters<S> truth(vmfa::Index C, vmfa::Index D, vmfa::Index H) {
  vmfa::detail::Random rng(17, 99);
  vmfa::Parameters<S> p;
  p.resize(C, D, H);
  for (vmfa::Index c = 0; c < C; ++c) {
    for (vmfa::Index d = 0; d < D; ++d) {
      p.means(d, c) = static_cast<S>(4.0 * rng.normal());
      p.noise(d, c) = static_cast<S>(0.05 + 0.1 * rng.uniform());
      for (vmfa::Index h = 0; h < H; ++h) p.loadings(d, c * H + h) = static_cast<S>(rng.normal());
    }
    p.weights(c) = static_cast<S>(1.0 / static_cast<double>(C));
  }
  return p;
}

template <typename S>
vmfa::Model<S> vmfaModel(const vmfa::Options& o, vmfa::Index active, vmfa::Index neighbors) {
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.activeComponents = active;
  vmfa::KlNeighborGraph::Options go;
  go.neighbors = neighbors;
#ifdef VMFA_ESTEP_OWNS_GRAPH
  return vmfa::Model<S>(o, vmfa::TruncatedEStep<S>(eo, go));
#else
  return vmfa::Model<S>(o, vmfa::TruncatedEStep<S>(eo), vmfa::KlNeighborGraph(go));
#endif
}

/// Checkpoint bytes with the wall times zeroed (they are the only part that may differ).
template <typename S>
std::uint64_t checkpointDigest(vmfa::FitCheckpoint<S> cp) {
  cp.result.seconds = cp.result.initSeconds = 0.0;
  for (auto& s : cp.result.history) s.seconds = s.estepSeconds = s.graphSeconds = s.mstepSeconds = 0.0;
  const auto bytes = vmfa::encodeCheckpoint(cp);
  return digestBytes(bytes.data(), bytes.size());
}

std::uint64_t resultDigest(const vmfa::FitResult& r) {
  std::vector<double> v = {static_cast<double>(r.status), static_cast<double>(r.iterations), r.freeEnergy,
                           static_cast<double>(r.logJointEvaluations), static_cast<double>(r.reseededComponents)};
  for (const auto& s : r.history) {
    v.push_back(s.freeEnergy);
    v.push_back(s.relativeChange);
    v.push_back(static_cast<double>(s.logJointEvaluations));
    v.push_back(s.meanSearchSize);
    v.push_back(s.warmup ? 1.0 : 0.0);
    v.push_back(static_cast<double>(s.reseededComponents));
  }
  return digestBytes(v.data(), v.size() * sizeof(double));
}

template <typename ModelT>
void fitAndReport(const std::string& name, ModelT model, const vmfa::Matrix<typename ModelT::Scalar>& X,
                  const Eigen::VectorXd* w, const std::string& dir) {
  using S = typename ModelT::Scalar;
  std::vector<vmfa::FitCheckpoint<S>> cps;
  model.setCheckpointHandler(2, [&](const vmfa::FitCheckpoint<S>& cp) { cps.push_back(cp); });
  const vmfa::FitResult r = w ? model.fit(X, *w) : model.fit(X);
  line(name + ".result", resultDigest(r));
  line(name + ".parameters", digest(model.parameters()));
  line(name + ".responsibilities", digest(model.fittedResponsibilities().prob) ^ digest(model.fittedResponsibilities().index));
  const std::string file = dir + "/" + name + ".vmfa";
  vmfa::saveModel(model, file);
  const vmfa::detail::MappedFile f(file, "digest");
  line(name + ".file", digestBytes(f.data(), f.size()));
  line(name + ".loglik", digest(model.logLikelihood(X)));
  line(name + ".predict", digest(model.predict(X)));
  const auto top = model.topResponsibilities(X, 2);
  line(name + ".top", digest(top.prob) ^ digest(top.index));
  line(name + ".latent", digest(model.latentMean(X, model.predict(X))));
  line(name + ".sample", digest(model.sample(50, 3).points));
  if (!cps.empty()) {
    std::uint64_t h = 0;
    for (const auto& cp : cps) h = h * 31 + checkpointDigest(cp);
    line(name + ".checkpoints", h);
    ModelT again = model;
    const vmfa::FitResult rr = w ? again.resume(X, *w, cps.front()) : again.resume(X, cps.front());
    line(name + ".resumed", digest(again.parameters()) ^ resultDigest(rr));
  }
}

template <typename S>
void run(int threads, const std::string& image, const std::string& dir) {
  const std::string tag = sizeof(S) == 4 ? "float" : "double";
  vmfa::Model<S> source;
  source.setParameters(truth<S>(12, 10, 3));
  const vmfa::Matrix<S> X = source.sample(1500, 11).points;
  Eigen::VectorXd w(X.cols());
  for (vmfa::Index n = 0; n < X.cols(); ++n) w(n) = 0.5 + static_cast<double>(n % 7) / 4.0;

  vmfa::Options o;
  o.numComponents = 12;
  o.latentDim = 3;
  o.maxIterations = 12;
  o.tolerance = 0.0;
  o.numThreads = threads;
  o.blockSize = 64;
  fitAndReport(tag + ".vmfa", vmfaModel<S>(o, vmfa::kAutomatic, vmfa::kAutomatic), X, nullptr, dir);
  fitAndReport(tag + ".vmfa_small", vmfaModel<S>(o, 2, 4), X, nullptr, dir);
  fitAndReport(tag + ".vmfa_weighted", vmfaModel<S>(o, 3, 5), X, &w, dir);
  vmfa::Options shared = o;
  shared.sharedNoise = true;
  shared.init = vmfa::Init::KMeansPlusPlus;
  fitAndReport(tag + ".vmfa_shared", vmfaModel<S>(shared, 3, 6), X, nullptr, dir);
  vmfa::Options exact = o;
  exact.init = vmfa::Init::RandomPoints;
  fitAndReport(tag + ".exact", vmfa::ExactModel<S>(exact), X, nullptr, dir);
  fitAndReport(tag + ".exact_weighted", vmfa::ExactModel<S>(exact), X, &w, dir);
  fitAndReport(tag + ".euclidean", vmfa::EuclideanGraphModel<S>(o), X, nullptr, dir);

  // many components, few points each: exercises re-seeding of degenerate components
  vmfa::Options many = o;
  many.numComponents = 300;
  many.latentDim = 2;
  fitAndReport(tag + ".vmfa_many", vmfaModel<S>(many, 3, 8), vmfa::Matrix<S>(X.leftCols(400)), nullptr, dir);

  // search from given active sets with the parameters fixed
  auto m = vmfaModel<S>(o, 3, 6);
  m.fit(X);
  vmfa::IndexMatrix initial(3, X.cols());
  for (vmfa::Index n = 0; n < X.cols(); ++n)
    for (vmfa::Index k = 0; k < 3; ++k) initial(k, n) = static_cast<std::int32_t>((n + 5 * k) % 12);
  std::uint64_t evaluations = 0;
  const auto found = m.searchResponsibilities(X, initial, 2, &evaluations);
  line(tag + ".search", digest(found.prob) ^ digest(found.index) ^ evaluations);

  // zero-shot denoising of a crop of the bundled photograph
  const vmfa::Image clean = files::loadImage(image);
  vmfa::Image crop(80, 96, 1);
  for (vmfa::Index y = 0; y < 80; ++y)
    for (vmfa::Index x = 0; x < 96; ++x) crop.at(y, x, 0) = clean.at(200 + y, 200 + x, 0);
  const vmfa::Image noisy = vmfa::addNoise(crop, 25.0 / 255.0, 1);
  vmfa::DenoiseOptions d;
#ifdef VMFA_DENOISE_FIT_OPTIONS
  d.fit.numComponents = 20;
  d.fit.maxIterations = 6;
  d.fit.numThreads = threads;
#else
  d.numComponents = 20;
  d.maxIterations = 6;
  d.numThreads = threads;
#endif
  const auto r = vmfa::denoise<S>(noisy, 25.0 / 255.0, d);
  line(tag + ".denoise", digestBytes(r.image.pixels.data(), r.image.pixels.size() * sizeof(float)) ^ r.logJointEvaluations);
  d.estimator = vmfa::Estimator::Projection;
  d.trainStride = 1;
  const auto r2 = vmfa::denoise<S>(noisy, 25.0 / 255.0, d);
  line(tag + ".denoise_projection", digestBytes(r2.image.pixels.data(), r2.image.pixels.size() * sizeof(float)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: vmfa-digest THREADS IMAGE.png TMPDIR\n");
    return 2;
  }
  const int threads = std::atoi(argv[1]);
  run<float>(threads, argv[2], argv[3]);
  run<double>(threads, argv[2], argv[3]);
  return 0;
}
