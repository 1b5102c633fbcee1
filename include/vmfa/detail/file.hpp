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
#include <type_traits>
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

/// Whether decoders verify checksums. Fuzzing builds (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION,
/// the convention of libFuzzer and OSS-Fuzz) skip the check so that mutated inputs reach the
/// parsers behind it; every other build verifies.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kVerifyChecksums = false;
#else
constexpr bool kVerifyChecksums = true;
#endif

/// FNV-1a 64-bit hash of a byte range.
inline std::uint64_t fnv1a(const unsigned char* p, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// \brief Byte sinks: where the encoders write (`write(const unsigned char*, std::size_t)`). An
/// encoder written against a sink streams to a file (`OutputFiles::add` with a writer) or fills a
/// vector (`VectorSink`) with the same code.
struct VectorSink {
  std::vector<unsigned char>& out;
  void write(const unsigned char* p, std::size_t n) { out.insert(out.end(), p, p + n); }
};

/// Forwards to another sink and computes the FNV-1a hash of everything written on the way.
template <typename Sink>
struct HashingSink {
  Sink& inner;
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  void write(const unsigned char* p, std::size_t n) {
    hash = fnv1a(p, n, hash);
    inner.write(p, n);
  }
};

/// Writes the little-endian bytes of a trivially copyable value to a sink.
template <typename T, typename Sink>
inline void writeLE(Sink& sink, T value) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  if (!hostIsLittleEndian())
    for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
  sink.write(bytes, sizeof(T));
}

/// Writes n values little-endian: straight from memory on a little-endian host, through a 64 KiB
/// buffer otherwise.
template <typename T, typename Sink>
inline void writeArrayLE(Sink& sink, const T* values, std::size_t n) {
  if (hostIsLittleEndian()) {
    sink.write(reinterpret_cast<const unsigned char*>(values), n * sizeof(T));
    return;
  }
  std::vector<unsigned char> buffer;
  VectorSink vs{buffer};
  for (std::size_t i = 0; i < n; ++i) {
    writeLE(vs, values[i]);
    if (buffer.size() >= 65536 || i + 1 == n) {
      sink.write(buffer.data(), buffer.size());
      buffer.clear();
    }
  }
}

/// a * b, or false when it would exceed `limit` (sizes read from a file are checked with it
/// before anything is allocated or read).
inline bool checkedMultiply(std::uint64_t a, std::uint64_t b, std::uint64_t limit, std::uint64_t* out) {
  if (a != 0 && b > limit / a) return false;
  *out = a * b;
  return *out <= limit;
}

/// "a directory", "a FIFO", ... for a file type that is not a regular file.
inline const char* describeFileType(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// The folder part of a path ("." when it has none).
inline std::string parentFolder(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

/// Identity of an output path: (device, inode) of its folder and its file name, so that two
/// spellings of one path ("a.npy", "./a.npy") compare equal.
struct OutputIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  std::string name;
  bool operator==(const OutputIdentity& o) const { return device == o.device && inode == o.inode && name == o.name; }
};

/// Whether `path` names a regular file (after following links).
inline bool isRegularFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// Checks that `path` can be an output: its folder exists, and the path is absent or a regular
/// file (a symbolic link, device, FIFO, socket or folder is refused: replacing it by renaming a
/// new file over it would destroy what it is). Returns the path's identity. \throws FileError.
inline OutputIdentity checkOutputPath(const std::string& path, const char* where) {
  if (path.empty() || path.back() == '/') throw FileError(concat(where, ": '", path, "' is not a file name"));
  const std::string folder = parentFolder(path);
  struct stat st;
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw FileError(concat(where, ": cannot write '", path, "': the folder '", folder, "' does not exist"));
  const auto slash = path.find_last_of('/');
  OutputIdentity id{st.st_dev, st.st_ino, slash == std::string::npos ? path : path.substr(slash + 1)};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      throw FileError(concat(where, ": '", path, "' is ", describeFileType(st.st_mode),
                             "; refusing to replace it (outputs must be regular files or new paths)"));
  } else if (errno != ENOENT) {
    throw FileError(concat(where, ": cannot write '", path, "': ", std::strerror(errno)));
  }
  return id;
}

/// \brief A set of output files written all or none: each `add` writes its bytes to a temporary
/// file next to its target and flushes it to disk; `commit` renames them all over their targets.
/// A failure before `commit` (a folder that does not exist, a full disk, a file-size limit, an
/// exception anywhere) leaves every target as it was and removes the temporary files. A crash
/// (even SIGKILL) at any point leaves each target either old or new, never partly written.
class OutputFiles {
 public:
  explicit OutputFiles(const char* where) : where_(where) {}
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;
  ~OutputFiles() {
    for (const auto& f : files_) ::unlink(f.temporary.c_str());
  }

  /// A sink that writes to a file descriptor through a 1 MiB buffer (large writes go straight
  /// through). \throws FileError naming the target on any failure.
  class FileSink {
   public:
    FileSink(int fd, const std::string& path, const char* where) : fd_(fd), path_(path), where_(where) {
      buffer_.reserve(kBuffer);
    }
    void write(const unsigned char* p, std::size_t n) {
      written_ += n;
      if (buffer_.size() + n <= kBuffer) {
        buffer_.insert(buffer_.end(), p, p + n);
        return;
      }
      flush();
      if (n >= kBuffer) writeAll(p, n);
      else buffer_.insert(buffer_.end(), p, p + n);
    }
    void flush() {
      writeAll(buffer_.data(), buffer_.size());
      buffer_.clear();
    }
    std::uint64_t written() const { return written_; }

   private:
    static constexpr std::size_t kBuffer = std::size_t(1) << 20;
    void writeAll(const unsigned char* p, std::size_t n) {
      std::size_t done = 0;
      while (done < n) {
        const ssize_t w = ::write(fd_, p + done, n - done);
        if (w < 0) {
          if (errno == EINTR) continue;
          throw FileError(concat(where_, ": cannot write '", path_, "' (", written_, " bytes so far): ", std::strerror(errno)));
        }
        done += static_cast<std::size_t>(w);
      }
    }
    int fd_;
    const std::string& path_;
    const char* where_;
    std::vector<unsigned char> buffer_;
    std::uint64_t written_ = 0;
  };

  /// Writes `path`'s contents to a temporary file in its folder: `writer(FileSink&)` streams them
  /// (the whole file is never held in memory), then the file is flushed to disk. \throws FileError
  /// (the path is refused, given twice, or cannot be written), or what `writer` throws; the
  /// temporary file is removed with the OutputFiles.
  template <typename Writer, std::enable_if_t<std::is_invocable_v<Writer&, FileSink&>, int> = 0>
  void add(const std::string& path, Writer&& writer) {
    const OutputIdentity id = checkOutputPath(path, where_);
    for (const auto& f : files_)
      if (f.id == id) throw FileError(concat(where_, ": '", path, "' and '", f.path, "' name the same output file"));
    std::string tmpl = path + ".tmp.XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw FileError(concat(where_, ": cannot create a temporary file next to '", path, "': ", std::strerror(errno)));
    files_.push_back({path, name.data(), id});
    try {
      FileSink sink(fd, path, where_);
      writer(sink);
      sink.flush();
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
      const int e = errno;
      ::close(fd);
      throw FileError(concat(where_, ": cannot flush '", path, "': ", std::strerror(e)));
    }
    if (::close(fd) != 0) throw FileError(concat(where_, ": cannot flush '", path, "': ", std::strerror(errno)));
  }
  /// Writes `size` bytes at `data` as `path`'s contents (see the streaming overload).
  void add(const std::string& path, const unsigned char* data, std::size_t size) {
    add(path, [&](FileSink& sink) { sink.write(data, size); });
  }
  void add(const std::string& path, const std::vector<unsigned char>& bytes) { add(path, bytes.data(), bytes.size()); }

  /// Renames every temporary file over its target (the targets are checked again first), then
  /// flushes the folders. \throws FileError; the targets renamed before a failure keep their
  /// new contents (a rename fails only if a target is replaced by a folder meanwhile).
  void commit() {
    for (const auto& f : files_) checkOutputPath(f.path, where_);
    while (!files_.empty()) {
      const Staged f = files_.front();
      if (::rename(f.temporary.c_str(), f.path.c_str()) != 0)
        throw FileError(concat(where_, ": cannot rename the temporary file to '", f.path, "': ", std::strerror(errno)));
      files_.erase(files_.begin());
      const int dir = ::open(parentFolder(f.path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir >= 0) {
        ::fsync(dir);  // the rename itself reaches the disk
        ::close(dir);
      }
    }
  }

 private:
  struct Staged {
    std::string path, temporary;
    OutputIdentity id;
  };
  const char* where_;
  std::vector<Staged> files_;
};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written, flushed to
/// disk and renamed over `path`, so a crash leaves either the old file or the new one, never a mix.
/// `path` must be absent or a regular file (see `checkOutputPath`). \throws FileError.
inline void writeFileAtomic(const std::string& path, const unsigned char* data, std::size_t size, const char* where) {
  OutputFiles out(where);
  out.add(path, data, size);
  out.commit();
}

/// A whole file mapped read-only into memory (the OS pages it in on demand, so files larger than
/// memory can be read). Move-only.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const std::string& path, const char* where) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; anything but a regular file is refused
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) throw FileError(concat(where, ": cannot open '", path, "': ", std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      const mode_t mode = st.st_mode;
      ::close(fd_);
      throw FileError(concat(where, ": '", path, "' is ", describeFileType(mode), ", not a regular file"));
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
