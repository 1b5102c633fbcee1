/// \file detail/bytes.hpp
/// \brief Records of trivially copyable values packed into the byte buffers the processes of a
/// distributed fit exchange (`Collective::gather`, `broadcast`), and read back with every length
/// checked: a message that ends early or holds a partial record throws instead of being read past.
#pragma once

#include "../errors.hpp"

#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace vmfa {
namespace detail {

/// Appends values and arrays to a byte buffer in the machine's representation (every process of
/// a fit runs the same program on the same kind of machine).
class ByteWriter {
 public:
  explicit ByteWriter(std::size_t reserve = 0) { bytes_.reserve(reserve); }

  template <typename T>
  ByteWriter& put(const T& value) {
    static_assert(std::is_trivially_copyable<T>::value, "ByteWriter::put copies bytes");
    return put(&value, 1);
  }
  /// `count` values from `values`.
  template <typename T>
  ByteWriter& put(const T* values, std::size_t count) {
    static_assert(std::is_trivially_copyable<T>::value, "ByteWriter::put copies bytes");
    const std::size_t at = bytes_.size();
    bytes_.resize(at + count * sizeof(T));
    if (count > 0) std::memcpy(bytes_.data() + at, values, count * sizeof(T));
    return *this;
  }

  std::size_t size() const { return bytes_.size(); }
  /// The buffer (the writer is left empty).
  std::vector<char> take() { return std::move(bytes_); }

 private:
  std::vector<char> bytes_;
};

/// Reads what a `ByteWriter` wrote, in the same order. Every read is checked against the bytes
/// left; `where` and `source` (e.g. "process 2") name the message in the error.
class ByteReader {
 public:
  ByteReader(const std::vector<char>& bytes, const char* where, std::string source)
      : data_(bytes.data()), end_(bytes.data() + bytes.size()), where_(where), source_(std::move(source)) {}

  template <typename T>
  T get() {
    T value;
    get(&value, 1);
    return value;
  }
  /// `count` values into `out`.
  template <typename T>
  void get(T* out, std::size_t count) {
    static_assert(std::is_trivially_copyable<T>::value, "ByteReader::get copies bytes");
    const std::size_t n = count * sizeof(T);
    require(n <= left(), where_, source_, " sent a truncated message: ", n, " more bytes expected, ", left(), " left");
    if (n > 0) std::memcpy(out, data_, n);
    data_ += n;
  }

  std::size_t left() const { return static_cast<std::size_t>(end_ - data_); }
  bool done() const { return data_ == end_; }
  /// The number of records of `record` bytes left; throws unless the bytes left are a whole number of them.
  std::size_t records(std::size_t record) const {
    require(record > 0 && left() % record == 0, where_, source_, " sent ", left(), " bytes, not a whole number of ",
            record, "-byte records");
    return left() / record;
  }

 private:
  const char* data_;
  const char* end_;
  const char* where_;
  std::string source_;
};

}  // namespace detail
}  // namespace vmfa
