// Quick start: fit a mixture of factor analysers to the 8x8 patches of a photograph and score
// patches it has not seen.
//
//   vmfa_quickstart [--data DIR] [--components C] [--latent H] [--max-iter M] [--stride S] [--exact]
//                   [--write-npy PREFIX]
//
// Trains v-MFA (or exact EM with --exact) on the patches of data/camera.png whose corners lie on
// a grid of step S, then reports the mean log-likelihood of the camera patches between them (held
// out) and of the patches of data/grass.png and data/gravel.png (other images).
#include <vmfa/image_files.hpp>

#include <vmfa/vmfa.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

namespace {

void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--data DIR] [--components C] [--latent H] [--max-iter M] [--stride S] [--exact]\n"
               "  fits an MFA to the 8x8 patches of DIR/camera.png and scores held-out patches\n"
               "  (v-MFA with C' = 3, G = 15, E = 1; --exact: exact EM)\n"
               "  --write-npy PREFIX also writes the patches as PREFIXtrain.npy and PREFIXheldout.npy (N x 64)\n",
               argv0);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dataDir = VMFA_DATA_DIR;
  vmfa::Options opt;
  opt.numComponents = 100;
  opt.latentDim = 4;
  opt.maxIterations = 100;
  int stride = 2;
  bool exact = false;
  std::string npyPrefix;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s: %s needs a value\n", argv[0], a.c_str());
        usage(argv[0]);
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--data") dataDir = value();
      else if (a == "--components") opt.numComponents = std::stol(value());
      else if (a == "--latent") opt.latentDim = std::stol(value());
      else if (a == "--max-iter") opt.maxIterations = std::stoi(value());
      else if (a == "--stride") stride = std::stoi(value());
      else if (a == "--exact") exact = true;
      else if (a == "--write-npy") npyPrefix = value();
      else if (a == "--help" || a == "-h") { usage(argv[0]); return 0; }
      else { std::fprintf(stderr, "%s: unknown option %s\n", argv[0], a.c_str()); usage(argv[0]); return 2; }
    } catch (const std::logic_error&) {
      std::fprintf(stderr, "%s: %s needs a number\n", argv[0], a.c_str());
      return 2;
    }
  }
  if (stride < 1) { std::fprintf(stderr, "%s: --stride must be >= 1\n", argv[0]); return 2; }

  try {
    const vmfa::Image camera = vmfa::loadGrey(dataDir + "/camera.png");
    const Eigen::MatrixXf train = vmfa::extractPatches(camera, 8, stride, 0);
    const Eigen::MatrixXf heldOut = vmfa::extractPatches(camera, 8, stride, 1);
    std::printf("vmfa %s quick start: %ld training patches of 8x8 pixels from camera.png (D = 64)\n",
                vmfa::version(), static_cast<long>(train.cols()));
    if (!npyPrefix.empty()) {
      vmfa::npy::writePoints(npyPrefix + "train.npy", train);
      vmfa::npy::writePoints(npyPrefix + "heldout.npy", heldOut);
      std::printf("wrote %strain.npy (%ld x 64) and %sheldout.npy (%ld x 64)\n", npyPrefix.c_str(),
                  static_cast<long>(train.cols()), npyPrefix.c_str(), static_cast<long>(heldOut.cols()));
    }
    std::printf("fitting C = %ld components with H = %ld latent dimensions (%s, float)\n",
                static_cast<long>(opt.numComponents), static_cast<long>(opt.latentDim),
                exact ? "exact EM" : "v-MFA, C' = 3, G = 15, E = 1");
    opt.callback = vmfa::progressPrinter(std::cout);
    vmfa::FitResult r;
    std::unique_ptr<vmfa::Model<float>> vmodel;
    std::unique_ptr<vmfa::ExactModel<float>> emodel;
    if (exact) {
      emodel = std::make_unique<vmfa::ExactModel<float>>(opt);
      r = emodel->fit(train);
    } else {
      vmodel = std::make_unique<vmfa::Model<float>>(opt);
      r = vmodel->fit(train);
    }
    auto score = [&](const Eigen::MatrixXf& X) { return exact ? emodel->score(X) : vmodel->score(X); };
    const double exactEvals = static_cast<double>(train.cols()) * static_cast<double>(opt.numComponents) *
                              static_cast<double>(r.iterations);
    std::printf("%s after %d iterations in %.2f s: %.3g log-joint evaluations (%.1f%% of exact EM's %.3g)\n",
                vmfa::toString(r.status), r.iterations, r.seconds, static_cast<double>(r.logJointEvaluations),
                100.0 * static_cast<double>(r.logJointEvaluations) / exactEvals, exactEvals);
    std::printf("mean log-likelihood per patch (nats; pixel values in [0, 1]):\n");
    std::printf("  training patches of camera.png   %10.3f\n", score(train));
    std::printf("  held-out patches of camera.png   %10.3f\n", score(heldOut));
    for (const char* other : {"grass.png", "gravel.png"}) {
      const Eigen::MatrixXf X = vmfa::extractPatches(vmfa::loadGrey(dataDir + "/" + other), 8, 4);
      std::printf("  patches of %-20s  %10.3f\n", other, score(X));
    }
    std::printf("BIC on the training patches: %.6g (%.0f free parameters)\n",
                exact ? emodel->bic(train) : vmodel->bic(train),
                exact ? emodel->numFreeParameters() : vmodel->numFreeParameters());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmfa_quickstart: %s\n", e.what());
    return 1;
  }
  return 0;
}
