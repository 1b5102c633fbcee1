/// \file seeding/interrupt.hpp
/// \brief How the initialisation stops when `Options::interrupt` asks the fit to.
#pragma once

#include "../context.hpp"

namespace vmfa {
namespace detail {

/// Thrown by the seeding when `Options::interrupt` asks the fit to stop; `Model` catches it.
struct InitialisationInterrupted {};

/// Throws InitialisationInterrupted when the fit has been asked to stop, on every process if on
/// any (a collective call: every process polls at the same points).
template <typename Scalar>
inline void pollInterrupt(const FitContext<Scalar>& ctx) {
  if (ctx.collective.any(ctx.interrupted())) throw InitialisationInterrupted{};
}

}  // namespace detail
}  // namespace vmfa
