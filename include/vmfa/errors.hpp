/// \file errors.hpp
/// \brief Exception types thrown by vmfa and the helpers that build their messages.
///
/// Every public entry point validates its input once and throws `vmfa::InvalidArgument`
/// (derived from `std::invalid_argument`) with a message of the form
/// `"vmfa::Model::fit: data has 3 rows but the model has dimension 5"`: the function first, then
/// the offending values. Numerical trouble during a fit is never an exception: it is reported as
/// `vmfa::FitStatus::NumericalIssue` in the result.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace vmfa {

/// \brief Thrown when an argument is out of range, has the wrong shape or is not finite.
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// \brief Thrown when a file cannot be read or written, or its content is invalid (truncated,
/// corrupt, wrong magic, unsupported version or type). Derived from std::invalid_argument.
class FileError : public InvalidArgument {
 public:
  using InvalidArgument::InvalidArgument;
};

/// \brief Thrown when a method needs a fitted (or explicitly parameterised) model and has none.
class NotFitted : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace detail {

/// Concatenates its arguments with `operator<<` into one string.
template <typename... Args>
inline std::string concat(Args&&... args) {
  std::ostringstream os;
  os.precision(17);
  (os << ... << std::forward<Args>(args));
  return os.str();
}

/// Throws `InvalidArgument` with the message `"<where>: <what...>"`.
template <typename... Args>
[[noreturn]] inline void fail(const char* where, Args&&... what) {
  throw InvalidArgument(concat(where, ": ", std::forward<Args>(what)...));
}

/// Throws `InvalidArgument` unless `condition` holds.
template <typename... Args>
inline void require(bool condition, const char* where, Args&&... what) {
  if (!condition) fail(where, std::forward<Args>(what)...);
}

}  // namespace detail
}  // namespace vmfa
