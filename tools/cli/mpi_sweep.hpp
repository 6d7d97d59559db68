// SPDX-License-Identifier: Apache-2.0
#pragma once
// `commons run` and `commons sweep` under an MPI launcher (docs/cluster.md): every rank loads the
// scenario and they compare plans; rank 0 writes the results file and hands out the runs, and
// every rank runs them. Without MPI in the build, or without a launcher, a command runs as ever.

#include "commands.hpp"

namespace commons::cli {

/// run_command or sweep_command.
using ExecuteCommand = ExitCode (*)(const RunOptions&);

#ifdef COMMONS_WITH_MPI
/// Runs `command` as this process's part of an MPI job when an MPI launcher started it with more
/// than one rank; as a plain command otherwise. Every rank returns the exit code of rank 0.
ExitCode across_ranks(ExecuteCommand command, RunOptions options);
#else
inline ExitCode across_ranks(ExecuteCommand command, const RunOptions& options) { return command(options); }
#endif

}  // namespace commons::cli
