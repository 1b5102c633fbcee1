// Image input/output and patch extraction shared by the examples (stb_image from libstb-dev).
#pragma once

#include <vmfa/errors.hpp>

#include <Eigen/Core>

#include <stb/stb_image.h>

#include <string>

namespace vmfa_examples {

/// Reads an 8- or 16-bit greyscale (or colour, converted to grey) image into an H × W matrix with
/// values in [0, 1]. Throws std::runtime_error naming the file when it cannot be read.
inline Eigen::MatrixXf loadGrey(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  unsigned short* data = stbi_load_16(path.c_str(), &w, &h, &channels, 1);
  if (!data) throw std::runtime_error("cannot read image '" + path + "': " + stbi_failure_reason());
  Eigen::MatrixXf img(h, w);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) img(y, x) = static_cast<float>(data[y * w + x]) / 65535.0f;
  stbi_image_free(data);
  return img;
}

/// All p × p patches of `img` whose top-left corner lies on a grid of step `stride` starting at
/// `offset`, as columns of a p² × N matrix (each patch stored row by row).
inline Eigen::MatrixXf extractPatches(const Eigen::MatrixXf& img, int p, int stride, int offset = 0) {
  const int rows = static_cast<int>(img.rows()), cols = static_cast<int>(img.cols());
  if (p < 1 || p > rows || p > cols) throw std::runtime_error("patch size larger than the image");
  const int ny = (rows - p - offset) / stride + 1, nx = (cols - p - offset) / stride + 1;
  Eigen::MatrixXf X(p * p, static_cast<Eigen::Index>(ny) * nx);
  Eigen::Index n = 0;
  for (int y = offset; y + p <= rows; y += stride)
    for (int x = offset; x + p <= cols; x += stride, ++n)
      for (int i = 0; i < p; ++i)
        for (int j = 0; j < p; ++j) X(i * p + j, n) = img(y + i, x + j);
  return X.leftCols(n);
}

}  // namespace vmfa_examples
