// vmfa's entry point, for one process (examples/vmfa_cli.cpp) and for vmfa-mpi
// (examples/vmfa_mpi_cli.cpp): the command line, the dispatch to a command, and one error on
// every process.
#pragma once

#include "common.hpp"
#include "fit.hpp"
#include "model_commands.hpp"

#include <algorithm>
#include <cstdio>
#include <new>
#include <string>

namespace vmfa_cli {

/// Runs one command on its parsed arguments.
inline int dispatch(const std::string& name, const Args& a, const Processes& procs) {
  using vmfa_examples::withPrecision;
  auto fileBytes = [&] { return vmfa::readModelFileInfo(a.positional[0]).scalarBytes; };
  if (name == "fit") return withPrecision(precisionOf(a), [&](auto s) { return fitTyped<decltype(s)>(a, procs); });
  if (name == "score") return withPrecision(fileBytes(), [&](auto s) { return score<decltype(s)>(a); });
  if (name == "predict") return withPrecision(fileBytes(), [&](auto s) { return predict<decltype(s)>(a); });
  if (name == "sample") return withPrecision(fileBytes(), [&](auto s) { return sample<decltype(s)>(a); });
  if (name == "export") return withPrecision(fileBytes(), [&](auto s) { return exportModel<decltype(s)>(a); });
  if (name == "import") return withPrecision(precisionOf(a), [&](auto s) { return importModel<decltype(s)>(a); });
  return info(a);
}

inline int run(int argc, char** argv, const Processes& procs) {
  const std::string first = argc > 1 ? argv[1] : "";
  if (argc < 2 || first == "--help" || first == "-h") {
    std::printf("vmfa %s: mixtures of factor analysers by sublinear variational EM\nusage:\n", vmfa::version());
    for (const Command& c : kCommands) std::printf("  %s\n", c.synopsis().c_str());
    std::printf("'vmfa COMMAND --help' describes a command. Exit codes: 0 ok, 1 runtime error, 2 usage error,\n"
                "130 interrupted.\n");
    return argc < 2 ? 2 : 0;
  }
  if (first == "--version") {
    std::printf("vmfa %s\n", vmfa::version());
    return 0;
  }
  const Command* cmd = findCommand(first);
  if (!cmd) throw UsageError("unknown command '" + first + "'");
  if (procs.mpi && first != "fit")
    throw UsageError("vmfa-mpi runs 'fit' only; the other commands are vmfa's ('vmfa " + first + "')");
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::printf("%s", cmd->help().c_str());
      return 0;
    }
  return dispatch(first, vmfa_examples::parse(*cmd, argc, argv, 2), procs);
}

/// Runs the command; every failure, on any process, ends every process with a non-zero exit code.
/// In a distributed run an error agreed by all (`vmfa::Collective::agree`) is reported once, by
/// process 0, and every process exits with the failing process's code: a process that fails alone
/// joins the others at their next exchange (or at the final agreement below), so none waits for it.
inline int runMain(int argc, char** argv, const Processes& procs) {
  const vmfa::Collective& all = procs.all;
  installSignalHandlers();
  const std::string name = argc > 1 ? argv[1] : "";
  int code = 1;
  std::string message;
  try {
    try {
      code = run(argc, argv, procs);
      all.agree();  // a process that failed after the last exchange
      return code;
    } catch (const UsageError&) {
      code = 2;
      throw;
    } catch (const std::bad_alloc& e) {
      if (std::string(e.what()) == "std::bad_alloc") throw vmfa::OutOfMemory("out of memory");
      throw;
    }
  } catch (...) {
    try {
      all.agree(std::current_exception());  // the same error on every process (rethrown as it is in one)
    } catch (const std::bad_alloc& e) {
      message = std::string(e.what()) + " (the input or the requested output is larger than this machine can hold)";
    } catch (const std::exception& e) {
      message = e.what();
    }
  }
  const auto codes = all.gatherValue(code);  // every process is here: the error was agreed
  code = static_cast<int>(*std::max_element(codes.begin(), codes.end()));
  if (all.rank() == 0) {
    // "vmfa NAME: message", without repeating the prefix when the message already starts with it
    const std::string prefix = "vmfa " + name + ": ";
    std::fprintf(stderr, "%s%s\n", message.rfind(prefix, 0) == 0 ? "" : prefix.c_str(), message.c_str());
    const Command* cmd = findCommand(name);
    if (code == 2)
      std::fprintf(stderr, "usage: %s\n", cmd ? cmd->synopsis().c_str() : "vmfa COMMAND ... (vmfa --help lists the commands)");
  }
  return code;
}

}  // namespace vmfa_cli
