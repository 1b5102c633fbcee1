// Fits a small model through the public header only; exits non-zero if anything is off.
#include <vmfa/vmfa.hpp>

#include <cmath>
#include <iostream>

int main() {
  Eigen::MatrixXf X = Eigen::MatrixXf::Random(5, 400);
  X.rightCols(200).array() += 4.0f;
  vmfa::Options opt;
  opt.numComponents = 2;
  opt.latentDim = 1;
  vmfa::Model<float> model(opt);
  const vmfa::FitResult r = model.fit(X);
  const double ll = model.score(X);
  std::cout << "vmfa " << vmfa::version() << ": " << vmfa::toString(r.status) << ", " << r.iterations
            << " iterations, mean log-likelihood " << ll << "\n";
  return std::isfinite(ll) && model.predict(X)(0) != model.predict(X)(399) ? 0 : 1;
}
