/// \file image_files.hpp
/// \brief Images as files: PNG and JPEG through stb_image and stb_image_write (Debian: libstb-dev;
/// link with -lstb, or the CMake target `vmfa::image_files`), float .npy images (H × W or
/// H × W × 3) through vmfa's own reader and writer, values in [0, 1]. Every file may be hostile:
/// sizes are checked before stb allocates anything, and only PNG and JPEG reach its decoders.
/// Not included by vmfa.hpp (the rest of the library needs no stb).
#pragma once

#include "detail/file.hpp"
#include "errors.hpp"
#include "image.hpp"
#include "npy.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

namespace vmfa {

namespace detail {

/// Whether a JPEG's Huffman tables are safe for stb_image 2.27 (Debian 12's), which writes past its
/// tables when a DHT segment declares more than 256 codes (fixed in stb_image 2.28). Walks the
/// marker segments as stb does (by their lengths before a scan, byte by byte through entropy-coded
/// data) and reads every DHT as stb would.
inline bool jpegTablesSafe(const unsigned char* b, std::size_t size) {
  std::size_t i = 2;  // after SOI
  while (i + 1 < size) {
    if (b[i] != 0xff) {  // entropy-coded data
      ++i;
      continue;
    }
    const unsigned m = b[i + 1];
    if (m == 0xff) {  // fill byte
      ++i;
      continue;
    }
    if (m == 0x00 || m == 0x01 || (m >= 0xd0 && m <= 0xd8)) {  // stuffed byte, TEM, RSTn, SOI: no length
      i += 2;
      continue;
    }
    if (m == 0xd9) return true;  // EOI
    if (i + 4 > size) return true;
    const std::size_t length = (static_cast<std::size_t>(b[i + 2]) << 8) | b[i + 3];
    if (m == 0xc4) {
      long left = static_cast<long>(length) - 2;
      std::size_t p = i + 4;
      while (left > 0) {
        unsigned codes = 0;
        for (std::size_t k = 1; k <= 16; ++k) codes += p + k < size ? b[p + k] : 0;
        if (codes > 256) return false;
        left -= 17 + static_cast<long>(codes);
        p += 17 + codes;
      }
    }
    i += 2 + length;
  }
  return true;
}

/// Whether every chunk of a PNG fits in the file. stb_image allocates a chunk's announced length
/// before it reads the chunk, so a tiny file announcing a huge IDAT would cost that much memory:
/// such files are refused first. Walks the chunks as stb does, up to IEND.
inline bool pngChunksFit(const unsigned char* b, std::size_t size) {
  std::size_t p = 8;  // after the signature
  while (p + 8 <= size) {
    const std::size_t length = (static_cast<std::size_t>(b[p]) << 24) | (static_cast<std::size_t>(b[p + 1]) << 16) |
                               (static_cast<std::size_t>(b[p + 2]) << 8) | b[p + 3];
    if (length > size - p - 8) return false;  // data (and the CRC after it) past the end of the file
    if (std::memcmp(b + p + 4, "IEND", 4) == 0) return true;
    p += 12 + length;
  }
  return true;
}

}  // namespace detail

/// Decodes a PNG or JPEG held in memory (8 or 16 bits; other formats are refused by their
/// signature) with `want` channels (0: as stored; 1: converted to grey by stb) and values in
/// [0, 1]. Images with an alpha channel are rejected when `want` is 0: denoising the alpha channel
/// is not meaningful. Images announcing more than `maxPixels` pixels (when > 0) or more than the
/// machine's memory can hold are refused before they are decoded. \throws FileError naming the
/// function and `name`. The decoder never reads past `size` bytes.
inline Image decodeImage(const unsigned char* bytes, std::size_t size, const std::string& name, int want = 0,
                         double maxPixels = 0.0) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw FileError("vmfa::decodeImage: '" + name + "' is larger than 2 GB; use a .npy image");
  // only PNG and JPEG reach stb: its decoders of other formats (GIF, PSD, PIC, ...) stay unused
  static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, jpeg[3] = {0xff, 0xd8, 0xff};
  if (!(size >= 8 && std::memcmp(bytes, png, 8) == 0) && !(size >= 3 && std::memcmp(bytes, jpeg, 3) == 0))
    throw FileError("vmfa::decodeImage: cannot read image '" + name + "': not a PNG or JPEG file");
  if (bytes[0] == 0x89 && !detail::pngChunksFit(bytes, size))
    throw FileError("vmfa::decodeImage: cannot read image '" + name + "': corrupt PNG (a chunk is longer than the file)");
  if (bytes[0] == 0xff && !detail::jpegTablesSafe(bytes, size))
    throw FileError("vmfa::decodeImage: cannot read image '" + name + "': corrupt JPEG (a Huffman table holds more than 256 codes)");
  const int n = static_cast<int>(size);
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(bytes, n, &w, &h, &channels))
    throw FileError("vmfa::decodeImage: cannot read image '" + name + "': " + stbi_failure_reason());
  // a header may announce any size: refuse what this machine cannot hold before stb allocates it
  const double need = static_cast<double>(w) * h * (want ? want : channels) * (sizeof(unsigned short) + sizeof(float));
  const double memory = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  if (need > memory || (maxPixels > 0.0 && static_cast<double>(w) * h > maxPixels))
    throw FileError("vmfa::decodeImage: '" + name + "' announces " + std::to_string(w) + " x " + std::to_string(h) +
                    " pixels, more than this machine's memory can hold");
  if (want == 0 && (channels == 2 || channels == 4))
    throw FileError("vmfa::decodeImage: '" + name + "' has " + std::to_string(channels) +
                    " channels (with alpha); only grey and RGB images are supported");
  unsigned short* data = stbi_load_16_from_memory(bytes, n, &w, &h, &channels, want);
  if (!data) throw FileError("vmfa::decodeImage: cannot read image '" + name + "': " + stbi_failure_reason());
  Image img(h, w, want ? want : channels);
  for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<float>(data[i]) / 65535.0f;
  stbi_image_free(data);
  return img;
}

/// Reads an 8- or 16-bit image as greyscale (colour is converted by stb) with values in [0, 1].
/// \throws FileError naming the file when it cannot be read.
inline Image loadGrey(const std::string& path) {
  const detail::MappedFile file(path, "vmfa::loadGrey");
  return decodeImage(file.data(), file.size(), path, 1);
}

namespace detail {
/// Whether `s` ends with `suffix`, ignoring case.
inline bool endsWithNoCase(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  std::string tail = s.substr(s.size() - suffix.size());
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return tail == suffix;
}
}  // namespace detail

/// Decodes a float .npy image held in memory: H x W (grey) or H x W x 3 (colour), C order.
inline Image decodeNpyImage(const unsigned char* bytes, std::size_t size, const std::string& path) {
  const npy::Header h = npy::parseHeader(bytes, size, "vmfa::decodeNpyImage: '" + path + "'");
  if (h.kind != 'f' || (h.wordSize != 4 && h.wordSize != 8) || !h.littleEndian || h.fortranOrder)
    throw FileError("vmfa::decodeNpyImage: '" + path + "' has dtype '" + h.descr +
                             "'; images must be C-order float32 or float64 arrays");
  const bool grey = h.shape.size() == 2, colour = h.shape.size() == 3 && h.shape[2] == 3;
  if (!grey && !colour) {
    std::string shape;
    for (auto s : h.shape) shape += (shape.empty() ? "" : ", ") + std::to_string(s);
    throw FileError("vmfa::decodeNpyImage: '" + path + "' has shape (" + shape + "); images must be H x W or H x W x 3");
  }
  if (h.shape[0] == 0 || h.shape[1] == 0) throw FileError("vmfa::decodeNpyImage: '" + path + "' is an empty image");
  Image img(h.shape[0], h.shape[1], grey ? 1 : 3);
  for (std::size_t i = 0; i < img.pixels.size(); ++i) {
    const unsigned char* p = bytes + h.dataOffset + i * static_cast<std::size_t>(h.wordSize);
    img.pixels[i] = h.wordSize == 4 ? detail::getLE<float>(p) : static_cast<float>(detail::getLE<double>(p));
  }
  return img;
}

/// Reads PNG or JPEG (8 or 16 bits, grey or RGB) or a float .npy image with values in [0, 1].
/// Only regular files are read (a FIFO or device is refused without blocking).
inline Image loadImage(const std::string& path) {
  const detail::MappedFile file(path, "vmfa::loadImage");
  if (detail::endsWithNoCase(path, ".npy")) return decodeNpyImage(file.data(), file.size(), path);
  return decodeImage(file.data(), file.size(), path);
}

namespace detail {
/// stb_image_write's callback: appends the encoded bytes to a std::vector<unsigned char>.
inline void appendBytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<unsigned char>*>(context);
  const auto* p = static_cast<const unsigned char*>(data);
  out->insert(out->end(), p, p + size);
}
}  // namespace detail

/// Whether `saveImage` writes `path`: its extension (any case) is .png, .jpg, .jpeg or .npy.
inline bool isImagePath(const std::string& path) {
  return detail::endsWithNoCase(path, ".png") || detail::endsWithNoCase(path, ".jpg") ||
         detail::endsWithNoCase(path, ".jpeg") || detail::endsWithNoCase(path, ".npy");
}

/// Encodes an image by the extension of `path`: .png and .jpg/.jpeg as 8 bits (values clipped to
/// [0, 1] and rounded), .npy as float32 (unclipped, H x W or H x W x 3).
inline std::vector<unsigned char> encodeImage(const std::string& path, const Image& img) {
  if (detail::endsWithNoCase(path, ".npy")) {
    std::vector<Index> shape = {img.height, img.width};
    if (img.channels > 1) shape.push_back(img.channels);
    return npy::encode(img.pixels.data(), shape);
  }
  const bool png = detail::endsWithNoCase(path, ".png"), jpg = detail::endsWithNoCase(path, ".jpg") || detail::endsWithNoCase(path, ".jpeg");
  if (!png && !jpg) throw FileError("vmfa::encodeImage: '" + path + "': unknown image type (use .png, .jpg or .npy)");
  std::vector<unsigned char> bytes(img.pixels.size());
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<unsigned char>(std::lround(255.0f * std::clamp(img.pixels[i], 0.0f, 1.0f)));
  std::vector<unsigned char> encoded;
  const int w = static_cast<int>(img.width), h = static_cast<int>(img.height), c = static_cast<int>(img.channels);
  const int ok = png ? stbi_write_png_to_func(detail::appendBytes, &encoded, w, h, c, bytes.data(), w * c)
                     : stbi_write_jpg_to_func(detail::appendBytes, &encoded, w, h, c, bytes.data(), 95);
  if (!ok) throw FileError("vmfa::encodeImage: cannot encode image '" + path + "'");
  return encoded;
}

/// Writes an image (see encodeImage); the file is replaced atomically.
inline void saveImage(const std::string& path, const Image& img) {
  const std::vector<unsigned char> bytes = encodeImage(path, img);
  detail::writeFileAtomic(path, bytes.data(), bytes.size(), "vmfa::saveImage");
}

}  // namespace vmfa
