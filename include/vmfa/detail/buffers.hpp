/// \file detail/buffers.hpp
/// \brief Small helpers of the hot loops: scratch matrices that keep their capacity, and software
/// prefetches of memory that a loop will read next.
#pragma once

#include "../options.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <memory>
#include <new>
#include <type_traits>

namespace vmfa {
namespace detail {

/// Makes `m` rows × (at least cols): a scratch buffer that keeps the largest size seen, so that
/// batches of varying size allocate nothing (callers use its first `cols` columns).
template <typename MatrixType>
inline void ensureColumns(MatrixType& m, Index rows, Index cols) {
  if (m.rows() != rows || m.cols() < cols) m.resize(rows, std::max(cols, m.rows() == rows ? Index(m.cols()) : Index(0)));
}

/// An allocator whose `resize` leaves new elements of trivial type uninitialised (instead of
/// value-initialising them), so that a large buffer can be first written, and its pages first
/// touched, by the threads that will use it.
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible<U>::value) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

/// Asks the processor to fetch the n values at x into cache (one request per 64-byte line).
template <typename T>
inline void prefetch(const T* x, Index n) {
#if defined(__GNUC__)
  constexpr Index kLine = 64 / static_cast<Index>(sizeof(T));
  for (Index i = 0; i < n; i += kLine) __builtin_prefetch(x + i);
#else
  (void)x, (void)n;
#endif
}

}  // namespace detail
}  // namespace vmfa
