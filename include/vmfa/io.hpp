/// \file io.hpp
/// \brief Model files (a versioned, little-endian binary format with a checksum) and export /
/// import of a model's parameters as .npy files.
///
/// Model file format, versions 1 and 2 (all integers and floats little-endian). A model with an
/// origin (`Parameters::origin`, set by every fit) is written as version 2, one without as version 1
/// (the files of earlier vmfa releases, still read):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `"VMFAMDL\0"` |
/// | 8 | 4 | format version, uint32 = 1 or 2 |
/// | 12 | 4 | scalar size in bytes, uint32: 4 (float32) or 8 (float64) |
/// | 16 | 8 | C, uint64 (components) |
/// | 24 | 8 | D, uint64 (dimension) |
/// | 32 | 8 | H, uint64 (latent dimension) |
/// | 40 | 4 | flags, uint32: bit 0 = shared noise, bit 1 = origin present (version 2 only) |
/// | 44 | 4 | reserved, uint32 = 0 |
/// | 48 | 8·D | origin, float64 (only with flag bit 1) |
/// | … | s·C | weights π_c |
/// | … | s·D·C | means relative to the origin, column c = μ_c − origin (column-major D × C) |
/// | … | s·D·C·H | loadings, D × C·H column-major: Λ_c in columns [c·H, c·H + H) |
/// | … | s·D·C | noise variances, column c = ψ_c |
/// | end − 8 | 8 | FNV-1a 64-bit hash of every preceding byte, uint64 |
///
/// Loading checks the size before reading anything, then the magic, the version, the scalar size,
/// the checksum and the parameter values; any failure throws `vmfa::FileError` and nothing is read
/// out of bounds. Saving is atomic (temporary file, fsync, rename) and streamed (the checksum is
/// computed on the way; the file is never encoded in memory).
#pragma once

#include "detail/file.hpp"
#include "errors.hpp"
#include "npy.hpp"
#include "parameters.hpp"

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

namespace vmfa {

/// The newest model format version this vmfa reads and writes (it reads every version from 1 on).
constexpr std::uint32_t kModelFormatVersion = 2;

/// \brief What a model file's header says.
struct ModelFileInfo {
  std::uint32_t version = kModelFormatVersion;
  int scalarBytes = 0;     ///< 4 or 8: the precision the model was saved in
  bool sharedNoise = false;
  bool hasOrigin = false;  ///< the means are stored relative to an origin (version 2)
  Index numComponents = 0, dim = 0, latentDim = 0;  ///< C, D, H
};

namespace detail {
constexpr char kModelMagic[8] = {'V', 'M', 'F', 'A', 'M', 'D', 'L', '\0'};
constexpr std::size_t kModelHeaderBytes = 48;
}  // namespace detail

/// Size in bytes of the model file of C components of dimension D with H latent dimensions.
template <typename Scalar>
inline std::uint64_t modelFileBytes(Index C, Index D, Index H, bool hasOrigin = false) {
  return detail::kModelHeaderBytes + (hasOrigin ? 8 * static_cast<std::uint64_t>(D) : 0) +
         sizeof(Scalar) * static_cast<std::uint64_t>(C * (1 + D * (H + 2))) + 8;
}

/// The size of the model file of `p`.
template <typename Scalar>
inline std::uint64_t modelFileBytes(const Parameters<Scalar>& p) {
  return modelFileBytes<Scalar>(p.numComponents(), p.dim(), p.latentDim, p.hasOrigin());
}

/// \brief Writes parameters in the model file format to a byte sink (see detail::VectorSink,
/// detail::OutputFiles::FileSink), computing the checksum on the way: nothing but the parameters
/// themselves is held in memory.
template <typename Scalar, typename Sink>
inline void writeModel(const Parameters<Scalar>& p, bool sharedNoise, Sink& sink) {
  const Index C = p.numComponents(), D = p.dim(), H = p.latentDim;
  detail::HashingSink<Sink> out{sink};
  out.write(reinterpret_cast<const unsigned char*>(detail::kModelMagic), 8);
  detail::writeLE<std::uint32_t>(out, p.hasOrigin() ? 2u : 1u);
  detail::writeLE<std::uint32_t>(out, static_cast<std::uint32_t>(sizeof(Scalar)));
  detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(C));
  detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(D));
  detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(H));
  detail::writeLE<std::uint32_t>(out, (sharedNoise ? 1u : 0u) | (p.hasOrigin() ? 2u : 0u));
  detail::writeLE<std::uint32_t>(out, 0u);
  auto put = [&](const auto& m) { detail::writeArrayLE(out, m.data(), static_cast<std::size_t>(m.size())); };
  if (p.hasOrigin()) put(p.origin);
  put(p.weights);
  put(p.means);
  put(p.loadings);
  put(p.noise);
  detail::writeLE<std::uint64_t>(sink, out.hash);
}

/// \brief Encodes parameters in the model file format, in memory (`writeModel` streams instead).
template <typename Scalar>
inline std::vector<unsigned char> encodeModel(const Parameters<Scalar>& p, bool sharedNoise) {
  std::vector<unsigned char> out;
  out.reserve(static_cast<std::size_t>(modelFileBytes(p)));
  detail::VectorSink sink{out};
  writeModel(p, sharedNoise, sink);
  return out;
}

namespace detail {
/// Checks a model file's header against its size (magic, version, scalar size, shape, size) and
/// returns what it says. Throws FileError naming `where`.
inline ModelFileInfo decodeModelHeader(const unsigned char* data, std::size_t size, const std::string& where) {
  if (size < kModelHeaderBytes + 8)
    throw FileError(concat(where, ": truncated model file (", size, " bytes, the header alone needs ", kModelHeaderBytes + 8, ")"));
  if (std::memcmp(data, kModelMagic, 8) != 0) throw FileError(where + ": not a vmfa model file (bad magic)");
  const auto version = getLE<std::uint32_t>(data + 8);
  if (version < 1 || version > kModelFormatVersion)
    throw FileError(concat(where, ": model format version ", version, " is not supported (this vmfa reads versions 1 to ",
                           kModelFormatVersion, "; a newer vmfa wrote it?)"));
  const auto scalarBytes = getLE<std::uint32_t>(data + 12);
  if (scalarBytes != 4 && scalarBytes != 8) throw FileError(concat(where, ": scalar size ", scalarBytes, " is not 4 or 8"));
  const auto C = getLE<std::uint64_t>(data + 16), D = getLE<std::uint64_t>(data + 24), H = getLE<std::uint64_t>(data + 32);
  const auto flags = getLE<std::uint32_t>(data + 40);
  const std::uint32_t known = version >= 2 ? 3u : 1u;
  if ((flags & ~known) != 0) throw FileError(concat(where, ": unknown flags ", flags, " in a version ", version, " file"));
  const bool hasOrigin = (flags & 2u) != 0;
  const std::uint64_t limit = std::uint64_t(1) << 40;
  if (C == 0 || D == 0 || C > limit || D > limit || H >= D)
    throw FileError(concat(where, ": invalid shape C = ", C, ", D = ", D, ", H = ", H));
  // payload size in 128-bit-safe steps: every factor is below 2^40 and H < D
  const long double values = static_cast<long double>(C) * (1.0L + static_cast<long double>(D) * (H + 2.0L));
  const long double expected =
      kModelHeaderBytes + (hasOrigin ? 8.0L * static_cast<long double>(D) : 0.0L) + values * scalarBytes + 8.0L;
  if (expected != static_cast<long double>(size))
    throw FileError(concat(where, ": ", size < expected ? "truncated" : "oversized", " model file: ", size, " bytes, C = ", C,
                           ", D = ", D, ", H = ", H, " need ", static_cast<double>(expected)));
  ModelFileInfo info;
  info.version = version;
  info.scalarBytes = static_cast<int>(scalarBytes);
  info.sharedNoise = (flags & 1u) != 0;
  info.hasOrigin = hasOrigin;
  info.numComponents = static_cast<Index>(C);
  info.dim = static_cast<Index>(D);
  info.latentDim = static_cast<Index>(H);
  return info;
}
}  // namespace detail

/// \brief Decodes a model file held in memory into parameters of type Scalar (a file saved in the
/// other precision is converted). Throws FileError naming `where` on any problem.
template <typename Scalar>
inline Parameters<Scalar> decodeModel(const unsigned char* data, std::size_t size, const std::string& where,
                                      ModelFileInfo* info = nullptr) {
  const ModelFileInfo header = detail::decodeModelHeader(data, size, where);
  const std::uint64_t stored = detail::getLE<std::uint64_t>(data + size - 8);
  if (detail::kVerifyChecksums && detail::fnv1a(data, size - 8) != stored)
    throw FileError(where + ": checksum mismatch (the file is corrupt)");
  const int scalarBytes = header.scalarBytes;
  Parameters<Scalar> p;
  p.resize(header.numComponents, header.dim, header.latentDim);
  const unsigned char* cur = data + detail::kModelHeaderBytes;
  if (header.hasOrigin) {
    p.origin.resize(header.dim);
    for (Index d = 0; d < header.dim; ++d, cur += 8) p.origin(d) = detail::getLE<double>(cur);
  }
  auto get = [&](auto& m) {
    for (Index i = 0; i < m.size(); ++i, cur += scalarBytes)
      m.data()[i] = scalarBytes == 4 ? static_cast<Scalar>(detail::getLE<float>(cur))
                                     : static_cast<Scalar>(detail::getLE<double>(cur));
  };
  get(p.weights);
  get(p.means);
  get(p.loadings);
  get(p.noise);
  if (info) *info = header;
  p.validate(where.c_str());
  return p;
}

/// \brief Reads a model file's header and checks it against the file's size (not the checksum
/// nor the values: `loadModel` does): e.g. to choose the precision to load it in. \throws FileError.
inline ModelFileInfo readModelFileInfo(const std::string& path) {
  const detail::MappedFile file(path, "vmfa::readModelFileInfo");
  const std::string where = detail::concat("vmfa::readModelFileInfo: '", path, "'");
  if (file.size() < 8 || std::memcmp(file.data(), detail::kModelMagic, 8) != 0)
    throw FileError(detail::concat(where, " is not a vmfa model file (", file.size() < 8 ? "too short" : "bad magic", ")"));
  return detail::decodeModelHeader(file.data(), file.size(), where);
}

/// \brief Saves a model's parameters to `path` atomically. Parameters that `loadModel` would
/// refuse (a non-finite value, e.g. after a fit ended in `FitStatus::NumericalIssue`) are not
/// saved: the call throws and `path` is left as it was. `path` must be absent or a regular file.
/// \throws NotFitted, InvalidArgument (invalid parameters), FileError.
template <typename ModelType>
inline void saveModel(const ModelType& model, const std::string& path) {
  if (!model.isFitted()) throw NotFitted("vmfa::saveModel: the model has no parameters");
  model.parameters().validate("vmfa::saveModel");
  // streamed: peak memory of a save is a 1 MiB buffer beyond the model
  detail::OutputFiles files("vmfa::saveModel");
  files.add(path, [&](auto& sink) { writeModel(model.parameters(), model.options().sharedNoise, sink); });
  files.commit();
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
/// into the existing folder `dir`, all four or none (see `detail::OutputFiles`): a numpy user
/// reads the model without vmfa. means.npy holds the means μ_c (origin added, rounded to Scalar).
/// A model with an origin also gets origin.npy (D, float64) and relative_means.npy (C × D, μ_c −
/// origin), from which `importParameters` restores it exactly. \throws FileError.
template <typename Scalar>
inline void exportParameters(const Parameters<Scalar>& p, const std::string& dir) {
  const Index C = p.numComponents(), D = p.dim(), H = p.latentDim;
  detail::OutputFiles files("vmfa::exportParameters");
  files.add(dir + "/weights.npy", npy::encode<Scalar>(p.weights.data(), {C}));
  // (D × C column-major) is (C × D) row-major: the same memory
  const Matrix<Scalar> means = p.absoluteMeans();
  files.add(dir + "/means.npy", npy::encode<Scalar>(means.data(), {C, D}));
  if (p.hasOrigin()) {
    files.add(dir + "/origin.npy", npy::encode<double>(p.origin.data(), {D}));
    files.add(dir + "/relative_means.npy", npy::encode<Scalar>(p.means.data(), {C, D}));
  }
  files.add(dir + "/noise.npy", npy::encode<Scalar>(p.noise.data(), {C, D}));
  // loadings[c, d, h] = Λ_c(d, h): C-order index (c·D + d)·H + h
  std::vector<Scalar> lam(static_cast<std::size_t>(C * D * H));
  for (Index c = 0; c < C; ++c)
    for (Index d = 0; d < D; ++d)
      for (Index h = 0; h < H; ++h) lam[static_cast<std::size_t>((c * D + d) * H + h)] = p.loadings(d, c * H + h);
  files.add(dir + "/loadings.npy", npy::encode<Scalar>(lam.data(), {C, D, H}));
  files.commit();
}

/// \brief Reads the files written by exportParameters (float32 or float64) and validates them.
/// When origin.npy and relative_means.npy are both there, the means are taken from them (exactly
/// the exported model); otherwise from means.npy, without an origin.
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
  if (C < 1) throw FileError(detail::concat(fn, ": '", dir, "/weights.npy' is empty: a model needs C >= 1 components"));
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
  const std::string originPath = dir + "/origin.npy", relativePath = dir + "/relative_means.npy";
  if (detail::isRegularFile(originPath) && detail::isRegularFile(relativePath)) {
    const auto o = load("origin.npy", 1), r = load("relative_means.npy", 2);
    if (o->header().shape[0] != D || r->header().shape[0] != C || r->header().shape[1] != D)
      throw FileError(detail::concat(fn, ": '", dir, "': origin (", o->header().shape[0], ") and relative means (",
                                     r->header().shape[0], ", ", r->header().shape[1], ") do not match C = ", C,
                                     ", D = ", D));
    p.origin.resize(D);
    for (Index d = 0; d < D; ++d) {
      const unsigned char* q = o->data() + static_cast<std::size_t>(d) * static_cast<std::size_t>(o->header().wordSize);
      p.origin(d) = o->header().wordSize == 4 ? static_cast<double>(detail::getLE<float>(q)) : detail::getLE<double>(q);
    }
    // means.npy is origin + relative means rounded: files left over from another model disagree
    const double eps = m->header().wordSize == 4 ? 6e-8 : 1.2e-16;
    for (Index c = 0; c < C; ++c)
      for (Index d = 0; d < D; ++d) {
        p.means(d, c) = value(*r, c * D + d);
        const double absolute = p.origin(d) + static_cast<double>(p.means(d, c)), stored = static_cast<double>(value(*m, c * D + d));
        if (!(std::abs(absolute - stored) <= 4.0 * eps * std::abs(absolute) + 1e-300))
          throw FileError(detail::concat(fn, ": '", dir, "': origin.npy + relative_means.npy = ", absolute,
                                         " but means.npy = ", stored, " at (", c, ", ", d,
                                         "): the files come from different models"));
      }
  }
  p.validate(fn);
  return p;
}

}  // namespace vmfa
