// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Where a results file came from; written as root attributes so a file explains itself.

#include <string>

namespace commons::output {

/// What produced a results file. The front end fills it; the library only stores it.
struct Provenance {
  /// Commons version, e.g. "0.1.0".
  std::string program_version;
  /// Commit of the source tree the program was built from, or "unknown".
  std::string git_commit;
  /// The command line as the user typed it, for rerunning.
  std::string command_line;
};

}  // namespace commons::output
