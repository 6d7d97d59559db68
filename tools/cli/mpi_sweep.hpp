// SPDX-License-Identifier: Apache-2.0
#pragma once
// `commons run` and `commons sweep` under an MPI launcher (docs/cluster.md): every rank loads the
// scenario and they compare plans; rank 0 writes the results file and hands out the runs, and
// every rank runs them. Without MPI in the build, or without a launcher, a command runs as ever.
//
// Two programs share the rest of the command line: `commons` links no MPI, so that the commands
// most often typed do not load Open MPI's libraries (a fifth of `commons --version`), and hands
// a process that an MPI launcher started to `commons-mpi` beside it, which links MPI
// (mpi_handoff.cpp and mpi_sweep.cpp define the functions below for each).

#include "commands.hpp"

#include <optional>

namespace commons::cli {

/// run_command or sweep_command.
using ExecuteCommand = ExitCode (*)(const RunOptions&);

/// In `commons`, when the build has MPI and an MPI launcher started the process: replaces the
/// process with `commons-mpi` (beside the running program) and the same arguments, and returns
/// only when it cannot, with the code to exit with. Nothing in any other case.
[[nodiscard]] std::optional<ExitCode> hand_over_to_mpi_program(char** argv);

/// Runs `command` as this process's part of an MPI job when an MPI launcher started it with more
/// than one rank (in `commons-mpi`); as a plain command otherwise. Every rank returns the exit
/// code of rank 0.
ExitCode across_ranks(ExecuteCommand command, RunOptions options);

}  // namespace commons::cli
