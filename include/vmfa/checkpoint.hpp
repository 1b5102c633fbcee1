/// \file checkpoint.hpp
/// \brief `FitCheckpoint`, the complete state of a fit between two iterations, and its file
/// format (encode / decode, atomic save, load).
#pragma once

#include "detail/file.hpp"
#include "errors.hpp"
#include "estep.hpp"
#include "io.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "responsibilities.hpp"

#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

namespace vmfa {

/// \brief The complete state of a fit between two iterations. Resuming from it (`Model::resume`)
/// on the same data with the same options and policies gives the same model, bit for bit, as the
/// uninterrupted fit: every random draw is keyed by (seed, iteration, point).
template <typename Scalar>
struct FitCheckpoint {
  Parameters<Scalar> parameters;
  IndexMatrix activeSets;                 ///< K(n) of a truncated E-step (K × N); empty for exact EM
  PolicyState estepState;                 ///< the E-step's own state (the neighbour graph, C × G)
  PolicyState mstepState;                 ///< the M-step's own state (empty for `ClosedFormMStep`)
  Index numPoints = 0;                    ///< N of the data being fitted
  std::uint64_t seed = 0;                 ///< the fit's seed
  bool sharedNoise = false;
  int nextIteration = 0;                  ///< index of the iteration to run next
  int mstepsDone = 0;                     ///< M-steps done so far
  int warmupLeft = 0;                     ///< warm-up E-steps still allowed
  double previousFreeEnergy = 0.0;        ///< objective of the last iteration
  FitResult result;                       ///< history and totals so far
};

/// The newest checkpoint format: version 2 adds the M-step's state. A checkpoint without M-step
/// state is written as version 1, which vmfa has always read; both are read.
constexpr std::uint32_t kCheckpointFormatVersion = 2;

namespace detail {

/// A digest of what every process of a distributed fit shares in its checkpoint (parameters,
/// E-step state, seed, loop state; not the per-process active sets or N).
template <typename Scalar>
std::uint64_t digestOf(const FitCheckpoint<Scalar>& cp) {
  std::uint64_t h = fnv1a(nullptr, 0);
  const auto add = [&h](const void* p, std::size_t n) { h = fnv1a(static_cast<const unsigned char*>(p), n, h); };
  const auto addValue = [&add](const auto& v) { add(&v, sizeof v); };
  const Parameters<Scalar>& p = cp.parameters;
  for (Index v : {p.weights.size(), p.means.rows(), p.means.cols(), p.loadings.size(), p.noise.size(), p.latentDim, p.origin.size()})
    addValue(v);
  add(p.weights.data(), sizeof(Scalar) * static_cast<std::size_t>(p.weights.size()));
  add(p.means.data(), sizeof(Scalar) * static_cast<std::size_t>(p.means.size()));
  add(p.loadings.data(), sizeof(Scalar) * static_cast<std::size_t>(p.loadings.size()));
  add(p.noise.data(), sizeof(Scalar) * static_cast<std::size_t>(p.noise.size()));
  add(p.origin.data(), sizeof(double) * static_cast<std::size_t>(p.origin.size()));
  addValue(cp.estepState.width);
  add(cp.estepState.values.data(), sizeof(std::int32_t) * cp.estepState.values.size());
  addValue(cp.mstepState.width);
  add(cp.mstepState.values.data(), sizeof(std::int32_t) * cp.mstepState.values.size());
  addValue(cp.seed);
  addValue(cp.sharedNoise);
  addValue(cp.nextIteration);
  addValue(cp.mstepsDone);
  addValue(cp.warmupLeft);
  addValue(cp.previousFreeEnergy);
  return h;
}

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
/// (K × N int32), the graph (C × G int32), in version 2 the M-step's state (width, count, int32
/// values), and an FNV-1a checksum of everything before it. Version 1 is written when the M-step
/// keeps no state.
/// Written to a byte sink with the checksum computed on the way (`saveCheckpoint` streams it to
/// the file).
template <typename Scalar, typename Sink>
inline void writeCheckpoint(const FitCheckpoint<Scalar>& cp, Sink& sink) {
  detail::HashingSink<Sink> out{sink};
  out.write(reinterpret_cast<const unsigned char*>(detail::kCheckpointMagic), 8);
  const bool withMStepState = cp.mstepState.width != 0 || !cp.mstepState.values.empty();
  detail::writeLE<std::uint32_t>(out, withMStepState ? kCheckpointFormatVersion : 1u);
  detail::writeLE<std::uint32_t>(out, static_cast<std::uint32_t>(sizeof(Scalar)));
  const Parameters<Scalar>& p = cp.parameters;
  detail::writeLE<std::uint64_t>(out, modelFileBytes(p));
  writeModel(p, cp.sharedNoise, out);
  detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(cp.numPoints));
  detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(cp.activeSets.rows()));
  detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(cp.estepState.width));
  detail::writeLE<std::int32_t>(out, cp.nextIteration);
  detail::writeLE<std::int32_t>(out, cp.mstepsDone);
  detail::writeLE<std::int32_t>(out, cp.warmupLeft);
  detail::writeLE<std::uint32_t>(out, static_cast<std::uint32_t>(cp.result.status));
  detail::writeLE<double>(out, cp.previousFreeEnergy);
  detail::writeLE<std::uint64_t>(out, cp.seed);
  const FitResult& r = cp.result;
  detail::writeLE<double>(out, r.freeEnergy);
  detail::writeLE<double>(out, r.seconds);
  detail::writeLE<double>(out, r.initSeconds);
  detail::writeLE<std::uint64_t>(out, r.logJointEvaluations);
  detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(r.reseededComponents));
  detail::writeLE<std::uint64_t>(out, r.history.size());
  for (const IterationStats& s : r.history) {
    detail::writeLE<std::int32_t>(out, s.iteration);
    detail::writeLE<std::int32_t>(out, s.warmup ? 1 : 0);
    for (double v : {s.freeEnergy, s.relativeChange, s.seconds, s.estepSeconds, s.graphSeconds, s.mstepSeconds,
                     s.meanSearchSize})
      detail::writeLE<double>(out, v);
    detail::writeLE<std::uint64_t>(out, s.logJointEvaluations);
    detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(s.componentsInUse));
    detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(s.reseededComponents));
  }
  detail::writeArrayLE(out, cp.activeSets.data(), static_cast<std::size_t>(cp.activeSets.size()));
  detail::writeLE<std::uint64_t>(out, cp.estepState.values.size());
  detail::writeArrayLE(out, cp.estepState.values.data(), cp.estepState.values.size());
  if (withMStepState) {
    detail::writeLE<std::uint64_t>(out, static_cast<std::uint64_t>(cp.mstepState.width));
    detail::writeLE<std::uint64_t>(out, cp.mstepState.values.size());
    detail::writeArrayLE(out, cp.mstepState.values.data(), cp.mstepState.values.size());
  }
  detail::writeLE<std::uint64_t>(sink, out.hash);
}

/// \brief Encodes a fit checkpoint in memory (see writeCheckpoint for the format).
template <typename Scalar>
inline std::vector<unsigned char> encodeCheckpoint(const FitCheckpoint<Scalar>& cp) {
  std::vector<unsigned char> out;
  detail::VectorSink sink{out};
  writeCheckpoint(cp, sink);
  return out;
}

/// \brief Decodes a checkpoint held in memory. Throws FileError on any problem.
template <typename Scalar>
inline FitCheckpoint<Scalar> decodeCheckpoint(const unsigned char* data, std::size_t size, const std::string& where) {
  if (size < 24) throw FileError(detail::concat(where, ": truncated checkpoint (", size, " bytes)"));
  if (std::memcmp(data, detail::kCheckpointMagic, 8) != 0) throw FileError(where + ": not a vmfa checkpoint (bad magic)");
  const auto version = detail::getLE<std::uint32_t>(data + 8);
  if (version < 1 || version > kCheckpointFormatVersion)
    throw FileError(detail::concat(where, ": checkpoint format version ", version, " is not supported (this vmfa reads versions 1 to ",
                                   kCheckpointFormatVersion, ")"));
  if (detail::kVerifyChecksums && detail::fnv1a(data, size - 8) != detail::getLE<std::uint64_t>(data + size - 8))
    throw FileError(where + ": checksum mismatch (the checkpoint is corrupt)");
  detail::Reader in(data + 12, size - 20, where);
  const auto scalarBytes = in.get<std::uint32_t>();
  if (scalarBytes != sizeof(Scalar))
    throw FileError(detail::concat(where, ": the checkpoint holds ", scalarBytes == 4 ? "float" : "double",
                                   " parameters; load it as a checkpoint of ", scalarBytes == 4 ? "float" : "double",
                                   " (this is ", sizeof(Scalar) == 4 ? "float" : "double", ")"));
  FitCheckpoint<Scalar> cp;
  const auto modelBytes = in.get<std::uint64_t>();
  if (modelBytes > in.left()) throw FileError(where + ": truncated checkpoint");
  ModelFileInfo info;
  cp.parameters = decodeModel<Scalar>(in.take(static_cast<std::size_t>(modelBytes)), static_cast<std::size_t>(modelBytes), where, &info);
  cp.sharedNoise = info.sharedNoise;
  cp.numPoints = static_cast<Index>(in.get<std::uint64_t>());
  const auto K = in.get<std::uint64_t>();
  cp.estepState.width = static_cast<Index>(in.get<std::uint64_t>());
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
    s.componentsInUse = static_cast<Index>(in.get<std::uint64_t>());
    s.reseededComponents = static_cast<Index>(in.get<std::uint64_t>());
    r.history.push_back(s);
  }
  r.iterations = static_cast<int>(r.history.size());
  // the loop counters drive the fit's stopping rule: a valid checksum does not make them sane
  if (cp.nextIteration < 0 || cp.mstepsDone < 0 || cp.warmupLeft < 0 || cp.mstepsDone > cp.nextIteration ||
      static_cast<std::uint64_t>(cp.nextIteration) != steps)
    throw FileError(detail::concat(where, ": invalid loop state (next iteration ", cp.nextIteration, ", M-steps done ",
                                   cp.mstepsDone, ", warm-up E-steps left ", cp.warmupLeft, ", ", steps,
                                   " iterations in the history)"));
  if (cp.numPoints < 0 || K > 1u << 20 || (K > 0 && static_cast<std::uint64_t>(cp.numPoints) > in.left() / (4 * K)))
    throw FileError(detail::concat(where, ": invalid active sets (K = ", K, ", N = ", cp.numPoints, ")"));
  cp.activeSets.resize(static_cast<Index>(K), K ? cp.numPoints : 0);
  for (Index i = 0; i < cp.activeSets.size(); ++i) cp.activeSets.data()[i] = in.get<std::int32_t>();
  const auto graphEntries = in.get<std::uint64_t>();
  if (graphEntries > in.left() / 4) throw FileError(where + ": truncated checkpoint");
  cp.estepState.values.resize(static_cast<std::size_t>(graphEntries));
  for (auto& v : cp.estepState.values) v = in.get<std::int32_t>();
  if (version >= 2) {
    const auto width = in.get<std::uint64_t>(), entries = in.get<std::uint64_t>();
    if (width > (1u << 30) || entries > in.left() / 4)
      throw FileError(detail::concat(where, ": invalid M-step state (width ", width, ", ", entries, " values, ", in.left(),
                                     " bytes left)"));
    cp.mstepState.width = static_cast<Index>(width);
    cp.mstepState.values.resize(static_cast<std::size_t>(entries));
    for (auto& v : cp.mstepState.values) v = in.get<std::int32_t>();
  }
  if (in.left() != 0) throw FileError(detail::concat(where, ": ", in.left(), " unexpected bytes at the end"));
  return cp;
}

/// Saves a checkpoint to `path` atomically (`path` absent or a regular file). A checkpoint whose
/// parameters could not be loaded back (non-finite values) is refused and `path` left as it was.
/// \throws InvalidArgument, FileError.
template <typename Scalar>
inline void saveCheckpoint(const FitCheckpoint<Scalar>& cp, const std::string& path) {
  cp.parameters.validate("vmfa::saveCheckpoint");
  detail::OutputFiles files("vmfa::saveCheckpoint");  // streamed: a 1 MiB buffer beyond the checkpoint
  files.add(path, [&](auto& sink) { writeCheckpoint(cp, sink); });
  files.commit();
}

/// Loads a checkpoint saved by saveCheckpoint. \throws FileError.
template <typename Scalar>
inline FitCheckpoint<Scalar> loadCheckpoint(const std::string& path) {
  const detail::MappedFile file(path, "vmfa::loadCheckpoint");
  return decodeCheckpoint<Scalar>(file.data(), file.size(), detail::concat("vmfa::loadCheckpoint: '", path, "'"));
}

}  // namespace vmfa
