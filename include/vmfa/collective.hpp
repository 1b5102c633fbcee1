/// \file collective.hpp
/// \brief `Collective`: the processes that share one fit and the few exchanges a fit makes between
/// them. Each process holds a contiguous shard of the points (process r the points after those of
/// processes 0 … r−1, in that order), so global point n is local point n − offset on one process.
///
/// The base class is one process: every exchange leaves its argument as it is. `vmfa/mpi.hpp`
/// implements it over an MPI communicator; any other transport (a test double, a different
/// message-passing library) implements the same five members. Every exchange is collective: all
/// processes call it, in the same order, with the same sizes, and all get the same result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vmfa {

class Collective {
 public:
  virtual ~Collective() = default;

  /// This process's index, in [0, size()).
  virtual int rank() const { return 0; }
  /// Number of processes.
  virtual int size() const { return 1; }
  /// Element-wise sums over the processes, in place. Every process gets the same values, and the
  /// same inputs give the same bits on every run (the order of the additions is fixed by rank).
  virtual void sum(double* values, std::size_t n) const {
    (void)values;
    (void)n;
  }
  /// Element-wise sums of integers (exact), in place.
  virtual void sum(std::int64_t* values, std::size_t n) const {
    (void)values;
    (void)n;
  }
  /// Every process's bytes, in rank order (sizes may differ between processes).
  virtual std::vector<std::vector<char>> gather(const std::vector<char>& mine) const { return {mine}; }
  /// Process `root`'s bytes on every process (`bytes` is resized on the others).
  virtual void broadcast(std::vector<char>& bytes, int root) const {
    (void)bytes;
    (void)root;
  }

  /// The one-process collective (a shared instance).
  static const Collective& single() {
    static const Collective one;
    return one;
  }

  // conveniences built on the members above
  /// One value summed over the processes.
  double sum(double v) const {
    sum(&v, 1);
    return v;
  }
  std::int64_t sum(std::int64_t v) const {
    sum(&v, 1);
    return v;
  }
  /// Whether `flag` is true on any process.
  bool any(bool flag) const { return sum(std::int64_t(flag ? 1 : 0)) > 0; }
  /// Every process's value of `v`, in rank order.
  std::vector<std::int64_t> gatherValue(std::int64_t v) const {
    std::vector<std::int64_t> all(static_cast<std::size_t>(size()), 0);
    all[static_cast<std::size_t>(rank())] = v;
    sum(all.data(), all.size());
    return all;
  }
};

}  // namespace vmfa
