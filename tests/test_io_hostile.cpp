// Hostile files and paths: every size a header announces is checked against the file
// before anything is allocated or read; inputs that are not regular files are refused without
// blocking; outputs are never renamed over a symbolic link, device, FIFO or folder; several
// outputs are written all or none; files that could not be loaded back are never written.
#include "catch.hpp"
#include "support.hpp"

#include <chrono>
#include <climits>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

using namespace vmfa_test;
using vmfa::Index;

namespace {

/// A .npy file with any header text and payload (nothing is checked: the point is to lie).
std::vector<unsigned char> npyWith(const std::string& descr, const std::string& shape, std::size_t payloadBytes) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
  dict += '\n';
  std::vector<unsigned char> b = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<unsigned char>(dict.size() & 0xff),
                                  static_cast<unsigned char>(dict.size() >> 8)};
  b.insert(b.end(), dict.begin(), dict.end());
  b.resize(b.size() + payloadBytes, 0);
  return b;
}

}  // namespace

TEST_CASE("hostile .npy headers: sizes are checked against the file before anything is allocated or read",
          "[io][npy][errors][hostile]") {
  TempDir dir;
  auto points = [&](const std::string& name, const std::vector<unsigned char>& bytes) {
    writeBytes(dir.file(name), bytes);
    return errorOf([&] { vmfa::npy::Points<float>(dir.file(name), "load"); });
  };
  const std::string p = "load: '" + dir.file("x.npy") + "'";
  // shape products that wrap around 2^64 (the old check passed them and read past the mapping)
  CHECK(points("x.npy", npyWith("<f8", "(2305843009213693952, 8)", 64)) ==
        p + ": shape entry 2305843009213693952 is too large (shape (2305843009213693952, 8))");
  CHECK(points("x.npy", npyWith("<f8", "(100000000000000000, 100000000000000000)", 64)) ==
        p + ": truncated data: the header announces more than 2^62 elements (shape (100000000000000000, "
            "100000000000000000)), the file holds 64");
  CHECK(points("x.npy", npyWith("<f8", "(576460752303423488, 32)", 64)) ==
        p + ": truncated data: the header announces more than 2^62 elements (shape (576460752303423488, 32)), the "
            "file holds 64");
  CHECK(points("x.npy", npyWith("<f8", "(288230376151711744, 8)", 64)) ==
        p + ": truncated data: the header announces 2305843009213693952 x 8 bytes (shape (288230376151711744, 8)), the "
            "file holds 64");
  CHECK(points("x.npy", npyWith("<f8", "(9223372036854775808, 1)", 64)) ==
        p + ": shape entry 9223372036854775808 is too large (shape (9223372036854775808, 1))");
  // a large shape with no data
  CHECK(points("x.npy", npyWith("<f4", "(1000000, 1000)", 0)) ==
        p + ": truncated data: the header announces 1000000000 x 4 bytes (shape (1000000, 1000)), the file holds 0");
  // shapes with no elements (a huge extent times 0) and malformed entries
  CHECK(points("x.npy", npyWith("<f4", "(100000000000000000, 0)", 0)) == p + " holds no data (shape (100000000000000000, 0))");
  CHECK(points("x.npy", npyWith("<f4", "(0, 3)", 0)) == p + " holds no data (shape (0, 3))");
  CHECK(points("x.npy", npyWith("<f4", "(-3, 2)", 24)) == p + ": malformed shape '(-3, 2)'");
  CHECK(points("x.npy", npyWith("<f4", "(,3)", 12)) == p + ": malformed shape '(,3)'");
  CHECK(points("x.npy", npyWith("<f-4", "(3, 2)", 24)) == p + ": unsupported dtype '<f-4'");
  CHECK(points("x.npy", npyWith("<f99999999999", "(3, 2)", 24)) == p + ": unsupported dtype '<f99999999999'");
  CHECK(points("x.npy", npyWith("<f0", "(3, 2)", 24)) == p + ": unsupported dtype '<f0'");
  // the same checks guard the other readers of .npy files
  writeBytes(dir.file("w.npy"), npyWith("<f8", "(4611686018427387904,)", 0));
  CHECK(contains(errorOf([&] { vmfa::npy::readVector(dir.file("w.npy"), "weights"); }), "is too large"));
  vmfa::npy::write<float>(dir.file("weights.npy"), nullptr, {0});
  std::vector<float> zero(1, 0.0f);
  vmfa::npy::write<float>(dir.file("means.npy"), zero.data(), {0, 1});
  vmfa::npy::write<float>(dir.file("noise.npy"), zero.data(), {0, 1});
  vmfa::npy::write<float>(dir.file("loadings.npy"), zero.data(), {0, 1, 0});
  CHECK(errorOf([&] { vmfa::importParameters<float>(dir.path); }) ==
        "vmfa::importParameters: '" + dir.path + "/weights.npy' is empty: a model needs C >= 1 components");
}

TEST_CASE("inputs that are not regular files are refused at once, without blocking", "[io][errors][hostile]") {
  TempDir dir;
  REQUIRE(::mkfifo(dir.file("fifo.npy").c_str(), 0600) == 0);  // opening it for reading used to wait for a writer
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(errorOf([&] { vmfa::npy::Points<double>(dir.file("fifo.npy"), "load"); }) ==
        "load: '" + dir.file("fifo.npy") + "' is a FIFO, not a regular file");
  vmfa::Model<double> m;
  CHECK(errorOf([&] { vmfa::loadModel(m, dir.file("fifo.npy")); }) ==
        "vmfa::loadModel: '" + dir.file("fifo.npy") + "' is a FIFO, not a regular file");
  CHECK(errorOf([&] { vmfa::loadCheckpoint<double>(dir.file("fifo.npy")); }) ==
        "vmfa::loadCheckpoint: '" + dir.file("fifo.npy") + "' is a FIFO, not a regular file");
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 5.0);
  CHECK(errorOf([&] { vmfa::npy::Points<double>(dir.path, "load"); }) ==
        "load: '" + dir.path + "' is a directory, not a regular file");
  CHECK(errorOf([&] { vmfa::npy::Points<double>("/dev/zero", "load"); }) ==
        "load: '/dev/zero' is a character device, not a regular file");
}

TEMPLATE_TEST_CASE("checkpoints with a valid checksum but impossible loop counters are refused", "[io][checkpoint][hostile]",
                   float, double) {
  using S = TestType;
  TempDir dir;
  vmfa::Options o = fitOptions(4, 1, 3, 0.0);
  vmfa::Model<S> model(o);
  vmfa::FitCheckpoint<S> cp;
  model.setCheckpointHandler(1, [&](const vmfa::FitCheckpoint<S>& c) { cp = c; });
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(4, 5, 1, 2), 400, 1);
  model.fit(X);
  REQUIRE(cp.nextIteration > 0);
  const std::string where = "vmfa::loadCheckpoint: '" + dir.file("ck") + "'";
  auto load = [&](const vmfa::FitCheckpoint<S>& c) {
    const auto bytes = vmfa::encodeCheckpoint(c);  // a valid checksum over the bad counters
    writeBytes(dir.file("ck"), bytes);
    return errorOf([&] { vmfa::loadCheckpoint<S>(dir.file("ck")); });
  };
  CHECK(load(cp) == "(no exception)");
  auto bad = cp;
  bad.mstepsDone = INT_MIN;  // resumed, this ran on towards 2^31 iterations whatever the limit
  CHECK(contains(load(bad), where + ": invalid loop state (next iteration " + std::to_string(cp.nextIteration) +
                                ", M-steps done -2147483648"));
  bad = cp;
  bad.warmupLeft = -1;
  CHECK(contains(load(bad), ": invalid loop state"));
  bad = cp;
  bad.nextIteration = INT_MAX;
  CHECK(contains(load(bad), ": invalid loop state"));
  bad = cp;
  bad.mstepsDone = cp.nextIteration + 1;
  CHECK(contains(load(bad), ": invalid loop state"));
}

TEMPLATE_TEST_CASE("parameters that could not be loaded back are never saved", "[io][hostile]", float, double) {
  using S = TestType;
  TempDir dir;
  vmfa::Model<S> good;
  good.setParameters(randomMfa<S>(3, 4, 1, 2));
  vmfa::saveModel(good, dir.file("m.vmfa"));
  const auto before = readBytes(dir.file("m.vmfa"));
  // data near the top of the scalar's range: the fit ends in a numerical issue
  vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(3, 4, 1, 2), 300, 1);
  X *= std::sqrt(std::numeric_limits<S>::max());  // finite, but its squares overflow
  vmfa::Options o = fitOptions(3, 1);
  vmfa::Model<S> bad(o);
  const auto r = bad.fit(X);
  REQUIRE(r.status == vmfa::FitStatus::NumericalIssue);
  CHECK_THROWS_WITH(vmfa::saveModel(bad, dir.file("m.vmfa")), Catch::Contains("vmfa::saveModel: ") &&
                                                                  Catch::Contains("must be finite"));
  CHECK(readBytes(dir.file("m.vmfa")) == before);
  CHECK(temporaryFiles(dir.path) == 0);
  vmfa::FitCheckpoint<S> cp;
  cp.parameters = bad.parameters();
  CHECK_THROWS_WITH(vmfa::saveCheckpoint(cp, dir.file("ck")), Catch::Contains("vmfa::saveCheckpoint: "));
  struct stat st;
  CHECK(::stat(dir.file("ck").c_str(), &st) != 0);
}

TEST_CASE("outputs: never renamed over a link, device, FIFO or folder; several are written all or none",
          "[io][hostile]") {
  TempDir dir;
  const std::vector<unsigned char> a = {1, 2, 3}, b = {4, 5, 6, 7};
  const char* where = "write";
  // a symbolic link (to a device, as `-o /dev/null` through a link would be) stays a link
  REQUIRE(::symlink("/dev/null", dir.file("link").c_str()) == 0);
  CHECK(errorOf([&] { vmfa::detail::writeFileAtomic(dir.file("link"), a.data(), a.size(), where); }) ==
        "write: '" + dir.file("link") + "' is a symbolic link; refusing to replace it (outputs must be regular files or new "
        "paths)");
  struct stat st;
  REQUIRE(::lstat(dir.file("link").c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
  CHECK(contains(errorOf([&] { vmfa::detail::writeFileAtomic(dir.file("fifo"), a.data(), a.size(), where); }),
                 "' is a FIFO; refusing to replace it"));
  REQUIRE(::lstat(dir.file("fifo").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  REQUIRE(::mkdir(dir.file("folder").c_str(), 0755) == 0);
  CHECK(contains(errorOf([&] { vmfa::detail::writeFileAtomic(dir.file("folder"), a.data(), a.size(), where); }),
                 "' is a directory; refusing to replace it"));
  CHECK(errorOf([&] { vmfa::detail::writeFileAtomic(dir.file("nodir/x"), a.data(), a.size(), where); }) ==
        "write: cannot write '" + dir.file("nodir/x") + "': the folder '" + dir.file("nodir") + "' does not exist");
  CHECK(errorOf([&] { vmfa::detail::writeFileAtomic("/dev/null", a.data(), a.size(), where); }) ==
        "write: '/dev/null' is a character device; refusing to replace it (outputs must be regular files or new paths)");

  // all or none: the second output fails, the first keeps its old contents, no temporary file stays
  vmfa::detail::writeFileAtomic(dir.file("first"), a.data(), a.size(), where);
  {
    vmfa::detail::OutputFiles files(where);
    files.add(dir.file("first"), b);
    CHECK_THROWS_WITH(files.add(dir.file("nodir/second"), b), Catch::Contains("does not exist"));
  }
  CHECK(readBytes(dir.file("first")) == a);
  CHECK(temporaryFiles(dir.path) == 0);
  // two spellings of one path are one output
  {
    vmfa::detail::OutputFiles files(where);
    files.add(dir.file("first"), b);
    CHECK_THROWS_WITH(files.add(dir.path + "/./first", b), Catch::Contains("name the same output file"));
  }
  CHECK(readBytes(dir.file("first")) == a);
  // committed: both appear
  {
    vmfa::detail::OutputFiles files(where);
    files.add(dir.file("first"), b);
    files.add(dir.file("second"), a);
    files.commit();
  }
  CHECK(readBytes(dir.file("first")) == b);
  CHECK(readBytes(dir.file("second")) == a);
  CHECK(temporaryFiles(dir.path) == 0);
}
