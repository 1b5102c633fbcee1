/// \file collective.hpp
/// \brief `Collective`: the processes that share one fit and the few exchanges a fit makes between
/// them. Each process holds a contiguous shard of the points (process r the points after those of
/// processes 0 … r−1, in that order), so global point n is local point n − offset on one process.
///
/// The base class is one process: every exchange leaves its argument as it is. `vmfa/mpi.hpp`
/// implements it over an MPI communicator; any other transport (a test double, a different
/// message-passing library) implements the protected members. Every exchange is collective: all
/// processes call it, in the same order, with the same sizes, and all get the same result.
///
/// **One error, every process.** An exception raised on one process only (a check of its own
/// data, a full disk in its checkpoint handler, `bad_alloc`) must not leave the others waiting in
/// an exchange it will never join. Every exchange therefore starts with an agreement: one tiny
/// exchange of an error flag. A process that fails calls `agree(error)`, which sets its flag at
/// the next agreement; the others see it at the start of whatever exchange they are waiting in,
/// and every process then throws the same exception (`Agreed<…>`: the failing process's type and
/// message, "(on process r of P)" appended). A fit calls `agree` when it catches an exception and
/// once more before it returns, so a process that fails after the last exchange is heard too.
#pragma once

#include "errors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vmfa {

/// \brief Marks an exception that every process of a distributed fit throws alike (see
/// `Collective::agree`): catching it needs no further agreement.
class AgreedFailure {
 public:
  virtual ~AgreedFailure() = default;
};

/// \brief `E` (e.g. `InvalidArgument`) thrown by every process of a distributed fit at once.
template <typename E>
class Agreed : public E, public AgreedFailure {
 public:
  explicit Agreed(const std::string& message) : E(message) {}
};

/// \brief Out of memory on some process of a distributed fit: a `std::bad_alloc` with a message.
class OutOfMemory : public std::bad_alloc {
 public:
  explicit OutOfMemory(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

class Collective {
 public:
  virtual ~Collective() = default;

  /// This process's index, in [0, size()).
  virtual int rank() const { return 0; }
  /// Number of processes.
  virtual int size() const { return 1; }

  /// Element-wise sums over the processes, in place. Every process gets the same values, and the
  /// same inputs give the same bits on every run (the order of the additions is fixed by rank).
  void sum(double* values, std::size_t n) const {
    agree();
    sumValues(values, n);
  }
  /// Element-wise sums of integers (exact), in place.
  void sum(std::int64_t* values, std::size_t n) const {
    agree();
    sumValues(values, n);
  }
  /// Every process's bytes, in rank order (sizes may differ between processes).
  std::vector<std::vector<char>> gather(const std::vector<char>& mine) const {
    agree();
    return gatherBytes(mine);
  }
  /// Process `root`'s bytes on every process (`bytes` is resized on the others).
  void broadcast(std::vector<char>& bytes, int root) const {
    agree();
    broadcastBytes(bytes, root);
  }

  /// \brief An agreement point (collective): `error` is what this process caught (null: none).
  /// Returns when no process has an error; otherwise every process throws the error of the
  /// lowest-ranked process that has one, as `Agreed<T>` with T its type (`FileError`,
  /// `InvalidArgument`, `NotFitted`, `std::logic_error`, `std::runtime_error`; `OutOfMemory` for
  /// `std::bad_alloc`). An error that is already agreed (`AgreedFailure`) is rethrown as it is: every
  /// process holds it. In one process, `error` is rethrown unchanged. Code that calls a transport
  /// directly (rather than through the members above) calls `agree()` before it.
  void agree(std::exception_ptr error = nullptr) const {
    if (error && isAgreed(error)) std::rethrow_exception(error);
    if (size() == 1) {
      if (error) std::rethrow_exception(error);
      return;
    }
    const int first = firstFailing(error != nullptr);
    if (first < 0) return;
    std::vector<char> mine;
    if (error) mine = describe(error);
    const auto all = gatherBytes(mine);
    const std::vector<char>& theirs = all.at(static_cast<std::size_t>(first));
    const char kind = theirs.empty() ? 'r' : theirs[0];
    const std::string message = detail::concat(theirs.empty() ? std::string("unknown error") : std::string(theirs.begin() + 1, theirs.end()),
                                               " (on process ", first, " of ", size(), ")");
    switch (kind) {
      case 'f': throw Agreed<FileError>(message);
      case 'i': throw Agreed<InvalidArgument>(message);
      case 'n': throw Agreed<NotFitted>(message);
      case 'l': throw Agreed<std::logic_error>(message);
      case 'm': throw OutOfMemoryAgreed(message);
      default: throw Agreed<std::runtime_error>(message);
    }
  }

  /// Runs `f` (this process's own checks or work, no exchanges inside) and agrees on its outcome:
  /// returns when `f` succeeded on every process, throws as `agree` does otherwise.
  template <typename F>
  void agreeOn(F&& f) const {
    std::exception_ptr error;
    try {
      f();
    } catch (...) {
      error = std::current_exception();
    }
    agree(error);
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

 protected:
  // The transport. Each is collective and called only after an agreement, so an implementation
  // needs no error handling of its own beyond throwing when the transport itself fails.
  virtual void sumValues(double* values, std::size_t n) const {
    (void)values;
    (void)n;
  }
  virtual void sumValues(std::int64_t* values, std::size_t n) const {
    (void)values;
    (void)n;
  }
  virtual std::vector<std::vector<char>> gatherBytes(const std::vector<char>& mine) const { return {mine}; }
  virtual void broadcastBytes(std::vector<char>& bytes, int root) const {
    (void)bytes;
    (void)root;
  }
  /// The lowest rank whose `failed` is true, or −1 when none is (one small exchange).
  virtual int firstFailing(bool failed) const {
    std::vector<std::int64_t> flags(static_cast<std::size_t>(size()), 0);
    flags[static_cast<std::size_t>(rank())] = failed ? 1 : 0;
    sumValues(flags.data(), flags.size());
    for (std::size_t r = 0; r < flags.size(); ++r)
      if (flags[r] != 0) return static_cast<int>(r);
    return -1;
  }

 private:
  class OutOfMemoryAgreed : public OutOfMemory, public AgreedFailure {
   public:
    using OutOfMemory::OutOfMemory;
  };

  static bool isAgreed(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const AgreedFailure&) {
      return true;
    } catch (...) {
      return false;
    }
  }

  /// A kind letter, then the message.
  static std::vector<char> describe(const std::exception_ptr& error) {
    char kind = 'r';
    std::string message;
    try {
      std::rethrow_exception(error);
    } catch (const FileError& e) {
      kind = 'f', message = e.what();
    } catch (const InvalidArgument& e) {
      kind = 'i', message = e.what();
    } catch (const std::invalid_argument& e) {
      kind = 'i', message = e.what();
    } catch (const NotFitted& e) {
      kind = 'n', message = e.what();
    } catch (const std::logic_error& e) {
      kind = 'l', message = e.what();
    } catch (const std::bad_alloc& e) {
      kind = 'm', message = std::strcmp(e.what(), "std::bad_alloc") == 0 ? "out of memory" : e.what();
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
      message = "an exception that is not a std::exception";
    }
    std::vector<char> out(1 + message.size());
    out[0] = kind;
    std::memcpy(out.data() + 1, message.data(), message.size());
    return out;
  }
};

}  // namespace vmfa
