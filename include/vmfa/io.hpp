/// \file io.hpp
/// \brief Model files (a versioned, little-endian binary format with a checksum) and export /
/// import of a model's parameters as .npy files.
///
/// Model file format, version 1 (all integers and floats little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `"VMFAMDL\0"` |
/// | 8 | 4 | format version, uint32 = 1 |
/// | 12 | 4 | scalar size in bytes, uint32: 4 (float32) or 8 (float64) |
/// | 16 | 8 | C, uint64 (components) |
/// | 24 | 8 | D, uint64 (dimension) |
/// | 32 | 8 | H, uint64 (latent dimension) |
/// | 40 | 4 | flags, uint32: bit 0 = shared noise |
/// | 44 | 4 | reserved, uint32 = 0 |
/// | 48 | s·C | weights π_c |
/// | … | s·D·C | means, column c = μ_c (column-major D × C) |
/// | … | s·D·C·H | loadings, D × C·H column-major: Λ_c in columns [c·H, c·H + H) |
/// | … | s·D·C | noise variances, column c = ψ_c |
/// | end − 8 | 8 | FNV-1a 64-bit hash of every preceding byte, uint64 |
///
/// Loading checks the size before reading anything, then the magic, the version, the scalar size,
/// the checksum and the parameter values; any failure throws `vmfa::FileError` and nothing is read
/// out of bounds. Saving is atomic (temporary file, fsync, rename).
#pragma once

#include "detail/file.hpp"
#include "model.hpp"
#include "npy.hpp"
#include "parameters.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace vmfa {

constexpr std::uint32_t kModelFormatVersion = 1;

/// \brief What a model file holds besides the parameters.
struct ModelFileInfo {
  std::uint32_t version = kModelFormatVersion;
  int scalarBytes = 0;     ///< 4 or 8: the precision the model was saved in
  bool sharedNoise = false;
};

namespace detail {
constexpr char kModelMagic[8] = {'V', 'M', 'F', 'A', 'M', 'D', 'L', '\0'};
constexpr std::size_t kModelHeaderBytes = 48;
}  // namespace detail

/// \brief Encodes parameters in the model file format.
template <typename Scalar>
inline std::vector<unsigned char> encodeModel(const Parameters<Scalar>& p, bool sharedNoise) {
  std::vector<unsigned char> out;
  const Index C = p.numComponents(), D = p.dim(), H = p.latentDim;
  out.reserve(detail::kModelHeaderBytes + sizeof(Scalar) * static_cast<std::size_t>(C * (1 + D * (H + 2))) + 8);
  out.insert(out.end(), detail::kModelMagic, detail::kModelMagic + 8);
  detail::putLE<std::uint32_t>(out, kModelFormatVersion);
  detail::putLE<std::uint32_t>(out, static_cast<std::uint32_t>(sizeof(Scalar)));
  detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(C));
  detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(D));
  detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(H));
  detail::putLE<std::uint32_t>(out, sharedNoise ? 1u : 0u);
  detail::putLE<std::uint32_t>(out, 0u);
  auto put = [&](const auto& m) {
    for (Index i = 0; i < m.size(); ++i) detail::putLE<Scalar>(out, m.data()[i]);
  };
  put(p.weights);
  put(p.means);
  put(p.loadings);
  put(p.noise);
  detail::putLE<std::uint64_t>(out, detail::fnv1a(out.data(), out.size()));
  return out;
}

/// \brief Decodes a model file held in memory into parameters of type Scalar (a file saved in the
/// other precision is converted). Throws FileError naming `where` on any problem.
template <typename Scalar>
inline Parameters<Scalar> decodeModel(const unsigned char* data, std::size_t size, const std::string& where,
                                      ModelFileInfo* info = nullptr) {
  if (size < detail::kModelHeaderBytes + 8)
    throw FileError(detail::concat(where, ": truncated model file (", size, " bytes, the header alone needs ",
                                   detail::kModelHeaderBytes + 8, ")"));
  if (std::memcmp(data, detail::kModelMagic, 8) != 0) throw FileError(where + ": not a vmfa model file (bad magic)");
  const auto version = detail::getLE<std::uint32_t>(data + 8);
  if (version != kModelFormatVersion)
    throw FileError(detail::concat(where, ": model format version ", version, " is not supported (this vmfa reads version ",
                                   kModelFormatVersion, "; a newer vmfa wrote it?)"));
  const auto scalarBytes = detail::getLE<std::uint32_t>(data + 12);
  if (scalarBytes != 4 && scalarBytes != 8)
    throw FileError(detail::concat(where, ": scalar size ", scalarBytes, " is not 4 or 8"));
  const auto C = detail::getLE<std::uint64_t>(data + 16), D = detail::getLE<std::uint64_t>(data + 24),
             H = detail::getLE<std::uint64_t>(data + 32);
  const auto flags = detail::getLE<std::uint32_t>(data + 40);
  const std::uint64_t limit = std::uint64_t(1) << 40;
  if (C == 0 || D == 0 || C > limit || D > limit || H >= D)
    throw FileError(detail::concat(where, ": invalid shape C = ", C, ", D = ", D, ", H = ", H));
  // payload size in 128-bit-safe steps: every factor is below 2^40 and H < D
  const long double values = static_cast<long double>(C) * (1.0L + static_cast<long double>(D) * (H + 2.0L));
  const long double expected = detail::kModelHeaderBytes + values * scalarBytes + 8.0L;
  if (expected != static_cast<long double>(size))
    throw FileError(detail::concat(where, ": ", size < expected ? "truncated" : "oversized", " model file: ", size,
                                   " bytes, C = ", C, ", D = ", D, ", H = ", H, " need ", static_cast<double>(expected)));
  const std::uint64_t stored = detail::getLE<std::uint64_t>(data + size - 8);
  if (detail::fnv1a(data, size - 8) != stored) throw FileError(where + ": checksum mismatch (the file is corrupt)");
  Parameters<Scalar> p;
  p.resize(static_cast<Index>(C), static_cast<Index>(D), static_cast<Index>(H));
  const unsigned char* cur = data + detail::kModelHeaderBytes;
  auto get = [&](auto& m) {
    for (Index i = 0; i < m.size(); ++i, cur += scalarBytes)
      m.data()[i] = scalarBytes == 4 ? static_cast<Scalar>(detail::getLE<float>(cur))
                                     : static_cast<Scalar>(detail::getLE<double>(cur));
  };
  get(p.weights);
  get(p.means);
  get(p.loadings);
  get(p.noise);
  if (info) {
    info->version = version;
    info->scalarBytes = static_cast<int>(scalarBytes);
    info->sharedNoise = (flags & 1u) != 0;
  }
  p.validate(where.c_str());
  return p;
}

/// \brief Saves a model's parameters to `path` atomically. \throws NotFitted, FileError.
template <typename ModelType>
inline void saveModel(const ModelType& model, const std::string& path) {
  if (!model.isFitted()) throw NotFitted("vmfa::saveModel: the model has no parameters");
  const auto bytes = encodeModel(model.parameters(), model.options().sharedNoise);
  detail::writeFileAtomic(path, bytes.data(), bytes.size(), "vmfa::saveModel");
}

/// \brief Loads parameters from a model file into `model` (its policies and other options are
/// kept; C, H and sharedNoise are taken from the file). On failure the model is unchanged.
template <typename ModelType>
inline ModelFileInfo loadModel(ModelType& model, const std::string& path) {
  const detail::MappedFile file(path, "vmfa::loadModel");
  ModelFileInfo info;
  const auto p = decodeModel<typename ModelType::Scalar>(file.data(), file.size(),
                                                         detail::concat("vmfa::loadModel: '", path, "'"), &info);
  model.setParameters(p);
  model.options().sharedNoise = info.sharedNoise;
  return info;
}

/// \brief Writes weights.npy (C), means.npy (C × D), loadings.npy (C × D × H) and noise.npy (C × D)
/// into the existing folder `dir`, each atomically: a numpy user reads the model without vmfa.
template <typename Scalar>
inline void exportParameters(const Parameters<Scalar>& p, const std::string& dir) {
  const Index C = p.numComponents(), D = p.dim(), H = p.latentDim;
  npy::write<Scalar>(dir + "/weights.npy", p.weights.data(), {C}, "vmfa::exportParameters");
  // (D × C column-major) is (C × D) row-major: the same memory
  npy::write<Scalar>(dir + "/means.npy", p.means.data(), {C, D}, "vmfa::exportParameters");
  npy::write<Scalar>(dir + "/noise.npy", p.noise.data(), {C, D}, "vmfa::exportParameters");
  // loadings[c, d, h] = Λ_c(d, h): C-order index (c·D + d)·H + h
  std::vector<Scalar> lam(static_cast<std::size_t>(C * D * H));
  for (Index c = 0; c < C; ++c)
    for (Index d = 0; d < D; ++d)
      for (Index h = 0; h < H; ++h) lam[static_cast<std::size_t>((c * D + d) * H + h)] = p.loadings(d, c * H + h);
  npy::write<Scalar>(dir + "/loadings.npy", lam.data(), {C, D, H}, "vmfa::exportParameters");
}

/// \brief Reads the four files written by exportParameters (float32 or float64) and validates them.
template <typename Scalar>
inline Parameters<Scalar> importParameters(const std::string& dir) {
  const char* fn = "vmfa::importParameters";
  auto load = [&](const std::string& name, std::size_t dims) {
    auto a = std::make_unique<npy::MappedArray>(dir + "/" + name, fn);
    const auto& h = a->header();
    const std::string where = detail::concat(fn, ": '", dir, "/", name, "'");
    if (h.kind != 'f' || (h.wordSize != 4 && h.wordSize != 8) || !h.littleEndian)
      throw FileError(where + " has dtype '" + h.descr + "'; expected float32 or float64");
    if (h.shape.size() != dims)
      throw FileError(detail::concat(where, " has ", h.shape.size(), " dimensions; expected ", dims));
    if (h.fortranOrder && dims > 1) throw FileError(where + " is in Fortran order; expected C order");
    return a;
  };
  const auto w = load("weights.npy", 1), m = load("means.npy", 2), l = load("loadings.npy", 3), n = load("noise.npy", 2);
  const Index C = w->header().shape[0], D = m->header().shape[1], H = l->header().shape[2];
  if (m->header().shape[0] != C || n->header().shape[0] != C || n->header().shape[1] != D ||
      l->header().shape[0] != C || l->header().shape[1] != D)
    throw FileError(detail::concat(fn, ": '", dir, "': inconsistent shapes: weights (", C, "), means (",
                                   m->header().shape[0], ", ", D, "), loadings (", l->header().shape[0], ", ",
                                   l->header().shape[1], ", ", H, "), noise (", n->header().shape[0], ", ",
                                   n->header().shape[1], ")"));
  if (D < 1 || H >= D) throw FileError(detail::concat(fn, ": '", dir, "': latent dimension H = ", H, " must be < D = ", D));
  auto value = [](const npy::MappedArray& a, Index i) {
    const unsigned char* p = a.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(a.header().wordSize);
    return a.header().wordSize == 4 ? static_cast<Scalar>(detail::getLE<float>(p)) : static_cast<Scalar>(detail::getLE<double>(p));
  };
  Parameters<Scalar> p;
  p.resize(C, D, H);
  for (Index c = 0; c < C; ++c) {
    p.weights(c) = value(*w, c);
    for (Index d = 0; d < D; ++d) {
      p.means(d, c) = value(*m, c * D + d);
      p.noise(d, c) = value(*n, c * D + d);
      for (Index h = 0; h < H; ++h) p.loadings(d, c * H + h) = value(*l, (c * D + d) * H + h);
    }
  }
  p.validate(fn);
  return p;
}

// -------------------------------------------------------------------------------------------------
// Checkpoints

constexpr std::uint32_t kCheckpointFormatVersion = 1;

namespace detail {
constexpr char kCheckpointMagic[8] = {'V', 'M', 'F', 'A', 'C', 'K', 'P', '\0'};

/// Bounds-checked little-endian reader over a byte range.
class Reader {
 public:
  Reader(const unsigned char* p, std::size_t n, std::string where) : p_(p), n_(n), where_(std::move(where)) {}
  template <typename T>
  T get() {
    need(sizeof(T));
    const T v = getLE<T>(p_ + pos_);
    pos_ += sizeof(T);
    return v;
  }
  const unsigned char* take(std::size_t bytes) {
    need(bytes);
    const unsigned char* r = p_ + pos_;
    pos_ += bytes;
    return r;
  }
  std::size_t left() const { return n_ - pos_; }

 private:
  void need(std::size_t bytes) const {
    if (bytes > n_ - pos_) throw FileError(where_ + ": truncated checkpoint");
  }
  const unsigned char* p_;
  std::size_t n_, pos_ = 0;
  std::string where_;
};
}  // namespace detail

/// \brief Encodes a fit checkpoint: magic "VMFACKP\0", version, scalar size, the embedded model
/// file (length-prefixed), N, K, G, loop counters, the status, seed, totals, the iteration history, K(n)
/// (K × N int32), the graph (C × G int32), and an FNV-1a checksum of everything before it.
template <typename Scalar>
inline std::vector<unsigned char> encodeCheckpoint(const FitCheckpoint<Scalar>& cp) {
  std::vector<unsigned char> out;
  out.insert(out.end(), detail::kCheckpointMagic, detail::kCheckpointMagic + 8);
  detail::putLE<std::uint32_t>(out, kCheckpointFormatVersion);
  detail::putLE<std::uint32_t>(out, static_cast<std::uint32_t>(sizeof(Scalar)));
  const auto model = encodeModel(cp.parameters, cp.sharedNoise);
  detail::putLE<std::uint64_t>(out, model.size());
  out.insert(out.end(), model.begin(), model.end());
  detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(cp.numPoints));
  detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(cp.activeSets.rows()));
  detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(cp.graphSize));
  detail::putLE<std::int32_t>(out, cp.nextIteration);
  detail::putLE<std::int32_t>(out, cp.mstepsDone);
  detail::putLE<std::int32_t>(out, cp.warmupLeft);
  detail::putLE<std::uint32_t>(out, static_cast<std::uint32_t>(cp.result.status));
  detail::putLE<double>(out, cp.previousFreeEnergy);
  detail::putLE<std::uint64_t>(out, cp.seed);
  const FitResult& r = cp.result;
  detail::putLE<double>(out, r.freeEnergy);
  detail::putLE<double>(out, r.seconds);
  detail::putLE<double>(out, r.initSeconds);
  detail::putLE<std::uint64_t>(out, r.logJointEvaluations);
  detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(r.reseededComponents));
  detail::putLE<std::uint64_t>(out, r.history.size());
  for (const IterationStats& s : r.history) {
    detail::putLE<std::int32_t>(out, s.iteration);
    detail::putLE<std::int32_t>(out, s.warmup ? 1 : 0);
    for (double v : {s.freeEnergy, s.relativeChange, s.seconds, s.estepSeconds, s.graphSeconds, s.mstepSeconds,
                     s.meanSearchSize})
      detail::putLE<double>(out, v);
    detail::putLE<std::uint64_t>(out, s.logJointEvaluations);
    detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(s.activeComponents));
    detail::putLE<std::uint64_t>(out, static_cast<std::uint64_t>(s.reseededComponents));
  }
  for (Index i = 0; i < cp.activeSets.size(); ++i) detail::putLE<std::int32_t>(out, cp.activeSets.data()[i]);
  detail::putLE<std::uint64_t>(out, cp.graph.size());
  for (auto v : cp.graph) detail::putLE<std::int32_t>(out, v);
  detail::putLE<std::uint64_t>(out, detail::fnv1a(out.data(), out.size()));
  return out;
}

/// \brief Decodes a checkpoint held in memory. Throws FileError on any problem.
template <typename Scalar>
inline FitCheckpoint<Scalar> decodeCheckpoint(const unsigned char* data, std::size_t size, const std::string& where) {
  if (size < 24) throw FileError(detail::concat(where, ": truncated checkpoint (", size, " bytes)"));
  if (std::memcmp(data, detail::kCheckpointMagic, 8) != 0) throw FileError(where + ": not a vmfa checkpoint (bad magic)");
  const auto version = detail::getLE<std::uint32_t>(data + 8);
  if (version != kCheckpointFormatVersion)
    throw FileError(detail::concat(where, ": checkpoint format version ", version, " is not supported (this vmfa reads version ",
                                   kCheckpointFormatVersion, ")"));
  if (detail::fnv1a(data, size - 8) != detail::getLE<std::uint64_t>(data + size - 8))
    throw FileError(where + ": checksum mismatch (the checkpoint is corrupt)");
  detail::Reader in(data + 12, size - 20, where);
  const auto scalarBytes = in.get<std::uint32_t>();
  if (scalarBytes != sizeof(Scalar))
    throw FileError(detail::concat(where, ": the checkpoint is for ", scalarBytes == 4 ? "float" : "double",
                                   " models; resume it with --precision ", scalarBytes == 4 ? "float" : "double"));
  FitCheckpoint<Scalar> cp;
  const auto modelBytes = in.get<std::uint64_t>();
  if (modelBytes > in.left()) throw FileError(where + ": truncated checkpoint");
  ModelFileInfo info;
  cp.parameters = decodeModel<Scalar>(in.take(static_cast<std::size_t>(modelBytes)), static_cast<std::size_t>(modelBytes), where, &info);
  cp.sharedNoise = info.sharedNoise;
  cp.numPoints = static_cast<Index>(in.get<std::uint64_t>());
  const auto K = in.get<std::uint64_t>();
  cp.graphSize = static_cast<Index>(in.get<std::uint64_t>());
  cp.nextIteration = in.get<std::int32_t>();
  cp.mstepsDone = in.get<std::int32_t>();
  cp.warmupLeft = in.get<std::int32_t>();
  const auto status = in.get<std::uint32_t>();
  if (status > static_cast<std::uint32_t>(FitStatus::NumericalIssue))
    throw FileError(detail::concat(where, ": invalid fit status ", status));
  cp.result.status = static_cast<FitStatus>(status);
  cp.previousFreeEnergy = in.get<double>();
  cp.seed = in.get<std::uint64_t>();
  FitResult& r = cp.result;
  r.freeEnergy = in.get<double>();
  r.seconds = in.get<double>();
  r.initSeconds = in.get<double>();
  r.logJointEvaluations = in.get<std::uint64_t>();
  r.reseededComponents = static_cast<Index>(in.get<std::uint64_t>());
  const auto steps = in.get<std::uint64_t>();
  if (steps > in.left() / 88) throw FileError(where + ": truncated checkpoint");
  for (std::uint64_t i = 0; i < steps; ++i) {
    IterationStats s;
    s.iteration = in.get<std::int32_t>();
    s.warmup = in.get<std::int32_t>() != 0;
    s.freeEnergy = in.get<double>();
    s.relativeChange = in.get<double>();
    s.seconds = in.get<double>();
    s.estepSeconds = in.get<double>();
    s.graphSeconds = in.get<double>();
    s.mstepSeconds = in.get<double>();
    s.meanSearchSize = in.get<double>();
    s.logJointEvaluations = in.get<std::uint64_t>();
    s.activeComponents = static_cast<Index>(in.get<std::uint64_t>());
    s.reseededComponents = static_cast<Index>(in.get<std::uint64_t>());
    r.history.push_back(s);
  }
  r.iterations = static_cast<int>(r.history.size());
  if (cp.numPoints < 0 || K > 1u << 20 || (K > 0 && static_cast<std::uint64_t>(cp.numPoints) > in.left() / (4 * K)))
    throw FileError(detail::concat(where, ": invalid active sets (K = ", K, ", N = ", cp.numPoints, ")"));
  cp.activeSets.resize(static_cast<Index>(K), K ? cp.numPoints : 0);
  for (Index i = 0; i < cp.activeSets.size(); ++i) cp.activeSets.data()[i] = in.get<std::int32_t>();
  const auto graphEntries = in.get<std::uint64_t>();
  if (graphEntries > in.left() / 4) throw FileError(where + ": truncated checkpoint");
  cp.graph.resize(static_cast<std::size_t>(graphEntries));
  for (auto& v : cp.graph) v = in.get<std::int32_t>();
  if (in.left() != 0) throw FileError(detail::concat(where, ": ", in.left(), " unexpected bytes at the end"));
  return cp;
}

/// Saves a checkpoint to `path` atomically.
template <typename Scalar>
inline void saveCheckpoint(const FitCheckpoint<Scalar>& cp, const std::string& path) {
  const auto bytes = encodeCheckpoint(cp);
  detail::writeFileAtomic(path, bytes.data(), bytes.size(), "vmfa::saveCheckpoint");
}

/// Loads a checkpoint saved by saveCheckpoint. \throws FileError.
template <typename Scalar>
inline FitCheckpoint<Scalar> loadCheckpoint(const std::string& path) {
  const detail::MappedFile file(path, "vmfa::loadCheckpoint");
  return decodeCheckpoint<Scalar>(file.data(), file.size(), detail::concat("vmfa::loadCheckpoint: '", path, "'"));
}

}  // namespace vmfa
