// vmfa-mpi: the vmfa tool's `fit` over MPI processes (examples/cli/, shared with vmfa). This file
// is the tool's MPI layer: the only place it calls MPI.
// vmfa-mpi (`mpirun -np P vmfa-mpi fit DATA.npy ...`): the same
// `fit` over P processes, each reading its own row range of the memory-mapped DATA.npy. Process 0
// prints the progress and writes the model; with --checkpoint PATH process r writes PATH.rank<r>
// (the parameters and its points' active sets), and --resume PATH reads them back (same P).
#include "cli/run.hpp"

#include <vmfa/mpi.hpp>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int code = 1;
  {
    const vmfa::mpi::Communicator world(MPI_COMM_WORLD);
    const auto procs = vmfa_cli::Processes::spread(world, [](auto& model) {
      const auto communicator = vmfa::mpi::distribute(model, MPI_COMM_WORLD);
      return std::function<std::uint64_t()>([communicator] { return communicator->bytesSent(); });
    });
    code = vmfa_cli::runMain(argc, argv, procs);
  }
  MPI_Finalize();
  return code;
}
