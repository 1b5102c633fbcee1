/// \file npy.hpp
/// \brief Reading and writing numpy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Supported: little-endian float32 (`<f4`) and float64 (`<f8`) arrays of 1 or 2 dimensions in C or
/// Fortran order for reading; float32, float64 and int32/int64 for writing. Anything else (other
/// dtypes, big-endian, 3-D, truncated data, a malformed header) throws `vmfa::FileError` naming the
/// function, the file and the offending value. Reading maps the file into memory, so an N × D
/// C-order array of the requested type is used in place without a copy.
///
/// Data files hold N × D arrays, one point per row (the numpy convention); vmfa works on D × N
/// column-major matrices, which is the same memory.
#pragma once

#include "detail/file.hpp"
#include "errors.hpp"
#include "parameters.hpp"

#include <Eigen/Core>

#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace vmfa {
namespace npy {

/// \brief What the header of a .npy file says.
struct Header {
  char kind = 'f';               ///< 'f' float, 'i' signed integer, 'u' unsigned, 'b' bool, ...
  int wordSize = 0;              ///< bytes per element
  bool littleEndian = true;
  bool fortranOrder = false;
  std::vector<Index> shape;      ///< 0, 1, 2 or more dimensions
  std::string descr;             ///< e.g. "<f4"
  std::size_t dataOffset = 0;    ///< byte offset of the data
};

namespace detail {

inline std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

/// Value text of `key` in the header dictionary (up to the next top-level ',' or '}').
inline std::string dictValue(const std::string& dict, const std::string& key, const std::string& where) {
  const std::string k1 = "'" + key + "'", k2 = "\"" + key + "\"";
  std::size_t p = dict.find(k1);
  std::size_t klen = k1.size();
  if (p == std::string::npos) {
    p = dict.find(k2);
    klen = k2.size();
  }
  if (p == std::string::npos) throw FileError(where + ": the header has no '" + key + "' entry");
  p = dict.find(':', p + klen);
  if (p == std::string::npos) throw FileError(where + ": malformed header near '" + key + "'");
  ++p;
  int depth = 0;
  std::size_t e = p;
  for (; e < dict.size(); ++e) {
    const char ch = dict[e];
    if (ch == '(' || ch == '[') ++depth;
    else if (ch == ')' || ch == ']') --depth;
    else if ((ch == ',' || ch == '}') && depth == 0) break;
  }
  return trim(dict.substr(p, e - p));
}

}  // namespace detail

/// Parses the header of a .npy file held in memory. Throws FileError on anything malformed.
inline Header parseHeader(const unsigned char* data, std::size_t size, const std::string& where) {
  static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(data, magic, 6) != 0)
    throw FileError(where + ": not a .npy file (bad magic" + (size < 10 ? ", file too short)" : ")"));
  const int major = data[6];
  std::size_t headerLen = 0, prefix = 0;
  if (major == 1) {
    headerLen = vmfa::detail::getLE<std::uint16_t>(data + 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) throw FileError(where + ": truncated header");
    headerLen = vmfa::detail::getLE<std::uint32_t>(data + 8);
    prefix = 12;
  } else {
    throw FileError(vmfa::detail::concat(where, ": unsupported .npy format version ", major, ".", int(data[7])));
  }
  if (prefix + headerLen > size) throw FileError(where + ": truncated header");
  const std::string dict(reinterpret_cast<const char*>(data + prefix), headerLen);
  Header h;
  h.dataOffset = prefix + headerLen;
  std::string descr = detail::dictValue(dict, "descr", where);
  if (!descr.empty() && descr.front() == '[') throw FileError(where + ": structured arrays are not supported");
  if (descr.size() < 4 || (descr.front() != '\'' && descr.front() != '"') || descr.back() != descr.front())
    throw FileError(where + ": malformed dtype description " + descr);
  descr = descr.substr(1, descr.size() - 2);
  h.descr = descr;
  if (descr.size() < 3) throw FileError(where + ": unsupported dtype '" + descr + "'");
  h.littleEndian = descr[0] == '<' || descr[0] == '|';
  h.kind = descr[1];
  const std::string word = descr.substr(2);
  if (word.size() > 2 || word.find_first_not_of("0123456789") != std::string::npos || std::stoi(word) < 1)
    throw FileError(where + ": unsupported dtype '" + descr + "'");
  h.wordSize = std::stoi(word);
  const std::string fortran = detail::dictValue(dict, "fortran_order", where);
  if (fortran == "True") h.fortranOrder = true;
  else if (fortran == "False") h.fortranOrder = false;
  else throw FileError(where + ": malformed fortran_order '" + fortran + "'");
  const std::string shape = detail::dictValue(dict, "shape", where);
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')')
    throw FileError(where + ": malformed shape '" + shape + "'");
  // every size the header announces is checked against the file before anything is allocated or
  // read: the entries, their product and the byte count, without overflow
  const std::uint64_t available = size - h.dataOffset;
  std::uint64_t elements = 1;
  bool overflow = false;
  std::string inner = shape.substr(1, shape.size() - 2);
  std::size_t p = 0;
  while (p < inner.size()) {
    std::size_t q = inner.find(',', p);
    if (q == std::string::npos) q = inner.size();
    const std::string item = detail::trim(inner.substr(p, q - p));
    if (!item.empty()) {
      if (item.find_first_not_of("0123456789") != std::string::npos || h.shape.size() >= 32)
        throw FileError(where + ": malformed shape '" + shape + "'");
      if (item.size() > 18) throw FileError(where + ": shape entry " + item + " is too large (shape " + shape + ")");
      const auto extent = static_cast<std::uint64_t>(std::stoll(item));
      overflow = overflow || !vmfa::detail::checkedMultiply(elements, extent, std::uint64_t(1) << 62, &elements);
      h.shape.push_back(static_cast<Index>(extent));
    } else if (q < inner.size() && inner.find_first_not_of(" ,", q) != std::string::npos) {
      throw FileError(where + ": malformed shape '" + shape + "'");
    }
    p = q + 1;
  }
  std::uint64_t bytes = 0;
  if (overflow || !vmfa::detail::checkedMultiply(elements, static_cast<std::uint64_t>(h.wordSize), available, &bytes))
    throw FileError(vmfa::detail::concat(where, ": truncated data: the header announces ",
                                         overflow ? std::string("more than 2^62 elements")
                                                  : vmfa::detail::concat(elements, " x ", h.wordSize, " bytes"),
                                         " (shape ", shape, "), the file holds ", available));
  return h;
}

/// \brief A .npy file mapped into memory with its parsed header.
class MappedArray {
 public:
  explicit MappedArray(const std::string& path, const char* function = "vmfa::npy::read")
      : path_(path), file_(path, function) {
    header_ = parseHeader(file_.data(), file_.size(), vmfa::detail::concat(function, ": '", path, "'"));
  }
  const Header& header() const { return header_; }
  const unsigned char* data() const { return file_.data() + header_.dataOffset; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  vmfa::detail::MappedFile file_;
  Header header_;
};

/// \brief An N × D float array read as D × N points of type Scalar: zero-copy when the file is a
/// C-order array of Scalar (the data stay memory-mapped), converted otherwise.
template <typename Scalar>
class Points {
 public:
  using ConstMap = Eigen::Map<const Matrix<Scalar>>;

  /// Reads `path`. A 1-D array of length N is read as N points of dimension 1.
  explicit Points(const std::string& path, const char* function = "vmfa::npy::Points") : Points(path, function, 0, 1) {}

  /// Reads part `part` of `parts` of `path`: the rows [N·part/parts, N·(part+1)/parts) (one
  /// process's shard of a distributed fit). A mapped file is read only there; a converted one
  /// converts only those rows. \throws InvalidArgument unless 0 <= part < parts.
  Points(const std::string& path, const char* function, Index part, Index parts)
      : array_(std::make_shared<MappedArray>(path, function)) {
    vmfa::detail::require(parts >= 1 && part >= 0 && part < parts, function, "part ", part, " of ", parts,
                          " is not in [0, ", parts, ")");
    const Header& h = array_->header();
    const auto shape = pointsShape(h, vmfa::detail::concat(function, ": '", path, "'"));
    total_ = shape.first;
    D_ = shape.second;
    first_ = total_ * part / parts;
    N_ = total_ * (part + 1) / parts - first_;
    const bool inPlace = h.wordSize == static_cast<int>(sizeof(Scalar)) && (!h.fortranOrder || D_ == 1 || total_ == 1) &&
                         reinterpret_cast<std::uintptr_t>(array_->data()) % alignof(Scalar) == 0 &&
                         vmfa::detail::hostIsLittleEndian();
    if (inPlace) {
      ptr_ = reinterpret_cast<const Scalar*>(array_->data()) + first_ * D_;
    } else {
      owned_ = convertPoints(h, array_->data(), first_, N_);
      ptr_ = owned_.data();
      array_.reset();
    }
  }

  /// (N, D) of an array that `parseHeader` accepted, read as points: a float32/float64 array of 1
  /// or 2 dimensions with at least one element. \throws FileError naming `where`.
  static std::pair<Index, Index> pointsShape(const Header& h, const std::string& where) {
    if (h.kind != 'f' || (h.wordSize != 4 && h.wordSize != 8) || !h.littleEndian)
      throw FileError(where + " has dtype '" + h.descr + "'; only float32 ('<f4') and float64 ('<f8') are supported");
    if (h.shape.size() != 1 && h.shape.size() != 2)
      throw FileError(vmfa::detail::concat(where, " has ", h.shape.size(), " dimensions; expected a 2-D N x D array"));
    const Index N = h.shape[0], D = h.shape.size() == 2 ? h.shape[1] : 1;
    if (N == 0 || D == 0)
      throw FileError(vmfa::detail::concat(where, " holds no data (shape (", N, h.shape.size() == 2 ? ", " : "",
                                           h.shape.size() == 2 ? std::to_string(D) : std::string(), "))"));
    return {N, D};
  }

  /// The D × count points from row `first` of the data at `payload` (checked by `parseHeader`
  /// and `pointsShape`), converted to Scalar (all of them by default).
  static Matrix<Scalar> convertPoints(const Header& h, const unsigned char* payload, Index first = 0, Index count = -1) {
    const Index N = h.shape[0], D = h.shape.size() == 2 ? h.shape[1] : 1;
    if (count < 0) count = N - first;
    Matrix<Scalar> out(D, count);
    for (Index j = 0; j < count; ++j)
      for (Index d = 0; d < D; ++d) {
        const Index n = first + j, i = h.fortranOrder ? d * N + n : n * D + d;
        const unsigned char* p = payload + static_cast<std::size_t>(i) * static_cast<std::size_t>(h.wordSize);
        out(d, j) = h.wordSize == 4 ? static_cast<Scalar>(vmfa::detail::getLE<float>(p))
                                    : static_cast<Scalar>(vmfa::detail::getLE<double>(p));
      }
    return out;
  }

  /// Points read (the rows of this part).
  Index numPoints() const { return N_; }
  /// Points in the file.
  Index totalPoints() const { return total_; }
  /// The file's row of the first point read.
  Index firstRow() const { return first_; }
  Index dim() const { return D_; }
  /// True when the points are read in place from the mapped file.
  bool mapped() const { return static_cast<bool>(array_); }
  /// The points, D × N.
  ConstMap matrix() const { return ConstMap(ptr_, D_, N_); }

 private:
  std::shared_ptr<MappedArray> array_;
  Matrix<Scalar> owned_;
  const Scalar* ptr_ = nullptr;
  Index N_ = 0, D_ = 0, total_ = 0, first_ = 0;
};

/// Reads a 1-D float array (e.g. sample weights) as doubles.
inline Eigen::VectorXd readVector(const std::string& path, const char* function = "vmfa::npy::readVector") {
  Points<double> p(path, function);
  if (p.dim() != 1 && p.numPoints() != 1)
    throw FileError(vmfa::detail::concat(function, ": '", path, "' has shape (", p.numPoints(), ", ", p.dim(),
                                         "); expected a 1-D array"));
  return Eigen::Map<const Eigen::VectorXd>(p.matrix().data(), p.matrix().size());
}

namespace detail {
template <typename T>
inline const char* descrOf() {
  if (std::is_same<T, float>::value) return "<f4";
  if (std::is_same<T, double>::value) return "<f8";
  if (std::is_same<T, std::int32_t>::value) return "<i4";
  if (std::is_same<T, std::int64_t>::value) return "<i8";
  return nullptr;
}
}  // namespace detail

/// \brief The bytes of a .npy file (format 1.0) holding `values` as a C-order array of `shape`.
template <typename T>
inline std::vector<unsigned char> encode(const T* values, const std::vector<Index>& shape) {
  static_assert(std::is_same<T, float>::value || std::is_same<T, double>::value ||
                    std::is_same<T, std::int32_t>::value || std::is_same<T, std::int64_t>::value,
                "vmfa::npy supports writing float, double, int32 and int64");
  std::string dict = std::string("{'descr': '") + detail::descrOf<T>() + "', 'fortran_order': False, 'shape': (";
  Index count = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]) + (shape.size() == 1 ? "," : (i + 1 < shape.size() ? ", " : ""));
    count *= shape[i];
  }
  dict += "), }";
  std::size_t total = 10 + dict.size() + 1;
  const std::size_t pad = (64 - total % 64) % 64;
  dict.append(pad, ' ');
  dict += '\n';
  std::vector<unsigned char> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  vmfa::detail::putLE<std::uint16_t>(out, static_cast<std::uint16_t>(dict.size()));
  out.insert(out.end(), dict.begin(), dict.end());
  out.reserve(out.size() + static_cast<std::size_t>(count) * sizeof(T));
  for (Index i = 0; i < count; ++i) vmfa::detail::putLE<T>(out, values[i]);
  return out;
}

/// \brief Writes `values` as a C-order array of the given shape (atomically). \throws FileError.
template <typename T>
inline void write(const std::string& path, const T* values, const std::vector<Index>& shape,
                  const char* function = "vmfa::npy::write") {
  const std::vector<unsigned char> bytes = encode(values, shape);
  vmfa::detail::writeFileAtomic(path, bytes.data(), bytes.size(), function);
}

/// Writes D × N points (column-major) as an N × D C-order array: the same memory.
template <typename Derived>
inline void writePoints(const std::string& path, const Eigen::MatrixBase<Derived>& points) {
  using T = typename Derived::Scalar;
  const Matrix<T> m = points;  // contiguous column-major copy
  write<T>(path, m.data(), {m.cols(), m.rows()}, "vmfa::npy::writePoints");
}

}  // namespace npy
}  // namespace vmfa
