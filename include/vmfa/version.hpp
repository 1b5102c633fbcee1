/// \file version.hpp
/// \brief The library version.
#pragma once

#define VMFA_VERSION_MAJOR 0
#define VMFA_VERSION_MINOR 1
#define VMFA_VERSION_PATCH 0

namespace vmfa {
/// The library version as "major.minor.patch".
inline const char* version() { return "0.1.0"; }
}  // namespace vmfa
