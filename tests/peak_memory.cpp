// Checks the peak-memory formula of a v-MFA fit (docs/design.md, "Peak memory of a fit").
//
// Run without arguments, it runs itself as a child process for two numbers of points N and reads
// each child's peak resident set from wait4; the difference, divided by the difference in N, is
// the memory a fit needs per point, which must match the formula
//
//   D·sizeof(Scalar)                          the data (the child's own matrix)
//   + C'·(4 + sizeof(Scalar))·(1 + i)         K(n) and q, twice with an interrupt check (i = 1)
//   + 12 + 8                                  bound and best component, the E-step's order of points
//   + 8·C'                                    the M-step's pairs grouped by component
//
// for float and double, with and without an interrupt check. The terms that do not grow with N
// (parameters, graph, per-thread chunks) cancel in the difference. A sanitizer build skips it:
// its allocator adds its own bytes per allocation.
#include <vmfa/vmfa.hpp>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace {

constexpr vmfa::Index kDim = 4, kActive = 3;

template <typename Scalar>
int fitOnce(vmfa::Index N, bool interrupt) {
  vmfa::Options opt;
  opt.numComponents = 16;
  opt.latentDim = 1;
  opt.maxIterations = 3;
  opt.tolerance = 0.0;
  opt.numThreads = 2;
  if (interrupt) opt.interrupt = [] { return false; };
  typename vmfa::TruncatedEStep<Scalar>::Options eo;
  eo.activeComponents = kActive;
  eo.chunkSize = 4096;  // the automatic chunk grows with N up to 65,536 points
  eo.maxWarmupIterations = 1;
  vmfa::Model<Scalar> model(opt, vmfa::TruncatedEStep<Scalar>(eo));
  vmfa::Matrix<Scalar> X = vmfa::Matrix<Scalar>::Random(kDim, N);
  const vmfa::FitResult r = model.fit(X);
  return r.status == vmfa::FitStatus::IterationLimit ? 0 : 3;
}

// Peak resident set of one child run, in bytes (0 when it failed).
double childPeak(const char* self, const char* scalar, vmfa::Index N, bool interrupt) {
  const std::string n = std::to_string(N), i = interrupt ? "1" : "0";
  std::vector<char*> argv = {const_cast<char*>(self), const_cast<char*>("--child"), const_cast<char*>(scalar),
                             const_cast<char*>(n.c_str()), const_cast<char*>(i.c_str()), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, self, nullptr, nullptr, argv.data(), environ) != 0) return 0.0;
  int status = 0;
  struct rusage usage;
  std::memset(&usage, 0, sizeof usage);
  if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 0.0;
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // kilobytes on Linux
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--child") == 0) {
    const vmfa::Index N = std::atol(argv[3]);
    const bool interrupt = std::strcmp(argv[4], "1") == 0;
    return std::strcmp(argv[2], "float") == 0 ? fitOnce<float>(N, interrupt) : fitOnce<double>(N, interrupt);
  }
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  std::puts("peak_memory: skipped under a sanitizer (its allocator adds bytes per allocation)");
  return 0;
#else
  const vmfa::Index small = 200000, large = 600000;
  int failures = 0;
  for (const char* scalar : {"float", "double"}) {
    const double s = std::strcmp(scalar, "float") == 0 ? 4.0 : 8.0;
    for (bool interrupt : {false, true}) {
      const double a = childPeak(argv[0], scalar, small, interrupt), b = childPeak(argv[0], scalar, large, interrupt);
      const double predicted = kDim * s + kActive * (4.0 + s) * (interrupt ? 2.0 : 1.0) + 20.0 + 8.0 * kActive;
      const double measured = (b - a) / static_cast<double>(large - small);
      const bool ok = a > 0.0 && b > 0.0 && measured > 0.9 * predicted && measured < 1.1 * predicted;
      std::printf("%-6s interrupt check %-3s  peak %7.1f MB at N = %ld, %7.1f MB at N = %ld: %6.1f bytes per point, "
                  "formula %6.1f  %s\n",
                  scalar, interrupt ? "on" : "off", a / 1e6, static_cast<long>(small), b / 1e6, static_cast<long>(large),
                  measured, predicted, ok ? "ok" : "FAILED");
      failures += ok ? 0 : 1;
    }
  }
  return failures == 0 ? 0 : 1;
#endif
}
