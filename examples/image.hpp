// Image input shared by the examples: stb_image (libstb-dev) decodes PNG/JPEG into vmfa::Image.
#pragma once

#include <vmfa/image.hpp>

#include <stb/stb_image.h>

#include <stdexcept>
#include <string>

namespace vmfa_examples {

/// Reads an 8- or 16-bit image as greyscale (colour is converted by stb) with values in [0, 1].
/// Throws std::runtime_error naming the file when it cannot be read.
inline vmfa::Image loadGrey(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  unsigned short* data = stbi_load_16(path.c_str(), &w, &h, &channels, 1);
  if (!data) throw std::runtime_error("cannot read image '" + path + "': " + stbi_failure_reason());
  vmfa::Image img(h, w, 1);
  for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<float>(data[i]) / 65535.0f;
  stbi_image_free(data);
  return img;
}

}  // namespace vmfa_examples
