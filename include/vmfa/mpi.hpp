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
#include "detail/bytes.hpp"
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
#include <string>
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
  /// Adds to `bytesSent` what an exchange made outside this class sent.
  void recordSent(std::uint64_t bytes) const { sent_ += bytes; }

  using Collective::sum;

 protected:
  void sumValues(double* values, std::size_t n) const override { sumInRankOrder(values, n); }
  void sumValues(std::int64_t* values, std::size_t n) const override { sumInRankOrder(values, n); }

  int firstFailing(bool failed) const override {
    int mine = failed ? rank_ : std::numeric_limits<int>::max(), first = mine;
    detail::check(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm_), "MPI_Allreduce");
    sent_ += sizeof mine;
    return first == std::numeric_limits<int>::max() ? -1 : first;
  }

  /// All-gather in rounds: in each, every process sends at most `pieceBytes()` / P of what is
  /// left of its bytes, so no count or displacement exceeds MPI's `int` whatever the sizes.
  std::vector<std::vector<char>> gatherBytes(const std::vector<char>& mine) const override {
    const std::size_t P = static_cast<std::size_t>(size_);
    std::int64_t size = static_cast<std::int64_t>(mine.size());
    std::vector<std::int64_t> sizes(P);
    detail::check(MPI_Allgather(&size, 1, MPI_INT64_T, sizes.data(), 1, MPI_INT64_T, comm_), "MPI_Allgather");
    sent_ += static_cast<std::uint64_t>(size_ - 1) * (mine.size() + sizeof size);
    std::vector<std::vector<char>> out(P);
    std::int64_t longest = 0;
    for (std::size_t r = 0; r < P; ++r) {
      out[r].resize(static_cast<std::size_t>(sizes[r]));
      longest = std::max(longest, sizes[r]);
    }
    const std::int64_t share = std::max<std::int64_t>(1, static_cast<std::int64_t>(pieceBytes_ / P));
    std::vector<int> counts(P), displs(P);
    std::vector<char> round;
    for (std::int64_t offset = 0; offset < longest; offset += share) {
      int total = 0;
      for (std::size_t r = 0; r < P; ++r) {
        counts[r] = static_cast<int>(std::max<std::int64_t>(0, std::min(share, sizes[r] - offset)));
        displs[r] = total;
        total += counts[r];
      }
      round.resize(static_cast<std::size_t>(total));
      const int mineCount = counts[static_cast<std::size_t>(rank_)];
      detail::check(MPI_Allgatherv(mineCount > 0 ? mine.data() + offset : nullptr, mineCount, MPI_BYTE, round.data(),
                                   counts.data(), displs.data(), MPI_BYTE, comm_),
                    "MPI_Allgatherv");
      for (std::size_t r = 0; r < P; ++r)
        if (counts[r] > 0) std::memcpy(out[r].data() + offset, round.data() + displs[r], static_cast<std::size_t>(counts[r]));
    }
    return out;
  }

  /// A broadcast in pieces of at most `pieceBytes()`.
  void broadcastBytes(std::vector<char>& bytes, int root) const override {
    std::int64_t size = static_cast<std::int64_t>(bytes.size());
    detail::check(MPI_Bcast(&size, 1, MPI_INT64_T, root, comm_), "MPI_Bcast");
    bytes.resize(static_cast<std::size_t>(size));
    if (rank_ == root) sent_ += static_cast<std::uint64_t>(size_ - 1) * (bytes.size() + sizeof size);
    for (std::size_t offset = 0; offset < bytes.size(); offset += pieceBytes_) {
      const std::size_t len = std::min(pieceBytes_, bytes.size() - offset);
      detail::check(MPI_Bcast(bytes.data() + offset, static_cast<int>(len), MPI_BYTE, root, comm_), "MPI_Bcast");
    }
  }

 public:
  /// Bytes per piece of a gather or broadcast (default 2^30; at most 2^31 − 1). Smaller pieces
  /// only mean more rounds; the results are the same. Every process must set the same value.
  void setPieceBytes(std::size_t bytes) {
    vmfa::detail::require(bytes >= 1 && bytes <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
                          "vmfa::mpi::Communicator::setPieceBytes", "bytes = ", bytes, " must be in [1, 2^31 - 1]");
    pieceBytes_ = bytes;
  }
  std::size_t pieceBytes() const { return pieceBytes_; }

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
  std::size_t pieceBytes_ = std::size_t(1) << 30;
};

/// \brief The graph statistics of all processes merged, on every process: the rows of component
/// block b (components [C·b/P, C·(b+1)/P)) go to process b (`MPI_Alltoallv`), which merges them in
/// rank order (`GraphStatistics::mergeRow`, as `+=` would), and the merged blocks are gathered by
/// every process (`MPI_Allgatherv`). Each process sends its rows once and receives the merged
/// statistics once: no buffer holds every process's statistics. The result equals rank 0's
/// statistics `+=` those of ranks 1, 2, … (dropped counts included).
inline GraphStatistics mergeAcross(const Communicator& comm, const GraphStatistics& mine) {
  const Index C = mine.numComponents(), capacity = mine.capacity();
  const int P = comm.size();
  if (P == 1) return mine;
  comm.agree();  // the raw exchanges below need every process here
  const char* where = "vmfa::mpi::mergeAcross";
  const auto blockBegin = [&](int b) { return C * b / P; };
  const auto from = [](int r) { return "process " + std::to_string(r); };
  // 1. this process's rows of each block (GraphStatistics::appendRows) to the block's process
  std::vector<std::int64_t> send;
  std::vector<int> sendCounts(static_cast<std::size_t>(P)), sendDispls(static_cast<std::size_t>(P));
  for (int b = 0; b < P; ++b) {
    sendDispls[static_cast<std::size_t>(b)] = detail::count(send.size(), "graph statistics");
    mine.appendRows(blockBegin(b), blockBegin(b + 1), send);
    sendCounts[static_cast<std::size_t>(b)] = detail::count(send.size(), "graph statistics") - sendDispls[static_cast<std::size_t>(b)];
  }
  std::vector<int> recvCounts(static_cast<std::size_t>(P)), recvDispls(static_cast<std::size_t>(P));
  detail::check(MPI_Alltoall(sendCounts.data(), 1, MPI_INT, recvCounts.data(), 1, MPI_INT, comm.comm()), "MPI_Alltoall");
  std::size_t total = 0;
  for (int r = 0; r < P; ++r) {
    recvDispls[static_cast<std::size_t>(r)] = detail::count(total, "graph statistics");
    total += static_cast<std::size_t>(recvCounts[static_cast<std::size_t>(r)]);
  }
  std::vector<std::int64_t> received(total);
  detail::check(MPI_Alltoallv(send.data(), sendCounts.data(), sendDispls.data(), MPI_INT64_T, received.data(),
                              recvCounts.data(), recvDispls.data(), MPI_INT64_T, comm.comm()),
                "MPI_Alltoallv");
  comm.recordSent(sizeof(std::int64_t) * (send.size() - static_cast<std::size_t>(sendCounts[static_cast<std::size_t>(comm.rank())])));
  std::vector<std::int64_t>().swap(send);
  // 2. merge this process's block (only its rows are allocated), rank by rank
  const Index first = blockBegin(comm.rank()), last = blockBegin(comm.rank() + 1);
  GraphStatistics block(C, capacity, first, last);
  for (int r = 0; r < P; ++r) {
    const std::int64_t* in = received.data() + recvDispls[static_cast<std::size_t>(r)];
    block.readRows(first, last, in, in + recvCounts[static_cast<std::size_t>(r)], true, where, from(r));
  }
  std::vector<std::int64_t>().swap(received);
  // 3. every process gathers the merged blocks and sets its rows from them
  std::int64_t dropped = static_cast<std::int64_t>(mine.dropped() + block.dropped());
  comm.sum(&dropped, 1);
  std::vector<char> bytes;
  {
    std::vector<std::int64_t> merged;
    block.appendRows(first, last, merged);
    block = GraphStatistics();
    bytes = vmfa::detail::ByteWriter().put(merged.data(), merged.size()).take();
  }
  const auto blocks = comm.gather(bytes);
  std::vector<char>().swap(bytes);
  GraphStatistics out(C, capacity);
  out.addDropped(static_cast<std::uint64_t>(dropped));
  std::vector<std::int64_t> part;
  for (int b = 0; b < P; ++b) {
    vmfa::detail::ByteReader in(blocks[static_cast<std::size_t>(b)], where, from(b));
    part.resize(in.records(sizeof(std::int64_t)));
    in.get(part.data(), part.size());
    out.readRows(blockBegin(b), blockBegin(b + 1), part.data(), part.data() + part.size(), false, where, from(b));
  }
  return out;
}

/// \brief Makes `model`'s fits span the processes of `comm` (`Model::distribute` with this
/// communicator): the M-step statistics are summed, the graph statistics merged by `mergeAcross`
/// and a policy's own statistics gathered and merged (`detail::defaultCombiner`). Every process of
/// `comm` must then call `fit` / `resume` with its own shard. `comm` must outlive the model's fits.
/// Returns the communicator object (e.g. for `bytesSent`).
template <typename Model>
std::shared_ptr<const Communicator> distribute(Model& model, MPI_Comm comm) {
  auto all = std::make_shared<const Communicator>(comm);
  typename Model::Combiner combiner;
  using EStatistics = typename Model::EStep::Statistics;
  if constexpr (std::is_same<EStatistics, GraphStatistics>::value)
    combiner.estep = [all](GraphStatistics& s) { s = mergeAcross(*all, s); };
  model.distribute(all, std::move(combiner));
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
