// SPDX-License-Identifier: Apache-2.0
// The `commons` side of mpi_sweep.hpp: the runs stay in this process, and an MPI launcher's
// process becomes `commons-mpi`.
#include "mpi_sweep.hpp"

#ifdef COMMONS_WITH_MPI
#include <commons/mpi/launched.hpp>

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <iostream>
#include <system_error>
#endif

namespace commons::cli {

std::optional<ExitCode> hand_over_to_mpi_program(char** argv) {
#ifdef COMMONS_WITH_MPI
  if (!mpi::launched()) return std::nullopt;
  // The program beside this one, wherever both are (the build tree, an installed bin/). argv
  // stays as typed, so that the command line a results file records is the same.
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::filesystem::path program = (error ? std::filesystem::path(argv[0]) : self).parent_path() / "commons-mpi";
  execv(program.c_str(), argv);
  std::cerr << "commons: an MPI launcher started this process, but " << program.string()
            << ", which runs under one, could not be started: " << std::generic_category().message(errno) << "\n";
  return ExitCode::internal_error;
#else
  static_cast<void>(argv);
  return std::nullopt;
#endif
}

ExitCode across_ranks(ExecuteCommand command, RunOptions options) { return command(options); }

}  // namespace commons::cli
