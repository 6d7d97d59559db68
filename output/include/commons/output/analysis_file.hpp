// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Writing the analysis of a sweep (`commons analyze`) into its results file as the group
/// `analysis/`. The output library knows no estimator: it writes numbers and names as netCDF-4
/// lays them out (coordinates as dimension scales, variables over them); the caller decides the
/// layout, documented in docs/results-format.md#analysis.

#include <commons/output/fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace commons::output {

/// One dataset of a DataGroup: float64, int64 or variable-length UTF-8 strings, row-major over
/// its dimensions (last axis fastest).
struct DataVariable {
  std::string name;
  /// Names of coordinates of the same group, one per axis, outermost first. A coordinate has
  /// one axis, named after itself.
  std::vector<std::string> dimensions;
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;
  /// `units` attribute (UDUNITS, or "money"); none when empty.
  std::string units;
  /// `long_name` attribute.
  std::string long_name;
};

/// An attribute of a group: text, a list of texts, an int64 or a float64.
struct DataAttribute {
  std::string name;
  std::variant<std::string, std::vector<std::string>, std::int64_t, double> value;
};

/// A group of the analysis, such as `analysis` or `analysis/points`. Each group holds the
/// coordinates its variables use, so that a group opened on its own
/// (`xarray.open_dataset(FILE, group="analysis")`) has them, as the other groups of a results
/// file do.
struct DataGroup {
  /// Path from the root, `analysis` or below it; a group's parent comes before it.
  std::string path;
  std::vector<DataAttribute> attributes;
  /// 1-D datasets that become dimension scales, each named after itself.
  std::vector<DataVariable> coordinates;
  std::vector<DataVariable> variables;
};

/// Replaces the group `analysis/` of the results file `results` with `groups` (whose paths all
/// lie in `analysis/`), keeping everything else of the file as it was, byte for byte in
/// content. `analysed` is the same file, open: the numbers were computed from it, and the
/// file is rewritten only if `results` still names it.
///
/// The file is never changed in place. A copy is made next to it in an anonymous file, the
/// group is replaced in the copy, the copy is synced and then renamed over `results` (the same
/// moves that give a results file its final name), so that a reader, or a process killed at any
/// moment, finds either the old file or the new one, whole. A file being written
/// (`results.partial` locked by a running sweep), a `.partial` file itself (an unfinished
/// sweep's, never changed), a file another `commons analyze` is rewriting (locked with flock),
/// and anything but a regular file are refused.
/// \throws OutputError naming the file and the reason; the file is then unchanged.
/// \throws std::invalid_argument if a group is malformed (a path outside analysis/, an unknown
///         dimension, values that do not fill the shape).
void write_analysis(const std::filesystem::path& results, const ResultsFile& analysed,
                    std::span<const DataGroup> groups);

}  // namespace commons::output
