// SPDX-License-Identifier: Apache-2.0
#pragma once
// The subcommands of `commons`; each returns its exit code and maps errors to codes.

#include "exit_codes.hpp"

#include <commons/sim/executor.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace commons::cli {

struct RunOptions {
  std::filesystem::path scenario;
  std::optional<std::filesystem::path> output;
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  /// Memory the runs may use [bytes], instead of what the machine says is available.
  std::optional<std::uint64_t> memory_limit;
  bool force = false;
  /// Continue the runs an interrupted execution left in FILE.partial (sweep only).
  bool resume = false;
  bool quiet = false;
  std::string command_line;
  /// The scenario of these options when it is already loaded (rank 0 of an MPI job loads it to
  /// compare it with the other ranks'); run and sweep load it otherwise.
  std::shared_ptr<const sim::ScenarioSpec> loaded;
  /// Executes the plan in place of sim::execute: rank 0 of an MPI job hands the runs to every
  /// rank (mpi_sweep.hpp). Empty: sim::execute on this process's threads.
  std::function<sim::ExecutionReport(const sim::ScenarioSpec&, const sim::Registry&, sim::Sink&,
                                     const sim::ExecutorOptions&)>
      execute;
};

struct ValidateOptions {
  std::vector<std::filesystem::path> scenarios;
  std::vector<std::string> overrides;
  /// As for run: the memory estimate depends on the runs that go at once.
  int threads = 0;
  std::optional<std::uint64_t> memory_limit;
};

/// The scenario of `options` with its --set overrides and --seed applied, as run and sweep load it.
/// \throws scenario::ScenarioError when it cannot be loaded.
[[nodiscard]] sim::ScenarioSpec load_scenario(const RunOptions& options, const sim::Registry& registry);

ExitCode run_command(const RunOptions& options);
ExitCode sweep_command(const RunOptions& options);
ExitCode validate_command(const ValidateOptions& options);
ExitCode inspect_command(const std::filesystem::path& results, bool scenario_only);
ExitCode scenarios_command();
ExitCode plot_command(const std::filesystem::path& results, std::optional<std::filesystem::path> figure);

/// Runs `body`, turning each kind of failure into its exit code with one line on stderr, as
/// every command does (for the commands in files of their own: analyze.cpp, export.cpp).
ExitCode guarded_command(const std::function<ExitCode()>& body);

}  // namespace commons::cli
