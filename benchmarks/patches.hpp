// Real image-patch data sets for the benchmarks: every overlapping p x p patch of the bundled
// images (camera, grass, gravel), shuffled with a fixed seed and split into training and held-out
// sets. Pixel values in [0, 1].
#pragma once

#include <vmfa/image_files.hpp>

#include <vmfa/detail/rng.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace vmfa_bench {

struct PatchSplit {
  Eigen::MatrixXf train;  // D x nTrain
  Eigen::MatrixXf test;   // D x nTest
};

/// The first nTrain and the next nTest patches of a fixed shuffle of all p x p patches (stride 1)
/// of data/camera.png, data/grass.png and data/gravel.png. Cached per (p, nTrain, nTest).
inline const PatchSplit& patches(int p, Eigen::Index nTrain, Eigen::Index nTest) {
  static std::map<std::tuple<int, Eigen::Index, Eigen::Index>, PatchSplit> cache;
  auto& s = cache[{p, nTrain, nTest}];
  if (s.train.size()) return s;
  std::vector<Eigen::MatrixXf> all;
  Eigen::Index total = 0;
  for (const char* name : {"camera.png", "grass.png", "gravel.png"}) {
    all.push_back(vmfa::extractPatches(vmfa::loadGrey(std::string(VMFA_DATA_DIR) + "/" + name), p, 1));
    total += all.back().cols();
  }
  if (nTrain + nTest > total) throw std::runtime_error("not enough patches for the requested split");
  std::vector<std::pair<int, Eigen::Index>> where;
  where.reserve(static_cast<std::size_t>(total));
  for (int i = 0; i < static_cast<int>(all.size()); ++i)
    for (Eigen::Index n = 0; n < all[static_cast<std::size_t>(i)].cols(); ++n) where.emplace_back(i, n);
  vmfa::detail::Random rng(20250121);
  for (std::size_t i = where.size() - 1; i > 0; --i) std::swap(where[i], where[rng.below(i + 1)]);  // Fisher-Yates
  const Eigen::Index D = static_cast<Eigen::Index>(p) * p;
  s.train.resize(D, nTrain);
  s.test.resize(D, nTest);
  for (Eigen::Index n = 0; n < nTrain + nTest; ++n) {
    const auto& w = where[static_cast<std::size_t>(n)];
    if (n < nTrain) s.train.col(n) = all[static_cast<std::size_t>(w.first)].col(w.second);
    else s.test.col(n - nTrain) = all[static_cast<std::size_t>(w.first)].col(w.second);
  }
  return s;
}

}  // namespace vmfa_bench
