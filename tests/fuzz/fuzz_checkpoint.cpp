// libFuzzer target: the checkpoint reader (embedded model, loop counters, history, active sets,
// policy state) on arbitrary bytes, in both precisions, with the checksum not verified (fuzzing
// builds) so that mutations reach every field. Accepted or rejected with vmfa::FileError /
// InvalidArgument; a crash, an out-of-bounds read or undefined behaviour is a finding.
#include <vmfa/checkpoint.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    vmfa::decodeCheckpoint<float>(data, size, "fuzz");
  } catch (const vmfa::InvalidArgument&) {
  }
  try {
    const auto cp = vmfa::decodeCheckpoint<double>(data, size, "fuzz");
    const auto again = vmfa::encodeCheckpoint(cp);  // what was accepted can be written back
    vmfa::decodeCheckpoint<double>(again.data(), again.size(), "fuzz (encoded again)");
  } catch (const vmfa::InvalidArgument&) {
  }
  return 0;
}
