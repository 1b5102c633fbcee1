// libFuzzer target: the image reader of vmfa/image_files.hpp: the PNG/JPEG signature
// filter and stb_image's PNG and JPEG decoders (compiled into this target, so that they are
// instrumented too), and the float .npy image reader. Accepted or rejected with an exception; a
// crash, an out-of-bounds access or undefined behaviour is a finding.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#include <vmfa/image_files.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // images announcing more than a megapixel are refused: decoding them is legitimate work, not a
  // bug, and would only slow the search down
  const double maxPixels = 1 << 20;
  // every rejection is a vmfa::FileError naming the function; any other exception is a finding
  try {
    vmfa::decodeImage(data, size, "fuzz", 0, maxPixels);
  } catch (const vmfa::FileError&) {
  }
  try {
    vmfa::decodeImage(data, size, "fuzz", 1, maxPixels);
  } catch (const vmfa::FileError&) {
  }
  try {
    vmfa::decodeNpyImage(data, size, "fuzz");
  } catch (const vmfa::FileError&) {
  }
  return 0;
}
