// Model files, .npy files, export/import and checkpoints: round trips, fixtures written byte by
// byte as numpy lays them out, every kind of corrupt input, and saves that stream (O(1) memory
// beyond the model).
#include "catch.hpp"
#include "support.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace vmfa_test;
using vmfa::Index;

namespace {

/// A .npy file exactly as numpy 1.x writes it: magic, version 1.0, header padded to 64 bytes.
std::vector<unsigned char> npyBytes(const std::string& descr, bool fortran, const std::string& shape,
                                    const std::vector<unsigned char>& payload) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  const std::size_t pad = (64 - (10 + dict.size() + 1) % 64) % 64;
  dict.append(pad, ' ');
  dict += '\n';
  std::vector<unsigned char> b;
  b.reserve(10 + dict.size() + payload.size());
  const unsigned char magic[8] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  for (unsigned char ch : magic) b.push_back(ch);
  b.push_back(static_cast<unsigned char>(dict.size() & 0xff));
  b.push_back(static_cast<unsigned char>(dict.size() >> 8));
  for (char ch : dict) b.push_back(static_cast<unsigned char>(ch));
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

template <typename T>
std::vector<unsigned char> le(const std::vector<T>& v) {
  std::vector<unsigned char> out;
  for (T x : v) vmfa::detail::putLE<T>(out, x);
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("save and load give bit-identical scores", "[io]", float, double) {
  using S = TestType;
  TempDir dir;
  const auto p = randomMfa<S>(5, 7, 3, 3);
  vmfa::Model<S> m;
  m.setParameters(p);
  m.options().sharedNoise = false;
  const vmfa::Matrix<S> X = sampleFrom(p, 300, 1);
  vmfa::saveModel(m, dir.file("m.vmfa"));
  vmfa::Model<S> back;
  const auto info = vmfa::loadModel(back, dir.file("m.vmfa"));
  CHECK(info.scalarBytes == static_cast<int>(sizeof(S)));
  CHECK((back.means().array() == m.means().array()).all());
  CHECK((back.loadings().array() == m.loadings().array()).all());
  CHECK((back.logLikelihood(X).array() == m.logLikelihood(X).array()).all());
  // overwrite in place: the old file is replaced atomically and no temporary file is left behind
  vmfa::saveModel(back, dir.file("m.vmfa"));
  CHECK(std::system(("test $(ls '" + dir.path + "' | wc -l) -eq 1").c_str()) == 0);
  // a save that cannot happen throws and leaves the existing file as it was
  const auto before = readBytes(dir.file("m.vmfa"));
  CHECK_THROWS_AS(vmfa::saveModel(m, dir.file("missing/m.vmfa")), vmfa::FileError);
  CHECK(readBytes(dir.file("m.vmfa")) == before);
}

TEMPLATE_TEST_CASE("export then import gives bit-identical scores", "[io]", float, double) {
  using S = TestType;
  TempDir dir;
  const auto p = randomMfa<S>(4, 6, 2, 9);
  vmfa::Model<S> m;
  m.setParameters(p);
  vmfa::exportParameters(p, dir.path);
  // the exported files have numpy's shapes
  vmfa::npy::MappedArray l(dir.file("loadings.npy"));
  CHECK(l.header().shape == std::vector<Index>{4, 6, 2});
  CHECK(l.header().descr == (sizeof(S) == 4 ? "<f4" : "<f8"));
  vmfa::npy::MappedArray mu(dir.file("means.npy"));
  CHECK(mu.header().shape == std::vector<Index>{4, 6});
  vmfa::Model<S> back;
  back.setParameters(vmfa::importParameters<S>(dir.path));
  const vmfa::Matrix<S> X = sampleFrom(p, 200, 2);
  CHECK((back.logLikelihood(X).array() == m.logLikelihood(X).array()).all());
  // loadings[c, d, h] is Λ_c(d, h)
  const auto* raw = reinterpret_cast<const S*>(l.data());
  CHECK(raw[(2 * 6 + 5) * 2 + 1] == p.loadings(5, 2 * 2 + 1));
}

TEMPLATE_TEST_CASE("means relative to an origin: files keep the origin exactly, version 1 files still load",
                   "[io][origin]", float, double) {
  using S = TestType;
  TempDir dir;
  const auto plain = randomMfa<S>(4, 6, 2, 9);
  Eigen::VectorXd origin(6);
  origin << 1e4, -3e3, 0.5, 123.25, 7e5, -1e-3;
  auto rel = plain;
  rel.origin = origin;  // a mixture far from 0: μ_c = origin + the means as drawn
  // moving the origin keeps every μ_c up to rounding of the (small) relative means
  auto moved = rel;
  moved.setOrigin(origin.array() + 0.25);
  CHECK(moved.origin == Eigen::VectorXd(origin.array() + 0.25));
  for (Index c = 0; c < 4; ++c)
    CHECK((moved.absoluteMean(c) - rel.absoluteMean(c)).norm() <= (sizeof(S) == 4 ? 1e-5 : 1e-12));
  // data around the origin, scored by the model and by a double dense-Σ reference
  vmfa::Matrix<S> X = sampleFrom(plain, 100, 3);
  X = (X.template cast<double>().colwise() + origin).template cast<S>();
  vmfa::Model<S> m;
  m.setParameters(rel);
  const Eigen::VectorXd ll = m.logLikelihood(X);
  for (Index n = 0; n < X.cols(); ++n) {
    std::vector<double> lj;
    for (Index c = 0; c < 4; ++c) lj.push_back(denseLogJoint(rel, c, X.col(n).template cast<double>()));
    const double top = *std::max_element(lj.begin(), lj.end());
    double s = 0.0;
    for (double v : lj) s += std::exp(v - top);
    CHECK(std::abs(ll(n) - (top + std::log(s))) < (sizeof(S) == 4 ? 2e-3 : 1e-8));
  }
  // model files: version 2 with the origin, bit-identical scores; without an origin, version 1
  vmfa::saveModel(m, dir.file("o.vmfa"));
  const auto bytes = readBytes(dir.file("o.vmfa"));
  CHECK(bytes[8] == 2);
  CHECK(bytes.size() == vmfa::modelFileBytes(rel));
  vmfa::Model<S> back;
  CHECK(vmfa::loadModel(back, dir.file("o.vmfa")).hasOrigin);
  CHECK(back.parameters().origin == origin);
  CHECK((back.parameters().means.array() == rel.means.array()).all());
  CHECK((back.logLikelihood(X).array() == ll.array()).all());
  vmfa::Model<S> old;
  old.setParameters(plain);
  vmfa::saveModel(old, dir.file("v1.vmfa"));
  CHECK(readBytes(dir.file("v1.vmfa"))[8] == 1);
  CHECK(readBytes(dir.file("v1.vmfa")).size() == vmfa::modelFileBytes<S>(4, 6, 2));
  CHECK(!vmfa::loadModel(back, dir.file("v1.vmfa")).hasOrigin);
  CHECK(back.parameters().origin.size() == 0);
  // .npy export: means.npy holds μ_c; origin.npy + relative_means.npy restore the model exactly
  vmfa::exportParameters(rel, dir.path);
  vmfa::npy::MappedArray mu(dir.file("means.npy"));
  CHECK(static_cast<double>(reinterpret_cast<const S*>(mu.data())[1 * 6 + 3]) ==
        Approx(origin(3) + static_cast<double>(rel.means(3, 1))).epsilon(1e-6));
  const auto imported = vmfa::importParameters<S>(dir.path);
  CHECK(imported.origin == origin);
  CHECK((imported.means.array() == rel.means.array()).all());
  // files left over from another model: refused, not mixed
  auto other = rel;
  other.means.array() += S(1);
  other.origin = Eigen::VectorXd();
  vmfa::exportParameters(other, dir.path);  // writes means.npy only; origin.npy is stale
  CHECK(errorOf([&] { vmfa::importParameters<S>(dir.path); }).find("come from different models") != std::string::npos);
  // a fit sets the origin to the data's mean
  vmfa::Options o = fitOptions(3, 1, 3);
  vmfa::Model<S> fitted(o);
  fitted.fit(X);
  const Eigen::VectorXd mean = X.template cast<double>().rowwise().mean();
  CHECK((fitted.parameters().origin - mean).norm() <= 1e-9 * mean.norm());
}

TEST_CASE(".npy fixtures in C and Fortran order, float32 and float64, 1-D and 2-D", "[io][npy]") {
  TempDir dir;
  // the 3 x 2 array [[1, 2], [3, 4], [5, 6]]: 3 points of dimension 2
  writeBytes(dir.file("c4.npy"), npyBytes("<f4", false, "(3, 2)", le<float>({1, 2, 3, 4, 5, 6})));
  writeBytes(dir.file("f4.npy"), npyBytes("<f4", true, "(3, 2)", le<float>({1, 3, 5, 2, 4, 6})));
  writeBytes(dir.file("c8.npy"), npyBytes("<f8", false, "(3, 2)", le<double>({1, 2, 3, 4, 5, 6})));
  writeBytes(dir.file("f8.npy"), npyBytes("<f8", true, "(3, 2)", le<double>({1, 3, 5, 2, 4, 6})));
  Eigen::MatrixXd expected(2, 3);
  expected << 1, 3, 5, 2, 4, 6;
  for (const char* name : {"c4.npy", "f4.npy", "c8.npy", "f8.npy"}) {
    CAPTURE(name);
    vmfa::npy::Points<float> pf(dir.file(name));
    vmfa::npy::Points<double> pd(dir.file(name));
    CHECK(pf.numPoints() == 3);
    CHECK(pf.dim() == 2);
    CHECK(pf.matrix().cast<double>() == expected);
    CHECK(pd.matrix() == expected);
  }
  CHECK(vmfa::npy::Points<float>(dir.file("c4.npy")).mapped());   // used in place
  CHECK(!vmfa::npy::Points<float>(dir.file("f4.npy")).mapped());  // transposed into memory
  // 1-D arrays: sample weights
  writeBytes(dir.file("w.npy"), npyBytes("<f8", false, "(4,)", le<double>({1, 0.5, 0, 2})));
  const Eigen::VectorXd w = vmfa::npy::readVector(dir.file("w.npy"));
  CHECK(w.size() == 4);
  CHECK(w(1) == 0.5);
  // what vmfa writes, it reads back
  Eigen::MatrixXf pts = Eigen::MatrixXf::Random(5, 7);
  vmfa::npy::writePoints(dir.file("out.npy"), pts);
  CHECK(vmfa::npy::Points<float>(dir.file("out.npy")).matrix() == pts);
  const auto bytes = readBytes(dir.file("out.npy"));
  CHECK((10 + bytes[8] + 256 * bytes[9]) % 64 == 0);  // header aligned as numpy does
}

TEST_CASE("bad .npy files give clear errors", "[io][npy][errors]") {
  TempDir dir;
  writeBytes(dir.file("3d.npy"), npyBytes("<f4", false, "(2, 2, 2)", le<float>({1, 2, 3, 4, 5, 6, 7, 8})));
  writeBytes(dir.file("int.npy"), npyBytes("<i8", false, "(2, 2)", le<std::int64_t>({1, 2, 3, 4})));
  writeBytes(dir.file("big.npy"), npyBytes(">f8", false, "(1, 1)", le<double>({1})));
  auto truncated = npyBytes("<f4", false, "(3, 2)", le<float>({1, 2, 3, 4, 5, 6}));
  truncated.resize(truncated.size() - 3);
  writeBytes(dir.file("trunc.npy"), truncated);
  auto badHeader = npyBytes("<f4", false, "(3, 2)", le<float>({1, 2, 3, 4, 5, 6}));
  badHeader[20] = '#';  // inside 'descr'
  writeBytes(dir.file("header.npy"), badHeader);
  writeBytes(dir.file("magic.npy"), {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
  writeBytes(dir.file("empty.npy"), {});
  auto points = [&](const std::string& name) { return errorOf([&] { vmfa::npy::Points<float>(dir.file(name), "load"); }); };
  CHECK(points("3d.npy") == "load: '" + dir.file("3d.npy") + "' has 3 dimensions; expected a 2-D N x D array");
  CHECK(points("int.npy") == "load: '" + dir.file("int.npy") +
                                 "' has dtype '<i8'; only float32 ('<f4') and float64 ('<f8') are supported");
  CHECK(points("big.npy") == "load: '" + dir.file("big.npy") +
                                 "' has dtype '>f8'; only float32 ('<f4') and float64 ('<f8') are supported");
  CHECK(points("trunc.npy") ==
        "load: '" + dir.file("trunc.npy") + "': truncated data: the header announces 6 x 4 bytes (shape (3, 2)), the file holds 21");
  CHECK(points("header.npy") == "load: '" + dir.file("header.npy") + "': malformed dtype description #<f4'");
  CHECK(points("magic.npy") == "load: '" + dir.file("magic.npy") + "': not a .npy file (bad magic)");
  CHECK(points("empty.npy") == "load: '" + dir.file("empty.npy") + "': not a .npy file (bad magic, file too short)");
  CHECK(points("none.npy") == "load: cannot open '" + dir.file("none.npy") + "': No such file or directory");
}

TEMPLATE_TEST_CASE("corrupt model files are rejected without reading out of bounds", "[io][errors]", float, double) {
  using S = TestType;
  TempDir dir;
  vmfa::Model<S> m;
  m.setParameters(randomMfa<S>(3, 4, 1, 5));
  vmfa::saveModel(m, dir.file("good.vmfa"));
  const auto good = readBytes(dir.file("good.vmfa"));
  auto load = [&](const std::vector<unsigned char>& bytes) {
    writeBytes(dir.file("bad.vmfa"), bytes);
    vmfa::Model<S> target;
    target.setParameters(randomMfa<S>(2, 2, 1, 1));
    const auto before = target.means();
    const std::string e = errorOf([&] { vmfa::loadModel(target, dir.file("bad.vmfa")); });
    CHECK((target.means().array() == before.array()).all());  // unchanged on failure
    return e;
  };
  const std::string prefix = "vmfa::loadModel: '" + dir.file("bad.vmfa") + "': ";
  auto truncated = good;
  truncated.resize(good.size() - 9);
  CHECK(load(truncated).rfind(prefix + "truncated model file:", 0) == 0);
  CHECK(load({}) == prefix + "truncated model file (0 bytes, the header alone needs 56)");
  auto magic = good;
  magic[0] = 'X';
  CHECK(load(magic) == prefix + "not a vmfa model file (bad magic)");
  auto newer = good;
  newer[8] = 3;
  CHECK(load(newer) == prefix + "model format version 3 is not supported (this vmfa reads versions 1 to 2; a newer vmfa wrote it?)");
  auto flag = good;  // an origin flag in a version 1 file (it has no origin)
  flag[40] |= 2;
  CHECK(load(flag) == prefix + "unknown flags 2 in a version 1 file");
  for (std::size_t at : {std::size_t(60), good.size() / 2, good.size() - 1}) {
    auto flipped = good;
    flipped[at] ^= 0x10;
    CHECK(load(flipped) == prefix + "checksum mismatch (the file is corrupt)");
  }
  auto shape = good;
  shape[32] = 9;  // H = 9 >= D = 4
  CHECK(load(shape) == prefix + "invalid shape C = 3, D = 4, H = 9");
}

TEMPLATE_TEST_CASE("resuming from a checkpoint equals the uninterrupted fit", "[io][checkpoint]", float, double) {
  using S = TestType;
  TempDir dir;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(12, 8, 2, 4, 2.0), 2500, 3);
  vmfa::Options o = fitOptions(12, 2, 12, 0.0);
  vmfa::accelerate(o);  // the η of a resumed fit is found again from the history
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.chunkSize = 512;
  vmfa::Model<S> full(o, vmfa::TruncatedEStep<S>(eo));
  const auto rf = full.fit(X);
  // the same fit, interrupted after 7 iterations (warm-up included) by its callback
  int calls = 0;
  o.callback = [&](const vmfa::IterationStats&) { return ++calls < 7; };
  vmfa::Model<S> first(o, vmfa::TruncatedEStep<S>(eo));
  first.setCheckpointHandler(0, [&](const vmfa::FitCheckpoint<S>& cp) { vmfa::saveCheckpoint(cp, dir.file("ck")); });
  const auto r1 = first.fit(X);
  REQUIRE(r1.status == vmfa::FitStatus::StoppedByCallback);
  const auto cp = vmfa::loadCheckpoint<S>(dir.file("ck"));
  CHECK(cp.nextIteration == 7);
  CHECK(cp.result.history.size() == 7u);
  // resume in a fresh model, with another thread count
  o.callback = nullptr;
  o.numThreads = 1;
  vmfa::Model<S> second(o, vmfa::TruncatedEStep<S>(eo));
  const auto r2 = second.resume(X, cp);
  CHECK(r2.status == rf.status);
  CHECK(r2.history.size() == rf.history.size());
  CHECK(r2.freeEnergy == rf.freeEnergy);
  CHECK(r2.logJointEvaluations == rf.logJointEvaluations);
  // the checkpoint fell inside an over-relaxed stretch, whose η the resumed fit found again
  CHECK(std::any_of(rf.history.begin(), rf.history.begin() + 7, [](const vmfa::IterationStats& s) { return s.stepSize > 1.0; }));
  for (std::size_t i = 0; i < std::min(r2.history.size(), rf.history.size()); ++i)
    CHECK(r2.history[i].stepSize == rf.history[i].stepSize);
  CHECK((second.means().array() == full.means().array()).all());
  CHECK((second.loadings().array() == full.loadings().array()).all());
  CHECK((second.noise().array() == full.noise().array()).all());
  CHECK((second.weights().array() == full.weights().array()).all());
  // exact EM checkpoints too
  vmfa::Options oe = o;
  vmfa::ExactModel<S> efull(oe);
  efull.fit(X);
  calls = 0;
  oe.callback = [&](const vmfa::IterationStats&) { return ++calls < 4; };
  vmfa::ExactModel<S> efirst(oe);
  efirst.setCheckpointHandler(2, [&](const vmfa::FitCheckpoint<S>& c) { vmfa::saveCheckpoint(c, dir.file("eck")); });
  efirst.fit(X);
  oe.callback = nullptr;
  vmfa::ExactModel<S> esecond(oe);
  esecond.resume(X, vmfa::loadCheckpoint<S>(dir.file("eck")));
  CHECK((esecond.means().array() == efull.means().array()).all());
  // a checkpoint for other data is refused and leaves the model as it was
  const vmfa::Matrix<S> other = X.leftCols(100);
  CHECK_THROWS_WITH(second.resume(other, cp),
                    "vmfa::Model::resume: the checkpoint is for N = 2500 points of dimension 8, the data has N = 100 "
                    "points of dimension 8");
  CHECK((second.means().array() == full.means().array()).all());
  // corrupt checkpoints
  auto bytes = readBytes(dir.file("ck"));
  bytes[bytes.size() / 2] ^= 1;
  writeBytes(dir.file("bad"), bytes);
  CHECK(errorOf([&] { vmfa::loadCheckpoint<S>(dir.file("bad")); }) ==
        "vmfa::loadCheckpoint: '" + dir.file("bad") + "': checksum mismatch (the checkpoint is corrupt)");
}

TEMPLATE_TEST_CASE(".npy points read in parts (a process's rows) put back together give the whole", "[io][npy]", float, double) {
  using S = TestType;
  TempDir dir;
  vmfa::Matrix<float> X(5, 23);
  for (Index i = 0; i < X.size(); ++i) X.data()[i] = static_cast<float>(i) * 0.25f - 3.0f;
  vmfa::npy::writePoints(dir.file("x.npy"), X);  // float32: mapped for float, converted for double
  const vmfa::npy::Points<S> whole(dir.file("x.npy"));
  for (Index parts : {1, 2, 4, 23, 30}) {
    INFO(parts << " parts");
    Index next = 0;
    for (Index part = 0; part < parts; ++part) {
      const vmfa::npy::Points<S> p(dir.file("x.npy"), "test", part, parts);
      CHECK(p.totalPoints() == 23);
      CHECK(p.firstRow() == next);
      CHECK(p.numPoints() == 23 * (part + 1) / parts - 23 * part / parts);
      CHECK(p.mapped() == (sizeof(S) == 4));
      CHECK(p.matrix() == whole.matrix().middleCols(next, p.numPoints()));
      next += p.numPoints();
    }
    CHECK(next == 23);
  }
  CHECK_THROWS_AS(vmfa::npy::Points<S>(dir.file("x.npy"), "test", 2, 2), vmfa::InvalidArgument);
  CHECK_THROWS_AS(vmfa::npy::Points<S>(dir.file("x.npy"), "test", 0, 0), vmfa::InvalidArgument);
}

namespace {
/// The process's peak resident memory since the last resetPeakMemory(), in bytes (Linux: VmHWM).
std::size_t peakMemory() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return static_cast<std::size_t>(std::stoull(line.substr(6))) * 1024;
  return 0;
}
/// Resets VmHWM to the current resident memory (Linux >= 4.0); false where that is not allowed.
bool resetPeakMemory() {
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  f.flush();
  return static_cast<bool>(f);
}
}  // namespace

TEMPLATE_TEST_CASE("model files and checkpoints are streamed: a save holds O(1) memory beyond the model",
                   "[io]", float, double) {
  using S = TestType;
  const Index C = 4000, D = 256, H = 6;  // 32 MB (float) or 64 MB (double) of parameters
  const auto p = randomMfa<S>(C, D, H, 91, 1.0);
  vmfa::Options o = fitOptions(C, H);
  vmfa::Model<S> m(o);
  m.setParameters(p);
  const std::size_t bytes = static_cast<std::size_t>(vmfa::modelFileBytes<S>(C, D, H));
  TempDir dir;
  REQUIRE(resetPeakMemory());
  const std::size_t before = peakMemory();
  vmfa::saveModel(m, dir.file("m.vmfa"));
  const std::size_t grown = peakMemory() - before;
  INFO("model file " << bytes << " bytes, peak memory grew by " << grown << " bytes while saving it");
  CHECK(grown < bytes / 8);  // an encoding in memory would add the whole file
  // what was streamed loads back bit for bit
  vmfa::Model<S> back;
  vmfa::loadModel(back, dir.file("m.vmfa"));
  CHECK(back.parameters().loadings == p.loadings);
  const bool sameBytes =
      slurp(dir.file("m.vmfa")) == std::string(reinterpret_cast<const char*>(vmfa::encodeModel(p, false).data()), bytes);
  CHECK(sameBytes);  // streamed and in-memory encodings agree byte for byte
  // checkpoints too
  vmfa::FitCheckpoint<S> cp;
  cp.parameters = p;
  cp.numPoints = 10;
  REQUIRE(resetPeakMemory());
  const std::size_t before2 = peakMemory();
  vmfa::saveCheckpoint(cp, dir.file("ck"));
  CHECK(peakMemory() - before2 < bytes / 8);
  CHECK(vmfa::loadCheckpoint<S>(dir.file("ck")).parameters.means == p.means);
}

