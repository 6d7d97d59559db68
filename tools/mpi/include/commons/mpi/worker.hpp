// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A rank other than 0: greets rank 0, runs the runs it is handed on its own oneTBB threads and
/// sends back each outcome, until rank 0 ends the job.

#include <commons/mpi/protocol.hpp>
#include <commons/sim/executor.hpp>

#include <atomic>
#include <span>

namespace commons::mpi {

/// How rank 0 ended the job.
struct Ending {
  int code = 0;
  /// A rank was lost: finalising MPI would wait for it for ever.
  bool rank_lost = false;
};

/// Serves rank 0 until it ends the job, and returns how it ended it. `spec` is
/// null when this rank could not load the scenario (`greeting` says why): it then only waits
/// to be released. `tasks` are the plan's runs, indexed by run. A signal number in `signalled`
/// (set by a handler) stops the job: rank 0 is told, and the runs in flight are abandoned.
[[nodiscard]] Ending serve(const Greeting& greeting, const sim::ScenarioSpec* spec, std::span<const sim::RunTask> tasks,
                        const sim::Registry& registry, int threads, const std::atomic<int>& signalled);

}  // namespace commons::mpi
