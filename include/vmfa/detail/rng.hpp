/// \file rng.hpp
/// \brief Counter-based random streams: every draw is a function of (seed, keys...), never of the
/// thread that makes it, so a fit gives the same model whatever the number of threads.
///
/// The generator is SplitMix64 (Steele, Lea, Flood 2014) whose starting state is a hash of the
/// seed and the stream keys (e.g. iteration and point index). All distributions are implemented
/// here rather than taken from `<random>`, whose distributions differ between standard libraries.
#pragma once

#include <cmath>
#include <cstdint>

namespace vmfa {
namespace detail {

/// Stafford's "mix13" 64-bit finaliser: a bijection with good avalanche behaviour.
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// High 64 bits of the 128-bit product a·b (portable).
inline std::uint64_t mulHigh(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t aLo = a & 0xffffffffULL, aHi = a >> 32, bLo = b & 0xffffffffULL, bHi = b >> 32;
  const std::uint64_t lolo = aLo * bLo, hilo = aHi * bLo, lohi = aLo * bHi, hihi = aHi * bHi;
  const std::uint64_t cross = (lolo >> 32) + (hilo & 0xffffffffULL) + lohi;
  return hihi + (hilo >> 32) + (cross >> 32);
}

/// A small random stream keyed by a seed and up to three counters.
class Random {
 public:
  explicit Random(std::uint64_t seed, std::uint64_t a = 0, std::uint64_t b = 0, std::uint64_t c = 0) {
    std::uint64_t s = mix64(seed + 0x9e3779b97f4a7c15ULL);
    s = mix64(s ^ (a + 0x632be59bd9b4e019ULL));
    s = mix64(s ^ (b + 0x85157af5ULL * 0x100000001ULL));
    s = mix64(s ^ (c + 0xd6e8feb86659fd93ULL));
    state_ = s;
  }

  /// Next 64 random bits.
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }

  /// Moves the stream k draws of `next()` ahead (as if k draws had been made), in O(1).
  void skip(std::uint64_t k) { state_ += k * 0x9e3779b97f4a7c15ULL; }
  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform double in (0, 1).
  double uniformOpen() { return (static_cast<double>(next() >> 12) + 0.5) * 0x1.0p-52; }

  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-64 n).
  std::uint64_t below(std::uint64_t n) {
    return mulHigh(next(), n);
  }

  /// Poisson draw of mean λ >= 0: by products of uniforms below λ = 30 (Knuth), above by Hörmann's
  /// transformed rejection with squeeze (PTRS, 1993); both exact.
  std::uint64_t poisson(double lambda) {
    if (!(lambda > 0.0)) return 0;
    if (lambda < 30.0) {
      const double limit = std::exp(-lambda);
      std::uint64_t k = 0;
      for (double prod = uniform(); prod > limit; prod *= uniform()) ++k;
      return k;
    }
    const double slam = std::sqrt(lambda), loglam = std::log(lambda);
    const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    const double invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
      const double u = uniform() - 0.5, v = uniform(), us = 0.5 - std::abs(u);
      const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
      if (k < 0.0 || (us < 0.013 && v > us)) continue;
      if (std::log(v) + std::log(invAlpha) - std::log(a / (us * us) + b) <= -lambda + k * loglam - std::lgamma(k + 1.0))
        return static_cast<std::uint64_t>(k);
    }
  }

  /// Standard normal draw (Box-Muller; both values are used).
  double normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    const double u1 = uniformOpen();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double t = 6.283185307179586476925286766559 * u2;
    spare_ = r * std::sin(t);
    hasSpare_ = true;
    return r * std::cos(t);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0.0;
  bool hasSpare_ = false;
};

/// Stream identifiers, so that draws for different purposes never share a stream (docs/design.md,
/// "Determinism", lists the keys of each). Id 6 is unused: ids are never renumbered, since that
/// would change every draw of the later streams.
enum class Stream : std::uint64_t {
  Init = 1,
  Loadings = 2,
  Assignment = 3,
  Graph = 4,
  Candidates = 5,
  Sample = 7,
  ImageNoise = 8,
  ImagePoisson = 9,
};

inline std::uint64_t key(Stream s) { return static_cast<std::uint64_t>(s); }

}  // namespace detail
}  // namespace vmfa
