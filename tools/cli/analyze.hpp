// SPDX-License-Identifier: Apache-2.0
#pragma once
// `commons analyze FILE`: the statistics of a sweep's runs, per design point and per policy,
// with Sobol indices (a Saltelli design) or Morris measures (a Morris design) of every summary
// measure; printed, and written into the file as the group analysis/. docs/analysis.md.

#include "exit_codes.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace commons::cli {

struct AnalyzeOptions {
  std::filesystem::path results;
  /// Summary measures the report shows; empty: the default set (docs/analysis.md). The file
  /// gets every measure whatever this says.
  std::vector<std::string> measures;
  /// Show every measure.
  bool all_measures = false;
  /// Bootstrap resamples of the base samples (Sobol intervals).
  std::size_t resamples = 1000;
  /// Bootstrap resamples of the replicates (the noise beside each index).
  std::size_t replicate_resamples = 200;
  double confidence = 0.95;
  std::uint64_t seed = 0;
  bool quiet = false;
  std::string command_line;
};

ExitCode analyze_command(const AnalyzeOptions& options);

}  // namespace commons::cli
