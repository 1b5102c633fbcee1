/// \file version.hpp
/// \brief The library version: defined here once (CMake reads these three lines for the project's
/// version and the package's version file).
#pragma once

#define VMFA_VERSION_MAJOR 0
#define VMFA_VERSION_MINOR 2
#define VMFA_VERSION_PATCH 0

#define VMFA_DETAIL_STRINGIFY2(x) #x
#define VMFA_DETAIL_STRINGIFY(x) VMFA_DETAIL_STRINGIFY2(x)
/// The version as a string literal, "major.minor.patch".
#define VMFA_VERSION_STRING                                                                       \
  VMFA_DETAIL_STRINGIFY(VMFA_VERSION_MAJOR) "." VMFA_DETAIL_STRINGIFY(VMFA_VERSION_MINOR) "." \
      VMFA_DETAIL_STRINGIFY(VMFA_VERSION_PATCH)

namespace vmfa {
/// The library version as "major.minor.patch".
inline const char* version() { return VMFA_VERSION_STRING; }
}  // namespace vmfa
