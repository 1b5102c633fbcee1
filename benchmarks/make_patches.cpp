// Writes a large patch data set for the scale benchmark: every overlapping p x p patch of the
// bundled images (camera, grass, gravel) under the 8 flips and rotations of the square, as an
// N x p² float32 .npy file, in a fixed pseudo-random order (so that any prefix of the file mixes
// images, positions and transforms), streamed to disk without holding the data in memory.
//
//   vmfa_make_patches OUT.npy [--patch P] [--count N] [--image NAME] [--plain]
//
// P defaults to 16 (D = 256); N defaults to all patches (8 · Σ (H−P+1)(W−P+1); 5,928,216 for
// P = 16). --image keeps one bundled image (camera.png, grass.png or gravel.png); --plain writes
// its patches untransformed, in raster order (--image camera.png --plain --patch 8: the 255,025
// patches of the throughput benchmark, benchmarks/throughput.sh). The file is written to
// OUT.npy.tmp and renamed when complete.
#include <vmfa/image_files.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

namespace {

std::size_t gcd(std::size_t a, std::size_t b) { return b == 0 ? a : gcd(b, a % b); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: vmfa_make_patches OUT.npy [--patch P] [--count N] [--image NAME] [--plain]\n");
    return 2;
  }
  const std::string out = argv[1];
  long p = 16, count = -1;
  std::string only;
  bool plain = false;
  for (int i = 2; i < argc; i += 2) {
    if (!std::strcmp(argv[i], "--plain")) {
      plain = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "vmfa_make_patches: %s needs a value\n", argv[i]);
      return 2;
    }
    if (!std::strcmp(argv[i], "--patch")) p = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--count")) count = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--image")) only = argv[i + 1];
    else {
      std::fprintf(stderr, "vmfa_make_patches: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  try {
    std::vector<vmfa::Image> images;
    std::vector<std::size_t> first;  // index of the first patch of each (image, transform)
    std::size_t total = 0;
    const int transforms = plain ? 1 : 8;
    bool found = only.empty();
    for (const char* name : {"camera.png", "grass.png", "gravel.png"}) {
      if (!only.empty() && only != name) continue;
      found = true;
      images.push_back(vmfa::loadGrey(std::string(VMFA_DATA_DIR) + "/" + name));
      const auto& img = images.back();
      if (p < 1 || p > img.height || p > img.width) throw std::runtime_error("patch size out of range");
      for (int t = 0; t < transforms; ++t) {
        first.push_back(total);
        total += static_cast<std::size_t>((img.height - p + 1) * (img.width - p + 1));
      }
    }
    if (!found) throw std::runtime_error("no bundled image " + only + " (camera.png, grass.png, gravel.png)");
    first.push_back(total);
    const std::size_t n = count < 0 ? total : std::min<std::size_t>(total, static_cast<std::size_t>(count));
    const std::size_t D = static_cast<std::size_t>(p * p);
    // a fixed permutation i -> (a·i + b) mod total, a coprime with total
    std::size_t a = 2654435761u % total;
    while (gcd(a, total) != 1) ++a;
    const std::size_t b = 12345 % total;

    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(n) + ", " +
                       std::to_string(D) + "), }";
    std::string header = "\x93NUMPY";
    header += '\x01';
    header += '\x00';
    std::size_t len = dict.size() + 1;
    const std::size_t pad = (64 - (10 + len) % 64) % 64;
    dict += std::string(pad, ' ') + "\n";
    len = dict.size();
    header += static_cast<char>(len & 0xff);
    header += static_cast<char>((len >> 8) & 0xff);
    header += dict;

    const std::string tmp = out + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot open " + tmp);
    std::fwrite(header.data(), 1, header.size(), f);
    std::vector<float> row(D);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t idx = plain ? i : static_cast<std::size_t>((static_cast<unsigned __int128>(a) * i + b) % total);
      const std::size_t block = static_cast<std::size_t>(std::upper_bound(first.begin(), first.end(), idx) - first.begin()) - 1;
      const auto& img = images[block / static_cast<std::size_t>(transforms)];
      const int t = static_cast<int>(block % static_cast<std::size_t>(transforms));
      const std::size_t local = idx - first[block];
      const long nx = img.width - p + 1;
      const long y0 = static_cast<long>(local) / nx, x0 = static_cast<long>(local) % nx;
      for (long r = 0; r < p; ++r)
        for (long c = 0; c < p; ++c) {
          long u = r, v = c;  // transform of the patch coordinates: transpose, then flips
          if (t & 4) std::swap(u, v);
          if (t & 1) u = p - 1 - u;
          if (t & 2) v = p - 1 - v;
          row[static_cast<std::size_t>(r * p + c)] = img.at(y0 + u, x0 + v);
        }
      if (std::fwrite(row.data(), sizeof(float), D, f) != D) throw std::runtime_error("write failed (disk full?)");
      if (i % 500000 == 0) std::fprintf(stderr, "\rvmfa_make_patches: %zu / %zu", i, n);
    }
    if (std::fclose(f) != 0 || std::rename(tmp.c_str(), out.c_str()) != 0) throw std::runtime_error("cannot finish " + out);
    std::fprintf(stderr, "\rvmfa_make_patches: wrote %zu patches of %zu values to %s\n", n, D, out.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmfa_make_patches: %s\n", e.what());
    return 1;
  }
  return 0;
}
