// SPDX-License-Identifier: Apache-2.0
#pragma once
// `commons export FILE --format csv`: a results file as tidy long tables (one value per row)
// for pandas, the tidyverse and spreadsheets. docs/analysis.md#export.

#include "exit_codes.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace commons::cli {

struct ExportOptions {
  std::filesystem::path results;
  /// Only "csv" so far.
  std::string format = "csv";
  /// One table ("series", "summary" or "references") instead of all of them.
  std::optional<std::string> table;
  /// A directory for all the tables; with `table`, a file, or "-" (the default) for stdout.
  std::optional<std::filesystem::path> output;
  bool force = false;
  bool quiet = false;
};

ExitCode export_command(const ExportOptions& options);

/// The shortest decimal text that reads back as exactly `value` (std::to_chars); "" for NaN, the
/// empty field that CSV readers take as missing.
[[nodiscard]] std::string shortest(double value);

}  // namespace commons::cli
