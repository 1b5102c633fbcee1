// A random MFA for the benchmarks: means N(0, spread²), loadings N(0, 1), noise in [0.1, 0.2],
// equal weights, all drawn from a counter-based stream keyed by the seed.
#pragma once

#include <vmfa/vmfa.hpp>

namespace vmfa_bench {

template <typename S>
vmfa::Parameters<S> randomParameters(vmfa::Index C, vmfa::Index D, vmfa::Index H, std::uint64_t seed,
                                     double spread = 1.0) {
  vmfa::detail::Random rng(seed);
  vmfa::Parameters<S> p;
  p.resize(C, D, H);
  for (vmfa::Index c = 0; c < C; ++c)
    for (vmfa::Index d = 0; d < D; ++d) {
      p.means(d, c) = static_cast<S>(spread * rng.normal());
      p.noise(d, c) = static_cast<S>(0.1 + 0.1 * rng.uniform());
      for (vmfa::Index h = 0; h < H; ++h) p.loadings(d, c * H + h) = static_cast<S>(rng.normal());
    }
  p.weights.setConstant(static_cast<S>(1.0 / static_cast<double>(C)));
  return p;
}

}  // namespace vmfa_bench
