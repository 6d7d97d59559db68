// SPDX-License-Identifier: Apache-2.0
#pragma once
// The subcommands of `commons`; each returns its exit code and maps errors to codes.

#include "exit_codes.hpp"

#include <cstdint>
#include <filesystem>
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
};

struct ValidateOptions {
  std::vector<std::filesystem::path> scenarios;
  std::vector<std::string> overrides;
  /// As for run: the memory estimate depends on the runs that go at once.
  int threads = 0;
  std::optional<std::uint64_t> memory_limit;
};

ExitCode run_command(const RunOptions& options);
ExitCode sweep_command(const RunOptions& options);
ExitCode validate_command(const ValidateOptions& options);
ExitCode inspect_command(const std::filesystem::path& results, bool scenario_only);
ExitCode scenarios_command();
ExitCode plot_command(const std::filesystem::path& results, std::optional<std::filesystem::path> figure);

}  // namespace commons::cli
