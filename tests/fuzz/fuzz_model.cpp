// libFuzzer target: the model file reader (header, size checks, values, validation) on arbitrary
// bytes, in both precisions. The checksum is not verified in fuzzing builds, so that mutations
// reach the decoder behind it. Accepted or rejected with vmfa::FileError / InvalidArgument; a
// crash, an out-of-bounds read or undefined behaviour is a finding.
#include <vmfa/io.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    vmfa::decodeModel<float>(data, size, "fuzz");
  } catch (const vmfa::InvalidArgument&) {
  }
  try {
    const auto p = vmfa::decodeModel<double>(data, size, "fuzz");
    const auto again = vmfa::encodeModel(p, false);  // what was accepted can be written back
    vmfa::decodeModel<double>(again.data(), again.size(), "fuzz (encoded again)");
  } catch (const vmfa::InvalidArgument&) {
  }
  return 0;
}
