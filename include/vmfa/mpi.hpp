/// \file mpi.hpp
/// \brief Fits over several processes with MPI (optional: include it only where MPI is found; link
/// the CMake target `vmfa::mpi`). Each process holds its own shard of the points — process r the
/// rows after those of processes 0 … r−1 — and runs the E-step and the M-step's sums on it; the
/// neighbour-graph statistics and the M-step statistics are summed over the processes, so every
/// process ends with the same model, the one a single process would fit on all the points (up to
/// the order of floating-point sums).
///
/// \code
///   MPI_Init(&argc, &argv);
///   vmfa::Model<float> model(options);
///   const vmfa::Matrix<float> shard = ...;   // this rank's D × N_r points
///   vmfa::mpi::fit(model, shard, MPI_COMM_WORLD);
/// \endcode
///
/// Communication per iteration: the M-step statistics, C·(1 + D·(H+2) + (H+1)²) doubles, summed
/// by a reduce-scatter and an all-gather (each process sends and receives about twice that); the
/// graph statistics, each process's serialised rows (at most 3·C·capacity + C + 3 integers),
/// gathered by every process; a few scalars. Every exchange adds in rank order, so runs at the same
/// number of processes are bit-identical.
#pragma once

#include "collective.hpp"
#include "errors.hpp"
#include "graph.hpp"
#include "model.hpp"
#include "mstep.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

namespace vmfa {
namespace mpi {

namespace detail {

inline void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw std::runtime_error(vmfa::detail::concat("vmfa::mpi: ", what, " failed: ", std::string(text, static_cast<std::size_t>(length))));
}

template <typename T>
MPI_Datatype type();
template <>
inline MPI_Datatype type<double>() { return MPI_DOUBLE; }
template <>
inline MPI_Datatype type<std::int64_t>() { return MPI_INT64_T; }

inline int count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::runtime_error(vmfa::detail::concat("vmfa::mpi: ", what, " of ", n, " elements exceeds MPI's int counts"));
  return static_cast<int>(n);
}

}  // namespace detail

/// \brief `Collective` over an MPI communicator (not owned; it must outlive this object).
class Communicator final : public Collective {
 public:
  explicit Communicator(MPI_Comm comm) : comm_(comm) {
    detail::check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    detail::check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  MPI_Comm comm() const { return comm_; }
  /// Bytes this process has sent to other processes through this object (payload, not MPI's
  /// headers): the measured communication volume.
  std::uint64_t bytesSent() const { return sent_; }

  void sum(double* values, std::size_t n) const override { sumInRankOrder(values, n); }
  void sum(std::int64_t* values, std::size_t n) const override { sumInRankOrder(values, n); }

  std::vector<std::vector<char>> gather(const std::vector<char>& mine) const override {
    std::int64_t size = static_cast<std::int64_t>(mine.size());
    std::vector<std::int64_t> sizes(static_cast<std::size_t>(size_));
    detail::check(MPI_Allgather(&size, 1, MPI_INT64_T, sizes.data(), 1, MPI_INT64_T, comm_), "MPI_Allgather");
    std::vector<int> counts(static_cast<std::size_t>(size_)), displs(static_cast<std::size_t>(size_));
    std::size_t total = 0;
    for (int r = 0; r < size_; ++r) {
      displs[static_cast<std::size_t>(r)] = detail::count(total, "a gather");
      counts[static_cast<std::size_t>(r)] = detail::count(static_cast<std::size_t>(sizes[static_cast<std::size_t>(r)]), "a gather");
      total += static_cast<std::size_t>(sizes[static_cast<std::size_t>(r)]);
    }
    detail::count(total, "a gather");
    std::vector<char> all(total);
    sent_ += static_cast<std::uint64_t>(size_ - 1) * (mine.size() + sizeof size);
    detail::check(MPI_Allgatherv(mine.data(), detail::count(mine.size(), "a gather"), MPI_BYTE, all.data(), counts.data(),
                                 displs.data(), MPI_BYTE, comm_),
                  "MPI_Allgatherv");
    std::vector<std::vector<char>> out(static_cast<std::size_t>(size_));
    for (int r = 0; r < size_; ++r)
      out[static_cast<std::size_t>(r)].assign(all.begin() + displs[static_cast<std::size_t>(r)],
                                              all.begin() + displs[static_cast<std::size_t>(r)] + counts[static_cast<std::size_t>(r)]);
    return out;
  }

  void broadcast(std::vector<char>& bytes, int root) const override {
    std::int64_t size = static_cast<std::int64_t>(bytes.size());
    detail::check(MPI_Bcast(&size, 1, MPI_INT64_T, root, comm_), "MPI_Bcast");
    bytes.resize(static_cast<std::size_t>(size));
    if (rank_ == root) sent_ += static_cast<std::uint64_t>(size_ - 1) * (bytes.size() + sizeof size);
    detail::check(MPI_Bcast(bytes.data(), detail::count(bytes.size(), "a broadcast"), MPI_BYTE, root, comm_), "MPI_Bcast");
  }

 private:
  /// Reduce-scatter then all-gather, each process summing its block over the processes in rank
  /// order (MPI_Allreduce's order of additions is the library's choice). In pieces of at most
  /// 2^22 values, so the buffers stay small.
  template <typename T>
  void sumInRankOrder(T* values, std::size_t n) const {
    if (size_ == 1 || n == 0) return;
    const std::size_t P = static_cast<std::size_t>(size_), piece = std::size_t(1) << 22;
    std::vector<T> incoming, block;
    std::vector<int> sendCounts(P), sendDispls(P), recvCounts(P), recvDispls(P);
    for (std::size_t start = 0; start < n; start += piece) {
      const std::size_t len = std::min(piece, n - start);
      T* v = values + start;
      // block b of this piece: [len·b/P, len·(b+1)/P), summed by process b
      const auto blockBegin = [&](std::size_t b) { return len * b / P; };
      const std::size_t mine = blockBegin(static_cast<std::size_t>(rank_) + 1) - blockBegin(static_cast<std::size_t>(rank_));
      for (std::size_t b = 0; b < P; ++b) {
        sendCounts[b] = static_cast<int>(blockBegin(b + 1) - blockBegin(b));
        sendDispls[b] = static_cast<int>(blockBegin(b));
        recvCounts[b] = static_cast<int>(mine);
        recvDispls[b] = static_cast<int>(b * mine);
      }
      // this process sends all but its own block, then its summed block to every other process
      sent_ += sizeof(T) * ((len - mine) + (P - 1) * mine);
      incoming.resize(P * mine);
      detail::check(MPI_Alltoallv(v, sendCounts.data(), sendDispls.data(), detail::type<T>(), incoming.data(),
                                  recvCounts.data(), recvDispls.data(), detail::type<T>(), comm_),
                    "MPI_Alltoallv");
      block.assign(mine, T(0));
      for (std::size_t r = 0; r < P; ++r)
        for (std::size_t i = 0; i < mine; ++i) block[i] += incoming[r * mine + i];
      detail::check(MPI_Allgatherv(block.data(), static_cast<int>(mine), detail::type<T>(), v, sendCounts.data(),
                                   sendDispls.data(), detail::type<T>(), comm_),
                    "MPI_Allgatherv");
    }
  }

  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
  mutable std::uint64_t sent_ = 0;
};

/// \brief Makes `model`'s fits span the processes of `comm`: sets its `Collective` and a combiner
/// that sums the M-step statistics and merges the graph statistics over them. Every process of
/// `comm` must then call `fit` / `resume` with its own shard. `comm` must outlive the model's fits.
/// Returns the communicator object (e.g. for `bytesSent`).
template <typename Model>
std::shared_ptr<const Communicator> distribute(Model& model, MPI_Comm comm) {
  auto all = std::make_shared<const Communicator>(comm);
  typename Model::Combiner combiner;
  combiner.mstep = [all](MStepStatistics& s) { all->sum(s.values().data(), s.values().size()); };
  using EStatistics = typename Model::EStep::Statistics;
  if constexpr (std::is_same<EStatistics, GraphStatistics>::value) {
    combiner.estep = [all](GraphStatistics& s) {
      const std::vector<std::int64_t> flat = s.serialize();
      std::vector<char> bytes(flat.size() * sizeof(std::int64_t));
      std::memcpy(bytes.data(), flat.data(), bytes.size());
      const auto parts = all->gather(bytes);
      GraphStatistics merged;
      for (std::size_t r = 0; r < parts.size(); ++r) {
        std::vector<std::int64_t> values(parts[r].size() / sizeof(std::int64_t));
        std::memcpy(values.data(), parts[r].data(), values.size() * sizeof(std::int64_t));
        GraphStatistics part = GraphStatistics::deserialize(values.data(), values.size());
        if (r == 0)
          merged = std::move(part);
        else
          merged += part;
      }
      merged.sortRows();
      s = std::move(merged);
    };
  }
  model.setCombiner(std::move(combiner));
  model.setCollective(all);
  return all;
}

/// \brief Fits `model` to this process's shard `X` (D × N_r, any N_r >= 0) together with the
/// other processes of `comm` (`distribute`, then `Model::fit`). Every process returns the same
/// result and holds the same parameters.
template <typename Model, typename Derived>
FitResult fit(Model& model, const Eigen::MatrixBase<Derived>& X, MPI_Comm comm) {
  distribute(model, comm);
  return model.fit(X);
}

/// `fit` with this shard's sample weights.
template <typename Model, typename Derived, typename WDerived>
FitResult fit(Model& model, const Eigen::MatrixBase<Derived>& X, const Eigen::MatrixBase<WDerived>& sampleWeights,
              MPI_Comm comm) {
  distribute(model, comm);
  return model.fit(X, sampleWeights);
}

}  // namespace mpi
}  // namespace vmfa
