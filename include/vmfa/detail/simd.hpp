/// \file simd.hpp
/// \brief Runtime dispatch of the fused log-joint kernel: AVX-512, AVX2 + FMA or the portable
/// (Eigen) path, chosen once from the processor the program runs on, so that a build without
/// `-march=native` (a distribution's, `cmake --install`'s) still runs the fast path.
///
/// The AVX-512 and AVX2 kernels are the same source (`simd_fused.inc`) compiled inside
/// `#pragma GCC target` regions (GCC and Clang on x86-64): they need no compiler flags, and the
/// library stays header-only. The paths sum in different orders, so their log-joints agree to
/// rounding (relative differences of a few ε·dᵀΨ⁻¹d), not bit for bit; within one path the results
/// do not depend on the thread count. `VMFA_KERNEL=generic|avx2|avx512` in the environment, or
/// `setKernelPath`, chooses a path by hand (for comparisons and tests).
#pragma once

#include "buffers.hpp"
#include "checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#define VMFA_HAVE_X86_DISPATCH 1
#include <immintrin.h>
#else
#define VMFA_HAVE_X86_DISPATCH 0
#endif

namespace vmfa {

/// The instruction set the fused log-joint kernel runs with (`kernelPath`).
enum class KernelPath {
  Generic = 0,  ///< portable C++ (Eigen's vectorisation at the compiler's flags)
  Avx2 = 1,     ///< AVX2 + FMA, 256-bit registers
  Avx512 = 2,   ///< AVX-512F, 512-bit registers
};

/// "generic", "avx2" or "avx512".
inline const char* kernelPathName(KernelPath p) {
  return p == KernelPath::Avx512 ? "avx512" : p == KernelPath::Avx2 ? "avx2" : "generic";
}

namespace detail {

/// The best path this processor (and operating system) supports.
inline KernelPath detectKernelPath() {
#if VMFA_HAVE_X86_DISPATCH
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return KernelPath::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return KernelPath::Avx2;
#endif
  return KernelPath::Generic;
}

inline bool kernelPathSupported(KernelPath p) {
  return static_cast<int>(p) <= static_cast<int>(detectKernelPath());
}

/// The process-wide choice: the environment's VMFA_KERNEL if set (and supported), else the best.
inline KernelPath& kernelPathSlot() {
  static KernelPath path = [] {
    const KernelPath best = detectKernelPath();
    const char* env = std::getenv("VMFA_KERNEL");
    if (!env || !*env) return best;
    for (KernelPath p : {KernelPath::Generic, KernelPath::Avx2, KernelPath::Avx512})
      if (std::strcmp(env, kernelPathName(p)) == 0) return kernelPathSupported(p) ? p : best;
    return best;
  }();
  return path;
}

}  // namespace detail

/// The path the fused log-joint kernel takes in this process.
inline KernelPath kernelPath() { return detail::kernelPathSlot(); }

/// Chooses the kernel's path for the whole process (call it before a fit, not during one).
/// \throws InvalidArgument if this processor does not support `p`.
inline void setKernelPath(KernelPath p) {
  detail::require(detail::kernelPathSupported(p), "vmfa::setKernelPath", "this processor does not support the ",
                  kernelPathName(p), " kernel (the best it supports is ", kernelPathName(detail::detectKernelPath()),
                  ")");
  detail::kernelPathSlot() = p;
}

namespace detail {

/// \brief Whether a column's Woodbury form dᵀΣ⁻¹d = a − w (a = dᵀΨ⁻¹d, w = ‖R⁻¹t‖², m = a − w)
/// is recomputed in the residual form: when its rounding error bound, 8·ε·a (the observed error stays
/// below it; tests/test_kernel.cpp), exceeds 10⁻³ (5·10⁻⁴ nats) per D units of m, and the subtraction cancels
/// (w > a / 2: otherwise the residual form is no more accurate). Far pairs, whose log-joints lie
/// many nats below the point's best, may keep proportionally larger errors.
template <typename Scalar>
inline bool needsResidual(Scalar a, Scalar w, Scalar m, Index D) {
  constexpr double bound = 8.0 * static_cast<double>(std::numeric_limits<Scalar>::epsilon()) / 1e-3;
  return w > Scalar(0.5) * a && bound * static_cast<double>(a) > std::max(1.0, static_cast<double>(m) / static_cast<double>(D));
}

namespace simd {

#if VMFA_HAVE_X86_DISPATCH

// GCC 12's unmasked AVX-512 shuffles and conversions pass _mm512_undefined_*() to their masked
// builtins, which -Wall reports as "may be used uninitialized" wherever they are inlined (a false
// positive). The kernels below use the full-mask forms instead (the same instructions); the pragma
// keeps any that remain quiet.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

// ---------------------------------------------------------------------------------------------
// AVX-512F. The reduction trees sum W registers into W values in three or four levels of
// (two shuffles + one add); the last level leaves value q in lane R·(q mod G) + q / G, where G is
// the number of 128-bit groups and R the lanes per group.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#endif
namespace avx512 {

template <typename Scalar>
struct Lanes;

template <>
struct Lanes<float> {
  using Vec = __m512;
  static constexpr int kWidth = 16;
  static constexpr __mmask16 kAll = 0xFFFF;  // full-mask forms: see the note on GCC 12 above
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec set1(float s) { return _mm512_set1_ps(s); }
  static Vec load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
  static Vec loadPartial(const float* p, int n) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p);
  }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static Vec fnma(Vec a, Vec b, Vec c) { return _mm512_fnmadd_ps(a, b, c); }
  struct Wide {
    __m512d lo, hi;
  };
  static Wide wideZero() { return {_mm512_setzero_pd(), _mm512_setzero_pd()}; }
  static void wideAdd(Wide& acc, Vec v) {
    alignas(64) float f[16];  // through memory: no intrinsic with an undefined pass-through (see above)
    _mm512_store_ps(f, v);
    acc.lo = _mm512_add_pd(acc.lo, _mm512_mask_cvtps_pd(acc.lo, static_cast<__mmask8>(0xFF), _mm256_load_ps(f)));
    acc.hi = _mm512_add_pd(acc.hi, _mm512_mask_cvtps_pd(acc.hi, static_cast<__mmask8>(0xFF), _mm256_load_ps(f + 8)));
  }
  static double wideSum(const Wide& acc) {  // in a fixed order
    alignas(64) double d[8];
    _mm512_store_pd(d, _mm512_add_pd(acc.lo, acc.hi));
    return ((d[0] + d[4]) + (d[1] + d[5])) + ((d[2] + d[6]) + (d[3] + d[7]));
  }
  static void reduce(const Vec* v, float* out) {
    Vec u[8], w[4], y[2];
    for (int i = 0; i < 8; ++i)  // 128-bit groups (v2i: 0+2, 1+3 | v2i+1: 0+2, 1+3)
      u[i] = _mm512_add_ps(_mm512_mask_shuffle_f32x4(v[2 * i], kAll, v[2 * i], v[2 * i + 1], 0x44),
                           _mm512_mask_shuffle_f32x4(v[2 * i], kAll, v[2 * i], v[2 * i + 1], 0xEE));
    for (int i = 0; i < 4; ++i)  // group k of w[i] holds 4 partial sums of v[4i + k]
      w[i] = _mm512_add_ps(_mm512_mask_shuffle_f32x4(u[2 * i], kAll, u[2 * i], u[2 * i + 1], 0x88),
                           _mm512_mask_shuffle_f32x4(u[2 * i], kAll, u[2 * i], u[2 * i + 1], 0xDD));
    for (int i = 0; i < 2; ++i)  // group k of y[i]: 2 partials each of v[8i + k] and v[8i + 4 + k]
      y[i] = _mm512_add_ps(_mm512_mask_unpacklo_ps(w[2 * i], kAll, w[2 * i], w[2 * i + 1]),
                           _mm512_mask_unpackhi_ps(w[2 * i], kAll, w[2 * i], w[2 * i + 1]));
    const Vec z = _mm512_add_ps(_mm512_mask_shuffle_ps(y[0], kAll, y[0], y[1], 0x44),
                                _mm512_mask_shuffle_ps(y[0], kAll, y[0], y[1], 0xEE));
    alignas(64) float s[16];
    _mm512_store_ps(s, z);  // lane 4k + m holds the sum of v[k + 4m]
    for (int q = 0; q < 16; ++q) out[q] = s[4 * (q % 4) + q / 4];
  }
};

template <>
struct Lanes<double> {
  using Vec = __m512d;
  static constexpr int kWidth = 8;
  static constexpr __mmask8 kAll = 0xFF;
  static Vec zero() { return _mm512_setzero_pd(); }
  static Vec set1(double s) { return _mm512_set1_pd(s); }
  static Vec load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, Vec v) { _mm512_storeu_pd(p, v); }
  static Vec loadPartial(const double* p, int n) {
    return _mm512_maskz_loadu_pd(static_cast<__mmask8>((1u << n) - 1u), p);
  }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_pd(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm512_mul_pd(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
  static Vec fnma(Vec a, Vec b, Vec c) { return _mm512_fnmadd_pd(a, b, c); }
  using Wide = Vec;
  static Wide wideZero() { return _mm512_setzero_pd(); }
  static void wideAdd(Wide& acc, Vec v) { acc = _mm512_add_pd(acc, v); }
  static double wideSum(const Wide& acc) { return sum(acc); }
  static double sum(Vec v) {  // in a fixed order
    alignas(64) double d[8];
    _mm512_store_pd(d, v);
    return ((d[0] + d[4]) + (d[1] + d[5])) + ((d[2] + d[6]) + (d[3] + d[7]));
  }
  static void reduce(const Vec* v, double* out) {
    Vec u[4], w[2];
    for (int i = 0; i < 4; ++i)
      u[i] = _mm512_add_pd(_mm512_mask_shuffle_f64x2(v[2 * i], kAll, v[2 * i], v[2 * i + 1], 0x44),
                           _mm512_mask_shuffle_f64x2(v[2 * i], kAll, v[2 * i], v[2 * i + 1], 0xEE));
    for (int i = 0; i < 2; ++i)  // group k of w[i] holds 2 partial sums of v[4i + k]
      w[i] = _mm512_add_pd(_mm512_mask_shuffle_f64x2(u[2 * i], kAll, u[2 * i], u[2 * i + 1], 0x88),
                           _mm512_mask_shuffle_f64x2(u[2 * i], kAll, u[2 * i], u[2 * i + 1], 0xDD));
    const Vec z =
        _mm512_add_pd(_mm512_mask_unpacklo_pd(w[0], kAll, w[0], w[1]), _mm512_mask_unpackhi_pd(w[0], kAll, w[0], w[1]));
    alignas(64) double s[8];
    _mm512_store_pd(s, z);  // lane 2k + m holds the sum of v[k + 4m]
    for (int q = 0; q < 8; ++q) out[q] = s[2 * (q % 4) + q / 4];
  }
};

#include "simd_fused.inc"

}  // namespace avx512
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

// ---------------------------------------------------------------------------------------------
// AVX2 + FMA.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
namespace avx2 {

/// The sum of the 4 lanes of v, in a fixed order (the double accumulators of both Lanes).
inline double sum(__m256d v) {
  const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

template <typename Scalar>
struct Lanes;

template <>
struct Lanes<float> {
  using Vec = __m256;
  static constexpr int kWidth = 8;
  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec set1(float s) { return _mm256_set1_ps(s); }
  static Vec load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
  static Vec loadPartial(const float* p, int n) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_maskload_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lane));
  }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static Vec fnma(Vec a, Vec b, Vec c) { return _mm256_fnmadd_ps(a, b, c); }
  struct Wide {
    __m256d lo, hi;
  };
  static Wide wideZero() { return {_mm256_setzero_pd(), _mm256_setzero_pd()}; }
  static void wideAdd(Wide& acc, Vec v) {
    acc.lo = _mm256_add_pd(acc.lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    acc.hi = _mm256_add_pd(acc.hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
  }
  static double wideSum(const Wide& acc) { return sum(_mm256_add_pd(acc.lo, acc.hi)); }
  static void reduce(const Vec* v, float* out) {
    Vec u[4], w[2];
    for (int i = 0; i < 4; ++i)  // group k of u[i] holds 4 partial sums of v[2i + k]
      u[i] = _mm256_add_ps(_mm256_permute2f128_ps(v[2 * i], v[2 * i + 1], 0x20),
                           _mm256_permute2f128_ps(v[2 * i], v[2 * i + 1], 0x31));
    for (int i = 0; i < 2; ++i)  // group k of w[i]: 2 partials each of v[4i + k] and v[4i + 2 + k]
      w[i] = _mm256_add_ps(_mm256_unpacklo_ps(u[2 * i], u[2 * i + 1]), _mm256_unpackhi_ps(u[2 * i], u[2 * i + 1]));
    const Vec z = _mm256_add_ps(_mm256_shuffle_ps(w[0], w[1], 0x44), _mm256_shuffle_ps(w[0], w[1], 0xEE));
    alignas(32) float s[8];
    _mm256_store_ps(s, z);  // lane 4k + m holds the sum of v[k + 2m]
    for (int q = 0; q < 8; ++q) out[q] = s[4 * (q % 2) + q / 2];
  }
};

template <>
struct Lanes<double> {
  using Vec = __m256d;
  static constexpr int kWidth = 4;
  static Vec zero() { return _mm256_setzero_pd(); }
  static Vec set1(double s) { return _mm256_set1_pd(s); }
  static Vec load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, Vec v) { _mm256_storeu_pd(p, v); }
  static Vec loadPartial(const double* p, int n) {
    const __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
    return _mm256_maskload_pd(p, _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), lane));
  }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_pd(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm256_mul_pd(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }
  static Vec fnma(Vec a, Vec b, Vec c) { return _mm256_fnmadd_pd(a, b, c); }
  using Wide = Vec;
  static Wide wideZero() { return _mm256_setzero_pd(); }
  static void wideAdd(Wide& acc, Vec v) { acc = _mm256_add_pd(acc, v); }
  static double wideSum(const Wide& acc) { return sum(acc); }
  static void reduce(const Vec* v, double* out) {
    Vec u[2];
    for (int i = 0; i < 2; ++i)  // group k of u[i] holds 2 partial sums of v[2i + k]
      u[i] = _mm256_add_pd(_mm256_permute2f128_pd(v[2 * i], v[2 * i + 1], 0x20),
                           _mm256_permute2f128_pd(v[2 * i], v[2 * i + 1], 0x31));
    const Vec z = _mm256_add_pd(_mm256_unpacklo_pd(u[0], u[1]), _mm256_unpackhi_pd(u[0], u[1]));
    alignas(32) double s[4];
    _mm256_store_pd(s, z);  // lane 2k + m holds the sum of v[k + 2m]
    for (int q = 0; q < 4; ++q) out[q] = s[2 * (q % 2) + q / 2];
  }
};

#include "simd_fused.inc"

}  // namespace avx2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // VMFA_HAVE_X86_DISPATCH

/// \brief log p(x_j, c) for b points (`logJoints`) on `path`; returns false (and computes nothing)
/// when the path is `Generic` or H > 8, for the caller's portable code.
template <typename Scalar>
inline bool logJoints(KernelPath path, int H, const Scalar* const* x, Index b, Index D, const Scalar* mu,
                      const Scalar* ip, const Scalar* lam, const Scalar* R, Scalar logNorm, Scalar* maha, Scalar* white,
                      Scalar* norm, Index* refine, Scalar* out) {
  if (H < 0 || H > 8) return false;
#if VMFA_HAVE_X86_DISPATCH
  if (path == KernelPath::Avx512) {
    avx512::logJointsDispatch<Scalar>(H, x, b, D, mu, ip, lam, R, logNorm, maha, white, norm, refine, out);
    return true;
  }
  if (path == KernelPath::Avx2) {
    avx2::logJointsDispatch<Scalar>(H, x, b, D, mu, ip, lam, R, logNorm, maha, white, norm, refine, out);
    return true;
  }
#else
  (void)path, (void)x, (void)b, (void)D, (void)mu, (void)ip, (void)lam, (void)R, (void)logNorm, (void)maha,
      (void)white, (void)norm, (void)refine, (void)out;
#endif
  return false;
}

/// \brief R⁻¹ Λᵀ Ψ⁻¹ (x_j − μ) for b points into white (H × b), through the fused pass
/// (`fusedBlock`; maha and norm are scratch of b values) on `path`; false (nothing computed) when
/// the path is `Generic` or H is outside [1, 8].
template <typename Scalar>
inline bool whiten(KernelPath path, int H, const Scalar* const* x, Index b, Index D, const Scalar* mu, const Scalar* ip,
                   const Scalar* lam, const Scalar* R, Scalar* maha, Scalar* white, Scalar* norm) {
  if (H < 1 || H > 8) return false;
#if VMFA_HAVE_X86_DISPATCH
  if (path == KernelPath::Avx512) {
    avx512::fusedBlockDispatch<Scalar>(H, x, b, D, mu, ip, lam, R, maha, white, norm);
    return true;
  }
  if (path == KernelPath::Avx2) {
    avx2::fusedBlockDispatch<Scalar>(H, x, b, D, mu, ip, lam, R, maha, white, norm);
    return true;
  }
#else
  (void)path, (void)x, (void)b, (void)D, (void)mu, (void)ip, (void)lam, (void)R, (void)maha, (void)white, (void)norm;
#endif
  return false;
}

/// \brief The M-step's sums of one component over b points (`moments`: ye = Σ_j (x_j − μ) zw_jᵀ,
/// D × (H + 1); syy = Σ_j zw_j[H] (x_j − μ)², elementwise) on `path`; false (nothing computed)
/// when the path is `Generic` or H is outside [1, 8].
template <typename Scalar>
inline bool moments(KernelPath path, int H, const Scalar* const* x, Index b, Index D, const Scalar* mu, const Scalar* zw,
                    Scalar* ye, Scalar* syy) {
  if (H < 1 || H > 8) return false;
#if VMFA_HAVE_X86_DISPATCH
  if (path == KernelPath::Avx512) {
    avx512::momentsDispatch<Scalar>(H, x, b, D, mu, zw, ye, syy);
    return true;
  }
  if (path == KernelPath::Avx2) {
    avx2::momentsDispatch<Scalar>(H, x, b, D, mu, zw, ye, syy);
    return true;
  }
#else
  (void)path, (void)x, (void)b, (void)D, (void)mu, (void)zw, (void)ye, (void)syy;
#endif
  return false;
}

}  // namespace simd
}  // namespace detail
}  // namespace vmfa
