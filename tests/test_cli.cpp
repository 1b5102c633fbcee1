// The `vmfa` command-line tool, driven as a user would: real processes, real files.
#include "catch.hpp"
#include "support.hpp"

#include <chrono>
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
  CHECK((r.out.rfind("{\"status\": \"converged\"", 0) == 0 || r.out.rfind("{\"status\": \"iteration limit\"", 0) == 0));
  CHECK(lines(r.out) == 1);
  CHECK(r.out.find("\"noise_at_floor\": 0,") != std::string::npos);
  CHECK(r.err.find("noise variances at their floor: 0 of 60 (0.0%)") != std::string::npos);

  // --min-noise and --variance-floor reach the model: an absolute floor above every variance holds them all
  r = cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("floor.vmfa") +
                   " --components 6 --latent 2 --max-iter 3 --min-noise 1e3 --variance-floor 1e-3 --json");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"noise_at_floor\": 60,") != std::string::npos);
  CHECK(r.err.find("noise variances at their floor: 60 of 60 (100.0%)") != std::string::npos);
  {
    vmfa::Model<float> floored;
    vmfa::loadModel(floored, dir.file("floor.vmfa"));
    CHECK(floored.noise().minCoeff() >= 1e3f * (1 - 1e-6f));
  }
  // --accelerate (--over-relaxation, --search-every, --warmup-tol) reaches the model: the default
  // fit's steps are never over-relaxed, an accelerated fit's are (the JSON history names each η)
  const std::string steps = "fit " + dir.file("data.npy") + " --components 6 --latent 2 --max-iter 12 --tol 0 --json --quiet";
  r = cli(dir, steps + " -o " + dir.file("accelerated.vmfa") + " --accelerate");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"step_size\": 1.5,") != std::string::npos);
  r = cli(dir, steps + " -o " + dir.file("plain.vmfa"));
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"step_size\": 1.5,") == std::string::npos);
  CHECK(slurp(dir.file("plain.vmfa")) != slurp(dir.file("accelerated.vmfa")));
  // --search-every and --search-turns reach the fit: the defaults are 3 and on, and with every
  // point searching in every E-step, or all of them in the same E-steps, the model differs
  REQUIRE(cli(dir, steps + " -o " + dir.file("turns.vmfa") + " --search-every 3 --search-turns on").code == 0);
  CHECK(slurp(dir.file("turns.vmfa")) == slurp(dir.file("plain.vmfa")));
  REQUIRE(cli(dir, steps + " -o " + dir.file("every.vmfa") + " --search-every 1").code == 0);
  CHECK(slurp(dir.file("every.vmfa")) != slurp(dir.file("plain.vmfa")));
  REQUIRE(cli(dir, steps + " -o " + dir.file("together.vmfa") + " --search-turns off").code == 0);
  CHECK(slurp(dir.file("together.vmfa")) != slurp(dir.file("plain.vmfa")));
  for (const std::string bad : {" --min-noise -1", " --variance-floor 0", " --variance-floor 1", " --over-relaxation 0.5",
                                " --search-every 0", " --warmup-tol -1", " --search-turns maybe"}) {
    r = cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("bad.vmfa") + " --components 6 --latent 2" + bad);
    INFO(bad);
    CHECK(r.code == 2);
    CHECK(r.err.find(bad.substr(1, bad.find(' ', 1) - 1) + " must be") != std::string::npos);
  }

  // --graph-capacity reaches the graph: one candidate per row (overflowing) against exact rows
  const std::string small = "fit " + dir.file("data.npy") + " --components 12 --latent 2 --neighbors 3 --max-iter 5 --quiet";
  REQUIRE(cli(dir, small + " -o " + dir.file("k1.vmfa") + " --graph-capacity 1").code == 0);
  REQUIRE(cli(dir, small + " -o " + dir.file("k11.vmfa") + " --graph-capacity 11").code == 0);
  REQUIRE(cli(dir, small + " -o " + dir.file("kdef.vmfa")).code == 0);
  CHECK(slurp(dir.file("k1.vmfa")) != slurp(dir.file("k11.vmfa")));
  CHECK(slurp(dir.file("kdef.vmfa")) == slurp(dir.file("k11.vmfa")));  // the default at C = 12: exact, C − 1 = 11

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
  check(cli(dir, "fit " + dir.file("data.npy") + fit + " --loading-init pca"), 2,
        "--loading-init must be broad, small, uniform or ppca, got 'pca'");
  check(cli(dir, "fit " + dir.file("data.npy") + fit + " --graph-capacity 0"), 2,
        "--graph-capacity must be in [1, 1073741824], got 0");
  check(cli(dir, "fit " + dir.file("data.npy") + fit + " --exact --graph-capacity 4"), 2,
        "--graph-capacity is a v-MFA option; it does not apply with --exact");
  check(cli(dir, "fit " + dir.file("data.npy") + fit + " --noise-init -1"), 1, "noiseInitScale = -1 must be finite and > 0");
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

TEST_CASE("hostile inputs, outputs and faults: a clear message, the right exit code, nothing lost", "[cli][errors][hostile]") {
  TempDir dir;
  const auto truth = randomMfa<float>(3, 4, 1, 3, 3.0);
  const Eigen::MatrixXf X = sampleFrom(truth, 300, 1);
  vmfa::npy::writePoints(dir.file("data.npy"), X);
  REQUIRE(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("m.vmfa") + " --components 3 --latent 1 --quiet").code == 0);
  const std::string good = slurp(dir.file("m.vmfa"));
  auto check = [&](const Run& r, int code, const std::string& contains) {
    CAPTURE(r.err, contains);
    CHECK(r.code == code);
    CHECK(r.err.find(contains) != std::string::npos);
    CHECK(r.out.empty());
  };
  const std::string fit = " --components 3 --latent 1 --quiet";

  // a fit that ends in a numerical issue: a message even under --quiet, exit 1, -o left as it was
  REQUIRE(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("keep.vmfa") + fit).code == 0);
  const std::string kept = slurp(dir.file("keep.vmfa"));
  vmfa::npy::writePoints(dir.file("huge.npy"), Eigen::MatrixXf(X * 1e30f));
  auto r = cli(dir, "fit " + dir.file("huge.npy") + " -o " + dir.file("keep.vmfa") + fit);
  check(r, 1, "vmfa fit: numerical issue: the free energy became");
  CHECK(r.err.find("the model was not saved ('" + dir.file("keep.vmfa") + "' is left as it was)") != std::string::npos);
  CHECK(slurp(dir.file("keep.vmfa")) == kept);
  // scoring such data, or with a model at the edge of float's range: an error, never a printed nan
  check(cli(dir, "score " + dir.file("m.vmfa") + " " + dir.file("huge.npy")), 1,
        "vmfa score: the log-likelihood of point 0 is");
  vmfa::Parameters<float> edge = truth;
  edge.means(0, 0) = 3.4e38f;
  edge.noise(1, 1) = 1e-45f;
  vmfa::Model<float> em;
  em.setParameters(edge);
  vmfa::saveModel(em, dir.file("edge.vmfa"));
  r = cli(dir, "score " + dir.file("edge.vmfa") + " " + dir.file("data.npy") + " --per-point " + dir.file("ll.npy"));
  check(r, 1, "exceed the range of the model's precision (float)");
  CHECK(!exists(dir.file("ll.npy")));
  check(cli(dir, "predict " + dir.file("edge.vmfa") + " " + dir.file("data.npy") + " -o " + dir.file("l.npy")), 1,
        "vmfa predict: the largest posterior of point");
  CHECK(!exists(dir.file("l.npy")));

  // a .npy header whose shape overflows: refused before anything is read, the prefix not doubled
  {
    std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 8), }";
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
    dict += '\n';
    std::ofstream f(dir.file("overflow.npy"), std::ios::binary);
    f << "\x93NUMPY" << '\x01' << '\x00' << static_cast<char>(dict.size()) << '\x00' << dict << std::string(64, '\0');
  }
  r = cli(dir, "score " + dir.file("m.vmfa") + " " + dir.file("overflow.npy"));
  check(r, 1, "vmfa score: '" + dir.file("overflow.npy") + "': shape entry 4611686018427387904 is too large");
  CHECK(r.err.find("vmfa score: vmfa score") == std::string::npos);
  // a FIFO as input: refused at once (it used to block in open() forever)
  REQUIRE(::mkfifo(dir.file("fifo.npy").c_str(), 0600) == 0);
  check(cli(dir, "score " + dir.file("m.vmfa") + " " + dir.file("fifo.npy")), 1, "' is a FIFO, not a regular file");
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("x.vmfa") + fit + " --weights " + dir.file("fifo.npy")), 1,
        "vmfa fit: --weights: '" + dir.file("fifo.npy") + "' is a FIFO");

  // outputs that are not regular files, or one file named twice: exit 2, nothing replaced
  REQUIRE(::symlink("/dev/null", dir.file("null.vmfa").c_str()) == 0);
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("null.vmfa") + fit), 2,
        "-o: '" + dir.file("null.vmfa") + "' is a symbolic link; refusing to replace it");
  struct stat st;
  REQUIRE(::lstat(dir.file("null.vmfa").c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  check(cli(dir, "sample " + dir.file("m.vmfa") + " -n 5 -o " + dir.file("fifo.npy")), 2, "' is a FIFO; refusing to replace it");
  check(cli(dir, "predict " + dir.file("m.vmfa") + " " + dir.file("data.npy") + " -o " + dir.file("same.npy") +
                     " --proba-top 2 " + dir.file("same.npy")),
        2, "--proba-top '" + dir.file("same.npy") + "' names the same file as -o");
  CHECK(!exists(dir.file("same.npy")));
  check(cli(dir, "predict " + dir.file("m.vmfa") + " " + dir.file("data.npy") + " -o " + dir.file("p_components.npy") +
                     " --proba-top 2 " + dir.file("p.npy")),
        2, "names the same file as -o");
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("c.vmfa") + fit + " --checkpoint " + dir.path + "/./c.vmfa"),
        2, "names the same file as -o");
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("nodir/x.vmfa") + fit), 2, "does not exist");

  // a checkpoint with a valid checksum and a negative loop counter is refused
  REQUIRE(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("c.vmfa") + fit + " --max-iter 3 --checkpoint " +
                       dir.file("ck") + " --checkpoint-every 1").code == 0);
  auto cp = vmfa::loadCheckpoint<float>(dir.file("ck"));
  cp.mstepsDone = std::numeric_limits<int>::min();
  vmfa::saveCheckpoint(cp, dir.file("bad.ck"));
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("c.vmfa") + " --quiet --max-iter 5 --resume " +
                     dir.file("bad.ck")),
        1, "invalid loop state (next iteration");

  // sizes beyond reason: refused with a reason
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("x.vmfa") + fit + " --random 1048576"), 2,
        "--random 1048576 exceeds --components 3");
  check(cli(dir, "sample " + dir.file("m.vmfa") + " -n 1000000000000 -o " + dir.file("s.npy")), 1,
        "vmfa sample: -n 1000000000000 points of dimension 4 need 1.6e+04 GB, more than this machine's memory");
  check(cli(dir, "fit " + dir.file("data.npy") + " -o " + dir.file("x.vmfa") + fit + " --threads 4097"), 2,
        "--threads must be in [1, 4096], got 4097");
  CHECK(!exists(dir.file("x.vmfa")));
  CHECK(!exists(dir.file("s.npy")));
  CHECK(slurp(dir.file("m.vmfa")) == good);
}

TEST_CASE("SIGTERM during the seeding stops the fit within a second", "[cli][faults][interrupt]") {
  TempDir dir;
  // k-means++ for 30,000 components costs O(N C D): many seconds, polled once per seed (AFK-MC^2
  // through its centre index is now too fast for this test)
  vmfa::npy::writePoints(dir.file("data.npy"), sampleFrom(randomMfa<float>(50, 4, 1, 3, 3.0), 30000, 1));
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int err = ::open(dir.file("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, 2);
    ::execl(VMFA_CLI_PATH, "vmfa", "fit", dir.file("data.npy").c_str(), "-o", dir.file("m.vmfa").c_str(), "--components",
            "30000", "--latent", "1", "--init", "kmeans++", "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::usleep(1500000);  // well inside the seeding, which takes many seconds
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(seconds < 1.0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(slurp(dir.file("stderr")) == "vmfa fit: interrupted during the initialisation; nothing was saved\n");
  CHECK(!exists(dir.file("m.vmfa")));
}
