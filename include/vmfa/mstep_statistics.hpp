/// \file mstep_statistics.hpp
/// \brief The sufficient statistics of the closed-form M-step as a value (`MStepStatistics`: added
/// across threads and processes with `+=`, sent as bytes) and what one M-step has solved so far.
#pragma once

#include "detail/buffers.hpp"
#include "errors.hpp"
#include "options.hpp"

#include <Eigen/Core>

#include <cstring>
#include <vector>

namespace vmfa {

/// \brief The sufficient statistics of the closed-form M-step for the components [first, first +
/// count), in double, as one flat buffer: per component Q = Σ q w, YE = Σ q w y z̃ᵀ (D × (H+1)),
/// EE = Σ q w z̃ z̃ᵀ ((H+1) × (H+1)) and s = Σ q w y∘y (D), with y = x − μ_c (old mean).
///
/// A value: statistics accumulated on different points (threads, processes) add up with `+=`
/// (element-wise; the order of the additions is the caller's, which fixes the rounding), and
/// `values()` is the buffer to send or reduce (e.g. with MPI_Allreduce). Memory
/// count·(1 + D·(H+2) + (H+1)²)·8 bytes.
class MStepStatistics {
 public:
  /// The flat buffer's type: a `std::vector<double>` whose growth does not write zeros.
  using Buffer = std::vector<double, detail::DefaultInitAllocator<double>>;

  MStepStatistics() = default;
  /// Zero statistics for the components [first, first + count), written by `threads` threads
  /// (a buffer of hundreds of MB costs its page faults where it is first written).
  MStepStatistics(Index first, Index count, Index D, Index H, int threads = 1)
      : first_(first), count_(count), D_(D), H_(H) {
    values_.resize(static_cast<std::size_t>(count * stride()));
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(values_.size()), piece = std::ptrdiff_t(1) << 16;
    double* v = values_.data();
    (void)threads;  // without OpenMP
#pragma omp parallel for num_threads(std::max(1, threads)) schedule(static)
    for (std::ptrdiff_t i = 0; i < n; i += piece) std::fill(v + i, v + std::min(n, i + piece), 0.0);
  }

  Index first() const { return first_; }
  Index count() const { return count_; }
  Index dim() const { return D_; }
  Index latentDim() const { return H_; }
  /// Doubles per component.
  Index stride() const { return 1 + D_ * (H_ + 1) + (H_ + 1) * (H_ + 1) + D_; }

  double& mass(Index c) { return values_[offset(c)]; }
  double mass(Index c) const { return values_[offset(c)]; }
  Eigen::Map<Eigen::MatrixXd> YE(Index c) { return {values_.data() + offset(c) + 1, D_, H_ + 1}; }
  Eigen::Map<const Eigen::MatrixXd> YE(Index c) const { return {values_.data() + offset(c) + 1, D_, H_ + 1}; }
  Eigen::Map<Eigen::MatrixXd> EE(Index c) { return {values_.data() + offset(c) + 1 + D_ * (H_ + 1), H_ + 1, H_ + 1}; }
  Eigen::Map<const Eigen::MatrixXd> EE(Index c) const {
    return {values_.data() + offset(c) + 1 + D_ * (H_ + 1), H_ + 1, H_ + 1};
  }
  Eigen::Map<Eigen::VectorXd> syy(Index c) { return {values_.data() + offset(c) + stride() - D_, D_}; }
  Eigen::Map<const Eigen::VectorXd> syy(Index c) const { return {values_.data() + offset(c) + stride() - D_, D_}; }

  /// Zeroes the statistics and moves them to the components [first, first + count()) (a buffer
  /// reused for one component after another).
  void restart(Index first) {
    first_ = first;
    std::fill(values_.begin(), values_.end(), 0.0);
  }

  /// The flat buffer (count × stride doubles), for reductions and serialisation.
  Buffer& values() { return values_; }
  const Buffer& values() const { return values_; }

  /// Adds the statistics of other points for the same components. \throws InvalidArgument on a shape mismatch.
  MStepStatistics& operator+=(const MStepStatistics& o) {
    detail::require(o.first_ == first_ && o.count_ == count_ && o.D_ == D_ && o.H_ == H_, "vmfa::MStepStatistics::operator+=",
                    "components [", o.first_, ", +", o.count_, ") of D = ", o.D_, ", H = ", o.H_, " do not match [", first_,
                    ", +", count_, ") of D = ", D_, ", H = ", H_);
    for (std::size_t i = 0; i < values_.size(); ++i) values_[i] += o.values_[i];
    return *this;
  }

 private:
  std::size_t offset(Index c) const { return static_cast<std::size_t>((c - first_) * stride()); }
  Index first_ = 0, count_ = 0, D_ = 0, H_ = 0;
  Buffer values_;
};

/// \brief What the closed-form M-step has solved so far in one M-step (all components): their
/// masses, which are degenerate, and the residuals of shared noise. Memory C·9 bytes (+ D·C·8
/// with shared noise).
struct ClosedFormSolution {
  std::vector<double> mass;                ///< C, Q_c
  std::vector<unsigned char> degenerate;   ///< C, 1 where the solve failed or the mass vanished
  Eigen::MatrixXd residual;                ///< D × C unnormalised noise (shared noise only)
};

}  // namespace vmfa
