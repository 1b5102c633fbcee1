// Which initialisation generalises best: fits on the 8x8 patches of one bundled image, scored on
// another's (and a same-image split), for every loading initialisation (vmfa::LoadingInit) and a
// smaller initial noise, v-MFA and exact EM. Prints one CSV row per fit and a markdown summary.
//
//   vmfa_init_heldout [--train N] [--test M] [--methods LIST] [--inits LIST] [--pairs LIST] [--threads T]
//                     [--csv FILE]
//
// Data: every overlapping 8x8 patch (D = 64, pixel values in [0, 1]) of data/camera.png, grass.png and
// gravel.png. Pairs (TRAIN>TEST): camera>grass, grass>gravel, gravel>camera, and camera-split (patches
// of the top half of camera.png trained, of the bottom half scored; no patch overlaps both). N
// training patches (default 40,000) and M held-out patches (default 40,000) are drawn from each side
// with a fixed seed. Every fit: float, H = 4, the library's defaults otherwise (AFK-MC² seeding, seed
// 5489, tolerance 1e-4, variance floor 1e-4 of the data variance), at most 100 iterations.
// METHOD is one of em100, vmfa100, vmfa1000, em1000 (default the first three: exact EM at C = 1000
// costs 10x the rest together). INIT is small, broad, uniform, ppca or small-noise0.1 (Small loadings,
// ψ = 0.1 x the data variance); default all five.
#include <vmfa/vmfa.hpp>

#include <vmfa/image_files.hpp>

#include <vmfa/detail/rng.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

/// All 8x8 patches of an image whose top row lies in [rowFirst, rowLast).
Eigen::MatrixXf patchesOf(const std::string& name, Eigen::Index rowFirst = 0, Eigen::Index rowLast = 1 << 30) {
  const auto img = vmfa::loadGrey(std::string(VMFA_DATA_DIR) + "/" + name);
  const Eigen::MatrixXf all = vmfa::extractPatches(img, 8, 1);
  const Eigen::Index nx = img.width - 7, ny = img.height - 7;
  std::vector<Eigen::Index> keep;
  for (Eigen::Index y = std::max<Eigen::Index>(0, rowFirst); y < std::min(ny, rowLast); ++y)
    for (Eigen::Index x = 0; x < nx; ++x) keep.push_back(y * nx + x);
  Eigen::MatrixXf out(all.rows(), static_cast<Eigen::Index>(keep.size()));
  for (std::size_t i = 0; i < keep.size(); ++i) out.col(static_cast<Eigen::Index>(i)) = all.col(keep[i]);
  return out;
}

/// n columns of X drawn without replacement with a fixed seed (all of them if n >= X.cols()).
Eigen::MatrixXf subset(const Eigen::MatrixXf& X, Eigen::Index n, std::uint64_t seed) {
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(X.cols()));
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<Eigen::Index>(i);
  vmfa::detail::Random rng(seed);
  for (std::size_t i = idx.size() - 1; i > 0; --i) std::swap(idx[i], idx[rng.below(i + 1)]);
  n = std::min(n, X.cols());
  Eigen::MatrixXf out(X.rows(), n);
  for (Eigen::Index i = 0; i < n; ++i) out.col(i) = X.col(idx[static_cast<std::size_t>(i)]);
  return out;
}

struct Row {
  std::string pair, method, init;
  Eigen::Index C;
  double train, heldOut, initSeconds, fitSeconds;
  int iterations;
};

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args = {{"--train", "40000"},
                                             {"--test", "40000"},
                                             {"--methods", "em100,vmfa100,vmfa1000"},
                                             {"--inits", "small,broad,uniform,ppca,small-noise0.1"},
                                             {"--pairs", "camera>grass,grass>gravel,gravel>camera,camera-split"},
                                             {"--threads", "0"},
                                             {"--csv", ""}};
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (!args.count(k) || i + 1 >= argc) {
      std::fprintf(stderr, "usage: vmfa_init_heldout [--train N] [--test M] [--methods LIST] [--inits LIST] "
                           "[--pairs LIST] [--threads T] [--csv FILE]\n");
      return 2;
    }
    args[k] = argv[++i];
  }
  const Eigen::Index nTrain = std::stol(args["--train"]), nTest = std::stol(args["--test"]);
  std::vector<Row> rows;
  std::FILE* csv = args["--csv"].empty() ? nullptr : std::fopen(args["--csv"].c_str(), "w");
  const char* header = "pair,method,C,init,train_loglik,heldout_loglik,iterations,init_seconds,fit_seconds\n";
  std::printf("%s", header);
  if (csv) std::fprintf(csv, "%s", header);
  for (const std::string& pair : split(args["--pairs"])) {
    Eigen::MatrixXf train, test;
    if (pair == "camera-split") {  // top rows [0, 249) vs [256, 505): patches 8 rows apart at least
      train = subset(patchesOf("camera.png", 0, 249), nTrain, 1);
      test = subset(patchesOf("camera.png", 256), nTest, 2);
    } else {
      const auto gt = pair.find('>');
      train = subset(patchesOf(pair.substr(0, gt) + ".png"), nTrain, 1);
      test = subset(patchesOf(pair.substr(gt + 1) + ".png"), nTest, 2);
    }
    for (const std::string& method : split(args["--methods"])) {
      const bool exact = method.rfind("em", 0) == 0;
      const Eigen::Index C = std::stol(method.substr(exact ? 2 : 4));
      for (const std::string& init : split(args["--inits"])) {
        vmfa::Options o;
        o.numComponents = C;
        o.latentDim = 4;
        o.maxIterations = 100;
        o.numThreads = std::stoi(args["--threads"]);
        if (vmfa::fromString(init, o.loadingInit)) {
        } else if (init == "small-noise0.1") {
          o.noiseInitScale = 0.1;
        } else {
          std::fprintf(stderr, "unknown init '%s'\n", init.c_str());
          return 2;
        }
        Row r{pair, method, init, C, 0, 0, 0, 0, 0};
        vmfa::FitResult res;
        if (exact) {
          vmfa::ExactModel<float> m(o);
          res = m.fit(train);
          r.train = m.score(train);
          r.heldOut = m.score(test);
        } else {
          vmfa::Model<float> m(o);
          res = m.fit(train);
          r.train = m.score(train);
          r.heldOut = m.score(test);
        }
        r.initSeconds = res.initSeconds;
        r.fitSeconds = res.seconds;
        r.iterations = res.iterations;
        rows.push_back(r);
        char line[512];
        std::snprintf(line, sizeof line, "%s,%s,%ld,%s,%.4f,%.4f,%d,%.3f,%.3f\n", pair.c_str(), method.c_str(),
                      static_cast<long>(C), init.c_str(), r.train, r.heldOut, r.iterations, r.initSeconds, r.fitSeconds);
        std::printf("%s", line);
        std::fflush(stdout);
        if (csv) {
          std::fprintf(csv, "%s", line);
          std::fflush(csv);
        }
      }
    }
  }
  if (csv) std::fclose(csv);
  // summary: mean over pairs of held-out log-likelihood and fit time, per method and init
  std::printf("\n| method | init | held-out log-lik./patch (mean over pairs) | train | fit seconds (mean) |\n|---|---|---|---|---|\n");
  std::map<std::pair<std::string, std::string>, std::vector<const Row*>> groups;
  std::vector<std::pair<std::string, std::string>> orderOf;
  for (const Row& r : rows) {
    auto k = std::make_pair(r.method, r.init);
    if (!groups.count(k)) orderOf.push_back(k);
    groups[k].push_back(&r);
  }
  for (const auto& k : orderOf) {
    double h = 0, t = 0, s = 0;
    for (const Row* r : groups[k]) {
      h += r->heldOut;
      t += r->train;
      s += r->fitSeconds;
    }
    const double n = static_cast<double>(groups[k].size());
    std::printf("| %s | %s | %.2f | %.2f | %.2f |\n", k.first.c_str(), k.second.c_str(), h / n, t / n, s / n);
  }
  return 0;
}
