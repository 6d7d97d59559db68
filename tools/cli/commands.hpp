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
  bool force = false;
  bool quiet = false;
  std::string command_line;
};

ExitCode run_command(const RunOptions& options);
ExitCode validate_command(const std::vector<std::filesystem::path>& scenarios,
                          const std::vector<std::string>& overrides);
ExitCode inspect_command(const std::filesystem::path& results, bool scenario_only);
ExitCode scenarios_command();
ExitCode plot_command(const std::filesystem::path& results, std::optional<std::filesystem::path> figure);

}  // namespace commons::cli
