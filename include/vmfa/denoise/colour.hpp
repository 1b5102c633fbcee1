/// \file denoise/colour.hpp
/// \brief The orthonormal opponent colour space in which `denoise` works on colour images (as CBM3D):
/// white noise of σ in RGB stays white of σ in it.
#pragma once

#include "../errors.hpp"
#include "../image.hpp"

namespace vmfa {

/// Rows of the orthonormal opponent-colour transform: o = T·rgb, rgb = Tᵀ·o.
inline constexpr double kOpponent[3][3] = {{0.57735026918962573, 0.57735026918962573, 0.57735026918962573},
                                           {0.70710678118654752, 0.0, -0.70710678118654752},
                                           {0.40824829046386302, -0.81649658092772603, 0.40824829046386302}};

/// \brief `img` (3 channels) in the opponent colour space (`inverse`: back to RGB); each pixel is
/// multiplied by the orthonormal `kOpponent` (its transpose for the inverse), in double.
/// \throws InvalidArgument unless `img` has 3 channels.
inline Image toOpponent(const Image& img, bool inverse = false) {
  detail::require(img.channels == 3, "vmfa::toOpponent", "the image has ", img.channels, " channels, not 3");
  Image out = img;
  for (std::size_t v = 0; v + 2 < img.pixels.size(); v += 3)
    for (int i = 0; i < 3; ++i) {
      double s = 0.0;
      for (int j = 0; j < 3; ++j)
        s += (inverse ? kOpponent[j][i] : kOpponent[i][j]) * static_cast<double>(img.pixels[v + static_cast<std::size_t>(j)]);
      out.pixels[v + static_cast<std::size_t>(i)] = static_cast<float>(s);
    }
  return out;
}

}  // namespace vmfa
