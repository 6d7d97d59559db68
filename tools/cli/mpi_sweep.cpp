// SPDX-License-Identifier: Apache-2.0
// The `commons-mpi` side of mpi_sweep.hpp: this program is the one that runs under a launcher.
#include "mpi_sweep.hpp"

#include <commons/cli/build_info.hpp>
#include <commons/cli/source_state.hpp>
#include <commons/models/register_models.hpp>
#include <commons/mpi/manager.hpp>
#include <commons/mpi/worker.hpp>
#include <commons/mpi/world.hpp>
#include <commons/output/hdf5_sink.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

namespace commons::cli {
namespace {

/// The signal that reached a worker; rank 0 watches its own in commands.cpp.
std::atomic<int> worker_signal{0};

extern "C" void stop_worker(int signal_number) {
  worker_signal.store(signal_number);
  // A second signal ends the process at once, as on one process.
  std::signal(signal_number, SIG_DFL);
}

}  // namespace

std::optional<ExitCode> hand_over_to_mpi_program(char** /*argv*/) { return std::nullopt; }

ExitCode across_ranks(ExecuteCommand command, RunOptions options) {
  if (!mpi::launched()) return command(options);
  const mpi::World world;
  if (world.size() == 1) return command(options);
  options.threads = world.threads(options.threads);

  // Every rank loads the scenario, so that every rank checks it and rank 0 can compare what
  // each loaded: files differing between machines would make results depend on the rank.
  const sim::Registry& registry = models::default_registry();
  mpi::Greeting mine;
  mine.build = std::string(program_version) + " (" + git_commit + ", " + source_tree + ")";
  mine.host = mpi::host_name();
  mine.pid = getpid();
  std::shared_ptr<const sim::ScenarioSpec> spec;
  sim::PlanInfo plan;
  try {
    spec = std::make_shared<const sim::ScenarioSpec>(load_scenario(options, registry));
    plan = sim::plan_info(*spec, registry);
    mine.fingerprint = output::Hdf5Sink::plan_fingerprint(plan);
  } catch (const std::exception& error) {
    spec.reset();
    mine.error = error.what();
  }

  if (world.rank() != 0) {
    std::signal(SIGINT, stop_worker);
    std::signal(SIGTERM, stop_worker);
    try {
      const mpi::Ending ending = mpi::serve(mine, spec.get(), plan.tasks, registry,
                                            sim::effective_threads(options.threads), worker_signal);
      if (ending.rank_lost) mpi::World::leave(ending.code);
      return static_cast<ExitCode>(ending.code);
    } catch (const std::exception& error) {
      // Rank 0 would wait for this rank for ever: the job ends here.
      std::cerr << "commons: rank " << world.rank() << ": internal error: " << error.what() << "\n";
      world.abort(to_int(ExitCode::internal_error));
    }
  }

  mpi::Manager manager(world);
  ExitCode code = ExitCode::success;
  bool distributed = false;
  if (!spec) {
    code = command(options);  // reports this rank's own error as one process would
  } else if (const std::vector<std::string> disagreements = manager.agree(mine); !disagreements.empty()) {
    for (const std::string& line : disagreements) std::cerr << "commons: " << line << "\n";
    code = ExitCode::invalid_scenario;
  } else {
    // The command runs the scenario and plan the ranks agreed on, not the file as it is now.
    options.loaded = spec;
    options.execute = [&](const sim::ScenarioSpec& loaded, const sim::Registry& used, sim::Sink& sink,
                          const sim::ExecutorOptions& executor) {
      distributed = true;
      return manager.execute(plan, loaded, used, sink, executor);
    };
    code = command(options);
  }
  const bool released = manager.release(to_int(code));
  if (!options.quiet && distributed) {
    std::cerr << "commons: runs by rank:";
    for (std::size_t rank = 0; rank < manager.runs_by_rank().size(); ++rank)
      std::cerr << (rank == 0 ? " " : ", ") << manager.runs_by_rank()[rank] << " (rank " << rank << ")";
    std::cerr << "\n";
  }
  for (const std::string& loss : manager.losses()) std::cerr << "commons: " << loss << "\n";
  // MPI_Finalize would wait for a rank that died: every rank that acknowledged the end leaves
  // without it; one that did not is ended by MPI_Abort.
  if (!manager.losses().empty()) {
    if (!released) world.abort(to_int(code));
    mpi::World::leave(to_int(code));
  }
  return code;
}

}  // namespace commons::cli
