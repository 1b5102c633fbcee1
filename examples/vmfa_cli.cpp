// vmfa: the command-line tool. Fits, scores and samples mixtures of factor analysers stored in
// .npy files (N x D arrays, one point per row), with checkpoint and resume.
//
// Exit codes: 0 success, 1 runtime error (unreadable or invalid file, invalid data, numerical
// issue, a non-finite result), 2 usage error (unknown flag, missing or malformed value, an output
// path that is not a regular file or is given twice), 130 interrupted by SIGINT or SIGTERM (after
// writing a checkpoint when --checkpoint was given; a second signal ends the process at once).
//
// Outputs are written atomically and all or none: a failed command leaves every output as it was.
//
//
// vmfa-mpi (examples/vmfa_mpi_cli.cpp) runs the same `fit` over MPI processes.
#include "cli/run.hpp"

int main(int argc, char** argv) { return vmfa_cli::runMain(argc, argv, vmfa_cli::Processes::single()); }
