// Faults that lose nothing: a fit interrupted inside an E-step or during the seeding
// stops at once and resumes bit for bit; a process killed while saving leaves the old file or the
// new one, never a partial one; a full disk or a file-size limit gives a clear error, keeps the old
// file and leaves no temporary file.
#include "catch.hpp"
#include "support.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <random>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace vmfa_test;
using vmfa::Index;

namespace {

/// Interrupts a fit at the (k+1)-th poll after iteration `at - 1` completed, and records the most
/// points the E-step of iteration `at` reports done and the polls made until it reported all. The
/// fit polls once at the end of an iteration and once per chunk: k - 1 chunks of that E-step start.
struct InterruptProbe {
  std::atomic<int> completed{0};         // iterations completed so far
  std::atomic<int> polls{0};             // polls during iteration `at`
  std::atomic<Index> maxDone{0};         // the most points reported done in iteration `at`
  std::atomic<int> pollsAtEStepEnd{-1};  // polls when the E-step of iteration `at` reported all points
  int at = 0, k = 0;

  void install(vmfa::Options& o) {
    o.callback = [this](const vmfa::IterationStats& s) {
      completed = s.iteration + 1;
      return true;
    };
    o.stepCallback = [this](Index d, Index total) {
      if (completed != at) return;
      if (d > maxDone) maxDone = d;
      if (d == total && pollsAtEStepEnd < 0) pollsAtEStepEnd = polls.load();
    };
    o.interrupt = [this] { return completed == at && ++polls > k; };
  }
};

}  // namespace

TEMPLATE_TEST_CASE("an interrupt inside the E-step stops within one chunk per thread, and its checkpoint resumes bit for bit",
                   "[faults][interrupt]", float, double) {
  using S = TestType;
  const Index N = 16000, chunk = 500;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(12, 8, 2, 4, 2.0), N, 3);
  vmfa::Options o = fitOptions(12, 2, 10, 0.0);
  o.numThreads = 2;
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.chunkSize = chunk;
  vmfa::Model<S> full(o, vmfa::TruncatedEStep<S>(eo));
  const auto rf = full.fit(X);

  // one thread: exactly 3 chunks of iteration 5 run, then the E-step stops (probe.k = 4)
  for (const int threads : {1, 2}) {
    CAPTURE(threads);
    InterruptProbe probe;
    probe.at = 5;
    probe.k = 4;
    vmfa::Options oi = o;
    oi.numThreads = threads;
    probe.install(oi);
    vmfa::Model<S> stopped(oi, vmfa::TruncatedEStep<S>(eo));
    const auto r = stopped.fit(X);
    CHECK(r.status == vmfa::FitStatus::StoppedByCallback);
    CHECK(r.message == "interrupted during the E-step of iteration 5");
    CHECK(r.history.size() == 5u);  // the interrupted iteration is discarded
    if (threads == 1) CHECK(probe.maxDone == 3 * chunk);
    else CHECK(probe.maxDone <= (3 + threads) * chunk);  // the chunks in flight finish, no new one starts
  }
  InterruptProbe probe;
  probe.at = 5;
  probe.k = 3;
  vmfa::Options oi = o;
  probe.install(oi);
  vmfa::Model<S> stopped(oi, vmfa::TruncatedEStep<S>(eo));
  vmfa::FitCheckpoint<S> cp;
  stopped.setCheckpointHandler(0, [&](const vmfa::FitCheckpoint<S>& c) { cp = c; });
  REQUIRE(stopped.fit(X).status == vmfa::FitStatus::StoppedByCallback);
  // the model and the checkpoint hold the last complete iteration
  REQUIRE(cp.nextIteration == 5);
  CHECK(cp.result.history.size() == 5u);
  CHECK(stopped.fittedResponsibilities().index == cp.activeSets);
  CHECK((stopped.parameters().means.array() == cp.parameters.means.array()).all());
  CHECK(stopped.parameters().origin == cp.parameters.origin);
  // resumed (with another thread count), it is the uninterrupted fit
  o.numThreads = 1;
  vmfa::Model<S> resumed(o, vmfa::TruncatedEStep<S>(eo));
  checkSameFit(full, rf, resumed, resumed.resume(X, cp));

  // exact EM: interrupted inside its dense E-step (blocks of 256 points)
  o.numThreads = 2;
  o.maxIterations = 4;
  vmfa::ExactModel<S> efull(o);
  efull.fit(X);
  InterruptProbe eprobe;
  eprobe.at = 2;
  eprobe.k = 5;
  vmfa::Options oe = o;
  oe.numThreads = 1;
  eprobe.install(oe);
  vmfa::ExactModel<S> estopped(oe);
  vmfa::FitCheckpoint<S> ecp;
  estopped.setCheckpointHandler(0, [&](const vmfa::FitCheckpoint<S>& c) { ecp = c; });
  const auto er = estopped.fit(X);
  CHECK(er.status == vmfa::FitStatus::StoppedByCallback);
  CHECK(er.history.size() == 2u);
  CHECK(eprobe.maxDone == 4 * o.blockSize);  // 4 blocks of 256 points, then it stopped
  CHECK(estopped.fittedResponsibilities().prob.size() == 0);  // dense posteriors partly overwritten: dropped
  REQUIRE(ecp.nextIteration == 2);
  vmfa::ExactModel<S> eresumed(o);
  eresumed.resume(X, ecp);
  CHECK((eresumed.means().array() == efull.means().array()).all());
  CHECK((eresumed.noise().array() == efull.noise().array()).all());
}

TEMPLATE_TEST_CASE("an interrupt during the seeding stops within one seed and leaves the model as it was",
                   "[faults][interrupt]", float, double) {
  using S = TestType;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(8, 6, 1, 7), 3000, 2);
  for (const vmfa::Init init : {vmfa::Init::AfkMc2, vmfa::Init::KMeansPlusPlus}) {
    CAPTURE(vmfa::toString(init));
    vmfa::Model<S> m;
    m.setParameters(randomMfa<S>(3, 6, 1, 1));  // a model that holds parameters already
    m.options().numComponents = 200;
    m.options().latentDim = 1;
    m.options().init = init;
    const vmfa::Matrix<S> before = m.means();
    int polls = 0;
    m.options().interrupt = [&] { return ++polls >= 10; };
    const auto r = m.fit(X);
    CHECK(r.status == vmfa::FitStatus::StoppedByCallback);
    CHECK(r.message == "interrupted during the initialisation");
    CHECK(r.iterations == 0);
    CHECK(polls == 10);  // one poll per seed: stopped at the 10th of 200
    CHECK(m.numComponents() == 3);
    CHECK((m.means().array() == before.array()).all());
  }
}

TEST_CASE("SIGKILL at random moments of saveModel and saveCheckpoint leaves the old file or the new one", "[faults][kill]") {
  TempDir dir;
  const auto a = randomMfa<double>(64, 128, 6, 1), b = randomMfa<double>(64, 128, 6, 2);
  vmfa::Model<double> ma, mb;
  ma.setParameters(a);
  mb.setParameters(b);
  const auto bytesOf = [](const std::vector<unsigned char>& v) { return std::string(v.begin(), v.end()); };
  vmfa::FitCheckpoint<double> ca, cb;
  ca.parameters = a;
  cb.parameters = b;
  ca.numPoints = cb.numPoints = 1000;
  const std::string models[2] = {bytesOf(vmfa::encodeModel(a, false)), bytesOf(vmfa::encodeModel(b, false))};
  const std::string checkpoints[2] = {bytesOf(vmfa::encodeCheckpoint(ca)), bytesOf(vmfa::encodeCheckpoint(cb))};
  std::mt19937 rng(11);
  for (const bool checkpoint : {false, true}) {
    CAPTURE(checkpoint);
    const std::string path = dir.file(checkpoint ? "fit.ck" : "model.vmfa");
    const std::string* expected = checkpoint ? checkpoints : models;
    if (checkpoint) vmfa::saveCheckpoint(ca, path);
    else vmfa::saveModel(ma, path);
    int oldSeen = 0, newSeen = 0, midWrite = 0, bad = 0;
    for (int round = 0; round < 100; ++round) {
      const pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {  // the writer: replaces the file over and over, alternating the contents
        for (int i = 0;; ++i) {
          if (checkpoint) vmfa::saveCheckpoint(i % 2 ? ca : cb, path);
          else vmfa::saveModel(i % 2 ? ma : mb, path);
        }
      }
      ::usleep(std::uniform_int_distribution<unsigned>(0, 40000)(rng));
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      const std::string now = slurp(path);
      if (now == expected[0]) ++oldSeen;
      else if (now == expected[1]) ++newSeen;
      else ++bad;
      midWrite += temporaryFiles(dir.path, true) > 0 ? 1 : 0;
    }
    CAPTURE(oldSeen, newSeen, midWrite);
    CHECK(bad == 0);
    CHECK(oldSeen + newSeen == 100);
    CHECK(midWrite > 0);  // some kills landed while a temporary file was being written
    CHECK(newSeen > 0);
    // whatever it holds, it loads
    if (checkpoint) CHECK_NOTHROW(vmfa::loadCheckpoint<double>(path));
    else CHECK_NOTHROW(vmfa::loadModel(ma, path));
  }
}

TEST_CASE("a file-size limit during a save: a clear error, the old file intact, no temporary file", "[faults][disk]") {
  TempDir dir;
  vmfa::Model<float> old, fresh;
  old.setParameters(randomMfa<float>(16, 64, 4, 1));
  fresh.setParameters(randomMfa<float>(16, 64, 4, 2));
  vmfa::FitCheckpoint<float> cp;
  cp.parameters = fresh.parameters();
  const std::string path = dir.file("m.vmfa"), ckPath = dir.file("fit.ck");
  vmfa::saveModel(old, path);
  vmfa::FitCheckpoint<float> oldCp;
  oldCp.parameters = old.parameters();
  vmfa::saveCheckpoint(oldCp, ckPath);
  const std::string before = slurp(path), ckBefore = slurp(ckPath);
  const auto size = static_cast<long>(vmfa::encodeModel(fresh.parameters(), false).size());
  std::mt19937 rng(5);
  int failures = 0;
  for (int round = 0; round < 100; ++round) {
    const rlim_t limit = std::uniform_int_distribution<long>(0, size - 1)(rng);
    const bool checkpoint = round % 2 == 1;
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::signal(SIGXFSZ, SIG_IGN);  // as the tools do: the write fails with EFBIG instead
      const struct rlimit rl = {limit, limit};
      ::setrlimit(RLIMIT_FSIZE, &rl);
      try {
        if (checkpoint) vmfa::saveCheckpoint(cp, ckPath);
        else vmfa::saveModel(fresh, path);
      } catch (const vmfa::FileError& e) {
        const std::string m = e.what();
        const bool clear = contains(m, checkpoint ? "vmfa::saveCheckpoint: cannot write '" : "vmfa::saveModel: cannot write '") &&
                           contains(m, "File too large");
        ::_exit(clear ? 0 : 3);
      }
      ::_exit(2);  // the save succeeded: it should not have
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    failures += WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
  }
  CHECK(failures == 0);
  CHECK(slurp(path) == before);
  CHECK(slurp(ckPath) == ckBefore);
  CHECK(temporaryFiles(dir.path, true) == 0);
}

TEST_CASE("a full disk during a save: a clear error, the old file intact, no temporary file", "[faults][disk]") {
  TempDir dir;
  const std::string mnt = dir.file("small");
  REQUIRE(::mkdir(mnt.c_str(), 0755) == 0);
  // a 1 MiB tmpfs holds the old model (about 600 kB) but not a second copy next to it
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=1m") != 0) {
    WARN("cannot mount a small tmpfs here (" << std::strerror(errno) << "): the full-disk case is covered by RLIMIT_FSIZE only");
    return;
  }
  struct Unmount {
    std::string at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{mnt};
  vmfa::Model<double> old, fresh;
  old.setParameters(randomMfa<double>(12, 640, 8, 1));
  fresh.setParameters(randomMfa<double>(12, 640, 8, 2));
  const std::string path = mnt + "/m.vmfa";
  vmfa::saveModel(old, path);
  const std::string before = slurp(path);
  for (int round = 0; round < 100; ++round) {
    try {
      vmfa::saveModel(fresh, path);
      FAIL("the save fit on a full disk");
    } catch (const vmfa::FileError& e) {
      CHECK(contains(e.what(), "vmfa::saveModel: cannot write '" + path + "'"));
      CHECK(contains(e.what(), "No space left on device"));
    }
    REQUIRE(slurp(path) == before);
  }
  CHECK(temporaryFiles(mnt) == 0);
  vmfa::Model<double> back;
  vmfa::loadModel(back, path);
  CHECK((back.means().array() == old.means().array()).all());
}

namespace {

/// This process's address space (VmSize) in bytes.
std::size_t addressSpace() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  statm >> pages;
  return pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

/// Runs f with the address space limited to what it uses now plus `room` bytes (the soft limit;
/// restored after), so that a larger allocation inside f fails with bad_alloc.
template <typename F>
void withAddressSpaceRoom(std::size_t room, F&& f) {
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_AS, &old) == 0);
  rlimit tight = old;
  tight.rlim_cur = addressSpace() + room;
  REQUIRE(::setrlimit(RLIMIT_AS, &tight) == 0);
  try {
    f();
  } catch (...) {
    ::setrlimit(RLIMIT_AS, &old);
    throw;
  }
  ::setrlimit(RLIMIT_AS, &old);
}

}  // namespace

TEST_CASE("bad_alloc inside a parallel region reaches the caller instead of ending the process", "[faults][errors]") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("AddressSanitizer reserves the address space that this test limits: not run");
#else
  // D × 1 data: the moments' first region allocates a D-vector per block, inside the region, after
  // the D × blocks partial sums outside it; 24 MiB of room fit the latter (16 MiB), not both
  const Index D = Index(2) << 20;
  const vmfa::Matrix<double> X = vmfa::Matrix<double>::Ones(D, 1);
  const Eigen::VectorXd none;
  // with room, the call works (and the OpenMP threads exist before the limit is set)
  const auto moments = vmfa::detail::dataMoments<double>(X, none, 1.0, 256, 2);
  CHECK(moments.mean(0) == 1.0);
  std::string error = "(none)";
  withAddressSpaceRoom(std::size_t(24) << 20, [&] {
    try {
      vmfa::detail::dataMoments<double>(X, none, 1.0, 256, 2);
    } catch (const std::bad_alloc&) {
      error = "bad_alloc";
    }
  });
  CHECK(error == "bad_alloc");
#endif
}

TEMPLATE_TEST_CASE("an interrupt inside the M-step undoes the iteration, and its checkpoint resumes bit for bit",
                   "[faults][interrupt]", float, double) {
  using S = TestType;
  const Index N = 6000;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(8, 8, 2, 5, 2.0), N, 6);
  vmfa::Options o = fitOptions(8, 2, 6, 0.0);
  o.numThreads = 1;  // polls in a fixed order
  o.blockSize = 64;  // many blocks per M-step
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.chunkSize = 500;
  eo.maxWarmupIterations = 0;
  const auto check = [&](auto make, const char* what) {
    INFO(what);
    auto full = make(o);
    const auto rf = full.fit(X);
    // the polls of iteration 3 up to the end of its E-step, counted on an identical fit
    InterruptProbe counter;  // never stops: k is larger than any poll count
    counter.at = 3;
    counter.k = std::numeric_limits<int>::max();
    vmfa::Options probe = o;
    counter.install(probe);
    make(probe).fit(X);
    REQUIRE(counter.pollsAtEStepEnd > 0);
    // now stop at the first poll after the E-step and the loop's own check: inside the M-step
    InterruptProbe stopper;
    stopper.at = 3;
    stopper.k = counter.pollsAtEStepEnd + 1;
    const int k = stopper.k;
    vmfa::Options oi = o;
    stopper.install(oi);
    auto stopped = make(oi);
    vmfa::FitCheckpoint<S> cp;
    stopped.setCheckpointHandler(0, [&](const vmfa::FitCheckpoint<S>& c) { cp = c; });
    const auto r = stopped.fit(X);
    CHECK(r.status == vmfa::FitStatus::StoppedByCallback);
    CHECK(r.message == "interrupted during the M-step of iteration 3");
    CHECK(r.history.size() == 3u);
    CHECK(stopper.polls == k + 1);  // the M-step's first poll stopped it
    REQUIRE(cp.nextIteration == 3);
    CHECK(cp.mstepsDone == 3);
    // the parameters are those after iteration 2: a fit of 3 E+M iterations
    vmfa::Options three = o;
    three.maxIterations = 3;
    auto reference = make(three);
    reference.fit(X);
    CHECK((stopped.parameters().means.array() == reference.parameters().means.array()).all());
    CHECK((stopped.parameters().loadings.array() == reference.parameters().loadings.array()).all());
    CHECK((stopped.parameters().noise.array() == reference.parameters().noise.array()).all());
    // resumed, it is the uninterrupted fit
    auto resumed = make(o);
    const auto rr = resumed.resume(X, cp);
    CHECK(rr.history.size() == rf.history.size());
    CHECK(rr.freeEnergy == rf.freeEnergy);
    CHECK((resumed.parameters().means.array() == full.parameters().means.array()).all());
    CHECK((resumed.parameters().loadings.array() == full.parameters().loadings.array()).all());
    CHECK((resumed.parameters().noise.array() == full.parameters().noise.array()).all());
    CHECK((resumed.parameters().weights.array() == full.parameters().weights.array()).all());
  };
  check([&](const vmfa::Options& opt) { return vmfa::Model<S>(opt, vmfa::TruncatedEStep<S>(eo)); }, "v-MFA");
  check([&](const vmfa::Options& opt) { return vmfa::ExactModel<S>(opt); }, "exact EM");
}
