// A v-MFA fit with an interrupt check that never fires, timed from outside (docs/benchmarks.md, "An
// undoable iteration without a copy of K(n) and q"): N points of Matrix<float>::Random(4, N), C = 8,
// H = 1, random seeds, no warm-up, 8 E+M iterations, 2 threads. Prints the fit's time and F.
//   vmfa_fit_with_interrupt N
#include <vmfa/vmfa.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 2 || std::atol(argv[1]) < 8) {
    std::fprintf(stderr, "usage: vmfa_fit_with_interrupt N (N >= 8 points)\n");
    return 2;
  }
  const vmfa::Index N = std::atol(argv[1]);
  vmfa::Options opt;
  opt.numComponents = 8;
  opt.latentDim = 1;
  opt.maxIterations = 8;
  opt.tolerance = 0.0;
  opt.numThreads = 2;
  opt.init = vmfa::Init::RandomPoints;
  opt.interrupt = [] { return false; };
  vmfa::TruncatedEStep<float>::Options eo;
  eo.maxWarmupIterations = 0;
  vmfa::Model<float> model(opt, vmfa::TruncatedEStep<float>(eo));
  const vmfa::Matrix<float> X = vmfa::Matrix<float>::Random(4, N);
  const vmfa::FitResult r = model.fit(X);
  double estep = 0.0, mstep = 0.0;
  for (const auto& s : r.history) {
    estep += s.estepSeconds + s.graphSeconds;
    mstep += s.mstepSeconds;
  }
  std::printf("%d iterations, %.3f s (E-steps %.3f s, M-steps %.3f s), F %.10g\n", r.iterations, r.seconds, estep, mstep,
              r.freeEnergy);
  return 0;
}
