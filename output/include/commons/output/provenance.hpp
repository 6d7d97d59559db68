// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Where a results file came from; written as root attributes so that a file explains itself
/// after it has left the machine that made it.

#include <string>

namespace commons::output {

/// What produced a results file. The front end fills it; the library only stores it (and adds
/// the HDF5 version it writes with).
struct Provenance {
  /// Commons version, e.g. "0.1.0".
  std::string program_version;
  /// Commit of the source tree the program was built from, or "unknown".
  std::string git_commit;
  /// "clean" if the build's source tree had no uncommitted changes, "modified" if it had,
  /// "unknown" without git.
  std::string source_tree = "unknown";
  /// The command line as the user typed it, for rerunning.
  std::string command_line;
  /// Name of the machine the runs were made on.
  std::string host;
  /// Worker threads the runs were executed with (results do not depend on it).
  int threads = 0;
  /// Versions of the libraries results depend on, e.g. "oneTBB 2021.8.0; Boost 1.74.0".
  std::string libraries;
};

/// The current time in ISO 8601 UTC (`2025-01-31T12:00:00Z`), as the root attribute
/// `creation_time` and the analysis's own record it.
[[nodiscard]] std::string utc_timestamp();

}  // namespace commons::output
