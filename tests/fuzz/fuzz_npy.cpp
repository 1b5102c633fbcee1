// libFuzzer target: the .npy reader (header parser, shape checks, conversion to points) on
// arbitrary bytes. Any input must either be read or rejected with vmfa::FileError; a crash, an
// out-of-bounds read (ASan) or undefined behaviour (UBSan) is a finding.
#include <vmfa/npy.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const vmfa::npy::Header h = vmfa::npy::parseHeader(data, size, "fuzz");
    vmfa::npy::Points<double>::pointsShape(h, "fuzz");
    const vmfa::Matrix<double> points = vmfa::npy::Points<double>::convertPoints(h, data + h.dataOffset);
    const vmfa::Matrix<float> single = vmfa::npy::Points<float>::convertPoints(h, data + h.dataOffset);
    volatile double sink = points.size() ? static_cast<double>(points(0, 0)) + single(0, 0) : 0.0;
    (void)sink;
  } catch (const vmfa::FileError&) {
  }
  return 0;
}
