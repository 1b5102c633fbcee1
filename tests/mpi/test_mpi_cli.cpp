// `mpirun -np P vmfa-mpi fit` against `vmfa fit`: the same model, checkpoints that resume
// bit-identically, and clear errors. A plain (non-MPI) test program: it starts mpirun itself.
#include "../catch.hpp"
#include "../support.hpp"

#include <chrono>
#include <regex>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using vmfa::Index;
using namespace vmfa_test;

namespace {

Run plainCli(const TempDir& dir, const std::string& args) { return runProgram(VMFA_CLI_PATH, dir, args); }
Run vmfaMpi(const TempDir& dir, int np, const std::string& args) {
  return runProgram(VMFA_MPIEXEC, dir,
                    std::string(VMFA_MPIEXEC_NUMPROC_FLAG) + " " + std::to_string(np) + " " VMFA_MPIEXEC_FLAGS " '" +
                        VMFA_MPI_CLI_PATH + "' " + args);
}

/// One process per entry of `args`, each with its own arguments (mpirun's "A : B" form), under a
/// 60 s `timeout` so that a hang fails the test instead of stalling it; `seconds` gets the wall time.
Run vmfaMpiEach(const TempDir& dir, const std::vector<std::string>& args, double* seconds) {
  std::string line = std::string("60 '") + VMFA_MPIEXEC + "' " VMFA_MPIEXEC_FLAGS;
  for (std::size_t r = 0; r < args.size(); ++r)
    line += std::string(r ? " :" : "") + " " VMFA_MPIEXEC_NUMPROC_FLAG " 1 '" + VMFA_MPI_CLI_PATH + "' " + args[r];
  const auto t0 = std::chrono::steady_clock::now();
  Run r = runProgram("timeout", dir, line);
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

/// Occurrences of `part` in `text`.
std::size_t countOf(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

double freeEnergyOf(const std::string& json) {
  std::smatch m;
  REQUIRE(std::regex_search(json, m, std::regex("\"free_energy\": ?([-0-9.eE+]+)")));
  return std::stod(m[1]);
}

double maxRel(const vmfa::Matrix<double>& a, const vmfa::Matrix<double>& b) {
  return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("vmfa-mpi fit over 2 and 3 processes gives vmfa fit's model", "[mpi][cli]") {
  TempDir dir;
  const auto truth = randomMfa<double>(12, 10, 2, 61, 3.0);
  const vmfa::Matrix<double> X = sampleFrom(truth, 3000, 62);
  vmfa::npy::writePoints(dir.file("data.npy"), X);                                        // float64: mapped
  vmfa::npy::writePoints(dir.file("data32.npy"), vmfa::Matrix<float>(X.cast<float>()));  // float32: rows converted
  const auto lines = [](const std::string& err) {  // progress lines
    std::size_t n = 0;
    for (std::size_t at = err.find("iter "); at != std::string::npos; at = err.find("iter ", at + 1)) ++n;
    return n;
  };
  for (const char* file : {"data.npy", "data32.npy"}) {
    const std::string common = "fit " + dir.file(file) +
                               " --components 12 --latent 2 --max-iter 9 --tol 0 --precision double --threads 1 --json";
    const Run one = plainCli(dir, common + " -o " + dir.file("one.vmfa"));
    REQUIRE(one.code == 0);
    vmfa::Model<double> reference;
    vmfa::loadModel(reference, dir.file("one.vmfa"));
    for (int np : {2, 3}) {
      const Run many = vmfaMpi(dir, np, common + " -o " + dir.file("many.vmfa"));
      INFO(file << ", " << np << " processes: " << many.err);
      REQUIRE(many.code == 0);
      CHECK(many.out.find("\"processes\": " + std::to_string(np)) != std::string::npos);
      CHECK(many.err.find("numerical issue") == std::string::npos);  // every process agrees on the status
      CHECK(std::abs(freeEnergyOf(many.out) / freeEnergyOf(one.out) - 1.0) < 1e-9);
      vmfa::Model<double> m;
      vmfa::loadModel(m, dir.file("many.vmfa"));
      CHECK(maxRel(m.means(), reference.means()) < 1e-9);
      CHECK(maxRel(m.loadings(), reference.loadings()) < 1e-9);
      CHECK(maxRel(m.noise(), reference.noise()) < 1e-9);
      // progress is printed by process 0 only: as many iteration lines as one process prints
      CHECK(lines(one.err) >= 9);
      CHECK(lines(many.err) == lines(one.err));
    }
  }
}

TEST_CASE("vmfa-mpi: a checkpoint per process resumes bit-identically", "[mpi][cli][checkpoint]") {
  TempDir dir;
  const auto truth = randomMfa<float>(15, 10, 2, 63, 2.0);
  vmfa::npy::writePoints(dir.file("data.npy"), sampleFrom(truth, 3000, 64));
  const std::string common = "fit " + dir.file("data.npy") + " --components 15 --latent 2 --max-iter 9 --tol 0 --quiet --threads 1";
  REQUIRE(vmfaMpi(dir, 2, common + " -o " + dir.file("full.vmfa")).code == 0);
  REQUIRE(vmfaMpi(dir, 2, common + " -o " + dir.file("part.vmfa") + " --checkpoint " + dir.file("ck") + " --checkpoint-every 5")
              .code == 0);
  CHECK(std::ifstream(dir.file("ck.rank0")).good());
  CHECK(std::ifstream(dir.file("ck.rank1")).good());
  const Run resumed = vmfaMpi(dir, 2, common + " -o " + dir.file("resumed.vmfa") + " --resume " + dir.file("ck"));
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(slurp(dir.file("resumed.vmfa")) == slurp(dir.file("full.vmfa")));
  // resuming with another number of processes: each process's file does not match its rows
  const Run wrong = vmfaMpi(dir, 3, common + " -o " + dir.file("wrong.vmfa") + " --resume " + dir.file("ck"));
  CHECK(wrong.code != 0);
  CHECK(!std::ifstream(dir.file("wrong.vmfa")).good());
}

TEST_CASE("vmfa-mpi: bad input gives a clear error and writes nothing", "[mpi][cli][errors]") {
  TempDir dir;
  const Run missing = vmfaMpi(dir, 2, "fit " + dir.file("missing.npy") + " -o " + dir.file("m.vmfa") + " --components 2 --latent 1");
  CHECK(missing.code != 0);
  CHECK(missing.err.find("missing.npy") != std::string::npos);
  CHECK(!std::ifstream(dir.file("m.vmfa")).good());
  const Run other = vmfaMpi(dir, 2, "score " + dir.file("m.vmfa") + " " + dir.file("missing.npy"));
  CHECK(other.code == 2);
  CHECK(other.err.find("vmfa-mpi runs 'fit' only") != std::string::npos);
  const auto truth = randomMfa<float>(3, 4, 1, 65, 3.0);
  vmfa::npy::writePoints(dir.file("small.npy"), sampleFrom(truth, 50, 66));
  const Run tooMany = vmfaMpi(dir, 2, "fit " + dir.file("small.npy") + " -o " + dir.file("m.vmfa") + " --components 51 --latent 1");
  CHECK(tooMany.code != 0);
  CHECK(tooMany.err.find("exceeds the number of points N = 50") != std::string::npos);
  CHECK(!std::ifstream(dir.file("m.vmfa")).good());
}

TEST_CASE("vmfa-mpi: SIGINT to mpirun leaves every process's checkpoint, from the same iteration", "[mpi][cli][checkpoint]") {
  TempDir dir;
  const auto truth = randomMfa<float>(20, 12, 2, 67, 2.0);
  vmfa::npy::writePoints(dir.file("big.npy"), sampleFrom(truth, 40000, 68));
  const std::string ck = dir.file("sig.ck");
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    const std::string data = dir.file("big.npy"), never = dir.file("never.vmfa"), flags = VMFA_MPIEXEC_FLAGS;
    std::vector<const char*> argv = {VMFA_MPIEXEC, VMFA_MPIEXEC_NUMPROC_FLAG, "2"};
    if (!flags.empty()) argv.push_back(flags.c_str());
    for (const char* a : {VMFA_MPI_CLI_PATH, "fit", data.c_str(), "-o", never.c_str(), "--components", "20", "--latent", "2",
                          "--tol", "0", "--max-iter", "100000", "--threads", "1", "--checkpoint", ck.c_str(),
                          "--checkpoint-every", "1"})
      argv.push_back(a);
    argv.push_back(nullptr);
    ::execv(VMFA_MPIEXEC, const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  const auto exists = [](const std::string& path) { return std::ifstream(path).good(); };
  for (int i = 0; i < 1200 && !(exists(ck + ".rank0") && exists(ck + ".rank1")); ++i) ::usleep(50000);
  REQUIRE(exists(ck + ".rank0"));
  REQUIRE(exists(ck + ".rank1"));
  ::usleep(300000);
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));  // each process exits 130; mpirun reports a failure
  CHECK(!exists(dir.file("never.vmfa")));
  const auto a = vmfa::loadCheckpoint<float>(ck + ".rank0"), b = vmfa::loadCheckpoint<float>(ck + ".rank1");
  CHECK(a.nextIteration >= 1);
  CHECK(a.nextIteration == b.nextIteration);
  CHECK(a.numPoints + b.numPoints == 40000);
  CHECK(a.parameters.means == b.parameters.means);
}

TEST_CASE("vmfa-mpi: a failure on some processes only ends every process with one message", "[mpi][cli][errors]") {
  TempDir dir;
  const auto truth = randomMfa<float>(4, 6, 1, 69, 3.0);
  const vmfa::Matrix<float> X = sampleFrom(truth, 600, 70);
  vmfa::npy::writePoints(dir.file("data.npy"), X);
  vmfa::npy::writePoints(dir.file("data7.npy"), vmfa::Matrix<float>::Ones(7, 600));
  const std::string fit = "fit --components 4 --latent 1 --max-iter 6 --tol 0 --threads 1 --quiet ";
  const std::string data = dir.file("data.npy") + " ";
  for (int P : {2, 3}) {
    INFO(P << " processes");
    // process `odd` (the last) gets `oddArgs`, the others `args`
    const auto each = [&](const std::string& args, const std::string& oddArgs, double* seconds) {
      std::vector<std::string> all(static_cast<std::size_t>(P), args);
      all.back() = oddArgs;
      return vmfaMpiEach(dir, all, seconds);
    };
    const std::string out = " -o " + dir.file("m.vmfa");
    const struct {
      const char* what;
      std::string args, oddArgs, message;
    } cases[] = {
        {"an option that changes the number of exchanges", fit + data + "--max-warmup 5" + out, fit + data + "--max-warmup 0" + out,
         "has other options than process 0: estep.maxWarmupIterations = 0 against estep.maxWarmupIterations = 5"},
        {"an option that changes the model", fit + data + "--noise-init 1" + out, fit + data + "--noise-init 2" + out,
         "has other options than process 0: noiseInitScale = 2 against noiseInitScale = 1"},
        {"data of another dimension", fit + data + out, fit + dir.file("data7.npy") + out, "has data of dimension 7, process 0 of dimension 6"},
        {"an output folder that does not exist", fit + data + out, fit + data + " -o " + dir.file("nowhere/m.vmfa"), "nowhere' does not exist"},
    };
    for (const auto& c : cases) {
      INFO(c.what);
      double seconds = 0.0;
      const Run r = each(c.args, c.oddArgs, &seconds);
      INFO(r.err);
      CHECK((r.code == 1 || r.code == 2));
      CHECK(seconds < 30.0);
      CHECK(countOf(r.err, c.message) == 1);  // one message, from process 0, naming the failing process
      const std::string last = std::to_string(P - 1);
      CHECK((contains(r.err, "(on process " + last + " of " + std::to_string(P) + ")") || contains(r.err, "process " + last + " has")));
      CHECK(!std::ifstream(dir.file("m.vmfa")).good());
    }
  }
  // a resume from checkpoints of two different fits
  const std::string common = fit + data + "--checkpoint-every 2 -o " + dir.file("m.vmfa");
  double seconds = 0.0;
  REQUIRE(vmfaMpiEach(dir, {common + " --checkpoint " + dir.file("a"), common + " --checkpoint " + dir.file("a")}, &seconds).code == 0);
  vmfa::npy::writePoints(dir.file("other.npy"), vmfa::Matrix<float>(X * 1.5f));
  const std::string other = fit + dir.file("other.npy") + " --checkpoint-every 2 -o " + dir.file("m.vmfa") + " --checkpoint " + dir.file("b");
  REQUIRE(vmfaMpiEach(dir, {other, other}, &seconds).code == 0);
  std::remove(dir.file("m.vmfa").c_str());
  std::ofstream(dir.file("mixed.rank0"), std::ios::binary) << slurp(dir.file("a.rank0"));
  std::ofstream(dir.file("mixed.rank1"), std::ios::binary) << slurp(dir.file("b.rank1"));
  const std::string resume = fit + data + "-o " + dir.file("m.vmfa") + " --resume " + dir.file("mixed");
  const Run r = vmfaMpiEach(dir, {resume, resume}, &seconds);
  INFO(r.err);
  CHECK(r.code == 1);
  CHECK(seconds < 30.0);
  CHECK(countOf(r.err, "is not from the same fit and iteration as process 0's") == 1);
  CHECK(!std::ifstream(dir.file("m.vmfa")).good());
}
