// The `vmfa` command-line tool, driven as a user would: real processes, real files.
#include "catch.hpp"
#include "support.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace vmfa_test;
using vmfa::Index;

namespace {


/// Runs `vmfa ARGS`.
Run cli(const TempDir& dir, const std::string& args) { return runProgram(VMFA_CLI_PATH, dir, args); }

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

TEST_CASE("a whole session: fit, score, predict, sample, export, import, info", "[cli]") {
  TempDir dir;
  const auto truth = randomMfa<float>(6, 10, 2, 3, 3.0);
  vmfa::npy::writePoints(dir.file("data.npy"), sampleFrom(truth, 3000, 1));
  vmfa::npy::writePoints(dir.file("test.npy"), sampleFrom(truth, 500, 2));

  auto r = cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("m.vmfa") + " --components 6 --latent 2 --json");
  REQUIRE(r.code == 0);
  CHECK(r.err.find("iter    0 (warm-up)") != std::string::npos);  // progress, one line per iteration
  CHECK(r.out.rfind("{\"status\": \"converged\"", 0) == 0);
  CHECK(lines(r.out) == 1);

  vmfa::Model<float> m;
  vmfa::loadModel(m, dir.file("m.vmfa"));
  r = cli(dir, "score " + dir.file("m.vmfa") + " " + dir.file("test.npy"));
  REQUIRE(r.code == 0);
  const vmfa::npy::Points<float> test(dir.file("test.npy"));
  CHECK(std::stod(r.out) == Approx(m.score(test.matrix())).epsilon(1e-9));
  r = cli(dir, "score " + dir.file("m.vmfa") + " " + dir.file("test.npy") + " --per-point " + dir.file("ll.npy") + " --json");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"mean_log_likelihood\"") != std::string::npos);
  CHECK(vmfa::npy::readVector(dir.file("ll.npy")).size() == 500);

  r = cli(dir, "predict " + dir.file("m.vmfa") + " " + dir.file("test.npy") + " -o " + dir.file("labels.npy") +
                    " --proba-top 2 " + dir.file("proba.npy"));
  REQUIRE(r.code == 0);
  vmfa::npy::MappedArray labels(dir.file("labels.npy"));
  CHECK(labels.header().descr == "<i8");
  CHECK(labels.header().shape == std::vector<Index>{500});
  const auto* lab = reinterpret_cast<const std::int64_t*>(labels.data());
  const Eigen::VectorXi expected = m.predict(test.matrix());
  for (Index n = 0; n < 500; ++n) CHECK(lab[n] == expected(n));
  CHECK(vmfa::npy::MappedArray(dir.file("proba.npy")).header().shape == std::vector<Index>{500, 2});
  CHECK(exists(dir.file("proba_components.npy")));

  r = cli(dir, "sample " + dir.file("m.vmfa") + " -n 40 --seed 3 -o " + dir.file("s.npy"));
  REQUIRE(r.code == 0);
  CHECK(vmfa::npy::Points<float>(dir.file("s.npy")).numPoints() == 40);

  r = cli(dir, "export " + dir.file("m.vmfa") + " " + dir.file("exported"));
  REQUIRE(r.code == 0);
  r = cli(dir, "import " + dir.file("exported") + " -o " + dir.file("back.vmfa"));
  REQUIRE(r.code == 0);
  CHECK(slurp(dir.file("back.vmfa")) == slurp(dir.file("m.vmfa")));  // bit-identical round trip

  r = cli(dir, "info " + dir.file("m.vmfa") + " --json");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"components\": 6, \"dimension\": 10, \"latent_dimension\": 2") != std::string::npos);
  r = cli(dir, "--help");
  CHECK(r.code == 0);
  for (const char* c : {"fit", "score", "predict", "sample", "export", "import", "info"}) {
    r = cli(dir, std::string(c) + " --help");
    CHECK(r.code == 0);
    CHECK(r.out.rfind(std::string("usage: vmfa ") + c, 0) == 0);
  }
}

TEST_CASE("bad input gives a non-zero exit and one clear line", "[cli][errors]") {
  TempDir dir;
  const auto truth = randomMfa<float>(3, 4, 1, 3, 3.0);
  vmfa::npy::writePoints(dir.file("data.npy"), sampleFrom(truth, 300, 1));
  REQUIRE(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("m.vmfa") + " --components 3 --latent 1 --quiet").code == 0);
  const std::string good = slurp(dir.file("m.vmfa"));
  auto writeModel = [&](std::string bytes) {
    std::ofstream(dir.file("bad.vmfa"), std::ios::binary) << bytes;
    return cli(dir, "score " + dir.file("bad.vmfa") + " " + dir.file("data.npy"));
  };
  auto check = [&](const Run& r, int code, const std::string& contains) {
    CAPTURE(r.err, contains);
    CHECK(r.code == code);
    if (code == 2) CHECK(r.err.find("\nusage: vmfa") != std::string::npos);  // the error, then the usage
    else CHECK(lines(r.err) == 1);
    CHECK(r.err.find(contains) != std::string::npos);
    CHECK(r.out.empty());
  };
  check(writeModel(good.substr(0, good.size() - 10)), 1, "truncated model file");
  check(writeModel(""), 1, "is not a vmfa model file");
  std::string magic = good;
  magic[1] = 'X';
  check(writeModel(magic), 1, "not a vmfa model file");
  std::string newer = good;
  newer[8] = 7;
  check(writeModel(newer), 1, "model format version 7 is not supported");
  std::string flipped = good;
  flipped[good.size() / 2] ^= 4;
  check(writeModel(flipped), 1, "checksum mismatch");

  std::vector<float> cube(8, 1.0f);
  vmfa::npy::write<float>(dir.file("3d.npy"), cube.data(), {2, 2, 2});
  std::vector<std::int64_t> ints(8, 1);
  vmfa::npy::write<std::int64_t>(dir.file("int.npy"), ints.data(), {4, 2});
  Eigen::MatrixXf nan = sampleFrom(truth, 10, 2);
  nan(2, 5) = std::numeric_limits<float>::quiet_NaN();
  vmfa::npy::writePoints(dir.file("nan.npy"), nan);
  Eigen::MatrixXf inf = sampleFrom(truth, 10, 2);
  inf(0, 1) = std::numeric_limits<float>::infinity();
  vmfa::npy::writePoints(dir.file("inf.npy"), inf);
  vmfa::npy::writePoints(dir.file("wrongd.npy"), Eigen::MatrixXf::Zero(5, 10));
  const std::string fit = " -o " + dir.file("x.vmfa") + " --components 3 --latent 1 --quiet";
  check(cli(dir, "fit " + dir.file("3d.npy") + fit), 1, "has 3 dimensions");
  check(cli(dir, "fit " + dir.file("int.npy") + fit), 1, "has dtype '<i8'");
  check(cli(dir, "fit " + dir.file("nan.npy") + fit), 1, "data value (2, 5) is nan, must be finite");
  check(cli(dir, "fit " + dir.file("inf.npy") + fit), 1, "data value (0, 1) is inf, must be finite");
  check(cli(dir, "score " + dir.file("m.vmfa") + " " + dir.file("wrongd.npy")), 1,
        "has points of dimension 5 but the model has dimension 4");
  vmfa::npy::writePoints(dir.file("small.npy"), sampleFrom(truth, 10, 3));
  check(cli(dir, "fit " + dir.file("small.npy") + " -o " + dir.file("x.vmfa") + " --components 11 --latent 1 --quiet"), 1,
        "numComponents = 11 exceeds the number of points N = 10");
  check(cli(dir, "fit " + dir.file("missing.npy") + fit), 1, "cannot open");
  CHECK(!exists(dir.file("x.vmfa")));  // nothing written by failed fits

  check(cli(dir, "fit " + dir.file("data.npy") + fit + " --bogus"), 2, "unknown option --bogus");
  check(cli(dir, "fit " + dir.file("data.npy") + fit + " --seed"), 2, "--seed needs a value");
  check(cli(dir, "fit " + dir.file("data.npy") + fit + " --tol abc"), 2, "--tol needs a number, got 'abc'");
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("x.vmfa")), 2, "--components and --latent are required");
  check(cli(dir, "frobnicate"), 2, "unknown command 'frobnicate'");
  check(cli(dir, "score " + dir.file("m.vmfa")), 2, "expected 2 arguments, got 1");
}

TEST_CASE("resume equals uninterrupted, and SIGINT leaves a loadable checkpoint", "[cli][checkpoint]") {
  TempDir dir;
  const auto truth = randomMfa<float>(20, 12, 2, 8, 2.0);
  vmfa::npy::writePoints(dir.file("data.npy"), sampleFrom(truth, 4000, 1));
  const std::string common = "fit " + dir.file("data.npy") + " --components 20 --latent 2 --max-iter 9 --tol 0 --quiet";
  REQUIRE(cli(dir, common + " -o " + dir.file("full.vmfa")).code == 0);
  REQUIRE(cli(dir, common + " -o " + dir.file("part.vmfa") + " --checkpoint " + dir.file("ck") +
                        " --checkpoint-every 5 --threads 1").code == 0);
  REQUIRE(exists(dir.file("ck")));
  REQUIRE(cli(dir, common + " -o " + dir.file("resumed.vmfa") + " --resume " + dir.file("ck") + " --threads 2").code == 0);
  CHECK(slurp(dir.file("resumed.vmfa")) == slurp(dir.file("full.vmfa")));

  // a long fit, interrupted once its first checkpoint exists
  vmfa::npy::writePoints(dir.file("big.npy"), sampleFrom(truth, 40000, 2));
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);
    ::execl(VMFA_CLI_PATH, "vmfa", "fit", dir.file("big.npy").c_str(), "-o", dir.file("never.vmfa").c_str(),
            "--components", "20", "--latent", "2", "--tol", "0", "--max-iter", "100000", "--checkpoint",
            dir.file("sig.ck").c_str(), "--checkpoint-every", "1", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 600 && !exists(dir.file("sig.ck")); ++i) ::usleep(50000);
  REQUIRE(exists(dir.file("sig.ck")));
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(!exists(dir.file("never.vmfa")));
  const auto cp = vmfa::loadCheckpoint<float>(dir.file("sig.ck"));
  CHECK(cp.numPoints == 40000);
  CHECK(cp.nextIteration >= 1);
  CHECK(cp.result.status == vmfa::FitStatus::StoppedByCallback);
}
