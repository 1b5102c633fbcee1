// Fits a small model over the processes of MPI_COMM_WORLD through vmfa/mpi.hpp; every process
// holds its own row range. Exits non-zero if anything is off.
#include <vmfa/mpi.hpp>
#include <vmfa/vmfa.hpp>

#include <mpi.h>

#include <cmath>
#include <iostream>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Eigen::MatrixXf all = Eigen::MatrixXf::Random(5, 400);  // the same on every process
  all.rightCols(200).array() += 4.0f;
  const Eigen::Index first = 400 * rank / size, last = 400 * (rank + 1) / size;
  const Eigen::MatrixXf mine = all.middleCols(first, last - first);
  vmfa::Options opt;
  opt.numComponents = 2;
  opt.latentDim = 1;
  vmfa::Model<float> model(opt);
  const vmfa::FitResult r = vmfa::mpi::fit(model, mine, MPI_COMM_WORLD);
  const double ll = model.score(all);
  if (rank == 0)
    std::cout << "vmfa " << vmfa::version() << " over " << size << " processes: " << vmfa::toString(r.status) << ", "
              << r.iterations << " iterations, mean log-likelihood " << ll << "\n";
  const bool ok = std::isfinite(ll) && model.predict(all)(0) != model.predict(all)(399);
  MPI_Finalize();
  return ok ? 0 : 1;
}
