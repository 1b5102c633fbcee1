/// \file parallel.hpp
/// \brief OpenMP helpers that also compile without OpenMP (then everything runs on one thread).
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace vmfa {
namespace detail {

/// Most threads a parallel region gets: 4 per processor. Results do not depend on the thread
/// count, and thousands of threads only exhaust the system's thread limits.
inline int maxThreads() {
#ifdef _OPENMP
  return 4 * std::max(1, omp_get_num_procs());
#else
  return 1;
#endif
}

/// Number of threads a parallel region gets when the user asked for `requested` (0 = OpenMP's
/// default), at most `maxThreads()`.
inline int resolveThreads(int requested) {
#ifdef _OPENMP
  return std::min(requested > 0 ? requested : omp_get_max_threads(), maxThreads());
#else
  (void)requested;
  return 1;
#endif
}

/// Index of the calling thread inside a parallel region (0 outside one or without OpenMP).
inline int threadIndex() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

/// Captures the first exception thrown inside an OpenMP region so that it can be rethrown after
/// the region (an exception that crosses an OpenMP region's boundary terminates the process).
/// Every region of the library runs its loop bodies (and any per-thread set-up that allocates)
/// through `run`; once one has thrown, the others return at once, so the region ends soon.
class ExceptionCapture {
 public:
  template <typename F>
  void run(F&& f) noexcept {
    if (failed_.load(std::memory_order_relaxed)) return;
    try {
      f();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
};

}  // namespace detail
}  // namespace vmfa
