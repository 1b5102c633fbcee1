/// \file file.hpp
/// \brief Low-level file helpers: explicit little-endian encoding, FNV-1a checksums, atomic writes
/// (temporary file in the same folder, flush, fsync, rename) and read-only memory mapping.
#pragma once

#include "../errors.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vmfa {

namespace detail {

inline bool hostIsLittleEndian() {
  const std::uint16_t one = 1;
  unsigned char b;
  std::memcpy(&b, &one, 1);
  return b == 1;
}

/// Appends the little-endian bytes of a trivially copyable value.
template <typename T>
inline void putLE(std::vector<unsigned char>& out, T value) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  if (!hostIsLittleEndian())
    for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

/// Reads a little-endian value at `pos` (the caller checks the bounds).
template <typename T>
inline T getLE(const unsigned char* p) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, p, sizeof(T));
  if (!hostIsLittleEndian())
    for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
  T v;
  std::memcpy(&v, bytes, sizeof(T));
  return v;
}

/// FNV-1a 64-bit hash of a byte range.
inline std::uint64_t fnv1a(const unsigned char* p, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written, flushed to
/// disk and renamed over `path`, so a crash leaves either the old file or the new one, never a mix.
inline void writeFileAtomic(const std::string& path, const unsigned char* data, std::size_t size, const char* where) {
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) throw FileError(concat(where, ": cannot create a temporary file next to '", path, "': ", std::strerror(errno)));
  std::size_t done = 0;
  while (done < size) {
    const ssize_t w = ::write(fd, data + done, size - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      ::unlink(name.data());
      throw FileError(concat(where, ": cannot write '", path, "': ", std::strerror(e)));
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int e = errno;
    ::unlink(name.data());
    throw FileError(concat(where, ": cannot flush '", path, "': ", std::strerror(e)));
  }
  ::chmod(name.data(), 0644);
  if (::rename(name.data(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(name.data());
    throw FileError(concat(where, ": cannot rename the temporary file to '", path, "': ", std::strerror(e)));
  }
}

/// A whole file mapped read-only into memory (the OS pages it in on demand, so files larger than
/// memory can be read). Move-only.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const std::string& path, const char* where) {
    fd_ = ::open(path.c_str(), O_RDONLY);
    if (fd_ < 0) throw FileError(concat(where, ": cannot open '", path, "': ", std::strerror(errno)));
    struct stat st;
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw FileError(concat(where, ": '", path, "' is not a regular file"));
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (p == MAP_FAILED) {
        ::close(fd_);
        throw FileError(concat(where, ": cannot map '", path, "': ", std::strerror(errno)));
      }
      data_ = static_cast<const unsigned char*>(p);
    }
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& o) noexcept { swap(o); }
  MappedFile& operator=(MappedFile&& o) noexcept {
    MappedFile tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }

  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void swap(MappedFile& o) noexcept {
    std::swap(fd_, o.fd_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
  }
  int fd_ = -1;
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace vmfa
